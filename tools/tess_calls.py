"""Every Tesseract call of whole scanned documents, timed, next to bare `tesseract` (not a pytest file).

Runs `ketluan.process` on each PDF in this process (pages one after the other in one thread) and
records each in-process Tesseract call: the step that asked for it (the page read, the table
cells' re-read, the signer-region reads, OSD), its page segmentation mode, image size, thread CPU
and TSV rows; with --pages, bare `tesseract -l vie` CPU on those documents' page images (the
PNGs `tools.bench` writes, `<stem>_p<N>.png`) in the same script.

    .venv/bin/python -m tools.tess_calls /tmp/ketluan-bench/input/scan/0000[0-7]_scan.pdf \
        --pages /tmp/ketluan-bench/pages --out /tmp/tess_calls.json
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import time
import traceback
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

# The frames whose presence on the stack names the step; the first found wins.
STEPS = (
    ("_reread_cells", "cells"),
    ("_read_name", "signer name"),
    ("_read_red_name", "red name stamp"),
    ("_read_stamped_title", "stamped title"),
    ("_orientation", "osd"),
    ("ocr_page", "page"),
)


def step_of(frames: list[str]) -> str:
    """The pipeline step a call came from, from the function names on its stack.

    Examples:
        >>> step_of(["process", "ocr_page", "_reread_cells", "_read_words"])
        'cells'
        >>> step_of(["process", "scan_signer", "_read_name", "ocr_region"])
        'signer name'
        >>> step_of(["main"])
        '?'
    """
    for name, step in STEPS:
        if name in frames:
            return step
    return "?"


def instrument(calls: list[dict[str, Any]], current: list[str]) -> None:
    """Wrap tess.image_to_tsv / tess.orientation, and run pages in the calling thread."""
    from ketluan.extract import ocr, tess
    from ketluan.records import Page

    tsv, osd = tess.image_to_tsv, tess.orientation

    def timed(kind: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        start = time.thread_time()
        out = fn(*args, **kwargs)
        cpu = time.thread_time() - start
        frames = [f.name for f in traceback.extract_stack()]
        calls.append({
            "doc": current[0], "step": "osd" if kind == "osd" else step_of(frames),
            "psm": kwargs.get("psm", args[3] if len(args) > 3 else 4) if kind == "tsv" else 0,
            "shape": list(getattr(args[0], "shape", ())[:2]), "cpu": round(cpu, 4),
            "rows": out.count("\n") if isinstance(out, str) else str(out),
        })  # fmt: skip
        return out

    tess.image_to_tsv = lambda *a, **k: timed("tsv", tsv, *a, **k)  # type: ignore[assignment]
    tess.orientation = lambda *a, **k: timed("osd", osd, *a, **k)  # type: ignore[assignment]

    def run_pages(pages: Any, settings: Any, options: Any) -> list[Page]:
        return [
            Page(number=n, source="none", error=px) if isinstance(px, str)
            else ocr._safe_ocr_page(px, n, dpi, settings, options)
            for n, px, dpi in pages
        ]  # fmt: skip

    ocr._run_pages = run_pages  # type: ignore[assignment]


def bare_cpu(images: list[Path]) -> float:
    """CPU seconds of `tesseract IMAGE - -l vie` (one thread) over the images."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    for image in images:
        subprocess.run(["tesseract", str(image), "-", "-l", "vie"], capture_output=True, env=env, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pdfs", nargs="+", type=Path)
    ap.add_argument("--pages", type=Path, default=None, help="folder of <stem>_p<N>.png page images")
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    start = time.process_time()
    from ketluan import api
    from ketluan.config import Settings

    calls: list[dict[str, Any]] = []
    current = [""]
    instrument(calls, current)
    settings = Settings.resolve({"workers": 1})
    for pdf in args.pdfs:
        current[0] = pdf.name
        api.process(pdf, settings)
    total = time.process_time() - start
    by_step: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
    for call in calls:
        by_step[call["step"]][0] += 1
        by_step[call["step"]][1] += call["cpu"]
    summary: dict[str, Any] = {"documents": len(args.pdfs), "ketluan_cpu": round(total, 2),
                               "by_step": {k: [int(n), round(s, 2)] for k, (n, s) in by_step.items()}}  # fmt: skip
    if args.pages:
        stems = {p.stem for p in args.pdfs}
        images = [p for p in sorted(args.pages.glob("*.png")) if p.stem.rsplit("_p", 1)[0] in stems]
        bare = bare_cpu(images)
        summary.update(bare_pages=len(images), bare_cpu=round(bare, 2), ratio=round(total / bare, 3))
    print(json.dumps(summary, ensure_ascii=False, indent=1))
    if args.out:
        args.out.write_text(json.dumps({"summary": summary, "calls": calls}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
