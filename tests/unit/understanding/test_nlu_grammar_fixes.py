"""Grammar fixes found in chat tests: each rule with phrasings of its own, English and Urdu."""

from __future__ import annotations

import pytest
from nlu_support import d, parse, t

from skills.understanding import Intent, TaskRef

# --- 0. articles are whole words -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("add anna's farewell card", "anna's farewell card"),
        ("add an orange juice run", "orange juice run"),
        ("create a anniversary dinner booking", "anniversary dinner booking"),
        ("add the theater tickets", "theater tickets"),
        ("new another batch of cookies", "batch of cookies"),
        ("add thesis draft", "thesis draft"),
        ("create onesie for the baby", "onesie for the baby"),
        ("add a apricot jam", "apricot jam"),
    ],
)
def test_articles_only_as_whole_words(text: str, title: str) -> None:
    u = parse(text)
    assert u.intent is Intent.CREATE_TASK
    assert u.task.title == title


@pytest.mark.parametrize("text", ["add notebook refills", "add tagliatelle to groceries"])
def test_tag_and_note_words_need_a_word_boundary(text: str) -> None:
    u = parse(text)
    assert u.intent is Intent.CREATE_TASK
    assert u.task.title
    assert u.task.title.split()[0] in ("notebook", "tagliatelle")


# --- 1. an Urdu command verb followed by priority, tags, counts or a moment -----------------


@pytest.mark.parametrize(
    ("text", "title", "priority", "tags", "due"),
    [
        ("گاڑی کا ٹیکس ادا کرنا شامل کرو، بہت اہم", "گاڑی کا ٹیکس ادا کرنا", 1, [], None),
        ("پرسوں دوائی لانا درج کرو، ضروری", "دوائی لانا", 2, [], (d(3, 15), None)),
        ("کتابیں واپس کرنا شامل کر دو #لائبریری p3", "کتابیں واپس کرنا", 3, ["لائبریری"], None),
        ("سبزی خریدنا لکھ لو، غیر اہم #گھر", "سبزی خریدنا", 4, ["گھر"], None),
        ("دودھ لانا شامل کرو کل شام 6 بجے", "دودھ لانا", None, [], (d(3, 14), t(18))),
        ("استری ٹھیک کروانا شامل کریں پلیز، فوری", "استری ٹھیک کروانا", 1, [], None),
    ],
)
def test_urdu_add_verb_before_trailing_modifiers(
    text: str, title: str, priority: int | None, tags: list[str], due: tuple | None
) -> None:
    u = parse(text)
    assert u.intent is Intent.CREATE_TASK
    assert u.task.title == title
    assert u.task.priority == priority
    assert u.task.tags == tags
    if due is not None:
        assert (u.task.due_date, u.task.due_time) == due


def test_urdu_count_after_the_verb_stays_with_the_series() -> None:
    u = parse("ہر بدھ کو تیراکی کی کلاس شامل کرو 4 بار")
    assert u.task.title == "تیراکی کی کلاس"
    assert u.recurrence is not None
    assert u.recurrence.rrule == "FREQ=WEEKLY;BYDAY=WE;COUNT=4"


def test_urdu_remind_verb_before_a_moment() -> None:
    u = parse("ابو کو دوائی دینا یاد دلانا کل صبح 8 بجے")
    assert u.intent is Intent.CREATE_TASK
    assert u.task.title == "ابو کو دوائی دینا"
    assert (u.task.due_date, u.task.due_time) == (d(3, 14), t(8))
    assert u.reminder is not None
    assert u.reminder.offset_minutes == 0


def test_urdu_thanks_after_the_verb() -> None:
    u = parse("بجلی والا کام مکمل کر دو، شکریہ")
    assert u.intent is Intent.COMPLETE_TASK
    assert u.target == TaskRef(text="بجلی")


def test_urdu_priority_after_a_plain_infinitive_is_still_a_todo() -> None:
    u = parse("خط لکھنا مکمل کرنا، فوری")
    assert u.intent is Intent.CREATE_TASK
    assert u.task.title == "خط لکھنا مکمل کرنا"
    assert u.task.priority == 1


