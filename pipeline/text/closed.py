"""Closed lists of Nghị định 30/2020/NĐ-CP matched with OCR tolerance: type words, abbreviations, titles.

Reads data/metadata/closed_lists.json (document types of Phụ lục III, their abbreviations in the
number, the signer's quyền hạn and chức vụ) and matches a damaged line against them on its
diacritic-free letters with an edit-distance tolerance. Pure functions: never reads a document.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from ..config import DATA_DIR
from .orthography import bare, is_syllable

NOT_LETTER = re.compile(r"[^A-Z]")  # what a letters key drops: spaces, marks, punctuation, digits
# The signer's quyền hạn before the title, on the bare upper-case line: "KT. GIÁM ĐỐC", "T/M BAN THƯỜNG VỤ",
# "KT.GIÁM ĐỐC", "TL CHỦ TỊCH" (OCR lost the dot)
SIGNER_PREFIX = re.compile(r"^\W*(TUQ|T\s*/\s*M|K\s*/\s*T|T\s*/\s*L|TM|KT|TL|Q)\s*(?:\.\s*|\s+)(?=\S)")
# A word that is stray ink, not a word: one letter, or no letter at all ("“ữ", "Ă", "-", "“")
STRAY_WORD = re.compile(r"^\W*(?:\w\W*)?$")


@dataclass(frozen=True)
class ClosedLists:
    """The closed lists, with the letters key of every entry."""

    doc_types: tuple[str, ...]  # priority order
    abbreviations: dict[str, str]  # type (upper case) -> abbreviation ("QUYẾT ĐỊNH" -> "QĐ")
    prefixes: dict[str, str]  # letters key -> printed prefix ("KT" -> "KT.")
    signer_titles: tuple[str, ...]


@dataclass(frozen=True)
class TypeMatch:
    """A type word found at the start of a line: the canonical type, the rest, and the edit distance."""

    doc_type: str
    rest: str
    distance: int


def letters_key(text: str) -> str:
    """The upper-case letters of `text` without diacritics, spaces or punctuation.

    Examples:
        >>> letters_key("THÔNG BÁO"), letters_key("THONGBAo"), letters_key("CHU-“TỊCH")
        ('THONGBAO', 'THONGBAO', 'CHUTICH')
    """
    return NOT_LETTER.sub("", bare(text).upper())


def near(words: list[str], entry: str) -> int | None:
    """Edit distance of `words` to a list entry, or None when OCR damage cannot explain it.

    Equal letters match whatever the spacing ("THONGBAo", "NHANDAN"); otherwise the words pair
    with the entry's words, each at most one edit away and only when it has four letters or
    more, within the entry's `tolerance`: "GLÁM ĐÓC" is GIÁM ĐỐC, "CÔNG AN" is not CÔNG VĂN.

    Examples:
        >>> near(["GLÁM", "ĐÓC"], "GIÁM ĐỐC"), near(["CÔNG", "AN"], "CÔNG VĂN"), near(["THONGBAo"], "THÔNG BÁO")
        (1, None, 0)
    """
    key, entry_key = letters_key(" ".join(words)), letters_key(entry)
    if key == entry_key:
        return 0
    parts = entry.split()
    if abs(len(key) - len(entry_key)) > tolerance(len(entry_key)):
        return None
    if len(parts) != len(words):  # words split or joined by stamp ink: a long entry's letters alone
        d = Levenshtein.distance(key, entry_key)
        return d if len(entry_key) >= 10 and d <= tolerance(len(entry_key)) else None
    total = 0
    for word, part in zip(words, parts, strict=True):
        a, b = letters_key(word), letters_key(part)
        d = Levenshtein.distance(a, b)
        if d > (1 if len(b) >= 4 else 0):
            return None
        total += d
    return total if total <= tolerance(len(entry_key)) else None


def tolerance(length: int) -> int:
    """Edit distance allowed for a key of `length` letters: none up to 5, one up to 9, else two.

    Examples:
        >>> tolerance(4), tolerance(8), tolerance(15)
        (0, 1, 2)
    """
    return 0 if length <= 5 else 1 if length <= 9 else 2


@functools.lru_cache(maxsize=1)
def closed_lists() -> ClosedLists:
    """Load data/metadata/closed_lists.json once per process."""
    raw = json.loads((DATA_DIR / "metadata" / "closed_lists.json").read_text(encoding="utf-8"))
    prefixes: dict[str, str] = {}
    for p in raw["signer_prefixes"]:  # the first spelling of a prefix is the one printed
        prefixes.setdefault(letters_key(p), p)
    return ClosedLists(
        doc_types=tuple(raw["doc_types"]),
        abbreviations={str(k): str(v) for k, v in raw["type_abbreviations"].items()},
        prefixes=prefixes,
        signer_titles=tuple(raw["signer_titles"]),
    )


def match_doc_type(text: str, *, truncated: bool = False) -> TypeMatch | None:
    """The document type a line starts with, read on its letters with OCR tolerance.

    Exact letters win over near ones, then the longer type ("THÔNG BÁO KẾT LUẬN" over "THÔNG
    BÁO"), then the list's order. With `truncated`, a line that is only the first word of a
    type ("THÔNG", the rest lost under a stamp) gives the first type in the list it begins.

    Examples:
        >>> match_doc_type("THONGBAo").doc_type
        'THÔNG BÁO'
        >>> m = match_doc_type("LỊCH CÔNG TÁC TUẦN THỨ 24 - NĂM 2019"); (m.doc_type, m.rest)
        ('LỊCH CÔNG TÁC', 'TUẦN THỨ 24 - NĂM 2019')
        >>> match_doc_type("QUYÉT ĐINH").doc_type, match_doc_type("ĐOÀN THANH TRA")
        ('QUYẾT ĐỊNH', None)
        >>> match_doc_type("THÔNG", truncated=True).doc_type
        'THÔNG BÁO'
    """
    lists = closed_lists()
    words = text.split()
    best: tuple[int, int, int, int] | None = None
    for n in range(1, min(len(words), 6) + 1):
        if not letters_key(words[n - 1]):
            continue
        for priority, doc_type in enumerate(lists.doc_types):
            d = near(words[:n], doc_type)
            if d is not None:
                cand = (d, -len(letters_key(doc_type)), priority, n)
                best = cand if best is None or cand < best else best
    if best is not None:
        return TypeMatch(lists.doc_types[best[2]], " ".join(words[best[3] :]), best[0])
    if truncated and len(words) == 1 and len(letters_key(words[0])) >= 4:
        key = letters_key(words[0])
        begun = [t for t in lists.doc_types if letters_key(t.split()[0]) == key]
        if begun:
            return TypeMatch(min(begun, key=lambda t: len(t.split())), "", 1)
    return None


def type_abbreviation(doc_type: str) -> str:
    """The abbreviation a type takes in the number ("Quyết định" -> "QĐ"), "" for none.

    Examples:
        >>> type_abbreviation("Tờ trình"), type_abbreviation("")
        ('TTr', '')
    """
    return closed_lists().abbreviations.get(doc_type.upper(), "")


def mend_abbreviation(segment: str, doc_type: str) -> str:
    """A number's type abbreviation one OCR edit away from the one its type word takes, mended.

    Examples:
        >>> mend_abbreviation("TIr", "Tờ trình"), mend_abbreviation("QĐĐ", "Quyết định")
        ('TTr', 'QĐ')
        >>> mend_abbreviation("UBND", "Công văn"), mend_abbreviation("TB", "Thông báo")
        ('UBND', 'TB')
    """
    expected = type_abbreviation(doc_type)
    if not expected or segment == expected:
        return segment
    if Levenshtein.distance(letters_key(segment), letters_key(expected)) <= 1 and len(segment) >= 2:
        return expected
    return segment


def _word_or_abbreviation(word: str) -> bool:
    """A Vietnamese syllable ("THUẾ") or a capital abbreviation ("HĐND", "UBND"), not ink ("TC4")."""
    return is_syllable(word) or (len(word) >= 2 and word.isalpha() and word.isupper())


def match_signer_title(text: str) -> tuple[str, bool] | None:
    """A signature-block title line read against the closed list of signer titles.

    The quyền hạn ("KT.", "TL.", "TM.", "Q.", "TUQ.") is split off, stray one-letter ink dropped,
    and the title matched on its letters with OCR tolerance; words after it (the agency the
    title heads) are kept when they are Vietnamese syllables.

    Returns:
        (the line to use, whether it was mended), or None when no title of the list fits. A line
        whose letters are the entry's own is kept as printed ("KT.GIÁM ĐỐC").

    Examples:
        >>> match_signer_title("KT.GIÁM ĐỐC"), match_signer_title("TM. THƯỜNG TRỰC HĐND")
        (('KT.GIÁM ĐỐC', False), ('TM. THƯỜNG TRỰC HĐND', False))
        >>> match_signer_title("CHANH Á VAN Ă PHONG")
        ('CHÁNH VĂN PHÒNG', True)
        >>> match_signer_title("TM. UY BAN NHANDAN")
        ('TM. ỦY BAN NHÂN DÂN', True)
        >>> match_signer_title("“ữ GLÁM ĐÓC")
        ('GIÁM ĐỐC', True)
        >>> match_signer_title("TC LẢ") is None, match_signer_title("s3 BH ÁNH VĂN PHÒNG")
        (True, ('CHÁNH VĂN PHÒNG', True))
    """
    lists = closed_lists()
    line = text.strip().rstrip(" .,;:…")
    prefix = ""
    m = SIGNER_PREFIX.match(bare(line).upper())
    if m:
        prefix = lists.prefixes.get(letters_key(m.group(1)), "")
        if not prefix:
            return None
        body = line[m.end() :]
    else:
        body = line
    words = [w for w in body.split() if not STRAY_WORD.match(w)]
    # ink before the title: "s3 BH ÁNH VĂN PHÒNG" (a seal's edge read as "s3")
    while words[:1] and len(words) > 1 and (any(c.isdigit() for c in words[0]) or not words[0].isupper()):
        words = words[1:]
    best: tuple[int, int, int, int] | None = None
    for n in range(1, min(len(words), 7) + 1):
        for index, title in enumerate(lists.signer_titles):
            d = near(words[:n], title)
            if d is not None:
                cand = (d, -len(letters_key(title)), index, n)
                best = cand if best is None or cand < best else best
    if best is None:
        return None
    distance, _, index, n = best
    title = lists.signer_titles[index]
    rest = words[n:]
    # the agency the title heads: syllables and capital abbreviations ("THƯỜNG TRỰC HĐND")
    syllables = all(_word_or_abbreviation(w.strip(",.;:()")) for w in rest if w.strip(",.;:()"))
    as_printed = "".join(words[:n]) == title.replace(" ", "") and len(words) == len(body.split())
    if distance == 0 and as_printed and syllables:
        return line, False
    mended = " ".join([*([prefix] if prefix else []), title, *(rest if syllables else [])])
    return mended, True
