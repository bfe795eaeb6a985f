"""Metadata, recipients part: the marks of listed recipient phrases on OCR lines.

Reads one "Nơi nhận" line read by OCR and data/metadata/closed_lists.json ("recipient_phrases");
returns the line with a run of words spelled like a listed phrase but for the marks written with
the phrase's marks ("Cống thông tin điện tử" -> "Cổng thông tin điện tử"). Never adds, drops or
moves a letter, and is never applied to text-layer, DOCX or plain-text lines.
"""

from __future__ import annotations

import functools
import json
import re

from ..config import DATA_DIR
from ..text.orthography import bare

PHRASES_FILE = DATA_DIR / "metadata" / "closed_lists.json"
# A word and the punctuation around it.  # "(Cống", "tử;"
WORD_PARTS = re.compile(r"^(\W*)(.*?)(\W*)$")


@functools.lru_cache(maxsize=1)
def _phrases() -> tuple[tuple[str, ...], ...]:
    """The listed phrases as words, longest first."""
    raw = json.loads(PHRASES_FILE.read_text(encoding="utf-8"))
    phrases = [tuple(str(p).split()) for p in raw.get("recipient_phrases", ())]
    return tuple(sorted(phrases, key=len, reverse=True))


def mend_recipient_phrases(text: str) -> str:
    """An OCR recipient line with listed phrases spelled with their marks.

    Each word keeps its printed case on its first letter; a word that differs from the phrase's
    in more than its marks leaves the line as read.

    Examples:
        >>> mend_recipient_phrases("- Cống thông tin điện tử Trung tâm;")
        '- Cổng thông tin điện tử Trung tâm;'
        >>> mend_recipient_phrases("- Đăng Trang thông tin điện tư huyện;")
        '- Đăng Trang thông tin điện tử huyện;'
        >>> mend_recipient_phrases("- Công TTĐT-VP.UBND huyện (Công khai);")
        '- Cổng TTĐT-VP.UBND huyện (Công khai);'
        >>> mend_recipient_phrases("- Cống thoát nước khu phố 3;"), mend_recipient_phrases("CỐNG THÔNG TIN ĐIỆN TỬ")
        ('- Cống thoát nước khu phố 3;', 'CỔNG THÔNG TIN ĐIỆN TỬ')
    """
    words = text.split(" ")
    parts = [WORD_PARTS.match(w) for w in words]
    cores = [m.group(2) if m else w for m, w in zip(parts, words, strict=True)]
    keys = [bare(c, key=True) for c in cores]
    # a phrase's last word may be joined by a hyphen to what follows: "TTĐT-VP.UBND"
    heads = [bare(c.split("-")[0], key=True) for c in cores]
    k = 0
    while k < len(words):
        for phrase in _phrases():
            n = len(phrase)
            wanted = [bare(p, key=True) for p in phrase]
            joined = wanted != keys[k : k + n] and wanted[:-1] == keys[k : k + n - 1]
            joined = joined and k + n <= len(words) and "-" in cores[k + n - 1]
            joined = joined and wanted[-1] == heads[k + n - 1]
            if wanted != keys[k : k + n] and not joined:
                continue
            # punctuation only before the run's first word and after its last one
            inner = parts[k : k + n]
            if any(m is None for m in inner) or any(m.group(3) for m in inner[:-1] if m):
                continue
            if any(m.group(1) for m in inner[1:] if m):
                continue
            for j, word in enumerate(phrase):
                core = cores[k + j]
                rest = core[core.index("-") :] if joined and j == n - 1 else ""
                core = core[: len(core) - len(rest)]
                mended = (word[:1].upper() if core[:1].isupper() else word[:1].lower()) + word[1:]
                if len(core) > 1 and core.isupper():
                    mended = word.upper()  # "CỐNG THÔNG TIN ĐIỆN TỬ"
                m = parts[k + j]
                words[k + j] = f"{m.group(1)}{mended}{rest}{m.group(3)}" if m else f"{mended}{rest}"
            k += n - 1
            break
        k += 1
    return " ".join(words)
