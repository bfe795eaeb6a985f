"""`make eval-extra`: render the extra corpus (data/corpus) in every kind, run the pipeline, score it.

    python -m tools.eval_extra [--kinds docx lo_pdf doc scan photo] [--out /tmp/ketluan-extra]
                               [--reuse] [--verbose]

Kinds (tools/corpus_extra.py): docx, LibreOffice PDF (.lo.pdf), legacy .doc (3 documents), office
scans with stamp and signature (.scan.pdf), phone photos of one-page documents (.photo.jpg, scored
on every field and item since the whole document is on the photo). Each kind is run with
`ketluan.run` into <out>/<kind>/ and scored with `ketluan.evaluate.score` against
data/corpus/gold, only on the documents rendered in that kind. Besides fields and items it reports
task rows (gold items with `actors`) whose predicted item has the same actors and deadline, and
result/limitation/cause/task items predicted for the non-conclusions.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent

from ketluan.evaluate import CATS, format_report, match_items, normalize, read_csv, score, stem_of  # noqa: E402
from tools.corpus_extra import GOLD, KINDS, render_all  # noqa: E402

COLUMNS = ("docs", "fields", "filled", "items_f1", "text_f1", "rows", "nonconc", "seconds")


def units(actors: str) -> set[str]:
    """Normalised units of an "A; B" actors value.

    Examples:
        >>> sorted(units("Phòng Tham mưu; Công an các huyện, thị xã, thành phố"))
        ['công an các huyện thị xã thành phố', 'phòng tham mưu']
    """
    return {normalize(u) for u in actors.split(";") if normalize(u)}


def table_rows(out: Path, gold_dir: Path, stems: set[str]) -> tuple[int, int, list[str]]:
    """(rows exact, gold rows, misses): a gold task row is exact when a predicted task item matches
    its text (the scorer's one-to-one matching) with the same actors (as a set) and deadline."""
    docs = read_csv(out / "documents.csv") if (out / "documents.csv").exists() else []
    items = read_csv(out / "items.csv") if (out / "items.csv").exists() else []
    doc_of = {stem_of(d["source_path"]): d["doc_id"] for d in docs}
    exact = total = 0
    misses: list[str] = []
    for stem in sorted(stems):
        gold = json.loads((gold_dir / f"{stem}.json").read_text(encoding="utf-8"))
        rows = [g for g in gold["items"] if "actors" in g]
        if not rows:
            continue
        total += len(rows)
        pred = [p for p in items if p["doc_id"] == doc_of.get(stem) and p["category"] == "task"]
        pairs = dict(match_items(rows, pred))
        for i, g in enumerate(rows):
            j = pairs.get(i)
            if (
                j is not None
                and units(pred[j]["actors"]) == units(g["actors"])
                and pred[j]["deadline"] == g["deadline"]
            ):
                exact += 1
                continue
            got = (
                f"{pred[j]['actors']!r} {pred[j]['deadline']!r}" if j is not None else "no matching task item"
            )
            misses.append(f"  {stem}: {g['text'][:50]!r} gold {g['actors']!r} {g['deadline']!r} / pred {got}")
    return exact, total, misses


def nonconclusion_items(out: Path, gold_dir: Path, stems: set[str]) -> tuple[int, int]:
    """(result/limitation/cause/task items predicted, documents) over the gold non-conclusions."""
    docs = read_csv(out / "documents.csv") if (out / "documents.csv").exists() else []
    items = read_csv(out / "items.csv") if (out / "items.csv").exists() else []
    ids = set()
    for d in docs:
        stem = stem_of(d["source_path"])
        if (
            stem in stems
            and not json.loads((gold_dir / f"{stem}.json").read_text(encoding="utf-8"))["fields"][
                "is_conclusion"
            ]
        ):
            ids.add(d["doc_id"])
    return sum(1 for p in items if p["doc_id"] in ids and p["category"] in CATS), len(ids)


def score_kind(out: Path, stems: set[str], gold_dir: Path = GOLD) -> tuple[Any, dict[str, Any], list[str]]:
    """Score one kind's run on the gold of the documents rendered in that kind."""
    with tempfile.TemporaryDirectory(prefix="ketluan-gold-") as tmp:
        for stem in stems:
            shutil.copy(gold_dir / f"{stem}.json", Path(tmp) / f"{stem}.json")
        report = score(out, Path(tmp))
    exact, total, misses = table_rows(out, gold_dir, stems)
    wrong, n_non = nonconclusion_items(out, gold_dir, stems)
    row = {
        "docs": len(stems), "fields": report["fields_acc"], "filled": report["filled_acc"],
        "items_f1": report["items_f1"], "text_f1": report["text_f1"],
        "rows": f"{exact}/{total}" if total else "-", "nonconc": f"{wrong} in {n_non}" if n_non else "-",
    }  # fmt: skip
    return report, row, misses


def summary_table(rows: dict[str, dict[str, Any]]) -> str:
    """Kind × (docs, fields, filled, items_f1, text_f1, task rows exact, non-conclusion items, seconds)."""
    head = f"{'kind':7s}" + "".join(f" {c:>9s}" for c in COLUMNS)
    out = [head, "-" * len(head)]
    for kind, r in rows.items():
        cells = []
        for c in COLUMNS:
            v = r.get(c, "")
            cells.append(f" {v:9.3f}" if isinstance(v, float) and c != "seconds" else
                         f" {v:9.1f}" if isinstance(v, float) else f" {v!s:>9s}")  # fmt: skip
        out.append(f"{kind:7s}" + "".join(cells))
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    """Render (unless --reuse), run and score each kind; print reports and the summary table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--kinds", nargs="+", default=list(KINDS), choices=list(KINDS))
    ap.add_argument("--out", type=Path, default=Path("/tmp/ketluan-extra"))
    ap.add_argument("--reuse", action="store_true", help="keep the rendered inputs of an earlier run")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument(
        "--verbose", "-v", action="store_true", help="wrong fields, per-document counts, row misses"
    )
    a = ap.parse_args(argv)

    inputs = a.out / "input"
    if not a.reuse or not all((inputs / k).is_dir() for k in a.kinds):
        render_all(inputs, tuple(a.kinds))
    from ketluan import run

    rows: dict[str, dict[str, Any]] = {}
    for kind in a.kinds:
        files = sorted((inputs / kind).glob(f"*{KINDS[kind]}"))
        stems = {stem_of(str(f)) for f in files}
        out = a.out / kind
        started = time.monotonic()
        summary = run(files, out=out, settings={"force": True, "workers": a.workers})
        seconds = time.monotonic() - started
        report, row, misses = score_kind(out, stems)
        row["seconds"] = seconds
        rows[kind] = row
        print(f"\n== {kind}: {summary.line()} ({seconds:.1f} s)")
        print(format_report(report, verbose=a.verbose))
        print(
            f"task rows exact: {row['rows']}; result/limitation/cause/task items on non-conclusions: {row['nonconc']}"
        )
        if a.verbose:
            print("\n".join(misses))
    print()
    print(summary_table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
