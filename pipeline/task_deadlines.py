"""Deadlines of tasks, for the analyse stage: every form `text.dates.deadline_date` leaves out.

Reads one task text and its document's dates (period start, issue date); returns the deadline's last
day ("trong tháng cuối năm", "chậm nhất ngày 05 tháng sau", "thời hạn: tháng 10/2021"), or None, as
for a task that recurs ("định kỳ hằng tháng"). Pure text functions: never reads a file or a DataFrame.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta

from .text.dates import deadline_date, parse_iso_date

# The lead's switch: False leaves deadlines as `task_status` read them before these forms (stop 19).
DEADLINE_FORMS = True
# ... and for a task set on a day ("Tổ chức Hội nghị sơ kết vào ngày 20/8/2021", "giao đủ 14 tân binh
# ngày 12/02/2021"): the day it is to be done is its deadline (with DEADLINE_FORMS, lowest priority).
EVENT_DAY_DEADLINE = True

# Period words, read by `task_deadline`: deadlines `text.dates.deadline_date` does not read, written
# in conclusions by period words (Nghị định 30/2020/NĐ-CP leaves the form free): the end of the year,
# of the current month or quarter, a day after a cue it does not list.
# "tập trung khai thác … trong tháng cuối năm", "hoàn thành cuối năm 2018": the end of the year
# ("6 tháng cuối năm 2023" is the half-year a plan covers, not a deadline)
YEAR_END = re.compile(
    r"(?<!\w)(\d+\s+|sáu\s+)?(?:tháng\s+cuối\s+năm|cuối\s+năm|hết\s+năm)(?:\s+(\d{4}))?(?![\w/])"
)
# "trong tháng 8 và tháng 9/2017": the work runs to the end of the later month
MONTH_PAIR = re.compile(
    r"(?<!\w)tháng\s+(\d{1,2})\s+(?:và|đến|-)\s+tháng\s+(\d{1,2})(?:\s*(?:/|năm\s+)(\d{4}))?(?![\d/])"
)
# "hoàn thành trong tháng.", "xong cuối tháng" (no month number: the month the tasks are set in)
MONTH_END = re.compile(
    r"(?<!\w)(?:trong|cuối|hết|ngay\s+trong)\s+tháng(?!\s*\d)(?!\s+(?:cuối|đầu|tới|sau)\b)"
)
# "trình Giám đốc trong quý.", "hoàn thành cuối quý" (no quarter number: the quarter the tasks are set in)
QUARTER_END = re.compile(r"(?<!\w)(?:trong|cuối|hết)\s+quý(?!\s*(?:\d|[ivx]+\b))(?!\s+(?:tới|sau)\b)")
# "chậm nhất vào ngày 20/7/2021", "thời hạn: 30/11/2018", "đến hết ngày 15/8": a day after a cue
DAY_AFTER_CUE = re.compile(
    r"(?<!\w)(?:chậm\s+nhất|hạn|hết|trước)\s*:?\s*(?:vào\s+|là\s+)?(?:ngày\s+)?"
    r"(\d{1,2})\s*[/.-]\s*(\d{1,2})(?:\s*[/.-]\s*(\d{4}))?(?![\d/])"
)

# "thời hạn nộp trong 30 ngày kể từ ngày nhận Kết luận này", "trong vòng 15 ngày làm việc kể từ ngày
# ký": a term counted from the conclusion itself (inspection conclusions set the time to comply this
# way); not one counted from each case ("trong 10 ngày kể từ ngày nhận đơn": a time limit of a procedure)
TERM_FROM_ISSUE = re.compile(
    r"(?<!\w)trong\s+(?:vòng\s+|thời\s+hạn\s+)?(\d{1,3})\s+ngày(\s+làm\s+việc)?\s+kể\s+từ\s+ngày\s+"
    r"(?:ký|ban\s+hành|nhận(?:\s+được)?)(?:\s+(?:kết\s+luận|thông\s+báo|văn\s+bản)|\s*(?:[,.;]|$))"
)
OLD_QUARTER = re.compile(r"(?<!\w)quí(?!\w)")  # "trong quí III năm 2019": the old spelling of "quý"

# Other forms of conclusions (Nghị định 30/2020/NĐ-CP), read by `normalized`, `written_deadline`,
# `recurs` and `month_list_end`.
# "lúc 17 giờ 00 ", "17h00 ", "16 giờ 30 phút, " before "ngày": the hour of a day a deadline names
# ("Báo cáo UBND huyện trước 17 giờ ngày 20/8/2021")
HOUR_BEFORE_DAY = re.compile(
    r"(?<!\w)(?:lúc\s+)?\d{1,2}\s*(?:giờ|h)\s*(?:\d{2}\s*(?:phút|')?)?\s*,?\s*(?=ngày\s+\d)"
)
# "Thời gian hoàn thành: 15/8/2021", "thời hạn: tháng 10/2021", "Thời hạn thực hiện: quý IV/2021":
# a label before the deadline (tables and the "(…; thời hạn: …)" tail of a task)
LABEL = re.compile(
    r"(?<!\w)(?:thời\s+gian|thời\s+hạn|hạn)(?:\s+(?:hoàn\s+thành|thực\s+hiện|xong|nộp|gửi|báo\s+cáo))?"
    r"\s*:\s*(?:(trước|trong|chậm\s+nhất|đến|hết)\s+)?(?=(ngày\s+)?\d|tháng|quý|quí|năm|6\s+tháng|sáu\s+tháng)"
)
# "chậm nhất ngày 05 tháng sau", "trước ngày 10 của tháng tiếp theo", "ngày 05 tháng tới"
NEXT_MONTH_DAY = re.compile(
    r"(?<!\w)(?:trước|chậm\s+nhất|hạn|xong|đến)\s+(?:vào\s+)?ngày\s+(\d{1,2})\s+"
    r"(?:của\s+)?tháng\s+(?:sau|tới|tiếp\s+theo|kế\s+tiếp)(?!\w)"
)
# "báo cáo trước ngày 25.", "chậm nhất ngày 10;": a day with no month is a day of the month the
# document is issued in (the next such day on or after its issue date)
BARE_DAY = re.compile(
    r"(?<!\w)(?:trước|chậm\s+nhất|hạn|xong\s+trước)\s+(?:vào\s+)?ngày\s+(\d{1,2})(?!\s*(?:[/.\-]\s*\d|\d|tháng|của|hằng|hàng|mỗi))"
)
# "hoàn thành trong 6 tháng đầu năm 2019", "trước 6 tháng cuối năm": a half-year after a cue
HALF_YEAR = re.compile(
    r"(?<!\w)(?:trong|trước|hết|cuối|đến\s+hết)\s+(?:6|sáu)\s+tháng\s+(đầu|cuối)\s+năm(?:\s+(\d{4}))?(?![\w/])"
)
# "hoàn thành trong năm 2021", "trong năm nay", "trước năm 2022" is no form here (the year before)
IN_YEAR = re.compile(r"(?<!\w)(?:trong|hết|đến\s+hết)\s+năm\s+(\d{4}|nay)(?![\w/])")
# "trong tháng 8, 9/2021", "tháng 8 và 9/2021", "tháng 8-9/2021": the later month ends the work
MONTH_LIST = re.compile(
    r"(?<!\w)tháng\s+(\d{1,2})\s*(?:,|và|-|–|đến)\s*(\d{1,2})\s*(?:/|năm\s+)(\d{4})(?![\d/])"
)
# A task that recurs has no single deadline: "định kỳ hằng tháng", "báo cáo hàng quý", "mỗi tuần"
RECURRING = re.compile(r"(?<!\w)(?:hằng|hàng|mỗi)\s+(?:ngày|tuần|tháng|quý|quí|năm|kỳ)(?!\w)")
# "kế hoạch kiểm tra hàng năm", "ngân sách hằng năm": a plan's or a budget's name, not a recurring task
RECURRING_NOUNS = re.compile(
    r"(?<!\w)(?:kế\s+hoạch|ngân\s+sách|dự\s+toán|chỉ\s+tiêu|quy\s+hoạch)(?:\s+[^\W\d_]+){0,3}\s+(?:hằng|hàng)\s+năm"
)
# "vào ngày 20/8/2021", "ngày 12/02": the day work is set on
EVENT_DAY = re.compile(
    r"(?<!\w)(?:vào\s+)?ngày\s+(\d{1,2})\s*[/.-]\s*(\d{1,2})(?:\s*[/.-]\s*(\d{4}))?(?![\d/])"
)
# "Kế hoạch số 125/KH-UBND ngày 15/3/2021", "Công văn ngày 20/7", "kể từ ngày 01/8": a date that
# cites a document or starts a span, not the day of the work
NOT_EVENT_BEFORE = re.compile(
    r"(?:số\s+\S*\d\S*|(?:kế\s+hoạch|công\s+văn|quyết\s+định|chỉ\s+thị|thông\s+báo|nghị\s+quyết|văn\s+bản|"
    r"tờ\s+trình|báo\s+cáo|kết\s+luận|luật|nghị\s+định|thông\s+tư|biên\s+bản|hợp\s+đồng|giấy\s+phép)(?:\s+\S+)?|từ|kể\s+từ|ban\s+hành|ký)\s*,?\s*$"
)
# a deadline written with its year: "20/8/2021", "tháng 9 năm 2021", "quý IV/2017"
FULL_DATE = re.compile(
    r"\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{4}|(?:tháng|quý|quí)\s+(?:\d{1,2}|[ivx]+)\s*(?:/|năm\s+)\d{4}"
)


def _plain(text: str) -> str:
    """NFC lower case, spaces folded (tone marks left where they are written: "quý", not `topics._lower`'s "qúy")."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text).lower()).strip()


def recurs(text: str) -> bool:
    """Whether a task recurs ("định kỳ hằng tháng", "hàng quý") and so has no single deadline.

    A task done every month is never overdue; a date written with its year ("lần đầu trước
    ngày 20/8/2021") is still the deadline of its first time, and a plan "hàng năm" is no
    recurrence of the task.

    Args:
        text: a task item, NFC or NFD.

    Examples:
        >>> recurs("Các xã báo cáo kết quả định kỳ hằng tháng trước ngày 20.")
        True
        >>> recurs("Báo cáo kết quả hằng tháng, lần đầu trước ngày 20/8/2021.")
        False
        >>> recurs("Xây dựng kế hoạch kiểm tra hàng năm, trình trước ngày 15/12.")
        False
    """
    t = _plain(text)
    return bool(RECURRING.search(RECURRING_NOUNS.sub(" ", t))) and not FULL_DATE.search(t)


def _month_end(year: int, month: int) -> date:
    return date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)


