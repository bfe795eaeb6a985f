"""Analyse stage: recurring limitations, task follow-ups and periods across an archive.

Reads the `documents` and `items` tables of a run as DataFrames and returns DataFrames
(`recurrence`, `item_clusters`, `followups`); never reads or writes a file (`api.analyze` does).
pandas and scikit-learn load on first use, so `import ketluan` (every worker) stays light.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp

from .config import DEFAULT_CLUSTER_THRESHOLD, DEFAULT_FOLLOWUP_THRESHOLD, DEFAULT_LINKAGE
from .gram import gram
from .linkage import (
    ROW_BLOCK,
    average_linkage,
    average_linkage_dense,
    average_linkage_matrix,
    similarity_edges,
    single_linkage,
)  # fmt: skip
from .pairs import PairModel, group_features, load_pair_model, months_of, probability_matrix
from .similarity import (
    ADAPT_PART,
    ItemParts,
    RecurrenceSimilarity,
    issuer_threshold,
    item_parts,
    vectorize,
)
from .task_objects import compared_texts
from .task_status import task_status
from .text.dates import parse_iso_date
from .text.periods import max_streak, period_key, period_ordinal, period_sort_key

if TYPE_CHECKING:
    import pandas as pd

CLUSTER_CATEGORIES = ("limitation",)
LINKAGES = ("single", "average")
# Share of the topic (data/analysis/topics.json) in the similarity of two items that both have
# one: same topic adds TOPIC_WEIGHT, different topics keep only (1 - TOPIC_WEIGHT) x text cosine.
TOPIC_WEIGHT = 0.5
DENSE_MAX = 12000  # average linkage keeps an n x n float32 matrix up to this block size (576 MB)

RECURRENCE_COLUMNS = [
    "cluster_id", "category", "representative", "n_items", "n_docs", "n_periods",
    "first_period", "last_period", "periods", "max_streak", "issuers",
]  # fmt: skip
ITEM_CLUSTER_COLUMNS = ["item_id", "cluster_id", "similarity"]
FOLLOWUP_COLUMNS = [
    "issuer", "task_item_id", "task_doc_id", "task_period", "task_text",
    "limitation_item_id", "limitation_doc_id", "limitation_period", "limitation_text",
    "cluster_id", "similarity", "gap_periods",
]  # fmt: skip
ITEM_INPUT_COLUMNS = ["item_id", "doc_id", "category", "text", "issuer"]
TRUTHY = ("true", "1", "yes")


# ---------------------------------------------------------------- clustering


def _prepare(items: pd.DataFrame) -> pd.DataFrame:
    """A copy of `items` with the columns the analysis reads, text cells never NaN."""
    missing = [c for c in ITEM_INPUT_COLUMNS if c not in items.columns]
    if missing:
        raise ValueError(f"items lack columns: {', '.join(missing)}")
    df = items.reset_index(drop=True).copy()
    for col in ("item_id", "doc_id", "category", "text", "issuer"):
        df[col] = df[col].fillna("").astype(str)
    df["issuer_id"] = df["issuer_id"].fillna("").astype(str) if "issuer_id" in df.columns else ""
    if df["item_id"].duplicated().any():
        # `ketluan run` numbers items per document ("i1", "i2", ...): the analysis tables name
        # an item across the archive as "<doc_id>:<item_id>" (unique ids are kept as they are).
        df["item_id"] = df["doc_id"] + ":" + df["item_id"]
    for col in ("period_kind", "period_start", "period_end", "issue_date", "source_path"):
        df[col] = df[col].fillna("").astype(str) if col in df.columns else ""
    if "period" not in df.columns:
        df["period"] = [
            period_key(k, s, e)
            for k, s, e in zip(df["period_kind"], df["period_start"], df["period_end"], strict=True)
        ]
    df["period"] = df["period"].fillna("").astype(str)
    return df


def issuer_key(df: pd.DataFrame) -> pd.Series:
    """The issuer each row belongs to: its issuer_id, else its printed issuer in lower case."""
    printed = df["issuer"].fillna("").astype(str).str.strip().str.casefold()
    if "issuer_id" not in df.columns:
        return printed
    ids = df["issuer_id"].fillna("").astype(str)
    return ids.where(ids != "", printed)


def _groups(df: pd.DataFrame, across_issuers: bool) -> pd.Series:
    """The block each row is compared within: category, and issuer unless across issuers."""
    return df["category"] if across_issuers else df["category"] + "\x1f" + issuer_key(df)


def cluster_items(
    items: pd.DataFrame,
    *,
    threshold: float = DEFAULT_CLUSTER_THRESHOLD,
    across_issuers: bool = False,
    categories: Sequence[str] = CLUSTER_CATEGORIES,
    linkage: str = DEFAULT_LINKAGE,
    vectors: sp.csr_matrix | None = None,
    pair_model: PairModel | bool = True,
    parts: ItemParts | None = None,
    adapt_threshold: bool = True,
) -> pd.DataFrame:
    """Group items of one category that say the same thing in different documents.

    Items are compared within one issuer (unless `across_issuers`) and one category; a
    document contributes at most one item to a cluster (a conclusion does not name the same
    shortcoming twice, so two of its items are two problems). Every item of `categories`
    gets a cluster; an item that recurs nowhere is a cluster of one.

    Args:
        items: rows with at least `item_id, doc_id, category, text, issuer` (the `items`
            table). Items of other categories only sharpen the IDF.
        threshold: similarity (0-1) two items must reach to be linked: with the pair model,
            its probability (the default DEFAULT_CLUSTER_THRESHOLD stands for the model's own
            threshold, chosen by cross-validation); without it, `similarity.recurrence_matrix`
            (text cosine, topic prior, shared names; block by block beyond DENSE_MAX items an
            issuer, the same clusters), or the `vectorize` cosine when `vectors` are given.
        across_issuers: also group items of different issuers.
        categories: categories to cluster (default: limitations).
        linkage: "single" (strongest link first, follows wording that drifts month after
            month) or "average" (mean similarity of all pairs must reach the threshold).
        vectors: precomputed `vectorize` rows aligned with `items` (optional).
        pair_model: True: the bundled pair model (`pairs.load_pair_model`; the cosine when
            models/recurrence has none); False: the cosine; or a `pairs.PairModel`.
        parts: precomputed `similarity.item_parts` aligned with `items` (optional).
        adapt_threshold: on the recurrence similarity, move the threshold of each comparison
            group by its mean similarity (`similarity.issuer_threshold`).

    Returns:
        DataFrame `item_id, cluster_id, similarity, category`: `similarity` is the mean cosine
        of the item to the other members (1.0 for a cluster of one); cluster ids "C0001"...
        are numbered by decreasing number of documents. When item ids repeat across documents
        (the store numbers items per document), `item_id` is "<doc_id>:<item_id>".

    Examples:
        >>> import pandas as pd
        >>> df = pd.DataFrame({"item_id": ["a", "b"], "doc_id": ["d10", "d11"],
        ...     "category": "limitation", "issuer": "UBND THÀNH PHỐ BẢO LỘC",
        ...     "text": ["Tiến độ giải ngân vốn đầu tư công còn chậm.",
        ...              "Việc giải ngân vốn đầu tư công vẫn chậm."]})
        >>> cluster_items(df)["cluster_id"].nunique()
        1
    """
    import pandas as pd

    if linkage not in LINKAGES:
        raise ValueError(f"linkage must be one of {', '.join(LINKAGES)}")
    if not 0.0 < threshold <= 1.0:
        raise ValueError("threshold must be in (0, 1]")
    df = _prepare(items)
    target = np.flatnonzero(df["category"].isin(list(categories)).to_numpy())
    if len(target) == 0:
        return pd.DataFrame(columns=[*ITEM_CLUSTER_COLUMNS, "category"])
    model = load_pair_model() if pair_model is True else (pair_model or None)
    if parts is None and (vectors is None or model is not None):
        parts = item_parts(df["text"].tolist())
    if vectors is not None:
        X = vectors
    else:
        X = parts.combined if parts is not None else vectorize(df["text"].tolist())
    # the parts' own similarity (`similarity.recurrence_matrix`) unless other vectors were given
    own = parts is not None and parts.text is not None and X is parts.combined
    # the pair model's own bar unless another was asked for; the similarity keeps `threshold`
    model_bar = model.threshold if model is not None and threshold == DEFAULT_CLUSTER_THRESHOLD else threshold
    months: np.ndarray | None = None  # `months_of` each row, read when the model first links a group
    groups = _groups(df, across_issuers).to_numpy()
    docs = df["doc_id"].tolist()
    labels: dict[int, int] = {}
    for g in pd.unique(groups[target]):
        rows = target[groups[target] == g]
        local_docs = [docs[i] for i in rows]
        if own and parts is not None:
            sim = RecurrenceSimilarity(parts, rows)
            mean = sim.cross_mean(local_docs, ADAPT_PART) if adapt_threshold else None
            bar = threshold  # the bar follows the issuer's mean similarity (ADAPT_PART)
            if mean is not None:
                bar = issuer_threshold(threshold, mean, sim.semantic, sim.clauses)
            if model is not None and sim.semantic and linkage == "average" and len(rows) <= DENSE_MAX:
                # the model reads the bar it was trained with (the default threshold, moved)
                trained_bar = DEFAULT_CLUSTER_THRESHOLD
                if mean is not None:
                    trained_bar = issuer_threshold(trained_bar, mean, sim.semantic, sim.clauses)
                if months is None:
                    months = np.array([months_of(p) for p in df["period"].tolist()])
                P = _model_matrix(model, sim, sim.matrix(), trained_bar, parts, rows, local_docs, months)
                local = average_linkage_matrix(P, local_docs, model_bar)
            elif len(rows) <= DENSE_MAX:
                local = _matrix_linkage(sim.matrix(), local_docs, bar, linkage)
            else:
                local = _blocked_linkage(sim, local_docs, bar, linkage)
        elif linkage == "average" and len(rows) <= DENSE_MAX:
            local = average_linkage_dense(X[rows], local_docs, threshold)
        else:
            Xg = X[rows]
            local_edges = [
                e for e in similarity_edges(Xg, np.arange(len(rows)), threshold)
                if local_docs[e[1]] != local_docs[e[2]]
            ]  # fmt: skip
            if linkage == "single":
                local = single_linkage(local_edges, local_docs)
            else:
                local = average_linkage(Xg, local_edges, local_docs, threshold)
        for k, root in local.items():
            labels[int(rows[k])] = int(rows[root])
    return _number_clusters(df, X, labels)


def _matrix_linkage(S: np.ndarray, docs: list[str], threshold: float, linkage: str) -> dict[int, int]:
    """Labels of one group linked on a dense similarity matrix (`similarity.recurrence_matrix`)."""
    if linkage == "average":
        return average_linkage_matrix(S, docs, threshold)
    first, second = np.nonzero(np.triu(S >= threshold, k=1))
    edges = [
        (float(S[i, j]), int(i), int(j))
        for i, j in zip(first.tolist(), second.tolist(), strict=True)
        if docs[i] != docs[j]
    ]
    return single_linkage(edges, docs)


def _blocked_linkage(
    sim: RecurrenceSimilarity, docs: list[str], threshold: float, linkage: str
) -> dict[int, int]:
    """Labels of a group too large for one dense matrix, on the same similarity block by block.

    The pairs at or above the threshold come ROW_BLOCK rows at a time; average linkage keeps
    each cluster's sums (`RecurrenceSimilarity.total`) and computes the exact mean similarity
    of two clusters from them, so the clusters are those `_matrix_linkage` gives.
    """
    edges = [e for e in sim.edges(threshold, ROW_BLOCK) if docs[e[1]] != docs[e[2]]]
    if linkage == "single":
        return single_linkage(edges, docs)
    return average_linkage(None, edges, docs, threshold, total=sim.total, dot=sim.dot)


def _model_matrix(
    model: PairModel,
    sim: RecurrenceSimilarity,
    S: np.ndarray,
    bar: float,
    parts: ItemParts,
    rows: np.ndarray,
    docs: list[str],
    months: np.ndarray,
) -> np.ndarray:
    """The pair model's probability matrix of one group (`pairs.group_features` over S)."""
    from . import semantic

    texts = [parts.texts[k] for k in rows.tolist()] if parts.texts else []
    raw = semantic.sentence_vectors([semantic.model_text(t) for t in texts]) if texts else None
    first, second, F = group_features(S, bar, docs, parts, rows, months, sim.centred, raw)
    return probability_matrix(model, F, first, second, len(rows))


