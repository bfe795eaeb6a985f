"""Items stage on inspection conclusions, Party notices and inline task particulars (blind sets 1-3).

Each test builds its stage input by hand: a heading for the sections stage, a Block for the cutting
rules, a chain of Sections for the categories, Lines for the paragraph joiner.
"""

from __future__ import annotations

import unicodedata

import pytest

from ketluan.config import Settings
from ketluan.cues import heading_categories, is_background, names_responsibility
from ketluan.item_cuts import split_block
from ketluan.item_roles import closes_on_attendance, minor_turn
from ketluan.items import categorize, opening_blocks, sections_to_items
from ketluan.records import Block, Fields, Line, Section
from ketluan.sections import body_to_blocks, section_category

CONCLUSION = Fields(is_conclusion=True, issue_date="2024-03-26")


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def chain_of(*headings: tuple[str, str]) -> list[Section]:
    """A chain of sections, nearest first, from (heading, category) pairs."""
    secs = [Section(f"s{k + 1}", f"s{k + 2}", k + 1, 1, "", h, c) for k, (h, c) in enumerate(headings)]
    return [*secs, Section(f"s{len(secs) + 1}", "", 0, 0, "", "", "other")]


# fmt: off
@pytest.mark.parametrize("heading,expected", [
    ("I. KHÁI QUÁT ĐẶC ĐIỂM TÌNH HÌNH", True),
    ("1. Đặc điểm tình hình", True),
    (nfd("I. KHÁI QUÁT ĐẶC ĐIỂM, TÌNH HÌNH CỦA ĐƠN VỊ"), True),
    ("II. KẾT QUẢ THANH TRA", False),
    ("1. Tình hình thực hiện nhiệm vụ", False),
])
# fmt: on
def test_items_inspection_background_heading_frames(heading: str, expected: bool) -> None:
    assert is_background(heading) is expected


# fmt: off
@pytest.mark.parametrize("heading,expected", [
    ("III. TRÁCH NHIỆM", "cause"),
    (nfd("3. Xác định trách nhiệm"), "cause"),
    ("IV. TRÁCH NHIỆM CỦA TẬP THỂ, CÁ NHÂN", "cause"),
    ("2.3. Trách nhiệm đối với các sai phạm", "cause"),
    ("7. Trách nhiệm của các sở, ban, ngành, UBND các xã, phường", "other"),
    ("IV. TỔ CHỨC THỰC HIỆN", "task"),
    ("3. Nguyên nhân", "cause"),
])
# fmt: on
def test_items_inspection_responsibility_heading_names_causes(heading: str, expected: str) -> None:
    assert section_category(heading) == expected


# fmt: off
@pytest.mark.parametrize("text,expected", [
    ("Trách nhiệm", True),
    ("Trách nhiệm thực hiện", False),
    ("Trách nhiệm của người đứng đầu", True),
])
# fmt: on
def test_items_inspection_names_responsibility(text: str, expected: bool) -> None:
    assert names_responsibility(text) is expected


# fmt: off
@pytest.mark.parametrize("lead,expected", [
    ("Từ kết quả thanh tra nêu trên, Chánh Thanh tra huyện kiến nghị và yêu cầu", ["task"]),
    (nfd("Căn cứ kết quả kiểm tra, Trưởng đoàn kiểm tra kiến nghị"), ["task"]),
    ("Qua kết quả kiểm tra, còn một số tồn tại, hạn chế", ["limitation"]),
    ("Kết quả thanh tra", ["result", "limitation"]),
])
# fmt: on
def test_items_inspection_basis_clause_names_no_result(lead: str, expected: list[str]) -> None:
    assert heading_categories(lead) == expected


LABEL_LINES = [
    ("1) Hoàn thành số hóa hồ sơ, kết quả giải quyết thủ tục hành", 85.0, 540.0),
    ("chính còn hiệu lực đối với các thủ tục có số lượng hồ sơ lớn. Chủ trì:", 57.0, 540.0),
    ("Văn phòng UBND tỉnh. Thời hạn: trước ngày 30/9/2024.", 57.0, 330.0),
    ("2) Đưa vào vận hành Trung tâm Giám sát, điều hành đô thị thông minh. Phối", 85.0, 540.0),
    ("hợp: Công an tỉnh. Thời hạn: tháng 10/2024.", 57.0, 300.0),
]


