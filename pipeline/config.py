"""Settings of a run: one dataclass, defaults from named constants, env overrides `KETLUAN_*`."""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent
DATA_DIR = Path(os.environ.get("KETLUAN_DATA_DIR", REPO_DIR / "data"))
MODELS_DIR = Path(os.environ.get("KETLUAN_MODELS_DIR", REPO_DIR / "models"))
# Files derived from data/ and the installed packages, rebuilt whenever a source changes (the OCR
# lexicon): $KETLUAN_CACHE_DIR, else $XDG_CACHE_HOME/ketluan, else ~/.cache/ketluan.
CACHE_DIR = Path(
    os.environ.get("KETLUAN_CACHE_DIR")
    or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "ketluan"
)

DEFAULT_OCR_DPI = 300
DEFAULT_OCR_LANG = "vie"
DEFAULT_MIN_TEXT_CHARS = 40  # fewer usable characters on a page than this: OCR it
DEFAULT_TIMEOUT = 300.0  # seconds per document
DEFAULT_MAX_MEMORY_MB = 2048  # per worker
DEFAULT_MAX_FILE_MB = 500
DEFAULT_MAX_PAGES = 2000
DEFAULT_ZIP_MAX_RATIO = 200  # uncompressed / compressed size of one member
DEFAULT_ZIP_MAX_TOTAL_MB = 2048
DEFAULT_TEXTCAT_THRESHOLD = 0.5
DEFAULT_CLUSTER_THRESHOLD = 0.20  # calibrated on the dev series and data/series (see analyze tests)
ENGINES = ("local", "ray")  # local: worker processes on this machine; ray: tasks on a Ray cluster


@dataclass
class Settings:
    """Options of a run; every field can be set with an env variable `KETLUAN_<NAME>`.

    Examples:
        >>> Settings(workers=2).workers
        2
    """

    workers: int = 1
    timeout: float = DEFAULT_TIMEOUT
    max_memory_mb: int = DEFAULT_MAX_MEMORY_MB
    max_file_mb: int = DEFAULT_MAX_FILE_MB
    max_pages: int = DEFAULT_MAX_PAGES
    ocr: bool = True
    ocr_dpi: int = DEFAULT_OCR_DPI
    ocr_lang: str = DEFAULT_OCR_LANG
    min_text_chars: int = DEFAULT_MIN_TEXT_CHARS
    zip_max_ratio: int = DEFAULT_ZIP_MAX_RATIO
    zip_max_total_mb: int = DEFAULT_ZIP_MAX_TOTAL_MB
    textcat: bool = True
    textcat_threshold: float = DEFAULT_TEXTCAT_THRESHOLD
    strict: bool = False
    force: bool = False
    engine: str = "local"  # one of ENGINES
    address: str = ""  # Ray: "" starts a local cluster of `workers` CPUs; "auto"; "ray://head:10001"

    def __post_init__(self) -> None:
        if self.workers < 1:
            raise ValueError("workers must be at least 1")
        if self.timeout <= 0:
            raise ValueError("timeout must be positive")
        if not 0.0 <= self.textcat_threshold <= 1.0:
            raise ValueError("textcat_threshold must be between 0 and 1")
        if self.ocr_dpi < 72:
            raise ValueError("ocr_dpi must be at least 72")
        if self.engine not in ENGINES:
            raise ValueError(f"engine must be {' or '.join(ENGINES)} (got {self.engine!r})")

    @classmethod
    def resolve(cls, value: Settings | dict[str, Any] | None = None) -> Settings:
        """Settings from None (defaults + env), a dict of overrides, or Settings as is."""
        if isinstance(value, Settings):
            return value
        base = from_env()
        if value:
            unknown = set(value) - {f.name for f in fields(cls)}
            if unknown:
                raise ValueError(f"unknown settings: {', '.join(sorted(unknown))}")
            base = dataclasses.replace(base, **value)
        return base


def from_env(environ: dict[str, str] | None = None) -> Settings:
    """Defaults overridden by `KETLUAN_WORKERS=2`-style variables."""
    env = os.environ if environ is None else environ
    kwargs: dict[str, Any] = {}
    for f in fields(Settings):
        raw = env.get(f"KETLUAN_{f.name.upper()}")
        if raw is None:
            continue
        default = getattr(Settings, f.name)
        if isinstance(default, bool):
            kwargs[f.name] = raw.strip().lower() in ("1", "true", "yes", "on")
        elif isinstance(default, int):
            kwargs[f.name] = int(raw)
        elif isinstance(default, float):
            kwargs[f.name] = float(raw)
        else:
            kwargs[f.name] = raw
    return Settings(**kwargs)


DEFAULT_SETTINGS = Settings()
