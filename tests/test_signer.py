"""Signature part of the metadata stage: recipients, signer title and name on real-archive damage.

Inputs are built by hand as the extract stage gives them on office scans: a red seal over the
title block, a "Nơi nhận:" whose first word the margin took, OCR debris beside the list.
"""

from __future__ import annotations

import unicodedata

import pytest

from ketluan.extract.signature import vote_name
from ketluan.metadata.signer import (
    clean_recipient,
    is_recipients_head,
    read_recipients,
    read_signer,
    signature_lines,
    structured_titles,
    tail_parts,
)
from ketluan.records import Layout, Line
from ketluan.text.closed import deputy_title, read_signer_title


def _line(text: str, column: str = "", top: float = 0.0, x0: float = 0.0, height: float = 12.0) -> Line:
    return Line(text, page=1, column=column, top=top, bottom=top + height, x0=x0, x1=x0 + 8 * len(text),
                origin="ocr")  # fmt: skip


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("TT. HĐND huyện: (b/cáo)", "TT. HĐND huyện; (b/cáo)"),  # ";" read as ":" before the note
        ("Phòng KT-HT; Em", "Phòng KT-HT"),  # ink after the item's ";"
        ("Thanh Tra huyện; | (biêU", "Thanh Tra huyện"),
        ("PCTr. Đặng Ngọc Minh (đê bíc}", "PCTr. Đặng Ngọc Minh (để b/c)"),  # a damaged purpose note
        ("Cục QLGS CST:", "Cục QLGS CST"),
        ("Lưu: VT, N.chính (16B). ⁄.-", "Lưu: VT, N.chính (16B)"),  # ink after the closing "."
        ("Như diều 3", "Như điều 3"),  # a fixed recipient with a mark lost
        ("Như trên", "Như trên"),
        ("TT. Huyện ủy; (b/cáo)", "TT. Huyện ủy; (b/cáo)"),  # as printed
        ("Thanh Tra tỉnh (Thay báo cáo)", "Thanh Tra tỉnh (Thay báo cáo)"),
        ("Sở Tài chính; Sở Xây dựng", "Sở Tài chính; Sở Xây dựng"),  # two recipients on one line
        (unicodedata.normalize("NFD", "Lưu: VT, TH."), unicodedata.normalize("NFD", "Lưu: VT, TH")),
    ],
)
def test_signer_recipient_cleaned_of_ocr_debris(printed: str, expected: str) -> None:
    assert clean_recipient(printed) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nơi nhận:", True),
        ("ko” nhận:", True),  # the seal or the margin took "Nơi"
        ("nhận:", True),
        (unicodedata.normalize("NFD", "Nơi nhận:"), True),
        ("tiếp nhận:", False),
        ("Người nhận: ông Nguyễn Văn A", False),
        ("- Phòng Tài chính - Kế hoạch;", False),
    ],
)
def test_signer_recipients_head_damaged(text: str, expected: bool) -> None:
    assert is_recipients_head(text) is expected


def test_signer_recipients_under_a_damaged_head_and_a_lost_bullet() -> None:
    lines = [
        _line("nhận:", "left", 700),
        _line("- Như diều 3;", "left", 712),
        _line("- Ban Thi đua - Khen thưởng;", "left", 724),
        _line("- Phòng Tổ chức - Hành chính;", "left", 736),
        _line("Lưu: VT, N.chính (16B). ⁄.-", "left", 748),  # its dash lost in the margin
    ]
    recipients, beside = read_recipients(lines)
    assert recipients == ["Như điều 3", "Ban Thi đua - Khen thưởng", "Phòng Tổ chức - Hành chính",
                          "Lưu: VT, N.chính (16B)"]  # fmt: skip
    assert beside == []


def test_signer_recipients_found_in_lines_when_the_head_is_damaged() -> None:
    body = [_line("Điều 3. Chánh Văn phòng Ủy ban nhân dân tỉnh căn cứ Quyết định thi hành./.", "", 600)]
    block = [
        _line("KT. CHỦ TỊCH", "right", 640, 380),
        _line("PHÓ CHỦ TỊCH THƯỜNG TRỰC", "right", 652, 360),
        _line("nhận:", "left", 700, 80),
        _line("- Như điều 3;", "left", 712, 80),
        _line("- Lưu: VT.", "left", 724, 80),
        _line("Lê Hồng Văn", "right", 770, 390),
    ]
    layout = Layout(body=body, signer=block, lines=body + block)
    recipient_lines, signer_lines = tail_parts(layout)
    recipients, beside = read_recipients(recipient_lines)
    assert recipients == ["Như điều 3", "Lưu: VT"]
    assert read_signer(signature_lines(layout, signer_lines, beside)) == (
        "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH THƯỜNG TRỰC",
        "Lê Hồng Văn",
    )


