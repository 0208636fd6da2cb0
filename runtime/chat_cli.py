"""`todo-agent chat`: the assistant in a terminal, over the same HTTP API every client uses.

Log in once: the token and the conversation are kept in DATA_DIR/chat-session.json (mode 0600,
it holds a credential), so the next `chat` continues where the last one stopped. When the token
has expired, it asks for the password again and goes on in the same conversation.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import httpx

SESSION_FILE = "chat-session.json"
HELP = "/new starts a new conversation, /logout forgets the login, /quit (or Ctrl-D) leaves."


class ChatError(RuntimeError):
    """Something the person has to fix (wrong password, API unreachable)."""


@dataclass
class Session:
    url: str
    email: str
    access_token: str
    expires_at: float
    conversation_id: str | None = None


@dataclass(frozen=True, slots=True)
class Reply:
    text: str
    # Quick replies of a question: (label, the message that answers with it).
    options: list[tuple[str, str]] = field(default_factory=list)


def session_path(data_dir: Path) -> Path:
    return data_dir / SESSION_FILE


def load_session(path: Path, url: str) -> Session | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        session = Session(**data)
    except (OSError, ValueError, TypeError):
        return None
    return session if session.url == url else None  # a login is for one server


def save_session(path: Path, session: Session) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    # Created 0600 from the start: the token is never readable by others, not even briefly.
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(asdict(session), f)
    os.chmod(tmp, 0o600)  # an older file of the same name may have had other bits
    tmp.replace(path)


def local_timezone() -> str:
    """This machine's IANA zone: TZ, else where /etc/localtime points, else UTC."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    with contextlib.suppress(OSError):
        target = os.path.realpath("/etc/localtime")
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    for name in candidates:
        if not name:
            continue
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            continue
        return name
    return "UTC"


