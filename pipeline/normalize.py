"""Normalize stage: list[Page] -> list[Page], text-level clean-up of every Line.

Reads extracted pages; returns new pages whose line texts are NFC, in one tone-mark style
(hòa, thúy), converted from TCVN3/VNI when the text is legacy-encoded, with page numbers,
running headers and e-signature stamp lines dropped. Never joins lines into paragraphs and
never changes line order.
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .config import DATA_DIR
from .ocr_correct import correct_line
from .records import Line, Page

LEGACY_DIR = DATA_DIR / "legacy"

# Tone marks as NFD combining characters, and the marks that change a vowel's quality.
ACUTE, GRAVE, HOOK, TILDE, DOT = "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"
TONE_MARKS = frozenset((ACUTE, GRAVE, HOOK, TILDE, DOT))
QUALITY_MARKS = frozenset(("\u0302", "\u0306", "\u031b"))  # circumflex, breve, horn
VOWELS = frozenset("aăâeêioôơuưy")
MARKED_VOWELS = frozenset("ăâêôơư")
VIETNAMESE_LETTERS = frozenset("abcdđeghiklmnopqrstuvxyăâêôơư")

# A word on NFD text: letters, each followed by its combining marks.  # "Hoà" in NFD
NFD_WORD = re.compile(r"(?:[^\W\d_][\u0300-\u036f]*)+")
# One letter and its marks inside an NFD word.  # "ờ" = "o" + horn + grave
NFD_LETTER = re.compile(r"[^\W\d_][\u0300-\u036f]*")
# Letters that only Unicode Vietnamese has (ă đ ơ ư and the precomposed toned vowels).  # "Đảng"
UNICODE_VIETNAMESE = re.compile(
    r"[\u0102\u0103\u0110\u0111\u0128\u0129\u0168\u0169\u01a0\u01a1\u01af\u01b0\u1ea0-\u1ef9]"
)

# Clean-up: spaces, invisible characters, controls, ligatures.
SPACE_LIKE = re.compile(r"[\t\x0b\x0c\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")  # "Số:\u00a011/TB-UBND"
INVISIBLE = re.compile(
    r"[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]"
)
CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")  # NUL, BEL, C1 controls left in a PDF text layer
# PDFium's mark for a hyphen at a line break: "1234/QĐ\ufffeUBND" from a Word PDF wrapped at the hyphen.
BREAK_HYPHEN = re.compile(r"(?<=\w)\ufffe\s*(?=\w|$)")
# Non-characters and lone surrogates (a ToUnicode map to U+D800): no text holds them.
NON_CHARACTER = re.compile(r"[\ufffe\uffff\ud800-\udfff]")
SPACE_RUN = re.compile(r" {2,}")  # "Kết luận  của   Chủ tịch"
LIGATURES = {
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\ufb05": "st",
    "\ufb06": "st",
}

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

# Page furniture.
PAGE_NUMBER = re.compile(r"^[-–—]?\s*\d{1,3}\s*[-–—]?$")  # "2", "- 2 -"
PAGE_OF = re.compile(r"^\d{1,3}\s*/\s*\d{1,3}$")  # "2/5"
TIMESTAMP = re.compile(
    r"^(?:\d{1,2}[./-]\d{1,2}[./-]\d{4}|\d{4}[./-]\d{1,2}[./-]\d{1,2})[ ,T]+\d{1,2}:\d{2}(?::\d{2})?"
    r"(?:\s*(?:[+-]\d{2}:?\d{2}|(?:GMT|UTC)\s*[+-]?\d{0,2}(?::?\d{2})?|[AP]M))*$",
    re.IGNORECASE,
)  # "09.01.2025 10:21:11 +07:00"
EMAIL_LINE = re.compile(
    r"^(?:E-?mail\s*:\s*)?[\w.+-]+@[\w-]+(?:\.[\w-]+)+\.?$", re.IGNORECASE
)  # "ttcbth@quangngai.gov.vn"
RUNNING_KEY_JUNK = re.compile(r"[\d\W_]+")  # digits and punctuation ignored: "Trang 2 - TB 11/TB-UBND"
MAX_RUNNING_CHARS = 120  # a running header is a short line
EDGE_LINES = 3  # lines at the top and at the bottom of a page looked at for running headers
HEADER_LINES = 8  # the quốc hiệu of a document sits in its first lines


def normalize_text(text: str) -> str:
    """Normalize one line of text: NFC, legacy encodings, one tone style, clean spaces.

    TCVN3 or VNI text decoded as latin-1/cp1252 is converted to Unicode; tone marks of
    oa/oe/uy without a final consonant go on the first vowel (hòa, thúy, khỏe); NBSP,
    zero-width characters, soft hyphens and control characters are cleaned, runs of spaces
    collapsed and the ends stripped. Idempotent.

    Args:
        text: a line as extracted (several lines separated by "\\n" are normalized one by one).

    Returns:
        The normalized text.

    Examples:
        >>> normalize_text("Thanh Hoá,\\u00a0ngày  15 tháng 3 năm 2024 ")
        'Thanh Hóa, ngày 15 tháng 3 năm 2024'
        >>> normalize_text("Uû ban nh©n d©n tØnh")
        'Ủy ban nhân dân tỉnh'
    """
    text = unicodedata.normalize("NFC", text)
    return _normalize(text, detect_legacy(text))


def tone_key(text: str) -> str:
    """A comparison key: normalized, casefolded, insensitive to where the tone mark sits.

    Args:
        text: any text, e.g. a lexicon entry or a line.

    Returns:
        The key; two spellings of a word that differ only in tone placement get the same key.

    Examples:
        >>> tone_key("Hoà Bình") == tone_key("hòa bình")
        True
        >>> tone_key("Thuỷ lợi")
        'thủy lợi'
    """
    return unicodedata.normalize("NFC", normalize_text(text).casefold())


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
    tokens = [w.strip("".join(CP1252_PUNCT_CODES)) for w in LEGACY_WORD.findall(text)]
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


def normalize_pages(pages: list[Page]) -> list[Page]:
    """Normalize every line of a document and drop page furniture.

    Line texts go through `normalize_text` (legacy encoding decided once for the document);
    lines that become empty, page-number lines ("2", "- 2 -", "Trang 2/5") at the top or
    bottom of a page (anywhere in plain text), running headers and footers (the same short
    line, digits ignored, at an edge of at least half the pages of a document of 3 or more
    pages) and e-signature stamp lines ("Người ký: ...", "Thời gian ký: ...") are dropped.
    Lines read by OCR (`origin == "ocr"`) then get diacritics OCR dropped back where a
    lexicon leaves no doubt (`ocr_correct.correct_line`: "PHO CHU TỊCH" -> "PHÓ CHỦ TỊCH").
    Other Line attributes are kept; a dropped line's `gap_before` passes to the next kept
    line of the same page.

    Args:
        pages: the pages of one document, as extracted.

    Returns:
        New Page objects; the input is not modified.

    Examples:
        >>> p = Page(1, [Line("Ủy ban nhân dân tỉnh"), Line("2", page=1)])
        >>> [ln.text for ln in normalize_pages([p])[0].lines]
        ['Ủy ban nhân dân tỉnh']
    """
    furniture = _furniture()
    all_text = "\n".join(ln.text for page in pages for ln in page.lines)
    encoding = detect_legacy(unicodedata.normalize("NFC", all_text))
    texts = [[_line_text(ln, encoding, page.source == "ocr") for ln in page.lines] for page in pages]
    drops: list[list[bool]] = []
    for page, page_texts in zip(pages, texts, strict=True):
        dropped = [not t for t in page_texts]
        _drop_stamps(page.lines, page_texts, dropped, furniture)
        _drop_plain_text_page_numbers(page.lines, page_texts, dropped, furniture)
        drops.append(dropped)
    running = _running_keys(pages, texts, drops, furniture)
    result = []
    for page, page_texts, dropped in zip(pages, texts, drops, strict=True):
        _drop_edges(page.lines, page_texts, dropped, running, furniture)
        kept = _kept_lines(page.lines, page_texts, dropped, encoding, page.source == "ocr")
        result.append(dataclasses.replace(page, lines=kept))
    return result


# ---------------------------------------------------------------- syllables and tones


@dataclass(frozen=True)
class _Syllable:
    """A parsed syllable: letter indexes where the vowels start and end, the final, the tone."""

    vowel_start: int
    vowel_end: int
    final: str
    tone: str  # the combining tone mark, "" when untoned
    tone_allowed: bool  # False for a stop final (c, ch, p, t) without the acute or dot-below tone


@lru_cache(maxsize=1)
def _orthography() -> tuple[tuple[str, ...], frozenset[str], frozenset[str]]:
    """Onsets (longest first), rhymes and stop finals from data/legacy/orthography.json."""
    data = json.loads((LEGACY_DIR / "orthography.json").read_text(encoding="utf-8"))
    onsets = tuple(sorted(data["onsets"], key=len, reverse=True))
    return onsets, frozenset(data["rhymes"]), frozenset(data["stop_finals"])


def _parse_letters(letters: list[str]) -> _Syllable | None:
    """Parse NFD letters (base + marks each) as one Vietnamese syllable, or None."""
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
    return _Syllable(start, start + n_vowels, final, tone, final not in stops or tone in (ACUTE, DOT))


def _tone_index(plain: str, syllable: _Syllable) -> int:
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

    Examples:
        >>> is_syllable("Quốc"), is_syllable("café"), is_syllable("lỔ")
        (True, False, False)
    """
    if not word or not (word.islower() or word.isupper() or (word[0].isupper() and word[1:].islower())):
        return False
    letters = NFD_LETTER.findall(unicodedata.normalize("NFD", word))
    if "".join(letters) != unicodedata.normalize("NFD", word):
        return False
    syllable = _parse_letters(letters)
    return syllable is not None and syllable.tone_allowed


