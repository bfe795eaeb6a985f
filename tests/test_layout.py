"""Layout stage: header / title / body / recipients / signer on hand-built lines."""

from __future__ import annotations

import pytest

from ketluan.layout import is_signer_title, lines_to_layout, type_word
from ketluan.records import Line

from conftest import text_lines

POLICE = """CÔNG AN TỈNH LONG AN
PHÒNG THAM MƯU
Số: 215/TB-PV01
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Long An, ngày 03 tháng 10 năm 2023

THÔNG BÁO KẾT LUẬN
của Giám đốc Công an tỉnh tại buổi giao ban
công tác tháng 9 năm 2023

Ngày 02/10/2023, tại Hội trường Công an tỉnh, Đại tá Nguyễn Văn Hòa - Giám đốc Công an tỉnh chủ trì giao ban.

1. Kết quả
Phạm pháp hình sự giảm 12% so với cùng kỳ.

KT. GIÁM ĐỐC
PHÓ GIÁM ĐỐC
Đại tá
Trần Minh Tâm

Nơi nhận:
- Đ/c Giám đốc (để b/c);
- Các đơn vị nghiệp vụ;
- Lưu: VT, PV01.
"""

LETTER = """SỞ GIÁO DỤC VÀ ĐÀO TẠO
Số: 1204/SGDĐT-VP
V/v báo cáo kết quả giao ban quý III
Bình Dương, ngày 10 tháng 10 năm 2022

Kính gửi: Các trường trung học phổ thông.

Sở Giáo dục và Đào tạo đề nghị các trường báo cáo kết quả.

Nơi nhận:
- Như trên;
- Lưu: VT.
GIÁM ĐỐC
Lê Văn Bình
"""


# fmt: off
@pytest.mark.parametrize("text,expected", [
    ("THÔNG BÁO", "THÔNG BÁO"),
    ("THÔNG BÁO KẾT LUẬN", "THÔNG BÁO KẾT LUẬN"),
    ("**KẾT LUẬN**", "KẾT LUẬN"),
    ("GIẤY MỜI", "GIẤY MỜI"),
    ("KẾT LUẬN CỦA CHỦ TỊCH UBND HUYỆN", "KẾT LUẬN"),
    ("Kết luận của Chủ tịch UBND tỉnh", ""),
    ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", ""),
    ("Thông báo kết luận giao ban", ""),
])
# fmt: on
def test_layout_type_word_is_an_upper_case_title_line(text: str, expected: str) -> None:
    assert type_word(text) == expected


# fmt: off
@pytest.mark.parametrize("text,expected", [
    ("KT. CHỦ TỊCH", True),
    ("TM. ỦY BAN NHÂN DÂN", True),
    ("T/M BAN THƯỜNG VỤ", True),
    ("TL. CHỦ TỊCH", True),
    ("CHÁNH THANH TRA", True),
    ("PHÓ HIỆU TRƯỞNG", True),
    ("KẾT QUẢ ĐẠT ĐƯỢC", False),
    ("Chủ tịch UBND tỉnh", False),
    ("II. NHIỆM VỤ TRỌNG TÂM", False),
])
# fmt: on
def test_layout_recognises_signer_title_lines(text: str, expected: bool) -> None:
    assert is_signer_title(text) is expected


def test_layout_cuts_a_police_conclusion_with_signer_before_recipients() -> None:
    lay = lines_to_layout(text_lines(POLICE))
    assert [ln.text for ln in lay.header][:3] == ["CÔNG AN TỈNH LONG AN", "PHÒNG THAM MƯU", "Số: 215/TB-PV01"]
    assert [ln.text for ln in lay.title] == [
        "THÔNG BÁO KẾT LUẬN",
        "của Giám đốc Công an tỉnh tại buổi giao ban",
        "công tác tháng 9 năm 2023",
    ]
    assert lay.body[0].text.startswith("Ngày 02/10/2023")
    assert lay.body[-1].text == "Phạm pháp hình sự giảm 12% so với cùng kỳ."
    assert [ln.text for ln in lay.signer] == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Đại tá", "Trần Minh Tâm"]
    assert [ln.text for ln in lay.recipients] == [
        "Nơi nhận:", "- Đ/c Giám đốc (để b/c);", "- Các đơn vị nghiệp vụ;", "- Lưu: VT, PV01.",
    ]


