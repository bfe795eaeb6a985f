"""Extract stage, signature block of a PDF page: the signer's name printed only in the signature image.

Reads a page's text-layer lines and words (and the pypdfium2 page, to render the region under the
signer's title); returns the title rows split from an e-signature box beside them and a name line
read by OCR where the text layer has none. Never changes a line the text layer gave.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
from typing import Any

from ..config import Settings
from ..errors import DocumentError
from ..records import Line, Page
from .lines import Word

# The signature, the seal and the name under the title take 3-5 lines of the page in Nghị định
# 30/2020/NĐ-CP's layout; an e-signature picture placed by the signing software can push the
# name lower: the region read reaches 60 mm under the title block, at most to the page's end.
NAME_DEPTH = 170.0  # points (60 mm) under the signer's title
NAME_HALF_WIDTH = 100.0  # points either side of the title's centre, at least
NAME_DPI = 300.0
NAME_RETRY_DPI = 450.0  # a second reading, enlarged, when the first readings disagree or find no name
# Words further apart than this share of the font size are two texts on one row (an e-signature
# box's "Người ký: Sở Tài" printed beside the title "GIÁM ĐỐC"); a word space is about a quarter.
SEGMENT_GAP = 1.5


class _WordRows:
    """The words of a page indexed by their vertical centre: the words of a row are found by
    bisection instead of a pass over the page's words for every line."""

    def __init__(self, words: list[Word]) -> None:
        self.words = words
        centers = [(w.top + w.bottom) / 2 for w in words]
        self.order = sorted(range(len(words)), key=centers.__getitem__)
        self.centers = [centers[i] for i in self.order]

    def band(self, top: float, bottom: float) -> list[Word]:
        """The words whose centre lies in [top, bottom], in the page's word order."""
        lo, hi = bisect.bisect_left(self.centers, top), bisect.bisect_right(self.centers, bottom)
        return [self.words[i] for i in sorted(self.order[lo:hi])]


def _row_segments(line: Line, rows: _WordRows) -> list[Line]:
    """The runs of a line's words with ordinary spacing between them, as lines of their own.

    A text layer can put two texts on one row ("Người ký: Sở Tài" of an e-signature box and the
    title "GIÁM ĐỐC" far to its right): each is a segment with its own box.
    """
    row = sorted(
        (w for w in rows.band(line.top - 1.0, line.bottom + 1.0)
         if w.x0 >= line.x0 - 1.0 and w.x1 <= line.x1 + 1.0),
        key=lambda w: w.x0,
    )  # fmt: skip
    segments: list[list[Word]] = []
    for word in row:
        if segments and word.x0 - segments[-1][-1].x1 <= SEGMENT_GAP * max(word.size, 1.0):
            segments[-1].append(word)
        else:
            segments.append([word])
    if len(segments) < 2:
        return [line]
    return [
        dataclasses.replace(
            line, text=" ".join(w.text for w in seg), x0=seg[0].x0, x1=max(w.x1 for w in seg),
            top=min(w.top for w in seg), bottom=max(w.bottom for w in seg),
        )
        for seg in segments
    ]  # fmt: skip


@functools.lru_cache(maxsize=4096)
def _is_title(text: str) -> bool:
    """A signer title line of the closed list ("KT.GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"); a long line or
    one in lower case is rejected before it is matched."""
    from ..text.closed import match_signer_title
    from ..text.orthography import is_upper

    text = text.strip()
    return len(text) <= 40 and is_upper(text, 0.8) and match_signer_title(text) is not None


def split_title_rows(lines: list[Line], words: list[Word], height: float) -> list[Line]:
    """Lines with a signer title printed on one row with other text split into their segments.

    An e-signature box placed beside the title ("Người ký: Sở Tài" ... "GIÁM ĐỐC") shares its
    row; read as one line, the title would go with the box's text. Only rows of the lower part
    of a page in which a segment is a title of the closed list are split.
    """
    out: list[Line] = []
    rows = _WordRows(words)
    for line in lines:
        if line.top < 0.3 * height or _is_title(line.text) or line.table_row is not None:
            out.append(line)
            continue
        segments = _row_segments(line, rows)
        out.extend(segments if len(segments) > 1 and any(_is_title(s.text) for s in segments) else [line])
    return out


