"""Extract stage, PDF: bytes of a PDF -> `records.Page`s of Lines, text layer or OCR per page.

pypdfium2 opens the PDF once and reads each page once: it decides whether the text layer is
usable and reads its characters with font name, size and box, which are grouped into words the
way pdfplumber's `extract_words` does (x_tolerance 1.5, y_tolerance 3, a new word at a font
change), about eight times faster than pdfplumber's pdfminer parse. The other pages go to
Tesseract (`ocr.ocr_pdf_pages`). Never normalizes text; TCVN3/VNI text layers are kept as they
are for normalize to convert.
"""

from __future__ import annotations

import ctypes
import functools
import itertools
import operator
import re
from collections.abc import Callable
from typing import Any, cast

from .. import errors
from ..config import Settings
from ..errors import DocumentError
from ..records import Page
from ..text.legacy import detect_legacy, legacy_to_unicode
from ..text.orthography import syllable_shares
from .lines import HRule, VRule, Word, words_to_lines
from .pdf_quirks import SEEN, WHITE, Frame, backdrops, direction, is_mark, look, over, overprinted, page_frame
from .signature import scan_signer, signature_name, split_title_rows

# pdfplumber's rendering of a glyph without a Unicode mapping: "(cid:72)(cid:85)".
_CID = re.compile(r"\(cid:\d+\)")  # "(cid:72)"
# Characters a text layer gives for what it cannot map: U+FFFD, private-use glyphs (category Co),
# control characters (Cc) other than tab, newline, form feed and carriage return: "Kết lu\ue03an".
_UNREADABLE = re.compile(
    "[\ufffd\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]"
)
# Font-name markers of bold and italic faces: "TimesNewRomanPS-BoldMT", "Times New Roman,Bold",
# "Arial,BoldItalic", "VnTime-B" (a ".VnTimeH"-era TCVN3 font with a -B suffix).
_BOLD_FONT = re.compile(
    r"(bold|black|heavy|semibold|demibold|[,-]B$|[,-]BI$)", re.IGNORECASE
)  # "Times New Roman,Bold"
_ITALIC_FONT = re.compile(r"(italic|oblique|[,-]I$|[,-]BI$)", re.IGNORECASE)  # "Times New Roman,Italic"
# A page that is mostly one picture is a scan even when an e-signature stamp or a few words of
# text lie on it: its text layer must carry this many times min_text_chars to be used.
IMAGE_COVER_SCAN = 0.6
SCAN_TEXT_FACTOR = 5
# Share of unreadable characters (U+FFFD, private-use glyphs, "(cid:N)") above which a text
# layer is garbage and the page is OCRed instead.
MAX_BAD_SHARE = 0.2
# A text layer is judged by what it says: with at least JUDGED_WORDS words, one whose words are
# mostly no Vietnamese syllables (an old OCR layer: "uY BAN NgAN nAN", "THONGBAo"; a font without
# a ToUnicode map) or whose syllables carry almost no marks ("UY BAN NHAN DAN": an OCR or a
# mapping that lost the diacritics) is OCRed again. TCVN3/VNI layers are judged once decoded.
JUDGED_WORDS = 20
MIN_SYLLABLE_SHARE = 0.6
MIN_MARKED_SHARE = 0.15
X_TOLERANCE = 1.5
# Characters whose tops differ by at most this are on one line (pdfplumber's default y_tolerance).
Y_TOLERANCE = 3.0
# Two identical characters (same text, font and size) closer than this are one glyph printed
# twice, a common way to fake bold (pdfplumber's `dedupe_chars` tolerance).
DEDUPE_TOLERANCE = 1.0
# Words closer than this share of the font size are one word split by a font change
# (a word space is about a quarter of the size).
TOUCH_GAP = 0.08
# A ruled table (the cell borders Word and LibreOffice draw as thin path objects) is read row by
# row when its ruling forms at least this many rows and columns; the borderless two-column header
# and signer blocks have no ruling and stay with the line builder.
RULE_MAX_THICKNESS = 2.5  # a border line is at most this thick (points)
RULE_MIN_LENGTH = 8.0  # and at least this long


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
        >>> pages, kind = extract_pdf(open("../shared/corpus/real/"
        ...     "qngai_ubnd_tb11_2025_ketluan_cophanhoa_qisc.pdf", "rb").read(), Settings())
        >>> kind, pages[0].lines[0].text, pages[0].lines[0].column
        ('text_pdf', 'ỦY BAN NHÂN DÂN', 'left')
    """
    pages, ocr_numbers = _read_pages(data, settings)
    # Pages without a usable text layer (or whose words turned out to be garbage) are OCRed.
    if ocr_numbers:
        pages.update({p.number: p for p in _ocr_pages(data, ocr_numbers, settings)})
    ordered = [pages[n] for n in sorted(pages)]
    if ocr_numbers and settings.ocr:
        scan_signer(data, ordered, settings)  # a name under a seal, a title under a stamp
    text_count = sum(1 for p in ordered if p.source == "text")
    if text_count == len(ordered):
        kind = "text_pdf"
    elif text_count == 0:
        kind = "scanned_pdf"
    else:
        kind = "mixed_pdf"
    return ordered, kind


def _read_pages(data: bytes, settings: Settings) -> tuple[dict[int, Page], list[int]]:
    """Text-layer pages as Pages, and the numbers of the pages to OCR (the PDF parsed once)."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        reason = str(e)
        # PDFium refuses a well-formed PDF whose page tree is empty, and without an error of its
        # own: the reason is then the last one it gave ("password" after an encrypted PDF)
        if _has_no_pages(data):
            raise DocumentError("no_text", "the PDF has no pages") from e
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
        pages: dict[int, Page] = {}
        ocr_numbers: list[int] = []
        for index in range(count):
            number = index + 1
            page = document[index]
            if _flatten_widgets(page):
                page.close()
                page = document[index]
            try:
                read = _read_page(page, number, settings)
            finally:
                page.close()
            if read is None:
                ocr_numbers.append(number)
            else:
                pages[number] = read
        return pages, ocr_numbers
    finally:
        document.close()


