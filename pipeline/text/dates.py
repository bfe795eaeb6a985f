"""Vietnamese dates: every written form a document uses, read into ISO `YYYY-MM-DD`.

Reads a phrase or a table cell ("ngày 15 tháng 3 năm 2024", "15/3/2024", "Tháng 6/2024", a day
left blank for the signer) and returns ISO strings or `datetime.date`; "" or None where the text
names no whole date. Pure functions over strings: never reads a document, never imports a stage.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from .orthography import bare

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
# A day after a cue word, to build on (groups: day, month, year): "20/4/2024", "30 tháng 9 năm 2024", "31/01"
DAY_SOURCE = r"(\d{1,2})\s*(?:/|-|\.|\s+tháng\s+)(\d{1,2})(?:\s*(?:/|-|\.|\s+năm\s+)(\d{4}))?"
# A month after a cue word, to build on (groups: month, year): "tháng 4/2024", "tháng 12 năm 2024"
MONTH_SOURCE = r"\s+tháng\s+(\d{1,2})\s*(?:/|năm\s+)(\d{4})"
NUMERIC_DATE = re.compile(r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})")  # "30/6/2024" in a table
NUMERIC_MONTH = re.compile(r"(?:tháng\s*)?(\d{1,2})\s*[/.-]\s*(\d{4})", re.IGNORECASE)  # "Tháng 6/2024"


# The date slots of a place-date line, matched on the text without diacritics so that OCR's
# damage stays inside a slot: "ngày 09 tháng 5 năm 2019", "ngày „¡is tháng S` năm 2019",
# "ngàyS© tháng 10 năm 2025", "ngày    tháng 4 năm 2026" (a draft's blank day)
DATE_SLOTS = re.compile(
    r"ngay(?P<d>[^\n]{0,8}?)\s*thang(?P<m>[^\n]{0,8}?)\s*nam(?P<y>\s*[^\s]{0,8})", re.IGNORECASE
)
PLACEHOLDER = re.compile(r"^[\s.…_\-–—·]*$")  # "...", "…", "___": a slot left for a number or day
SLOT_DIGITS = re.compile(r"^\d{1,2}$")  # "09", "5"
YEAR_DIGITS = re.compile(r"^\d{4}$")  # "2019"
EARLIEST_YEAR = 1945  # the first state documents of Việt Nam Dân chủ Cộng hòa


@dataclass(frozen=True)
class SlotDate:
    """A "ngày .. tháng .. năm .." date read slot by slot.

    `iso` is "" unless every slot holds digits and the date exists; `problems` names the slots
    that hold something other than digits ("day not read") or a date that cannot be; `blank`
    is True when a slot was left blank (a draft, or handwriting the scan lost).
    """

    iso: str
    problems: tuple[str, ...] = ()
    blank: bool = False


@dataclass(frozen=True)
class DateSpan:
    """A date written in running text: its ISO form ("" when incomplete) and where it is."""

    iso: str
    start: int
    end: int


def iso_date(year: int | None, month: int | None, day: int | None) -> str:
    """ISO date, or "" when a part is missing or the date does not exist.

    Examples:
        >>> iso_date(2024, 3, 15), iso_date(2024, 2, 30), iso_date(None, 5, 1)
        ('2024-03-15', '', '')
    """
    if year is None or month is None or day is None:
        return ""
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return ""


def month_end(year: int, month: int) -> dt.date:
    """The last day of a month ("tháng 2/2024" ends on the 29th).

    Examples:
        >>> month_end(2024, 2)
        datetime.date(2024, 2, 29)
    """
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


def month_end_iso(year: int, month: int) -> str:
    """The last day of a month as ISO, "" for a month that does not exist.

    Examples:
        >>> month_end_iso(2024, 4), month_end_iso(2024, 13)
        ('2024-04-30', '')
    """
    if not 1 <= month <= 12:
        return ""
    try:
        return month_end(year, month).isoformat()
    except ValueError:
        return ""


def parse_iso_date(value: object) -> dt.date | None:
    """The date of an ISO cell ("2024-07-31", "2024-07-31T00:00"), None for empty or malformed ones.

    Examples:
        >>> parse_iso_date("2024-07-31"), parse_iso_date(""), parse_iso_date(float("nan"))
        (datetime.date(2024, 7, 31), None, None)
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def int_or_none(value: str | None) -> int | None:
    """Digits to int, None for a missing group ("" or None).

    Examples:
        >>> int_or_none("05"), int_or_none(None)
        (5, None)
    """
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
        >>> read_date("Sáng ngày 17/6", 2024)
        '2024-06-17'
    """
    t = unicodedata.normalize("NFC", text)
    words = DATE_WORDS.search(t)
    digits = DATE_DIGITS.search(t)
    if words and (not digits or words.start() <= digits.start()):
        year = int_or_none(words.group("y")) or default_year
        return iso_date(year, int_or_none(words.group("m")), int_or_none(words.group("d")))
    if digits:
        year = int_or_none(digits.group("y")) or default_year
        return iso_date(year, int_or_none(digits.group("m")), int_or_none(digits.group("d")))
    return ""


def starts_with_date(text: str) -> bool:
    """True when `text` opens with a date, its day possibly blank: the date half of a place-date line.

    Examples:
        >>> starts_with_date("ngày   tháng 01 năm 2025"), starts_with_date("năm 2025")
        (True, False)
    """
    return bool(DATE_WORDS.match(text) or DATE_DIGITS.match(text))


def text_dates(text: str, default_year: int | None = None) -> Iterator[DateSpan]:
    """Every "ngày ..." date of running text, in order; the ISO form is "" when it is incomplete.

    Args:
        text: running text, e.g. the opening paragraph of a conclusion.
        default_year: the year for a date written without one.

    Examples:
        >>> [d.iso for d in text_dates("Sáng ngày 17/6/2024, sau Thông báo ngày 5 tháng 3 năm 2024")]
        ['2024-06-17', '2024-03-05']
    """
    for m in TEXT_DATE.finditer(text):
        day = m.group("d1") or m.group("d2")
        month = m.group("m1") or m.group("m2")
        year = int_or_none(m.group("y1") or m.group("y2")) or default_year
        yield DateSpan(iso_date(year, int_or_none(month), int_or_none(day)), m.start(), m.end())


def starts_with_text_date(text: str) -> bool:
    """True when `text` opens with a "ngày ..." date of running text ("ngày 04/4/2024").

    Examples:
        >>> starts_with_text_date("ngày 04/4/2024"), starts_with_text_date("Phòng họp số 1")
        (True, False)
    """
    return bool(TEXT_DATE.match(text))


def short_date(text: str, year: int | None) -> str:
    """A short date "10/6/2024", or "10/6" plus a year, as ISO.

    Examples:
        >>> short_date("10/6/2024", None), short_date("14/6", 2024)
        ('2024-06-10', '2024-06-14')
    """
    nums = [int(x) for x in re.findall(r"\d+", text)]
    if len(nums) == 3:
        return iso_date(nums[2], nums[1], nums[0])
    if len(nums) == 2:
        return iso_date(year, nums[1], nums[0])
    return ""


def has_numeric_date(text: str) -> bool:
    """True when `text` holds a whole numeric date ("30/6/2024"), as a table's data cells do.

    Examples:
        >>> has_numeric_date("30/6/2024"), has_numeric_date("Thời hạn")
        (True, False)
    """
    return bool(NUMERIC_DATE.search(text))


def read_cell_date(text: str) -> str | None:
    """The date of a table cell: a day ("30/6/2024") or a month's last day ("Tháng 6/2024").

    Returns:
        The ISO date; "" for a day that does not exist; None when the cell holds neither form.

    Examples:
        >>> read_cell_date("30/6/2024"), read_cell_date("Tháng 6/2024"), read_cell_date("Quý III")
        ('2024-06-30', '2024-06-30', None)
    """
    m = NUMERIC_DATE.search(text)
    if m:
        return iso_date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    m2 = NUMERIC_MONTH.search(text)
    if m2 and 1 <= int(m2.group(1)) <= 12:
        return month_end_iso(int(m2.group(2)), int(m2.group(1)))
    return None


def _slot(value: str, name: str, pattern: re.Pattern[str]) -> tuple[int | None, str, bool]:
    """(number, problem, blank) of one date slot: digits only, blank, or something unread."""
    v = value.strip()
    if PLACEHOLDER.match(v):
        return None, "", True
    if pattern.match(v):
        return int(v), "", False
    return None, f"{name} not read", False


def read_slot_date(text: str, latest_year: int | None = None) -> SlotDate | None:
    """The date of a place-date line, each slot checked before use (ANNOTATION.md "Handwriting").

    A day, month or year with a non-digit inside is left out, never guessed: the date is ""
    and the problem named. A date that does not exist, or whose year lies before 1945 or after
    `latest_year` (default: next year), is "" too.

    Args:
        text: the date half of the line, from "ngày" on.
        latest_year: the last plausible year.

    Returns:
        The SlotDate, or None when `text` has no "ngày .. tháng .. năm" frame.

    Examples:
        >>> read_slot_date("ngày 09 tháng 5 năm 2019")
        SlotDate(iso='2019-05-09', problems=(), blank=False)
        >>> read_slot_date("ngày „¡is tháng S` năm 2019").problems
        ('day not read', 'month not read')
        >>> read_slot_date("ngày    tháng 4 năm 2026")
        SlotDate(iso='', problems=(), blank=True)
        >>> read_slot_date("ngày 31 tháng 4 năm 2019").problems, read_slot_date("ngày 04 tháng 9 năm 3014").problems
        (('not a calendar date',), ('year out of span',))
    """
    m = DATE_SLOTS.search(bare(unicodedata.normalize("NFC", text)))
    if not m:
        return None
    day, p_day, b_day = _slot(m.group("d"), "day", SLOT_DIGITS)
    month, p_month, b_month = _slot(m.group("m"), "month", SLOT_DIGITS)
    year_text = m.group("y").strip()
    year_digits = re.match(r"\d{4}", year_text)
    year, p_year, b_year = (
        (int(year_digits.group(0)), "", False) if year_digits else _slot(year_text, "year", YEAR_DIGITS)
    )
    problems = [p for p in (p_day, p_month, p_year) if p]
    blank = b_day or b_month or b_year
    if problems or blank:
        return SlotDate("", tuple(problems), blank)
    iso = iso_date(year, month, day)
    if not iso:
        return SlotDate("", ("not a calendar date",))
    last = latest_year or dt.date.today().year + 1
    if year is None or not EARLIEST_YEAR <= year <= last:
        return SlotDate("", ("year out of span",))
    return SlotDate(iso)


def read_slot_parts(text: str) -> tuple[int | None, int | None, int | None] | None:
    """(day, month, year) printed in the slots of a place-date line, None for a slot that is
    blank or not all digits; None when `text` has no "ngày .. tháng .. năm" frame.

    What outside evidence of a date (an e-signature time, a file name) must agree with.

    Examples:
        >>> read_slot_parts("Krông Nô, ngày    tháng 5 năm 2019")
        (None, 5, 2019)
        >>> read_slot_parts("Hà Nội, ngày „¡is tháng S` năm 2026")
        (None, None, 2026)
        >>> read_slot_parts("Kính gửi: Ủy ban nhân dân tỉnh") is None
        True
    """
    m = DATE_SLOTS.search(bare(unicodedata.normalize("NFC", text)))
    if not m:
        return None
    day = _slot(m.group("d"), "day", SLOT_DIGITS)[0]
    month = _slot(m.group("m"), "month", SLOT_DIGITS)[0]
    year_digits = re.match(r"\d{4}", m.group("y").strip())
    year = int(year_digits.group(0)) if year_digits else None
    if month is not None and not 1 <= month <= 12:
        month = None
    if day is not None and not 1 <= day <= 31:
        day = None
    return day, month, year


# A deadline a task sets, after its cue word ("trước", "trong", "chậm nhất", "xong trước", "hạn"):
# a day "trước ngày 30/6", "xong trước 28/02/2025", "chậm nhất ngày 15 tháng 7 năm 2025"
DEADLINE_DAY = re.compile(
    r"(?<!\w)(?:trước|chậm\s+nhất|hạn\s+chót|hạn|xong|kịp|đến)\s+(?:là\s+)?(?:ngày\s+)?"
    r"(\d{1,2})\s*(?:/|-|\.|\s+tháng\s+)(\d{1,2})(?:\s*(?:/|-|\.|\s+năm\s+)(\d{4}))?(?![\d/])",
    re.IGNORECASE,
)
# a month "trong tháng 8", "trước tháng 9/2025", "hết tháng 12 năm 2025", "trong tháng 5"
DEADLINE_MONTH = re.compile(
    r"(?<!\w)(?:trong|trước|hết|cuối|đến)\s+tháng\s+(\d{1,2})(?:\s*(?:/|năm\s+)(\d{4}))?(?![\d/])",
    re.IGNORECASE,
)
# a quarter "quý III/2025", "trong quý I năm 2023", "quý 2/2024"
DEADLINE_QUARTER = re.compile(
    r"(?<!\w)quý\s+(IV|III|II|I|[1-4])(?:\s*(?:/|năm\s+)(\d{4}))?(?![\w/])", re.IGNORECASE
)
QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def deadline_date(text: str, default_year: int | None = None, after: dt.date | None = None) -> str:
    """The deadline a task sets, as the ISO date of its last day, or "".

    A day after a cue word ("trước ngày 30/6/2025", "xong trước 28/02/2025"), else a month
    ("trong tháng 8" ends on 31/8), else a quarter ("quý III/2025" ends on 30/9). A date written
    without a year takes `default_year`, moved to the next year when that would put it before
    `after` (a December task "trước ngày 15/01" is due in January of the next year).

    Args:
        text: a task item, NFC or NFD.
        default_year: the year of the task's document, for "trước ngày 30/6".
        after: the start of the task's period: a deadline without a year is not before it.

    Returns:
        The ISO date or "".

    Examples:
        >>> deadline_date("Báo cáo UBND tỉnh trước ngày 30/6.", 2025)
        '2025-06-30'
        >>> deadline_date("Hoàn thành trước 15/7/2025.")
        '2025-07-15'
        >>> deadline_date("Phấn đấu tỷ lệ hồ sơ trực tuyến đạt trên 50% trong tháng 8.", 2025)
        '2025-08-31'
        >>> deadline_date("Lập dự toán kinh phí, trình Sở trong quý III/2023.")
        '2023-09-30'
        >>> deadline_date("Nâng cao chất lượng tham mưu, bảo đảm đúng thời hạn.", 2025)
        ''
    """
    t = unicodedata.normalize("NFC", text)

    def year_of(written: str | None, month: int, day: int) -> int | None:
        if written:
            return int(written)
        if default_year is None:
            return None
        if (
            after is not None
            and iso_date(default_year, month, day)
            and dt.date(default_year, month, day) < after
        ):
            return default_year + 1
        return default_year

    m = DEADLINE_DAY.search(t)
    if m:
        day, month = int(m.group(1)), int(m.group(2))
        iso = iso_date(year_of(m.group(3), month, day), month, day)
        if iso:
            return iso
    m = DEADLINE_MONTH.search(t)
    if m and 1 <= int(m.group(1)) <= 12:
        month = int(m.group(1))
        year = year_of(m.group(2), month, month_end(2000, month).day)
        if year is not None:
            return month_end_iso(year, month)
    m = DEADLINE_QUARTER.search(t)
    if m:
        quarter = QUARTERS[m.group(1).lower()]
        year = year_of(m.group(2), 3 * quarter, 30 if quarter in (2, 3) else 31)
        if year is not None:
            return month_end_iso(year, 3 * quarter)
    return ""
