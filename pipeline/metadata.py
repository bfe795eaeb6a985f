"""Metadata stage: a `records.Layout` -> `records.Fields` (the `documents.csv` columns).

Reads the normalized lines of the layout parts (header, title, body opening, recipients,
signer; `layout.lines` as a fallback when a part is missing) and returns the document fields
of ANNOTATION.md. It never edits a line and never invents a value the text does not print:
what it cannot read stays an empty string.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import functools
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .config import DATA_DIR
from .records import Fields, Layout, Line

LEXICON_DIR = DATA_DIR / "metadata"

UPPER = "A-ZĐÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"

# ---------------------------------------------------------------------------------------------
# Fixed patterns (the lexicon-driven ones are built once in `lexicon()`).
MARKDOWN_EMPHASIS = re.compile(r"\*{1,3}")  # "**KẾT LUẬN**", "***Nơi nhận:***"
EDGE_MARKS = re.compile(r"^[\s_#>]+|[\s_]+$")  # "__Số: 58/TB-VP__"
SPACES = re.compile(r"\s+")  # "Số:   /TB-TTr" -> "Số: /TB-TTr"
SEPARATOR = re.compile(r"^[\s\-_*=~.·–—]*$")  # "-----", "*", "___"
# "Số: 58/TB-VP", "Số 318-TB/ĐUK", "Số: /TB-TTr", "Số: /TB-UBND Quảng Ngãi, ngày tháng 01 năm 2025",
# and OCR'd handwriting before the slash: "Số: 2) /BC-UBND"
NUMBER_LINE = re.compile(
    r"^(?:Số|SỐ|số)\s*:?\s*"
    r"(?P<num>(?:\d[\d.]*\s*|[^\s/,;]{1,6}\s*)?[/-]\s*[^\s,;]+(?:\s?[-/]\s?[^\s,;]+)*|\d+(?=\s|$))"
    r"(?P<rest>.*)$"
)
# The place-date line; `{prefix}` is an administrative level printed before the name ("Thành phố"):
# "Tây Ninh, ngày 18 tháng 5 năm 2020", "Quảng Ngãi, ngày 08/01/2025", "Hà Nội, ngày    tháng 5 năm 2020",
# "Thành phố Hồ Chí Minh, ngày 20 tháng 01 năm 2025"
PLACE_DATE_SOURCE = (
    rf"(?P<place>(?:(?:{{prefix}})\s+)?[{UPPER}][^\W\d_]*\.?(?:\s+[{UPPER}][^\W\d_]*\.?){{{{0,5}}}})"
    r"\s*,\s*(?P<date>(?:ngày|Ngày)\b.*)$"
)
# A place-date line wrapped before its year or its date: "Thành phố Hồ Chí Minh, ngày 20 tháng 01 năm" + "2025"
DATE_WRAPPED = re.compile(r"(?:,|\b(?:ngày|tháng|năm))\s*$", re.IGNORECASE)
DATE_CONTINUES = re.compile(r"^(?:\d|ngày\b|tháng\b|năm\b)", re.IGNORECASE)
# "ngày 18 tháng 5 năm 2020", "ngày   tháng 01 năm 2025" (day left blank for the signer)
DATE_WORDS = re.compile(
    r"ngày\s*(?P<d>\d{1,2})?[^\w,]{0,3}\s*tháng\s*(?P<m>\d{1,2})?\s*(?:năm|,)\s*(?P<y>\d{4})?", re.IGNORECASE
)
# "ngày 08/01/2025", "ngày 08.01.2025", "ngày 8-1-2025", "ngày 17/6"
DATE_DIGITS = re.compile(
    r"(?:ngày\s*)?(?<![\d/.])(?P<d>\d{1,2})\s*[/.\-]\s*(?P<m>\d{1,2})(?:\s*[/.\-]\s*(?P<y>\d{4}))?(?![\d/])",
    re.IGNORECASE,
)
# Any date inside running text: "ngày 11/5/2020", "ngày 5 tháng 3 năm 2024", "Sáng ngày 17/6/2024"
TEXT_DATE = re.compile(
    r"(?<!\w)ngày\s+(?:(?P<d1>\d{1,2})\s+tháng\s+(?P<m1>\d{1,2})(?:\s+năm\s+(?P<y1>\d{4}))?"
    r"|(?P<d2>\d{1,2})\s*[/.\-]\s*(?P<m2>\d{1,2})(?:\s*[/.\-]\s*(?P<y2>\d{4}))?(?![\d/]))",
    re.IGNORECASE,
)
# A document reference right before a date: "Thông báo số 45/TB-UBND ngày 12/3/2023"
DOC_REFERENCE_BEFORE = re.compile(r"(?:\bsố\s*[\w./\-&]*|\b\d+[\w.\-]*/[\w./\-&]+)\s*$", re.IGNORECASE)
# A deadline or range edge right before a date: "trước ngày 20/4/2024", "từ ngày 10/6 đến ngày 14/6/2024"
LEGAL_BASIS = re.compile(r"^\s*Căn\s+cứ\b", re.IGNORECASE)  # "Căn cứ Luật Tổ chức chính quyền địa phương ..."
RANGE_BEFORE = re.compile(r"\b(?:đến|trước|sau|từ|hết|tới|hạn|kể từ)\s*$", re.IGNORECASE)
BULLET = re.compile(r"^\s*[-–—+•·]\s*")  # "- Lưu: VT, TH."
# "Nơi nhận:", "NƠI NHẬN", OCR "Nởi nhận:" (matched on the text without diacritics)
RECIPIENTS_HEAD = re.compile(r"^\s*Noi\s+(?:nhan|gui)\b\s*:?\s*", re.IGNORECASE)
PARENTHESIZED = re.compile(r"\([^()]*\)")  # "(Đã ký)", "(M.An)"
# Characters a signer's title or name never holds (Nghị định 30: quyền hạn and chức vụ are words;
# the Party's "T/M", "K/T" put a slash between two letters): OCR reads them in the strokes of a
# signature or a seal left on a scan.  # "ẤN /À /A", "\\ /"
STAMP_DEBRIS = re.compile(r"[\\|_~^`<>{}\[\]@#$%*=+]|(?<![^\W\d_])/|/(?![^\W\d_])")
TRAILING_PUNCT = re.compile(r"[\s;,.]+$")  # "- Lưu: VT, HS." -> "Lưu: VT, HS"
ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}
# A heading or bullet that ends the opening paragraphs: "I. KẾT QUẢ", "1. Kết quả đạt được", "1- Kết quả",
# "a) Về kinh tế", "PHẦN I.", "- Giá trị sản xuất ..."
HEADING = re.compile(
    r"^(?:(?:[IVXLC]+|\d+(?:\.\d+)*|[A-ZĐ]|[a-zđ])\s*[.)\-–]\s|PHẦN\s|Phần\s+[IVX\d]|[-+•]\s)"
)
# A paragraph that opens the body, never a title line: "Ngày 04/4/2024, tại ...", "Căn cứ Luật ..."
BODY_OPENING = re.compile(
    r"^(?:(?:Căn cứ|Thực hiện|Kính gửi|Vào\s+(?:lúc|hồi|ngày)|Sáng|Chiều|Tối|Hôm nay|Trong\s+(?:ngày|tuần))\b"
    r"|Ngày\s+\d)"
)
ADDRESSEES = re.compile(r"^Kính\s+gửi\b", re.IGNORECASE)  # "Kính gửi: UBND các huyện, thành phố."
OPENING_END = re.compile(r"(?:như sau|sau đây|nội dung sau|những nội dung sau)\s*:\s*$", re.IGNORECASE)
# Sentence boundary in running text: "... năm học 2024 - 2025. PGS.TS. Đặng Quốc Bảo ..."
SENTENCE_END = re.compile(rf"(?<=[.!?])\s+(?=[{UPPER}])")
CAPITALIZED_WORD = re.compile(rf"^[{UPPER}]")  # "Đặng", "UBND", not "trụ"
LOCATION_START = re.compile(r"(?<!\w)tại\s+", re.IGNORECASE)  # "tại Phòng họp số 1, trụ sở UBND tỉnh"
CHAIR_OF = re.compile(
    r"(?:dưới\s+sự\s+)?chủ\s+trì(?!\w)\s*(?:của\s+)?", re.IGNORECASE
)  # "dưới sự chủ trì của"
CHAIR_COLON = re.compile(
    r"(?<!\w)Chủ\s+trì\s*(?:cuộc họp|hội nghị)?\s*:\s*", re.IGNORECASE
)  # "Chủ trì: đồng chí A"
CLAUSE_END = re.compile(r"[;.]\s")  # "Chủ trì: PGS.TS. Trần Văn Sơn - Hiệu trưởng. Thư ký: ..."
# Where a "Chủ trì: ..." value ends: "Chủ trì: đồng chí A - Giám đốc Sở; đồng chí B ..."
CHAIR_COLON_END = re.compile(r"[;.]\s|\s(?:và|cùng)\s")
# Where a "dưới sự chủ trì của ..." value ends: "... của ông A - Chủ tịch UBND huyện, tham dự có ..."
CHAIR_OF_END = re.compile(r",\s(?=[a-zđ])|[;.]\s|[;.]$|\s(?:và|cùng|đã)\s")
# A word that starts a person's written form without an honorific: "BS.CKII. Nguyễn Thị Thu Hà"
WORD_START = re.compile(r"(?:^|(?<=[\s,]))(?=\S)")
PERSON_DASH = re.compile(r"\s[-–]\s+")  # "Nguyễn Thị Thu Hà - Giám đốc Bệnh viện"
SPAN_STOP = re.compile(r"\s(?:do|dưới sự|với sự|cùng|và các|có sự)\s", re.IGNORECASE)  # "tại X do đồng chí Y"


# ---------------------------------------------------------------------------------------------
# Tone-insensitive matching: the normalize stage writes one tone convention ("hòa", "thủy"), but
# lexicon look-ups fold both conventions onto one so "HOÀ" and "HÒA" match. The fold keeps the
# string length, so a span found in the folded text is the same span in the original.
_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"
_FOLD_PAIR = re.compile(r"([oOuU])([àáảãạÀÁẢÃẠèéẻẽẹÈÉẺẼẸỳýỷỹỵỲÝỶỸỴ])(?!\w)")  # "hoà", "thuỷ", "HOÀ"


def _move_tone(m: re.Match[str]) -> str:
    """Put the tone of a final glide pair on its first vowel: "oà" -> "òa", "uý" -> "úy"."""
    first, second = m.group(1), m.group(2)
    if (first in "oO" and unicodedata.normalize("NFD", second)[0] not in "aAeE") or (
        first in "uU" and unicodedata.normalize("NFD", second)[0] not in "yY"
    ):
        return m.group(0)
    decomposed = unicodedata.normalize("NFD", second)
    base = decomposed[0] + "".join(c for c in decomposed[1:] if c not in _TONE_MARKS)
    tone = "".join(c for c in decomposed[1:] if c in _TONE_MARKS)
    return unicodedata.normalize("NFC", first + tone) + unicodedata.normalize("NFC", base)


def fold(text: str) -> str:
    """NFC text with one tone placement, same length as the NFC input (for matching only).

    Examples:
        >>> fold("CỘNG HOÀ") == fold("CỘNG HÒA")
        True
    """
    return _FOLD_PAIR.sub(_move_tone, unicodedata.normalize("NFC", text))


def _bare_char(c: str) -> str:
    """One letter without its marks: "Ế" -> "E", "đ" -> "d"."""
    if c in "đĐ":
        return "d" if c == "đ" else "D"
    base = unicodedata.normalize("NFD", c)[:1]
    return base if base.isascii() else c


def bare(text: str) -> str:
    """NFC text without diacritics, same length: OCR confuses marks ("QUYÉT ĐỊNH", "Nởi nhận").

    Examples:
        >>> bare("QUYÉT ĐỊNH")
        'QUYET DINH'
    """
    return "".join(_bare_char(c) for c in unicodedata.normalize("NFC", text))


def clean(text: str) -> str:
    """A line's text without Markdown emphasis, non-breaking or repeated spaces.

    Examples:
        >>> clean("**KẾT LUẬN**  ")
        'KẾT LUẬN'
    """
    t = unicodedata.normalize("NFC", text).replace("\u00a0", " ")
    t = MARKDOWN_EMPHASIS.sub("", t)
    t = EDGE_MARKS.sub("", t)
    return SPACES.sub(" ", t).strip()


def _is_upper(text: str) -> bool:
    """True when (almost) every letter is a capital: "UBND TỈNH QUẢNG NGÃI"."""
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 2:
        return False
    return sum(c.isupper() for c in letters) >= 0.85 * len(letters)


def _alternation(words: Iterable[str]) -> str:
    """Regex alternation of folded words, longest first, spaces matching any whitespace."""
    unique = sorted({fold(w) for w in words if w}, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in unique)


# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Lexicon:
    """Cue words of data/metadata/*.json compiled into patterns (built once per process)."""

    type_line: re.Pattern[str]
    type_names: dict[str, str]
    conclusion_types: frozenset[str]
    conclusion_title_starts: dict[str, tuple[str, ...]]
    letter_type: str
    cited_doc: re.Pattern[str]
    letter_line: re.Pattern[str]
    unit_start: re.Pattern[str]
    unit_in_text: re.Pattern[str]
    admin_in_text: re.Pattern[str]
    motto: re.Pattern[str]
    header_mark: re.Pattern[str]
    copy_marker: re.Pattern[str]
    leader: re.Pattern[str]
    issuer_stop: re.Pattern[str]
    honorific: re.Pattern[str]
    rank: re.Pattern[str]
    academic: re.Pattern[str]
    authority: re.Pattern[str]
    signer_note: re.Pattern[str]
    digital_signature: re.Pattern[str]
    signer_title_word: re.Pattern[str]
    surnames: frozenset[str]
    review_cue: re.Pattern[str]
    plan_cue: re.Pattern[str]
    plan_suffix: re.Pattern[str]
    number_words: dict[str, int]
    period: re.Pattern[str]
    room: re.Pattern[str]
    verb: re.Pattern[str]
    not_location: re.Pattern[str]
    address: re.Pattern[str]
    label: re.Pattern[str]
    place_date: re.Pattern[str]
    invitation_types: frozenset[str]
    no_own_meeting_types: frozenset[str]


def _load(name: str) -> dict[str, object]:
    """One lexicon file of data/metadata/."""
    data: dict[str, object] = json.loads((LEXICON_DIR / name).read_text(encoding="utf-8"))
    return data


def _words(data: dict[str, object], key: str) -> list[str]:
    """A list of strings from a lexicon file."""
    value = data[key]
    assert isinstance(value, list)
    return [str(v) for v in value]


@functools.lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """Load and compile the metadata lexicons once per process."""
    types = _load("doc_types.json")
    agency = _load("agency.json")
    people = _load("people.json")
    periods = _load("periods.json")
    meeting = _load("meeting.json")
    title_starts = types["conclusion_if_title_starts"]
    assert isinstance(title_starts, dict)
    numbers = periods["number_words"]
    assert isinstance(numbers, dict)
    number_alt = _alternation(numbers)
    i = re.IGNORECASE
    # The period phrases of ANNOTATION.md "Periods", plus dates (skipped) so that "ngày 15 tháng 01
    # năm 2024" is never read as a month. Alternatives starting at the same place are tried in order.
    period_source = (
        r"(?<!\w)(?:"
        r"(?P<week>tuần(?:\s+(?:thứ\s+)?\d{1,2})?(?:\s+năm\s+\d{4})?\s*[(,]?\s*(?:\(\s*)?(?:từ\s+)?(?:ngày\s+)?"
        r"(?P<w1>\d{1,2}\s*/\s*\d{1,2}(?:\s*/\s*\d{4})?)\s*(?:đến|-|–)\s*(?:ngày\s+)?"
        r"(?P<w2>\d{1,2}\s*/\s*\d{1,2}(?:\s*/\s*\d{4})?)\s*\)?)"
        r"|(?P<date>ngày\s*\d{1,2}\s*tháng\s*\d{1,2}(?:\s*năm\s*\d{4})?|ngày\s*\d{1,2}\s*[/.\-]\s*\d{1,2}"
        r"(?:\s*[/.\-]\s*\d{4})?|\d{1,2}/\d{1,2}/\d{4})"
        r"|(?P<school>(?:học\s+kỳ\s+(?P<term>IV|III|II|I|\d)\s*,?\s*)?năm\s+học\s+(?P<sy1>\d{4})\s*[-–]\s*(?P<sy2>\d{4}))"
        r"|(?P<semester>học\s+kỳ\s+(?:IV|III|II|I|\d)\b)"
        rf"|(?P<span>(?P<n>\d{{1,2}}|{number_alt})\s+tháng(?:\s+(?P<pos>đầu|cuối))?"
        r"(?:\s+năm(?:\s*(?P<ny>\d{4}))?|\s*(?:/\s*)?(?P<ny2>\d{4})))"
        r"|(?P<quarter>quý\s+(?P<q>IV|III|II|I|[1-4])(?!\w)(?:\s*(?:/|năm|,\s*năm)\s*(?P<qy>\d{4}))?)"
        r"|(?P<month>tháng\s+(?P<m>\d{1,2})(?!\s*/\s*\d{1,2}\b(?!\d))(?:\s*(?:/|năm|-)\s*(?P<my>\d{4}))?)"
        r"|(?P<year>năm\s+(?P<y>\d{4})(?!\s*[-–]\s*\d{4}))"
        r")(?!\w)"
    )
    period = re.compile(fold(period_source), i)  # folded like the text it reads: "quý" -> "qúy"
    return Lexicon(
        type_line=re.compile(
            rf"^(?P<type>{_alternation(bare(t) for t in _words(types, 'types'))})(?![^\W\d_])\s*(?P<rest>.*)$",
            i,
        ),
        type_names={SPACES.sub(" ", bare(t)).upper(): t for t in _words(types, "types")},
        conclusion_types=frozenset(fold(t).upper() for t in _words(types, "conclusion_types")),
        conclusion_title_starts={
            fold(k).upper(): tuple(fold(str(s)).lower() for s in v) for k, v in title_starts.items()
        },
        letter_type=str(types["letter_type"]),
        cited_doc=re.compile(rf"(?<!\w)(?:{_alternation(_words(types, 'cited_documents'))})(?!\w)"),
        letter_line=re.compile(rf"^(?:{_alternation(_words(types, 'letter_prefixes'))})\b", i),
        unit_start=re.compile(rf"^(?:{_alternation(_words(agency, 'unit_words'))})(?![^\W\d_])", i),
        unit_in_text=re.compile(rf"(?<!\w)(?:{_alternation(_words(agency, 'unit_words_in_text'))})(?!\w)"),
        admin_in_text=re.compile(rf"^(?:{_alternation(_words(agency, 'admin_levels_in_text'))})$"),
        motto=re.compile(_alternation(_words(agency, "mottos")).replace(r"\-", r"\s*[-–]\s*"), i),
        header_mark=re.compile(rf"^(?:{_alternation(_words(agency, 'header_marks'))})\W*$", i),
        copy_marker=re.compile(rf"^\W*(?:{_alternation(_words(agency, 'copy_markers'))})(?!\w)", i),
        leader=re.compile(rf"(?<!\w)(?:{_alternation(_words(agency, 'leader_titles'))})(?!\w)"),
        issuer_stop=re.compile(rf"(?<!\w)(?:{_alternation(_words(agency, 'issuer_stop_words'))})(?!\w)", i),
        honorific=re.compile(rf"(?<!\w)(?:{_alternation(_words(people, 'honorifics'))})\s+"),
        rank=re.compile(rf"^(?:{_alternation(_words(people, 'ranks'))})(?!\w)\s*", i),
        academic=re.compile(rf"^(?:{_alternation(_words(people, 'academic_prefixes'))})(?:\s+|(?<=\.))"),
        authority=re.compile(
            rf"(?:^|(?<=\s))(?:{_alternation(_words(people, 'signer_authority'))})\s*(?=[{UPPER}])"
        ),
        signer_note=re.compile(rf"^\W*(?:{_alternation(_words(people, 'signer_notes'))})\W*$", i),
        digital_signature=re.compile(
            rf"^(?:{_alternation(_words(people, 'digital_signature_keys'))})\s*:", i
        ),
        signer_title_word=re.compile(
            rf"(?<!\w)(?:{_alternation(_words(people, 'signer_title_words'))})(?!\w)"
        ),
        surnames=frozenset(fold(s) for s in _words(people, "surnames")),
        review_cue=re.compile(rf"(?<!\w)(?:{_alternation(_words(periods, 'review_cues'))})(?!\w)", i),
        plan_cue=re.compile(rf"(?<!\w)(?:{_alternation(_words(periods, 'plan_cues'))})(?!\w)", i),
        plan_suffix=re.compile(rf"^\s*(?:{_alternation(_words(periods, 'plan_suffixes'))})(?!\w)", i),
        number_words={fold(str(k)).lower(): int(str(v)) for k, v in numbers.items()},
        period=period,
        room=re.compile(rf"(?<!\w)(?:{_alternation(_words(meeting, 'room_words'))})(?!\w)", i),
        verb=re.compile(rf"(?<!\w)(?:{_alternation(_words(meeting, 'verbs'))})(?!\w)", i),
        not_location=re.compile(rf"^(?:{_alternation(_words(meeting, 'not_locations'))})(?!\w)", i),
        address=re.compile(rf"^(?:{_alternation(_words(meeting, 'address_words'))})(?!\w)"),
        label=re.compile(
            rf"^[\s\-+•]*(?:(?P<time>{_alternation(_words(meeting, 'time_labels'))})"
            rf"|(?P<place>{_alternation(_words(meeting, 'place_labels'))})"
            rf"|(?P<chair>{_alternation(_words(meeting, 'chair_labels'))}))\s*:\s*",
            i,
        ),
        place_date=re.compile(
            PLACE_DATE_SOURCE.format(
                prefix=_alternation(
                    w[:1].upper() + w[1:] for w in _words(agency, "admin_levels_in_text") if " " in w
                )
            )
        ),
        invitation_types=frozenset(fold(t).upper() for t in _words(types, "invitation_types")),
        no_own_meeting_types=frozenset(fold(t).upper() for t in _words(types, "no_own_meeting_types")),
    )