@lru_cache(maxsize=65536)
def _retone_word(word: str) -> str:
    """Move the tone of one NFD word to its old-style place; other words are returned as is."""
    letters = NFD_LETTER.findall(word)
    syllable = _parse_letters(letters)
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


def _retone(text: str) -> str:
    """Put every syllable's tone mark in the old-style place; NFC text in, NFC out."""
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", NFD_WORD.sub(lambda m: _retone_word(m.group()), decomposed))


# ---------------------------------------------------------------- clean-up


def _clean_line(text: str) -> str:
    """Spaces, invisible and control characters, ligatures; collapse and strip."""
    text = SPACE_LIKE.sub(" ", text)
    if "\ufffe" in text:
        text = BREAK_HYPHEN.sub("-", text)
    text = NON_CHARACTER.sub("", text)
    text = INVISIBLE.sub("", text)
    text = CONTROL.sub("", text)
    if any(c in LIGATURES for c in text):
        text = "".join(LIGATURES.get(c, c) for c in text)
    return SPACE_RUN.sub(" ", text).strip()


def _normalize(text: str, encoding: str) -> str:
    """Normalize NFC text whose legacy encoding is already known."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    lines = []
    for line in text.split("\n"):
        if encoding and not UNICODE_VIETNAMESE.search(line):
            line = legacy_to_unicode(line, encoding)
        line = unicodedata.normalize("NFC", _clean_line(line))
        lines.append(_retone(line))
    return "\n".join(lines).strip()


def _from_ocr(line: Line, ocr_page: bool) -> bool:
    """An OCR line, or a row of a ruled table read by OCR (its origin is "table" on any page)."""
    return line.origin == "ocr" or (ocr_page and line.origin == "table")


def _line_text(line: Line, encoding: str, ocr_page: bool = False) -> str:
    """A Line's normalized text; OCR lines also get the diacritics OCR lost back (ocr_correct)."""
    text = _normalize_line_text(line.text, encoding)
    return correct_line(text) if text and _from_ocr(line, ocr_page) else text


