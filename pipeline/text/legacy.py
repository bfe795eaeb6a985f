"""Legacy Vietnamese encodings: TCVN3 (ABC, .VnTime fonts) and VNI-Windows, told apart and decoded.

Reads text that was decoded as latin-1/cp1252 from a legacy-encoded source; returns the name of
its encoding and its Unicode (NFC) form. Never decides for a whole document (the normalize stage
and the extract dispatcher do), never imports a stage.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache

from ..config import DATA_DIR
from .orthography import is_syllable

LEGACY_DIR = DATA_DIR / "legacy"

# Legacy detection: a word of letters and the 8-bit symbols legacy fonts use as letters.
LEGACY_WORD = re.compile(
    r"(?:[^\W\d_]|[\x01\x02\x04-\x06\x11-\x17\x80-\x9f\xa1-\xbf\xd7\xf7"
    r"\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122])+"
)  # "nh©n", "Thoâng", "§¶NG", "C•NG"
# A character no 8-bit legacy text decoded as latin-1/cp1252 can hold.  # "ả" in "Quảng"
NOT_8BIT = re.compile(
    r"[^\x00-\xff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014"
    r"\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)
# cp1252 punctuation that TCVN3's VN1 codes 0x80-0x9F also use for capital toned vowels.  # "C•" = "CÓ"
CP1252_PUNCT_CODES = frozenset("‚„…†‡ˆ‰‹‘’“”•–—˜™›")
CP1252_PUNCT = "".join(sorted(CP1252_PUNCT_CODES))  # the same, as `str.strip` takes them
LETTER_RUN = re.compile(r"[^\W\d_]+")  # a decoded word: "HéI" in "X· HéI"


def detect_legacy(text: str) -> str:
    """Tell whether text is TCVN3 (ABC) or VNI-Windows that was decoded as latin-1/cp1252.

    A word counts for an encoding when it is not a Vietnamese syllable as it stands but
    becomes one once converted; words that stay invalid count against it. Unicode
    Vietnamese, English and French text give "".

    Args:
        text: the text to test, as decoded.

    Returns:
        "tcvn3", "vni" or "".

    Examples:
        >>> detect_legacy("Uû ban nh©n d©n tØnh Qu¶ng Ng·i")
        'tcvn3'
        >>> detect_legacy("THOÂNG BAÙO keát luaän cuûa Chuû tòch")
        'vni'
        >>> detect_legacy("Ủy ban nhân dân tỉnh Quảng Ngãi")
        ''
    """
    if text.isascii():
        return ""  # only a word with an 8-bit letter counts: "Uû", "nh©n"
    tokens = [w.strip(CP1252_PUNCT) for w in LEGACY_WORD.findall(text)]
    # Unicode words (ă, đ, ơ, ư...) and words that already are syllables ("Thái") do not count.
    tokens = [t for t in tokens if len(t) >= 2 and not t.isascii() and not NOT_8BIT.search(t)]
    tokens = [t for t in tokens if not is_syllable(t)]
    if not tokens:
        return ""
    best, best_hits = "", 0
    for encoding in ("tcvn3", "vni"):
        hits = sum(1 for t in tokens if is_syllable(legacy_to_unicode(t, encoding)))
        misses = len(tokens) - hits
        if hits >= 2 and hits >= 3 * misses and hits > best_hits:
            best, best_hits = encoding, hits
    return best


def legacy_to_unicode(text: str, encoding: str) -> str:
    """Convert TCVN3 or VNI text, decoded as latin-1/cp1252, to Unicode (NFC).

    Characters that are not part of the encoding's letters are kept as they are.

    Args:
        text: legacy text as decoded, e.g. from a .doc typed with .VnTime or VNI-Times fonts.
        encoding: "tcvn3" or "vni"; "" returns the text unchanged.

    Returns:
        Unicode text.

    Examples:
        >>> legacy_to_unicode("Th«ng b¸o kÕt luËn", "tcvn3")
        'Thông báo kết luận'
        >>> legacy_to_unicode("THOÂNG BAÙO keát luaän", "vni")
        'THÔNG BÁO kết luận'
    """
    if encoding == "tcvn3":
        return unicodedata.normalize("NFC", _fix_capitals(_tcvn3_decode(text)))
    if encoding == "vni":
        return unicodedata.normalize("NFC", _vni_decode(text))
    if encoding:
        raise ValueError(f"unknown legacy encoding {encoding!r}; use 'tcvn3' or 'vni'")
    return text


# ---------------------------------------------------------------- decoding tables


def _byte_of(char: str) -> int:
    """The byte a legacy character was decoded from (latin-1 or cp1252), or -1."""
    code = ord(char)
    if code < 0x100:
        return code
    try:
        return char.encode("cp1252")[0]
    except UnicodeEncodeError:
        return -1


@lru_cache(maxsize=1)
def _tcvn3_tables() -> tuple[dict[int, str], dict[int, str]]:
    """TCVN3 byte -> letter and byte -> combining tone, from data/legacy/tcvn3.json."""
    data = json.loads((LEGACY_DIR / "tcvn3.json").read_text(encoding="utf-8"))
    letters = {int(code, 16): letter for letter, code in data["letters"].items()}
    tones = {int(code, 16): mark for mark, code in data["combining_tones"].items()}
    return letters, tones


@lru_cache(maxsize=1)
def _vni_table() -> dict[str, str]:
    """VNI sequence (as latin-1 text, in every case mix of base and modifier) -> letter."""
    data = json.loads((LEGACY_DIR / "vni.json").read_text(encoding="utf-8"))
    table: dict[str, str] = {}
    for letter, codes in data["letters"].items():
        seq = bytes.fromhex(codes).decode("latin-1")
        table[seq] = letter
        if len(seq) == 2:  # a modifier typed in the other case still belongs to its base
            table.setdefault(seq[0] + seq[1].swapcase(), letter)
    return table


def _tcvn3_decode(text: str) -> str:
    """Map TCVN3 characters to Unicode letters, character by character."""
    letters, tones = _tcvn3_tables()
    out: list[str] = []
    for i, char in enumerate(text):
        code = _byte_of(char)
        if code < 0x80 and code not in letters:
            out.append(char)
            continue
        if code in tones:
            # The combining tone codes only follow a vowel; elsewhere "°" is a degree sign.
            prev = unicodedata.normalize("NFD", out[-1])[0].lower() if out else ""
            out.append(tones[code] if prev in "aeiouy" else char)
            continue
        letter = letters.get(code)
        if letter is None:
            out.append(char)
        elif char in CP1252_PUNCT_CODES and not _capital_context(text, i, out):
            out.append(char)  # a real quote or dash, not a VN1 capital
        else:
            out.append(letter)
    return "".join(out)


def _capital_context(text: str, i: int, out: list[str]) -> bool:
    """Whether the cp1252 punctuation at i is a VN1 capital: "C•NG" is "CÓNG", "V”" is "VÕ".

    Only after a capital letter: inside a word always, at its end only when the word it
    closes is a syllable (so the quote after “BÁO” stays a quote). A "™" on its own is "Ở".
    """
    letters, tones = _tcvn3_tables()
    prev = out[-1] if out else ""
    if text[i] == "™" and not prev.isalpha():
        return True
    if not (prev.isalpha() and prev.isupper()):
        return False
    nxt = text[i + 1] if i + 1 < len(text) else ""
    if nxt.isalpha() or _byte_of(nxt) in letters:
        return True
    start = len(out)
    while start > 0 and out[start - 1].isalpha():
        start -= 1
    return is_syllable("".join(out[start:]) + letters[_byte_of(text[i])])


def _fix_capitals(text: str) -> str:
    """Capitalize text typed in .VnTimeH fonts, which show the lowercase codes as capitals.

    "HéI" decodes from "HỘI" typed in .VnTimeH: a word with a non-ASCII lowercase letter and
    two ASCII capitals, or one after it ("ñY" -> "ỦY"), is capitalized, and so is its whole
    line when the line has no ASCII lowercase letter ("X· HéI" -> "XÃ HỘI"). A lone
    "Sè" stays "Số".
    """
    lines = text.split("\n")
    for n, line in enumerate(lines):
        words = LETTER_RUN.findall(line)
        if not any(_typed_in_capitals(w) for w in words):
            continue
        if not any(c.isascii() and c.islower() for c in line):
            lines[n] = line.upper()
        else:
            lines[n] = LETTER_RUN.sub(
                lambda m: m.group().upper() if _typed_in_capitals(m.group()) else m.group(),
                line,
            )
    return "\n".join(lines)


def _typed_in_capitals(word: str) -> bool:
    """Whether a decoded word mixes ASCII capitals with lowercase legacy letters ("NHIÖM")."""
    if any(c.isascii() and c.islower() for c in word):
        return False
    lower = [i for i, c in enumerate(word) if c.islower()]
    capitals = [i for i, c in enumerate(word) if c.isascii() and c.isupper()]
    return bool(lower) and (len(capitals) >= 2 or any(i > lower[0] for i in capitals))


def _vni_decode(text: str) -> str:
    """Map VNI base + modifier sequences to Unicode letters, longest match first."""
    table = _vni_table()
    out: list[str] = []
    i = 0
    while i < len(text):
        pair = text[i : i + 2]
        if len(pair) == 2 and pair in table:
            out.append(table[pair])
            i += 2
        else:
            out.append(table.get(text[i], text[i]))
            i += 1
    return "".join(out)
