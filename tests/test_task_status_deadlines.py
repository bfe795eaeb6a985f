"""Deadlines of tasks as written in conclusions (pipeline/task_deadlines.py) and the status they give."""

from __future__ import annotations

import unicodedata
from datetime import date

import pandas as pd
import pytest

from ketluan import task_deadlines
from ketluan.task_deadlines import normalized, recurs, task_deadline_of, written_deadline
from ketluan.task_status import _row

JULY = (date(2021, 7, 1), date(2021, 8, 5))  # a notice on July 2021, issued 05/8/2021
FEBRUARY = (date(2019, 2, 1), date(2019, 3, 5))
DECEMBER = (date(2020, 12, 1), date(2021, 1, 6))  # a December notice issued in January


def _nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


DEADLINE_CASES = [
    # a day with its year, after a cue
    ("Phòng Tài chính - Kế hoạch tổng hợp, báo cáo UBND huyện trước ngày 15/8/2021.", JULY, "2021-08-15"),
    ("Hoàn thành trước ngày 15 tháng 8 năm 2021.", JULY, "2021-08-15"),
    ("Công an xã lập hồ sơ xử lý, xong trước 30-9-2021.", JULY, "2021-09-30"),
    # a day without a year takes the document's year
    ("Văn phòng HĐND và UBND huyện rà soát danh mục hồ sơ lưu trữ trước 30/9.", JULY, "2021-09-30"),
    (
        "Công chức Địa chính - Xây dựng cắm biển cảnh báo tại điểm sạt lở, xong trước 20/8.",
        JULY,
        "2021-08-20",
    ),
    # ... and in a December notice a January day is next year's
    (
        "Phòng Nội vụ tổng hợp kết quả đánh giá, xếp loại công chức, báo cáo trước 15/01.",
        DECEMBER,
        "2021-01-15",
    ),
    ("Hoàn thành quyết toán kinh phí trong tháng 01.", DECEMBER, "2021-01-31"),
    ("Trình phê duyệt phương án trong quý I.", DECEMBER, "2021-03-31"),
    # an hour before the day
    ("Các xã gửi danh sách về Phòng Lao động - TB&XH trước 17 giờ ngày 20/8/2021.", JULY, "2021-08-20"),
    ("Báo cáo số ca mắc về Trung tâm Y tế trước 16h00 ngày 10/8.", JULY, "2021-08-10"),
    # a day of the next month, a day of this month
    ("Các đơn vị gửi báo cáo kết quả về Sở chậm nhất ngày 05 tháng sau.", JULY, "2021-09-05"),
    ("Các phòng chuyên môn nộp báo cáo trước ngày 10 của tháng tiếp theo.", JULY, "2021-09-10"),
    ("Tổ công tác tổng hợp ý kiến, báo cáo Chủ tịch UBND xã trước ngày 25.", JULY, "2021-08-25"),
    ("Tổ công tác tổng hợp ý kiến, báo cáo Chủ tịch UBND xã trước ngày 02.", JULY, "2021-09-02"),
    # a month, a quarter, a half-year, a year: its last day
    ("Phòng Giáo dục và Đào tạo hoàn thành việc sắp xếp điểm trường trong tháng 9.", JULY, "2021-09-30"),
    ("Ban Quản lý dự án lập dự toán kinh phí, trình thẩm định trong tháng 4/2019.", FEBRUARY, "2019-04-30"),
    ("Trình UBND tỉnh phê duyệt quy hoạch chi tiết trong quý II/2019.", FEBRUARY, "2019-06-30"),
    ("Hoàn thành cắm mốc giới quy hoạch trong quý IV.", FEBRUARY, "2019-12-31"),
    (
        "Lập bản đồ tìm kiếm hài cốt liệt sĩ. Thời gian hoàn thành trong quí III năm 2019.",
        FEBRUARY,
        "2019-09-30",
    ),
    ("Hoàn thành giải ngân vốn đầu tư công trong 6 tháng đầu năm.", FEBRUARY, "2019-06-30"),
    (
        "Đẩy nhanh tiến độ xây dựng nông thôn mới, hoàn thành trong 6 tháng đầu năm 2019.",
        FEBRUARY,
        "2019-06-30",
    ),
    ("Hoàn thành việc chuyển đổi số hồ sơ địa chính trong năm 2021.", JULY, "2021-12-31"),
    ("Tuyên truyền phòng, chống đuối nước tại các thôn trong tháng 8, 9/2021.", JULY, "2021-09-30"),
    ("Tuyên truyền tại các xã trong tháng 8 và tháng 9/2021.", JULY, "2021-09-30"),
    # labelled deadlines
    ("Rà soát hồ sơ đất đai tồn đọng. Thời gian hoàn thành: 15/8/2021.", JULY, "2021-08-15"),
    ("Rà soát hồ sơ đất đai tồn đọng; thời gian hoàn thành: tháng 9/2021.", JULY, "2021-09-30"),
    (
        "Hoàn thiện hồ sơ đề nghị công nhận xã đạt chuẩn (Phòng Kinh tế chủ trì; thời hạn: 30/9/2021).",
        JULY,
        "2021-09-30",
    ),
    ("Kiểm tra các cơ sở kinh doanh xăng dầu, thời hạn: tháng 10/2021.", JULY, "2021-10-31"),
    ("Kiểm tra các cơ sở kinh doanh xăng dầu. Thời hạn thực hiện: quý IV/2021.", JULY, "2021-12-31"),
    ("Trình ban hành quy chế phối hợp (hoàn thành trước 25/9).", JULY, "2021-09-25"),
    # no single deadline
    ("Kiểm tra hiện trường trước khi cấp giấy phép xây dựng.", FEBRUARY, ""),
    ("Triển khai ngay các biện pháp khoanh vùng, dập dịch.", JULY, ""),
    ("Thường xuyên kiểm tra, giám sát việc khai thác khoáng sản trái phép.", JULY, ""),
    ("Các xã báo cáo kết quả định kỳ hằng tháng trước ngày 20.", JULY, ""),
    ("Báo cáo tiến độ giải ngân định kỳ hằng tháng, trong tháng.", JULY, ""),
    ("Tập trung thực hiện các nhiệm vụ 6 tháng cuối năm 2021 theo kế hoạch.", JULY, ""),
    ("Tổ chức đối thoại với các hộ dân, hoàn thành trước Tết Nguyên đán.", JULY, ""),
    # a recurring report with the date of its first time written in full keeps it
    ("Báo cáo kết quả hằng tháng, lần đầu trước ngày 20/8/2021.", JULY, "2021-08-20"),
    ("Xây dựng kế hoạch kiểm tra hàng năm, trình trước ngày 15/9.", JULY, "2021-09-15"),
]


