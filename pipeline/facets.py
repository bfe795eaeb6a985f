"""Failure facets of limitations for the analyse stage: what goes wrong, apart from what it is about.

Reads an item text and the lexicon data/analysis/facets.json; returns its problem clause (lead-in,
cause and consequence clauses cut off) and the facets that clause names (late, short of a target,
written wrong, broken the rules, ...), and one-hot rows with a penalty table that say what two
items with incompatible facets lose. Pure text functions: no DataFrames, no files of a run.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import scipy.sparse as sp

from .config import DATA_DIR
from .text.orthography import fold
from .topics import _alternation

FACETS_PATH = DATA_DIR / "analysis" / "facets.json"
LEAD_CLAUSE_MAX = 120  # characters of a circumstance lead-in ("Qua kiểm tra tại …,") before its comma
SPACES = re.compile(r"\s+")
CLAUSE_MIN = 12  # characters a problem clause keeps at least (else the whole text stands)
NEUTRAL = (
    "none"  # terms of facets.json that hold a facet word but name a field ("xử phạt vi phạm hành chính")
)
NOT_YET = re.compile(r"(?<!\w)chưa(?!\w)")  # "chưa phát dọn": a clause with no facet term but "chưa"
NOT_YET_FACET = "delay"
# Facets that, when a clause names them, are what it is about: the other facets it names describe
# the same failure ("hồ sơ còn thiếu biên bản, phải trả lại" is a dossier made wrong, not a
# shortfall). Empty: every facet named counts.
DOMINANT: frozenset[str] = frozenset({"error"})
# Connectives that open a limitation without saying anything of it: "Tuy nhiên, việc giải ngân …"
CONNECTIVES = ("tuy nhiên", "bên cạnh đó", "ngoài ra", "mặt khác", "đồng thời", "song", "nhưng", "tuy vậy",
               "mặc dù vậy")  # fmt: skip


@dataclass(frozen=True)
class _Lexicon:
    """facets.json compiled: one pattern of every term, term -> facet, facet -> groups, cut patterns."""

    terms: re.Pattern[str]
    facet_of: dict[str, str]
    incompatible: frozenset[tuple[str, str]]  # (a, b) and (b, a) of every pair listed
    lead: re.Pattern[str]
    cut: re.Pattern[str]


def _words(terms: Sequence[str]) -> str:
    """Terms as one alternation (a trie, `topics._alternation`: the longer term first at a position)."""
    return _alternation(sorted({_lower(t) for t in terms}))


def _lower(text: str) -> str:
    """NFC lower case, one tone placement, one space between words."""
    return SPACES.sub(" ", fold(unicodedata.normalize("NFC", text)).lower()).strip()


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    """data/analysis/facets.json, read and compiled once per process."""
    data = json.loads(FACETS_PATH.read_text(encoding="utf-8"))
    facet_of = {_lower(t): facet for facet, terms in data["terms"].items() for t in terms}
    incompatible = {(a, b) for a, b in data["incompatible"]} | {(b, a) for a, b in data["incompatible"]}
    connectives = _words(CONNECTIVES)
    circumstances = _words(data["lead_ins"])
    # "Tuy nhiên, …" drops the connective; "Qua kiểm tra tại huyện Ba Tri, có 14 …" the whole clause
    lead = re.compile(
        rf"^(?:(?:{connectives})\s*,?\s*)?(?:(?:{circumstances})(?!\w)[^,;]{{0,{LEAD_CLAUSE_MAX}}},\s*"
        rf"|(?:{connectives})(?!\w)\s*,?\s*)?"
    )
    # ", do lực lượng tuần tra mỏng" / "; nguyên nhân …" / ", gây bức xúc …": a cause or consequence
    cues = _words([*data["cause_cues"], *data["consequence_cues"]])
    cut = re.compile(rf"[,;:(]\s*(?:{cues})(?!\w)|(?<!\w)nguyên\s+nhân(?!\w)")
    return _Lexicon(
        terms=re.compile(rf"(?<!\w)(?:{_words(list(facet_of))})(?!\w)"),
        facet_of=facet_of,
        incompatible=frozenset(incompatible),
        lead=lead,
        cut=cut,
    )


def problem_clause(text: str) -> str:
    """The part of a limitation that names the problem: lead-in, cause and consequence cut off.

    A conclusion's limitation often opens with a connective or the circumstance it was found in
    ("Tuy nhiên,", "Qua kiểm tra tại huyện …,") and ends with why it happened (", do …",
    "nguyên nhân …") or what it leads to (", gây …", ", ảnh hưởng đến …"): neither is the problem,
    and two problems of one office share them.

    Args:
        text: an item text, NFC or NFD.

    Returns:
        The clause as written (NFC, one space between words); the whole text when nothing is cut
        or too little would be left.

    Examples:
        >>> problem_clause("Phát rừng làm rẫy ở tiểu khu 816 vẫn xảy ra, do lực lượng tuần tra mỏng.")
        'Phát rừng làm rẫy ở tiểu khu 816 vẫn xảy ra'
        >>> problem_clause("Cũng qua kiểm tra tại huyện Ba Tri, có 14 quyết định xử phạt ban hành không đúng thẩm quyền.")
        'có 14 quyết định xử phạt ban hành không đúng thẩm quyền.'
        >>> problem_clause("Tuy nhiên, việc giải ngân vốn đầu tư công còn chậm, gây ảnh hưởng đến tăng trưởng.")
        'việc giải ngân vốn đầu tư công còn chậm'
    """
    norm = SPACES.sub(" ", fold(unicodedata.normalize("NFC", text))).strip()
    low = norm.lower()
    if len(low) != len(norm):  # a letter whose lower case is longer: compare on the lower case
        norm = low
    lex = _lexicon()
    start = lex.lead.match(low).end()  # type: ignore[union-attr]  # the pattern matches "" at least
    m = lex.cut.search(low, start)
    end = m.start() if m else len(low)
    clause = norm[start:end].strip()
    return clause if len(clause) >= CLAUSE_MIN else norm


def facets_of(text: str) -> frozenset[str]:
    """The failure facets a limitation's problem clause names (data/analysis/facets.json).

    Examples:
        >>> sorted(facets_of("Công tác số hóa sổ hộ tịch triển khai chậm, mới đạt 38% dữ liệu."))
        ['delay', 'shortfall']
        >>> sorted(facets_of("Phát hiện 27 trường hợp ghi sai ngày sinh trong sổ hộ tịch."))
        ['error']
        >>> sorted(facets_of("Số liệu thiếu chính xác, do thiếu cán bộ."))
        ['error']
    """
    lex = _lexicon()
    clause = problem_clause(text).lower()
    found = {lex.facet_of[SPACES.sub(" ", m.group(0))] for m in lex.terms.finditer(clause)} - {NEUTRAL}
    if not found and NOT_YET.search(clause):
        found.add(NOT_YET_FACET)  # "đường ranh cản lửa chưa phát dọn": left undone
    marked = found & set(DOMINANT)
    return frozenset(marked or found)


def compatible(a: frozenset[str], b: frozenset[str]) -> bool:
    """Whether two facet sets can name one problem: one is empty, or some pair is not incompatible.

    Examples:
        >>> compatible(frozenset({"delay"}), frozenset({"shortfall"}))
        True
        >>> compatible(frozenset({"delay"}), frozenset({"error"}))
        False
        >>> compatible(frozenset({"delay", "error"}), frozenset({"error"})), compatible(frozenset(), frozenset({"error"}))
        (True, True)
    """
    if not a or not b:
        return True
    incompatible = _lexicon().incompatible
    return any((x, y) not in incompatible for x in a for y in b)


def facet_penalty(facets: Sequence[frozenset[str]], weight: float) -> tuple[sp.csr_matrix, np.ndarray]:
    """(one-hot rows of each item's facet set, penalty between sets): what two items lose.

    The penalty of items i and j is `onehot[i] @ P @ onehot[j]`: `weight` when both name facets and no
    facet of one is compatible with a facet of the other (`compatible`), else 0. Kept as a
    product so a cluster's members can be summed (`similarity.RecurrenceSimilarity.dot`).

    Examples:
        >>> onehot, P = facet_penalty([frozenset({"delay"}), frozenset({"shortfall"}), frozenset({"error"}), frozenset()], 0.1)
        >>> (onehot @ P @ onehot.T).round(2).tolist()[0]
        [0.0, 0.0, 0.1, 0.0]
    """
    sets = sorted({fs for fs in facets if fs}, key=sorted)
    column = {fs: c for c, fs in enumerate(sets)}
    rows = [k for k, fs in enumerate(facets) if fs]
    onehot = sp.csr_matrix(
        (np.ones(len(rows)), (rows, [column[facets[k]] for k in rows])),
        shape=(len(facets), max(len(sets), 1)),
    )
    P = np.zeros((max(len(sets), 1), max(len(sets), 1)))
    for a, fa in enumerate(sets):
        for b, fb in enumerate(sets):
            P[a, b] = 0.0 if compatible(fa, fb) else weight
    return onehot, P