def _year_for(written: str | None, end: date, start: date | None) -> int:
    """The year of a deadline: as written, else `end`'s; the next one when `end` is before the task's period."""
    if written and written.isdigit():
        return int(written)
    return end.year + 1 if start is not None and end < start else end.year


def normalized(text: str) -> str:
    """A task text with the words around its deadline put as `text.dates.deadline_date` reads them.

    The hour before a day is dropped ("trước 17 giờ ngày 20/8" -> "trước ngày 20/8"); a label
    ("Thời gian hoàn thành: 15/8/2021", "thời hạn: tháng 10/2021") becomes the cue "trước" before a
    day, "trong" before a month, a quarter or a year.

    Examples:
        >>> normalized("Báo cáo UBND huyện trước 17 giờ 00 ngày 20/8/2021.")
        'báo cáo ubnd huyện trước ngày 20/8/2021.'
        >>> normalized("Rà soát hồ sơ; thời gian hoàn thành: tháng 9/2021.")
        'rà soát hồ sơ; trong tháng 9/2021.'
    """
    t = HOUR_BEFORE_DAY.sub("", _plain(text))

    def label(m: re.Match[str]) -> str:
        if m.group(1):
            return m.group(1) + " "
        return "trước " if m.group(2) or t[m.end() : m.end() + 1].isdigit() else "trong "

    return LABEL.sub(label, t)


