"""Extract stage: OCR of page images with Tesseract and its Vietnamese model ('vie').

Reads PDF bytes (pages rendered with pypdfium2) or image file bytes and returns `records.Page`s of
Lines (origin "ocr", positions in points, confidence) built by the same line builder as the text
layer, ruled tables row by row (borders found in the image), the closing block ("Nơi nhận:"
beside the signer) column by column, handwritten number/day slots read again with their ink
(slots.py). Tesseract runs in process (tess.py), the `tesseract` CLI when
libtesseract is missing. Never falls back to another language, never normalizes text, never
touches text-layer pages.
"""

from __future__ import annotations

import io
import os
import shutil
import statistics
import subprocess
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

import cv2
import numpy as np
from PIL import Image, ImageSequence, UnidentifiedImageError

from ..config import Settings
from ..errors import DocumentError
from ..records import Page
from . import tess, tess_cli
from .image import (
    DEFAULT_PREPARATION,
    RAW,
    Preparation,
    clean_paper,
    content_box,
    glyph_height,
    ink_box,
    prepare_page_with_ink,
    stroke_widths,
)
from .lines import Box, HRule, VRule, Word, inside, table_cells, words_to_lines
from .ocr_closing import reread_closing, without_doubled
from .ocr_unsure import UnsureRun, reread_unsure
from .pdfimage import page_pixels
from .rulings import find_rulings
from .slots import SlotReading, read_slots

# Page segmentation mode: 4 ("a single column of text of variable sizes") reads the two-column
# header and signer rows as rows, which the line builder splits again; 3 (automatic) finds
# blocks itself. Chosen by character accuracy on the scan fixtures (tools/bench_ocr.py).
DEFAULT_PSM = 4
# Below this mean word confidence a page may be sideways or upside down: ask Tesseract's
# orientation detector (osd) and, when it is sure, OCR the turned page again.
LOW_CONFIDENCE = 60.0
MIN_OSD_CONFIDENCE = 2.0
# Words whose horizontal stroke width is this much above the page median are bold
# (DejaVu/Times bold strokes are ~1.6x the regular ones).
BOLD_STROKE_RATIO = 1.3
# A Tesseract line box spans accents to descenders: about this many times the font size.
LINE_HEIGHT_PER_POINT = 1.1
# Images without a trustworthy resolution (phones write 72 dpi) are assumed to show an A4 page.
MIN_TRUSTED_DPI = 100
A4_LONG_SIDE_INCHES = 11.69
# Tesseract reads best with text ~30 px high: small images are scaled up to this resolution.
MIN_OCR_DPI = 250
# Scanned pages one image of NATIVE_MIN_DPI..ocr_dpi could be read with their own pixels
# (pdfimage.py: no drawing, no upsampling; 10% less CPU a page on the 250 dpi bench scans) but
# 250 dpi text lost strokes ("quý III" read "quý II", a title line) on the extra corpus: off (None).
NATIVE_MIN_DPI: float | None = None
# The resolution follows the text: a page whose letters (median ink blob) are taller than
# GLYPH_MAX pixels (a 400-600 dpi scan; 13 pt at 300 dpi gives 30) is brought down to GLYPH_TARGET,
# the height the accuracy figures were measured at, at most by MIN_TEXT_SCALE and never below
# MIN_OCR_DPI. Going below 30 px saved 12-15% of Tesseract's CPU on the dev scans but lost words
# under the stamps ("KT. GIAM" for "KT. GIÁM ĐỐC"): not done.
GLYPH_MAX = 36.0
GLYPH_TARGET = 30.0
MIN_TEXT_SCALE = 0.5
# A one-character "word" read with less confidence than this is a speck of dust or toner; a
# "word" with no letter or digit ("_", "|", "—") below JUNK_CONFIDENCE is a mark, not text.
SPECK_CONFIDENCE = 30.0
JUNK_CONFIDENCE = 50.0
# Below this Tesseract itself says the "word" is not text (scribbles of a signature, "„02"); such
# words with a letter or digit are read again alone (ocr_unsure.py), as one line (UNSURE_PSM).
MIN_WORD_CONFIDENCE = 5.0
UNSURE_PSM = 7
# The Vietnamese alphabet has Đ/đ (U+0110/U+0111), never the look-alike Icelandic eth Ð/ð
# (U+00D0/U+00F0) that the 'vie' model sometimes emits ("Số: /QĐÐ-UBND").
ETH_TO_D = str.maketrans({"\u00d0": "\u0110", "\u00f0": "\u0111"})
# The cells of a ruled table are read again, each cut out of the page (minus CELL_INSET points on
# every side: its border and the ink bleeding off it) and stacked with CELL_GAP_INCHES of white
# around it in one image, read as one block: read across the whole row, Tesseract's word spacing
# and line finding suffer from the borders and wide gaps ("Quan trắcvà", "STT" read "SIT").
CELL_INSET = 2.0
CELL_GAP_INCHES = 0.2
CELL_PSM = 4
# A cell holds text when one of its ink blobs is at least this tall (points): a digit or a dash
# is; scanner noise left in an empty cell is not (Tesseract reads it as "ES2/9500Đ0").
CELL_MIN_GLYPH = 3.0
OCR_ENV = {"OMP_THREAD_LIMIT": "1"}
# The `tesseract` program the engine check looks for (pytesseract's default command, which the
# CLI fallback runs).
TESSERACT_CMD = "tesseract"
# The Page attribute that carries the handwriting slot readings (see `handwriting`).
HANDWRITING_ATTRIBUTE = "handwriting"  # one thread per Tesseract process: processes scale better


