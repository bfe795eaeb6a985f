"""Normalize stage, OCR lines only: restore Vietnamese diacritics that OCR dropped or confused.

Reads one normalized line of OCR text; returns it with words and phrases whose diacritic-free
form matches exactly one lexicon entry rewritten with that entry's marks ("PHO CHU TỊCH" ->
"PHÓ CHỦ TỊCH"). Never adds, removes or moves a letter, never touches digits or punctuation, and
is never applied to text-layer, DOCX or plain-text lines.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import pickle
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .config import CACHE_DIR, DATA_DIR
from .text.canonical import normalize_text
from .text.orthography import TONE_MARKS, bare, is_syllable

VOCABULARY_FILE = DATA_DIR / "lexicon" / "ocr_vocabulary.txt"
# The code that writes the lexicon entries' canonical forms: a change to it rebuilds the cached lexicon.
TEXT_CODE = tuple(
    Path(__file__).with_name("text") / name for name in ("canonical.py", "orthography.py", "legacy.py")
)
ABBREVIATIONS_FILE = DATA_DIR / "lexicon" / "ocr_abbreviations.txt"
# A letter, "/", a letter (or a sign OCR puts for one), standing alone: "(b/€)", "Đ/c", "V/v".
ABBREVIATION = re.compile(r"(?<![^\W_])([^\W\d_])/([^\W\d_]|[€©¢])(?![^\W_])")  # "UBND tỉnh (b/€)"
# What OCR reads for a letter of an abbreviation: "c" as "€", "e", "©", "¢" or "o"; "đ" as "d".
ABBREV_CONFUSIONS: dict[str, tuple[str, ...]] = {
    "€": ("c",),
    "e": ("c",),
    "©": ("c",),
    "¢": ("c",),
    "o": ("c",),
    "d": ("đ",),
}
LEXICON_CACHE_FORMAT = 1  # raise when the Lexicon class changes shape
MAX_PHRASE_WORDS = 8  # "cộng hòa xã hội chủ nghĩa việt nam" has 7

# A word: letters with their marks, no digits.  # "TỊCH" in "PHO CHU TỊCH"
WORD = re.compile(r"[^\W\d_]+")
# A space-delimited token that is one word between punctuation.  # "(Quyêt", "CHU", "TỊCH;"
TOKEN = re.compile(r"(?P<lead>[(\[\"'“‘]*)(?P<word>[^\W\d_]+)(?P<trail>[)\]\"'”’.,;:!?…]*)")
SPACES = re.compile(r"\S+")  # tokens of a line: "Lưu:", "w47_xi_nghiep", "PHO"
# A lexicon entry: letters, spaces and in-word hyphens only.  # "phó chủ tịch", "a-dốt"
ENTRY = re.compile(r"^[^\W\d_]+(?:[ -][^\W\d_]+)*$")
# A district or province name after its level word.  # "Huyện Hoằng Hóa" -> "Hoằng Hóa"
ADMIN_PREFIX = re.compile(r"^(?:Tỉnh|Thành phố|Huyện|Quận|Thị xã)\s+(?=\D)")
# Costs of cutting a run of OCR words into segments (_correct_run).
WORD_COST = 1.0  # a word not inside a phrase entry
UNKNOWN_COST = 2.0  # a word that is no entry at all ("xuât")
CHANGE_COST = 0.6  # each word whose marks a correction changes

LETTER = re.compile(r".[\u0300-\u036f]*")  # one NFD letter and its marks: "ờ" = "o" + horn + grave


@dataclass(frozen=True)
class Lexicon:
    """Entries by their diacritic-free key; entries are lowercase, NFC, old tone style.

    `phrases` maps "pho chu tich" to ("phó chủ tịch",); `forms` holds every entry, so a
    window already spelled as an entry is left alone; `proper` holds the entries seen only
    capitalized (place names), matched only against capitalized OCR words; `strong` holds the
    entries of the administrative vocabulary, the only ones that may change a word that is
    itself an entry ("CHU" -> "CHỦ" in "PHO CHU TỊCH").
    """

    phrases: dict[str, tuple[str, ...]]
    forms: frozenset[str]
    proper: frozenset[str]
    strong: frozenset[str]
    longest: int


def build_lexicon(entries: list[str], strong: list[str] | None = None) -> Lexicon:
    """Index lexicon entries (words or phrases with diacritics) by their diacritic-free key.

    Args:
        entries: e.g. ["phó chủ tịch", "Quảng Ngãi"]; an entry written capitalized and never
            in lowercase is a proper name.
        strong: entries trusted to change a valid word (the administrative vocabulary);
            None makes every entry strong.

    Returns:
        The Lexicon.

    Examples:
        >>> build_lexicon(["phó chủ tịch", "Quảng Ngãi"]).phrases["quang ngai"]
        ('quảng ngãi',)
    """
    by_key: dict[str, set[str]] = {}
    capitalized: set[str] = set()
    lowercase: set[str] = set()
    longest = 1
    strong_forms = {_canonical(" ".join(e.split())) for e in (entries if strong is None else strong)}
    for raw in entries + (strong or []):
        entry = " ".join(unicodedata.normalize("NFC", raw).split())
        if not ENTRY.match(entry):
            continue
        form = _canonical(entry)
        (capitalized if entry[0].isupper() and not entry.isupper() else lowercase).add(form)
        by_key.setdefault(bare(form, key=True), set()).add(form)
        longest = max(longest, len(WORD.findall(form)))
    return Lexicon(
        phrases={key: tuple(sorted(forms)) for key, forms in by_key.items()},
        forms=frozenset(lowercase | capitalized),
        proper=frozenset(capitalized - lowercase),
        strong=frozenset(strong_forms),
        longest=min(longest, MAX_PHRASE_WORDS),
    )


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    """data/lexicon/ocr_vocabulary.txt, plus underthesea's Viet74K words and place names.

    underthesea's files are read from the installed package (no import, no download); when it
    is missing only the project's vocabulary is used. Building takes about 3 s (every entry is
    normalized), so the result is kept in CACHE_DIR under a key of its sources' bytes and of
    the code that normalizes them; each worker process then loads it in a fraction of that.
    """
    package = _underthesea_dir()
    words = package / "corpus" / "data" / "Viet74K.txt" if package is not None else None
    places = package / "address" / "data" / "mapping.json" if package is not None else None
    sources = [VOCABULARY_FILE, Path(__file__), *TEXT_CODE, words, places]
    cache = CACHE_DIR / f"ocr_lexicon-{_sources_key(sources)}.pickle"
    cached = _load_lexicon(cache)
    if cached is not None:
        return cached
    entries: list[str] = []
    if words is not None and words.is_file():
        entries += _read_list(words)
    if places is not None:
        entries += _place_names(places)
    lexicon = build_lexicon(entries, strong=_read_list(VOCABULARY_FILE))
    _store_lexicon(cache, lexicon)
    return lexicon


def _sources_key(paths: list[Path | None]) -> str:
    """A digest of the files a cached lexicon is built from (a missing file counts as missing)."""
    digest = hashlib.sha256(f"lexicon-format-{LEXICON_CACHE_FORMAT}".encode())
    for path in paths:
        digest.update(b"\0" + (path.name.encode() if path is not None else b"-") + b"\0")
        if path is not None and path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:20]


def _load_lexicon(path: Path) -> Lexicon | None:
    """The cached lexicon, or None when there is none or it cannot be read (it is rebuilt)."""
    try:
        with path.open("rb") as fh:
            lexicon = pickle.load(fh)
    except Exception:  # missing, truncated, written by another version: rebuild
        return None
    return lexicon if isinstance(lexicon, Lexicon) else None


def _store_lexicon(path: Path, lexicon: Lexicon) -> None:
    """Write the cache atomically (parallel workers may race) and drop caches of older sources.

    A cache folder that cannot be written only costs the build time again in the next process.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".ocr_lexicon-", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(lexicon, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        finally:
            Path(tmp).unlink(missing_ok=True)
        for old in path.parent.glob("ocr_lexicon-*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        return


def correct_line(text: str, lexicon: Lexicon | None = None) -> str:
    """Restore diacritics in one OCR line where the lexicon leaves no doubt.

    Phrases first, longest first: a run of words joined by spaces whose diacritic-free form
    is exactly one entry, and that is not itself spelled as an entry, takes that entry's
    marks; the case of every letter is kept. A single word is rewritten only when it is no
    entry as it stands and exactly one entry keeps the marks it shows ("xuât" -> "xuất"), so
    an ambiguous syllable ("ma": má, mà, mã, mạ) is only fixed inside a phrase.

    Args:
        text: one line of OCR text (NFC or NFD).
        lexicon: the lexicon; None for `default_lexicon()`.

    Returns:
        The line, NFC, letters' marks corrected; same length as its NFC form.

    Examples:
        >>> correct_line("KT. CHỦ TỊCH / PHO CHU TỊCH")
        'KT. CHỦ TỊCH / PHÓ CHỦ TỊCH'
        >>> correct_line("KÉT QUÁ THỤC HIỆN NHIỆM VỤ")
        'KẾT QUẢ THỰC HIỆN NHIỆM VỤ'
        >>> correct_line("mã số thuế")
        'mã số thuế'
    """
    text = unicodedata.normalize("NFC", text)
    lex = lexicon if lexicon is not None else default_lexicon()
    out = list(text)
    for run in _runs(text):
        for k, replacement in _correct_run([text[a:b] for a, b in run], lex):
            a, b = run[k]
            if len(replacement) == b - a:
                out[a:b] = list(replacement)
    return correct_abbreviations("".join(out))


def correct_abbreviations(text: str) -> str:
    """Slash abbreviations of administrative text that OCR misread by one letter.

    "(b/€)" -> "(b/c)" (báo cáo), "d/c" -> "đ/c" (đồng chí): a letter-slash-letter token that is
    no abbreviation of `data/lexicon/ocr_abbreviations.txt` becomes the one abbreviation that a
    single known OCR confusion of one of its letters gives; anything else is left as read.

    Examples:
        >>> correct_abbreviations("- UBND tỉnh (b/€);")
        '- UBND tỉnh (b/c);'
        >>> correct_abbreviations("- D/c Chủ tịch UBND huyện (để b/c);")
        '- Đ/c Chủ tịch UBND huyện (để b/c);'
        >>> correct_abbreviations("tỷ lệ 3/4 số xã")
        'tỷ lệ 3/4 số xã'
    """
    known = _abbreviations()

    def fix(m: re.Match[str]) -> str:
        first, second = m.group(1), m.group(2)
        if f"{first}/{second}".lower() in known:
            return m.group(0)
        found = set()
        for a, b in ((first, second), *((alt, second) for alt in ABBREV_CONFUSIONS.get(first.lower(), ())),
                     *((first, alt) for alt in ABBREV_CONFUSIONS.get(second.lower(), ()))):  # fmt: skip
            if f"{a}/{b}".lower() in known and (a, b) != (first, second):
                found.add((a.upper() if first.isupper() else a, b.upper() if second.isupper() else b))
        if len(found) != 1:
            return m.group(0)
        a, b = found.pop()
        return f"{a}/{b}"

    return ABBREVIATION.sub(fix, text)


@lru_cache(maxsize=1)
def _abbreviations() -> frozenset[str]:
    """The slash abbreviations, lower case ("b/c", "đ/c", "v/v")."""
    return frozenset(unicodedata.normalize("NFC", w).lower() for w in _read_list(ABBREVIATIONS_FILE))


# ---------------------------------------------------------------- internals


def _runs(text: str) -> list[list[tuple[int, int]]]:
    """Spans of the words of a line, grouped into runs a phrase may span.

    Only a space-delimited token that is one word with punctuation around it counts
    ("w47_xi_nghiep" or "KT-XH" do not); punctuation ends a run ("KT. CHU": two runs).
    """
    runs: list[list[tuple[int, int]]] = []
    joined = False
    for token in SPACES.finditer(text):
        m = TOKEN.fullmatch(token.group())
        if not m:
            joined = False
            continue
        span = (token.start() + m.start("word"), token.start() + m.end("word"))
        if joined and not m.group("lead"):
            runs[-1].append(span)
        else:
            runs.append([span])
        joined = not m.group("trail")
    return runs


def _correct_run(words: list[str], lex: Lexicon) -> list[tuple[int, str]]:
    """(word index, corrected word) for the words of one run that change.

    The run is cut into segments of least total cost (see the cost constants): a phrase
    entry as written costs nothing, a word left on its own costs WORD_COST (UNKNOWN_COST when
    it is no entry), each word a phrase or a single-word fix changes costs CHANGE_COST. So
    "PHO CHU TỊCH" (three words, 3.0) becomes "PHÓ CHỦ TỊCH" (two changes, 1.2), while
    "TỈNH HÁI DƯƠNG" keeps "TỈNH" and fixes "HẢI DƯƠNG" (1.6) rather than read "TĨNH HẢI" (2.2).
    """
    m = len(words)
    locked = [False] * m  # inside a phrase entry as written: "cuộc họp" keeps "họp" from "hợp"
    for i in range(m):
        for n in range(2, min(lex.longest, m - i) + 1):
            if _canonical(" ".join(words[i : i + n])) in lex.forms:
                locked[i : i + n] = [True] * n
    best: list[tuple[float, int]] = [(0.0, 0)] + [(float("inf"), 0)] * m
    back: list[tuple[int, list[str]]] = [(0, [])] * (m + 1)
    for i in range(m):
        if best[i][0] == float("inf"):
            continue
        for n in range(1, min(lex.longest, m - i) + 1):
            option = _segment(words[i : i + n], locked[i : i + n], lex)
            if option is None:
                continue
            cost, fixed = option
            changes = sum(_changed(b, a) for a, b in zip(fixed, words[i : i + n], strict=True))
            total = (best[i][0] + cost, best[i][1] + changes)
            if total < best[i + n]:
                best[i + n] = total
                back[i + n] = (i, fixed)
    fixes: list[tuple[int, str]] = []
    j = m
    while j > 0:
        i, fixed = back[j]
        fixes += [(i + k, new) for k, new in enumerate(fixed) if new != words[i + k]]
        j = i
    return sorted(fixes)


def _segment(window: list[str], locked: list[bool], lex: Lexicon) -> tuple[float, list[str]] | None:
    """Cost and words of one segment of a run, or None when the window is no segment.

    A correction never changes a locked word (one inside a phrase entry as written).
    """
    entries = lex.phrases.get(bare(" ".join(window), key=True), ())
    valid = _canonical(" ".join(window)) in lex.forms
    if len(window) == 1:
        valid = valid or _is_name(window[0])
        word = window[0]
        if valid:
            return WORD_COST, window
        fitting = [e for e in entries if _keeps_marks(word, e) and _case_fits(e, window, lex)]
        if len(fitting) == 1:
            return WORD_COST + CHANGE_COST, [_apply(fitting[0], word)]
        return UNKNOWN_COST, window
    if valid:
        return 0.0, window
    options = []
    for entry in entries:
        if _case_fits(entry, window, lex):
            fixed = [_apply(e, w) for e, w in zip(entry.split(" "), window, strict=True)]
            weak = entry not in lex.strong
            if any(
                _changed(b, a) and (lock or (weak and (_canonical(b) in lex.forms or _is_name(b))))
                for lock, a, b in zip(locked, fixed, window, strict=True)
            ):
                continue  # a valid word changes only inside an administrative phrase
            options.append((sum(_changed(b, a) for a, b in zip(fixed, window, strict=True)), fixed))
    if not options:
        return None
    fewest = min(n for n, _ in options)
    closest = [fixed for n, fixed in options if n == fewest]
    if len(closest) > 1:  # "HOĂNG HOÁ": "hoằng hóa" keeps the breve OCR saw, "hoang hóa" does not
        closest = [
            f for f in closest if all(_keeps_marks(w, a.lower()) for w, a in zip(window, f, strict=True))
        ]
    if len(closest) != 1:
        return None  # two entries as close: ambiguous
    return CHANGE_COST * fewest, closest[0]


def _is_name(word: str) -> bool:
    """A capitalized well-formed syllable, as in a person's name ("Nguyễn", "Phước")."""
    return word[:1].isupper() and word[1:].islower() and is_syllable(word)


def _case_fits(entry: str, window: list[str], lex: Lexicon) -> bool:
    """A proper-name entry fits only capitalized words ("Quảng Ngãi", not "quang ngai")."""
    return entry not in lex.proper or all(w[0].isupper() for w in window)


def _keeps_marks(word: str, entry: str) -> bool:
    """Whether entry keeps every mark the OCR word shows: "xuât" fits "xuất", not "xuát".

    Circumflex, breve and horn are compared letter by letter, tone marks word by word (so
    "HOÁ" keeps its tone in "hóa").
    """
    seen, wanted = _marks_by_letter(word), _marks_by_letter(entry)
    if len(seen) != len(wanted):
        return False
    tones_seen = {m for marks in seen for m in marks if m in TONE_MARKS}
    tones_wanted = {m for marks in wanted for m in marks if m in TONE_MARKS}
    return tones_seen <= tones_wanted and all(
        have - TONE_MARKS <= want - TONE_MARKS for have, want in zip(seen, wanted, strict=True)
    )


def _marks_by_letter(word: str) -> list[frozenset[str]]:
    """The combining marks on each letter of a word."""
    return [frozenset(ch[1:]) for ch in LETTER.findall(unicodedata.normalize("NFD", word.lower()))]


def _changed(old: str, new: str) -> bool:
    """Whether a correction changes a word beyond where its tone mark sits ("HOÁ" vs "HÓA")."""
    return _canonical(old) != _canonical(new)


def _apply(entry: str, word: str) -> str:
    """The entry word's letters with the case of the OCR word's letters ("PHO" + "phó" -> "PHÓ").

    A word whose NFC length differs (a letter with marks no precomposed letter has) is kept.
    """
    if len(entry) != len(word):
        return word
    return "".join(
        target.upper() if seen.isupper() else target for target, seen in zip(entry, word, strict=True)
    )


@lru_cache(maxsize=262144)
def _canonical(text: str) -> str:
    """Lowercase NFC text with tone marks in the old style, as normalize_text writes them."""
    return unicodedata.normalize("NFC", normalize_text(text.lower()))


def _read_list(path: Path) -> list[str]:
    """Non-empty, non-comment lines of a word list."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]


def _underthesea_dir() -> Path | None:
    """The installed underthesea package folder, found without importing it."""
    try:
        spec = importlib.util.find_spec("underthesea")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def _place_names(path: Path) -> list[str]:
    """Province names (63 old, 34 new) and district names of underthesea's address data."""
    if not path.is_file():
        return []
    data = json.loads(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for table in ("province_names", "old_province_names"):
        for info in data.get(table, {}).values():
            names.add(info.get("short", ""))
    for row in data.get("ward_mapping", []):
        names.add(ADMIN_PREFIX.sub("", row.get("old_district", "") or ""))
    return sorted(n for n in names if n)