def _number_clusters(df: pd.DataFrame, X: sp.csr_matrix, labels: dict[int, int]) -> pd.DataFrame:
    """Cluster ids by decreasing document count, and each item's mean similarity to its mates."""
    import pandas as pd

    members: dict[int, list[int]] = {}
    for i, root in labels.items():
        members.setdefault(root, []).append(i)
    docs, ids, cats = df["doc_id"].tolist(), df["item_id"].tolist(), df["category"].tolist()
    order = sorted(members.values(), key=lambda m: (-len({docs[i] for i in m}), -len(m), min(m)))
    # mean cosine of each item to its mates: (x . cluster total - x . x) / (size - 1), all at once
    rows_idx = np.array([i for m in order for i in m], dtype=np.int64)
    cluster_of = np.repeat(np.arange(len(order)), [len(m) for m in order])
    size = np.bincount(cluster_of)
    M = sp.csr_matrix((np.ones(len(rows_idx)), (cluster_of, rows_idx)), shape=(len(order), X.shape[0]))
    totals = sp.csr_matrix(M @ X)
    Xr = X[rows_idx]
    dots = np.asarray(Xr.multiply(totals[cluster_of]).sum(axis=1)).ravel()
    own = np.asarray(Xr.multiply(Xr).sum(axis=1)).ravel()
    mates = size[cluster_of] - 1
    sims = np.where(mates > 0, (dots - own) / np.maximum(mates, 1), 1.0)
    rows = [
        (ids[i], f"C{c + 1:04d}", round(float(sim), 4), cats[i], i)
        for i, c, sim in zip(rows_idx.tolist(), cluster_of.tolist(), sims.tolist(), strict=True)
    ]
    out = pd.DataFrame(rows, columns=[*ITEM_CLUSTER_COLUMNS, "category", "_row"])
    return out.sort_values("_row").drop(columns="_row").reset_index(drop=True)


