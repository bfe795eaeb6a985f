"""NLP frame: the spaCy `vi` Language with underthesea word segmentation, built once per process.

Reads plain text (an item, a sentence); returns words, spaCy Docs, item-category probabilities
from the trained textcat in `models/item_textcat/model`, and the agencies a task is assigned to.
Never downloads anything: only underthesea's bundled word_tokenize/pos_tag/ner models are used.
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
from spacy.util import DummyTokenizer
from spacy.vocab import Vocab

from .config import DATA_DIR, MODELS_DIR
from .records import CATEGORIES

LEXICON_DIR = DATA_DIR / "lexicon"
FIXED_WORDS_FILE = LEXICON_DIR / "fixed_words.txt"
AGENCIES_FILE = LEXICON_DIR / "agencies.txt"
ACTOR_CUES_FILE = LEXICON_DIR / "actor_cues.txt"
ACTOR_STOPS_FILE = LEXICON_DIR / "actor_stops.txt"
TEXTCAT_DIR = MODELS_DIR / "item_textcat" / "model"
TEXTCAT_LABELS = CATEGORIES  # result, limitation, cause, task, other

# underthesea builds a regex from fixed words without escaping them: allow plain words only.
FIXED_WORD = re.compile(r"^[\w][\w \-&]*$")  # "vốn đầu tư công", "Lao động - Thương binh"
WORD_CHAR = re.compile(r"\w")  # "Sở" has word characters, "," has none


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
            out.extend((m.start() + cursor, m.end() + cursor) for m in re.finditer(r"\S+", text[cursor:start]))
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


def _ensure_registered() -> None:
    """Import the registrations module (kept lazy: it imports this one)."""
    from . import registrations  # noqa: F401


@lru_cache(maxsize=1)
def blank_nlp() -> Language:
    """A blank `vi` Language whose tokenizer is underthesea (never spaCy's pyvi default)."""
    _ensure_registered()
    return spacy.blank("vi", config={"nlp": {"tokenizer": {"@tokenizers": "ketluan.UndertheseaTokenizer.v1"}}})


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
    _ensure_registered()
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


# --------------------------------------------------------------------------- actors


@lru_cache(maxsize=1)
def _actor_lexicons() -> tuple[tuple[str, ...], tuple[str, ...], frozenset[str], frozenset[str]]:
    """(agency heads longest first, cue phrases, stop words, name-internal lowercase words)."""
    heads = tuple(sorted({h.casefold() for h in read_lexicon(AGENCIES_FILE)}, key=lambda h: -len(h)))
    cues = tuple(sorted({c.casefold() for c in read_lexicon(ACTOR_CUES_FILE)}, key=lambda c: -len(c)))
    stops: set[str] = set()
    inner: set[str] = set()
    for line in read_lexicon(ACTOR_STOPS_FILE):
        if line.startswith("+"):
            inner.add(line[1:].strip().casefold())
        else:
            stops.add(line.casefold())
    return heads, cues, frozenset(stops), frozenset(inner)


# Unit words that continue an enumerated agency name after a comma: "UBND các huyện, thị xã".
UNIT_WORDS = frozenset(
    "huyện thị xã thành phố xã phường thị trấn quận tỉnh sở ban ngành đoàn thể đơn vị địa phương "
    "phòng khoa ấp thôn bản tổ dân phố khu phố trường".split()
    + ["thị xã", "thành phố", "thị trấn", "đoàn thể", "đơn vị", "địa phương", "tổ dân phố", "khu phố"]
)
DETERMINERS = frozenset({"các", "những", "mỗi", "từng", "toàn bộ"})
HONORIFICS = frozenset({"đồng chí", "ông", "bà", "đ/c"})
BULLET = re.compile(r"^(?:[-+•*]|[0-9]+(?:\.[0-9]+)*[.)]|[a-zđ][).])$")  # "-", "1.", "1.1.", "a)"
SENTENCE_END = frozenset({".", ";", "!", "?"})
TRAILING = frozenset({",", "và", "-", "–"}) | DETERMINERS  # never the last word of an actor
NAME_STOP_PUNCT = frozenset({":", ";", ".", "(", ")", "!", "?", '"', "“", "”"})


def _tag(text: str, spans: list[tuple[int, int]]) -> list[tuple[str, str]]:
    """(POS, NER) per span from underthesea.ner; ("", "O") when its words do not line up."""
    from underthesea import ner

    try:
        tagged = ner(unicodedata.normalize("NFC", text))
    except Exception:  # a tagger failure must not lose the actors the lexicon finds
        tagged = []
    if len(tagged) != len(spans):
        return [("", "O")] * len(spans)
    return [(t[1], t[3]) for t in tagged]


def _pos(text: str, spans: list[tuple[int, int]]) -> list[str]:
    """POS per span from underthesea.pos_tag (the tags `ner` computes first); "" when misaligned."""
    from underthesea import pos_tag

    try:
        tagged = pos_tag(unicodedata.normalize("NFC", text))
    except Exception:  # a tagger failure must not lose the actors the lexicon finds
        tagged = []
    if len(tagged) != len(spans):
        return [""] * len(spans)
    return [t[1] for t in tagged]


class _Tags:
    """POS and NER tags of the split spans, each tagger run only when a rule first asks.

    underthesea's `ner` (word segmentation, POS, chunking, NER) costs ~11 ms per task and
    `pos_tag` ~4 ms; most tasks are settled by the lexicons and need neither, or only POS.
    """

    def __init__(self, text: str, spans: list[tuple[int, int]], origin: list[tuple[int, bool]]) -> None:
        self.text, self.spans, self.origin = text, spans, origin  # origin: (word index, predicate cut off it)
        self._pos: list[str] | None = None
        self._ner: list[str] | None = None

    def pos(self, j: int) -> str:
        """POS of split span j ("V" for a predicate cut off a word)."""
        k, cut = self.origin[j]
        if cut:
            return "V"
        if self._pos is None:
            self._pos = _pos(self.text, self.spans)
        return self._pos[k]

    def ner(self, j: int) -> str:
        """NER tag of split span j ("O" for a predicate cut off a word)."""
        k, cut = self.origin[j]
        if cut:
            return "O"
        if self._ner is None:
            self._ner = [tag for _, tag in _tag(self.text, self.spans)]
        return self._ner[k]


def _split_predicates(
    text: str, spans: list[tuple[int, int]], stops: frozenset[str]
) -> tuple[list[tuple[int, int]], _Tags]:
    """Spans and their (lazy) tags, with a word that swallowed a predicate cut before it ("Dược | phối hợp")."""
    out_spans: list[tuple[int, int]] = []
    origin: list[tuple[int, bool]] = []
    for k, (start, end) in enumerate(spans):
        word = unicodedata.normalize("NFC", text[start:end]).casefold()
        cut = 0
        if " " in word and len(word) == end - start:
            for stop in stops:
                if " " in stop and word.endswith(" " + stop) and len(stop) < len(word) - 1:
                    cut = max(cut, len(word) - len(stop))
        if cut:
            out_spans += [(start, start + cut - 1), (start + cut, end)]
            origin += [(k, False), (k, True)]
        else:
            out_spans.append((start, end))
            origin.append((k, False))
    return out_spans, _Tags(text, spans, origin)


def find_actors(text: str) -> list[str]:
    """Agencies or people a task is assigned to, as written in `text`.

    An actor starts where a task names who acts: at the start of the item (after a bullet),
    after "Giao", "Đề nghị", "Yêu cầu" …, after "phối hợp với", or after a comma/"và" that joins
    another agency. It starts with an agency head word of data/lexicon/agencies.txt (Sở, Phòng,
    UBND, Công an …) or a PER/ORG entity of underthesea's NER, and runs until the predicate
    (a verb of data/lexicon/actor_stops.txt, or a lowercase verb/adverb by POS) or punctuation.

    Args:
        text: an item text, e.g. a task.

    Returns:
        The actors in order of appearance, without duplicates.

    Examples:
        >>> find_actors("Giao Sở Kế hoạch và Đầu tư chủ trì, phối hợp với Sở Tài chính rà soát")
        ['Sở Kế hoạch và Đầu tư', 'Sở Tài chính']
        >>> find_actors("Công an xã tăng cường tuần tra")
        ['Công an xã']
    """
    heads, cues, stops, inner = _actor_lexicons()
    spans, tags = _split_predicates(text, segment(text), stops)
    if not spans:
        return []
    nfc = [unicodedata.normalize("NFC", text[s:e]) for s, e in spans]
    low = [w.casefold() for w in nfc]
    n = len(spans)
    joined_low = " ".join(low)
    # character offset of each token in `joined_low`, to match multi-word lexicon entries
    offsets: list[int] = []
    pos = 0
    for w in low:
        offsets.append(pos)
        pos += len(w) + 1

    def match(i: int, entries: tuple[str, ...]) -> int:
        """Tokens covered by the longest entry starting at token i (0 when none ends on a boundary)."""
        rest = joined_low[offsets[i]:]
        for entry in entries:
            if rest.startswith(entry) and (len(rest) == len(entry) or rest[len(entry)] == " "):
                end_char = offsets[i] + len(entry)
                for j in range(i, n):
                    if offsets[j] + len(low[j]) >= end_char:
                        return j - i + 1
        return 0

    def is_stop(j: int, prev_lower: bool) -> bool:
        w = low[j]
        if w in stops:
            return True
        if nfc[j][:1].isupper():
            return False
        pos_tag = tags.pos(j)
        if pos_tag in ("V", "R", "A") and not (w in inner and prev_lower):
            return True
        return False

    def read_actor(i: int) -> tuple[int, int]:
        """(start, end) token range of an actor starting at i, or (i, i) when none starts there."""
        start = i
        if low[i] in HONORIFICS and i + 1 < n:
            i += 1
            start = i
        if low[i] in DETERMINERS and i + 1 < n:
            i += 1
        k = match(i, heads)
        if k:
            j = i + k
        elif nfc[i][:1].isupper() and tags.ner(i) in ("B-PER", "B-ORG"):  # names are capitalized
            j = i + 1
            while j < n and tags.ner(j) in ("I-PER", "I-ORG"):
                j += 1
            return start, j
        else:
            return i, i
        prev_lower = nfc[j - 1][:1].islower()
        while j < n:
            w = low[j]
            if w in NAME_STOP_PUNCT or w in SENTENCE_END:
                break
            if w in (",", "và", "-", "–"):
                if j + 1 >= n:
                    break
                nxt = nfc[j + 1]
                if w == "," and nxt[:1].islower() and low[j + 1] in UNIT_WORDS:
                    j += 2  # "các sở, ban, ngành": one enumerated unit
                    continue
                if match(j + 1, heads) and w != "-":
                    break  # "Sở Tài chính, Sở Xây dựng": a new actor
                if w == "," and (low[j + 1] in UNIT_WORDS or (nxt[:1].isupper() and not is_stop(j + 1, False))):
                    j += 2
                    continue
                if w in ("-", "–") and nxt[:1].isupper():
                    j += 2
                    continue
                if w == "và" and low[j + 1] not in DETERMINERS and not is_stop(j + 1, True) and WORD_CHAR.search(nxt):
                    j += 2
                    prev_lower = nxt[:1].islower()
                    continue
                break
            if not WORD_CHAR.search(w) or is_stop(j, prev_lower):
                break
            prev_lower = nfc[j][:1].islower()
            j += 1
        return start, j

    actors: list[str] = []
    slot = True  # may an actor start at the next token?
    i = 0
    while i < n:
        w = low[i]
        if slot and BULLET.match(w):
            i += 1
            continue
        k = match(i, cues)
        if k:
            i += k
            slot = True
            continue
        if w in SENTENCE_END:
            slot = True
            i += 1
            continue
        if slot:
            start, end = read_actor(i)
            if end > start:
                while end > start and low[end - 1] in TRAILING:
                    end -= 1
                actors.append(text[spans[start][0]: spans[end - 1][1]])
                i = end
                # an enumeration goes on: "Sở Tài chính, Sở Xây dựng và UBND các huyện"
                slot = i < n and low[i] in (",", "và", "cùng")
                if slot:
                    i += 1
                continue
        slot = False
        i += 1
    return list(dict.fromkeys(unicodedata.normalize("NFC", a) for a in actors))
