"""Analyse stage: recurring limitations, task follow-ups and periods across an archive.

Reads the `documents` and `items` tables of `ketluan.duckdb` (or item DataFrames built by hand),
returns pandas DataFrames (`recurrence`, `item_clusters`, `followups`) and writes them as CSV
with `report.html`. It never edits the database and never downloads anything.
"""

from __future__ import annotations

import heapq
import itertools
import json
import re
import sys
import types
import unicodedata
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from .config import DATA_DIR, DEFAULT_CLUSTER_THRESHOLD

STOPWORDS_PATH = DATA_DIR / "analysis" / "stopwords.txt"
VARIANTS_PATH = DATA_DIR / "analysis" / "variants.tsv"
CLUSTER_CATEGORIES = ("limitation",)
LINKAGES = ("single", "average")
DEFAULT_LINKAGE = "average"
# A task and a limitation that names the same problem are worded less alike than two
# limitations (a task says "đẩy nhanh giải ngân", the limitation "giải ngân chậm").
DEFAULT_FOLLOWUP_THRESHOLD = 0.20
CHAR_WEIGHT = 0.5  # share of the character n-gram cosine in the combined similarity
ROW_BLOCK = 1024  # rows of the similarity matrix computed at once (memory stays ~ROW_BLOCK x n)
DENSE_MAX = 12000  # average linkage keeps an n x n float32 matrix up to this block size (576 MB)
_FORBIDDEN = np.float32(-1e9)  # similarity sum of two items of one document: never merged

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
PERIOD_KEY = re.compile(r"^(\d{4})(?:-(\d{2})|-Q([1-4])|-H([12])|-9M|-W(\d{2}))?$")  # "2024-07", "2024-Q3"


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


# ---------------------------------------------------------------- periods


