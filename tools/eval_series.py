"""Score the analysis (issue 18) on the series of data/series_eval: recurrence, task status, issuers.

Builds the documents and items tables of the series from their gold (or reads a `ketluan run`
output folder and matches its items to the gold by text), runs `ketluan.analysis.analyze_items`,
and prints pairwise recurrence P/R/F1 and task-status P/R per series and for a split together.

Usage:
    .venv/bin/python -m tools.eval_series --split tune          # calibrate here only
    .venv/bin/python -m tools.eval_series --split report        # report figures
    .venv/bin/python -m tools.eval_series --run /tmp/A/run_all  # pipeline output, items matched to gold
    .venv/bin/python -m tools.eval_series --split tune --hide-topics 0-4   # half the topics hidden
    .venv/bin/python -m tools.eval_series --split tune --hide-topics all   # no taxonomy at all
    .venv/bin/python -m tools.eval_series --split tune --misses            # pairs missed / merged
    .venv/bin/python -m tools.eval_series --split tune --no-pair-model     # the cosine fallback
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import sys
import tempfile
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ketluan.analysis import analyze_items, conclusion_items
from ketluan.evaluate import pairwise_scores
from ketluan.items import find_deadline

REPO = Path(__file__).resolve().parent.parent
EVAL_DIR = REPO / "data" / "series_eval"
ITEM_MATCH = 85  # rapidfuzz ratio for a pipeline item to stand for a gold item
# Sentence vectors kept between runs of this tool (text_key -> vector, `semantic.remember`): the
# model takes 30-60 ms a text, so a rerun over the same texts embeds only the new ones.
VECTOR_CACHE = Path(tempfile.gettempdir()) / "ketluan_eval_series_e5.npz"


def set_constant(spec: str) -> None:
    """Override a constant of a ketluan module: "similarity.FACET_WEIGHT=0" (value read as JSON)."""
    import importlib

    name, _, value = spec.partition("=")
    module, _, attr = name.rpartition(".")
    target = importlib.import_module(f"ketluan.{module}")
    if not hasattr(target, attr):
        raise SystemExit(f"--set: ketluan.{module} has no {attr}")
    setattr(target, attr, json.loads(value))


def load_vector_cache(path: Path = VECTOR_CACHE) -> int:
    """Put the vectors of an earlier run at hand (`semantic.remember`); the count read."""
    from ketluan import semantic

    try:
        with np.load(path, allow_pickle=False) as data:
            vectors = dict(zip(data["keys"].tolist(), data["vectors"], strict=True))
    except (OSError, KeyError, ValueError):
        return 0
    semantic.remember({k: v for k, v in vectors.items() if v.shape == (semantic.DIM,)})
    return len(vectors)


def save_vector_cache(path: Path = VECTOR_CACHE) -> int:
    """Keep the vectors embedded in this process for the next run; the count written."""
    from ketluan import semantic

    cache = dict(semantic._cache)
    if not cache:
        return 0
    tmp = path.with_name(f"{path.stem}.{os.getpid()}.tmp.npz")  # two runs at once: each its own file
    np.savez(tmp, keys=np.array(list(cache), dtype=str), vectors=np.stack(list(cache.values())))
    tmp.replace(path)
    return len(cache)


def manifest(split: str = "all") -> list[dict[str, Any]]:
    """The series of MANIFEST.json in `split` ("tune", "report" or "all")."""
    data = json.loads((EVAL_DIR / "MANIFEST.json").read_text(encoding="utf-8"))
    return [s for s in data["series"] if split in ("all", s["split"])]


def gold_frames(series: list[dict[str, Any]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(documents, items) of the series from their gold; items keep `gold` (cluster tag).

    Every file of a document is a row of `documents` (the scan of hg_ttr_2019_h2 too, with its
    items repeated), so copies are in the tables as a run over the renders would have them.
    """
    docs, items = [], []
    for s in series:
        data = json.loads((EVAL_DIR / s["files"]["series_gold"]).read_text(encoding="utf-8"))
        for d in data["documents"]:
            for f in d.get("files") or [
                {"file": d["doc_id"] + ".pdf", "input_kind": "text_pdf", "duplicate_of": ""}
            ]:
                doc_id = (
                    d["doc_id"] if not f["duplicate_of"] else f["file"].replace(".pdf", "").replace(".", "_")
                )
                docs.append({
                    "doc_id": doc_id, "source_path": f"{s['name']}/{f['file']}", "input_kind": f["input_kind"],
                    "status": "ok", "ocr_confidence": 92.0 if f["input_kind"] == "scanned_pdf" else "",
                    "issuer": d["issuer"], "issuer_parent": d["issuer_parent"], "place": d["place"],
                    "issuer_id": d["issuer_id"], "doc_number": d["doc_number"], "issue_date": d["issue_date"],
                    "period_kind": d["period_kind"], "period_start": d["period_start"], "period_end": d["period_end"],
                    "period_label": d["period_label"], "is_conclusion": True, "gold_doc": d["doc_id"],
                })  # fmt: skip
                for k, it in enumerate(d["items"], start=1):
                    items.append({
                        "doc_id": doc_id, "item_id": f"{doc_id}-{k:03d}", "seq": k, "category": it["category"],
                        "text": unicodedata.normalize("NFC", it["text"]), "topic": it.get("topic", ""),
                        "page": 1 + k // 8, "deadline": _deadline(it, d), "issuer": d["issuer"],
                        "issuer_id": d["issuer_id"], "doc_number": d["doc_number"], "issue_date": d["issue_date"],
                        "period_start": d["period_start"], "period_end": d["period_end"],
                        "gold": f"{d['issuer_id']}/{it.get('cluster', '')}" if it.get("cluster") else "",
                        "gold_item": f"{d['doc_id']}-{k:03d}",
                    })  # fmt: skip
    return pd.DataFrame(docs), pd.DataFrame(items)


