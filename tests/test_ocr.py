"""OCR stage: real Tesseract ('vie') on realistic scans rendered from a corpus document (d01).

Fixtures are generated in module-scoped fixtures (tools/scans.py): a text PDF of d01 rendered with
DejaVu Serif, rasterised into a scan with skew, blur, noise, JPEG, an upside-down page and a red
stamp over the signer; images (PNG, multi-page TIFF, a phone photo) from the same PDF.
"""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from pathlib import Path

import cv2
import numpy as np
import pypdfium2 as pdfium
import pytest
from rapidfuzz import fuzz
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph, Table, TableStyle

from ketluan.config import Settings
from ketluan.errors import DocumentError
from ketluan.extract import image as prep
from ketluan.extract import ocr, rulings, tess_cli
from ketluan.extract.lines import table_cells
from ketluan.items import sections_to_items
from ketluan.records import Fields, Line, Page
from ketluan.sections import body_to_sections
from tools import scans

STEM = "d01_vp_ubnd_tinh_giao_ban_thang"
SETTINGS = Settings(ocr_dpi=300)


def text_of(page: Page) -> str:
    return unicodedata.normalize("NFC", "\n".join(line.text for line in page.lines))


def flat(page: Page) -> str:
    return " ".join(text_of(page).split())


@pytest.fixture(scope="module")
def text_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return scans.render_corpus_pdf(STEM, tmp_path_factory.mktemp("ocr") / "d01.pdf")


@pytest.fixture(scope="module")
def scanned_pages(text_pdf: Path) -> list[Page]:
    """d01 scanned at 250 dpi: page 1 skewed 1.5°, page 2 upside down, page 3 stamped and signed."""
    scan = scans.make_scan(text_pdf, text_pdf.with_suffix(".scan.pdf"), dpi=250, rotate=-1.5, noise=6,
                           blur=0.8, jpeg_quality=60, upside_down_pages=(2,), stamp=True, seed=1)  # fmt: skip
    return ocr.ocr_pdf_pages(scan.read_bytes(), [1, 2, 3], SETTINGS)


# fmt: off
@pytest.mark.parametrize("expected", [
    "Số: 58/TB-VP",
    "Quảng Ngãi, ngày 08 tháng 4 năm 2024",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "THÔNG BÁO",
])
# fmt: on
def test_ocr_reads_header_lines_of_a_skewed_scan(scanned_pages: list[Page], expected: str) -> None:
    assert expected in text_of(scanned_pages[0]).splitlines()


# fmt: off
@pytest.mark.parametrize("page, sentence", [
    (1, "Trong tháng 3 và quý I năm 2024, tình hình kinh tế - xã hội của tỉnh tiếp tục ổn định và có bước phát triển"),
    (1, "Thu ngân sách nhà nước trên địa bàn quý I ước đạt 7.356 tỷ đồng, bằng 32,5% dự toán HĐND tỉnh giao."),
    (2, "Sở Tài chính: Theo dõi chặt chẽ tiến độ thu ngân sách, tham mưu các giải pháp chống thất thu"),
])
# fmt: on
def test_ocr_reads_body_sentences(scanned_pages: list[Page], page: int, sentence: str) -> None:
    assert fuzz.partial_ratio(sentence, flat(scanned_pages[page - 1])) >= 90


def test_ocr_turns_an_upside_down_page(scanned_pages: list[Page]) -> None:
    page = scanned_pages[1]
    assert page.source == "ocr" and page.ocr_confidence > 80
    assert "NHIỆM VỤ TRỌNG TÂM TRONG THỜI GIAN TỚI" in text_of(page)


def test_ocr_reads_the_signer_name_under_a_red_stamp(scanned_pages: list[Page]) -> None:
    lines = text_of(scanned_pages[2]).splitlines()
    assert "Võ Thị Thanh Hương" in lines
    assert "KT. CHÁNH VĂN PHÒNG" in lines


def test_ocr_page_records_geometry_confidence_and_columns(scanned_pages: list[Page]) -> None:
    page = scanned_pages[0]
    assert (page.number, page.source, page.error) == (1, "ocr", "")
    assert page.width == pytest.approx(595, abs=3) and page.height == pytest.approx(842, abs=3)
    assert 85 < page.ocr_confidence <= 100
    assert all(ln.origin == "ocr" and 0 <= ln.confidence <= 100 and 0 <= ln.x0 < ln.x1 <= page.width
               for ln in page.lines)  # fmt: skip
    columns = {ln.text: ln.column for ln in page.lines}
    assert columns["Số: 58/TB-VP"] == "left"
    assert columns["Quảng Ngãi, ngày 08 tháng 4 năm 2024"] == "right"


def test_ocr_estimates_bold_headings(scanned_pages: list[Page]) -> None:
    lines = {ln.text: ln for ln in scanned_pages[0].lines}
    assert lines["THÔNG BÁO"].bold and lines["THÔNG BÁO"].centered
    assert lines["I. ĐÁNH GIÁ CHUNG"].bold
    body = [ln for ln in scanned_pages[0].lines if not ln.column and len(ln.text) > 50]
    assert sum(ln.bold for ln in body) <= len(body) // 5


def test_ocr_reads_only_the_requested_page_of_a_mixed_pdf(text_pdf: Path, tmp_path: Path) -> None:
    scan = scans.make_scan(text_pdf, tmp_path / "scan.pdf", dpi=200, rotate=1.0, seed=3)
    mixed = pdfium.PdfDocument.new()
    mixed.import_pages(pdfium.PdfDocument(str(text_pdf)), [0])  # page 1: text layer
    mixed.import_pages(pdfium.PdfDocument(str(scan)), [2])  # page 2: scanned signer page
    mixed.save(str(tmp_path / "mixed.pdf"))
    pages = ocr.ocr_pdf_pages((tmp_path / "mixed.pdf").read_bytes(), [2], SETTINGS)
    assert [p.number for p in pages] == [2]
    assert "Võ Thị Thanh Hương" in text_of(pages[0]).splitlines()


