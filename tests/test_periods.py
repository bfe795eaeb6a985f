"""Tests of pipeline/text/periods.py: period keys, their order and streaks of consecutive periods."""

from __future__ import annotations

import pytest

from ketluan.text.periods import infer_period_kind, max_streak, period_key, period_sort_key


# fmt: off
@pytest.mark.parametrize(("kind", "start", "end", "key"), [
    ("month", "2024-07-01", "2024-07-31", "2024-07"),         # tháng 7/2024
    ("quarter", "2023-04-01", "2023-06-30", "2023-Q2"),       # quý II/2023
    ("half_year", "2023-07-01", "2023-12-31", "2023-H2"),     # 6 tháng cuối năm 2023
    ("nine_months", "2022-01-01", "2022-09-30", "2022-9M"),   # 9 tháng đầu năm 2022
    ("year", "2022-01-01", "2022-12-31", "2022"),             # năm 2022
    ("week", "2024-06-10", "2024-06-14", "2024-W24"),         # tuần từ 10/6 đến 14/6/2024
    ("other", "2023-09-05", "2024-05-31", "2023-09-05..2024-05-31"),
    ("", "2024-02-01", "2024-02-29", "2024-02"),              # kind inferred from the dates
    ("", "2023-01-01", "2023-06-30", "2023-H1"),
    ("", "", "", ""),                                         # no period named
])
# fmt: on
def test_periods_period_key_per_kind(kind: str, start: str, end: str, key: str) -> None:
    assert period_key(kind, start, end) == key


# fmt: off
@pytest.mark.parametrize(("keys", "streak"), [
    (["2024-01", "2024-02", "2024-03", "2024-05"], 3),
    (["2024-11", "2024-12", "2025-01"], 3),            # across the new year
    (["2023-Q4", "2024-Q1", "2024-07"], 2),            # kinds counted apart
    (["2022", "2024"], 1),
    (["2024-W52", "2025-W01"], 2),                     # ISO weeks across the year
    ([], 0),
])
# fmt: on
def test_periods_max_streak_counts_consecutive_periods(keys: list[str], streak: int) -> None:
    assert max_streak(keys) == streak


# fmt: off
@pytest.mark.parametrize(("keys", "ordered"), [
    (["2024-Q3", "2024-07", "2024", "2024-H1"], ["2024", "2024-H1", "2024-Q3", "2024-07"]),
    (["2024-02", "2023-12", "2023-09-05..2024-05-31"], ["2023-09-05..2024-05-31", "2023-12", "2024-02"]),
])
# fmt: on
def test_periods_sort_key_orders_by_start_then_length(keys: list[str], ordered: list[str]) -> None:
    assert sorted(keys, key=period_sort_key) == ordered


# fmt: off
@pytest.mark.parametrize(("start", "end", "kind"), [
    ("2024-07-01", "2024-09-30", "quarter"),      # quý III/2024
    ("2024-07-01", "2024-07-07", "week"),         # tuần từ 01/7 đến 07/7/2024
    ("2023-09-05", "2024-05-31", "other"),        # năm học 2023-2024
    ("", "2024-05-31", ""),
])
# fmt: on
def test_periods_infer_period_kind_from_dates(start: str, end: str, kind: str) -> None:
    assert infer_period_kind(start, end) == kind


# fmt: off
@pytest.mark.parametrize(("keys", "axis"), [
    (["2024-07", "2024-09", "2024-12"], ["2024-07", "2024-08", "2024-09", "2024-10", "2024-11", "2024-12"]),
    (["2023-11", "2024-02"], ["2023-11", "2023-12", "2024-01", "2024-02"]),  # across the new year
    (["2023-Q4", "2024-Q2"], ["2023-Q4", "2024-Q1", "2024-Q2"]),
    (["2024-07", "", "2024-07"], ["2024-07"]),
    ([], []),
])
# fmt: on
def test_periods_axis_fills_gaps(keys: list[str], axis: list[str]) -> None:
    from ketluan.text.periods import period_axis

    assert period_axis(keys) == axis