def test_layout_official_letter_uses_the_vv_line_as_title() -> None:
    lay = lines_to_layout(text_lines(LETTER))
    assert [ln.text for ln in lay.title] == ["V/v báo cáo kết quả giao ban quý III"]
    assert lay.signer[-1].text == "Lê Văn Bình"
    assert any("đề nghị các trường" in ln.text for ln in lay.body)


def test_layout_keeps_an_appendix_after_the_signature_in_the_body() -> None:
    lines = text_lines(
        "THÔNG BÁO\nKết luận giao ban tháng 3/2024\n\nNgày 02/4/2024, UBND huyện họp giao ban.\n\n"
        "Nơi nhận:\n- Lưu: VT.\nCHỦ TỊCH\nNguyễn Văn An\n\nPHỤ LỤC\nDanh mục nhiệm vụ giao các cơ quan\n"
    )
    lay = lines_to_layout(lines)
    assert [ln.text for ln in lay.signer] == ["CHỦ TỊCH", "Nguyễn Văn An"]
    assert lay.body[-2].text == "PHỤ LỤC"


def test_layout_title_stops_at_the_first_body_line_without_blank() -> None:
    lines = [
        Line("THÔNG BÁO", centered=True, bold=True, origin="text", gap_before=True),
        Line("Kết luận của Chủ tịch UBND huyện tại cuộc họp giao ban", centered=True, bold=True, origin="text"),
        Line("Ngày 05/3/2024, tại Phòng họp UBND huyện, Chủ tịch UBND huyện chủ trì họp.", origin="text"),
    ]
    lay = lines_to_layout(lines)
    assert len(lay.title) == 2
    assert lay.body[0].text.startswith("Ngày 05/3/2024")


DECISION = """ỦY BAN NHÂN DÂN
TỈNH KON TUM
Số: 512/QĐ-UBND
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Kon Tum, ngày 12 tháng 9 năm 2023

QUYẾT ĐỊNH
Về việc thành lập Tổ công tác
CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH KON TUM
Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;
QUYẾT ĐỊNH:
Điều 1. Thành lập Tổ công tác theo dõi, đôn đốc thực hiện các kết luận giao ban.
Nơi nhận:
- Như Điều 3;
- Lưu: VT.
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Nguyễn Hữu Tháp
"""


@pytest.mark.parametrize("text", [DECISION])
def test_layout_authority_line_of_a_decision_is_not_the_signature(text: str) -> None:
    lay = lines_to_layout(text_lines(text))
    assert [ln.text for ln in lay.signer] == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Hữu Tháp"]
    assert any(ln.text.startswith("Căn cứ Luật") for ln in lay.body)


COPY = """Nơi nhận:
- UBND tỉnh (b/c);
- Lưu: VT, KT.
GIÁM ĐỐC
(Đã ký)
Đặng Quốc Vinh
BAN QUẢN LÝ DỰ ÁN ĐẦU TƯ XÂY DỰNG
Số: 35/SY-BQL
Nơi nhận:
- Các nhà thầu thi công;
SAO Y BẢN CHÍNH
Bình Định, ngày 20 tháng 6 năm 2024
TL. GIÁM ĐỐC
CHÁNH VĂN PHÒNG
Nguyễn Thị Thanh Tâm
"""


