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
from ..text.closed import closed_lists, deputy_title, match_signer_title, read_signer_title
from ..text.markup import clean
from ..text.orthography import bare, fold, is_syllable, is_upper
from .header import continues_name
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
from .recipient_words import mend_recipient_phrases

# Characters a signer's title or name never holds (Nghị định 30: quyền hạn and chức vụ are words;
# the Party's "T/M", "K/T" put a slash between two letters): OCR reads them in the strokes of a
# signature or a seal left on a scan.  # "ẤN /À /A", "\\ /"
STAMP_DEBRIS = re.compile(r"[\\|_~^`<>{}\[\]@#$%*=+]|(?<![^\W\d_])/|/(?![^\W\d_])")
UNFINISHED = re.compile(r",\s*$")  # "- Các sở: LĐ-TB&XH, KH&ĐT, Tài chính," goes on on the next line
LIST_PUNCT = re.compile(r"[;,.]\s*$")  # "NN&PTNT;": a recipient's end; a signer's title line has none
TRAILING_PUNCT = re.compile(r"[\s;,.]+$")  # "- Lưu: VT, HS." -> "Lưu: VT, HS"
# The file copy every list ends with: "Lưu: VT, TH.", "Lưu VT"
LAST_RECIPIENT = re.compile(r"^\W*Lưu\b", re.IGNORECASE)
# A footnote under the list: "1 Gồm: Sở Khoa học và Công nghệ, ...", "1 Văn phòng UBND tỉnh về ..."
FOOTNOTE = re.compile(rf"^\d{{1,2}}\s+[{UPPER}]")
# The last line of an e-signature box: its signing time "24.04.2019 11:03:36 +07:00", "11:03:36 +07:00"
SIGNING_TIME = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?|[+]\s*0?7:?00")
# Ink a seal or a signature stroke leaves after the name on its line: "Nguyễn Hữu Phước :", "Lê Văn A ,"
NAME_TRAILING_INK = re.compile(r"(?:\s+[:;,.'\"’]+)+$")
# "Nơi nhận:" whose first word a seal or the margin took, on the bare line: "ko” nhan:", "nhan:"
DAMAGED_HEAD = re.compile(r"^\W*(?:[^\W\d_]{1,3}\W*\s+)?nhan\s*:\s*$", re.IGNORECASE)
# A recipient's purpose note closing its line, after a ";" OCR read as ":": "TT. HĐND huyện: (b/cáo)"
NOTE_AFTER_COLON = re.compile(r"\s*:\s*(\([^()]*\))$")
# A note whose closing bracket OCR read as a brace or bracket: "(đê bíc}" -> "(đê bíc)"
NOTE_BAD_CLOSE = re.compile(r"(\([^()]*)[}\]]$")
# A glyph a purpose note never holds (words, spaces, "/" and "." only): "(b/©c)", "(để b/c®)"
NOTE_GLYPH = re.compile(r"[^\w\s/.]")
# What follows the ";" that ends a recipient on its line: "Phòng KT-HT; Em", "Thanh Tra huyện; | (biêU"
AFTER_END = re.compile(r";\s*(?P<tail>[^;]*)$")
# A word or number: what ink after a recipient's closing "." never holds ("Ả¿", "⁄.-")
WORDLIKE = re.compile(r"[^\W_]{2,}|\d")
# The fixed recipients, on the bare lower-case line: "Như trên", "Như Điều 3", "Như Kính gửi"
FIXED_RECIPIENT = re.compile(r"^nhu\s+(tren|dieu\s+\d+|kinh\s+gui)$")
FIXED_FORMS = {"tren": "Như trên", "dieu": "Như điều", "kinh": "Như kính gửi"}


def is_recipients_head(text: str) -> bool:
    """The "Nơi nhận:" line, also when a seal or the margin took its first word ("nhận:").

    Examples:
        >>> is_recipients_head("Nơi nhận:"), is_recipients_head("ko” nhận:"), is_recipients_head("nhận:")
        (True, True, True)
        >>> is_recipients_head("Người nhận: ông A"), is_recipients_head("tiếp nhận:")
        (False, False)
    """
    t = bare(clean(text))
    return bool(
        RECIPIENTS_HEAD.match(t) or DAMAGED_HEAD.match(t) and not t.lower().startswith(("tiep", "da"))
    )