def _has_no_pages(data: bytes) -> bool:
    """True when pdfminer (pdfplumber's parser) reads the PDF's catalog and finds no page in it."""
    import io

    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    try:
        document = PDFDocument(PDFParser(io.BytesIO(data)))
        return next(iter(PDFPage.create_pages(document)), None) is None
    except Exception:  # not parseable either: a corrupt file, not an empty one
        return False


def _read_page(page: Any, number: int, settings: Settings) -> Page | None:
    """The page's lines from its text layer, or None when the page must be OCRed."""
    textpage = page.get_textpage()
    try:
        text = textpage.get_text_range()
        if not text.strip() and _is_blank(page):
            return Page(
                number=number, width=float(page.get_width()), height=float(page.get_height()), source="text"
            )
        if not _text_layer_usable(page, text, settings):
            return None
        words, frame = _page_words(textpage, text, page)
    finally:
        textpage.close()
    letters, bad = count_letters(" ".join(w.text for w in words))
    if letters < settings.min_text_chars or bad > MAX_BAD_SHARE * (letters + bad):
        return None  # garbage after all (unmapped glyphs): OCR it
    if not reads_as_vietnamese(text):
        return None  # an old OCR layer or a font without its Unicode map: OCR the page again
    width, height = frame.size
    lines = words_to_lines(words, number, width, height, origin="text", rulings=_rulings(page, frame))
    lines = split_title_rows(lines, words, height)
    if settings.ocr:
        lines += signature_name(page, lines, width, height, settings, words)
    return Page(number=number, lines=lines, width=width, height=height, source="text")


# -- ruled tables ------------------------------------------------------------------------------


