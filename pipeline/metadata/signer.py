"""Metadata, signature part: recipients, signer_title and signer_name.

Reads the "Nơi nhận:" block and the signature block (Nghị định 30/2020/NĐ-CP, Phụ lục I:
recipients in the left column, the signer's authority, title and name in the right one), mending
a cut that put one in the other, and returns them; stamp and signature debris is skipped.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

from ..records import Layout, Line
from ..text.closed import match_signer_title
from ..text.markup import clean
from ..text.orthography import bare, fold, is_syllable, is_upper
from .lexicon import (
    BULLET,
    CAPITALIZED_WORD,
    PARENTHESIZED,
    RECIPIENTS_HEAD,
    SEPARATOR,
    SPACES,
    UPPER,
    UPPER_SHARE,
    lexicon,
)

# Characters a signer's title or name never holds (Nghị định 30: quyền hạn and chức vụ are words;
# the Party's "T/M", "K/T" put a slash between two letters): OCR reads them in the strokes of a
# signature or a seal left on a scan.  # "ẤN /À /A", "\\ /"
STAMP_DEBRIS = re.compile(r"[\\|_~^`<>{}\[\]@#$%*=+]|(?<![^\W\d_])/|/(?![^\W\d_])")
TRAILING_PUNCT = re.compile(r"[\s;,.]+$")  # "- Lưu: VT, HS." -> "Lưu: VT, HS"
# The file copy every list ends with: "Lưu: VT, TH.", "Lưu VT"
LAST_RECIPIENT = re.compile(r"^\W*Lưu\b", re.IGNORECASE)
# A footnote under the list: "1 Gồm: Sở Khoa học và Công nghệ, ...", "1 Văn phòng UBND tỉnh về ..."
FOOTNOTE = re.compile(rf"^\d{{1,2}}\s+[{UPPER}]")
# The last line of an e-signature box: its signing time "24.04.2019 11:03:36 +07:00", "11:03:36 +07:00"
SIGNING_TIME = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?|[+]\s*0?7:?00")


def _split_merged(text: str) -> tuple[str, list[str]]:
    """Split a recipients line that also carries signer text (two columns read as one line).

    "- CT, PCT UBND tỉnh; KT. CHÁNH VĂN PHÒNG" -> ("- CT, PCT UBND tỉnh;", ["KT. CHÁNH VĂN PHÒNG"]).
    """
    lex = lexicon()
    folded = fold(text)
    m = lex.authority.search(folded)
    if m and m.start() > 0:
        return text[: m.start()].strip(), [text[m.start() :].strip()]
    tail = re.search(rf"(?:[,;]\s*|\s)((?:[{UPPER}]{{2,}}\.?\s*){{2,}})$", text)
    if tail and lex.signer_title_word.search(fold(tail.group(1))):
        return text[: tail.start(1)].strip(), [tail.group(1).strip()]
    name = re.search(r"\.\s+(\S+(?:\s+\S+){1,4})$", text)
    if name and _looks_like_name(name.group(1)):
        return text[: name.start() + 1].strip(), [name.group(1).strip()]
    return text, []


def _recipient_lines(layout: Layout) -> list[Line]:
    """The recipients part, or the "Nơi nhận:" block found in `lines`."""
    if layout.recipients:
        return layout.recipients
    for i, line in enumerate(layout.lines):
        if RECIPIENTS_HEAD.match(bare(clean(line.text))):
            out = [line]
            for nxt in layout.lines[i + 1 : i + 25]:
                t = clean(nxt.text)
                if (
                    t
                    and not BULLET.match(t)
                    and (is_upper(t, UPPER_SHARE) or lexicon().authority.match(fold(t)))
                ):
                    break
                out.append(nxt)
            return out
    return []


def read_recipients(lines: Sequence[Line]) -> tuple[list[str], list[Line]]:
    """(recipients, signer lines that were printed beside them) from the "Nơi nhận:" block."""
    lex = lexicon()
    items: list[str] = []
    beside: list[Line] = []
    in_signer = False  # a cut that left the signature block under "Nơi nhận:"
    in_box = False  # an e-signature box ("Cơ quan: Tỉnh" + "Đắk Nông" + its time) beside the list
    for line in lines:
        t = clean(line.text)
        if lex.digital_signature.match(fold(t)) or in_box:
            in_box = not SIGNING_TIME.search(t)
            continue
        # "- Lưu: VT, TH." closes the list (Nghị định 30, Phụ lục I); a footnote ("1 Gồm: ...") or an
        # attached document after it is no recipient
        if items and items[-1].rstrip().endswith(".") and LAST_RECIPIENT.match(fold(items[-1])):
            if not BULLET.match(t):
                break
        if items and FOOTNOTE.match(t):
            break
        if line.column == "right" or (in_signer and line.column != "left" and _looks_like_name(t)):
            beside.append(line)
            continue
        head = RECIPIENTS_HEAD.match(bare(t))
        if head:
            t = t[head.end() :].strip()
        if not t:
            continue
        if lex.copy_marker.match(fold(t)):
            break
        if lex.authority.match(fold(t)) or (is_upper(t, UPPER_SHARE) and not BULLET.match(t)):
            beside.append(dataclasses.replace(line, text=t))
            in_signer = line.column != "left"
            continue
        t, extra = _split_merged(t)
        beside.extend(dataclasses.replace(line, text=x) for x in extra)
        if BULLET.match(t):
            items.append(BULLET.sub("", t))
        elif PARENTHESIZED.fullmatch(t):
            continue  # typist's initials "(M.An)"
        elif items:
            items[-1] = f"{items[-1]} {t}"
        else:
            items.append(t)
    cleaned = [TRAILING_PUNCT.sub("", i).strip() for i in items]
    return [c for c in cleaned if c], beside


def _looks_like_name(text: str) -> bool:
    """A person's name: 2-6 capitalized words, the first a surname or after an academic prefix."""
    lex = lexicon()
    t = text.strip()
    academic = lex.academic.match(t)
    if academic:
        t = t[academic.end() :].strip()
    words = t.split()
    if not 2 <= len(words) <= 6 or any(ch.isdigit() for ch in t) or ":" in t:
        return False
    if not all(CAPITALIZED_WORD.match(w) for w in words):
        return False
    if is_upper(t, UPPER_SHARE):
        first = words[0][:1] + words[0][1:].lower()
        return fold(first) in lex.surnames and not lex.signer_title_word.search(fold(t))
    return bool(academic) or fold(words[0]) in lex.surnames or not lex.unit_in_text.search(fold(t))


