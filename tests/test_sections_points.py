"""Sections stage: lead-in sentences of ordinal points, shortcomings handled, page-broken figures."""

from __future__ import annotations

import unicodedata

import pytest

from ketluan.cues import states_shortcoming, without_handled
from ketluan.records import Block, Line
from ketluan.sections import (
    announces_points,
    body_to_blocks,
    body_to_sections,
)

from conftest import text_lines


@pytest.mark.parametrize(
    ("lead", "announces"),
    [
        ("Để hoàn thành nhiệm vụ năm 2022, Giám đốc yêu cầu các tổ tập trung thực hiện tốt những nhiệm vụ trọng tâm sau.",
         True),
        ("Trong tháng, cơ quan đã tập trung thực hiện các chỉ tiêu được giao và đạt một số kết quả chủ yếu như sau.",
         True),
        ("Quý III năm 2022, đơn vị đã hoàn thành cơ bản các nhiệm vụ được giao, trong đó nổi bật là những kết quả sau.",
         True),
        ("Trong tháng 5/2023, công tác của cơ quan còn một số tồn tại, hạn chế.", True),
        # figures that are no period: a statement, not a lead-in
        ("Tổng thu đạt 286,4 tỷ đồng, còn một số tồn tại, hạn chế.", False),
        ("Năm 2021 là năm đầu thực hiện kế hoạch 5 năm.", False),
    ],
)  # fmt: skip
def test_sections_points_lead_in_may_name_its_period(lead: str, announces: bool) -> None:
    nxt = Block("Thứ nhất, số tiền chậm đóng bảo hiểm xã hội còn lớn.")
    assert announces_points(Block(lead), nxt) is announces
    assert announces_points(Block(unicodedata.normalize("NFD", lead)), nxt) is announces


def test_sections_points_new_ordinal_list_leaves_the_last_lead_in() -> None:
    sections, blocks = body_to_sections(text_lines(
        "II. TỒN TẠI, HẠN CHẾ VÀ NHIỆM VỤ\n\nBên cạnh đó, công tác của đơn vị còn một số hạn chế.\n\n"
        "Thứ nhất, hồ sơ thanh toán còn sai sót.\n\nThứ hai, việc đối chiếu số dư chưa đầy đủ.\n\n"
        "Thứ nhất, Tổ Kế toán chủ trì đối chiếu số dư trước ngày 25/10/2022.\n"
    ))  # fmt: skip
    by_id = {s.section_id: s for s in sections}
    cats = [by_id[b.section_id].category for b in blocks if b.text.startswith("Thứ")]
    assert cats == ["limitation", "limitation", "mixed"]  # the second list is read by its own words


@pytest.mark.parametrize(
    ("text", "shortcoming"),
    [
        ("Phòng Quản lý chất lượng đã lập danh mục 23 công trình bàn giao khi chưa qua kiểm tra.", False),
        ("Phòng Kế hoạch - Nghiệp vụ đã báo cáo danh sách 03 khoa vi phạm.", False),
        ("Giám đốc Sở đã ký 09 quyết định xử phạt vi phạm hành chính.", False),
        ("Bộ phận Đất đai đã thẩm định 48 hồ sơ, trả lại 5 hồ sơ khi chưa đủ thành phần.", False),
        ("Trật tự xây dựng cơ bản được kiểm soát, song vẫn phát hiện 06 công trình xây dựng khi chưa có giấy phép.",
         True),
        ("Tiến độ lập quy hoạch chung thị trấn vẫn ì ạch; đơn vị tư vấn nhiều lần lùi thời điểm nộp.", True),
        ("Số hồ sơ tăng mạnh sau Tết, song việc xử lý không theo kịp.", True),
        ("Công trình trường tiểu học xảy ra lún, nứt sân trường chỉ sau 3 tháng sử dụng.", True),
        ("Đã kiểm tra 6 trường, còn 2 trường chưa báo cáo.", True),
        ("An ninh trật tự vẫn được giữ vững, không để xảy ra điểm nóng.", False),
    ],
)  # fmt: skip
def test_sections_points_assessment_reads_what_is_handled(text: str, shortcoming: bool) -> None:
    assert states_shortcoming(text) is shortcoming
    assert states_shortcoming(unicodedata.normalize("NFD", text)) is shortcoming


def test_sections_points_without_handled_keeps_the_length() -> None:
    key = "đã lập danh mục 23 công trình khi chưa qua kiểm tra; còn 2 công trình chưa lập hồ sơ"
    out = without_handled(key)
    assert len(out) == len(key) and "chưa qua" not in out and out.endswith("còn 2 công trình chưa lập hồ sơ")


def test_sections_points_figure_carried_over_a_page_break() -> None:
    lines = [
        Line("1. Văn phòng Đăng ký đất đai: Rà soát toàn bộ hồ sơ quá hạn và hoàn thành trước ngày", x0=90, x1=540,
             origin="text", page=1),
        Line("28/02/2023.", x0=62, x1=120, origin="text", page=2),
        Line("2. Thanh tra Sở giải quyết dứt điểm 06 vụ khiếu nại quá hạn.", x0=90, x1=500, origin="text", page=2),
    ]  # fmt: skip
    assert [b.text for b in body_to_blocks(lines)] == [
        "Văn phòng Đăng ký đất đai: Rà soát toàn bộ hồ sơ quá hạn và hoàn thành trước ngày 28/02/2023.",
        "Thanh tra Sở giải quyết dứt điểm 06 vụ khiếu nại quá hạn.",
    ]


@pytest.mark.parametrize(
    ("lead", "category"),
    [
        ("Bên cạnh kết quả đạt được, công tác quản lý thuế vẫn còn những tồn tại, hạn chế cần sớm được khắc phục, "
         "cụ thể như sau:", "limitation"),
        ("Để khắc phục những tồn tại, hạn chế nêu trên và hoàn thành dự toán năm 2019, Chi cục trưởng yêu cầu các "
         "Đội thuế tập trung thực hiện tốt một số nội dung sau:", "task"),
        # the framing lead-in of the conclusions is no lead-in of a category
        ("Sau khi nghe báo cáo kết quả thực hiện nhiệm vụ tháng 7 và ý kiến các Đội, Chi cục trưởng kết luận như sau:",
         ""),
    ],
)  # fmt: skip
def test_sections_points_long_colon_lead_in_before_ordinal_points(lead: str, category: str) -> None:
    sections, blocks = body_to_sections(text_lines(
        f"{lead}\n\nThứ nhất, số nợ thuế đến cuối tháng 7 là 6,3 tỷ đồng.\n\n"
        "Thứ hai, còn 27 hộ kinh doanh chưa đưa vào quản lý thuế.\n"
    ))  # fmt: skip
    by_id = {s.section_id: s for s in sections}
    assert blocks[0].heading is bool(category)
    if category:
        assert {by_id[b.section_id].category for b in blocks[1:]} == {category}
