"""NLP frame: the spaCy `vi` Language with underthesea word segmentation, built once per process.

Reads plain text (an item, a sentence); returns words, spaCy Docs and item-category probabilities
from the trained textcat in `models/item_textcat/model` (who a task names is `actors.py`).
Never downloads anything: only underthesea's bundled word_tokenize model is used.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

import spacy
import srsly
from spacy import util
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import DummyTokenizer, registry
from spacy.vocab import Vocab

from .config import DATA_DIR, MODELS_DIR
from .records import CATEGORIES

LEXICON_DIR = DATA_DIR / "lexicon"
FIXED_WORDS_FILE = LEXICON_DIR / "fixed_words.txt"
TEXTCAT_DIR = MODELS_DIR / "item_textcat" / "model"
TEXTCAT_LABELS = CATEGORIES  # result, limitation, cause, task, other
TOKENIZER_NAME = "ketluan.UndertheseaTokenizer.v1"

# underthesea builds a regex from fixed words without escaping them: allow plain words only.
FIXED_WORD = re.compile(r"^[\w][\w \-&]*$")  # "vốn đầu tư công", "Lao động - Thương binh"


class ModelNotFoundError(FileNotFoundError):
    """The trained item classifier is missing: `make train` builds it."""


# --------------------------------------------------------------------------- lexicons


def read_lexicon(path: Path) -> tuple[str, ...]:
    """Non-empty lines of a lexicon file, NFC, without `#` comments; () when the file is missing."""
    if not path.is_file():
        return ()
    entries = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = unicodedata.normalize("NFC", raw.split("#", 1)[0].strip())
        if line:
            entries.append(line)
    return tuple(dict.fromkeys(entries))


def prepare_fixed_words(words: Iterable[str]) -> tuple[str, ...]:
    """Fixed words as underthesea needs them: plain, each also capitalized, longest first.

    Examples:
        >>> prepare_fixed_words(["giao ban", "UBND"])
        ('Giao ban', 'giao ban', 'UBND')
    """
    out: dict[str, None] = {}
    for word in words:
        word = " ".join(word.split())
        if not FIXED_WORD.match(word):
            continue
        out[word] = None
        out[word[0].upper() + word[1:]] = None
    return tuple(sorted(out, key=lambda w: (-len(w), w)))


@lru_cache(maxsize=1)
def default_fixed_words() -> tuple[str, ...]:
    """The domain words of data/lexicon/fixed_words.txt ("giao ban", "vốn đầu tư công" …)."""
    return prepare_fixed_words(read_lexicon(FIXED_WORDS_FILE))


# --------------------------------------------------------------------------- segmentation


def _nfc_with_offsets(text: str) -> tuple[str, list[int], list[int]]:
    """NFC text and, for each of its characters, the start and end offset in `text`.

    Each base character is composed with the combining marks after it, so an NFD "hoà" maps
    back onto its five original code points.
    """
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        for ch in unicodedata.normalize("NFC", text[i:j]):
            out.append(ch)
            starts.append(i)
            ends.append(j)
        i = j
    return "".join(out), starts, ends


@contextmanager
def _underthesea_patterns_kept() -> Iterator[None]:
    """underthesea compiles `fixed_words` into a module-global regex and never restores it, so
    every later call anywhere in the process (analysis, notebooks) would segment with our list;
    put its own pattern back after each call."""
    from underthesea.pipeline.word_tokenize import regex_tokenize

    saved = regex_tokenize.patterns
    try:
        yield
    finally:
        regex_tokenize.patterns = saved


def segment(text: str, fixed_words: tuple[str, ...] | None = None) -> list[tuple[int, int]]:
    """Word spans (start, end) in `text` from underthesea's word segmentation.

    underthesea normalizes before it segments (NFC, "hoà" -> "hòa", "nghành" -> "ngành"), so its
    words are matched back to its raw syllables and those to the original characters: offsets
    always point into `text` as given. A multi-syllable word whose syllables are not separated by
    exactly one space (a wrapped line) is split back into its syllables.

    Args:
        text: any text, NFC or NFD.
        fixed_words: words never split; defaults to data/lexicon/fixed_words.txt.

    Returns:
        Spans covering every non-space character of `text`, in order.

    Examples:
        >>> t = "Giải ngân vốn đầu tư công còn chậm"
        >>> [t[s:e] for s, e in segment(t, ("vốn đầu tư công",))]
        ['Giải ngân', 'vốn đầu tư công', 'còn', 'chậm']
    """
    from underthesea import word_tokenize as _underthesea_word_tokenize
    from underthesea.pipeline.text_normalize import token_normalize
    from underthesea.pipeline.word_tokenize.regex_tokenize import tokenize

    if not text.strip():
        return []
    fixed = default_fixed_words() if fixed_words is None else fixed_words
    nfc, starts, ends = _nfc_with_offsets(text)
    fixed_list = list(fixed)
    with _underthesea_patterns_kept():
        tagged = tokenize(nfc, tag=True, use_token_normalize=False, fixed_words=fixed_list)
        words = _underthesea_word_tokenize(nfc, fixed_words=fixed_list)
    raw = [tok for tok, _ in tagged]
    is_fixed = [kind == "fixed_words" for _, kind in tagged]
    normalized = [token_normalize(t) for t in raw]

    # Where each raw token sits in the NFC text (the character map ð->đ keeps lengths).
    raw_spans: list[tuple[int, int]] = []
    cursor = 0
    for tok in raw:
        pos = nfc.find(tok, cursor)
        if pos < 0:
            pos = unicodedata.normalize("NFC", nfc).find(tok, cursor)
        if pos < 0:
            continue  # the fill step below keeps the character anyway
        raw_spans.append((pos, pos + len(tok)))
        cursor = pos + len(tok)

    # Group raw tokens into words: "Kế hoạch" is two raw tokens, "vốn đầu tư công" (fixed) one.
    groups: list[list[int]] = []
    if len(raw_spans) == len(raw):
        k = 0
        for word in words:
            group: list[int] = []
            joined = ""
            while k < len(raw) and len(joined) < len(word):
                group.append(k)
                joined = " ".join(normalized[g] for g in group)
                k += 1
            if joined != word:
                groups = []
                break
            groups.append(group)
        if groups and k != len(raw):
            groups = []
    if not groups:
        groups = [[k] for k in range(len(raw_spans))]
    else:
        groups = _isolate_fixed(groups, is_fixed)

    spans: list[tuple[int, int]] = []
    for group in groups:
        first, last = raw_spans[group[0]], raw_spans[group[-1]]
        start, end = starts[first[0]], ends[last[1] - 1]
        parts = [(starts[a], ends[b - 1]) for a, b in (raw_spans[g] for g in group)]
        if len(group) > 1 and text[start:end] != " ".join(text[a:b] for a, b in parts):
            spans.extend(parts)  # "văn\nbản" across a line wrap: keep the syllables apart
        else:
            spans.append((start, end))
    return _fill_gaps(text, spans)


def _isolate_fixed(groups: list[list[int]], is_fixed: list[bool]) -> list[list[int]]:
    """Groups with each fixed word kept alone: the CRF may glue "giải ngân" to "vốn đầu tư công"."""
    out: list[list[int]] = []
    for group in groups:
        if len(group) == 1 or not any(is_fixed[k] for k in group):
            out.append(group)
            continue
        run: list[int] = []
        for k in group:
            if is_fixed[k]:
                if run:
                    out.append(run)
                    run = []
                out.append([k])
            else:
                run.append(k)
        if run:
            out.append(run)
    return out


def _fill_gaps(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans plus whitespace-separated pieces for any non-space text no span covers."""
    out: list[tuple[int, int]] = []
    cursor = 0
    for start, end in sorted(spans):
        if start < cursor:
            continue
        if start > cursor:
            out.extend(
                (m.start() + cursor, m.end() + cursor) for m in re.finditer(r"\S+", text[cursor:start])
            )
        out.append((start, end))
        cursor = end
    out.extend((m.start() + cursor, m.end() + cursor) for m in re.finditer(r"\S+", text[cursor:]))
    return out