@pytest.mark.parametrize("origin,form", [("text", "NFC"), ("ocr", "NFC"), ("text", "NFD")])
def test_items_inspection_field_label_wraps_inside_paragraph(origin: str, form: str) -> None:
    lines = [Line(unicodedata.normalize(form, t), x0=x0, x1=x1, origin=origin) for t, x0, x1 in LABEL_LINES]
    blocks = body_to_blocks(lines)
    texts = [unicodedata.normalize("NFC", b.text) for b in blocks]
    assert texts[0].endswith("số lượng hồ sơ lớn. Chủ trì: Văn phòng UBND tỉnh. Thời hạn: trước ngày 30/9/2024.")
    assert len(blocks) == 2 and blocks[1].marker == "2)"


# fmt: off
@pytest.mark.parametrize("text,expected", [
    ("Giao Sở Thông tin và Truyền thông, cơ quan thường trực Ban Chỉ đạo: theo dõi, đôn đốc việc thực hiện"
     " Thông báo này; tổng hợp khó khăn, vướng mắc, báo cáo Trưởng Ban Chỉ đạo trước ngày 20/12/2024;"
     " tham mưu tổ chức Ngày Chuyển đổi số tỉnh năm 2024.",
     ["theo dõi, đôn đốc việc thực hiện Thông báo này",
      "tổng hợp khó khăn, vướng mắc, báo cáo Trưởng Ban Chỉ đạo trước ngày 20/12/2024",
      "tham mưu tổ chức Ngày Chuyển đổi số tỉnh năm 2024."]),
    (nfd("Đề nghị UBND huyện Mai Châu: rà soát các công trình xây dựng ven Quốc lộ 6; báo cáo Thường trực"
         " Tỉnh ủy trong tháng 9/2023."),
     [nfd("rà soát các công trình xây dựng ven Quốc lộ 6"), nfd("báo cáo Thường trực Tỉnh ủy trong tháng 9/2023.")]),
])
# fmt: on
def test_items_inspection_directive_lead_list_is_cut(text: str, expected: list[str]) -> None:
    pieces = split_block(Block(text))
    assert [p.text for p in pieces] == expected
    assert {p.lead for p in pieces} == {("task",)}


def test_items_inspection_directive_bullet_is_one_task() -> None:
    text = "Giao Phòng Kinh tế: lập hồ sơ đề nghị hỗ trợ kinh phí khắc phục sạt lở; cắm biển cảnh báo, xong trước 10/9."
    pieces = split_block(Block(text, marker="-", style="dash"))
    assert len(pieces) == 1 and pieces[0].text.endswith("; cắm biển cảnh báo, xong trước 10/9.")


# fmt: off
@pytest.mark.parametrize("text,topic", [
    ("Công chức Địa chính - Xây dựng - Đô thị và Môi trường: Chủ trì kiểm tra, xử lý dứt điểm 05 trường hợp"
     " xây dựng sai phép trước ngày 31/3/2024.", "Công chức Địa chính - Xây dựng - Đô thị và Môi trường"),
    (nfd("Phòng Lao động - Thương binh và Xã hội - Dân tộc: Hướng dẫn các xã rà soát hộ nghèo."),
     nfd("Phòng Lao động - Thương binh và Xã hội - Dân tộc")),
])
# fmt: on
def test_items_inspection_topic_counts_words_not_dashes(text: str, topic: str) -> None:
    piece = split_block(Block(text, marker="-", style="dash"))[0]
    assert piece.topic == topic and not piece.text.startswith(topic)