def personal_name(text: str) -> str:
    """The signer's name printed on a line read by OCR from a signature image, or "".

    Nghị định 30/2020/NĐ-CP prints the signer's name under the title, after the signature: 2-5
    capitalized words that are Vietnamese syllables, the first a surname, optionally after a rank
    ("Thiếu tướng"), which is kept as printed. The e-signature box ("Ký bởi:", "Cơ quan: Tỉnh",
    "Email:", its signing time) and OCR debris of the signature stroke are never a name.

    Examples:
        >>> personal_name("Phan Thị Hiếu"), personal_name("Thiếu tướng Trương Minh Đương")
        ('Phan Thị Hiếu', 'Thiếu tướng Trương Minh Đương')
        >>> personal_name("Cơ quan: Tỉnh"), personal_name("Đắk Nông"), personal_name("24.04.2019 11:03:36")
        ('', '', '')
    """
    lex = lexicon()
    t = SPACES.sub(" ", clean(text)).strip(" .,;:-_'\"“”|")
    ft = fold(t)
    if not t or lex.digital_signature.match(ft) or any(ch.isdigit() or ch in ":@/" for ch in t):
        return ""
    rank = lex.rank.match(ft)
    body = t[rank.end() :].strip() if rank else t
    words = body.split()
    if not 2 <= len(words) <= 5:
        return ""
    if not all(w[:1].isupper() and w.isalpha() and is_syllable(w) for w in words):
        return ""
    first = words[0][:1] + words[0][1:].lower()
    if fold(first) not in lex.surnames or lex.signer_title_word.search(fold(body).upper()):
        return ""
    return f"{t[: rank.end()].strip()} {body}".strip() if rank else body


def _is_signature_text(text: str) -> bool:
    """True for what a signature block prints: titles, notes, ranks, names, e-signature stamps."""
    lex = lexicon()
    ft = fold(text)
    short_title = len(text.split()) <= 4 and not re.search(r"[,;:]", text)
    return bool(
        not text
        or SEPARATOR.match(text)
        or is_upper(text, UPPER_SHARE)
        or lex.authority.match(ft)
        or lex.signer_note.match(ft)
        or lex.rank.match(ft)
        or lex.digital_signature.match(ft)
        or lex.copy_marker.match(ft)
        or PARENTHESIZED.fullmatch(text)
        or _looks_like_name(text)
        or (short_title and lex.signer_title_word.search(ft.upper()))
    )


def tail_parts(layout: Layout) -> tuple[list[Line], list[Line]]:
    """(recipients lines, signer lines), mending a cut that left recipients in the signer part.

    "Nơi nhận" is printed in the left column (Nghị định 30/2020/NĐ-CP, Phụ lục I): with two
    columns, the signer part's left lines go back to the recipients; without, "- ...;" bullets
    and plain wrapped text do (a signature block prints only titles, notes, ranks and a name).
    A copy block ("SAO Y BẢN CHÍNH") with its own "Nơi nhận:" stays where it is.
    """
    signer = list(layout.signer)
    kept: list[Line] = []
    recipients = list(layout.recipients)
    if not recipients:
        head = next((i for i, ln in enumerate(signer) if RECIPIENTS_HEAD.match(bare(clean(ln.text)))), None)
        if head is not None:
            recipients, kept, signer = [signer[head]], signer[:head], signer[head + 1 :]
        else:
            recipients = _recipient_lines(layout)
            return recipients, [ln for ln in signer if ln not in recipients]
    two_columns = any(line.column == "right" for line in signer)
    moved: list[Line] = []
    copy_block = False
    for line in signer:
        t = clean(line.text)
        ft = fold(t)
        copy_block = copy_block or bool(lexicon().copy_marker.match(ft) or RECIPIENTS_HEAD.match(bare(t)))
        if copy_block or (two_columns and line.column == "right"):
            kept.append(line)
        elif (two_columns and line.column == "left") or BULLET.match(t) or not _is_signature_text(t):
            moved.append(line)
        else:
            kept.append(line)
    return recipients + moved, kept