@dataclass(frozen=True, slots=True)
class OcrOptions:
    """Engine choices the benchmark varies; the pipeline uses the defaults."""

    psm: int = DEFAULT_PSM
    preparation: Preparation = DEFAULT_PREPARATION
    orientation: bool = True
    bold: bool = True
    slots: bool = True  # read handwritten number/day slots again with their ink (extract/slots.py)


DEFAULT_OPTIONS = OcrOptions()


def ocr_available(settings: Settings) -> str:
    """Say why OCR cannot run, or "" when Tesseract and the `settings.ocr_lang` model are installed.

    Args:
        settings: the run settings (`ocr_lang`, "vie" by default).

    Returns:
        "" when OCR can run, else a message that says how to fix it.

    Examples:
        >>> ocr_available(Settings())
        ''
        >>> ocr_available(Settings(ocr_lang="xyz"))[:45]
        "the Tesseract language model 'xyz' is missing"
    """
    return _check_engine(settings.ocr_lang)


@lru_cache(maxsize=8)
def _check_engine(lang: str) -> str:
    """Cached engine + language check (one `tesseract --list-langs` per process)."""
    exe = shutil.which(TESSERACT_CMD)
    if exe is None:
        return (
            "tesseract is not installed; run 'make setup' (apt-get install tesseract-ocr tesseract-ocr-vie)"
        )
    try:
        out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError) as e:
        return f"tesseract cannot run ({e}); reinstall it with 'make setup'"
    installed = sorted(x.strip() for x in out.stdout.splitlines()[1:] if x.strip())
    missing = [p for p in lang.split("+") if p not in installed]
    if missing:
        name = missing[0]
        return (
            f"the Tesseract language model '{name}' is missing (installed: {', '.join(installed)}); "
            f"run 'make setup' or apt-get install tesseract-ocr-{name}"
        )
    return ""


def _require_engine(settings: Settings) -> None:
    message = ocr_available(settings)
    if message:
        raise DocumentError("ocr_unavailable", message)