def _deadline(item: dict[str, Any], document: dict[str, Any]) -> str:
    """A task's deadline as the items stage reads it from its text (not the gold's `deadline`)."""
    if item["category"] != "task":
        return ""
    year = int(str(document.get("period_start") or document.get("issue_date") or "0")[:4] or 0)
    return find_deadline(unicodedata.normalize("NFC", item["text"]), year)


def run_frames(run_dir: Path, series: list[dict[str, Any]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(documents, items) of a `ketluan run` folder, each item given the gold item it matches."""
    from rapidfuzz import fuzz

    from ketluan.store import read_database

    tables = read_database(run_dir)
    docs, items = tables["documents"].copy(), tables["items"].copy()
    _, gold_items = gold_frames(series)
    gold_items = gold_items[gold_items["doc_id"] == gold_items["gold_item"].str.rsplit("-", n=1).str[0]]
    stem = docs["source_path"].map(lambda p: Path(str(p)).name.split(".")[0])
    docs["gold_doc"] = stem
    items["gold_doc"] = items["doc_id"].map(dict(zip(docs["doc_id"], stem, strict=True)))
    gold_of, tag_of = [], []
    by_doc = {d: g for d, g in gold_items.groupby(gold_items["gold_item"].str.rsplit("-", n=1).str[0])}
    for doc, text in zip(items["gold_doc"], items["text"].fillna(""), strict=True):
        best, best_s, tag = "", 0.0, ""
        for g in by_doc.get(doc, pd.DataFrame()).itertuples():
            s = fuzz.ratio(unicodedata.normalize("NFC", text), g.text)
            if s > best_s:
                best, best_s, tag = g.gold_item, s, g.gold
        gold_of.append(best if best_s >= ITEM_MATCH else "")
        tag_of.append(tag if best_s >= ITEM_MATCH else "")
    items["gold_item"], items["gold"] = gold_of, tag_of
    known = set(docs.loc[docs["gold_doc"].isin(by_doc), "doc_id"])
    return docs[docs["doc_id"].isin(known)], items[items["doc_id"].isin(known)]


def recurrence_scores(tables: dict[str, pd.DataFrame]) -> tuple[float, float]:
    """Pairwise P/R of the limitation clusters against the gold tags (within an issuer)."""
    clusters = tables["item_clusters"]
    items = tables["items"].drop_duplicates("item_id").set_index("item_id")
    pred = {
        i: c for i, c in zip(clusters["item_id"], clusters["cluster_id"], strict=True) if i in items.index
    }
    gold: dict[str, list[str]] = {}
    for i in pred:
        tag = items.at[i, "gold"]
        if tag:
            gold.setdefault(tag, []).append(i)
    return pairwise_scores(pred, list(gold.values()))


def task_scores(tables: dict[str, pd.DataFrame], series: list[dict[str, Any]]) -> dict[str, Any]:
    """Task status against the gold: a task is right when status and evidence item both match.

    Precision: right / tasks the analysis gave a status (that stand for a gold task); recall:
    right / gold tasks.
    """
    gold: dict[str, dict[str, Any]] = {}
    for s in series:
        for row in json.loads((EVAL_DIR / s["files"]["task_status_gold"]).read_text(encoding="utf-8")):
            gold[row["task"]["item_id"]] = row
    items = tables["items"].drop_duplicates("item_id").set_index("item_id")
    status = tables["task_status"]
    right, predicted, wrong = 0, 0, []
    for r in status.itertuples():
        g_id = items.at[r.task_item_id, "gold_item"] if r.task_item_id in items.index else ""
        if g_id not in gold:
            continue
        predicted += 1
        g = gold[g_id]
        ev = items.at[r.evidence_item_id, "gold_item"] if r.evidence_item_id in items.index else ""
        g_ev = g["evidence"]["item_id"] if g["evidence"] else ""
        if r.status == g["status"] and ev == g_ev:
            right += 1
        else:
            wrong.append((g_id, g["status"], g_ev, r.status, ev))
    return {
        "precision": right / predicted if predicted else 1.0, "recall": right / len(gold) if gold else 1.0,
        "right": right, "predicted": predicted, "gold": len(gold), "wrong": wrong,
    }  # fmt: skip


@contextlib.contextmanager
def hidden_topics(seed: int | None) -> Iterator[list[str]]:
    """The taxonomy with a seeded half of its topics left out (all of them with seed None).

    A stand-in for problems data/analysis/topics.json does not name: how the similarity behaves
    on wording alone. Yields the hidden topic ids; the full taxonomy is back on exit.
    """
    from ketluan import topics

    data = json.loads(topics.TOPICS_PATH.read_text(encoding="utf-8"))
    ids = [t["id"] for t in data["topics"]]
    hidden = ids if seed is None else random.Random(seed).sample(ids, len(ids) // 2)
    kept = {**data, "topics": [t for t in data["topics"] if t["id"] not in set(hidden)]}
    saved = topics.TOPICS_PATH
    caches = (topics.load_topics, topics._cue_index, topics._cues_by_word)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "topics.json"
        path.write_text(json.dumps(kept, ensure_ascii=False), encoding="utf-8")
        try:
            topics.TOPICS_PATH = path
            for c in caches:
                c.cache_clear()
            yield hidden
        finally:
            topics.TOPICS_PATH = saved
            for c in caches:
                c.cache_clear()


def seeds_of(spec: str) -> list[int | None]:
    """Seeds of a `--hide-topics` value: "3", "0-4", "0,2,5" or "all" (every topic hidden)."""
    if spec == "all":
        return [None]
    if "-" in spec:
        lo, hi = spec.split("-", 1)
        return list(range(int(lo), int(hi) + 1))
    return [int(s) for s in spec.split(",")]


def recurrence_misses(tables: dict[str, pd.DataFrame]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(gold pairs split apart, predicted pairs of two gold problems) as item texts."""
    clusters = tables["item_clusters"]
    items = tables["items"].drop_duplicates("item_id").set_index("item_id")
    pred = {
        i: c for i, c in zip(clusters["item_id"], clusters["cluster_id"], strict=True) if i in items.index
    }
    keys = sorted(pred)
    missed, merged = [], []
    for a_pos, a in enumerate(keys):
        for b in keys[a_pos + 1 :]:
            ga, gb = items.at[a, "gold"], items.at[b, "gold"]
            same_gold = bool(ga) and ga == gb
            if same_gold and pred[a] != pred[b]:
                missed.append((items.at[a, "text"], items.at[b, "text"]))
            elif not same_gold and pred[a] == pred[b]:
                merged.append((items.at[a, "text"], items.at[b, "text"]))
    return missed, merged


def evaluate(
    docs: pd.DataFrame, items: pd.DataFrame, series: list[dict[str, Any]], **options: Any
) -> dict[str, Any]:
    """Analysis tables of one archive and their scores."""
    prepared = conclusion_items(items, docs)
    tables = analyze_items(prepared, **options)
    p, r = recurrence_scores(tables)
    return {"recurrence": (p, r, 2 * p * r / (p + r) if p + r else 0.0), "tasks": task_scores(tables, series),
            "tables": tables}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="all", choices=["tune", "report", "all"])
    parser.add_argument("--run", type=Path, help="a `ketluan run` output folder over the rendered series")
    parser.add_argument("--verbose", "-v", action="store_true")
    parser.add_argument(
        "--hide-topics",
        metavar="SEEDS",
        help='hide a seeded half of the topics ("0-4": mean over seeds 0..4; "all": every topic)',
    )
    parser.add_argument("--threshold", type=float, default=None, help="cluster threshold (default: config)")
    parser.add_argument(
        "--misses", action="store_true", help="print recurrence pairs missed / merged (tune only)"
    )
    parser.add_argument(
        "--no-pair-model",
        action="store_true",
        help="link on the vectorize cosine (the fallback), not models/recurrence",
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="MODULE.NAME=VALUE",
        help="override a module constant for this run, e.g. similarity.FACET_WEIGHT=0 (repeatable)",
    )
    parser.add_argument("--no-vector-cache", action="store_true", help=f"do not read/write {VECTOR_CACHE}")
    args = parser.parse_args(argv)
    for spec in args.set:
        set_constant(spec)
    if not args.no_vector_cache:
        load_vector_cache()
    try:
        return _main(args, parser)
    finally:
        if not args.no_vector_cache:
            save_vector_cache()


def _main(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    if args.misses and args.split != "tune":
        parser.error("--misses reads the gold pairs: tune split only (never tune on the report series)")
    series = manifest(args.split)
    frames = run_frames(args.run, series) if args.run else gold_frames(series)
    docs, items = frames
    options: dict[str, Any] = {} if args.threshold is None else {"threshold": args.threshold}
    if args.no_pair_model:
        options["pair_model"] = False
    if args.hide_topics:
        return _hidden_runs(docs, items, series, seeds_of(args.hide_topics), options, args.misses)
    for name, s, sub, d, i in _subsets(series, docs, items, f"together ({args.split})"):
        res = evaluate(d, i, sub, **options)
        p, r, f = res["recurrence"]
        t = res["tasks"]
        print(f"{name:28s} recurrence P {p:.3f} R {r:.3f} F1 {f:.3f} | tasks P {t['precision']:.3f} "
              f"R {t['recall']:.3f} ({t['right']}/{t['gold']})")  # fmt: skip
        if args.verbose and s is not None:
            for w in t["wrong"]:
                print("   task", *w)
        if args.misses and s is not None:
            _print_misses(res["tables"])
    return 0


def _subsets(
    series: list[dict[str, Any]], docs: pd.DataFrame, items: pd.DataFrame, together: str
) -> Iterator[tuple[str, dict[str, Any] | None, list[dict[str, Any]], pd.DataFrame, pd.DataFrame]]:
    """(name, series or None, the series scored, documents, items): each series alone, then all."""
    for s in series:
        mine = docs["source_path"].str.contains(f"{s['name']}/", regex=False)
        # a run over a flat folder: the file stems name the series ("hdg_ubndtx_2020_07")
        if "gold_doc" in docs:
            mine |= docs["gold_doc"].str.startswith(s["name"][: s["name"].rfind("_") + 1])
        d = docs[mine]
        yield s["name"], s, [s], d, items[items["doc_id"].isin(d["doc_id"])]
    yield together, None, series, docs, items


def _print_misses(tables: dict[str, pd.DataFrame]) -> None:
    missed, merged = recurrence_misses(tables)
    for a, b in missed:
        print(f"   MISSED  {a}\n           {b}")
    for a, b in merged:
        print(f"   MERGED  {a}\n           {b}")


def _hidden_runs(
    docs: pd.DataFrame,
    items: pd.DataFrame,
    series: list[dict[str, Any]],
    seeds: list[int | None],
    options: dict[str, Any],
    misses: bool,
) -> int:
    """Per series and together: recurrence and task figures with topics hidden, mean over seeds."""
    names = [s["name"] for s in series]
    scores: dict[str, list[tuple[float, float, float, float]]] = {n: [] for n in [*names, "together"]}
    for seed in seeds:
        with hidden_topics(seed):
            for name, s, sub, d, i in _subsets(series, docs, items, "together"):
                res = evaluate(d, i, sub, **options)
                p, r, f = res["recurrence"]
                scores[name].append((p, r, f, res["tasks"]["recall"]))
                if misses and s is not None:
                    print(f"-- seed {seed} {name}")
                    _print_misses(res["tables"])
    label = "all topics hidden" if seeds == [None] else f"half hidden, seeds {seeds[0]}..{seeds[-1]}"
    for name, rows in scores.items():
        p, r, f, t = (sum(x[k] for x in rows) / len(rows) for k in range(4))
        print(f"{name:28s} recurrence P {p:.3f} R {r:.3f} F1 {f:.3f} | tasks R {t:.3f}   ({label})")
    return 0


if __name__ == "__main__":
    sys.exit(main())


def run_checks(run_dir: Path) -> dict[str, Any]:
    """Acceptance checks on a run over all series (+ data/samples): issuers, copies.

    Returns counts of clusters / follow-ups / task rows crossing two issuer_ids, the issuer_ids of
    the run, and whether recurrence.csv over text PDFs + scans equals the one over text PDFs alone
    (cluster ids aside: compared as sets of (representative, periods, n_docs)).
    """
    from ketluan.store import read_database

    tables = read_database(run_dir)
    docs, items = tables["documents"], tables["items"]
    full = analyze_items(conclusion_items(items, docs))
    it = full["items"].set_index("item_id")
    crossing = sum(
        1
        for _, g in full["item_clusters"].groupby("cluster_id")
        if it.loc[g["item_id"], "issuer_id"].nunique() > 1
    )
    fu = full["followups"]
    fu_cross = int(sum(it.at[a, "issuer_id"] != it.at[b, "issuer_id"]
                       for a, b in zip(fu["task_item_id"], fu["limitation_item_id"], strict=True)))  # fmt: skip
    ts = full["task_status"]
    ts_cross = int(sum(it.at[a, "issuer_id"] != it.at[b, "issuer_id"]
                       for a, b in zip(ts["task_item_id"], ts["evidence_item_id"], strict=True) if b))  # fmt: skip
    scans = set(docs.loc[docs["input_kind"] == "scanned_pdf", "doc_id"])

    def signature(d: pd.DataFrame, i: pd.DataFrame) -> set[tuple[Any, ...]]:
        rec = analyze_items(conclusion_items(i, d))["recurrence"]
        return set(zip(rec["representative"], rec["periods"], rec["n_docs"], rec["n_items"], strict=True))

    hg = docs[docs["source_path"].str.contains("hg_ttr", regex=False)]
    hg_items = items[items["doc_id"].isin(hg["doc_id"])]
    both = signature(hg, hg_items)
    alone = signature(hg[~hg["doc_id"].isin(scans)], hg_items[~hg_items["doc_id"].isin(scans)])
    return {
        "issuer_ids": sorted(set(docs["issuer_id"].fillna(""))), "clusters_crossing": crossing,
        "followups_crossing": fu_cross, "task_status_crossing": ts_cross,
        "copies_marked": int(docs["doc_id"].isin(scans).sum()),
        "copies_same_recurrence": both == alone, "n_recurring_hg": len(both),
    }  # fmt: skip
