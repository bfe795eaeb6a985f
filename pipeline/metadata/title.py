"""Metadata, title part: doc_type, the trích yếu (title) and is_conclusion.

Reads the title lines of a layout (the type word "THÔNG BÁO", "KẾT LUẬN" and the excerpt under
it), or the type line found in all lines when the layout missed it, and returns the type in
sentence case, the excerpt as one line and whether ANNOTATION.md counts it as a conclusion.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..records import Layout
from ..text.closed import match_doc_type
from ..text.markup import clean
from ..text.orthography import bare, fold, is_upper
from .header import find_type_index
from .lexicon import RECIPIENTS_HEAD, SEPARATOR, SPACES, UPPER_SHARE, lexicon

SENTENCE_END = re.compile(r"[^.]\.$")  # "... trên địa bàn huyện." (not the "..." of a blank)


def find_title_lines(layout: Layout) -> list[str]:
    """Cleaned title lines: the layout's, or the type line and what follows it in `lines`.

    A layout title that holds only the type word (the excerpt was cut into the body) is
    completed from `lines` as well.
    """
    own = [t for t in (clean(line.text) for line in layout.title) if t]
    if len(own) > 1 or (own and not _is_type_only(own[0])):
        return own
    idx = find_type_index(layout.lines)
    if idx is None:
        return own
    out = [clean(layout.lines[idx].text)]
    for line in layout.lines[idx + 1 : idx + 6]:
        t = clean(line.text)
        if (
            (line.gap_before and len(out) > 1)
            or lexicon().body_opening.match(t)
            or RECIPIENTS_HEAD.match(bare(t))
        ):
            break
        out.append(t)
    return [t for t in out if t]


def _is_type_only(text: str) -> bool:
    """True for a line that is a type word and nothing else ("THÔNG BÁO")."""
    m = lexicon().type_line.match(bare(text))
    return bool(m and not m.group("rest"))


def read_title(lines: Sequence[str]) -> tuple[str, str]:
    """(doc_type in sentence case, trích yếu) from the title lines.

    Examples:
        >>> read_title(["THÔNG BÁO", "Kết luận của Giám đốc Sở tại cuộc họp giao ban quý I năm 2024"])
        ('Thông báo', 'Kết luận của Giám đốc Sở tại cuộc họp giao ban quý I năm 2024')
        >>> read_title(["THÔNG", "Kết luận của Chủ tịch UBND tỉnh tại buổi làm việc"])  # a stamp took "BÁO"
        ('Thông báo', 'Kết luận của Chủ tịch UBND tỉnh tại buổi làm việc')
        >>> read_title(["GIẤY MỜI", "Ủy ban nhân dân huyện tổ chức họp giao ban quý III/2023."])  # no excerpt
        ('Giấy mời', '')
    """
    lex = lexicon()
    if not lines:
        return "", ""
    doc_type = ""
    rest: list[str] = list(lines)
    first = lines[0]
    m = lex.type_line.match(bare(first))
    if m and (is_upper(first, UPPER_SHARE) or not m.group("rest")):
        typed = lex.type_names.get(SPACES.sub(" ", m.group("type")).upper(), first[: m.end("type")])
        doc_type = typed[:1].upper() + typed[1:].lower()
        remainder = first[m.start("rest") :].strip()
        rest = ([remainder] if remainder else []) + list(lines[1:])
    elif lex.letter_line.match(fold(first)):
        doc_type = lex.letter_type
    elif is_upper(first, UPPER_SHARE) and (damaged := _damaged_type(first, len(lines) > 1)):
        doc_type, remainder = damaged
        rest = ([remainder] if remainder else []) + list(lines[1:])
    parts: list[str] = []
    for t in rest:
        if SEPARATOR.match(t):
            if parts:
                break
            continue
        # A Quyết định names its authority under the excerpt: "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH"
        if parts and is_upper(t, UPPER_SHARE) and not all(is_upper(p, UPPER_SHARE) for p in parts):
            break
        if lex.title_stop.match(t):
            break
        parts.append(t)
    title = " ".join(parts).strip()
    # a trích yếu ends with no full stop (Nghị định 30/2020/NĐ-CP, Phụ lục I): a sentence under
    # "GIẤY MỜI" that ends with one is the body's first paragraph, the document has no excerpt
    if SENTENCE_END.search(title) and not is_conclusion(doc_type, title):
        return doc_type, ""
    return doc_type, title


def _damaged_type(line: str, more: bool) -> tuple[str, str] | None:
    """(doc_type in sentence case, rest of the line) of a type word OCR damaged ("THONGBAo").

    A lone first word of a type ("THÔNG", the rest lost under a stamp) counts only when excerpt
    lines follow it, in the type word's place.
    """
    m = match_doc_type(line, truncated=more)
    if m is None or (m.rest and len(m.doc_type) < 8):
        return None
    return m.doc_type[:1] + m.doc_type[1:].lower(), m.rest


def is_conclusion(doc_type: str, title: str) -> bool:
    """ANNOTATION.md: Kết luận, Thông báo kết luận, Thông báo whose title starts "Kết luận"."""
    lex = lexicon()
    key = fold(doc_type).upper()
    if key in lex.conclusion_types:
        return True
    starts = lex.conclusion_title_starts.get(key, ())
    low = fold(title).lower()
    return any(low.startswith(s) for s in starts)