def signature_lines(layout: Layout, signer: Sequence[Line], beside: Sequence[Line]) -> list[str]:
    """Signature block lines in reading order: those printed beside the recipients and the signer
    part, merged top to bottom when the page gave positions."""
    lines = [*beside, *signer]
    if not lines:
        tail = layout.lines[-15:]
        lex = lexicon()
        for i, line in enumerate(tail):
            if lex.authority.match(fold(clean(line.text))):
                lines = list(tail[i:])
                break
    if lines and all(line.top > 0 or line.bottom > 0 for line in lines):
        lines = sorted(lines, key=lambda line: (line.page, line.top))  # stable for one row
    return [t for t in (clean(line.text) for line in lines) if t]


def read_signer(lines: Sequence[str]) -> tuple[str, str]:
    """(signer_title, signer_name) of a signature block.

    Examples:
        >>> read_signer(["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "(Đã ký)", "Thượng tá", "Phan Văn Hiếu"])
        ('KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC', 'Phan Văn Hiếu')
        >>> read_signer(["TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG", "ẤN /À /A", "Lê Thị Hoa"])  # a seal's debris
        ('TL. CHỦ TỊCH / CHÁNH VĂN PHÒNG', 'Lê Thị Hoa')
        >>> read_signer(["T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ", "Trần Văn Nam"])
        ('T/M BAN THƯỜNG VỤ / PHÓ BÍ THƯ', 'Trần Văn Nam')
    """
    lex = lexicon()
    titles: list[str] = []
    name = ""
    in_box = False  # inside an e-signature box: "Ký bởi: ...", "Cơ quan: Tỉnh" + "Đắk Nông", its time
    for raw in lines:
        t = raw.strip()
        ft = fold(t)
        if lex.copy_marker.match(ft) or RECIPIENTS_HEAD.match(bare(t)):
            break
        if lex.digital_signature.match(ft):
            in_box = not SIGNING_TIME.search(t)
            continue
        if in_box:
            in_box = not SIGNING_TIME.search(t) and not _is_title_line(t)
            if in_box or SIGNING_TIME.search(t):
                continue
        t = PARENTHESIZED.sub(" ", t).strip()
        t = SPACES.sub(" ", t)
        if not t or SEPARATOR.match(t) or lex.signer_note.match(fold(t)):
            continue
        rank = lex.rank.match(fold(t))
        if rank and not t[rank.end() :].strip():
            continue  # a rank on its own line; on the name's line it is printed with the name
        if name:
            break
        if BULLET.match(t) or STAMP_DEBRIS.search(t):
            continue  # a recipient or stamp debris, never part of the block
        body = t[rank.end() :].strip() if rank else t
        if lex.authority.match(fold(t)) or (is_upper(t, UPPER_SHARE) and not _looks_like_name(body)):
            title = _title_line(t)
            if title:
                titles.append(title)
        elif _looks_like_name(body):
            name = t
        # anything else is OCR debris of a stamp or a signature: skipped
    return " / ".join(titles), name


def _is_title_line(text: str) -> bool:
    """True for a line of the closed list of signer titles ("KT. GIÁM ĐỐC", "PHÓ CHỦ TỊCH")."""
    return is_upper(text, UPPER_SHARE) and match_signer_title(text) is not None


def _title_line(text: str) -> str:
    """A signature-block title line as the closed list reads it, or "" for seal debris.

    A line of the list is kept as printed, a damaged one spelled as the list spells it
    ("GLÁM ĐÓC" -> "GIÁM ĐỐC"); a line the list does not know is kept only when its words are
    Vietnamese syllables and it names a title ("CHÁNH THANH TRA TỈNH"), else it is debris ("TC LẢ").

    Examples:
        >>> _title_line("CHANH Á VAN Ă PHONG"), _title_line("TC LẢ"), _title_line("HIỆU TRƯỞNG")
        ('CHÁNH VĂN PHÒNG', '', 'HIỆU TRƯỞNG')
    """
    lex = lexicon()
    matched = match_signer_title(text)
    if matched:
        return matched[0]
    words = [w.strip(",.;:()") for w in text.split()]
    words = [w for w in words if w]
    plausible = bool(words) and all(is_syllable(w) or w.isupper() and len(w) >= 2 for w in words)
    if plausible and (lex.authority.match(fold(text)) or lex.signer_title_word.search(fold(text))):
        return text
    return ""