def clean_recipient(item: str) -> str:
    """One recipient as printed, without OCR debris: the ";" read as ":" before the purpose note,
    ink after the item's ";", a note's brace for its bracket, a damaged note spelled as listed.

    Examples:
        >>> clean_recipient("TT. HĐND huyện: (b/cáo)"), clean_recipient("Phòng KT-HT; Em")
        ('TT. HĐND huyện; (b/cáo)', 'Phòng KT-HT')
        >>> clean_recipient("PCTr. Đặng Ngọc Minh (đê bíc}"), clean_recipient("Cục QLGS CST:")
        ('PCTr. Đặng Ngọc Minh (để b/c)', 'Cục QLGS CST')
        >>> clean_recipient("Thanh Tra huyện; | (biêU"), clean_recipient("TT. Huyện ủy; (b/cáo)")
        ('Thanh Tra huyện', 'TT. Huyện ủy; (b/cáo)')
    """
    t = SPACES.sub(" ", item).strip()
    t = _cut_after_end(TRAILING_PUNCT.sub("", t))
    t = NOTE_BAD_CLOSE.sub(r"\1)", t)
    t = NOTE_AFTER_COLON.sub(r"; \1", t)
    tail = AFTER_END.search(t)
    if tail and not _is_recipient_tail(tail.group("tail").strip()):
        t = t[: tail.start()]
    t = PARENTHESIZED.sub(lambda m: _listed_note(m.group()), t)
    return _fixed_recipient(TRAILING_PUNCT.sub("", t).rstrip(" :").strip())


def _cut_after_end(text: str) -> str:
    """A recipient cut at the "." that ends it when only ink follows ("(16B). ⁄.-", "( Cb).Ả¿")."""
    for m in re.finditer(r"\.", text):
        rest = text[m.end() :]
        if rest.strip() and not WORDLIKE.search(rest):
            return text[: m.start()]
    return text


def _fixed_recipient(text: str) -> str:
    """The fixed recipients of Nghị định 30/2020/NĐ-CP ("Như trên", "Như Điều 3", "Như Kính gửi")
    with marks OCR damaged spelled right, each word keeping its printed case."""
    m = FIXED_RECIPIENT.match(bare(text).lower())
    if not m:
        return text
    canonical = FIXED_FORMS[m.group(1).split()[0]].split()
    words = text.split()
    mended = [
        (c[:1].upper() if w[:1].isupper() else c[:1]) + c[1:] if not c[:1].isdigit() else w
        for w, c in zip(words, [*canonical, *words[len(canonical) :]], strict=False)
    ]
    return " ".join(mended)


def _listed_key(text: str) -> str:
    """Lower-case letters of a note without marks: "(Để b/c)" -> "debc"."""
    return re.sub(r"[^a-z]", "", bare(text).lower())


def _is_recipient_tail(tail: str) -> bool:
    """What may follow a recipient's ";" on its line: a purpose note "(b/cáo)" or another
    recipient of two words or more or a capital abbreviation ("VT"); not ink ("Em", "| (biêU")."""
    if not tail or PARENTHESIZED.fullmatch(tail):
        return True
    if STAMP_DEBRIS.search(tail) or tail.count("(") != tail.count(")"):
        return False
    words = tail.split()
    return len(words) >= 2 or (len(words[0]) >= 2 and words[0].isupper())


