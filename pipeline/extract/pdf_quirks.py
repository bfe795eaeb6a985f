"""Extract stage helper, PDF: a page's text as a reader sees it, however the producer drew it.

Reads a pypdfium2 page and its text objects: the frame a reader sees (the crop box, turned so that
the page's text runs left to right: a /Rotate page, a landscape table set sideways), and which
characters are seen at all (not invisible, not white on paper, inside the crop box). Returns boxes
in that frame, top-left origin. Never changes the PDF and never reads the characters' text.
"""

from __future__ import annotations

import ctypes
import functools
import itertools
import math
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

# A text object is seen, invisible (render mode 3 or 7, a fully transparent fill: the hidden text
# layer an OCR tool lays over a scan) or white (white ink on white paper, unless something is under it).
SEEN, INVISIBLE, WHITE = 0, 1, 2
# pdfium's text render modes (ISO 32000-1 §9.3.6): 3 draws nothing, 7 only clips.
_INVISIBLE_MODES = (3, 7)
_STROKED_MODES = (1, 2, 5, 6)
_FILLED_MODES = (0, 2, 4, 6)
# A colour channel at or above this is white ink (a white that anti-aliasing or CMYK conversion
# left at 254).
WHITE_LEVEL = 250
# A character whose baseline turns off the page's reading direction by more than this many
# degrees is a margin note, a stamp or a diagonal watermark ("BẢN SAO" across the page).
ANGLE_SLACK = 12.0
# A text object drawn again this close (points, every side of its box) is the same text printed
# twice (pdfplumber's `dedupe_chars` tolerance).
DOUBLE_TOLERANCE = 1.0
# A character's centre may lie this far (points) outside the crop box and still be on the page.
CROP_SLACK = 1.0


@dataclass(frozen=True, slots=True)
class Frame:
    """The page as a reader holds it: its crop box (user space) and the quarter turns that make
    its text run left to right (1: the text runs up the user space, as on a /Rotate 90 page).

    Examples:
        >>> Frame(0.0, 0.0, 842.0, 595.0, 1).box(49.8, 119.6, 62.6, 128.3)  # "Ủ" turned a quarter
        (119.6, 49.8, 128.3, 62.6)
        >>> Frame(0.0, 0.0, 842.0, 595.0, 1).size
        (595.0, 842.0)
    """

    left: float
    bottom: float
    right: float
    top: float
    quarter: int = 0

    @property
    def size(self) -> tuple[float, float]:
        """(width, height) as the reader sees the page."""
        w, h = self.right - self.left, self.top - self.bottom
        return (h, w) if self.quarter % 2 else (w, h)

    def box(self, left: float, bottom: float, right: float, top: float) -> tuple[float, float, float, float]:
        """A user-space box (left, bottom, right, top) as (x0, top, x1, bottom) in the frame."""
        q = self.quarter
        if q == 0:
            return left - self.left, self.top - top, right - self.left, self.top - bottom
        if q == 1:
            return bottom - self.bottom, left - self.left, top - self.bottom, right - self.left
        if q == 2:
            return self.right - right, bottom - self.bottom, self.right - left, top - self.bottom
        return self.top - top, self.right - right, self.top - bottom, self.right - left

    def holds(self, left: float, bottom: float, right: float, top: float) -> bool:
        """Whether a user-space box's centre lies inside the crop box."""
        cx, cy = (left + right) / 2, (bottom + top) / 2
        return (
            self.left - CROP_SLACK <= cx <= self.right + CROP_SLACK
            and self.bottom - CROP_SLACK <= cy <= self.top + CROP_SLACK
        )


def page_frame(page: Any, quarter: int = 0) -> Frame:
    """The frame of a pypdfium2 page: its crop box cut to its media box, turned `quarter` times.

    Examples:
        >>> page_frame(pdf[0]).size  # an A4 page  # doctest: +SKIP
        (595.0, 842.0)
    """
    ml, mb, mr, mt = page.get_mediabox()
    cl, cb, cr, ct = page.get_cropbox()
    left, bottom, right, top = max(ml, cl), max(mb, cb), min(mr, cr), min(mt, ct)
    if right - left < 1.0 or top - bottom < 1.0:  # a crop box off the media: the media box
        left, bottom, right, top = ml, mb, mr, mt
    return Frame(float(left), float(bottom), float(right), float(top), quarter % 4)