def test_ocr_reads_a_png_image(text_pdf: Path, tmp_path: Path) -> None:
    png = scans.make_image(text_pdf, tmp_path / "page.png", pages=(1,), dpi=200)
    pages = ocr.ocr_images(png.read_bytes(), SETTINGS)
    assert len(pages) == 1 and pages[0].width == pytest.approx(595, abs=3)
    assert "Số: 58/TB-VP" in text_of(pages[0]).splitlines()


def test_ocr_reads_each_frame_of_a_multipage_tiff(text_pdf: Path, tmp_path: Path) -> None:
    tif = scans.make_image(text_pdf, tmp_path / "pages.tif", pages=(3, 1), dpi=200)
    pages = ocr.ocr_images(tif.read_bytes(), SETTINGS)
    assert [p.number for p in pages] == [1, 2]
    assert "Võ Thị Thanh Hương" in text_of(pages[0])
    assert "Số: 58/TB-VP" in text_of(pages[1])


def test_ocr_reads_a_phone_photo(text_pdf: Path, tmp_path: Path) -> None:
    photo = scans.make_photo(text_pdf, tmp_path / "photo.jpg", page=1, dpi=200, seed=2)
    page = ocr.ocr_images(photo.read_bytes(), SETTINGS)[0]
    assert page.width == pytest.approx(595, rel=0.08)
    assert fuzz.partial_ratio("Số: 58/TB-VP", flat(page)) >= 90
    assert fuzz.partial_ratio("Kết luận của Chủ tịch UBND tỉnh Trần Minh Khang tại cuộc họp giao ban", flat(page)) >= 90


def test_ocr_blank_page_gives_no_lines() -> None:
    rng = np.random.default_rng(0)
    blank = np.clip(rng.normal(235, 5, (2339, 1654)), 0, 255).astype(np.uint8)
    blank[rng.random(blank.shape) < 0.0005] = 60  # dust
    page = ocr.ocr_images(scans.image_bytes(blank, "PNG", dpi=200), SETTINGS)[0]
    assert (page.source, page.lines, page.error) == ("ocr", [], "")


def test_ocr_page_that_cannot_be_rendered_is_a_failed_page(text_pdf: Path) -> None:
    pages = ocr.ocr_pdf_pages(text_pdf.read_bytes(), [9], SETTINGS)
    assert pages[0].number == 9 and pages[0].source == "none"
    assert pages[0].error.startswith("ocr_failed: ")


# fmt: off
@pytest.mark.parametrize("lang, fragment", [
    ("xyz", "the Tesseract language model 'xyz' is missing"),
    ("vie+xyz", "apt-get install tesseract-ocr-xyz"),
])
# fmt: on
def test_ocr_available_names_a_missing_language(lang: str, fragment: str) -> None:
    assert ocr.ocr_available(Settings()) == ""
    assert fragment in ocr.ocr_available(Settings(ocr_lang=lang))


def test_ocr_unavailable_raises_document_error(text_pdf: Path) -> None:
    with pytest.raises(DocumentError) as err:
        ocr.ocr_pdf_pages(text_pdf.read_bytes(), [1], Settings(ocr_lang="xyz"))
    assert err.value.code == "ocr_unavailable" and "'xyz' is missing" in err.value.detail
    with pytest.raises(DocumentError, match="ocr_unavailable"):
        ocr.ocr_images(b"\x89PNG", Settings(ocr_lang="xyz"))


def test_ocr_available_says_when_tesseract_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr, "TESSERACT_CMD", "/nonexistent/tesseract")
    ocr._check_engine.cache_clear()
    try:
        assert ocr.ocr_available(Settings()).startswith("tesseract is not installed; run 'make setup'")
    finally:
        ocr._check_engine.cache_clear()


def test_ocr_images_rejects_bytes_that_are_not_an_image() -> None:
    with pytest.raises(DocumentError, match="corrupt_file"):
        ocr.ocr_images(b"%PDF-1.4 not an image", SETTINGS)


# Image preparation, on synthetic pages (fast, no OCR).


def synthetic_page(angle: float = 0.0) -> np.ndarray:
    """A white 1200×900 page with 20 dark text-like bars, turned by `angle` degrees."""
    page = np.full((1200, 900), 240, np.uint8)
    for k in range(20):
        y = 150 + 45 * k
        for x in range(100, 800, 70):
            cv2.rectangle(page, (x, y), (x + 55, y + 18), 30, -1)
    if angle:
        page = prep.rotate(page, angle)
    return page


@pytest.mark.parametrize("angle", [-3.0, -1.5, 1.0, 2.5])
def test_image_skew_angle_undoes_a_rotation(angle: float) -> None:
    assert prep.skew_angle(synthetic_page(angle)) == pytest.approx(-angle, abs=0.15)


def test_image_remove_color_ink_whitens_stamps_and_keeps_black_text() -> None:
    rgb = np.full((100, 100, 3), 235, np.uint8)
    rgb[10:20, 10:90] = 25  # black text
    rgb[40:60, 10:40] = (200, 30, 40)  # red stamp
    rgb[40:60, 60:90] = (30, 50, 170)  # blue signature
    rgb[14:16, 30:50] = (18, 2, 3)  # black text under the stamp stays dark
    gray = prep.remove_color_ink(rgb)
    assert gray[12, 50] < 60 and gray[15, 40] < 60
    assert gray[50, 20] > 200 and gray[50, 75] > 200


def test_image_normalize_background_evens_uneven_light() -> None:
    light = np.linspace(150, 250, 900, dtype=np.float32)[None, :].repeat(1200, axis=0)
    page = (synthetic_page().astype(np.float32) / 240 * light).astype(np.uint8)
    out = prep.normalize_background(page)
    paper = out[50:100, 50:850]
    assert paper.min() > 225 and out[155, 120] < 80


