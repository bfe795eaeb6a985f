"""Extract stage: Tesseract in process, through the C API of the system's libtesseract (ctypes).

Reads a page image in memory (numpy uint8 or PIL) and returns Tesseract's TSV text, word records
parsed as pytesseract parses them, or the page's orientation: the same results as the `tesseract`
CLI of the same library (given the variables in SPEED), without a subprocess or a temporary file
per page. Never falls back by itself: when the library or a model is missing it raises
`TessUnavailable` for the caller to do so.
"""

from __future__ import annotations

import atexit
import ctypes
import ctypes.util
import os
import struct
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from PIL import Image

# The header line the CLI writes at the top of its .tsv file (GetTsvText returns only the rows).
TSV_HEADER = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
# TessOcrEngineMode OEM_DEFAULT: what the CLI uses without --oem (LSTM when the model has it).
OEM_DEFAULT = 3
# TessPageSegMode PSM_OSD_ONLY: orientation and script detection only (the CLI's --psm 0).
PSM_OSD_ONLY = 0
# Clockwise degrees that make the page upright, by the orientation quadrant Tesseract detects
# (TessBaseAPI::GetOsdText's OrientationIdToValue: the "Rotate:" line of `tesseract --psm 0`).
ROTATE_BY_QUADRANT = {0: 0, 1: 270, 2: 180, 3: 90}
# One OpenMP thread per engine, as the CLI gets from OMP_THREAD_LIMIT=1 in extract/ocr.py: pages
# and documents are the parallel units. libgomp reads it once, when libtesseract loads it.
OMP_ENV = {"OMP_THREAD_LIMIT": "1"}
# Tesseract's own messages (warnings such as "Invalid resolution 0 dpi" from the orientation
# detector, which reads the resolution from the image and not from SetSourceResolution) go to
# this file instead of the process's stderr: the library prints nothing. Set at initialisation;
# recognition does not depend on it.
QUIET = (("debug_file", os.devnull),)
# Set on every engine (the CLI fallback passes them as `-c`); a caller's variables override them.
# Empty: `tessedit_do_invert=0` (no second, inverted reading of each low-confidence line) saved 2%
# of the recognition time with the same dev scan accuracy, but lost 0.019 of character accuracy on
# a real scan (tb267: 0.981 -> 0.962; its grey, low-confidence lines are read better twice).
SPEED: tuple[tuple[str, str], ...] = ()
# Leptonica's setMsgSeverity level that prints nothing.
L_SEVERITY_NONE = 6
# The library to load instead of the system's libtesseract.so.5 (a path), or "-" to switch the
# in-process engine off (the caller then uses the CLI, as when the library is missing).
LIBRARY_ENV = "KETLUAN_LIBTESSERACT"
# Monitor deadlines are int milliseconds.
MAX_DEADLINE_MS = 2**31 - 1
# Tesseract 5 keeps every line image it recognizes as a PNG (ImageData::SetPix: Leptonica's
# pixWriteMem at zlib's default level with libpng's adaptive row filters) and decodes it again at
# once: a fifth of its CPU time on a scanned page went to deflate. The PNG is a lossless container
# inside the library, so Leptonica's call that sets the level is routed (its PLT slot) to one that
# stores the rows unfiltered and uncompressed: the same pixels, the same TSV byte for byte, 22%
# less recognition CPU on the bench page images. Linux ELF (x86-64, AArch64) with the slot
# writable (lazy binding) only; anywhere else nothing changes. FAST_PNG_ENV=0 leaves it alone.
FAST_PNG_ENV = "KETLUAN_TESS_FAST_PNG"
PNG_LEVEL_SYMBOL = "png_set_compression_level"
PNG_STORED = 0  # zlib level 0: stored blocks
PNG_FILTER_NONE = 0x08  # libpng's PNG_FILTER_NONE, for png_set_filter(png, 0, ...)
# Leptonica function whose address gives the library's load base (any exported one).
LEPT_ANCHOR = "setMsgSeverity"
# ELF e_machine -> relocation types of an imported function's slot (JUMP_SLOT, GLOB_DAT).
SLOT_RELOCATIONS = {62: (7, 6), 183: (1026, 1025)}

PageImage = np.ndarray | Image.Image


class TessUnavailable(RuntimeError):
    """libtesseract or a language model cannot be used in process: the caller uses the CLI."""


