"""NLP frame: the spaCy `vi` Language with underthesea word segmentation, built once per process.

Reads plain text (an item, a sentence); returns words, spaCy Docs and item-category probabilities
from the trained textcat in `models/item_textcat/model`, applied without spaCy from its cached
weights (`bow_textcat`; spaCy loads only to build that cache or a pipeline). Who a task names is
`actors.py`. Never downloads anything: only underthesea's bundled word_tokenize model is used.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import bow_textcat, crf_models
from .config import CACHE_DIR, DATA_DIR, MODELS_DIR
from .records import CATEGORIES

if TYPE_CHECKING:  # spaCy loads where a pipeline is built or loaded (`spacy_lite`), not with this module
    from spacy.language import Language
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

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


@lru_cache(maxsize=8)
def _fixed_words_pattern(fixed_words: tuple[str, ...]) -> re.Pattern[str]:
    """The token pattern underthesea's `tokenize` compiles from `fixed_words` on every call, built
    here once per word list (the same text, so the same tokens)."""
    from underthesea.pipeline.word_tokenize import regex_tokenize

    escaped = [re.sub(" ", r"\ ", word) for word in fixed_words]
    fixed = "(?P<fixed_words>\\b" + "\\b|\\b".join(escaped) + "\\b)"
    combined = r"(" + "|".join([fixed, *regex_tokenize.regex_patterns]) + ")"
    return re.compile(combined, re.VERBOSE | re.UNICODE)


def _crf_words(tokens: list[str]) -> list[str]:
    """underthesea's `word_tokenize` on tokens it has already normalized: its CRF (loaded once,
    shared with underthesea) joins syllables into words, without tokenizing the text again."""
    from underthesea.pipeline import word_tokenize as module

    if module.word_tokenize_model is None:  # as underthesea loads it, where underthesea keeps it
        from underthesea.models.fast_crf_sequence_tagger import FastCRFSequenceTagger

        model = FastCRFSequenceTagger()
        model.load(str(Path(module.__file__).parent / "models" / "ws_crf_vlsp2013_20230727"))
        module.word_tokenize_model = model
    return crf_models.join_words(tokens, module.word_tokenize_model.predict([[token] for token in tokens]))


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
    if not text.strip():
        return []
    fixed = default_fixed_words() if fixed_words is None else fixed_words
    key = (text, fixed)
    spans = _recent_spans.get(key)
    if spans is None:
        if len(_recent_spans) >= RECENT_TEXTS:
            _recent_spans.clear()
        spans = _recent_spans[key] = _segment(text, fixed)
    return list(spans)


# Spans of the last few segmented texts: an item's text is segmented by the classifier, then by
# `actors.find_actors`; the second look is a dictionary hit.
RECENT_TEXTS = 256
_recent_spans: dict[tuple[str, tuple[str, ...]], list[tuple[int, int]]] = {}


def _segment(text: str, fixed: tuple[str, ...]) -> list[tuple[int, int]]:
    """`segment` of a non-blank text with its fixed words resolved."""
    nfc, starts, ends = _nfc_with_offsets(text)
    models = crf_models.load()
    if models is not None:  # underthesea's models without importing underthesea (same tokens, words)
        tagged, normalized, words = models.segment(nfc, fixed)
        raw = [tok for tok, _ in tagged]
    else:
        from underthesea.pipeline.text_normalize import token_normalize
        from underthesea.pipeline.word_tokenize import regex_tokenize

        with _underthesea_patterns_kept():
            if fixed:  # the pattern underthesea would compile from `fixed`, built once per word list
                regex_tokenize.patterns = _fixed_words_pattern(fixed)
            tagged = regex_tokenize.tokenize(nfc, tag=True, use_token_normalize=False)
        raw = [tok for tok, _ in tagged]
        normalized = [token_normalize(t) for t in raw]
        words = _crf_words(normalized)
    is_fixed = [kind == "fixed_words" for _, kind in tagged]

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


# --------------------------------------------------------------------------- POS and NER tags

# A feature template of underthesea's CRF taggers: "T[-1].lower", "T[0,1]", "T[-2][1]".
CRF_TEMPLATE = re.compile(
    r"T\[(?P<index1>\-?\d+)(\,(?P<index2>\-?\d+))?\](\[(?P<column>.*)\])?(\.(?P<function>.*))?"
)


@lru_cache(maxsize=16)
def _parsed_template(template: tuple[str, ...]) -> list[tuple[str, int, int | None, int, str | None]]:
    """Each feature template parsed: (prefix "T[-1].lower=", first offset, last offset or None,
    column, function or None)."""
    parsed = []
    for syntax in template:
        m = CRF_TEMPLATE.match(syntax)
        assert m is not None  # underthesea's own templates
        column, index2 = m.group("column"), m.group("index2")
        parsed.append((f"{syntax}=", int(m.group("index1")), int(index2) if index2 else None,
                       int(column) if column else 0, m.group("function")))  # fmt: skip
    return parsed


def _crf_features(
    sentence: list[tuple[str, ...]], template: list[str], apply: Callable[..., Any]
) -> list[list[str]]:
    """The features underthesea's `TaggedTransformer` computes for each token of a sentence (the
    same strings: its `template2features`), with each template parsed once and the sentence's
    columns built once instead of once per feature and token.

    Examples:
        >>> _crf_features([("Sở", "X"), ("Tài chính", "X")], ["T[-1]", "T[0,1]"], str)
        [['T[-1]=BOS', 'T[0,1]=Sở Tài chính'], ['T[-1]=Sở', 'T[0,1]=EOS']]
    """
    n = len(sentence)
    if not n:
        return []
    columns = [[token[j] for token in sentence] for j in range(len(sentence[0]))]
    parsed = _parsed_template(tuple(template))
    values: dict[tuple[str, str], str] = {}  # a function of a word, computed once per sentence
    out = []
    for i in range(n):
        features = []
        for prefix, first, last, column, function in parsed:
            if i + first < 0:
                features.append(f"{prefix}BOS")
                continue
            if i + first >= n or (last is not None and i + last >= n):
                features.append(f"{prefix}EOS")
                continue
            word = (
                " ".join(columns[column][i + first : i + last + 1])
                if last is not None
                else sentence[i + first][column]
            )
            if function is not None:
                value = values.get((function, word))
                if value is None:
                    value = values[function, word] = f"{apply(function, word)}"
                word = value
            features.append(prefix + word)
        out.append(features)
    return out


def pos_tag(text: str) -> list[tuple[str, str]]:
    """underthesea's `pos_tag(text)`: its words and POS tags, the same values, computed faster.

    Examples:
        >>> pos_tag("Sở Tài chính rà soát hồ sơ")
        [('Sở', 'N'), ('Tài chính', 'N'), ('rà soát', 'V'), ('hồ sơ', 'N')]
    """
    models = crf_models.load()
    if models is not None:
        words = models.word_tokenize(text)
        features = _crf_features(
            [(w, "X") for w in words], models.templates["pos"], crf_models.feature_function
        )
        return list(zip(words, models.tag("pos", features), strict=True))
    from underthesea import word_tokenize as underthesea_words
    from underthesea.pipeline.pos_tag import tagged_feature
    from underthesea.pipeline.pos_tag.model_crf import CRFPOSTagPredictor

    words = underthesea_words(text)
    model = CRFPOSTagPredictor.Instance()
    tags = model.model.tag(_crf_features([(w, "X") for w in words], model.transformer.template,
                                         tagged_feature.apply_function))  # fmt: skip
    return list(zip(words, tags, strict=True))


def ner(text: str, pos: list[tuple[str, str]] | None = None) -> list[tuple[str, str, str, str]]:
    """underthesea's `ner(text)`: (word, POS, chunk, NER) per word, the same values, computed
    faster and from `pos` when `pos_tag(text)` has been computed already.

    Examples:
        >>> [(w, tag) for w, _, _, tag in ner("Ông Nguyễn Văn An làm việc tại Hà Nội")]
        [('Ông', 'O'), ('Nguyễn Văn An', 'B-PER'), ('làm việc', 'O'), ('tại', 'O'), ('Hà Nội', 'B-LOC')]
    """
    tagged = pos_tag(text) if pos is None else pos
    models = crf_models.load()
    if models is not None:
        apply = crf_models.feature_function
        chunks = models.tag(
            "chunk", _crf_features([(w, p, "X") for w, p in tagged], models.templates["chunk"], apply)
        )
        rows = [(w, p, c) for (w, p), c in zip(tagged, chunks, strict=True)]
        features = _crf_features([(*row, "X") for row in rows], models.templates["ner"], apply)
        return [(*row, tag) for row, tag in zip(rows, models.tag("ner", features), strict=True)]
    from underthesea.pipeline.chunking import tagged_feature as chunk_features
    from underthesea.pipeline.chunking.model_crf import CRFChunkingPredictor
    from underthesea.pipeline.ner import tagged_feature as ner_features
    from underthesea.pipeline.ner.model_crf import CRFNERPredictor

    chunker = CRFChunkingPredictor.Instance()
    chunks = chunker.model.tag(_crf_features([(w, p, "X") for w, p in tagged], chunker.transformer.template,
                                             chunk_features.apply_function))  # fmt: skip
    model = CRFNERPredictor.Instance()
    rows = [(w, p, c) for (w, p), c in zip(tagged, chunks, strict=True)]
    tags = model.model.tag(_crf_features([(*row, "X") for row in rows], model.transformer.template,
                                         ner_features.apply_function))  # fmt: skip
    return [(*row, tag) for row, tag in zip(rows, tags, strict=True)]


# --------------------------------------------------------------------------- spaCy tokenizer


class UndertheseaTokenizer:
    """spaCy tokenizer that segments Vietnamese words with underthesea (cf. spacy.lang.vi).

    The Doc text equals the input exactly; a word like "văn bản" is one token with its space.
    The fixed words are saved with the pipeline, so a trained model keeps its segmentation.
    (spaCy's `DummyTokenizer` interface, written out so that this module does not import spaCy.)
    """

    def __init__(self, vocab: Vocab, fixed_words: Iterable[str] = ()) -> None:
        if crf_models.package_dir() is None:  # pragma: no cover - underthesea is a dependency
            raise ImportError(
                "underthesea is not installed; run `pip install underthesea` (ketluan's NLP needs it)"
            )
        self.vocab = vocab
        self.fixed_words = prepare_fixed_words(fixed_words)

    def __reduce__(self) -> tuple[Any, ...]:
        return UndertheseaTokenizer, (self.vocab, self.fixed_words)

    def __call__(self, text: str) -> Doc:
        from .spacy_lite import Doc, util

        words = [text[s:e] for s, e in segment(text, self.fixed_words)]
        words, spaces = util.get_words_and_spaces(words, text)
        return Doc(self.vocab, words=words, spaces=spaces)

    def pipe(self, texts: Iterable[str], **kwargs: Any) -> Iterator[Doc]:
        """Tokenize each text in turn."""
        for text in texts:
            yield self(text)

    def _get_config(self) -> dict[str, Any]:
        return {"fixed_words": list(self.fixed_words)}

    def _set_config(self, cfg: dict[str, Any]) -> None:
        self.fixed_words = prepare_fixed_words(cfg.get("fixed_words", self.fixed_words))

    def to_bytes(self, **kwargs: Any) -> bytes:
        """Serialize the fixed words."""
        from .spacy_lite import srsly, util

        return util.to_bytes({"cfg": lambda: srsly.json_dumps(self._get_config())}, [])

    def from_bytes(self, data: bytes, **kwargs: Any) -> UndertheseaTokenizer:
        """Restore the fixed words."""
        from .spacy_lite import srsly, util

        util.from_bytes(data, {"cfg": lambda b: self._set_config(srsly.json_loads(b))}, [])
        return self

    def to_disk(self, path: str | Path, **kwargs: Any) -> None:
        """Write the fixed words to `path/cfg`."""
        from .spacy_lite import srsly, util

        path = util.ensure_path(path)
        util.to_disk(path, {"cfg": lambda p: srsly.write_json(p, self._get_config())}, [])

    def from_disk(self, path: str | Path, **kwargs: Any) -> UndertheseaTokenizer:
        """Read the fixed words from `path/cfg`."""
        from .spacy_lite import srsly, util

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
    from .spacy_lite import registry

    if TOKENIZER_NAME not in registry.tokenizers:
        registry.tokenizers.register(TOKENIZER_NAME, func=create_underthesea_tokenizer)


@lru_cache(maxsize=1)
def blank_nlp() -> Language:
    """A blank `vi` Language whose tokenizer is underthesea (never spaCy's pyvi default)."""
    from .spacy_lite import spacy

    register()
    return spacy.blank("vi", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER_NAME}}})