def test_image_despeckle_removes_dust_but_keeps_diacritic_dots() -> None:
    page = np.full((200, 200), 240, np.uint8)
    page[50, 50] = 20  # a speck
    page[100:107, 100:107] = 20  # the dot of "ị"
    out = prep.despeckle(page)
    assert out[50, 50] > 200 and out[103, 103] < 60


def test_image_remove_color_ink_cleans_a_thin_pen_stroke_and_a_seal_anywhere_on_the_page() -> None:
    # Ink is looked for on a sample of the pixels, then cleaned at full size around what was found:
    # a 3-pixel blue signature stroke and a red seal ring must go entirely, black text must stay.
    rgb = np.full((1600, 1200, 3), 236, np.uint8)
    cv2.putText(rgb, "KT. CHU TICH", (120, 200), cv2.FONT_HERSHEY_SIMPLEX, 2.0, (20, 20, 20), 5)
    cv2.ellipse(rgb, (820, 1200), (220, 60), 15, 0, 300, (35, 60, 185), 3)  # signature stroke
    cv2.circle(rgb, (330, 1150), 150, (205, 35, 45), 9)  # seal ring
    cv2.putText(rgb, "Nguyen Van A", (700, 1400), cv2.FONT_HERSHEY_SIMPLEX, 1.6, (15, 15, 15), 4)
    stroke = np.zeros(rgb.shape[:2], np.uint8)
    cv2.ellipse(stroke, (820, 1200), (220, 60), 15, 0, 300, 1, 3)
    cv2.circle(stroke, (330, 1150), 150, 1, 9)
    text = (rgb.max(axis=2) < 60) & (stroke == 0)
    gray = prep.remove_color_ink(rgb)
    assert gray[stroke > 0].min() > 200  # every pixel of the coloured ink became paper
    assert np.median(gray[text]) < 60 and text.sum() > 5000  # the black text kept its ink


def test_image_despeckle_counts_pixels_of_each_blob_exactly() -> None:
    page = np.full((400, 400), 240, np.uint8)
    cv2.circle(page, (100, 100), 30, 20, 6)  # the ring of an "o" ...
    page[99:101, 99:101] = 20  # ... with a 4-pixel speck in its hole
    page[200, 200:206] = 20  # six pixels in a row: still a speck at 300 dpi
    page[300, 300:307] = 20  # seven: kept
    page[250:253, 50:53] = 20  # a 3x3 dot (nine pixels): kept
    out = prep.despeckle(page, 300)
    assert out[100, 100] > 200 and out[200, 203] > 200
    assert out[300, 303] < 60 and out[251, 51] < 60 and out[100, 70] < 60
    assert out[251, 51] == page[251, 51]  # what is kept is not touched
    assert prep.despeckle(page, 600)[251, 51] > 200  # at 600 dpi nine pixels is a speck