class TessTimeout(RuntimeError):
    """Recognition ran past its deadline ("timeout" in the message, as pytesseract's error)."""


@dataclass(frozen=True, slots=True)
class _Library:
    """The loaded C library, with the argument and result types of the functions used."""

    lib: ctypes.CDLL
    version: str


def _declare(lib: ctypes.CDLL) -> None:
    """Set argtypes/restype of the C API functions this module calls (pointers stay 64-bit)."""
    p, c, i, f = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.c_float
    sigs: dict[str, tuple[list[Any], Any]] = {
        "TessVersion": ([], c),
        "TessBaseAPICreate": ([], p),
        "TessBaseAPIDelete": ([p], None),
        "TessBaseAPIEnd": ([p], None),
        "TessBaseAPIInit4": (
            [p, c, c, i, ctypes.POINTER(c), i, ctypes.POINTER(c), ctypes.POINTER(c), ctypes.c_size_t, i],
            i,
        ),  # fmt: skip
        "TessBaseAPISetPageSegMode": ([p, i], None),
        "TessBaseAPISetImage": ([p, p, i, i, i, i], None),
        "TessBaseAPISetSourceResolution": ([p, i], None),
        "TessBaseAPIRecognize": ([p, p], i),
        "TessBaseAPIGetTsvText": ([p, i], p),
        "TessBaseAPIDetectOrientationScript": (
            [p, ctypes.POINTER(i), ctypes.POINTER(f), ctypes.POINTER(c), ctypes.POINTER(f)],
            i,
        ),  # fmt: skip
        "TessBaseAPIClear": ([p], None),
        "TessDeleteText": ([p], None),
        "TessMonitorCreate": ([], p),
        "TessMonitorDelete": ([p], None),
        "TessMonitorSetDeadlineMSecs": ([p, i], None),
    }
    for name, (args, result) in sigs.items():
        fn = getattr(lib, name)
        fn.argtypes = args
        fn.restype = result


@lru_cache(maxsize=1)
def _library() -> _Library:
    """Load libtesseract once per process, with OMP_THREAD_LIMIT set before libgomp starts."""
    for key, value in OMP_ENV.items():
        os.environ.setdefault(key, value)
    name = os.environ.get(LIBRARY_ENV) or ctypes.util.find_library("tesseract") or "libtesseract.so.5"
    if name == "-":
        raise TessUnavailable(f"in-process Tesseract is switched off ({LIBRARY_ENV}=-)")
    try:
        lib = ctypes.CDLL(name)
        _declare(lib)
    except (OSError, AttributeError) as e:  # not installed, or too old for the C API used here
        raise TessUnavailable(f"libtesseract cannot be loaded ({name}): {e}") from e
    _quiet_leptonica()
    if os.environ.get(FAST_PNG_ENV, "1") != "0":
        try:
            _store_line_images()
        except Exception:  # noqa: BLE001 - an unexpected library layout only costs the speed-up
            pass
    version = (lib.TessVersion() or b"").decode("ascii", "replace")
    if not version.split(".")[0].isdigit() or int(version.split(".")[0]) < 4:
        raise TessUnavailable(f"libtesseract {version} is older than 4 (no LSTM models)")
    return _Library(lib, version)


def _quiet_leptonica() -> None:
    """Turn off Leptonica's messages ("Error in pixScanForForeground: invalid box" on a stamp's
    edge) that the CLI printed to its own stderr: the one libtesseract loaded, found in the maps."""
    try:
        for path in _leptonica_paths():
            ctypes.CDLL(path).setMsgSeverity(L_SEVERITY_NONE)
    except (OSError, AttributeError):  # not Linux, or no such function: messages stay on
        pass


def _leptonica_paths() -> list[str]:
    """Files of the Leptonica libraries mapped into this process (the one libtesseract loaded)."""
    try:
        with open("/proc/self/maps", encoding="utf-8") as fh:
            return sorted({line.split()[-1] for line in fh if "lept" in line.rsplit("/", 1)[-1]})
    except OSError:  # not Linux
        return []


