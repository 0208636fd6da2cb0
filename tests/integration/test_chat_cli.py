"""`todo-agent chat` as a process against the session's API: it logs in once and keeps the token
(a 0600 file) and the conversation for the next run, and prints Urdu as Urdu even under an
ASCII locale."""

from __future__ import annotations

import asyncio
import json
import os
import stat
import sys
import tempfile
import uuid
from pathlib import Path

import httpx

from tests.conftest import register

PASSWORD = "correct horse battery"  # what tests.conftest.register sets


# An ASCII terminal: the C locale without Python's UTF-8 coercion (a minimal SSH session).
ASCII = {"LC_ALL": "C", "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0"}


async def _chat(api_url: str, data_dir: Path, lines: str, **env: str) -> tuple[int, str, str]:
    inherited = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG", "PYTHON"))}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "runtime", "chat", "--url", api_url, *env.pop("args", "").split(),
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={**inherited, **ASCII, "DATA_DIR": str(data_dir), "LOG_LEVEL": "WARNING", **env},
    )  # fmt: skip
    out, err = await asyncio.wait_for(process.communicate(lines.encode()), 60)
    assert process.returncode is not None
    return process.returncode, out.decode("utf-8"), err.decode("utf-8")


async def test_chat_logs_in_once_keeps_the_conversation_and_prints_urdu(
    http: httpx.AsyncClient, api_url: str
) -> None:
    user = await register(http, timezone="Asia/Karachi")
    with tempfile.TemporaryDirectory(prefix="tdchat") as tmp:
        data_dir = Path(tmp)
        code, out, err = await _chat(
            api_url, data_dir, "buy milk tomorrow at 5pm\n",
            args=f"--email {user.email}", TODO_AGENT_PASSWORD=PASSWORD,
        )  # fmt: skip
        assert code == 0, err
        assert "buy milk" in out
        saved = data_dir / "chat-session.json"
        assert stat.S_IMODE(saved.stat().st_mode) == 0o600
        session = json.loads(saved.read_text())
        assert session["email"] == user.email
        assert session["conversation_id"]

        # No password, no email this time: the saved login and conversation are used.
        code, out, err = await _chat(api_url, data_dir, "کل شام 5 بجے دودھ خریدنا\n")
        assert code == 0, err
        assert "دودھ" in out  # Urdu printed as Urdu, though the locale is C
        conversations = (await user.request("GET", "/v1/conversations")).json()
        assert [c["id"] for c in conversations] == [session["conversation_id"]]
        titles = {t["title"] for t in (await user.request("GET", "/v1/tasks")).json()["items"]}
        assert titles == {"buy milk", "دودھ خریدنا"}

        # A token that was revoked (here: forged) means logging in again, in the same conversation.
        session["access_token"] = "not-a-token"
        saved.write_text(json.dumps(session))
        code, out, err = await _chat(
            api_url, data_dir, "show my tasks\n", TODO_AGENT_PASSWORD=PASSWORD
        )
        assert code == 0, err
        assert "buy milk" in out
        again = json.loads(saved.read_text())
        assert again["access_token"] != "not-a-token"
        assert again["conversation_id"] == session["conversation_id"]
        assert stat.S_IMODE(saved.stat().st_mode) == 0o600

        # A wrong password is a clear message and a non-zero exit, never a traceback.
        saved.unlink()
        code, out, err = await _chat(
            api_url, data_dir, "hello\n", args=f"--email {user.email}",
            TODO_AGENT_PASSWORD="not it",
        )  # fmt: skip
        assert code == 1
        assert "login failed: The email or password is wrong." in err
        assert "Traceback" not in err
        assert not saved.exists()


async def test_chat_registers_a_new_account_in_this_machines_zone_and_language(
    http: httpx.AsyncClient, api_url: str
) -> None:
    email = f"new{uuid.uuid4().hex[:10]}@example.com"
    with tempfile.TemporaryDirectory(prefix="tdreg") as tmp:
        code, out, err = await _chat(
            api_url, Path(tmp), "show my tasks\n", args=f"--register --email {email}",
            TODO_AGENT_PASSWORD=PASSWORD, TZ="Asia/Karachi", LC_ALL="ur_PK.UTF-8",
        )  # fmt: skip
        assert code == 0, err
        assert out.strip()  # the assistant answered the first message
        token = json.loads((Path(tmp) / "chat-session.json").read_text())["access_token"]
    me = await http.get("/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert (me.json()["email"], me.json()["timezone"], me.json()["locale"]) == (
        email,
        "Asia/Karachi",
        "ur",
    )
    # The same address again is a clear refusal, not a traceback.
    with tempfile.TemporaryDirectory(prefix="tdreg") as tmp:
        code, _, err = await _chat(
            api_url, Path(tmp), "", args=f"--register --email {email}",
            TODO_AGENT_PASSWORD=PASSWORD,
        )  # fmt: skip
    assert code == 1
    assert "registration failed" in err
    assert "Traceback" not in err