def test_ocr_reads_the_inked_part_of_the_page_with_boxes_in_page_pixels(
    text_pdf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Tesseract gets the page cut to its ink (faster); the words come back where they are on
    # the whole page, with the same text, and a speck in the margin does not widen the cut.
    monkeypatch.setenv("OMP_THREAD_LIMIT", "1")  # as ocr_pdf_pages runs it (OpenMP threads fight on 2 cores)
    gray = prep.prepare_page(scans.rasterize(text_pdf, 200)[0])
    gray[20:23, 20:23] = 0  # a 3x3 speck near the top-left corner
    top, bottom, left, right = prep.content_box(gray, 200)
    assert top > 60 and left > 60 and (bottom - top) * (right - left) < 0.8 * gray.size
    cut, _ = ocr._read_page(gray, 200, "vie", ocr.DEFAULT_PSM, 60)
    whole, _ = ocr._read_words(gray, 200, "vie", ocr.DEFAULT_PSM, 60)
    assert [w.text for w in cut] == [w.text for w in whole] and len(cut) > 100
    assert max(abs(a.x0 - b.x0) + abs(a.top - b.top) for a, b in zip(cut, whole, strict=True)) <= 2


def test_ocr_page_image_file_is_an_uncompressed_tiff_with_its_resolution() -> None:
    from PIL import Image

    gray = synthetic_page()
    seen: dict[str, object] = {}

    def use(path: str) -> object:
        with Image.open(path) as image:
            seen.update(format=image.format, mode=image.mode, size=image.size,
                        dpi=tuple(round(float(v)) for v in image.info["dpi"]),
                        compression=image.info.get("compression"), pixels=np.array(image))  # fmt: skip
        return path

    path = tess_cli.with_image_file(gray, 250.4, use)
    assert (seen["format"], seen["mode"], seen["size"], seen["dpi"], seen["compression"]) == (
        "TIFF", "L", (900, 1200), (250, 250), "raw")  # fmt: skip
    assert np.array_equal(seen["pixels"], gray)
    assert not Path(str(path)).exists()  # removed after use


def test_image_crop_page_flattens_a_photo(text_pdf: Path) -> None:
    photo = scans.photograph(scans.rasterize(text_pdf, 100)[0], np.random.default_rng(0))
    page = prep.crop_page(photo).mean(axis=2)
    assert photo.mean(axis=2)[:5].mean() < 100  # the desk around the page is dark ...
    assert min(page[:5].mean(), page[-5:].mean(), page[:, :5].mean(), page[:, -5:].mean()) > 170  # ... and gone
    assert page.shape[0] / page.shape[1] == pytest.approx(297 / 210, rel=0.08)


# fmt: off
@pytest.mark.parametrize("read, expected", [
    ("Số: /QĐÐ-UBND", "Số: /QĐĐ-UBND"),  # eth U+00D0 → Đ U+0110
    ("ðồng chí", "đồng chí"),
])
# fmt: on
def test_ocr_maps_eth_look_alikes_to_vietnamese_d(read: str, expected: str) -> None:
    assert read.translate(ocr.ETH_TO_D) == expected


# -- ruled task tables on scans ----------------------------------------------------------------
TASK_ROWS = [
    ("1", "Rà soát quy hoạch sử dụng đất năm 2025", "Phòng Tài nguyên và Môi trường", "UBND các xã", "30/6/2025"),
    ("2", "Tổ chức đối thoại với doanh nghiệp về thủ tục đầu tư", "Văn phòng HĐND và UBND",
     "Phòng Kinh tế; Chi cục Thuế", "15/7/2025"),
    ("3", "Kiểm tra công tác phòng cháy, chữa cháy tại các chợ", "Công an huyện", "Ban Quản lý chợ", "31/8/2025"),
]  # fmt: skip


def _header(c: canvas.Canvas, top: float) -> None:
    """The Nghị định 30 motto with the short rule under "Độc lập - Tự do - Hạnh phúc"."""
    c.setFont("Serif-Bold", 12)
    c.drawCentredString(390, top, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    c.drawCentredString(390, top - 17, "Độc lập - Tự do - Hạnh phúc")
    c.setLineWidth(0.7)
    c.line(305, top - 22, 475, top - 22)


@pytest.fixture(scope="module")
def table_scan(tmp_path_factory: pytest.TempPathFactory) -> list[Page]:
    """A two-page scan at 250 dpi, skewed ±0.8°: page 1 the task table of an appendix ("Phụ lục"),
    drawn with 0.6 pt borders; page 2 only the motto, its underline and a paragraph."""
    scans._fonts()
    out = tmp_path_factory.mktemp("table")
    c = canvas.Canvas(str(out / "table.pdf"), pagesize=A4)
    _header(c, 790)
    c.setFont("Serif-Bold", 13)
    c.drawCentredString(297, 720, "PHỤ LỤC")
    c.drawCentredString(297, 702, "DANH MỤC NHIỆM VỤ")
    cell = ParagraphStyle("cell", fontName="Serif", fontSize=11, leading=14)
    head = ParagraphStyle("head", parent=cell, fontName="Serif-Bold")
    data = [[Paragraph(t, head) for t in ("STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời hạn")]]
    data += [[Paragraph(t, cell) for t in row] for row in TASK_ROWS]
    table = Table(data, colWidths=[42, 170, 110, 110, 70])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.6, "black"), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    _, h = table.wrapOn(c, 495, 600)
    table.drawOn(c, 50, 680 - h)
    c.showPage()
    _header(c, 790)
    c.setFont("Serif", 13)
    c.drawString(70, 700, "Ủy ban nhân dân huyện thông báo kết luận của Chủ tịch tại cuộc họp.")
    c.save()
    scan = scans.make_scan(out / "table.pdf", out / "table.scan.pdf", dpi=250, rotate=0.8, noise=5, seed=4)
    return ocr.ocr_pdf_pages(scan.read_bytes(), [1, 2], SETTINGS)


def test_ocr_task_table_rows_become_one_task_each(table_scan: list[Page]) -> None:
    rows = [ln for ln in table_scan[0].lines if ln.origin == "table"]
    assert [ln.table_row[0] for ln in rows if ln.table_row] == ["STT", "1", "2", "3"]
    lines = [Line("II. NHIỆM VỤ", origin="ocr"), *rows]
    sections, blocks = body_to_sections(lines)
    items = sections_to_items(sections, blocks, Fields(is_conclusion=True, issue_date="2025-06-01"),
                              Settings(textcat=False))  # fmt: skip
    assert [(i.category, i.actors, i.deadline) for i in items] == [
        ("task", "Phòng Tài nguyên và Môi trường; UBND các xã", "2025-06-30"),
        ("task", "Văn phòng HĐND và UBND; Phòng Kinh tế; Chi cục Thuế", "2025-07-15"),
        ("task", "Công an huyện; Ban Quản lý chợ", "2025-08-31"),
    ]
    for item, row in zip(items, TASK_ROWS, strict=True):
        assert fuzz.ratio(item.text, row[1]) >= 95


def test_ocr_header_underline_is_not_a_table(table_scan: list[Page]) -> None:
    lines = table_scan[1].lines
    assert lines and not any(ln.origin == "table" or ln.table_row for ln in lines)
    assert "Độc lập - Tự do - Hạnh phúc" in text_of(table_scan[1]).splitlines()
    # On the table page the motto and the title stay plain lines above the table.
    plain = [ln.text for ln in table_scan[0].lines if ln.origin == "ocr"]
    assert plain[:4] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "PHỤ LỤC",
                         "DANH MỤC NHIỆM VỤ"]  # fmt: skip


@pytest.mark.parametrize("skew", [0.0, 0.3, -0.4])
def test_image_find_rulings_gives_the_table_grid_not_text_or_stamp(skew: float) -> None:
    page = np.full((2000, 1500), 240, np.uint8)
    for k in range(12):  # lines of text, a grey round stamp, a signature stroke
        cv2.putText(page, "Phong Tai nguyen va Moi truong", (150, 150 + 40 * k), cv2.FONT_HERSHEY_SIMPLEX, 1.2, 20, 3)
    cv2.circle(page, (1100, 1700), 160, 60, 6)
    xs = np.arange(900, 1300)
    cv2.polylines(page, [np.stack([xs, 1650 + 30 * np.sin(xs / 25)], axis=1).astype(np.int32)], False, 40, 3)
    for y in (800, 900, 1100):
        page[y : y + 3, 150:1350] = 25
    for x in (150, 400, 1347):
        page[800:1103, x : x + 3] = 25
    page = prep.rotate(page, skew) if skew else page
    horizontal, vertical = rulings.find_rulings(page, 250)
    assert [round(y / 10) for _, _, y in sorted(horizontal, key=lambda h: h[2])] == [80, 90, 110]
    # The stamp's sides may look like short vertical strokes; they touch no border, so no table.
    pt = 72 / 250
    cells = table_cells([(a * pt, b * pt, y * pt) for a, b, y in horizontal],
                        [(x * pt, t * pt, b * pt) for x, t, b in vertical])  # fmt: skip
    assert [tuple(round(v / pt / 10) for v in c) for c in cells] == [
        (15, 80, 40, 90), (40, 80, 135, 90), (15, 90, 40, 110), (40, 90, 135, 110),
    ]


