"""Tests that extract/image.py's faster page measures give exactly what the plain ones gave."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from ketluan.extract import image as prep


def noisy_page(seed: int, size: tuple[int, int] = (700, 500)) -> np.ndarray:
    """Lines of "letters" (bars, rings with a speck in the hole, dots) on paper with dust."""
    rng = np.random.default_rng(seed)
    page = np.full(size, 238, np.uint8)
    for y in range(40, size[0] - 60, 48):
        x = 30
        while x < size[1] - 60:
            kind, w = int(rng.integers(0, 3)), int(rng.integers(8, 22))
            if kind == 0:
                page[y : y + 26, x : x + w // 3 + 2] = 25  # a stem: "l", "đ"
            elif kind == 1:
                cv2.circle(page, (x + 10, y + 16), 9, 30, 2)  # an "o" ...
                page[y + 15 : y + 17, x + 9 : x + 10] = 30  # ... a speck in its hole
            else:
                page[y - 8 : y - 4, x : x + 4] = 35  # the dot of "ị" / an accent
            x += w + 6
    dust = rng.random(size) < 0.002
    page[dust] = rng.integers(0, 90, int(dust.sum())).astype(np.uint8)
    return page


def despeckle_by_labels(gray: np.ndarray, dpi: float = 300.0) -> np.ndarray:
    """The plain definition: every 8-connected ink blob of at most the speck limit's pixels and box."""
    _, ink = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    limit = max(1, int(prep.SPECK_MAX_AREA * (dpi / 300) ** 2))
    _, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    small = (
        (stats[:, cv2.CC_STAT_AREA] <= limit)
        & (stats[:, cv2.CC_STAT_WIDTH] <= limit)
        & (stats[:, cv2.CC_STAT_HEIGHT] <= limit)
    )
    small[0] = False
    out = gray.copy()
    out[small[labels]] = prep._paper_level(gray)
    return out


def glyph_height_by_labels(gray: np.ndarray) -> float:
    """`glyph_height` from `connectedComponentsWithStats`, as it was measured before."""
    small = np.ascontiguousarray(gray[::2, ::2])
    _, ink = cv2.threshold(small, 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    heights, widths = stats[1:, cv2.CC_STAT_HEIGHT], stats[1:, cv2.CC_STAT_WIDTH]
    letters = (heights >= 2) & (heights <= 30) & (widths <= 3 * heights)
    return 2.0 * float(np.median(heights[letters])) if letters.any() else 0.0


@pytest.mark.parametrize(("seed", "dpi"), [(1, 300.0), (2, 300.0), (3, 200.0), (4, 600.0), (5, 250.0)])
def test_image_despeckle_same_as_labelling_every_blob(seed: int, dpi: float) -> None:
    page = noisy_page(seed)
    assert np.array_equal(prep.despeckle(page, dpi), despeckle_by_labels(page, dpi))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_image_glyph_height_same_as_connected_components(seed: int) -> None:
    page = noisy_page(seed, (1400, 1000))
    assert prep.glyph_height(page) == glyph_height_by_labels(page) > 0


def test_image_glyph_height_zero_on_blank_paper() -> None:
    assert prep.glyph_height(np.full((300, 200), 245, np.uint8)) == 0.0


@pytest.mark.parametrize("angle", [-5.0, -1.3, 0.0, 0.1, 2.7, 4.5])
def test_image_profile_score_same_as_a_float_row_sum(angle: float) -> None:
    mask = (noisy_page(7) < 128).astype(np.uint8)
    h, w = mask.shape
    turned = cv2.warpAffine(
        mask,
        cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0),
        (w, h),
        flags=cv2.INTER_NEAREST,
        borderValue=0,
    )
    rows = turned.sum(axis=1, dtype=np.float64)
    assert prep._profile_score(mask, angle) == float(np.sum(np.diff(rows) ** 2))