@pytest.mark.parametrize(("origin", "top"), [("txt", 0.0), ("text", 1.0)])
def test_layout_copy_block_is_neither_recipients_nor_signer(origin: str, top: float) -> None:
    head = text_lines("THÔNG BÁO\nKết luận giao ban tuần\n\nNgày 17/6/2024, họp giao ban.\n", origin)
    tail = text_lines(COPY, origin)
    for k, ln in enumerate(head + tail):
        ln.top = ln.bottom = top * (k + 1) * 20  # laid out top to bottom when the page gave positions
    lay = lines_to_layout(head + tail)
    assert [ln.text for ln in lay.recipients] == ["Nơi nhận:", "- UBND tỉnh (b/c);", "- Lưu: VT, KT."]
    assert [ln.text for ln in lay.signer] == ["GIÁM ĐỐC", "(Đã ký)", "Đặng Quốc Vinh"]


# --- issue 17: the title block by position, a damaged type word, an attached document ------------
def _lines(spec: list[tuple[str, dict[str, object]]]) -> list[Line]:
    return [Line(text=t, **kw) for t, kw in spec]  # type: ignore[arg-type]


def test_layout_title_block_without_type_word_is_not_header() -> None:
    lines = _lines([
        ("UBND TỈNH BẮC KẠN", {"column": "left"}), ("SỞ TÀI CHÍNH", {"column": "left"}),
        ("Số: 41/BC-STC", {"column": "left"}), ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", {"column": "right"}),
        ("Độc lập - Tự do - Hạnh phúc", {"column": "right"}),
        ("TỔNG HỢP KẾT QUẢ TIẾP CÔNG DÂN CỦA THỦ TRƯỞNG", {"centered": True, "bold": True}),
        ("CƠ QUAN, ĐƠN VỊ THÁNG 3 NĂM 2022", {"centered": True, "bold": True}),
        ("(Số liệu tính từ ngày 15/02/2022 đến ngày 14/3/2022)", {"centered": True}),
        ("STT | Ngày tiếp | Người tiếp", {"gap_before": True}),
    ])  # fmt: skip
    lay = lines_to_layout(lines)
    assert [ln.text for ln in lay.header][-1] == "Độc lập - Tự do - Hạnh phúc"
    assert [ln.text for ln in lay.title] == [
        "TỔNG HỢP KẾT QUẢ TIẾP CÔNG DÂN CỦA THỦ TRƯỞNG", "CƠ QUAN, ĐƠN VỊ THÁNG 3 NĂM 2022"]  # fmt: skip


# fmt: off
@pytest.mark.parametrize("type_line, expected", [
    ("THONGBAo", "THÔNG BÁO"),          # an old OCR layer without diacritics
    ("QUYÉT ĐINH", "QUYẾT ĐỊNH"),
    ("THÔNG", "THÔNG BÁO"),             # a stamp took "BÁO"
    ("LỊCH CÔNG TÁC TUẦN THỨ 11", "LỊCH CÔNG TÁC"),
])
# fmt: on
def test_layout_damaged_type_word_found(type_line: str, expected: str) -> None:
    lines = _lines([("UBND HUYỆN MƯỜNG LA", {}), ("Số: 12/TB-UBND", {}), (type_line, {"gap_before": True}),
                    ("Kết luận của Chủ tịch UBND huyện", {}), ("Ngày 04/4/2024, tại trụ sở.", {"gap_before": True})])  # fmt: skip
    lay = lines_to_layout(lines)
    assert lay.title[0].text == type_line
    assert type_word(type_line) == expected


def test_layout_attached_document_after_recipients_is_not_the_title() -> None:
    lines = _lines([
        ("ỦY BAN NHÂN DÂN", {"page": 1}), ("Số: 964/UBND-VP", {"page": 1}),
        ("V/v chuyển kiến nghị của công dân", {"page": 1}), ("Kính gửi: Ban Quản lý dự án.", {"page": 1}),
        ("Ngày 12/6/2019, UBND huyện tiếp nhận kiến nghị.", {"page": 1}),
        ("Nơi nhận:", {"page": 1}), ("- Như trên;", {"page": 1}), ("- Lưu: VT.", {"page": 1}),
        ("TL. CHỦ TỊCH", {"page": 1}), ("Cao Văn Bình", {"page": 1}),
        ("BIÊN BẢN", {"page": 2}), ("Làm việc với công dân", {"page": 2}),
    ])  # fmt: skip
    lay = lines_to_layout(lines)
    assert lay.title[0].text == "V/v chuyển kiến nghị của công dân"


