"""Specifics of an item for the analyse stage's task_status: the proper names and counts it names.

Reads the non-name list of data/analysis/task_specifics.json and item texts; returns the
capitalised syllable pairs and counts with their noun two items may share (a village, a project,
17 households). Pure text functions: never reads a run's tables or writes a file.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import scipy.sparse as sp

from .config import DATA_DIR
from .parallel import map_texts
from .task_figures import _lower

SPECIFICS_PATH = DATA_DIR / "analysis" / "task_specifics.json"
NAME_BIGRAM = re.compile(r"(?<![\w-])([^\W\d_][\w-]*)(?=\s+([^\W\d_][\w-]*))")  # "Lùng Thắng", "Ất Tỵ"
# a count and its noun ("17 hộ", "03 vụ", "40/42 đơn vị"), not a date "10/8/2023", an amount "9,7 tỷ",
# a document number "số 118/QĐ-SKHĐT" or a percentage "87%"
COUNT = re.compile(r"(?<![\w/.,])(?:\d+/)?(\d+)(?![\w/.,%]|\s*%|[.,]\d)\s*([^\W\d_]+)?")
PREVIOUS_WORD = re.compile(r"(\w+)\s+$")  # "Lốc " before the "1" of "thôn Na Lốc 1"
DATE_BEFORE = re.compile(r"(?:ngày|tháng|năm|quý|số|mốc|hạn|đến|từ)\s*$")


@lru_cache(maxsize=1)
def _non_names() -> frozenset[str]:
    """First syllables of capitalised names that are bodies or documents (data/analysis/task_specifics.json)."""
    data = json.loads(SPECIFICS_PATH.read_text(encoding="utf-8"))
    return frozenset(_lower(w) for w in data["non_names"])


@lru_cache(maxsize=1 << 16)
def specifics(text: str) -> frozenset[str]:
    """The proper names (as capitalised syllable pairs) and counts with their noun of an item.

    Names say which village, project or event the work concerns; counts how many of what. A
    body's name ("Phòng Tài nguyên", "UBND tỉnh") and the first word of the text are no
    specifics; dates, years, document numbers, percentages and amounts with decimals are no counts.

    Args:
        text: an item text, NFC or NFD.

    Examples:
        >>> sorted(specifics("Còn 17 hộ ở thôn Lùng Thắng, Na Lốc 1 sống sát taluy dương chưa được di chuyển."))
        ['#17', '#17 hộ', 'lùng thắng', 'na lốc']
        >>> sorted(specifics("Giao Văn phòng - Thống kê xây dựng lịch trực Tết Nguyên đán Ất Tỵ trước ngày 20/01/2025."))
        ['tết nguyên', 'ất tỵ']
        >>> sorted(specifics("Việc giải thể hợp tác xã cơ bản hoàn thành, đã có 40/42 đơn vị được thu hồi giấy chứng nhận."))
        ['#42', '#42 đơn']
    """
    t = unicodedata.normalize("NFC", text)
    out = set()
    skip = _non_names()
    for m in NAME_BIGRAM.finditer(t):
        a, b = m.group(1), m.group(2)
        if m.start() == 0:
            continue
        if a[0].isupper() and b[0].isupper() and not a.isupper() and a.lower() not in skip:
            out.add(f"{a.lower()} {b.lower()}")
    for m in COUNT.finditer(t):
        if DATE_BEFORE.search(t[max(0, m.start() - 8) : m.start()].lower()) or _in_name(t, m.start()):
            continue  # "ngày 20/01", "số 118/QĐ", "thôn Na Lốc 1", "Quốc lộ 46"
        value = int(m.group(1))
        if value == 0 or 1900 <= value <= 2100:
            continue
        noun = (m.group(2) or "").lower()
        if value >= 10:
            out.add(f"#{value}")
        if noun:
            out.add(f"#{value} {noun}")
    return frozenset(out)


def _in_name(text: str, at: int) -> bool:
    """Whether the number at `at` ends a name: it follows a capitalised word inside a sentence."""
    m = PREVIOUS_WORD.search(text, max(0, at - 24), at)
    if m is None or not m.group(1)[0].isupper():
        return False
    before = text[: m.start(1)].rstrip()
    return bool(before) and before[-1] not in ".;:"


def _specifics_matrix(texts: Sequence[str]) -> sp.csr_matrix:
    """One binary row of `specifics` per text (shared specifics of two rows: their product > 0)."""
    keys: dict[str, int] = {}
    rows, cols = [], []
    for r, found in enumerate(map_texts(specifics, texts)):
        for key in found:
            rows.append(r)
            cols.append(keys.setdefault(key, len(keys)))
    return sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(texts), max(1, len(keys))))
