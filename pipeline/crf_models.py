"""underthesea's bundled CRF models (word segmentation, POS, chunking, NER), loaded without underthesea.

Reads underthesea's installed files once, keeps what they hold (token patterns, normalization maps,
the segmenter's features and dictionary, the taggers' templates) in a pickle in the cache folder, and
runs the models through `underthesea_core`: the same tokens, words and tags as underthesea, without
importing it. Never downloads anything; a cache it cannot write is skipped.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import pickle
import re
import sys
import tempfile
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from .config import CACHE_DIR

CACHE_FORMAT = 1  # bump when what the cache holds changes
RECENT_TEXTS = 64  # segmented texts whose words are kept for a second look (then all dropped)
WS_MODEL = "pipeline/word_tokenize/models/ws_crf_vlsp2013_20230727"
TN_RULES = "pipeline/text_normalize/tn_rules_2023_07_14.bin"
TAGGER_MODELS = {
    "pos": "pipeline/pos_tag/pos_crf_2017_10_11.bin",
    "chunk": "pipeline/chunking/chunk_crf_2017_10_12.bin",
    "ner": "pipeline/ner/ner_crf_2017_10_12.bin",
}
# What the cache is built from: a change to any of these (another underthesea) builds it again.
SOURCE_FILES = (
    "version.py",
    "pipeline/word_tokenize/__init__.py",
    "pipeline/word_tokenize/regex_tokenize.py",
    "pipeline/text_normalize/text_normalizer.py",
    "pipeline/text_normalize/character_normalize.py",
    "pipeline/text_normalize/token_normalize.py",
    "models/fast_crf_sequence_tagger.py",
    TN_RULES,
    f"{WS_MODEL}/features.bin",
    f"{WS_MODEL}/dictionary.bin",
    f"{WS_MODEL}/models.bin",
    "pipeline/pos_tag/model_crf.py",
    "pipeline/pos_tag/tagged_feature.py",
    "pipeline/chunking/model_crf.py",
    "pipeline/chunking/tagged_feature.py",
    "pipeline/ner/model_crf.py",
    "pipeline/ner/tagged_feature.py",
    *TAGGER_MODELS.values(),
)
# A feature template of underthesea's CRF taggers: "T[-1].lower", "T[0,1]", "T[-2][1]".
TEMPLATE = re.compile(
    r"T\[(?P<index1>\-?\d+)(\,(?P<index2>\-?\d+))?\](\[(?P<column>.*)\])?(\.(?P<function>.*))?"
)
FUNCTIONS = frozenset({"lower", "istitle", "isdigit", "isallcap"})  # what `feature_function` computes


def join_words(tokens: list[str], tags: list[str]) -> list[str]:
    """Tokens joined into words by the segmenter's BIO tags ("I-W" continues the word before).

    Examples:
        >>> join_words(["Sở", "Tài", "chính", "báo", "cáo"], ["B-W", "B-W", "I-W", "B-W", "I-W"])
        ['Sở', 'Tài chính', 'báo cáo']
    """
    words: list[str] = []
    for k, (tag, token) in enumerate(zip(tags, tokens, strict=False)):
        if tag == "I-W" and k > 0:
            words[-1] = words[-1] + " " + token
        else:
            words.append(token)
    return words


def package_dir() -> Path | None:
    """The installed underthesea folder, found without importing it (None: not installed)."""
    try:
        spec = importlib.util.find_spec("underthesea")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def files_key(header: str, root: Path, names: Iterable[str]) -> str | None:
    """A digest of `header` and the size and modification time of each file `names` under `root`
    (a cache's key: it changes when a source file does); None when one is missing."""
    parts = [header]
    for name in names:
        try:
            st = (root / name).stat()
        except OSError:
            return None
        parts.append(f"{name} {st.st_size} {st.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:24]


def source_key(package: Path) -> str | None:
    """A digest of the path, size and modification time of every file the cache is built from;
    None when one is missing (an underthesea this module does not know)."""
    return files_key(f"{CACHE_FORMAT} {sys.version_info[:2]} {package}", package, SOURCE_FILES)


def _istitle(word: str) -> bool:
    """underthesea's `text_istitle`: every space-separated piece starts with a title-case letter
    (False for "" and for a word with an empty piece)."""
    pieces = word.split(" ")
    if not word or any(not piece for piece in pieces):
        return False
    return all(piece[0].istitle() for piece in pieces)


def feature_function(name: str, word: str) -> object:
    """The value of a template function, as underthesea's taggers compute it ("T[0].istitle").

    Examples:
        >>> feature_function("istitle", "Tài chính"), feature_function("lower", "UBND")
        (False, 'ubnd')
    """
    if name == "lower":
        return word.lower()
    if name == "istitle":
        return _istitle(word)
    if name == "isdigit":
        return str(word.isdigit())
    if name == "isallcap":
        return all(letter.istitle() for letter in word)
    raise KeyError(name)


def _extract(match: re.Match[str]) -> tuple[str, str]:
    """The first group that matched and its name (underthesea's `extract_match`)."""
    for kind, value in match.groupdict().items():
        if value is not None:
            return value, kind
    raise ValueError(match.group(0))  # pragma: no cover - every alternative is a named group


@dataclass
class CRFModels:
    """What underthesea's word segmentation and taggers need, held in plain Python values.

    Built by `load` (from the cache or from underthesea's files); the native models are opened on
    first use.
    """

    package: Path
    patterns: list[str]  # regex_tokenize.regex_patterns, in their order
    character_map: dict[str, str]
    token_map: dict[str, str]
    ws_features: list[str]
    ws_dictionary: set[str]
    templates: dict[str, list[str]]  # pos, chunk, ner
    _native: dict[str, Any] = field(default_factory=dict, repr=False)
    _compiled: dict[tuple[str, ...], re.Pattern[str]] = field(default_factory=dict, repr=False)
    # words of the last few segmented texts (normalized text -> words), for `word_tokenize` of the same text
    _recent: dict[str, list[str]] = field(default_factory=dict, repr=False)

    def data(self) -> dict[str, Any]:
        """The plain values (what the cache holds)."""
        return {"patterns": self.patterns, "character_map": self.character_map, "token_map": self.token_map,
                "ws_features": self.ws_features, "ws_dictionary": self.ws_dictionary,
                "templates": self.templates}  # fmt: skip

    def pattern(self, fixed_words: tuple[str, ...] = ()) -> re.Pattern[str]:
        """The token pattern underthesea compiles, with `fixed_words` first when given."""
        if fixed_words not in self._compiled:
            parts = list(self.patterns)
            if fixed_words:
                escaped = [re.sub(" ", r"\ ", word) for word in fixed_words]
                parts.insert(0, "(?P<fixed_words>\\b" + "\\b|\\b".join(escaped) + "\\b)")
            self._compiled[fixed_words] = re.compile(r"(" + "|".join(parts) + ")", re.VERBOSE | re.UNICODE)
        return self._compiled[fixed_words]

    def normalize_characters(self, text: str) -> str:
        """underthesea's `normalize_characters_in_text`: NFC, then its character map."""
        text = unicodedata.normalize("NFC", text)
        for odd, standard in self.character_map.items():
            text = text.replace(odd, standard)
        return text

    def token_normalize(self, token: str) -> str:
        """underthesea's `token_normalize` ("hoà" -> "hòa"); tokens over 6 characters stay."""
        if len(token) > 6:
            return token
        token = self.normalize_characters(token)
        return self.token_map.get(token, token)

    def tokenize(self, text: str, fixed_words: tuple[str, ...] = ()) -> list[tuple[str, str]]:
        """underthesea's `regex_tokenize.tokenize(text, tag=True, use_token_normalize=False)`."""
        return [_extract(m) for m in self.pattern(fixed_words).finditer(self.normalize_characters(text))]

    def join_words(self, tokens: list[str]) -> list[str]:
        """The CRF segmenter on normalized tokens: syllables joined into words ("Tài chính")."""
        if "ws" not in self._native:
            from underthesea_core import CRFFeaturizer, CRFTagger

            tagger = CRFTagger()
            tagger.load(str(self.package / WS_MODEL / "models.bin"))
            self._native["ws"] = (CRFFeaturizer(self.ws_features, self.ws_dictionary), tagger)
        featurizer, tagger = self._native["ws"]
        return join_words(tokens, tagger.tag(featurizer.process([[[token] for token in tokens]])[0]))

    def segment(
        self, text: str, fixed_words: tuple[str, ...] = ()
    ) -> tuple[list[tuple[str, str]], list[str], list[str]]:
        """`tokenize(text, fixed_words)`, its tokens through `token_normalize`, and the words
        `join_words` makes of those.

        When no fixed word matched, the tokens are those of `tokenize(text)` (the fixed words are
        the pattern's first alternative: tried and failed at every position), so the words are
        kept for a `word_tokenize` of the same text (actors segment a task, then POS-tag it).
        """
        normalized = self.normalize_characters(text)
        tagged = [_extract(m) for m in self.pattern(fixed_words).finditer(normalized)]
        tokens = [self.token_normalize(token) for token, _ in tagged]
        words = self.join_words(tokens)
        if all(kind != "fixed_words" for _, kind in tagged):
            if len(self._recent) >= RECENT_TEXTS:
                self._recent.clear()
            self._recent[normalized] = words
        return tagged, tokens, words

    def word_tokenize(self, text: str) -> list[str]:
        """underthesea's `word_tokenize(text)` (no fixed words).

        Examples:
            >>> m = load()
            >>> m.word_tokenize("Sở Tài chính rà soát") if m else ['Sở', 'Tài chính', 'rà soát']
            ['Sở', 'Tài chính', 'rà soát']
        """
        normalized = self.normalize_characters(text)
        words = self._recent.get(normalized)
        if words is not None:
            return list(words)
        tokens = [_extract(m)[0] for m in self.pattern().finditer(normalized)]
        return self.join_words([self.token_normalize(token) for token in tokens])

    def tag(self, name: str, features: list[list[str]]) -> list[str]:
        """Tags of one sentence's feature rows by tagger `name` (pos, chunk, ner)."""
        if name not in self._native:
            from underthesea_core import CRFTagger

            tagger = CRFTagger()
            tagger.load(str(self.package / TAGGER_MODELS[name]))
            self._native[name] = tagger
        return list(self._native[name].tag(features))


def _build(package: Path) -> CRFModels | None:
    """The values read from underthesea itself (imports it); None when its taggers use a feature
    function `feature_function` does not compute."""
    import joblib
    from underthesea.pipeline.chunking.model_crf import CRFChunkingPredictor
    from underthesea.pipeline.ner.model_crf import CRFNERPredictor
    from underthesea.pipeline.pos_tag.model_crf import CRFPOSTagPredictor
    from underthesea.pipeline.text_normalize import text_normalizer
    from underthesea.pipeline.word_tokenize import regex_tokenize

    templates = {
        "pos": list(CRFPOSTagPredictor.Instance().transformer.template),
        "chunk": list(CRFChunkingPredictor.Instance().transformer.template),
        "ner": list(CRFNERPredictor.Instance().transformer.template),
    }
    for template in templates.values():
        for syntax in template:
            m = TEMPLATE.match(syntax)
            if m is None or (m.group("function") is not None and m.group("function") not in FUNCTIONS):
                return None
    return CRFModels(
        package=package,
        patterns=list(regex_tokenize.regex_patterns),
        character_map=dict(text_normalizer.character_map),
        token_map=dict(text_normalizer.token_map),
        ws_features=list(joblib.load(package / WS_MODEL / "features.bin")),
        ws_dictionary=set(joblib.load(package / WS_MODEL / "dictionary.bin")),
        templates=templates,
    )


def _read(path: Path, package: Path) -> CRFModels | None:
    try:
        data = pickle.loads(path.read_bytes())
        return CRFModels(package=package, **data)
    except Exception:  # missing, truncated or from another format: built again
        return None


def store_pickle(path: Path, value: Any) -> bool:
    """Pickle `value` to `path` atomically (parallel workers may race); False when the folder
    cannot be written (a cache that is skipped only costs the build again in the next process)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                pickle.dump(value, f, protocol=5)
            os.replace(tmp, path)
        finally:
            Path(tmp).unlink(missing_ok=True)
    except OSError:
        return False
    return True


@lru_cache(maxsize=1)
def load() -> CRFModels | None:
    """underthesea's models, from the cache when it matches the installed files, else read from
    underthesea (and cached); None when underthesea is missing or not a version this module knows
    (callers then use underthesea itself)."""
    package = package_dir()
    key = source_key(package) if package is not None else None
    if package is None or key is None:
        return None
    path = CACHE_DIR / f"underthesea-crf-{key}.pickle"  # beside the OCR lexicon ($KETLUAN_CACHE_DIR)
    models = _read(path, package)
    if models is None:
        try:
            models = _build(package)
        except Exception:
            return None
        if models is not None:
            store_pickle(path, models.data())
    return models
