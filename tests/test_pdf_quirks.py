"""Tests of the PDF text-layer reader on born-digital PDFs as Vietnamese offices produce them: one
quirk of the producer per PDF (fake bold, /Rotate pages, glyphs placed one by one, Form XObjects,
hidden text, an OCR layer over a scan, decomposed marks, ligatures, an e-signature box), each read
through the whole pipeline and checked field by field and item by item. PDFs are drawn here with
reportlab in Liberation Serif 2."""

from __future__ import annotations

import copy
import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from ketluan.api import process
from ketluan.config import Settings
from ketluan.extract.pdf import extract_pdf
from ketluan.extract.pdf_quirks import Frame, direction, is_mark

LIBERATION = Path("/usr/share/fonts/truetype/liberation2")
A4 = (595.0, 842.0)


def _fonts() -> None:
    if "LQ" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("LQ", str(LIBERATION / "LiberationSerif-Regular.ttf")))
        pdfmetrics.registerFont(TTFont("LQ-Bold", str(LIBERATION / "LiberationSerif-Bold.ttf")))
        pdfmetrics.registerFont(TTFont("LQ-Italic", str(LIBERATION / "LiberationSerif-Italic.ttf")))


@dataclass
class _Op:
    """One string drawn: at (x, y) (display space, bottom-left origin), left or centred ("c");
    `justify` is the width a justified line spans."""

    x: float
    y: float
    text: str
    style: str = ""
    size: float = 13.0
    align: str = "l"
    justify: float = 0.0


BODY = [
    ("p", "Ngày 05 tháng 4 năm 2024, Chủ tịch Ủy ban nhân dân huyện Nghĩa Hưng chủ trì cuộc họp giao ban "
          "tháng 3/2024 với các phòng, ban chuyên môn. Sau khi nghe báo cáo và ý kiến của các đại biểu, Chủ "
          "tịch Ủy ban nhân dân huyện kết luận như sau:"),
    ("h", "1. Kết quả đạt được"),
    ("p", "Trong tháng 3/2024, các phòng, ban chuyên môn đã tập trung thực hiện tốt nhiệm vụ được giao; thu "
          "ngân sách trên địa bàn đạt 12,5 tỷ đồng, bằng 25% dự toán năm."),
    ("h", "2. Tồn tại, hạn chế"),
    ("p", "Tiến độ giải ngân vốn đầu tư công còn chậm, mới đạt 15% kế hoạch vốn được giao."),
    ("p", "Một số hồ sơ thủ tục hành chính về đất đai còn giải quyết trễ hạn so với quy định."),
    ("h", "3. Nhiệm vụ trọng tâm tháng 4/2024"),
    ("p", "- Phòng Tài chính - Kế hoạch chủ trì, phối hợp với các đơn vị liên quan đẩy nhanh tiến độ giải ngân "
          "vốn đầu tư công, báo cáo Ủy ban nhân dân huyện trước ngày 25/4/2024."),
    ("p", "- Văn phòng đăng ký đất đai rà soát, giải quyết dứt điểm các hồ sơ trễ hạn trong tháng 4/2024."),
    ("p", "Ủy ban nhân dân huyện thông báo để các cơ quan, đơn vị biết, thực hiện./."),
]  # fmt: skip
RECIPIENTS = ["- Thường trực Huyện ủy;", "- Các phòng, ban chuyên môn;", "- Lưu: VT."]

FIELDS = {
    "issuer": "ỦY BAN NHÂN DÂN HUYỆN NGHĨA HƯNG",
    "doc_number": "45/TB-UBND",
    "doc_type": "Thông báo",
    "title": "Kết luận của Chủ tịch Ủy ban nhân dân huyện Nghĩa Hưng tại cuộc họp giao ban tháng 3/2024",
    "place": "Nghĩa Hưng",
    "issue_date": "2024-04-10",
    "signer_title": "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH",
    "signer_name": "Trần Văn Bình",
    "recipients": "Thường trực Huyện ủy; Các phòng, ban chuyên môn; Lưu: VT",
    "is_conclusion": True,
}
ITEMS = [
    ("other", BODY[0][1]),
    ("result", BODY[2][1]),
    ("limitation", BODY[4][1]),
    ("limitation", BODY[5][1]),
    ("task", BODY[7][1][2:]),
    ("task", BODY[8][1][2:]),
    ("other", BODY[9][1]),
]