def _normalize_line_text(text: str, encoding: str) -> str:
    """One Line's text: normalized with the document's encoding, on one line."""
    return _normalize(unicodedata.normalize("NFC", text), encoding).replace("\n", " ")


# ---------------------------------------------------------------- legacy encodings


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
        words = re.findall(r"[^\W\d_]+", line)
        if not any(_typed_in_capitals(w) for w in words):
            continue
        if not any(c.isascii() and c.islower() for c in line):
            lines[n] = line.upper()
        else:
            lines[n] = re.sub(
                r"[^\W\d_]+",
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


# ---------------------------------------------------------------- page furniture


@dataclass(frozen=True)
class _Furniture:
    """Compiled patterns from data/legacy/furniture.json."""

    strong_label: re.Pattern[str]
    weak_label: re.Pattern[str]
    inline_label: re.Pattern[str]
    page_word: re.Pattern[str]
    signer_title: re.Pattern[str]
    protected: frozenset[str]


@lru_cache(maxsize=1)
def _furniture() -> _Furniture:
    """Stamp labels, page words and protected lines, compiled once."""
    data: dict[str, Any] = json.loads((LEGACY_DIR / "furniture.json").read_text(encoding="utf-8"))

    def alternatives(words: list[str]) -> str:
        return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))

    strong = alternatives(data["stamp_labels_strong"])
    weak = alternatives(data["stamp_labels_weak"])
    words = alternatives(data["page_words"])
    return _Furniture(
        # "Người ký: Ủy ban Nhân dân tỉnh Quảng Ngãi", "Signature Not Verified"
        strong_label=re.compile(rf"^(?:{strong})(?:\s*:|\s*$)", re.IGNORECASE),
        # "Cơ quan: Tỉnh Quảng Ngãi", "Email: vp@quangngai.gov.vn"
        weak_label=re.compile(rf"^(?:{weak})\s*:\s*\S", re.IGNORECASE),
        # "TRUNG TÂM CÔNG BÁO Cơ quan: Tỉnh Quảng Ngãi" (two stamp columns on one line)
        inline_label=re.compile(rf"\s(?:{strong}|{weak})\s*:", re.IGNORECASE),
        # "Trang 2", "Trang 2/5", "Page 2 of 5"
        page_word=re.compile(rf"^(?:{words})\s*\d{{1,3}}(?:\s*(?:/|trên|of)\s*\d{{1,3}})?$", re.IGNORECASE),
        # "KT. CHỦ TỊCH", "PHÓ CHÁNH VĂN PHÒNG"
        signer_title=re.compile(rf"^(?:{alternatives(data['signer_title_starts'])})(?:\s|$)"),
        protected=frozenset(_running_key(normalize_text(line)) for line in data["protected_lines"]),
    )


