"""spaCy without its command line: `import spacy` imports `spacy.cli` (typer, weasel, httpx…).

`spacy/__init__` imports `spacy.cli.info` for `spacy.info()` only, which pulls in every spaCy
command: about 0.2 s of CPU that a run, which never calls one, pays in each worker. Before spaCy is
first imported, `spacy.cli` and `spacy.cli.info` are put in place as modules that load the real
ones the first time something asks for them (`spacy.cli.train`, `spacy.info()` still work). The
names ketluan uses are re-exported from here. Nothing is changed once spaCy is imported already.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import sys
import types
from typing import Any


def _lazy_cli() -> None:
    """Put lazy `spacy.cli` and `spacy.cli.info` modules in sys.modules (before spaCy loads)."""
    if "spacy" in sys.modules or "spacy.cli" in sys.modules:
        return
    spacy_spec = importlib.util.find_spec("spacy")
    if spacy_spec is None or not spacy_spec.submodule_search_locations:
        return
    cli_spec = importlib.machinery.PathFinder.find_spec(
        "spacy.cli", list(spacy_spec.submodule_search_locations)
    )
    if cli_spec is None or cli_spec.loader is None:
        return
    cli = importlib.util.module_from_spec(cli_spec)  # its __path__: submodules load from spaCy itself
    loader = cli_spec.loader
    loaded: list[bool] = []

    def load_cli() -> None:
        """Run the real spacy/cli/__init__.py in the module (once), as `import spacy.cli` would."""
        if not loaded:
            loaded.append(True)
            loader.exec_module(cli)

    def cli_attribute(name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        load_cli()
        return cli.__dict__[name] if name in cli.__dict__ else _missing(cli, name)

    cli.__getattr__ = cli_attribute  # type: ignore[method-assign]
    info = types.ModuleType("spacy.cli.info", "spaCy's `info` command, loaded when it is called.")

    def lazy_info(*args: Any, **kwargs: Any) -> Any:
        """spaCy's `spacy.info()`: the real command, loaded at the first call."""
        if sys.modules.get("spacy.cli.info") is info:  # the real module replaces this one for good
            del sys.modules["spacy.cli.info"]
        real = importlib.import_module("spacy.cli.info")
        return real.info(*args, **kwargs)

    info.info = lazy_info  # type: ignore[attr-defined]
    info.__package__ = "spacy.cli"
    cli.info = info  # type: ignore[attr-defined]
    sys.modules["spacy.cli"] = cli
    sys.modules["spacy.cli.info"] = info


def _missing(module: types.ModuleType, name: str) -> Any:
    raise AttributeError(f"module {module.__name__!r} has no attribute {name!r}")


_lazy_cli()

import spacy  # noqa: E402
import srsly  # noqa: E402
from spacy import util  # noqa: E402
from spacy.language import Language  # noqa: E402
from spacy.tokens import Doc  # noqa: E402
from spacy.util import DummyTokenizer, registry  # noqa: E402
from spacy.vocab import Vocab  # noqa: E402

__all__ = ["spacy", "srsly", "util", "Language", "Doc", "DummyTokenizer", "registry", "Vocab"]
