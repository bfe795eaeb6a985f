"""Extract stage helper: the pixels of one scanned PDF page, for OCR.

Reads a pypdfium2 page and returns its image as an RGB uint8 array with its resolution: the
scanner's own bitmap when the page is one full-page image (no page rendering, no resampling),
else the page rendered by pdfium. Never runs OCR and never changes the PDF.
"""

from __future__ import annotations

from typing import Any

import cv2
import numpy as np

# A page is "one image" when that image covers at least this share of the page (a scanner's
# PDF: the picture is the page, to the point).
FULL_PAGE_SHARE = 0.98
# Resolutions within 2% are the same (a page box rounded to the point: 2067 px on 595.3 pt).
DPI_TOLERANCE = 0.02
# A poster-sized page would need gigabytes at 300 dpi: its pixel count is capped.
MAX_PAGE_PIXELS = 40_000_000  # an A3 page at 300 dpi is 17.4 M


def page_pixels(page: Any, dpi: float, min_native_dpi: float | None) -> tuple[np.ndarray, float]:
    """The page as an H×W×3 RGB uint8 array, and its resolution in dots per inch.

    A scanned page that is one full-page image whose resolution is at least `min_native_dpi` and
    below `dpi` (a 250 dpi office scan) comes back as that image, decoded, turned by the page's
    /Rotate: the scanner's pixels, without pdfium drawing the page (60-120 ms a page) or scaling
    them up (upsampling adds no detail, only pixels for Tesseract to read: 30% fewer at 250 dpi).
    Any other page (text and images mixed, a 200 dpi fax that must be scaled up, a scan at `dpi`
    or above) is rendered at `dpi`, as before: at 300 dpi the drawn page is the scan give or take
    one resampled column, and that column changed how Tesseract grouped a real scan's header row
    and seal (tb12: 0.955 -> 0.922 character accuracy), for 60 ms a page.

    Args:
        page: a `pypdfium2.PdfPage`.
        dpi: the resolution to render at (`Settings.ocr_dpi`, 300); native ones are kept below it.
        min_native_dpi: the lowest native resolution read as it is (OCR's MIN_OCR_DPI, 250), or
            None to always draw the page.

    Returns:
        (pixels, dpi).

    Examples:
        >>> pixels, dpi = page_pixels(pdf[0], 300.0, 250.0)  # doctest: +SKIP
        >>> pixels.shape, dpi  # a 250 dpi A4 scan  # doctest: +SKIP
        ((2924, 2067, 3), 250.0)
    """
    native = embedded_scan(page, dpi, min_native_dpi) if min_native_dpi is not None else None
    if native is not None:
        return native
    import pypdfium2.raw as pdfium_c

    width, height = page.get_size()
    page_dpi = min(float(dpi), 72 * (MAX_PAGE_PIXELS / max(width * height, 1.0)) ** 0.5)
    # Three bytes a pixel in RGB order: no alpha byte to draw and drop (15% faster).
    bitmap = page.render(scale=page_dpi / 72, rev_byteorder=True, force_bitmap_format=pdfium_c.FPDFBitmap_BGR)
    # RGB, the bitmap's own memory: pypdfium2 allocates it as a packed ctypes buffer that the array
    # keeps alive (pdfium never frees a caller's buffer), so the page needs no second copy.
    return np.ascontiguousarray(bitmap.to_numpy()), page_dpi


def embedded_scan(page: Any, dpi: float, min_native_dpi: float) -> tuple[np.ndarray, float] | None:
    """The page's only image (RGB) and its resolution, when the page is just that image and its
    resolution is at least `min_native_dpi` and below `dpi`; else None.

    Examples:
        >>> embedded_scan(pdf[0], 300.0, 250.0)[1]  # a 250 dpi office scan  # doctest: +SKIP
        250.0
    """
    import pypdfium2.raw as pdfium_c

    objects = []
    for obj in page.get_objects(max_depth=1):
        objects.append(obj)
        if len(objects) > 1:
            return None  # a stamp, a text layer, a second image: render the page as drawn
    if len(objects) != 1 or objects[0].type != pdfium_c.FPDF_PAGEOBJ_IMAGE:
        return None
    image = objects[0]
    a, b, c, d, _, _ = image.get_matrix().get()
    width, height = page.get_size()
    if b or c or a <= 0 or d <= 0 or a * d < FULL_PAGE_SHARE * width * height:
        return None  # turned, flipped or not the whole page
    meta = image.get_metadata()
    if meta.bits_per_pixel not in (8, 24) or meta.colorspace not in (
        pdfium_c.FPDF_COLORSPACE_DEVICEGRAY,
        pdfium_c.FPDF_COLORSPACE_DEVICERGB,
    ):
        return None  # 1-bit fax images (pdfium smooths them when drawn), CMYK, indexed colours
    native = meta.width * 72 / a
    if abs(meta.height * 72 / d - native) > DPI_TOLERANCE * native:
        return None  # pixels not square: let pdfium draw it
    if not min_native_dpi * (1 - DPI_TOLERANCE) <= native < dpi * (1 - DPI_TOLERANCE):
        return None
    native = round(native, 1)  # 2067 px over 595.3 pt: 250 dpi
    try:
        bitmap = image.get_bitmap(render=False)
    except Exception:  # an image pdfium cannot decode alone: draw the page
        return None
    pixels = bitmap.to_numpy()
    if bitmap.format == pdfium_c.FPDFBitmap_Gray:
        rgb = cv2.cvtColor(np.ascontiguousarray(pixels), cv2.COLOR_GRAY2RGB)
    elif bitmap.format == pdfium_c.FPDFBitmap_BGR:
        rgb = cv2.cvtColor(np.ascontiguousarray(pixels), cv2.COLOR_BGR2RGB)
    elif bitmap.format in (pdfium_c.FPDFBitmap_BGRx, pdfium_c.FPDFBitmap_BGRA):
        rgb = cv2.cvtColor(np.ascontiguousarray(pixels), cv2.COLOR_BGRA2RGB)
    else:
        return None
    turn = page.get_rotation() // 90  # /Rotate, clockwise; np.rot90 turns anticlockwise
    if turn:
        rgb = np.ascontiguousarray(np.rot90(rgb, k=-turn))
    return rgb, float(native)
