"""Where the wall time of a scanned run goes, worker by worker (not a pytest file).

Runs `ketluan.run` on some PDFs with N workers (forked: the task functions are wrapped before the
pool starts) and records every task of the local engine: a document's first read ("doc"), each OCR
page ("page"), the document finished with its pages ("assemble"); then prints, for the run, the
time before the first task (models loaded, workers forked), after the last one (the export), and
for each worker its busy time, CPU, the gaps between its tasks and when it finished (the tail).

    .venv/bin/python -m tools.scan_timeline /tmp/ketluan-bench/input/scan/*.pdf --workers 2
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

LOG_ENV = "KETLUAN_TIMELINE_LOG"


def _wrap(kind: str, fn: Callable[..., Any], log: str, t0: float) -> Callable[..., Any]:
    """`fn` that appends one JSON line per call (pid, task kind, document, start, end, CPU) to `log`;
    pickled by reference under `fn`'s own name (pebble sends the function to the forked worker)."""

    def timed(*args: Any, **kwargs: Any) -> Any:
        start, cpu = time.time(), time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            source = args[0] if kind == "page" else args[1]
            task = (
                kind if kind == "page" else ("assemble" if len(args) > 4 and args[4] is not None else "doc")
            )
            row = {"pid": os.getpid(), "kind": task, "doc": Path(source.path).name, "start": start - t0,
                   "end": time.time() - t0, "cpu": time.process_time() - cpu}  # fmt: skip
            with open(log, "a", encoding="utf-8") as fh:
                fh.write(json.dumps(row) + "\n")

    timed.__name__ = timed.__qualname__ = fn.__name__
    timed.__module__ = fn.__module__
    return timed


def summary(rows: list[dict[str, Any]], run_seconds: float) -> dict[str, Any]:
    """The run's start and end overheads and each worker's busy time, gaps and finish.

    Examples:
        >>> rows = [{"pid": 1, "kind": "page", "doc": "a.pdf", "start": 0.5, "end": 2.0, "cpu": 1.4},
        ...         {"pid": 2, "kind": "page", "doc": "a.pdf", "start": 0.5, "end": 1.5, "cpu": 1.0},
        ...         {"pid": 1, "kind": "assemble", "doc": "a.pdf", "start": 2.1, "end": 2.4, "cpu": 0.3}]
        >>> s = summary(rows, 2.9)
        >>> s["before_first_task"], s["after_last_task"], s["workers"]["2"]["idle_at_end"]
        (0.5, 0.5, 0.9)
    """
    first = min(r["start"] for r in rows)
    last = max(r["end"] for r in rows)
    workers: dict[str, Any] = {}
    for pid in sorted({r["pid"] for r in rows}):
        mine = sorted((r for r in rows if r["pid"] == pid), key=lambda r: r["start"])
        gaps = sum(max(0.0, b["start"] - a["end"]) for a, b in zip(mine, mine[1:], strict=False))
        workers[str(pid)] = {
            "tasks": len(mine), "busy": round(sum(r["end"] - r["start"] for r in mine), 2),
            "cpu": round(sum(r["cpu"] for r in mine), 2), "gaps": round(gaps, 2),
            "idle_at_start": round(mine[0]["start"] - first, 2), "idle_at_end": round(last - mine[-1]["end"], 2),
        }  # fmt: skip
    kinds = {
        kind: {"tasks": len(rs), "busy": round(sum(r["end"] - r["start"] for r in rs), 2),
               "cpu": round(sum(r["cpu"] for r in rs), 2)}
        for kind in ("doc", "page", "assemble") if (rs := [r for r in rows if r["kind"] == kind])
    }  # fmt: skip
    return {"run": round(run_seconds, 2), "before_first_task": round(first, 2),
            "after_last_task": round(run_seconds - last, 2), "workers": workers, "kinds": kinds}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("pdfs", nargs="+", type=Path)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "ketluan-timeline")
    ap.add_argument("--json", type=Path, default=None, help="write the tasks and the summary here")
    a = ap.parse_args(argv)
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    import ketluan
    from ketluan.engine import local

    log = str(a.out.with_suffix(".jsonl"))
    a.out.parent.mkdir(parents=True, exist_ok=True)
    open(log, "w").close()
    t0 = time.time()
    local.read_page = _wrap("page", local.read_page, log, t0)  # type: ignore[assignment]
    local.run_document = _wrap("doc", local.run_document, log, t0)  # type: ignore[assignment]
    run = ketluan.run([str(p) for p in a.pdfs], a.out, settings={"workers": a.workers, "force": True})
    seconds = time.time() - t0
    rows = [json.loads(line) for line in open(log, encoding="utf-8")]
    result = summary(rows, seconds)
    print(run.line())
    print(json.dumps(result, indent=1))
    if a.json:
        a.json.write_text(json.dumps({"summary": result, "tasks": rows}, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
