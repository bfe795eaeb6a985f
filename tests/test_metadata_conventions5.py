"""Metadata read by the conventions of the blind real-style sets 24 and 25.

Each case is a convention those sets showed the metadata stage missing: a leader who "đã làm
việc với" a host presides without an honorific; an OCR glyph inside a purpose note ("(b/©c)");
a bare "tuần" before a bracketed span; a span of years ("giai đoạn 2021 - 2023"); the printed
name under a signature scrawl read as a name (Nghị định 30/2020/NĐ-CP, Phụ lục I).
"""

from __future__ import annotations

import unicodedata

import pytest

from ketluan.metadata.meeting import read_meeting
from ketluan.metadata.period import read_period
from ketluan.metadata.signer import clean_recipient, read_signer
from ketluan.records import Fields


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", unicodedata.normalize("NFD", text))


# --- a working session's leader presides, with or without an honorific -------------------------
@pytest.mark.parametrize(
    ("opening", "chair"),
    [
        (
            "Ngày 18 tháng 3 năm 2025, tại trụ sở Ủy ban nhân dân tỉnh Gia Lai, Thứ trưởng Đỗ Minh "
            "Thuận đã làm việc với Ủy ban nhân dân tỉnh Gia Lai về tình hình thực hiện các dự án.",
            "Thứ trưởng Đỗ Minh Thuận",
        ),
        (
            "Ngày 05/9/2024, Bộ trưởng Nguyễn Hồng Diên có buổi làm việc với lãnh đạo tỉnh Hà Giang.",
            "Bộ trưởng Nguyễn Hồng Diên",
        ),
        (
            "Ngày 12/10/2024, đồng chí Nguyễn Trọng Khiêm, Bí thư Tỉnh ủy đã làm việc với Ban Thường vụ "
            "Huyện ủy Thọ Xuân.",
            "Nguyễn Trọng Khiêm, Bí thư Tỉnh ủy",
        ),
        # a body, not a person, works with the units: no chair
        (
            "Thực hiện Chương trình giám sát năm 2024, từ ngày 02/4/2024 đến ngày 10/5/2024, Đoàn giám "
            "sát của Ban đã làm việc với Sở Tài chính, Cục Thuế tỉnh.",
            "",
        ),
        # a title with no name is no person
        ("Ngày 03/6/2024, Giám đốc Sở đã làm việc với Ủy ban nhân dân huyện Krông Pắc.", ""),
    ],
)
def test_metadata_conventions5_working_session_chair(opening: str, chair: str) -> None:
    fields = Fields()
    read_meeting(fields, _nfc(opening), 2025)
    assert fields.chair == chair


# --- an OCR glyph inside a purpose note ---------------------------------------------------------
@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ("UBND huyện (b/©c)", "UBND huyện (b/c)"),
        ("Thanh tra tỉnh (b/C)", "Thanh tra tỉnh (b/c)"),
        ("Bộ trưởng (để b/c®)", "Bộ trưởng (để b/c)"),
        ("Bộ trưởng (để b/c)", "Bộ trưởng (để b/c)"),
        ("UBND tỉnh (thay báo cáo)", "UBND tỉnh (thay báo cáo)"),
    ],
)
def test_metadata_conventions5_note_glyph(item: str, expected: str) -> None:
    assert clean_recipient(_nfc(item)) == expected


# --- periods: a bracketed week span, a span of years ---------------------------------------------
@pytest.mark.parametrize(
    ("title", "expected"),
    [
        (
            "Kết luận của Giám đốc Bệnh viện tại cuộc họp giao ban tuần\n(từ ngày 10/3 đến ngày 14/3/2025)",
            ("week", "2025-03-10", "2025-03-14", "từ ngày 10/3 đến ngày 14/3/2025"),
        ),
        (
            "tại cuộc họp giao ban đánh giá kết quả công tác tuần từ ngày 10/6/2024 đến ngày 14/6/2024",
            ("week", "2024-06-10", "2024-06-14", "tuần từ ngày 10/6/2024 đến ngày 14/6/2024"),
        ),
        (
            "Việc quản lý, thu tiền sử dụng đất trên địa bàn tỉnh giai đoạn 2021 - 2023",
            ("other", "2021-01-01", "2023-12-31", "giai đoạn 2021 - 2023"),
        ),
        (
            "kết quả thực hiện Nghị quyết giai đoạn 2021–2023",
            ("other", "2021-01-01", "2023-12-31", "giai đoạn 2021–2023"),
        ),
        # the span a plan aims at is never the period reviewed
        ("Kế hoạch phát triển nhà ở giai đoạn 2026 - 2030", ("", "", "", "")),
    ],
)
def test_metadata_conventions5_period_spans(title: str, expected: tuple[str, str, str, str]) -> None:
    assert read_period(_nfc(title.replace("\n", " "))) == expected


# --- the printed name under a signature scrawl ---------------------------------------------------
@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (
            ["TUQ. CHỦ TỊCH", "CHÁNH VĂN PHÒNG", "/ZN:.", "1", "No", "Xí TT", "Nguyễn Thị Bích Ngọc"],
            ("TUQ. CHỦ TỊCH / CHÁNH VĂN PHÒNG", "Nguyễn Thị Bích Ngọc"),
        ),
        (
            ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Y Khoa", ";", "xế! là", "TIỆC", "Y Khoa Niê"],
            ("KT. CHỦ TỊCH / PHÓ CHỦ TỊCH", "Y Khoa Niê"),
        ),
        # minutes: the secretary, then the chair's block
        (["THƯ KÝ", "Trịnh Thị Hà", "CHỦ TRÌ", "Lê Văn Cường"], ("CHỦ TRÌ", "Lê Văn Cường")),
        # a well-formed printed name is not replaced by another one
        (["GIÁM ĐỐC", "Trần Văn Nam", "Lê Thị Hoa"], ("GIÁM ĐỐC", "Trần Văn Nam")),
    ],
)
def test_metadata_conventions5_printed_name_below_scrawl(lines: list[str], expected: tuple[str, str]) -> None:
    assert read_signer([_nfc(t) for t in lines]) == expected