def local_language() -> str:
    """The reply language the locale asks for: Urdu for ur_*, else English."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if value := os.environ.get(var):
            return "ur" if value.lower().startswith("ur") else "en"
    return "en"


def utf8_streams() -> None:
    """Urdu must print and read as Urdu even where the locale says ASCII (LANG=C, some SSH)."""
    for stream in (sys.stdin, sys.stdout, sys.stderr):
        if (stream.encoding or "").lower().replace("-", "") != "utf8":
            with contextlib.suppress(AttributeError, ValueError):
                stream.reconfigure(encoding="utf-8", errors="replace")  # type: ignore[union-attr]


def _problem(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return f"HTTP {response.status_code}"
    return str(body.get("detail") or body.get("title") or f"HTTP {response.status_code}")


class ChatClient:
    def __init__(
        self,
        http: httpx.Client,
        path: Path,
        *,
        email: str | None,
        password: str | None,
    ) -> None:
        self.http, self.path = http, path
        self.email, self.password = email, password
        self.session = load_session(path, str(http.base_url))

    # -- login ---------------------------------------------------------------------------------

    def _ask_password(self) -> str:
        if self.password is not None:
            return self.password
        if not sys.stdin.isatty():
            raise ChatError("not logged in: set TODO_AGENT_PASSWORD or run `chat` in a terminal")
        return getpass.getpass("password: ")

    def _ask_email(self) -> str:
        if self.email:
            return self.email
        if self.session is not None:
            return self.session.email
        if not sys.stdin.isatty():
            raise ChatError("not logged in: give --email (and TODO_AGENT_PASSWORD)")
        return input("email: ").strip()

    def login(self) -> Session:
        email = self._ask_email()
        body = {"email": email, "password": self._ask_password()}
        try:
            r = self.http.post("/v1/auth/login", json=body)
        except httpx.HTTPError as exc:
            raise ChatError(f"cannot reach {self.http.base_url}: {exc}") from exc
        if r.status_code != 200:
            raise ChatError(f"login failed: {_problem(r)}")
        token = r.json()
        keep = (
            self.session.conversation_id if self.session and self.session.email == email else None
        )
        self.session = Session(
            url=str(self.http.base_url),
            email=email,
            access_token=token["access_token"],
            expires_at=time.time() + float(token["expires_in"]),
            conversation_id=keep,
        )
        save_session(self.path, self.session)
        return self.session

    def register(self, *, timezone: str, locale: str) -> Session:
        """Create the account (time zone and language as this machine has them), then log in."""
        email = self._ask_email()
        password = self._ask_password()
        if self.password is None and getpass.getpass("password again: ") != password:
            raise ChatError("the two passwords differ")
        self.password = password  # asked once: the login that follows uses it
        body = {"email": email, "password": password, "timezone": timezone, "locale": locale}
        try:
            r = self.http.post("/v1/auth/register", json=body)
        except httpx.HTTPError as exc:
            raise ChatError(f"cannot reach {self.http.base_url}: {exc}") from exc
        if r.status_code != 201:
            raise ChatError(f"registration failed: {_problem(r)}")
        self.email = email
        return self.login()

    def logged_in(self) -> Session:
        # A minute's margin: a token that expires mid-turn would cost the turn.
        if self.session is None or self.session.expires_at < time.time() + 60:
            return self.login()
        return self.session

    def logout(self) -> None:
        self.session = None
        self.path.unlink(missing_ok=True)

    # -- turns ---------------------------------------------------------------------------------

    def new_conversation(self) -> None:
        session = self.logged_in()
        session.conversation_id = None
        save_session(self.path, session)

    def say(self, message: str) -> Reply:
        session = self.logged_in()
        response = self._post(session, message)
        if response.status_code == 401:  # revoked or rotated secret: log in again, once
            session = self.login()
            response = self._post(session, message)
        if response.status_code == 404 and session.conversation_id is not None:
            session.conversation_id = None  # forgotten elsewhere: start a new one
            response = self._post(session, message)
        if response.status_code != 200:
            raise ChatError(_problem(response))
        reply: dict[str, Any] = response.json()
        if session.conversation_id != reply["conversation_id"]:
            session.conversation_id = reply["conversation_id"]
            save_session(self.path, session)
        question = reply.get("question") or {}
        options = [
            (str(o["label"]), str(o["value"]))
            for o in question.get("options") or []
            if isinstance(o, dict) and "label" in o and "value" in o
        ]
        return Reply(str(reply["reply"]), options)

    def _post(self, session: Session, message: str) -> httpx.Response:
        body: dict[str, Any] = {"message": message}
        if session.conversation_id:
            body["conversation_id"] = session.conversation_id
        try:
            return self.http.post(
                "/v1/chat",
                json=body,
                headers={"Authorization": f"Bearer {session.access_token}"},
            )
        except httpx.HTTPError as exc:
            raise ChatError(f"cannot reach {self.http.base_url}: {exc}") from exc


def run(
    url: str,
    data_dir: Path,
    *,
    email: str | None = None,
    password: str | None = None,
    new: bool = False,
    register: bool = False,
) -> int:
    utf8_streams()
    interactive = sys.stdin.isatty()
    out = sys.stdout
    with httpx.Client(base_url=url, timeout=60) as http:
        client = ChatClient(http, session_path(data_dir), email=email, password=password)
        try:
            if register:
                client.register(timezone=local_timezone(), locale=local_language())
            session = client.logged_in()
            if new:
                client.new_conversation()
            if interactive:
                with contextlib.suppress(ImportError):
                    import readline  # noqa: F401  (line editing and history for input())
                where = "a new conversation" if not session.conversation_id else "your conversation"
                print(f"todo-agent at {url}, {session.email}: {where}. {HELP}", file=out)
            options: list[tuple[str, str]] = []
            while True:
                try:
                    line = input("you> " if interactive else "")
                except EOFError:
                    break
                message = line.strip()
                if message.isdigit() and 1 <= int(message) <= len(options):
                    message = options[int(message) - 1][1]  # a quick reply chosen by number
                if not message:
                    continue
                if message in ("/quit", "/exit"):
                    break
                if message == "/help":
                    print(HELP, file=out)
                    continue
                if message == "/new":
                    client.new_conversation()
                    print("(a new conversation)", file=out)
                    continue
                if message == "/logout":
                    client.logout()
                    print("(logged out)", file=out)
                    break
                try:
                    reply = client.say(message)
                except ChatError as exc:
                    print(f"! {exc}", file=sys.stderr)
                    continue
                options = reply.options
                print(f"todo> {reply.text}" if interactive else reply.text, file=out)
                for n, (label, _) in enumerate(options, start=1):
                    print(f"  {n}) {label}", file=out)
                out.flush()
        except ChatError as exc:
            print(f"todo-agent chat: {exc}", file=sys.stderr)
            return 1
        except KeyboardInterrupt:
            print(file=out)
    return 0