# ---------------------------------------------------------------------------------------------
# Dates


def _iso(year: int | None, month: int | None, day: int | None) -> str:
    """ISO date, or "" when a part is missing or the date does not exist."""
    if year is None or month is None or day is None:
        return ""
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return ""


def _int(value: str | None) -> int | None:
    """Digits to int, None for a missing group."""
    return int(value) if value and value.strip().isdigit() else None


def read_date(text: str, default_year: int | None = None) -> str:
    """The first date written in `text` as ISO `YYYY-MM-DD`, or "".

    A date whose day is left blank (the signer fills it in by hand) is "" too.

    Args:
        text: a phrase such as the place-date line.
        default_year: the year for a date written without one ("ngày 17/6").

    Returns:
        The ISO date or "".

    Examples:
        >>> read_date("Tây Ninh, ngày 18 tháng 5 năm 2020")
        '2020-05-18'
        >>> read_date("ngày 08/01/2025")
        '2025-01-08'
        >>> read_date("Quảng Ngãi, ngày   tháng 01 năm 2025")
        ''
    """
    t = unicodedata.normalize("NFC", text)
    words = DATE_WORDS.search(t)
    digits = DATE_DIGITS.search(t)
    if words and (not digits or words.start() <= digits.start()):
        year = _int(words.group("y")) or default_year
        return _iso(year, _int(words.group("m")), _int(words.group("d")))
    if digits:
        year = _int(digits.group("y")) or default_year
        return _iso(year, _int(digits.group("m")), _int(digits.group("d")))
    return ""


