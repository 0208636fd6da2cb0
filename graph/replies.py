"""What the assistant says, in the user's language, with times in their zone.

Three written forms: English, Urdu in Urdu script, and Roman Urdu ("ur-Latn") for people who
type Urdu in Latin letters. Each message is one key in every catalogue; a key ending in `_one`
is the singular of a counted message ("1 task", not "1 task(s)").
"""

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
        "reminder_also": "I'll remind you {when}.",
        "listed_none": "You have no tasks that match.",
        "listed": "You have {count} tasks:\n{lines}",
        "listed_one": "You have 1 task:\n{lines}",
        "deleted_many_one": "Deleted 1 task.",
        "completed_many_one": "Marked 1 task as done.",
        "due": ", due {when}",
        "ask_title": "What should the task be called?",
        "ask_target": "Which task do you mean?",
        "ask_when": "When should I remind you?",
        "ask_when_no_due": "“{title}” has no due time yet. When should I remind you?",
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
        "reminder_also": "میں آپ کو {when} یاد دلاؤں گا۔",
        "listed_none": "ایسا کوئی کام نہیں ملا۔",
        "listed": "آپ کے {count} کام ہیں:\n{lines}",
        "listed_one": "آپ کا 1 کام ہے:\n{lines}",
        "deleted_many_one": "1 کام حذف کر دیا۔",
        "completed_many_one": "1 کام مکمل کر دیا۔",
        "due": "، {when} تک",
        "ask_title": "کام کا نام کیا رکھوں؟",
        "ask_target": "آپ کون سا کام کہہ رہے ہیں؟",
        "ask_when": "میں کب یاد دلاؤں؟",
        "ask_when_no_due": "“{title}” کا ابھی کوئی وقت مقرر نہیں۔ میں کب یاد دلاؤں؟",
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
    "ur-Latn": {
        "created": "“{title}” add kar diya{due}.",
        "created_recurring": "“{title}” add kar diya, {rule}; agli baar: {next}.",
        "updated": "“{title}” badal diya{due}.",
        "completed": "“{title}” mukammal kar diya.",
        "completed_next": "“{title}” mukammal kar diya. Agli baar: {next}.",
        "reopened": "“{title}” dobara khol diya.",
        "deleted": "“{title}” delete kar diya.",
        "deleted_many": "{count} kaam delete kar diye.",
        "completed_many": "{count} kaam mukammal kar diye.",
        "reminder_set": "Main aap ko “{title}” {when} yaad dilaunga.",
        "reminder_offset": "waqt se {minutes} pehle",
        "reminder_at": "{at}",
        "reminder_due": "muqarrara waqt par",
        "listed_none": "Aisa koi kaam nahi mila.",
        "listed": "Aap ke {count} kaam hain:\n{lines}",
        "listed_one": "Aap ka 1 kaam hai:\n{lines}",
        "deleted_many_one": "1 kaam delete kar diya.",
        "completed_many_one": "1 kaam mukammal kar diya.",
        "due": ", {when} tak",
        "ask_title": "Kaam ka naam kya rakhun?",
        "ask_target": "Aap kaun sa kaam keh rahe hain?",
        "ask_when": "Main kab yaad dilaun?",
        "ask_when_no_due": "“{title}” ka abhi koi waqt muqarrar nahi. Main kab yaad dilaun?",
        "ask_changes": "“{title}” mein kya badlun?",
        "ask_which": "Aap kaun sa kaam keh rahe hain?\n{options}\nNumber ya naam likhein.",
        "ask_confirm_delete_many": (
            "Kya aap ke tamam {count} kaam delete kar dun? Ye wapas nahi ho sakega. (haan/nahi)"
        ),
        "ask_confirm_complete_many": (
            "Kya aap ke tamam {count} khule kaam mukammal kar dun? (haan/nahi)"
        ),
        "ask_confirm_update": "Kya “{title}” mein tabdeeli kar dun? (haan/nahi)",
        "ask_confirm_complete": "Kya “{title}” mukammal kar dun? (haan/nahi)",
        "ask_confirm_reopen": "Kya “{title}” dobara khol dun? (haan/nahi)",
        "ask_confirm_delete": "Kya “{title}” delete kar dun? (haan/nahi)",
        "ask_confirm_set_reminder": "Kya “{title}” ka reminder laga dun? (haan/nahi)",
        "ask_confirm_create": "Kya “{title}” ko kaam ke taur par add kar dun? (haan/nahi)",
        "no_match": "“{text}” se milta koi kaam nahi mila.",
        "no_last": (
            "Maloom nahi aap kaun sa kaam keh rahe hain; meherbani kar ke us ka naam likhein."
        ),
        "cancelled": "Theek hai, ye nahi karunga.",
        "failed": "Maaf kijiye, ye nahi ho saka. Dobara koshish karein.",
        "error_title_too_long": "Kaam ka naam bohat lamba hai: zyada se zyada {max} huroof.",
        "error_notes_too_long": "Tafseel bohat lambi hai: zyada se zyada {max} huroof.",
        "error_not_found": "Ye kaam ab maujood nahi.",
        "error_conflict": "Ye kaam isi dauran badal gaya. Dobara koshish karein.",
        "error_busy": "Ye abhi jaari hai. Thori der baad dobara koshish karein.",
        "error_invalid_change": (
            "Is kaam ke saath ye nahi ho sakta"
            " (waqt se pehle reminder ke liye kaam ka waqt chahiye)."
        ),
        "error_invalid_rule": "Is tarteeb se kaam dohraya nahi ja sakta.",
        "error_invalid": "Kuch tafseelat durust nahi, is liye kuch nahi badla.",
        "reminder_every": "{rule}; agli baar: {next}",
        "reminder_note": "Main aap ko {at} yaad dilaunga.",
        "reminder_also": "Main aap ko {when} yaad dilaunga.",
        "ask_confirm_undo": "Kya “{title}” ki pichli tabdeeli wapas kar dun ({when})? (haan/nahi)",
        "ask_scope": (
            "“{title}” baar baar aata hai. Sirf ye wala shift karun ya har baar wala?"
            " (sirf ye / har baar)"
        ),
        "nothing_to_delete": "Delete karne ke liye koi kaam nahi.",
        "nothing_to_complete": "Aap ka koi khula kaam nahi.",
        "help": (
            "Main aap ke kaam sambhal sakta hun. Maslan:\n"
            "• “kal shaam 5 baje doodh lena #ghar”\n"
            "• “har itwar shaam 7 baje ammi ko call karna yaad dilana”\n"
            "• “dentist wala kaam juma ko shift kar do”, “doodh lena ho gaya”\n"
            "• “aaj ke kaam dikhao”, “isay delete kar do”"
        ),
        "unknown": (
            "Maaf kijiye, baat samajh nahi aayi. “madad” likhein to bataun ke kya kar sakta hun."
        ),
    },
}