def direction(a: float, b: float) -> tuple[int, bool]:
    """The quarter turn of a character's baseline from its matrix (a, b), and whether the baseline
    lies within ANGLE_SLACK of it.

    Examples:
        >>> direction(0.0, 1.0)  # text set up the page: a /Rotate 90 page's content
        (1, True)
        >>> direction(0.6428, 0.766)  # a watermark set at 50 degrees
        (1, False)
    """
    angle = math.degrees(math.atan2(b, a)) % 360.0
    quarter = round(angle / 90.0) % 4
    off = abs(angle - 90.0 * round(angle / 90.0))
    return quarter, off <= ANGLE_SLACK


def look(address: int | None) -> int:
    """SEEN, INVISIBLE or WHITE for a text object given by its address (pdfium's
    `FPDFText_GetTextObject`); a character without an object is seen."""
    if not address:
        return SEEN
    mode_of, fill_of, stroke_of = _object_functions()
    mode = mode_of(address)
    if mode in _INVISIBLE_MODES:
        return INVISIBLE
    fill = _colour(fill_of, address) if mode in _FILLED_MODES else None
    stroke = _colour(stroke_of, address) if mode in _STROKED_MODES else None
    inks = [c for c in (fill, stroke) if c is not None]
    if not inks:
        return SEEN  # colour unknown (a pattern): drawn
    if all(alpha == 0 for *_, alpha in inks):
        return INVISIBLE
    if all(min(r, g, b) >= WHITE_LEVEL or alpha == 0 for r, g, b, alpha in inks):
        return WHITE
    return SEEN


def _colour(function: Callable[..., int], address: int) -> tuple[int, int, int, int] | None:
    """An object's fill or stroke colour (r, g, b, a), or None when pdfium cannot give it."""
    r, g, b, a = ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint()
    if not function(address, ctypes.byref(r), ctypes.byref(g), ctypes.byref(b), ctypes.byref(a)):
        return None
    return r.value, g.value, b.value, a.value


@functools.cache
def _object_functions() -> tuple[Callable[[int], int], Callable[..., int], Callable[..., int]]:
    """pdfium's render mode, fill colour and stroke colour of a page object, taking the object's
    address as an int (the key `FPDFText_GetTextObject` gives) rather than a pointer object."""
    import pypdfium2.raw as pdfium_c

    def rebind(function: Any, restype: Any, *argtypes: Any) -> Callable[..., int]:
        prototype = ctypes.CFUNCTYPE(restype, ctypes.c_void_p, *argtypes)
        address = ctypes.cast(function, ctypes.c_void_p).value
        assert address is not None  # a function of the loaded library
        return cast(Callable[..., int], prototype(address))

    uint = ctypes.POINTER(ctypes.c_uint)
    return (
        rebind(pdfium_c.FPDFTextObj_GetTextRenderMode, ctypes.c_int),
        rebind(pdfium_c.FPDFPageObj_GetFillColor, ctypes.c_int, uint, uint, uint, uint),
        rebind(pdfium_c.FPDFPageObj_GetStrokeColor, ctypes.c_int, uint, uint, uint, uint),
    )


UserBox = tuple[float, float, float, float]  # left, bottom, right, top in user space


def backdrops(page: Any, white: bool) -> list[UserBox]:
    """What hidden text may lie over and still be read: the page's pictures (the scan an OCR tool
    laid its invisible layer over) and, for white text, the filled shapes it is printed on (a
    coloured title band)."""
    import pypdfium2.raw as pdfium_c

    kinds = [pdfium_c.FPDF_PAGEOBJ_IMAGE] + ([pdfium_c.FPDF_PAGEOBJ_PATH] if white else [])
    boxes: list[UserBox] = []
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    r, g, b, a = ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint()
    for obj in page.get_objects(filter=kinds, max_depth=3):
        if obj.type == pdfium_c.FPDF_PAGEOBJ_PATH:
            pdfium_c.FPDFPath_GetDrawMode(obj.raw, fill, stroke)
            if not fill.value or not pdfium_c.FPDFPageObj_GetFillColor(obj.raw, r, g, b, a):
                continue
            if a.value == 0 or min(r.value, g.value, b.value) >= WHITE_LEVEL:
                continue  # white on white: no backdrop
        boxes.append(tuple(float(v) for v in obj.get_bounds()))  # type: ignore[arg-type]
    return boxes


