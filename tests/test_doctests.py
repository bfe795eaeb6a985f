"""The examples in the package's docstrings run and give what they show (`python -m doctest`)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
from pathlib import Path

import pytest

import ketluan

MODULES = sorted(
    m.name for m in pkgutil.walk_packages(ketluan.__path__, "ketluan.") if m.name != "ketluan.__main__"
)
SHARED_PATH = "../shared/"  # the examples that open a real document name it beside the checkout (cwd = repo)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str) -> None:
    module = importlib.import_module(name)
    source = Path(module.__file__ or "").read_text(encoding="utf-8")
    if SHARED_PATH in source and not Path(SHARED_PATH).is_dir():
        pytest.skip(f"{name}'s examples read the shared corpus at {SHARED_PATH}")
    result = doctest.testmod(
        module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False
    )
    assert result.failed == 0, (
        f"{result.failed} of {result.attempted} examples of {name} failed (see the output above)"
    )