def test_image_find_rulings_skips_the_vertical_pass_without_row_borders() -> None:
    """Two horizontal rules (the motto's underline, a signature line) cannot make a table: the
    vertical pass is skipped, so a stamp's or a margin's vertical strokes are not even sought."""
    page = np.full((1400, 1000), 245, np.uint8)
    page[200:203, 350:650] = 25  # under "Độc lập - Tự do - Hạnh phúc"
    page[1200:1203, 600:900] = 25
    for x in (80, 500, 900):
        page[300:1100, x : x + 3] = 25  # long vertical strokes (a binding shadow, folds): the gate opens
    assert rulings.may_hold_table(page, 300)
    horizontal, vertical = rulings.find_rulings(page, 300)
    assert [round(y) for _, _, y in horizontal] == [201, 1201]
    assert vertical == []


# -- preparation gates: each step runs only where the page needs it ------------------------------

GATE_TEXT = [
    ("ỦY BAN NHÂN DÂN", 150, 120), ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 1150, 120),
    ("TỈNH QUẢNG NGÃI", 170, 190), ("Độc lập - Tự do - Hạnh phúc", 1300, 190),
    ("THÔNG BÁO KẾT LUẬN", 800, 420),
    ("1. Kết quả: lũy kế giải ngân vốn đầu tư công đạt 45,2% kế hoạch.", 150, 560),
    ("lãnh đạo các sở, ngành tập trung tháo gỡ khó khăn về mặt bằng;", 150, 640),
    ("lập tức báo cáo Ủy ban nhân dân tỉnh trước ngày 15 tháng 5.", 150, 720),
    ("l) Sở Tài nguyên và Môi trường chủ trì, phối hợp với các huyện.", 150, 800),
    ("l) Sở Xây dựng hướng dẫn thủ tục cấp phép xây dựng.", 150, 880),
    ("l) Ban Quản lý dự án đẩy nhanh tiến độ thi công.", 150, 960),
]  # fmt: skip
TASK_TABLE = [("STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Thời hạn"),
              ("1", "Rà soát quy hoạch", "Sở Xây dựng", "Quý III"),
              ("2", "Giải phóng mặt bằng", "UBND huyện", "30/6/2024")]  # fmt: skip


def gate_page(table: bool) -> np.ndarray:
    """A 300 dpi A4 page in DejaVu Serif: header, title, a body whose lines start with "l" one under
    the other (letters stacked in a column, not a border), and a ruled task table when asked."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("L", (2480, 3508), 245)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(SERIF, 50)
    for text, x, y in GATE_TEXT:
        draw.text((x, y), text, font=font, fill=20)
    draw.line([(1450, 262), (1900, 262)], fill=20, width=3)  # under "Độc lập - Tự do - Hạnh phúc"
    if table:
        xs, ys = [150, 330, 1150, 1800, 2330], [1200, 1300, 1400, 1500]
        for y in ys:
            draw.line([(xs[0], y), (xs[-1], y)], fill=20, width=3)
        for x in xs:
            draw.line([(x, ys[0]), (x, ys[-1])], fill=20, width=3)
        for row, y in zip(TASK_TABLE, ys, strict=False):
            for text, x in zip(row, xs, strict=False):
                draw.text((x + 20, y + 20), text, font=font, fill=20)
    return np.array(image)


@pytest.mark.parametrize("table, gate, cells", [(False, False, 0), (True, True, 12)])
def test_image_find_rulings_runs_only_where_a_table_grid_may_be(table: bool, gate: bool, cells: int) -> None:
    # A page of running text (a motto underline, letters "l" stacked at the margin) is passed over
    # by the cheap test on every 4th row; a task table's borders open it and are all found.
    page = gate_page(table)
    assert rulings.may_hold_table(page, 300) is gate
    horizontal, vertical = rulings.find_rulings(page, 300)
    assert len(table_cells(horizontal, vertical)) == cells
    if not table:
        assert (horizontal, vertical) == ([], [])
    else:
        assert [round(y) for _, _, y in horizontal] == [262, 1200, 1300, 1400, 1500]
        assert [round(x) for x, _, _ in vertical] == [150, 330, 1150, 1800, 2330]


NO_STEPS = prep.Preparation(crop_page=False, remove_color_ink=False, deskew=False, despeckle=False)


@pytest.mark.parametrize("paper, spread, flat, paper_out", [
    (255, 0, True, 255),   # white office paper: the page comes back as it is
    (228, 0, True, 255),   # evenly grey paper: one tone scaled to white
    (255, 3, False, 255),  # white paper a shade darker at one edge: divided by the background
    (228, 60, False, 254),  # light falling off across a photo: divided by the background
])  # fmt: skip
def test_image_background_is_divided_out_only_where_the_paper_varies(
    paper: int, spread: int, flat: bool, paper_out: int
) -> None:
    page = gate_page(False).astype(np.float32) / 245
    light = np.linspace(paper - spread, paper, page.shape[1], dtype=np.float32)[None, :]
    page = np.clip(page * light, 0, 255).astype(np.uint8)
    small = prep._background_small(page)
    assert (int(small.max()) - int(small.min()) <= prep.FLAT_PAPER_RANGE) is flat
    out = prep.prepare_page(page, NO_STEPS)
    divided = prep._divide(page, prep.paper_background(page))  # the step as it was, on every page
    assert np.array_equal(out, divided)
    assert int(np.median(out[2000:2200, 300:2000])) == paper_out  # blank paper under the body
    assert int(out[140:160, 150:600].min()) < 60  # "ỦY BAN NHÂN DÂN" stays black
    if flat and paper == 255:  # no division at all
        assert np.array_equal(out, page)


IMPORTS = """
import sys
import numpy as np
from ketluan.config import Settings
from ketluan.extract import ocr, tess
page = np.full((200, 1400), 250, np.uint8)
page[60:110, 100:1300:40] = 20
ocr.ocr_page(page, 1, 300, Settings())
print(tess.available("vie") == "", "pytesseract" in sys.modules, "pandas" in sys.modules)
"""


def test_ocr_in_process_engine_imports_no_pytesseract_nor_pandas() -> None:
    # pytesseract (and the pandas it imports, 0.4 s a process) is only the CLI fallback's.
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", IMPORTS], capture_output=True, text=True, timeout=120,
                          check=True)  # fmt: skip
    assert done.stdout.split() == ["True", "False", "False"]


# -- Tesseract in process, handwritten slots, text layers judged by what they say --------------

SERIF = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
INK = (20, 20, 20)
BLUE_PEN = (30, 60, 190)


def rendered_lines(lines: list[tuple[str, int, int]], size: tuple[int, int] = (2480, 700)) -> np.ndarray:
    """An RGB page at 300 dpi with Vietnamese text printed at (x, y) in 12 pt DejaVu Serif."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", size, (250, 250, 248))
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(SERIF, 50)
    for text, x, y in lines:
        draw.text((x, y), text, font=font, fill=INK)
    return np.array(image)


