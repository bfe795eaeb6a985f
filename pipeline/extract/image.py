"""Extract stage helper: prepares a page image (scan or photo) for Tesseract OCR.

Reads an RGB or greyscale numpy array of one page and returns a greyscale uint8 array of the
same page, cleaned: photo page cropped and flattened, red stamps and blue signatures whitened,
uneven light evened out, small skew removed (the border lines of ruled tables: rulings.py).
Never runs OCR and never reads files.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

# Saturated, not too dark pixels are coloured ink (a red seal "dấu đỏ", a blue pen signature);
# black text under a stamp stays dark (low value) and is kept. HSV in OpenCV's 0-180/0-255 units.
INK_MIN_SATURATION = 70
INK_MIN_VALUE = 90
RED_HUES = ((0, 12), (160, 180))
# Inside coloured ink, a pixel whose brightest channel is above this is ink on paper (made paper
# white); below it, black text printed under the ink (kept with its own grey level).
INK_TEXT_MAX = 120
BLUE_HUES = ((95, 135),)
# Coloured ink is looked for on every INK_SAMPLE-th pixel of every INK_SAMPLE-th row, then cleaned
# at full size within INK_MARGIN pixels of what was found (a pen stroke is ~3 px wide at 300 dpi:
# a stroke is sampled every few pixels along its length).
INK_SAMPLE = 4
INK_MARGIN = 32
# Background estimate: a dilation (text is dark, so it disappears) on a 1/8 image.
BACKGROUND_SCALE = 8
BACKGROUND_KERNEL = 7
# Paper whose tone varies by at most FLAT_PAPER_RANGE grey levels over the blurred background is
# scaled by that one tone with a table lookup (nothing at all for white paper) instead of being
# divided pixel by pixel by its full-size background: 12 ms a page less. 0: only a perfectly even
# background, where both give the very same page. At 2 (most real scans of white paper vary by
# 0-2) pages changed by a grey level here and there, and that moved Tesseract on a real scan (lct:
# the issuer read better, the signer lost; real fields 0.969 -> 0.967).
FLAT_PAPER_RANGE = 0
# Deskew search: ±MAX_SKEW degrees, coarse then fine; below MIN_SKEW the page is left alone
# (a rotation resamples every pixel and blurs strokes a little).
MAX_SKEW = 5.0
COARSE_STEP = 0.5
FINE_STEP = 0.1
MIN_SKEW = 0.2
DESKEW_WIDTH = 800  # pixels of the downscaled copy the projection profile is computed on
# Specks: dark blobs of at most this many pixels at 300 dpi (the dot of "ạ"/"ị" at 11 pt is ~40)
SPECK_MAX_AREA = 6
# Photo crop: the page must cover at least this share of the picture, and leave a margin
# at least this wide somewhere (an office scan that fills the frame is left as it is).
PAGE_MIN_AREA = 0.3
PAGE_MIN_MARGIN = 0.02
A4_RATIO = 297 / 210
PAGE_FIND_SIZE = 800  # pixels of the long side of the copy the page outline is looked for on
# A picture whose outer EDGE_BAND (share of its short side) is paper on every side, at least
# EDGE_PAPER_SHARE of it, is a scan: the page fills the frame.
EDGE_BAND = 0.01
EDGE_PAPER_SHARE = 0.97
# Tesseract reads only the part of a page that holds ink (6% faster on an A4 page with its
# margins, same words): rows and columns of a 1-in-CONTENT_SAMPLE sample with CONTENT_MIN_INK
# dark pixels, and CONTENT_PAD_INCHES of white around them.
CONTENT_SAMPLE = 4
CONTENT_MIN_INK = 2
CONTENT_PAD_INCHES = 0.15
# After the background is divided out the paper is 255 give or take the scanner's grain (245-254):
# grey at PAPER_WHITE or above is made plain white. Tesseract 5 PNG-encodes every text line it
# recognizes (ImageData), and grainy paper made that deflate a fifth of its CPU time: 11% less
# Tesseract CPU a page on the bench scans. 240 saved 14% but lost the last words of a real scan's
# closing line ("quy định./.") to the seal beside it. Off by default: at 250 the real scans' OCR
# was as good or better, but a heading's "2.1." read "2.1," (tb43: a section lost, items F1
# 0.993 -> 0.974), and whitening only paper more than 3 px from ink still moved three fields.
PAPER_WHITE = 250


@dataclass(frozen=True, slots=True)
class Preparation:
    """Which preparation steps to run (each kept only where it measurably helps; see bench)."""

    crop_page: bool = True
    remove_color_ink: bool = True
    normalize_background: bool = True
    deskew: bool = True
    despeckle: bool = True
    binarize: bool = False
    whiten_paper: bool = False  # only after normalize_background, which puts the paper at 255


DEFAULT_PREPARATION = Preparation()
RAW = Preparation(crop_page=False, remove_color_ink=False, normalize_background=False, deskew=False,
                  despeckle=False, whiten_paper=False)  # fmt: skip


def prepare_page(
    image: np.ndarray, steps: Preparation = DEFAULT_PREPARATION, dpi: float = 300.0
) -> np.ndarray:
    """Clean one page image for OCR and return it in greyscale.

    Args:
        image: H×W greyscale or H×W×3 RGB uint8 array (a rendered scan or a photo).
        steps: which steps to run.
        dpi: the image's resolution (sizes specks); 300 when unknown.

    Returns:
        An H'×W' uint8 greyscale array (size changes only when a photo page is cropped).

    Examples:
        >>> page = np.full((400, 300, 3), 235, np.uint8)
        >>> page[100:110, 50:250] = 20  # a line of black text
        >>> page[200:260, 100:160] = (200, 30, 40)  # a red stamp
        >>> out = prepare_page(page)
        >>> int(out[105, 100]) < 80, int(out[230, 130]) > 200
        (True, True)
    """
    return prepare_page_with_ink(image, steps, dpi)[0]


def prepare_page_with_ink(
    image: np.ndarray, steps: Preparation = DEFAULT_PREPARATION, dpi: float = 300.0
) -> tuple[np.ndarray, np.ndarray | None]:
    """`prepare_page`, and the same page with its coloured ink kept, in the same geometry.

    The second image is what a handwritten number or day ("Số: 85 /BC-STC" in blue pen) looks
    like after the same background and skew correction: the ink removal that keeps a red seal
    off the text also erases the pen, so a slot of the printed frame is read again in it
    (extract/slots.py). It is None when the page holds no coloured ink (or none was removed).

    Args:
        image: H×W greyscale or H×W×3 RGB uint8 array.
        steps: which steps to run (the inked copy gets the same, minus despeckle, whitening and
            binarize).
        dpi: the image's resolution; 300 when unknown.

    Returns:
        (cleaned page, page with the coloured ink, or None).

    Examples:
        >>> page = np.full((400, 300, 3), 235, np.uint8)
        >>> page[100:110, 50:250] = 20  # a line of black text
        >>> page[200:230, 100:120] = (40, 60, 200)  # a blue pen digit
        >>> clean, inked = prepare_page_with_ink(page)
        >>> int(clean[215, 110]) > 200, int(inked[215, 110]) < 120
        (True, True)
    """
    rgb = image if image.ndim == 3 else None
    if rgb is not None and steps.crop_page:
        rgb = crop_page(rgb)
    inked: np.ndarray | None = None
    if rgb is not None:
        if steps.remove_color_ink:
            gray, inked = _remove_color_ink(rgb)
        else:
            gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    else:
        gray = image
    if steps.normalize_background:
        small = _background_small(gray)
        if int(small.max()) - int(small.min()) <= FLAT_PAPER_RANGE:  # evenly lit: one scale
            level = int(np.median(small))
            gray = _scale_to_white(gray, level)
            if inked is not None:
                inked = _scale_to_white(inked, level)
        else:
            background = _background_full(small, gray.shape)
            if int(small.min()) < 1:  # black paper somewhere: no division by zero
                background = np.asarray(cv2.max(background, 1))
            gray = _divide(gray, background, positive=True)
            if inked is not None:
                inked = _divide(inked, background, positive=True)
    if steps.deskew:
        angle = skew_angle(gray)
        if abs(angle) >= MIN_SKEW:
            gray = rotate(gray, angle)
            if inked is not None:
                inked = rotate(inked, angle)
    gray = clean_paper(gray, dpi, steps)
    if steps.binarize:
        gray = binarize(gray)
    return np.ascontiguousarray(gray), (np.ascontiguousarray(inked) if inked is not None else None)


def remove_color_ink(rgb: np.ndarray) -> np.ndarray:
    """Greyscale page with red and blue ink (stamps, signatures) turned to paper white.

    Ink is first looked for on every INK_SAMPLE-th pixel; only the boxes around what is found
    (a seal, a signature: a small part of the page) are converted and cleaned at full size.
    """
    return _remove_color_ink(rgb)[0]


def _remove_color_ink(rgb: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    """`remove_color_ink`, and the plain greyscale page when some ink was removed (else None)."""
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    sampled = _ink_mask(
        cv2.cvtColor(np.ascontiguousarray(rgb[::INK_SAMPLE, ::INK_SAMPLE]), cv2.COLOR_RGB2HSV)
    )
    if not sampled.any():  # most office scans are grey: nothing to do
        return gray, None
    reach = 2 * -(-INK_MARGIN // INK_SAMPLE) + 1  # the margin, in sampled pixels, on both sides
    grown = cv2.dilate(sampled.astype(np.uint8), np.ones((reach, reach), np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(grown, connectivity=8)
    paper = _paper_level(gray)
    out = gray.copy()
    height, width = gray.shape
    removed = False
    for k in range(1, count):
        x, y, w, h = (int(v) * INK_SAMPLE for v in stats[k, :4])
        box = (slice(y, min(y + h, height)), slice(x, min(x + w, width)))
        region = rgb[box]
        mask = _ink_mask(cv2.cvtColor(np.ascontiguousarray(region), cv2.COLOR_RGB2HSV))
        if not mask.any():
            continue
        # Inside the (slightly grown) ink mask take the brightest channel instead of the
        # luminance: red or blue ink is bright in its own channel (200 for a red seal) and fades
        # into the paper, while black text printed under the ink is dark in every channel and
        # keeps its full shape, anti-aliased edges included. Boxes that overlap compute the
        # same values from the same pixels.
        mask = cv2.dilate(mask.astype(np.uint8), np.ones((5, 5), np.uint8)).astype(bool)
        brightest = region.max(axis=2)[mask]
        out[box][mask] = np.where(brightest > INK_TEXT_MAX, paper, brightest)
        removed = True
    return out, (gray if removed else None)


def _ink_mask(hsv: np.ndarray) -> np.ndarray:
    """Pixels of saturated red or blue ink."""
    h, s, v = hsv[..., 0], hsv[..., 1], hsv[..., 2]
    colored = (s >= INK_MIN_SATURATION) & (v >= INK_MIN_VALUE)
    hue = np.zeros_like(colored)
    for lo, hi in (*RED_HUES, *BLUE_HUES):
        hue |= (h >= lo) & (h <= hi)
    return np.asarray(colored & hue)


def _paper_level(gray: np.ndarray) -> int:
    """The page's paper tone: a high percentile of a subsample."""
    return int(np.percentile(gray[::8, ::8], 90))


