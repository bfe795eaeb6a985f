"""Signature block of a scan or a text page: the region under the signer's title read by OCR.

Regions are drawn by hand at 300 dpi (DejaVu Serif, Vietnamese names, scanner grain, a blue
signature stroke, a red seal's edge) and read with the real Tesseract 'vie' model.
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from ketluan.config import Settings
from ketluan.extract import image as prep
from ketluan.extract import ocr, tess

SERIF = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
SETTINGS = Settings(ocr_dpi=300)
PAPER = (226, 226, 222)


def grainy_region(size: tuple[int, int] = (940, 700), seed: int = 7) -> np.ndarray:
    """An RGB region of grey scanned paper with scanner grain and a few dark specks of dust."""
    rng = np.random.default_rng(seed)
    width, height = size
    region = np.empty((height, width, 3), np.uint8)
    region[:] = PAPER
    grain = rng.normal(0, 6, (height, width, 1))
    region = np.clip(region.astype(np.float64) + grain, 0, 255).astype(np.uint8)
    for y, x in zip(rng.integers(0, height, 150), rng.integers(0, width, 150), strict=True):
        region[y : y + 2, x : x + 2] = 60  # dust: 2 px specks
    return region


def print_text(region: np.ndarray, text: str, x: int, y: int, size: int = 50) -> np.ndarray:
    """`text` printed in black at (x, y), 12 pt DejaVu Serif at 300 dpi for size 50."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.fromarray(region)
    ImageDraw.Draw(image).text((x, y), text, font=ImageFont.truetype(SERIF, size), fill=(25, 25, 25))
    return np.array(image)