# fmt: off
@pytest.mark.parametrize("second, third, title_lines", [
    # OCR's centring is a guess: a wrapped excerpt line without a gap goes on
    ("UBND huyện tại Hội nghị rút kinh nghiệm", {"origin": "ocr"}, 3),
    # capitals end where running text starts ("L Tổng quan": an OCR'd "I.")
    ("L Tổng quan chung về giá thị trường tháng 5/2019:", {"origin": "ocr"}, 1),
])
# fmt: on
def test_layout_excerpt_end_on_ocr_lines(second: str, third: dict[str, object], title_lines: int) -> None:
    first = "Ý kiến kết luận của Phó Chủ tịch" if title_lines == 3 else "GIÁ THỊ TRƯỜNG THÁNG 05/2019"
    lines = _lines([("THÔNG BÁO" if title_lines == 3 else "BÁO CÁO", {"origin": "ocr", "centered": True, "bold": True}),
                    (first, {"origin": "ocr", "bold": True}), (second, third),
                    ("kết quả tìm kiếm cấp xã", {"origin": "ocr", "centered": True, "bold": True}),
                    ("Ngày 29/5/2019, UBND huyện tổ chức Hội nghị.", {"origin": "ocr", "gap_before": True})])  # fmt: skip
    lay = lines_to_layout(lines)
    assert len(lay.title) - 1 == title_lines


def test_layout_wrapped_agency_name_ending_on_a_type_word_is_header() -> None:
    # "…CÔNG TRÌNH GIAO / THÔNG" wraps in the header's left column: the lone "THÔNG" there looks
    # like a type word a stamp cut short, but the title is the centred "THÔNG BÁO" under the header.
    lines = [
        Line("UBND TỈNH TIỀN GIANG CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        Line("BAN QUẢN LÝ DỰ ÁN ĐẦU TƯ", column="left", centered=True),
        Line("XÂY DỰNG CÔNG TRÌNH GIAO", column="left", centered=True),
        Line("THÔNG", column="left", centered=True),
        Line("Số: 48/TB-BQLDA", column="left", centered=True),
        Line("Độc lập - Tự do - Hạnh phúc", column="right", centered=True),
        Line("Mỹ Tho, ngày 08 tháng 3 năm 2024", column="right", centered=True),
        Line("THÔNG BÁO", centered=True),
        Line("Kết luận của Giám đốc Ban tại cuộc họp kiểm điểm tiến độ"),
        Line("tháng 02/2024", centered=True),
        Line("Ngày 06/3/2024, Giám đốc Ban chủ trì cuộc họp kiểm điểm tiến độ các dự án."),
        Line("1. Dự án Đường huyện 27: gói thầu số 3 mới đạt 35% khối lượng, chậm 60 ngày."),
    ]
    lay = lines_to_layout(lines)
    assert lay.title[0].text == "THÔNG BÁO"
    assert "THÔNG" in [ln.text for ln in lay.header]


def test_layout_lone_type_word_outside_the_columns_is_still_the_title() -> None:
    # a stamp took "BÁO": the lone "THÔNG" under the header is the type word
    lines = [
        Line("UBND TỈNH BẾN TRE", column="left"), Line("SỞ TƯ PHÁP", column="left"),
        Line("Số: 12/TB-STP", column="left"), Line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", column="right"),
        Line("Bến Tre, ngày 05 tháng 8 năm 2024", column="right"),
        Line("THÔNG", centered=True), Line("Kết luận của Giám đốc Sở tại cuộc họp giao ban tháng 7/2024"),
        Line("Ngày 02/8/2024, Giám đốc Sở chủ trì cuộc họp giao ban."),
    ]  # fmt: skip
    assert lines_to_layout(lines).title[0].text == "THÔNG"
