"""Vietnamese orthography: syllables, tone placement and comparison forms of text.

Reads single words or lines of text (NFC or NFD); returns parses, re-toned text, folded or
diacritic-free forms, and regex alternations of cue words. Pure functions over strings: never
reads a document, never imports a stage.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from ..config import DATA_DIR

ORTHOGRAPHY_FILE = DATA_DIR / "legacy" / "orthography.json"

# Tone marks as NFD combining characters, and the marks that change a vowel's quality.
ACUTE, GRAVE, HOOK, TILDE, DOT = "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"
TONE_MARKS = frozenset((ACUTE, GRAVE, HOOK, TILDE, DOT))
QUALITY_MARKS = frozenset(("\u0302", "\u0306", "\u031b"))  # circumflex, breve, horn
VOWELS = frozenset("aăâeêioôơuưy")
MARKED_VOWELS = frozenset("ăâêôơư")
VIETNAMESE_LETTERS = frozenset("abcdđeghiklmnopqrstuvxyăâêôơư")
UPPER_THRESHOLD = 0.9  # share of capital letters that makes a line "upper case" by default

# A word on NFD text: letters, each followed by its combining marks.  # "Hoà" in NFD
NFD_WORD = re.compile(r"(?:[^\W\d_][\u0300-\u036f]*)+")
# One letter and its marks inside an NFD word.  # "ờ" = "o" + horn + grave
NFD_LETTER = re.compile(r"[^\W\d_][\u0300-\u036f]*")
# Combining diacritics of NFD text.  # "ủ" = "u" + horn + hook
COMBINING_MARKS = re.compile(r"[\u0300-\u036f]")
# A final glide pair carrying the tone on its second vowel.  # "hoà", "thuỷ", "HOÀ"
FOLD_PAIR = re.compile(r"([oOuU])([àáảãạÀÁẢÃẠèéẻẽẹÈÉẺẼẸỳýỷỹỵỲÝỶỸỴ])(?!\w)")


@dataclass(frozen=True)
class Syllable:
    """A parsed syllable: letter indexes where the vowels start and end, the final, the tone."""

    vowel_start: int
    vowel_end: int
    final: str
    tone: str  # the combining tone mark, "" when untoned
    tone_allowed: bool  # False for a stop final (c, ch, p, t) without the acute or dot-below tone


@lru_cache(maxsize=1)
def _orthography() -> tuple[tuple[str, ...], frozenset[str], frozenset[str]]:
    """Onsets (longest first), rhymes and stop finals from data/legacy/orthography.json."""
    data = json.loads(ORTHOGRAPHY_FILE.read_text(encoding="utf-8"))
    onsets = tuple(sorted(data["onsets"], key=len, reverse=True))
    return onsets, frozenset(data["rhymes"]), frozenset(data["stop_finals"])


def parse_letters(letters: list[str]) -> Syllable | None:
    """Parse NFD letters (base + marks each) as one Vietnamese syllable.

    Args:
        letters: the letters of one NFD word, each with its combining marks (`NFD_LETTER`).

    Returns:
        The Syllable, or None when the letters are no Vietnamese syllable.

    Examples:
        >>> parse_letters(NFD_LETTER.findall(unicodedata.normalize("NFD", "hoàn")))
        Syllable(vowel_start=1, vowel_end=3, final='n', tone='̀', tone_allowed=True)
        >>> parse_letters(NFD_LETTER.findall("cafe")) is None
        True
    """
    plain: list[str] = []
    tone = ""
    for letter in letters:
        base, marks = letter[0], letter[1:]
        quality = ""
        for mark in marks:
            if mark in TONE_MARKS:
                if tone:
                    return None  # two tone marks: not a syllable
                tone = mark
            elif mark in QUALITY_MARKS and not quality:
                quality = mark
            else:
                return None
        char = unicodedata.normalize("NFC", base.lower() + quality)
        if char not in VIETNAMESE_LETTERS:
            return None
        plain.append(char)
    word = "".join(plain)
    onsets, rhymes, stops = _orthography()
    onset = ""
    for candidate in onsets:
        if word.startswith(candidate):
            # "qu" and "gi" are onsets only before another vowel ("quả", "giữa"; but "gìn").
            if candidate in ("qu", "gi") and (len(word) == 2 or word[2] not in VOWELS):
                continue
            onset = candidate
            break
    rhyme = word[len(onset) :]
    valid = rhyme in rhymes or (onset == "qu" and "u" + rhyme in rhymes)
    valid = valid or (onset == "gi" and "i" + rhyme in rhymes)
    if not rhyme or not valid:
        return None
    n_vowels = len(rhyme) - len(rhyme.lstrip("aăâeêioôơuưy"))
    final = rhyme[n_vowels:]
    if not n_vowels or any(c in VOWELS for c in final):
        return None
    start = len(onset)
    return Syllable(start, start + n_vowels, final, tone, final not in stops or tone in (ACUTE, DOT))


def _tone_index(plain: str, syllable: Syllable) -> int:
    """Letter index that carries the tone in the old style (hòa, thúy, khỏe, hoàn, thuở)."""
    vowels = plain[syllable.vowel_start : syllable.vowel_end]
    marked = [i for i, c in enumerate(vowels) if c in MARKED_VOWELS]
    if marked:
        offset = marked[-1]  # "người" -> ơ, "thuở" -> ơ, "quốc" -> ô
    elif syllable.final:
        offset = len(vowels) - 1  # "hoàn", "hoạch", "huỳnh"
    elif len(vowels) == 3:
        offset = 1  # "loại", "khuỷu", "ngoẹo"
    else:
        offset = 0  # "hòa", "thúy", "khỏe", "mùa", "tài"
    return syllable.vowel_start + offset


@lru_cache(maxsize=65536)
def is_syllable(word: str) -> bool:
    """Whether a word is one well-formed Vietnamese syllable (onset, rhyme, tone, case).

    Args:
        word: one word, NFC or NFD, without spaces or punctuation.

    Returns:
        True for a syllable in lower case, upper case or capitalized.

    Examples:
        >>> is_syllable("Quốc"), is_syllable("café"), is_syllable("lỔ")
        (True, False, False)
    """
    if not word or not (word.islower() or word.isupper() or (word[0].isupper() and word[1:].islower())):
        return False
    letters = NFD_LETTER.findall(unicodedata.normalize("NFD", word))
    if "".join(letters) != unicodedata.normalize("NFD", word):
        return False
    syllable = parse_letters(letters)
    return syllable is not None and syllable.tone_allowed


@lru_cache(maxsize=65536)
def _retone_word(word: str) -> str:
    """Move the tone of one NFD word to its old-style place; other words are returned as is."""
    letters = NFD_LETTER.findall(word)
    syllable = parse_letters(letters)
    if syllable is None or not syllable.tone:
        return word
    plain = "".join(
        unicodedata.normalize("NFC", ltr[0].lower() + "".join(m for m in ltr[1:] if m in QUALITY_MARKS))
        for ltr in letters
    )
    target = _tone_index(plain, syllable)
    out = []
    for i, letter in enumerate(letters):
        marks = "".join(m for m in letter[1:] if m not in TONE_MARKS)
        out.append(letter[0] + marks + (syllable.tone if i == target else ""))
    return "".join(out)


def retone(text: str) -> str:
    """Put every syllable's tone mark in the old-style place (hòa, thúy, khỏe, hoàn, thuở).

    Args:
        text: NFC text; words that are no Vietnamese syllable are left as they are.

    Returns:
        NFC text.

    Examples:
        >>> retone("Thanh Hoá, thuỷ lợi, khoẻ")
        'Thanh Hóa, thủy lợi, khỏe'
        >>> retone("hoàn thành")
        'hoàn thành'
    """
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", NFD_WORD.sub(lambda m: _retone_word(m.group()), decomposed))


def _move_tone(m: re.Match[str]) -> str:
    """Put the tone of a final glide pair on its first vowel: "oà" -> "òa", "uý" -> "úy"."""
    first, second = m.group(1), m.group(2)
    if (first in "oO" and unicodedata.normalize("NFD", second)[0] not in "aAeE") or (
        first in "uU" and unicodedata.normalize("NFD", second)[0] not in "yY"
    ):
        return m.group(0)
    decomposed = unicodedata.normalize("NFD", second)
    base = decomposed[0] + "".join(c for c in decomposed[1:] if c not in TONE_MARKS)
    tone = "".join(c for c in decomposed[1:] if c in TONE_MARKS)
    return unicodedata.normalize("NFC", first + tone) + unicodedata.normalize("NFC", base)


def fold(text: str) -> str:
    """NFC text with one tone placement in final oa/oe/uy pairs, same length as the NFC input.

    For matching only: a span found in the folded text is the same span in the NFC text, so
    "HOÀ" and "HÒA" match without rewriting the line (`retone` rewrites, `fold` compares).

    Args:
        text: NFC or NFD text.

    Returns:
        The folded NFC text.

    Examples:
        >>> fold("CỘNG HOÀ") == fold("CỘNG HÒA")
        True
        >>> fold("Thanh Hoá")
        'Thanh Hóa'
    """
    return FOLD_PAIR.sub(_move_tone, unicodedata.normalize("NFC", text))


@lru_cache(maxsize=4096)
def _bare_char(c: str) -> str:
    """One letter without its marks: "Ế" -> "E", "đ" -> "d"; a non-Latin letter is kept."""
    if c in "đĐ":
        return "d" if c == "đ" else "D"
    base = unicodedata.normalize("NFD", c)[:1]
    return base if base.isascii() else c


def bare(text: str, *, key: bool = False) -> str:
    """Text without Vietnamese diacritics ("đ" becomes "d"): OCR confuses marks.

    Args:
        text: NFC or NFD text.
        key: False (default) keeps the case and the length of the NFC text, letter by letter,
            so spans carry over ("QUYÉT ĐỊNH" -> "QUYET DINH"); True gives a lookup key: lower
            case and every combining mark dropped, wherever it sits.

    Returns:
        The text without marks.

    Examples:
        >>> bare("QUYÉT ĐỊNH")
        'QUYET DINH'
        >>> bare("PHÓ CHỦ TỊCH Đà Nẵng", key=True)
        'pho chu tich da nang'
    """
    if key:
        plain = COMBINING_MARKS.sub("", unicodedata.normalize("NFD", text))
        return plain.replace("đ", "d").replace("Đ", "D").lower()
    return "".join(_bare_char(c) for c in unicodedata.normalize("NFC", text))


def is_upper(text: str, threshold: float = UPPER_THRESHOLD) -> bool:
    """Whether (nearly) every letter of text is a capital: "UBND TỈNH QUẢNG NGÃI".

    Args:
        text: a line or part of one.
        threshold: the share of capital letters needed (layout 0.9, metadata 0.85).

    Returns:
        False for text with fewer than two letters.

    Examples:
        >>> is_upper("THÔNG BÁO KẾT LUẬN"), is_upper("Thông báo kết luận")
        (True, False)
        >>> is_upper("KẾT LUẬN CỦA Chủ tịch", 0.5)
        True
    """
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and sum(c.isupper() for c in letters) >= threshold * len(letters)


def alternation(words: Iterable[str], key: Callable[[str], str] | None = None) -> str:
    """A regex alternation of cue words, longest first, a space matching any whitespace.

    Args:
        words: the cue words or phrases (empty ones and repeats are skipped).
        key: applied to every word first, e.g. `fold` for patterns matched on folded text.

    Returns:
        The alternation, to put inside a group: "(?:" + alternation(...) + ")".

    Examples:
        >>> alternation(["Người ký", "Ký bởi", "Người ký"])
        'Người\\\\s+ký|Ký\\\\s+bởi'
        >>> alternation(["CỘNG HOÀ"], key=fold)
        'CỘNG\\\\s+HÒA'
    """
    forms = (key(w) if key is not None else w for w in words if w)
    unique = sorted(dict.fromkeys(forms), key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in unique)


# A word of running text for `syllable_shares`: letters with their marks.  # "Thông", "uY", "THONGBAo"
TEXT_WORD = re.compile(r"[^\W\d_]+")
# Capital letters-only tokens up to this long that are no syllable are abbreviations ("UBND",
# "HĐND", "CPI"): they count neither for nor against the text.
ABBREVIATION_MAX = 5


def syllable_shares(text: str) -> tuple[int, float, float]:
    """How Vietnamese a text reads: its words, the share that are syllables, the share marked.

    Words of two letters or more count; a capitalized abbreviation ("UBND", "TTr") counts for
    neither. The second figure is the share of words that are well-formed syllables ("THONGBAo",
    "uY", "NgAN" are not); the third the share of those syllables that carry a Vietnamese mark
    (a tone, ă/â/ê/ô/ơ/ư or đ): about two thirds in any Vietnamese text, none in an old OCR or a
    font mapping that lost them ("UY BAN NHAN DAN").

    Args:
        text: NFC or NFD text.

    Returns:
        (words counted, syllable share, marked share); (0, 1.0, 1.0) for a text without words.

    Examples:
        >>> syllable_shares("Ủy ban nhân dân tỉnh Quảng Ngãi")
        (7, 1.0, 0.86)
        >>> syllable_shares("uY BAN NgAN nAN THONGBAo")
        (5, 0.2, 0.0)
    """
    words = [w for w in TEXT_WORD.findall(unicodedata.normalize("NFC", text)) if len(w) >= 2]
    counted = syllables = marked = 0
    for word in words:
        if is_syllable(word):
            counted += 1
            syllables += 1
            marked += not word.isascii()
        elif not (word.isupper() and len(word) <= ABBREVIATION_MAX):
            counted += 1
    if not counted:
        return 0, 1.0, 1.0
    return counted, round(syllables / counted, 2), round(marked / syllables, 2) if syllables else 0.0