def _month_end(year: int, month: int) -> date:
    """Last day of a month."""
    return (date(year + month // 12, month % 12 + 1, 1)) - timedelta(days=1)


def _parse_date(value: Any) -> date | None:
    """An ISO date from a cell, or None for empty or malformed cells."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def infer_period_kind(start: str, end: str) -> str:
    """The period kind two ISO dates span, for rows that carry dates but no kind.

    Examples:
        >>> infer_period_kind("2024-07-01", "2024-09-30")
        'quarter'
    """
    s, e = _parse_date(start), _parse_date(end)
    if s is None or e is None or s.day != 1:
        return "other" if s and e else ""
    if e.year == s.year and e == _month_end(e.year, e.month):
        months = e.month - s.month + 1
        if months == 1:
            return "month"
        if months == 3 and s.month % 3 == 1:
            return "quarter"
        if months == 6 and s.month in (1, 7):
            return "half_year"
        if months == 9 and s.month == 1:
            return "nine_months"
        if months == 12:
            return "year"
    if (e - s).days == 6 and s.weekday() == 0:
        return "week"
    return "other"


def period_key(kind: str, start: str, end: str = "") -> str:
    """A sortable label of the period a document reviews.

    Args:
        kind: `period_kind` (month, quarter, half_year, nine_months, year, week, other) or "".
        start: `period_start`, ISO date.
        end: `period_end`, ISO date (used to infer the kind when it is empty).

    Returns:
        "2024-07" (month), "2024-Q3", "2024-H1", "2024-9M", "2024", "2024-W24" (ISO week),
        "2023-09-05..2024-05-31" (other spans), or "" when the document names no period.

    Examples:
        >>> period_key("month", "2024-07-01", "2024-07-31")  # tháng 7/2024
        '2024-07'
        >>> period_key("", "2023-04-01", "2023-06-30")  # quý II/2023
        '2023-Q2'
    """
    kind = (kind or "").strip() or infer_period_kind(start, end)
    s = _parse_date(start)
    if s is None:
        return ""
    if kind == "month":
        return f"{s.year}-{s.month:02d}"
    if kind == "quarter":
        return f"{s.year}-Q{(s.month - 1) // 3 + 1}"
    if kind == "half_year":
        return f"{s.year}-H{1 if s.month <= 6 else 2}"
    if kind == "nine_months":
        return f"{s.year}-9M"
    if kind == "year":
        return f"{s.year}"
    if kind == "week":
        iso = s.isocalendar()
        return f"{iso[0]}-W{iso[1]:02d}"
    e = _parse_date(end)
    return f"{s.isoformat()}..{e.isoformat() if e else ''}"


def period_ordinal(key: str) -> tuple[str, int] | None:
    """(granularity, index) of a period key; consecutive periods have consecutive indexes.

    Examples:
        >>> period_ordinal("2024-12"), period_ordinal("2025-01")
        (('month', 24299), ('month', 24300))
    """
    m = PERIOD_KEY.match(key or "")
    if not m:
        return None
    year = int(m.group(1))
    if m.group(2):
        return ("month", year * 12 + int(m.group(2)) - 1)
    if m.group(3):
        return ("quarter", year * 4 + int(m.group(3)) - 1)
    if m.group(4):
        return ("half_year", year * 2 + int(m.group(4)) - 1)
    if m.group(5):
        return ("week", date.fromisocalendar(year, int(m.group(5)), 1).toordinal() // 7)
    if key.endswith("-9M"):
        return ("nine_months", year)
    return ("year", year)


def max_streak(keys: Iterable[str]) -> int:
    """The longest run of consecutive periods of one granularity among `keys`.

    Examples:
        >>> max_streak(["2024-01", "2024-02", "2024-03", "2024-05"])
        3
        >>> max_streak(["2023-Q4", "2024-Q1", "2024-07"])
        2
    """
    by_kind: dict[str, set[int]] = {}
    best = 0
    for key in keys:
        if not key:
            continue
        best = max(best, 1)
        ordinal = period_ordinal(key)
        if ordinal is not None:
            by_kind.setdefault(ordinal[0], set()).add(ordinal[1])
    for values in by_kind.values():
        run = 0
        previous = None
        for v in sorted(values):
            run = run + 1 if previous is not None and v == previous + 1 else 1
            previous = v
            best = max(best, run)
    return best


def period_sort_key(key: str) -> tuple[str, str]:
    """Chronological order of period keys: by start, then by length."""
    m = PERIOD_KEY.match(key)
    if not m:
        return (key[:10], key)
    start = key[:4] + ("-" + m.group(2) if m.group(2) else "")
    return (start, key)


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


def similarity_edges(
    X: sp.csr_matrix, rows: np.ndarray, threshold: float, cols: np.ndarray | None = None
) -> list[tuple[float, int, int]]:
    """Pairs (similarity, i, j) of rows of X with cosine >= threshold, computed block by block.

    With `cols` None, pairs are taken within `rows` (i < j); otherwise between `rows` and
    `cols`. The matrix is never materialised whole: ROW_BLOCK rows at a time.
    """
    targets = rows if cols is None else cols
    if len(rows) == 0 or len(targets) == 0:
        return []
    XT = X[targets].T.tocsc()
    edges: list[tuple[float, int, int]] = []
    for lo in range(0, len(rows), ROW_BLOCK):
        block = rows[lo : lo + ROW_BLOCK]
        S = (X[block] @ XT).toarray()
        bi, bj = np.nonzero(S >= threshold)
        for a, b in zip(bi.tolist(), bj.tolist(), strict=True):
            i, j = int(block[a]), int(targets[b])
            if cols is None and i >= j:
                continue
            edges.append((float(S[a, b]), i, j))
    return edges


@dataclass
class _Cluster:
    members: list[int]
    docs: set[str]
    total: Any  # sum of member rows (1 x features, sparse), for exact average linkage


def _single_linkage(edges: list[tuple[float, int, int]], docs: Sequence[str]) -> dict[int, int]:
    """Constrained single linkage: strongest edges first; never two items of one document."""
    parent = list(range(len(docs)))
    doc_sets: dict[int, set[str]] = {}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for _, i, j in sorted(edges, key=lambda e: (-e[0], e[1], e[2])):
        ri, rj = find(i), find(j)
        if ri == rj:
            continue
        di = doc_sets.get(ri, {docs[ri]})
        dj = doc_sets.get(rj, {docs[rj]})
        if di & dj:
            continue
        parent[rj] = ri
        doc_sets[ri] = di | dj
        doc_sets.pop(rj, None)
    return {i: find(i) for i in range(len(docs))}


def _average_linkage(
    X: sp.csr_matrix, edges: list[tuple[float, int, int]], docs: Sequence[str], threshold: float
) -> dict[int, int]:
    """Constrained average linkage, exact: mean pairwise cosine = (ΣA · ΣB) / (|A| |B|).

    Two clusters can only reach the threshold on average if one pair of their items does, so
    only clusters joined by an edge >= threshold are candidates.
    """
    clusters: dict[int, _Cluster] = {}
    neighbours: dict[int, set[int]] = {}
    heap: list[tuple[float, int, int]] = []
    for s, i, j in edges:
        for k in (i, j):
            if k not in clusters:
                clusters[k] = _Cluster([k], {docs[k]}, X[k])
                neighbours[k] = set()
        neighbours[i].add(j)
        neighbours[j].add(i)
        heapq.heappush(heap, (-s, i, j))
    next_id = len(docs)
    while heap:
        neg, a, b = heapq.heappop(heap)
        if a not in clusters or b not in clusters:
            continue  # stale: one side was merged since
        ca, cb = clusters[a], clusters[b]
        if ca.docs & cb.docs:
            continue
        merged = _Cluster(ca.members + cb.members, ca.docs | cb.docs, ca.total + cb.total)
        near = (neighbours.pop(a) | neighbours.pop(b)) - {a, b}
        del clusters[a], clusters[b]
        c = next_id
        next_id += 1
        clusters[c] = merged
        neighbours[c] = set()
        for n in near:
            neighbours[n].discard(a)
            neighbours[n].discard(b)
            other = clusters[n]
            if other.docs & merged.docs:
                continue
            avg = float(merged.total.multiply(other.total).sum()) / (len(merged.members) * len(other.members))
            if avg >= threshold:
                neighbours[c].add(n)
                neighbours[n].add(c)
                heapq.heappush(heap, (-avg, c, n))
    labels = {i: i for i in range(len(docs))}
    for cluster in clusters.values():
        root = min(cluster.members)
        for m in cluster.members:
            labels[m] = root
    return labels


def _average_linkage_dense(X: sp.csr_matrix, docs: Sequence[str], threshold: float) -> dict[int, int]:
    """Constrained average linkage on a dense matrix of similarity sums (Lance-Williams).

    `S[a, b]` holds the sum of cosines between the items of clusters a and b; merging b into
    a adds row b to row a, so the mean of a pair is `S[a, b] / (|a| |b|)`. Two items of one
    document start at a large negative sum, which keeps their clusters apart for good.
    """
    n = X.shape[0]
    S = np.empty((n, n), dtype=np.float32)
    XT = X.T.tocsc()
    for lo in range(0, n, ROW_BLOCK):
        S[lo : lo + ROW_BLOCK] = (X[lo : lo + ROW_BLOCK] @ XT).toarray()
    by_doc: dict[str, list[int]] = {}
    for i, d in enumerate(docs):
        by_doc.setdefault(d, []).append(i)
    for idx in by_doc.values():
        if len(idx) > 1:
            S[np.ix_(idx, idx)] = _FORBIDDEN
    np.fill_diagonal(S, _FORBIDDEN)
    size = np.ones(n, dtype=np.float32)
    alive = np.ones(n, dtype=bool)
    version = [0] * n
    parent = list(range(n))
    # One heap entry per cluster: its best partner. A merge never raises the mean of the
    # merged cluster with a third one above that third one's previous best (the mean is a
    # weighted average), so a stale entry is an upper bound and is re-evaluated when popped.
    best = S.argmax(axis=1).tolist()
    heap = [(-float(S[i, j]), i, j, 0, 0) for i, j in enumerate(best) if S[i, j] >= threshold]
    heapq.heapify(heap)

    def push_best(i: int) -> None:
        mean = S[i] / (size[i] * size)
        j = int(np.argmax(mean))
        if mean[j] >= threshold:
            heapq.heappush(heap, (-float(mean[j]), i, j, version[i], version[j]))

    while heap:
        _, a, b, va, vb = heapq.heappop(heap)
        if not alive[a] or version[a] != va:
            continue  # a was merged or re-pushed since
        if not alive[b] or version[b] != vb:
            push_best(a)  # partner changed: find a's best again
            continue
        S[a] += S[b]
        S[:, a] = S[a]
        S[a, a] = _FORBIDDEN
        S[b] = _FORBIDDEN
        S[:, b] = _FORBIDDEN
        size[a] += size[b]
        alive[b] = False
        parent[b] = a
        version[a] += 1
        push_best(a)

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    return {i: root(i) for i in range(n)}


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
        >>> df = pd.DataFrame({"item_id": ["a", "b"], "doc_id": ["d10", "d11"],
        ...     "category": "limitation", "issuer": "UBND THÀNH PHỐ BẢO LỘC",
        ...     "text": ["Tiến độ giải ngân vốn đầu tư công còn chậm.",
        ...              "Việc giải ngân vốn đầu tư công vẫn chậm."]})
        >>> cluster_items(df)["cluster_id"].nunique()
        1
    """
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
            local = _average_linkage_dense(X[rows], local_docs, threshold)
        else:
            Xg = X[rows]
            local_edges = [
                e for e in similarity_edges(Xg, np.arange(len(rows)), threshold)
                if local_docs[e[1]] != local_docs[e[2]]
            ]  # fmt: skip
            if linkage == "single":
                local = _single_linkage(local_edges, local_docs)
            else:
                local = _average_linkage(Xg, local_edges, local_docs, threshold)
        for k, root in local.items():
            labels[int(rows[k])] = int(rows[root])
    return _number_clusters(df, X, labels)


def _number_clusters(df: pd.DataFrame, X: sp.csr_matrix, labels: dict[int, int]) -> pd.DataFrame:
    """Cluster ids by decreasing document count, and each item's mean similarity to its mates."""
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
        >>> items = pd.DataFrame({"item_id": ["a", "b"], "doc_id": ["d10", "d11"],
        ...     "category": "limitation", "issuer": "UBND THÀNH PHỐ BẢO LỘC",
        ...     "period_kind": "month", "period_start": ["2024-07-01", "2024-08-01"],
        ...     "period_end": ["2024-07-31", "2024-08-31"],
        ...     "text": ["Giải ngân vốn đầu tư công chậm.", "Giải ngân vốn đầu tư công vẫn chậm."]})
        >>> recurrence(items, cluster_items(items))[["periods", "max_streak"]].values.tolist()
        [['2024-07; 2024-08', 2]]
    """
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
        >>> items = pd.DataFrame({"item_id": ["t", "l"], "doc_id": ["d10", "d11"],
        ...     "category": ["task", "limitation"], "issuer": "UBND THÀNH PHỐ BẢO LỘC",
        ...     "period_kind": "month", "period_start": ["2024-07-01", "2024-08-01"],
        ...     "period_end": ["2024-07-31", "2024-08-31"],
        ...     "text": ["Đẩy nhanh tiến độ giải ngân vốn đầu tư công.",
        ...              "Giải ngân vốn đầu tư công vẫn chậm."]})
        >>> followups(items)[["task_item_id", "limitation_item_id", "gap_periods"]].values.tolist()
        [['t', 'l', 1]]
    """
    df = _prepare(items)
    tasks = np.flatnonzero((df["category"] == "task").to_numpy())
    limits = np.flatnonzero((df["category"] == "limitation").to_numpy())
    if len(tasks) == 0 or len(limits) == 0:
        return pd.DataFrame(columns=FOLLOWUP_COLUMNS)
    X = vectors if vectors is not None else vectorize(df["text"].tolist())
    issuer = df["issuer"].str.strip().str.casefold().to_numpy()
    start = [
        (_parse_date(s) or _parse_date(d)) for s, d in zip(df["period_start"], df["issue_date"], strict=True)
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


# ---------------------------------------------------------------- database and files


def load_items(db: str | Path) -> pd.DataFrame:
    """Items of conclusion documents from `ketluan.duckdb`, with document fields joined.

    Only documents with `is_conclusion` true count (invitations, plans and decisions name no
    limitations). Adds `period_kind, period_label, source_path` from `documents` and `period`.

    Args:
        db: path of the DuckDB database written by `ketluan run`.

    Returns:
        The item rows (ITEM_COLUMNS plus the joined columns), in document and item order.

    Examples:
        >>> load_items("out/ketluan.duckdb").columns[:3].tolist()  # doctest: +SKIP
        ['doc_id', 'item_id', 'section_id']
    """
    import duckdb

    path = Path(db)
    if not path.is_file():
        raise FileNotFoundError(f"no database at {path}; run 'ketluan run INPUT --out DIR' first")
    con = duckdb.connect(str(path), read_only=True)
    try:
        items = con.execute("SELECT * FROM items").df()
        docs = con.execute("SELECT * FROM documents").df()
    finally:
        con.close()
    conclusion = docs["is_conclusion"].map(
        lambda v: (
            str(v).strip().lower() in ("true", "1", "yes") if not isinstance(v, bool | np.bool_) else bool(v)
        )
    )
    keep = docs.loc[conclusion, ["doc_id", "period_kind", "period_label", "source_path"]]
    keep = keep.drop_duplicates("doc_id")
    out = items.merge(keep, on="doc_id", how="inner")
    return _prepare(out)


def write_csv(df: pd.DataFrame, path: Path) -> Path:
    """Write a table as UTF-8 CSV with BOM (Excel keeps the diacritics)."""
    df.to_csv(path, index=False, encoding="utf-8-sig")
    return path


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
        >>> tables = analyze_items(load_items("out/ketluan.duckdb"))  # doctest: +SKIP
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


def analyze(
    db: str | Path,
    out: str | Path,
    *,
    threshold: float = DEFAULT_CLUSTER_THRESHOLD,
    across_issuers: bool = False,
    linkage: str = DEFAULT_LINKAGE,
    followup_threshold: float = DEFAULT_FOLLOWUP_THRESHOLD,
) -> dict[str, pd.DataFrame]:
    """Read the database, write recurrence.csv, item_clusters.csv, followups.csv, report.html.

    `recurrence.csv` lists only recurring clusters (named in two documents or more);
    `item_clusters.csv` lists every limitation, singletons included.

    Args:
        db: `DIR/ketluan.duckdb` written by `ketluan run`.
        out: folder for the outputs (created if missing).
        threshold: cosine similarity two limitations must reach to be grouped.
        across_issuers: group limitations of different issuers too.
        linkage: "single" or "average" (see `cluster_items`).
        followup_threshold: cosine similarity a task and a later limitation must reach.

    Returns:
        The tables as DataFrames: items, item_clusters, recurrence, followups.

    Examples:
        >>> tables = analyze("out/ketluan.duckdb", "out/")  # doctest: +SKIP
        >>> tables["recurrence"].iloc[0]["representative"]  # doctest: +SKIP
        'Tiến độ giải ngân vốn đầu tư công còn chậm, ...'
    """
    from .report import write_report

    tables = analyze_items(
        load_items(db), threshold=threshold, across_issuers=across_issuers, linkage=linkage,
        followup_threshold=followup_threshold,
    )  # fmt: skip
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    write_csv(tables["recurrence"], folder / "recurrence.csv")
    write_csv(tables["item_clusters"][ITEM_CLUSTER_COLUMNS], folder / "item_clusters.csv")
    write_csv(tables["followups"], folder / "followups.csv")
    write_report(tables, folder / "report.html")
    return tables


# ---------------------------------------------------------------- evaluation


def pairwise_scores(
    pred: Mapping[Hashable, Hashable],
    gold: Iterable[Iterable[Hashable]],
    *,
    group: Mapping[Hashable, Hashable] | None = None,
) -> tuple[float, float]:
    """Pairwise precision and recall of a clustering against gold clusters.

    A pair of items is positive when both are in one cluster. Only items in `pred` are
    scored; gold items missing from `pred` are ignored, and items of `pred` absent from every
    gold cluster are gold singletons. With `group` (item -> issuer), pairs that cross groups
    are ignored (corpus/README.md: evaluate recurrence within an issuer).

    Args:
        pred: item key -> predicted cluster id.
        gold: gold clusters, each an iterable of item keys.
        group: item key -> group (optional).

    Returns:
        (precision, recall); 1.0 when there is no predicted (resp. gold) pair.

    Examples:
        >>> pairwise_scores({"a": 1, "b": 1, "c": 1}, [["a", "b"]])
        (0.3333333333333333, 1.0)
    """
    gold_of: dict[Hashable, int] = {}
    for n, cluster in enumerate(gold):
        for key in cluster:
            gold_of[key] = n
    keys = list(pred)

    def same_group(a: Hashable, b: Hashable) -> bool:
        return group is None or group.get(a) == group.get(b)

    def pairs(label: Mapping[Hashable, Hashable]) -> set[tuple[int, int]]:
        by: dict[Hashable, list[int]] = {}
        for k, key in enumerate(keys):
            if key in label:
                by.setdefault(label[key], []).append(k)
        return {
            (a, b)
            for m in by.values()
            for a, b in itertools.combinations(m, 2)
            if same_group(keys[a], keys[b])
        }

    p, g = pairs(pred), pairs(gold_of)
    hit = len(p & g)
    return (hit / len(p) if p else 1.0, hit / len(g) if g else 1.0)


def load_gold_clusters(path: str | Path) -> list[list[tuple[str, str]]]:
    """Gold recurrence clusters: `[{"cluster": name, "items": [[stem, text], ...]}, ...]`.

    Returns:
        One list of (stem, NFC text) keys per cluster.

    Examples:
        >>> gold = load_gold_clusters("../shared/corpus/dev/recurrence_gold.json")  # doctest: +SKIP
        >>> len(gold)  # doctest: +SKIP
        2
    """
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return [[(str(stem), unicodedata.normalize("NFC", str(text))) for stem, text in c["items"]] for c in data]


class _CallableModule(types.ModuleType):
    """This module, callable as the public `ketluan.analyze(out)` function.

    Importing the submodule `ketluan.analyze` rebinds the package attribute `analyze` from the
    function to this module (Python's import system does so); calling it must still work.
    """

    def __call__(self, db_or_out: str | Path, out: str | Path | None = None, **options: Any) -> dict[str, Any]:
        from .api import analyze as analyze_api

        return analyze_api(db_or_out, out, **options)


sys.modules[__name__].__class__ = _CallableModule