@pytest.mark.parametrize(
    ("titles", "expected"),
    [
        (["KT. GIÁM ĐỐC", "GIÁM ĐỐC"], ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]),  # "PHÓ" lost under the seal
        (["GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"], ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]),  # "KT." lost
        (["TL. CỤC TRƯỞNG", "KT. TRƯỞNG BAN BAN CHÍNH SÁCH, THUẾ QUỐC TẾ"],
         ["TL. CỤC TRƯỞNG", "KT. TRƯỞNG BAN BAN CHÍNH SÁCH, THUẾ QUỐC TẾ", "PHÓ TRƯỞNG BAN"]),
        (["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH THƯỜNG TRỰC"], ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH THƯỜNG TRỰC"]),
        (["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"], ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]),
        (["TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG"], ["TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG"]),
        (["CHÁNH THANH TRA"], ["CHÁNH THANH TRA"]),
    ],
)  # fmt: skip
def test_signer_titles_follow_the_decree_structure(titles: list[str], expected: list[str]) -> None:
    assert structured_titles(titles) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('CHANH ÁN: VĂN rĂ" PHÒNG', "CHÁNH VĂN PHÒNG"),  # seal ink between the title's words
        ("CHANH Á VAN Ă PHONG", "CHÁNH VĂN PHÒNG"),
        ("KT.GIÁM ĐỐC", "KT.GIÁM ĐỐC"),
        ("CHÁNH ÁN", "CHÁNH ÁN"),
        ("TM. ỦY BAN NHANDAN", "TM. ỦY BAN NHÂN DÂN"),
    ],
)
def test_signer_title_read_against_the_closed_list(line: str, expected: str) -> None:
    found = read_signer_title(line)
    assert found is not None and found.line == expected


@pytest.mark.parametrize(
    "line", ["Á ĂN PHỆ", "TC LẢ", "BAN CHÍNH SÁCH", "UBND HUYỆN", "CHANH H Á VĂN VÀ PHÒN ONG"]
)
def test_signer_title_debris_is_no_title(line: str) -> None:
    assert read_signer_title(line) is None


def test_signer_deputy_title() -> None:
    assert [deputy_title(t) for t in ("GIÁM ĐỐC", "CỤC TRƯỞNG", "PHÓ CHỦ TỊCH")] == [
        "PHÓ GIÁM ĐỐC",
        "PHÓ CỤC TRƯỞNG",
        "",
    ]


def test_signer_title_pieces_of_one_row_under_a_seal_are_joined() -> None:
    # OCR split "CHÁNH VĂN PHÒNG" under a red seal into two pieces, the right one a little higher
    block = [
        _line("TL. CHỦ TỊCH", "right", 447, 568),
        _line('ÁN: VĂN rĂ" PHÒNG', "right", 462, 570),
        _line("CHANH", "right", 466, 542),
        _line("s/ N", "right", 485, 543),
        _line("c0", "right", 508, 576),
        _line("Cao Văn Tính", "right", 558, 574),
    ]
    layout = Layout(signer=block, lines=block)
    assert read_signer(signature_lines(layout, block, [])) == (
        "TL. CHỦ TỊCH / CHÁNH VĂN PHÒNG",
        "Cao Văn Tính",
    )


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["CHÁNH VĂN PHÒNG", "can VU LỆ :", "z⁄:", "ao Văn Tính"], ("CHÁNH VĂN PHÒNG", "Cao Văn Tính")),
        (["KT. GIÁM ĐỐC", "ỐC", "Nguyễn Ngọc Đức"], ("KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC", "Nguyễn Ngọc Đức")),
        (["TM. ỦY BAN NHANDAN", "CHU-“TỊCH", "7", "F.", "SỔ", "nu"], ("TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH", "")),
        (["GIÁM ĐỐC", "an Văn Nam"], ("GIÁM ĐỐC", "")),  # "an": no single surname it can be
        (["CHÁNH THANH TRA", "Nguyên Hữu Phước :"], ("CHÁNH THANH TRA", "Nguyên Hữu Phước")),  # ink after it
    ],
)  # fmt: skip
def test_signer_block_under_a_seal(lines: list[str], expected: tuple[str, str]) -> None:
    assert read_signer(lines) == expected


@pytest.mark.parametrize(
    ("readings", "expected"),
    [
        ([("Phan Thị Hiều", 92.7), ("Phan Thị Hiếu", 87.3), ("Phan Thị Hiếu", 95.7)], "Phan Thị Hiếu"),
        ([("Phan Thi Hiếu", 70.0), ("Phan Thị Hiếu", 88.0)], "Phan Thị Hiếu"),
        ([("Nguyễn Tấn Bi", 74.0)], "Nguyễn Tấn Bi"),
        ([("Lê Văn Thị", 60.0), ("Trần Văn Nam", 61.0), ("Lê Văn Thị", 58.0)], "Lê Văn Thị"),
        ([], ""),
    ],
)
def test_signer_name_voted_over_ocr_readings(readings: list[tuple[str, float]], expected: str) -> None:
    assert vote_name(readings)[0] == expected


# -- closed-list matching with precomputed keys (issue 19) and the signer block of scans (issue 17)


