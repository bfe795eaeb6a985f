"""Tests of the meeting fields (metadata/meeting.py): chair and meeting_location as the opening writes them.

Cases in our own words, after how Vietnamese conclusions state who presided and where: the aside on
who delegated the chair, a place ended by ";" or by a conjunction, an online meeting's host end, a
place told in a sentence of its own, attendees' seats, a bare room followed by the host's clause.
"""

from __future__ import annotations

import unicodedata

import pytest

from ketluan.metadata.meeting import opening_text, read_meeting
from ketluan.records import Fields, Layout, Line


def _read(opening: str, year: int = 2024) -> Fields:
    fields = Fields()
    read_meeting(fields, opening, year)
    return fields


# --- the aside on who delegated the chair is no part of the name and title -------------------------
@pytest.mark.parametrize(
    ("opening", "chair"),
    [
        (
            "Ngày 06/5/2025, đồng chí Trần Minh Đức - Phó Giám đốc Sở (được Giám đốc Sở ủy quyền) chủ trì "
            "cuộc họp giao ban tháng 4/2025. Phó Giám đốc Sở kết luận như sau:",
            "Trần Minh Đức - Phó Giám đốc Sở",
        ),
        (
            "Ngày 02/11/2023, bà Lê Thị Hoa, Phó Chủ tịch UBND huyện, được Chủ tịch UBND huyện phân công, "
            "chủ trì họp giao ban tháng 10/2023.",
            "Lê Thị Hoa, Phó Chủ tịch UBND huyện",
        ),
        (  # an aside naming another comrade: the chair is the one before the brackets
            "Ngày 05/10/2020, tại phòng họp Huyện đoàn, đồng chí Vàng Thị Dung - Phó Bí thư Huyện đoàn "
            "(được đồng chí Bí thư Huyện đoàn phân công do dự tập huấn tại tỉnh) chủ trì cuộc họp giao ban.",
            "Vàng Thị Dung - Phó Bí thư Huyện đoàn",
        ),
        (  # "dưới sự chủ trì của", aside in brackets
            "Ngày 28/3/2024, UBND phường họp phiên thường kỳ dưới sự chủ trì của bà Đinh Thị Hạnh - Phó "
            "Chủ tịch UBND phường (thừa ủy quyền Chủ tịch UBND phường).",
            "Đinh Thị Hạnh - Phó Chủ tịch UBND phường",
        ),
        (  # no aside: the value stays as written, title before the name
            "Ngày 29/02/2024, Giám đốc Sở Nguyễn Văn Quang chủ trì họp giao ban tháng 02/2024.",
            "Giám đốc Sở Nguyễn Văn Quang",
        ),
        (  # the text names no one: the title alone, as written
            "Ngày 30/8/2023, Chủ tịch UBND xã chủ trì họp giao ban tháng 8/2023. Chủ tịch UBND xã kết luận:",
            "Chủ tịch UBND xã",
        ),
    ],
)
def test_metadata_meeting_chair_without_delegation(opening: str, chair: str) -> None:
    assert _read(opening).chair == chair


# --- where the place ends ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("opening", "location"),
    [
        (  # ";" ends the place
            "Ngày 03/6/2021, đồng chí Lê Văn Hải - Cục trưởng chủ trì cuộc họp giao ban tháng 5/2021 tại "
            "Hội trường Cục Hải quan; các Chi cục dự họp trực tuyến.",
            "Hội trường Cục Hải quan",
        ),
        (  # "với" joins the attendees
            "Ngày 28/8/2020, ông Trần Văn Khoa - Giám đốc Ban chủ trì họp giao ban tại Phòng họp Ban Quản lý "
            "dự án với các Phó Giám đốc và trưởng các phòng.",
            "Phòng họp Ban Quản lý dự án",
        ),
        (  # a host's clause after a bare room belongs to the place; the chair after the verb does not
            "Ngày 30/7/2019, tại Phòng họp số 2, UBND tỉnh tổ chức phiên họp thường kỳ tháng 7/2019 dưới "
            "sự chủ trì của đồng chí Lê Văn Bình - Chủ tịch UBND tỉnh.",
            "Phòng họp số 2, UBND tỉnh",
        ),
        (  # a unit word alone is the issuer speaking of itself, no part of the place
            "Chiều ngày 04/3/2025, tại Hội trường tầng 3, nhà B, Trường tổ chức họp giao ban tháng 02/2025 do "
            "bà Lê Thị Mai - Hiệu trưởng chủ trì.",
            "Hội trường tầng 3, nhà B",
        ),
        (  # the room already names its organization: the next clause is the sentence going on
            "Ngày 04/8/2020, tại phòng họp Thành đoàn, Ban Thường vụ Thành đoàn tổ chức họp giao ban tháng "
            "7/2020.",
            "phòng họp Thành đoàn",
        ),
        (  # "và" before a capital goes on naming the body
            "Ngày 06/5/2025, tại phòng họp Sở Khoa học và Công nghệ, bà Ngô Thị Lan - Giám đốc Sở chủ trì "
            "cuộc họp.",
            "phòng họp Sở Khoa học và Công nghệ",
        ),
    ],
)
def test_metadata_meeting_location_end(opening: str, location: str) -> None:
    assert _read(opening).meeting_location == location


