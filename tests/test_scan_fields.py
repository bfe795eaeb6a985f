"""OCR stage on office scans: the header number written by hand in blue pen, the closing block of
two columns ("Nơi nhận:" beside a stamped signer block), a syllable Tesseract gives twice.

Every page is drawn here with PIL (DejaVu Serif, 300 dpi, a grey paper tone, blue pen digits,
a red seal ring, a blue signature) and read by the real Tesseract ('vie').
"""

from __future__ import annotations

import math
import unicodedata

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont
from rapidfuzz import fuzz

from ketluan.config import Settings
from ketluan.extract import ocr, ocr_closing, slots
from ketluan.extract.lines import Word
from ketluan.metadata.signer import _join_rows, read_recipients, read_signer
from ketluan.records import Line, Page

SETTINGS = Settings(ocr_dpi=300)
DPI = 300
FONT_DIR = "/usr/share/fonts/truetype/dejavu/"
PAPER = (244, 242, 238)
BLACK = (20, 20, 20)
PEN = (28, 48, 150)  # a blue ballpoint, dark enough that its core has its brightest channel < 120
DARK_PEN = (20, 30, 112)
RED = (205, 35, 45)
# One stroke list per digit, in a 0-1 box (x right, y down): a careful upright hand.
HAND = {
    "0": [[(0.5 + 0.42 * math.cos(a / 8 * math.pi), 0.5 + 0.5 * math.sin(a / 8 * math.pi)) for a in range(17)]],
    "1": [[(0.2, 0.25), (0.55, 0.0), (0.55, 1.0)]],
    "5": [[(0.9, 0.02), (0.25, 0.02), (0.18, 0.45), (0.55, 0.38), (0.88, 0.58), (0.84, 0.86), (0.5, 1.0),
           (0.08, 0.9)]],
    "6": [[(0.8, 0.04), (0.42, 0.12), (0.14, 0.55), (0.2, 0.92), (0.55, 1.0), (0.86, 0.8), (0.7, 0.52),
           (0.36, 0.5), (0.15, 0.65)]],
    "8": [[(0.5 + 0.4 * math.sin(2 * a / 16 * math.pi), 0.5 - 0.5 * math.cos(a / 16 * math.pi)) for a in range(33)]],
}  # fmt: skip


def pt(points: float) -> int:
    """Points to pixels at 300 dpi."""
    return round(points * DPI / 72)


def font(size: float, style: str = "") -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(f"{FONT_DIR}DejaVuSerif{style}.ttf", pt(size))


def page_image(height_pt: float = 300) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("RGB", (pt(595), pt(height_pt)), PAPER)
    return image, ImageDraw.Draw(image)