@lru_cache(maxsize=4096)
def word_tokenize(text: str) -> list[str]:
    """Vietnamese words of `text` (underthesea + domain fixed words), as written in `text`.

    Args:
        text: a sentence or paragraph.

    Returns:
        The words; multi-syllable words keep their inner space and the input's tone placement.

    Examples:
        >>> word_tokenize("Tiến độ giải ngân vốn đầu tư công còn chậm")
        ['Tiến độ', 'giải ngân', 'vốn đầu tư công', 'còn', 'chậm']
    """
    return [text[s:e] for s, e in segment(text)]


# --------------------------------------------------------------------------- spaCy tokenizer


class UndertheseaTokenizer(DummyTokenizer):
    """spaCy tokenizer that segments Vietnamese words with underthesea (cf. spacy.lang.vi).

    The Doc text equals the input exactly; a word like "văn bản" is one token with its space.
    The fixed words are saved with the pipeline, so a trained model keeps its segmentation.
    """

    def __init__(self, vocab: Vocab, fixed_words: Iterable[str] = ()) -> None:
        try:
            import underthesea  # noqa: F401
        except ImportError:  # pragma: no cover - underthesea is a dependency
            raise ImportError(
                "underthesea is not installed; run `pip install underthesea` (ketluan's NLP needs it)"
            ) from None
        self.vocab = vocab
        self.fixed_words = prepare_fixed_words(fixed_words)

    def __reduce__(self) -> tuple[Any, ...]:
        return UndertheseaTokenizer, (self.vocab, self.fixed_words)

    def __call__(self, text: str) -> Doc:
        words = [text[s:e] for s, e in segment(text, self.fixed_words)]
        words, spaces = util.get_words_and_spaces(words, text)
        return Doc(self.vocab, words=words, spaces=spaces)

    def _get_config(self) -> dict[str, Any]:
        return {"fixed_words": list(self.fixed_words)}

    def _set_config(self, cfg: dict[str, Any]) -> None:
        self.fixed_words = prepare_fixed_words(cfg.get("fixed_words", self.fixed_words))

    def to_bytes(self, **kwargs: Any) -> bytes:
        """Serialize the fixed words."""
        return util.to_bytes({"cfg": lambda: srsly.json_dumps(self._get_config())}, [])

    def from_bytes(self, data: bytes, **kwargs: Any) -> UndertheseaTokenizer:
        """Restore the fixed words."""
        util.from_bytes(data, {"cfg": lambda b: self._set_config(srsly.json_loads(b))}, [])
        return self

    def to_disk(self, path: str | Path, **kwargs: Any) -> None:
        """Write the fixed words to `path/cfg`."""
        path = util.ensure_path(path)
        util.to_disk(path, {"cfg": lambda p: srsly.write_json(p, self._get_config())}, [])

    def from_disk(self, path: str | Path, **kwargs: Any) -> UndertheseaTokenizer:
        """Read the fixed words from `path/cfg`."""
        path = util.ensure_path(path)
        util.from_disk(path, {"cfg": lambda p: self._set_config(srsly.read_json(p))}, [])
        return self


