"""Train the task-status evidence model (models/task_status/evidence_model.json) on the tune series.

A logistic regression over the (task, later item) features of `ketluan.task_model`: for every
pending task and every report of work done or limitation of a later document of its issuer, is that
item the task's gold evidence. `task_status` walks the later documents in period order and the
first whose best item reaches the threshold decides. C and the threshold are chosen by
cross-validation grouped by the hand that wrote the series (two consecutive series of MANIFEST.json
each: ten folds of whole writer pairs), scored as `tools.eval_series` scores (status and evidence
item both right), pooled over the held-out series. That figure is the honest estimate; the report
split is never read.

    .venv/bin/python -m tools.train_task_status                  # CV, then fit all -> evidence_model.json
    .venv/bin/python -m tools.train_task_status --run /tmp/p23/fin/RUNALL --out /tmp/m.json
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

import ketluan.analysis as analysis
import ketluan.task_status as task_status_module
from ketluan.task_model import FEATURES, MODEL_PATH, TaskModel
from ketluan.task_status import _issuer_rows, issuer_examples, task_context
from tools.eval_series import (
    EVAL_DIR,
    gold_frames,
    load_vector_cache,
    manifest,
    run_frames,
    save_vector_cache,
)

C_GRID = (0.1, 1.0, 10.0)
THRESHOLDS = tuple(round(0.05 + 0.05 * k, 2) for k in range(12))  # 0.05 .. 0.60
FOLDS = 10


def captured_inputs(
    docs: pd.DataFrame, items: pd.DataFrame
) -> tuple[pd.DataFrame, list[str], dict[str, Any]]:
    """(prepared items, issuer keys, keyword arguments) `analyze_items` hands to `task_status`."""
    seen: dict[str, Any] = {}
    original = analysis.task_status

    def capture(df: pd.DataFrame, issuers: Any, **kw: Any) -> pd.DataFrame:
        seen["args"] = (df, list(issuers), kw)
        return original(df, issuers, **kw)

    analysis.task_status = capture  # type: ignore[assignment]
    try:
        analysis.analyze_items(analysis.conclusion_items(items, docs))
    finally:
        analysis.task_status = original
    return seen["args"]  # type: ignore[no-any-return]


def gold_table(series: list[dict[str, Any]]) -> dict[str, tuple[str, str]]:
    """gold task item -> (status, gold evidence item or "")."""
    out = {}
    for s in series:
        for row in json.loads((EVAL_DIR / s["files"]["task_status_gold"]).read_text(encoding="utf-8")):
            out[row["task"]["item_id"]] = (
                row["status"],
                row["evidence"]["item_id"] if row["evidence"] else "",
            )
    return out


def series_of(gold_item: str, names: list[str]) -> str:
    """The series a gold item ("bp_stnmt_2023_01-010") belongs to."""
    stem = gold_item.rsplit("-", 1)[0].rsplit("_", 1)[0]
    hits = [n for n in names if n == stem or n.startswith(stem + "_")]
    return hits[0] if hits else ""


def score(rows: list[dict[str, object]], gold_item: np.ndarray, pos: dict[str, int], gold: dict[str, tuple[str, str]]) -> tuple[int, int]:  # fmt: skip
    """(right, tasks with gold) of task_status rows."""
    right = n = 0
    for r in rows:
        g = gold_item[pos[str(r["task_item_id"])]]
        if g not in gold:
            continue
        n += 1
        ev = gold_item[pos[str(r["evidence_item_id"])]] if r["evidence_item_id"] else ""
        right += (r["status"], ev) == gold[g]
    return right, n


def fit(
    F: np.ndarray, y: np.ndarray, C: float, threshold: float, meta: dict[str, Any] | None = None
) -> TaskModel:
    """A TaskModel fitted on feature rows F and labels y (standardised, L2 logistic regression)."""
    from sklearn.linear_model import LogisticRegression

    mean, scale = F.mean(axis=0), F.std(axis=0)
    scale[scale == 0] = 1.0
    lr = LogisticRegression(C=C, max_iter=5000).fit((F - mean) / scale, y)
    return TaskModel(
        FEATURES, mean, scale, lr.coef_[0].copy(), float(lr.intercept_[0]), threshold, meta or {}
    )


def memoize_walk() -> None:
    """Keep each issuer's arrays and each document's step matrices between the walks of the grid.

    They do not depend on the model: the walks of one issuer under other C and thresholds reuse them.
    """
    issuers: dict[str, Any] = {}
    steps: dict[tuple[str, object, bytes], Any] = {}
    build, step = task_status_module._issuer, task_status_module._step

    def issuer(c: Any, who: str) -> Any:
        if who not in issuers:
            issuers[who] = build(c, who)
        return issuers[who]

    def cached_step(c: Any, u: Any, cand: np.ndarray, ev: np.ndarray, again: np.ndarray, d_start: Any) -> Any:
        key = (str(c.who[u.mine[0]]), d_start, cand.tobytes())
        if key not in steps:
            steps[key] = step(c, u, cand, ev, again, d_start)
        return steps[key]

    task_status_module._issuer = issuer  # type: ignore[assignment]
    task_status_module._step = cached_step  # type: ignore[assignment]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument(
        "--run", type=Path, help="a `ketluan run` folder over the tune renders (items matched to gold)"
    )
    parser.add_argument(
        "--half", action="store_true", help="fit on the first half of the writer pairs, score the second"
    )
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    load_vector_cache()
    series = manifest("tune")
    names = [s["name"] for s in series]
    docs, items = run_frames(args.run, series) if args.run else gold_frames(series)
    df, issuers, kw = captured_inputs(docs, items)
    save_vector_cache()
    c = task_context(df, issuers, clusters=kw["clusters"], parts=kw["parts"], model=False)
    memoize_walk()
    gold = gold_table(series)
    gold_item = df["gold_item"].fillna("").astype(str).to_numpy()
    pos = {i: k for k, i in enumerate(df["item_id"].astype(str))}
    row_of: dict[str, int] = {}
    for k, g in enumerate(gold_item):
        row_of.setdefault(g, k)
    hand = {n: k // 2 for k, n in enumerate(names)}
    task_issuers = pd.unique(c.who[c.cat == "task"]).tolist()
    issuer_series = {}
    for who in task_issuers:
        rows = np.flatnonzero((c.who == who) & (c.cat == "task"))
        found = [series_of(gold_item[r], names) for r in rows if gold_item[r]]
        issuer_series[who] = max(set(found), key=found.count) if found else ""
    # training pairs of each issuer
    X, Y, G = [], [], []
    for who in task_issuers:
        evidence_of = {}
        for t in np.flatnonzero((c.who == who) & (c.cat == "task")):
            g = gold.get(gold_item[t])
            if g and g[1] and g[1] in row_of:
                evidence_of[int(t)] = row_of[g[1]]
        t_rows, e_rows, F = issuer_examples(c, who, evidence_of)
        y = np.array(
            [evidence_of.get(int(t), -1) == int(e) for t, e in zip(t_rows, e_rows, strict=True)], dtype=int
        )
        X.append(F)
        Y.append(y)
        G.append(np.full(len(y), hand.get(issuer_series[who], -1)))
    F_all, y_all, g_all = np.vstack(X), np.concatenate(Y), np.concatenate(G)
    print(
        f"{len(series)} series, {len(task_issuers)} issuers, {len(y_all)} pairs, {int(y_all.sum())} positive"
    )
    rules = [r for who in task_issuers for r in _issuer_rows(c, who)]
    base = score(rules, gold_item, pos, gold)
    print(f"rules (hand-tuned on these series): {base[0]}/{base[1]} = {base[0] / base[1]:.3f}")
    hands = sorted(set(hand.values()))
    if args.half:
        folds = {h: int(h >= len(hands) // 2) for h in hands}
        rounds = [1]  # train on fold 0 (first half), hold fold 1
    else:
        folds = {h: k % FOLDS for k, h in enumerate(hands)}
        rounds = list(range(FOLDS))
    results: dict[tuple[float, float], list[int]] = {}
    per_series: dict[tuple[float, float], dict[str, list[int]]] = {}
    for C in C_GRID:
        for fold in rounds:
            train = np.array([folds.get(int(h), -1) != fold and h >= 0 for h in g_all])
            model = fit(F_all[train], y_all[train], C, 0.5)
            held = [w for w in task_issuers if folds.get(hand.get(issuer_series[w], -1), -1) == fold]
            for t in THRESHOLDS:
                ct = dataclasses.replace(c, model=dataclasses.replace(model, threshold=t))
                for w in held:
                    r, n = score(_issuer_rows(ct, w), gold_item, pos, gold)
                    acc = results.setdefault((C, t), [0, 0])
                    acc[0] += r
                    acc[1] += n
                    ps = per_series.setdefault((C, t), {}).setdefault(issuer_series[w], [0, 0])
                    ps[0] += r
                    ps[1] += n
    held_rules = base
    if args.half:
        held_issuers = [w for w in task_issuers if folds.get(hand.get(issuer_series[w], -1), -1) == 1]
        held_rules = score([r for w in held_issuers for r in _issuer_rows(c, w)], gold_item, pos, gold)
        print(
            f"rules on the second half: {held_rules[0]}/{held_rules[1]} = {held_rules[0] / held_rules[1]:.3f}"
        )
    for (C, t), (r, n) in sorted(results.items()):
        print(f"C {C:<5g} threshold {t:.2f}: held-out {r}/{n} = {r / n:.3f}")
    (C, t), (r, n) = max(results.items(), key=lambda kv: (kv[1][0], -abs(np.log10(kv[0][0]))))
    print(
        f"chosen C {C:g} threshold {t:.2f}: {'second half' if args.half else 'CV by writer'} {r}/{n} = {r / n:.3f}"
    )
    if args.no_write or args.half:
        return 0
    meta = {
        "trained": datetime.date.today().isoformat(), "series": names, "split": "tune", "C": C,
        "source": str(args.run) if args.run else "gold items", "pairs": len(y_all), "positives": int(y_all.sum()),
        "cv": {"method": f"{FOLDS} folds of whole writer pairs (consecutive series of MANIFEST.json); a task is "
                         "right when status and evidence item both match the gold, pooled over held-out series",
               "right": r, "tasks": n, "recall": round(r / n, 4), "rules_in_sample": base[0],
               "per_series": {s: v[0] for s, v in sorted(per_series[(C, t)].items())}},
        "grid": {"C": list(C_GRID), "threshold": list(THRESHOLDS)}, "tool": "tools/train_task_status.py",
    }  # fmt: skip
    model = fit(F_all[g_all >= 0], y_all[g_all >= 0], C, t, meta)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(model.to_json(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print("coefficients:", {f: round(float(x), 3) for f, x in zip(FEATURES, model.coef, strict=True)})
    print(f"-> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
