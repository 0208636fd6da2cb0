"""The deterministic understander: one pass over the message, most specific phrase first.

Order (as in Todoist/Vikunja quick-add): notes, command verb, #tags and priorities, recurrence,
reminder offsets, date/time; every match leaves the text and what remains is the title or the
task reference. Quoted text was set aside by normalize() and is never parsed.
"""

from __future__ import annotations

import re
from datetime import date, time

from .assemble import Parts, assemble
from .doc import Clock, Doc
from .intent import IntentHit, match_intent
from .lists import take_list
from .normalize import Normalized, normalize, restore_quotes
from .query import is_query_phrase, take_query
from .recurrence import build_recurrence, take_recurrence
from .references import clean_target, is_pronoun, reference
from .reminders import reminder_from, take_offset, take_reminder_moment
from .shifts import take_shift
from .titles import make_title
from .tokens import take_notes, take_priority, take_tags
from .types import Intent, ParseContext, QuerySpec, RecurrenceSpec, TaskRef, Understanding
from .when import When, take_when

SIGNAL_CONFIDENCE = 0.75  # no verb, but a date/time/priority/tag says "task"
BARE_CONFIDENCE = 0.5  # a bare phrase: below the 0.6 threshold, the graph asks
UNKNOWN_CONFIDENCE = 0.3

_SMALL_TALK_WORD = (
    r"(?:thanks?(?:\s+you)?(?:\s+(?:so\s+much|a\s+lot))?|thx|ty|ok(?:ay)?|cool|nice|great|yes|no|yep|nope|sure|lol|"
    r"hmm+|bye|good(?:\s+night)?|شکریہ|ٹھیک\s+ہے|جی|ہاں|نہیں|اچھا|بہت|خدا\s+حافظ|اللہ\s+حافظ)"
)
# "ok thanks", "جی شکریہ": any run of small-talk words is still small talk
_SMALL_TALK = re.compile(
    rf"^\s*{_SMALL_TALK_WORD}(?:[\s,.!]+{_SMALL_TALK_WORD})*\s*[.!?]*\s*$", re.I
)
_HAS_WORD = re.compile(r"[^\W\d_]|\ue000")
_UPDATE_NOISE_EN = re.compile(
    r"\b(?:the\s+)?(?:due\s+date|due\s+time|date|deadline|time|priority|title|name|tags?|labels?|notes?|"
    r"(?:to\s+)?repeat(?:ing)?|recurring|recurrence)\s*(?:of|for|on|to|as)?\b"
    r"|\b(?:from\s+\S+(?:\s+\S+)?\s+)(?=to\b)|\bdue\b",
    re.I,
)
_UPDATE_NOISE_UR = re.compile(
    r"(?<!\w)(?:کی|کا|کے)\s+(?:ترجیح|تاریخ|وقت|ٹیگ|لیبل|نوٹ|ڈیڈ\s*لائن)(?!\w)|(?<!\w)(?:ترجیح|تاریخ|وقت|ٹیگ|لیبل|ڈیڈ\s*لائن)(?!\w)"
)
_FROM_DATE = re.compile(r"\bfrom\s+(?=\S+(?:\s+\S+)?\s+to\b)", re.I)
# "کام شامل کرو", "add a task": the word for a task is not its title
_GENERIC_TITLE_UR = re.compile(r"^(?:(?:ایک\s+)?(?:نیا|نئی|نئے|کوئی)\s+)?(?:کام|ٹاسک|ٹو\s*ڈو)$")
# a postposition right after a removed date/time phrase belongs to it: "مہینے کے آخر میں"
_POSTPOSITION_UR = re.compile(r"\s*(?:میں|کو|تک|پر|سے|کے\s+دوران)(?!\w)")


def _take_postpositions(doc: Doc, before: str) -> None:
    """Blank the Urdu postposition that follows each span a pass just blanked."""
    text = doc.text
    if text == before:
        return
    pos = 0
    while pos < len(text):
        if text[pos] != before[pos]:
            end = pos
            while end < len(text) and text[end] != before[end]:
                end += 1
            if m := _POSTPOSITION_UR.match(text, end):
                doc.take(end, m.end())
            pos = end
        pos += 1


def _first(when: When, recurrence: RecurrenceSpec | None) -> tuple[date | None, time | None]:
    if recurrence is not None:
        # "every 2 hours" said without a time: dtstart keeps its hour, the task has no due time
        return recurrence.dtstart.date(), recurrence.dtstart.time() if when.time_said else None
    if when.said:
        return when.date, when.time
    return None, None