# ---------------------------------------------------------------------------------------------
# Header: issuer, issuer_parent, doc_number, place, issue_date


@dataclass
class _Header:
    """What the header block says."""

    agencies: list[str]
    subject: list[str]  # a letter's "V/v ..." lines, printed under its number
    doc_number: str = ""
    place: str = ""
    issue_date: str = ""
    place_found: bool = False


def _find_type_index(lines: Sequence[Line]) -> int | None:
    """Index of the first type-word line ("THÔNG BÁO", "KẾT LUẬN") among the first lines."""
    lex = lexicon()
    for i, line in enumerate(lines[:60]):
        t = clean(line.text)
        if not _is_upper(t):
            continue
        m = lex.type_line.match(bare(t))
        if m and (not m.group("rest") or len(m.group("type")) >= 8):
            return i
    return None


def _header_lines(layout: Layout) -> list[Line]:
    """The header part, or the lines before the type word when the layout missed it."""
    if layout.header:
        return layout.header
    idx = _find_type_index(layout.lines)
    return list(layout.lines[: idx if idx is not None else 12])


def _read_place_date(text: str) -> tuple[str, str] | None:
    """(place, ISO date or "") when `text` is a place-date line, else None."""
    m = lexicon().place_date.search(text)
    if not m:
        return None
    date_part = m.group("date")
    if not (DATE_WORDS.match(date_part) or DATE_DIGITS.match(date_part)):
        return None
    return m.group("place").strip(), read_date(date_part)


