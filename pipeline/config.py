"""Settings of a run: one dataclass, defaults from named constants, env overrides `KETLUAN_*`.

Every check of a setting lives here (`Settings.__post_init__`); a value out of range raises a
`SettingsError` that names the setting, the rule and the value.
"""

from __future__ import annotations

import dataclasses
import math
import os
from collections.abc import Callable
from dataclasses import dataclass, fields
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import UsageError

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent


def resource_dir(name: str) -> Path:
    """A folder of files ketluan reads at run time: `data` (lexicons, rules) or `models`.

    An installed wheel holds them inside the package (`ketluan/data`, mapped from the top-level
    folders at build time, read with importlib.resources); a source checkout keeps them at the
    top of the repository. `KETLUAN_DATA_DIR` / `KETLUAN_MODELS_DIR` override both.

    Examples:
        >>> resource_dir("data").joinpath("rules", "items.json").is_file()
        True
    """
    override = os.environ.get(f"KETLUAN_{name.upper()}_DIR")
    if override:
        return Path(override)
    inside = Path(str(resources.files("ketluan").joinpath(name)))
    return inside if inside.is_dir() else REPO_DIR / name


DATA_DIR = resource_dir("data")
MODELS_DIR = resource_dir("models")
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
MIN_MEMORY_MB = 512  # a worker with spaCy, underthesea and the textcat model loaded uses about 350 MB
# Chosen on the tune split of data/series_eval with similarity.recurrence_matrix (tests/test_analyze.py
# TUNED); each issuer's threshold moves from it by the mean similarity of its limitations across
# documents (similarity.issuer_threshold: THRESHOLD_SLOPE x (mean - THRESHOLD_REFERENCE), at most
# THRESHOLD_SHIFT_MAX either way).
DEFAULT_CLUSTER_THRESHOLD = 0.22
DEFAULT_LINKAGE = "average"
# A task and a later limitation that names its problem again (a task says "đẩy nhanh giải ngân",
# the limitation "giải ngân chậm"; the topic joins them). Every later limitation above it is
# listed, so it sits above task_status's REPEAT_THRESHOLD (which keeps only the first mention):
# precision >= 0.9 on data/series.
DEFAULT_FOLLOWUP_THRESHOLD = 0.45
ENGINES = ("local", "ray")  # local: worker processes on this machine; ray: tasks on a Ray cluster


def cpu_count() -> int:
    """The CPUs this process may run on (its affinity mask, else the machine's count).

    Examples:
        >>> cpu_count() >= 1
        True
    """
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not Linux
        return max(1, os.cpu_count() or 1)


class SettingsError(UsageError, ValueError):
    """A setting out of range.

    Args:
        name: the Settings field, e.g. "workers".
        rule: the message, with `{field}` placeholders for setting names and `{value}`.
        value: the value given.

    Examples:
        >>> str(SettingsError("workers", "{workers} must be at least 1 (got {value})", 0))
        'workers must be at least 1 (got 0)'
    """

    def __init__(self, name: str, rule: str, value: object) -> None:
        self.name = name
        self.rule = rule
        self.value = value
        super().__init__(self.render())

    def render(self, label: Callable[[str], str] = str) -> str:
        """The message with each setting named by `label` (the CLI passes its option flags).

        Examples:
            >>> SettingsError("timeout", "{timeout} must be positive (got {value})", 0.0).render(
            ...     lambda name: "--" + name)
            '--timeout must be positive (got 0)'
        """
        shown = f"{self.value:g}" if isinstance(self.value, float) else str(self.value)
        return self.rule.format(value=shown, **{f.name: label(f.name) for f in fields(Settings)})


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
        """Check every setting; the first one out of range raises a SettingsError."""
        checks: list[tuple[str, bool, str]] = [
            ("engine", self.engine in ENGINES, "{engine} must be " + " or ".join(ENGINES) + " (got {value})"),
            ("address", not self.address or self.engine == "ray",
             "{address} is the Ray cluster's address; add {engine} ray (got {address} {value})"),
            ("workers", self.workers >= 1, "{workers} must be at least 1 (got {value})"),
            # nan and inf pass "> 0": a hung document would never be stopped
            ("timeout", math.isfinite(self.timeout) and self.timeout > 0,
             "{timeout} must be a positive number of seconds (got {value})"),
            ("max_memory_mb", self.max_memory_mb == 0 or self.max_memory_mb >= MIN_MEMORY_MB,
             "{max_memory_mb} must be 0 (no limit) or at least " + str(MIN_MEMORY_MB) + " MB (got {value})"),
            ("max_file_mb", self.max_file_mb >= 1, "{max_file_mb} must be at least 1 MB (got {value})"),
            ("max_pages", self.max_pages >= 1, "{max_pages} must be at least 1 (got {value})"),
            ("zip_max_ratio", self.zip_max_ratio >= 1, "{zip_max_ratio} must be at least 1 (got {value})"),
            ("zip_max_total_mb", self.zip_max_total_mb >= 1,
             "{zip_max_total_mb} must be at least 1 MB (got {value})"),
            ("min_text_chars", self.min_text_chars >= 0, "{min_text_chars} must be 0 or more (got {value})"),
            ("textcat_threshold", math.isfinite(self.textcat_threshold) and 0.0 <= self.textcat_threshold <= 1.0,
             "{textcat_threshold} must be between 0 and 1 (got {value})"),
            ("ocr_dpi", self.ocr_dpi >= 72, "{ocr_dpi} must be at least 72 (got {value})"),
        ]  # fmt: skip
        for name, ok, rule in checks:
            if not ok:
                raise SettingsError(name, rule, getattr(self, name))

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
        try:
            if isinstance(default, bool):
                kwargs[f.name] = raw.strip().lower() in ("1", "true", "yes", "on")
            elif isinstance(default, int):
                kwargs[f.name] = int(raw)
            elif isinstance(default, float):
                kwargs[f.name] = float(raw)
            else:
                kwargs[f.name] = raw
        except ValueError:
            kind = "a whole number" if isinstance(default, int) else "a number"
            raise SettingsError(f.name, "{" + f.name + "} must be " + kind + " (got {value})", raw) from None
    return Settings(**kwargs)


DEFAULT_SETTINGS = Settings()
