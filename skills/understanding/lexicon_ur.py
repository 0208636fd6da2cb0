"""Urdu words the grammar is composed from (after normalize(): Urdu letters, Western digits)."""

from __future__ import annotations

from .lexicon_en import alt

WEEKDAYS: dict[str, int] = {
    "پیر": 0, "سوموار": 0, "منگل": 1, "بدھ": 2, "بدھوار": 2, "جمعرات": 3, "جمعہ": 4, "جمعے": 4,
    "اتوار": 6,
}  # fmt: skip
# ہفتہ is both Saturday and week; dates.py decides from the words around it.
SATURDAY_FORMS: tuple[str, ...] = ("ہفتہ", "ہفتے")

MONTHS: dict[str, int] = {
    "جنوری": 1, "فروری": 2, "مارچ": 3, "اپریل": 4, "مئی": 5, "جون": 6, "جولائی": 7,
    "اگست": 8, "ستمبر": 9, "اکتوبر": 10, "نومبر": 11, "دسمبر": 12,
}  # fmt: skip

NUMBER_WORDS: dict[str, int] = {
    "ایک": 1, "دو": 2, "تین": 3, "چار": 4, "پانچ": 5, "چھ": 6, "چھے": 6, "سات": 7, "آٹھ": 8,
    "نو": 9, "دس": 10, "گیارہ": 11, "بارہ": 12, "پندرہ": 15, "بیس": 20, "پچیس": 25, "تیس": 30,
    "چالیس": 40, "پینتالیس": 45,
}  # fmt: skip

ORDINALS: dict[str, int] = {
    "پہلے": 1, "پہلا": 1, "پہلی": 1, "دوسرے": 2, "دوسرا": 2, "دوسری": 2, "تیسرے": 3,
    "تیسرا": 3, "تیسری": 3, "چوتھے": 4, "چوتھا": 4, "چوتھی": 4, "پانچویں": 5, "آخری": -1,
}  # fmt: skip

# تاریخ is feminine: "مہینے کی پہلی تاریخ" = the 1st ("آخری تاریخ" is read by its own rule)
DAY_ORDINALS: dict[str, int] = {
    "پہلی": 1, "دوسری": 2, "تیسری": 3, "چوتھی": 4, "پانچویں": 5, "چھٹی": 6, "ساتویں": 7,
    "آٹھویں": 8, "نویں": 9, "دسویں": 10,
}  # fmt: skip
# a day of the month said before تاریخ: a number or a feminine ordinal
MONTH_DAY = r"(?:[0-3]?\d|" + alt(DAY_ORDINALS) + ")"


def month_day(raw: str) -> int:
    return int(raw) if raw.isdigit() else DAY_ORDINALS[raw]


# part of day → (default hour, how a bare hour next to it is read)
PARTS_OF_DAY: dict[str, tuple[int, str]] = {
    "صبح": (9, "am"), "دوپہر": (12, "noon"), "سہ پہر": (15, "pm"), "سہپہر": (15, "pm"),
    "سہہ پہر": (15, "pm"), "شام": (18, "pm"), "رات": (21, "night"),
}  # fmt: skip

# "ساڑھے 5" = 5:30, "سوا 5" = 5:15, "پونے 5" = 4:45
FRACTIONS: dict[str, int] = {"ساڑھے": 30, "سوا": 15, "پونے": -15}
HALF_HOURS: dict[str, tuple[int, int]] = {"ڈیڑھ": (1, 30), "ڈھائی": (2, 30)}

PRIORITY_WORDS: dict[str, int] = {
    "فوری": 1, "بہت اہم": 1, "انتہائی اہم": 1, "بہت ضروری": 1, "ارجنٹ": 1, "اہم": 2,
    "ضروری": 2, "درمیانی": 3, "درمیانہ": 3, "کم اہم": 4, "غیر اہم": 4, "غیر ضروری": 4,
}  # fmt: skip

UNITS_MINUTES: dict[str, int] = {
    "منٹ": 1, "منٹوں": 1, "گھنٹہ": 60, "گھنٹے": 60, "گھنٹوں": 60, "دن": 1440, "دنوں": 1440,
    "روز": 1440, "ہفتہ": 10080, "ہفتے": 10080, "ہفتوں": 10080,
}  # fmt: skip

NUM = r"(?:\d{1,3}|" + alt(NUMBER_WORDS) + ")"

# A verb ending: "کرو", "کر دو", "کریں", "کر دیں", "کیجیے" ... (imperative or infinitive)
KAR = r"(?:کر\s*(?:دو|دیں|دیجیے|دیجئے|دینا|لو|لیں)|کرو|کریں|کیجیے|کیجئے|کرنا|کردو|کردیں|کرلو)"
DO = r"(?:\s*(?:دو|دیں|دیجیے|دیجئے|دینا))"  # the "دو" of "ہٹا دو", "بنا دو"