def _join_wrapped_date(lines: Sequence[Line]) -> list[Line]:
    """Lines with a place-date line that wrapped before its year or date joined to its next line.

    Examples:
        >>> [ln.text for ln in _join_wrapped_date([Line("Thành phố Hồ Chí Minh, ngày 20 tháng 01 năm"),
        ...                                         Line("2025"), Line("THÔNG BÁO")])]
        ['Thành phố Hồ Chí Minh, ngày 20 tháng 01 năm 2025', 'THÔNG BÁO']
    """
    out: list[Line] = []
    k = 0
    while k < len(lines):
        line = lines[k]
        t = clean(line.text)
        nxt = clean(lines[k + 1].text) if k + 1 < len(lines) else ""
        if nxt and DATE_WRAPPED.search(t) and DATE_CONTINUES.match(nxt):
            alone, joined = _read_place_date(t), _read_place_date(f"{t} {nxt}")
            if joined and joined[1] and not (alone and alone[1]):
                out.append(dataclasses.replace(line, text=f"{t} {nxt}"))
                k += 2
                continue
        out.append(line)
        k += 1
    return out


def _parse_header(lines: Sequence[Line]) -> _Header:
    """Split header lines into agency lines, the number and the place-date line."""
    lex = lexicon()
    header = _Header(agencies=[], subject=[])
    for line in _join_wrapped_date(lines):
        text = clean(line.text)
        # A motto splits a line where OCR put both columns on one row:
        # "UBND TỈNH QUẢNG NGÃI CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
        folded = fold(text)
        parts: list[tuple[str, bool]] = []  # (text, may be an agency line)
        pos = 0
        for m in lex.motto.finditer(folded):
            parts.append((text[pos : m.start()].strip(), pos == 0))
            pos = m.end()
        parts.append((text[pos:].strip(), pos == 0))
        for part, left in parts:
            if not part or SEPARATOR.match(part):
                continue
            number = NUMBER_LINE.match(part)
            if number:
                if not header.doc_number:
                    header.doc_number = SPACES.sub("", number.group("num"))
                part = number.group("rest").strip()
                if not part:
                    continue
            place_date = _read_place_date(part)
            if place_date:
                if not header.place_found:
                    header.place, header.issue_date = place_date
                    header.place_found = True
                continue
            if lex.letter_line.match(fold(part)) or (header.subject and left and not _is_upper(part)):
                header.subject.append(part)  # "V/v báo cáo tình hình ..." and its wrapped lines
                continue
            if not left or line.column == "right" or not _is_upper(part):
                continue
            fpart = fold(part)
            if (
                lex.header_mark.match(fpart)
                or lex.copy_marker.match(fpart)
                or lex.type_line.fullmatch(bare(part))
            ):
                continue
            header.agencies.append(part)
    return header


def _group_agencies(lines: Sequence[str]) -> list[str]:
    """Join header agency lines into names: a unit word starts a name, other lines continue it.

    Examples:
        >>> _group_agencies(["UBND TỈNH NINH THUẬN", "CÔNG TY TNHH MTV KHAI THÁC",
        ...                  "CÔNG TRÌNH THỦY LỢI NINH THUẬN"])[1]
        'CÔNG TY TNHH MTV KHAI THÁC CÔNG TRÌNH THỦY LỢI NINH THUẬN'
    """
    lex = lexicon()
    units: list[str] = []
    for line in lines:
        # a name cut after "VÀ", "-" or "&" goes on; a trailing comma before a unit word does not
        # ("UBND HUYỆN ĐIỆN BIÊN," / "UBND XÃ THANH NƯA": a speck OCR read as a comma)
        dangling = bool(units) and re.search(r"(?:\s(?:VÀ|CỦA|VỚI)|[-&])$", units[-1], re.IGNORECASE)
        if not units or (lex.unit_start.match(fold(line)) and not dangling and not _cuts_a_word(units[-1], line)):
            units.append(line)
        else:
            units[-1] = f"{units[-1]} {line}"
    return [unit.rstrip(" ,;") for unit in units]


def _cuts_a_word(name: str, line: str) -> bool:
    """True when a header line break falls inside a word, so `line` continues `name`.

    The name's last syllable stands alone after word segmentation and forms one word with the
    line's first syllable ("SỞ TÀI NGUYÊN VÀ MÔI" / "TRƯỜNG": "môi trường"); a complete name
    before a school's line ("UBND TỈNH THÁI NGUYÊN" / "TRƯỜNG THPT ...") is not cut.

    Examples:
        >>> _cuts_a_word("SỞ TÀI NGUYÊN VÀ MÔI", "TRƯỜNG")
        True
        >>> _cuts_a_word("UBND TỈNH THÁI NGUYÊN", "TRƯỜNG THPT CHU VĂN AN")
        False
    """
    from .nlp import word_tokenize

    words = word_tokenize(name.lower())
    first = line.lower().split()[:1]
    if not words or " " in words[-1] or not first:
        return False
    pair = f"{words[-1]} {first[0]}"
    return word_tokenize(f"{words[-1]} {line.lower()}")[:1] == [pair]


def _issuer_from_text(texts: Sequence[str]) -> str:
    """The agency a leader title names: "Chánh Thanh tra tỉnh kết luận" -> "Thanh tra tỉnh".

    The name runs from its unit word to the first stop word ("kết luận", "tại", "cuộc họp"),
    punctuation or person's name (a surname followed by a capitalized word).
    """
    lex = lexicon()
    best = ""
    for text in texts:
        folded = fold(text)
        for m in lex.leader.finditer(folded):
            offset = m.end() + len(folded[m.end() :]) - len(folded[m.end() :].lstrip())
            unit = lex.unit_in_text.match(folded, offset)
            if not unit:
                continue
            stop = len(text)
            for pattern in (lex.issuer_stop, re.compile(r"[,.;:()]")):
                hit = pattern.search(folded, unit.end())
                if hit and hit.start() < stop:
                    stop = hit.start()
            words = text[offset:stop].split()
            for k in range(1, len(words) - 1):
                if fold(words[k]) in lex.surnames and CAPITALIZED_WORD.match(words[k + 1]):
                    words = words[:k]
                    break
            name = " ".join(words[:10])
            # Prefer the sentence where the agency itself concludes: "Chánh Thanh tra tỉnh kết luận"
            if re.match(r"\s*(?:kết luận|thông báo)", folded[stop:], re.IGNORECASE):
                return name
            best = best or name
    return best


# ---------------------------------------------------------------------------------------------
# Title, type, is_conclusion


def _title_lines(layout: Layout) -> list[str]:
    """Cleaned title lines: the layout's, or the type line and what follows it in `lines`.

    A layout title that holds only the type word (the excerpt was cut into the body) is
    completed from `lines` as well.
    """
    own = [t for t in (clean(line.text) for line in layout.title) if t]
    if len(own) > 1 or (own and not _is_type_only(own[0])):
        return own
    idx = _find_type_index(layout.lines)
    if idx is None:
        return own
    out = [clean(layout.lines[idx].text)]
    for line in layout.lines[idx + 1 : idx + 6]:
        t = clean(line.text)
        if (line.gap_before and len(out) > 1) or BODY_OPENING.match(t) or RECIPIENTS_HEAD.match(bare(t)):
            break
        out.append(t)
    return [t for t in out if t]


def _is_type_only(text: str) -> bool:
    """True for a line that is a type word and nothing else ("THÔNG BÁO")."""
    m = lexicon().type_line.match(bare(text))
    return bool(m and not m.group("rest"))