# fmt: off
@pytest.mark.parametrize("text,expected", [
    ("Sáu tháng đầu năm 2023, Ban Thường vụ Huyện ủy đã lãnh đạo, chỉ đạo thực hiện khá toàn diện các nhiệm vụ"
     " chính trị. Kinh tế tiếp tục tăng trưởng, giá trị sản xuất ước đạt 8,2%; du lịch cộng đồng phục hồi mạnh,"
     " đón trên 420 nghìn lượt khách; tuy vậy, tỷ lệ hộ nghèo vẫn ở mức cao.", "result"),
    (nfd("Các Đội đã kiểm tra 126 vụ; dẫu vậy, tình trạng buôn bán hàng giả trên mạng còn diễn biến phức tạp."),
     "limitation"),
    ("Tuy nhiên, tiến độ giải ngân vốn đầu tư công còn chậm.", "limitation"),
])
# fmt: on
def test_items_inspection_closing_turn_keeps_dominant_result(text: str, expected: str) -> None:
    cat, _ = categorize(split_block(Block(text))[0], chain_of(("Đánh giá chung", "mixed")), None, 0.6)
    assert cat == expected
    assert minor_turn(text) is (expected == "result")


# fmt: off
@pytest.mark.parametrize("text,turned,expected", [
    ("Kinh tế số chủ yếu dựa vào các doanh nghiệp có vốn đầu tư nước ngoài; số doanh nghiệp nhỏ và vừa"
     " ứng dụng nền tảng số còn ít.", True, "limitation"),
    (nfd("Kinh tế số chủ yếu dựa vào các doanh nghiệp có vốn đầu tư nước ngoài; số doanh nghiệp nhỏ và vừa"
         " ứng dụng nền tảng số còn ít."), False, "result"),
    ("Hạ tầng số được đầu tư mở rộng, 100% thôn, xóm đã có sóng di động 4G.", True, "result"),
])
# fmt: on
def test_items_inspection_shortcoming_after_turn_goes_on(text: str, turned: bool, expected: str) -> None:
    chain = chain_of(("Về kết quả 6 tháng đầu năm 2024", "result"))
    cat, _ = categorize(split_block(Block(text))[0], chain, None, 0.6, previous="limitation", turned=turned)
    assert cat == expected


def test_items_inspection_turn_then_shortcoming_end_to_end() -> None:
    secs = [Section("s0", "", 0, 0, "", "", "other"),
            Section("s1", "s0", 1, 1, "1.", "Về kết quả 6 tháng đầu năm 2024", "result")]  # fmt: skip
    blocks = [Block("Về kết quả 6 tháng đầu năm 2024", marker="1.", style="arabic", section_id="s1", heading=True),
              Block("Hạ tầng số được đầu tư mở rộng, 100% thôn đã có sóng 4G.", section_id="s1"),
              Block("Tuy nhiên, việc chuyển đổi số ở một số địa phương còn chậm.", section_id="s1"),
              Block("Số doanh nghiệp ứng dụng nền tảng số trong sản xuất, kinh doanh còn ít.", section_id="s1")]  # fmt: skip
    items = sections_to_items(secs, blocks, CONCLUSION, Settings(textcat=False))
    assert [i.category for i in items] == ["result", "limitation", "limitation"]


# fmt: off
@pytest.mark.parametrize("intro,expected", [
    ("Ngày 25/7/2023, đồng chí Bí thư Tỉnh ủy đã làm việc với Ban Thường vụ Huyện ủy về kết quả lãnh đạo,"
     " chỉ đạo 6 tháng đầu năm 2023. Cùng dự có các đồng chí:", [0, 1, 2]),
    (nfd("Ngày 05/01/2024, UBND phường tổ chức Hội nghị tổng kết công tác năm 2023. Tham dự hội nghị có:"),
     [0, 1, 2]),
])
# fmt: on
def test_items_inspection_attendee_list_is_intro(intro: str, expected: list[int]) -> None:
    blocks = [Block(intro, section_id="s0"),
              Block("Trưởng Ban Tổ chức Tỉnh ủy; Phó Chủ tịch UBND tỉnh; lãnh đạo một số sở, ngành.", section_id="s0"),
              Block("Sau khi nghe báo cáo, đồng chí Bí thư Tỉnh ủy kết luận như sau:", section_id="s0"),
              Block("Đánh giá chung", marker="1-", style="arabic_dash", section_id="s1", heading=True)]  # fmt: skip
    assert closes_on_attendance(intro)
    assert sorted(opening_blocks(blocks)) == expected