def test_ocr_tess_image_to_data_equals_pytesseract(tmp_path: Path) -> None:
    import pytesseract

    from ketluan.extract import tess

    line = "Ủy ban nhân dân tỉnh Quảng Ngãi kết luận như sau:"
    gray = cv2.cvtColor(rendered_lines([(line, 60, 40)], (1700, 160)), cv2.COLOR_RGB2GRAY)
    path = tmp_path / "line.tif"
    cv2.imwrite(str(path), gray, [cv2.IMWRITE_TIFF_RESUNIT, 2, cv2.IMWRITE_TIFF_XDPI, 300,
                                  cv2.IMWRITE_TIFF_YDPI, 300, cv2.IMWRITE_TIFF_COMPRESSION, 1])  # fmt: skip
    ours = tess.image_to_data(gray, 300, "vie", 7)
    theirs = pytesseract.image_to_data(str(path), lang="vie", config="--psm 7",
                                        output_type=pytesseract.Output.DICT)
    assert ours == theirs
    assert " ".join(t for t, level in zip(ours["text"], ours["level"], strict=True) if level == 5) == line


CLI_ONLY = """
import json, sys
import numpy as np
import pytesseract
from ketluan.config import Settings
from ketluan.extract import ocr, tess
calls = []
original = pytesseract.image_to_data
pytesseract.image_to_data = lambda *a, **k: calls.append(1) or original(*a, **k)
page = ocr.ocr_page(np.load(sys.argv[1]), 1, 300, Settings())
print(json.dumps({"lines": [ln.text for ln in page.lines], "cli_calls": len(calls),
                  "in_process": tess.available("vie")}))
"""


def test_ocr_page_reads_through_the_cli_when_libtesseract_is_switched_off(tmp_path: Path) -> None:
    import json
    import os
    import subprocess
    import sys

    page = rendered_lines([("THÔNG BÁO KẾT LUẬN", 700, 100), ("Ủy ban nhân dân huyện Krông Nô", 200, 300)])
    np.save(tmp_path / "page.npy", page)
    env = {**os.environ, "KETLUAN_LIBTESSERACT": "-"}
    done = subprocess.run([sys.executable, "-c", CLI_ONLY, str(tmp_path / "page.npy")], env=env,
                          capture_output=True, text=True, timeout=120, check=True)  # fmt: skip
    got = json.loads(done.stdout.strip().splitlines()[-1])
    assert got["lines"] == ["THÔNG BÁO KẾT LUẬN", "Ủy ban nhân dân huyện Krông Nô"]
    assert got["cli_calls"] >= 1 and "switched off" in got["in_process"]


def handwritten_header(number: str, day: str, month: str) -> np.ndarray:
    """A header of NĐ 30 with the number, day and month written in blue pen in the blank slots."""
    page = rendered_lines([
        ("ỦY BAN NHÂN DÂN", 200, 150), ("Số:", 200, 300), ("/TB-UBND", 480, 300),
        ("Krông Nô, ngày", 1150, 300), ("tháng", 1700, 300), ("năm 2019", 1950, 300),
        ("THÔNG BÁO KẾT LUẬN CỦA CHỦ TỊCH", 200, 500),
    ], (2480, 900))  # fmt: skip
    for text, x in ((number, 320), (day, 1560), (month, 1855)):
        cv2.putText(page, text, (x, 355), cv2.FONT_HERSHEY_SCRIPT_SIMPLEX, 1.9, BLUE_PEN, 5, cv2.LINE_AA)
    return page


def test_ocr_reads_the_handwritten_number_and_date_in_blue_ink() -> None:
    # The blue pen is removed with the red seal before Tesseract reads the page; the printed frame
    # "Số: ___/TB-UBND", "ngày __ tháng __" tells where the digits are: they are read again there.
    page = ocr.ocr_page(handwritten_header("25", "23", "5"), 1, 300, SETTINGS)
    texts = [ln.text for ln in page.lines]
    assert "Số: 25 /TB-UBND" in texts
    assert "Krông Nô, ngày 23 tháng 5 năm 2019" in texts
    assert ocr.handwriting(page) == {"number": ("25", 100.0), "day": ("23", 100.0), "month": ("5", 100.0)}


def test_ocr_handwriting_slot_that_is_no_clear_digit_is_reported_not_guessed() -> None:
    from ketluan.extract.lines import Word
    from ketluan.extract.slots import read_slots

    row = [Word("Số:", 100, 160, 50, 80), Word("/BC-STC", 300, 460, 50, 80)]
    clean = np.full((200, 600), 255, np.uint8)
    inked = clean.copy()
    cv2.rectangle(inked, (175, 45), (285, 85), 60, 5)  # a wide loop: two digits run together
    words, readings = read_slots(row, clean, inked)
    assert [w.text for w in words] == ["Số:", "/BC-STC"]
    assert [(r.name, r.text, r.read) for r in readings] == [("number", "", "?")]
    # A slot without coloured ink (a typed number) is not read again.
    assert read_slots(row, clean, clean.copy()) == (row, [])