def written_deadline(text: str, start: date | None, issued: date | None) -> date | None:
    """The deadline of a task in the forms the general readers leave out, or None.

    Args:
        text: a task item, NFC or NFD.
        start: the start of the period its document reviews (a date without a year is not before it).
        issued: the issue date of its document ("tháng sau", "ngày 25" are counted from it).

    Returns:
        The last day of the deadline, or None.

    Examples:
        >>> written_deadline("Các xã gửi báo cáo chậm nhất ngày 05 tháng sau.", date(2021, 7, 1), date(2021, 8, 5))
        datetime.date(2021, 9, 5)
        >>> written_deadline("Hoàn thành giải ngân trong 6 tháng đầu năm.", date(2019, 2, 1), date(2019, 3, 5))
        datetime.date(2019, 6, 30)
        >>> written_deadline("Rà soát hồ sơ. Thời gian hoàn thành: 15/8/2021.", date(2021, 7, 1), date(2021, 8, 5))
        datetime.date(2021, 8, 15)
        >>> written_deadline("Tổng hợp, báo cáo Chủ tịch UBND xã trước ngày 25.", date(2021, 7, 1), date(2021, 8, 5))
        datetime.date(2021, 8, 25)
        >>> written_deadline("Kiểm tra hiện trường trước khi cấp phép.", date(2019, 2, 1), date(2019, 3, 5)) is None
        True
    """
    base = issued or start
    if base is None:
        return None
    t = normalized(text)
    found = parse_iso_date(deadline_date(t, (start or base).year, start))
    if found is not None:
        return found
    m = NEXT_MONTH_DAY.search(t)
    if m:
        first = _month_end(base.year, base.month) + timedelta(days=1)
        try:
            return first.replace(day=int(m.group(1)))
        except ValueError:
            return None
    m = HALF_YEAR.search(t)
    if m:
        month = 6 if m.group(1) == "đầu" else 12
        end = _month_end(base.year, month)
        return _month_end(_year_for(m.group(2), end, start), month)
    m = IN_YEAR.search(t)
    if m:
        return date(int(m.group(1)) if m.group(1).isdigit() else base.year, 12, 31)
    if EVENT_DAY_DEADLINE:
        for m in EVENT_DAY.finditer(t):
            if NOT_EVENT_BEFORE.search(t[max(0, m.start() - 40) : m.start()]):
                continue
            found = parse_iso_date(
                deadline_date(
                    f"trước ngày {m.group(1)}/{m.group(2)}" + (f"/{m.group(3)}" if m.group(3) else ""),
                    (start or base).year,
                    start,
                )
            )
            if found is not None and found >= base:  # "Biên bản kiểm tra ngày 15/3/2021": a past day cited
                return found
    m = BARE_DAY.search(t)
    if m and 1 <= int(m.group(1)) <= 31:
        day = int(m.group(1))
        try:
            found = base.replace(day=day)
        except ValueError:
            found = None
        if found is None or found < base:
            nxt = _month_end(base.year, base.month) + timedelta(days=1)
            try:
                found = nxt.replace(day=day)
            except ValueError:
                return None
        return found
    return None


