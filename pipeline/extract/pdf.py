"""Extract stage, PDF: bytes of a PDF -> `records.Page`s of Lines, text layer or OCR per page.

pypdfium2 takes a fast first look (pages, encryption, which pages have a usable text layer);
pdfplumber reads the words with font names and sizes of the usable pages; the other pages go to
Tesseract (`ocr.ocr_pdf_pages`). Never normalizes text; TCVN3/VNI text layers are kept as they
are for normalize to convert.
"""

from __future__ import annotations

import io
import re
import unicodedata
from typing import Any

from .. import errors
from ..config import Settings
from ..errors import DocumentError
from ..records import Page
from .lines import Word, words_to_lines

# pdfplumber's rendering of a glyph without a Unicode mapping: "(cid:72)(cid:85)".
_CID = re.compile(r"\(cid:\d+\)")  # "(cid:72)"
# Font-name markers of bold and italic faces: "TimesNewRomanPS-BoldMT", "Times New Roman,Bold",
# "Arial,BoldItalic", "VnTime-B" (a ".VnTimeH"-era TCVN3 font with a -B suffix).
_BOLD_FONT = re.compile(r"(bold|black|heavy|semibold|demibold|[,-]B$|[,-]BI$)", re.IGNORECASE)  # "Times New Roman,Bold"
_ITALIC_FONT = re.compile(r"(italic|oblique|[,-]I$|[,-]BI$)", re.IGNORECASE)  # "Times New Roman,Italic"
# A page that is mostly one picture is a scan even when an e-signature stamp or a few words of
# text lie on it: its text layer must carry this many times min_text_chars to be used.
IMAGE_COVER_SCAN = 0.6
SCAN_TEXT_FACTOR = 5
# Share of unreadable characters (U+FFFD, private-use glyphs, "(cid:N)") above which a text
# layer is garbage and the page is OCRed instead.
MAX_BAD_SHARE = 0.2
X_TOLERANCE = 1.5
# Words closer than this share of the font size are one word split by a font change
# (a word space is about a quarter of the size).
TOUCH_GAP = 0.08


def extract_pdf(data: bytes, settings: Settings) -> tuple[list[Page], str]:
    """Pages of a PDF and its input kind: text_pdf, scanned_pdf or mixed_pdf.

    Each page records how its text was obtained in `Page.source`: "text" (usable text layer),
    "ocr" (Tesseract) or "none" (no usable text and no OCR, with `Page.error` saying why).

    Args:
        data: the PDF bytes.
        settings: `max_pages`, `min_text_chars` and `ocr` are used here.

    Returns:
        (pages, input_kind).

    Raises:
        DocumentError: encrypted_pdf, corrupt_file, no_text (no pages) or too_large.

    Examples:
        >>> pages, kind = extract_pdf(open("/work/shared/corpus/real/"
        ...     "qngai_ubnd_tb11_2025_ketluan_cophanhoa_qisc.pdf", "rb").read(), Settings())
        >>> kind, pages[0].lines[0].text, pages[0].lines[0].column
        ('text_pdf', 'ỦY BAN NHÂN DÂN', 'left')
    """
    usable = _first_look(data, settings)
    text_numbers = [n for n, ok in usable.items() if ok]
    pages: dict[int, Page] = {}
    if text_numbers:
        pages.update(_read_text_pages(data, text_numbers, settings))
    # A page whose pdfplumber words turned out to be garbage joins the OCR list.
    ocr_numbers = sorted(n for n in usable if n not in pages)
    if ocr_numbers:
        pages.update({p.number: p for p in _ocr_pages(data, ocr_numbers, settings)})
    ordered = [pages[n] for n in sorted(pages)]
    text_count = sum(1 for p in ordered if p.source == "text")
    if text_count == len(ordered):
        kind = "text_pdf"
    elif text_count == 0:
        kind = "scanned_pdf"
    else:
        kind = "mixed_pdf"
    return ordered, kind