def _rulings(page: Any, frame: Frame) -> tuple[list[HRule], list[VRule]]:
    """Horizontal and vertical border lines of the page in its frame: thin path objects, and the
    edges of stroked rectangles (cell borders drawn as boxes)."""
    import pypdfium2.raw as pdfium_c

    horizontal: list[HRule] = []
    vertical: list[VRule] = []
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=3):
        left, y0, right, y1 = frame.box(*obj.get_bounds())
        w, h = right - left, y1 - y0
        if h <= RULE_MAX_THICKNESS and w >= RULE_MIN_LENGTH:
            horizontal.append((left, right, (y0 + y1) / 2))
        elif w <= RULE_MAX_THICKNESS and h >= RULE_MIN_LENGTH:
            vertical.append(((left + right) / 2, y0, y1))
        elif w >= RULE_MIN_LENGTH and h >= RULE_MIN_LENGTH and pdfium_c.FPDFPath_CountSegments(obj.raw) <= 5:
            pdfium_c.FPDFPath_GetDrawMode(obj.raw, fill, stroke)
            if stroke.value:
                horizontal += [(left, right, y0), (left, right, y1)]
                vertical += [(left, y0, y1), (right, y0, y1)]
    return horizontal, vertical


def _flatten_widgets(page: Any) -> bool:
    """Draw the page's form-field appearances into its content; True when it did (reopen the page).

    E-office systems print parts of the header as form fields: the number and day typed into the
    e-signature widgets ("Số: 11 /TB-UBND", "ngày 08 tháng 01"). A reader sees them, a text layer
    read without the widgets does not. Only pages with a widget are flattened, in memory.
    """
    import pypdfium2.raw as pdfium_c

    raw = page.raw
    widgets = False
    for i in range(pdfium_c.FPDFPage_GetAnnotCount(raw)):
        annot = pdfium_c.FPDFPage_GetAnnot(raw, i)
        try:
            widgets = widgets or pdfium_c.FPDFAnnot_GetSubtype(annot) == pdfium_c.FPDF_ANNOT_WIDGET
        finally:
            pdfium_c.FPDFPage_CloseAnnot(annot)
    if not widgets:
        return False
    return bool(pdfium_c.FPDFPage_Flatten(raw, pdfium_c.FLAT_NORMALDISPLAY) == pdfium_c.FLATTEN_SUCCESS)


def _is_blank(page: Any) -> bool:
    """A page without text, pictures or drawings (a blank page a word processor left at the end):
    nothing to OCR, and no reason to call the PDF scanned."""
    return not any(True for _ in page.get_objects(max_depth=2))


def _text_layer_usable(page: Any, text: str, settings: Settings) -> bool:
    """Enough real letters, little garbage, and not a full-page picture with a stamp on it."""
    import pypdfium2.raw as pdfium_c

    letters, bad = count_letters(text)
    if letters < settings.min_text_chars or bad > MAX_BAD_SHARE * (letters + bad):
        return False
    width, height = page.get_size()
    area = max(width * height, 1.0)
    covered = 0.0
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2):
        left, bottom, right, top = obj.get_bounds()
        covered += max(right - left, 0) * max(top - bottom, 0)
    if covered / area >= IMAGE_COVER_SCAN and letters < SCAN_TEXT_FACTOR * settings.min_text_chars:
        return False
    return True


def reads_as_vietnamese(text: str) -> bool:
    """Whether a page's text layer says something in Vietnamese: its words are syllables with
    their marks (TCVN3/VNI text decoded first); a page with too few words to judge passes.

    Examples:
        >>> reads_as_vietnamese("ỦY BAN NHÂN DÂN TỈNH CÀ MAU " * 4)
        True
        >>> reads_as_vietnamese("uY BAN NgAN nAN TiNH CA MAU THONGBAo " * 4)
        False
        >>> reads_as_vietnamese("UY BAN NHAN DAN TINH CA MAU SO NONG NGHIEP " * 3)
        False
        >>> reads_as_vietnamese("Uû ban nh©n d©n tØnh Qu¶ng Ng·i, Th«ng b¸o kÕt luËn " * 3)
        True
    """
    encoding = detect_legacy(text)
    if encoding:
        text = legacy_to_unicode(text, encoding)
    words, syllables, marked = syllable_shares(text)
    return words < JUDGED_WORDS or (syllables >= MIN_SYLLABLE_SHARE and marked >= MIN_MARKED_SHARE)