def _listed_note(note: str) -> str:
    """A parenthesized purpose note spelled as the list spells it (data/metadata/closed_lists.json,
    "recipient_notes") when OCR damaged one letter."""
    from rapidfuzz.distance import Levenshtein

    inner = note[1:-1].strip()
    key = _listed_key(inner)
    notes = closed_lists().recipient_notes
    same = next((listed for listed in notes if _listed_key(listed) == key), None)
    # "(b/©c)": a glyph no note holds, read in a speck of the scan, is dropped
    plain = NOTE_GLYPH.sub("", inner)
    if same is not None and inner[1:] != same[1:] and plain[1:].lower() == same[1:].lower():
        return f"({inner[:1]}{same[1:]})"  # "(b/C)": OCR raised a letter inside the note
    if len(key) < 3 or same is not None:
        return note  # as printed: "(Thay báo cáo)"
    for listed in notes:
        listed_key = _listed_key(listed)
        if Levenshtein.distance(key, listed_key) <= (1 if len(listed_key) <= 8 else 2):
            return f"({listed})"
    return note


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
        if is_recipients_head(line.text):
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


def _unfinished(item: str) -> bool:
    """Whether a recipient line goes on on the next line: it ends with a comma, or with no
    punctuation at all (every "- X;" line of Nơi nhận ends with ";" or ".")."""
    return bool(UNFINISHED.search(item) or not LIST_PUNCT.search(item))


def read_recipients(lines: Sequence[Line]) -> tuple[list[str], list[Line]]:
    """(recipients, signer lines that were printed beside them) from the "Nơi nhận:" block."""
    lex = lexicon()
    items: list[str] = []
    beside: list[Line] = []
    in_signer = False  # a cut that left the signature block under "Nơi nhận:"
    in_box = False  # an e-signature box ("Cơ quan: Tỉnh" + "Đắk Nông" + its time) beside the list
    for line in lines:
        t = clean(line.text)
        if line.origin == "ocr":
            t = mend_recipient_phrases(t)  # "Cống thông tin điện tử": a mark OCR changed
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
        elif is_recipients_head(t):
            t = ""
        if not t:
            continue
        if lex.copy_marker.match(fold(t)):
            break
        if (
            items and line.column != "right" and not BULLET.match(t) and _unfinished(items[-1])
            and LIST_PUNCT.search(t) and not _is_title_line(t) and not LAST_RECIPIENT.match(fold(t))
        ):  # fmt: skip
            # "- Các sở: LĐ-TB&XH, KH&ĐT, Tài chính," / "NN&PTNT;"; "- Sở NN&PTNT các tỉnh, TP
            # trực thuộc" / "TW;": a recipient's own end, in capitals, is no signer line
            items[-1] = f"{items[-1]} {t}"
            continue
        if lex.authority.match(fold(t)) or (is_upper(t, UPPER_SHARE) and not BULLET.match(t)):
            beside.append(dataclasses.replace(line, text=t))
            in_signer = line.column != "left"
            continue
        t, extra = _split_merged(t)
        beside.extend(dataclasses.replace(line, text=x) for x in extra)
        if BULLET.match(t) or (items and LAST_RECIPIENT.match(fold(t))):  # "Lưu: VT" whose dash was lost
            items.append(BULLET.sub("", t))
        elif PARENTHESIZED.fullmatch(t):
            continue  # typist's initials "(M.An)"
        elif items:
            items[-1] = f"{items[-1]} {t}"
        else:
            items.append(t)
    cleaned = [clean_recipient(i) for i in items]
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
        head = next((i for i, ln in enumerate(signer) if is_recipients_head(ln.text)), None)
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
        copy_block = copy_block or bool(lexicon().copy_marker.match(ft) or is_recipients_head(t))
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
        lines = _join_rows(sorted(lines, key=lambda line: (line.page, line.top)))  # stable for one row
    return [t for t in (clean(line.text) for line in lines) if t]


def _join_rows(lines: list[Line]) -> list[Line]:
    """OCR pieces of one printed row of the signature block joined left to right.

    A seal over a title splits its row into pieces that OCR gives as lines of their own, the
    later piece first when its top is higher ("ÁN: VĂN rĂ" PHÒNG" over "CHANH"); pieces of one
    column whose heights overlap by more than half are one row when both are upper case (a title's
    pieces; a name with a stroke of ink beside it stays as read). Text-layer lines stay as they are.
    """
    out: list[Line] = []
    for line in lines:
        last = out[-1] if out else None
        if (
            last is not None
            and line.origin == "ocr"
            and last.origin == "ocr"
            and line.page == last.page
            and line.column == last.column
            and _same_row(last, line)
            and is_upper(clean(last.text), UPPER_SHARE)
            and is_upper(clean(line.text), UPPER_SHARE)
        ):
            first, second = (last, line) if last.x0 <= line.x0 else (line, last)
            out[-1] = dataclasses.replace(
                last, text=f"{first.text} {second.text}", x0=min(last.x0, line.x0), x1=max(last.x1, line.x1),
                top=min(last.top, line.top), bottom=max(last.bottom, line.bottom),
            )  # fmt: skip
        else:
            out.append(line)
    return out