def _first_look(data: bytes, settings: Settings) -> dict[int, bool]:
    """Page number -> whether its text layer looks usable, from pypdfium2."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        reason = str(e)
        if "password" in reason.lower():
            raise DocumentError("encrypted_pdf") from e
        raise DocumentError("corrupt_file", f"the PDF cannot be opened ({reason})") from e
    try:
        count = len(document)
        if count == 0:
            raise DocumentError("no_text", "the PDF has no pages")
        if count > settings.max_pages:
            raise DocumentError(
                "too_large", f"the PDF has {count} pages, more than the limit of {settings.max_pages}"
            )
        usable = {}
        for index in range(count):
            page = document[index]
            try:
                usable[index + 1] = _text_layer_usable(page, settings)
            finally:
                page.close()
        return usable
    finally:
        document.close()


def _text_layer_usable(page: Any, settings: Settings) -> bool:
    """Enough real letters, little garbage, and not a full-page picture with a stamp on it."""
    import pypdfium2.raw as pdfium_c

    textpage = page.get_textpage()
    try:
        text = textpage.get_text_range()
    finally:
        textpage.close()
    letters, bad = count_letters(text)
    if letters < settings.min_text_chars or bad > MAX_BAD_SHARE * (letters + bad):
        return False
    width, height = page.get_size()
    area = max(width * height, 1.0)
    covered = 0.0
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2):
        left, bottom, right, top = obj.get_pos()
        covered += max(right - left, 0) * max(top - bottom, 0)
    if covered / area >= IMAGE_COVER_SCAN and letters < SCAN_TEXT_FACTOR * settings.min_text_chars:
        return False
    return True


def count_letters(text: str) -> tuple[int, int]:
    """Readable letters and unreadable characters (U+FFFD, private use, controls, "(cid:N)").

    Examples:
        >>> count_letters("Kết luận (cid:12)(cid:13)")
        (7, 2)
    """
    cids = len(_CID.findall(text))
    text = _CID.sub("", text)
    letters = bad = 0
    for ch in text:
        if ch == "\ufffd":
            bad += 1
            continue
        cat = unicodedata.category(ch)
        if cat == "Co" or (cat == "Cc" and ch not in "\r\n\t\f"):
            bad += 1
        elif ch.isalpha():
            letters += 1
    return letters, bad + cids


def font_flags(fontname: str) -> tuple[bool, bool]:
    """Bold and italic from a PDF font name.

    Examples:
        >>> font_flags("ABCDEF+TimesNewRomanPS-BoldItalicMT")
        (True, True)
        >>> font_flags("Times New Roman,Italic")
        (False, True)
    """
    base = fontname.split("+", 1)[-1]
    return bool(_BOLD_FONT.search(base)), bool(_ITALIC_FONT.search(base))


def _read_text_pages(data: bytes, numbers: list[int], settings: Settings) -> dict[int, Page]:
    """Lines of the text-layer pages, read with pdfplumber (the PDF opened once)."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError

    out: dict[int, Page] = {}
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except PDFPasswordIncorrect as e:
        raise DocumentError("encrypted_pdf") from e
    except (PDFSyntaxError, ValueError, KeyError, TypeError) as e:
        raise DocumentError("corrupt_file", f"the PDF text layer cannot be read ({type(e).__name__}: {e})") from e
    with pdf:
        for number in numbers:
            page = pdf.pages[number - 1]
            raw = page.dedupe_chars().extract_words(
                extra_attrs=["fontname", "size"], keep_blank_chars=False,
                x_tolerance=X_TOLERANCE, use_text_flow=False,
            )  # fmt: skip
            words: list[Word] = []
            for w in raw:
                bold, italic = font_flags(str(w.get("fontname", "")))
                word = Word(
                    text=w["text"], x0=float(w["x0"]), x1=float(w["x1"]), top=float(w["top"]),
                    bottom=float(w["bottom"]), bold=bold, italic=italic, size=float(w.get("size", 0.0)),
                )  # fmt: skip
                if words and _touching(words[-1], word):
                    _merge_into(words[-1], word)
                else:
                    words.append(word)
            letters, bad = count_letters(" ".join(w.text for w in words))
            if letters < settings.min_text_chars or bad > MAX_BAD_SHARE * (letters + bad):
                continue  # garbage after all ("(cid:NN)" glyphs): OCR it
            width, height = float(page.width), float(page.height)
            out[number] = Page(
                number=number, lines=words_to_lines(words, number, width, height, origin="text"),
                width=width, height=height, source="text",
            )  # fmt: skip
    return out


def _touching(left: Word, right: Word) -> bool:
    """Two words pdfplumber split only because the font changed ("08/02/2025" + italic ".")."""
    same_row = abs(left.top - right.top) < 0.3 * max(left.bottom - left.top, 1.0)
    gap = right.x0 - left.x1
    return same_row and -0.5 < gap < min(TOUCH_GAP * max(left.size, right.size, 1.0), 1.0)


def _merge_into(left: Word, right: Word) -> None:
    """Append `right` to `left`; the longer part gives the font flags."""
    if len(right.text) > len(left.text):
        left.bold, left.italic = right.bold, right.italic
    left.text += right.text
    left.x1 = max(left.x1, right.x1)
    left.top, left.bottom = min(left.top, right.top), max(left.bottom, right.bottom)


def _ocr_pages(data: bytes, numbers: list[int], settings: Settings) -> list[Page]:
    """OCR the pages without a usable text layer, or mark them "none" with the reason."""
    if not settings.ocr:
        detail = "OCR is switched off (--no-ocr); the page has no usable text layer"
        return [Page(number=n, source="none", error=errors.message("ocr_unavailable", detail)) for n in numbers]
    try:
        from .ocr import ocr_pdf_pages
    except ImportError as e:
        detail = f"{errors.MESSAGES['ocr_unavailable']} ({e})"
        return [Page(number=n, source="none", error=errors.message("ocr_unavailable", detail)) for n in numbers]
    try:
        pages = ocr_pdf_pages(data, numbers, settings)
    except DocumentError as e:
        if e.code not in ("ocr_unavailable", "ocr_failed"):
            raise
        return [Page(number=n, source="none", error=errors.message(e.code, e.detail)) for n in numbers]
    got = {p.number for p in pages}
    missing = [Page(number=n, source="none", error=errors.message("ocr_failed")) for n in numbers if n not in got]
    return [*pages, *missing]