def count_letters(text: str) -> tuple[int, int]:
    """Readable letters and unreadable characters (U+FFFD, private use, controls, "(cid:N)").

    Examples:
        >>> count_letters("Kết luận (cid:12)(cid:13)")
        (7, 2)
    """
    cids = 0
    if "(cid:" in text:
        cids = len(_CID.findall(text))
        text = _CID.sub("", text)
    return sum(map(str.isalpha, text)), len(_UNREADABLE.findall(text)) + cids


@functools.lru_cache(maxsize=512)
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


# One character of a text layer: (text, x0, x1, top, bottom, fontname, size), top-left origin.
_Char = tuple[str, float, float, float, float, str, float]


# A character as read off its text object, before it is placed: (text, left, bottom, right, top
# in user space, (size, fontname, quarter turn, straight, look) of its object).
_Found = tuple[str, float, float, float, float, tuple[float, str, int, bool, int]]


def _page_chars(textpage: Any, text: str, page_top: float) -> list[_Char]:
    """Every character of an unturned page in content order, with pdfplumber's box (the advance
    width across, the font size tall from the descent line), top-left origin under `page_top`."""
    found, _, _ = _found_chars(textpage, text)
    return [(ch, left, right, page_top - bottom - info[0], page_top - bottom, info[1], info[0])
            for ch, left, bottom, right, _, info in found]  # fmt: skip


def _seen_chars(textpage: Any, text: str, page: Any) -> tuple[list[_Char], Frame]:
    """The characters a reader sees on a page, with pdfplumber's box in the page's frame, and that
    frame: turned with the page's text (a /Rotate page, a table set sideways), the crop box.

    Left out: characters outside the crop box, across the page's text direction (a diagonal
    watermark, a margin note set sideways), invisible (render mode 3) or white unless over a
    picture (the hidden layer an OCR tool lays over its scan) or, for white, a filled shape.
    """
    found, quarters, read = _found_chars(textpage, text)
    turn = max(range(4), key=quarters.__getitem__)
    frame = page_frame(page, turn)
    hidden = {info[4] for *_, info in found} - {SEEN}
    shown = {kind: backdrops(page, kind == WHITE) for kind in hidden}
    # a run printed twice looks bold: set in its font's bold face, as font_flags reads it
    doubled = {id(read[address]) for address in overprinted(page, set(read)) if address in read}
    chars: list[_Char] = []
    for ch, left, bottom, right, upper, info in found:
        size, fontname, quarter, straight, seen = info
        if doubled and id(info) in doubled:
            fontname += ",Bold"
        if quarter != turn or not straight or not frame.holds(left, bottom, right, upper):
            continue
        if seen != SEEN and not over((left, bottom, right, upper), shown[seen]):
            continue
        x0, _, x1, low = frame.box(left, bottom, right, upper)
        chars.append((ch, x0, x1, low - size, low, fontname, size))
    return chars, frame


