"""Items of conclusions whose review stands before the lead-in of the tasks (engineer B3).

Pins each rule alone on real Vietnamese sentences of these styles (Nghị định 30/2020/NĐ-CP: a conclusion
reviews the period before it sets tasks; ANNOTATION.md rule 6 and `limitation`): paragraphs before
"Chủ tịch UBND phường giao:" are review, a turn that opens a later sentence ("… . Tuy nhiên, …") makes a
limitation, a shortcoming stated outright is not outranked by the model, and "1)" numbers points one
level below "1.". NFC and NFD input alike.
"""

from __future__ import annotations

import unicodedata

import pytest

from ketluan.config import Settings
from ketluan.cues import states_shortcoming
from ketluan.item_cuts import Piece
from ketluan.items import categorize, sections_to_items, wording_category
from ketluan.records import Fields, Section
from ketluan.sections import body_to_sections, split_marker

from conftest import text_lines

CONCLUSION = Fields(is_conclusion=True, issue_date="2025-02-07")
FORMS = ("NFC", "NFD")

WARD = """Ngày 05/02/2025, tại Hội trường UBND phường, đồng chí Đỗ Quang Hưng - Chủ tịch UBND phường chủ trì hội
nghị giao ban đánh giá kết quả thực hiện nhiệm vụ tháng 01/2025.

Sau khi nghe báo cáo kết quả công tác tháng 01/2025, Chủ tịch UBND phường kết luận như sau:

1. Công tác văn hóa - xã hội: Tổ chức chu đáo các hoạt động mừng Đảng, mừng Xuân Ất Tỵ 2025; thăm, tặng 416
suất quà cho gia đình chính sách, hộ cận nghèo.

2. Công tác quản lý trật tự xây dựng: Kiểm tra 38 lượt công trình đang thi công. Tuy nhiên, vẫn để xảy ra
02 công trình tự ý xây dựng khi chưa được cấp giấy phép.

3. Công tác nội vụ: Tổ chức lấy ý kiến cử tri về Đề án sắp xếp đơn vị hành chính cấp xã đạt tỷ lệ 98,7%
cử tri tham gia, bảo đảm đúng quy trình, thời gian Quận yêu cầu.

4. Công tác quân sự địa phương: Hoàn thành giao 19/19 thanh niên nhập ngũ năm 2025, bảo đảm chỉ tiêu Quận
giao.

Chủ tịch UBND phường giao:

+ Công an phường: Kiểm tra, hướng dẫn 100% chung cư mini khắc phục ngay các tồn tại về phòng cháy, chữa
cháy, hoàn thành trong quý I/2025.

+ Công chức Địa chính - Xây dựng: Lập hồ sơ vi phạm đối với 02 công trình xây dựng không phép, tham mưu
Chủ tịch UBND phường xử lý theo quy định trước ngày 25/02/2025.
"""

POINTS = """Sau khi nghe báo cáo và ý kiến các đại biểu, Giám đốc Sở kết luận như sau:

1. Về kết quả

- Tổ chức bộ máy: Hoàn thành tiếp nhận công chức, viên chức, người lao động từ Sở Thông tin và Truyền thông.

2. Về tồn tại, hạn chế

1) Một số cửa hàng xăng dầu tại thị xã Hoài Nhơn vẫn sử dụng cột đo chưa được kiểm định lại sau khi sửa chữa.

2) Việc thanh lý hợp đồng, quyết toán kinh phí của 05 đề tài đã nghiệm thu năm 2024 còn chậm.

3. Về nhiệm vụ tháng 3/2025

1) Văn phòng Sở: Phối hợp các chủ nhiệm hoàn thiện chứng từ, xong trước ngày 31/3/2025.
"""


def _items(text: str, form: str) -> list[tuple[str, str]]:
    sections, blocks = body_to_sections(text_lines(unicodedata.normalize(form, text)))
    items = sections_to_items(sections, blocks, CONCLUSION, Settings(textcat=False))
    return [(i.category, i.text) for i in items]


@pytest.mark.parametrize("form", FORMS)
def test_items_styles4_paragraphs_before_the_tasks_lead_in_are_review(form: str) -> None:
    cats = [c for c, _ in _items(WARD, form)]
    assert cats == ["other", "other", "result", "limitation", "result", "result", "task", "task"]