def _distinct_casefold(names: Iterable[str]) -> list[str]:
    """Distinct non-empty names, "THANH TRA TỈNH" and "Thanh tra tỉnh" counted once (first kept)."""
    seen: dict[str, str] = {}
    for name in names:
        if name and name.strip().casefold() not in seen:
            seen[name.strip().casefold()] = name.strip()
    return sorted(seen.values())


def recurrence(items: pd.DataFrame, clusters: pd.DataFrame, *, min_docs: int = 2) -> pd.DataFrame:
    """One row per cluster: how often, over which periods and issuers the problem recurs.

    Args:
        items: the item rows (`item_id, doc_id, text, issuer` and period columns:
            `period`, or `period_kind/period_start/period_end`).
        clusters: `cluster_items` output.
        min_docs: keep clusters named in at least this many documents (2: only recurring
            problems; 1: every cluster, singletons included).

    Returns:
        DataFrame with the `recurrence.csv` columns, sorted by n_periods, max_streak, n_items
        (descending). `representative` is the member most similar to the others.

    Examples:
        >>> import pandas as pd
        >>> items = pd.DataFrame({"item_id": ["a", "b"], "doc_id": ["d10", "d11"],
        ...     "category": "limitation", "issuer": "UBND THÀNH PHỐ BẢO LỘC",
        ...     "period_kind": "month", "period_start": ["2024-07-01", "2024-08-01"],
        ...     "period_end": ["2024-07-31", "2024-08-31"],
        ...     "text": ["Giải ngân vốn đầu tư công chậm.", "Giải ngân vốn đầu tư công vẫn chậm."]})
        >>> recurrence(items, cluster_items(items))[["periods", "max_streak"]].values.tolist()
        [['2024-07; 2024-08', 2]]
    """
    import pandas as pd

    df = _prepare(items)
    if clusters.empty:
        return pd.DataFrame(columns=RECURRENCE_COLUMNS)
    merged = clusters[["item_id", "cluster_id", "similarity"]].merge(
        df.drop_duplicates("item_id"), on="item_id", how="left"
    )
    n_docs_of = merged.groupby("cluster_id", sort=False)["doc_id"].nunique()
    merged = merged[merged["cluster_id"].isin(n_docs_of.index[n_docs_of >= min_docs])]
    if merged.empty:
        return pd.DataFrame(columns=RECURRENCE_COLUMNS)
    # whole-table operations (one sort, a few group-bys): a large archive has many clusters
    ordered = merged.sort_values(["cluster_id", "similarity", "period"], ascending=[True, False, True])
    best = ordered.drop_duplicates("cluster_id").set_index("cluster_id")
    n_items = merged.groupby("cluster_id")["item_id"].size()
    dated = merged.loc[merged["period"] != "", ["cluster_id", "period"]].drop_duplicates()
    periods_of = dated.groupby("cluster_id")["period"].agg(lambda p: sorted(p, key=period_sort_key)).to_dict()
    named = merged.assign(_key=merged["issuer"].fillna("").astype(str).str.strip().str.casefold())
    named = named[named["_key"] != ""].drop_duplicates(["cluster_id", "_key"])
    issuers_of = named.groupby("cluster_id")["issuer"].agg(lambda s: _distinct_casefold(s)).to_dict()
    rows = []
    for cid in best.index:
        periods = periods_of.get(cid, [])
        rows.append({
            "cluster_id": cid, "category": best.at[cid, "category"], "representative": best.at[cid, "text"],
            "n_items": int(n_items[cid]), "n_docs": int(n_docs_of[cid]), "n_periods": len(periods),
            "first_period": periods[0] if periods else "", "last_period": periods[-1] if periods else "",
            "periods": "; ".join(periods), "max_streak": max_streak(periods),
            "issuers": "; ".join(issuers_of.get(cid, [])),
        })  # fmt: skip
    out = pd.DataFrame(rows, columns=RECURRENCE_COLUMNS)
    out = out.sort_values(
        ["n_periods", "max_streak", "n_items", "cluster_id"], ascending=[False, False, False, True]
    )
    return out.reset_index(drop=True)