def over(box: UserBox, boxes: list[UserBox]) -> bool:
    """Whether a user-space box's centre lies on one of `boxes`."""
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return any(left <= cx <= right and bottom <= cy <= top for left, bottom, right, top in boxes)


def is_mark(char: str) -> bool:
    """A combining mark (a tone or a vowel mark of decomposed text: "ê" as "e" + U+0302).

    Examples:
        >>> is_mark("\\u0303"), is_mark("ã"), is_mark("a")
        (True, False, False)
    """
    return char >= "\u0300" and unicodedata.combining(char) > 0


def overprinted(page: Any, read: set[int]) -> set[int]:
    """The text objects (addresses) printed again within DOUBLE_TOLERANCE of themselves: fake
    bold, as some printer drivers and e-office tools make a heading bold ("THÔNG BÁO" drawn
    twice, 0.3 pt apart). pdfium's text page reads the copies once and keeps no trace of
    them; here a copy is a text object no character came from whose box is that of one that
    `read` holds.
    """
    text_objects = _text_objects(page)
    if all(address in read for address in text_objects):
        return set()  # the common case: no copy
    bounds = _bounds_function()
    left, bottom, right, top = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    refs = (ctypes.byref(left), ctypes.byref(bottom), ctypes.byref(right), ctypes.byref(top))
    kept: dict[tuple[int, int], list[tuple[UserBox, int]]] = {}  # by the box's corner, on a 1 pt grid
    copies: list[UserBox] = []
    for address in text_objects:
        if not bounds(address, *refs):
            continue
        box = (left.value, bottom.value, right.value, top.value)
        if address in read:
            kept.setdefault((round(box[0]), round(box[1])), []).append((box, address))
        else:
            copies.append(box)
    doubled: set[int] = set()
    for copy in copies:
        x, y = round(copy[0]), round(copy[1])
        near = (kept.get((x + dx, y + dy), ()) for dx in (-1, 0, 1) for dy in (-1, 0, 1))
        for box, address in itertools.chain.from_iterable(near):
            if all(abs(u - v) <= DOUBLE_TOLERANCE for u, v in zip(box, copy, strict=True)):
                doubled.add(address)
                break
    return doubled


def _text_objects(page: Any) -> list[int]:
    """The addresses of a page's text objects, inside forms too (three levels deep)."""
    import pypdfium2.raw as pdfium_c

    get_page_object, count_form, get_form_object, kind_of = _walk_functions()
    found: list[int] = []

    def walk(addresses: list[int], depth: int) -> None:
        for address in addresses:
            kind = kind_of(address)
            if kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
                found.append(address)
            elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < 3:
                walk([get_form_object(address, k) or 0 for k in range(count_form(address))], depth + 1)

    raw = page.raw
    walk([get_page_object(raw, k) or 0 for k in range(pdfium_c.FPDFPage_CountObjects(raw))], 1)
    return found


@functools.cache
def _walk_functions() -> tuple[
    Callable[..., int | None], Callable[[int], int], Callable[..., int | None], Callable[[int], int]
]:
    """pdfium's page-object walk with objects as int addresses: a page's k-th object, a form's
    object count and k-th object, an object's type."""
    import pypdfium2.raw as pdfium_c

    page_object = ctypes.CFUNCTYPE(ctypes.c_void_p, *pdfium_c.FPDFPage_GetObject.argtypes)(
        _address(pdfium_c.FPDFPage_GetObject)
    )
    return (
        cast(Callable[..., "int | None"], page_object),
        cast(Callable[[int], int], ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p)(
            _address(pdfium_c.FPDFFormObj_CountObjects))),
        cast(Callable[..., "int | None"], ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_ulong)(
            _address(pdfium_c.FPDFFormObj_GetObject))),
        cast(Callable[[int], int], ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p)(
            _address(pdfium_c.FPDFPageObj_GetType))),
    )  # fmt: skip


@functools.cache
def _bounds_function() -> Callable[..., int]:
    """pdfium's `FPDFPageObj_GetBounds` taking the object as an int address."""
    import pypdfium2.raw as pdfium_c

    floats = [ctypes.POINTER(ctypes.c_float)] * 4
    prototype = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, *floats)
    return cast(Callable[..., int], prototype(_address(pdfium_c.FPDFPageObj_GetBounds)))


def _address(function: Any) -> int:
    """The address of a function of the loaded pdfium library."""
    address = ctypes.cast(function, ctypes.c_void_p).value
    assert address is not None  # a function of the loaded library
    return address