# fmt: off
@pytest.mark.parametrize("line, expected", [
    ("KT.GIÁM ĐỐC", ("KT.GIÁM ĐỐC", False)),
    ("GLÁM ĐÓC", ("GIÁM ĐỐC", True)),
    ("PHÓ GIÁM ĐỘC", ("PHÓ GIÁM ĐỐC", True)),
    ("CHANH Á VAN Ă PHONG", ("CHÁNH VĂN PHÒNG", True)),
    ("TM.UY BAN NHAN DÁN", ("TM. ỦY BAN NHÂN DÂN", True)),
    (unicodedata.normalize("NFD", "TL. CHỦ TỊCH"), ("TL. CHỦ TỊCH", True)),
    ("Nơi nhận:", None),
])
# fmt: on
def test_signer_title_matched_with_precomputed_keys(line: str, expected: tuple[str, bool] | None) -> None:
    from ketluan.text.closed import entry_of, match_signer_title, near

    got = match_signer_title(line)
    assert (got and (unicodedata.normalize("NFC", got[0]), got[1])) == expected
    assert entry_of("CHÁNH VĂN PHÒNG").part_keys == ("CHANH", "VAN", "PHONG")
    assert near(["GLÁM", "ĐÓC"], "GIÁM ĐỐC") == 1


def test_signer_red_ink_kept_alone() -> None:
    import numpy as np

    from ketluan.extract.signature import _red_only

    pixels = np.full((40, 100, 3), 255, np.uint8)
    pixels[5:15, 10:60] = (200, 30, 40)  # a red name stamp
    pixels[20:30, 10:60] = (20, 20, 20)  # black print
    pixels[32:36, 10:90] = (30, 40, 190)  # a blue signature stroke
    red = _red_only(pixels)
    assert red is not None and red[10, 20, 0] == 0 and red[25, 20, 0] == 255 and red[34, 20, 0] == 255
    assert _red_only(np.full((40, 100, 3), 255, np.uint8)) is None


def _signer_pdf(path: str, stamped: bool) -> bytes:
    """A page with a signer block as an office prints it: black title, a red name stamp (or a red
    "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC" stamped over a black "GIÁM ĐỐC" and a red name)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("DejaVuSerif-Bold", "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf"))
    c = canvas.Canvas(path, pagesize=A4)
    height = A4[1]
    c.setFont("DejaVuSerif-Bold", 12)
    if stamped:
        c.drawCentredString(430, height - 402, "GIÁM ĐỐC")
        c.setFillColorRGB(0.85, 0.1, 0.1)
        c.drawCentredString(430, height - 396, "KT. GIÁM ĐỐC")
        c.drawCentredString(430, height - 412, "PHÓ GIÁM ĐỐC")
        c.drawCentredString(430, height - 490, "Nguyễn Ngọc Đức")
    else:
        c.drawCentredString(430, height - 392, "TL. CHỦ TỊCH")
        c.drawCentredString(430, height - 408, "CHÁNH VĂN PHÒNG")
        c.setFillColorRGB(0.85, 0.1, 0.1)
        c.drawCentredString(430, height - 490, "Trần Bình Tiến")
    c.save()
    with open(path, "rb") as f:
        return f.read()


@pytest.mark.parametrize("stamped", [False, True])
def test_signer_scan_block_read_again_under_seal_and_stamp(tmp_path: object, stamped: bool) -> None:
    from ketluan.config import Settings
    from ketluan.extract.signature import scan_signer
    from ketluan.records import Page

    data = _signer_pdf(f"{tmp_path}/signer.pdf", stamped)
    titles = ["GIÁM ĐỐC"] if stamped else ["TL. CHỦ TỊCH", "CHANH Á VAN Ă PHONG"]  # what the page OCR read
    lines = [Line(t, page=1, x0=370.0, x1=490.0, top=388.0 + 16 * i, bottom=400.0 + 16 * i, column="right",
                  origin="ocr", confidence=80.0) for i, t in enumerate(titles)]  # fmt: skip
    page = Page(1, lines=list(lines), width=595.0, height=842.0, source="ocr")
    scan_signer(data, [page], Settings())
    texts = [ln.text for ln in page.lines]
    if stamped:
        assert texts[:2] == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]
        assert page.handwriting["signer_title"][0] == "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC"
    else:
        assert texts == [*titles, "Trần Bình Tiến"]
        assert page.handwriting["signer_name"][0] == "Trần Bình Tiến"


def test_signer_scan_with_its_name_costs_nothing() -> None:
    from ketluan.config import Settings
    from ketluan.extract.signature import scan_signer
    from ketluan.records import Page

    lines = [_line("KT. CHỦ TỊCH", "right", 400.0, 370.0), _line("PHÓ CHỦ TỊCH", "right", 416.0, 370.0),
             _line("Lê Hồng Văn", "right", 500.0, 380.0)]  # fmt: skip
    page = Page(1, lines=list(lines), width=595.0, height=842.0, source="ocr")
    scan_signer(b"not a PDF: never opened", [page], Settings())
    assert page.lines == lines and page.handwriting == {}