def followups(
    items: pd.DataFrame,
    clusters: pd.DataFrame | None = None,
    *,
    threshold: float = DEFAULT_FOLLOWUP_THRESHOLD,
    across_issuers: bool = False,
    vectors: sp.csr_matrix | None = None,
) -> pd.DataFrame:
    """Tasks of one period linked to limitations of later periods that name the same problem.

    "Set as a task in March, named again as a limitation in April and May": each task is
    compared with the limitations of the same issuer whose period starts later; per later
    document the most similar limitation at or above `threshold` is kept.

    Args:
        items: item rows with `item_id, doc_id, category, text, issuer` and period columns.
        clusters: `cluster_items` output, to name the limitation's cluster (optional).
        threshold: cosine similarity a task and a limitation must reach.
        across_issuers: also link a task to limitations of other issuers.
        vectors: precomputed `vectorize` rows aligned with `items` (optional).

    Returns:
        DataFrame with FOLLOWUP_COLUMNS; `gap_periods` counts periods from the task's to the
        limitation's (empty when their kinds differ).

    Examples:
        >>> import pandas as pd
        >>> items = pd.DataFrame({"item_id": ["t", "l"], "doc_id": ["d10", "d11"],
        ...     "category": ["task", "limitation"], "issuer": "UBND THÀNH PHỐ BẢO LỘC",
        ...     "period_kind": "month", "period_start": ["2024-07-01", "2024-08-01"],
        ...     "period_end": ["2024-07-31", "2024-08-31"],
        ...     "text": ["Đẩy nhanh tiến độ giải ngân vốn đầu tư công.",
        ...              "Giải ngân vốn đầu tư công vẫn chậm."]})
        >>> followups(items)[["task_item_id", "limitation_item_id", "gap_periods"]].values.tolist()
        [['t', 'l', 1]]
    """
    import pandas as pd

    df = _prepare(items)
    tasks = np.flatnonzero((df["category"] == "task").to_numpy())
    limits = np.flatnonzero((df["category"] == "limitation").to_numpy())
    if len(tasks) == 0 or len(limits) == 0:
        return pd.DataFrame(columns=FOLLOWUP_COLUMNS)
    X = vectors if vectors is not None else vectorize(df["text"].tolist())
    issuer = issuer_key(df).to_numpy()
    start = [
        (parse_iso_date(s) or parse_iso_date(d))
        for s, d in zip(df["period_start"], df["issue_date"], strict=True)
    ]
    cluster_of = (
        dict(zip(clusters["item_id"], clusters["cluster_id"], strict=True)) if clusters is not None else {}
    )
    blocks = [(tasks, limits)] if across_issuers else [
        (tasks[issuer[tasks] == who], limits[issuer[limits] == who]) for who in pd.unique(issuer[tasks])
    ]  # fmt: skip
    col = {c: df[c].tolist() for c in ("doc_id", "period", "issuer", "item_id", "text")}
    ordinal = np.array([d.toordinal() if d else -1 for d in start], dtype=np.int64)
    best: dict[tuple[int, str], tuple[float, int]] = {}
    for t_rows, l_rows in blocks:
        for lo in range(0, len(t_rows), ROW_BLOCK):
            block = t_rows[lo : lo + ROW_BLOCK]
            S = gram(X[block], X[l_rows])
            # only a later period can name the problem "again"
            ok = (
                (S >= threshold)
                & (ordinal[l_rows][None, :] > ordinal[block][:, None])
                & (ordinal[block][:, None] >= 0)
            )
            for a, b in zip(*np.nonzero(ok), strict=True):
                t, lim, sim = int(block[a]), int(l_rows[b]), float(S[a, b])
                key = (t, col["doc_id"][lim])
                if key not in best or sim > best[key][0]:
                    best[key] = (sim, lim)
    rows = []
    for (t, _), (sim, lim) in best.items():
        a, b = period_ordinal(col["period"][t]), period_ordinal(col["period"][lim])
        gap = b[1] - a[1] if a and b and a[0] == b[0] else None
        rows.append({
            "issuer": col["issuer"][lim], "task_item_id": col["item_id"][t], "task_doc_id": col["doc_id"][t],
            "task_period": col["period"][t], "task_text": col["text"][t], "limitation_item_id": col["item_id"][lim],
            "limitation_doc_id": col["doc_id"][lim], "limitation_period": col["period"][lim],
            "limitation_text": col["text"][lim], "cluster_id": cluster_of.get(col["item_id"][lim], ""),
            "similarity": round(sim, 4), "gap_periods": gap, "_order": (t, ordinal[lim]),
        })  # fmt: skip
    out = pd.DataFrame(rows, columns=[*FOLLOWUP_COLUMNS, "_order"])
    out = out.sort_values("_order").drop(columns="_order").reset_index(drop=True)
    out["gap_periods"] = out["gap_periods"].astype("Int64")
    return out


