"""Where the repository and the shared corpus are, for tools and tests alike.

The shared folder (`corpus/`, `tools/score.py`, DESIGN.md) sits beside the checkout
(`../shared`, as CI has it); `KETLUAN_SHARED` names another place. Nothing here imports ketluan.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def find_shared() -> Path | None:
    """The shared folder: $KETLUAN_SHARED, else ../shared beside the checkout; None when absent."""
    candidates = [Path(os.environ["KETLUAN_SHARED"])] if os.environ.get("KETLUAN_SHARED") else []
    candidates.append(REPO.parent / "shared")
    for cand in candidates:
        if (cand / "corpus" / "dev").is_dir():
            return cand.resolve()
    return None


SHARED = find_shared()
# The shared folder or where it would be: module-level corpus paths stay Paths (tests skip when absent).
SHARED_OR_DEFAULT = SHARED or (REPO.parent / "shared")
