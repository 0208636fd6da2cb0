"""The e-mail Subject is one header-safe line whatever the task title holds."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from consumers.notification.channels import (
    SUBJECT_TITLE_MAX,
    EmailChannel,
    Recipient,
    subject_title,
)
from consumers.notification.schedule import DueReminder
from core.settings import Settings


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Pay rent", "Pay rent"),
        ("Pay\nrent", "Pay rent"),
        ("Pay\r\nrent\r", "Pay rent"),
        ("  Pay \t rent\x00now\x7f ", "Pay rent now"),
        ("Pay\u2028rent", "Pay rent"),
    ],
)
def test_whitespace_and_control_characters_fold_to_single_spaces(title: str, expected: str) -> None:
    assert subject_title(title) == expected


def test_a_long_title_is_cut_with_an_ellipsis() -> None:
    line = subject_title("word " * 200)
    assert len(line) == SUBJECT_TITLE_MAX
    assert line.endswith("…")
    assert subject_title("x" * SUBJECT_TITLE_MAX) == "x" * SUBJECT_TITLE_MAX


@pytest.mark.parametrize("locale", ["en", "ur", "ur-Latn"])
def test_a_title_with_line_breaks_makes_a_valid_message(locale: str) -> None:
    now = datetime(2026, 5, 1, 9, tzinfo=UTC)
    reminder = DueReminder(
        uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), "Pay\r\nrent\nBcc: x@y.z", now, now, None, now
    )
    to = Recipient(reminder.user_id, "a@example.com", "Asia/Karachi", locale, ("email",), None)
    channel = EmailChannel(Settings(_env_file=None), timeout_s=1)  # type: ignore[call-arg]
    msg = channel.message(reminder, to)
    assert msg["Subject"].endswith("Pay rent Bcc: x@y.z")
    assert msg["Bcc"] is None
    assert "Pay\nrent" in msg.get_content()  # the body keeps the lines


@pytest.mark.parametrize(
    ("locale", "subject", "due"),
    [("en", "Reminder: ", "Due: "), ("ur", "یاد دہانی: ", "آخری وقت: "),
     ("ur-Latn", "Yaad dehani: ", "Aakhri waqt: ")],
)  # fmt: skip
def test_the_message_is_worded_in_the_account_language(locale: str, subject: str, due: str) -> None:
    now = datetime(2026, 5, 1, 9, tzinfo=UTC)
    ids = (uuid.uuid4(), uuid.uuid4(), uuid.uuid4())
    reminder = DueReminder(*ids, "doodh lena", now, now, None, now)
    to = Recipient(reminder.user_id, "a@example.com", "Asia/Karachi", locale, ("email",), None)
    msg = EmailChannel(Settings(_env_file=None), timeout_s=1).message(reminder, to)  # type: ignore[call-arg]
    assert msg["Subject"] == subject + "doodh lena"
    assert due in msg.get_content()