def _trained_dir(model_dir: Path) -> Path:
    """`model_dir` as a Path, when it holds a trained textcat pipeline.

    Raises:
        ModelNotFoundError: when `model_dir` holds no trained pipeline.
    """
    model_dir = Path(model_dir)
    if not (model_dir / "config.cfg").is_file() or not (model_dir / "textcat").is_dir():
        raise ModelNotFoundError(
            f"the item classifier is missing at {model_dir}; run `make train` to build it"
        )
    return model_dir


@lru_cache(maxsize=4)
def load_textcat(model_dir: Path = TEXTCAT_DIR) -> Language:
    """The trained item classifier, loaded once per process and path.

    Raises:
        ModelNotFoundError: when `model_dir` holds no trained pipeline.
    """
    model_dir = _trained_dir(model_dir)
    from .spacy_lite import spacy

    register()
    return spacy.load(model_dir)


@lru_cache(maxsize=4)
def bow_model(model_dir: Path = TEXTCAT_DIR) -> bow_textcat.BowTextcat | None:
    """The trained classifier's weights, applied without spaCy (`bow_textcat`): read from the cache
    folder, else taken from the spaCy pipeline once (then cached); None for a pipeline of another
    architecture (classified by spaCy itself).

    Raises:
        ModelNotFoundError: when `model_dir` holds no trained pipeline.
    """
    model_dir = _trained_dir(model_dir)
    path = bow_textcat.cache_path(CACHE_DIR, model_dir)
    cached = bow_textcat.load_cached(path) if path is not None and path.is_file() else None
    if cached is not None:
        return cached
    model = bow_textcat.from_spacy(load_textcat(model_dir))
    if model is not None and path is not None:
        bow_textcat.store_cache(path, model)
    return model


