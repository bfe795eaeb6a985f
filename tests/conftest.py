"""Shared fixtures: where the shared corpus is, and lines built by hand from Vietnamese text."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from ketluan.records import Line
from tools.paths import find_shared

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent


SHARED = find_shared()


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if SHARED is None:
        pytest.skip("../shared (the corpus) is not beside this checkout")
    return SHARED


@pytest.fixture(scope="session")
def corpus_dev(shared_dir: Path) -> Path:
    return shared_dir / "corpus" / "dev"


@pytest.fixture(scope="session")
def gold(corpus_dev: Path) -> dict[str, dict]:
    return {
        p.stem: json.loads(p.read_text(encoding="utf-8"))
        for p in sorted((corpus_dev / "gold").glob("*.json"))
    }


def text_lines(text: str, origin: str = "txt") -> list[Line]:
    """Lines as the txt reader gives them: blank lines mark paragraph starts, ** marks bold."""
    out: list[Line] = []
    gap = False
    for raw in unicodedata.normalize("NFC", text).splitlines():
        t = raw.strip()
        if not t:
            gap = True
            continue
        bold = t.startswith("**") and t.endswith("**")
        out.append(Line(t.strip("*").strip(), gap_before=gap, bold=bold, origin=origin))
        gap = False
    return out
