"""Items of a meeting that reviews how an earlier conclusion was carried out, of an inspection's lettered
findings, and of a scanned conclusion without outline markers (engineer I8): a heading of the tasks done
("Những nhiệm vụ đã hoàn thành") lists results and one of the tasks late ("Những nhiệm vụ chậm tiến độ")
limitations; a sentence whose subject points back to the shortcomings ("Những hạn chế trên một phần do …")
states causes; a finding that turns before its colon ("…, nhưng việc tổ chức thực hiện còn sai sót: 112
sinh viên …; …") is one item; an unmarked category heading ("Đánh giá chung") stands alone once OCR has
lost its bold, and a line the OCR cut or flagged with a false gap goes on with its paragraph.

Each case is a convention (Nghị định 30/2020/NĐ-CP; Luật Thanh tra 2022; ANNOTATION.md), built by hand
with real Vietnamese text (NFC and NFD); none runs the whole pipeline.
"""

from __future__ import annotations

import unicodedata

import pytest

from ketluan.cues import states_cause
from ketluan.item_cuts import Piece, names_work_only, split_block
from ketluan.items import categorize
from ketluan.records import Block, Line, Section
from ketluan.sections import body_to_sections, plain_heading, section_category

FORMS = ("NFC", "NFD")
ROOT = Section("s0", "", 0, 0, "", "", "other")
REVIEW = Section("s1", "s0", 1, 1, "I.", "TÌNH HÌNH THỰC HIỆN THÔNG BÁO SỐ 48", "mixed")
DONE = Section("s2", "s1", 2, 2, "1.", "Những nhiệm vụ đã hoàn thành", "result")
LATE = Section("s3", "s1", 3, 2, "2.", "Những nhiệm vụ chậm tiến độ", "limitation")
ASSESSED = Section("s1", "s0", 1, 1, "", "Đánh giá chung", "mixed")


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("Những nhiệm vụ đã hoàn thành", "result"),
        ("1. Các nhiệm vụ đã thực hiện", "result"),
        ("Những nhiệm vụ chậm tiến độ", "limitation"),
        ("Nhiệm vụ quá hạn", "limitation"),
        ("Các việc chưa hoàn thành", "limitation"),
        ("NHIỆM VỤ THỜI GIAN TỚI", "task"),
        ("Nhiệm vụ trọng tâm tháng tới", "task"),
        ("KẾT QUẢ THỰC HIỆN NHIỆM VỤ QUÝ II NĂM 2024", "result"),
    ],
)
def test_items_styles10_followup_heading_categories(form: str, heading: str, expected: str) -> None:
    assert section_category(unicodedata.normalize(form, heading)) == expected


@pytest.mark.parametrize(
    ("section", "text", "expected"),
    [
        (DONE, "Phòng Quản lý thương mại tổ chức thành công Hội chợ hàng Việt tại thị xã Hoài Nhơn với 180 "
               "gian hàng; phối hợp kiểm tra 46 cửa hàng kinh doanh xăng dầu trên địa bàn tỉnh.", "result"),
        (DONE, "Thanh tra Sở đã ban hành kết luận thanh tra việc chấp hành pháp luật về an toàn hóa chất đối "
               "với 05 doanh nghiệp, kịp thời chấn chỉnh các thiếu sót.", "result"),
        (LATE, "Nhiệm vụ rà soát, đề xuất điều chỉnh quy hoạch hệ thống cửa hàng xăng dầu (giao Phòng Quản lý "
               "thương mại, thời hạn ngày 30/5/2024) đến nay mới hoàn thành dự thảo, chưa lấy ý kiến các địa "
               "phương.", "limitation"),
    ],
)  # fmt: skip
def test_items_styles10_followup_items(section: Section, text: str, expected: str) -> None:
    cat, _ = categorize(Piece(text=text), [section, REVIEW, ROOT], None, 0.5)
    assert cat == expected


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Những hạn chế trên một phần do nhiều hợp tác xã có quy mô nhỏ, năng lực quản trị yếu; mặt khác, "
         "lực lượng cán bộ của Liên minh còn mỏng.", True),
        ("Các tồn tại, hạn chế nêu trên chủ yếu do người đứng đầu chưa sâu sát.", True),
        ("Tình trạng này xuất phát từ việc buông lỏng quản lý đất đai.", True),
        ("Hạn chế trên đã được khắc phục do Sở chỉ đạo quyết liệt.", False),
        ("Tình trạng ùn tắc giao thông do mưa lớn kéo dài.", False),
    ],
)  # fmt: skip
def test_items_styles10_cause_pointing_back(form: str, text: str, expected: bool) -> None:
    assert states_cause(unicodedata.normalize(form, text)) is expected


def test_items_styles10_cause_under_limitations() -> None:
    limits = Section("s2", "s1", 2, 2, "", "hạn chế", "limitation")
    text = "Những hạn chế trên một phần do nhiều hợp tác xã có quy mô nhỏ, năng lực quản trị yếu."
    assert categorize(Piece(text=text), [limits, ROOT], None, 0.5)[0] == "cause"