# --- 2. ہر ... بعد ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "title", "rrule"),
    [
        ("ہر روز قرآن پڑھنا", "قرآن پڑھنا", "FREQ=DAILY"),
        ("بلی کو کھانا ہر روز دینا", "بلی کو کھانا دینا", "FREQ=DAILY"),
        ("ہر 4 دن بعد بستر کی چادر بدلنا", "بستر کی چادر بدلنا", "FREQ=DAILY;INTERVAL=4"),
        ("ہر 2 دن کے بعد گملوں کو پانی", "گملوں کو پانی", "FREQ=DAILY;INTERVAL=2"),
        ("ہر تین ہفتے بعد ناخن کاٹنا", "ناخن کاٹنا", "FREQ=WEEKLY;INTERVAL=3"),
        ("ہر 6 مہینے بعد دانتوں کا معائنہ", "دانتوں کا معائنہ", "FREQ=MONTHLY;INTERVAL=6"),
    ],
)
def test_urdu_every_n_after(text: str, title: str, rrule: str) -> None:
    u = parse(text)
    assert u.task.title == title
    assert u.recurrence is not None
    assert u.recurrence.rrule == rrule


# --- 3. an add verb is a create even when the message names a date field ---------------------


@pytest.mark.parametrize(
    ("text", "title", "rrule"),
    [
        ("ہر مہینے کی 10 تاریخ کو انٹرنیٹ کا بل شامل کرو", "انٹرنیٹ کا بل", "BYMONTHDAY=10"),
        ("ہر مہینے کی آخری تاریخ کو بجٹ دیکھنا درج کرو", "بجٹ دیکھنا", "BYMONTHDAY=-1"),
        ("ہر 15 تاریخ کو کمیٹی کے پیسے دینا شامل کر دو", "کمیٹی کے پیسے دینا", "BYMONTHDAY=15"),
    ],
)
def test_urdu_monthly_date_with_add_verb_is_create(text: str, title: str, rrule: str) -> None:
    u = parse(text)
    assert u.intent is Intent.CREATE_TASK
    assert u.target is None
    assert u.task.title == title
    assert u.recurrence is not None
    assert rrule in u.recurrence.rrule


def test_urdu_adding_a_tag_to_a_task_is_still_an_update() -> None:
    u = parse("ٹیکس والے کام میں #مالی ٹیگ شامل کرو")
    assert u.intent is Intent.UPDATE_TASK
    assert u.target == TaskRef(text="ٹیکس")
    assert u.task.tags == ["مالی"]


# --- 4. a priority said about a task pointed at ---------------------------------------------


@pytest.mark.parametrize(
    ("text", "target", "priority"),
    [
        ("اسے بہت اہم کر دو", TaskRef(pronoun=True), 1),
        ("اس کو کم اہم کرو", TaskRef(pronoun=True), 4),
        ("یہ والا ضروری کر دیں", TaskRef(pronoun=True), 2),
        ("کرایہ والا کام فوری کر دو", TaskRef(text="کرایہ"), 1),
        ("make that urgent", TaskRef(pronoun=True), 1),
        ("mark the tax return as high priority", TaskRef(text="tax return"), 2),
        ("flag it as important", TaskRef(pronoun=True), 2),
        ("mark the gym plan p4", TaskRef(text="gym plan"), 4),
    ],
)
def test_priority_updates_on_a_reference(text: str, target: TaskRef, priority: int) -> None:
    u = parse(text)
    assert u.intent is Intent.UPDATE_TASK
    assert u.target == target
    assert u.task.priority == priority
    assert u.task.title is None
    assert u.missing == []


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("mark the invoice as done", Intent.COMPLETE_TASK),
        ("mark's farewell tomorrow", Intent.CREATE_TASK),
        ("بجلی کا بل جمع کرنا فوری", Intent.CREATE_TASK),
    ],
)
def test_priority_update_guards(text: str, intent: Intent) -> None:
    assert parse(text).intent is intent


# --- 5. the word for "task" is not a title ----------------------------------------------------


