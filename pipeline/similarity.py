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

from .config import DATA_DIR
from .embeddings import item_vectors, load_vectors
from .topics import canonical_text, problem_of, segment_all, topic_of

STOPWORDS_PATH = DATA_DIR / "analysis" / "stopwords.txt"
VARIANTS_PATH = DATA_DIR / "analysis" / "variants.tsv"
UNIT_NOUNS_PATH = DATA_DIR / "analysis" / "unit_nouns.txt"
PLACE_NOUNS_PATH = DATA_DIR / "analysis" / "place_nouns.txt"
ABBREVIATIONS_PATHS = (
    DATA_DIR / "analysis" / "common_abbreviations.txt",
    DATA_DIR / "analysis" / "issuer_abbreviations.tsv",
)
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
NAME_WEIGHT = 0.1  # times the rarity of the specific names two items share (`name_overlap`)
HAS_DIGIT = re.compile(r"\d")  # "31/7/2024", "32,6%", "07"
HAS_LETTER = re.compile(r"[^\W\d_]")  # "giải_ngân" yes; "," and "(" no
# A document number (Nghị định 30/2020/NĐ-CP, art. 15): "Nghị định số 15/2021/NĐ-CP", "12/KH-UBND"
DOCUMENT_NUMBER = re.compile(r"(?<![\w/])\d+(?:/\d{4})?/[A-ZĐ][\wĐđ]*(?:-[\wĐđ]+)+")
SYLLABLE = re.compile(r"([^\W_]+)")  # "Phường", "3", "UBND" of "UBND Phường 3"
ROMAN = re.compile(r"[IVXLC]+")  # "quý II/2024", "đô thị loại IV": a rank, not a name


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
    segmented = segment_all([canonical_text(t) for t in unique])
    return {t: _keep_words(words) for t, words in zip(unique, segmented, strict=True)}


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


def item_parts(texts: Sequence[str], fit_texts: Sequence[str] | None = None) -> ItemParts:
    """`vectorize` with its parts kept: the rows the pair model (`pairs`) reads its features from.

    Args:
        texts: the texts to represent.
        fit_texts: texts the IDF is learned from; defaults to `texts`.

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
    topic_of_text = {t: topic_of(t) for t in distinct_texts}
    problem = {t: problem_of(t) for t in distinct_texts} if OBJECT_WEIGHT or PROBLEM_WEIGHT else {}
    topics = [topic_of_text[t] for t in texts]
    combined = sp.csr_matrix(_with_topics(text, topics, [problem.get(t, ("", "")) for t in texts]))
    presence = words.copy()
    presence.data = np.ones_like(presence.data)
    unigram = np.fromiter((" " not in c for c in columns), dtype=bool, count=len(columns))
    presence = sp.csr_matrix(presence @ sp.diags(unigram.astype(np.float64)))
    presence.eliminate_zeros()
    n_words = np.diff(presence.indptr).astype(np.int64)
    names_of = {t: specific_names(t) for t in distinct_texts}
    return ItemParts(
        combined, sylls, words, emb, presence, n_words, topics, text, [names_of[t] for t in texts]
    )


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


def _noun_lines(path: Path) -> list[tuple[str, bool]]:
    """(noun, names a unit by a number) of a noun list: `noun` or `noun<TAB>số` lines, # comments."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].rstrip()
        if line.strip():
            noun, _, flag = line.partition("\t")
            out.append((unicodedata.normalize("NFC", noun).strip().casefold(), flag.strip() == "số"))
    return out


@dataclass(frozen=True)
class _NameNouns:
    """The common nouns `specific_names` steps over, by first syllable (longest first)."""

    by_first: dict[str, list[tuple[tuple[str, ...], bool, bool]]]  # (syllables, unit, takes a number)
    abbreviations: frozenset[str]


