"""Reporting periods as sortable keys: "2024-07", "2024-Q3", "2024-H1", "2024-9M", "2024", "2024-W24".

Reads the `period_kind`, `period_start`, `period_end` cells of a documents row (ISO dates);
returns keys, their order, their ordinal and streaks of consecutive periods. Pure functions
over strings: never reads a document, never imports a stage.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from .dates import month_end, parse_iso_date

PERIOD_KEY = re.compile(r"^(\d{4})(?:-(\d{2})|-Q([1-4])|-H([12])|-9M|-W(\d{2}))?$")  # "2024-07", "2024-Q3"


def infer_period_kind(start: str, end: str) -> str:
    """The period kind two ISO dates span, for rows that carry dates but no kind.

    Examples:
        >>> infer_period_kind("2024-07-01", "2024-09-30")  # quý III/2024
        'quarter'
    """
    s, e = parse_iso_date(start), parse_iso_date(end)
    if s is None or e is None or s.day != 1:
        return "other" if s and e else ""
    if e.year == s.year and e == month_end(e.year, e.month):
        months = e.month - s.month + 1
        if months == 1:
            return "month"
        if months == 3 and s.month % 3 == 1:
            return "quarter"
        if months == 6 and s.month in (1, 7):
            return "half_year"
        if months == 9 and s.month == 1:
            return "nine_months"
        if months == 12:
            return "year"
    if (e - s).days == 6 and s.weekday() == 0:
        return "week"
    return "other"


def period_key(kind: str, start: str, end: str = "") -> str:
    """A sortable label of the period a document reviews.

    Args:
        kind: `period_kind` (month, quarter, half_year, nine_months, year, week, other) or "".
        start: `period_start`, ISO date.
        end: `period_end`, ISO date (used to infer the kind when it is empty).

    Returns:
        "2024-07" (month), "2024-Q3", "2024-H1", "2024-9M", "2024", "2024-W24" (ISO week),
        "2023-09-05..2024-05-31" (other spans), or "" when the document names no period.

    Examples:
        >>> period_key("month", "2024-07-01", "2024-07-31")  # tháng 7/2024
        '2024-07'
        >>> period_key("", "2023-04-01", "2023-06-30")  # quý II/2023
        '2023-Q2'
    """
    kind = (kind or "").strip() or infer_period_kind(start, end)
    s = parse_iso_date(start)
    if s is None:
        return ""
    if kind == "month":
        return f"{s.year}-{s.month:02d}"
    if kind == "quarter":
        return f"{s.year}-Q{(s.month - 1) // 3 + 1}"
    if kind == "half_year":
        return f"{s.year}-H{1 if s.month <= 6 else 2}"
    if kind == "nine_months":
        return f"{s.year}-9M"
    if kind == "year":
        return f"{s.year}"
    if kind == "week":
        iso = s.isocalendar()
        return f"{iso[0]}-W{iso[1]:02d}"
    e = parse_iso_date(end)
    return f"{s.isoformat()}..{e.isoformat() if e else ''}"


def period_ordinal(key: str) -> tuple[str, int] | None:
    """(granularity, index) of a period key; consecutive periods have consecutive indexes.

    Examples:
        >>> period_ordinal("2024-12"), period_ordinal("2025-01")  # tháng 12/2024, tháng 1/2025
        (('month', 24299), ('month', 24300))
    """
    m = PERIOD_KEY.match(key or "")
    if not m:
        return None
    year = int(m.group(1))
    if m.group(2):
        return ("month", year * 12 + int(m.group(2)) - 1)
    if m.group(3):
        return ("quarter", year * 4 + int(m.group(3)) - 1)
    if m.group(4):
        return ("half_year", year * 2 + int(m.group(4)) - 1)
    if m.group(5):
        return ("week", date.fromisocalendar(year, int(m.group(5)), 1).toordinal() // 7)
    if key.endswith("-9M"):
        return ("nine_months", year)
    return ("year", year)


def max_streak(keys: Iterable[str]) -> int:
    """The longest run of consecutive periods of one granularity among `keys`.

    Examples:
        >>> max_streak(["2024-01", "2024-02", "2024-03", "2024-05"])
        3
        >>> max_streak(["2023-Q4", "2024-Q1", "2024-07"])
        2
    """
    by_kind: dict[str, set[int]] = {}
    best = 0
    for key in keys:
        if not key:
            continue
        best = max(best, 1)
        ordinal = period_ordinal(key)
        if ordinal is not None:
            by_kind.setdefault(ordinal[0], set()).add(ordinal[1])
    for values in by_kind.values():
        run = 0
        previous = None
        for v in sorted(values):
            run = run + 1 if previous is not None and v == previous + 1 else 1
            previous = v
            best = max(best, run)
    return best


def period_sort_key(key: str) -> tuple[str, str]:
    """Chronological order of period keys: by start, then by length.

    Examples:
        >>> sorted(["2024-Q3", "2024-07", "2024", "2024-H1"], key=period_sort_key)
        ['2024', '2024-H1', '2024-Q3', '2024-07']
    """
    m = PERIOD_KEY.match(key)
    if not m:
        return (key[:10], key)
    start = key[:4] + ("-" + m.group(2) if m.group(2) else "")
    return (start, key)


def _key_of(kind: str, index: int) -> str:
    """The period key of (granularity, index) from `period_ordinal` ("" for weeks and others)."""
    if kind == "month":
        return f"{index // 12}-{index % 12 + 1:02d}"
    if kind == "quarter":
        return f"{index // 4}-Q{index % 4 + 1}"
    if kind == "half_year":
        return f"{index // 2}-H{index % 2 + 1}"
    if kind == "year":
        return str(index)
    if kind == "nine_months":
        return f"{index}-9M"
    return ""


def period_axis(keys: Iterable[str], limit: int = 240) -> list[str]:
    """A complete chronological axis over `keys`: periods nobody reported on are filled in.

    Missing months (quarters, ...) between the first and the last key of the most common
    granularity are added, so a gap shows as an empty column; other keys are kept as they are.
    More than `limit` filled periods leave the axis as given.

    Examples:
        >>> period_axis(["2024-07", "2024-09", "2024-12"])
        ['2024-07', '2024-08', '2024-09', '2024-10', '2024-11', '2024-12']
        >>> period_axis(["2023-Q4", "2024-Q2", "2024-07"])
        ['2023-Q4', '2024-Q1', '2024-Q2', '2024-07']
    """
    present = {k for k in keys if k}
    by_kind: dict[str, list[int]] = {}
    for k in present:
        o = period_ordinal(k)
        if o is not None and o[0] != "week":
            by_kind.setdefault(o[0], []).append(o[1])
    filled = set(present)
    for kind, values in by_kind.items():
        lo, hi = min(values), max(values)
        if hi - lo < limit:
            filled |= {_key_of(kind, i) for i in range(lo, hi + 1)} - {""}
    return sorted(filled, key=period_sort_key)