def _read_title(lines: Sequence[str]) -> tuple[str, str]:
    """(doc_type in sentence case, trích yếu) from the title lines.

    Examples:
        >>> _read_title(["THÔNG BÁO", "Kết luận của Giám đốc Sở tại cuộc họp giao ban quý I năm 2024"])
        ('Thông báo', 'Kết luận của Giám đốc Sở tại cuộc họp giao ban quý I năm 2024')
    """
    lex = lexicon()
    if not lines:
        return "", ""
    doc_type = ""
    rest: list[str] = list(lines)
    first = lines[0]
    m = lex.type_line.match(bare(first))
    if m and (_is_upper(first) or not m.group("rest")):
        typed = lex.type_names.get(SPACES.sub(" ", m.group("type")).upper(), first[: m.end("type")])
        doc_type = typed[:1].upper() + typed[1:].lower()
        remainder = first[m.start("rest") :].strip()
        rest = ([remainder] if remainder else []) + list(lines[1:])
    elif lex.letter_line.match(fold(first)):
        doc_type = lex.letter_type
    parts: list[str] = []
    for t in rest:
        if SEPARATOR.match(t):
            if parts:
                break
            continue
        # A Quyết định names its authority under the excerpt: "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH"
        if parts and _is_upper(t) and not all(_is_upper(p) for p in parts):
            break
        if re.match(r"^(?:Căn cứ|Kính gửi)\b", t):
            break
        parts.append(t)
    return doc_type, " ".join(parts).strip()


def _is_conclusion(doc_type: str, title: str) -> bool:
    """ANNOTATION.md: Kết luận, Thông báo kết luận, Thông báo whose title starts "Kết luận"."""
    lex = lexicon()
    key = fold(doc_type).upper()
    if key in lex.conclusion_types:
        return True
    starts = lex.conclusion_title_starts.get(key, ())
    low = fold(title).lower()
    return any(low.startswith(s) for s in starts)


# ---------------------------------------------------------------------------------------------
# Body opening: meeting date, location, chair, and the period


def _opening_text(layout: Layout, title_lines: Sequence[str] = ()) -> str:
    """The opening paragraph(s) of the body, wrapped lines joined, up to the first heading.

    Body lines that were read as the title (a cut that left the excerpt in the body) are skipped.
    """
    body = list(layout.body)
    own = set(title_lines)
    while body and clean(body[0].text) in own:
        body.pop(0)
    if not body:
        idx = _find_type_index(layout.lines)
        start = (idx or 0) + max(1, len(layout.title))
        body = list(layout.lines[start : start + 30])
    parts: list[str] = []
    paragraphs = 0
    addressees = False  # "Kính gửi: - Văn phòng Chính phủ; ..." is not the opening
    for line in body:
        t = clean(line.text)
        if not t:
            continue
        if not parts and (lexicon().motto.match(fold(t)) or _read_place_date(t)):
            continue  # the national motto or the place-date line a cut left in the body
        if not parts and (
            ADDRESSEES.match(t) or (addressees and (BULLET.match(t) or not CAPITALIZED_WORD.match(t)))
        ):
            addressees = True
            continue
        # A dash wrapped to the start of a line mid-sentence is not a bullet: "đồng chí Trương Minh Quân"
        # + "- Giám đốc Công ty chủ trì cuộc họp ..."
        wrapped_dash = bool(parts and not line.gap_before and BULLET.match(t) and parts[-1][-1:].isalnum())
        if parts and not wrapped_dash and (HEADING.match(t) or (_is_upper(t) and len(t) > 3)):
            break
        if line.gap_before and parts:
            paragraphs += 1
            if paragraphs >= 3:
                break
        parts.append(t)
        if OPENING_END.search(t) or len(parts) >= 30:
            break
    return " ".join(parts)


def _sentences(text: str) -> list[str]:
    """Sentences of running text; "PGS.TS." and "TP." do not end one."""
    lex = lexicon()
    out: list[str] = []
    start = 0
    for m in SENTENCE_END.finditer(text):
        before = text[start : m.start()]
        last = before.split()[-1] if before.split() else ""
        if lex.academic.match(last + " ") or re.fullmatch(r"(?:[A-ZĐ]\.|TP\.|Tp\.|TT\.|St\.)", last):
            continue
        if lex.academic.match(text[m.end() :]) and not before.endswith("."):
            continue
        out.append(text[start : m.start()].strip())
        start = m.end()
    out.append(text[start:].strip())
    return [s for s in out if s]


@dataclass
class _DateHit:
    """A date in the opening text and where it is."""

    iso: str
    start: int
    end: int


def _meeting_date(text: str, default_year: int | None) -> _DateHit | None:
    """The first date of the opening that is not a document reference or a deadline."""
    lex = lexicon()
    if LEGAL_BASIS.match(text):
        return None
    for m in TEXT_DATE.finditer(text):
        before = text[max(0, m.start() - 60) : m.start()]
        clause_start = max(text.rfind(c, 0, m.start()) for c in ",;.:") + 1
        # a type word opening the text is the document's own excerpt, not a cited document
        cited = [c for c in lex.cited_doc.finditer(text, clause_start, m.start()) if c.start() > 0]
        if DOC_REFERENCE_BEFORE.search(before) or RANGE_BEFORE.search(before) or cited:
            continue
        d = m.group("d1") or m.group("d2")
        mo = m.group("m1") or m.group("m2")
        y = _int(m.group("y1") or m.group("y2")) or default_year
        iso = _iso(y, _int(mo), _int(d))
        if iso:
            return _DateHit(iso, m.start(), m.end())
    return None


def _has_unit(text: str) -> bool:
    """True when a phrase names an organization ("UBND tỉnh"), not only a room ("Phòng họp số 1")."""
    lex = lexicon()
    folded = lex.room.sub(lambda m: "_" * len(m.group(0)), fold(text))
    return bool(lex.unit_in_text.search(folded))


def _cut_at_verb(text: str) -> tuple[str, bool]:
    """The part of a segment before its verb ("Thanh tra tỉnh tiến hành họp" -> "Thanh tra tỉnh")."""
    lex = lexicon()
    folded = lex.room.sub(lambda m: "_" * len(m.group(0)), fold(text))
    cut = len(text)
    for pattern in (lex.verb, SPAN_STOP):
        m = pattern.search(folded)
        if m and m.start() < cut:
            cut = m.start()
    return text[:cut].strip().rstrip(".;:").strip(), cut < len(text)


def _names_person(segment: str, following: str = "") -> bool:
    """True when a comma part of the opening names a person, so the place before it has ended.

    "đồng chí Lê Văn A", "Đại tá Nguyễn B", "BS.CKII. Trần C - Giám đốc Bệnh viện", "Giám đốc Sở",
    or a name followed by its title in the next part ("Nguyễn Văn D, Giám đốc Sở chủ trì").
    """
    lex = lexicon()
    fs = fold(segment)
    return bool(
        lex.honorific.match(fs)
        or lex.rank.match(fs)
        or lex.academic.match(segment)
        or lex.leader.match(fs)
        or any(lex.leader.match(fs, d.end()) for d in PERSON_DASH.finditer(fs))
        or lex.leader.match(fold(following.strip()))
    )


def _meeting_location(sentence: str) -> tuple[str, int]:
    """("tại" place, end offset) of the opening sentence, e.g. "Phòng họp số 1, trụ sở UBND tỉnh"."""
    lex = lexicon()
    for m in LOCATION_START.finditer(sentence):
        rest = sentence[m.end() :]
        if lex.not_location.match(fold(rest)):
            continue
        segments = rest.split(",")
        span, stopped = _cut_at_verb(segments[0])
        consumed = len(span)
        for n, seg in enumerate(segments[1:6], start=1):
            if stopped:
                break
            s = seg.strip()
            following = segments[n + 1] if n + 1 < len(segments) else ""
            if not s or TEXT_DATE.match(s) or _names_person(s, following):
                break
            piece, stopped = _cut_at_verb(s)
            if not piece:
                break
            if stopped:
                # A clause with its own verb is the sentence going on; its subject is part of the
                # place only after a bare room: "tại Hội trường A, Trường Đại học X tổ chức ...".
                if _has_unit(span) or not _has_unit(piece) or not CAPITALIZED_WORD.match(piece):
                    break
            elif not (CAPITALIZED_WORD.match(s) or lex.room.match(fold(s)) or lex.address.match(fold(s))):
                break  # "có sự tham dự của ...", "theo hình thức trực tuyến"
            span = f"{span}, {piece}"
            consumed = rest.find(piece, consumed) + len(piece)
        return span, m.end() + consumed
    return "", 0