def say(lang: str, key: str, **values: Any) -> str:
    """The message `key` in `lang`; a language without that message falls back to English."""
    table = TEXT.get(lang, TEXT["en"])
    if values.get("count") == 1 and f"{key}_one" in table:
        key = f"{key}_one"
    return table.get(key, TEXT["en"][key]).format(**values)


def error(lang: str, code: str, **values: Any) -> str:
    """A refused tool call, worded from its code (never from the exception's text)."""
    key = f"error_{code}"
    if key not in TEXT["en"]:
        key = "failed"
    try:
        return say(lang, key, **values)
    except KeyError:  # a code whose values did not come along
        return say(lang, "failed")


def by_time(tasks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A list as a person reads a diary: soonest due first, undated ones after, in given order."""
    return sorted(tasks, key=lambda t: (t.get("due") is None, _instant(t.get("due"))))


def _instant(value: str | datetime | None) -> datetime:
    if value is None:
        return datetime.min.replace(tzinfo=ZoneInfo("UTC"))
    return datetime.fromisoformat(value) if isinstance(value, str) else value


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
    if lang == "ur-Latn":
        if minutes % 1440 == 0:
            return f"{minutes // 1440} din"
        if minutes % 60 == 0:
            return f"{minutes // 60} ghante"
        return f"{minutes} minute"
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


# Quick replies of "just this one or every one?": (label, the answer sent back). Roman Urdu
# sends the English words, which the answer is read by.
_SCOPE_OPTIONS = {
    "en": (("Just this one", "this one"), ("Every one", "every one")),
    "ur": (("صرف یہ والا", "صرف یہ والا"), ("ہر بار", "ہر بار")),
    "ur-Latn": (("Sirf ye wala", "this one"), ("Har baar", "every one")),
}


def question_options(question: Any, lang: str) -> list[dict[str, str]] | None:
    """The answers a question offers as buttons, when its kind has its own (the stream's
    question event adds yes/no and numbered choices itself)."""
    if isinstance(question, p.AskScope):
        pairs = _SCOPE_OPTIONS.get(lang, _SCOPE_OPTIONS["en"])
        return [{"label": label, "value": value} for label, value in pairs]
    return None


def question_text(question: Any, tz: str, lang: str) -> str:
    """The words of a clarifying question (graph.plan's Question types)."""
    match question:
        case p.AskTitle():
            return say(lang, "ask_title")
        case p.AskWhen(task=task, no_due=True) if task is not None:
            return say(lang, "ask_when_no_due", title=task.title)
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
        case p.Confirm(plan=p.UpdateTask() | p.SetReminder() | p.ChangeStatus() as plan):
            return say(lang, f"ask_confirm_{plan.kind}", title=plan.task.title)
    raise TypeError(f"not a question: {question!r}")