@pytest.mark.parametrize("form", FORMS)
def test_items_styles4_paren_points_sit_below_their_numbered_heading(form: str) -> None:
    items = _items(POINTS, form)
    assert [c for c, _ in items] == ["other", "result", "limitation", "limitation", "task"]


@pytest.mark.parametrize(
    ("marker_line", "style"),
    [
        ("1) Một số cửa hàng xăng dầu vẫn sử dụng cột đo chưa được kiểm định.", "arabic_paren"),
        ("1. Về kết quả", "arabic"),
        ("2) Văn phòng Sở: Chủ trì, phối hợp các phòng hoàn thiện dự thảo Quyết định.", "arabic_paren"),
    ],
)
def test_items_styles4_paren_numbers_are_a_family_of_their_own(marker_line: str, style: str) -> None:
    for form in FORMS:
        assert split_marker(unicodedata.normalize(form, marker_line))[0] == style


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Kiểm tra 38 lượt công trình đang thi công. Tuy nhiên, vẫn để xảy ra 02 công trình tự ý xây dựng.",
            True,
        ),
        (
            "Giải quyết đúng hạn 100% hồ sơ. Tuy nhiên, tỷ lệ hồ sơ thực hiện trực tuyến toàn trình mới đạt 34,6%.",
            True,
        ),
        ("Tuyến phố văn minh đô thị được duy trì tốt. Tuy vậy, xe máy, ô tô vẫn đỗ tràn trên hè phố.", True),
        (
            "Đội Trật tự đô thị ra quân 22 buổi, nhắc nhở 145 trường hợp. Trong tháng không để xảy ra vi phạm mới.",
            False,
        ),
    ],
)
def test_items_styles4_a_turn_opening_a_later_sentence(text: str, expected: bool) -> None:
    for form in FORMS:
        nfx = unicodedata.normalize(form, text)
        assert states_shortcoming(nfx, turning=True) is expected
        assert (wording_category(nfx, ("result", "limitation"))[0] == "limitation") is expected


@pytest.mark.parametrize(
    "text",
    [
        "Chưa thu hút được nông dân tham gia BHXH tự nguyện; quý I chỉ tăng 41 người trong khi có 57 người dừng đóng.",
        "Công tác đôn đốc thu nợ chưa mang lại kết quả; số tiền nợ kéo dài đến cuối quý là 2,07 tỷ đồng.",
        "Vẫn còn doanh nghiệp chây ỳ, chiếm dụng tiền đóng của người lao động.",
    ],
)
def test_items_styles4_a_shortcoming_stated_outright_outranks_the_model(text: str) -> None:
    chain = [Section("s1", "s0", 1, 1, "1.", "Đánh giá", "other"), Section("s0", "", 0, 0, "", "", "other")]
    probs = {"result": 0.9, "limitation": 0.05, "cause": 0.03, "task": 0.02}
    for form in FORMS:
        piece = Piece(text=unicodedata.normalize(form, text))
        assert categorize(piece, chain, probs, 0.5)[0] == "limitation"


@pytest.mark.parametrize(
    ("text", "ahead", "category"),
    [
        (
            "Tổ chức lấy ý kiến cử tri đạt tỷ lệ 98,7%, bảo đảm đúng quy trình, thời gian Quận yêu cầu.",
            True,
            "result",
        ),
        (
            "Tổ Quản lý thu đã đối chiếu được 6.420/9.870 người có thông tin cần chuẩn hóa với giấy tờ gốc.",
            True,
            "result",
        ),
        ("Đề nghị các tổ dân phố tiếp tục vận động người dân nộp hồ sơ trực tuyến.", True, "task"),
    ],
)
def test_items_styles4_before_the_tasks_only_an_opening_request_asks(
    text: str, ahead: bool, category: str
) -> None:
    chain = [Section("s0", "", 0, 0, "", "", "other")]
    for form in FORMS:
        piece = Piece(text=unicodedata.normalize(form, text))
        assert categorize(piece, chain, None, 0.5, review=True, ahead=ahead)[0] == category
