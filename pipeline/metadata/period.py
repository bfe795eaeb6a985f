"""Metadata, period part: the period a meeting reviews (period_kind, _start, _end, _label).

Reads the title and the opening paragraph for the period phrases of ANNOTATION.md "Periods"
("quý I năm 2024", "6 tháng đầu năm", "tuần từ 10/6 đến 14/6/2024") and returns the one the
meeting reviews, never the one it plans for; a year left out comes from the text or issue date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..text.dates import int_or_none, iso_date, month_end_iso, short_date
from ..text.orthography import fold
from .lexicon import lexicon

ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}
# A bare "tuần" then the span in brackets: "tuần (từ ngày 10/3 đến ngày 14/3/2025)"
BARE_WEEK_BRACKET = re.compile(r"^tuần\s*\(\s*(.*?)\s*\)?\s*$", re.IGNORECASE)
OCR_POSITION = {"đầu": "đầu", "cuối": "cuối", "đâu": "đầu", "cuôi": "cuối"}  # "6 tháng đâu năm 2023" (a scan)


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


def _clause_start(text: str, start: int) -> int:
    """Index of the separator that opens the clause holding `start` (-1 when none).

    A comma inside a legal name's word pair ends no clause: in "triển khai nhiệm vụ phòng, chống
    thiên tai năm 2023" the clause of "năm 2023" starts before "triển khai".
    """
    head = lexicon().clause_pair.sub(lambda m: m.group().replace(",", " "), text[:start])
    return max(head.rfind(c) for c in ",;.:(")


def _has_review_cue(text: str, start: int) -> bool:
    """True when the clause before a period phrase holds a review cue ("sơ kết", "giao ban").

    A law or a plan named after the last cue owns the phrase: in "Thực hiện Luật Tiếp công dân
    năm 2013" the year is the law's, in "Thực hiện Chương trình giám sát năm 2024" the plan's,
    not a period reviewed.
    """
    lex = lexicon()
    clause_start = _clause_start(text, start)
    clause = fold(text[clause_start + 1 : start])
    cues = list(lex.review_cue.finditer(clause))
    return bool(cues) and not lex.law_name.search(clause, cues[-1].end())


def _is_planned(text: str, start: int, end: int) -> bool:
    """True when the phrase names the period a meeting plans for ("triển khai nhiệm vụ tháng 8")."""
    lex = lexicon()
    if lex.plan_suffix.match(fold(text[end:])):
        return True
    clause_start = _clause_start(text, start)
    clause = lex.plan_cue_name.sub(lambda m: " " * len(m.group()), fold(text[clause_start + 1 : start]))
    cues: list[tuple[int, int, bool]] = []
    for pattern, planned in ((lex.review_cue, False), (lex.plan_cue, True)):
        cues.extend((m.end(), m.end() - m.start(), planned) for m in pattern.finditer(clause))
    if not cues:
        return False
    return max(cues)[2]


def _week_label(label: str) -> str:
    """The phrase that names a week: a bare "tuần" of the meeting's name before a bracketed span
    leaves the span ("giao ban tuần (từ ngày 10/3 đến ngày 14/3/2025)" -> "từ ngày 10/3 đến ngày
    14/3/2025"); "tuần từ ngày 10/6 đến ngày 14/6/2024" and a numbered week keep their words."""
    m = BARE_WEEK_BRACKET.match(label)
    return m.group(1).strip() if m else label


def _periods_in(text: str, source: int) -> list[_Period]:
    """Every period phrase of a text, in order, with its kind and whether it is planned."""
    lex = lexicon()
    out: list[_Period] = []
    folded = fold(text)
    for m in lex.period.finditer(folded):
        label = text[m.start() : m.end()].strip()
        planned = _is_planned(folded, m.start(), m.end())
        # a year the text aims at is a horizon: "đến năm 2025, định hướng đến năm 2030"
        horizon = bool(m.group("year")) and bool(
            lex.plan_prefix.search(folded[max(0, m.start() - 24) : m.start()])
        )
        planned = planned or horizon
        # In the opening, only a phrase a review cue governs names the period reviewed: "sinh năm
        # 1965", "Luật Đất đai năm 2013", a working session's "... năm 2026" do not.
        if source == 1 and not planned and not m.group("inspect") and not _has_review_cue(folded, m.start()):
            continue
        p: _Period | None = None
        if m.group("dspan") or m.group("inspect"):
            # a title's span of dates is the one reviewed (in the opening it is the visit's days);
            # an inspection's "thời kỳ thanh tra" span is, wherever it stands
            if m.group("dspan") and source != 0:
                continue
            if m.group("inspect"):
                label = text[m.start("ispan") : m.end()].strip()
            p = _Period("other", label, None, ("other", fold(label).lower()), source=source, offset=m.start())
            if m.group("isy"):
                pass  # school years: the text gives no dates (ANNOTATION.md "Periods": other)
            elif m.group("iy1"):
                p.start_date, p.end_date = (
                    iso_date(int(m.group("iy1")), 1, 1),
                    iso_date(int(m.group("iy2")), 12, 31),
                )
            else:
                first, last = (
                    (m.group("d1"), m.group("d2")) if m.group("dspan") else (m.group("i1"), m.group("i2"))
                )
                p.start_date, p.end_date = short_date(first, None), short_date(last, None)
            out.append(p)
            continue
        if m.group("stage"):
            y1, y2 = int(m.group("gy1")), int(m.group("gy2"))
            if not 1900 < y1 <= y2 < 2200:
                continue
            p = _Period("other", label, None, ("other", fold(label).lower()))
            p.start_date, p.end_date = iso_date(y1, 1, 1), iso_date(y2, 12, 31)
        elif m.group("week"):
            end_year = int_or_none((re.findall(r"\d{4}", m.group("w2")) or [None])[-1])
            p = _Period("week", _week_label(label), end_year, ("week",))
            p.start_date = short_date(m.group("w1"), end_year)
            p.end_date = short_date(m.group("w2"), end_year)
            p.key = ("week", p.start_date, p.end_date)
        elif m.group("school") or m.group("semester"):
            p = _Period("other", label, None, ("other", fold(label).lower()))
        elif m.group("span"):
            n = _number(m.group("n"))
            year = int_or_none(m.group("ny") or m.group("ny2"))
            pos = OCR_POSITION.get((m.group("pos") or "đầu").lower(), "đầu")  # "6 tháng đâu năm" is "đầu"
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
            p = _Period("quarter", label, int_or_none(m.group("qy")), ("quarter", ROMAN.get(q) or int(q)))
        elif m.group("month"):
            month = int(m.group("m"))
            if not 1 <= month <= 12:
                continue
            p = _Period("month", label, int_or_none(m.group("my")), ("month", month))
        elif m.group("year"):
            p = _Period("year", label, int_or_none(m.group("y")), ("year",))
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
    p.start_date = iso_date(y, first, 1)
    p.end_date = month_end_iso(y, last)


def _review_period(title: str, opening: str, issue_date: str, weekly: bool = False) -> _Period | None:
    """The period the meeting reviews: the first not-planned phrase of the title, else the opening.

    With `weekly` (a weekly schedule's type word), a span of dates in the title is the week."""
    found = _periods_in(title, 0) + _periods_in(opening, 1)
    reviewed = [p for p in found if not p.planned]
    if not reviewed:
        return None
    chosen = _past_year_reviewed(title, reviewed)
    if weekly and chosen.kind == "other" and chosen.source == 0 and chosen.start_date and chosen.end_date:
        chosen.kind = "week"
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


def _past_year_reviewed(title: str, reviewed: list[_Period]) -> _Period:
    """The first reviewed phrase, or the past year the opening reviews when the title's year only
    names the meeting.

    An annual conference is named by the year it is held in ("Hội nghị viên chức, người lao động
    năm 2025", held in January) and reviews the year before, as its opening says ("nhằm đánh giá
    kết quả thực hiện nhiệm vụ năm 2024"): a title year no review cue governs gives way to the
    year before it, named in the opening under a review cue. A title year a cue governs ("Hội nghị
    tổng kết năm 2024") is the year reviewed.
    """
    chosen = reviewed[0]
    if chosen.source != 0 or chosen.kind != "year" or chosen.year is None:
        return chosen
    if _has_review_cue(fold(title), chosen.offset):
        return chosen
    past = [p for p in reviewed if p.source == 1 and p.kind == "year" and p.year == chosen.year - 1]
    return past[0] if past else chosen


def has_own_period(doc_type: str, title: str) -> bool:
    """Whether a document that is not a conclusion names a period of its own (ANNOTATION.md).

    A periodic report or a schedule does, in its title ("Báo cáo / Kết quả ... tháng 8/2025",
    "Thông báo / Lịch tiếp công dân tháng 5/2019", a report table's "TỔNG HỢP ... THÁNG 4 NĂM
    2019"); decisions, plans, invitations, letters, submissions and a report about one matter
    ("Về việc điều chỉnh dự toán năm 2024") do not.

    Examples:
        >>> has_own_period("Báo cáo", "Kết quả triển khai Đề án 06 tháng 8/2025")
        True
        >>> has_own_period("Thông báo", "Lịch tiếp công dân tháng 05 năm 2019")
        True
        >>> has_own_period("Quyết định", "Về việc khen thưởng năm 2010"), has_own_period("Báo cáo", "Về việc điều chỉnh dự toán năm 2024")
        (False, False)
    """
    lex = lexicon()
    if not title or lex.one_matter.match(fold(title)):
        return False
    key = fold(doc_type).upper()
    if key in lex.periodic_types:
        return True
    low = fold(title).lower()
    return any(low.startswith(s) for s in lex.periodic_title_starts.get(key, ()))


def read_period(
    title: str, opening: str = "", issue_date: str = "", doc_type: str = ""
) -> tuple[str, str, str, str]:
    """The period a meeting reviews, as (period_kind, period_start, period_end, period_label).

    The title is read first, then the opening paragraph; a period the meeting plans for
    ("triển khai nhiệm vụ tháng 8") is never it. A year left out is taken from another phrase
    naming the same period, then from the issue date.

    Args:
        title: the trích yếu.
        opening: the opening paragraph(s) of the body.
        issue_date: ISO issue date, for a period written without its year.
        doc_type: the type word; a weekly schedule's ("Lịch công tác tuần") title span is a week.

    Returns:
        Four strings, all empty when no reviewed period is named.

    Examples:
        >>> read_period("Kết luận của Giám đốc Sở tại cuộc họp giao ban quý I năm 2024")
        ('quarter', '2024-01-01', '2024-03-31', 'quý I năm 2024')
        >>> read_period("của UBND huyện tại Hội nghị sơ kết công tác 6 tháng đầu năm, "
        ...             "triển khai nhiệm vụ 6 tháng cuối năm 2024")[:3]
        ('half_year', '2024-01-01', '2024-06-30')
        >>> read_period("Của Lãnh đạo Sở (từ ngày 18/11/2024 đến ngày 24/11/2024)", doc_type="Lịch công tác tuần")
        ('week', '2024-11-18', '2024-11-24', 'từ ngày 18/11/2024 đến ngày 24/11/2024')
    """
    weekly = fold(doc_type).upper() in lexicon().weekly_types
    p = _review_period(title, opening, issue_date, weekly)
    if p is None:
        return "", "", "", ""
    return p.kind, p.start_date, p.end_date, p.label
