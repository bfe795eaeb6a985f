"""Tests of the extract stage: words_to_lines, the PDF, DOCX, TXT, HTML and DOC readers, sniffing
and the bad-file errors. Inputs are generated here with reportlab and python-docx."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from reportlab.lib.enums import TA_JUSTIFY
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import Frame, Paragraph

from ketluan.config import Settings
from ketluan.errors import DocumentError
from ketluan.extract import extract_pages, sniff
from ketluan.extract.doc import find_soffice
from ketluan.extract.docx import extract_docx
from ketluan.extract.lines import Word, words_to_lines
from ketluan.extract.pdf import count_letters, extract_pdf, font_flags
from ketluan.extract.txt import decode_text, extract_html, extract_txt
from ketluan.records import Source
from ketluan.text.markup import strip_markdown
from tools.paths import SHARED_OR_DEFAULT

FONTS = Path("/usr/share/fonts/truetype/dejavu")
REAL_PDF = SHARED_OR_DEFAULT / "corpus" / "real" / "qngai_ubnd_tb11_2025_ketluan_cophanhoa_qisc.pdf"
NO_OCR = Settings(ocr=False)


# ---------------------------------------------------------------------------------------------
# Generated inputs
# ---------------------------------------------------------------------------------------------
def _register_fonts() -> None:
    if "DVS" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DVS", str(FONTS / "DejaVuSerif.ttf")))
        pdfmetrics.registerFont(TTFont("DVS-Bold", str(FONTS / "DejaVuSerif-Bold.ttf")))
        pdfmetrics.registerFont(TTFont("DVS-Italic", str(FONTS / "DejaVuSerif-Italic.ttf")))


BODY = [
    ("b", "I. KẾT QUẢ ĐẠT ĐƯỢC"),
    ("p", "Trong tháng 02/2024, các phòng, ban chuyên môn đã tập trung thực hiện tốt nhiệm vụ được giao; "
          "thu ngân sách trên địa bàn đạt 12,5 tỷ đồng, bằng 15% dự toán năm; giải ngân vốn đầu tư công "
          "đạt 18% kế hoạch vốn được giao."),
    ("b", "II. TỒN TẠI, HẠN CHẾ"),
    ("p", "Tiến độ giải ngân vốn đầu tư công còn chậm; một số hồ sơ thủ tục hành chính về đất đai "
          "còn giải quyết trễ hạn so với quy định."),
    ("b", "III. NHIỆM VỤ TRỌNG TÂM THÁNG 3/2024"),
    ("p", "Giao Phòng Tài chính - Kế hoạch chủ trì, phối hợp với các đơn vị liên quan đẩy nhanh tiến độ "
          "giải ngân vốn đầu tư công, báo cáo Ủy ban nhân dân huyện trước ngày 25/3/2024."),
]  # fmt: skip


def make_conclusion_pdf(encrypt: str | None = None) -> bytes:
    """A two-page text PDF laid out as a Nghị định 30/2020 conclusion."""
    _register_fonts()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, encrypt=encrypt)
    width, height = A4
    left_mid, right_mid = 170.0, 400.0
    y = height - 60
    c.setFont("DVS", 12)
    c.drawCentredString(left_mid, y, "ỦY BAN NHÂN DÂN")
    c.setFont("DVS-Bold", 12)
    c.drawCentredString(right_mid, y, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    y -= 15
    c.drawCentredString(left_mid, y, "HUYỆN NGHĨA HƯNG")
    c.drawCentredString(right_mid, y, "Độc lập - Tự do - Hạnh phúc")
    y -= 28
    c.setFont("DVS", 12)
    c.drawCentredString(left_mid, y, "Số: 12/TB-UBND")
    c.setFont("DVS-Italic", 12)
    c.drawCentredString(right_mid, y, "Nghĩa Hưng, ngày 5 tháng 3 năm 2024")
    centre = (85 + width - 56) / 2  # text block: 30 mm left, 20 mm right margin
    y -= 40
    c.setFont("DVS-Bold", 13)
    c.drawCentredString(centre, y, "THÔNG BÁO")
    y -= 17
    c.drawCentredString(centre, y, "Kết luận của Chủ tịch UBND huyện tại cuộc họp giao ban")
    y -= 17
    c.drawCentredString(centre, y, "tháng 02/2024")
    body_style = ParagraphStyle("body", fontName="DVS", fontSize=12, leading=16, alignment=TA_JUSTIFY,
                                firstLineIndent=28, spaceBefore=8)  # fmt: skip
    head_style = ParagraphStyle("head", parent=body_style, fontName="DVS-Bold", firstLineIndent=28)
    story = [Paragraph(t, head_style if k == "b" else body_style) for k, t in BODY]
    frame = Frame(85, 150, width - 85 - 56, y - 20 - 150, leftPadding=0, rightPadding=0, showBoundary=0)
    frame.addFromList(story, c)
    c.showPage()
    # Page 2: the closing sentence, then "Nơi nhận:" left and the signer right.
    c.setFont("DVS", 12)
    c.drawString(
        113, height - 70, "Ủy ban nhân dân huyện thông báo để các cơ quan, đơn vị biết, thực hiện./."
    )
    y = height - 110
    c.setFont("DVS-Bold", 11)
    c.drawString(85, y, "Nơi nhận:")
    c.setFont("DVS-Bold", 12)
    c.drawCentredString(right_mid, y, "KT. CHỦ TỊCH")
    c.setFont("DVS", 10)
    c.drawString(85, y - 13, "- Thường trực Huyện ủy;")
    c.setFont("DVS-Bold", 12)
    c.drawCentredString(right_mid, y - 15, "PHÓ CHỦ TỊCH")
    c.setFont("DVS", 10)
    c.drawString(85, y - 26, "- Các phòng, ban chuyên môn;")
    c.drawString(85, y - 39, "- Lưu: VT.")
    c.setFont("DVS-Bold", 12)
    c.drawCentredString(right_mid, y - 90, "Trần Văn Bình")
    c.showPage()
    c.save()
    return buf.getvalue()


@pytest.fixture(scope="module")
def conclusion_pdf() -> bytes:
    return make_conclusion_pdf()


@pytest.fixture(scope="module")
def pdf_lines(conclusion_pdf: bytes) -> list:
    pages, kind = extract_pages(Source(path="tb12.pdf", data=conclusion_pdf), NO_OCR)
    assert kind == "text_pdf"
    return [ln for p in pages for ln in p.lines]


def make_conclusion_docx() -> bytes:
    """A .docx with the header and signer as two-column tables and a 5-column task table."""
    d = docx.Document()
    head = d.add_table(rows=2, cols=2)
    head.cell(0, 0).text = "ỦY BAN NHÂN DÂN"
    p = head.cell(0, 0).add_paragraph()
    p.add_run("HUYỆN NGHĨA HƯNG").bold = True
    head.cell(1, 0).text = "Số: 12/TB-UBND"
    head.cell(0, 1).paragraphs[0].add_run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM").bold = True
    head.cell(0, 1).add_paragraph().add_run("Độc lập - Tự do - Hạnh phúc").bold = True
    head.cell(1, 1).paragraphs[0].add_run("Nghĩa Hưng, ngày 5 tháng 3 năm 2024").italic = True
    title = d.add_paragraph()
    title.add_run("THÔNG BÁO").bold = True
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    sub = d.add_paragraph()
    sub.add_run("Kết luận của Chủ tịch UBND huyện tại cuộc họp giao ban").bold = True
    sub.add_run().add_break()
    sub.add_run("tháng 02/2024").bold = True
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    d.add_paragraph("")
    d.add_paragraph().add_run("I. KẾT QUẢ ĐẠT ĐƯỢC").bold = True
    d.add_paragraph(BODY[1][1])
    d.add_paragraph("Nhiệm vụ cụ thể:")
    tasks = d.add_table(rows=3, cols=5)
    rows = [
        ["STT", "Nội dung", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời hạn"],
        ["1", "Đẩy nhanh giải ngân vốn đầu tư công", "Phòng Tài chính - Kế hoạch", "Các xã", "25/3/2024"],
        ["2", "Giải quyết hồ sơ đất đai quá hạn", "Phòng Tài nguyên và Môi trường", "", ""],
    ]  # fmt: skip
    for r, cells in enumerate(rows):
        for col, text in enumerate(cells):
            tasks.cell(r, col).text = text
    merged = tasks.cell(1, 4).merge(tasks.cell(2, 4))  # one deadline for both rows
    merged.text = "25/3/2024"
    sign = d.add_table(rows=2, cols=2)
    sign.cell(0, 0).paragraphs[0].add_run("Nơi nhận:").bold = True
    sign.cell(0, 0).add_paragraph("- Thường trực Huyện ủy;")
    sign.cell(0, 0).add_paragraph("- Lưu: VT.")
    sign.cell(0, 1).paragraphs[0].add_run("KT. CHỦ TỊCH").bold = True
    sign.cell(0, 1).add_paragraph().add_run("PHÓ CHỦ TỊCH").bold = True
    sign.cell(1, 1).paragraphs[0].add_run("Trần Văn Bình").bold = True
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


# ---------------------------------------------------------------------------------------------
# words_to_lines
# ---------------------------------------------------------------------------------------------
def _words(
    row: str, top: float, x: float, size: float = 12.0, bold: bool = False, jitter: float = 0.0
) -> list[Word]:
    """Words of one row starting at x, 6 pt per character, 4 pt spaces."""
    out = []
    for k, token in enumerate(row.split()):
        w = len(token) * 6.0
        dy = jitter * (1 if k % 2 else -1)
        out.append(Word(token, x, x + w, top + dy, top + size + dy, bold=bold, size=size))
        x += w + 4.0
    return out


# fmt: off
HEADER_CASES = [
    # (jitter of OCR word tops, right column starts higher by)
    (0.0, 0.0),
    (1.5, 0.0),
    (2.5, -3.0),
]
# fmt: on


@pytest.mark.parametrize(("jitter", "shift"), HEADER_CASES)
def test_lines_header_columns_left_then_right(jitter: float, shift: float) -> None:
    words = (
        _words("UBND TỈNH X", 70, 110, jitter=jitter)
        + _words("CỘNG HÒA XÃ HỘI CHỦ NGHĨA", 70 + shift, 300, jitter=jitter)
        + _words("SỞ Y TẾ", 86, 120, bold=True, jitter=jitter)
        + _words("Độc lập - Tự do", 86 + shift, 330, jitter=jitter)
        + _words("Số: 12/TB-UBND", 110, 115, jitter=jitter)
        + _words("Quảng Ngãi, ngày 08 tháng 4", 110 + shift, 320, jitter=jitter)
        + _words("THÔNG BÁO", 150, 260, bold=True)
        + _words("Kết luận của Giám đốc Sở tại cuộc họp giao ban tháng 3 năm 2024 và", 170, 90)
    )
    lines = words_to_lines(list(reversed(words)), 1, 595, 842, origin="ocr")
    assert [(ln.text, ln.column) for ln in lines[:6]] == [
        ("UBND TỈNH X", "left"), ("SỞ Y TẾ", "left"), ("Số: 12/TB-UBND", "left"),
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA", "right"), ("Độc lập - Tự do", "right"),
        ("Quảng Ngãi, ngày 08 tháng 4", "right"),
    ]  # fmt: skip
    assert lines[6].text == "THÔNG BÁO" and lines[6].column == "" and lines[6].bold
    assert lines[7].column == ""


def test_lines_justified_body_is_not_split() -> None:
    words = []
    for k in range(5):
        words += _words(
            "Giao Sở Tài chính chủ trì phối hợp với các cơ quan liên quan rà soát", 300 + 16 * k, 90
        )
    lines = words_to_lines(words, 2, 595, 842)
    assert len(lines) == 5
    assert all(ln.column == "" for ln in lines)
    assert lines[0].text == "Giao Sở Tài chính chủ trì phối hợp với các cơ quan liên quan rà soát"
    assert all(ln.page == 2 for ln in lines)


def test_lines_recipients_then_signer() -> None:
    words = (
        _words("Nơi nhận:", 500, 90, bold=True)
        + _words("KT. CHỦ TỊCH", 500, 380, bold=True)
        + _words("- Như trên;", 514, 90)
        + _words("PHÓ CHỦ TỊCH", 516, 384, bold=True)
        + _words("- Các Sở: Tài chính, Kế hoạch và Đầu tư;", 528, 90)
        + _words("- Lưu: VT.", 542, 90)
        + _words("Trần Văn Bình", 600, 380, bold=True)
    )
    lines = words_to_lines(words, 3, 595, 842)
    assert [ln.text for ln in lines] == [
        "Nơi nhận:", "- Như trên;", "- Các Sở: Tài chính, Kế hoạch và Đầu tư;", "- Lưu: VT.",
        "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Trần Văn Bình",
    ]  # fmt: skip
    assert [ln.column for ln in lines] == ["left"] * 4 + ["right"] * 3


def test_lines_fields_bold_size_confidence_gap() -> None:
    words = _words("I. KẾT QUẢ", 100, 90, bold=True) + _words("Trong tháng đạt kết quả tốt", 140, 90)
    for w in words:
        w.confidence = 80.0
    lines = words_to_lines(words, 1, 595, 842, origin="ocr")
    assert lines[0].bold and not lines[1].bold
    assert lines[1].gap_before
    assert lines[0].size == 12.0 and lines[0].confidence == 80.0 and lines[0].origin == "ocr"


def test_lines_empty_input() -> None:
    assert words_to_lines([], 1, 595, 842) == []


# ---------------------------------------------------------------------------------------------
# PDF
# ---------------------------------------------------------------------------------------------
def test_extract_pdf_header_in_column_order(pdf_lines: list) -> None:
    assert [(ln.text, ln.column) for ln in pdf_lines[:6]] == [
        ("ỦY BAN NHÂN DÂN", "left"), ("HUYỆN NGHĨA HƯNG", "left"), ("Số: 12/TB-UBND", "left"),
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "right"), ("Độc lập - Tự do - Hạnh phúc", "right"),
        ("Nghĩa Hưng, ngày 5 tháng 3 năm 2024", "right"),
    ]  # fmt: skip
    assert pdf_lines[5].italic


def test_extract_pdf_title_bold_and_centered(pdf_lines: list) -> None:
    title = pdf_lines[6:9]
    assert [ln.text for ln in title] == [
        "THÔNG BÁO", "Kết luận của Chủ tịch UBND huyện tại cuộc họp giao ban", "tháng 02/2024",
    ]  # fmt: skip
    assert all(ln.bold and ln.centered and ln.column == "" for ln in title)


def test_extract_pdf_paragraph_gaps_and_headings(pdf_lines: list) -> None:
    texts = [ln.text for ln in pdf_lines]
    heading = texts.index("II. TỒN TẠI, HẠN CHẾ")
    assert pdf_lines[heading].bold and pdf_lines[heading].gap_before
    assert pdf_lines[heading + 1].gap_before and not pdf_lines[heading + 1].bold
    assert not pdf_lines[heading + 2].gap_before  # a wrapped line of the same paragraph
    body = [ln for ln in pdf_lines if ln.page == 1 and not ln.column and not ln.centered]
    assert not any(ln.centered for ln in body)


def test_extract_pdf_signer_after_recipients(pdf_lines: list) -> None:
    page2 = [ln for ln in pdf_lines if ln.page == 2]
    assert [(ln.text, ln.column) for ln in page2] == [
        ("Ủy ban nhân dân huyện thông báo để các cơ quan, đơn vị biết, thực hiện./.", ""),
        ("Nơi nhận:", "left"), ("- Thường trực Huyện ủy;", "left"),
        ("- Các phòng, ban chuyên môn;", "left"), ("- Lưu: VT.", "left"),
        ("KT. CHỦ TỊCH", "right"), ("PHÓ CHỦ TỊCH", "right"), ("Trần Văn Bình", "right"),
    ]  # fmt: skip


def test_extract_pdf_pages_record_source(conclusion_pdf: bytes) -> None:
    pages, _ = extract_pages(Source(path="tb12.pdf", data=conclusion_pdf), NO_OCR)
    assert [(p.number, p.source) for p in pages] == [(1, "text"), (2, "text")]
    assert pages[0].width == pytest.approx(595.27, abs=0.1)


@pytest.mark.skipif(not REAL_PDF.exists(), reason="real corpus not mounted")
def test_extract_real_pdf_header_and_signer() -> None:
    pages, kind = extract_pages(Source(path=str(REAL_PDF)), NO_OCR)
    assert kind == "text_pdf" and len(pages) == 2
    lines = pages[0].lines
    # The number "11", the day "08" and the e-office stamp are drawn by e-signature widgets,
    # flattened into the page: the stamp (top right, above the header) reads as right-column lines.
    assert [(ln.text, ln.column) for ln in lines[:11]] == [
        ("ỦY BAN NHÂN DÂN", "left"), ("TỈNH QUẢNG NGÃI", "left"), ("Số: 11 /TB-UBND", "left"),
        ("TRUNG TÂM CÔNG BÁO", "right"), ("VÀ TIN HỌC", "right"), ("ttcbth@quangngai.gov.vn", "right"),
        ("09.01.2025 10:21:11 +07:00", "right"),
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "right"), ("Độc lập - Tự do - Hạnh phúc", "right"),
        ("Quảng Ngãi, ngày 08 tháng 01 năm 2025", "right"), ("THÔNG BÁO", ""),
    ]  # fmt: skip
    assert lines[10].bold and lines[10].centered
    assert lines[11].text.startswith("Kết luận của Phó Chủ tịch UBND tỉnh Võ Phiên") and lines[11].centered
    last = pages[1].lines
    right = [ln.text for ln in last if ln.column == "right"]
    assert right == ["TL. CHỦ TỊCH", "KT. CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG", "Nguyễn Phước Bình"]
    left = [ln.text for ln in last if ln.column == "left"]
    assert left[0] == "Nơi nhận:" and "- Thanh tra tỉnh;" in left
    assert last.index(next(ln for ln in last if ln.column == "right")) > max(
        i for i, ln in enumerate(last) if ln.column == "left"
    )


# fmt: off
FONT_CASES = [
    ("ABCDEF+TimesNewRomanPS-BoldMT", (True, False)),
    ("Times New Roman,BoldItalic", (True, True)),
    ("Times New Roman,Italic", (False, True)),
    ("Arial-Black", (True, False)),
    ("VnTime-B", (True, False)),
    ("DejaVuSerif", (False, False)),
]
# fmt: on


@pytest.mark.parametrize(("fontname", "flags"), FONT_CASES)
def test_extract_font_flags(fontname: str, flags: tuple[bool, bool]) -> None:
    assert font_flags(fontname) == flags


@pytest.mark.parametrize(
    ("text", "counts"),
    [("Kết luận giao ban", (14, 0)), ("(cid:3)(cid:4)(cid:5) ab", (2, 3)), ("\ue000\ue001 x\ufffd", (1, 3))],
)
def test_extract_count_letters(text: str, counts: tuple[int, int]) -> None:
    assert count_letters(text) == counts


def test_extract_pdf_without_text_and_ocr_off_reports_ocr_unavailable() -> None:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.rect(100, 100, 300, 300, fill=1)
    c.showPage()
    c.save()
    with pytest.raises(DocumentError) as e:
        extract_pages(Source(path="scan.pdf", data=buf.getvalue()), NO_OCR)
    assert e.value.code == "ocr_unavailable"


# ---------------------------------------------------------------------------------------------
# DOCX
# ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def docx_lines() -> list:
    pages, kind = extract_pages(Source(path="tb12.docx", data=make_conclusion_docx()), NO_OCR)
    assert kind == "docx"
    return [ln for p in pages for ln in p.lines]


def test_extract_docx_header_table_left_then_right(docx_lines: list) -> None:
    assert [(ln.text, ln.column) for ln in docx_lines[:6]] == [
        ("ỦY BAN NHÂN DÂN", "left"), ("HUYỆN NGHĨA HƯNG", "left"), ("Số: 12/TB-UBND", "left"),
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "right"), ("Độc lập - Tự do - Hạnh phúc", "right"),
        ("Nghĩa Hưng, ngày 5 tháng 3 năm 2024", "right"),
    ]  # fmt: skip
    assert docx_lines[1].bold and not docx_lines[0].bold and docx_lines[5].italic


def test_extract_docx_title_soft_break_and_gaps(docx_lines: list) -> None:
    title = docx_lines[6:9]
    assert [(ln.text, ln.bold, ln.centered, ln.gap_before) for ln in title] == [
        ("THÔNG BÁO", True, True, True),
        ("Kết luận của Chủ tịch UBND huyện tại cuộc họp giao ban", True, True, True),
        ("tháng 02/2024", True, True, False),
    ]  # fmt: skip
    assert all(ln.origin == "docx" and ln.page == 1 for ln in title)


def test_extract_docx_task_table_rows(docx_lines: list) -> None:
    rows = [ln for ln in docx_lines if ln.origin == "table"]
    assert [ln.table_row for ln in rows] == [
        ["STT", "Nội dung", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời hạn"],
        ["1", "Đẩy nhanh giải ngân vốn đầu tư công", "Phòng Tài chính - Kế hoạch", "Các xã", "25/3/2024"],
        ["2", "Giải quyết hồ sơ đất đai quá hạn", "Phòng Tài nguyên và Môi trường", "", ""],
    ]  # fmt: skip
    assert (
        rows[1].text
        == "1 | Đẩy nhanh giải ngân vốn đầu tư công | Phòng Tài chính - Kế hoạch | Các xã | 25/3/2024"
    )


def test_extract_docx_signer_table_after_recipients(docx_lines: list) -> None:
    tail = docx_lines[-6:]
    assert [(ln.text, ln.column) for ln in tail] == [
        ("Nơi nhận:", "left"), ("- Thường trực Huyện ủy;", "left"), ("- Lưu: VT.", "left"),
        ("KT. CHỦ TỊCH", "right"), ("PHÓ CHỦ TỊCH", "right"), ("Trần Văn Bình", "right"),
    ]  # fmt: skip


def test_extract_docx_numbering_and_page_break() -> None:
    d = docx.Document()
    d.add_paragraph("Rà soát hồ sơ tồn đọng", style="List Number")
    d.add_paragraph("Báo cáo kết quả", style="List Number")
    d.add_paragraph("Phòng Tư pháp", style="List Bullet")
    d.add_paragraph("Trang một").add_run().add_break(docx.enum.text.WD_BREAK.PAGE)
    d.add_paragraph("Trang hai")
    buf = io.BytesIO()
    d.save(buf)
    pages = extract_docx(buf.getvalue())
    lines = [(ln.text, ln.page) for p in pages for ln in p.lines]
    assert lines == [
        ("1. Rà soát hồ sơ tồn đọng", 1), ("2. Báo cáo kết quả", 1), ("- Phòng Tư pháp", 1),
        ("Trang một", 1), ("Trang hai", 2),
    ]  # fmt: skip


# ---------------------------------------------------------------------------------------------
# TXT and HTML
# ---------------------------------------------------------------------------------------------
SEED_TEXT = "**KẾT LUẬN**  \n**của Chánh Thanh tra tỉnh**\n\nVào lúc 14 giờ ngày 11/5/2020,\ntại Thanh tra tỉnh\n\n***Nơi nhận:***\n- Lưu: VT.\n"


# fmt: off
ENCODING_CASES = [
    (SEED_TEXT.encode("utf-8"), "utf-8"),
    (SEED_TEXT.encode("utf-8-sig"), "utf-8-sig"),
    (SEED_TEXT.encode("utf-16"), "utf-16"),
    (SEED_TEXT.encode("utf-16-le"), "utf-16-le"),
    (SEED_TEXT.encode("utf-16-be"), "utf-16-be"),
]
# fmt: on


@pytest.mark.parametrize(("data", "encoding"), ENCODING_CASES)
def test_extract_txt_decodes(data: bytes, encoding: str) -> None:
    text, used = decode_text(data)
    assert used == encoding
    assert text == SEED_TEXT


def test_extract_txt_legacy_bytes_kept_as_latin1() -> None:
    # TCVN3 "Th«ng b¸o" (Thông báo): bytes map 1:1 so normalize can convert them.
    text, used = decode_text(b"Th\xabng b\xb8o")
    assert (text, used) == ("Th«ng b¸o", "latin-1")


def test_extract_txt_lines_markdown_and_gaps() -> None:
    pages = extract_txt(SEED_TEXT.encode("utf-16"))
    got = [(ln.text, ln.bold, ln.italic, ln.gap_before) for ln in pages[0].lines]
    assert got == [
        ("KẾT LUẬN", True, False, False),
        ("của Chánh Thanh tra tỉnh", True, False, False),
        ("Vào lúc 14 giờ ngày 11/5/2020,", False, False, True),
        ("tại Thanh tra tỉnh", False, False, False),
        ("Nơi nhận:", True, True, True),
        ("- Lưu: VT.", False, False, False),
    ]  # fmt: skip
    assert all(ln.origin == "txt" and ln.page == 1 for ln in pages[0].lines)


# fmt: off
MARKDOWN_CASES = [
    ("**II. Những hạn chế cần chú ý**", ("II. Những hạn chế cần chú ý", True, False)),
    ("*Tây Ninh, ngày 18 tháng 5 năm 2020*", ("Tây Ninh, ngày 18 tháng 5 năm 2020", False, True)),
    ("- **Sở Tài chính:** chủ trì thẩm định", ("- Sở Tài chính: chủ trì thẩm định", False, False)),
    ("-----", ("-----", False, False)),
    ("*", ("*", False, False)),
    ("+ Công tác thanh tra: đạt 100%", ("+ Công tác thanh tra: đạt 100%", False, False)),
]
# fmt: on


@pytest.mark.parametrize(("line", "expected"), MARKDOWN_CASES)
def test_extract_txt_strip_markdown(line: str, expected: tuple[str, bool, bool]) -> None:
    assert strip_markdown(line) == expected


def test_extract_txt_form_feed_starts_page() -> None:
    pages = extract_txt("Trang một\n\fTrang hai\n".encode())
    assert [(ln.text, ln.page) for p in pages for ln in p.lines] == [("Trang một", 1), ("Trang hai", 2)]


def test_extract_html_saved_as_doc() -> None:
    html = (
        '<html><head><meta charset="utf-8"><style>p{}</style></head><body>'
        '<p align="center"><b>THÔNG BÁO</b></p><p style="text-align:center">Kết luận của Giám đốc Sở</p>'
        "<p>Giao Phòng Kế hoạch<br>chủ trì</p></body></html>"
    ).encode()
    pages, kind = extract_pages(Source(path="tb.doc", data=html), NO_OCR)
    assert kind == "doc"
    assert [(ln.text, ln.bold, ln.centered, ln.gap_before) for ln in pages[0].lines] == [
        ("THÔNG BÁO", True, True, True), ("Kết luận của Giám đốc Sở", False, True, True),
        ("Giao Phòng Kế hoạch", False, False, True), ("chủ trì", False, False, False),
    ]  # fmt: skip
    assert extract_html(b"<p>a</p>")[0].lines[0].text == "a"


# ---------------------------------------------------------------------------------------------
# Sniffing and bad files
# ---------------------------------------------------------------------------------------------
# fmt: off
SNIFF_CASES = [
    (b"%PDF-1.4\n%...", "x.docx", "pdf"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64 + "WordDocument".encode("utf-16-le"), "x.doc", "doc"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64 + "EncryptedPackage".encode("utf-16-le"), "x.docx", "encrypted_docx"),
    (b"{\\rtf1\\ansi Th\\'f4ng b\\'e1o}", "x.doc", "office"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "x.pdf", "image"),
    ("Kết luận giao ban tháng 5".encode(), "x.pdf", "txt"),
    (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff", "x.pdf", ""),
]
# fmt: on


@pytest.mark.parametrize(("data", "name", "kind"), SNIFF_CASES)
def test_extract_sniff_by_content(data: bytes, name: str, kind: str) -> None:
    assert sniff(data, name) == kind


def _random_bytes() -> bytes:
    import random

    rng = random.Random(7)
    return bytes(rng.randrange(256) for _ in range(4000))


# fmt: off
BAD_CASES = [
    ("empty.pdf", b"", "empty_file"),
    ("random.pdf", "random", "unsupported_format"),
    ("setup.pdf", b"MZ\x90\x00" + b"\x00" * 200, "unsupported_format"),
    ("truncated.pdf", "truncated", "corrupt_file"),
    ("secret.pdf", "encrypted", "encrypted_pdf"),
    ("secret.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500 + "EncryptedPackage".encode("utf-16-le"), "encrypted_docx"),
    ("broken.docx", b"PK\x03\x04" + b"\x00" * 100, "corrupt_file"),
]
# fmt: on


@pytest.mark.parametrize(("name", "payload", "code"), BAD_CASES)
def test_extract_bad_files_raise_the_right_code(
    name: str, payload: bytes | str, code: str, conclusion_pdf: bytes
) -> None:
    if payload == "random":
        data = _random_bytes()
    elif payload == "truncated":
        data = conclusion_pdf[: len(conclusion_pdf) // 3]
    elif payload == "encrypted":
        data = make_conclusion_pdf(encrypt="secret")
    else:
        assert isinstance(payload, bytes)
        data = payload
    with pytest.raises(DocumentError) as e:
        extract_pages(Source(path=name, data=data), NO_OCR)
    assert e.value.code == code


def test_extract_source_error_is_raised_as_is() -> None:
    src = Source(path="a.zip!../../x.pdf", error="zip_unsafe: path traversal '../../x.pdf'")
    with pytest.raises(DocumentError) as e:
        extract_pages(src, NO_OCR)
    assert (e.value.code, e.value.detail) == ("zip_unsafe", "path traversal '../../x.pdf'")


def test_extract_too_large(tmp_path: Path) -> None:
    f = tmp_path / "big.txt"
    f.write_bytes(b"a" * (2 * 1024 * 1024))
    with pytest.raises(DocumentError) as e:
        extract_pages(Source(path=str(f)), Settings(ocr=False, max_file_mb=1))
    assert e.value.code == "too_large"


@pytest.mark.slow
@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice is not installed")
def test_extract_legacy_doc_via_libreoffice(tmp_path: Path) -> None:
    import subprocess

    src = tmp_path / "tb12.docx"
    src.write_bytes(make_conclusion_docx())
    subprocess.run([find_soffice() or "soffice", "--headless", "--norestore",
                    f"-env:UserInstallation={(tmp_path / 'p').as_uri()}", "--convert-to", "doc",
                    "--outdir", str(tmp_path / "out"), str(src)], check=True, capture_output=True, timeout=180)  # fmt: skip
    data = (tmp_path / "out" / "tb12.doc").read_bytes()
    pages, kind = extract_pages(Source(path="tb12.doc", data=data), Settings(ocr=False))
    assert kind == "doc"
    lines = [ln for p in pages for ln in p.lines]
    # LibreOffice's own .doc export flattens the later tables; the header table survives.
    assert [(ln.text, ln.column) for ln in lines[:4]] == [
        ("ỦY BAN NHÂN DÂN", "left"), ("HUYỆN NGHĨA HƯNG", "left"), ("Số: 12/TB-UBND", "left"),
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "right"),
    ]  # fmt: skip
    title = next(ln for ln in lines if ln.text == "THÔNG BÁO")
    assert title.bold and title.centered


# ---------------------------------------------------------------------------------------------
# Ruled tables and blank pages (issue 9)
# ---------------------------------------------------------------------------------------------
TASK_TABLE = [
    ["STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Thời hạn"],
    ["1", "Rà soát, phân loại các vụ án chưa làm rõ, đề xuất biện pháp điều tra", "Phòng Cảnh sát hình sự", "20/10/2023"],
    ["2", "Hoàn thành làm sạch dữ liệu dân cư", "Công an các huyện, thị xã", "31/10/2023"],
]  # fmt: skip


def make_table_pdf(blank_page: bool = False) -> bytes:
    """A text PDF with a paragraph, a ruled task table whose cells wrap, and a paragraph below."""
    from reportlab.platypus import PageBreak, SimpleDocTemplate, Table, TableStyle

    _register_fonts()
    buf = io.BytesIO()
    body = ParagraphStyle("b", fontName="DVS", fontSize=12, leading=15)
    cells = [[Paragraph(c, body) for c in row] for row in TASK_TABLE]
    table = Table(cells, colWidths=[45, 190, 135, 95])
    table.setStyle(
        TableStyle([("GRID", (0, 0), (-1, -1), 0.6, "black"), ("VALIGN", (0, 0), (-1, -1), "TOP")])
    )
    story = [Paragraph("Giao các đơn vị thực hiện các nhiệm vụ cụ thể sau:", body), table,
             Paragraph("Văn phòng theo dõi, đôn đốc việc thực hiện./.", body)]  # fmt: skip
    if blank_page:
        story += [PageBreak(), Paragraph(" ", body)]
    SimpleDocTemplate(buf, pagesize=A4).build(story)
    return buf.getvalue()


def test_extract_pdf_ruled_table_rows_keep_their_cells() -> None:
    pages, kind = extract_pdf(make_table_pdf(), NO_OCR)
    lines = pages[0].lines
    rows = [ln.table_row for ln in lines if ln.table_row is not None]
    assert rows == TASK_TABLE
    texts = [ln.text for ln in lines]
    # the table sits between the paragraphs, in reading order; none of its words leaks as a line
    assert texts[0].startswith("Giao các đơn vị") and texts[-1].startswith("Văn phòng theo dõi")
    assert kind == "text_pdf"


def test_extract_pdf_blank_last_page_is_not_a_scan() -> None:
    pages, kind = extract_pdf(make_table_pdf(blank_page=True), Settings())
    assert kind == "text_pdf"
    assert [p.source for p in pages] == ["text", "text"]
    assert pages[1].lines == []


@pytest.mark.skipif(not REAL_PDF.exists(), reason="the shared corpus holds the real issued PDF")
@pytest.mark.parametrize(
    ("column", "text"), [("left", "Số: 11 /TB-UBND"), ("right", "Quảng Ngãi, ngày 08 tháng 01 năm 2025")]
)
def test_extract_pdf_reads_the_number_and_day_typed_into_signature_widgets(column: str, text: str) -> None:
    pages, _ = extract_pdf(REAL_PDF.read_bytes(), NO_OCR)
    assert text in [ln.text for ln in pages[0].lines if ln.column == column]


def test_extract_ocr_stray_mark_in_the_header_gutter_does_not_join_the_columns() -> None:
    # a phone photo: Tesseract reads a speck between the columns as "`"
    row = [("UBND", 109, 143), ("HUYỆN", 147, 189), ("ĐIỆN", 194, 223), ("BIÊN", 227, 258), ("`", 279, 280),
           ("CỘNG", 291, 327), ("HÒA", 331, 359), ("XÃ", 363, 380), ("HỘI", 384, 407), ("CHỦ", 411, 438),
           ("NGHĨA", 442, 483), ("VIỆT", 487, 517), ("NAM", 520, 549)]  # fmt: skip
    words = [Word(t, x0, x1, 57, 70) for t, x0, x1 in row]
    words += [Word("Độc", 330, 355, 75, 88), Word("lập", 359, 380, 75, 88), Word("-", 384, 389, 75, 88),
              Word("Tự", 393, 410, 75, 88), Word("do", 414, 430, 75, 88)]  # fmt: skip
    lines = words_to_lines(words, 1, 612, 792, origin="ocr")
    assert [(ln.text, ln.column) for ln in lines] == [
        ("UBND HUYỆN ĐIỆN BIÊN", "left"),
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "right"),
        ("Độc lập - Tự do", "right"),
    ]


def test_extract_ocr_dash_of_a_justified_row_is_text() -> None:
    # a justified body line of a scan: every word space ~7.6 pt, more than the gutter rule's
    # 0.012 x 612 = 7.3 pt; the dash between the chair's name and title sits one such space away
    x, words = 72.0, []
    for t in ["Chủ", "trì:", "ông", "Phan", "Văn", "Lộc", "-", "Phó", "Bí", "thư", "Huyện", "ủy,"]:
        w = 5.0 if t == "-" else 6.5 * len(t)
        words.append(Word(t, x, x + w, 300, 313))
        x += w + 7.6
    lines = words_to_lines(words, 1, 612, 792, origin="ocr")
    assert [ln.text for ln in lines] == ["Chủ trì: ông Phan Văn Lộc - Phó Bí thư Huyện ủy,"]


# -- issue 15: text decoding, images, merged Word cells, LibreOffice without network

ISSUE15_TEXT = "ỦY BAN NHÂN DÂN TỈNH THÁI NGUYÊN\nKết luận của Chủ tịch UBND tỉnh tại cuộc họp giao ban\n"


def _cp1258(text: str) -> bytes:
    """Windows-1258 bytes as Vietnamese Windows wrote them: tone marks as combining characters."""
    from tools.make_bad_inputs import _cp1258 as encode

    return encode(text)


# fmt: off
DECODE_CASES = [
    (_cp1258(ISSUE15_TEXT), ISSUE15_TEXT, "cp1258", 0),
    (ISSUE15_TEXT.encode() + b"\xff", ISSUE15_TEXT + "\ufffd", "utf-8", 1),
    (ISSUE15_TEXT.encode().replace(b"giao ban", b"giao b\xe0n"), ISSUE15_TEXT.replace("giao ban", "giao b\ufffdn"), "utf-8", 1),
    (ISSUE15_TEXT.encode() + b"\xed\xa0\xbd\xed\xb3\x81", ISSUE15_TEXT + "\U0001f4c1", "utf-8", 0),  # CESU-8 pair
    (ISSUE15_TEXT.encode("utf-32"), ISSUE15_TEXT, "utf-32", 0),
    (ISSUE15_TEXT.encode("utf-32-be"), ISSUE15_TEXT, "utf-32-be", 0),
    (ISSUE15_TEXT.encode("utf-16-le"), ISSUE15_TEXT, "utf-16-le", 0),
    (b"caf\xe9 au lait", "café au lait", "cp1258", 0),  # not Vietnamese: the reading that loses nothing
]
# fmt: on


@pytest.mark.parametrize(("data", "text", "encoding", "replaced"), DECODE_CASES)
def test_extract_txt_decode_bytes_chooses_by_vietnamese_syllables(
    data: bytes, text: str, encoding: str, replaced: int
) -> None:
    from ketluan.extract.txt import decode_bytes

    decoded = decode_bytes(data)
    assert (decoded.text, decoded.encoding, decoded.replaced) == (text, encoding, replaced)


def test_extract_txt_bad_bytes_are_a_warning_on_the_page() -> None:
    pages = extract_txt(ISSUE15_TEXT.encode() + b"\xff\xfe")
    assert pages[0].lines[0].text == "ỦY BAN NHÂN DÂN TỈNH THÁI NGUYÊN"
    assert pages[0].error == "corrupt_file: 2 bytes that are not valid UTF-8 were replaced by U+FFFD"
    many = (ISSUE15_TEXT * 3).encode().replace(b" ", b"\xa0")  # more bad bytes than the bound
    assert extract_txt(many)[0].error == ""  # read as 8-bit text instead


def test_extract_multi_frame_tiff_over_max_pages_is_refused_at_once() -> None:
    from tools.make_bad_inputs import many_frames_tiff

    src = Source(path="ban-chup-3000-trang.tif", data=many_frames_tiff(30))
    with pytest.raises(DocumentError) as raised:
        extract_pages(src, Settings(max_pages=20))
    assert (raised.value.code, raised.value.detail) == (
        "too_large",
        "the image has 30 pages (frames), more than the limit of 20",
    )


def test_extract_corrupt_image_message_is_the_same_every_run() -> None:
    from tools.make_bad_inputs import png

    data = png(50, 50)[:40] + b"\x00" * 200
    details = set()
    for _ in range(2):
        with pytest.raises(DocumentError) as raised:
            extract_pages(Source(path="anh-hong.png", data=bytes(data)), Settings())
        details.add(raised.value.detail)
    assert details == {"the image cannot be decoded: cannot identify image file (image data)"}


def test_extract_docx_table_with_merged_cells() -> None:
    from tools.make_bad_inputs import merged_cells_docx

    pages = extract_docx(merged_cells_docx("THÔNG BÁO\nKết luận của Chủ tịch UBND huyện"))
    rows = [ln.table_row for ln in pages[0].lines if ln.origin == "table"]
    assert rows == [
        ["Nhiệm vụ tháng 6", "", "Đơn vị"],
        ["1", "Đôn đốc giải ngân vốn đầu tư công", "Phòng Tài chính - Kế hoạch"],
        ["", "Giải quyết hồ sơ đất đai quá hạn", "Văn phòng Đăng ký đất đai"],
    ]


def _odt_with_linked_image(url: str) -> bytes:
    """An OpenDocument text whose only image is linked to `url` (not embedded)."""
    import zipfile

    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
        'xmlns:xlink="http://www.w3.org/1999/xlink" '
        'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" office:version="1.2">'
        "<office:body><office:text><text:p>THÔNG BÁO Kết luận của Chủ tịch UBND huyện</text:p>"
        '<text:p><draw:frame draw:name="con-dau" svg:width="2cm" svg:height="2cm">'
        f'<draw:image xlink:href="{url}" xlink:type="simple" xlink:show="embed" xlink:actuate="onLoad"/>'
        "</draw:frame></text:p></office:text></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", content)
        z.writestr("META-INF/manifest.xml", manifest)
    return buf.getvalue()


@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice is not installed")
@pytest.mark.parametrize("namespace", [True, False], ids=["namespace-and-profile", "profile-only"])
def test_extract_libreoffice_fetches_nothing_from_the_network(
    namespace: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    import http.server
    import threading

    from ketluan.extract import doc

    requests: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            requests.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setattr(doc, "USE_NETWORK_NAMESPACE", namespace)
    try:
        data = _odt_with_linked_image(f"http://127.0.0.1:{server.server_port}/con-dau.png")
        pages, kind = extract_pages(Source(path="ket-luan.odt", data=data), Settings())
    finally:
        server.shutdown()
        server.server_close()
    assert kind == "doc"
    assert pages[0].lines[0].text == "THÔNG BÁO Kết luận của Chủ tịch UBND huyện"
    assert requests == []


# -- the signer's name printed only in the signature image of a text PDF ------------------------


def _signature_image_pdf(name: str) -> bytes:
    """A text page whose signature block prints the title as text and the name (or only a
    signature scribble) as an image under it, as e-signed and scanned-signature PDFs do."""
    from PIL import Image, ImageDraw, ImageFont
    from reportlab.lib.utils import ImageReader

    dejavu = "/usr/share/fonts/truetype/dejavu/"
    pdfmetrics.registerFont(TTFont("DejaVuSans", dejavu + "DejaVuSans.ttf"))
    pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", dejavu + "DejaVuSans-Bold.ttf"))
    picture = Image.new("RGB", (900, 420), "white")
    draw = ImageDraw.Draw(picture)
    draw.line([(120, 200), (300, 60), (420, 220), (700, 90)], fill=(30, 60, 200), width=6)  # the signature
    if name:
        draw.text((150, 300), name, fill="black", font=ImageFont.truetype(dejavu + "DejaVuSans-Bold.ttf", 56))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setFont("DejaVuSans", 12)
    pdf.drawString(70, 780, "ỦY BAN NHÂN DÂN TỈNH ĐẮK NÔNG")
    text = pdf.beginText(70, 700)
    for line in ["Ủy ban nhân dân tỉnh thông báo kết quả tiếp công dân định kỳ tháng 4 năm 2019",
                 "của lãnh đạo Sở Tài chính tại trụ sở tiếp công dân của tỉnh."] * 4:  # fmt: skip
        text.textLine(line)
    pdf.drawText(text)
    pdf.setFont("DejaVuSans-Bold", 13)
    pdf.drawCentredString(420, 400, "KT. GIÁM ĐỐC")
    pdf.drawCentredString(420, 384, "PHÓ GIÁM ĐỐC")
    pdf.drawImage(ImageReader(picture), 330, 280, width=180, height=84)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("Phan Thị Hiếu", "Phan Thị Hiếu"),  # the name printed in the signature image
        ("Nguyễn Tấn Bi", "Nguyễn Tấn Bi"),
        ("", ""),  # only a signature scribble: no name is invented
    ],
)
def test_extract_signer_name_read_from_signature_image(printed: str, expected: str) -> None:
    pages, kind = extract_pdf(_signature_image_pdf(printed), Settings())
    read = [ln for ln in pages[0].lines if ln.origin == "ocr"]
    assert kind == "text_pdf"
    assert [ln.text for ln in read] == ([expected] if expected else [])
    if read:  # placed right under the title block, in its column
        title = next(ln for ln in pages[0].lines if ln.text == "PHÓ GIÁM ĐỐC")
        assert title.bottom <= read[0].top < title.bottom + 2 and read[0].column == title.column


def _esigned_pdf(name: str) -> bytes:
    """A landscape text page e-signed as a department's reports are: the e-signature box's text
    ("Người ký: Sở Tài ...") printed on the title's row to its left, the signing software's large
    stamp text to its right, and the name only at the foot of a signature picture 120 pt under
    the title (deeper than the 40 mm a paper signature takes)."""
    from PIL import Image, ImageDraw, ImageFont
    from reportlab.lib.pagesizes import landscape
    from reportlab.lib.utils import ImageReader

    dejavu = "/usr/share/fonts/truetype/dejavu/"
    pdfmetrics.registerFont(TTFont("DejaVuSans", dejavu + "DejaVuSans.ttf"))
    pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", dejavu + "DejaVuSans-Bold.ttf"))
    picture = Image.new("RGB", (400, 340), "white")
    draw = ImageDraw.Draw(picture)
    draw.line([(60, 160), (150, 60), (220, 170), (360, 80)], fill=(30, 60, 200), width=5)  # the signature
    draw.text((40, 280), name, fill="black", font=ImageFont.truetype(dejavu + "DejaVuSans-Bold.ttf", 30))
    buffer = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    pdf.setFont("DejaVuSans", 12)
    pdf.drawString(70, height - 60, "UBND TỈNH ĐẮK NÔNG")
    text = pdf.beginText(70, height - 160)
    for line in ["Sở Tài chính tổng hợp kết quả công tác tiếp công dân của Thủ trưởng cơ quan, đơn vị",
                 "tháng 6 năm 2019 theo Công văn số 154/TTr-P3 của Thanh tra tỉnh."] * 3:  # fmt: skip
        text.textLine(line)
    pdf.drawText(text)
    pdf.setFont("DejaVuSans-Bold", 13)
    title_baseline = height - 420
    pdf.drawCentredString(610, title_baseline, "GIÁM ĐỐC")
    pdf.setFont("DejaVuSans", 13)
    pdf.drawString(334, title_baseline, "Người ký: Sở Tài")  # the e-signature box, on the title's row
    for i, box_line in enumerate(["chính", "Email: stc@daknong.gov.vn", "Thời gian ký: 24.06.2019"]):
        pdf.drawString(334, title_baseline - 15 * (i + 1), box_line)
    pdf.setFont("DejaVuSans", 18)
    for i, stamp_line in enumerate(["Sở Tài chính", "24.06.2019"]):  # the stamp text over the picture
        pdf.drawString(640, title_baseline - 30 - 20 * i, stamp_line)
    pdf.drawImage(ImageReader(picture), 560, title_baseline - 132, width=100, height=85)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


@pytest.mark.parametrize("printed", ["Nguyễn Tấn Bi", "Phan Thị Hiếu"])
def test_extract_signer_name_deep_under_an_esigned_title(printed: str) -> None:
    pages, kind = extract_pdf(_esigned_pdf(printed), Settings())
    texts = [ln.text for ln in pages[0].lines]
    read = [ln for ln in pages[0].lines if ln.origin == "ocr"]
    assert kind == "text_pdf"
    assert "GIÁM ĐỐC" in texts  # the title is a line of its own, not joined to the box's text
    assert "Người ký: Sở Tài" in texts
    assert [ln.text for ln in read] == [printed]


def _count_letters_char_by_char(text: str) -> tuple[int, int]:
    """count_letters as it was written before it was made faster: one character at a time."""
    import re
    import unicodedata

    cids = len(re.findall(r"\(cid:\d+\)", text))
    letters = bad = 0
    for ch in re.sub(r"\(cid:\d+\)", "", text):
        cat = unicodedata.category(ch)
        if ch == "\ufffd" or cat == "Co" or (cat == "Cc" and ch not in "\r\n\t\f"):
            bad += 1
        elif ch.isalpha():
            letters += 1
    return letters, bad + cids


# fmt: off
@pytest.mark.parametrize("text", [
    "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI\r\nSố: 125/TB-UBND\tngày 20/8/2024\f",
    "Uû ban nh©n d©n tØnh Qu¶ng Ng·i",                              # TCVN3 read as Latin-1
    "Kết lu\ue03an (cid:72)(cid:85) gi\x00ao\x07 ban\x1f\x7f\x85 \U000f0001\U0010fffd\ufffd",
    "Nguyễn Văn An" + "\u0301" * 3 + "\u200b\u00ad",                 # combining marks, format characters
    "",
])
# fmt: on
def test_extract_count_letters_equals_the_character_loop(text: str) -> None:
    assert count_letters(text) == _count_letters_char_by_char(text)
    assert count_letters(text * 50) == _count_letters_char_by_char(text * 50)


def test_extract_pdf_chars_font_and_size_read_once_per_text_object(conclusion_pdf: bytes) -> None:
    """The font and size asked once per text object equal pdfium's answer for every character
    (bold, italic and regular runs in one line, 10-13 pt)."""
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    from ketluan.extract.pdf import _page_chars

    doc = pdfium.PdfDocument(conclusion_pdf)
    seen: set[tuple[str, float]] = set()
    for page in doc:
        textpage = page.get_textpage()
        text = textpage.get_text_range()
        buffer = ctypes.create_string_buffer(256)
        expected = []
        for i, char in enumerate(text):
            if char.isspace() and pdfium_c.FPDFText_IsGenerated(textpage.raw, i) == 1:
                continue
            pdfium_c.FPDFText_GetFontInfo(textpage.raw, i, buffer, 256, None)
            expected.append((char, buffer.value.decode(), float(pdfium_c.FPDFText_GetFontSize(textpage.raw, i))))
        chars = _page_chars(textpage, text, page.get_mediabox()[3])
        assert [(c[0], c[5], c[6]) for c in chars] == expected
        seen |= {(c[5].split("+")[-1], c[6]) for c in chars}
        textpage.close()
    doc.close()
    assert {10.0, 11.0, 12.0, 13.0} <= {size for _, size in seen}
    assert len({font for font, _ in seen}) == 3  # regular, bold, italic


def test_extract_pdf_without_pages_after_an_encrypted_one_is_no_text(tmp_path: Path) -> None:
    # PDFium gives no error of its own for an empty page tree: the last one (a password) must not
    # be taken for this file's
    from reportlab.lib import pdfencrypt

    from tools import make_bad_inputs as mbi

    text = "THÔNG BÁO\nKết luận của Giám đốc Sở tại cuộc họp giao ban tháng 5 năm 2024"
    locked = mbi.canvas_pdf(text, tmp_path / "khoa.pdf", encrypt=pdfencrypt.StandardEncryption("mk", "chu"))
    codes = []
    for data in (locked.read_bytes(), mbi.ZERO_PAGE_PDF):
        with pytest.raises(DocumentError) as caught:
            extract_pdf(data, Settings())
        codes.append(caught.value.code)
    assert codes == ["encrypted_pdf", "no_text"]