def ocr_pdf_pages(
    data: bytes, page_numbers: list[int], settings: Settings, options: OcrOptions = DEFAULT_OPTIONS
) -> list[Page]:
    """OCR some pages of a PDF given as bytes: each page's scanned image, or the page drawn by pypdfium2.

    Pages are OCRed in parallel, one Tesseract process per core. A page that fails comes back as
    `Page(number, source="none", error="ocr_failed: ...")`.

    Args:
        data: the PDF file's bytes.
        page_numbers: 1-based numbers of the pages to OCR, e.g. [1, 3].
        settings: `ocr_dpi`, `ocr_lang`, `workers` (documents in parallel), `timeout`.
        options: engine choices (for the benchmark).

    Returns:
        One Page per requested number, in the same order, with `source="ocr"`.

    Raises:
        DocumentError: "ocr_unavailable" when Tesseract or the language model is missing,
            "corrupt_file" when pdfium cannot open the PDF.

    Examples:
        >>> pages = ocr_pdf_pages(pdf_bytes, [1], Settings())  # doctest: +SKIP
        >>> pages[0].lines[0].text  # doctest: +SKIP
        'UBND TỈNH QUẢNG NGÃI'
    """
    _require_engine(settings)
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        raise DocumentError("corrupt_file", f"pdfium cannot open the PDF: {e}") from e

    def render() -> Iterator[tuple[int, np.ndarray | str, float]]:
        for number in page_numbers:
            try:  # drawn at ocr_dpi (or, with NATIVE_MIN_DPI set, a scan's own pixels)
                pixels, page_dpi = page_pixels(pdf[number - 1], settings.ocr_dpi, NATIVE_MIN_DPI)
                yield number, pixels, page_dpi
            except Exception as e:  # a page pdfium cannot draw is one lost page, not a crash
                yield number, f"ocr_failed: page {number} cannot be rendered ({type(e).__name__}: {e})", 0.0

    try:
        return _run_pages(render(), settings, options)
    finally:
        pdf.close()


def ocr_images(data: bytes, settings: Settings, options: OcrOptions = DEFAULT_OPTIONS) -> list[Page]:
    """OCR an image file's bytes (PNG, JPEG, TIFF; each frame of a multi-page TIFF is a page).

    Args:
        data: the image file's bytes.
        settings: `ocr_lang`, `workers`, `timeout`.
        options: engine choices (for the benchmark).

    Returns:
        One Page per frame, numbered from 1, with `source="ocr"`; sizes in points from the
        image's dpi (a phone photo without a real dpi is taken as an A4 page).

    Raises:
        DocumentError: "ocr_unavailable" when OCR cannot run, "corrupt_file" for unreadable bytes.

    Examples:
        >>> [p.number for p in ocr_images(tiff_bytes, Settings())]  # doctest: +SKIP
        [1, 2]
    """
    _require_engine(settings)
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError, ValueError) as e:
        raise DocumentError("corrupt_file", f"the image cannot be read: {e}") from e

    def frames() -> Iterator[tuple[int, np.ndarray | str, float]]:
        for number, frame in enumerate(ImageSequence.Iterator(image), start=1):
            try:
                dpi = float((frame.info.get("dpi") or (0, 0))[0] or 0)
                yield number, _to_array(frame), dpi
            except Exception as e:
                yield number, f"ocr_failed: frame {number} cannot be decoded ({type(e).__name__}: {e})", 0.0

    return _run_pages(frames(), settings, options)


def _to_array(frame: Image.Image) -> np.ndarray:
    """RGB or greyscale uint8 array of one image frame (alpha composed on white)."""
    if frame.mode in ("RGBA", "LA", "P", "PA"):
        rgba = frame.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        frame = Image.alpha_composite(white, rgba)
    if frame.mode in ("1", "L", "I;16", "I", "F"):
        return np.array(frame.convert("L"))
    return np.array(frame.convert("RGB"))