class CountingTess:
    """Counts the in-process Tesseract calls and the sizes of the images they get."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.shapes: list[tuple[int, ...]] = []
        original = tess.image_to_data

        def counted(image: np.ndarray, *args: object, **kw: object) -> dict[str, list[object]]:
            self.shapes.append(image.shape)
            return original(image, *args, **kw)  # type: ignore[arg-type]

        monkeypatch.setattr(tess, "image_to_data", counted)


def test_signature_region_of_grainy_paper_costs_no_ocr(monkeypatch: pytest.MonkeyPatch) -> None:
    # A signer region that holds only paper (the name is elsewhere, the seal's colour removed):
    # Tesseract's block mode read the grain as letters for ~1 s; now it is not asked at all.
    calls = CountingTess(monkeypatch)
    assert ocr.ocr_region(grainy_region(), 300.0, SETTINGS) == []
    assert calls.shapes == []


@pytest.mark.parametrize("name", ["Nguyễn Văn Thắng", "Phan Thị Hiếu", "Lê Đức Trọng"])
def test_signature_region_reads_the_name_in_the_box_of_its_ink(
    monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    region = print_text(grainy_region(), name, 260, 520)
    # a blue pen signature above the name
    cv2.ellipse(region, (470, 300), (160, 60), 10, 200, 520, (30, 60, 190), 5, cv2.LINE_AA)
    calls = CountingTess(monkeypatch)
    rows = ocr.ocr_region(region, 300.0, SETTINGS)
    assert name in [text for text, _ in rows]
    assert all(confidence > 60 for text, confidence in rows if text == name)
    # Tesseract got the letters' box (the signature stroke in the raw reading), not the region
    assert calls.shapes and all(h < 700 and w < 940 for h, w, *_ in calls.shapes)
    prepared_height = calls.shapes[0][0]  # the prepared reading: the blue stroke is paper there
    assert prepared_height < 200


@pytest.mark.parametrize("marks, expected", [
    ([], None),  # grain and 2 px dust only
    ([(100, 200, 30, 400)], (70, 160, 170, 630)),  # one line of 30 px letters (10 pt)
    ([(100, 200, 30, 400), (400, 50, 8, 8)], (70, 160, 170, 630)),  # and a full stop far away
    ([(100, 200, 30, 400), (400, 600, 14, 40)], (70, 444, 170, 670)),  # and a 14 px tall mark
])  # fmt: skip
def test_signature_ink_box_keeps_letters_and_drops_grain(
    marks: list[tuple[int, int, int, int]], expected: tuple[int, int, int, int] | None
) -> None:
    gray = cv2.cvtColor(grainy_region(), cv2.COLOR_RGB2GRAY)
    for top, left, height, width in marks:
        gray[top : top + height, left : left + width] = 30
    box = prep.ink_box(gray, 300.0)
    if expected is None:
        assert box is None
    else:  # 0.1 in of paper around the marks, give or take a grain touching them
        assert box is not None and all(abs(a - b) <= 2 for a, b in zip(box, expected, strict=True))


def test_signature_region_of_a_scan_is_drawn_once_for_both_readings(tmp_path: object) -> None:
    # The region under the title is read as a scan is, then for its red ink alone: pdfium draws
    # it (decoding the page's whole scanned image) once, and both readings get the same pixels.
    from pathlib import Path

    import pypdfium2 as pdfium
    from PIL import Image

    from ketluan.extract import signature

    page_pixels = grainy_region((1240, 1754))  # an A5-sized page at 150 dpi
    page_pixels = print_text(page_pixels, "Nguyễn Văn Bình", 500, 1200, 30)
    page_pixels[1150:1300, 420:560] = (200, 30, 40)  # the edge of a red seal
    path = Path(str(tmp_path)) / "scan.pdf"
    Image.fromarray(page_pixels).save(path, resolution=150.0)
    document = pdfium.PdfDocument(str(path))
    drawn: list[dict[str, object]] = []
    page = signature._RenderOnce(document[0])
    original = page.page.render

    def counted(**options: object) -> object:
        drawn.append(options)
        return original(**options)

    page.page.render = counted  # type: ignore[method-assign]
    height, width = page.page.get_height(), page.page.get_width()
    region = (200.0, 560.0, 320.0, 640.0)  # points: the name and the seal's edge
    first = signature._render_region(page, region, height, width, [], signature.NAME_DPI)
    again = signature._render_region(page, region, height, width, [], signature.NAME_DPI)
    larger = signature._render_region(page, region, height, width, [], signature.NAME_RETRY_DPI)
    page.close()
    fresh_document = pdfium.PdfDocument(str(path))
    fresh = signature._render_region(fresh_document[0], region, height, width, [], signature.NAME_DPI)
    fresh_document.close()
    document.close()
    assert len(drawn) == 2  # 300 dpi once for both readings, 450 dpi once
    assert first.shape == (332, 500, 3) and larger.shape == (500, 750, 3)  # 80 x 120 pt
    assert np.array_equal(first, again) and np.array_equal(first, fresh)
    assert first is not again  # each reading gets its own pixels to blank boxes in
    assert signature._red_only(first) is not None  # the seal's red is there for the second reading


# -- a text page: OCR under the title only where something is drawn --------------------------------

BODY = [
    "ỦY BAN NHÂN DÂN TỈNH NAM ĐỊNH",
    "THÔNG BÁO",
    "Kết luận của Giám đốc Sở tại cuộc họp giao ban tháng 5 năm 2024",
    "1. Tiến độ giải ngân vốn đầu tư công còn chậm so với kế hoạch đề ra.",
    "2. Phòng Kế hoạch chủ trì, phối hợp với các đơn vị đẩy nhanh tiến độ.",
    "3. Các phòng chuyên môn rà soát, báo cáo kết quả trước ngày 15 tháng 6.",
]


def _signed_page(path: object, under_title: str) -> object:
    """A one-page text PDF (DejaVu Serif) whose signer title "GIÁM ĐỐC" has no name under it in
    the text layer; `under_title` draws a "stroke" (a signature as vector paths), an "image"
    (a scanned signature) or "nothing" there."""
    from pathlib import Path

    from PIL import Image
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("DejaVuSerif", SERIF))
    out = Path(str(path))
    c = canvas.Canvas(str(out), pagesize=A4, invariant=1)
    width, height = A4
    c.setFont("DejaVuSerif", 12)
    for i, line in enumerate(BODY):
        c.drawString(60, height - 80 - 22 * i, line)
    c.drawCentredString(420, 420, "GIÁM ĐỐC")
    if under_title == "stroke":
        c.setLineWidth(1.5)
        c.bezier(370, 380, 400, 340, 430, 400, 470, 360)
    elif under_title == "image":
        ink = np.full((60, 200, 3), 255, dtype=np.uint8)
        ink[25:35, 20:180] = (20, 40, 160)
        c.drawImage(ImageReader(Image.fromarray(ink)), 340, 340, width=150, height=45)
    c.save()
    return out


@pytest.mark.parametrize("under_title, read", [("nothing", False), ("stroke", True), ("image", True)])
def test_signature_name_of_a_text_page_is_read_only_where_something_is_drawn(
    tmp_path: object, monkeypatch: pytest.MonkeyPatch, under_title: str, read: bool
) -> None:
    from pathlib import Path

    from ketluan.extract import signature
    from ketluan.extract.pdf import extract_pdf

    regions: list[object] = []

    def spy(page: object, region: object, *args: object) -> tuple[str, float]:
        regions.append(region)
        return "", 0.0

    monkeypatch.setattr(signature, "_read_name", spy)
    pdf = _signed_page(Path(str(tmp_path)) / f"{under_title}.pdf", under_title)
    pages, kind = extract_pdf(pdf.read_bytes(), SETTINGS)  # type: ignore[attr-defined]
    assert kind == "text_pdf"
    assert any(ln.text == "GIÁM ĐỐC" for ln in pages[0].lines)
    assert bool(regions) is read
