"""`make eval`: render the dev corpus as PDF, DOCX and TXT, run the pipeline on each, score it.

    python -m tools.eval_corpus [--kinds pdf docx txt] [--out /tmp/ketluan-eval] [--verbose]

The corpus is found next to the repository (<repo>/../shared/corpus/dev). Each kind is rendered
by tools/render.py into <out>/input/<kind>/, run with `ketluan.run` into <out>/<kind>/, and
scored with `ketluan.evaluate` (the figures of shared/tools/score.py). A summary table of
kind × (fields, filled, items_f1, text_f1) ends the output.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

from ketluan.evaluate import format_report, score  # noqa: E402
from tools.render import ALL_KINDS, KINDS, render_corpus  # noqa: E402

CORPUS = HERE.parents[1] / "shared" / "corpus" / "dev"
SUMMARY_COLUMNS = (
    ("fields", "fields_acc"),
    ("filled", "filled_acc"),
    ("items_f1", "items_f1"),
    ("text_f1", "text_f1"),
)


def summary_table(results: dict[str, dict[str, float]]) -> str:
    """Kind × (fields, filled, items_f1, text_f1), one row per kind, three decimals."""
    head = f"{'kind':6s}" + "".join(f" {name:>9s}" for name, _ in SUMMARY_COLUMNS) + f" {'seconds':>8s}"
    rows = [head, "-" * len(head)]
    for kind, r in results.items():
        cells = "".join(f" {r[key]:9.3f}" for _, key in SUMMARY_COLUMNS)
        rows.append(f"{kind:6s}{cells} {r['seconds']:8.1f}")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    """Render, run and score each kind; print the reports and the summary table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--kinds", nargs="+", default=list(KINDS), choices=ALL_KINDS)
    ap.add_argument("--out", type=Path, default=Path("/tmp/ketluan-eval"))
    ap.add_argument("--corpus", type=Path, default=CORPUS, help="folder holding text/ and gold/")
    ap.add_argument("--verbose", "-v", action="store_true", help="list wrong fields and per-document counts")
    ap.add_argument("--render-only", action="store_true", help="render the inputs and stop")
    a = ap.parse_args(argv)

    text_dir, gold_dir = a.corpus / "text", a.corpus / "gold"
    if not text_dir.is_dir() or not gold_dir.is_dir():
        print(f"corpus not found: {a.corpus} (expected text/ and gold/ in it)", file=sys.stderr)
        return 1
    inputs = render_corpus(text_dir, a.out / "input", kinds=a.kinds)
    for kind, paths in inputs.items():
        print(f"rendered {len(paths)} {kind} → {a.out / 'input' / kind}")
    if a.render_only:
        return 0

    from ketluan import run

    results: dict[str, dict[str, float]] = {}
    for kind in a.kinds:
        out = a.out / kind
        started = time.monotonic()
        summary = run(
            [a.out / "input" / kind], out=out, settings={"force": True, "workers": 2}
        )  # never reuse stale rows
        seconds = time.monotonic() - started
        report = score(out, gold_dir)
        print(f"\n== {kind}: {summary.line()} ({seconds:.1f} s)")
        print(format_report(report, verbose=a.verbose))
        results[kind] = {key: float(report[key]) for _, key in SUMMARY_COLUMNS} | {"seconds": seconds}
    print()
    print(summary_table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