def _title_block(lines: list[Line], height: float, words: list[Word] | None = None) -> list[Line]:
    """The last signer title block of a text page ("KT.GIÁM ĐỐC" / "PHÓ GIÁM ĐỐC"), or [].

    A title printed on one row with other text (an e-signature box beside it) is found as the
    segment of the row it makes when `words` are given.
    """
    block: list[Line] = []
    rows = _WordRows(words) if words else None
    for whole in lines:
        if whole.page == 1 and whole.top < 0.3 * height:
            continue  # the header's agency lines, not a signature block
        for line in _row_segments(whole, rows) if rows else [whole]:
            if not _is_title(line.text):
                continue
            last = block[-1] if block else None
            if (
                last
                and 0 <= line.top - last.bottom <= last.bottom - last.top
                and abs((line.x0 + line.x1) - (last.x0 + last.x1))
                < 0.5 * (last.x1 - last.x0 + line.x1 - line.x0)
            ):
                block.append(line)
            else:
                block = [line]
    return block


def signature_name(
    page: Any,
    lines: list[Line],
    width: float,
    height: float,
    settings: Settings,
    words: list[Word] | None = None,
) -> list[Line]:
    """The signer's name read by OCR from the image under a title block without a name line.

    A born-digital page can print the signer's title as text and the name only in an image (a
    scanned signature with the name stamp, an e-signature's picture); Nghị định 30/2020/NĐ-CP
    prints the name under the title, after the signature. Only the region under the block (60 mm
    down, the block's column) is OCRed, the text layer's own words in it (an e-signature box)
    painted over first; only a line that reads as a person's name is kept, placed right under
    the block (origin "ocr"). Readings that disagree (a tone read two ways) are settled by
    reading the region again enlarged and voting syllable by syllable.
    """
    from ..metadata.signer import personal_name

    block = _title_block(lines, height, words)
    if not block:
        return []
    middle = sum(ln.x0 + ln.x1 for ln in block) / (2 * len(block))
    half = max(NAME_HALF_WIDTH, max(ln.x1 - ln.x0 for ln in block) / 2 + 40.0)
    x0, x1 = max(0.0, middle - half), min(width, middle + half)
    y0, y1 = block[-1].bottom + 1.0, min(height, block[-1].bottom + NAME_DEPTH)
    below = [ln for ln in lines if y0 - 1.0 <= ln.top < y1 and ln.x1 > x0 and ln.x0 < x1]
    if y1 - y0 < 20.0 or any(personal_name(ln.text) for ln in below):
        return []
    # the text layer's own words in the region (an e-signature box) are read already: paper
    boxes = [
        (w.x0, w.top, w.x1, w.bottom)
        for w in words or []
        if y0 - 1.0 <= w.top < y1 and w.x1 > x0 and w.x0 < x1
    ]
    if words is None:
        boxes = [(ln.x0, ln.top, ln.x1, ln.bottom) for ln in below]
    if _nothing_drawn(page, (x0, y0, x1, y1)):
        return []  # rendered, the region is paper: OCR would read nothing in it
    name, confidence = _read_name(page, (x0, y0, x1, y1), height, width, boxes, settings)
    return [_name_line(block[-1], name, confidence)] if name else []


def _nothing_drawn(page: Any, region: tuple[float, float, float, float]) -> bool:
    """True when nothing is drawn in a region (x0, top, x1, bottom in points) of an unrotated
    pypdfium2 page: no page object (text, path, image, form) reaches into it and the page has no
    annotation (a signature or a stamp can be one). A page without the name in the text layer
    and without a picture under the title (a word processor's PDF) then needs no OCR."""
    import pypdfium2.raw as pdfium_c

    try:
        if page.get_rotation() or pdfium_c.FPDFPage_GetAnnotCount(page.raw):
            return False
        x0, y0, x1, y1 = region
        top = page.get_mediabox()[3]
        for obj in page.get_objects(max_depth=3):
            left, bottom, right, upper = obj.get_bounds()
            if left < x1 and right > x0 and top - upper < y1 and top - bottom > y0:
                return False
    except (AttributeError, TypeError, ValueError):  # not a pypdfium2 page (a test's stand-in)
        return False
    return True


