"""A local mail sink for `todo-agent up`: reminders work out of the box without an SMTP server.

When SMTP_HOST is not configured, `up` runs this SMTP server on loopback and points the
notification consumer at it. Every message lands in a Maildir under DATA_DIR (`mail/`), so it
survives restarts and any mail client or `todo-agent mail` can read it. Nothing is relayed on.
"""

from __future__ import annotations

import mailbox
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.header import decode_header, make_header
from email.message import Message
from pathlib import Path

MAILDIR = "mail"


def maildir_path(data_dir: Path) -> Path:
    return data_dir.resolve() / MAILDIR


@dataclass
class MailSink:
    """aiosmtpd on 127.0.0.1:`port`, writing each message to the Maildir of `data_dir`."""

    data_dir: Path
    port: int
    _controller: object | None = field(default=None, init=False)

    def start(self) -> None:
        from aiosmtpd.controller import Controller
        from aiosmtpd.handlers import Mailbox

        path = maildir_path(self.data_dir)
        path.parent.mkdir(parents=True, exist_ok=True)
        controller = Controller(Mailbox(path), hostname="127.0.0.1", port=self.port)
        controller.start()  # its own thread; returns once the server accepts connections
        self._controller = controller

    def stop(self) -> None:
        controller, self._controller = self._controller, None
        if controller is not None:
            controller.stop()  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class Mail:
    received: datetime
    to: str
    subject: str
    body: str


def _header(value: str | None) -> str:
    # Urdu subjects arrive RFC 2047-encoded: decode them for the terminal.
    return str(make_header(decode_header(value))) if value else ""


def _body(message: Message) -> str:
    part = message
    if message.is_multipart():
        part = next((p for p in message.walk() if p.get_content_type() == "text/plain"), message)
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    return payload.decode(part.get_content_charset() or "utf-8", errors="replace").strip()


def read_mail(data_dir: Path) -> Iterator[Mail]:
    """Every message the sink kept, oldest first."""
    path = maildir_path(data_dir)
    if not path.exists():
        return
    box = mailbox.Maildir(str(path), create=False)
    mails = [
        # Maildir keeps the delivery time (the reminder's own mail carries no Date header).
        Mail(
            datetime.fromtimestamp(message.get_date(), UTC),
            _header(message["To"]),
            _header(message["Subject"]),
            _body(message),
        )
        for message in box
    ]
    yield from sorted(mails, key=lambda m: m.received)
