"""Metadata read by the conventions of documents we had not seen (stop 23's blind real-style sets).

Each case is a convention the blind sets showed the metadata stage missing: the type line of a
denunciation conclusion (Luật Tố cáo 2018, Điều 35), which concludes no meeting; a scan's "Số:"
whose tone mark OCR misread; a citizen-reception conclusion whose opening starts "Thực hiện Luật
..., ngày ..."; a meeting place followed by the sentence's subject written with commas.
"""

from __future__ import annotations

import unicodedata

import pytest

from ketluan.layout import NUMBER_LINE as LAYOUT_NUMBER_LINE
from ketluan.metadata import layout_to_fields
from ketluan.metadata.header import NUMBER_LINE
from ketluan.metadata.meeting import read_meeting
from ketluan.metadata.period import read_period
from ketluan.metadata.title import is_conclusion, read_title
from ketluan.records import Fields, Layout, Line

HEADER = ["ỦY BAN NHÂN DÂN", "HUYỆN ĐỨC TRỌNG", "Số: 58/KL-UBND", "Đức Trọng, ngày 14 tháng 10 năm 2024"]


def _lines(texts: list[str]) -> list[Line]:
    return [Line(t) for t in texts]


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (
            ["KẾT LUẬN NỘI DUNG TỐ CÁO", "Đối với ông Hoàng Đức Lâm, Chủ tịch Ủy ban nhân dân xã Hiệp Thạnh"],
            ("Kết luận nội dung tố cáo", "Đối với ông Hoàng Đức Lâm, Chủ tịch Ủy ban nhân dân xã Hiệp Thạnh"),
        ),
        (
            [
                "KẾT LUẬN NỘI DUNG TỐ CÁO",
                "Đối với bà Nguyễn Thị Mai, Trưởng phòng",
                "Tài nguyên và Môi trường",
            ],
            ("Kết luận nội dung tố cáo", "Đối với bà Nguyễn Thị Mai, Trưởng phòng Tài nguyên và Môi trường"),
        ),
        (
            ["KẾT LUẬN", "Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ 20"],
            ("Kết luận", "Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ 20"),
        ),
    ],
)
def test_metadata_conventions2_denunciation_conclusion_type(
    lines: list[str], expected: tuple[str, str]
) -> None:
    assert read_title(lines) == expected
    assert read_title([unicodedata.normalize("NFD", t) for t in lines])[0] == expected[0]
    assert is_conclusion(*expected)


@pytest.mark.parametrize(
    ("title", "opening"),
    [
        (
            ["KẾT LUẬN NỘI DUNG TỐ CÁO", "Đối với ông Hoàng Đức Lâm, Chủ tịch UBND xã Hiệp Thạnh"],
            "Ngày 12/7/2024, Chủ tịch UBND huyện Đức Trọng ban hành Quyết định số 1462/QĐ-UBND về việc thụ lý tố cáo.",
        ),
        (
            ["KẾT LUẬN THANH TRA", "Việc quản lý, sử dụng ngân sách năm 2023 tại UBND xã Tân Hội"],
            "Ngày 04/3/2024, tại trụ sở UBND xã Tân Hội, Đoàn thanh tra công bố Quyết định thanh tra.",
        ),
    ],
)
def test_metadata_conventions2_procedure_conclusions_have_no_meeting(title: list[str], opening: str) -> None:
    fields = layout_to_fields(
        Layout(
            header=_lines(HEADER),
            title=_lines(title),
            body=_lines([opening]),
            lines=_lines(HEADER + title + [opening]),
        )
    )
    assert fields.is_conclusion
    assert (fields.meeting_date, fields.meeting_location, fields.chair) == ("", "", "")


@pytest.mark.parametrize(
    ("line", "number"),
    [
        ("Sổ: 2417 /QĐ-XPHC", "2417 /QĐ-XPHC"),
        ("SÔ: 77/TB-UBND", "77/TB-UBND"),
        ("Số: 58/KL-UBND", "58/KL-UBND"),
        ("Sồ : /TB-UBND", "/TB-UBND"),
    ],
)
def test_metadata_conventions2_number_label_misread_by_ocr(line: str, number: str) -> None:
    m = NUMBER_LINE.match(line)
    assert m is not None and m.group("num").strip() == number
    assert LAYOUT_NUMBER_LINE.match(line)


@pytest.mark.parametrize("line", ["SỞ NN-PTNT", "Sở Tư pháp", "Sổ tay nghiệp vụ 2024/HD-TTr", "SỔ THEO DÕI"])
def test_metadata_conventions2_no_number_without_the_label(line: str) -> None:
    assert NUMBER_LINE.match(line) is None
    assert LAYOUT_NUMBER_LINE.match(line) is None