def _font(style: str) -> str:
    return {"b": "LQ-Bold", "bi": "LQ-Bold", "i": "LQ-Italic"}.get(style, "LQ")


def _wrap(text: str, size: float, first: float, width: float, style: str) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        room = first if not lines else width
        if current and pdfmetrics.stringWidth(candidate, _font(style), size) > room:
            lines.append(current)
            current = word
        else:
            current = candidate
    return [*lines, current]


def _layout(width: float = A4[0], height: float = A4[1], pages: int = 1) -> list[list[_Op]]:
    """The conclusion as strings to draw, page by page: the Nghị định 30/2020 header as two columns
    (agency | motto, number | place and date), the title, the body (first lines indented,
    paragraphs justified), "Nơi nhận:" left of the signer block."""
    _fonts()
    margin_left, margin_right = 85.0, 56.0
    block = width - margin_left - margin_right
    left_mid, right_mid = margin_left + 0.2 * block, margin_left + 0.7 * block
    out: list[list[_Op]] = [[]]
    ops = out[0]
    y = height - 60
    ops += [_Op(left_mid, y, "ỦY BAN NHÂN DÂN", "", 12, "c"),
            _Op(right_mid, y, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "b", 12, "c")]  # fmt: skip
    y -= 15
    ops += [_Op(left_mid, y, "HUYỆN NGHĨA HƯNG", "b", 12, "c"),
            _Op(right_mid, y, "Độc lập - Tự do - Hạnh phúc", "b", 13, "c")]  # fmt: skip
    y -= 26
    ops += [_Op(left_mid, y, "Số: 45/TB-UBND", "", 13, "c"),
            _Op(right_mid, y, "Nghĩa Hưng, ngày 10 tháng 4 năm 2024", "i", 13, "c")]  # fmt: skip
    centre = margin_left + block / 2
    y -= 42
    ops.append(_Op(centre, y, "THÔNG BÁO", "b", 14, "c"))
    for line in _wrap(FIELDS["title"], 14, block - 60, block - 60, "b"):  # type: ignore[arg-type]
        y -= 17
        ops.append(_Op(centre, y, line, "b", 14, "c"))
    y -= 12
    for k, (kind, text) in enumerate(BODY):
        if pages > 1 and k == 5:
            out.append([])
            ops, y = out[-1], height - 50
        style = "b" if kind == "h" else ""
        lines = _wrap(text, 13, block - 28, block, style)
        y -= 8
        for i, line in enumerate(lines):
            y -= 17
            x, span = (margin_left + 28, block - 28) if i == 0 else (margin_left, block)
            ops.append(_Op(x, y, line, style, 13, "l", span if i < len(lines) - 1 else 0.0))
    y -= 30
    ops += [_Op(margin_left, y, "Nơi nhận:", "bi", 12), _Op(right_mid, y, "KT. CHỦ TỊCH", "b", 13, "c"),
            _Op(right_mid, y - 15, "PHÓ CHỦ TỊCH", "b", 13, "c")]  # fmt: skip
    ops += [_Op(margin_left, y - 14 * (i + 1), r, "", 11) for i, r in enumerate(RECIPIENTS)]
    ops.append(_Op(right_mid, y - 100, "Trần Văn Bình", "b", 13, "c"))
    return out


def _start(op: _Op, font: str) -> float:
    return op.x - pdfmetrics.stringWidth(op.text, font, op.size) / 2 if op.align == "c" else op.x


def _draw(c: canvas.Canvas, op: _Op, quirk: str = "") -> None:
    """Draw one string as a producer with `quirk` does."""
    font = _font(op.style)
    text = unicodedata.normalize("NFD", op.text) if quirk == "nfd" else op.text
    if quirk == "fake_bold" and "b" in op.style:  # the regular face printed three times, 0.3 pt apart
        c.setFont("LQ", op.size)
        for dx, dy in ((0.0, 0.0), (0.3, 0.0), (0.3, 0.25)):
            c.drawString(_start(op, "LQ") + dx, op.y + dy, text)
        return
    c.setFont(font, op.size)
    x = _start(op, font)
    if quirk == "glyph_by_glyph":  # every glyph at its own position, kerned tight, no space glyph
        for char in text:
            if char != " ":
                c.drawString(x, op.y, char)
            x += pdfmetrics.stringWidth(char, font, op.size) - (0.25 if char != " " else 0.6)
    elif quirk == "justified" and op.justify:  # word by word, the word gaps stretched to the margin
        words = text.split(" ")
        natural = sum(pdfmetrics.stringWidth(w, font, op.size) for w in words)
        gap = (op.justify - natural) / max(len(words) - 1, 1)
        for word in words:
            c.drawString(x, op.y, word)
            x += pdfmetrics.stringWidth(word, font, op.size) + gap
    else:
        c.drawString(x, op.y, text)


