"""Closed lists of Nghị định 30/2020/NĐ-CP matched with OCR tolerance: type words, abbreviations, titles.

Reads data/metadata/closed_lists.json (document types of Phụ lục III, their abbreviations in the
number, the signer's quyền hạn and chức vụ) and matches a damaged line against them on its
diacritic-free letters with an edit-distance tolerance. Pure functions: never reads a document.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field

from rapidfuzz.distance import Levenshtein

from ..config import DATA_DIR
from .orthography import bare, is_syllable

NOT_LETTER = re.compile(r"[^A-Z]")  # what a letters key drops: spaces, marks, punctuation, digits
# The signer's quyền hạn before the title, on the bare upper-case line: "KT. GIÁM ĐỐC", "T/M BAN THƯỜNG VỤ",
# "KT.GIÁM ĐỐC", "TL CHỦ TỊCH" (OCR lost the dot)
SIGNER_PREFIX = re.compile(r"^\W*(TUQ|T\s*/\s*M|K\s*/\s*T|T\s*/\s*L|TM|KT|TL|Q)\s*(?:\.\s*|\s+)(?=\S)")
SPACES_IN_PREFIX = re.compile(r"\s+")  # "T / L" -> "T/L"
DASH_WORD = re.compile(r"[-–]")  # the "-" of "VĂN PHÒNG - THỐNG KÊ"
# A word that is stray ink, not a word: one letter, or no letter at all ("“ữ", "Ă", "-", "“")
STRAY_WORD = re.compile(r"^\W*(?:\w\W*)?$")


@dataclass(frozen=True)
class Entry:
    """A closed-list entry with its letters keys, computed once when the list is loaded."""

    text: str  # "GIÁM ĐỐC"
    key: str  # "GIAMDOC"
    parts: int  # words of the entry
    part_keys: tuple[str, ...]  # ("GIAM", "DOC")
    tolerance: int  # edit distance its key allows


@dataclass(frozen=True)
class ClosedLists:
    """The closed lists, with the letters key of every entry."""

    doc_types: tuple[str, ...]  # priority order
    abbreviations: dict[str, str]  # type (upper case) -> abbreviation ("QUYẾT ĐỊNH" -> "QĐ")
    prefixes: dict[str, str]  # letters key -> printed prefix ("KT" -> "KT.")
    printed_prefixes: frozenset[str]  # every spelling of the list ("T/L" as well as "TL.")
    signer_titles: tuple[str, ...]
    recipient_notes: tuple[str, ...] = ()  # "để b/c", "thực hiện"
    # key length -> (position in the list, entry) of the entries a key that long can be near
    type_by_length: dict[int, tuple[tuple[int, Entry], ...]] = field(default_factory=dict)
    title_by_length: dict[int, tuple[tuple[int, Entry], ...]] = field(default_factory=dict)
    title_entries: tuple[Entry, ...] = ()


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
    keys = [letters_key(w) for w in words]
    return _near("".join(keys), keys, entry_of(entry))


def _near(key: str, word_keys: list[str], entry: Entry) -> int | None:
    """`near` on the letters keys of the line (`key`, the keys of its words joined) and its words.

    The key of words joined by spaces is their keys joined: a space composes with no mark.
    """
    if abs(len(key) - len(entry.key)) > entry.tolerance:
        return None
    if key == entry.key:
        return 0
    if entry.parts != len(word_keys):  # words split or joined by stamp ink: a long entry's letters alone
        if len(entry.key) < 10:
            return None
        d = Levenshtein.distance(key, entry.key, score_cutoff=entry.tolerance)
        return d if d <= entry.tolerance else None
    total = 0
    for a, b in zip(word_keys, entry.part_keys, strict=True):
        allowed = 1 if len(b) >= 4 else 0
        d = Levenshtein.distance(a, b, score_cutoff=allowed)
        if d > allowed:
            return None
        total += d
    return total if total <= entry.tolerance else None


@functools.lru_cache(maxsize=1024)
def entry_of(text: str) -> Entry:
    """A list entry with its letters keys ("GIÁM ĐỐC" -> key "GIAMDOC", parts ("GIAM", "DOC")).

    Examples:
        >>> entry_of("GIÁM ĐỐC").part_keys, entry_of("THÔNG BÁO KẾT LUẬN").tolerance
        (('GIAM', 'DOC'), 2)
    """
    key = letters_key(text)
    parts = text.split()
    return Entry(text, key, len(parts), tuple(letters_key(p) for p in parts), tolerance(len(key)))


def _by_length(entries: tuple[Entry, ...]) -> dict[int, tuple[tuple[int, Entry], ...]]:
    """Key length -> the entries (with their position) whose key a key that long can be near."""
    longest = max((len(e.key) for e in entries), default=0)
    return {
        length: tuple((i, e) for i, e in enumerate(entries) if abs(length - len(e.key)) <= e.tolerance)
        for length in range(longest + 3)
    }


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
    doc_types, titles = tuple(raw["doc_types"]), tuple(raw["signer_titles"])
    title_entries = tuple(entry_of(t) for t in titles)
    return ClosedLists(
        doc_types=doc_types,
        abbreviations={str(k): str(v) for k, v in raw["type_abbreviations"].items()},
        prefixes=prefixes,
        printed_prefixes=frozenset(raw["signer_prefixes"]),
        signer_titles=titles,
        recipient_notes=tuple(raw.get("recipient_notes", ())),
        type_by_length=_by_length(tuple(entry_of(t) for t in doc_types)),
        title_by_length=_by_length(title_entries),
        title_entries=title_entries,
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
    word_keys = [letters_key(w) for w in words[:6]]
    best: tuple[int, int, int, int] | None = None
    for n in range(1, min(len(words), 6) + 1):
        if not word_keys[n - 1]:
            continue
        key = "".join(word_keys[:n])
        for priority, entry in lists.type_by_length.get(len(key), ()):
            d = _near(key, word_keys[:n], entry)
            if d is not None:
                cand = (d, -len(entry.key), priority, n)
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


@dataclass(frozen=True)
class TitleMatch:
    """A signature-block title line read against the closed list: its parts and the line to use."""

    prefix: str  # the quyền hạn as printed by the list ("KT."), or ""
    title: str  # the list's entry ("TRƯỞNG BAN")
    rest: list[str]  # the agency words after it, when they are syllables ("BAN", "CHÍNH", "SÁCH,")
    line: str  # the line to use: as printed when it is the list's own, else mended
    mended: bool


def deputy_title(title: str) -> str:
    """The deputy's title of a head's title (Nghị định 30/2020/NĐ-CP: "KT. X" is signed by "PHÓ X").

    Examples:
        >>> deputy_title("GIÁM ĐỐC"), deputy_title("TRƯỞNG BAN"), deputy_title("PHÓ CHỦ TỊCH")
        ('PHÓ GIÁM ĐỐC', 'PHÓ TRƯỞNG BAN', '')
    """
    if not title or title.startswith("PHÓ "):
        return ""
    deputy = f"PHÓ {title}"
    return deputy if deputy in closed_lists().signer_titles else ""


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
    found = read_signer_title(text)
    return (found.line, found.mended) if found else None


def read_signer_title(text: str) -> TitleMatch | None:
    """`match_signer_title` with the parts: quyền hạn, the list's title and the agency words.

    Words that are ink between the title's words ("CHANH ÁN: VĂN rĂ" PHÒNG": a seal's edge and
    its border read as letters) are skipped when every word of the title is still found in order.

    Examples:
        >>> m = read_signer_title("KT. TRƯỞNG BAN BAN CHÍNH SÁCH"); (m.prefix, m.title, m.rest)
        ('KT.', 'TRƯỞNG BAN', ['BAN', 'CHÍNH', 'SÁCH'])
        >>> read_signer_title('CHANH ÁN: VĂN rĂ" PHÒNG').line
        'CHÁNH VĂN PHÒNG'
    """
    lists = closed_lists()
    line = text.strip().rstrip(" .,;:…")
    prefix = ""
    m = SIGNER_PREFIX.match(bare(line).upper())
    if m:
        prefix = lists.prefixes.get(letters_key(m.group(1)), "")
        if not prefix:
            return None
        printed = SPACES_IN_PREFIX.sub("", m.group(1))
        if "/" in printed and printed in lists.printed_prefixes:
            prefix = printed  # the Party's "T/L", "T/M" as printed (Hướng dẫn 36-HD/VPTW), not "TL."
        body = line[m.end() :]
    else:
        body = line
    words = [w for w in body.split() if not STRAY_WORD.match(w)]
    # ink before the title: "s3 BH ÁNH VĂN PHÒNG" (a seal's edge read as "s3")
    while words[:1] and len(words) > 1 and (any(c.isdigit() for c in words[0]) or not words[0].isupper()):
        words = words[1:]
    word_keys = [letters_key(w) for w in words[:7]]
    best: tuple[int, int, int, int] | None = None
    for n in range(1, min(len(words), 7) + 1):
        key = "".join(word_keys[:n])
        for index, entry in lists.title_by_length.get(len(key), ()):
            d = _near(key, word_keys[:n], entry)
            if d is not None:
                cand = (d, -len(entry.key), index, n)
                best = cand if best is None or cand < best else best
    if best is None:
        skipped = _title_among_ink(words)
        if skipped is None:
            return None
        title = skipped
        return TitleMatch(prefix, title, [], " ".join([*([prefix] if prefix else []), title]), True)
    distance, _, index, n = best
    title = lists.signer_titles[index]
    rest = words[n:]
    # the agency the title heads: syllables and capital abbreviations ("THƯỜNG TRỰC HĐND")
    syllables = all(_word_or_abbreviation(w.strip(",.;:()")) for w in rest if w.strip(",.;:()"))
    kept = rest if syllables else []
    if not syllables:  # ink after the title's first words may hide a longer title ("CHANH ÁN: VĂN rĂ" PHÒNG")
        longer = _title_among_ink(words)
        if longer and len(letters_key(longer)) > len(letters_key(title)):
            return TitleMatch(prefix, longer, [], " ".join([*([prefix] if prefix else []), longer]), True)
    # a dash between two names of a post ("CÔNG CHỨC VĂN PHÒNG - THỐNG KÊ") is printed, not ink
    printed_words = [w for w in body.split() if not DASH_WORD.fullmatch(w)]
    as_printed = "".join(words[:n]) == title.replace(" ", "") and len(words) == len(printed_words)
    if distance == 0 and as_printed and syllables:
        return TitleMatch(prefix, title, kept, line, False)
    mended = " ".join([*([prefix] if prefix else []), title, *kept])
    return TitleMatch(prefix, title, kept, mended, True)


MAX_INK_WORDS = 2  # words of ink a seal can leave between a title's words


def _title_among_ink(words: list[str]) -> str | None:
    """The longest title of the list whose words are all found in order among `words`, each with
    its own letters (ink and edits together are too much damage to read: "CHANH H Á VĂN VÀ PHÒN
    ONG" is no title), with at most MAX_INK_WORDS short words of ink (three letters or fewer) between
    or after them; the line has nothing else."""
    keys = [letters_key(w) for w in words]
    best: tuple[int, str] | None = None
    for entry in closed_lists().title_entries:
        title, parts = entry.text, entry.part_keys
        if len(parts) < 2 or len(words) > len(parts) + MAX_INK_WORDS:
            continue
        ink, matched, ink_ok = 0, 0, True
        for word, key in zip(words, keys, strict=True):
            part = parts[matched] if matched < len(parts) else None
            if part is not None and key == part:
                matched += 1
            elif len(key) > 3 and is_syllable(word.strip(",.;:()\"'")):
                ink_ok = False  # a real word that is no part of the title
                break
            else:
                ink += 1
        if ink_ok and matched == len(parts) and ink <= MAX_INK_WORDS:
            size = len(entry.key)
            if best is None or size > best[0]:
                best = (size, title)
    return best[1] if best else None
