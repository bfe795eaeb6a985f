"""Extract stage: a discovered Source -> list[Page] of Lines in reading order.

Chooses the reader by the file's content (not only its extension); never normalizes text.
"""

from __future__ import annotations

from ..config import Settings
from ..records import Page, Source


def extract_pages(source: Source, settings: Settings) -> tuple[list[Page], str]:
    """Read a source into pages of lines and return them with the refined input_kind.

    Raises:
        DocumentError: a bad file (empty, encrypted, corrupt, unsupported...).
    """
    raise NotImplementedError
