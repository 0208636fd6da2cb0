"""What the assistant says, in the user's language (English or Urdu), with times in their zone."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from graph import plan as p
from graph.plans import moment

_UR_DAYS = ["پیر", "منگل", "بدھ", "جمعرات", "جمعہ", "ہفتہ", "اتوار"]
_UR_MONTHS = [
    "جنوری", "فروری", "مارچ", "اپریل", "مئی", "جون",
    "جولائی", "اگست", "ستمبر", "اکتوبر", "نومبر", "دسمبر",
]  # fmt: skip

TEXT: dict[str, dict[str, str]] = {
    "en": {
        "created": "Added “{title}”{due}.",
        "created_recurring": "Added “{title}”, repeating {rule}; next: {next}.",
        "updated": "Updated “{title}”{due}.",
        "completed": "Marked “{title}” as done.",
        "completed_next": "Marked “{title}” as done. The next one is due {next}.",
        "reopened": "Reopened “{title}”.",
        "deleted": "Deleted “{title}”.",
        "deleted_many": "Deleted {count} tasks.",
        "completed_many": "Marked {count} tasks as done.",
        "reminder_set": "I'll remind you about “{title}” {when}.",
        "reminder_offset": "{minutes} before it is due",
        "reminder_at": "at {at}",
        "reminder_due": "when it is due",
        "reminder_every": "{rule}; next: {next}",
        "reminder_note": "I'll remind you on {at}.",
        "listed_none": "You have no tasks that match.",
        "listed": "You have {count} task(s):\n{lines}",
        "due": ", due {when}",
        "ask_title": "What should the task be called?",
        "ask_target": "Which task do you mean?",
        "ask_when": "When should I remind you?",
        "ask_changes": "What should I change about “{title}”?",
        "ask_which": "Which one do you mean?\n{options}\nReply with the number or the name.",
        "ask_confirm_delete_many": (
            "Delete all {count} of your tasks? This cannot be undone. (yes/no)"
        ),
        "ask_confirm_complete_many": "Mark all {count} of your open tasks as done? (yes/no)",
        "ask_confirm_update": "Change “{title}”? (yes/no)",
        "ask_confirm_complete": "Mark “{title}” as done? (yes/no)",
        "ask_confirm_reopen": "Reopen “{title}”? (yes/no)",
        "ask_confirm_delete": "Delete “{title}”? (yes/no)",
        "ask_confirm_set_reminder": "Set a reminder for “{title}”? (yes/no)",
        "ask_confirm_create": "Shall I add “{title}” as a task? (yes/no)",
        "ask_confirm_undo": "Undo the last change to “{title}” (back to {when})? (yes/no)",
        "ask_scope": (
            "“{title}” repeats. Move just this one, or every one? (this one / every one)"
        ),
        "no_match": "I couldn't find a task matching “{text}”.",
        "no_last": "I'm not sure which task you mean; please name it.",
        "cancelled": "OK, I won't do that.",
        "failed": "Sorry, that didn't work on my side. Please try again.",
        "error_title_too_long": "That name is too long for a task: {max} characters at most.",
        "error_notes_too_long": "Those notes are too long: {max} characters at most.",
        "error_not_found": "That task isn't there any more.",
        "error_conflict": "That task changed in the meantime. Please try again.",
        "error_busy": "I'm still working on that. Please try again in a moment.",
        "error_invalid_change": (
            "I can't do that with this task (a reminder before the due time needs a due time)."
        ),
        "error_invalid_rule": "I can't repeat a task on that schedule.",
        "error_invalid": "Some of those details aren't valid, so I changed nothing.",
        "nothing_to_delete": "You have no tasks to delete.",
        "nothing_to_complete": "You have no open tasks.",
        "help": (
            "I can keep your tasks. Try:\n"
            "• “buy milk tomorrow at 5pm #shopping p1”\n"
            "• “remind me to call mom every sunday at 7pm”\n"
            "• “move the dentist to friday”, “mark buy milk as done”\n"
            "• “what's due this week?”, “delete it”"
        ),
        "unknown": "Sorry, I didn't understand that. Say “help” to see what I can do.",
    },
    "ur": {
        "created": "“{title}” شامل کر دیا{due}۔",
        "created_recurring": "“{title}” شامل کر دیا، {rule}؛ اگلی بار: {next}۔",
        "updated": "“{title}” بدل دیا{due}۔",
        "completed": "“{title}” مکمل کر دیا۔",
        "completed_next": "“{title}” مکمل کر دیا۔ اگلی بار: {next}۔",
        "reopened": "“{title}” دوبارہ کھول دیا۔",
        "deleted": "“{title}” حذف کر دیا۔",
        "deleted_many": "{count} کام حذف کر دیے۔",
        "completed_many": "{count} کام مکمل کر دیے۔",
        "reminder_set": "میں آپ کو “{title}” کی یاد {when} دلاؤں گا۔",
        "reminder_offset": "وقت سے {minutes} پہلے",
        "reminder_at": "{at}",
        "reminder_due": "مقررہ وقت پر",
        "reminder_every": "{rule}؛ اگلی بار: {next}",
        "reminder_note": "میں آپ کو {at} یاد دلاؤں گا۔",
        "listed_none": "ایسا کوئی کام نہیں ملا۔",
        "listed": "آپ کے {count} کام ہیں:\n{lines}",
        "due": "، {when} تک",
        "ask_title": "کام کا نام کیا رکھوں؟",
        "ask_target": "آپ کون سا کام کہہ رہے ہیں؟",
        "ask_when": "میں کب یاد دلاؤں؟",
        "ask_changes": "“{title}” میں کیا بدلوں؟",
        "ask_which": "آپ کون سا کام کہہ رہے ہیں؟\n{options}\nنمبر یا نام لکھیں۔",
        "ask_confirm_delete_many": (
            "کیا آپ کے تمام {count} کام حذف کر دوں؟ یہ واپس نہیں ہو سکے گا۔ (ہاں/نہیں)"
        ),
        "ask_confirm_complete_many": "کیا آپ کے تمام {count} کھلے کام مکمل کر دوں؟ (ہاں/نہیں)",
        "ask_confirm_update": "کیا “{title}” میں تبدیلی کر دوں؟ (ہاں/نہیں)",
        "ask_confirm_complete": "کیا “{title}” مکمل کر دوں؟ (ہاں/نہیں)",
        "ask_confirm_reopen": "کیا “{title}” دوبارہ کھول دوں؟ (ہاں/نہیں)",
        "ask_confirm_delete": "کیا “{title}” حذف کر دوں؟ (ہاں/نہیں)",
        "ask_confirm_set_reminder": "کیا “{title}” کی یاد دہانی لگا دوں؟ (ہاں/نہیں)",
        "ask_confirm_create": "کیا “{title}” کو کام کے طور پر شامل کر دوں؟ (ہاں/نہیں)",
        "ask_confirm_undo": "کیا “{title}” کی پچھلی تبدیلی واپس کر دوں ({when})؟ (ہاں/نہیں)",
        "ask_scope": (
            "“{title}” بار بار آتا ہے۔ صرف یہ والا منتقل کروں یا ہر بار والا؟ (صرف یہ / ہر بار)"
        ),
        "no_match": "“{text}” سے ملتا کوئی کام نہیں ملا۔",
        "no_last": "معلوم نہیں آپ کون سا کام کہہ رہے ہیں؛ براہ کرم اس کا نام لکھیں۔",
        "cancelled": "ٹھیک ہے، یہ نہیں کروں گا۔",
        "failed": "معاف کیجیے، یہ نہیں ہو سکا۔ دوبارہ کوشش کریں۔",
        "error_title_too_long": "کام کا نام بہت لمبا ہے: زیادہ سے زیادہ {max} حروف۔",
        "error_notes_too_long": "تفصیل بہت لمبی ہے: زیادہ سے زیادہ {max} حروف۔",
        "error_not_found": "یہ کام اب موجود نہیں۔",
        "error_conflict": "یہ کام اسی دوران بدل گیا۔ دوبارہ کوشش کریں۔",
        "error_busy": "یہ ابھی جاری ہے۔ ذرا دیر بعد دوبارہ کوشش کریں۔",
        "error_invalid_change": (
            "اس کام کے ساتھ یہ نہیں ہو سکتا (وقت سے پہلے یاد دہانی کے لیے کام کا وقت چاہیے)۔"
        ),
        "error_invalid_rule": "اس ترتیب سے کام دہرایا نہیں جا سکتا۔",
        "error_invalid": "کچھ تفصیلات درست نہیں، اس لیے کچھ نہیں بدلا۔",
        "nothing_to_delete": "حذف کرنے کے لیے کوئی کام نہیں۔",
        "nothing_to_complete": "آپ کا کوئی کھلا کام نہیں۔",
        "help": (
            "میں آپ کے کام سنبھال سکتا ہوں۔ مثلاً:\n"
            "• “کل شام 5 بجے دودھ خریدنا #گھر”\n"
            "• “ہر اتوار شام 7 بجے امی کو فون کرنا یاد دلانا”\n"
            "• “ڈینٹسٹ والا کام جمعہ پر منتقل کرو”، “دودھ والا کام مکمل کر دو”\n"
            "• “آج کے کام دکھاؤ”، “اسے حذف کرو”"
        ),
        "unknown": "معاف کیجیے، بات سمجھ نہیں آئی۔ “مدد” لکھیں تو بتاؤں کہ کیا کر سکتا ہوں۔",
    },
}


def say(lang: str, key: str, **values: Any) -> str:
    """The message `key` in `lang`; a language without that message falls back to English."""
    table = TEXT.get(lang, TEXT["en"])
    return (table.get(key) or TEXT["en"][key]).format(**values)


def error(lang: str, code: str, **values: Any) -> str:
    """A refused tool call, worded from its code (never from the exception's text)."""
    key = f"error_{code}"
    if key not in TEXT["en"]:
        key = "failed"
    try:
        return say(lang, key, **values)
    except KeyError:  # a code whose values did not come along
        return say(lang, "failed")


def when(value: str | datetime | None, tz: str, lang: str, *, all_day: bool = False) -> str:
    """A moment as a person reads it in their zone, e.g. 'Thu 26 Nov, 5:00 PM'."""
    if value is None:
        return ""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    local = moment.astimezone(ZoneInfo(tz))
    if lang == "ur":
        day = f"{_UR_DAYS[local.weekday()]} {local.day} {_UR_MONTHS[local.month - 1]}"
        return day if all_day else f"{day}، {local:%H:%M}"
    day = f"{local:%a} {local.day} {local:%b}"
    return day if all_day else f"{day}, {local:%-I:%M %p}"


def due_suffix(task: dict[str, Any], tz: str, lang: str) -> str:
    if not task.get("due"):
        return ""
    return say(lang, "due", when=when(task["due"], tz, lang, all_day=task.get("all_day", False)))


def minutes_phrase(minutes: int, lang: str) -> str:
    if lang == "ur":
        if minutes % 1440 == 0:
            return f"{minutes // 1440} دن"
        if minutes % 60 == 0:
            return f"{minutes // 60} گھنٹے"
        return f"{minutes} منٹ"
    if minutes % 1440 == 0:
        days = minutes // 1440
        return f"{days} day{'s' if days > 1 else ''}"
    if minutes % 60 == 0:
        hours = minutes // 60
        return f"{hours} hour{'s' if hours > 1 else ''}"
    return f"{minutes} minutes"


def task_lines(tasks: list[dict[str, Any]], tz: str, lang: str, limit: int = 10) -> str:
    lines = []
    for i, task in enumerate(tasks[:limit], start=1):
        mark = "✓ " if task.get("status") == "done" else ""
        due = task.get("due")
        suffix = f" — {when(due, tz, lang, all_day=task.get('all_day', False))}" if due else ""
        lines.append(f"{i}. {mark}{task['title']}{suffix}")
    if len(tasks) > limit:
        lines.append("…")
    return "\n".join(lines)


def question_text(question: Any, tz: str, lang: str) -> str:
    """The words of a clarifying question (graph.plan's Question types)."""
    match question:
        case p.AskTitle():
            return say(lang, "ask_title")
        case p.AskWhen():
            return say(lang, "ask_when")
        case p.AskTarget(lost_track=lost):
            return say(lang, "no_last" if lost else "ask_target")
        case p.AskChanges(task=task):
            return say(lang, "ask_changes", title=task.title)
        case p.AskWhich(candidates=candidates):
            options = task_lines([c.view() for c in candidates], tz, lang)
            return say(lang, "ask_which", options=options)
        case p.AskScope(this_one=plan):
            return say(lang, "ask_scope", title=plan.task.title)
        case p.Confirm(plan=p.UpdateTask(undo=True, task=task, fields=fields)):
            assert fields.due_date is not None  # an undo puts a due time back
            at = moment(fields.due_date, fields.due_time, tz)
            back = when(at, tz, lang, all_day=fields.due_time is None)
            return say(lang, "ask_confirm_undo", title=fields.title or task.title, when=back)
        case p.Confirm(plan=p.CreateTask(fields=fields)):
            return say(lang, "ask_confirm_create", title=fields.title)
        case p.Confirm(plan=p.BulkChange(kind=kind, task_ids=ids)):
            return say(lang, f"ask_confirm_{kind}", count=len(ids))
        case p.Confirm(plan=plan):
            return say(lang, f"ask_confirm_{plan.kind}", title=plan.task.title)
    raise TypeError(f"not a question: {question!r}")