def _pdf(quirk: str = "", size: tuple[float, float] = A4, pages: int = 1) -> bytes:
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=size)
    for page in _layout(*size, pages=pages):
        for op in page:
            _draw(c, op, quirk)
        c.showPage()
    c.save()
    return buffer.getvalue()


def _rotated_pdf(rotation: int) -> bytes:
    """A portrait page stored as landscape media with /Rotate 90 or 270, its content drawn turned
    by a rotation matrix so that it reads upright."""
    buffer = io.BytesIO()
    width, height = A4
    c = canvas.Canvas(buffer, pagesize=A4)  # with /Rotate, reportlab writes the media box turned
    c.setPageRotation(rotation)
    for op in _layout()[0]:
        c.saveState()
        if rotation == 90:
            c.transform(0, 1, -1, 0, height, 0)  # display (X, Y) -> user (842 - Y, X)
        else:
            c.transform(0, -1, 1, 0, 0, width)  # display (X, Y) -> user (Y, 595 - X)
        _draw(c, op)
        c.restoreState()
    c.showPage()
    c.save()
    return buffer.getvalue()


def _form_pdf() -> bytes:
    """The whole page drawn inside one Form XObject."""
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4)
    c.beginForm("trang1")
    for op in _layout()[0]:
        _draw(c, op)
    c.endForm()
    c.doForm("trang1")
    c.showPage()
    c.save()
    return buffer.getvalue()


HIDDEN = ["QUYẾT ĐỊNH", "99/QĐ-UBND", "Kế hoạch tổ chức hội nghị", "VanBan", "Bản thảo"]


def _hidden_pdf() -> bytes:
    """White text (a type word, a number), render-mode-3 text over no picture, and a printer's
    line and a note outside the crop box."""
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4)
    c.setCropBox((20, 20, 575, 822))
    for op in _layout()[0]:
        _draw(c, op)
    c.setFillColorRGB(1, 1, 1)
    c.setFont("LQ-Bold", 14)
    c.drawCentredString(310, 700, "QUYẾT ĐỊNH")
    c.setFont("LQ", 13)
    c.drawString(85, 400, "Số: 99/QĐ-UBND ngày 01 tháng 01 năm 2020 về việc phê duyệt dự toán")
    c.setFillColorRGB(0, 0, 0)
    text = c.beginText(85, 300)
    text.setTextRenderMode(3)
    text.setFont("LQ", 13)
    text.textLine("Kế hoạch tổ chức hội nghị tổng kết năm 2023 của Ủy ban nhân dân huyện")
    c.drawText(text)
    c.setFont("LQ", 9)
    c.drawString(30, 8, "D:\\VanBan\\2024\\TB45-giaoban-thang3.docx - in thử 10/4/2024 14:02")
    c.drawString(580, 500, "Bản thảo")
    c.showPage()
    c.save()
    return buffer.getvalue()


def _marks_pdf() -> bytes:
    """Non-breaking spaces in the header (as Word keeps "Số:\u00a045"), soft hyphens inside
    syllables and an "ﬁ" ligature in a recipient."""
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4)
    for op in _layout()[0]:
        op = copy.copy(op)
        for old, new in [("Số: ", "Số:\u00a0"), ("ngày 10 tháng 4 năm", "ngày\u00a010\u00a0tháng\u00a04\u00a0năm"),
                         ("KT. CHỦ", "KT.\u00a0CHỦ"), ("hiện", "hi\u00adện"), ("hồ sơ", "hồ\u00a0sơ"),
                         ("- Lưu: VT.", "- Lưu: VT, ﬁle điện tử.")]:  # fmt: skip
            op.text = op.text.replace(old, new)
        _draw(c, op)
    c.showPage()
    c.save()
    return buffer.getvalue()


