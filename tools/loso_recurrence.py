"""Leave-one-series-out check of a learned pair combiner against the hand-set recurrence similarity.

For every tune series of data/series_eval: the limitation pairs of its issuer (two documents), their
features (the hand-set `similarity.RecurrenceSimilarity` less the issuer's bar, its parts: text
cosine, sentence-model cosine, topic, names, facet penalty) and gold labels. A logistic regression
trained on the other series scores the held-out one, which is clustered by average linkage on the
probabilities; the hand-set blend is clustered as `analysis.cluster_items` does. Pooled pairwise
P/R/F1 of both. Tune split only.

Usage:
    .venv/bin/python -m tools.loso_recurrence [--C 1.0] [--threshold 0.5] [--set similarity.X=V]
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from typing import Any

import numpy as np

from ketluan import analysis, similarity
from ketluan.analysis import _prepare, conclusion_items, issuer_key
from ketluan.linkage import average_linkage_matrix
from ketluan.similarity import ADAPT_PART, RecurrenceSimilarity, issuer_threshold, item_parts
from ketluan.task_objects import compared_texts
from tools.eval_series import gold_frames, load_vector_cache, manifest, save_vector_cache, set_constant

FEATURES = ("blend_minus_bar", "text", "semantic", "topic_same", "topic_differ", "names", "facet_penalty")


def series_pairs(s: dict[str, Any]) -> dict[str, Any]:
    """Features, labels and the hand-set clusters of one series' limitation pairs."""
    docs, items = gold_frames([s])
    df = _prepare(conclusion_items(items, docs))
    parts = item_parts(compared_texts(df))
    gold = df["gold"].tolist()
    out: dict[str, Any] = {"F": [], "y": [], "groups": []}
    groups = (df["category"] + "\x1f" + issuer_key(df)).to_numpy()
    for g in sorted(set(groups[df["category"].to_numpy() == "limitation"])):
        rows = np.flatnonzero(groups == g)
        d = df["doc_id"].to_numpy()[rows].tolist()
        sim = RecurrenceSimilarity(parts, rows)
        bar = issuer_threshold(
            analysis.DEFAULT_CLUSTER_THRESHOLD, sim.cross_mean(d, ADAPT_PART), sim.semantic
        )
        S = sim.matrix()
        T = (parts.text[rows] @ parts.text[rows].T).toarray()
        no_sem = RecurrenceSimilarity(dataclasses.replace(parts, texts=None), rows).matrix()
        no_facet = RecurrenceSimilarity(dataclasses.replace(parts, facets=None), rows).matrix()
        bare = RecurrenceSimilarity(
            dataclasses.replace(parts, texts=None, facets=None, names=None), rows
        ).matrix()
        E = (S - no_sem) / np.sqrt(similarity.SEMANTIC_WEIGHT) if sim.semantic else np.zeros_like(S)
        topics = np.array([parts.topics[k] for k in rows], dtype=object)
        has = topics != ""
        same = (has[:, None] & has[None, :] & (topics[:, None] == topics[None, :])).astype(float)
        differ = (has[:, None] & has[None, :] & (topics[:, None] != topics[None, :])).astype(float)
        wording = RecurrenceSimilarity(dataclasses.replace(parts, texts=None, facets=None), rows).matrix()
        names = wording - bare  # the shared-name part
        facet = no_facet - S
        F = np.stack([S - bar, T, E, same, differ, names, facet], axis=-1)
        i, j = np.triu_indices(len(rows), k=1)
        keep = np.array([d[a] != d[b] for a, b in zip(i, j, strict=True)], dtype=bool)
        labels = np.array(
            [bool(gold[rows[a]]) and gold[rows[a]] == gold[rows[b]] for a, b in zip(i, j, strict=True)]
        )
        hand = average_linkage_matrix(S.copy(), d, bar)
        out["groups"].append({"rows": rows, "docs": d, "i": i[keep], "j": j[keep], "F": F[i[keep], j[keep]],
                              "y": labels[keep], "hand": hand, "gold": [gold[r] for r in rows]})  # fmt: skip
    return out


def pair_counts(labels: dict[int, int], gold: list[str]) -> tuple[int, int, int]:
    """(true positive, predicted, gold) pair counts of one group's clusters."""
    n = len(gold)
    tp = pred = true = 0
    for a in range(n):
        for b in range(a + 1, n):
            p = labels[a] == labels[b]
            t = bool(gold[a]) and gold[a] == gold[b]
            tp += p and t
            pred += p
            true += t
    return tp, pred, true


def scores(tp: int, pred: int, true: int) -> tuple[float, float, float]:
    """Pairwise precision, recall, F1."""
    p = tp / pred if pred else 1.0
    r = tp / true if true else 1.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def main(argv: list[str] | None = None) -> int:
    from sklearn.linear_model import LogisticRegression

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--C", type=float, default=1.0)
    parser.add_argument("--threshold", type=float, nargs="+", default=[0.3, 0.4, 0.5, 0.6])
    parser.add_argument("--features", default=",".join(FEATURES))
    parser.add_argument("--set", action="append", default=[])
    args = parser.parse_args(argv)
    for spec in args.set:
        set_constant(spec)
    load_vector_cache()
    series = manifest("tune")
    data = {s["name"]: series_pairs(s) for s in series}
    save_vector_cache()
    use = [FEATURES.index(f) for f in args.features.split(",")]
    hand_total = np.zeros(3, dtype=int)
    learned = {t: np.zeros(3, dtype=int) for t in args.threshold}
    for name in data:
        train = [g for other, d in data.items() if other != name for g in d["groups"]]
        X = np.concatenate([g["F"][:, use] for g in train])
        y = np.concatenate([g["y"] for g in train])
        mean, scale = X.mean(axis=0), X.std(axis=0) + 1e-9
        model = LogisticRegression(C=args.C, max_iter=1000).fit((X - mean) / scale, y)
        line = [name]
        for g in data[name]["groups"]:
            hand = np.array(pair_counts(g["hand"], g["gold"]))
            hand_total += hand
            line.append("hand {:.3f}/{:.3f}/{:.3f}".format(*scores(*hand)))
            n = len(g["rows"])
            prob = model.predict_proba((g["F"][:, use] - mean) / scale)[:, 1]
            for t in args.threshold:
                P = np.zeros((n, n), dtype=np.float32)
                P[g["i"], g["j"]] = prob
                P[g["j"], g["i"]] = prob
                c = np.array(pair_counts(average_linkage_matrix(P, g["docs"], t), g["gold"]))
                learned[t] += c
                line.append("t{:.2f} {:.3f}/{:.3f}/{:.3f}".format(t, *scores(*c)))
        print(" ".join(line))
    print("pooled hand-set        P {:.3f} R {:.3f} F1 {:.3f}".format(*scores(*hand_total)))
    for t, c in learned.items():
        print("pooled learned t={:.2f}  P {:.3f} R {:.3f} F1 {:.3f}".format(t, *scores(*c)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