class _Parse:
    """One message's passes; attributes are what each pass found."""

    def __init__(self, text: str, ctx: ParseContext) -> None:
        self.norm: Normalized = normalize(text)
        self.lang = self.norm.language  # the grammar that reads the text
        self.written = self.norm.written  # the language the reply is written in
        self.clock = Clock.of(ctx)
        self.doc = Doc(self.norm.text)

    def run(self) -> Understanding:
        lang, doc, clock, written = self.lang, self.doc, self.clock, self.written
        if not _HAS_WORD.search(doc.text) or _SMALL_TALK.match(doc.text):
            return Understanding(
                intent=Intent.UNKNOWN, confidence=UNKNOWN_CONFIDENCE, language=written
            )
        notes = take_notes(doc)
        listed = take_list(doc, lang)
        hit = match_intent(doc, lang, clock)
        if hit is None and listed is not None and listed.command:
            hit = IntentHit(Intent.CREATE_TASK)
        said = doc.text
        tags = take_tags(doc)
        if listed is not None and listed.tag and listed.tag not in tags:
            tags.insert(0, listed.tag)
        priority = take_priority(doc, lang)

        if hit is not None and hit.intent is Intent.HELP:
            return Understanding(intent=Intent.HELP, confidence=hit.confidence, language=written)
        if hit is None:
            trial = Doc(doc.text)
            spec = take_query(trial, clock, lang, tag=tags[0] if tags else None, priority=priority)
            spec = self._typed(spec)
            if is_query_phrase(trial.text, said):
                return Understanding(
                    intent=Intent.QUERY_TASKS, confidence=0.8, language=written, query=spec
                )
        if hit is not None and hit.intent is Intent.QUERY_TASKS:
            spec = self._typed(
                take_query(doc, clock, lang, tag=tags[0] if tags else None, priority=priority)
            )
            return Understanding(
                intent=Intent.QUERY_TASKS, confidence=hit.confidence, language=written, query=spec
            )

        renamed = None
        if hit is not None and "title" in hit.groups:
            renamed = make_title(hit.groups["title"], self.norm.quotes, lang)
        is_update = hit is not None and hit.intent is Intent.UPDATE_TASK
        if is_update and (m := _FROM_DATE.search(doc.text)):
            # "from tuesday to friday": the new date wins
            doc.take(m.start(), doc.text.find(" to ", m.end()) + 1)

        shift = take_shift(doc, lang, self.norm.text) if is_update else None
        before = doc.text
        core = take_recurrence(doc, clock, lang)
        offset = take_offset(doc, lang)
        remind_at = None
        if hit is None or hit.intent in (Intent.CREATE_TASK, Intent.UPDATE_TASK):
            remind_at = take_reminder_moment(doc, clock, lang)
        when = take_when(doc, clock, lang, core.part if core else None)
        if lang == "ur":
            _take_postpositions(doc, before)
        recurrence = build_recurrence(core, when, clock) if core else None
        due_date, due_time = _first(when, recurrence)
        rest = doc.rest()

        if hit is None:
            signal = bool(tags or priority or core or when.said or offset is not None)
            title = make_title(rest, self.norm.quotes, lang)
            if not signal and not title:
                return Understanding(
                    intent=Intent.UNKNOWN, confidence=UNKNOWN_CONFIDENCE, language=written
                )
            hit = IntentHit(Intent.CREATE_TASK, SIGNAL_CONFIDENCE if signal else BARE_CONFIDENCE)

        if hit.creates_when_dated and offset is None and (when.said or core is not None):
            # "set a reminder for my meeting with john on friday": the reminder is a new task
            title = clean_target(rest, lang)
            hit = IntentHit(Intent.CREATE_TASK, hit.confidence, remind_to=True)
            rest = title
        intent = hit.intent
        parts = Parts(
            intent, hit.confidence, written, notes=self.norm.original(notes), priority=priority,
            tags=tags, due_date=due_date, due_time=due_time, shift_minutes=shift,
            recurrence=recurrence,
        )  # fmt: skip
        if intent is Intent.CREATE_TASK:
            title = make_title(rest, self.norm.quotes, lang)
            if title and lang == "ur" and _GENERIC_TITLE_UR.match(title):
                title = None
            if hit.title_prefix:
                title = f"{hit.title_prefix} {title}" if title else hit.title_prefix
            if hit.remind_to and title and is_pronoun(title, lang):
                # "اسے کل صبح 10 بجے یاد دلانا": remind about the task last talked about
                intent = parts.intent = Intent.SET_REMINDER
                hit = IntentHit(intent, hit.confidence, groups={"target": title})
            else:
                parts.title = self.norm.original(title)
                parts.reminder = reminder_from(remind_at, offset)
                parts.remind_at_due = hit.remind_to
                return assemble(parts)
        if intent is Intent.SET_REMINDER:
            parts.target = self._target(hit, rest)
            parts.reminder = reminder_from(when, offset)
            parts.due_date = parts.due_time = None
            return assemble(parts)
        if intent is Intent.UPDATE_TASK:
            noise = _UPDATE_NOISE_UR if lang == "ur" else _UPDATE_NOISE_EN
            rest = " ".join(noise.sub(" ", rest).split())
            parts.title = self.norm.original(renamed)
            parts.reminder = reminder_from(remind_at, offset)
        parts.target = self._target(hit, rest)
        return assemble(parts)

    def _typed(self, spec: QuerySpec) -> QuerySpec:
        """The words to search for, spelled as the person typed them."""
        if spec.text is None:
            return spec
        return spec.model_copy(update={"text": self.norm.original(spec.text)})

    def _target(self, hit: IntentHit, rest: str) -> TaskRef | None:
        words = hit.groups.get("target") or rest
        ref = reference(words, self.lang)
        if ref is not None and ref.text:
            ref = TaskRef(text=self.norm.original(restore_quotes(ref.text, self.norm.quotes)))
        return ref


def understand_sync(text: str, ctx: ParseContext) -> Understanding:
    return _Parse(text, ctx).run()


class RulesUnderstander:
    """The deterministic backend: offline, English and Urdu, well under a millisecond a message."""

    async def understand(self, text: str, ctx: ParseContext) -> Understanding:
        return understand_sync(text, ctx)

    def understand_sync(self, text: str, ctx: ParseContext) -> Understanding:
        return understand_sync(text, ctx)
