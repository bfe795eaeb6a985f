"""Specific names of item texts for the analyse stage: places, projects, units, document numbers.

Reads an item text; returns the names it holds ("Chư Sê", "hồi sức cấp cứu", "15/2021/NĐ-CP") and
rows weighting the names two items share by their rarity among a group's items. Never reads a file
other than its noun and abbreviation lists in data/analysis.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from .config import DATA_DIR

UNIT_NOUNS_PATH = DATA_DIR / "analysis" / "unit_nouns.txt"
PLACE_NOUNS_PATH = DATA_DIR / "analysis" / "place_nouns.txt"
ABBREVIATIONS_PATHS = (
    DATA_DIR / "analysis" / "common_abbreviations.txt",
    DATA_DIR / "analysis" / "issuer_abbreviations.tsv",
)
# A document number (Nghị định 30/2020/NĐ-CP, art. 15): "Nghị định số 15/2021/NĐ-CP", "12/KH-UBND"
DOCUMENT_NUMBER = re.compile(r"(?<![\w/])\d+(?:/\d{4})?/[A-ZĐ][\wĐđ]*(?:-[\wĐđ]+)+")
SYLLABLE = re.compile(r"([^\W_]+)")  # "Phường", "3", "UBND" of "UBND Phường 3"
ROMAN = re.compile(r"[IVXLC]+")  # "quý II/2024", "đô thị loại IV": a rank, not a name


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