def _read_name(
    page: Any,
    region: tuple[float, float, float, float],
    height: float,
    width: float,
    boxes: list[tuple[float, float, float, float]],
    settings: Settings,
) -> tuple[str, float]:
    """The person's name OCR reads in a region (again enlarged when readings disagree), or ""."""
    candidates: list[tuple[str, float]] = []
    try:
        for dpi in (NAME_DPI, NAME_RETRY_DPI):
            rows = _read_region(page, region, height, width, boxes, dpi, settings)
            candidates += _name_candidates(rows)
            if candidates and len({text for text, _ in candidates}) == 1:
                break
    except (ImportError, DocumentError, RuntimeError, OSError):
        return "", 0.0  # no OCR engine: the name stays empty, as the page has it
    return vote_name(candidates)


def _name_line(last: Line, name: str, confidence: float) -> Line:
    """The name as a line right under the title block's last line (origin "ocr")."""
    under = last.bottom + 0.5
    return Line(name, page=last.page, bold=last.bold, centered=last.centered, size=last.size, x0=last.x0,
                x1=last.x1, top=under, bottom=under + (last.bottom - last.top), page_width=last.page_width,
                column=last.column, origin="ocr", confidence=round(confidence, 1))  # fmt: skip


def _read_region(
    page: Any,
    region: tuple[float, float, float, float],
    height: float,
    width: float,
    boxes: list[tuple[float, float, float, float]],
    dpi: float,
    settings: Settings,
) -> list[tuple[str, float]]:
    """OCR rows of a page region (x0, top, x1, bottom in points) rendered at `dpi`, `boxes` blanked."""
    from .ocr import ocr_region

    return ocr_region(_render_region(page, region, height, width, boxes, dpi), dpi, settings)


def _render_region(
    page: Any,
    region: tuple[float, float, float, float],
    height: float,
    width: float,
    boxes: list[tuple[float, float, float, float]],
    dpi: float,
) -> Any:
    """RGB pixels of a page region (x0, top, x1, bottom in points) rendered at `dpi`, `boxes` blanked."""
    x0, y0, x1, y1 = region
    scale = dpi / 72.0
    bitmap = page.render(scale=scale, crop=(x0, height - y1, width - x1, y0), may_draw_forms=True)
    pixels = bitmap.to_numpy()[:, :, :3]
    if pixels.shape[-1] == 3 and bitmap.mode in ("BGR", "BGRX"):
        pixels = pixels[:, :, ::-1]
    pixels = pixels.copy()
    for bx0, btop, bx1, bbottom in boxes:
        top, left = max(0, int((btop - y0 - 1) * scale)), max(0, int((bx0 - x0 - 1) * scale))
        pixels[top : int((bbottom - y0 + 1) * scale), left : int((bx1 - x0 + 1) * scale)] = 255
    return pixels


