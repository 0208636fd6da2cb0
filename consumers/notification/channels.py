"""Where a reminder goes outside the system: e-mail (SMTP) and a webhook.

Each channel raises ChannelError on failure; the deliverer retries it with backoff. The in-app
channel is the `reminder.fired` event, written with the delivery's outcome (see scheduler.py).
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from typing import Protocol

import aiosmtplib
import httpx
import pendulum

from consumers.notification.schedule import DueReminder
from core.settings import Settings


@dataclass(frozen=True, slots=True)
class Recipient:
    user_id: uuid.UUID
    email: str
    timezone: str
    locale: str
    channels: tuple[str, ...]
    webhook_url: str | None


# (subject prefix, due label) per account language.
_WORDS = {
    "en": ("Reminder", "Due"),
    "ur": ("یاد دہانی", "آخری وقت"),
    "ur-Latn": ("Yaad dehani", "Aakhri waqt"),
}


class ChannelError(Exception):
    """The channel did not take the reminder."""


class Channel(Protocol):
    name: str

    async def send(self, reminder: DueReminder, to: Recipient) -> None: ...


# A title is free text; a header is one line. CR/LF in a header value is refused by the email
# package (it would be header injection), so every control character becomes a space.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
SUBJECT_TITLE_MAX = 120


def subject_title(title: str) -> str:
    """The title as a one-line header value: whitespace folded, long ones cut with an ellipsis."""
    line = " ".join(_CONTROL.sub(" ", title).split())
    if len(line) <= SUBJECT_TITLE_MAX:
        return line
    return line[: SUBJECT_TITLE_MAX - 1].rstrip() + "…"


def _local(when: datetime | None, tz: str) -> str | None:
    if when is None:
        return None
    return pendulum.instance(when).in_timezone(tz).format("ddd D MMM YYYY, HH:mm zz")


class EmailChannel:
    name = "email"

    def __init__(self, settings: Settings, timeout_s: float) -> None:
        self.settings = settings
        self.timeout_s = timeout_s

    def message(self, reminder: DueReminder, to: Recipient) -> EmailMessage:
        due = _local(reminder.due, to.timezone)
        title = subject_title(reminder.title)
        msg = EmailMessage()
        msg["From"] = self.settings.smtp_from
        msg["To"] = to.email
        subject, due_label = _WORDS.get(to.locale, _WORDS["en"])
        msg["Subject"] = f"{subject}: {title}"
        body = reminder.title + (f"\n{due_label}: {due}" if due else "")
        # The same id on a resend lets a mail client fold a duplicate (delivery is at-least-once).
        msg["Message-ID"] = f"<{reminder.reminder_id}@todo-agent>"
        msg["X-Todo-Reminder-Id"] = str(reminder.reminder_id)
        msg["X-Todo-Task-Id"] = str(reminder.task_id)
        msg.set_content(body)
        return msg

    async def send(self, reminder: DueReminder, to: Recipient) -> None:
        s = self.settings
        try:
            await aiosmtplib.send(
                self.message(reminder, to),
                hostname=s.smtp_host,
                port=s.smtp_port,
                username=s.smtp_username,
                password=s.smtp_password.get_secret_value() if s.smtp_password else None,
                start_tls=s.smtp_starttls,
                timeout=self.timeout_s,
            )
        except (aiosmtplib.SMTPException, OSError) as exc:
            raise ChannelError(f"SMTP: {exc}") from exc


async def _public_only(url: str) -> None:
    """Refuse a webhook whose host resolves to a loopback, private, link-local or otherwise
    non-public address: a user-chosen URL must not reach into our own network (SSRF)."""
    parts = httpx.URL(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(parts.host, port)
    except OSError as exc:
        raise ChannelError(f"webhook: cannot resolve {parts.host}: {exc}") from exc
    for *_, sockaddr in infos:
        address = ipaddress.ip_address(sockaddr[0])
        if not address.is_global:
            raise ChannelError(
                f"webhook: {parts.host} resolves to {address}, which is not a public address"
            )


class WebhookChannel:
    name = "webhook"

    def __init__(self, client: httpx.AsyncClient, *, allow_private: bool = False) -> None:
        self.client = client
        # Only for tests and closed networks (CONSUMER_WEBHOOK_ALLOW_PRIVATE_NETWORKS).
        self.allow_private = allow_private

    async def send(self, reminder: DueReminder, to: Recipient) -> None:
        if not to.webhook_url:
            raise ChannelError("webhook channel chosen but no webhook_url set")
        if not self.allow_private:
            # Checked at each send, not when the URL is saved: DNS answers change. (A host that
            # changes its answer between this check and the connection is not caught.)
            await _public_only(to.webhook_url)
        payload = {
            "type": "reminder",
            "reminder_id": str(reminder.reminder_id),
            "task_id": str(reminder.task_id),
            "title": reminder.title,
            "due": reminder.due.isoformat() if reminder.due else None,
            "fire_at": reminder.fire_at.isoformat(),
        }
        try:
            response = await self.client.post(
                to.webhook_url,
                json=payload,
                headers={"X-Todo-Reminder-Id": str(reminder.reminder_id)},
            )
        except httpx.HTTPError as exc:
            raise ChannelError(f"webhook: {exc!r}") from exc
        if not response.is_success:
            raise ChannelError(f"webhook answered {response.status_code}")
