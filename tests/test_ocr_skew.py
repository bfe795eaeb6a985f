"""OCR of skewed office scans: header columns and body lines assembled as printed, and words
Tesseract scores 0 inside a printed line read again (extract/ocr_unsure.py)."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from ketluan.config import Settings
from ketluan.extract.lines import Word
from ketluan.extract.ocr import ocr_available, ocr_page
from ketluan.extract.ocr_unsure import UNSURE_MIN_CONFIDENCE, UnsureRun, reread_unsure

FONTS = Path("/usr/share/fonts/truetype/dejavu")
DPI = 200.0

needs_ocr = pytest.mark.skipif(bool(ocr_available(Settings())), reason="Tesseract 'vie' is not installed")
needs_fonts = pytest.mark.skipif(not (FONTS / "DejaVuSerif.ttf").exists(), reason="DejaVu fonts missing")

HEADER_LEFT = ["LIÊN MINH HTX VIỆT NAM", "LIÊN MINH HỢP TÁC XÃ", "TỈNH ĐỒNG THÁP"]
HEADER_RIGHT = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
BODY = [
    "Thời gian qua, các thành viên Ban Chỉ huy và UBND các phường, xã đã chủ động",
    "rà soát, cập nhật phương án ứng phó với thiên tai theo phương châm bốn tại chỗ;",
    "100% phường, xã đã kiện toàn Ban Chỉ huy PCTT và TKCN, phân công thành viên phụ",
    "trách từng địa bàn.",
]


def _scan(skew: float) -> np.ndarray:
    """An A4 page (header in two columns, a body paragraph) drawn by reportlab in DejaVu Serif,
    rasterized at DPI and turned by `skew` degrees with PIL, as an office scanner feeds it."""
    import pypdfium2 as pdfium
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("SkewSerif", str(FONTS / "DejaVuSerif.ttf")))
    pdfmetrics.registerFont(TTFont("SkewSerif-Bold", str(FONTS / "DejaVuSerif-Bold.ttf")))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    width, height = A4
    y = height - 60
    for k, (left, right) in enumerate(zip(HEADER_LEFT, [*HEADER_RIGHT, ""], strict=True)):
        c.setFont("SkewSerif-Bold" if k else "SkewSerif", 11)
        c.drawCentredString(150, y, left)
        if right:
            c.setFont("SkewSerif-Bold", 11)
            c.drawCentredString(420, y, right)
        y -= 15
    y -= 40
    c.setFont("SkewSerif", 12)
    for line in BODY:
        c.drawString(70, y, line)
        y -= 18
    c.save()
    pdf = pdfium.PdfDocument(buf.getvalue())
    image = pdf[0].render(scale=DPI / 72).to_pil().convert("RGB")
    pdf.close()
    turned = image.rotate(skew, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=(255, 255, 255))
    return np.array(turned)


@pytest.mark.slow
@needs_ocr
@needs_fonts
@pytest.mark.parametrize("skew", [1.4, -1.5, 0.7])
def test_ocr_skew_header_columns_and_body_lines(skew: float) -> None:
    page = ocr_page(_scan(skew), 1, DPI, Settings())
    left = [ln.text for ln in page.lines if ln.column == "left"]
    right = [ln.text for ln in page.lines if ln.column == "right"]
    body = [ln.text for ln in page.lines if not ln.column]
    assert left[:1] == ["LIÊN MINH HTX VIỆT NAM"]
    assert right[:1] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]
    # Every body line is one line, in the printed order, none split into two columns.
    assert len(body) == len(BODY)
    assert body[-1] == "trách từng địa bàn."
    assert body[2].startswith("100% phường") and "TKCN, phân công thành viên" in body[2]


def _word(text: str, x0: float, x1: float, confidence: float = 96.0) -> Word:
    return Word(text, x0, x1, 100.0, 130.0, size=30.0, confidence=confidence)


PAGE = np.full((300, 1200), 255, np.uint8)


@pytest.mark.parametrize(
    ("reading", "expected"),
    [
        # The crop reads clean print: its words replace the run's.
        ([_word("PCTT", 12.0, 140.0, 91.0)], ["PCTT"]),
        ([_word("VIỆT", 12.0, 80.0, 95.0), _word("NAM", 90.0, 150.0, 96.0)], ["VIỆT", "NAM"]),
        # The crop reading is unsure ("PCIT" 55) but sees one word: the page reading's letters, joined.
        ([_word("PCIT", 12.0, 140.0, 55.0)], ["PCTT"]),
        # Unsure and not one word over the run: dropped, as a seal's arc or a scribble is.
        ([_word("P", 12.0, 40.0, 30.0), _word("CIT", 60.0, 140.0, 40.0)], []),
        ([], []),
    ],
)
def test_ocr_skew_unsure_run_inside_line(reading: list[Word], expected: list[str]) -> None:
    run = UnsureRun(
        [_word("PC", 420.0, 470.0, 0.0), _word("TT", 478.0, 530.0, 0.0)],
        before=_word("huy", 320.0, 400.0),
        after=_word("và", 560.0, 610.0),
    )
    crops: list[tuple[int, int]] = []

    def read(crop: np.ndarray) -> list[Word]:
        crops.append(crop.shape[:2])
        return reading

    out = reread_unsure(PAGE, [run], read)
    assert [w.text for w in out] == expected
    assert len(crops) == 1 and crops[0][1] < 560 - 400 + 30  # only the hole between its neighbours
    assert all(w.size == 30.0 for w in out)
    if reading and reading[0].confidence >= UNSURE_MIN_CONFIDENCE:
        assert 400 < out[0].x0 < out[-1].x1 < 560  # placed back on the page


@pytest.mark.parametrize(
    ("text", "before", "after"),
    [
        ("„02", None, None),  # alone on its line
        ("„02", _word("CHỦ", 100.0, 180.0), None),  # at the end of a title line
        ("¡8Q", _word("thuộc,", 100.0, 180.0), _word("là!", 900.0, 960.0, 34.0)),  # beside a scribble
        (".,£7", _word("thuộc,", 100.0, 180.0), _word("TỊCH", 900.0, 960.0)),  # not a word
    ],
)
def test_ocr_skew_unsure_run_not_in_print_dropped(text: str, before: Word | None, after: Word | None) -> None:
    run = UnsureRun([_word(text, 700.0, 760.0, 0.0)], before=before, after=after)
    assert reread_unsure(PAGE, [run], lambda crop: [_word("02", 10.0, 60.0, 96.0)]) == []