def _workers(settings: Settings, pages: int) -> int:
    """Tesseract processes for one document: the cores left per document worker."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 1
    return max(1, min(pages, cores // max(settings.workers, 1)))


def _run_pages(
    pages: Iterator[tuple[int, np.ndarray | str, float]], settings: Settings, options: OcrOptions
) -> list[Page]:
    """OCR rendered pages in a thread pool: each thread drives one Tesseract engine (in process,
    or a CLI process when libtesseract is missing).

    Pages are rendered lazily in this thread (pdfium is not thread-safe) and at most two per
    worker are held in memory at a time.
    """
    # Threads, not processes: the work is in Tesseract (ctypes releases the GIL during the call; a
    # CLI child process otherwise) and OpenCV (which releases the GIL too), and threads also work inside a daemonic document worker; each page
    # runs its engines one thread each (ocr_page).
    n = _workers(settings, 1 << 30)
    results: dict[int, Page] = {}
    order: list[int] = []
    with ThreadPoolExecutor(max_workers=n) as pool:
        pending: list[tuple[int, Future[Page]]] = []
        for number, pixels, dpi in pages:
            order.append(number)
            if isinstance(pixels, str):
                results[number] = Page(number=number, source="none", error=pixels)
                continue
            pending.append((number, pool.submit(_safe_ocr_page, pixels, number, dpi, settings, options)))
            while len(pending) >= 2 * n:
                num, fut = pending.pop(0)
                results[num] = fut.result()
        for num, fut in pending:
            results[num] = fut.result()
    return [results[k] for k in order]


def _one_thread_each() -> None:
    """One thread per Tesseract process and for OpenCV: pages and documents are the parallel units.

    Tesseract's OpenMP threads fight over the cores the other pages use (a page read ten times
    slower on 2 cores), and OpenCV's own threads cost more CPU than they save.
    """
    os.environ.update({k: os.environ.get(k, v) for k, v in OCR_ENV.items()})
    cv2.setNumThreads(1)


def _safe_ocr_page(
    pixels: np.ndarray, number: int, dpi: float, settings: Settings, options: OcrOptions
) -> Page:
    """`ocr_page`, with any failure turned into a page that records it."""
    try:
        return ocr_page(pixels, number, dpi, settings, options)
    except Exception as e:
        reason = (
            "timeout"
            if isinstance(e, RuntimeError) and "timeout" in str(e).lower()
            else f"{type(e).__name__}: {e}"
        )
        return Page(number=number, source="none", error=f"ocr_failed: page {number}: {reason}".strip())


def ocr_page(
    pixels: np.ndarray, number: int, dpi: float, settings: Settings, options: OcrOptions = DEFAULT_OPTIONS
) -> Page:
    """OCR one page image: prepare it, read words with boxes, turn it if it is upside down.

    Args:
        pixels: H×W×3 RGB or H×W greyscale uint8 array.
        number: the 1-based page number.
        dpi: the image's resolution; 0 or below MIN_TRUSTED_DPI means unknown (taken as A4).
        settings: `ocr_lang`, `timeout`.
        options: engine choices.

    Returns:
        The Page with lines in reading order (a ruled table as one line per row, its cells in
        `table_row`, as for a text PDF), width/height in points and its mean confidence.
    """
    _one_thread_each()
    steps = options.preparation
    gray, inked = prepare_page_with_ink(pixels, replace(steps, despeckle=False, whiten_paper=False))
    if dpi < MIN_TRUSTED_DPI:
        dpi = max(gray.shape) / A4_LONG_SIDE_INCHES
    if dpi < MIN_OCR_DPI:
        factor = MIN_OCR_DPI / dpi
        gray = cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC)
        if inked is not None:
            inked = cv2.resize(inked, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC)
        dpi = MIN_OCR_DPI
    factor = max(_text_scale(gray), MIN_OCR_DPI / dpi)
    if factor < 1.0:  # text larger than Tesseract needs: fewer pixels to read, the same words
        gray = cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
        if inked is not None:
            inked = cv2.resize(inked, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
        dpi *= factor
    gray = clean_paper(gray, dpi, steps)  # after scaling: specks measured at the resolution OCR sees
    timeout = max(settings.timeout, 1.0)
    words, confidence = _read_page(gray, dpi, settings.ocr_lang, options.psm, timeout)
    # A blank page has no words to orient; a turned page gives low-confidence garbage words.
    if options.orientation and words and confidence < LOW_CONFIDENCE:
        turn = _orientation(gray, dpi, timeout)
        if turn:
            turned = np.ascontiguousarray(np.rot90(gray, k=-(turn // 90)))  # rot90 turns anticlockwise
            words2, confidence2 = _read_page(turned, dpi, settings.ocr_lang, options.psm, timeout)
            if confidence2 > confidence:
                gray, words, confidence = turned, words2, confidence2
                if inked is not None:
                    inked = np.ascontiguousarray(np.rot90(inked, k=-(turn // 90)))
    words = reread_closing(
        gray, dpi, words, lambda image: _read_words(image, dpi, settings.ocr_lang, options.psm, timeout)[0]
    )
    scale = 72.0 / dpi
    horizontal, vertical = find_rulings(gray, dpi)
    rulings: tuple[list[HRule], list[VRule]] = (
        [(x0 * scale, x1 * scale, y * scale) for x0, x1, y in horizontal],
        [(x * scale, top * scale, bottom * scale) for x, top, bottom in vertical],
    )  # in points, scaled like the words
    cells = [
        (x0 / scale, top / scale, x1 / scale, bottom / scale) for x0, top, x1, bottom in table_cells(*rulings)
    ]
    if cells:
        words = _reread_cells(gray, dpi, words, cells, settings.ocr_lang, timeout)
    readings: list[SlotReading] = []
    if inked is not None and options.slots:
        words, readings = read_slots(words, gray, inked, settings.ocr_lang)
    if options.bold:
        _mark_bold(gray, words)
    height, width = gray.shape
    pt_words = [
        Word(w.text, w.x0 * scale, w.x1 * scale, w.top * scale, w.bottom * scale,
             bold=w.bold, size=round(w.size * scale / LINE_HEIGHT_PER_POINT, 1), confidence=w.confidence)
        for w in words
    ]  # fmt: skip
    page_w, page_h = width * scale, height * scale
    page = Page(
        number=number,
        lines=words_to_lines(pt_words, number, page_w, page_h, origin="ocr", rulings=rulings),
        width=round(page_w, 2),
        height=round(page_h, 2),
        source="ocr",
        ocr_confidence=round(confidence, 2) if words else -1.0,
    )
    # What each handwritten slot gave, for the review flags: {"number": ("85", 91.0), "day":
    # ("", 40.0)} ("" when its reading was not all digits). A field of its own in records.Page
    # once it has one; set as an attribute meanwhile (Page is a plain dataclass).
    setattr(page, HANDWRITING_ATTRIBUTE, {r.name: (r.text, r.confidence) for r in readings})  # noqa: B010
    return page


REGION_PSM = 6  # a crop of one block of the page (a signature and the name under it)


def ocr_region(pixels: np.ndarray, dpi: float, settings: Settings) -> list[tuple[str, float]]:
    """Text lines of a small page region as (text, mean word confidence), top to bottom.

    The region (the signature image of a text page, where the signer's name is printed) is read
    twice: prepared as a scan is (a blue signature and a red seal turned to paper), then as it is
    (a name stamped in colour); the lines of both readings are returned, the prepared first.
    Each reading covers only the box of the region's letter-sized ink (`image.ink_box`); a
    reading with none (paper, grain, a seal's removed colour) costs no OCR.

    Examples:
        >>> ocr_region(np.full((60, 200, 3), 255, np.uint8), 300.0, Settings())
        []
    """
    timeout = max(settings.timeout, 1.0)
    out: list[tuple[str, float]] = []
    for steps in (replace(DEFAULT_PREPARATION, crop_page=False, deskew=False, whiten_paper=False), RAW):
        gray = prepare_page_with_ink(pixels, steps, dpi)[0]
        box = ink_box(gray, dpi)  # only the letters' box is read; a region of paper is not read
        if box is None:
            continue
        top, bottom, left, right = box
        words, _ = _read_words(gray[top:bottom, left:right], dpi, settings.ocr_lang, REGION_PSM, timeout)
        rows: list[list[Word]] = []
        for word in sorted(words, key=lambda w: (w.top, w.x0)):
            middle = (word.top + word.bottom) / 2
            if rows and rows[-1][0].top <= middle <= rows[-1][0].bottom:
                rows[-1].append(word)
            else:
                rows.append([word])
        out.extend(
            (
                " ".join(w.text for w in sorted(row, key=lambda w: w.x0)),
                statistics.fmean(w.confidence for w in row),
            )
            for row in rows
        )
    return out


def handwriting(page: Page) -> dict[str, tuple[str, float]]:
    """What the handwritten slots of an OCR page gave: slot name -> (digits, confidence).

    Slots are "number" ("Số: 85 /BC-STC"), "day" and "month" ("ngày 04 tháng 5 năm 2019") written
    in coloured ink and read again in digit mode; digits are "" when the reading was not all
    digits or out of range (the field should then be empty and flagged). Only slots that held ink
    are listed; a page without any, or not OCRed, gives {}.

    Examples:
        >>> handwriting(Page(1))
        {}
    """
    found = getattr(page, HANDWRITING_ATTRIBUTE, None)
    return dict(found) if isinstance(found, dict) else {}


def _text_scale(gray: np.ndarray) -> float:
    """The factor that brings the page's letters down to GLYPH_TARGET pixels (1.0 when they are
    not taller than GLYPH_MAX, never below MIN_TEXT_SCALE): the resolution follows the text."""
    height = glyph_height(gray)
    if height <= GLYPH_MAX:
        return 1.0
    return max(MIN_TEXT_SCALE, GLYPH_TARGET / height)


def _reread_cells(gray: np.ndarray, dpi: float, words: list[Word], cells: list[Box], lang: str,
                  timeout: float) -> list[Word]:  # fmt: skip
    """The page's words with those of the table cells read again cell by cell (pixel coordinates).

    Each cell with text is cut out inside its borders and stacked under the others in one image
    Tesseract reads as a block; its words go back to their cell's place on the page. A cell that
    gives no word keeps the words of the page reading.
    """
    inset = CELL_INSET * dpi / 72
    gap = int(CELL_GAP_INCHES * dpi)
    threshold, _ = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    crops: list[tuple[np.ndarray, int, int, int]] = []  # crop, its left and top on the page, top in the stack
    y = gap
    for x0, top, x1, bottom in cells:
        left, upper = int(x0 + inset), int(top + inset)
        crop = gray[upper : max(int(bottom - inset), upper), left : max(int(x1 - inset), left)]
        if crop.size and _has_glyph(crop, threshold, CELL_MIN_GLYPH * dpi / 72):
            crops.append((crop, left, upper, y))
            y += crop.shape[0] + gap
    if not crops:
        return words
    sheet = np.full((y, max(c.shape[1] for c, *_ in crops) + 2 * gap), 255, np.uint8)
    for crop, _, _, at in crops:
        sheet[at : at + crop.shape[0], gap : gap + crop.shape[1]] = crop
    read, _ = _read_words(sheet, dpi, lang, CELL_PSM, timeout)
    by_cell: list[list[Word]] = [[] for _ in crops]
    for w in read:
        mid = (w.top + w.bottom) / 2
        k = next(
            (k for k, (c, _, _, at) in enumerate(crops) if at - gap / 2 <= mid < at + c.shape[0] + gap / 2),
            -1,
        )
        if k >= 0:
            _, left, upper, at = crops[k]
            dx, dy = left - gap, upper - at
            by_cell[k].append(replace(w, x0=w.x0 + dx, x1=w.x1 + dx, top=w.top + dy, bottom=w.bottom + dy))
    keep = [w for w in words if not inside(w, cells)]
    for k, (crop, left, upper, _) in enumerate(crops):
        if by_cell[k]:
            keep.extend(by_cell[k])
        else:
            box = (left, upper, left + crop.shape[1], upper + crop.shape[0])
            keep.extend(w for w in words if inside(w, [box]))
    return keep


def _has_glyph(crop: np.ndarray, threshold: float, min_height: float) -> bool:
    """Whether a cell image holds an ink blob as tall as a small letter."""
    ink = (crop < threshold).astype(np.uint8)
    count, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    return bool(count > 1 and stats[1:, cv2.CC_STAT_HEIGHT].max() >= min_height)


def _read_page(gray: np.ndarray, dpi: float, lang: str, psm: int, timeout: float) -> tuple[list[Word], float]:
    """`_read_words` on the part of the page that holds ink; word boxes in page pixels."""
    top, bottom, left, right = content_box(gray, dpi)
    unsure: list[UnsureRun] = []
    words, confidence = _read_words(gray[top:bottom, left:right], dpi, lang, psm, timeout, unsure)
    if unsure:
        words += reread_unsure(
            gray[top:bottom, left:right],
            unsure,
            lambda crop: _read_words(crop, dpi, lang, UNSURE_PSM, timeout)[0],
        )
    if top or left:
        words = [
            replace(w, x0=w.x0 + left, x1=w.x1 + left, top=w.top + top, bottom=w.bottom + top) for w in words
        ]
    return words, confidence


def _tesseract_data(
    gray: np.ndarray, dpi: float, lang: str, psm: int, timeout: float
) -> dict[str, list[Any]]:
    """Tesseract's word table of one image: in process (extract/tess.py, the model loaded once per
    process, no file), else the `tesseract` CLI on a TIFF; the same words, boxes and confidences."""
    try:
        return tess.image_to_data(gray, dpi, lang, psm, timeout=timeout)
    except tess.TessUnavailable:  # no libtesseract, or KETLUAN_LIBTESSERACT=-: the CLI
        return tess_cli.image_to_data(gray, dpi, lang, psm, timeout)


def _read_words(
    gray: np.ndarray, dpi: float, lang: str, psm: int, timeout: float, unsure: list[UnsureRun] | None = None
) -> tuple[list[Word], float]:
    """Words in pixel coordinates (size = their Tesseract line's height) and their mean confidence;
    the runs of words with a letter or digit dropped below MIN_WORD_CONFIDENCE go to `unsure`."""
    data = _tesseract_data(gray, dpi, lang, psm, timeout)
    line_heights: dict[tuple[int, int, int], int] = {}
    for k, level in enumerate(data["level"]):
        if level == 4:  # a Tesseract text line
            line_heights[(data["block_num"][k], data["par_num"][k], data["line_num"][k])] = data["height"][k]
    words: list[Word] = []
    lines: list[tuple[int, int, int]] = []  # each word's Tesseract line
    unsure_at: tuple[tuple[int, int, int], int] | None = None  # the last unsure word: line, index
    for k, text in enumerate(data["text"]):
        conf = float(data["conf"][k])
        text = str(text).strip().translate(ETH_TO_D)
        if data["level"][k] != 5 or not text:
            continue
        key = (data["block_num"][k], data["par_num"][k], data["line_num"][k])
        if conf < MIN_WORD_CONFIDENCE:
            if unsure is not None and any(c.isalnum() for c in text):
                left, top, w, h = data["left"][k], data["top"][k], data["width"][k], data["height"][k]
                word = Word(text, float(left), float(left + w), float(top), float(top + h),
                            size=float(line_heights.get(key, h)), confidence=conf)  # fmt: skip
                if unsure and unsure_at == (key, k - 1):
                    unsure[-1].words.append(word)
                else:
                    unsure.append(UnsureRun([word], words[-1] if words and lines[-1] == key else None, key))
                unsure_at = (key, k)
            continue
        if len(text) == 1 and conf < SPECK_CONFIDENCE:
            continue
        if conf < JUNK_CONFIDENCE and not any(c.isalnum() for c in text):
            continue
        left, top, w, h = data["left"][k], data["top"][k], data["width"][k], data["height"][k]
        words.append(Word(text, float(left), float(left + w), float(top), float(top + h),
                          size=float(line_heights.get(key, h)), confidence=conf))  # fmt: skip
        lines.append(key)
        for run in unsure or ():
            if run.line == key and run.after is None and run.words[-1].x1 <= words[-1].x0:
                run.after = words[-1]
    words = without_doubled(words, lines)
    confidence = statistics.fmean(w.confidence for w in words) if words else 0.0
    return words, confidence


def _orientation(gray: np.ndarray, dpi: float, timeout: float) -> int:
    """Clockwise degrees (0/90/180/270) to turn the page by, when Tesseract's OSD is sure."""
    try:
        found = tess.orientation(gray, dpi)
    except tess.TessUnavailable:  # the CLI
        found = tess_cli.orientation(gray, dpi, timeout)
    if found and found[0] and found[1] >= MIN_OSD_CONFIDENCE:
        return found[0]
    return 0


def _mark_bold(gray: np.ndarray, words: list[Word]) -> None:
    """Flag words whose strokes are much wider than the page's usual stroke, relative to size."""
    if len(words) < 5:
        return
    boxes = [(int(w.x0), int(w.top), int(w.x1 - w.x0), int(w.bottom - w.top)) for w in words]
    widths = stroke_widths(gray, boxes)
    ratios = [sw / w.size if w.size > 0 else 0.0 for sw, w in zip(widths, words, strict=True)]
    usual = statistics.median(r for r in ratios if r > 0) if any(r > 0 for r in ratios) else 0.0
    if usual <= 0:
        return
    for w, r in zip(words, ratios, strict=True):
        w.bold = r >= BOLD_STROKE_RATIO * usual