def _esigned_pdf() -> bytes:
    """Two pages with the footer "Trang N/2", and the e-signature box drawn over the signer block."""
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4)
    pages = _layout(pages=2)
    for n, page in enumerate(pages, 1):
        for op in page:
            _draw(c, op)
        c.setFont("LQ", 11)
        c.drawCentredString(A4[0] / 2, 30, f"Trang {n}/{len(pages)}")
        if n == len(pages):
            title = next(op for op in page if op.text == "PHÓ CHỦ TỊCH")
            x, y = title.x - 40, title.y - 75
            c.setStrokeColorRGB(0.8, 0, 0)
            c.setFillColorRGB(0.8, 0, 0)
            c.rect(x, y, 170, 52, stroke=1, fill=0)
            c.setFont("LQ", 8)
            for k, line in enumerate(["Ký bởi: Ủy ban nhân dân huyện Nghĩa Hưng", "Cơ quan: Tỉnh Nam Định",
                                      "Thời gian ký: 10.04.2024 15:30:12 +07:00"]):  # fmt: skip
                c.drawString(x + 4, y + 40 - 11 * k, line)
            c.setFillColorRGB(0, 0, 0)
        c.showPage()
    c.save()
    return buffer.getvalue()


def _strip_marks(text: str) -> str:
    bare = "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))
    return bare.replace("đ", "d").replace("Đ", "D")


def _ocr_layer_pdf(lost_marks: bool = False) -> bytes:
    """The page as a 200 dpi picture with another tool's invisible OCR layer over it: one text
    object per word in render mode 3, stretched to the word's box (as OCR tools lay it)."""
    import pypdfium2 as pdfium
    from reportlab.lib.utils import ImageReader

    document = pdfium.PdfDocument(_pdf())
    picture = document[0].render(scale=200 / 72).to_pil().convert("L")
    document.close()
    jpeg = io.BytesIO()
    picture.save(jpeg, format="JPEG", quality=85)
    jpeg.seek(0)
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4)
    c.drawImage(ImageReader(jpeg), 0, 0, width=A4[0], height=A4[1])
    for op in _layout()[0]:
        font = _font(op.style)
        x = _start(op, font)
        for word in op.text.split(" "):
            span = pdfmetrics.stringWidth(word, font, op.size)
            shown = _strip_marks(word) if lost_marks else word
            text = c.beginText()
            text.setTextRenderMode(3)
            text.setFont("LQ", op.size)
            text.setHorizScale(100.0 * span / max(pdfmetrics.stringWidth(shown, "LQ", op.size), 0.1))
            text.setTextOrigin(x, op.y)
            text.textOut(shown)
            c.drawText(text)
            x += span + pdfmetrics.stringWidth(" ", font, op.size)
    c.showPage()
    c.save()
    return buffer.getvalue()


QUIRKS = {
    "plain": lambda: _pdf(),
    "fake_bold": lambda: _pdf("fake_bold"),
    "glyph_by_glyph": lambda: _pdf("glyph_by_glyph"),
    "justified": lambda: _pdf("justified"),
    "nfd": lambda: _pdf("nfd"),
    "landscape": lambda: _pdf(size=(A4[1], A4[0]), pages=2),
    "rotate_90": lambda: _rotated_pdf(90),
    "rotate_270": lambda: _rotated_pdf(270),
    "form_xobject": _form_pdf,
    "hidden_text": _hidden_pdf,
    "nbsp_soft_hyphen_ligature": _marks_pdf,
    "esign_box_and_footer": _esigned_pdf,
    "ocr_layer_over_scan": _ocr_layer_pdf,
}


@pytest.mark.parametrize("quirk", list(QUIRKS))
def test_pdf_quirks_fields_and_items_as_from_a_plain_pdf(quirk: str, tmp_path: Path) -> None:
    path = tmp_path / f"tb45_{quirk}.pdf"
    path.write_bytes(QUIRKS[quirk]())
    doc = process(path)
    assert doc.status == "ok", doc.error
    assert doc.input_kind == "text_pdf"
    expected = dict(FIELDS)
    if quirk == "nbsp_soft_hyphen_ligature":
        expected["recipients"] = "Thường trực Huyện ủy; Các phòng, ban chuyên môn; Lưu: VT, file điện tử"
    assert {name: getattr(doc.fields, name) for name in FIELDS} == expected
    assert [(item.category, item.text) for item in doc.items] == ITEMS