def normalize_background(gray: np.ndarray) -> np.ndarray:
    """Divide the page by its estimated paper background: uneven light and grey paper → white."""
    return _divide(gray, paper_background(gray))


def paper_background(gray: np.ndarray) -> np.ndarray:
    """The page's paper tone at every pixel: a dilation (text is dark, so it disappears) on a 1/8
    copy, blurred and scaled back up."""
    return _background_full(_background_small(gray), gray.shape)


def _background_small(gray: np.ndarray) -> np.ndarray:
    """The paper tone on a 1/BACKGROUND_SCALE copy: dilated (text disappears), then blurred."""
    h, w = gray.shape
    small = cv2.resize(gray, (max(1, w // BACKGROUND_SCALE), max(1, h // BACKGROUND_SCALE)),
                       interpolation=cv2.INTER_AREA)  # fmt: skip
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (BACKGROUND_KERNEL, BACKGROUND_KERNEL))
    bg = cv2.dilate(small, kernel)
    return np.asarray(cv2.GaussianBlur(bg, (0, 0), BACKGROUND_KERNEL))


def _background_full(small: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """`_background_small` scaled back up to the page's `shape`."""
    h, w = shape[:2]
    return np.asarray(cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR))


def _scale_to_white(gray: np.ndarray, level: int) -> np.ndarray:
    """The page divided by one paper tone `level` (paper at 255): `_divide` by a flat background,
    as one table lookup; a page whose paper is already white (255) comes back as it is.

    Examples:
        >>> _scale_to_white(np.array([[230, 115, 20]], np.uint8), 230).tolist()
        [[255, 128, 22]]
    """
    if level >= 255:
        return gray
    table = np.clip(np.round(np.arange(256) * 255.0 / max(level, 1)), 0, 255).astype(np.uint8)
    return np.asarray(cv2.LUT(gray, table), dtype=np.uint8)


def _divide(gray: np.ndarray, background: np.ndarray, positive: bool = False) -> np.ndarray:
    """The page divided by its background, paper at 255; a background of 0 counts as 1.

    `positive` says the background holds no 0: the full-page floor at 1 is skipped (~8 ms a
    page). A background scaled up from a small one whose values are all 1 or more is such a
    background: linear interpolation weighs them with weights that sum to one, so the result
    cannot fall below 1, and `prepare_page_with_ink` floors only the rare one with a 0.

    Examples:
        >>> _divide(np.array([[200, 100, 50]], np.uint8), np.array([[200, 200, 0]], np.uint8)).tolist()
        [[255, 128, 255]]
    """
    out = cv2.divide(gray, background if positive else cv2.max(background, 1), scale=255)
    return np.asarray(out, dtype=np.uint8)


def _text_mask(gray: np.ndarray) -> np.ndarray:
    """Dark pixels of a downscaled copy (uint8 0/1), for skew and layout measures."""
    h, w = gray.shape
    scale = min(1.0, DESKEW_WIDTH / w)
    small = cv2.resize(gray, (int(w * scale), int(h * scale)), interpolation=cv2.INTER_AREA)
    _, mask = cv2.threshold(small, 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return np.asarray(mask, dtype=np.uint8)


def _profile_score(mask: np.ndarray, angle: float) -> float:
    """Sharpness of the row profile of `mask` turned by `angle` degrees."""
    h, w = mask.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    turned = cv2.warpAffine(mask, m, (w, h), flags=cv2.INTER_NEAREST, borderValue=0)
    # Whole-number row sums in C (exact, so the very score of a float sum, at a third the time).
    rows = cv2.reduce(turned, 1, cv2.REDUCE_SUM, dtype=cv2.CV_32S).ravel().astype(np.float64)
    return float(np.sum(np.diff(rows) ** 2))


def skew_angle(gray: np.ndarray) -> float:
    """The rotation in degrees (`rotate` convention) that levels the text lines; 0 on a blank page.

    Projection profile: the angle at which the row sums of the text pixels are sharpest,
    searched within ±MAX_SKEW degrees in 0.5° steps on a half-size mask (at 0.5° a line of text
    still leans less than its height), then in 0.1° steps around the best on the full mask.
    """
    mask = _text_mask(gray)
    if mask.sum() < 50:
        return 0.0
    half = cv2.resize(
        mask, (max(1, mask.shape[1] // 2), max(1, mask.shape[0] // 2)), interpolation=cv2.INTER_AREA
    )
    coarse = np.arange(-MAX_SKEW, MAX_SKEW + 1e-9, COARSE_STEP)
    best = max(coarse, key=lambda a: _profile_score(half, float(a)))
    fine = np.arange(best - COARSE_STEP, best + COARSE_STEP + 1e-9, FINE_STEP)
    best = max(fine, key=lambda a: _profile_score(mask, float(a)))
    return round(float(best), 2)


def rotate(gray: np.ndarray, angle: float) -> np.ndarray:
    """Turn a greyscale page by `angle` degrees about its centre, filling with paper white."""
    h, w = gray.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    out = cv2.warpAffine(gray, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=(_paper_level(gray),))
    return np.asarray(out, dtype=np.uint8)


def despeckle(gray: np.ndarray, dpi: float = 300.0) -> np.ndarray:
    """Whiten isolated dark specks (dust, toner, scanner noise) smaller than any diacritic.

    The blobs come from their outlines (`findContours`, 3-4 times faster than labelling every
    pixel): only a blob whose box is small enough can be a speck, and its pixels are counted
    exactly inside its filled outline.
    """
    _, ink = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    limit = max(1, int(SPECK_MAX_AREA * (dpi / 300) ** 2))
    # RETR_CCOMP puts every blob's outer outline at the top level, a speck inside a letter's
    # hole ("o") included; holes are the second level.
    contours, hierarchy = cv2.findContours(ink, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_NONE)
    if hierarchy is None:
        return gray
    paper = _paper_level(gray)
    out = gray.copy()
    parents = hierarchy[0][:, 3].tolist()  # plain ints: thousands of outlines a page
    for contour, parent in zip(contours, parents, strict=True):
        if parent != -1 or len(contour) > 2 * limit:
            continue
        if len(contour) == 1:  # a lone pixel (19 specks in 20): its outline is the pixel itself
            x, y = contour[0, 0]
            out[y, x] = paper
            continue
        x, y, w, h = cv2.boundingRect(contour)
        if w > limit or h > limit:
            continue
        pixels = blob_pixels(contour, ink, (x, y, w, h))
        if int(pixels.sum()) <= limit:
            out[y : y + h, x : x + w][pixels] = paper
    return out


def blob_pixels(contour: np.ndarray, mask: np.ndarray, box: tuple[int, int, int, int]) -> np.ndarray:
    """The pixels of `mask` inside one blob's filled outline, as a boolean array over its box."""
    x, y, w, h = box
    blob = np.zeros((h, w), np.uint8)
    cv2.drawContours(blob, [contour], -1, 1, thickness=-1, offset=(-x, -y))
    return np.asarray((blob > 0) & (mask[y : y + h, x : x + w] > 0))


def clean_paper(gray: np.ndarray, dpi: float, steps: Preparation = DEFAULT_PREPARATION) -> np.ndarray:
    """The steps that come after any change of resolution: `despeckle` (specks are measured at
    the resolution OCR sees), then `whiten_paper` (on a page whose background was divided out).

    Examples:
        >>> page = np.full((60, 60), 250, np.uint8)
        >>> page[10:40, 10:14] = 20  # a stroke
        >>> page[50, 50] = 30  # a speck of dust
        >>> out = clean_paper(page, 300, Preparation(whiten_paper=True))
        >>> int(out[20, 12]), int(out[50, 50]), int(out[5, 5])
        (20, 255, 255)
        >>> int(clean_paper(page, 300)[5, 5])  # by default the paper stays as it is
        250
    """
    if steps.despeckle:
        gray = despeckle(gray, dpi)
    if steps.whiten_paper and steps.normalize_background:
        gray = whiten_paper(gray)
    return gray


def whiten_paper(gray: np.ndarray, level: int = PAPER_WHITE) -> np.ndarray:
    """Make every pixel at `level` or lighter plain white: paper grain out, ink and its edges kept.

    For a page whose background was divided out (paper near 255); one table lookup.

    Examples:
        >>> page = np.array([[253, 250, 238, 30]], np.uint8)  # grain, grain, a letter's edge, ink
        >>> whiten_paper(page).tolist()
        [[255, 255, 238, 30]]
    """
    table = np.arange(256, dtype=np.uint8)
    table[level:] = 255
    return np.asarray(cv2.LUT(gray, table), dtype=np.uint8)


def binarize(gray: np.ndarray) -> np.ndarray:
    """Otsu black/white page (after background normalisation a global threshold suffices)."""
    _, out = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    return np.asarray(out, dtype=np.uint8)


def crop_page(rgb: np.ndarray) -> np.ndarray:
    """Cut a photographed page out of its background and flatten its perspective.

    The page is the largest bright quadrilateral covering at least PAGE_MIN_AREA of the picture;
    a picture that is all page (a scan) comes back unchanged.
    """
    if _paper_to_the_edges(rgb):  # a scan: the page runs around the whole frame, nothing to cut
        return rgb
    h, w = rgb.shape[:2]
    scale = min(1.0, PAGE_FIND_SIZE / max(h, w))
    small = cv2.resize(rgb, (int(w * scale), int(h * scale)), interpolation=cv2.INTER_AREA)
    gray = cv2.cvtColor(small, cv2.COLOR_RGB2GRAY)
    gray = cv2.GaussianBlur(gray, (5, 5), 0)
    _, bright = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    bright = cv2.morphologyEx(bright, cv2.MORPH_CLOSE, np.ones((15, 15), np.uint8))
    contours, _ = cv2.findContours(bright, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return rgb
    page = max(contours, key=cv2.contourArea)
    sh, sw = gray.shape
    if cv2.contourArea(page) < PAGE_MIN_AREA * sh * sw:
        return rgb
    quad = cv2.approxPolyDP(page, 0.02 * cv2.arcLength(page, True), True)
    if len(quad) != 4:
        return rgb
    pts = quad.reshape(4, 2).astype(np.float32) / scale
    x0, y0 = pts.min(axis=0)
    x1, y1 = pts.max(axis=0)
    margin = max(x0, y0, w - x1, h - y1)
    if margin < PAGE_MIN_MARGIN * min(h, w):
        return rgb
    tl, tr, br, bl = _order_corners(pts)
    out_w = int(max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl)))
    out_h = int(max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr)))
    dst = np.array([[0, 0], [out_w - 1, 0], [out_w - 1, out_h - 1], [0, out_h - 1]], dtype=np.float32)
    m = cv2.getPerspectiveTransform(np.array([tl, tr, br, bl], dtype=np.float32), dst)
    return np.asarray(cv2.warpPerspective(rgb, m, (out_w, out_h), flags=cv2.INTER_CUBIC))


def _paper_to_the_edges(rgb: np.ndarray) -> bool:
    """Whether paper runs along all four edges of the picture (checked on a sample of pixels).

    Then the page's bright region touches every edge, its outline spans the whole frame and
    `crop_page` would leave no margin to cut: the page outline need not be looked for.
    """
    h, w = rgb.shape[:2]
    step = max(1, min(h, w) // 400)
    gray = cv2.cvtColor(np.ascontiguousarray(rgb[::step, ::step]), cv2.COLOR_RGB2GRAY)
    threshold, _ = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    band = max(1, round(EDGE_BAND * min(gray.shape)))
    edges = (gray[:band], gray[-band:], gray[:, :band], gray[:, -band:])
    return all(float(np.mean(e > threshold)) >= EDGE_PAPER_SHARE for e in edges)


def content_box(gray: np.ndarray, dpi: float) -> tuple[int, int, int, int]:
    """(top, bottom, left, right) pixel bounds of the ink on a prepared page, with a margin.

    Rows and columns count as ink when a sample of them (every CONTENT_SAMPLE-th pixel) holds
    at least CONTENT_MIN_INK dark pixels, so a lone speck left in a margin does not widen the
    box; CONTENT_PAD_INCHES of white stays around the text. A blank page gives the whole page.

    Examples:
        >>> page = np.full((1000, 800), 250, np.uint8)
        >>> page[300:340, 200:600] = 20
        >>> content_box(page, 100)
        (285, 355, 185, 615)
    """
    h, w = gray.shape
    sample = np.ascontiguousarray(gray[::CONTENT_SAMPLE, ::CONTENT_SAMPLE])
    _, ink = cv2.threshold(sample, 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    rows = np.flatnonzero(ink.sum(axis=1) >= CONTENT_MIN_INK)
    cols = np.flatnonzero(ink.sum(axis=0) >= CONTENT_MIN_INK)
    if not len(rows) or not len(cols) or ink.mean() > 0.5:  # blank, or no paper to speak of
        return 0, h, 0, w
    pad = round(CONTENT_PAD_INCHES * dpi)
    top, bottom = rows[0] * CONTENT_SAMPLE - pad, (rows[-1] + 1) * CONTENT_SAMPLE + pad
    left, right = cols[0] * CONTENT_SAMPLE - pad, (cols[-1] + 1) * CONTENT_SAMPLE + pad
    return max(0, int(top)), min(h, int(bottom)), max(0, int(left)), min(w, int(right))


# A small region (the signer's name under the title) holds text when an ink blob darker than
# REGION_INK_LEVEL is at least REGION_MIN_GLYPH_POINTS tall (a lowercase letter of 9 pt is; scanner
# grain and dust are not): Tesseract reads only the box of such blobs, with REGION_PAD_INCHES of
# paper around it. On an empty region of grainy paper Tesseract's block mode (psm 6) spent ~1 s
# reading the grain as letters ("N2 ~”. vi bác"); the box of the ink gives the same lines.
REGION_INK_LEVEL = 160
REGION_MIN_GLYPH_POINTS = 3.0
REGION_PAD_INCHES = 0.1


def ink_box(gray: np.ndarray, dpi: float) -> tuple[int, int, int, int] | None:
    """(top, bottom, left, right) pixel bounds of the letter-sized ink of a region, with a margin;
    None when the region holds none (paper, grain, specks).

    Args:
        gray: H×W greyscale uint8 region (paper light, ink dark).
        dpi: its resolution.

    Returns:
        The bounds, or None.

    Examples:
        >>> region = np.full((300, 600), 235, np.uint8)
        >>> region[5::10, 5::10] = 90  # scanner grain
        >>> ink_box(region, 300) is None
        True
        >>> region[120:150, 200:400] = 20  # a line of text 30 px tall
        >>> ink_box(region, 300)
        (90, 180, 170, 430)
    """
    ink = (gray < REGION_INK_LEVEL).astype(np.uint8)
    count, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    if count < 2:
        return None
    tall = stats[1:][stats[1:, cv2.CC_STAT_HEIGHT] >= REGION_MIN_GLYPH_POINTS * dpi / 72]
    if not len(tall):
        return None
    pad = round(REGION_PAD_INCHES * dpi)
    h, w = gray.shape
    top = int(tall[:, cv2.CC_STAT_TOP].min()) - pad
    left = int(tall[:, cv2.CC_STAT_LEFT].min()) - pad
    bottom = int((tall[:, cv2.CC_STAT_TOP] + tall[:, cv2.CC_STAT_HEIGHT]).max()) + pad
    right = int((tall[:, cv2.CC_STAT_LEFT] + tall[:, cv2.CC_STAT_WIDTH]).max()) + pad
    return max(0, top), min(h, bottom), max(0, left), min(w, right)


def glyph_height(gray: np.ndarray) -> float:
    """The median height in pixels of the page's letter-sized ink blobs (0 when it has none).

    Measured on every other pixel of every other row (an Otsu mask; blobs 2-30 sampled pixels
    tall and at most three times as wide as tall: letters and digits, not rules or specks).
    At 300 dpi 13 pt Times New Roman gives about 30.

    Examples:
        >>> page = np.full((400, 600), 250, np.uint8)
        >>> for x in range(50, 550, 40):
        ...     page[100:130, x : x + 20] = 20  # letters 30 px tall
        >>> glyph_height(page)
        30.0
    """
    small = np.ascontiguousarray(gray[::2, ::2])
    _, ink = cv2.threshold(small, 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    # The blobs' outer outlines (the top level of RETR_CCOMP, one per 8-connected blob, a blob
    # inside a letter's hole included) span exactly the blobs' boxes: the boxes of
    # `connectedComponentsWithStats` in two thirds of the time.
    contours, hierarchy = cv2.findContours(ink, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    if hierarchy is None:
        return 0.0
    outer = hierarchy[0][:, 3].tolist()
    boxes = np.array([cv2.boundingRect(c) for c, p in zip(contours, outer, strict=True) if p == -1])
    heights, widths = boxes[:, 3], boxes[:, 2]
    letters = (heights >= 2) & (heights <= 30) & (widths <= 3 * heights)
    return 2.0 * float(np.median(heights[letters])) if letters.any() else 0.0


def _order_corners(pts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Top-left, top-right, bottom-right, bottom-left of four points."""
    s = pts.sum(axis=1)
    d = pts[:, 0] - pts[:, 1]
    return pts[np.argmin(s)], pts[np.argmax(d)], pts[np.argmax(s)], pts[np.argmin(d)]


def stroke_widths(gray: np.ndarray, boxes: list[tuple[int, int, int, int]]) -> list[float]:
    """Mean horizontal ink run length (pixels) inside each (left, top, width, height) box.

    Bold type has strokes about 1.5-2 times as wide as regular type of the same size, so the
    ratio to the page median flags bold words (Tesseract itself does not report bold).
    """
    _, ink = cv2.threshold(gray, 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    out = []
    for left, top, width, height in boxes:
        b = ink[max(top, 0) : top + height, max(left, 0) : left + width]
        if b.size == 0:
            out.append(0.0)
            continue
        starts = int(b[:, 0].sum()) + int(np.count_nonzero(b[:, 1:] > b[:, :-1]))
        out.append(float(b.sum()) / starts if starts else 0.0)
    return out