def month_list_end(text: str, found: date | None) -> date | None:
    """The end of the later month of "tháng 8, 9/2021" when `found` ends the earlier one.

    Examples:
        >>> month_list_end("Tuyên truyền tại các thôn trong tháng 8, 9/2021.", date(2021, 8, 31))
        datetime.date(2021, 9, 30)
    """
    m = MONTH_LIST.search(_plain(text))
    if found is None or m is None or not 1 <= int(m.group(2)) <= 12:
        return found
    return max(found, _month_end(int(m.group(3)), int(m.group(2))))


def later_month_end(text: str, found: date | None) -> date | None:
    """The end of the later month of "tháng 8 và tháng 9/2017" when `found` is the earlier one's.

    Examples:
        >>> later_month_end("Tuyên truyền tại các xã trong tháng 8 và tháng 9/2017.", date(2017, 8, 31))
        datetime.date(2017, 9, 30)
    """
    m = MONTH_PAIR.search(_plain(text))
    if found is None or m is None or not 1 <= int(m.group(2)) <= 12:
        return found
    later = _month_end(int(m.group(3) or found.year), int(m.group(2)))
    return max(later, found)


def task_deadline(text: str, issued: date | None) -> date | None:
    """The deadline a task sets in period words, for tasks `text.dates.deadline_date` reads none in.

    "trong tháng cuối năm" / "cuối năm" end on 31/12 of the year the task is issued in; "trong
    tháng" / "cuối tháng" without a number on the last day of the month it is issued in;
    "trong quý" on its quarter's (also in the old spelling "quí III năm 2019"); "chậm nhất vào
    ngày 20/7/2021", "thời hạn: 30/11/2018" on that day; "trong 30 ngày kể từ ngày nhận Kết luận"
    30 days after the issue date (a working day counted as 7/5 of a day). "trước khi …" names an
    event, not a date: None.

    Args:
        text: a task item, NFC or NFD.
        issued: the issue date of the task's document (its year and month), or None.

    Examples:
        >>> task_deadline("BHXH các huyện tập trung khai thác người tham gia trong tháng cuối năm.", date(2017, 12, 5))
        datetime.date(2017, 12, 31)
        >>> task_deadline("Tập trung thực hiện các nhiệm vụ 6 tháng cuối năm 2023.", date(2023, 7, 5)) is None
        True
        >>> task_deadline("Phòng Kế toán hoàn thành đối chiếu số liệu trong tháng.", date(2021, 2, 3))
        datetime.date(2021, 2, 28)
        >>> task_deadline("Hoàn thiện hồ sơ (Phòng Tổng hợp chủ trì; thời hạn: 30/11/2018).", date(2018, 11, 5))
        datetime.date(2018, 11, 30)
        >>> task_deadline("Rà soát 100% hồ sơ trước khi gửi dữ liệu lên Cổng giám định.", date(2021, 6, 3)) is None
        True
        >>> task_deadline("Thu hồi nộp ngân sách 46.820.000 đồng, thời hạn nộp trong 30 ngày kể từ ngày nhận Kết luận này.",
        ...               date(2023, 8, 18))
        datetime.date(2023, 9, 17)
        >>> task_deadline("Giải quyết đơn trong thời hạn 10 ngày kể từ ngày nhận đơn.", date(2023, 8, 18)) is None
        True
        >>> task_deadline("Lập bản đồ tìm kiếm hài cốt liệt sĩ. Thời gian hoàn thành trong quí III năm 2019.", date(2019, 6, 10))
        datetime.date(2019, 9, 30)
    """
    if issued is None:
        return None
    t = _plain(text)
    if OLD_QUARTER.search(t):
        found = parse_iso_date(deadline_date(OLD_QUARTER.sub("quý", t), issued.year, issued))
        if found is not None:
            return found
    m = TERM_FROM_ISSUE.search(t)
    if m:
        days = int(m.group(1))
        return issued + timedelta(days=days * 7 // 5 if m.group(2) else days)
    m = DAY_AFTER_CUE.search(t)
    if m:
        day, month = int(m.group(1)), int(m.group(2))
        year = int(m.group(3)) if m.group(3) else issued.year
        if not m.group(3) and (month, day) < (issued.month, issued.day):
            year += 1
        try:
            return date(year, month, day)
        except ValueError:
            pass
    m = YEAR_END.search(t)
    if m and not m.group(1):
        return date(int(m.group(2) or issued.year), 12, 31)
    if QUARTER_END.search(t):
        return _month_end(issued.year, 3 * ((issued.month - 1) // 3 + 1))
    if MONTH_END.search(t):
        return _month_end(issued.year, issued.month)
    return None


def task_deadline_of(cell: object, text: str, start: date | None, issued: date | None) -> date | None:
    """A task's deadline: the items stage's `deadline` cell, else read from its text.

    A cell before the task's period ("trước ngày 15/01" of a December notice read with the
    notice's year) is read again with a year not before the period (`text.dates.deadline_date`);
    none: period words (`task_deadline`), then, with DEADLINE_FORMS, the forms of
    `written_deadline`. A task that recurs ("định kỳ hằng tháng") has none (`recurs`).

    Args:
        cell: the items stage's deadline (ISO date or "").
        text: the task item.
        start: the start of the period its document reviews.
        issued: the issue date of its document.

    Examples:
        >>> task_deadline_of("2020-01-15", "Báo cáo UBND huyện trước 15/01.", date(2020, 12, 1), date(2021, 1, 6))
        datetime.date(2021, 1, 15)
        >>> task_deadline_of("", "Báo cáo định kỳ hằng tháng, trong tháng.", date(2021, 7, 1), date(2021, 8, 5)) is None
        True
    """
    if DEADLINE_FORMS and recurs(text):
        return None
    deadline = parse_iso_date(cell)
    if start is not None and (deadline is None or deadline < start):
        deadline = parse_iso_date(deadline_date(text, start.year, start)) or deadline
    if deadline is None:  # "trong tháng cuối năm", "chậm nhất vào ngày …": period words
        deadline = task_deadline(text, issued or start)
    if DEADLINE_FORMS:
        if deadline is None:
            deadline = written_deadline(text, start, issued)
        deadline = month_list_end(text, deadline)
    return later_month_end(text, deadline)  # "trong tháng 8 và tháng 9/2017"
