"""Metadata read by the conventions of the blind real-style sets 32 and 33.

Each case is a convention those sets showed the metadata stage missing: the printed name is the
last line of the signature block (Nghị định 30/2020/NĐ-CP, Phụ lục I), so a reading of it that lost
the family name ("Văn Thiêm") gives way to the whole name printed under it ("Quàng Văn Thiêm");
family names of the ethnic minorities of the northern mountains (Quàng, Lường, Giàng, Sùng ...)
are family names; a function word ("các" of "các chỉ bộ") is no evidence that keeps an OCR tone
error out of an administrative phrase ("chi bộ", a Party cell; "chi nhánh", "chi cục"); a recipient
channel printed with its abbreviation ("Cổng TTĐT") whose mark OCR changed.
"""

from __future__ import annotations

import unicodedata

import pytest

from ketluan.metadata.recipient_words import mend_recipient_phrases
from ketluan.metadata.signer import personal_name, read_recipients, read_signer
from ketluan.ocr_correct import correct_line
from ketluan.records import Line


# --- the printed name under a reading that lost its family name -----------------------------------
@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (
            ["T/M ĐẢNG ỦY", "BÍ THƯ", "Văn Thiêm", "Z3", "2 tụ", "“hà", "(v7", ".", "~", "Quàng Văn Thiêm"],
            ("T/M ĐẢNG ỦY / BÍ THƯ", "Quàng Văn Thiêm"),
        ),
        (
            ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Văn Mừng", "Lò Văn Mừng"],
            ("TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH", "Lò Văn Mừng"),
        ),
        (
            ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Thị Hoa", "Lường Thị Hoa"],
            ("KT. CHỦ TỊCH / PHÓ CHỦ TỊCH", "Lường Thị Hoa"),
        ),
        (  # a second, different name under the first one is another signer's: the first stays
            ["THƯ KÝ", "Trịnh Thị Hà", "Trần Văn Nam"],
            ("THƯ KÝ", "Trịnh Thị Hà"),
        ),
        (  # NFD input
            [unicodedata.normalize("NFD", t) for t in ["T/M ĐẢNG ỦY", "BÍ THƯ", "A Sình", "Giàng A Sình"]],
            ("T/M ĐẢNG ỦY / BÍ THƯ", "Giàng A Sình"),
        ),
    ],
)
def test_metadata_conventions7_name_below_a_cut_reading(lines: list[str], expected: tuple[str, str]) -> None:
    title, name = read_signer(lines)
    assert (unicodedata.normalize("NFC", title), unicodedata.normalize("NFC", name)) == expected


# --- family names of the ethnic minorities of the northern mountains ------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Quàng Văn Thiêm", "Quàng Văn Thiêm"),
        ("Lường Văn Chung", "Lường Văn Chung"),
        ("Giàng A Pháo", "Giàng A Pháo"),
        ("Sùng A Hồng", "Sùng A Hồng"),
        ("Cầm Thị Hương", "Cầm Thị Hương"),
        ("Tẩn Láo Sử", "Tẩn Láo Sử"),
        ("Văn Thiêm", "Văn Thiêm"),  # "Văn" is a family name too: read alone, it stays a name
        ("Bạc Liêu", ""),  # a province, no person
        ("BÍ THƯ", ""),
    ],
)
def test_metadata_conventions7_minority_family_names(text: str, expected: str) -> None:
    assert personal_name(text) == expected


# --- "chi bộ" (a Party cell) whose tone OCR changed, after a function word -------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("- Các chỉ bộ trực thuộc,", "- Các chi bộ trực thuộc,"),
        ("chỉ đạo các chỉ bộ tổ chức sinh hoạt", "chỉ đạo các chi bộ tổ chức sinh hoạt"),
        ("CÁC CHỈ BỘ TRỰC THUỘC", "CÁC CHI BỘ TRỰC THUỘC"),
        ("của các chỉ tiêu kinh tế", "của các chỉ tiêu kinh tế"),  # "chỉ tiêu" as written stays
        ("triển khai các chỉ thị của Tỉnh ủy", "triển khai các chỉ thị của Tỉnh ủy"),
        ("miễn tiền thuê đất theo chính sách thuê đất", "miễn tiền thuê đất theo chính sách thuê đất"),
        ("- Chỉ nhánh VPĐK ĐĐ huyện Đắk R’lấp;", "- Chi nhánh VPĐK ĐĐ huyện Đắk R’lấp;"),
        ("- Chỉ cục Kiểm lâm;", "- Chi cục Kiểm lâm;"),
        ("các chế độ, chính sách được chỉ trả đầy đủ", "các chế độ, chính sách được chi trả đầy đủ"),
        ("được chỉ đạo kịp thời", "được chỉ đạo kịp thời"),  # "chỉ đạo" as written stays
        ("Chỉ đoàn thanh niên", "Chi đoàn thanh niên"),
    ],
)
def test_metadata_conventions7_phrase_after_function_word(text: str, expected: str) -> None:
    assert correct_line(text) == expected


def test_metadata_conventions7_recipients_of_party_cells() -> None:
    heads = [
        "Nơi nhận:",
        "- Thường trực Huyện ủy (b/c),",
        "- Các chỉ bộ trực thuộc,",
        "- Lưu Văn phòng Đảng ủy.",
    ]
    lines = [Line(text=correct_line(t), page=2, origin="ocr") for t in heads]
    recipients, _ = read_recipients(lines)
    assert recipients == ["Thường trực Huyện ủy (b/c)", "Các chi bộ trực thuộc", "Lưu Văn phòng Đảng ủy"]


# --- "Cổng TTĐT" (thông tin điện tử) whose mark OCR changed ------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("- Công TTĐT – VP.UBND huyện;", "- Cổng TTĐT – VP.UBND huyện;"),
        ("- Công TTĐT-VP.UBND huyện (Công khai);", "- Cổng TTĐT-VP.UBND huyện (Công khai);"),
        ("- Cống TTĐT tỉnh;", "- Cổng TTĐT tỉnh;"),
        ("- Cống thông tin điện tư-VP;", "- Cổng thông tin điện tử-VP;"),
        ("- Cống thoát nước khu phố 3;", "- Cống thoát nước khu phố 3;"),
    ],
)
def test_metadata_conventions7_portal_abbreviation(text: str, expected: str) -> None:
    assert mend_recipient_phrases(text) == expected
