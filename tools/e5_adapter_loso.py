"""Leave-one-series-out check of learned post-processing of the sentence model's vectors (issue 18).

For every tune series of data/series_eval, its limitation groups (one issuer) as
`similarity.RecurrenceSimilarity` clusters them; the sentence model's part of the similarity
(SEMANTIC_WEIGHT x centred e5 cosine) is swapped for a variant, learned on the other 14 series:
a diagonal metric on the centred vectors (`semantic.scaled`), the top principal components of the
centred vectors or the directions a change of figures / names moves them along taken out
(`semantic.without_directions`), the mean of the whole-text and problem-clause vectors, the e5
share chosen on the training folds. Pooled pairwise P/R/F1 of the held-out folds, pair AUC and
the in-sample F1 (fit on all 15). Tune split only; figures of stop 19 round 2 in
models/sentence_e5/config.json "stop_19_round_2".

Usage:
    .venv/bin/python -m tools.e5_adapter_loso [--hide-topics] [--lam 1 3] [--pcs 1 2 3]
        [--figures 2 8] [--names 1 2] [--write LAM]   # --write: models/sentence_e5/diagonal.npy
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import functools
import json
import re
import sys
from collections.abc import Callable
from typing import Any

import numpy as np

from ketluan import analysis, semantic, similarity
from ketluan.analysis import _prepare, conclusion_items, issuer_key
from ketluan.facets import problem_clause
from ketluan.linkage import average_linkage_matrix
from ketluan.similarity import ADAPT_PART, RecurrenceSimilarity, issuer_threshold, item_parts
from ketluan.task_objects import compared_texts
from tools.eval_series import gold_frames, hidden_topics, load_vector_cache, manifest, save_vector_cache
from tools.loso_recurrence import pair_counts, scores

Group = dict[str, Any]
# a group -> its unit rows in place of the centred e5 rows (and the e5 share, if not SEMANTIC_WEIGHT)
Variant = Callable[[Group], "np.ndarray | tuple[np.ndarray, float]"]


def cross_mean(M: np.ndarray, docs: list[str]) -> float:
    """Mean of M over the pairs of rows of two different documents."""
    d = np.array(docs, dtype=object)
    mask = d[:, None] != d[None, :]
    return float(M[mask].mean()) if mask.any() else 0.0


def series_groups(s: dict[str, Any]) -> list[Group]:
    """The limitation groups of one series with what a variant needs (hand-set parts kept apart)."""
    docs, items = gold_frames([s])
    df = _prepare(conclusion_items(items, docs))
    texts = compared_texts(df)
    parts = item_parts(texts, semantic_mode="on")
    gold = df["gold"].tolist()
    groups = (df["category"] + "\x1f" + issuer_key(df)).to_numpy()
    out = []
    w = similarity.SEMANTIC_WEIGHT
    for g in sorted(set(groups[df["category"].to_numpy() == "limitation"])):
        rows = np.flatnonzero(groups == g)
        d = df["doc_id"].to_numpy()[rows].tolist()
        sim = RecurrenceSimilarity(parts, rows)
        own = [texts[k] for k in rows.tolist()]
        E = semantic.group_vectors(own)
        assert E is not None and sim.semantic
        EE = E @ E.T
        S = sim.matrix()
        T = (parts.text[rows] @ parts.text[rows].T).toarray()
        i, j = np.triu_indices(len(rows), k=1)
        keep = np.array([d[a] != d[b] for a, b in zip(i, j, strict=True)], dtype=bool)
        out.append({
            "series": s["name"], "docs": d, "gold": [gold[r] for r in rows],
            "base": S - w * EE - (1 - w) * T, "T": T,
            "lift": sim.cross_mean(d, ADAPT_PART) - w * cross_mean(EE, d) - (1 - w) * cross_mean(T, d),
            "whole": semantic.sentence_vectors(own), "clause": semantic.sentence_vectors([problem_clause(t) for t in own]),
            "E": E, "texts": own, "i": i[keep], "j": j[keep],
            "y": np.array([bool(gold[rows[a]]) and gold[rows[a]] == gold[rows[b]] for a, b in zip(i[keep], j[keep], strict=True)]),
        })  # fmt: skip
    return out


def run_group(g: Group, E: np.ndarray, w: float | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(pair counts, pair scores less the bar, pair labels) of one group with rows E as the e5 part.

    `w`: the share of the e5 part (default similarity.SEMANTIC_WEIGHT); the text cosine gets 1 - w.
    """
    w = similarity.SEMANTIC_WEIGHT if w is None else w
    EE = E @ E.T
    S = (g["base"] + (1 - w) * g["T"] + w * EE).astype(np.float32)
    cm = g["lift"] + (1 - w) * cross_mean(g["T"], g["docs"]) + w * cross_mean(EE, g["docs"])
    bar = issuer_threshold(analysis.DEFAULT_CLUSTER_THRESHOLD, cm, True)
    margin = S[g["i"], g["j"]] - bar
    counts = np.array(pair_counts(average_linkage_matrix(S.copy(), g["docs"], bar), g["gold"]))
    return counts, margin, g["y"]