# ---------------------------------------------------------------- tables of a run


def conclusion_items(items: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """Items of conclusion documents, with document fields joined.

    Only documents with `is_conclusion` true count (invitations, plans and decisions name no
    limitations), and each issued document once: a copy (`duplicate_of` set; computed by
    `duplicates.find_duplicates` when the column is missing or empty) is left out. Adds
    `period_kind, period_label, source_path` and `issuer_id` from `documents` (read from the
    header fields by `identity.issuer_id_of` when the run predates the column) and `period`.

    Args:
        items: the `items` table of a run (`store.read_database`).
        documents: the `documents` table of the same run.

    Returns:
        The item rows (ITEM_COLUMNS plus the joined columns), in document and item order.

    Examples:
        >>> import pandas as pd
        >>> docs = pd.DataFrame({"doc_id": ["d10"], "is_conclusion": [True], "period_kind": "month",
        ...     "period_label": "tháng 7/2024", "source_path": "tb-ket-luan-thang-7.pdf"})
        >>> items = pd.DataFrame({"doc_id": ["d10"], "item_id": ["i1"], "category": "limitation",
        ...     "text": "Giải ngân vốn đầu tư công chậm.", "issuer": "UBND THÀNH PHỐ BẢO LỘC",
        ...     "period_start": "2024-07-01", "period_end": "2024-07-31"})
        >>> conclusion_items(items, docs)["period"].tolist()
        ['2024-07']
    """
    from .duplicates import find_duplicates
    from .identity import issuer_ids

    docs = documents.copy()
    docs["issuer_id"] = issuer_ids(docs)
    if (
        "duplicate_of" not in docs.columns
        or not docs["duplicate_of"].fillna("").astype(str).str.strip().any()
    ):
        docs["duplicate_of"] = find_duplicates(docs, items)
    conclusion = docs["is_conclusion"].map(
        lambda v: str(v).strip().lower() in TRUTHY if not isinstance(v, bool | np.bool_) else bool(v)
    )
    original = docs["duplicate_of"].fillna("").astype(str).str.strip() == ""
    cols = ["doc_id", "period_kind", "period_label", "source_path", "issuer_id"]
    keep = docs.loc[conclusion & original, cols].drop_duplicates("doc_id")
    out = items.drop(columns=[c for c in ("issuer_id", "period_kind") if c in items.columns and c in keep])
    return _prepare(out.merge(keep, on="doc_id", how="inner"))


def analyze_items(
    items: pd.DataFrame,
    *,
    threshold: float = DEFAULT_CLUSTER_THRESHOLD,
    across_issuers: bool = False,
    linkage: str = DEFAULT_LINKAGE,
    followup_threshold: float = DEFAULT_FOLLOWUP_THRESHOLD,
    min_docs: int = 2,
    pair_model: PairModel | bool = True,
    semantic: str = "auto",
) -> dict[str, pd.DataFrame]:
    """All analysis tables from an item DataFrame, without files (for notebooks).

    `pair_model` as in `cluster_items` (True: the bundled model, the cosine without it);
    `semantic` says when the sentence model is blended in (`semantic.use_model`): "auto" (with
    its package, at most semantic.MAX_TEXTS texts to embed), "on" (any size) or "off".

    Returns:
        {"items", "item_clusters", "recurrence", "followups", "task_status"}; `items` is the
        prepared item table the others refer to (with `period`, `source_path`, `issuer_id`).

    Examples:
        >>> tables = analyze_items(conclusion_items(**read_database("out/ketluan.duckdb")))  # doctest: +SKIP
        >>> tables["recurrence"].head()  # doctest: +SKIP
    """
    from threadpoolctl import threadpool_limits

    # the dense products are small (an issuer's rows by 64 columns): BLAS threads only spin, and
    # take the core the per-text workers (`parallel`) need
    with threadpool_limits(limits=1, user_api="blas"):
        return _analyze_items(
            items, threshold=threshold, across_issuers=across_issuers, linkage=linkage,
            followup_threshold=followup_threshold, min_docs=min_docs, pair_model=pair_model, semantic=semantic,
        )  # fmt: skip


def _analyze_items(
    items: pd.DataFrame,
    *,
    threshold: float,
    across_issuers: bool,
    linkage: str,
    followup_threshold: float,
    min_docs: int,
    pair_model: PairModel | bool,
    semantic: str,
) -> dict[str, pd.DataFrame]:
    """`analyze_items` within its thread limits."""
    df = _prepare(items)
    clustered = df["category"].isin(list(CLUSTER_CATEGORIES)).tolist()  # facets of these only
    parts = item_parts(compared_texts(df), semantic_mode=semantic, facet_mask=clustered) if len(df) else None
    X = parts.combined if parts is not None else sp.csr_matrix((0, 0))
    clusters = cluster_items(
        df,
        threshold=threshold,
        across_issuers=across_issuers,
        linkage=linkage,
        vectors=X,
        pair_model=pair_model,
        parts=parts,
    )
    return {
        "items": df,
        "item_clusters": clusters,
        "recurrence": recurrence(df, clusters, min_docs=min_docs),
        "followups": followups(
            df, clusters, threshold=followup_threshold, across_issuers=across_issuers, vectors=X
        ),
        "task_status": task_status(
            df,
            issuer_key(df).tolist(),
            clusters=dict(zip(clusters["item_id"], clusters["cluster_id"], strict=True)),
            parts=parts,
        ),
    }