def _mappings() -> list[tuple[int, int, str, str]]:
    """(start, end, permissions, path) of this process's memory mappings."""
    out = []
    with open("/proc/self/maps", encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            start, end = (int(x, 16) for x in parts[0].split("-"))
            out.append((start, end, parts[1], parts[5] if len(parts) > 5 else ""))
    return out


def elf_import_slots(data: bytes, symbol: str, anchor: str) -> tuple[list[int], int] | None:
    """Where a shared library keeps the address of an imported function, and an export's address.

    Reads the relocation sections of a 64-bit little-endian ELF file: the slots (virtual addresses
    relative to the load base) that the dynamic linker fills with `symbol`, and the value of the
    exported symbol `anchor` (its address relative to the load base).

    Args:
        data: the library file's bytes.
        symbol: the imported function ("png_set_compression_level").
        anchor: a function the library exports ("setMsgSeverity").

    Returns:
        (slot addresses, anchor address), or None when the file is not such an ELF library, the
        machine is not x86-64 or AArch64, or either symbol is missing.

    Examples:
        >>> elf_import_slots(b"MZ", "png_set_compression_level", "setMsgSeverity") is None
        True
    """
    if len(data) < 64 or data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        return None
    (machine,) = struct.unpack_from("<H", data, 0x12)
    if machine not in SLOT_RELOCATIONS:
        return None
    (section_offset,) = struct.unpack_from("<Q", data, 0x28)
    entry_size, count = struct.unpack_from("<HH", data, 0x3A)
    sections = [
        struct.unpack_from("<IIQQQQIIQQ", data, section_offset + k * entry_size) for k in range(count)
    ]

    def name_at(table: int, offset: int) -> bytes:
        start = sections[table][4] + offset
        return data[start : data.index(b"\0", start)]

    slots: list[int] = []
    anchor_value = 0
    for _, kind, _, _, offset, size, link, _, _, _ in sections:
        if kind == 11:  # SHT_DYNSYM: the exports, for the anchor
            for at in range(offset, offset + size, 24):
                st_name, _, _, st_shndx, st_value, _ = struct.unpack_from("<IBBHQQ", data, at)
                if st_shndx and st_value and name_at(link, st_name) == anchor.encode():
                    anchor_value = st_value
        elif kind == 4:  # SHT_RELA: the imports' slots
            symbols, names = sections[link][4], sections[link][6]
            for at in range(offset, offset + size, 24):
                r_offset, r_info, _ = struct.unpack_from("<QQq", data, at)
                if r_info & 0xFFFFFFFF not in SLOT_RELOCATIONS[machine]:
                    continue
                (st_name,) = struct.unpack_from("<I", data, symbols + (r_info >> 32) * 24)
                if name_at(names, st_name) == symbol.encode():
                    slots.append(r_offset)
    return (slots, anchor_value) if slots and anchor_value else None


_PNG_HOOKS: list[Any] = []  # the C callbacks the patched slots point to: kept alive


def _stored_hook(real_level: Any, real_filter: Any) -> Any:
    """A C function `png_set_compression_level(png, level)` that asks libpng for stored, unfiltered rows."""
    real_level.argtypes, real_level.restype = [ctypes.c_void_p, ctypes.c_int], None
    real_filter.argtypes, real_filter.restype = [ctypes.c_void_p, ctypes.c_int, ctypes.c_int], None

    @ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_int)
    def stored(png: int | None, level: int) -> None:
        real_level(png, PNG_STORED)
        real_filter(png, 0, PNG_FILTER_NONE)

    return stored


def _store_line_images() -> int:
    """Route Leptonica's PNG compression-level call to `_stored_hook` (FAST_PNG_ENV); slots changed.

    A slot is changed only when it is writable and holds what the dynamic linker put there (the
    library's own lazy-binding stub or libpng's function); any surprise leaves it as it is.
    """
    changed = 0
    for path in _leptonica_paths():
        try:
            with open(path, "rb") as fh:
                found = elf_import_slots(fh.read(), PNG_LEVEL_SYMBOL, LEPT_ANCHOR)
            if found is None:
                continue
            lept = ctypes.CDLL(path)
            base = ctypes.cast(getattr(lept, LEPT_ANCHOR), ctypes.c_void_p).value or 0
            base -= found[1]
            real_level = getattr(lept, PNG_LEVEL_SYMBOL)  # libpng's, as the library binds it
            real_filter = lept.png_set_filter
            maps = _mappings()
        except (OSError, AttributeError, ValueError, IndexError, struct.error):
            continue
        stored = _stored_hook(real_level, real_filter)
        real = ctypes.cast(real_level, ctypes.c_void_p).value
        own = [(a, b) for a, b, _, p in maps if p == path]
        for offset in found[0]:
            address = base + offset
            region = next((m for m in maps if m[0] <= address < m[1] - 7), None)
            if region is None or "w" not in region[2] or region[3] != path:
                continue
            slot = ctypes.c_void_p.from_address(address)
            if slot.value != real and not any(a <= (slot.value or 0) < b for a, b in own):
                continue
            _PNG_HOOKS.append(stored)
            slot.value = ctypes.cast(stored, ctypes.c_void_p).value
            changed += 1
    return changed


