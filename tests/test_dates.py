"""Tests of ketluan.text.dates: every Vietnamese date form a document writes, read into ISO."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

from ketluan.text.dates import (
    deadline_date,
    month_end_iso,
    parse_iso_date,
    read_cell_date,
    read_date,
    short_date,
    starts_with_date,
    text_dates,
)


# fmt: off
@pytest.mark.parametrize("text, default_year, iso", [
    ("Tây Ninh, ngày 18 tháng 5 năm 2020", None, "2020-05-18"),
    ("Quảng Ngãi, ngày 08/01/2025", None, "2025-01-08"),
    ("Hà Nội, ngày 08.01.2025", None, "2025-01-08"),
    ("Đà Nẵng, ngày 5-3-2024", None, "2024-03-05"),
    ("Quảng Ngãi, ngày   tháng 01 năm 2025", None, ""),  # day left blank for the signer
    ("Hà Nội, ngày 31 tháng 02 năm 2024", None, ""),  # no such day
    ("Sáng ngày 17/6", 2024, "2024-06-17"),
    ("Sáng ngày 17/6", None, ""),
    (unicodedata.normalize("NFD", "Hoằng Hoá, ngày 06 tháng 11 năm 2024"), None, "2024-11-06"),
])
# fmt: on
def test_dates_read_date_forms(text: str, default_year: int | None, iso: str) -> None:
    assert read_date(text, default_year) == iso


# fmt: off
@pytest.mark.parametrize("text, expected", [
    ("Ngày 04/4/2024, tại Phòng họp số 1", ["2024-04-04"]),
    ("Thông báo số 45/TB-UBND ngày 12/3/2023 và ngày 5 tháng 3 năm 2024", ["2023-03-12", "2024-03-05"]),
    ("từ ngày 10/6 đến ngày 14/6/2024", ["", "2024-06-14"]),
    ("họp định kỳ hằng tháng", []),
])
# fmt: on
def test_dates_text_dates_in_running_text(text: str, expected: list[str]) -> None:
    assert [d.iso for d in text_dates(text)] == expected


def test_dates_text_date_spans_point_into_the_text() -> None:
    text = "Sáng ngày 17/6/2024, Sở Tài chính tổ chức họp"
    (date,) = text_dates(text)
    assert text[date.start : date.end] == "ngày 17/6/2024"


# fmt: off
@pytest.mark.parametrize("cell, iso", [
    ("30/6/2024", "2024-06-30"),
    ("Trước 15.9.2024", "2024-09-15"),
    ("Tháng 6/2024", "2024-06-30"),
    ("tháng 2-2024", "2024-02-29"),
    ("31/4/2024", ""),  # a day that does not exist is not read as its month
    ("Quý III/2024", None),
    ("Thường xuyên", None),
])
# fmt: on
def test_dates_read_cell_date(cell: str, iso: str | None) -> None:
    assert read_cell_date(cell) == iso


def test_dates_small_helpers() -> None:
    assert month_end_iso(2023, 2) == "2023-02-28"
    assert month_end_iso(2024, 12) == "2024-12-31"
    assert month_end_iso(2024, 0) == ""
    assert short_date("10/6", 2024) == "2024-06-10"
    assert short_date("10/6", None) == ""
    assert starts_with_date("ngày 20 tháng 01 năm") and not starts_with_date("Thành phố Hồ Chí Minh")
    assert parse_iso_date("2024-07-31T00:00:00") is not None and parse_iso_date("31/7/2024") is None


# fmt: off
@pytest.mark.parametrize("text, iso, problems, blank", [
    ("ngày 09 tháng 5 năm 2019", "2019-05-09", (), False),
    (unicodedata.normalize("NFD", "ngày 04 tháng 6 năm 2019"), "2019-06-04", (), False),
    ("ngày    tháng 4 năm 2026", "", (), True),                    # a draft's blank day
    ("ngày … tháng … năm 2025", "", (), True),                     # dots that hold the place
    ("ngày „¡is tháng S` năm 2019", "", ("day not read", "month not read"), False),  # handwriting
    ("ngàyS© tháng 10 năm 2025", "", ("day not read",), False),     # OCR glued the slot to "ngày"
    ("ngày 3| tháng 12 năm 2024", "", ("day not read",), False),    # "31" is never guessed as "3"
    ("ngày 31 tháng 4 năm 2019", "", ("not a calendar date",), False),
    ("ngày 04 tháng 09 năm 3014", "", ("year out of span",), False),
])
# fmt: on
def test_dates_slot_date_reads_only_digits(text: str, iso: str, problems: tuple[str, ...], blank: bool) -> None:
    from ketluan.text.dates import read_slot_date

    found = read_slot_date(text)
    assert found is not None
    assert (found.iso, found.problems, found.blank) == (iso, problems, blank)


def test_dates_slot_date_needs_the_frame() -> None:
    from ketluan.text.dates import read_slot_date

    assert read_slot_date("Sáng ngày 17/6/2024, tại Hội trường") is None


# fmt: off
@pytest.mark.parametrize("text, year, after, iso", [
    ("Giao đồng chí Phó Chủ tịch đôn đốc 14 hộ còn lại khởi công, xong trước 28/02/2025.", 2025, None, "2025-02-28"),
    ("Tham mưu phương án hợp đồng giáo viên, báo cáo Giám đốc Sở trước ngày 20/02/2022.", 2022, None, "2022-02-20"),
    ("Báo cáo kết quả về UBND huyện trước ngày 30/6.", 2025, None, "2025-06-30"),
    ("Gửi Văn phòng chậm nhất ngày 15 tháng 7 năm 2025.", None, None, "2025-07-15"),
    ("Giao Bộ phận một cửa phấn đấu tỷ lệ hồ sơ nộp trực tuyến đạt trên 50% trong tháng 5.", 2025, None, "2025-05-31"),
    ("Phối hợp Cục Thuế tỉnh đôn đốc nộp vào ngân sách, hoàn thành trong tháng 4/2023.", 2023, None, "2023-04-30"),
    ("Cập nhật, chỉnh lý biến động vào cơ sở dữ liệu đất đai, hoàn thành trong quý I/2023.", 2023, None, "2023-03-31"),
    ("Lập dự toán kinh phí cải tạo kho lưu trữ, trình Sở trong quý III/2023.", 2023, None, "2023-09-30"),
    ("Rà soát hồ sơ các tiêu chí xã nông thôn mới nâng cao trong quý 4 năm 2021.", 2021, None, "2021-12-31"),
    ("Hoàn thành báo cáo tổng kết năm gửi Sở trước ngày 15/01.", 2024, dt.date(2024, 12, 1), "2025-01-15"),
    (unicodedata.normalize("NFD", "Hoàn thành chi trả tiền bồi thường cho 11 hộ còn lại trước ngày 31/7/2021."),
     None, None, "2021-07-31"),
    ("Giao Văn phòng xây dựng lịch trực Tết; các bộ phận bảo đảm trực 24/24 giờ.", 2025, None, ""),
    ("Giao Hợp tác xã thu gom rác tại các khối ít nhất 03 lần/tuần.", 2025, None, ""),
    ("Nâng cao chất lượng tham mưu, bảo đảm văn bản trình đúng thời hạn.", 2023, None, ""),
    ("Báo cáo kết quả về UBND huyện trước ngày 30/6.", None, None, ""),  # no year to give it
])
# fmt: on
def test_dates_deadline_date_of_a_task(text: str, year: int | None, after: dt.date | None, iso: str) -> None:
    assert deadline_date(text, year, after) == iso