def read_labelled_meeting(lines: Sequence[Line], default_year: int | None = None) -> tuple[str, str, str]:
    """(meeting_date, meeting_location, chair) from an invitation's labelled lines.

    A Giấy mời names the meeting it invites to in lines "Thời gian: ...", "Địa điểm: ...",
    "Chủ trì: ..."; a value wrapped over several lines is joined until it ends with "." or ";"
    or the next label, bullet or paragraph starts.

    Args:
        lines: the body lines of the invitation.
        default_year: the year of a date written without one (the issue year).

    Returns:
        ISO date, place as written, chair without a leading honorific; "" where a label is missing.

    Examples:
        >>> read_labelled_meeting([Line("Thời gian: 14 giờ 00, ngày 20/3/2025 (thứ Năm)."),
        ...     Line("Địa điểm: Phòng họp số 1, trụ sở Sở Xây dựng tỉnh Nghệ An."),
        ...     Line("Chủ trì: đồng chí Phan Văn Đức - Giám đốc Sở.")])
        ('2025-03-20', 'Phòng họp số 1, trụ sở Sở Xây dựng tỉnh Nghệ An', 'Phan Văn Đức - Giám đốc Sở')
    """
    lex = lexicon()
    values: dict[str, str] = {}
    current = ""
    for line in lines:
        t = clean(line.text)
        if not t:
            continue
        m = lex.label.match(fold(t))
        if m and m.lastgroup:
            current = m.lastgroup if m.lastgroup not in values else ""
            if current:
                values[current] = t[m.end() :].strip()
            continue
        if current and (
            not values[current]
            or (
                not line.gap_before
                and not values[current].endswith((".", ";"))
                and not BULLET.match(t)
                and not HEADING.match(t)
            )
        ):
            values[current] = f"{values[current]} {t}".strip()
        else:
            current = ""
    when = values.get("time", "")
    date = TEXT_DATE.search(when)
    iso = read_date(when[date.start() :], default_year) if date else read_date(when, default_year)
    place = values.get("place", "").rstrip(" .;,")
    chair = _first_clause(values.get("chair", ""), CLAUSE_END).rstrip(" .;,")
    return iso, place, _strip_honorific(chair)


def _strip_honorific(text: str) -> str:
    """Drop a leading "đồng chí", "ông", "bà"... before a capitalized word."""
    lex = lexicon()
    t = text.strip()
    m = lex.honorific.match(fold(t))
    if m and CAPITALIZED_WORD.match(t[m.end() :]):
        return t[m.end() :].strip()
    return t


def _first_clause(text: str, stops: re.Pattern[str]) -> str:
    """`text` up to the first stop that is not the dot of a degree ("ThS. Lê Thị Ngọc Ánh; ...")."""
    lex = lexicon()
    for m in stops.finditer(text):
        words = text[: m.start() + 1].split()
        if m.group(0).startswith(".") and words and lex.academic.match(words[-1] + " "):
            continue
        return text[: m.start()]
    return text


def _from_person_prefix(text: str) -> str:
    """`text` from its first word that opens a person's written form (a degree or a rank), or ""."""
    lex = lexicon()
    for m in WORD_START.finditer(text):
        rest = text[m.start() :]
        if lex.academic.match(rest) or lex.rank.match(fold(rest)):
            return rest
    return ""


def _chair(sentences: Sequence[str], skip_to: dict[int, int]) -> str:
    """Who presided: "đồng chí Trần Minh Khang - Chủ tịch UBND tỉnh chủ trì" -> the name and title."""
    lex = lexicon()
    for k, sentence in enumerate(sentences):
        folded = fold(sentence)
        colon = CHAIR_COLON.search(folded)
        if colon:
            value = _first_clause(sentence[colon.end() :], CHAIR_COLON_END)
            return _strip_honorific(value.rstrip(" .;,"))
        for m in CHAIR_OF.finditer(folded):
            after = sentence[m.end() :]
            if m.group(0).lower().rstrip().endswith("của") or folded[m.start() :].startswith("dưới"):
                value = _first_clause(after, CHAIR_OF_END)
                return _strip_honorific(value.rstrip(" .;,"))
            before = sentence[skip_to.get(k, 0) : m.start()]
            # The last honorific before the verb starts the span; "các đồng chí" lists attendees.
            hits = [
                h for h in lex.honorific.finditer(fold(before)) if CAPITALIZED_WORD.match(before[h.end() :])
            ]
            hits = [h for h in hits if not fold(before[: h.start()]).rstrip().lower().endswith("các")]
            if hits:
                value = before[hits[-1].end() :]
            else:
                value = before.lstrip(" ,")
                if value.lower().startswith("do "):
                    value = value[3:]
                if not CAPITALIZED_WORD.match(value):  # "..., nhà B, BS.CKII. Trần Văn C - Giám đốc"
                    value = _from_person_prefix(value)
            value = re.sub(r"\s+(?:đã|là|sẽ|cùng)$", "", value.strip().rstrip(",")).strip()
            if value and len(value) <= 150 and CAPITALIZED_WORD.match(value):
                return value
    return ""


@dataclass
class _Period:
    """A period phrase found in the title or the opening."""

    kind: str
    label: str
    year: int | None
    key: tuple[object, ...]  # what the phrase names, without its year: ("month", 5)
    start_date: str = ""
    end_date: str = ""
    planned: bool = False
    source: int = 0  # 0 = title, 1 = body opening
    offset: int = 0


def _number(text: str) -> int | None:
    """A count written in digits or words: "6", "06", "sáu" -> 6."""
    t = fold(text).lower().strip()
    if t.isdigit():
        return int(t)
    return lexicon().number_words.get(t)


def _short_date(text: str, year: int | None) -> str:
    """A short date "10/6/2024", or "10/6" plus a year, as ISO."""
    nums = [int(x) for x in re.findall(r"\d+", text)]
    if len(nums) == 3:
        return _iso(nums[2], nums[1], nums[0])
    if len(nums) == 2:
        return _iso(year, nums[1], nums[0])
    return ""


def _is_planned(text: str, start: int, end: int) -> bool:
    """True when the phrase names the period a meeting plans for ("triển khai nhiệm vụ tháng 8")."""
    lex = lexicon()
    if lex.plan_suffix.match(fold(text[end:])):
        return True
    clause_start = max(text.rfind(c, 0, start) for c in ",;.:(")
    clause = fold(text[clause_start + 1 : start])
    cues: list[tuple[int, int, bool]] = []
    for pattern, planned in ((lex.review_cue, False), (lex.plan_cue, True)):
        cues.extend((m.end(), m.end() - m.start(), planned) for m in pattern.finditer(clause))
    if not cues:
        return False
    return max(cues)[2]


def _periods_in(text: str, source: int) -> list[_Period]:
    """Every period phrase of a text, in order, with its kind and whether it is planned."""
    lex = lexicon()
    out: list[_Period] = []
    folded = fold(text)
    for m in lex.period.finditer(folded):
        label = text[m.start() : m.end()].strip()
        planned = _is_planned(folded, m.start(), m.end())
        p: _Period | None = None
        if m.group("week"):
            end_year = _int((re.findall(r"\d{4}", m.group("w2")) or [None])[-1])
            p = _Period("week", label, end_year, ("week",))
            p.start_date = _short_date(m.group("w1"), end_year)
            p.end_date = _short_date(m.group("w2"), end_year)
            p.key = ("week", p.start_date, p.end_date)
        elif m.group("school") or m.group("semester"):
            p = _Period("other", label, None, ("other", fold(label).lower()))
        elif m.group("span"):
            n = _number(m.group("n"))
            year = _int(m.group("ny") or m.group("ny2"))
            pos = (m.group("pos") or "đầu").lower()
            if n is None or not 1 <= n <= 12:
                continue
            if n == 6:
                p = _Period("half_year", label, year, ("half_year", pos))
            elif n == 9:
                p = _Period("nine_months", label, year, ("nine_months",))
            elif n == 3:
                p = _Period("quarter", label, year, ("quarter", 1 if pos == "đầu" else 4))
            elif n == 12:
                p = _Period("year", label, year, ("year",))
            else:
                p = _Period("other", label, year, ("months", n, pos))
        elif m.group("quarter"):
            q = m.group("q").upper()
            p = _Period("quarter", label, _int(m.group("qy")), ("quarter", ROMAN.get(q) or int(q)))
        elif m.group("month"):
            month = int(m.group("m"))
            if not 1 <= month <= 12:
                continue
            p = _Period("month", label, _int(m.group("my")), ("month", month))
        elif m.group("year"):
            p = _Period("year", label, _int(m.group("y")), ("year",))
        if p is not None:
            p.planned, p.source, p.offset = planned, source, m.start()
            out.append(p)
    return out


