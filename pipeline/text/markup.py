"""Markdown emphasis in exported text: read it, strip it, or strip what is left at a line's edges.

Reads one line of text; returns it without emphasis marks ("**KẾT LUẬN**" -> "KẾT LUẬN"), with
whether the whole line was bold or italic. Never touches the words themselves and never
imports a stage.
"""

from __future__ import annotations

import re
import unicodedata

# Markdown emphasis around a whole line: "**KẾT LUẬN**", "***Nơi nhận:***", "*Tây Ninh, ngày 18*",
# "__Ghi chú__"; the marks may be inside leading bullets ("- **Sở Tài chính:**" stays text).
EMPHASIS = re.compile(r"^(\*{1,3}|_{1,3})(?=\S)(.*?\S)\1$")  # "**KẾT LUẬN**"
# Emphasis spans inside a line: "**1. Kết quả:** đạt 95%" -> markers removed.
INNER_BOLD = re.compile(r"(\*\*\*|\*\*|__)(?=\S)(.+?)(?<=\S)\1")  # "**I. KẾT QUẢ** đạt được"
INNER_ITALIC = re.compile(r"(?<![*\w])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![*\w])")  # "*(Kèm theo)*"
# Marks left at the edges of a line: "**KẾT LUẬN**", "***Nơi nhận:***", "> # THÔNG BÁO"
EDGE_MARKS = re.compile(r"^[*_#>\s]+|[*_\s]+$")
ASTERISKS = re.compile(r"\*{1,3}")  # "**KẾT LUẬN**", "***Nơi nhận:***"
SPACES = re.compile(r"\s+")  # "Số:   /TB-TTr" -> "Số: /TB-TTr"


def strip_markdown(text: str) -> tuple[str, bool, bool]:
    """Remove Markdown emphasis marks and say whether the line was bold / italic as a whole.

    Args:
        text: one line of exported text.

    Returns:
        (text, bold, italic).

    Examples:
        >>> strip_markdown("***Nơi nhận:***")
        ('Nơi nhận:', True, True)
        >>> strip_markdown("**1. Kết quả:** đạt 95% kế hoạch")
        ('1. Kết quả: đạt 95% kế hoạch', False, False)
        >>> strip_markdown("-----")
        ('-----', False, False)
    """
    bold = italic = False
    m = EMPHASIS.match(text)
    if m and "*" not in m.group(2).strip("*_") and "__" not in m.group(2):
        marks, text = m.group(1), m.group(2)
        bold = len(marks) >= 2
        italic = len(marks) in (1, 3)
    text = INNER_BOLD.sub(r"\2", text)
    text = INNER_ITALIC.sub(r"\1", text)
    return text, bold, italic


def strip_edge_marks(text: str) -> str:
    """Line text without emphasis, heading or quote marks at its edges, and without outer spaces.

    Examples:
        >>> strip_edge_marks("**KẾT LUẬN**  ")
        'KẾT LUẬN'
        >>> strip_edge_marks("# 1. Kết quả **đạt** được")
        '1. Kết quả **đạt** được'
    """
    return EDGE_MARKS.sub("", text).strip()


def clean(text: str) -> str:
    """A line's NFC text without any Markdown asterisks, edge marks, non-breaking or repeated spaces.

    Examples:
        >>> clean("**KẾT LUẬN**  ")
        'KẾT LUẬN'
        >>> clean("__Số:\\u00a0 58/TB-VP__ ngày **12**")
        'Số: 58/TB-VP__ ngày 12'
    """
    t = unicodedata.normalize("NFC", text).replace("\u00a0", " ")
    return SPACES.sub(" ", strip_edge_marks(ASTERISKS.sub("", t)))