@pytest.mark.parametrize("layer, vietnamese", [
    ("ỦY BAN NHÂN DÂN TỈNH CÀ MAU SỞ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN " * 2, True),
    ("Uû ban nh©n d©n tØnh Qu¶ng Ng·i. Th«ng b¸o kÕt luËn cña Chñ tÞch UBND tØnh " * 2, True),  # TCVN3
    ("UBNd TInh CH MAU CoNG hOA xa HoI CHU ngHIH VIET nAM THONGBAo uY BAN NgAN nAN " * 2, False),
    ("UY BAN NHAN DAN TINH CA MAU SO NONG NGHIEP VA PHAT TRIEN NONG THON " * 2, False),
    ("Số: 12/TB-UBND", True),  # too few words to judge
])  # fmt: skip
def test_ocr_pdf_text_layer_is_judged_by_what_it_says(layer: str, vietnamese: bool) -> None:
    from ketluan.extract.pdf import reads_as_vietnamese

    assert reads_as_vietnamese(layer) is vietnamese


def test_ocr_pdf_page_with_a_garbled_text_layer_is_ocred_again(tmp_path: Path) -> None:
    from PIL import Image

    from ketluan.extract.pdf import extract_pdf

    lines = ["ỦY BAN NHÂN DÂN TỈNH CÀ MAU", "SỞ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN",
             "Thực hiện kết luận của Chủ tịch Ủy ban nhân dân tỉnh"]  # fmt: skip
    picture = tmp_path / "page.png"
    Image.fromarray(rendered_lines([(t, 200, 150 + 120 * k) for k, t in enumerate(lines)], (2480, 3508))).save(
        picture, dpi=(300, 300)
    )
    pdf = tmp_path / "old_ocr.pdf"
    c = canvas.Canvas(str(pdf), pagesize=A4)
    c.drawImage(str(picture), 0, 0, width=A4[0], height=A4[1])
    text = c.beginText(48, 800)
    text.setTextRenderMode(3)  # invisible, as an OCR layer under a scan
    text.setFont("Helvetica", 10)
    for _ in range(6):
        text.textLine("uY BAN NgAN nAN TiNH CA MAU THONGBAo So NONG NgHIEP VA PHAT TRIeN")
    c.drawText(text)
    c.save()
    pages, kind = extract_pdf(pdf.read_bytes(), SETTINGS)
    assert kind == "scanned_pdf" and pages[0].source == "ocr"
    assert [ln.text for ln in pages[0].lines][:2] == lines[:2]