def _year_for(p: _Period, issue_date: str) -> int | None:
    """The year of a period written without one, from the issue date (ANNOTATION.md)."""
    if not issue_date:
        return None
    year, month = int(issue_date[:4]), int(issue_date[5:7])
    first_month = {
        "month": lambda: int(str(p.key[1])),
        "quarter": lambda: 3 * int(str(p.key[1])) - 2,
        "half_year": lambda: 1 if p.key[1] == "đầu" else 7,
    }.get(p.kind)
    if first_month is not None and first_month() > month:
        return year - 1
    if p.kind in ("year", "nine_months") and month <= 3:
        return year - 1
    return year


def _fill_dates(p: _Period) -> None:
    """period_start / period_end from the kind, the key and the year."""
    y = p.year
    if p.kind in ("week", "other") and p.key[0] != "months":
        return
    if y is None:
        return
    if p.kind == "month":
        month = int(str(p.key[1]))
        first, last = month, month
    elif p.kind == "quarter":
        q = int(str(p.key[1]))
        first, last = 3 * q - 2, 3 * q
    elif p.kind == "half_year":
        first, last = (1, 6) if p.key[1] == "đầu" else (7, 12)
    elif p.kind == "nine_months":
        first, last = 1, 9
    elif p.kind == "year":
        first, last = 1, 12
    else:  # "7 tháng đầu năm 2024": the months the text counts
        n = int(str(p.key[1]))
        first, last = (1, n) if p.key[2] == "đầu" else (13 - n, 12)
    p.start_date = _iso(y, first, 1)
    p.end_date = _iso(y, last, calendar.monthrange(y, last)[1])


def _review_period(title: str, opening: str, issue_date: str) -> _Period | None:
    """The period the meeting reviews: the first not-planned phrase of the title, else the opening."""
    found = _periods_in(title, 0) + _periods_in(opening, 1)
    reviewed = [p for p in found if not p.planned]
    if not reviewed:
        return None
    chosen = reviewed[0]
    if chosen.year is None and chosen.kind not in ("week", "other"):
        same = [p for p in found if p.key == chosen.key and p.year is not None]
        later = [
            p for p in found if p.source == chosen.source and p.offset > chosen.offset and p.year is not None
        ]
        if same:
            chosen = same[0]
        elif later:
            chosen.year = later[0].year
        else:
            chosen.year = _year_for(chosen, issue_date)
    _fill_dates(chosen)
    return chosen


def read_period(title: str, opening: str = "", issue_date: str = "") -> tuple[str, str, str, str]:
    """The period a meeting reviews, as (period_kind, period_start, period_end, period_label).

    The title is read first, then the opening paragraph; a period the meeting plans for
    ("triển khai nhiệm vụ tháng 8") is never it. A year left out is taken from another phrase
    naming the same period, then from the issue date.

    Args:
        title: the trích yếu.
        opening: the opening paragraph(s) of the body.
        issue_date: ISO issue date, for a period written without its year.

    Returns:
        Four strings, all empty when no reviewed period is named.

    Examples:
        >>> read_period("Kết luận của Giám đốc Sở tại cuộc họp giao ban quý I năm 2024")
        ('quarter', '2024-01-01', '2024-03-31', 'quý I năm 2024')
        >>> read_period("của UBND huyện tại Hội nghị sơ kết công tác 6 tháng đầu năm, "
        ...             "triển khai nhiệm vụ 6 tháng cuối năm 2024")[:3]
        ('half_year', '2024-01-01', '2024-06-30')
    """
    p = _review_period(title, opening, issue_date)
    if p is None:
        return "", "", "", ""
    return p.kind, p.start_date, p.end_date, p.label


# ---------------------------------------------------------------------------------------------
# Recipients and signer


def _split_merged(text: str) -> tuple[str, list[str]]:
    """Split a recipients line that also carries signer text (two columns read as one line).

    "- CT, PCT UBND tỉnh; KT. CHÁNH VĂN PHÒNG" -> ("- CT, PCT UBND tỉnh;", ["KT. CHÁNH VĂN PHÒNG"]).
    """
    lex = lexicon()
    folded = fold(text)
    m = lex.authority.search(folded)
    if m and m.start() > 0:
        return text[: m.start()].strip(), [text[m.start() :].strip()]
    tail = re.search(rf"(?:[,;]\s*|\s)((?:[{UPPER}]{{2,}}\.?\s*){{2,}})$", text)
    if tail and lex.signer_title_word.search(fold(tail.group(1))):
        return text[: tail.start(1)].strip(), [tail.group(1).strip()]
    name = re.search(r"\.\s+(\S+(?:\s+\S+){1,4})$", text)
    if name and _looks_like_name(name.group(1)):
        return text[: name.start() + 1].strip(), [name.group(1).strip()]
    return text, []


def _recipient_lines(layout: Layout) -> list[Line]:
    """The recipients part, or the "Nơi nhận:" block found in `lines`."""
    if layout.recipients:
        return layout.recipients
    for i, line in enumerate(layout.lines):
        if RECIPIENTS_HEAD.match(bare(clean(line.text))):
            out = [line]
            for nxt in layout.lines[i + 1 : i + 25]:
                t = clean(nxt.text)
                if t and not BULLET.match(t) and (_is_upper(t) or lexicon().authority.match(fold(t))):
                    break
                out.append(nxt)
            return out
    return []


def _read_recipients(lines: Sequence[Line]) -> tuple[list[str], list[Line]]:
    """(recipients, signer lines that were printed beside them) from the "Nơi nhận:" block."""
    lex = lexicon()
    items: list[str] = []
    beside: list[Line] = []
    in_signer = False  # a cut that left the signature block under "Nơi nhận:"
    for line in lines:
        t = clean(line.text)
        if line.column == "right" or (in_signer and line.column != "left" and _looks_like_name(t)):
            beside.append(line)
            continue
        head = RECIPIENTS_HEAD.match(bare(t))
        if head:
            t = t[head.end() :].strip()
        if not t:
            continue
        if lex.copy_marker.match(fold(t)):
            break
        if lex.authority.match(fold(t)) or (_is_upper(t) and not BULLET.match(t)):
            beside.append(dataclasses.replace(line, text=t))
            in_signer = line.column != "left"
            continue
        t, extra = _split_merged(t)
        beside.extend(dataclasses.replace(line, text=x) for x in extra)
        if BULLET.match(t):
            items.append(BULLET.sub("", t))
        elif PARENTHESIZED.fullmatch(t):
            continue  # typist's initials "(M.An)"
        elif items:
            items[-1] = f"{items[-1]} {t}"
        else:
            items.append(t)
    cleaned = [TRAILING_PUNCT.sub("", i).strip() for i in items]
    return [c for c in cleaned if c], beside


def _looks_like_name(text: str) -> bool:
    """A person's name: 2-6 capitalized words, the first a surname or after an academic prefix."""
    lex = lexicon()
    t = text.strip()
    academic = lex.academic.match(t)
    if academic:
        t = t[academic.end() :].strip()
    words = t.split()
    if not 2 <= len(words) <= 6 or any(ch.isdigit() for ch in t) or ":" in t:
        return False
    if not all(CAPITALIZED_WORD.match(w) for w in words):
        return False
    if _is_upper(t):
        first = words[0][:1] + words[0][1:].lower()
        return fold(first) in lex.surnames and not lex.signer_title_word.search(fold(t))
    return bool(academic) or fold(words[0]) in lex.surnames or not lex.unit_in_text.search(fold(t))


def _is_signature_text(text: str) -> bool:
    """True for what a signature block prints: titles, notes, ranks, names, e-signature stamps."""
    lex = lexicon()
    ft = fold(text)
    short_title = len(text.split()) <= 4 and not re.search(r"[,;:]", text)
    return bool(
        not text
        or SEPARATOR.match(text)
        or _is_upper(text)
        or lex.authority.match(ft)
        or lex.signer_note.match(ft)
        or lex.rank.match(ft)
        or lex.digital_signature.match(ft)
        or lex.copy_marker.match(ft)
        or PARENTHESIZED.fullmatch(text)
        or _looks_like_name(text)
        or (short_title and lex.signer_title_word.search(ft.upper()))
    )


