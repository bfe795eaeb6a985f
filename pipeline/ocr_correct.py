"""Normalize stage, OCR lines only: restore Vietnamese diacritics that OCR dropped or confused.

Reads one normalized line of OCR text; returns it with words and phrases whose diacritic-free
form matches exactly one lexicon entry rewritten with that entry's marks ("PHO CHU TỊCH" ->
"PHÓ CHỦ TỊCH"), then made-up syllables whose neighbours settle the marks ("buỗi đối thoại" ->
"buổi đối thoại"). Never adds, removes or moves a letter (only the spaces of a place name read
as one word come back: "ĐAKNÔNG"), never touches digits or punctuation, and is never applied
to text-layer, DOCX or plain-text lines. The lexicon itself is built in `ocr_lexicon`.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .config import DATA_DIR
from .ocr_lexicon import WORD, Lexicon, canonical, default_lexicon, read_list
from .text.legacy import CP1252_PUNCT, LEGACY_WORD, NOT_8BIT
from .text.orthography import TONE_MARKS, bare, is_syllable

__all__ = ["Lexicon", "correct_abbreviations", "correct_line", "default_lexicon"]

ABBREVIATIONS_FILE = DATA_DIR / "lexicon" / "ocr_abbreviations.txt"
# Family names and middle/given-name syllables of Vietnamese personal names.
NAMES_FILE = DATA_DIR / "lexicon" / "ocr_names.txt"
# Quantifiers, prepositions and conjunctions ("các", "của", "và"): a pair one forms is no evidence.
FUNCTION_WORDS_FILE = DATA_DIR / "lexicon" / "ocr_function_words.txt"
NAME_WORDS = 4  # a name's syllables after its family name: "Nguyễn Thị Thu Nga" has 3
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

# A space-delimited token that is one word between punctuation.  # "(Quyêt", "CHU", "TỊCH;"
TOKEN = re.compile(r"(?P<lead>[(\[\"'“‘]*)(?P<word>[^\W\d_]+)(?P<trail>[)\]\"'”’.,;:!?…]*)")
SPACES = re.compile(r"\S+")  # tokens of a line: "Lưu:", "w47_xi_nghiep", "PHO"
# Costs of cutting a run of OCR words into segments (_correct_run).
WORD_COST = 1.0  # a word not inside a phrase entry
UNKNOWN_COST = 2.0  # a word that is no entry at all ("xuât")
CHANGE_COST = 0.6  # each word whose marks a correction changes
MAX_MARK_EDITS = 2  # marks a context correction may change in one syllable: "buỗi" -> "buổi" is 1
# A slash abbreviation whose slash OCR read as a hyphen or a backslash.  # "V-v: triển khai"
HYPHEN_ABBREVIATION = re.compile(r"(?<![^\W_])([^\W\d_])[-\\]([^\W\d_])(?![^\W_-])")

# What OCR reads for the apostrophe of a place name ("Đắk R’Lấp"): a quote, a degree sign, a
# space.  # "Đắk R lắp", "ĐẮK R°LÁP", "Đắk R"lấp"
APOSTROPHE_SLOT = r"(?: ?['’‘`´°\"”“]{1,2} ?| )"
APOSTROPHE = "’"  # what a lost apostrophe is written back as (the typographic one Word writes)

LETTER = re.compile(r".[\u0300-\u036f]*")  # one NFD letter and its marks: "ờ" = "o" + horn + grave
# Words whose lookup key and legacy-likeness are remembered: a document repeats its words.
WORD_CACHE = 1 << 16


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
        The line, NFC, letters' marks corrected; same length as its NFC form, except where
        a place name OCR read without its spaces gets them back ("ĐAKNÔNG" -> "ĐẮK NÔNG").

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
    text = _split_joined(text, lex)
    text = _apostrophe_names(text, lex)
    out = list(text)
    for run in _runs(text):
        words = [text[a:b] for a, b in run]
        for k, replacement in _correct_run(words, lex):
            if len(replacement) == len(words[k]):
                words[k] = replacement
        for k, replacement in _correct_context(words, lex) + _correct_names(words, lex):
            if len(replacement) == len(words[k]):
                words[k] = replacement
        for (a, b), word in zip(run, words, strict=True):
            out[a:b] = list(word)
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
        >>> correct_abbreviations("V-v: triển khai nhiệm vụ năm 2026")
        'V/v: triển khai nhiệm vụ năm 2026'
    """
    known = _abbreviations()

    def slash(m: re.Match[str]) -> str:
        pair = f"{m.group(1)}/{m.group(2)}"
        return pair if pair.lower() in known else m.group(0)

    text = HYPHEN_ABBREVIATION.sub(slash, text)

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
    return frozenset(unicodedata.normalize("NFC", w).lower() for w in read_list(ABBREVIATIONS_FILE))