@pytest.mark.parametrize("text", ["ٹاسک شامل کرو", "ایک نیا کام درج کرو", "نیا ٹاسک شامل کر دو"])
def test_urdu_add_a_task_asks_for_title(text: str) -> None:
    u = parse(text)
    assert u.intent is Intent.CREATE_TASK
    assert u.task.title is None
    assert u.missing == ["title"]


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("نیا کام شامل کرو: شناختی کارڈ بنوانا", "شناختی کارڈ بنوانا"),
        ("ٹاسک درج کرو - گیس کا بل", "گیس کا بل"),
        ("شامل کرو: چھت کی مرمت", "چھت کی مرمت"),
        ("کام شامل کرو، بچوں کا رزلٹ لینا", "بچوں کا رزلٹ لینا"),
    ],
)
def test_urdu_title_after_the_add_command(text: str, title: str) -> None:
    u = parse(text)
    assert u.intent is Intent.CREATE_TASK
    assert u.task.title == title
    assert u.confidence >= 0.6
    assert u.missing == []


def test_urdu_list_phrase_is_not_in_the_title() -> None:
    assert parse("کاموں کی لسٹ میں انڈے شامل کرو").task.title == "انڈے"


# --- 6. reminders about a task -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("میٹنگ کے بارے میں پرسوں یاد دلانا", TaskRef(text="میٹنگ")),
        ("کرایہ کے متعلق 2 دن پہلے یاد دلانا", TaskRef(text="کرایہ")),
        ("اس کے بارے میں آدھا گھنٹہ پہلے یاد دلا دو", TaskRef(pronoun=True)),
        ("اس کام کے بارے میں کل یاد دلانا", TaskRef(pronoun=True)),
    ],
)
def test_urdu_remind_about_a_task(text: str, target: TaskRef) -> None:
    u = parse(text)
    assert u.intent is Intent.SET_REMINDER
    assert u.target == target
    assert u.reminder is not None


def test_urdu_pronoun_with_a_moment_is_a_reminder_on_it() -> None:
    u = parse("اس کو پرسوں شام 5 بجے یاد دلانا")
    assert u.intent is Intent.SET_REMINDER
    assert u.target == TaskRef(pronoun=True)
    assert u.reminder is not None
    assert (u.reminder.at_date, u.reminder.at_time) == (d(3, 15), t(17))
    assert u.task.title is None


def test_urdu_pronoun_inside_a_todo_stays_a_todo() -> None:
    u = parse("اسے فون کرنا کل یاد دلانا")
    assert u.intent is Intent.CREATE_TASK
    assert u.task.title == "اسے فون کرنا"


def test_urdu_pronoun_reminder_without_moment_asks_when() -> None:
    u = parse("اسے یاد دلانا")
    assert u.intent is Intent.SET_REMINDER
    assert u.missing == ["when"]


# --- 7. a postposition belongs to the date phrase before it -----------------------------------


@pytest.mark.parametrize(
    ("text", "title", "due"),
    [
        ("مہینے کے آخر میں کرایہ نامہ بنوانا", "کرایہ نامہ بنوانا", d(3, 31)),
        ("اگلے ہفتے میں پاسپورٹ آفس جانا شامل کرو", "پاسپورٹ آفس جانا", d(3, 16)),
        ("پرسوں تک فارم بھرنا", "فارم بھرنا", d(3, 15)),
        ("جمعہ سے جم جانا شروع کرنا", "جم جانا شروع کرنا", d(3, 13)),
    ],
)
def test_urdu_postposition_after_date_leaves_title(text: str, title: str, due: object) -> None:
    u = parse(text)
    assert u.task.title == title
    assert u.task.due_date == due


def test_urdu_postposition_before_a_date_stays() -> None:
    assert parse("ڈاکٹر کو کل فون کرنا").task.title == "ڈاکٹر کو فون کرنا"


# --- 8. hourly series without a time: no due time ---------------------------------------------


@pytest.mark.parametrize(
    "text", ["stretch every 3 hours", "add check the oven every hour", "ہر 2 گھنٹے آنکھوں کو آرام"]
)
def test_hourly_without_time_has_no_due_time(text: str) -> None:
    u = parse(text)
    assert u.recurrence is not None
    assert u.task.due_time is None
    assert u.recurrence.dtstart.minute == 0
    assert u.recurrence.dtstart.hour == 11
    assert u.task.due_date == u.recurrence.dtstart.date()


def test_hourly_with_a_start_time_keeps_it() -> None:
    u = parse("take pills every 6 hours starting at 2pm")
    assert u.recurrence is not None
    assert u.task.due_time == t(14)
