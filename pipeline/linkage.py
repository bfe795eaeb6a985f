"""Constrained agglomerative clustering of unit-length TF-IDF rows (the analyse stage's engine).

Reads a sparse matrix whose rows are L2-normalised and the document of each row; returns a
label (the root row) per row. Two rows of one document never share a cluster. Pure numeric
code: no DataFrames, no files.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from .gram import gram

ROW_BLOCK = 1024  # rows of the similarity matrix computed at once (memory stays ~ROW_BLOCK x n)
FORBIDDEN = np.float32(-1e9)  # similarity sum of two items of one document: never merged


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
    edges: list[tuple[float, int, int]] = []
    for lo in range(0, len(rows), ROW_BLOCK):
        block = rows[lo : lo + ROW_BLOCK]
        S = gram(X[block], X[targets])
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


def single_linkage(edges: list[tuple[float, int, int]], docs: Sequence[str]) -> dict[int, int]:
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


def average_linkage(
    X: sp.csr_matrix | None,
    edges: list[tuple[float, int, int]],
    docs: Sequence[str],
    threshold: float,
    *,
    total: Callable[[int], Any] | None = None,
    dot: Callable[[Any, Any], float] | None = None,
) -> dict[int, int]:
    """Constrained average linkage, exact: mean pairwise cosine = (ΣA · ΣB) / (|A| |B|).

    Only clusters joined by an edge >= threshold are candidates (two clusters whose items are
    all below the threshold cannot reach it on average). With `total` (the sum a cluster of
    item k starts from; sums add with `+`) and `dot` (the sum of the similarities between two
    clusters' items, from their sums), any similarity works, e.g.
    `similarity.RecurrenceSimilarity`; X is then unused.
    """
    start = total if total is not None else (lambda k: X[k])  # type: ignore[index]
    pair_sum = dot if dot is not None else (lambda a, b: float(a.multiply(b).sum()))
    clusters: dict[int, _Cluster] = {}
    neighbours: dict[int, set[int]] = {}
    heap: list[tuple[float, int, int]] = []
    for s, i, j in edges:
        for k in (i, j):
            if k not in clusters:
                clusters[k] = _Cluster([k], {docs[k]}, start(k))
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
            avg = pair_sum(merged.total, other.total) / (len(merged.members) * len(other.members))
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


def average_linkage_dense(X: sp.csr_matrix, docs: Sequence[str], threshold: float) -> dict[int, int]:
    """Constrained average linkage on a dense matrix of similarity sums (Lance-Williams).

    `S[a, b]` holds the sum of cosines between the items of clusters a and b; merging b into
    a adds row b to row a, so the mean of a pair is `S[a, b] / (|a| |b|)`. Two items of one
    document start at a large negative sum, which keeps their clusters apart for good.
    """
    n = X.shape[0]
    S = np.empty((n, n), dtype=np.float32)
    for lo in range(0, n, ROW_BLOCK):
        S[lo : lo + ROW_BLOCK] = gram(X[lo : lo + ROW_BLOCK], X)
    return average_linkage_matrix(S, docs, threshold)


def average_linkage_matrix(S: np.ndarray, docs: Sequence[str], threshold: float) -> dict[int, int]:
    """Constrained average linkage of a dense float32 similarity matrix (modified in place).

    Any symmetric similarity works (cosines, or pair-model probabilities with 0 for pairs never
    compared); two items of one document are never in one cluster.
    """
    n = S.shape[0]
    by_doc: dict[str, list[int]] = {}
    for i, d in enumerate(docs):
        by_doc.setdefault(d, []).append(i)
    for idx in by_doc.values():
        if len(idx) > 1:
            S[np.ix_(idx, idx)] = FORBIDDEN
    np.fill_diagonal(S, FORBIDDEN)
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
        S[a, a] = FORBIDDEN
        S[b] = FORBIDDEN
        S[:, b] = FORBIDDEN
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
