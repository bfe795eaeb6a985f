"""The canonical form of a line of Vietnamese text, and the comparison key built on it.

Reads one text (NFC or NFD, Unicode or legacy TCVN3/VNI decoded as latin-1); returns it NFC, in
one tone-mark style (hòa, thúy), without invisible or control characters and with single spaces.
Works on text only: never sees a Page or a Line (the normalize stage does), never imports a stage.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .legacy import detect_legacy, legacy_to_unicode
from .orthography import is_syllable, retone

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
# An invisible mark between two letter runs: "Trần\u200cThị" (a zero-width non-joiner typed as a
# space inside a signer's name) or "Tr\u200dần" (a joiner inside one word).
INVISIBLE_BETWEEN = re.compile(
    r"([^\W\d_]+)[\u00ad\u034f\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]+(?=([^\W\d_]+))"
)
SPACE_RUN = re.compile(r" {2,}")  # "Kết luận  của   Chủ tịch"
LIGATURE = re.compile(r"[\ufb00-\ufb06]")  # "ﬁ" in "ﬁnance": a key of LIGATURES
# Comparison keys remembered: an item's text is keyed by every category rule that reads it.
TONE_KEY_CACHE = 4096
LIGATURES = {
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\ufb05": "st",
    "\ufb06": "st",
}


def normalize_text(text: str, encoding: str | None = None) -> str:
    """Normalize one line of text: NFC, legacy encodings, one tone style, clean spaces.

    TCVN3 or VNI text decoded as latin-1/cp1252 is converted to Unicode; tone marks of
    oa/oe/uy without a final consonant go on the first vowel (hòa, thúy, khỏe); NBSP,
    zero-width characters, soft hyphens and control characters are cleaned, runs of spaces
    collapsed and the ends stripped. Idempotent.

    Args:
        text: a line as extracted (several lines separated by "\\n" are normalized one by one).
        encoding: the legacy encoding ("tcvn3", "vni" or "" for Unicode) when it was decided
            for the whole document; None detects it from this text.

    Returns:
        The normalized text.

    Examples:
        >>> normalize_text("Thanh Hoá,\\u00a0ngày  15 tháng 3 năm 2024 ")
        'Thanh Hóa, ngày 15 tháng 3 năm 2024'
        >>> normalize_text("Uû ban nh©n d©n tØnh")
        'Ủy ban nhân dân tỉnh'
    """
    text = unicodedata.normalize("NFC", text)
    if encoding is None:
        encoding = detect_legacy(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    lines = []
    for line in text.split("\n"):
        if encoding and not UNICODE_VIETNAMESE.search(line):
            line = legacy_to_unicode(line, encoding)
        line = unicodedata.normalize("NFC", clean_characters(line))
        lines.append(retone(line))
    return "\n".join(lines).strip()


@lru_cache(maxsize=TONE_KEY_CACHE)
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


def clean_characters(text: str) -> str:
    """One line without odd spaces, invisible or control characters and ligatures, stripped.

    A PDFium break-hyphen mark (U+FFFE) between letters becomes "-"; other non-characters go.
    A zero-width or bidi mark between two words, each a syllable while their join is not,
    stood for a space and becomes one ("Trần\u200cThị" -> "Trần Thị"); inside a word it goes.

    Examples:
        >>> clean_characters("Số:\\u00a011/QĐ\\ufffeUBND\\u200b  ngày")
        'Số: 11/QĐ-UBND ngày'
        >>> clean_characters("Trần\\u200cThị\\u200bBình"), clean_characters("Tr\\u200dần \\u202bThị\\u202c Bình")
        ('Trần Thị Bình', 'Trần Thị Bình')
    """
    text = SPACE_LIKE.sub(" ", text)
    if "\ufffe" in text:
        text = BREAK_HYPHEN.sub("-", text)
    text = NON_CHARACTER.sub("", text)
    if INVISIBLE.search(text):
        text = INVISIBLE.sub("", INVISIBLE_BETWEEN.sub(_between_words, text))
    text = CONTROL.sub("", text)
    if LIGATURE.search(text):
        text = "".join(LIGATURES.get(c, c) for c in text)
    return SPACE_RUN.sub(" ", text).strip()


def _between_words(m: re.Match[str]) -> str:
    """The left word, then a space when the invisible mark separated two words."""
    left, right = m.group(1), m.group(2)
    if (is_syllable(left) or is_syllable(right)) and not is_syllable(left + right):
        return left + " "
    return left
