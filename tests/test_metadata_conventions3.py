"""Metadata read by the conventions of the blind real-style sets 16 and 17.

Each case is a convention those sets showed the metadata stage missing: a comma inside a legal
name's word pair ("phòng, chống") that ends no clause; an inspection's "thời kỳ kiểm tra" given
as school years; a wrapped title line that closes a bracket; a conference centre of a tier that
no following body locates; a regional office's Roman numeral in its number; a Liên minh Hợp tác
xã header under its parent, with OCR's "TÍNH" for "TỈNH".
"""

from __future__ import annotations

import unicodedata

import pytest

from ketluan.layout import lines_to_layout
from ketluan.metadata import layout_to_fields
from ketluan.metadata.header import NUMBER_LINE, check_number, mend_level
from ketluan.metadata.meeting import read_meeting
from ketluan.metadata.period import read_period
from ketluan.records import Fields, Line


def _nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


# --- a comma inside "phòng, chống" ends no clause: the plan cue before it still governs --------
@pytest.mark.parametrize(
    ("title", "expected"),
    [
        (
            "Kết luận của Chủ tịch UBND thị xã - Trưởng Ban Chỉ huy Phòng chống thiên tai và Tìm kiếm cứu nạn "
            "thị xã tại cuộc họp triển khai nhiệm vụ phòng, chống thiên tai mùa mưa bão năm 2023",
            ("", "", "", ""),
        ),
        (
            "Kết luận tại cuộc họp triển khai nhiệm vụ phòng ngừa, chống tội phạm năm 2024",
            ("", "", "", ""),
        ),
        (
            "Kết luận tại Hội nghị tổng kết công tác phòng, chống tham nhũng năm 2023",
            ("year", "2023-01-01", "2023-12-31", "năm 2023"),
        ),
        (
            "Kết luận tại Hội nghị sơ kết công tác phòng, chống dịch 6 tháng đầu năm 2022",
            ("half_year", "2022-01-01", "2022-06-30", "6 tháng đầu năm 2022"),
        ),
    ],
)
def test_metadata_conventions3_clause_pair_keeps_the_cue(title: str, expected: tuple[str, ...]) -> None:
    assert read_period(title) == expected
    assert read_period(_nfd(title))[:3] == expected[:3]


# --- an inspection's span given as school years (Luật Thanh tra 2022: "thời kỳ kiểm tra") -------
@pytest.mark.parametrize(
    ("opening", "label"),
    [
        (
            "Thực hiện Quyết định số 842/QĐ-TTr ngày 16/9/2024 của Chánh Thanh tra Bộ Giáo dục và Đào tạo, "
            "Đoàn kiểm tra đã làm việc trực tiếp tại Trường từ ngày 23/9/2024 đến ngày 04/10/2024. "
            "Thời kỳ kiểm tra: năm học 2021 - 2022 và năm học 2022 - 2023.",
            "năm học 2021 - 2022 và năm học 2022 - 2023",
        ),
        (
            "Đoàn thanh tra đã làm việc tại Sở Giáo dục và Đào tạo. Thời kỳ thanh tra: năm học 2023 - 2024.",
            "năm học 2023 - 2024",
        ),
        (
            "Thời kỳ thanh tra là năm học 2020-2021, 2021-2022 và 2022-2023.",
            "năm học 2020-2021, 2021-2022 và 2022-2023",
        ),
    ],
)
def test_metadata_conventions3_inspection_school_years(opening: str, label: str) -> None:
    title = "Việc thực hiện các quy định về tuyển sinh, tổ chức và quản lý đào tạo trình độ đại học"
    assert read_period(title, opening, "2024-11-28") == ("other", "", "", label)
    assert read_period(title, _nfd(opening), "2024-11-28")[0] == "other"


def test_metadata_conventions3_inspection_years_keep_their_dates() -> None:
    assert read_period("x", "Thời kỳ thanh tra: từ năm 2021 đến năm 2023.") == (
        "other",
        "2021-01-01",
        "2023-12-31",
        "từ năm 2021 đến năm 2023",
    )


# --- a wrapped title line that closes a bracket is no Roman-numbered heading ---------------------
@pytest.mark.parametrize(
    ("title_lines", "expected"),
    [
        (
            [
                "Hội nghị Ban Chấp hành Đảng bộ huyện lần thứ 21 (khóa",
                "XXVIII) về tình hình thực hiện nhiệm vụ 6 tháng đầu năm,",
                "nhiệm vụ 6 tháng cuối năm 2024",
            ],
            "Hội nghị Ban Chấp hành Đảng bộ huyện lần thứ 21 (khóa XXVIII) về tình hình thực hiện nhiệm vụ "
            "6 tháng đầu năm, nhiệm vụ 6 tháng cuối năm 2024",
        ),
        (
            ["Hội nghị Ban Thường vụ Tỉnh ủy (khóa", "XIX) về công tác cán bộ quý III năm 2023"],
            "Hội nghị Ban Thường vụ Tỉnh ủy (khóa XIX) về công tác cán bộ quý III năm 2023",
        ),
    ],
)
def test_metadata_conventions3_title_closing_bracket_goes_on(title_lines: list[str], expected: str) -> None:
    head = [
        Line("ĐẢNG BỘ TỈNH NGHỆ AN", origin="ocr", column="left"),
        Line("HUYỆN ỦY YÊN THÀNH", origin="ocr", column="left"),
        Line("Số 15-KL/HU", origin="ocr", column="left"),
        Line("ĐẢNG CỘNG SẢN VIỆT NAM", origin="ocr", column="right", centered=True),
        Line("Yên Thành, ngày 19 tháng 7 năm 2024", origin="ocr", column="right", centered=True),
        Line("KẾT LUẬN", origin="ocr", centered=True, gap_before=True),
    ]
    title = [Line(t, origin="ocr", bold=True, centered=k != 1) for k, t in enumerate(title_lines)]
    body = [
        Line("Ngày 16/7/2024, tại Hội trường Huyện ủy, Ban Chấp hành Đảng", origin="ocr", gap_before=True),
        Line(
            "bộ huyện tổ chức Hội nghị lần thứ 21 (khóa XXVIII) do đồng chí Trần Đình Khuê chủ trì.",
            origin="ocr",
        ),
        Line("1. Về kết quả đạt được", origin="ocr", bold=True),
    ]
    fields = layout_to_fields(lines_to_layout(head + title + body))
    assert fields.title == expected


