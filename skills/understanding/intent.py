"""Command verbs → intent, English (verb first) and Urdu (verb last, SOV).

Verbs are matched only where a command puts them: at the start of an English message and at the
end of an Urdu one. That keeps "remind me to delete old emails" a create, and a verb inside a
title ("add 'complete the report'") harmless. The most specific rule is tried first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import lexicon_en as en
from . import lexicon_ur as ur
from .doc import Clock, Doc
from .types import Intent

VERB_CONFIDENCE = 0.9

_POLITE = (
    r"^\s*(?:(?:please|pls|plz|kindly|hey|ok|okay|now|also|and|so|then|yo|"
    r"can\s+you|could\s+you|would\s+you|will\s+you|can\s+u|could\s+u|"
    r"i\s+want\s+(?:you\s+)?to|i'?d\s+like\s+(?:you\s+)?to|i\s+would\s+like\s+(?:you\s+)?to|"
    r"go\s+ahead\s+and|just"
    # a voice assistant addressed by name: "alexa, remind me ...", "hey siri, ..."
    r"|(?:hey\s+|ok\s+|okay\s+)?(?:alexa|siri|google|assistant|bot))\s*,?\s+)*"
)
_END_UR = (
    r"(?P<end>(?:[\s,]*(?:پلیز|براہ\s+کرم|مہربانی\s+(?:کر\s+کے|کرکے)|جی|شکریہ|please|thanks))*"
    r"\s*[.!?,]*\s*$)"
)
_KAR = ur.KAR
_DO = r"\s*(?:دو|دیں|دیجیے|دیجئے|دینا)"


@dataclass(slots=True)
class IntentHit:
    intent: Intent
    confidence: float = VERB_CONFIDENCE
    remind_to: bool = False  # "remind me to X": a new task with a reminder at its due time
    groups: dict[str, str] = field(default_factory=dict)
    # "set a reminder for X on friday": with a moment (and no offset) it is a new task X
    creates_when_dated: bool = False
    title_prefix: str | None = None  # "wake me up at 7": the task is "wake up"


@dataclass(frozen=True, slots=True)
class _Rule:
    intent: Intent
    pattern: re.Pattern[str]
    remind_to: bool = False
    confidence: float = VERB_CONFIDENCE
    needs: re.Pattern[str] | None = None  # the message must also contain this
    after_moment: bool = False  # the verb must follow a date/time/recurrence phrase
    creates_when_dated: bool = False
    title_prefix: str | None = None


def _en(intent: Intent, body: str, **kw: object) -> _Rule:
    return _Rule(intent, re.compile(_POLITE + body, re.I), **kw)  # type: ignore[arg-type]


def _ur(intent: Intent, body: str, **kw: object) -> _Rule:
    return _Rule(intent, re.compile(r"(?<!\w)(?:" + body + ")" + _END_UR), **kw)  # type: ignore[arg-type]


_OFFSET_CUE = re.compile(r"\b(?:before|prior|early|earlier|ahead|in\s+advance)\b", re.I)
# "میٹنگ سے 30 منٹ پہلے یاد دلانا": an offset right after a postposition (or opening the message)
# points at a task; after a whole clause ("کلینک جانا ہے، ایک گھنٹہ پہلے") it is the new task's own
_OFFSET_UR = r"(?:\S+\s+)?(?:منٹ|گھنٹہ|گھنٹے|دن|روز|ہفتہ|ہفتے)\s+(?:پہلے|قبل)(?!\w)"
_OFFSET_CUE_UR = re.compile(
    rf"(?:^\s*|(?<!\w)(?:سے|کی|کو|متعلق|بابت|لیے|لئے|والے|والی|والا)\s+){_OFFSET_UR}"
    r"|(?<!\w)(?:کے\s+بارے\s+میں|والے\s+کام)(?!\w)"
)
_UPDATE_KEYS_UR = re.compile(
    r"(?<!\w)(?:ترجیح|تاریخ|وقت|ٹیگ|لیبل|نوٹ|ڈیڈ\s*لائن)(?!\w)|#|(?<!\w)p[1-4]\b", re.I
)
_PRIORITY_UR = re.compile(
    r"(?<!\w)(?:" + ur.alt(ur.PRIORITY_WORDS) + r")(?!\w)|(?<!\w)p[1-4]\b", re.I
)

_REF_MARKER_UR = re.compile(r"(?<!\w)(?:والا|والے|والی|اسے|اس\s+کو|اسکو|سارے|تمام|سب|یہ|وہ)(?!\w)")
# "اسے فوری کر دو": a priority said about a task pointed at is an update
_UPDATE_NEEDS_UR = re.compile(
    _UPDATE_KEYS_UR.pattern
    + r"|^(?=.*(?:"
    + _PRIORITY_UR.pattern
    + r"))(?=.*(?:"
    + _REF_MARKER_UR.pattern
    + r"))",
    re.I,
)
_ADD_UR = (
    r"(?:شامل|درج|ایڈ|داخل|نوٹ)\s*" + _KAR + r"|(?:لکھ\s*(?:لو|لیں|دو|دیں)|لکھو|لکھیں)"
    r"|(?:ڈال" + _DO + r"|ڈالو|ڈالیں)"
)
_NOT_AFTER_KEY_UR = r"(?<!ٹیگ )(?<!ٹیگز )(?<!لیبل )(?<!نوٹ )(?<!ترجیح )"
_REMIND_UR = (
    r"(?:مجھے\s+)?یاد\s+(?:دلانا|دلاؤ|دلائیں|دلائیے|دلا\s*(?:دو|دیں|دینا|دیجیے)"
    r"|کرانا|کروانا|کروائیں|کرا\s*دینا)"
)

# "finish the deck in 2 hours", "complete the essay by friday": an imperative with a deadline is a
# to-do (a completion has no date), so the complete rule steps aside and the message is a create
_NO_DEADLINE = (
    r"(?!.*\b(?:by|before|until|till|due|today|tonight|tomorrow|tmrw|tmr|at\s+\d"
    r"|next\s+(?:week|month|mon|tue|wed|thu|fri|sat|sun)\w*|on\s+(?:mon|tue|wed|thu|fri|sat|sun)\w*"
    r"|this\s+(?:week|weekend|month|morning|afternoon|evening)"
    r"|in\s+(?:\d+|an?|one|two|three|few|a\s+few|a\s+couple\s+of)\s+(?:min|mins|minutes?|hours?|hrs?|days?|weeks?))\b)"
)
# "mark the report as urgent", "flag it p1": mark/flag setting a priority or tag is an update
_SETS_PRIORITY_EN = re.compile(
    r"\b(?:" + en.alt(en.PRIORITY_WORDS) + r"|priority|p[1-4])\b|(?<![\w#])#\w", re.I
)

_GREET_EN = (
    r"(?:hi|hello|hey|hiya|howdy|yo|salam|assalam[ u]*o?\s*alaikum"
    r"|good\s+(?:morning|afternoon|evening)|how\s+are\s+(?:you|u)(?:\s+doing)?|how'?s\s+it\s+going"
    r"|what'?s\s+up|wh?at\s+up|sup)(?:\s+there)?"
)
_GREET_UR = (
    r"(?:السلام\s+علیکم|اسلام\s+علیکم|سلام|ہیلو|ہائے|آداب|صبح\s+بخیر"
    r"|(?:(?:آپ|تم)\s+)?(?:کیا\s+حال(?:\s+چال)?\s+(?:ہے|ہیں)|کیسے\s+(?:ہو|ہیں)|کیسی\s+(?:ہو|ہیں)))"
)
# "make", "put", "plan", "log" are everyday to-dos ("plan the week", "make dinner", "put the bins
# out"); they are command words only before a task noun or a colon ("make a task: ...", "log: ...")
_TASK_NOUN_AHEAD = (
    r"(?=(?:\s+(?:a|an|new|the|another|one))*\s+(?:task|todo|to-do|item|entry|reminder)s?\b|\s*:)"
)
# "make it urgent", "make the report p1", "make it repeat every monday": "make" changes a task when
# a pronoun follows it or the message sets a priority, tag or repetition; else it is a to-do
_MAKE_CHANGES = re.compile(
    r"\bmake\s+(?:it|that|this|them|those|these)\b|"
    + _SETS_PRIORITY_EN.pattern
    + r"|\b(?:repeat|recur|recurring|daily|weekly|monthly|yearly|every)\b",
    re.I,
)

# "remind me on monday to ...": "on" before a date is not "on <task>"
_NOT_A_DATE_AHEAD = (
    r"(?!\s+(?:(?:this|next|the)\s+)?(?:\d|today|tonight|tomorrow|tmrw|mon|tue|wed|thu|fri|sat|sun"
    r"|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|week|weekend|month|first|second|third)\w*\b)"
)

_RULES_EN: tuple[_Rule, ...] = (
    _en(
        Intent.HELP,
        r"(?:(?:i\s+)?need\s+(?:some\s+)?help|help(?:\s+(?:me|please|pls))?|\?+|what\s+can\s+you\s+do|what\s+do\s+you\s+do|how\s+(?:do|does|can)\s+(?:i|you|this|it)\b.*"
        r"|how\s+to\s+use.*|commands|usage|menu|instructions)\W*$",
    ),
    # greetings may come in a chain ("hello, how are you?"): small talk all the same
    _en(Intent.HELP, rf"{_GREET_EN}(?:\W+{_GREET_EN})*\W*$", confidence=0.8),
    # "set a reminder for the dentist 1 hour before": a task's reminder; with a moment and no
    # offset ("set a reminder for my meeting with john on friday") the reminder is a new task
    _en(
        Intent.SET_REMINDER,
        r"(?:set|add|create|schedule|put|make)\s+(?:a\s+|an\s+|the\s+|me\s+a\s+)?reminder(?!\s+to\b)"
        r"(?:\s+(?:me\s+)?(?:about|of|for|on|regarding|re:?)\b|(?=.*\b(?:before|prior|early|earlier|ahead|in\s+advance)\b))",
        creates_when_dated=True,
    ),
    _en(
        Intent.SET_REMINDER,
        r"(?:(?:remind|ping|alert|notify|nudge)\s+me(?!\s+to\b)|reminder)"
        r"(?:\s+(?:me\s+)?(?:about|of|for|on|regarding|re:?)\b"
        + _NOT_A_DATE_AHEAD
        + r"|(?=.*\b(?:before|prior|early|earlier|ahead|in\s+advance)\b))",
    ),
    _en(
        Intent.CREATE_TASK,
        r"(?:set|add|create)\s+(?:an?\s+|my\s+)?alarm(?:\s+for\b)?",
        remind_to=True,
        title_prefix="alarm",
    ),
    _en(Intent.CREATE_TASK, r"(?:wake|get)\s+me\s+up\b", remind_to=True, title_prefix="wake up"),
    _en(
        Intent.CREATE_TASK,
        r"(?:(?:remind|ping|alert|notify|nudge|tell)\s+me(?:\s+to\b)?|(?:set|add|create)\s+(?:a\s+)?reminder\s+to\b"
        r"|don'?t\s+let\s+me\s+forget(?:\s+to\b)?)",
        remind_to=True,
    ),
    _en(
        Intent.UPDATE_TASK,
        r"(?:rename|retitle)\s+(?P<target>.+?)\s+(?:to|as|into)\s+(?P<title>.+?)\W*$",
    ),
    _en(
        Intent.UPDATE_TASK,
        r"(?:change|update|set|edit)\s+(?:the\s+)?(?:title|name|text|wording)\s+(?:of|for|on)\s+(?P<target>.+?)"
        r"\s+to\s+(?P<title>.+?)\W*$",
    ),
    _en(
        Intent.UPDATE_TASK,
        r"(?:add|put|attach|apply)\s+(?:the\s+|a\s+)?(?:(?:tags?|labels?|notes?)\b|(?=#))(?:\s+(?:of|called|named)\b)?",
    ),
    _en(
        Intent.REOPEN_TASK,
        r"(?:reopen|re-open|undo|uncomplete|un-complete|unfinish|unmark|restore|unarchive|reactivate|revive)\b",
    ),
    _en(
        Intent.REOPEN_TASK,
        r"(?:mark|set|flag)\s+(?P<target>.+?)\s+(?:as\s+)?(?:not\s+(?:yet\s+)?(?:done|complete|completed|finished)|undone|"
        r"incomplete|unfinished|uncompleted|open|pending|active|to\s*do)\W*$",
    ),
    _en(
        Intent.COMPLETE_TASK,
        r"(?:mark|set|flag)\s+(?P<target>.+?)\s+(?:as\s+)?(?:done|complete|completed|finished|checked|ticked)\W*$",
    ),
    _en(Intent.UPDATE_TASK, r"(?:mark|flag)\b(?!['’])", needs=_SETS_PRIORITY_EN),
    _en(
        Intent.COMPLETE_TASK,
        r"(?:(?:complete|finish)\b"
        + _NO_DEADLINE
        + r"|finished|completed|done\s+with|check\s+off|tick\s+off|cross\s+off|close|"
        r"i\s+(?:have\s+|just\s+|already\s+|'ve\s+)*(?:done|finished|completed|did)|i'?ve\s+(?:done|finished|completed)"
        r"|(?:i'?m|i\s+am)\s+(?:all\s+|just\s+)?(?:done|finished)(?:\s+with)?)\b",
    ),
    _en(
        Intent.DELETE_TASK,
        r"(?:delete|remove|cancel|drop|erase|trash|discard|scrap|get\s+rid\s+of|clear|forget(?:\s+about)?|del|rm)\b",
    ),
    _en(
        Intent.UPDATE_TASK,
        r"(?:move|reschedule|re-schedule|postpone|push(?:\s+back)?|shift|defer|delay|bump|change|update|edit|modify|"
        r"set|tag|label|prioriti[sz]e|deprioriti[sz]e|snooze|switch"
        # "bring the call forward": with "forward" these everyday verbs move a task earlier
        r"|(?:bring|pull)(?=(?:\s+\S+){1,5}\s+forward\b))\b(?!\s+(?:a|an|new)\b)",
    ),
    _en(Intent.UPDATE_TASK, r"make\b(?!\s+(?:a|an|new)\b)", needs=_MAKE_CHANGES),
    _en(
        Intent.QUERY_TASKS,
        r"(?:show|list|display|view|what|what'?s|whats|which|how\s+many|do\s+i\s+have|have\s+i\s+got|is\s+there|are\s+there|any|anything|"
        r"(?:see|get|give|tell|find|search|look\s+up|check|read|pull\s+up|bring\s+up)(?=\s+(?:me\s+)?(?:for\s+)?(?:all\s+)?"
        r"(?:my|the\s+list|what|everything|all|tasks?|todos?|to-?dos|overdue|upcoming|pending|completed|done|urgent|#|"
        r"(?:\w+\s+)?(?:tasks?|todos?)\b)))\b",
    ),
    # "the laundry is done": a statement, after the verb-first rules had their chance
    _Rule(
        Intent.COMPLETE_TASK,
        re.compile(
            r"\s+(?:is\s+|are\s+|was\s+|has\s+been\s+|got\s+)?(?:all\s+)?(?:done|completed|finished|complete)\W*$",
            re.I,
        ),
    ),
    _en(
        Intent.CREATE_TASK,
        r"(?:add|create|new|schedule|(?:make|put|plan|log)"
        + _TASK_NOUN_AHEAD
        + r"|note\s+to\s+self|note(?:\s+down)?|jot(?:\s+down)?|write\s+down|insert|todo|to-do|task|"
        r"remember\s+to|don'?t\s+forget\s+to|i\s+(?:need|have|must|should|gotta|got)\s+to|i\s+must|need\s+to|have\s+to|"
        r"gotta|must)\b(?:\s+(?:a|an|new|the|another|one)\b)*"
        r"(?:\s+(?:task|todo|to-do|item|entry|reminder)s?(?:\s*(?::|-|to|for|called|named|titled|that\s+says)\b|\s*:)?)?\s*:?",
    ),
)

_RULES_UR: tuple[_Rule, ...] = (
    _Rule(
        Intent.HELP,
        re.compile(
            r"^\s*(?:(?:مجھے\s+)?(?:مدد|ہیلپ)(?:\s+(?:کرو|کریں|چاہیے|چاہئے))?"
            r"|(?:(?:آپ|تم)\s+)?کیا(?:\s+کیا)?\s+کر\s+(?:سکتے|سکتی)\s+(?:ہیں|ہو)"
            r"|کیسے\s+استعمال\s+(?:کروں|کریں))\s*[.!?]*\s*$"
        ),
    ),
    _Rule(
        Intent.HELP,
        re.compile(rf"^\s*{_GREET_UR}(?:\s*[،,.!?]*\s*{_GREET_UR})*\s*[.!?؟]*\s*$"),
        confidence=0.8,
    ),
    _ur(
        Intent.SET_REMINDER,
        r"(?:یاد\s+دہانی|ریمائنڈر|الرٹ)(?P<keep>(?:\s+\S+){0,6}?)\s+(?:لگا"
        + _DO
        + r"|لگاؤ|لگائیں|سیٹ\s*"
        + _KAR
        + r"|رکھ"
        + _DO
        + r"|رکھو|رکھیں|شامل\s*"
        + _KAR
        + r"|بنا"
        + _DO
        + r"|بناؤ|"
        + _KAR
        + r")",
    ),
    _ur(Intent.SET_REMINDER, _REMIND_UR, needs=_OFFSET_CUE_UR),
    _ur(Intent.CREATE_TASK, _REMIND_UR, remind_to=True),
    # "کل صبح 6 بجے مجھے جگا دینا", "mujhe utha dena": wake me up, a reminder at that moment; the
    # verb stays as the title (in the user's own script), as "wake up" does in English
    _ur(
        Intent.CREATE_TASK,
        r"مجھے\s+(?P<keep>(?:جگا|اٹھا)" + _DO + r"|(?:جگا|اٹھا)(?:ؤ|و|ئیں|ئیے)|جگانا|اٹھانا)",
        remind_to=True,
    ),
    # "یاد دلانا کہ چولہا بند کرنا ہے": the verb comes first and کہ opens the to-do
    _Rule(Intent.CREATE_TASK, re.compile(r"(?<!\w)" + _REMIND_UR + r"\s+کہ(?!\w)"), remind_to=True),
    _Rule(
        Intent.UPDATE_TASK,
        re.compile(
            r"^\s*(?P<target>.+?)\s+کا\s+نام\s+(?:بدل\s+کر\s+|تبدیل\s+کر\s+کے\s+|تبدیل\s+کرکے\s+)?(?P<title>.+?)\s+"
            r"(?:رکھ" + _DO + r"|رکھو|رکھیں|" + _KAR + r")" + _END_UR
        ),
    ),
    _ur(
        Intent.REOPEN_TASK,
        r"(?:دوبارہ|پھر\s+سے|واپس)\s+(?:کھول"
        + _DO
        + r"|کھولو|کھولیں|شروع\s*"
        + _KAR
        + r"|فعال\s*"
        + _KAR
        + r"|نامکمل\s*"
        + _KAR
        + r"|لاؤ|لے\s+آؤ)|(?:نامکمل|ادھورا|غیر\s+مکمل)\s*"
        + _KAR,
    ),
    _ur(
        Intent.COMPLETE_TASK,
        r"(?:مکمل|ختم|پورا|پوری|ڈن)(?:\s+شدہ)?\s*(?:(?:نشان\s*زد|مارک)\s*)?(?:"
        + _KAR
        + r"|کر\s*(?:لی|لیا|لیے|لئے)|ہو\s*گیا|ہو\s*گئی|ہو\s*گئے|ہو\s*چکا|ہو\s*چکی|ہے|ہیں)?"
        r"|(?:ہو\s*گیا|ہو\s*گئی|کر\s+لیا|کرلیا|کر\s+لی|ہو\s+چکا|ہو\s+چکی)",
    ),
    # "میں نے دودھ لے لیا", "maine ami ko call kar diya": a statement in the past tense, with
    # میں نے opening it, says a task is done (questions and "میں نے سوچا کہ …" are not)
    _Rule(
        Intent.COMPLETE_TASK,
        re.compile(
            r"^\s*میں\s+نے\s+(?!.*(?<!\w)کہ(?!\w))(?P<target>.+?)\s+\S+\s*"
            r"(?:لیا|لی|لیں|لیے|دیا|دی|دیں|دیے|ڈالا|ڈالی|ڈالے)(?:\s+(?:ہے|ہیں))?" + _END_UR
        ),
    ),
    _ur(
        Intent.DELETE_TASK,
        r"(?:حذف|ڈیلیٹ|منسوخ|کینسل|خارج)\s*"
        + _KAR
        + r"|(?:مٹا"
        + _DO
        + r"|مٹاؤ|مٹائیں|ہٹا"
        + _DO
        + r"|ہٹاؤ|ہٹائیں|نکال"
        + _DO
        + r"|نکالو|نکالیں)",
    ),
    _ur(
        Intent.UPDATE_TASK,
        r"(?:منتقل|شفٹ|تبدیل|اپڈیٹ|اپ\s*ڈیٹ|ملتوی|آگے|پیچھے)\s*"
        + _KAR
        + r"|(?:بدل"
        + _DO
        + r"|بدلو|بدلیں|بدل\s+کر\s+(?:دو|دیں))",
    ),
    _ur(Intent.CREATE_TASK, _NOT_AFTER_KEY_UR + _ADD_UR),
    _ur(
        Intent.UPDATE_TASK,
        r"(?:(?:شامل|سیٹ)\s*)?(?:لگا" + _DO + r"|لگاؤ|لگائیں|" + _KAR + r")",
        needs=_UPDATE_NEEDS_UR,
    ),
    _ur(Intent.UPDATE_TASK, r"(?:بنا" + _DO + r"|بناؤ|بنائیں)", needs=_PRIORITY_UR),
    # "میٹنگ کو کل شام 4 بجے کر دو": a bare "کر دو" right after a moment sets that moment
    _ur(Intent.UPDATE_TASK, _KAR, after_moment=True),
    _ur(
        Intent.QUERY_TASKS,
        r"(?:دکھا"
        + _DO
        + r"|دکھاؤ|دکھائیں|دکھائیے|دکھاو|بتا"
        + _DO
        + r"|بتاؤ|بتائیں|بتائیے|بتاو|سناؤ|گنواؤ|پڑھ\s+کر\s+سناؤ)"
        r"|(?:کیا|کون\s*سے|کونسے|کتنے|کتنا)\s+(?P<keep>.*)(?:ہے|ہیں)|(?:کیا\s+(?:ہے|ہیں))"
        # "کل کے لیے کچھ ہے؟": is there anything (for a day)
        r"|(?<=کے لیے |کے لئے )کچھ\s+(?:ہے|ہیں)",
    ),
    # a question in the past tense asks what was done: "آج میں نے کون سے کام مکمل کیے",
    # "کل کتنے کام مکمل ہوئے" (the words between stay for the status and date passes)
    _ur(
        Intent.QUERY_TASKS,
        r"(?:کیا|کون\s*سے|کونسے|کتنے)\s+(?P<keep>.*)(?:کیے|کئے|کیا|ہوئے|ہوا|ہوئیں|نمٹائے)"
        r"(?:\s+(?:تھے|تھا|تھی|تھیں))?",  # "... مکمل ہوئے تھے": the past perfect too
    ),
    _ur(Intent.CREATE_TASK, r"(?:بنا" + _DO + r"|بناؤ|بنائیں)"),
    # "مجھے دودھ خریدنا ہے": an infinitive + ہے is something the user has to do
    _Rule(Intent.CREATE_TASK, re.compile(r"(?<=نا|نی|نے)\s+(?:ہے|ہیں)" + _END_UR)),
)
_ACTS_ON_TASKS = frozenset(
    {Intent.COMPLETE_TASK, Intent.DELETE_TASK, Intent.REOPEN_TASK, Intent.UPDATE_TASK}
)
_INFINITIVE = re.compile(r"(?:کرنا|دینا)\s*[.!?,]*\s*$")
_NEW_TASK_UR = r"(?:ایک\s+)?(?:(?:نیا|نئی|نئے)\s+)?(?:کام|ٹاسک|ٹو\s*ڈو)"
_ADD_VERB_UR = r"(?:شامل|درج|ایڈ|داخل)\s*" + _KAR
# "کام: X", "نیا کام شامل کرو: X", "شامل کرو - X", "کام شامل کرو کہ X": the title follows the
# command; a polite word and a priority may come first ("براہ کرم فوری کام شامل کرو: X") and the
# priority stays in the text for the priority pass
_CREATE_PREFIX_UR = re.compile(
    r"^\s*(?:(?:براہ\s+کرم|پلیز|مہربانی\s+(?:کر\s+کے|کرکے)|ذرا)\s*,?\s+)?"
    r"(?P<prio>(?:" + ur.alt(ur.PRIORITY_WORDS) + r")\s+)?"
    rf"(?:{_NEW_TASK_UR}\s*:|(?:{_NEW_TASK_UR}\s+)?{_ADD_VERB_UR}(?:\s*[:,\-–—]|\s+کہ(?!\w)))\s*"
)
_ME_UR = re.compile(r"^\s*(?:مجھے|میں\s+نے)\s+")
_LIST_UR = re.compile(
    r"(?<!\w)(?:میری\s+|میرے\s+|اپنی\s+)?(?:(?:کاموں|کام|ٹاسک|ٹو\s*ڈو)\s+(?:کی\s+)?)?(?:فہرست|لسٹ)"
    r"\s+میں(?!\w)"
)
_TAIL_PUNCT = " \t,.;:!?-–—"


def _tail_start(text: str, clock: Clock | None) -> int | None:
    """Where the modifiers after an Urdu verb begin ("… شامل کرو، فوری", "… یاد دلانا کل صبح").

    A trial copy runs the later passes (tags, priority, recurrence, reminder offset, date/time);
    the trailing stretch they blank entirely is set aside, offsets unchanged, so the verb before
    it counts as the last word.
    """
    from .recurrence import take_recurrence
    from .reminders import take_offset
    from .tokens import take_priority, take_tags
    from .when import take_when

    trial = Doc(text)
    take_tags(trial)
    take_priority(trial, "ur")
    if clock is not None:
        take_recurrence(trial, clock, "ur")
        take_offset(trial, "ur")
        take_when(trial, clock, "ur")
    start = len(trial.text.rstrip(_TAIL_PUNCT))
    if start >= len(text) or not text[start:].strip(_TAIL_PUNCT):
        return None
    return start


_SHIFT_BEFORE_UR = re.compile(
    rf"(?<!\w)(?:{ur.NUM}|آدھا|آدھے|ڈیڑھ)\s+(?:منٹ|گھنٹہ|گھنٹے|دن|روز|ہفتہ|ہفتے)\s+(?:پہلے|بعد)$"
)


def _moment_before(text: str, pos: int, clock: Clock | None) -> bool:
    """Whether a date, time or recurrence phrase ends right before `pos`."""
    from .recurrence import take_recurrence
    from .when import take_when

    head = text[:pos].rstrip(_TAIL_PUNCT)
    if clock is None or not head:
        return False
    if _SHIFT_BEFORE_UR.search(head):  # "اسے ایک گھنٹہ پہلے کر دو": an amount to move by
        return True
    trial = Doc(head)
    take_recurrence(trial, clock, "ur")
    take_when(trial, clock, "ur")
    return trial.text[-1] == " "


def _match_ur(view: str, text: str, clock: Clock | None) -> tuple[_Rule, re.Match[str]] | None:
    for rule in _RULES_UR:
        m = rule.pattern.search(view)
        if not m or (rule.needs is not None and not rule.needs.search(text)):
            continue
        if rule.after_moment and not _moment_before(view, m.start(), clock):
            continue
        # an infinitive ("رپورٹ مکمل کرنا") is a to-do's title unless a task is pointed at
        if (
            rule.intent in _ACTS_ON_TASKS
            and _INFINITIVE.search(m.group(0))
            and not _REF_MARKER_UR.search(text)
        ):
            continue
        return rule, m
    return None


def match_intent(doc: Doc, language: str, clock: Clock | None = None) -> IntentHit | None:
    """Find the command verb, take it out of the text, and say which intent it asks for."""
    text = doc.text
    if language == "ur":
        if m := _CREATE_PREFIX_UR.match(text):
            doc.take(m.start(), m.start("prio") if m["prio"] else m.end())
            if m["prio"]:
                doc.take(m.end("prio"), m.end())
            return IntentHit(Intent.CREATE_TASK)
        if found := _match_ur(text, text, clock):
            return _hit(doc, *found, language)
        # no verb last: set the trailing modifiers aside (same offsets) and look again
        tail = _tail_start(text, clock)
        if tail is not None:
            view = text[:tail] + " " * (len(text) - tail)
            if found := _match_ur(view, text, clock):
                return _hit(doc, *found, language, tail)
    for seen in (text, _after_leading_moment(text, clock, language)):
        if seen is None:
            continue
        floor = len(seen) - len(seen.lstrip())  # the moment before the command stays
        for rule in _RULES_EN:
            m = rule.pattern.search(seen)
            if m and (rule.needs is None or rule.needs.search(text)):
                return _hit(doc, rule, m, language, floor=floor)
    return None


def _after_leading_moment(text: str, clock: Clock | None, language: str) -> str | None:
    """ "in 2 hours remind me to ...", "tomorrow at 9, remind me ...": the command after a moment.

    The moment is set aside (same offsets) so the verb-first rules see the command first; the
    later passes still read the moment from the text.
    """
    from .recurrence import take_recurrence
    from .when import take_when

    if clock is None or language != "en":
        return None
    trial = Doc(text)
    take_recurrence(trial, clock, language)
    take_when(trial, clock, language)
    start = len(trial.text) - len(trial.text.lstrip(" ,"))
    if start == 0 or start >= len(text) or trial.text[:start].strip(" ,"):
        return None
    if not _LEADING_COMMAND.match(text, start):
        return None
    return " " * start + text[start:]


_LEADING_COMMAND = re.compile(
    r"[\s,]*(?:please\s+)?(?:remind|ping|alert|notify|nudge|tell|wake|set|add|create|schedule)\b",
    re.I,
)


def _hit(
    doc: Doc,
    rule: _Rule,
    m: re.Match[str],
    language: str,
    limit: int | None = None,
    floor: int = 0,
) -> IntentHit:
    """Blank the command words; `limit` keeps the trailing modifiers for the later passes and
    `floor` a leading moment ("in 2 hours remind me to ...")."""
    stop = m.end() if limit is None else min(m.end(), max(limit, m.start()))
    groups = {k: v for k, v in m.groupdict().items() if v and k != "end"}
    if {"target", "title", "keep"} & groups.keys():
        # keep the named parts readable by later passes; blank only the verb words around them
        kept = [(m.start(k), m.end(k)) for k in ("target", "title", "keep") if k in groups]
        cursor = max(m.start(), floor)
        for start, end in sorted(kept):
            doc.take(cursor, start)
            cursor = end
        doc.take(cursor, stop)
        if "title" in groups:
            doc.take(m.start("title"), m.end("title"))
    else:
        doc.take(max(m.start(), floor), stop)
    if language == "ur":
        if me := _ME_UR.match(doc.text):
            doc.take_match(me)
        if rule.intent is Intent.CREATE_TASK and (lm := _LIST_UR.search(doc.text)):
            doc.take_match(lm)
    groups.pop("keep", None)
    return IntentHit(
        rule.intent, rule.confidence, rule.remind_to, groups, rule.creates_when_dated,
        rule.title_prefix,
    )  # fmt: skip