def _name_candidates(rows: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """The person's names the OCR rows of a signature region hold, with their confidence."""
    from ..metadata.signer import personal_name

    found: list[tuple[str, float]] = []
    for text, confidence in rows:
        # a stroke of the signature read as a stray letter between the name's words ("Phan Thi n Hiếu")
        words = [w for w in text.split() if len(w) > 1 or w.isupper()]
        windows = (" ".join(words[i : i + n]) for i in range(len(words)) for n in (5, 4, 3, 2))
        name = next((personal_name(w) for w in windows if personal_name(w)), "")
        if name:
            found.append((name, confidence))
    return found


def vote_name(candidates: list[tuple[str, float]]) -> tuple[str, float]:
    """One name from several OCR readings of it: the letters most readings agree on, then each
    syllable's marks by the readings' summed confidence.

    Examples:
        >>> vote_name([("Phan Thị Hiều", 92.7), ("Phan Thị Hiếu", 87.3), ("Phan Thị Hiếu", 95.7)])
        ('Phan Thị Hiếu', 95.7)
        >>> vote_name([("Nguyễn Tắn Bi", 80.0), ("Nguyễn Tấn Bi", 77.7), ("Nguyễn Tấn Bi", 74.0)])
        ('Nguyễn Tấn Bi', 80.0)
        >>> vote_name([])
        ('', 0.0)
    """
    from ..text.orthography import bare

    if not candidates:
        return "", 0.0
    groups: dict[str, list[tuple[str, float]]] = {}
    for text, confidence in candidates:
        groups.setdefault(bare(text).casefold(), []).append((text, confidence))
    best = max(groups.values(), key=lambda g: (len(g), sum(c for _, c in g)))
    words: list[str] = []
    for position in range(len(best[0][0].split())):
        weight: dict[str, float] = {}
        for text, confidence in best:
            word = text.split()[position]
            weight[word] = weight.get(word, 0.0) + max(confidence, 1.0)
        words.append(max(weight, key=lambda w: weight[w]))
    return " ".join(words), max(c for _, c in best)


# -- the signer block of a scanned page ---------------------------------------------------------

# Ink of a stamp in red: its red value this much above its green and blue ("KT. GIÁM ĐỐC" stamped
# over a printed "GIÁM ĐỐC", a name stamp "Lê Văn Thị"); a region whose share of such pixels is
# below STAMP_SHARE holds no stamp worth reading.
RED_MARGIN = 60
STAMP_SHARE = 0.01
NAME_STAMP_SHARE = 0.002  # a name stamp is small in the region under the title
TITLE_MARGIN = 14.0  # points above and below the title block read for a stamped title


def scan_signer(data: bytes, pages: list[Page], settings: Settings) -> None:
    """Read again the signer block of a scan whose page OCR found a title but no name under it.

    Nghị định 30/2020/NĐ-CP prints the name under the title, after the signature and the seal;
    on a scan the seal, the signature stroke or a name stamped in red (which the scan
    preparation turns to paper) leave the page OCR without it. The region under the last title
    block is read as on a text page (seal colour turned to paper, then raw), then its red ink
    alone; only a line that reads as a person's name is kept. When a red stamp lies on the title
    ("KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC" stamped over a printed "GIÁM ĐỐC"), the stamp's red ink is
    read against the closed list of titles and replaces a title block it completes. What was
    read is recorded in `Page.handwriting` ("signer_name", "signer_title": (text, confidence))
    for the review. A page whose name was read, or a document whose last block is on a text
    page, costs nothing.

    Args:
        data: the PDF bytes (the pages are rendered from it).
        pages: the document's pages; the last OCR page with a title block is changed in place.
        settings: `ocr_lang` and `timeout` are used.
    """
    from ..metadata.signer import personal_name

    for page in reversed(pages):
        block = _title_block(page.lines, page.height)
        if block:
            break
    else:
        return
    if page.source != "ocr" or not page.width or not page.height:
        return
    middle = sum(ln.x0 + ln.x1 for ln in block) / (2 * len(block))
    half = max(NAME_HALF_WIDTH, max(ln.x1 - ln.x0 for ln in block) / 2 + 40.0)
    x0, x1 = max(0.0, middle - half), min(page.width, middle + half)
    y0, y1 = block[-1].bottom + 1.0, min(page.height, block[-1].bottom + NAME_DEPTH)
    below = [ln for ln in page.lines if y0 - 1.0 <= ln.top < y1 and ln.x1 > x0 and ln.x0 < x1]
    if y1 - y0 < 20.0 or any(personal_name(ln.text) for ln in below):
        return
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        return
    try:
        pdf_page = _RenderOnce(document[page.number - 1])
        try:
            name, confidence = _read_name(pdf_page, (x0, y0, x1, y1), page.height, page.width, [], settings)
            if not name:
                name, confidence = _read_red_name(pdf_page, (x0, y0, x1, y1), page, settings)
            title = (x0, max(0.0, block[0].top - TITLE_MARGIN), x1, block[-1].bottom + TITLE_MARGIN)
            stamped = _read_stamped_title(pdf_page, title, page, block, settings)
        finally:
            pdf_page.close()
    finally:
        document.close()
    if stamped:
        block = _replace_block(page, block, stamped)
    if name:
        index = page.lines.index(block[-1]) + 1
        page.lines.insert(index, _name_line(block[-1], name, confidence))
        page.handwriting["signer_name"] = (name, round(confidence, 1))


class _RenderOnce:
    """A pypdfium2 page whose `render` draws each (scale, crop) once: the region under the title
    is read as a scan is, then for its red ink alone, from the same bitmap (pdfium decodes the
    page's scanned image for every drawing). The bitmaps are only read, never written."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self._drawn: dict[tuple[Any, ...], Any] = {}

    def render(self, **options: Any) -> Any:
        key = tuple(sorted(options.items()))
        if key not in self._drawn:
            self._drawn[key] = self.page.render(**options)
        return self._drawn[key]

    def close(self) -> None:
        self._drawn.clear()
        self.page.close()


def _red_only(pixels: Any, share: float = STAMP_SHARE) -> Any:
    """Black where the ink is red (a stamp), white elsewhere, as RGB pixels; None without a stamp."""
    import numpy as np

    rgb = pixels.astype(np.int16)
    red = rgb[..., 0] - np.maximum(rgb[..., 1], rgb[..., 2]) > RED_MARGIN
    if red.mean() < share:
        return None
    return np.repeat(np.where(red, 0, 255).astype(np.uint8)[..., None], 3, axis=2)


def _read_red_name(
    pdf_page: Any, region: tuple[float, float, float, float], page: Page, settings: Settings
) -> tuple[str, float]:
    """A name stamped in red under the signature ("Lê Văn Thị"), read from the red ink alone."""
    from .ocr import ocr_region

    try:
        red = _red_only(
            _render_region(pdf_page, region, page.height, page.width, [], NAME_DPI), NAME_STAMP_SHARE
        )
        if red is None:
            return "", 0.0
        return vote_name(_name_candidates(ocr_region(red, NAME_DPI, settings)))
    except (ImportError, DocumentError, RuntimeError, OSError):
        return "", 0.0


def _read_stamped_title(
    pdf_page: Any,
    region: tuple[float, float, float, float],
    page: Page,
    block: list[Line],
    settings: Settings,
) -> list[tuple[str, float]]:
    """The title lines a red stamp over the title block holds, when they complete the block.

    Every row of the stamp's ink with three letters or more must be a title of the closed list;
    the reading is kept when it has more title lines than the block, or a quyền hạn ("KT.",
    "TL.") the block lacks.
    """
    from ..text.closed import read_signer_title
    from .ocr import ocr_region

    try:
        red = _red_only(_render_region(pdf_page, region, page.height, page.width, [], NAME_DPI))
        if red is None:
            return []
        rows = ocr_region(red, NAME_DPI, settings)
    except (ImportError, DocumentError, RuntimeError, OSError):
        return []
    titles: dict[str, float] = {}
    prefixed = False
    for text, confidence in rows:
        if sum(c.isalpha() for c in text) < 3:
            continue
        found = read_signer_title(text)
        if found is None:
            return []
        prefixed = prefixed or bool(found.prefix)
        titles.setdefault(found.line, confidence)
    had_prefix = any((found := read_signer_title(ln.text)) and found.prefix for ln in block)
    if not titles or not (len(titles) > len(block) or (prefixed and not had_prefix)):
        return []
    return list(titles.items())


def _replace_block(page: Page, block: list[Line], titles: list[tuple[str, float]]) -> list[Line]:
    """The block's lines replaced by the stamped title lines, spread over the block's height."""
    first, last = block[0], block[-1]
    step = (last.bottom - first.top) / len(titles)
    lines = [
        dataclasses.replace(first, text=text, top=first.top + i * step, bottom=first.top + (i + 1) * step,
                            origin="ocr", confidence=round(confidence, 1))
        for i, (text, confidence) in enumerate(titles)
    ]  # fmt: skip
    index = page.lines.index(first)
    page.lines[:] = [ln for ln in page.lines if ln not in block]
    page.lines[index:index] = lines
    page.handwriting["signer_title"] = (" / ".join(t for t, _ in titles), min(c for _, c in titles))
    return lines