def auc(score: np.ndarray, y: np.ndarray) -> float:
    """Area under the ROC curve (ties counted half)."""
    from scipy.stats import rankdata

    r = rankdata(score)
    n1 = int(y.sum())
    n0 = len(y) - n1
    return float((r[y].sum() - n1 * (n1 + 1) / 2) / (n1 * n0)) if n1 and n0 else float("nan")


def evaluate(data: dict[str, list[Group]], fit: Callable[[list[Group]], Variant]) -> dict[str, Any]:
    """LOSO: fit on the other series, run the held-out one; pooled P/R/F1, AUC and per series F1."""
    total = np.zeros(3, dtype=int)
    margins, labels, per = [], [], {}
    for name, groups in data.items():
        variant = fit([g for other, gs in data.items() if other != name for g in gs])
        c_series = np.zeros(3, dtype=int)
        for g in groups:
            out = variant(g)
            c, m, y = run_group(g, *out) if isinstance(out, tuple) else run_group(g, out)
            c_series += c
            margins.append(m)
            labels.append(y)
        total += c_series
        per[name] = round(float(scores(*c_series)[2]), 3)
    p, r, f = scores(*total)
    variant = fit([g for gs in data.values() for g in gs])
    inside = np.zeros(3, dtype=int)
    for gs in data.values():
        for g in gs:
            out = variant(g)
            inside += (run_group(g, *out) if isinstance(out, tuple) else run_group(g, out))[0]
    return {"P": round(p, 3), "R": round(r, 3), "F1": round(f, 3), "in_sample_F1": round(scores(*inside)[2], 3),
            "AUC": round(auc(np.concatenate(margins), np.concatenate(labels)), 4), "series": per}  # fmt: skip


def fixed(variant: Variant) -> Callable[[list[Group]], Variant]:
    """A variant that learns nothing."""
    return lambda train: variant


def _unit(X: np.ndarray) -> np.ndarray:
    n = np.linalg.norm(X, axis=1, keepdims=True)
    n[n == 0] = 1.0
    return np.asarray(X / n, dtype=np.float32)


def mean_view(g: Group) -> np.ndarray:
    """(c) the centred mean of the whole-text and problem-clause vectors."""
    return semantic.centered(_unit(g["whole"] + g["clause"]), semantic.reference_mean())


def clause_view(g: Group) -> np.ndarray:
    """The centred problem-clause vectors (semantic.CLAUSE_ONLY)."""
    return semantic.centered(g["clause"], semantic.reference_mean())


def _with_share(g: Group, w: float) -> tuple[np.ndarray, float]:
    """The centred e5 rows at e5 share w."""
    return g["E"], w


def fit_pcs(k: int) -> Callable[[list[Group]], Variant]:
    """(b) the top k principal directions of the training groups' centred rows, taken out."""

    def fit(train: list[Group]) -> Variant:
        U = np.concatenate([g["E"] for g in train])
        _, _, Vt = np.linalg.svd(U - U.mean(axis=0), full_matrices=False)
        D = Vt[:k]
        return lambda g: semantic.without_directions(g["E"], D)

    return fit


WEIGHTS = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7)


def train_f1(train: list[Group], rows: Callable[[Group], np.ndarray], w: float) -> float:
    """Pooled F1 of the training groups at e5 share w."""
    total = np.zeros(3, dtype=int)
    for g in train:
        total += run_group(g, rows(g), w)[0]
    return scores(*total)[2]


def fit_weight(
    rows: Callable[[Group], np.ndarray], log: list[float] | None = None
) -> Callable[[list[Group]], Variant]:
    """(d) the e5 share chosen on the training series (best pooled F1; ties: nearest 0.3)."""

    def fit(train: list[Group]) -> Variant:
        best = max(WEIGHTS, key=lambda w: (round(train_f1(train, rows, w), 4), -abs(w - 0.3)))
        if log is not None:
            log.append(best)
        return lambda g: (rows(g), best)

    return fit


