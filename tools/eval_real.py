"""`make eval-real`: run ketluan over the real issued documents and score them against their gold.

Reads every document at the top of the real corpus folder (never its gold/ or text/ folders: a
transcription run as a document would score itself), runs it through `ketluan.run` (the function
behind `ketluan run`, one worker by default), and scores the tables with shared/tools/score.py,
imported by path. Prints fields accuracy, items F1, text F1, per-field accuracy, the result/
limitation/cause/task items invented on documents whose gold says they are not conclusions, and
the OCR character accuracy (1 - CER after NFC, as tools/bench_ocr.py) of the scanned documents
against text/<stem>.txt. Writes every figure, and per document every wrong field and item count,
to OUT/eval_real.json. Exits 0 whatever the scores; 1 only when the run itself crashed.

    .venv/bin/python tools/eval_real.py --corpus ../shared/corpus/real --out /tmp/ketluan-real
    .venv/bin/python tools/eval_real.py --corpus ../shared/corpus/real --out /tmp/ketluan-real --skip-run
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import csv
import importlib.util
import io
import json
import re
import sys
import time
import traceback
from pathlib import Path
from types import ModuleType
from typing import Any

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from tools.bench_ocr import char_accuracy
from tools.bench_ocr import normalize as normalize_spaces

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
DEFAULT_CORPUS = SHARED / "corpus" / "real"
DEFAULT_SCORER = SHARED / "tools" / "score.py"
NOT_DOCUMENTS = {".tsv", ".md", ".json"}  # SOURCES.tsv, a README: corpus furniture, not inputs
ITEM_CATS = ("result", "limitation", "cause", "task")
SCANNED_KINDS = {"scanned_pdf", "mixed_pdf", "image"}
GAP = re.compile(r"^\s*\[\.\.\.\]\s*$", re.M)  # "[...]": a part of a long document left untranscribed
SNIPPET = 140  # characters of an item text kept in the JSON for the failure analysis


# -- inputs -------------------------------------------------------------------------------------


def corpus_documents(corpus: Path) -> list[Path]:
    """The documents at the top of the corpus folder: files only, no gold/, text/ or SOURCES.tsv."""
    return sorted(
        p
        for p in corpus.iterdir()
        if p.is_file() and not p.name.startswith(".") and p.suffix.lower() not in NOT_DOCUMENTS
    )


def load_scorer(path: Path) -> ModuleType:
    """shared/tools/score.py as a module (its functions and its `main`)."""
    spec = importlib.util.spec_from_file_location("shared_score", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import the scorer at {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def scanned_stems(corpus: Path, documents: list[Path]) -> set[str]:
    """Stems of the documents SOURCES.tsv describes as scanned (column text_layer "scanned ...")."""
    sources = corpus / "SOURCES.tsv"
    if not sources.exists():
        return set()
    with open(sources, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    names = {p.name for p in documents}
    return {
        Path(r["file"]).stem
        for r in rows
        if r.get("file") in names and (r.get("text_layer") or "").strip().lower().startswith("scanned")
    }


# -- the run ------------------------------------------------------------------------------------


def run_pipeline(
    files: list[Path], out: Path, workers: int, timeout: float, stem_of: Any
) -> tuple[dict[str, dict[str, Any]], str, float]:
    """Run ketluan on `files` into `out`; keep each document's text and kind for the OCR figures.

    Returns:
        ({stem: {text, input_kind, ocr_pages, ocr_confidence, status, error}}, the traceback
        if the run crashed else "", seconds).
    """
    docs: dict[str, dict[str, Any]] = {}
    started = time.monotonic()

    def keep(doc: Any) -> None:
        docs[stem_of(doc.source_path)] = {
            "text": getattr(doc, "text", "") or "",
            "input_kind": doc.input_kind,
            "ocr_pages": doc.ocr_pages,
            "ocr_confidence": doc.ocr_confidence,
            "status": doc.status,
            "error": doc.error,
        }
        print(
            f"  {doc.status:7s} {doc.input_kind:12s} {Path(doc.source_path).name}",
            file=sys.stderr,
            flush=True,
        )

    crash = ""
    try:
        from ketluan import run

        settings = {"workers": workers, "force": True, "timeout": timeout}  # force: never reuse stale rows
        summary = run([str(p) for p in files], out=out, settings=settings, on_document=keep)
        print(f"run: {summary.line()}", file=sys.stderr)
    except Exception:  # the run itself broke (not a bad document: those are rows)
        crash = traceback.format_exc()
        print(crash, file=sys.stderr)
    seconds = time.monotonic() - started
    text_dir = out / "text"
    text_dir.mkdir(parents=True, exist_ok=True)
    for stem, d in docs.items():
        (text_dir / f"{stem}.txt").write_text(d["text"], encoding="utf-8")
    (out / "run_docs.json").write_text(
        json.dumps({s: {k: v for k, v in d.items() if k != "text"} for s, d in docs.items()},
                   ensure_ascii=False, indent=1),
        encoding="utf-8",
    )  # fmt: skip
    return docs, crash, seconds


def stored_texts(out: Path) -> dict[str, dict[str, Any]]:
    """What `run_pipeline` kept of an earlier run (for --skip-run)."""
    meta_path = out / "run_docs.json"
    meta: dict[str, dict[str, Any]] = (
        json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
    )
    for path in sorted((out / "text").glob("*.txt")):
        meta.setdefault(path.stem, {})["text"] = path.read_text(encoding="utf-8")
    return meta


# -- scoring ------------------------------------------------------------------------------------


def official_report(scorer: ModuleType, pred: Path, gold: Path, out: Path) -> dict[str, Any]:
    """The figures of score.py, by running its `main` (its printout is kept in OUT/score.txt)."""
    json_path = out / "score.json"
    argv, buf = sys.argv, io.StringIO()
    sys.argv = ["score.py", "--pred", str(pred), "--gold", str(gold), "--json", str(json_path), "--verbose"]
    try:
        with contextlib.redirect_stdout(buf):
            scorer.main()
    finally:
        sys.argv = argv
    (out / "score.txt").write_text(buf.getvalue(), encoding="utf-8")
    report: dict[str, Any] = json.loads(json_path.read_text(encoding="utf-8"))
    return report


def ketluan_eval_agrees(report: dict[str, Any], pred: Path, gold: Path) -> bool | None:
    """Whether `ketluan eval` (ketluan.evaluate.score) gives the same figures; None if unavailable."""
    try:
        from ketluan.evaluate import score
    except Exception:
        return None
    mine = score(pred, gold)
    keys = ("fields_acc", "filled_acc", "items_f1", "text_f1")
    return all(abs(float(mine[k]) - float(report[k])) < 1e-9 for k in keys)


def truthy(value: Any) -> bool:
    """A gold or CSV boolean: true, "true", "1", "yes"."""
    return str(value).strip().lower() in ("true", "1", "yes")


def per_document(scorer: ModuleType, pred: Path, gold_dir: Path) -> dict[str, dict[str, Any]]:
    """Per gold document: wrong fields (gold vs got), items per category, unmatched items.

    Uses score.py's own pairing (stem_of), field test (field_ok) and item matching (match_items),
    so the counts add up to its figures.
    """
    golds = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(gold_dir.glob("*.json"))}
    docs = scorer.read_csv(pred / "documents.csv") if (pred / "documents.csv").exists() else []
    items = scorer.read_csv(pred / "items.csv") if (pred / "items.csv").exists() else []
    by_doc: dict[str, list[dict[str, str]]] = collections.defaultdict(list)
    for it in items:
        by_doc[it.get("doc_id", "")].append(it)
    row_of = {scorer.stem_of(d.get("source_path", "")): d for d in docs}
    out: dict[str, dict[str, Any]] = {}
    for stem, gold in golds.items():
        row = row_of.get(stem)
        conclusion = truthy(gold["fields"].get("is_conclusion"))
        entry: dict[str, Any] = {"is_conclusion": conclusion, "found": row is not None}
        if row is None:
            out[stem] = entry
            continue
        entry.update(status=row.get("status", ""), error=row.get("error", ""), input_kind=row.get("input_kind", ""),
                     ocr_pages=row.get("ocr_pages", ""), ocr_confidence=row.get("ocr_confidence", ""))  # fmt: skip
        wrong = []
        n_fields = 0
        for f in scorer.FIELDS:
            if f in gold["fields"]:
                n_fields += 1
                if not scorer.field_ok(f, gold["fields"][f], row.get(f, "")):
                    wrong.append({"field": f, "gold": gold["fields"][f], "got": row.get(f, "")})
        entry.update(fields_total=n_fields, fields_wrong=wrong)
        gitems = [g for g in gold["items"] if g["category"] in ITEM_CATS]
        all_pred = by_doc.get(row.get("doc_id", ""), [])
        pitems = [p for p in all_pred if p.get("category") in ITEM_CATS]
        pairs = scorer.match_items(gitems, pitems)
        cats: dict[str, dict[str, int]] = {c: {"gold": 0, "pred": 0, "matched": 0} for c in ITEM_CATS}
        for g in gitems:
            cats[g["category"]]["gold"] += 1
        for p in pitems:
            cats[p["category"]]["pred"] += 1
        wrong_category = []
        for i, j in pairs:
            if gitems[i]["category"] == pitems[j]["category"]:
                cats[gitems[i]["category"]]["matched"] += 1
            else:
                wrong_category.append({"gold": gitems[i]["category"], "got": pitems[j]["category"],
                                       "text": gitems[i]["text"][:SNIPPET]})  # fmt: skip
        paired_g = {i for i, _ in pairs}
        paired_p = {j for _, j in pairs}
        # a gold item the run put in `other` (not scored) is a miss too; say so
        other_texts = [p.get("text", "") for p in all_pred if p.get("category") not in ITEM_CATS]
        missed = []
        for i, g in enumerate(gitems):
            if i in paired_g:
                continue
            as_other = any(fuzz.ratio(scorer.norm(g["text"]), scorer.norm(t)) >= 80 for t in other_texts)
            missed.append({"category": g["category"], "text": g["text"][:SNIPPET], "got_as_other": as_other})
        invented = [
            {"category": p["category"], "text": p.get("text", "")[:SNIPPET]}
            for j, p in enumerate(pitems)
            if j not in paired_p
        ]
        entry.update(
            items=cats,
            items_pred_other=len(all_pred) - len(pitems),
            items_wrong_category=wrong_category,
            items_missed=missed,
            items_unmatched_pred=invented,
            invented_on_non_conclusion=(
                dict(collections.Counter(p["category"] for p in pitems)) if not conclusion else {}
            ),
        )
        out[stem] = entry
    return out


# -- OCR character accuracy ---------------------------------------------------------------------


def segment_errors(segment: str, ocr: str) -> int:
    """Edits from `segment` to the stretch of `ocr` that best holds it (semi-global alignment).

    The stretch is found with rapidfuzz's partial alignment, widened by a fifth on each side,
    and the insertions before the first and after the last aligned character are not counted.
    """
    if not segment:
        return 0
    if not ocr:
        return len(segment)
    al = fuzz.partial_ratio_alignment(segment, ocr)
    pad = max(20, len(segment) // 5)
    if al is None or len(segment) > len(ocr):  # no alignment, or ocr is the shorter: take it whole
        start, end = 0, len(ocr)
    else:
        start, end = al.dest_start, al.dest_end
    window = ocr[max(0, start - pad) : end + pad]
    ops = list(Levenshtein.editops(segment, window))
    kinds = [op.tag for op in ops]
    # leading/trailing inserts are window text outside the segment
    lead = 0
    while lead < len(ops) and kinds[lead] == "insert" and ops[lead].src_pos == 0:
        lead += 1
    trail = 0
    while (
        trail < len(ops) - lead and kinds[-1 - trail] == "insert" and ops[-1 - trail].src_pos == len(segment)
    ):
        trail += 1
    return len(ops) - lead - trail


def ocr_accuracy(ocr: str, reference: str) -> dict[str, Any]:
    """Character accuracy of a document's text against its transcription.

    A full transcription is compared whole (as tools/bench_ocr.py does); one with a "[...]" gap
    (even a single one at the end) is cut at its gaps and each part is compared with the stretch
    of the text that best holds it, so the untranscribed pages do not count as OCR errors.
    """
    parts = [normalize_spaces(p) for p in GAP.split(reference)]
    parts = [p for p in parts if p]
    ref_chars = sum(len(p) for p in parts)
    if not GAP.search(reference):
        acc = char_accuracy(ocr, reference)
        return {"method": "full", "accuracy": round(acc, 4), "reference_chars": ref_chars,
                "errors": round((1 - acc) * max(ref_chars, 1))}  # fmt: skip
    text = normalize_spaces(ocr)
    errors = sum(segment_errors(p, text) for p in parts)
    return {"method": "segments", "accuracy": round(1 - errors / max(ref_chars, 1), 4),
            "reference_chars": ref_chars, "errors": errors, "segments": len(parts)}  # fmt: skip


# -- report -------------------------------------------------------------------------------------


def summary_table(figures: dict[str, Any]) -> str:
    """The short table: the headline figures, then per-field accuracy and per-category items."""
    s = figures["summary"]
    lines = [
        f"{'fields':>8s} {'filled':>8s} {'items_f1':>9s} {'text_f1':>8s} {'invented':>9s} {'ocr_acc':>8s} {'docs':>5s} {'errors':>7s}",
        f"{s['fields_acc']:8.3f} {s['filled_acc']:8.3f} {s['items_f1']:9.3f} {s['text_f1']:8.3f} "
        f"{s['invented_on_non_conclusions']:9d} {s['ocr_char_accuracy']:8.3f} {s['documents_run']:5d} {s['error_rows']:7d}",
        "",
        "per-field accuracy:",
    ]
    fields = figures["score"]["fields"]
    names = list(fields)
    for k in range(0, len(names), 3):
        lines.append("  " + "   ".join(f"{n:16s} {fields[n]:.3f}" for n in names[k : k + 3]))
    lines.append("items (P / R / F1, gold, pred) | text F1:")
    for c in ITEM_CATS:
        it, tx = figures["score"]["items"][c], figures["score"]["text"][c]
        lines.append(f"  {c:11s} {it['p']:.3f} / {it['r']:.3f} / {it['f1']:.3f}  gold {it['gold']:3d}  "
                     f"pred {it['pred']:3d} | {tx['f1']:.3f}")  # fmt: skip
    inv = figures["invented_by_category"]
    lines.append("invented on non-conclusions: " + (", ".join(f"{c} {n}" for c, n in inv.items()) or "none"))
    ocr = figures["ocr"]
    if ocr["documents"]:
        lines.append(f"OCR character accuracy on {len(ocr['documents'])} scans: mean {ocr['mean']:.3f}, "
                     f"pooled {ocr['pooled']:.3f}")  # fmt: skip
    return "\n".join(lines)


def document_lines(figures: dict[str, Any]) -> str:
    """One line per document: status, wrong fields, items matched/gold/pred, invented, OCR."""
    rows = [
        f"{'document':62s} {'kind':11s} {'status':7s} {'wrong':>5s} {'items m/g/p':>11s} {'inv':>4s} {'ocr':>6s}"
    ]
    for stem, d in figures["documents"].items():
        if not d.get("found"):
            rows.append(f"{stem[:62]:62s} {'':11s} {'MISSING':7s}")
            continue
        m = sum(v["matched"] for v in d["items"].values())
        g = sum(v["gold"] for v in d["items"].values())
        p = sum(v["pred"] for v in d["items"].values())
        inv = sum(d["invented_on_non_conclusion"].values())
        ocr = figures["ocr"]["documents"].get(stem, {}).get("accuracy")
        rows.append(f"{stem[:62]:62s} {d['input_kind'][:11]:11s} {d['status'][:7]:7s} {len(d['fields_wrong']):5d} "
                    f"{f'{m}/{g}/{p}':>11s} {inv:4d} {'' if ocr is None else f'{ocr:.3f}':>6s}")  # fmt: skip
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    """Run, score, print the table, write OUT/eval_real.json; 1 only if the run crashed."""
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument(
        "--corpus", type=Path, default=DEFAULT_CORPUS, help="folder of real documents with gold/ and text/"
    )
    ap.add_argument("--out", type=Path, default=Path("/tmp/ketluan-real"))
    ap.add_argument("--workers", type=int, default=1, help="worker processes (the CPU is shared: keep 1)")
    ap.add_argument(
        "--timeout", type=float, default=1200.0, help="seconds per document (long scans on a busy CPU)"
    )
    ap.add_argument("--scorer", type=Path, default=DEFAULT_SCORER, help="shared/tools/score.py")
    ap.add_argument("--skip-run", action="store_true", help="score the tables already in OUT/run")
    ap.add_argument("--verbose", "-v", action="store_true", help="also list every wrong field")
    a = ap.parse_args(argv)

    gold_dir, text_dir = a.corpus / "gold", a.corpus / "text"
    if not gold_dir.is_dir():
        print(f"corpus not found: {a.corpus} (expected gold/ in it)", file=sys.stderr)
        return 1
    scorer = load_scorer(a.scorer)
    files = corpus_documents(a.corpus)
    pred = a.out / "run"
    pred.mkdir(parents=True, exist_ok=True)
    if a.skip_run:
        texts, crash, seconds = stored_texts(pred), "", 0.0
        previous = a.out / "eval_real.json"
        if previous.exists():  # keep the run's own time, not the re-scoring's
            seconds = float(json.loads(previous.read_text(encoding="utf-8"))["summary"].get("seconds", 0.0))
    else:
        print(
            f"running ketluan on {len(files)} documents of {a.corpus} → {pred} ({a.workers} worker)",
            file=sys.stderr,
        )
        texts, crash, seconds = run_pipeline(files, pred, a.workers, a.timeout, scorer.stem_of)
    if not (pred / "documents.csv").exists():
        print("no documents.csv was written", file=sys.stderr)
        return 1

    report = official_report(scorer, pred, gold_dir, a.out)
    documents = per_document(scorer, pred, gold_dir)
    invented: collections.Counter[str] = collections.Counter()
    for d in documents.values():
        invented.update(d.get("invented_on_non_conclusion", {}))

    scans = scanned_stems(a.corpus, files)
    rows = scorer.read_csv(pred / "documents.csv")
    kinds = {scorer.stem_of(r.get("source_path", "")): r.get("input_kind", "") for r in rows}
    scans |= {st for st, k in kinds.items() if k in SCANNED_KINDS and (text_dir / f"{st}.txt").exists()}
    ocr_docs: dict[str, dict[str, Any]] = {}
    for stem in sorted(scans):
        ref = text_dir / f"{stem}.txt"
        if not ref.exists():
            continue
        got = texts.get(stem, {}).get("text", "")
        ocr_docs[stem] = ocr_accuracy(got, ref.read_text(encoding="utf-8")) | {
            "input_kind": kinds.get(stem, "")
        }
    accs = [d["accuracy"] for d in ocr_docs.values()]
    chars = sum(d["reference_chars"] for d in ocr_docs.values())
    errs = sum(d["errors"] for d in ocr_docs.values())
    ocr = {
        "documents": ocr_docs,
        "mean": round(sum(accs) / len(accs), 4) if accs else 0.0,
        "pooled": round(1 - errs / max(chars, 1), 4) if ocr_docs else 0.0,
    }

    agrees = ketluan_eval_agrees(report, pred, gold_dir)
    figures: dict[str, Any] = {
        "corpus": str(a.corpus),
        "out": str(pred),
        "summary": {
            "fields_acc": report["fields_acc"],
            "filled_acc": report["filled_acc"],
            "items_f1": report["items_f1"],
            "text_f1": report["text_f1"],
            "invented_on_non_conclusions": sum(invented.values()),
            "ocr_char_accuracy": ocr["mean"],
            "documents_run": len(rows),
            "documents_gold": report["docs_gold"],
            "error_rows": sum(1 for r in rows if r.get("status") == "error"),
            "seconds": round(seconds, 1),
            "crashed": bool(crash),
            "ketluan_eval_agrees": agrees,
        },
        "score": report,
        "invented_by_category": {c: invented[c] for c in ITEM_CATS if invented[c]},
        "ocr": ocr,
        "documents": documents,
        "crash": crash,
    }
    out_json = a.out / "eval_real.json"
    out_json.write_text(json.dumps(figures, ensure_ascii=False, indent=1), encoding="utf-8")

    if a.verbose:
        for stem, d in documents.items():
            for w in d.get("fields_wrong", []):
                print(f"  {stem} {w['field']}: gold={w['gold']!r} got={w['got']!r}")
        print()
    print(document_lines(figures))
    print()
    print(summary_table(figures))
    print(f"\nfigures: {out_json}   score.py output: {a.out / 'score.txt'}   run: {seconds:.0f} s")
    if agrees is False:
        print("warning: `ketluan eval` gives other figures than shared/tools/score.py", file=sys.stderr)
    if crash:
        print(
            "the run crashed (traceback above and in the JSON); the figures are of what was written",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
