"""Sections and items: paragraphs carried over a page break, shortcomings an assessment or an
inspection states, figures short of their target, the background part of an inspection."""

from __future__ import annotations

import unicodedata

import pytest

from ketluan.config import Settings
from ketluan.cues import is_background, states_shortcoming
from ketluan.items import sections_to_items, wording_category
from ketluan.records import Fields, Line
from ketluan.sections import body_to_blocks, body_to_sections

from conftest import text_lines


@pytest.mark.parametrize(
    ("last", "right", "first", "joined"),
    [
        # a justified line that runs to the margin and stops mid-sentence: the name goes on
        ("Giao Phòng Kế hoạch - Tổng hợp làm việc với các huyện, tháo gỡ vướng mắc trong giải ngân, báo cáo",
         540, "Trưởng Ban trước ngày 20/3/2023.", True),
        ("2. Sở Tài chính chủ trì thẩm định dự toán, trình Chủ tịch", 539, "UBND tỉnh trong tháng 3/2024.", True),
        # the last line stops short of the margin: a heading or a finished paragraph, not carried over
        ("2. Nhiệm vụ trọng tâm tháng 3/2023", 300, "Giao Phòng Chính sách dân tộc hướng dẫn các huyện.", False),
        # a heading in capitals opens the next page
        ("Giao Phòng Kế hoạch - Tổng hợp làm việc với các huyện, tháo gỡ vướng mắc trong giải ngân, báo cáo",
         540, "III. NHIỆM VỤ THÁNG 4/2023", False),
    ],
)  # fmt: skip
def test_sections_carry_capitalised_line_after_a_page_break(
    last: str, right: int, first: str, joined: bool
) -> None:
    lines = [
        Line("1. Kết quả thực hiện nhiệm vụ tháng 2/2023 của các phòng thuộc Ban Dân tộc tỉnh đạt", x0=62,
             x1=540, origin="text", page=1),
        Line("yêu cầu đề ra.", x0=62, x1=200, origin="text", page=1),
        Line(last, x0=90, x1=right, origin="text", page=1),
        Line(first, x0=62, x1=300, origin="text", page=2),
    ]  # fmt: skip
    texts = [b.text for b in body_to_blocks(lines)]
    tail = last.split(". ", 1)[-1] if last[:1].isdigit() else last
    assert (f"{tail} {first}" in texts) is joined
    nfd = [Line(unicodedata.normalize("NFD", ln.text), x0=ln.x0, x1=ln.x1, origin="text", page=ln.page)
           for ln in lines]  # fmt: skip
    assert len(body_to_blocks(nfd)) == len(texts)


@pytest.mark.parametrize(
    ("text", "shortcoming"),
    [
        ("Nội dung hỗ trợ đất sản xuất, chuyển đổi nghề gặp vướng mắc do các huyện không còn quỹ đất công.", True),
        ("Việc giải phóng mặt bằng dự án đường tránh phát sinh nhiều khó khăn do giá đất thay đổi.", True),
        ("Nhiều công trình cấp nước sinh hoạt tập trung đã xuống cấp, 14 công trình không còn cung cấp được nước.",
         True),
        # difficulties removed, works named as what was handled: no shortcoming
        ("Sở đã phối hợp tháo gỡ nhiều khó khăn, vướng mắc cho doanh nghiệp.", False),
        ("Toàn bộ 9 trường có phòng học xuống cấp đã được trả kết quả thẩm định.", False),
        ("Đã sửa chữa 12 km đường giao thông nông thôn bị xuống cấp sau mưa lũ.", False),
    ],
)  # fmt: skip
def test_sections_carry_assessment_difficulties_and_degraded_works(text: str, shortcoming: bool) -> None:
    assert states_shortcoming(text) is shortcoming
    assert states_shortcoming(unicodedata.normalize("NFD", text)) is shortcoming