def create_underthesea_tokenizer(fixed_words_file: str = "") -> Callable[[Language], UndertheseaTokenizer]:
    """Factory registered as "ketluan.UndertheseaTokenizer.v1".

    Args:
        fixed_words_file: a word list, one per line; "" means data/lexicon/fixed_words.txt.
    """
    path = Path(fixed_words_file) if fixed_words_file else FIXED_WORDS_FILE

    def tokenizer_factory(nlp: Language) -> UndertheseaTokenizer:
        return UndertheseaTokenizer(nlp.vocab, read_lexicon(path))

    return tokenizer_factory


# --------------------------------------------------------------------------- pipelines


def register() -> None:
    """Register ketluan's spaCy functions (the tokenizer factory); calling it again does nothing."""
    if TOKENIZER_NAME not in registry.tokenizers:
        registry.tokenizers.register(TOKENIZER_NAME, func=create_underthesea_tokenizer)


@lru_cache(maxsize=1)
def blank_nlp() -> Language:
    """A blank `vi` Language whose tokenizer is underthesea (never spaCy's pyvi default)."""
    register()
    return spacy.blank("vi", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER_NAME}}})


@lru_cache(maxsize=4)
def load_textcat(model_dir: Path = TEXTCAT_DIR) -> Language:
    """The trained item classifier, loaded once per process and path.

    Raises:
        ModelNotFoundError: when `model_dir` holds no trained pipeline.
    """
    model_dir = Path(model_dir)
    if not (model_dir / "config.cfg").is_file() or not (model_dir / "textcat").is_dir():
        raise ModelNotFoundError(
            f"the item classifier is missing at {model_dir}; run `make train` to build it"
        )
    register()
    return spacy.load(model_dir)


def model_available(model_dir: Path = TEXTCAT_DIR) -> bool:
    """True when the trained item classifier can be loaded from `model_dir`."""
    try:
        load_textcat(Path(model_dir))
    except (ModelNotFoundError, OSError, ValueError):
        return False
    return True


def get_nlp() -> Language:
    """The process's Language: the trained textcat pipeline if present, else the blank one.

    Examples:
        >>> [t.text for t in get_nlp()("Rà soát văn bản")]
        ['Rà soát', 'văn bản']
    """
    try:
        return load_textcat(TEXTCAT_DIR)
    except ModelNotFoundError:
        return blank_nlp()


def classify(texts: list[str], model_dir: Path = TEXTCAT_DIR, batch_size: int = 64) -> list[dict[str, float]]:
    """Category probabilities of item texts (exclusive: they sum to 1 per text).

    Args:
        texts: item texts, without their bullet or topic.
        model_dir: the trained pipeline; defaults to models/item_textcat/model.
        batch_size: texts per `nlp.pipe` batch.

    Returns:
        One dict per text with keys result, limitation, cause, task, other; an empty text
        gets other = 1.0. Texts are NFC-normalized first (the model was trained on NFC).

    Raises:
        ModelNotFoundError: when the model is missing (run `make train`).

    Examples:
        >>> p = classify(["Tiến độ giải ngân vốn đầu tư công còn chậm."])[0]
        >>> max(p, key=p.get)
        'limitation'
    """
    nlp = load_textcat(Path(model_dir))
    # The model's features are word forms: NFD input ("hoà" decomposed) must look like training text.
    clean = [unicodedata.normalize("NFC", t).strip() for t in texts]
    todo = [t for t in clean if t]
    cats = iter(nlp.pipe(todo, batch_size=batch_size))
    out = []
    for text in clean:
        if not text:  # nothing to read: framing, not content
            out.append({label: float(label == "other") for label in TEXTCAT_LABELS})
            continue
        doc = next(cats)
        out.append({label: float(doc.cats.get(label, 0.0)) for label in TEXTCAT_LABELS})
    return out