# ---------------------------------------------------------------- internals


@lru_cache(maxsize=WORD_CACHE)
def lookup_key(word: str) -> str:
    """A word's diacritic-free lookup key (`bare(word, key=True)`), remembered per process.

    Examples:
        >>> lookup_key("TỊCH"), lookup_key("Đắk")
        ('tich', 'dak')
    """
    return bare(word, key=True)


@lru_cache(maxsize=WORD_CACHE)
def _legacy_votes(word: str) -> int:
    """How many words `detect_legacy` would weigh in this one lowercased word: 8-bit letters that
    are no syllable as they stand ("thoâng"); a phrase with fewer than two is never converted."""
    tokens = [t.strip(CP1252_PUNCT) for t in LEGACY_WORD.findall(unicodedata.normalize("NFC", word))]
    return sum(
        1 for t in tokens if len(t) >= 2 and not t.isascii() and not NOT_8BIT.search(t) and not is_syllable(t)
    )


class _Windows:
    """Lexicon forms and lookup keys of the windows of one run of words, built from its words.

    `canonical` and `bare(..., key=True)` of "w1 w2 w3" are those of each word joined by spaces
    (tone placement, case and marks are word by word), except where the phrase as a whole reads
    as legacy-encoded text (two 8-bit words, `detect_legacy`): that phrase is normalized whole.
    """

    def __init__(self, words: list[str]) -> None:
        self.words = words
        self.forms = [canonical(w) for w in words]
        self.keys = [lookup_key(w) for w in words]
        self.votes = [_legacy_votes(w.lower()) for w in words]

    def form(self, i: int, n: int) -> str:
        """`canonical(" ".join(words[i : i + n]))`."""
        if n > 1 and sum(self.votes[i : i + n]) >= 2:
            return canonical(" ".join(self.words[i : i + n]))
        return " ".join(self.forms[i : i + n])

    def key(self, i: int, n: int) -> str:
        """`bare(" ".join(words[i : i + n]), key=True)`."""
        return " ".join(self.keys[i : i + n])


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
    windows = _Windows(words)
    locked = [False] * m  # inside a phrase entry as written: "cuộc họp" keeps "họp" from "hợp"
    for i in range(m):
        for n in range(2, min(lex.longest, m - i) + 1):
            if windows.form(i, n) in lex.forms:
                locked[i : i + n] = [True] * n
    best: list[tuple[float, int]] = [(0.0, 0)] + [(float("inf"), 0)] * m
    back: list[tuple[int, list[str]]] = [(0, [])] * (m + 1)
    for i in range(m):
        if best[i][0] == float("inf"):
            continue
        for n in range(1, min(lex.longest, m - i) + 1):
            outside = (words[i - 1] if i else "", words[i + n] if i + n < m else "")
            option = _segment(
                words[i : i + n], locked[i : i + n], lex, outside, windows.key(i, n), windows.form(i, n)
            )
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


