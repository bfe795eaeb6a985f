"""Extract stage helper: the `tesseract` CLI (through pytesseract), when libtesseract cannot be
loaded in process (tess.py).

Reads a greyscale page image in memory, writes it once as an uncompressed TIFF that carries its
resolution, and returns Tesseract's word table or the page's orientation, as tess.py does in
process. pytesseract is imported on first use: it imports pandas (0.4 s a process), which the
in-process engine never needs. Never called when tess.py works.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import cv2
import numpy as np

from . import tess


def pytesseract_module() -> ModuleType:
    """pytesseract, imported on first use."""
    import pytesseract

    return pytesseract


def with_image_file(gray: np.ndarray, dpi: float, use: Callable[[str], object]) -> object:
    """Write the page as an uncompressed TIFF that carries its resolution and call `use(path)`.

    Uncompressed: no PNG encoding. A TIFF and not a PGM: Leptonica reads the TIFF's resolution
    tag, and Tesseract read the same page 10% slower from a PGM with `--dpi` (identical words).
    """
    fd, path = tempfile.mkstemp(prefix="ketluan_ocr_", suffix=".tif")
    os.close(fd)
    resolution = max(1, int(round(dpi)))
    params = [cv2.IMWRITE_TIFF_RESUNIT, 2, cv2.IMWRITE_TIFF_XDPI, resolution, cv2.IMWRITE_TIFF_YDPI, resolution,
              cv2.IMWRITE_TIFF_COMPRESSION, 1]  # fmt: skip  # 2: inches; 1: no compression
    try:
        if not cv2.imwrite(path, gray, params):
            raise OSError(f"cannot write {path}")
        return use(path)
    finally:
        Path(path).unlink(missing_ok=True)


def image_to_data(gray: np.ndarray, dpi: float, lang: str, psm: int, timeout: float) -> dict[str, list[Any]]:
    """Tesseract's word table of one image through the CLI: the words, boxes and confidences
    `tess.image_to_data` gives in process (the same speed variables; the dpi in the TIFF)."""
    config = " ".join([f"--psm {psm}", *(f"-c {k}={v}" for k, v in tess.SPEED)])
    pytesseract = pytesseract_module()

    def run(path: str) -> object:
        return pytesseract.image_to_data(path, lang=lang, config=config, timeout=timeout,
                                         output_type=pytesseract.Output.DICT)  # fmt: skip

    data = with_image_file(gray, dpi, run)
    assert isinstance(data, dict)
    return data


def orientation(gray: np.ndarray, dpi: float, timeout: float) -> tuple[int, float] | None:
    """Clockwise degrees to turn the page by and Tesseract's confidence (`tesseract --psm 0`), or
    None when the page has too few characters to decide."""
    pytesseract = pytesseract_module()

    def run(path: str) -> object:
        return pytesseract.image_to_osd(path, timeout=timeout,
                                        output_type=pytesseract.Output.DICT)  # fmt: skip

    try:
        osd = with_image_file(gray, dpi, run)
    except pytesseract.TesseractError:  # too few characters to decide
        return None
    assert isinstance(osd, dict)
    return int(osd.get("rotate", 0)) % 360, float(osd.get("orientation_conf", 0.0))
