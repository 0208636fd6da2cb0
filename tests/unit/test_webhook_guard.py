"""A user's webhook URL cannot reach into our own network (SSRF), unless allowed."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import httpx
import pytest

from consumers.notification.channels import ChannelError, Recipient, WebhookChannel
from consumers.notification.schedule import DueReminder

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
REMINDER = DueReminder(uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), "t", None, NOW, None, NOW)


def _to(url: str) -> Recipient:
    return Recipient(uuid.uuid4(), "a@example.com", "UTC", "en", ("webhook",), url)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/hook",
        "http://localhost/hook",
        "http://10.0.0.5/hook",
        "http://169.254.169.254/latest/meta-data/",  # cloud metadata
        "http://[::1]:8080/hook",
        "https://192.168.1.10/hook",
    ],
)
async def test_non_public_addresses_are_refused_before_any_request(url: str) -> None:
    sent: list[httpx.Request] = []
    client = httpx.AsyncClient(transport=httpx.MockTransport(lambda r: sent.append(r)))
    with pytest.raises(ChannelError, match="not a public address"):
        await WebhookChannel(client).send(REMINDER, _to(url))
    assert sent == []


async def test_allowed_private_networks_are_posted_to() -> None:
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200)

    client = httpx.AsyncClient(transport=httpx.MockTransport(answer))
    await WebhookChannel(client, allow_private=True).send(REMINDER, _to("http://127.0.0.1:9/h"))
    assert [r.url.host for r in sent] == ["127.0.0.1"]