def model_available(model_dir: Path = TEXTCAT_DIR) -> bool:
    """True when the trained item classifier can be loaded from `model_dir` (its cached weights,
    or the spaCy pipeline, which the cache is built from)."""
    try:
        if bow_model(Path(model_dir)) is None:
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
    bow = bow_model(Path(model_dir))
    # The model's features are word forms: NFD input ("hoà" decomposed) must look like training text.
    clean = [unicodedata.normalize("NFC", t).strip() for t in texts]
    todo = [t for t in clean if t]
    if bow is not None:
        cats = iter(_bow_cats(bow, todo, batch_size))
    else:
        cats = (doc.cats for doc in load_textcat(Path(model_dir)).pipe(todo, batch_size=batch_size))
    out = []
    for text in clean:
        if not text:  # nothing to read: framing, not content
            out.append({label: float(label == "other") for label in TEXTCAT_LABELS})
            continue
        found = next(cats)
        out.append({label: float(found.get(label, 0.0)) for label in TEXTCAT_LABELS})
    return out


def _bow_cats(bow: bow_textcat.BowTextcat, texts: list[str], batch_size: int) -> Iterator[dict[str, float]]:
    """`doc.cats` of each text as the spaCy pipeline sets them: tokenized by `UndertheseaTokenizer`
    with the model's fixed words, scored in batches of `batch_size` (as `nlp.pipe`)."""
    for start in range(0, len(texts), batch_size):
        batch = texts[start : start + batch_size]
        docs = [
            bow_textcat.words_and_spaces([t[s:e] for s, e in segment(t, bow.fixed_words)], t) for t in batch
        ]
        scores = bow.scores(docs)
        for i in range(len(batch)):
            yield {label: float(scores[i, j]) for j, label in enumerate(bow.labels)}