def _found_chars(
    textpage: Any, text: str
) -> tuple[list[_Found], list[int], dict[int, tuple[float, str, int, bool, int]]]:
    """The characters of a page in content order as pdfium reads them, how many run in each
    quarter turn, and what was read off each text object (by its address). `text` is the page text from `get_text_range` (one character per index);
    blanks pdfium inferred from gaps are left out, as pdfplumber splits words by the gaps
    themselves. A combining mark (decomposed text, "e" + U+0302) goes with the character before it.
    """
    import pypdfium2.raw as pdfium_c

    raw = textpage.raw
    count = pdfium_c.FPDFText_CountChars(raw)
    if len(text) != count:  # a character outside the BMP took two UTF-16 units: read one by one
        text = "".join(_char_text(pdfium_c.FPDFText_GetUnicode(raw, i)) for i in range(count))
    is_generated = pdfium_c.FPDFText_IsGenerated
    get_box = pdfium_c.FPDFText_GetLooseCharBox
    get_size = pdfium_c.FPDFText_GetFontSize
    get_font = pdfium_c.FPDFText_GetFontInfo
    get_matrix = pdfium_c.FPDFText_GetMatrix
    rect = pdfium_c.FS_RECTF()
    matrix = pdfium_c.FS_MATRIX()
    buffer = ctypes.create_string_buffer(256)
    # references made once, not converted again at every call of the loop below
    rect_ref, buffer_ref, flags_ref = ctypes.byref(rect), ctypes.byref(buffer), ctypes.byref(ctypes.c_int())
    matrix_ref = ctypes.byref(matrix)
    get_object = _text_object_address()
    fonts: dict[bytes, str] = {}
    # pdfium reads a character's font, size, direction and ink off its text object: asked once per object
    objects: dict[int, tuple[float, str, int, bool, int]] = {}
    quarters = [0, 0, 0, 0]
    found: list[_Found] = []
    append = found.append
    for i, char in enumerate(text):
        if char.isspace() and is_generated(raw, i) == 1:
            continue
        get_box(raw, i, rect_ref)
        address = get_object(raw, i)
        info = objects.get(address) if address else None
        if info is None:
            size = float(get_size(raw, i))
            get_font(raw, i, buffer_ref, 256, flags_ref)
            name = buffer.value
            fontname = fonts.get(name)
            if fontname is None:
                fontname = fonts[name] = name.decode("utf-8", "replace")
            quarter, straight = direction(matrix.a, matrix.b) if get_matrix(raw, i, matrix_ref) else (0, True)
            info = (size, fontname, quarter, straight, look(address))
            if address:
                objects[address] = info
        if found and is_mark(char) and found[-1][5][2] == info[2]:
            previous = found[-1]  # a mark drawn after its letter, over it: one character
            found[-1] = (previous[0] + char, *previous[1:])
            continue
        quarters[info[2]] += 1
        append((char, rect.left, rect.bottom, rect.right, rect.top, info))
    return found, quarters, objects


@functools.cache
def _text_object_address() -> Callable[[Any, int], int | None]:
    """pdfium's `FPDFText_GetTextObject` returning the object's address as an int (a key), not a
    pointer object."""
    import pypdfium2.raw as pdfium_c

    function = pdfium_c.FPDFText_GetTextObject
    prototype = ctypes.CFUNCTYPE(ctypes.c_void_p, *function.argtypes)
    address = ctypes.cast(function, ctypes.c_void_p).value
    assert address is not None  # a function of the loaded library
    return cast(Callable[[Any, int], "int | None"], prototype(address))


def _char_text(code: int) -> str:
    """The character of a pdfium Unicode value; U+FFFD for an unmapped glyph."""
    return chr(code) if 0 < code < 0x110000 and code not in (0xFFFE, 0xFFFF) else "\ufffd"


def _line_clusters(chars: list[_Char]) -> list[list[_Char]]:
    """Characters grouped into lines by their tops (chained within Y_TOLERANCE), each left to right."""
    tops = sorted({ch[3] for ch in chars})
    cluster_of: dict[float, int] = {}
    cluster = 0
    last = tops[0]
    for top in tops:
        if top > last + Y_TOLERANCE:
            cluster += 1
        cluster_of[top] = cluster
        last = top
    if cluster == 0:
        return [sorted(chars, key=_x_key)]
    lines: list[list[_Char]] = [[] for _ in range(cluster + 1)]
    for ch in chars:
        lines[cluster_of[ch[3]]].append(ch)
    return [sorted(line, key=_x_key) for line in lines if line]


# Left to right within a line: (x0, x1) of a character (a C-level key: sorting runs for every line).
_x_key = operator.itemgetter(1, 2)
# A run of one font and size: (fontname, size).
_font_key = operator.itemgetter(5, 6)


