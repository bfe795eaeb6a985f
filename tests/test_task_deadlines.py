"""Deadlines a task sets in period words (pipeline/task_deadlines.py: `task_deadline`, `later_month_end`).

The other forms and the deadline a task's status reads are in tests/test_task_status_deadlines.py.
"""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest

from ketluan.task_deadlines import later_month_end, task_deadline


# fmt: off
@pytest.mark.parametrize(("text", "issued", "expected"), [
    ("Thứ tư, BHXH các huyện, thành phố tập trung khai thác người tham gia BHXH tự nguyện trong tháng cuối năm.",
     date(2017, 12, 5), date(2017, 12, 31)),
    ("Phòng Quản lý thu rà soát các đơn vị nợ đọng, hoàn thành cuối năm 2018.", date(2018, 9, 5), date(2018, 12, 31)),
    ("Phòng Kế toán hoàn thành đối chiếu số liệu với Kho bạc trong tháng.", date(2021, 2, 3), date(2021, 2, 28)),
    ("Văn phòng tổng hợp báo cáo cuối tháng.", date(2024, 12, 6), date(2024, 12, 31)),
    ("Phòng Tổng hợp lập dự toán kinh phí, trình Giám đốc trong quý.", date(2023, 5, 4), date(2023, 6, 30)),
    ("Hoàn thiện hồ sơ quyết toán thuế (Phòng Tổng hợp chủ trì; thời hạn: 30/11/2018).", date(2018, 11, 5), date(2018, 11, 30)),
    ("Công an xã lập biên bản các trường hợp lấn chiếm, chậm nhất vào ngày 20/7/2021.", date(2021, 7, 6), date(2021, 7, 20)),
    (unicodedata.normalize("NFD", "Các khoa nộp hồ sơ thanh toán đến hết ngày 15/8."), date(2021, 8, 3), date(2021, 8, 15)),
    # a December notice: a day without a year before the notice falls in the next year
    ("Văn phòng gửi báo cáo năm, chậm nhất ngày 10/01.", date(2019, 12, 20), date(2020, 1, 10)),
    # an event, not a date; the half-year a plan covers; no deadline at all
    ("Bố trí 02 nhân viên rà soát 100% hồ sơ trước khi gửi dữ liệu lên Cổng tiếp nhận giám định BHYT.", date(2021, 6, 3), None),
    ("Tập trung thực hiện các nhiệm vụ 6 tháng cuối năm 2023 theo kế hoạch đã được phê duyệt.", date(2023, 7, 5), None),
    ("Các tháng tới tiếp tục tăng cường tuyên truyền chính sách bảo hiểm y tế.", date(2023, 7, 5), None),
    ("Chuẩn bị tổ chức Hội nghị sơ kết 6 tháng đầu năm.", date(2024, 8, 28), None),
    # a term counted from the conclusion; working days as 7/5 of a day; not a term counted from each case
    ("Thu hồi nộp ngân sách nhà nước số tiền 46.820.000 đồng, thời hạn nộp trong 30 ngày kể từ ngày nhận Kết luận này.",
     date(2023, 8, 18), date(2023, 9, 17)),
    ("UBND xã báo cáo kết quả khắc phục trong vòng 10 ngày làm việc kể từ ngày ký.", date(2024, 5, 6), date(2024, 5, 20)),
    ("Bộ phận một cửa giải quyết đơn trong thời hạn 10 ngày kể từ ngày nhận đơn.", date(2024, 5, 6), None),
    # the old spelling "quí" of "quý"
    ("Chỉ đạo cơ quan chức năng của xã lập bản đồ tìm kiếm hài cốt liệt sĩ. Thời gian hoàn thành trong quí III năm 2019.",
     date(2019, 6, 10), date(2019, 9, 30)),
    (unicodedata.normalize("NFD", "Hoàn thành kiểm kê tài sản trong quí IV."), date(2022, 10, 4), date(2022, 12, 31)),
])
# fmt: on
def test_task_deadlines_period_words(text: str, issued: date, expected: date | None) -> None:
    assert task_deadline(text, issued) == expected


@pytest.mark.parametrize(("text", "found", "expected"), [
    ("Tuyên truyền chính sách BHXH tự nguyện tại các xã trong tháng 8 và tháng 9/2017.", date(2017, 8, 31), date(2017, 9, 30)),
    ("Tổ chức kiểm tra các cơ sở trong tháng 10 đến tháng 12/2019.", date(2019, 10, 31), date(2019, 12, 31)),
    ("Hoàn thành trước ngày 15/9/2017.", date(2017, 9, 15), date(2017, 9, 15)),
    ("Tổ chức kiểm tra trong tháng 8 và tháng 9.", None, None),
])
def test_task_deadlines_later_month_end(text: str, found: date | None, expected: date | None) -> None:
    assert later_month_end(text, found) == expected