def is_page_number(text: str) -> bool:
    """Whether a normalized line is only a page number ("2", "- 2 -", "Trang 2/5", "2/5").

    Examples:
        >>> is_page_number("- 3 -"), is_page_number("Trang 2/5"), is_page_number("2024")
        (True, True, False)
    """
    return bool(PAGE_NUMBER.match(text) or PAGE_OF.match(text) or _furniture().page_word.match(text))


def _stamp_strength(text: str, furniture: _Furniture) -> int:
    """2 for a line only a signature stamp prints, 1 for one that may be, 0 otherwise."""
    if furniture.strong_label.match(text) or TIMESTAMP.match(text):
        return 2
    if furniture.weak_label.match(text) or EMAIL_LINE.match(text):
        return 1
    return 0


def _is_stamp_org(text: str) -> bool:
    """A short capitalised line, as the organisation name a stamp prints above its e-mail."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and len(text) <= 60 and text.isupper() and text[-1] not in ".;:,"


def _drop_stamps(lines: list[Line], texts: list[str], dropped: list[bool], furniture: _Furniture) -> None:
    """Drop e-signature stamp lines in place; a stamp column merged into a line is cut off.

    A run of consecutive stamp-like lines is a stamp when it holds a strong line (a
    "Người ký:"/"Thời gian ký:" label or a timestamp) or two weak ones ("Cơ quan:", an
    e-mail). Capitalised lines right above a stamp's e-mail line are the stamping body's name.
    """
    strength = [0] * len(texts)
    prefix = [""] * len(texts)
    for i, text in enumerate(texts):
        if dropped[i]:
            continue
        strength[i] = _stamp_strength(text, furniture)
        if not strength[i]:
            inline = furniture.inline_label.search(text)
            if inline and _stamp_strength(text[inline.start() :].strip(), furniture):
                strength[i] = _stamp_strength(text[inline.start() :].strip(), furniture)
                prefix[i] = text[: inline.start()].strip()
    i = 0
    while i < len(texts):
        if not strength[i]:
            i += 1
            continue
        j = i
        while j < len(texts) and (strength[j] or not texts[j]):
            j += 1
        run = [k for k in range(i, j) if strength[k]]
        if max(strength[k] for k in run) == 2 or len(run) >= 2:
            for k in run:
                if prefix[k]:
                    texts[k] = prefix[k]  # keep what stood left of the stamp column
                else:
                    dropped[k] = True
            for k in run:
                if not prefix[k] and EMAIL_LINE.match(texts[k]):
                    _drop_org_lines_above(lines, texts, dropped, k, furniture)
        i = j


def _drop_org_lines_above(
    lines: list[Line], texts: list[str], dropped: list[bool], k: int, furniture: _Furniture
) -> None:
    """Drop up to two capitalised lines directly above stamp line k ("TRUNG TÂM CÔNG BÁO").

    A signer title ("PHÓ CHÁNH VĂN PHÒNG") is never the stamp's name, nor a line printed in
    another font size than the stamp's e-mail line.
    """
    count = 0
    m = k - 1
    while m >= 0 and count < 2:
        if not texts[m]:  # an empty line is no barrier
            m -= 1
            continue
        size_differs = lines[m].size > 0 and lines[k].size > 0 and abs(lines[m].size - lines[k].size) > 1.0
        if (
            dropped[m]
            or size_differs
            or not _is_stamp_org(texts[m])
            or furniture.signer_title.match(texts[m])
        ):
            return
        dropped[m] = True
        count += 1
        m -= 1


def _drop_plain_text_page_numbers(
    lines: list[Line], texts: list[str], dropped: list[bool], furniture: _Furniture
) -> None:
    """In plain text (no page geometry) a lone page-number line is dropped wherever it is."""
    for i, line in enumerate(lines):
        if line.origin == "txt" and not dropped[i] and is_page_number(texts[i]):
            dropped[i] = True


def _running_key(text: str) -> str:
    """Key of a normalized line for running headers: casefolded, digits and punctuation removed."""
    return RUNNING_KEY_JUNK.sub(" ", text.casefold()).strip()


def _edge_indexes(dropped: list[bool]) -> tuple[list[int], list[int]]:
    """Indexes of the first and last EDGE_LINES kept lines of a page."""
    kept = [i for i, d in enumerate(dropped) if not d]
    return kept[:EDGE_LINES], kept[-EDGE_LINES:]


def _starts_document(texts: list[str], dropped: list[bool], furniture: _Furniture) -> bool:
    """Whether the page opens a document: its first lines hold the quốc hiệu or tiêu ngữ."""
    kept = [texts[i] for i, d in enumerate(dropped) if not d][:HEADER_LINES]
    return any(_running_key(t) in furniture.protected for t in kept)


def _running_keys(
    pages: list[Page], texts: list[list[str]], drops: list[list[bool]], furniture: _Furniture
) -> frozenset[str]:
    """Keys of lines at a page edge on at least half of the pages (documents of 3+ pages)."""
    if len(pages) < 3:
        return frozenset()
    counts: dict[str, int] = {}
    for page_texts, dropped in zip(texts, drops, strict=True):
        if _starts_document(page_texts, dropped, furniture):
            continue  # a document's own header and signature are no running lines (bundled scans)
        top, bottom = _edge_indexes(dropped)
        keys = {_running_key(page_texts[i]) for i in top + bottom if len(page_texts[i]) <= MAX_RUNNING_CHARS}
        for key in keys - {""}:
            counts[key] = counts.get(key, 0) + 1
    need = max(2, math.ceil(len(pages) / 2))
    return frozenset(k for k, n in counts.items() if n >= need and k not in furniture.protected)


def _drop_edges(
    lines: list[Line], texts: list[str], dropped: list[bool], running: frozenset[str], furniture: _Furniture
) -> None:
    """Peel page numbers and running headers/footers off the top and the bottom of a page."""
    starts_document = _starts_document(texts, dropped, furniture)

    def furniture_line(i: int, at_top: bool) -> bool:
        if lines[i].origin == "table" or lines[i].table_row is not None:
            return False
        if is_page_number(texts[i]):
            return True
        if at_top and starts_document:
            return False
        return len(texts[i]) <= MAX_RUNNING_CHARS and _running_key(texts[i]) in running

    _peel(dropped, lambda i: furniture_line(i, True), range(len(lines)))
    _peel(dropped, lambda i: furniture_line(i, False), range(len(lines) - 1, -1, -1))


def _peel(dropped: list[bool], is_furniture: Callable[[int], bool], order: range) -> None:
    """Drop lines in `order` while they are furniture, skipping lines already dropped."""
    for i in order:
        if dropped[i]:
            continue
        if not is_furniture(i):
            return
        dropped[i] = True


def _kept_lines(
    lines: list[Line], texts: list[str], dropped: list[bool], encoding: str, ocr_page: bool = False
) -> list[Line]:
    """New Line objects for the kept lines; a dropped line's gap_before goes to the next one."""
    out: list[Line] = []
    pending_gap = False
    for line, text, drop in zip(lines, texts, dropped, strict=True):
        if drop:
            pending_gap = pending_gap or line.gap_before
            continue
        row = None
        if line.table_row is not None:
            row = [_normalize_line_text(c, encoding) for c in line.table_row]
            if _from_ocr(line, ocr_page):
                row = [correct_line(c) if c else c for c in row]
        out.append(
            dataclasses.replace(line, text=text, gap_before=line.gap_before or pending_gap, table_row=row)
        )
        pending_gap = False
    return out