FINDING = (
    "Trường đã ban hành quy chế đào tạo theo tín chỉ phù hợp với Thông tư số 08/2021/TT-BGDĐT, nhưng việc tổ "
    "chức thực hiện còn sai sót: 112 sinh viên được công nhận tốt nghiệp khi chưa có chứng chỉ ngoại ngữ theo "
    "chuẩn đầu ra; một số lớp học phần có trên 120 sinh viên, vượt quy định của chính Trường."
)


@pytest.mark.parametrize("form", FORMS)
def test_items_styles10_turned_finding_is_one_item(form: str) -> None:
    pieces = split_block(Block(unicodedata.normalize(form, FINDING), marker="b)", style="lower"))
    assert [p.text for p in pieces] == [unicodedata.normalize(form, FINDING)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tuy nhiên, hoạt động của Liên minh trong quý vẫn còn những hạn chế: việc hướng dẫn còn chậm; "
         "số hợp tác xã ngừng hoạt động còn 23 đơn vị.", 2),
        ("Bên cạnh kết quả đạt được, còn một số hạn chế: thu thuế mới đạt 45%; hồ sơ còn sai sót.", 2),
    ],
)  # fmt: skip
def test_items_styles10_set_lead_still_lists(text: str, expected: int) -> None:
    assert len(split_block(Block(text))) == expected


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        ("Trường đã ban hành quy chế, nhưng việc tổ chức thực hiện còn sai sót", True),
        ("Công tác triển khai còn chậm", True),
        ("Cần tổ chức thực hiện các nội dung sau", False),
        ("Giao Sở Nội vụ tổ chức thực hiện", False),
    ],
)
def test_items_styles10_names_work_only(head: str, expected: bool) -> None:
    assert names_work_only(head) is expected


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Đánh giá chung", True),
        ("Nhiệm vụ thời gian tới", True),
        ("Những hạn chế, tồn tại", True),
        ("Giao Phòng Nội vụ theo dõi nhiệm vụ", False),
        ("Tiếp tục thực hiện nhiệm vụ", False),
        ("Kết quả đạt được.", False),
        ("trách từng địa bàn", False),
    ],
)
def test_items_styles10_plain_heading(form: str, text: str, expected: bool) -> None:
    assert plain_heading(unicodedata.normalize(form, text)) is expected


def _ocr(text: str, x0: float, x1: float, gap: bool = False) -> Line:
    return Line(text, x0=x0, x1=x1, origin="ocr", gap_before=gap)


SCAN = [
    _ocr("Sau khi nghe Phòng Kinh tế báo cáo công tác chuẩn bị và ý kiến của các", 120, 546, True),
    _ocr("viên, Chủ tịch UBND thị xã - Trưởng Ban Chỉ huy kết luận như sau:", 91, 447),
    _ocr("Đánh giá chung", 120, 207, True),
    _ocr("Thời gian qua, các thành viên Ban Chỉ huy và UBND các phường, xã đã chủ động", 120, 546),
    _ocr('rà soát, cập nhật phương án ứng phó với thiên tai theo phương châm "bốn tại chỗ";', 91, 546),
    _ocr("100% phường, xã đã kiện toàn Ban Chỉ huy", 92, 318, True),
    _ocr("trách từng địa bàn.", 91, 187),
    _ocr("và TKCN, phân công thành viên phụ", 356, 546, True),
    _ocr("Trong đợt mưa lớn cục bộ cuối tháng 8, lực lượng tại chỗ đã kịp thời di dời 46 hộ", 120, 546, True),
    _ocr("dân ở vùng thấp trũng đến nơi an toàn, không để xảy ra thiệt hại về người.", 91, 476),
    _ocr("Nhiệm vụ thời gian tới", 120, 260, True),
    _ocr("Để chủ động ứng phó với mùa mưa bão năm 2023, Trưởng Ban Chỉ huy yêu cầu", 120, 546),
    _ocr("các đơn vị thực hiện tốt các nội dung sau:", 91, 400),
    _ocr("1. Công an thị xã: Bảo đảm an ninh trật tự tại các khu vực sơ tán.", 120, 546, True),
]


def test_items_styles10_scan_without_markers() -> None:
    sections, blocks = body_to_sections(SCAN)
    assert [(s.heading, s.category) for s in sections[1:3]] == [
        ("Đánh giá chung", "mixed"),
        ("Nhiệm vụ thời gian tới", "task"),
    ]
    body = [b.text for b in blocks if not b.heading]
    assert body[1].startswith("Thời gian qua,") and body[1].endswith("và TKCN, phân công thành viên phụ")
    assert body[2].startswith("Trong đợt mưa lớn")


def test_items_styles10_low_lying_land_is_no_shortcoming() -> None:
    text = (
        "Trong đợt mưa lớn cục bộ cuối tháng 8, lực lượng tại chỗ đã kịp thời di dời 46 hộ dân ở vùng thấp "
        "trũng đến nơi an toàn, không để xảy ra thiệt hại về người."
    )
    assert categorize(Piece(text=text), [ASSESSED, ROOT], None, 0.5)[0] == "result"
