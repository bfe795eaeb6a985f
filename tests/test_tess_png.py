"""Tests of extract/tess.py's stored line images: Leptonica's PNG level call routed, same words."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys

import numpy as np
import pytest

from ketluan.extract import tess

SERIF = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"


def grainy_lines(lines: list[str]) -> np.ndarray:
    """A greyscale 300 dpi strip with Vietnamese lines in 12 pt DejaVu Serif on grainy grey paper
    (the grain is what made deflate expensive)."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("L", (2000, 120 + 90 * len(lines)), 240)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(SERIF, 50)
    for k, text in enumerate(lines):
        draw.text((60, 60 + 90 * k), text, font=font, fill=25)
    rng = np.random.default_rng(7)
    grain = rng.normal(0, 6, (image.height, image.width))
    return np.clip(np.asarray(image, dtype=float) + grain, 0, 255).astype(np.uint8)


LINES = [
    "THÔNG BÁO KẾT LUẬN CỦA CHỦ TỊCH UBND TỈNH",
    "Sở Tài chính chủ trì, phối hợp với UBND các huyện, thị xã;",
    "Số: 85/TB-UBND ngày 04 tháng 5 năm 2019",
]
READ = """
import json, sys
import numpy as np
from ketluan.extract import tess
page = np.load(sys.argv[1])
print(json.dumps({"tsv": tess.image_to_tsv(page, 300, "vie", 4), "hooks": len(tess._PNG_HOOKS)}))
"""


def _read_in_child(path: str, fast: str) -> dict[str, object]:
    env = {**os.environ, tess.FAST_PNG_ENV: fast}
    done = subprocess.run([sys.executable, "-c", READ, path], env=env, capture_output=True, text=True,
                          timeout=120, check=True)  # fmt: skip
    got: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return got


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ELF libraries, /proc/self/maps")
def test_tess_png_stored_line_images_give_the_same_tsv(tmp_path: object) -> None:
    path = os.path.join(str(tmp_path), "page.npy")
    np.save(path, grainy_lines(LINES))
    fast, plain = _read_in_child(path, "1"), _read_in_child(path, "0")
    assert plain["hooks"] == 0
    assert fast["tsv"] == plain["tsv"]
    words = [row.split("\t")[-1] for row in str(fast["tsv"]).splitlines()[1:] if row.startswith("5\t")]
    assert "THÔNG" in words and "UBND" in words


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ELF libraries, /proc/self/maps")
def test_tess_png_hook_installed_where_the_slot_is_writable() -> None:
    assert tess.available("vie") == ""
    paths = tess._leptonica_paths()
    assert paths, "libtesseract loads Leptonica"
    with open(paths[0], "rb") as fh:
        found = tess.elf_import_slots(fh.read(), tess.PNG_LEVEL_SYMBOL, tess.LEPT_ANCHOR)
    assert found is not None and found[0] and found[1] > 0
    # Debian's Leptonica binds lazily (its .got.plt is writable): the call is routed there.
    flags = subprocess.run(["readelf", "-d", paths[0]], capture_output=True, text=True, check=False).stdout
    if "BIND_NOW" not in flags and " NOW" not in flags:
        assert len(tess._PNG_HOOKS) >= 1


def _elf_header(machine: int, elf_class: int = 2, endian: int = 1) -> bytes:
    header = bytearray(64)
    header[:4] = b"\x7fELF"
    header[4], header[5] = elf_class, endian
    struct.pack_into("<H", header, 0x12, machine)
    struct.pack_into("<Q", header, 0x28, 0)  # no section headers
    struct.pack_into("<HH", header, 0x3A, 64, 0)
    return bytes(header)


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b"MZ\x90\x00", "a Windows DLL"),
        (b"", "empty"),
        (_elf_header(62, elf_class=1), "32-bit ELF"),
        (_elf_header(62, endian=2), "big-endian ELF"),
        (_elf_header(40), "ARM 32-bit machine"),
        (_elf_header(62), "x86-64 without sections"),
    ],
)
def test_tess_png_elf_import_slots_none_for_other_files(data: bytes, why: str) -> None:
    assert tess.elf_import_slots(data, "png_set_compression_level", "setMsgSeverity") is None, why


def test_tess_png_elf_import_slots_none_for_a_missing_symbol() -> None:
    paths = tess._leptonica_paths() if tess.available("vie") == "" else []
    if not paths:
        pytest.skip("no Leptonica mapped")
    with open(paths[0], "rb") as fh:
        data = fh.read()
    assert tess.elf_import_slots(data, "no_such_function_xyz", tess.LEPT_ANCHOR) is None
    assert tess.elf_import_slots(data, tess.PNG_LEVEL_SYMBOL, "no_such_export_xyz") is None


AGAIN = """
import json, multiprocessing, sys
import numpy as np
from ketluan.extract import tess
page = np.load(sys.argv[1])
first = tess.image_to_tsv(page, 300, "vie", 4)
hooks = len(tess._PNG_HOOKS)
again = tess._store_line_images()  # a second load in the same process: the slot is ours already
def forked(queue):  # a worker forked after the parent patched, loading the library again
    tess._library.cache_clear()
    tess._close_all()
    queue.put((tess.image_to_tsv(page, 300, "vie", 4), len(tess._PNG_HOOKS)))
queue = multiprocessing.get_context("fork").Queue()
child = multiprocessing.get_context("fork").Process(target=forked, args=(queue,))
child.start()
child_tsv, child_hooks = queue.get(timeout=100)
child.join()
print(json.dumps({"tsv": first, "hooks": hooks, "again": again, "child_tsv": child_tsv,
                  "child_hooks": child_hooks, "code": child.exitcode}))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ELF libraries, /proc/self/maps, fork")
def test_tess_png_second_load_and_forked_worker_patch_nothing_again(tmp_path: object) -> None:
    path = os.path.join(str(tmp_path), "page.npy")
    np.save(path, grainy_lines(LINES[:2]))
    done = subprocess.run([sys.executable, "-c", AGAIN, path], capture_output=True, text=True,
                          timeout=200, check=True)  # fmt: skip
    got = json.loads(done.stdout.strip().splitlines()[-1])
    plain = _read_in_child(path, "0")
    assert got["again"] == 0 and got["child_hooks"] == got["hooks"]
    assert got["code"] == 0
    assert got["tsv"] == got["child_tsv"] == plain["tsv"]