FIGURE = re.compile(r"\d+")  # "32,6%", "04/13 thôn", "31/7/2024"


def other_figures(text: str) -> str:
    """The text with every figure changed ("còn 04/13 thôn" -> "còn 11/29 thôn"): same words, other numbers."""
    return FIGURE.sub(lambda m: str(int(m.group()) * 2 + 3).zfill(len(m.group())), text)


PLACES = ("Krông Pắc", "Đức Trọng", "Tam Nông", "Mường Lát", "Hải Hậu")  # other districts, to swap names in


def other_names(text: str) -> str:
    """The text with each specific name of two syllables or more (`names.specific_names`) swapped for a place.

    "Đồ án quy hoạch đô thị Chư Sê chậm tiến độ." -> "Đồ án quy hoạch đô thị Krông Pắc chậm tiến độ."
    """
    from ketluan.names import specific_names

    out = text
    for k, name in enumerate(sorted(n for n in specific_names(text) if " " in n)):
        out = re.sub(re.escape(name), PLACES[k % len(PLACES)], out, flags=re.IGNORECASE)
    return out


def name_shifts(groups: list[Group]) -> np.ndarray:
    """Unit differences of the model vectors of each text naming a place or office and of it with other names."""
    texts = sorted({t for g in groups for t in g["texts"] if other_names(t) != t})
    A = semantic.sentence_vectors(texts)
    B = semantic.sentence_vectors([other_names(t) for t in texts])
    assert A is not None and B is not None
    return _unit(A - B)


def fit_shifts(k: int) -> Callable[[list[Group]], Variant]:
    """(b'') the top k directions along which a change of figures or names moves the vectors, taken out."""

    def fit(train: list[Group]) -> Variant:
        _, _, Vt = np.linalg.svd(
            np.concatenate([figure_shifts(train), name_shifts(train)]), full_matrices=False
        )
        D = Vt[:k]
        return lambda g: semantic.without_directions(g["E"], D)

    return fit


def figure_shifts(groups: list[Group]) -> np.ndarray:
    """Unit differences of the model vectors of each figure-bearing text and of it with other figures."""
    texts = sorted({t for g in groups for t in g["texts"] if FIGURE.search(t)})
    A = semantic.sentence_vectors(texts)
    B = semantic.sentence_vectors([other_figures(t) for t in texts])
    assert A is not None and B is not None
    return _unit(A - B)


def fit_figures(k: int) -> Callable[[list[Group]], Variant]:
    """(b') the top k directions along which a change of figures moves the vectors, taken out."""

    def fit(train: list[Group]) -> Variant:
        Dif = figure_shifts(train)
        _, _, Vt = np.linalg.svd(Dif, full_matrices=False)
        D = Vt[:k]
        return lambda g: semantic.without_directions(g["E"], D)

    return fit