@pytest.mark.parametrize("letters, factor", [(30, 1.0), (36, 1.0), (60, 0.5), (44, 30 / 44)])
def test_ocr_resolution_follows_the_measured_text_height(letters: int, factor: float) -> None:
    # A 600 dpi scan's letters are twice as tall as the 300 dpi pages Tesseract was measured on.
    page = np.full((1600, 1200), 250, np.uint8)
    for y in range(100, 1500, 2 * letters):
        for x in range(100, 1100, letters):
            page[y : y + letters, x : x + letters // 2] = 20
    assert prep.glyph_height(page) == letters
    assert ocr._text_scale(page) == pytest.approx(factor)


@pytest.mark.parametrize(
    "grey, expected",
    [(255, 255), (252, 255), (250, 255), (249, 249), (180, 180), (20, 20)],  # grain -> white; edges, ink kept
)
def test_image_whiten_paper_turns_paper_grain_white_and_keeps_ink(grey: int, expected: int) -> None:
    page = np.full((4, 4), grey, np.uint8)
    assert int(prep.whiten_paper(page)[0, 0]) == expected


@pytest.mark.parametrize("steps, whitened", [
    (replace(prep.DEFAULT_PREPARATION, whiten_paper=True), True),
    (prep.DEFAULT_PREPARATION, False),  # off by default (a heading's "2.1." read "2.1," on a real scan)
    (prep.RAW, False),
])  # fmt: skip
def test_ocr_page_hands_tesseract_white_paper_after_background_normalization(
    monkeypatch: pytest.MonkeyPatch, steps: prep.Preparation, whitened: bool
) -> None:
    # Grainy paper (244-254) around "Kết luận của Chủ tịch": Tesseract gets it as plain 255 once the
    # background is divided out, the letters' dark core as printed; RAW hands the page over as it is.
    page = rendered_lines([("Kết luận của Chủ tịch Ủy ban nhân dân tỉnh", 100, 60)], (1600, 200))
    grain = np.random.default_rng(7).integers(-6, 5, page.shape[:2])
    page = np.clip(page.astype(int) + grain[..., None], 0, 255).astype(np.uint8)
    seen: list[np.ndarray] = []
    read = ocr._tesseract_data
    monkeypatch.setattr(ocr, "_tesseract_data", lambda gray, *a: seen.append(gray.copy()) or read(gray, *a))
    got = ocr.ocr_page(page, 1, 300, SETTINGS, ocr.OcrOptions(preparation=steps, slots=False))
    grainy = int(np.count_nonzero((seen[0] >= prep.PAPER_WHITE) & (seen[0] < 255)))
    assert (grainy == 0) is whitened
    assert int(seen[0].min()) < 80
    assert "Kết luận của Chủ tịch" in flat(got)


@pytest.mark.parametrize("variables, read", [(None, True), ({"tessedit_do_invert": "0"}, False)])
def test_ocr_tess_reads_inverted_lines_unless_told_not_to(variables: dict[str, str] | None, read: bool) -> None:
    # White-on-black text: Tesseract reads a low-confidence line a second time inverted (kept on:
    # it also reads grey real scans better); a caller can switch it off.
    from ketluan.extract import tess

    line = "Ủy ban nhân dân tỉnh Quảng Ngãi"
    white_on_black = 255 - cv2.cvtColor(rendered_lines([(line, 60, 40)], (1300, 160)), cv2.COLOR_RGB2GRAY)
    data = tess.image_to_data(white_on_black, 300, "vie", 7, variables)
    words = " ".join(t for t, level in zip(data["text"], data["level"], strict=True) if level == 5)
    assert (words == line) is read


def one_image_pdf(tmp_path: Path, dpi: int, rotation: int = 0) -> Path:
    """A scanner's PDF: one A4 page that is one JPEG image at `dpi` (a header line and a box)."""
    from PIL import Image

    width, height = round(8.27 * dpi), round(11.69 * dpi)
    pixels = np.full((height, width, 3), 235, np.uint8)
    pixels[dpi : dpi + dpi // 10, dpi : 4 * dpi] = 30  # a black rule near the top left
    pixels[5 * dpi : 6 * dpi, 5 * dpi : 6 * dpi] = (200, 30, 40)  # a red seal lower right
    path = tmp_path / f"scan{dpi}_{rotation}.pdf"
    Image.fromarray(pixels).save(path, resolution=float(dpi))
    if rotation:
        pdf = pdfium.PdfDocument(str(path))
        pdf[0].set_rotation(rotation)
        turned = tmp_path / f"turned{dpi}_{rotation}.pdf"
        pdf.save(str(turned))
        pdf.close()
        path = turned
    return path


@pytest.mark.parametrize("dpi, rotation, native", [
    (250, 0, True),  # an office scan at 250 dpi: its own pixels, not drawn up to 300
    (250, 90, True),  # /Rotate 90: turned as the page is shown
    (250, 270, True),
    (300, 0, False),  # at the OCR resolution already: drawn as before
    (200, 0, False),  # a fax-grade scan: drawn at 300 dpi as before
])  # fmt: skip
def test_ocr_pdfimage_reads_a_full_page_scan_at_its_own_resolution(
    tmp_path: Path, dpi: int, rotation: int, native: bool
) -> None:
    from ketluan.extract.pdfimage import page_pixels

    pdf = pdfium.PdfDocument(str(one_image_pdf(tmp_path, dpi, rotation)))
    pixels, got_dpi = page_pixels(pdf[0], 300.0, ocr.MIN_OCR_DPI)
    drawn = pdf[0].render(scale=got_dpi / 72).to_numpy()[..., :3]
    assert got_dpi == pytest.approx(dpi if native else 300.0, rel=0.01)
    assert pixels.shape[:2] == pytest.approx(drawn.shape[:2], abs=1)
    h, w = min(pixels.shape[0], drawn.shape[0]), min(pixels.shape[1], drawn.shape[1])
    differ = np.abs(pixels[:h, :w].astype(int) - drawn[:h, :w, ::-1].astype(int)).max(axis=2) > 60
    assert differ.mean() < 0.003  # the same picture the right way up (the rule and seal are 1.3%)
    pdf.close()


def test_ocr_pdfimage_draws_a_text_page(text_pdf: Path) -> None:
    from ketluan.extract.pdfimage import page_pixels

    pdf = pdfium.PdfDocument(str(text_pdf))
    pixels, dpi = page_pixels(pdf[0], 300.0, ocr.MIN_OCR_DPI)
    assert dpi == 300.0 and pixels.shape == (3508, 2481, 3)
    pdf.close()


def test_ocr_pdfimage_page_pixels_are_the_bitmap_itself_and_outlive_the_document(tmp_path: Path) -> None:
    # No second copy of a 26 MB page: the array is pdfium's bitmap memory (a ctypes buffer the
    # array keeps alive), still readable after the page and the document are closed.
    import gc

    from ketluan.extract.pdfimage import page_pixels

    pdf = pdfium.PdfDocument(str(one_image_pdf(tmp_path, 200)))
    page = pdf[0]
    pixels, dpi = page_pixels(page, 300.0, None)
    drawn = page.render(scale=300 / 72).to_numpy()[..., :3][..., ::-1]  # BGRx drawn again, as RGB
    page.close()
    pdf.close()
    del page, pdf
    gc.collect()
    assert dpi == 300.0 and pixels.flags["C_CONTIGUOUS"] and not pixels.flags["OWNDATA"]
    assert np.array_equal(pixels, drawn)  # the same pixels as a fresh drawing
    rule = pixels[round(300 * 1.02), round(300 * 2)]  # inside the black rule near the top left
    seal = pixels[round(300 * 5.5), round(300 * 5.5)]  # inside the red seal
    assert rule.tolist() == [30, 30, 30] and seal[0] > 150 > seal[1]


@pytest.mark.parametrize("black_band", [
    False,  # grey scanned paper: its background is never 0, divided without a full-page floor
    True,  # a black band wider than the background's dilation (a copier's lid): floored at 1
])  # fmt: skip
def test_ocr_preparation_divides_by_the_background_as_with_a_floor_at_one(black_band: bool) -> None:
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (1240, 900), (214, 212, 205))
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf", 34)
    draw.text((80, 120), "THÔNG BÁO KẾT LUẬN", font=font, fill=(30, 30, 30))
    draw.text((80, 200), "của Chủ tịch UBND tỉnh tại cuộc họp ngày 08 tháng 4 năm 2024", font=font,
              fill=(30, 30, 30))  # fmt: skip
    if black_band:
        draw.rectangle((0, 700, 1240, 900), fill=(0, 0, 0))
    pixels = np.array(image)
    steps = replace(prep.DEFAULT_PREPARATION, crop_page=False, deskew=False, despeckle=False)
    got = prep.prepare_page(pixels, steps)
    gray = cv2.cvtColor(pixels, cv2.COLOR_RGB2GRAY)
    small = prep._background_small(gray)
    background = prep._background_full(small, gray.shape)
    assert (int(small.min()) == 0) is black_band
    expected = cv2.divide(gray, np.maximum(background, 1), scale=255)
    assert np.array_equal(got, expected)
    assert int(got[110:170, 80:600].min()) < 60 and int(got[400, 600]) == 255  # ink kept, paper white