def test_metadata_conventions2_misread_label_is_not_the_issuer() -> None:
    header = ["ỦY BAN NHÂN DÂN", "HUYỆN NGHI LỘC", "Sổ: 2417 /QĐ-XPHC", "Nghi Lộc, ngày 18 tháng 11 năm 2024"]
    title = ["QUYẾT ĐỊNH", "Xử phạt vi phạm hành chính"]
    fields = layout_to_fields(
        Layout(header=_lines(header), title=_lines(title), lines=_lines(header + title))
    )
    assert (fields.issuer, fields.doc_number) == ("ỦY BAN NHÂN DÂN HUYỆN NGHI LỘC", "2417/QĐ-XPHC")


RECEPTION = (
    "Thực hiện Luật Tiếp công dân năm 2013 và lịch tiếp công dân định kỳ của lãnh đạo UBND xã, ngày "
    "15/11/2024, tại Phòng tiếp công dân UBND xã, ông Trần Quốc Vinh - Chủ tịch UBND xã chủ trì buổi "
    "tiếp công dân định kỳ. Cùng tham dự có đại diện Ủy ban Mặt trận Tổ quốc Việt Nam xã."
)


@pytest.mark.parametrize("nfd", [False, True])
def test_metadata_conventions2_citizen_reception_is_the_meeting(nfd: bool) -> None:
    header = ["ỦY BAN NHÂN DÂN", "XÃ HIỆP THẠNH", "Số: /TB-UBND", "Hiệp Thạnh, ngày tháng 11 năm 2024"]
    title = ["THÔNG BÁO", "Kết luận của Chủ tịch UBND xã tại buổi tiếp công dân định kỳ ngày 15/11/2024"]
    body = [
        RECEPTION,
        "Trong buổi tiếp, có 04 lượt công dân đến trình bày 03 vụ việc. Chủ tịch UBND xã kết luận như sau:",
    ]
    if nfd:
        body = [unicodedata.normalize("NFD", t) for t in body]
    fields = layout_to_fields(
        Layout(
            header=_lines(header), title=_lines(title), body=_lines(body), lines=_lines(header + title + body)
        )
    )
    assert (fields.meeting_date, fields.meeting_location, fields.chair) == (
        "2024-11-15",
        "Phòng tiếp công dân UBND xã",
        "Trần Quốc Vinh - Chủ tịch UBND xã",
    )
    assert fields.period_label == ""  # "năm 2013" is the law's year


@pytest.mark.parametrize(
    ("opening", "label"),
    [
        (RECEPTION, ""),
        (
            "Căn cứ Bộ luật Lao động năm 2019, ngày 10/3/2024, Sở Nội vụ họp giao ban tháng 02 năm 2024.",
            "tháng 02 năm 2024",
        ),
        ("Ngày 05/01/2024, Thanh tra tỉnh họp tổng kết công tác năm 2023.", "năm 2023"),
    ],
)
def test_metadata_conventions2_law_year_is_no_period(opening: str, label: str) -> None:
    assert read_period("Kết luận của Chủ tịch UBND xã", opening, "2024-03-15")[3] == label


@pytest.mark.parametrize(
    ("opening", "location"),
    [
        (
            "Ngày 12/7/2024, tại Phòng họp số 1, Trụ sở Tỉnh ủy, Ban Chỉ đạo phòng, chống tham nhũng, tiêu cực "
            "tỉnh họp phiên thường kỳ quý II năm 2024. Đồng chí Mai Xuân Thành - Bí thư Tỉnh ủy chủ trì phiên họp.",
            "Phòng họp số 1, Trụ sở Tỉnh ủy",
        ),
        (
            "Ngày 04/4/2024, tại Phòng họp số 1, trụ sở UBND tỉnh, đồng chí Trần Minh Khang - Chủ tịch UBND tỉnh "
            "chủ trì cuộc họp giao ban tháng 3 năm 2024.",
            "Phòng họp số 1, trụ sở UBND tỉnh",
        ),
        (
            "Ngày 04/4/2024, tại Phòng họp A, Sở Tài chính, theo hình thức trực tiếp, Giám đốc Sở chủ trì họp.",
            "Phòng họp A, Sở Tài chính",
        ),
        (
            "Ngày 04/4/2024, tại Hội trường tầng 2, nhà B, số 8 đường Trần Phú, có sự tham dự của lãnh đạo các sở.",
            "Hội trường tầng 2, nhà B, số 8 đường Trần Phú",
        ),
    ],
)
def test_metadata_conventions2_place_ends_before_a_subject_with_commas(opening: str, location: str) -> None:
    fields = Fields()
    read_meeting(fields, opening, 2024)
    assert fields.meeting_location == location
