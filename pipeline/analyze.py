"""Analyse stage: recurring limitations, task follow-ups and periods across an archive.

Reads the `documents` and `items` tables of a run as DataFrames and returns DataFrames
(`recurrence`, `item_clusters`, `followups`); never reads or writes a file (`api.analyze` does).
pandas and scikit-learn load on first use, so `import ketluan` (every worker) stays light.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp

from .config import DATA_DIR, DEFAULT_CLUSTER_THRESHOLD
from .linkage import average_linkage, average_linkage_dense, similarity_edges, single_linkage
from .text.periods import max_streak, parse_iso_date, period_key, period_ordinal, period_sort_key

if TYPE_CHECKING:
    import pandas as pd

STOPWORDS_PATH = DATA_DIR / "analysis" / "stopwords.txt"
VARIANTS_PATH = DATA_DIR / "analysis" / "variants.tsv"
CLUSTER_CATEGORIES = ("limitation",)
LINKAGES = ("single", "average")
DEFAULT_LINKAGE = "average"
# A task and a limitation that names the same problem are worded less alike than two
# limitations (a task says "đẩy nhanh giải ngân", the limitation "giải ngân chậm").
DEFAULT_FOLLOWUP_THRESHOLD = 0.20
CHAR_WEIGHT = 0.5  # share of the character n-gram cosine in the combined similarity
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

HAS_DIGIT = re.compile(r"\d")  # "31/7/2024", "32,6%", "07"
HAS_LETTER = re.compile(r"[^\W\d_]")  # "giải_ngân" yes; "," and "(" no


# ---------------------------------------------------------------- text representation


def load_stopwords(path: str | Path | None = None) -> frozenset[str]:
    """The stopword lexicon: one word per line, `#` comments, as underthesea segments words.

    Args:
        path: a lexicon file; defaults to `data/analysis/stopwords.txt`.

    Returns:
        The words, lower case NFC, syllables joined with "_" ("một số" -> "một_số").

    Examples:
        >>> "một_số" in load_stopwords()
        True
    """
    text = Path(path or STOPWORDS_PATH).read_text(encoding="utf-8")
    words = set()
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            words.add(unicodedata.normalize("NFC", line).lower().replace(" ", "_"))
    return frozenset(words)


def load_variants(path: str | Path | None = None) -> dict[str, str]:
    """Regional variants mapped to one form: `variant<TAB>form` lines, `#` comments.

    Examples:
        >>> load_variants()["heo"]
        'lợn'
    """
    text = Path(path or VARIANTS_PATH).read_text(encoding="utf-8")
    pairs = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if "\t" in line:
            variant, form = (unicodedata.normalize("NFC", p).strip().lower() for p in line.split("\t", 1))
            pairs[variant.replace(" ", "_")] = form.replace(" ", "_")
    return pairs


@lru_cache(maxsize=1)
def _default_stopwords() -> frozenset[str]:
    """The bundled stopword lexicon, read once per process."""
    return load_stopwords()


@lru_cache(maxsize=1)
def _default_variants() -> dict[str, str]:
    """The bundled variant lexicon, read once per process."""
    return load_variants()


def _canonical(word: str, variants: Mapping[str, str]) -> str:
    """A word with each syllable (or the whole word) mapped to its common form."""
    if word in variants:
        return variants[word]
    if "_" in word:
        return "_".join(variants.get(s, s) for s in word.split("_"))
    return word


def tokenize(text: str, stopwords: frozenset[str] | None = None) -> list[str]:
    """Vietnamese words of an item, lower case, without numbers, punctuation and stopwords.

    Args:
        text: an item text, NFC or NFD.
        stopwords: words to drop; defaults to the bundled lexicon.

    Returns:
        Words as underthesea segments them, syllables joined with "_", regional variants
        mapped to one form ("heo" -> "lợn").

    Examples:
        >>> tokenize("Tiến độ giải ngân vốn đầu tư công còn chậm, mới đạt 32,6%.")
        ['giải_ngân', 'vốn', 'đầu_tư', 'công', 'chậm', 'đạt']
    """
    from underthesea import word_tokenize  # heavy import, only when text is compared

    stop = _default_stopwords() if stopwords is None else stopwords
    variants = _default_variants()
    clean = unicodedata.normalize("NFC", text).lower()
    words = (_canonical(w.replace(" ", "_"), variants) for w in word_tokenize(clean))
    return [w for w in words if HAS_LETTER.search(w) and not HAS_DIGIT.search(w) and w not in stop]


def _word_ngrams(tokens: list[str]) -> list[str]:
    """Word unigrams and bigrams of a token list."""
    return tokens + [f"{a} {b}" for a, b in itertools.pairwise(tokens)]


def vectorize(texts: Sequence[str], fit_texts: Sequence[str] | None = None) -> sp.csr_matrix:
    """Unit-length TF-IDF rows combining word 1-2-grams and character 2-4-grams.

    The cosine of two rows is `CHAR_WEIGHT * char cosine + (1 - CHAR_WEIGHT) * word cosine`.
    Character n-grams (`char_wb`, over syllables) see paraphrase and inflection-free variants
    ("tiêm chủng" / "tiêm đủ"); word n-grams keep compounds apart ("sử_dụng đất").

    Args:
        texts: the texts to represent.
        fit_texts: texts the IDF is learned from (the whole archive reads better than the few
            items compared); defaults to `texts`.

    Returns:
        A CSR matrix with one L2-normalised row per text.

    Examples:
        >>> X = vectorize(["Giải ngân vốn đầu tư công chậm.", "Tỷ lệ giải ngân vốn đầu tư công thấp."])
        >>> round(float((X @ X.T)[0, 1]), 2) > 0.5
        True
    """
    from sklearn.feature_extraction.text import TfidfVectorizer  # heavy import, only when text is compared
    from sklearn.preprocessing import normalize

    fit = list(fit_texts) if fit_texts is not None else list(texts)
    cache: dict[str, list[str]] = {}

    def toks(t: str) -> list[str]:
        if t not in cache:
            cache[t] = tokenize(t)
        return cache[t]

    word_vec = TfidfVectorizer(analyzer=lambda t: _word_ngrams(toks(t)), sublinear_tf=True)
    char_vec = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True, lowercase=False,
        preprocessor=lambda t: " ".join(toks(t)).replace("_", " "),
    )  # fmt: skip
    word_vec.fit(fit)
    char_vec.fit(fit)
    words = normalize(word_vec.transform(texts)) * np.sqrt(1.0 - CHAR_WEIGHT)
    chars = normalize(char_vec.transform(texts)) * np.sqrt(CHAR_WEIGHT)
    return sp.csr_matrix(normalize(sp.hstack([chars, words]).tocsr()))


# ---------------------------------------------------------------- clustering


def _prepare(items: pd.DataFrame) -> pd.DataFrame:
    """A copy of `items` with the columns the analysis reads, text cells never NaN."""
    missing = [c for c in ITEM_INPUT_COLUMNS if c not in items.columns]
    if missing:
        raise ValueError(f"items lack columns: {', '.join(missing)}")
    df = items.reset_index(drop=True).copy()
    for col in ("item_id", "doc_id", "category", "text", "issuer"):
        df[col] = df[col].fillna("").astype(str)
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


def _groups(df: pd.DataFrame, across_issuers: bool) -> pd.Series:
    """The block each row is compared within: category, and issuer unless across issuers."""
    issuer = df["issuer"].str.strip().str.casefold()
    return df["category"] if across_issuers else df["category"] + "\x1f" + issuer


def cluster_items(
    items: pd.DataFrame,
    *,
    threshold: float = DEFAULT_CLUSTER_THRESHOLD,
    across_issuers: bool = False,
    categories: Sequence[str] = CLUSTER_CATEGORIES,
    linkage: str = DEFAULT_LINKAGE,
    vectors: sp.csr_matrix | None = None,
) -> pd.DataFrame:
    """Group items of one category that say the same thing in different documents.

    Items are compared within one issuer (unless `across_issuers`) and one category; a
    document contributes at most one item to a cluster (a conclusion does not name the same
    shortcoming twice, so two of its items are two problems). Every item of `categories`
    gets a cluster; an item that recurs nowhere is a cluster of one.

    Args:
        items: rows with at least `item_id, doc_id, category, text, issuer` (the `items`
            table). Items of other categories only sharpen the IDF.
        threshold: cosine similarity (0-1) two items must reach to be linked.
        across_issuers: also group items of different issuers.
        categories: categories to cluster (default: limitations).
        linkage: "single" (strongest link first, follows wording that drifts month after
            month) or "average" (mean similarity of all pairs must reach the threshold).
        vectors: precomputed `vectorize` rows aligned with `items` (optional).

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
    X = vectors if vectors is not None else vectorize(df["text"].tolist())
    groups = _groups(df, across_issuers).to_numpy()
    docs = df["doc_id"].tolist()
    labels: dict[int, int] = {}
    for g in pd.unique(groups[target]):
        rows = target[groups[target] == g]
        local_docs = [docs[i] for i in rows]
        if linkage == "average" and len(rows) <= DENSE_MAX:
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