@pytest.mark.parametrize(
    ("text", "category", "confidence"),
    [
        ("Tiêm phòng lở mồm long móng đợt 2 cho đàn trâu, bò mới đạt 58% kế hoạch.", "limitation", 0.8),
        ("Tỷ lệ hồ sơ giải quyết đúng hạn chỉ đạt 82%, thấp hơn cùng kỳ.", "limitation", 0.8),
        ("Thu ngân sách trên địa bàn chưa đạt tiến độ dự toán.", "limitation", 0.8),
        # a shortcoming without a target missed keeps the weaker rule
        ("Hồ sơ địa chính còn thiếu nhiều giấy tờ.", "limitation", 0.7),
    ],
)
def test_sections_carry_shortfall_outranks_the_model(text: str, category: str, confidence: float) -> None:
    assert wording_category(text) == (category, confidence)
    assert wording_category(unicodedata.normalize("NFD", text)) == (category, confidence)


INSPECTION = """I. KHÁI QUÁT CHUNG

Trường Tiểu học Hương Trà có 18 lớp với 512 học sinh; năm 2023 được giao dự toán 4.215 triệu đồng.

II. KẾT QUẢ KIỂM TRA, XÁC MINH

Nhà trường lập dự toán năm 2023 đúng biểu mẫu, có thuyết minh cơ sở tính toán.

Nhà trường không niêm yết công khai dự toán và quyết toán năm 2023 tại bảng tin theo quy định.

Chi mua sắm thiết bị dạy học 286 triệu đồng không lập kế hoạch lựa chọn nhà thầu, chia nhỏ gói thầu.

Thanh toán tiền làm thêm giờ 18,6 triệu đồng khi không có bảng chấm công làm thêm giờ.

Sổ kế toán được mở đầy đủ, chứng từ được lưu trữ theo từng tháng.

III. KIẾN NGHỊ BIỆN PHÁP XỬ LÝ

1. Thu hồi nộp ngân sách nhà nước số tiền 18,6 triệu đồng chi làm thêm giờ sai quy định.
"""


def test_sections_carry_inspection_findings_and_background() -> None:
    sections, blocks = body_to_sections(text_lines(INSPECTION))
    items = sections_to_items(sections, blocks, Fields(is_conclusion=True), Settings(textcat=False))
    got = [(i.category, i.text[:22]) for i in items]
    assert got == [
        ("other", "Trường Tiểu học Hương "),  # the body inspected: framing, no result
        ("result", "Nhà trường lập dự toán"),
        ("limitation", "Nhà trường không niêm "),
        ("limitation", "Chi mua sắm thiết bị d"),
        ("limitation", "Thanh toán tiền làm th"),
        ("result", "Sổ kế toán được mở đầy"),
        ("task", "Thu hồi nộp ngân sách "),
    ]


@pytest.mark.parametrize(
    ("heading", "background"),
    [("I. KHÁI QUÁT CHUNG", True), ("1. Khái quát về đơn vị được thanh tra", True),
     ("II. KẾT QUẢ KIỂM TRA, XÁC MINH", False), ("1. Tình hình chung", False)],
)  # fmt: skip
def test_sections_carry_background_headings(heading: str, background: bool) -> None:
    assert is_background(heading) is background
    assert is_background(unicodedata.normalize("NFD", heading)) is background


@pytest.mark.parametrize(
    ("text", "shortcoming"),
    [
        ("Thanh toán tiền làm thêm giờ cho 6 nhân viên khi không có bảng chấm công làm thêm giờ.", True),
        ("Chi hỗ trợ 12 triệu đồng sai quy định cho cán bộ không thuộc đối tượng.", True),
        # a denial, and a violation named as what was handled, are no shortcoming
        ("Không có khoản chi nào vượt định mức của quy chế chi tiêu nội bộ.", False),
        ("Đơn vị đã thu hồi 12 triệu đồng chi sai quy định.", False),
    ],
)  # fmt: skip
def test_sections_carry_inspection_violations(text: str, shortcoming: bool) -> None:
    assert states_shortcoming(text) is shortcoming
    assert states_shortcoming(unicodedata.normalize("NFD", text)) is shortcoming