def _correct_context(words: list[str], lex: Lexicon) -> list[tuple[int, str]]:
    """(word index, corrected word) for misread syllables whose neighbours settle the marks.

    Only a syllable OCR made up changes: one that is no syllable of the lexicon ("buỗi",
    "đên"), or one found only inside rare entries and never in general text ("buôi", from
    "bãi buôi"), and that forms no attested pair with a neighbour as written. Its candidates
    are the lexicon syllables of the same letters with at most MAX_MARK_EDITS marks changed
    that form an attested pair with a neighbour ("buổi làm", "đến nay"); the fewest changes
    win, then the one keeping every mark OCR saw, and a tie changes nothing. A usual syllable
    ("tĩnh", "của", "thuê") is never changed here, and a lexicon built without general text
    (no `pairs`) changes nothing here: only a strong phrase of the first pass
    may change it ("TĨNH ĐẮK NÔNG" -> "TỈNH ĐẮK NÔNG"). Nor is a capitalized name in running
    text ("ông Nguyễn Văn Liên" is no "nguyên văn").
    """
    if not lex.usual:
        return []  # a lexicon without general text knows no usual syllables: no context pass
    low = [canonical(w) for w in words]
    caps = [w[:1].isupper() for w in words]
    upper = all(w.isupper() for w in words)
    fixes: list[tuple[int, str]] = []
    for i, word in enumerate(words):
        if len(word) < 2 or len(words) < 2 or low[i] in lex.usual:
            continue
        known = lex.syllables.get(lookup_key(word), ())
        if low[i] in known and (_fits(low, caps, i, low[i], lex) or (_is_name(word) and not upper)):
            continue
        scored = []
        for candidate in known:
            edits = _mark_edits(low[i], candidate)
            if 0 < edits <= MAX_MARK_EDITS and _fits(low, caps, i, candidate, lex):
                scored.append((edits, not _keeps_marks(word, candidate), candidate))
        if not scored:
            continue
        scored.sort()
        if len(scored) > 1 and scored[0][:2] == scored[1][:2]:
            continue  # two candidates as close: ambiguous
        fixed = _apply(scored[0][2], word)
        if fixed != word:
            fixes.append((i, fixed))
            low[i] = scored[0][2]
    return fixes


def _correct_names(words: list[str], lex: Lexicon) -> list[tuple[int, str]]:
    """(word index, corrected word) for a misread syllable of a person's name.

    A capitalized word after a family name of data/lexicon/ocr_names.txt (all capitalized, or
    all in capitals) that is no usual syllable ("Tắn" in "Nguyễn Tắn Bi") takes the one
    middle or given name of that list one mark away ("Tấn"); a name syllable as read is kept.
    """
    family, given = _names()
    fixes: list[tuple[int, str]] = []
    for i, word in enumerate(words):
        if i == 0 or not _shaped_as_name(word, words[i - 1]):
            continue
        low = canonical(word)
        key = lookup_key(word)
        if low in given.get(key, ()) or (
            low in lex.usual if lex.usual else low in lex.syllables.get(key, ())
        ):
            continue
        start = i - 1
        while start > 0 and i - start < NAME_WORDS and canonical(words[start]) not in family:
            if not _shaped_as_name(words[start], words[start - 1]):
                break
            start -= 1
        if canonical(words[start]) not in family or not _shaped_as_name(words[start], word):
            continue
        candidates = [g for g in given.get(key, ()) if _mark_edits(low, g) == 1]
        if len(candidates) == 1:
            fixes.append((i, _apply(candidates[0], word)))
    return fixes


def _shaped_as_name(word: str, other: str) -> bool:
    """Both words capitalized ("Nguyễn Tắn") or both in capitals ("NGUYỄN TẮN")."""
    if word.isupper() and other.isupper():
        return is_syllable(word)
    return _is_name(word) and _is_name(other)


@lru_cache(maxsize=1)
def _names() -> tuple[frozenset[str], dict[str, tuple[str, ...]]]:
    """Family names, and middle/given names by their diacritic-free key ("tan": tân, tấn)."""
    family: set[str] = set()
    given: dict[str, set[str]] = {}
    for line in read_list(NAMES_FILE):
        head, _, rest = line.partition(":")
        for word in (rest if rest else head).split():
            if rest:
                family.add(canonical(word))
            else:
                given.setdefault(lookup_key(word), set()).add(canonical(word))
    return frozenset(family), {key: tuple(sorted(found)) for key, found in given.items()}