def _same_row(a: Line, b: Line) -> bool:
    """Two boxes whose vertical extents overlap by more than half the shorter one."""
    overlap = min(a.bottom, b.bottom) - max(a.top, b.top)
    shorter = min(a.bottom - a.top, b.bottom - b.top)
    return shorter > 0 and overlap > 0.5 * shorter


NAME_JOINERS = ("-", "–", "&", "/")  # between the words of a body's name: "BAN VĂN HÓA - XÃ HỘI"
# Minutes (biên bản) are signed by the secretary and the chair: "THƯ KÝ" / "CHỦ TRÌ" (or "CHỦ TỌA")
# Lines of a signature's or a seal's ink OCR may read between a scrawl and the printed name
SIGNATURE_DEBRIS_LINES = 4
SECRETARY = re.compile(r"^(?:THƯ KÝ(?: CUỘC HỌP| HỘI NGHỊ)?|NGƯỜI GHI BIÊN BẢN)$")


def read_signer(lines: Sequence[str]) -> tuple[str, str]:
    """(signer_title, signer_name) of a signature block.

    Examples:
        >>> read_signer(["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "(Đã ký)", "Thượng tá", "Phan Văn Hiếu"])
        ('KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC', 'Phan Văn Hiếu')
        >>> read_signer(["TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG", "ẤN /À /A", "Lê Thị Hoa"])  # a seal's debris
        ('TL. CHỦ TỊCH / CHÁNH VĂN PHÒNG', 'Lê Thị Hoa')
        >>> read_signer(["T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ", "Trần Văn Nam"])
        ('T/M BAN THƯỜNG VỤ / PHÓ BÍ THƯ', 'Trần Văn Nam')
        >>> read_signer(["TUQ. CHỦ TỊCH", "TRƯỞNG PHÒNG QUẢN LÝ ĐÔ", "THỊ", "Bùi Đức Thịnh"])  # a wrapped title
        ('TUQ. CHỦ TỊCH / TRƯỞNG PHÒNG QUẢN LÝ ĐÔ THỊ', 'Bùi Đức Thịnh')
        >>> read_signer(["THƯ KÝ", "Trịnh Thị Hà", "CHỦ TRÌ", "Lê Văn Cường"])  # minutes
        ('CHỦ TRÌ', 'Lê Văn Cường')
    """
    lex = lexicon()
    titles: list[str] = []
    name = ""
    in_box = False  # inside an e-signature box: "Ký bởi: ...", "Cơ quan: Tỉnh" + "Đắk Nông", its time
    debris = 0  # lines read since the name
    for raw in lines:
        t = raw.strip()
        ft = fold(t)
        if lex.copy_marker.match(ft) or is_recipients_head(t):
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
        if is_upper(t, UPPER_SHARE):
            t = _without_letterless_ink(t)
        if not t or SEPARATOR.match(t) or lex.signer_note.match(fold(t)):
            continue
        rank = lex.rank.match(fold(t))
        if rank and not t[rank.end() :].strip():
            continue  # a rank on its own line; on the name's line it is printed with the name
        if name and SECRETARY.match(" / ".join(titles)) and is_upper(t, UPPER_SHARE) and _title_line(t):
            titles, name = [], ""  # minutes: the secretary signs first, the chair's block is the signer's
        if name:
            # the printed name is the block's last line, under the signature (Nghị định 30/2020,
            # Phụ lục I): a scrawl read as a name ("Xí TT", "Y Khoa") gives way to it
            later = _printed_below(name, t)
            debris += 1
            if later:
                name, debris = later, 0
                continue
            if debris > SIGNATURE_DEBRIS_LINES or len(t.split()) > 3 or _is_title_line(t):
                break
            continue
        if BULLET.match(t) and _is_title_line(BULLET.sub("", t)):
            t = BULLET.sub("", t)  # "-CHANH VĂN PHÒNG": a seal's edge read as a dash before a title
        if BULLET.match(t) or STAMP_DEBRIS.search(t):
            continue  # a recipient or stamp debris, never part of the block
        body = t[rank.end() :].strip() if rank else t
        if not is_upper(t, UPPER_SHARE) and _looks_like_name(NAME_TRAILING_INK.sub("", body)):
            t, body = NAME_TRAILING_INK.sub("", t), NAME_TRAILING_INK.sub("", body)  # "Nguyễn Hữu Phước :"
        if titles and is_upper(t, UPPER_SHARE) and _continues_title(titles[-1], t):
            titles[-1] = f"{titles[-1]} {t}"  # "GIÁM ĐỐC SỞ THÔNG TIN VÀ" / "TRUYỀN THÔNG"
        elif lex.authority.match(fold(t)) or (is_upper(t, UPPER_SHARE) and not _looks_like_name(body)):
            title = _title_line(t)
            if title:
                titles.append(title)
        elif _looks_like_name(body):
            name = t
        elif titles and _looks_like_name(_restore_initial(body)):
            name = _restore_initial(t)
        # anything else is OCR debris of a stamp or a signature: skipped
    return " / ".join(structured_titles(titles)), name


