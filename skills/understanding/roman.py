"""Roman Urdu (Urdu typed in Latin letters): detected from the words, read by the Urdu grammar.

Most people in Pakistan chat in Roman Urdu ("kal subah 9 baje doctor ke paas jana hai"). There is
no standard spelling, so each Urdu word the grammar is built from is listed once with the ways it
is commonly typed (kal/kl, baje/bje, yaad/yad, ...). A Roman message is rewritten word by word into
Urdu script (words the lexicon does not know, such as "doctor" or "ammi", stay as typed), the Urdu
grammar reads it, and whatever is left for the title or a task reference is mapped back to the
words exactly as the person typed them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Urdu word (as the grammar spells it after normalize()) → the Roman spellings people type.
SPELLINGS: dict[str, tuple[str, ...]] = {
    # days and dates
    "آج": ("aaj", "aj", "aaj"), "کل": ("kal", "kl", "kall"),
    "پرسوں": ("parson", "parso", "parsoon", "parsun", "parsom"),
    "اگلے": ("agle", "agley", "aglay", "agly"), "اگلا": ("agla",), "اگلی": ("agli",),
    "اس": ("is", "iss", "es"), "ہفتے": ("hafte", "haftay", "hafty", "haftey"),
    "ہفتہ": ("hafta", "haftah"), "ہفتوں": ("hafton",), "مہینے": ("mahine", "mahiney", "mahinay",
    "maheene", "mahene", "mahinon"), "مہینہ": ("mahina", "maheena", "mahena"),
    "سال": ("saal", "sal"), "دن": ("din",), "دنوں": ("dinon",), "روز": ("roz", "rooz"),
    "روزانہ": ("rozana", "rozaana", "rozane"), "ہر": ("har",),
    "دوسرے": ("doosre", "dusre", "doosray", "dusray", "dosre", "doosrey"),
    "دوسری": ("doosri", "dusri", "dosri"), "دوسرا": ("doosra", "dusra", "dosra"),
    "تیسرے": ("teesre", "tisre"), "تیسری": ("teesri", "tisri"), "پہلی": ("pehli", "pahli"),
    "پہلا": ("pehla", "pahla"), "تاریخ": ("tareekh", "tarikh", "tareek", "tarekh", "tarik"),
    "آخر": ("aakhir", "akhir", "aakhr", "akhr"), "آخری": ("aakhri", "akhri", "aakhiri", "akhiri"),
    "یکم": ("yakum", "yakam", "yakam"),
    "پیر": ("peer", "pir"), "سوموار": ("somwar", "somvar", "somwaar"), "منگل": ("mangal",),
    "بدھ": ("budh", "budh"), "بدھوار": ("budhwar",),
    "جمعرات": ("jumerat", "jumeraat", "jumairat", "jummerat", "jumaraat", "jumarat"),
    "جمعہ": ("juma", "jumma", "jumah", "jummah", "jumaa"),
    "جمعے": ("jume", "jumme", "jummay", "jumay", "jumey"),
    "اتوار": ("itwar", "itwaar", "etwar", "atwar", "itvar"),
    "جنوری": ("janwari",), "فروری": ("farwari",), "جولائی": ("julai",), "اگست": ("agast",),
    # parts of the day and times
    "صبح": ("subah", "subha", "sobah", "subh", "subeh", "suba"),
    "دوپہر": ("dopahar", "dopehar", "dupehar", "dopher", "dopaher", "dophar", "dupahar"),
    "شام": ("shaam", "sham", "shaam"), "رات": ("raat", "rat"),
    "بجے": ("baje", "bje", "bajay", "bajey", "bajy", "bajai"),
    "ساڑھے": ("sarhe", "saarhe", "saadhe", "sadhe", "sarhay", "sade", "saade"),
    "پونے": ("pone", "paune", "pauney", "poney", "ponay"),
    "آدھے": ("aadhe", "adhe", "aadhay", "adhay"), "آدھا": ("aadha", "adha"),
    "ڈیڑھ": ("dedh", "derh", "deydh", "dairh"), "ڈھائی": ("dhai", "dhaai", "dhaee"),
    "منٹ": ("minute", "minutes", "mint", "mnt", "min", "mins", "minat"),
    "گھنٹے": ("ghante", "ghantay", "ghanty", "ghantey"), "گھنٹہ": ("ghanta", "ghantah"),
    "گھنٹوں": ("ghanton",), "بعد": ("baad", "bad", "bd", "baadh"),
    "پہلے": ("pehle", "pehlay", "pehly", "pahle", "pehley", "phle"), "قبل": ("qabl",),
    "تک": ("tak", "tk"), "بار": ("baar", "bar"), "دفعہ": ("dafa", "dafah", "dafe"),
    "علاوہ": ("ilawa", "elawa", "alawa", "ilawah", "ilaawa"),
    "سوا": ("siwa", "sewa", "sawa", "sva"),
    # postpositions and joining words
    "میں": ("mein", "main", "me", "mai", "mei", "men", "mn", "myn"), "کو": ("ko", "ku"),
    "کا": ("ka",), "کی": ("ki",), "کے": ("ke", "k", "kay", "key", "kai"),
    "کہ": ("keh", "kehh"), "سے": ("se", "sey", "say", "sy"), "پر": ("par", "pe", "pay", "py"),
    "نے": ("ne",), "اور": ("aur", "or", "awr"), "بھی": ("bhi", "bi"),
    "پاس": ("paas", "pas"), "ساتھ": ("sath", "saath"), "لیے": ("liye", "liay", "lie",
    "liey", "leye"), "بارے": ("baare", "bare", "baray"), "متعلق": ("mutalliq", "mutaliq"),
    "والا": ("wala", "waala", "vala"), "والی": ("wali", "waali", "vali"),
    "والے": ("wale", "waale", "walay", "waley", "waly", "vale"),
    # numbers
    "ایک": ("ek", "aik", "ik", "aek"), "دو": ("do",), "تین": ("teen", "tin"),
    "چار": ("char", "chaar"), "پانچ": ("paanch", "panch", "panj"), "چھ": ("chay", "chhe", "che",
    "chhay", "chey"), "سات": ("saat", "sat"), "آٹھ": ("aath", "ath"), "نو": ("nau",),
    "دس": ("das",), "گیارہ": ("gyarah", "gyara", "giarah"), "بارہ": ("barah", "bara", "baara"),
    "پندرہ": ("pandrah", "pandra"), "بیس": ("bees", "bis"), "تیس": ("tees",),
    # people and lists
    "مجھے": ("mujhe", "mujhy", "mjhe", "mujhay", "mujhey", "mjhy", "mje"),
    "میرا": ("mera", "mra", "mera"), "میری": ("meri", "mri", "mery"),
    "میرے": ("mere", "meray", "merey", "mre"), "اپنا": ("apna",), "اپنے": ("apne", "apnay"),
    "اپنی": ("apni",), "کام": ("kaam", "kam", "kaaam"), "کاموں": ("kaamon", "kamon", "kaamo"),
    "ٹاسک": ("task", "tasks"), "لسٹ": ("list",), "فہرست": ("fehrist", "fehrest", "fahrist"),
    "کوئی": ("koi", "koye"), "کچھ": ("kuch", "kuchh", "kch"),
    "اسے": ("isay", "isey", "ise", "isse", "use", "usay", "usey", "isay"),
    "اسکو": ("isko", "usko", "isku"), "یہ": ("ye", "yeh", "yah"), "وہ": ("wo", "woh", "vo", "voh"),
    "سب": ("sab", "sub"), "سارے": ("saare", "sare", "saray", "saarey"),
    "تمام": ("tamam", "tamaam"),
    # verbs and their endings
    "یاد": ("yaad", "yad", "yaad", "yaadd"), "دلانا": ("dilana", "dilaana", "dlana", "dilaana"),
    "دلاؤ": ("dilao", "dilaao", "dilaw"), "دلائیں": ("dilayein", "dilaen", "dilaein", "dilain"),
    "دلا": ("dila", "dilaa"), "دہانی": ("dehani", "dahani", "dihani", "dehaani"),
    "ریمائنڈر": ("reminder", "reminders"), "الرٹ": ("alert",),
    "کرانا": ("karana", "karaana", "krana"), "کروانا": ("karwana", "karwaana", "krwana"),
    "کر": ("kar", "kr"), "کرو": ("karo", "kro", "kare"), "کریں": ("karen", "karein", "krein",
    "karain", "kren", "krain"), "کرنا": ("karna", "krna", "karnaa"), "کردو": ("kardo", "krdo",
    "kar-do"), "کردیں": ("karden", "kardein", "krden", "krdein"), "کرلو": ("karlo", "krlo"),
    "دیں": ("dein", "den", "dain", "dijiye", "dijye"), "دینا": ("dena", "dyna", "daina"),
    "لو": ("lo",), "لیں": ("lein", "len", "lain"), "لینا": ("lena", "laina"),
    "لینی": ("leni", "laini"), "لینے": ("lene", "laine"), "جانا": ("jana", "jaana"),
    "ہے": ("hai", "he", "hay", "h", "hy", "hae"), "ہیں": ("hain", "hein", "hen", "hn"),
    "ہو": ("ho",), "گیا": ("gaya", "gya", "gayaa", "giya"), "گئی": ("gayi", "gai", "gyi"),
    "گئے": ("gaye", "gae", "gye"), "چکا": ("chuka", "chukka"), "چکی": ("chuki",),
    "لیا": ("liya", "lia"), "لی": ("li",),
    "مکمل": ("mukammal", "mukamal", "mukmal", "mkmal", "complete", "mukkammal"),
    "ختم": ("khatam", "khatm", "khtm"), "ڈن": ("done",),
    "حذف": ("hazf", "hazaf"), "ڈیلیٹ": ("delete", "dlt", "del"), "مٹا": ("mita", "mitaa"),
    "مٹاؤ": ("mitao", "mitaao"), "ہٹا": ("hata", "hataa"), "ہٹاؤ": ("hatao", "hataao"),
    "نکال": ("nikal", "nikaal"), "نکالو": ("nikalo", "nikaalo"), "کینسل": ("cancel", "cancle",
    "kensal"), "منسوخ": ("mansookh", "mansukh", "mansook"),
    "شامل": ("shamil", "shaamil", "shaamel"), "ایڈ": ("add",), "ڈال": ("daal", "dal"),
    "ڈالو": ("daalo", "dalo"), "ڈالیں": ("daalein", "dalen", "daalen"), "لکھ": ("likh",),
    "لکھو": ("likho",), "درج": ("darj",), "نوٹ": ("note",),
    "بدل": ("badal",), "بدلو": ("badlo",), "تبدیل": ("tabdeel", "tabdil"), "شفٹ": ("shift",),
    "اپڈیٹ": ("update",), "ملتوی": ("multawi", "multavi", "multwi", "multvi", "multavee"),
    "آگے": ("aage", "agay", "aagay", "agy", "aagey", "agey", "age"),
    "پیچھے": ("peeche", "pichay", "peechay", "piche", "peechy", "pichhe"),
    "منتقل": ("muntaqil", "muntakil", "muntqil"), "لگا": ("laga", "lga"),
    "لگاؤ": ("lagao", "lagaao"), "سیٹ": ("set",), "رکھ": ("rakh",), "رکھو": ("rakho",),
    "بنا": ("bana", "banaa"), "بناؤ": ("banao", "banaao"),
    "دکھاؤ": ("dikhao", "dikhaao", "dikhaw", "dkhao", "dikhayo"), "دکھا": ("dikha", "dikhaa"),
    "دکھائیں": ("dikhayein", "dikhaen", "dikhain", "dikhaein"),
    "بتاؤ": ("batao", "btao", "bataao", "bataoo"), "بتا": ("bata", "bta"),
    "بتائیں": ("batayein", "bataen", "batain"), "کیا": ("kya", "kia", "kyaa", "kiya"),
    "کون": ("kaun", "kon", "kaun"), "کونسے": ("konse", "kaunse", "konsay"),
    "کتنے": ("kitne", "kitnay"), "دوبارہ": ("dobara", "dubara", "dobaara"),
    # the past tense of questions about what was done ("aaj maine kaun se kaam mukammal kiye")
    "میں نے": ("maine", "mainay", "mene", "mainne"), "کیے": ("kiye", "kiey", "kiyay", "kie"),
    "ہوئے": ("huay", "huye", "hue", "hoye"), "ہوا": ("hua", "huwa", "howa"),
    "کھول": ("khol",), "کھولو": ("kholo",), "نامکمل": ("namukammal", "namukamal"),
    # "maine doodh le liya", "maine report bhej di": done, said in the past tense
    "لے": ("le", "lay"), "دیا": ("diya", "dia", "diyaa"), "دی": ("di", "dee"),
    "بھیج": ("bhej", "bhaij"),
    # "mujhe jaga dena", "mujhe utha dena": wake me up
    "جگا": ("jaga", "jagaa", "jga"), "اٹھا": ("utha", "uthaa", "utha"),
    "جگانا": ("jagana", "jagaana"), "اٹھانا": ("uthana", "uthaana"),
    # priorities
    "فوری": ("fori", "fauri", "foori", "fowri"), "ضروری": ("zaroori", "zaruri", "zarori",
    "zaroorii"), "اہم": ("ahem", "aham", "ahm", "ehem"), "بہت": ("bohat", "bohot", "bahut",
    "bht", "boht", "bhot"), "کم": ("km",), "غیر": ("ghair", "gair"), "ارجنٹ": ("urgent",),
    "پلیز": ("please", "plz", "pls", "plx"),
    # small talk
    "شکریہ": ("shukriya", "shukria", "shukriyaa", "shukriyah"), "جی": ("ji", "jee"),
    "ہاں": ("haan", "han", "haa"), "نہیں": ("nahi", "nahin", "nai", "nahee"),
    "ٹھیک": ("theek", "thik", "theak"), "اچھا": ("acha", "achha", "accha", "achaa"),
    "حافظ": ("hafiz",), "خدا": ("khuda", "khudaa"), "اللہ": ("allah",),
    "حال": ("haal", "hal"), "کیسے": ("kaise", "kese", "kaisay", "kesy", "kesay"),
    "مدد": ("madad", "madd"),
    "آپ": ("aap", "ap"), "تم": ("tum",), "سکتے": ("sakte", "sakty", "saktay"),
    "سکتی": ("sakti",), "نیا": ("naya", "nya"), "نئی": ("nayi", "nyi"), "نئے": ("naye", "nae"),
    "نام": ("naam", "nam"), "ذرا": ("zara", "zra", "zaraa"), "کب": ("kab",),
    "شدہ": ("shuda", "shudah"),
    "ہو گیا": ("hogaya", "hogya", "hogia"), "ہو گئی": ("hogayi", "hogai", "hogyi"),
    "ہو گئے": ("hogaye", "hogae", "hogye"),
}  # fmt: skip

# English weekday and month names are common in Roman Urdu ("sunday ko", "14 august ko")
ENGLISH_NAMES: dict[str, str] = {
    "monday": "پیر", "tuesday": "منگل", "wednesday": "بدھ", "thursday": "جمعرات",
    "friday": "جمعہ", "saturday": "ہفتہ", "sunday": "اتوار", "january": "جنوری",
    "february": "فروری", "march": "مارچ", "april": "اپریل", "may": "مئی", "june": "جون",
    "july": "جولائی", "august": "اگست", "september": "ستمبر", "october": "اکتوبر",
    "november": "نومبر", "december": "دسمبر", "today": "آج", "tomorrow": "کل", "tmrw": "کل",
    "tonight": "آج رات", "morning": "صبح", "evening": "شام", "night": "رات", "next": "اگلے",
    "week": "ہفتے", "month": "مہینے", "weekend": "ویک اینڈ", "weekends": "ویک اینڈ",
}  # fmt: skip

# A Roman spelling that is also an everyday English word does not by itself say "Roman Urdu".
_ENGLISH_TOO = frozenset(
    {
        "is", "me", "main", "men", "do", "no", "or", "bad", "bar", "sub", "pe", "pay", "par",
        "say", "pas", "peer", "pir", "rat", "sham", "sat", "das", "din", "han", "li", "lo",
        "len", "den", "dal", "tin", "char", "he", "h", "k", "ye", "wo", "use", "age", "may",
        "mai", "set", "bis", "hal", "bara", "lie", "bare", "bata", "lena", "jana", "mint",
        "min", "mins", "minute", "minutes", "note", "add", "delete", "del", "cancel", "shift",
        "update", "done", "list", "task", "tasks", "complete", "please", "plz", "pls", "urgent",
        "reminder", "reminders", "alert", "kay", "key", "mn", "ik", "ho", "hay", "hen", "sy",
        "tk", "bi", "sewa", "ku", "hy", "bd", "che", "mera", "ap",
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
        "january", "february", "march", "april", "june", "july", "august", "september",
        "october", "november", "december",
    }
)  # fmt: skip

# Roman spellings that are English words too but lean Urdu next to a sure Urdu word
_LEANING = frozenset(
    {"lena", "jana", "ho", "mera", "hay", "bata", "hen", "kay", "bi", "sewa", "do", "den", "dein",
     "list", "me", "main"}
)  # fmt: skip
# Roman Urdu infinitives end in -na/-ni/-ne ("khelna", "bharni"); English words that do too
_INFINITIVE = re.compile(r"^[a-z]{2,}(?:na|ni|ne)$")
_ENGLISH_NA = frozenset(
    {
        "phone", "done", "gone", "none", "line", "online", "fine", "mine", "nine", "wine", "dine",
        "shine", "machine", "engine", "magazine", "routine", "vaccine", "medicine", "zone", "tone",
        "stone", "alone", "plane", "lane", "crane", "airplane", "iphone", "someone", "anyone",
        "everyone", "scene", "gene", "june", "tune", "dune", "bone", "cone", "clone", "drone",
        "define", "combine", "decline", "deadline", "headline", "pipeline", "timeline", "turbine",
        "cuisine", "marine", "urine", "canine", "feminine", "genuine", "examine", "determine",
        "china", "arena", "antenna", "banana", "sauna", "hyena", "lasagna", "retina", "vienna",
        "tuna", "luna", "fauna", "corona", "verona", "ballerina", "mini", "bikini", "zucchini",
        "linguini", "tortellini", "martini", "genie", "eugene", "ozone",
    }
)  # fmt: skip

_LOOKUP: dict[str, str] = {
    **ENGLISH_NAMES,
    **{spelling: urdu for urdu, spellings in SPELLINGS.items() for spelling in spellings},
}
_MARKERS = frozenset(_LOOKUP) - _ENGLISH_TOO - ENGLISH_NAMES.keys()
_GREETING = re.compile(
    r"\b(?:as+alam|as-?salam|salaam|salam)[\s-]*(?:o|u|ou|wa|w)?[\s-]*(?:alaikum|alaykum|alekum|alaikom|aleikum)\b|\baoa\b",
    re.I,
)
_CHUNK = re.compile(r"\S+")
_CORE = re.compile(r"^(\W*)(.*?)(\W*)$", re.S)
_LATIN_WORD = re.compile(r"[a-z]", re.I)
_ARABIC_SCRIPT = re.compile(r"[\u0600-\u06FF]")
# "yaad dilana ke ...": Roman "ke" after a verb is the conjunction کہ, not the genitive کے
_CONJ_AFTER = frozenset(
    {"دلانا", "دلاؤ", "دلائیں", "کرو", "کریں", "ہے", "ایڈ", "شامل", "لکھو", "دینا", "دو", "دیں",
     "کروانا", "کرانا"}
)  # fmt: skip
# "kam ahem", "kam zaroori": کم (less), else "kam" is کام (work), as people type it
_LESS_BEFORE = frozenset({"اہم", "ضروری"})


def _words(text: str) -> list[str]:
    return [m.group(2).lower() for c in _CHUNK.finditer(text) if (m := _CORE.match(c.group()))]


def is_roman_urdu(text: str) -> bool:
    """Latin letters with two words only Urdu uses ("kal", "baje", "karna", "hai"), or one such
    word and one that leans Urdu, or one such word ending the message (Urdu is verb-last:
    "... appointment hai", "shukriya")."""
    if _ARABIC_SCRIPT.search(text) or not _LATIN_WORD.search(text):
        return False
    if _GREETING.search(text):
        return True
    words = _words(text)
    strong = {w for w in words if w in _MARKERS}
    # "doodh lena ho gaya", "sunday ko cricket khelna": one sure word and one that only leans
    weak = {w for w in words if w in _LEANING or (_INFINITIVE.match(w) and w not in _ENGLISH_NA)}
    if len(strong) >= 2 or (len(strong) == 1 and bool(weak - strong)):
        return True
    # Urdu puts the verb last: "next week dentist appointment hai"
    return bool(strong) and words[-1] in strong


_EDGE = ".,;:!?"


@dataclass(frozen=True, slots=True)
class Romanized:
    """A Roman Urdu message in Urdu script, with the typed chunk behind each script word."""

    text: str
    typed: tuple[tuple[str, int], ...]  # (script word, index of the typed chunk it came from)
    chunks: tuple[str, ...]  # the typed chunks, lexicon words without their punctuation

    def original(self, script: str | None) -> str | None:
        """Words the grammar left (a title, a task's name) as the person typed them.

        The words left are a subsequence of the message, so each is matched to the next script
        word of the message that is the same; a word that is not found (a restored quote) stays.
        """
        if not script:
            return script
        out: list[str] = []
        last = -1
        cursor = 0
        for word in script.split():
            key = word.strip(_EDGE)
            for pos in range(cursor, len(self.typed)):
                if self.typed[pos][0].strip(_EDGE) == key:
                    index = self.typed[pos][1]
                    if index != last:
                        out.append(self.chunks[index])
                    last, cursor = index, pos + 1
                    break
            else:
                out.append(word)
        return " ".join(out)


def to_script(text: str) -> Romanized:
    """Rewrite the words the lexicon knows into Urdu script; other words and #tags stay."""
    text = _GREETING.sub(" السلام علیکم ", text)
    raw = [c.group() for c in _CHUNK.finditer(text)]
    typed: list[tuple[str, int]] = []
    chunks: list[str] = []
    for i, chunk in enumerate(raw):
        m = _CORE.match(chunk)
        assert m is not None  # the pattern matches any string
        lead, core, trail = m.groups()
        key = core.lower()
        word = _LOOKUP.get(key) if core and not lead.startswith("#") else None
        before = typed[-1][0].strip(_EDGE) if typed else ""
        if word == "کے" and key in ("ke", "k") and before in _CONJ_AFTER:
            word = "کہ"
        after = _LOOKUP.get(raw[i + 1].lower().strip(_EDGE)) if i + 1 < len(raw) else None
        if word == "کام" and key == "kam" and after in _LESS_BEFORE:
            word = "کم"
        chunks.append(core if word else chunk)
        parts = f"{lead}{word}{trail}".split() if word else [chunk]
        typed += [(part, i) for part in parts]
    return Romanized(" ".join(w for w, _ in typed), tuple(typed), tuple(chunks))