@pytest.mark.parametrize(("text", "when", "expected"), DEADLINE_CASES)
def test_task_deadlines_forms(text: str, when: tuple[date, date], expected: str) -> None:
    found = task_deadline_of("", text, *when)
    assert (found.isoformat() if found else "") == expected
    nfd = task_deadline_of("", _nfd(text).replace(", ", ",\n", 1), *when)  # NFD, wrapped line
    assert (nfd.isoformat() if nfd else "") == expected


@pytest.mark.parametrize(
    ("cell", "text", "when", "expected"),
    [
        # a cell read with the period's year before the period: read again, next year
        ("2020-01-15", "Phòng Nội vụ báo cáo kết quả trước 15/01.", DECEMBER, "2021-01-15"),
        # a cell that holds the deadline is kept
        ("2021-08-31", "Hoàn thành trong tháng 8/2021.", JULY, "2021-08-31"),
        # a recurring task has none, whatever the cell
        ("2021-08-31", "Báo cáo định kỳ hằng tháng, trong tháng 8.", JULY, ""),
    ],
)
def test_task_deadlines_cell(cell: str, text: str, when: tuple[date, date], expected: str) -> None:
    found = task_deadline_of(cell, text, *when)
    assert (found.isoformat() if found else "") == expected


def test_task_deadlines_switch_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(task_deadlines, "DEADLINE_FORMS", False)
    assert task_deadline_of("", "Các đơn vị gửi báo cáo chậm nhất ngày 05 tháng sau.", *JULY) is None
    assert task_deadline_of("", "Rà soát hồ sơ, xong trước 30/9.", *JULY) == date(2021, 9, 30)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Báo cáo UBND huyện trước 17 giờ 00 ngày 20/8/2021.", "báo cáo ubnd huyện trước ngày 20/8/2021."),
        ("Thời gian hoàn thành: 15/8/2021.", "trước 15/8/2021."),
        ("thời hạn: trong tháng 10.", "trong tháng 10."),
        ("Thời hạn hoàn thành: quý IV/2021.", "trong quý iv/2021."),
    ],
)
def test_task_deadlines_normalized(text: str, expected: str) -> None:
    assert normalized(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Các xã báo cáo định kỳ hằng tháng về UBND huyện.", True),
        ("Trạm Y tế báo cáo số ca mắc hàng tuần.", True),
        ("Đánh giá kết quả hằng tháng, phấn đấu hoàn thành kế hoạch trong quý IV/2017.", False),
        ("Xây dựng dự toán ngân sách hằng năm, trình trước ngày 15/11.", False),
        ("Nộp báo cáo định kỳ 6 tháng trước ngày 15/6.", False),
    ],
)
def test_task_deadlines_recurs(text: str, expected: bool) -> None:
    assert recurs(text) is expected