def _continues_title(title: str, line: str) -> bool:
    """True when `line` is the rest of the title line above it that a line break cut.

    After a connector ("VÀ", "-") it always is; a break inside a word is trusted only when the
    line does not open a title of the closed list itself: under "TM. HỘI ĐỒNG NHÂN DÂN" the head's
    title "CHỦ TỊCH" is a line of its own (Nghị định 30/2020/NĐ-CP, Điều 13), though a word
    segmenter joins "nhân dân chủ" across the break.

    Examples:
        >>> _continues_title("GIÁM ĐỐC SỞ THÔNG TIN VÀ", "TRUYỀN THÔNG"), _continues_title("TRƯỞNG PHÒNG QUẢN LÝ ĐÔ", "THỊ")
        (True, True)
        >>> _continues_title("TM. HỘI ĐỒNG NHÂN DÂN", "CHỦ TỊCH"), _continues_title("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")
        (False, False)
    """
    if not continues_name(title, line):
        return False
    if lexicon().name_connector.search(title):
        return True
    found = read_signer_title(line)
    opens = found is not None and (found.prefix or bare(line).upper().startswith(bare(found.title).upper()))
    return not opens


def _printed_below(name: str, text: str) -> str:
    """The printed name on a line under what was read as the name, or "": it replaces a signature
    scrawl that is no well-formed name ("Xí TT" above "Nguyễn Thị Bích Ngọc") or that it extends
    ("Y Khoa" above "Y Khoa Niê", "Văn Thiêm" cut from "Quàng Văn Thiêm"); a second well-formed
    name (another signer's) does not.

    Examples:
        >>> _printed_below("Xí TT", "Nguyễn Thị Bích Ngọc"), _printed_below("Văn Thiêm", "Quàng Văn Thiêm")
        ('Nguyễn Thị Bích Ngọc', 'Quàng Văn Thiêm')
        >>> _printed_below("Trần Văn Nam", "Lê Thị Hoa"), _printed_below("Xí TT", "TIỆC")
        ('', '')
    """
    if is_upper(text, UPPER_SHARE):
        return ""
    body = NAME_TRAILING_INK.sub("", text).strip()
    if not _looks_like_name(body):
        return ""
    words, before = body.split(), name.split()
    extends = len(words) > len(before) and before in (words[: len(before)], words[-len(before) :])
    return body if extends or not personal_name(name) else ""