# --- a conference centre of a tier says where it is: the body after it is the sentence's subject --
@pytest.mark.parametrize(
    ("opening", "location"),
    [
        (
            "Ngày 08/01/2025, tại Trung tâm Hội nghị tỉnh, UBND tỉnh tổ chức Hội nghị tổng kết công tác "
            "năm 2024. Đồng chí Hồ Đức Thành - Chủ tịch UBND tỉnh chủ trì Hội nghị.",
            "Trung tâm Hội nghị tỉnh",
        ),
        (
            "Ngày 10/3/2024, tại Nhà văn hóa huyện, Ban Thường vụ Huyện ủy tổ chức Hội nghị sơ kết.",
            "Nhà văn hóa huyện",
        ),
        (  # a bare room keeps the body that locates it
            "Ngày 04/4/2024, tại Phòng họp số 1, UBND tỉnh tổ chức họp giao ban. "
            "Đồng chí Trần Minh Khang - Chủ tịch UBND tỉnh chủ trì.",
            "Phòng họp số 1, UBND tỉnh",
        ),
        (
            "Ngày 12/9/2024, tại Hội trường tầng 2, Văn phòng Tỉnh ủy tổ chức họp giao ban.",
            "Hội trường tầng 2, Văn phòng Tỉnh ủy",
        ),
    ],
)
def test_metadata_conventions3_tier_venue_is_no_bare_room(opening: str, location: str) -> None:
    fields = Fields()
    read_meeting(fields, opening, 2025)
    assert fields.meeting_location == location  # the normalize stage hands this stage NFC text


# --- a regional office's Roman numeral printed apart belongs to the number ------------------------
@pytest.mark.parametrize(
    ("line", "number"),
    [
        ("Số: 86/TB-KV II", "86/TB-KVII"),
        ("Số: 86/TB-KV II Hà Nội, ngày 05 tháng 6 năm 2023", "86/TB-KVII"),
        ("Số: 125/BC-KV IV", "125/BC-KVIV"),
        ("Số: 12/TB-UBND Vị Xuyên, ngày 03 tháng 4 năm 2024", "12/TB-UBND"),
        ("Số: 58/TB-VP", "58/TB-VP"),
    ],
)
def test_metadata_conventions3_number_with_region_numeral(line: str, number: str) -> None:
    m = NUMBER_LINE.match(line)
    assert m is not None
    assert check_number(m.group("num"), "Thông báo")[0] == number


# --- Liên minh Hợp tác xã under its parent; OCR's "TÍNH" before a province is "TỈNH" ---------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("TÍNH ĐỒNG THÁP", "TỈNH ĐỒNG THÁP"),
        ("HUYỆN KRÔNG NÔ", "HUYỆN KRÔNG NÔ"),
        ("TÌNH NGUYỆN", "TÌNH NGUYỆN"),
        ("XÁ THANH NƯA", "XÃ THANH NƯA"),
    ],
)
def test_metadata_conventions3_mend_level(text: str, expected: str) -> None:
    assert mend_level(text) == expected


@pytest.mark.parametrize(
    ("agency_lines", "parent", "issuer"),
    [
        (
            ["LIÊN MINH HTX VIỆT NAM", "LIÊN MINH HỢP TÁC XÃ", "TÍNH ĐỒNG THÁP"],
            "LIÊN MINH HTX VIỆT NAM",
            "LIÊN MINH HỢP TÁC XÃ TỈNH ĐỒNG THÁP",
        ),
        (
            ["UBND TỈNH ĐỒNG THÁP", "LIÊN MINH HTX TỈNH"],
            "UBND TỈNH ĐỒNG THÁP",
            "LIÊN MINH HTX TỈNH",
        ),
    ],
)
def test_metadata_conventions3_cooperative_alliance_header(
    agency_lines: list[str], parent: str, issuer: str
) -> None:
    lines = [Line(t, origin="ocr", column="left") for t in agency_lines] + [
        Line("Số: 97/TB-LMHTX", origin="ocr", column="left"),
        Line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", origin="ocr", column="right"),
        Line("Độc lập - Tự do - Hạnh phúc", origin="ocr", column="right"),
        Line("Đồng Tháp, ngày 12 tháng 10 năm 2023", origin="ocr", column="right"),
        Line("THÔNG BÁO", origin="ocr", centered=True, gap_before=True),
        Line(
            "Kết luận của Chủ tịch Liên minh Hợp tác xã tỉnh tại cuộc", origin="ocr", centered=True, bold=True
        ),
        Line("họp giao ban quý III năm 2023", origin="ocr", centered=True, bold=True),
        Line(
            "Ngày 09/10/2023, Liên minh Hợp tác xã tỉnh tổ chức cuộc họp giao ban.",
            origin="ocr",
            gap_before=True,
        ),
    ]
    fields = layout_to_fields(lines_to_layout(lines))
    assert (fields.issuer_parent, fields.issuer, fields.doc_number) == (parent, issuer, "97/TB-LMHTX")