def test_task_deadlines_written_needs_a_date() -> None:
    assert written_deadline("Hoàn thành trong 6 tháng đầu năm.", None, None) is None


def _status(text: str, when: tuple[date, date], latest: date, cell: str = "") -> tuple[str, str]:
    cols = {"item_id": ["t"], "doc_id": ["d"], "issuer_id": ["i"], "period": ["p"]}
    row = _row(cols, 0, None, "i", latest, cell, text, when, pd.Series([1]))
    return str(row["status"]), str(row["deadline"])


@pytest.mark.parametrize(
    ("text", "when", "latest", "expected"),
    [
        # the deadline passed before the issuer's latest document and nothing spoke of the task
        ("Rà soát hồ sơ, xong trước 20/8.", JULY, date(2021, 12, 6), ("overdue", "2021-08-20")),
        # a task of the latest document: open unless its deadline passed by that document's own date
        ("Rà soát hồ sơ, xong trước 20/8.", JULY, JULY[1], ("open", "2021-08-20")),
        ("Nộp hồ sơ chậm nhất ngày 05/01/2021.", DECEMBER, DECEMBER[1], ("overdue", "2021-01-05")),
        ("Phòng Nội vụ báo cáo trước 05/01.", DECEMBER, DECEMBER[1], ("overdue", "2021-01-05")),
        ("Phòng Nội vụ báo cáo trước 15/01.", DECEMBER, DECEMBER[1], ("open", "2021-01-15")),
        # the deadline is the latest document's issue date: not yet passed
        ("Phòng Nội vụ báo cáo trước 06/01.", DECEMBER, date(2021, 1, 6), ("open", "2021-01-06")),
        # no single deadline: never overdue
        ("Các xã báo cáo định kỳ hằng tháng trước ngày 20.", JULY, date(2021, 12, 6), ("open", "")),
        (
            "Thường xuyên kiểm tra, giám sát việc khai thác cát trái phép.",
            JULY,
            date(2021, 12, 6),
            ("open", ""),
        ),
        ("Kiểm tra hiện trường trước khi cấp phép.", JULY, date(2021, 12, 6), ("open", "")),
        # a month's deadline is its last day
        ("Hoàn thành trong tháng 9.", JULY, date(2021, 9, 30), ("open", "2021-09-30")),
        ("Hoàn thành trong tháng 9.", JULY, date(2021, 10, 1), ("overdue", "2021-09-30")),
        ("Trình phê duyệt trong quý III.", JULY, date(2021, 10, 5), ("overdue", "2021-09-30")),
    ],
)
def test_task_deadlines_status(
    text: str, when: tuple[date, date], latest: date, expected: tuple[str, str]
) -> None:
    assert _status(text, when, latest) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Phòng Văn hóa - Thông tin tổ chức Hội nghị sơ kết vào ngày 20/8/2021.", "2021-08-20"),
        ("Ban Chỉ huy Quân sự xã chuẩn bị lễ giao quân, giao đủ 14 tân binh ngày 12/02.", "2022-02-12"),
        # a date that cites a document, starts a span or lies before the task was set is no deadline
        ("Triển khai thực hiện Kế hoạch số 125/KH-UBND ngày 15/3/2021 của UBND tỉnh.", ""),
        ("Thực hiện Công văn ngày 20/7/2021 của Sở Y tế, tiêm vắc xin cho người trên 65 tuổi.", ""),
        ("Rà soát các hộ nghèo phát sinh kể từ ngày 01/7/2021.", ""),
        ("Khắc phục các tồn tại nêu tại buổi kiểm tra ngày 20/7.", ""),
    ],
)
def test_task_deadlines_event_day(text: str, expected: str) -> None:
    found = task_deadline_of("", text, *JULY)
    assert (found.isoformat() if found else "") == expected


def test_task_deadlines_event_day_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(task_deadlines, "EVENT_DAY_DEADLINE", False)
    assert task_deadline_of("", "Tổ chức Hội nghị sơ kết vào ngày 20/8/2021.", *JULY) is None