class _Engine:
    """One TessBaseAPI handle with its language loaded; used by one thread at a time."""

    def __init__(self, lang: str, variables: tuple[tuple[str, str], ...]) -> None:
        self._lib = _library().lib
        self.lang = lang
        handle = self._lib.TessBaseAPICreate()
        if not handle:
            raise TessUnavailable("TessBaseAPICreate failed")
        variables = (*QUIET, *(kv for kv in SPEED if kv[0] not in dict(variables)), *variables)
        n = len(variables)
        names = (ctypes.c_char_p * max(n, 1))(*[k.encode() for k, _ in variables])
        values = (ctypes.c_char_p * max(n, 1))(*[v.encode() for _, v in variables])
        # As the CLI: Init(datapath from TESSDATA_PREFIX or the built-in one, lang, OEM_DEFAULT,
        # no config files, the -c variables, set_only_non_debug_params=false).
        status = self._lib.TessBaseAPIInit4(
            handle, None, lang.encode(), OEM_DEFAULT, None, 0, names, values, n, 0
        )
        if status != 0:
            self._lib.TessBaseAPIDelete(handle)
            raise TessUnavailable(f"the Tesseract language model '{lang}' cannot be loaded")
        self._handle: int | None = handle

    def close(self) -> None:
        """Free the handle and its models."""
        if self._handle:
            self._lib.TessBaseAPIEnd(self._handle)
            self._lib.TessBaseAPIDelete(self._handle)
            self._handle = None

    def _set_image(self, pixels: np.ndarray, dpi: float) -> None:
        """Hand the pixels over (Tesseract copies them) with their resolution, as the TIFF tag."""
        height, width = pixels.shape[:2]
        channels = 1 if pixels.ndim == 2 else int(pixels.shape[2])
        self._lib.TessBaseAPISetImage(
            self._handle, pixels.ctypes.data, width, height, channels, int(pixels.strides[0])
        )
        self._lib.TessBaseAPISetSourceResolution(self._handle, max(1, int(round(dpi))))

    def tsv(self, pixels: np.ndarray, dpi: float, psm: int, timeout: float) -> str:
        """Recognize one image and return its TSV rows (no header), page_num 1 as the CLI's."""
        lib, handle = self._lib, self._handle
        lib.TessBaseAPISetPageSegMode(handle, psm)
        self._set_image(pixels, dpi)
        monitor = lib.TessMonitorCreate() if timeout > 0 else None
        try:
            if monitor:
                lib.TessMonitorSetDeadlineMSecs(monitor, min(MAX_DEADLINE_MS, int(timeout * 1000)))
            if lib.TessBaseAPIRecognize(handle, monitor) != 0:
                raise TessTimeout(f"Tesseract recognition failed or hit its timeout ({timeout:g} s)")
            text = lib.TessBaseAPIGetTsvText(handle, 0)
            try:
                return ctypes.string_at(text).decode("utf-8") if text else ""
            finally:
                if text:
                    lib.TessDeleteText(text)
        finally:
            if monitor:
                lib.TessMonitorDelete(monitor)
            lib.TessBaseAPIClear(handle)  # page results and the image copy go now, the model stays

    def orientation(self, pixels: np.ndarray, dpi: float) -> tuple[int, float] | None:
        """(clockwise degrees to turn, confidence) from the OSD model, None when it cannot tell."""
        lib, handle = self._lib, self._handle
        lib.TessBaseAPISetPageSegMode(handle, PSM_OSD_ONLY)
        self._set_image(pixels, dpi)
        degrees, confidence = ctypes.c_int(0), ctypes.c_float(0.0)
        script, script_conf = ctypes.c_char_p(), ctypes.c_float(0.0)
        try:
            found = lib.TessBaseAPIDetectOrientationScript(
                handle,
                ctypes.byref(degrees),
                ctypes.byref(confidence),
                ctypes.byref(script),
                ctypes.byref(script_conf),
            )
        finally:
            lib.TessBaseAPIClear(handle)
        if not found:
            return None
        return ROTATE_BY_QUADRANT.get(degrees.value // 90 % 4, 0), round(float(confidence.value), 2)


_Key = tuple[str, tuple[tuple[str, str], ...]]
_idle: dict[_Key, list[_Engine]] = {}
_failed: dict[_Key, str] = {}
_pool_lock = threading.Lock()


@contextmanager
def _engine(lang: str, variables: Mapping[str, str] | None) -> Iterator[_Engine]:
    """Borrow an idle engine for `lang` (created on first need, kept for the process's life).

    One engine per thread that reads at the same time: a page pool of two threads keeps two,
    and later documents reuse them instead of loading the model again.
    """
    key: _Key = (lang, tuple(sorted((variables or {}).items())))
    with _pool_lock:
        if key in _failed:  # a missing library or model is tried once per process, not per page
            raise TessUnavailable(_failed[key])
        engine = _idle.get(key, []).pop() if _idle.get(key) else None
    if engine is None:
        try:
            engine = _Engine(lang, key[1])
        except TessUnavailable as e:
            with _pool_lock:
                _failed[key] = str(e)
            raise
    try:
        yield engine
    finally:
        with _pool_lock:
            _idle.setdefault(key, []).append(engine)


@atexit.register
def _close_all() -> None:
    """Free every idle engine before the interpreter exits (libtesseract's caches complain else)."""
    with _pool_lock:
        engines = [e for group in _idle.values() for e in group]
        _idle.clear()
    for engine in engines:
        engine.close()


def _pixels(image: PageImage) -> np.ndarray:
    """A uint8 array of 1 (grey, rows may be strided), 3 (RGB) or 4 (RGBA) channels."""
    if isinstance(image, Image.Image):
        if image.mode not in ("L", "RGB", "RGBA"):
            image = image.convert("L")
        array = np.asarray(image)
    else:
        array = image
    if (
        array.dtype != np.uint8
        or array.ndim not in (2, 3)
        or (array.ndim == 3 and array.shape[2] not in (1, 3, 4))
    ):
        raise ValueError(f"a page image must be uint8 H×W, H×W×3 or H×W×4, not {array.dtype} {array.shape}")
    if array.ndim == 3 and array.shape[2] == 1:
        array = array[:, :, 0]
    if array.ndim == 2 and array.strides[1] == 1 and array.strides[0] >= array.shape[1]:
        return array  # rows of adjacent pixels (a crop of a page): handed over without a copy
    return np.ascontiguousarray(array)


def available(lang: str = "vie") -> str:
    """Say why Tesseract cannot run in process, or "" when it can (library and model load).

    The answer is cached per language; a model that loads stays loaded for later pages.

    Args:
        lang: a Tesseract language, "vie" or "vie+eng".

    Returns:
        "" when `image_to_tsv` can run, else the reason (the caller falls back to the CLI).

    Examples:
        >>> available("vie")
        ''
        >>> available("xyz")
        "the Tesseract language model 'xyz' cannot be loaded"
    """
    return _available(lang)


@lru_cache(maxsize=16)
def _available(lang: str) -> str:
    try:
        with _engine(lang, None):
            return ""
    except TessUnavailable as e:
        return str(e)


def version() -> str:
    """The loaded libtesseract's version, e.g. "5.3.0"; raises TessUnavailable when missing."""
    return _library().version


def image_to_tsv(
    image: PageImage,
    dpi: float,
    lang: str = "vie",
    psm: int = 4,
    variables: Mapping[str, str] | None = None,
    timeout: float = 0.0,
) -> str:
    """Read a page image in process and return the TSV text the CLI writes, header included.

    The same as `tesseract page.tif out -l LANG --psm PSM -c K=V tsv` (SPEED,
    then `variables`) on the image saved as a TIFF whose resolution tag is `dpi` (same library,
    same words, boxes and confidences).

    Args:
        image: H×W greyscale (or H×W×3 RGB) uint8 array, or a PIL image.
        dpi: the image's resolution (Tesseract scales its size limits by it).
        lang: Tesseract language(s), "vie" by default.
        psm: page segmentation mode (4: one column of text of variable sizes).
        variables: Tesseract parameters set at initialisation, as the CLI's `-c name=value`.
        timeout: seconds before recognition is abandoned (TessTimeout); 0 for none.

    Returns:
        The TSV text: the header line, then one row per page, block, paragraph, line and word
        ("5\\t1\\t1\\t1\\t1\\t1\\t412\\t88\\t52\\t31\\t96.3\\tTỈNH").

    Raises:
        TessUnavailable: libtesseract or the language model is missing.
        TessTimeout: recognition failed or ran past `timeout`.

    Examples:
        >>> page = render_line("ỦY BAN NHÂN DÂN")  # doctest: +SKIP
        >>> image_to_tsv(page, 300).splitlines()[-1].split("\\t")[-1]  # doctest: +SKIP
        'DÂN'
    """
    pixels = _pixels(image)
    with _engine(lang, variables) as engine:
        rows = engine.tsv(pixels, dpi, psm, timeout)
    return f"{TSV_HEADER}\n{rows}"


def image_to_data(
    image: PageImage,
    dpi: float,
    lang: str = "vie",
    psm: int = 4,
    variables: Mapping[str, str] | None = None,
    timeout: float = 0.0,
) -> dict[str, list[Any]]:
    """The word records of `image_to_tsv` as `pytesseract.image_to_data(output_type=DICT)` gives them.

    Columns are lists of equal length; numbers are ints (a confidence of 96.53 becomes 96, as
    pytesseract truncates it), `text` is a string ("" on non-word rows).

    Args:
        image: H×W greyscale (or RGB) uint8 array, or a PIL image.
        dpi: the image's resolution.
        lang: Tesseract language(s).
        psm: page segmentation mode.
        variables: Tesseract parameters, as the CLI's `-c name=value`.
        timeout: seconds before recognition is abandoned; 0 for none.

    Returns:
        {"level": [1, 2, ..., 5], ..., "conf": [-1, ..., 96], "text": ["", ..., "KẾT"]}.

    Raises:
        TessUnavailable: libtesseract or the language model is missing.
        TessTimeout: recognition failed or ran past `timeout`.

    Examples:
        >>> data = image_to_data(page_pixels, 300)  # doctest: +SKIP
        >>> [t for t, lv in zip(data["text"], data["level"]) if lv == 5][:3]  # doctest: +SKIP
        ['ỦY', 'BAN', 'NHÂN']
    """
    return parse_tsv(image_to_tsv(image, dpi, lang, psm, variables, timeout))


def parse_tsv(tsv: str) -> dict[str, list[Any]]:
    """Columns of a Tesseract TSV text, converted as pytesseract's `file_to_dict` converts them.

    Args:
        tsv: the TSV text with its header line.

    Returns:
        Column name → values; every column but `text` holds ints (`int(float(cell))`).

    Examples:
        >>> parse_tsv(TSV_HEADER + "\\n5\\t1\\t1\\t1\\t1\\t1\\t10\\t20\\t30\\t40\\t91.7\\tKết")["conf"]
        [91]
        >>> parse_tsv(TSV_HEADER + "\\n5\\t1\\t1\\t1\\t1\\t1\\t10\\t20\\t30\\t40\\t91.7\\tKết")["text"]
        ['Kết']
    """
    rows = [row.split("\t") for row in tsv.strip().split("\n")]
    if len(rows) < 2:
        return {}
    header = rows.pop(0)
    if len(rows[-1]) < len(header):  # a last row whose text cell is empty has lost its tab
        rows[-1].append("")
    text_col = len(header) - 1
    out: dict[str, list[Any]] = {}
    for k, name in enumerate(header):
        column: list[Any] = []
        for row in rows:
            if len(row) <= k:
                continue
            if k == text_col:
                column.append(row[k])
                continue
            try:
                column.append(int(float(row[k])))
            except ValueError:
                column.append(row[k])
        out[name] = column
    return out


def orientation(image: PageImage, dpi: float) -> tuple[int, float] | None:
    """Clockwise degrees that make a page upright and the confidence, from the `osd` model.

    The in-process form of `pytesseract.image_to_osd`'s "rotate" and "orientation_conf".

    Args:
        image: H×W greyscale uint8 array or PIL image.
        dpi: its resolution.

    Returns:
        (0, 90, 180 or 270, confidence), or None when there are too few characters to decide.

    Raises:
        TessUnavailable: libtesseract or the `osd` model is missing.

    Examples:
        >>> orientation(np.rot90(page_pixels, 2), 300)  # doctest: +SKIP
        (180, 9.41)
    """
    pixels = _pixels(image)
    with _engine("osd", None) as engine:
        return engine.orientation(pixels, dpi)