@lru_cache(maxsize=1)
def _name_nouns() -> _NameNouns:
    """Unit/body nouns (data/analysis/unit_nouns.txt), place nouns and issuer abbreviations, read once."""
    nouns: dict[tuple[str, ...], tuple[bool, bool]] = {}
    for noun, _ in _noun_lines(PLACE_NOUNS_PATH):
        nouns[tuple(noun.split())] = (False, True)  # a feature: "sông", "quốc lộ" (+ a number)
    for noun, numbered in _noun_lines(UNIT_NOUNS_PATH):
        key = tuple(noun.split())
        nouns[key] = (True, numbered or nouns.get(key, (False, False))[1])
    by_first: dict[str, list[tuple[tuple[str, ...], bool, bool]]] = {}
    for key, (unit, numbered) in nouns.items():
        by_first.setdefault(key[0], []).append((key, unit, numbered))
    for entries in by_first.values():
        entries.sort(key=lambda e: -len(e[0]))
    abbreviations = set()
    for path in ABBREVIATIONS_PATHS:
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.split("#", 1)[0].split("\t", 1)[0].strip()
            if line:
                abbreviations.add(_bare(line))
    return _NameNouns(by_first, frozenset(abbreviations))


def _bare(word: str) -> str:
    """A word in lower case without diacritics: "HĐND" -> "hdnd"."""
    decomposed = unicodedata.normalize("NFD", word.casefold().replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _is_abbreviation(word: str, dotted: bool, abbreviations: frozenset[str]) -> bool:
    """A listed abbreviation of a common noun in capitals or with its dot: "UBND", "HĐND", "Tp."."""
    return (word.isupper() or dotted) and _bare(word) in abbreviations


def specific_names(text: str) -> frozenset[str]:
    """Proper names and document numbers an item names: places, units, projects, legal texts.

    A name is a run of capitalised syllables inside a sentence (Vietnamese writes common nouns
    in lower case and capitalises every syllable of a place name; a unit's name from its first
    syllable, Nghị định 30/2020/NĐ-CP, Phụ lục II); the first word of a sentence, a lone
    letter and a Roman numeral are not names. The common noun that introduces a name is not
    part of it, whatever its case ("Sở", "Khoa", "UBND", "thành phố": data/analysis/
    unit_nouns.txt; "TP.", "UBND": common_abbreviations.txt; a feature noun of place_nouns.txt in
    lower case), and alone it is no name; a unit noun before a number names the unit with it
    ("Phường 3" -> "phường 3", "quốc lộ 14"). Document numbers are kept as printed.

    Args:
        text: an item text, NFC or NFD.

    Returns:
        The names in lower case ("chư sê", "hồi"), document numbers as printed.

    Examples:
        >>> sorted(specific_names("Tiến độ lập quy hoạch chung thị trấn Chư Sê vẫn ì ạch."))
        ['chư sê']
        >>> sorted(specific_names("Còn 09 hồ sơ quá thời hạn quy định tại Nghị định số 15/2021/NĐ-CP."))
        ['15/2021/NĐ-CP']
        >>> sorted(specific_names("UBND TP. Pleiku chưa xử lý dứt điểm vi phạm tại Phường 3."))
        ['phường 3', 'pleiku']
        >>> sorted(specific_names("Báo cáo quý II/2024 chưa tổng hợp được."))
        []
    """
    t = unicodedata.normalize("NFC", text)
    found = {m.group(0) for m in DOCUMENT_NUMBER.finditer(t)}
    if found:
        t = DOCUMENT_NUMBER.sub(" ", t)
    lexicon = _name_nouns()
    pieces = SYLLABLE.split(t)  # gap, syllable, gap, ..., syllable, tail
    words, gaps = pieces[1::2], pieces[0::2]  # gaps[k]: what precedes syllable k
    n = len(words)
    # `joined[k]`: only blanks between syllable k and k + 1 (one phrase)
    joined = [not g or g.isspace() for g in gaps[1:]]
    # kind of each syllable: "name" (capitalised), "noun" (a common noun introducing a name),
    # "abbreviation", "num", or "" (anything else)
    kind = [""] * n
    first = lexicon.by_first
    skip = -1  # syllables up to here belong to a noun already read
    for k in [k for k, w in enumerate(words) if w[0].isupper() or w in first]:
        if k <= skip:
            continue
        word = words[k]
        capital = word[0].isupper()
        entries = first.get(word.casefold() if capital else word)
        if entries:
            starts_run = capital and (k == 0 or not joined[k - 1] or kind[k - 1] != "name")
            match = _noun_at(words, joined, k, entries, capital, starts_run)
            if match:
                size, numbered = match
                kind[k : k + size] = ["noun"] * size
                if numbered:
                    found.add(" ".join(w.casefold() for w in words[k : k + size + 1]))
                    kind[k + size] = "num"
                    size += 1
                skip = k + size - 1
                continue
        if capital:
            dotted = gaps[k + 1][:1] == "."
            kind[k] = "abbreviation" if _is_abbreviation(word, dotted, lexicon.abbreviations) else "name"
    k = 0
    while k < n:
        if kind[k] != "name":
            k += 1
            continue
        j = k
        while j + 1 < n and joined[j] and kind[j + 1] == "name":
            j += 1
        run = words[k : j + 1]
        # "TP. Pleiku", "Sở Xây dựng": the name after a noun (its dot is no sentence end)
        introduced = k > 0 and (kind[k - 1] == "abbreviation" or (kind[k - 1] == "noun" and joined[k - 1]))
        if not introduced and _sentence_start(gaps[k], k == 0):
            run = run[1:]  # the first word of a sentence is capitalised whatever it is
        if len(run) > 1 or (run and len(run[0]) > 1 and not ROMAN.fullmatch(run[0])):
            found.add(" ".join(run).casefold())
        k = j + 1
    return frozenset(found)


def _noun_at(
    words: list[str],
    joined: list[bool],
    k: int,
    entries: list[tuple[tuple[str, ...], bool, bool]],
    capital: bool,
    starts_run: bool,
) -> tuple[int, bool] | None:
    """(syllables, names by a number) of the common noun at syllable k, or None.

    A noun in lower case is common; capitalised, a unit noun is common at the start of a run
    ("Sở Xây dựng", not "Hải Phòng"), a feature noun only before a number ("Quốc lộ 14", not
    "Hồ Chí Minh").
    """
    n = len(words)
    for key, unit, numbered in entries:
        size = len(key)
        if k + size > n or any(not joined[k + j] for j in range(size - 1)):
            continue
        if size > 1 and tuple(w.casefold() for w in words[k + 1 : k + size]) != key[1:]:
            continue
        if numbered and k + size < n and joined[k + size - 1] and words[k + size][0].isdigit():
            return size, True
        if not capital or (unit and starts_run):
            return size, False
    return None


def _sentence_start(gap: str, first: bool) -> bool:
    """Whether a syllable after `gap` opens a sentence: the text's start, or after . ; : ! ?"""
    stripped = gap.rstrip()
    return (first and not any(c.isalnum() for c in stripped)) or stripped[-1:] in (".", ";", ":", "!", "?")


def name_overlap(names: Sequence[frozenset[str]]) -> np.ndarray:
    """How specific the names two items share are, among these items (symmetric, >= 0).

    A name's weight is its IDF among the items, ln((1 + n) / (1 + df)), over ln(1 + n): a
    district named by two items of a hundred weighs ~0.8, the province's capital that every
    item names weighs 0. The pair's value is the sum of the weights of the names both name
    (a sum, not the largest: an inner product of name rows, so a cluster's mean is exact from
    its sums, `RecurrenceSimilarity`).

    Args:
        names: `specific_names` of each item of one comparison group (one issuer).

    Returns:
        An n x n float32 matrix, 0 on the diagonal.

    Examples:
        >>> m = name_overlap([frozenset({"chư sê", "pleiku"}), frozenset({"chư sê", "pleiku"}),
        ...                   frozenset({"pleiku"})])
        >>> round(float(m[0, 1]), 2), round(float(m[1, 2]), 2)
        (0.21, 0.0)
    """
    N = name_rows(names)
    out = np.asarray((N @ N.T).toarray(), dtype=np.float32)
    np.fill_diagonal(out, 0.0)
    return out


def name_rows(names: Sequence[frozenset[str]]) -> sp.csr_matrix:
    """One row per item, sqrt(weight) in the column of each name it shares with another item.

    The inner product of two rows is the `name_overlap` of the two items.
    """
    n = len(names)
    df: dict[str, int] = {}
    for row in names:
        for name in row:
            df[name] = df.get(name, 0) + 1
    column = {name: c for c, name in enumerate(sorted(name for name, k in df.items() if k > 1))}
    if not column or n < 2:
        return sp.csr_matrix((n, 1), dtype=np.float64)
    weight = np.zeros(len(column))
    for name, col in column.items():
        weight[col] = np.log((1.0 + n) / (1.0 + df[name])) / np.log(1.0 + n)
    pairs = [(k, column[name]) for k, row in enumerate(names) for name in row if name in column]
    r, c = (np.array(x, dtype=np.int64) for x in zip(*pairs, strict=True))
    return sp.csr_matrix((np.sqrt(weight[c]), (r, c)), shape=(n, len(column)))


class RecurrenceSimilarity:
    """`recurrence_matrix` of one comparison group, whole or block by block.

    Every part is an inner product but one: text rows, a one-hot topic scaled by
    sqrt(SAME + DIFFER), name rows scaled by sqrt(NAME_WEIGHT) (`name_rows`), minus DIFFER for
    two items that both have a topic. So an issuer with more limitations than fit in one dense
    matrix is linked on the same similarity: `edges` for single linkage, `total` and `dot` for
    exact average linkage (a cluster's mean similarity to another from the two sums).

    Examples:
        >>> parts = item_parts(["Đồ án quy hoạch chung đô thị Chư Sê chậm tiến độ.",
        ...     "Đơn vị tư vấn chưa hoàn thiện đồ án Chư Sê để trình thẩm định.",
        ...     "Giá vật liệu xây dựng tại Pleiku tăng cao."])
        >>> sim = RecurrenceSimilarity(parts, np.arange(3))
        >>> [(round(s, 2), i, j) for s, i, j in sim.edges(0.22)]
        [(0.38, 0, 1)]
    """

    def __init__(self, parts: ItemParts, rows: np.ndarray) -> None:
        X = sp.csr_matrix((parts.text if parts.text is not None else parts.combined)[rows])
        n = len(rows)
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
        if parts.names is not None and NAME_WEIGHT:
            blocks.append(name_rows([parts.names[k] for k in rows.tolist()]) * np.sqrt(NAME_WEIGHT))
        self.U = sp.csr_matrix(sp.hstack(blocks, format="csr"))
        self.n = n
        self._UT: sp.csc_matrix | None = None

    def block(self, lo: int, hi: int) -> np.ndarray:
        """Rows lo..hi of the group's similarity matrix (hi - lo x n float32)."""
        if self._UT is None:
            self._UT = self.U.T.tocsc()
        S = np.asarray((self.U[lo:hi] @ self._UT).toarray(), dtype=np.float32)
        h = self.has_topic.astype(np.float32)
        S -= np.float32(RECURRENCE_TOPIC_DIFFER) * np.outer(h[lo:hi], h)
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
        return _ClusterSum(self.U[k], float(self.has_topic[k]))

    def dot(self, a: _ClusterSum, b: _ClusterSum) -> float:
        """Sum of the similarities of every pair of an item of `a` and an item of `b`."""
        return float(a.rows.multiply(b.rows).sum()) - RECURRENCE_TOPIC_DIFFER * a.n_topic * b.n_topic


@dataclass
class _ClusterSum:
    """What exact average linkage keeps of a cluster under `RecurrenceSimilarity` (see `dot`)."""

    rows: sp.csr_matrix  # sum of the members' rows
    n_topic: float  # members with a topic

    def __add__(self, other: _ClusterSum) -> _ClusterSum:
        return _ClusterSum(self.rows + other.rows, self.n_topic + other.n_topic)


def recurrence_matrix(parts: ItemParts, rows: np.ndarray) -> np.ndarray:
    """Similarity of every pair of `rows` as `analysis.cluster_items` links limitations on.

    The text cosine (`ItemParts.text`), plus RECURRENCE_TOPIC_SAME when both items have one
    topic, minus RECURRENCE_TOPIC_DIFFER when both have topics that differ, plus NAME_WEIGHT x
    `name_overlap`. The topic only tips a pair whose wording is close to the threshold, so a
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