def _fits(low: list[str], caps: list[bool], i: int, syllable: str, lex: Lexicon) -> bool:
    """Whether `syllable` at position i forms an attested pair with its left or right neighbour.

    Pairs of proper names ("lâm đồng") count only between capitalized words.
    """
    if i > 0:
        pair = f"{low[i - 1]} {syllable}"
        if pair in lex.pairs or (caps[i - 1] and caps[i] and pair in lex.proper_pairs):
            return True
    if i + 1 < len(low):
        pair = f"{syllable} {low[i + 1]}"
        if pair in lex.pairs or (caps[i] and caps[i + 1] and pair in lex.proper_pairs):
            return True
    return False


def _mark_edits(seen: str, wanted: str) -> int:
    """Marks that differ between two syllables of the same letters: the tone counts once, then
    each letter whose circumflex, breve, horn or stroke differs ("buỗi" -> "buổi": 1)."""
    a, b = (
        LETTER.findall(unicodedata.normalize("NFD", seen)),
        LETTER.findall(unicodedata.normalize("NFD", wanted)),
    )
    if len(a) != len(b):
        return MAX_MARK_EDITS + 1
    tones_a = {m for x in a for m in x[1:] if m in TONE_MARKS}
    tones_b = {m for x in b for m in x[1:] if m in TONE_MARKS}
    edits = int(tones_a != tones_b)
    for x, y in zip(a, b, strict=True):
        if x[0] != y[0] or set(x[1:]) - TONE_MARKS != set(y[1:]) - TONE_MARKS:
            edits += 1
    return edits


def _split_joined(text: str, lex: Lexicon) -> str:
    """Give back the spaces of a place name that OCR read as one word ("ĐAKNÔNG" -> "ĐAK NÔNG").

    Only a capitalized word in capitals or with marks (not "Saigon") that is no syllable and spells, letter for letter without marks,
    exactly one multi-syllable place name is cut; its marks are left to the phrase pass.
    """

    def cut(m: re.Match[str]) -> str:
        word = m.group()
        shown = word[:1].isupper() and (word.isupper() or not word.isascii())
        if not shown or canonical(word) in lex.syllables.get(lookup_key(word), ()):
            return word  # "Saigon" in "bia Saigon" is a brand, not "Sài Gòn"
        names = lex.joined.get(lookup_key(word), ())
        if len(names) != 1:
            return word
        parts, start = [], 0
        for syllable in names[0].split(" "):
            parts.append(word[start : start + len(syllable)])
            start += len(syllable)
        return " ".join(parts) if start == len(word) else word

    return WORD.sub(cut, text)


def _apostrophe_names(text: str, lex: Lexicon) -> str:
    """Place names with an apostrophe whose marks or apostrophe OCR lost ("Đắk R lắp" -> "Đắk R’lấp").

    The name is found on the text without marks, its apostrophe read as a quote, a degree sign
    or a space; each syllable that is no spelling of a place-name syllable takes the name's
    marks ("lắp" -> "lấp", "ĐÁK" -> "ĐẮK"; "Đăk" stays, "Đăk Hà" spells it so), keeping its
    case, and an apostrophe read as one other sign becomes "’". The first syllable and the
    letter before the apostrophe must be capitals, as in the name.
    """
    if not lex.apostrophe_names:
        return text
    plain = bare(text).lower()
    out = list(text)
    for name, pattern in _apostrophe_patterns(lex.apostrophe_names):
        parts = re.split(r"(' ?| )", name)
        for m in pattern.finditer(plain):
            for k, part in enumerate(parts):
                a, b = m.span(f"p{k}")
                seen = text[a:b]
                if k % 2:  # the apostrophe or space of the name
                    if part.startswith("'") and b - a == 1 and seen not in "'’":
                        out[a] = APOSTROPHE
                    continue
                if part[:1].isupper() and (k == 0 or len(part) == 1) and not seen[:1].isupper():
                    break
                if canonical(seen) not in lex.name_syllables:
                    fixed = _apply(unicodedata.normalize("NFC", part.lower()), seen)
                    out[a:b] = list(fixed)
    return "".join(out)


