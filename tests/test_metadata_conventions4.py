"""Metadata read by the conventions of the blind real-style sets 20 and 21.

Each case is a convention those sets showed the metadata stage missing: a regulation's chapter
line ("Chương I" / "QUY ĐỊNH CHUNG") that is no type word; a pen stroke above the place-date
line that is no digit of its day; a doubtful pen digit asked of Tesseract alone; a year that
names a cited plan ("Thực hiện Chương trình giám sát năm 2024"); a weekly schedule's span.
"""

from __future__ import annotations

import unicodedata

import numpy as np
import pytest

from ketluan.extract import slots
from ketluan.layout import is_division_head, lines_to_layout
from ketluan.metadata import layout_to_fields
from ketluan.metadata.period import read_period
from ketluan.metadata.title import read_title
from ketluan.records import Line


def _nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


# --- a regulation's chapter line is body, not the type word ------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Chương I", True),
        ("CHƯƠNG II", True),
        ("Chương 3", True),
        ("Mục 1", True),
        ("Phần thứ nhất", True),
        (_nfd("Chương IV"), True),
        ("Chương trình công tác năm 2024", False),
        ("Mục tiêu", False),
        ("QUY ĐỊNH CHUNG", False),
    ],
)
def test_metadata_conventions4_division_head(text: str, expected: bool) -> None:
    assert is_division_head(text) is expected


def _regulation(type_column: str) -> list[Line]:
    return [
        Line("UBND TỈNH LẠNG SƠN", column="left", centered=True),
        Line("SỞ TƯ PHÁP", column="left", centered=True, bold=True),
        Line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", column="right", centered=True, bold=True),
        Line("Độc lập - Tự do - Hạnh phúc", column="right", centered=True, bold=True),
        Line("QUY CHẾ", column=type_column, bold=True, gap_before=True),
        Line("Làm việc của Sở Tư pháp tỉnh Lạng Sơn", centered=True, bold=True, gap_before=True),
        Line("(Ban hành kèm theo Quyết định số 112/QĐ-STP ngày 15 tháng 3 năm 2024 của", gap_before=True),
        Line("Giám đốc Sở Tư pháp)"),
        Line("Chương I", centered=True, bold=True, gap_before=True),
        Line("QUY ĐỊNH CHUNG", centered=True, bold=True),
        Line("Điều 1. Phạm vi điều chỉnh và đối tượng áp dụng", bold=True),
        Line("1. Quy chế này quy định về nguyên tắc, chế độ trách nhiệm, lề lối làm việc của Sở."),
    ]


@pytest.mark.parametrize("type_column", ["", "right"])
def test_metadata_conventions4_regulation_title(type_column: str) -> None:
    layout = lines_to_layout(_regulation(type_column))
    assert [ln.text for ln in layout.title] == ["QUY CHẾ", "Làm việc của Sở Tư pháp tỉnh Lạng Sơn"]
    fields = layout_to_fields(layout)
    assert (fields.doc_type, fields.title) == ("Quy chế", "Làm việc của Sở Tư pháp tỉnh Lạng Sơn")
    assert fields.is_conclusion is False


# --- a pen stroke lying above the printed line is no digit of the slot --------------------------
def _pen_with_stroke_above() -> tuple[np.ndarray, float, float]:
    line_height, line_top = 60.0, 48.0
    pen = np.zeros((150, 200), np.uint8)
    pen[10:16, 20:180] = 1  # a signature flourish over the motto, above "ngày 20 tháng"
    pen[52:110, 60:68] = 1  # a digit's stroke on the line
    pen[52:110, 100:140] = 1
    return pen, line_height, line_top


def test_metadata_conventions4_stroke_above_line_left_out() -> None:
    pen, height, top = _pen_with_stroke_above()
    assert len(slots._digit_blobs(pen, height)) == 1  # the flourish swallows both digits
    kept = slots._digit_blobs(pen, height, top)
    assert [blob.shape for blob, _ in kept] == [(58, 8), (58, 40)]


# --- a doubtful digit is asked of Tesseract alone when the slot's reading drops it ---------------
@pytest.mark.parametrize(
    ("whole", "single", "expected"),
    [
        ("1", "4", ("14", "14")),  # "14" read "1" as a whole: the "4" alone confirms it
        ("1", "1", ("", "1?")),  # the digit alone disagrees: not read
        ("14", "", ("14", "14")),  # the whole reading already confirms it
    ],
)
def test_metadata_conventions4_single_digit_opinion(
    monkeypatch: pytest.MonkeyPatch, whole: str, single: str, expected: tuple[str, str]
) -> None:
    pen = np.zeros((100, 120), np.uint8)
    pen[20:80, 30:36] = 1
    pen[20:80, 60:95] = 1
    monkeypatch.setattr(
        slots, "classify_digit", lambda blob: ("1", 90.0) if blob.shape[1] < 10 else ("4", 61.0)
    )

    monkeypatch.setattr(slots, "_tesseract_digits", lambda image, lang: whole)
    monkeypatch.setattr(slots, "_tesseract_digit", lambda image, lang: single)
    text, read, _ = slots._read(pen, "day", 60.0, "vie", 18.0)
    assert (text, read) == expected