def write_digits(pixels: np.ndarray, digits: str, x: int, baseline: int, height: int,
                 color: tuple[int, int, int] = PEN) -> None:  # fmt: skip
    """Blue pen digits, slightly slanted, their bottom on `baseline` (multiplied: print under the
    pen stays dark, as ink on toner does)."""
    layer = np.full_like(pixels, 255)
    width, gap = int(height * 0.58), int(height * 0.14)
    for ch in digits:
        for stroke in HAND[ch]:
            pts = np.array(
                [(x + (px + 0.15 * (1 - py)) * width, baseline - height + py * height) for px, py in stroke]
            )
            cv2.polylines(
                layer, [pts.round().astype(np.int32)], False, color, max(3, height // 14), cv2.LINE_AA
            )
        x += width + gap
    pixels[:] = (pixels.astype(np.float32) * layer.astype(np.float32) / 255).astype(np.uint8)


def seal(pixels: np.ndarray, center: tuple[int, int], radius: int) -> None:
    """A red seal: two rings and a star, drawn over whatever is there (multiplied, as ink is)."""
    layer = np.full_like(pixels, 255)
    cv2.circle(layer, center, radius, RED, max(3, radius // 16), cv2.LINE_AA)
    cv2.circle(layer, center, int(radius * 0.7), RED, max(2, radius // 34), cv2.LINE_AA)
    for k in range(12):  # the ring's letters, as blobs
        a = 2 * math.pi * k / 12
        c = (int(center[0] + 0.85 * radius * math.cos(a)), int(center[1] + 0.85 * radius * math.sin(a)))
        cv2.ellipse(layer, c, (radius // 14, radius // 10), math.degrees(a), 0, 360, RED, -1, cv2.LINE_AA)
    pixels[:] = (pixels.astype(np.float32) * layer.astype(np.float32) / 255).astype(np.uint8)


def read(pixels: np.ndarray) -> Page:
    return ocr.ocr_page(pixels, 1, DPI, SETTINGS)


def texts(page: Page) -> list[str]:
    return [unicodedata.normalize("NFC", line.text) for line in page.lines]


# ---------------------------------------------------------------- the number written by hand


@pytest.mark.parametrize(
    ("before", "after", "digits", "color", "expected"),
    [
        # a State number: the pen's "1085" runs over the colon of "Số:" and the slash
        ("Số:", "/QĐ-UBND", "1085", PEN, "Số:1085/QĐ-UBND"),
        # a Party number (Hướng dẫn 36-HD/VPTW): no colon, a dash; a darker pen
        ("Số", "-TB/TU", "618", DARK_PEN, "Số618-"),  # (a stroke over the "T" may read it "I")
    ],
)
def test_scan_fields_handwritten_number(
    before: str, after: str, digits: str, color: tuple[int, int, int], expected: str
) -> None:
    image, draw = page_image(140)
    draw.text((pt(120), pt(40)), "ỦY BAN NHÂN DÂN", font=font(13, "-Bold"), fill=BLACK)
    f = font(13)
    draw.text((pt(130), pt(80)), before, font=f, fill=BLACK)
    blank_x = pt(130) + int(draw.textlength(before, font=f)) + pt(6)
    draw.text((blank_x + pt(50), pt(80)), after, font=f, fill=BLACK)
    draw.text((pt(330), pt(80)), "Hà Nội, ngày 12 tháng 5 năm 2021", font=font(13, "-Italic"), fill=BLACK)
    pixels = np.array(image)
    # handwriting taller than print, starting over the end of "Số:" and running over the slash
    write_digits(pixels, digits, blank_x - pt(5), pt(80) + pt(14), pt(22), color)
    page = read(pixels)
    joined = [t.replace(" ", "") for t in texts(page)]
    assert any(expected in t for t in joined), texts(page)
    assert ocr.handwriting(page)["number"][0] == digits


def test_scan_fields_without_pen() -> None:
    """A pen stroke, its pale fringe and a dark speck of its core become paper; print stays."""
    inked = np.full((60, 200), 250, np.uint8)
    inked[20:40, 20:60] = 25  # print
    inked[10:50, 100:110] = 60  # a pen stroke as the plain grey page shows it
    clean = inked.copy()
    clean[10:50, 100:110] = 250  # the cleaning made it paper ...
    clean[29:31, 104:106] = 40  # ... but for a dark speck of its core
    clean[10:50, 110:112] = 200  # and its pale fringe
    out = slots._without_pen(clean, inked)
    assert int(out[30, 105]) == 255 and int(out[30, 111]) == 255
    assert int(out[30, 40]) == 25


@pytest.mark.parametrize(
    ("shares", "tesseract", "expected"),
    [
        ([("6", 78.4), ("1", 100.0), ("8", 100.0)], "615", "618"),  # both agree on the doubtful "6"
        ([("6", 78.4), ("1", 100.0), ("8", 100.0)], "518", ""),  # they disagree: not read
        ([("6", 78.4), ("1", 100.0), ("8", 100.0)], "61", ""),  # digits missing: not read
        ([("6", 40.0), ("1", 100.0), ("8", 100.0)], "618", ""),  # too doubtful to ask
    ],
)
def test_scan_fields_second_opinion(
    monkeypatch: pytest.MonkeyPatch, shares: list[tuple[str, float]], tesseract: str, expected: str
) -> None:
    pen = np.zeros((60, 200), np.uint8)
    for k in range(len(shares)):
        pen[10:50, 20 + 50 * k : 40 + 50 * k] = 1
    answers = iter(shares)
    monkeypatch.setattr(slots, "classify_digit", lambda blob: next(answers))
    monkeypatch.setattr(slots, "_tesseract_digits", lambda pen, lang: tesseract)
    assert slots._read(pen, "number", 50.0)[0] == expected


# ---------------------------------------------------------------- the closing block

RECIPIENTS = ["- Như Điều 3;", "- Ban Chỉ huy PCTT và TKCN tỉnh (b/c);", "- TT. Huyện ủy, TT. HĐND huyện (b/c);",
              "- Chủ tịch, các PCT UBND huyện;", "- Lưu: VT, NN."]  # fmt: skip
SIGNER = ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]


def closing_page() -> np.ndarray:
    """ "Nơi nhận:" in 12 pt bold italic and its lines in 11 pt on the left; the signer block in
    13 pt bold on the right, on other baselines, a red seal over its left half and a signature."""
    image, draw = page_image(330)
    draw.text((pt(90), pt(30)), "thi hành Quyết định này./.", font=font(13), fill=BLACK)
    draw.text((pt(85), pt(70)), "Nơi nhận:", font=font(12, "-BoldItalic"), fill=BLACK)
    for k, line in enumerate(RECIPIENTS):
        draw.text((pt(85), pt(84 + 12.5 * k)), line, font=font(11), fill=BLACK)
    for k, line in enumerate(SIGNER):
        f = font(13, "-Bold")
        draw.text((pt(430) - draw.textlength(line, font=f) / 2, pt(68 + 16.5 * k)), line, font=f, fill=BLACK)
    draw.text((pt(430) - draw.textlength("Trần Văn Hưng", font=font(13, "-Bold")) / 2, pt(190)),
              "Trần Văn Hưng", font=font(13, "-Bold"), fill=BLACK)  # fmt: skip
    pixels = np.array(image)
    seal(pixels, (pt(385), pt(115)), pt(55))
    xs = np.linspace(pt(380), pt(500), 60)
    ys = pt(150) + np.sin(np.linspace(0, 18, 60)) * pt(14)
    cv2.polylines(pixels, [np.stack([xs, ys], 1).astype(np.int32)], False, PEN, 3, cv2.LINE_AA)
    return pixels


@pytest.fixture(scope="module")
def closing() -> Page:
    return read(closing_page())


def test_scan_fields_closing_columns(closing: Page) -> None:
    """Each recipient line and each title line is a line of its own (11 pt small print may lose a
    character: "(b/©)")."""
    got = texts(closing)
    for line in RECIPIENTS:
        assert max(fuzz.ratio(line, t) for t in got) >= 85, (line, got)
    assert SIGNER[1] in got, got  # "KT. CHỦ TỊCH" beside "- Như Điều 3;", under the seal
    assert " ".join(t for t in got if t.isupper()).startswith(" ".join(SIGNER)), got


def test_scan_fields_closing_recipients_and_signer(closing: Page) -> None:
    start = next(k for k, line in enumerate(closing.lines) if line.text.startswith("Nơi nhận"))
    left = [line for line in closing.lines[start:] if line.x0 < 300]
    recipients, _ = read_recipients(left)
    expected = ["Như Điều 3", "Ban Chỉ huy PCTT và TKCN tỉnh (b/c)", "TT. Huyện ủy, TT. HĐND huyện (b/c)",
                "Chủ tịch, các PCT UBND huyện", "Lưu: VT, NN"]  # fmt: skip
    assert len(recipients) == len(expected), recipients
    assert all(fuzz.ratio(a, b) >= 80 for a, b in zip(recipients, expected, strict=True)), recipients
    right = [line.text for line in _join_rows([line for line in closing.lines if line.x0 >= 300])]
    assert read_signer(right) == ("TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH", "Trần Văn Hưng")


@pytest.mark.parametrize(
    ("columns", "expected"),
    [
        ([(10, 80), (140, 190)], 110),  # the widest white run in the middle
        ([(10, 190)], None),  # one column: no gap
        ([(10, 95), (100, 190)], None),  # a gap narrower than the minimum
    ],
)
def test_scan_fields_column_gap(columns: list[tuple[int, int]], expected: int | None) -> None:
    block = np.full((50, 200), 255, np.uint8)
    for x0, x1 in columns:
        block[10:40, x0:x1] = 0
    assert ocr_closing._column_gap(block, 20) == expected


# ---------------------------------------------------------------- a syllable given twice


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ([("Tỉnh", 100, 150), ("ủ", 160, 175), ("ủy", 163, 190)], ["Tỉnh", "ủy"]),  # the fragment overlaps
        ([("Tỉnh", 100, 150), ("ủ", 160, 175), ("Ủy", 163, 190)], ["Tỉnh", "Ủy"]),
        ([("ba", 100, 130), ("bao", 140, 190)], ["ba", "bao"]),  # side by side: two words
        ([("vụ", 100, 130), ("Tỉnh", 120, 190)], ["vụ", "Tỉnh"]),  # overlapping, but not a fragment
        ([("u\u0309", 160, 175), ("u\u0309y", 163, 190)], ["u\u0309y"]),  # NFD
    ],
)
def test_scan_fields_doubled_syllable(words: list[tuple[str, int, int]], expected: list[str]) -> None:
    row = [Word(text, x0, x1, 50, 80) for text, x0, x1 in words]
    assert [w.text for w in ocr_closing.without_doubled(row, [(1, 1, 1)] * len(row))] == expected


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        # a recipient wrapped before its end: the capitals "TW;" end it, no signer line
        (
            ["Nơi nhận:", "- Sở NN&PTNT các tỉnh, TP trực thuộc", "TW;", "- Lưu: VT, VP."],
            ["Sở NN&PTNT các tỉnh, TP trực thuộc TW", "Lưu: VT, VP"],
        ),
        # a finished recipient: a title line after it is the signer's, not a recipient
        (["Nơi nhận:", "- Như trên;", "TM. ỦY BAN NHÂN DÂN", "- Lưu: VT."], ["Như trên", "Lưu: VT"]),
        # the ";" lost, then "Lưu" without its dash: two recipients
        (
            ["Nơi nhận:", "- Chủ tịch, các PCT UBND huyện", "Lưu: VT, NN."],
            ["Chủ tịch, các PCT UBND huyện", "Lưu: VT, NN"],
        ),
    ],
)
def test_scan_fields_recipient_wrapped(lines: list[str], expected: list[str]) -> None:
    got, _ = read_recipients([Line(text=t, page=1, x0=85.0, top=200.0 + 12 * k) for k, t in enumerate(lines)])
    assert got == expected


def test_scan_fields_doubled_syllable_other_line() -> None:
    row = [Word("ủ", 160, 175, 50, 80), Word("ủy", 163, 190, 90, 120)]
    assert [w.text for w in ocr_closing.without_doubled(row, [(1, 1, 1), (1, 1, 2)])] == ["ủ", "ủy"]