@lru_cache(maxsize=4)
def _apostrophe_patterns(names: tuple[str, ...]) -> list[tuple[str, re.Pattern[str]]]:
    """A pattern over the marks-free lower-case text for each name, one group per part."""
    found = []
    for name in names:
        regex = []
        for k, part in enumerate(re.split(r"(' ?| )", name)):
            if k % 2 == 0:
                regex.append(f"(?P<p{k}>{re.escape(bare(part, key=True))})")
            else:
                regex.append(f"(?P<p{k}>{APOSTROPHE_SLOT if part.startswith(chr(39)) else ' ?'})")
        found.append((name, re.compile(r"(?<![^\W_])" + "".join(regex) + r"(?![^\W_])")))
    return found


def _segment(
    window: list[str],
    locked: list[bool],
    lex: Lexicon,
    outside: tuple[str, str] = ("", ""),
    key: str | None = None,
    form: str | None = None,
) -> tuple[float, list[str]] | None:
    """Cost and words of one segment of a run, or None when the window is no segment.

    A correction never changes a locked word (one inside a phrase entry as written), nor a
    valid word that forms an attested pair as written with the word just outside the window
    ("chính sách thuê đất": "thuê đất" keeps "thuê" from "chính sách thuế"); two words attested
    side by side in general text are a phrase as written. `key` and `form` are the window's
    lookup key and lexicon form when the caller has them (`_Windows`).
    """
    phrase = " ".join(window)
    entries = lex.phrases.get(bare(phrase, key=True) if key is None else key, ())
    valid = (canonical(phrase) if form is None else form) in lex.forms
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
                _changed(b, a) and (lock or (weak and (canonical(b) in lex.forms or _is_name(b))))
                for lock, a, b in zip(locked, fixed, window, strict=True)
            ):
                continue  # a valid word changes only inside an administrative phrase
            if _paired(window, fixed, outside, lex):
                continue
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


def _paired(window: list[str], fixed: list[str], outside: tuple[str, str], lex: Lexicon) -> bool:
    """Whether a word the correction changes forms an attested pair as written with a neighbour,
    inside the window or just outside it: "thuê" + "đất" in "chính sách thuê đất" ("thuê đất" is
    attested, so "chính sách thuế" does not apply). A function word just outside the window
    (data/lexicon/ocr_function_words.txt: "các", "của", "và") pairs with any word and is no
    evidence: "các chỉ" ("các chỉ tiêu") keeps nothing from "các chi bộ"."""
    seen = [outside[0], *window, outside[1]]
    changed = [False, *(_changed(w, f) for w, f in zip(window, fixed, strict=True)), False]
    # a function word outside the window ("các" of "các chỉ bộ") pairs with any word: no evidence
    function = _function_words()
    if canonical(seen[0]) in function:
        seen[0] = ""
    if canonical(seen[-1]) in function:
        seen[-1] = ""
    return any(
        (changed[k] or changed[k + 1])
        and seen[k]
        and seen[k + 1]
        and f"{canonical(seen[k])} {canonical(seen[k + 1])}" in lex.pairs
        for k in range(len(seen) - 1)
    )


@lru_cache(maxsize=1)
def _function_words() -> frozenset[str]:
    """Quantifiers, prepositions and conjunctions, lower case ("các", "của", "và")."""
    return frozenset(canonical(w) for w in read_list(FUNCTION_WORDS_FILE))


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
    return canonical(old) != canonical(new)


def _apply(entry: str, word: str) -> str:
    """The entry word's letters with the case of the OCR word's letters ("PHO" + "phó" -> "PHÓ").

    A word whose NFC length differs (a letter with marks no precomposed letter has) is kept.
    """
    if len(entry) != len(word):
        return word
    return "".join(
        target.upper() if seen.isupper() else target for target, seen in zip(entry, word, strict=True)
    )