def _tail_parts(layout: Layout) -> tuple[list[Line], list[Line]]:
    """(recipients lines, signer lines), mending a cut that left recipients in the signer part.

    "Nơi nhận" is printed in the left column (Nghị định 30/2020/NĐ-CP, Phụ lục I): with two
    columns, the signer part's left lines go back to the recipients; without, "- ...;" bullets
    and plain wrapped text do (a signature block prints only titles, notes, ranks and a name).
    A copy block ("SAO Y BẢN CHÍNH") with its own "Nơi nhận:" stays where it is.
    """
    signer = list(layout.signer)
    kept: list[Line] = []
    recipients = list(layout.recipients)
    if not recipients:
        head = next((i for i, ln in enumerate(signer) if RECIPIENTS_HEAD.match(bare(clean(ln.text)))), None)
        if head is not None:
            recipients, kept, signer = [signer[head]], signer[:head], signer[head + 1 :]
        else:
            recipients = _recipient_lines(layout)
            return recipients, [ln for ln in signer if ln not in recipients]
    two_columns = any(line.column == "right" for line in signer)
    moved: list[Line] = []
    copy_block = False
    for line in signer:
        t = clean(line.text)
        ft = fold(t)
        copy_block = copy_block or bool(lexicon().copy_marker.match(ft) or RECIPIENTS_HEAD.match(bare(t)))
        if copy_block or (two_columns and line.column == "right"):
            kept.append(line)
        elif (two_columns and line.column == "left") or BULLET.match(t) or not _is_signature_text(t):
            moved.append(line)
        else:
            kept.append(line)
    return recipients + moved, kept


def _signer_lines(layout: Layout, signer: Sequence[Line], beside: Sequence[Line]) -> list[str]:
    """Signature block lines in reading order: those printed beside the recipients and the signer
    part, merged top to bottom when the page gave positions."""
    lines = [*beside, *signer]
    if not lines:
        tail = layout.lines[-15:]
        lex = lexicon()
        for i, line in enumerate(tail):
            if lex.authority.match(fold(clean(line.text))):
                lines = list(tail[i:])
                break
    if lines and all(line.top > 0 or line.bottom > 0 for line in lines):
        lines = sorted(lines, key=lambda line: (line.page, line.top))  # stable for one row
    return [t for t in (clean(line.text) for line in lines) if t]


def _read_signer(lines: Sequence[str]) -> tuple[str, str]:
    """(signer_title, signer_name) of a signature block.

    Examples:
        >>> _read_signer(["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "(Đã ký)", "Thượng tá", "Phan Văn Hiếu"])
        ('KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC', 'Phan Văn Hiếu')
        >>> _read_signer(["TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG", "ẤN /À /A", "Lê Thị Hoa"])  # a seal's debris
        ('TL. CHỦ TỊCH / CHÁNH VĂN PHÒNG', 'Lê Thị Hoa')
        >>> _read_signer(["T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ", "Trần Văn Nam"])
        ('T/M BAN THƯỜNG VỤ / PHÓ BÍ THƯ', 'Trần Văn Nam')
    """
    lex = lexicon()
    titles: list[str] = []
    name = ""
    for raw in lines:
        t = raw.strip()
        ft = fold(t)
        if lex.copy_marker.match(ft) or RECIPIENTS_HEAD.match(bare(t)):
            break
        if lex.digital_signature.match(ft):
            continue
        t = PARENTHESIZED.sub(" ", t).strip()
        t = SPACES.sub(" ", t)
        if not t or SEPARATOR.match(t) or lex.signer_note.match(fold(t)):
            continue
        rank = lex.rank.match(fold(t))
        if rank:
            t = t[rank.end() :].strip()
            if not t:
                continue
        if name:
            break
        if BULLET.match(t) or STAMP_DEBRIS.search(t):
            continue  # a recipient or stamp debris, never part of the block
        if lex.authority.match(fold(t)):
            titles.append(t)
        elif _is_upper(t) and not _looks_like_name(t):
            if len(t.split()) >= 2 or lex.signer_title_word.search(fold(t)):
                titles.append(t)  # "PHÓ CHÁNH VĂN PHÒNG"; a lone "SHP" is stamp debris
        elif _looks_like_name(t):
            name = t
        # anything else is OCR debris of a stamp or a signature: skipped
    return " / ".join(titles), name


# ---------------------------------------------------------------------------------------------


def _read_meeting(fields: Fields, opening: str, issue_year: int | None) -> None:
    """meeting_date, meeting_location and chair from the opening paragraph(s)."""
    sentences = _sentences(opening)
    skip_to: dict[int, int] = {}
    for k, sentence in enumerate(sentences):
        hit = _meeting_date(sentence, issue_year)
        if hit is None:
            continue
        fields.meeting_date = hit.iso
        location, loc_end = _meeting_location(sentence)
        fields.meeting_location = location
        skip_to[k] = max(hit.end, loc_end)
        break
    fields.chair = _chair(sentences, skip_to)


def layout_to_fields(layout: Layout) -> Fields:
    """Read the document fields of ANNOTATION.md from a document's layout.

    Args:
        layout: the layout stage's cut of the document (`header`, `title`, `body`,
            `recipients`, `signer`, and `lines` with everything).

    Returns:
        The `Fields` record; a value the text does not give stays "".

    Examples:
        >>> from ketluan.records import Layout, Line
        >>> f = layout_to_fields(Layout(
        ...     header=[Line("UBND TỈNH QUẢNG NGÃI"), Line("VĂN PHÒNG"), Line("Số: 58/TB-VP"),
        ...             Line("Quảng Ngãi, ngày 08 tháng 4 năm 2024")],
        ...     title=[Line("THÔNG BÁO"), Line("Kết luận của Chủ tịch UBND tỉnh tại cuộc họp giao ban tháng 3 năm 2024")]))
        >>> (f.issuer, f.issuer_parent, f.doc_number, f.issue_date, f.period_start, f.is_conclusion)
        ('VĂN PHÒNG', 'UBND TỈNH QUẢNG NGÃI', '58/TB-VP', '2024-04-08', '2024-03-01', True)
    """
    fields = Fields()
    header = _parse_header(_header_lines(layout))
    units = _group_agencies(header.agencies)
    if units:
        fields.issuer = units[-1]
        fields.issuer_parent = units[-2] if len(units) > 1 else ""
    fields.doc_number = header.doc_number
    if not fields.doc_number:
        for line in layout.lines[:20]:
            m = NUMBER_LINE.match(clean(line.text))
            if m:
                fields.doc_number = SPACES.sub("", m.group("num"))
                break
    fields.place, fields.issue_date = header.place, header.issue_date
    if not header.place_found:
        for line in _join_wrapped_date(layout.lines):
            place_date = _read_place_date(clean(line.text))
            if place_date:
                fields.place, fields.issue_date = place_date
                break

    title_lines = _title_lines(layout)
    fields.doc_type, fields.title = _read_title(title_lines)
    if not fields.doc_type and not fields.title and header.subject:
        fields.doc_type, fields.title = _read_title(header.subject)
    fields.is_conclusion = _is_conclusion(fields.doc_type, fields.title)

    opening = _opening_text(layout, title_lines)
    issue_year = int(fields.issue_date[:4]) if fields.issue_date else None
    if not fields.issuer:
        fields.issuer = _issuer_from_text([opening, fields.title])

    # A plan names the period it plans for and a letter the period and meeting of what it quotes:
    # neither has a reviewed period or a meeting of its own.
    type_key = fold(fields.doc_type).upper()
    if type_key not in lexicon().no_own_meeting_types:
        fields.period_kind, fields.period_start, fields.period_end, fields.period_label = read_period(
            fields.title, opening, fields.issue_date
        )
        _read_meeting(fields, opening, issue_year)
    if type_key in lexicon().invitation_types:
        invited = read_labelled_meeting(layout.body or layout.lines, issue_year)
        fields.meeting_date = invited[0] or fields.meeting_date
        fields.meeting_location = invited[1] or fields.meeting_location
        fields.chair = invited[2] or fields.chair

    recipient_lines, signer_lines = _tail_parts(layout)
    recipients, beside = _read_recipients(recipient_lines)
    fields.recipients = "; ".join(recipients)
    fields.signer_title, fields.signer_name = _read_signer(_signer_lines(layout, signer_lines, beside))
    return fields