def structured_titles(titles: list[str]) -> list[str]:
    """Title lines mended by the structure Nghị định 30/2020/NĐ-CP (Điều 13) gives them.

    "KT. X" is signed by a deputy, whose title "PHÓ X" is the next line: a lost or damaged one
    ("GIÁM ĐỐC" for "PHÓ GIÁM ĐỐC") is written as the structure says; a "PHÓ X" line under an
    "X" that lost its "KT." (a seal over it) gets the "KT." back.

    Examples:
        >>> structured_titles(["KT. GIÁM ĐỐC", "GIÁM ĐỐC"]), structured_titles(["GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"])
        (['KT. GIÁM ĐỐC', 'PHÓ GIÁM ĐỐC'], ['KT. GIÁM ĐỐC', 'PHÓ GIÁM ĐỐC'])
        >>> structured_titles(["TL. CỤC TRƯỞNG", "KT. TRƯỞNG BAN BAN CHÍNH SÁCH"])
        ['TL. CỤC TRƯỞNG', 'KT. TRƯỞNG BAN BAN CHÍNH SÁCH', 'PHÓ TRƯỞNG BAN']
        >>> structured_titles(["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH THƯỜNG TRỰC"]), structured_titles(["CHÁNH THANH TRA"])
        (['KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH THƯỜNG TRỰC'], ['CHÁNH THANH TRA'])
    """
    parsed = [read_signer_title(t) for t in titles]
    out = list(titles)
    for i, found in enumerate(parsed):
        if found is None:
            continue
        deputy = deputy_title(found.title)
        following = parsed[i + 1] if i + 1 < len(parsed) else None
        if found.prefix == "KT." and deputy:
            if following is None and i + 1 == len(parsed):
                out.append(deputy)
            elif following is not None and not following.prefix and following.title == found.title:
                out[i + 1] = deputy
        elif not found.prefix and deputy and following is not None and not following.prefix:
            if following.title == deputy and i == 0:
                out[i] = f"KT. {out[i]}"
    return out


def _restore_initial(text: str) -> str:
    """A name whose first letter a seal's edge took ("ao Văn Tính") with the surname restored,
    when exactly one surname of the list ends with what is left; else the text unchanged."""
    words = text.split()
    if len(words) < 2 or not words[0].isalpha() or not words[0].islower():
        return text
    matches = [s for s in lexicon().surnames if len(s) == len(words[0]) + 1 and s[1:] == words[0]]
    return " ".join([matches[0][:1].upper() + matches[0][1:], *words[1:]]) if len(matches) == 1 else text


def _without_letterless_ink(text: str) -> str:
    """A title line without the words that hold no letter or digit (a seal's edge or a rule read
    "__" between "TRƯỞNG" and "PHÒNG"); the joiners of a name ("-", "&", "/") stay.

    Examples:
        >>> _without_letterless_ink("TRƯỞNG __ PHÒNG THAM MƯU"), _without_letterless_ink("TM. BAN VĂN HÓA - XÃ HỘI")
        ('TRƯỞNG PHÒNG THAM MƯU', 'TM. BAN VĂN HÓA - XÃ HỘI')
    """
    return " ".join(w for w in text.split() if any(c.isalnum() for c in w) or w in NAME_JOINERS)


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
        >>> _title_line("TM. BAN VĂN HÓA - XÃ HỘI"), _title_line("TRƯỞNG __ PHÒNG THAM MƯU")
        ('TM. BAN VĂN HÓA - XÃ HỘI', 'TRƯỞNG PHÒNG THAM MƯU')
    """
    lex = lexicon()
    text = _without_letterless_ink(text)
    matched = match_signer_title(text)
    if matched:
        return matched[0]
    words = [w.strip(",.;:()") for w in text.split()]
    words = [w for w in words if w and w not in NAME_JOINERS]  # "TM. BAN VĂN HÓA - XÃ HỘI"
    plausible = bool(words) and all(is_syllable(w) or w.isupper() and len(w) >= 2 for w in words)
    if plausible and (lex.authority.match(fold(text)) or lex.signer_title_word.search(fold(text))):
        return text
    return ""