@pytest.mark.parametrize("quirk", ["plain", "fake_bold", "rotate_90", "form_xobject"])
def test_pdf_quirks_header_title_and_headings_read_bold(quirk: str) -> None:
    pages, kind = extract_pdf(QUIRKS[quirk](), Settings(ocr=False))
    bold = {ln.text for ln in pages[0].lines if ln.bold}
    assert kind == "text_pdf"
    assert {"HUYỆN NGHĨA HƯNG", "THÔNG BÁO", "1. Kết quả đạt được", "KT. CHỦ TỊCH", "Trần Văn Bình"} <= bold
    assert not {"ỦY BAN NHÂN DÂN", "Số: 45/TB-UBND", "- Lưu: VT."} & bold
    assert all("THÔNG BÁOTHÔNG" not in ln.text and "TTHH" not in ln.text for ln in pages[0].lines)


@pytest.mark.parametrize("rotation", [90, 270])
def test_pdf_quirks_rotated_page_lines_in_the_frame_a_reader_sees(rotation: int) -> None:
    pages, _ = extract_pdf(_rotated_pdf(rotation), Settings(ocr=False))
    page = pages[0]
    header = [(ln.text, ln.column) for ln in page.lines[:6]]
    assert (page.width, page.height) == A4
    assert header[:3] == [
        ("ỦY BAN NHÂN DÂN", "left"),
        ("HUYỆN NGHĨA HƯNG", "left"),
        ("Số: 45/TB-UBND", "left"),
    ]
    assert header[3] == ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "right")


def test_pdf_quirks_hidden_and_cropped_text_is_not_read() -> None:
    pages, _ = extract_pdf(_hidden_pdf(), Settings(ocr=False))
    text = "\n".join(ln.text for ln in pages[0].lines)
    assert "THÔNG BÁO" in text
    assert [h for h in HIDDEN if h in text] == []


@pytest.mark.slow
def test_pdf_quirks_ocr_layer_without_marks_is_ocred_again(tmp_path: Path) -> None:
    """A layer that lost its diacritics ("UY BAN NHAN DAN") is not used: the page is OCRed."""
    path = tmp_path / "tb45_ocr_layer_no_marks.pdf"
    path.write_bytes(_ocr_layer_pdf(lost_marks=True))
    doc = process(path)
    assert doc.input_kind == "scanned_pdf"
    for name in ("doc_number", "doc_type", "title", "place", "issue_date", "signer_title", "signer_name"):
        assert getattr(doc.fields, name) == FIELDS[name], name
    assert [item.category for item in doc.items] == [category for category, _ in ITEMS]


@pytest.mark.parametrize(
    ("quarter", "box", "expected"),
    [
        (0, (119.6, 779.4, 128.3, 792.2), (119.6, 49.8, 128.3, 62.6)),  # "Ủ" of "ỦY BAN", upright A4
        (1, (49.8, 119.6, 62.6, 128.3), (119.6, 49.8, 128.3, 62.6)),  # the same, /Rotate 90 media
        (3, (779.4, 466.7, 792.2, 475.4), (119.6, 49.8, 128.3, 62.6)),  # the same, /Rotate 270 media
    ],
)
def test_pdf_quirks_frame_turns_boxes_upright(
    quarter: int, box: tuple[float, float, float, float], expected: tuple[float, ...]
) -> None:
    media = (0.0, 0.0, 595.0, 842.0) if quarter == 0 else (0.0, 0.0, 842.0, 595.0)
    got = Frame(*media, quarter).box(*box)
    assert got == pytest.approx(expected, abs=0.05)


@pytest.mark.parametrize(
    ("matrix", "expected"),
    [
        ((1.0, 0.0), (0, True)),
        ((0.0, 1.0), (1, True)),
        ((-1.0, 0.0), (2, True)),
        ((0.0, -1.0), (3, True)),
        ((0.6428, 0.766), (1, False)),
        ((0.985, 0.174), (0, True)),
    ],  # fmt: skip
)
def test_pdf_quirks_direction_of_a_baseline(matrix: tuple[float, float], expected: tuple[int, bool]) -> None:
    assert direction(*matrix) == expected


@pytest.mark.parametrize(("char", "mark"), [("\u0302", True), ("\u0323", True), ("ệ", False), ("e", False)])
def test_pdf_quirks_is_mark(char: str, mark: bool) -> None:
    assert is_mark(char) is mark