def _number_clusters(df: pd.DataFrame, X: sp.csr_matrix, labels: dict[int, int]) -> pd.DataFrame:
    """Cluster ids by decreasing document count, and each item's mean similarity to its mates."""
    import pandas as pd

    members: dict[int, list[int]] = {}
    for i, root in labels.items():
        members.setdefault(root, []).append(i)
    order = sorted(
        members.values(),
        key=lambda m: (-len({df.at[i, "doc_id"] for i in m}), -len(m), min(m)),
    )
    rows = []
    for n, m in enumerate(order, start=1):
        m = sorted(m)
        total = X[m].sum(axis=0).A1
        for i in m:
            if len(m) == 1:
                sim = 1.0
            else:
                sim = (float((X[i] @ total)[0]) - float(X[i].multiply(X[i]).sum())) / (len(m) - 1)
            rows.append((df.at[i, "item_id"], f"C{n:04d}", round(sim, 4), df.at[i, "category"], i))
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
    rows = []
    for cid, g in merged.groupby("cluster_id", sort=False):
        n_docs = g["doc_id"].nunique()
        if n_docs < min_docs:
            continue
        periods = sorted({p for p in g["period"] if p}, key=period_sort_key)
        best = g.sort_values(["similarity", "period"], ascending=[False, True]).iloc[0]
        rows.append({
            "cluster_id": cid, "category": best["category"], "representative": best["text"],
            "n_items": len(g), "n_docs": n_docs, "n_periods": len(periods),
            "first_period": periods[0] if periods else "", "last_period": periods[-1] if periods else "",
            "periods": "; ".join(periods), "max_streak": max_streak(periods),
            "issuers": "; ".join(_distinct_casefold(g["issuer"])),
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
    issuer = df["issuer"].str.strip().str.casefold().to_numpy()
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
    doc_ids: list[str] = df["doc_id"].tolist()
    periods: list[str] = df["period"].tolist()
    best: dict[tuple[int, str], tuple[float, int]] = {}
    for t_rows, l_rows in blocks:
        for s, t, lim in similarity_edges(X, t_rows, threshold, cols=l_rows):
            task_start, limit_start = start[t], start[lim]
            if task_start is None or limit_start is None or limit_start <= task_start:
                continue  # only a later period can name the problem "again"
            key = (t, doc_ids[lim])
            if key not in best or s > best[key][0]:
                best[key] = (s, lim)
    rows = []
    for (t, _), (s, lim) in best.items():
        a, b = period_ordinal(periods[t]), period_ordinal(periods[lim])
        gap = b[1] - a[1] if a and b and a[0] == b[0] else None
        rows.append({
            "issuer": df.at[lim, "issuer"], "task_item_id": df.at[t, "item_id"],
            "task_doc_id": df.at[t, "doc_id"], "task_period": df.at[t, "period"],
            "task_text": df.at[t, "text"], "limitation_item_id": df.at[lim, "item_id"],
            "limitation_doc_id": df.at[lim, "doc_id"], "limitation_period": df.at[lim, "period"],
            "limitation_text": df.at[lim, "text"],
            "cluster_id": cluster_of.get(df.at[lim, "item_id"], ""),
            "similarity": round(s, 4), "gap_periods": gap, "_order": (t, start[lim]),
        })  # fmt: skip
    out = pd.DataFrame(rows, columns=[*FOLLOWUP_COLUMNS, "_order"])
    out = out.sort_values("_order").drop(columns="_order").reset_index(drop=True)
    out["gap_periods"] = out["gap_periods"].astype("Int64")
    return out


# ---------------------------------------------------------------- tables of a run


def conclusion_items(items: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """Items of conclusion documents, with document fields joined.

    Only documents with `is_conclusion` true count (invitations, plans and decisions name no
    limitations). Adds `period_kind, period_label, source_path` from `documents` and `period`.

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
    conclusion = documents["is_conclusion"].map(
        lambda v: (
            str(v).strip().lower() in ("true", "1", "yes") if not isinstance(v, bool | np.bool_) else bool(v)
        )
    )
    keep = documents.loc[conclusion, ["doc_id", "period_kind", "period_label", "source_path"]]
    keep = keep.drop_duplicates("doc_id")
    out = items.merge(keep, on="doc_id", how="inner")
    return _prepare(out)


def analyze_items(
    items: pd.DataFrame,
    *,
    threshold: float = DEFAULT_CLUSTER_THRESHOLD,
    across_issuers: bool = False,
    linkage: str = DEFAULT_LINKAGE,
    followup_threshold: float = DEFAULT_FOLLOWUP_THRESHOLD,
    min_docs: int = 2,
) -> dict[str, pd.DataFrame]:
    """All analysis tables from an item DataFrame, without files (for notebooks).

    Returns:
        {"items", "item_clusters", "recurrence", "followups"}; `items` is the prepared item
        table the others refer to (with `period` and `source_path`).

    Examples:
        >>> tables = analyze_items(conclusion_items(**read_database("out/ketluan.duckdb")))  # doctest: +SKIP
        >>> tables["recurrence"].head()  # doctest: +SKIP
    """
    df = _prepare(items)
    X = vectorize(df["text"].tolist()) if len(df) else sp.csr_matrix((0, 0))
    clusters = cluster_items(
        df, threshold=threshold, across_issuers=across_issuers, linkage=linkage, vectors=X
    )
    return {
        "items": df,
        "item_clusters": clusters,
        "recurrence": recurrence(df, clusters, min_docs=min_docs),
        "followups": followups(
            df, clusters, threshold=followup_threshold, across_issuers=across_issuers, vectors=X
        ),
    }