def pair_features(groups: list[Group]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(u_k v_k per pair, hand-set score less the bar without the e5 part... as offset, labels)."""
    F, off, y = [], [], []
    w = similarity.SEMANTIC_WEIGHT
    for g in groups:
        E = g["E"]
        F.append(E[g["i"]] * E[g["j"]])
        cm = g["lift"] + (1 - w) * cross_mean(g["T"], g["docs"]) + w * cross_mean(E @ E.T, g["docs"])
        bar = issuer_threshold(analysis.DEFAULT_CLUSTER_THRESHOLD, cm, True)
        off.append((g["base"] + (1 - w) * g["T"])[g["i"], g["j"]] - bar)
        y.append(g["y"])
    return np.concatenate(F), np.concatenate(off), np.concatenate(y).astype(float)


def learn_diagonal(train: list[Group], lam: float) -> np.ndarray:
    """(a) w of score = sum_k w_k u_k v_k by L2-regularised logistic regression, w pulled toward 1.

    First a, b, c of logit = a + b x base + c x e5 cosine (w = 1); then w with a, b, c fixed:
    logit = a + b x base + c x sum_k w_k u_k v_k, penalty lam x |w - 1|^2 (mean over pairs).
    """
    from scipy.optimize import minimize
    from sklearn.linear_model import LogisticRegression

    F, base, y = pair_features(train)
    cos = F.sum(axis=1)
    lr = LogisticRegression(C=1e4, max_iter=1000).fit(np.stack([base, cos], axis=1), y)
    a, (b, c) = float(lr.intercept_[0]), lr.coef_[0]
    n = len(y)

    def loss(wv: np.ndarray) -> tuple[float, np.ndarray]:
        z = a + b * base + c * (F @ wv)
        p = 1.0 / (1.0 + np.exp(-z))
        ll = np.logaddexp(0.0, z) - y * z
        grad = c * (F.T @ (p - y)) / n + 2 * lam * (wv - 1.0) / n
        return float(ll.mean() + lam * np.sum((wv - 1.0) ** 2) / n), grad

    res = minimize(loss, np.ones(F.shape[1]), jac=True, method="L-BFGS-B", bounds=[(0.0, None)] * F.shape[1])
    return np.asarray(res.x, dtype=np.float32)


def fit_diagonal(lam: float, log: list[np.ndarray] | None = None) -> Callable[[list[Group]], Variant]:
    """(a) as a LOSO fit."""

    def fit(train: list[Group]) -> Variant:
        wv = learn_diagonal(train, lam)
        if log is not None:
            log.append(wv)
        return lambda g: semantic.scaled(g["E"], wv)

    return fit


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lam", type=float, nargs="*", default=[1.0, 10.0, 100.0, 1000.0])
    parser.add_argument("--pcs", type=int, nargs="*", default=[1, 2, 3])
    parser.add_argument("--figures", type=int, nargs="*", default=[1, 2, 4, 8])
    parser.add_argument("--names", type=int, nargs="*", default=[1, 2, 4, 8])
    parser.add_argument("--hide-topics", action="store_true", help="every topic of the taxonomy hidden")
    parser.add_argument("--write", default="", help="write the diagonal of this lam to models/sentence_e5/")
    args = parser.parse_args(argv)
    load_vector_cache()
    data: dict[str, list[Group]] = {}
    with hidden_topics(None) if args.hide_topics else contextlib.nullcontext():
        for s in manifest("tune"):
            data[s["name"]] = series_groups(s)
    save_vector_cache()
    rows: dict[str, dict[str, Any]] = {}

    def show(label: str, r: dict[str, Any]) -> None:
        rows[label] = r
        print(
            f"{label:28s} P {r['P']:.3f} R {r['R']:.3f} F1 {r['F1']:.3f} AUC {r['AUC']:.4f} in-sample F1 {r['in_sample_F1']:.3f}  {r['series']}",
            flush=True,
        )

    show("hand-set (centred e5)", evaluate(data, fixed(lambda g: g["E"])))
    show("(c) whole+clause mean", evaluate(data, fixed(mean_view)))
    show("clause only", evaluate(data, fixed(clause_view)))
    for k in args.pcs:
        show(f"(b) minus top {k} PCs", evaluate(data, fit_pcs(k)))
    for g in (g for gs in data.values() for g in gs):
        figure_shifts([g])  # embed the texts with other figures and names once
        if args.names:
            name_shifts([g])
    save_vector_cache()
    for k in args.figures:
        show(f"(b') minus {k} figure dirs", evaluate(data, fit_figures(k)))
    for k in args.names:
        show(f"(b'') minus {k} fig+name dirs", evaluate(data, fit_shifts(k)))
    for w in WEIGHTS:
        show(f"e5 share {w:g} (fixed)", evaluate(data, fixed(functools.partial(_with_share, w=w))))
    chosen: list[float] = []
    show("(d) e5 share nested", evaluate(data, fit_weight(lambda g: g["E"], chosen)))
    print(f"    chosen: {chosen}")
    for k in args.pcs:
        chosen = []
        pcs = fit_pcs(k)

        def fit_both(train: list[Group], pcs: Any = pcs, chosen: list[float] = chosen) -> Variant:
            rows = pcs(train)
            return fit_weight(rows, chosen)(train)

        show(f"(b+d) top {k} PCs + share", evaluate(data, fit_both))
        print(f"    chosen: {chosen}")
    for lam in args.lam:
        log: list[np.ndarray] = []
        show(f"(a) diagonal lam={lam:g}", evaluate(data, fit_diagonal(lam, log)))
        W = np.stack(log)
        print(f"    w: mean {W.mean():.3f} sd {W.std():.3f} min {W.min():.3f} max {W.max():.3f} "
              f"zero {(W == 0).mean():.3f} fold-to-fold sd {W.std(axis=0).mean():.3f}", flush=True)  # fmt: skip
    if args.write:
        lam = float(args.write)
        wv = learn_diagonal([g for gs in data.values() for g in gs], lam)
        np.save(semantic.MODEL_DIR / semantic.DIAGONAL_FILE, wv)
        print(json.dumps({"written": semantic.DIAGONAL_FILE, "lam": lam, "date": str(datetime.date.today()),
                          "series": list(data), "loso": rows}, ensure_ascii=False))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
