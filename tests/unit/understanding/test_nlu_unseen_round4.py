"""Fourth round: the frozen blind set scores, and each new general rule on phrasings of its own."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from nlu_support import CTX, KARACHI, d, parse, t

from evals.blind import score
from skills.understanding import (
    Intent,
    ParseContext,
    Parts,
    ReminderSpec,
    TaskRef,
    assemble,
)
from skills.understanding.roman import is_roman_urdu

# --- the blind round, frozen before the work (evals/blind/round4.jsonl) ---------------------


@pytest.mark.parametrize("language", ["en", "ur", "ur-Latn"])
def test_blind_round_4_is_at_least_95_percent_exact(language: str) -> None:
    cell = score("round4")[language]
    assert cell.total >= 50
    assert cell.ratio >= 0.95, "\n".join(cell.failures)


# --- one assembler ------------------------------------------------------------------------


def test_the_assembler_asks_when_a_reminder_has_no_moment() -> None:
    parts = Parts(Intent.CREATE_TASK, 0.9, "en", title="call mom", remind_at_due=True)
    assert assemble(parts).missing == ["when"]
    parts.due_date = d(3, 14)
    u = assemble(parts)
    assert (u.missing, u.reminder) == ([], ReminderSpec(offset_minutes=0))


def test_the_assembler_names_what_a_targeted_command_lacks() -> None:
    assert assemble(Parts(Intent.SET_REMINDER, 0.9, "ur")).missing == ["target", "when"]
    update = Parts(Intent.UPDATE_TASK, 0.9, "en", target=TaskRef(pronoun=True))
    assert assemble(update).missing == ["changes"]
    update.shift_minutes = 60
    assert assemble(update).missing == []


def test_both_backends_assemble_the_same_understanding() -> None:
    from skills.understanding.ollama import Spans
    from skills.understanding.spans import parts_from_spans

    text = "remind me to call mom tomorrow at 5"
    spans = Spans(
        intent="create_task", confidence=0.9, title="call mom", date_phrase="tomorrow",
        time_phrase="at 5", remind_at_due=True,
    )  # fmt: skip
    assert assemble(parts_from_spans(spans, text, CTX)) == parse(text)


# --- reminders that fire ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "title", "due"),
    [
        ("tomorrow at 9 remind me to call the bank", "call the bank", (d(3, 14), t(9))),
        ("in 45 minutes, remind me to move the car", "move the car", (d(3, 13), t(10, 45))),
        ("tell me to stretch at 3pm", "stretch", (d(3, 13), t(15))),
        ("don't let me forget my keys tonight", "my keys", (d(3, 13), t(21))),
    ],
)
def test_remind_me_always_sets_a_reminder(text: str, title: str, due: tuple) -> None:
    u = parse(text)
    assert u.intent is Intent.CREATE_TASK
    assert u.task.title == title
    assert (u.task.due_date, u.task.due_time) == due
    assert u.reminder == ReminderSpec(offset_minutes=0)


def test_in_one_minute_rounds_up_to_the_next_whole_minute() -> None:
    ctx = ParseContext(
        now=datetime(2026, 3, 13, 10, 0, 44, tzinfo=ZoneInfo(KARACHI)), timezone=KARACHI
    )
    u = parse("remind me in 1 minute to turn off the tap", ctx)
    assert (u.task.due_date, u.task.due_time) == (d(3, 13), t(10, 2))


def test_a_dated_reminder_for_something_is_that_thing_with_a_reminder() -> None:
    u = parse("add a reminder for the parent teacher meeting on tuesday at 4")
    assert u.intent is Intent.CREATE_TASK
    assert (u.task.title, u.task.due_date, u.task.due_time) == (
        "parent teacher meeting", d(3, 17), t(16),
    )  # fmt: skip
    undated = parse("set a reminder for the parent teacher meeting")
    assert undated.intent is Intent.SET_REMINDER
    assert undated.missing == ["when"]


# --- spoken phrasings ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("submit the timesheet by end of the working day", (d(3, 13), t(17))),
        ("COB monday send the contract", (d(3, 16), t(17))),
        ("رپورٹ آج دن کے آخر تک بھیجنا", (d(3, 13), t(17))),
    ],
)
def test_end_of_day_is_five_pm(text: str, due: tuple) -> None:
    u = parse(text)
    assert (u.task.due_date, u.task.due_time) == due


@pytest.mark.parametrize(
    ("text", "rrule"),
    [
        ("eye drops four times a day", "FREQ=DAILY;BYHOUR=9,13,17,21;BYMINUTE=0"),
        ("روزانہ تین بار ورزش", "FREQ=DAILY;BYHOUR=9,15,21;BYMINUTE=0"),
        ("yoga every day except saturday and sunday", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),
        ("ہر روز جمعہ کے علاوہ قرآن پڑھنا", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,SA,SU"),
        ("backup every month end", "FREQ=MONTHLY;BYMONTHDAY=-1"),
    ],
)
def test_new_repetitions(text: str, rrule: str) -> None:
    rec = parse(text).recurrence
    assert rec is not None
    assert rec.rrule == rrule


@pytest.mark.parametrize(
    ("text", "title", "tags"),
    [
        ("add a dozen eggs to the shopping list", "a dozen eggs", ["shopping"]),
        (
            "put batteries on my hardware store list #urgent",
            "batteries",
            ["hardware-store", "urgent"],
        ),
        ("add pay the maid to my to-do list", "pay the maid", []),
        ("اپنی دوائیوں کی فہرست میں پیناڈول شامل کرو", "پیناڈول", ["دوائیوں"]),
    ],
)
def test_a_named_list_is_a_tag(text: str, title: str, tags: list[str]) -> None:
    u = parse(text)
    assert u.intent is Intent.CREATE_TASK
    assert (u.task.title, u.task.tags) == (title, tags)


def test_removing_from_a_list_names_the_task_only() -> None:
    u = parse("remove milk from my shopping list")
    assert u.intent is Intent.DELETE_TASK
    assert u.target == TaskRef(text="milk")


@pytest.mark.parametrize(
    ("text", "target", "shift"),
    [
        ("move it up by an hour", TaskRef(pronoun=True), -60),
        ("bring the call forward by 30 minutes", TaskRef(text="call"), -30),
        ("push the gym back by 2 hours", TaskRef(text="gym"), 120),
        ("جم والے کام کو ایک دن آگے کر دو", TaskRef(text="جم"), 1440),
    ],
)
def test_shifting_a_task_by_an_amount(text: str, target: TaskRef, shift: int) -> None:
    u = parse(text)
    assert u.intent is Intent.UPDATE_TASK
    assert u.target == target
    assert u.task.shift_minutes == shift
    assert u.task.due_date is None


# --- Roman Urdu -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "title", "due"),
    [
        ("kl subha 9 bje Doctor Sahab ke pas jana h", "Doctor Sahab ke pas jana", (d(3, 14), t(9))),
        (
            "parso sham 6 bajay mama ko airport se lena",
            "mama ko airport se lena",
            (d(3, 15), t(18)),
        ),
        ("aj raat sarhe 10 baje kapre dhone hain", "kapre dhone", (d(3, 13), t(22, 30))),
    ],
)
def test_roman_urdu_spelling_variants_keep_the_typed_title(
    text: str, title: str, due: tuple
) -> None:
    u = parse(text)
    assert u.language == "ur-Latn"
    assert u.intent is Intent.CREATE_TASK
    assert u.task.title == title
    assert (u.task.due_date, u.task.due_time) == due


def test_roman_urdu_reminders_and_targets() -> None:
    u = parse("mujhe 10 minute baad chai ka yad dilao")
    assert (u.intent, u.reminder, u.task.due_time) == (
        Intent.CREATE_TASK, ReminderSpec(offset_minutes=0), t(10, 10),
    )  # fmt: skip
    done = parse("Bank wala kaam khatam ho gaya")
    assert (done.intent, done.target) == (Intent.COMPLETE_TASK, TaskRef(text="Bank"))


@pytest.mark.parametrize(
    "text",
    ["do the dishes tonight", "meet Lena at the bar", "peer review on monday", "set the table"],
)
def test_english_is_not_mistaken_for_roman_urdu(text: str) -> None:
    assert not is_roman_urdu(text)
    assert parse(text).language == "en"


# --- date words never stay in a title ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "title", "due"),
    [
        ("pay rent on the first", "pay rent", d(4, 1)),
        ("pay rent on the 1st of next month", "pay rent", d(4, 1)),
        ("submit taxes by the fifteenth", "submit taxes", d(3, 15)),
        ("renew the lease on the twenty-first of june", "renew the lease", d(6, 21)),
    ],
)
def test_days_of_the_month_in_words_and_of_next_month(text: str, title: str, due) -> None:
    u = parse(text)
    assert (u.task.title, u.task.due_date) == (title, due)


@pytest.mark.parametrize("text", ["watch the first episode", "buy a second phone"])
def test_an_ordinal_without_a_date_word_stays_in_the_title(text: str) -> None:
    u = parse(text)
    assert (u.task.title, u.task.due_date) == (text, None)


@pytest.mark.parametrize(
    ("text", "title", "due"),
    [
        ("اگلے مہینے کی 5 تاریخ کو بل جمع کرانا", "بل جمع کرانا", d(4, 5)),
        ("agle mahine ki 10 tareekh ko fees bharni hai", "fees bharni", d(4, 10)),
        ("zara kal dhobi ko kapre dena", "dhobi ko kapre dena", d(3, 14)),
    ],
)
def test_urdu_day_of_next_month_and_a_polite_opener(text: str, title: str, due) -> None:
    u = parse(text)
    assert (u.task.title, u.task.due_date) == (title, due)


@pytest.mark.parametrize(
    ("text", "tag"), [("shopping list dikhao", "shopping"), ("شاپنگ لسٹ دکھاؤ", "شاپنگ")]
)
def test_showing_a_named_list_is_a_query_on_its_tag(text: str, tag: str) -> None:
    u = parse(text)
    assert u.intent is Intent.QUERY_TASKS
    assert u.query is not None
    assert u.query.tag == tag


@pytest.mark.parametrize(
    ("text", "title", "due"),
    [
        ("alexa, remind me to take out the trash at 8pm", "take out the trash", (d(3, 13), t(20))),
        (
            "remind me on monday morning to submit the expenses",
            "submit the expenses",
            (d(3, 16), t(9)),
        ),
        ("set an alarm for 6am", "alarm", (d(3, 14), t(6))),
    ],
)
def test_voice_assistant_phrasings_set_reminders(text: str, title: str, due: tuple) -> None:
    u = parse(text)
    assert u.intent is Intent.CREATE_TASK
    assert (u.task.title, (u.task.due_date, u.task.due_time)) == (title, due)
    assert u.reminder == ReminderSpec(offset_minutes=0)


@pytest.mark.parametrize(
    ("text", "shift"),
    [("move the meeting with sara an hour later", 60), ("snooze it for 10 minutes", 10)],
)
def test_later_and_snooze_shift_the_task(text: str, shift: int) -> None:
    assert parse(text).task.shift_minutes == shift


def test_for_without_a_deferring_verb_is_not_a_shift() -> None:
    assert parse("move it for the team").task.shift_minutes is None


@pytest.mark.parametrize(
    ("text", "shift"),
    [
        ("اس کو 1 گھنٹہ پہلے کر دو", -60),
        ("رپورٹ والا کام ایک دن پیچھے کر دو", 1440),
        ("report wala kaam ek din peeche kar do", 1440),
        ("میٹنگ کو آدھا گھنٹہ بعد کر دو", 30),
    ],
)
def test_urdu_earlier_and_later_by_an_amount(text: str, shift: int) -> None:
    u = parse(text)
    assert u.intent is Intent.UPDATE_TASK
    assert u.task.shift_minutes == shift


@pytest.mark.parametrize(
    ("text", "title", "due"),
    [
        ("next week dentist appointment hai", "dentist appointment", (d(3, 16), None)),
        ("tomorrow shaam 5 baje gym", "gym", (d(3, 14), t(17))),
        ("mujhe kal yaad karwana ke passport lena hai", "passport lena", (d(3, 14), None)),
    ],
)
def test_roman_urdu_with_english_words_and_a_final_verb(text: str, title: str, due: tuple) -> None:
    u = parse(text)
    assert u.language == "ur-Latn"
    assert (u.task.title, (u.task.due_date, u.task.due_time)) == (title, due)


def test_roman_hogaya_completes() -> None:
    u = parse("report wala kaam hogaya")
    assert (u.intent, u.target) == (Intent.COMPLETE_TASK, TaskRef(text="report"))


@pytest.mark.parametrize("text", ["buy milk tomorrow morning", "relax every weekend"])
def test_english_time_words_alone_do_not_make_roman_urdu(text: str) -> None:
    assert parse(text).language == "en"