def _word(run: list[_Char], overprinted: int = 0) -> Word:
    """One word from its characters (sorted left to right); font flags of the first, and bold
    when most of its characters were printed twice (fake bold: `overprinted` of them)."""
    texts, _, x1s, tops, bottoms, _, _ = zip(*run, strict=True)
    bold, italic = font_flags(run[0][5])
    bold = bold or overprinted * 2 > len(run)
    return Word(
        text="".join(texts), x0=run[0][1], x1=max(x1s), top=min(tops), bottom=max(bottoms),
        bold=bold, italic=italic, size=run[0][6],
    )  # fmt: skip


def _chars_to_words(chars: list[_Char]) -> list[Word]:
    """Words as pdfplumber's `dedupe_chars().extract_words(extra_attrs=["fontname", "size"])`
    makes them: runs of one font and size, cut into lines, split at blanks and at gaps wider
    than X_TOLERANCE; a glyph printed again within 1 pt of itself (fake bold) is read once, and
    a word most of whose glyphs were printed again is bold, as it looks."""
    words: list[Word] = []
    for _, group in itertools.groupby(chars, key=_font_key):
        for line in _line_clusters(list(group)):
            run: list[_Char] = []
            kept: list[_Char] = []
            doubled: set[int] = set()  # indexes in `kept` of glyphs printed again
            for ch in line:
                text, x0, _, top = ch[0], ch[1], ch[2], ch[3]
                duplicate = False
                for back in range(len(kept) - 1, -1, -1):  # sorted by x0: only the last few are within 1 pt
                    prev = kept[back]
                    if x0 - prev[1] > DEDUPE_TOLERANCE:
                        break
                    if prev[0] == text and abs(prev[3] - top) <= DEDUPE_TOLERANCE:
                        duplicate = True
                        doubled.add(back)
                        break
                if duplicate:
                    continue
                if text.isspace():
                    if run:
                        words.append(_word(run, _count_doubled(doubled, len(kept), len(run))))
                    kept.append(ch)
                    run = []
                    continue
                if run:
                    last = run[-1]
                    if x0 < last[1] or x0 > last[2] + X_TOLERANCE or abs(top - last[3]) > Y_TOLERANCE:
                        words.append(_word(run, _count_doubled(doubled, len(kept), len(run))))
                        run = []
                kept.append(ch)
                run.append(ch)
            if run:
                words.append(_word(run, _count_doubled(doubled, len(kept), len(run))))
    return words


def _count_doubled(doubled: set[int], end: int, length: int) -> int:
    """How many of the last `length` kept glyphs before index `end` were printed again."""
    return sum(1 for k in range(end - length, end) if k in doubled) if doubled else 0


def _page_words(textpage: Any, text: str, page: Any) -> tuple[list[Word], Frame]:
    """The words a reader sees on a page, with two parts split only by a font change joined
    again, and the page's frame they are placed in."""
    chars, frame = _seen_chars(textpage, text, page)
    words: list[Word] = []
    for word in _chars_to_words(chars):
        if words and _touching(words[-1], word):
            _merge_into(words[-1], word)
        else:
            words.append(word)
    return words, frame


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
        return [
            Page(number=n, source="none", error=errors.message("ocr_unavailable", detail)) for n in numbers
        ]
    try:
        from .ocr import ocr_pdf_pages
    except ImportError as e:
        detail = f"{errors.MESSAGES['ocr_unavailable']} ({e})"
        return [
            Page(number=n, source="none", error=errors.message("ocr_unavailable", detail)) for n in numbers
        ]
    try:
        pages = ocr_pdf_pages(data, numbers, settings)
    except DocumentError as e:
        if e.code not in ("ocr_unavailable", "ocr_failed"):
            raise
        return [Page(number=n, source="none", error=errors.message(e.code, e.detail)) for n in numbers]
    got = {p.number for p in pages}
    missing = [
        Page(number=n, source="none", error=errors.message("ocr_failed")) for n in numbers if n not in got
    ]
    return [*pages, *missing]