# --- a place in a sentence of its own, online meetings, attendees' seats -----------------------------
@pytest.mark.parametrize(
    ("opening", "location"),
    [
        (
            "Ngày 05/7/2021, đồng chí Phan Văn Tú - Cục trưởng chủ trì cuộc họp giao ban tháng 6/2021. Cuộc "
            "họp được tổ chức trực tuyến giữa Hội trường Cục Thống kê và 9 Chi cục Thống kê.",
            "Hội trường Cục Thống kê",
        ),
        (
            "Ngày 02/4/2020, ông Hoàng Văn Lộc - Giám đốc Bảo hiểm xã hội huyện chủ trì cuộc họp giao ban tháng "
            "3/2020. Cuộc họp được tổ chức với thành phần thu gọn tại Phòng họp Bảo hiểm xã hội huyện, gồm "
            "lãnh đạo cơ quan và tổ trưởng các tổ nghiệp vụ.",
            "Phòng họp Bảo hiểm xã hội huyện",
        ),
        (  # an online meeting from the province's end to the districts
            "Ngày 27/02/2022, UBND tỉnh họp trực tuyến từ điểm cầu UBND tỉnh đến các huyện, thị xã.",
            "điểm cầu UBND tỉnh",
        ),
        (  # where attendees sat is no place of the meeting
            "Ngày 28/02/2019, Giám đốc Kho bạc tỉnh chủ trì hội nghị giao ban theo hình thức trực tuyến với "
            "Kho bạc các huyện; tham dự tại điểm cầu tỉnh có các Phó Giám đốc.",
            "",
        ),
        (  # a later "tại" that names no room is no place of the meeting
            "Ngày 03/10/2022, ông Nguyễn Văn Khôi - Chi cục trưởng chủ trì họp giao ban tháng 9/2022. Tham dự "
            "có các Hạt Kiểm lâm tại các huyện.",
            "",
        ),
    ],
)
def test_metadata_meeting_location_elsewhere(opening: str, location: str) -> None:
    assert _read(opening).meeting_location == location


def test_metadata_meeting_nfd_input() -> None:
    """NFD lines (a Word export) read through the opening like NFC ones."""
    lines = [
        "Ngày 05/5/2021, tại Phòng họp tầng 3, đồng chí Lê Thu Hà - Phó Giám đốc Sở (được Giám đốc Sở",
        "ủy quyền) chủ trì cuộc họp giao ban tháng 4/2021. Phó Giám đốc Sở kết luận như sau:",
    ]
    layout = Layout(body=[Line(text=unicodedata.normalize("NFD", t)) for t in lines])
    fields = _read(opening_text(layout), 2021)
    assert (fields.meeting_date, fields.meeting_location, fields.chair) == (
        "2021-05-05",
        "Phòng họp tầng 3",
        "Lê Thu Hà - Phó Giám đốc Sở",
    )


# --- a body sentence that carries ", ngày dd/mm/yyyy" is no place-date line ---------------------------
def test_metadata_meeting_opening_keeps_sentence_with_date() -> None:
    layout = Layout(
        body=[
            Line(text="Được sự phân công của Giám đốc Ban, ngày 03/11/2022, tại"),
            Line(text="Phòng họp Ban Quản lý dự án, ông Thạch Văn Tâm - Phó Giám đốc"),
            Line(text="Ban chủ trì cuộc họp giao ban tháng 10/2022. Phó Giám đốc Ban kết luận như sau:"),
        ],
    )
    opening = opening_text(layout)
    assert opening.startswith("Được sự phân công")
    fields = _read(opening, 2022)
    assert (fields.meeting_date, fields.meeting_location) == ("2022-11-03", "Phòng họp Ban Quản lý dự án")


@pytest.mark.parametrize(
    "line",
    ["Tây Ninh, ngày 18 tháng 5 năm 2020", "Quận 8, ngày 23 tháng 01 năm 2025"],
)
def test_metadata_meeting_opening_skips_place_date_line(line: str) -> None:
    layout = Layout(
        body=[Line(text=line), Line(text="Ngày 11/5/2020, tại Thanh tra tỉnh tiến hành họp giao ban.")],
    )
    assert opening_text(layout).startswith("Ngày 11/5/2020")