# --- a period that names a cited plan is not the one reviewed -----------------------------------
@pytest.mark.parametrize(
    ("opening", "expected"),
    [
        (
            "Thực hiện Chương trình giám sát năm 2024 và Kế hoạch số 118/KH-MTTQ-BTT ngày 12/6/2024 của Ban "
            "Thường trực Ủy ban MTTQ Việt Nam tỉnh, Đoàn giám sát đã tiến hành giám sát tại huyện Gia Viễn.",
            ("", "", "", ""),
        ),
        (
            _nfd(
                "Thực hiện Kế hoạch kiểm tra năm 2023 của Thanh tra tỉnh, Đoàn kiểm tra đã làm việc tại xã."
            ),
            ("", "", "", ""),
        ),
        (  # a review cue after the plan's name governs the phrase again
            "Thực hiện Kế hoạch tổ chức Hội nghị sơ kết 6 tháng đầu năm 2024, ngày 05/7/2024 UBND huyện họp.",
            ("half_year", "2024-01-01", "2024-06-30", "6 tháng đầu năm 2024"),
        ),
        (  # a law's year stays the law's
            "Thực hiện Luật Tiếp công dân năm 2013, đánh giá kết quả công tác quý I năm 2024.",
            ("quarter", "2024-01-01", "2024-03-31", "quý I năm 2024"),
        ),
    ],
)
def test_metadata_conventions4_cited_plan_period(opening: str, expected: tuple[str, str, str, str]) -> None:
    got = read_period("Việc giải quyết, trả lời kiến nghị của cử tri", opening, "2024-09-26")
    assert got[:3] == expected[:3]
    assert unicodedata.normalize("NFC", got[3]) == expected[3]


# --- a weekly schedule: its type word, and its title's span is the week -------------------------
@pytest.mark.parametrize(
    ("lines", "doc_type", "title"),
    [
        (
            [
                "LỊCH CÔNG TÁC TUẦN",
                "Của Lãnh đạo Sở Giáo dục và Đào tạo",
                "(từ ngày 18/11/2024 đến ngày 24/11/2024)",
            ],
            "Lịch công tác tuần",
            "Của Lãnh đạo Sở Giáo dục và Đào tạo (từ ngày 18/11/2024 đến ngày 24/11/2024)",
        ),
        (  # the week's number after "TUẦN": the words name the week, the type is "Lịch công tác"
            ["LỊCH CÔNG TÁC TUẦN THỨ 24 - NĂM 2019", "Từ ngày 10/6/2019 đến ngày 14/6/2019 của UBND huyện"],
            "Lịch công tác",
            "TUẦN THỨ 24 - NĂM 2019 Từ ngày 10/6/2019 đến ngày 14/6/2019 của UBND huyện",
        ),
        (["LỊCH LÀM VIỆC TUẦN 47", "Của Lãnh đạo Sở"], "Lịch làm việc", "TUẦN 47 Của Lãnh đạo Sở"),
        (
            ["LỊCH CÔNG TÁC", "Của Lãnh đạo UBND huyện tháng 11 năm 2024"],
            "Lịch công tác",
            "Của Lãnh đạo UBND huyện tháng 11 năm 2024",
        ),
    ],
)
def test_metadata_conventions4_weekly_type(lines: list[str], doc_type: str, title: str) -> None:
    assert read_title(lines) == (doc_type, title)


@pytest.mark.parametrize(
    ("doc_type", "expected"),
    [
        ("Lịch công tác tuần", ("week", "2024-11-18", "2024-11-24")),
        ("Lịch làm việc tuần", ("week", "2024-11-18", "2024-11-24")),
        ("Lịch công tác", ("other", "2024-11-18", "2024-11-24")),
    ],
)
def test_metadata_conventions4_weekly_period(doc_type: str, expected: tuple[str, str, str]) -> None:
    got = read_period("Của Lãnh đạo Sở (từ ngày 18/11/2024 đến ngày 24/11/2024)", "", "2024-11-15", doc_type)
    assert got == (*expected, "từ ngày 18/11/2024 đến ngày 24/11/2024")


def test_metadata_conventions4_weekly_schedule_fields() -> None:
    layout = lines_to_layout(
        [
            Line("UBND TỈNH THỪA THIÊN HUẾ", column="left"),
            Line("SỞ GIÁO DỤC VÀ ĐÀO TẠO", column="left"),
            Line("Số: 46/LCT-SGDĐT", column="left"),
            Line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", column="right"),
            Line("Độc lập - Tự do - Hạnh phúc", column="right"),
            Line("Thừa Thiên Huế, ngày 15 tháng 11 năm 2024", column="right"),
            Line("LỊCH CÔNG TÁC TUẦN", gap_before=True),
            Line("Của Lãnh đạo Sở Giáo dục và Đào tạo"),
            Line("(từ ngày 18/11/2024 đến ngày 24/11/2024)"),
            Line("THỨ HAI (18/11/2024)", gap_before=True),
            Line("- 07h30: Giám đốc Sở chủ trì giao ban Lãnh đạo Sở với Trưởng các phòng chuyên môn."),
        ]
    )
    fields = layout_to_fields(layout)
    assert fields.doc_type == "Lịch công tác tuần"
    assert (fields.period_kind, fields.period_start, fields.period_end) == (
        "week",
        "2024-11-18",
        "2024-11-24",
    )
    assert fields.is_conclusion is False
