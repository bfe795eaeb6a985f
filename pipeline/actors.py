"""Actors: the agencies or people a task is assigned to ("Giao Sở Tài chính chủ trì, phối hợp với ...").

Reads one item text; returns the actors as written in it, from the cue words, agency heads and
stop words of data/lexicon/ and underthesea's word segmentation, POS and NER (bundled models).
Never edits the text and never downloads anything.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .config import DATA_DIR
from .nlp import ner, pos_tag, read_lexicon, segment

LEXICON_DIR = DATA_DIR / "lexicon"
AGENCIES_FILE = LEXICON_DIR / "agencies.txt"
ACTOR_CUES_FILE = LEXICON_DIR / "actor_cues.txt"
ACTOR_STOPS_FILE = LEXICON_DIR / "actor_stops.txt"
ACTOR_WORDS_FILE = LEXICON_DIR / "actor_words.json"

WORD_CHAR = re.compile(r"\w")  # "Sở" has word characters, "," has none
BULLET = re.compile(r"^(?:[-+•*]|[0-9]+(?:\.[0-9]+)*[.)]|[a-zđ][).])$")  # "-", "1.", "1.1.", "a)"
SENTENCE_END = frozenset({".", ";", "!", "?"})
JOINERS = frozenset({",", "và", "-", "–"})  # never the last word of an actor: "Sở Tài chính và"
NAME_STOP_PUNCT = frozenset({":", ";", ".", "(", ")", "!", "?", '"', "“", "”"})


@functools.cache
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


@dataclass(frozen=True)
class ActorWords:
    """The words of data/lexicon/actor_words.json."""

    unit_words: frozenset[str]  # go on after a comma: "UBND các huyện, thị xã"
    determiners: frozenset[str]  # "các", "những": never an actor's last word
    honorifics: frozenset[str]  # "đồng chí", "ông": before a person's name


@functools.cache
def actor_words() -> ActorWords:
    """Load data/lexicon/actor_words.json once per process."""
    data = json.loads(ACTOR_WORDS_FILE.read_text(encoding="utf-8"))

    def words(key: str) -> frozenset[str]:
        return frozenset(unicodedata.normalize("NFC", str(w)) for w in data[key])

    return ActorWords(words("unit_words"), words("determiners"), words("honorifics"))


def _tagged(tagger: Callable[[], list[Any]], n: int) -> list[Any] | None:
    """A tagger's output when it has one entry per span (`n`), else None; a tagger failure must
    not lose the actors the lexicon finds."""
    try:
        tagged = tagger()
    except Exception:
        return None
    return tagged if len(tagged) == n else None


class _Tags:
    """POS and NER tags of the split spans, each tagger run only when a rule first asks.

    underthesea's NER (word segmentation, POS, chunking, NER) and its POS tagging are costly; most
    tasks are settled by the lexicons and need neither, or only POS. NER reuses the POS tags
    already computed (underthesea's `ner` would compute them again).
    """

    def __init__(self, text: str, spans: list[tuple[int, int]], origin: list[tuple[int, bool]]) -> None:
        self.text, self.spans, self.origin = text, spans, origin  # origin: (word index, predicate cut off it)
        self._nfc = unicodedata.normalize("NFC", text)
        self._tagged: list[tuple[str, str]] | None = None  # underthesea's pos_tag of the text
        self._pos: list[str] | None = None
        self._ner: list[str] | None = None

    def _pos_tagged(self) -> list[tuple[str, str]]:
        if self._tagged is None:
            try:
                self._tagged = pos_tag(self._nfc)
            except Exception:  # a tagger failure must not lose the actors the lexicon finds
                self._tagged = []
        return self._tagged

    def pos(self, j: int) -> str:
        """POS of split span j ("V" for a predicate cut off a word)."""
        k, cut = self.origin[j]
        if cut:
            return "V"
        if self._pos is None:
            tagged = self._pos_tagged()
            self._pos = [t[1] for t in tagged] if len(tagged) == len(self.spans) else [""] * len(self.spans)
        return self._pos[k]

    def ner(self, j: int) -> str:
        """NER tag of split span j ("O" for a predicate cut off a word)."""
        k, cut = self.origin[j]
        if cut:
            return "O"
        if self._ner is None:
            tagged = _tagged(lambda: ner(self._nfc, self._pos_tagged()), len(self.spans))
            self._ner = [t[3] for t in tagged] if tagged else ["O"] * len(self.spans)
            if self._pos is None and tagged and any(t[1] for t in tagged):
                self._pos = [t[1] for t in tagged]  # the POS tags NER used: no second run
        return self._ner[k]


@functools.lru_cache(maxsize=4)
def _phrase_stops(stops: frozenset[str]) -> frozenset[str]:
    """The stop words of several words ("phối hợp", "chủ trì"): a segmented word may end in one."""
    return frozenset(stop for stop in stops if " " in stop)


def _predicate_cut(word: str, phrases: frozenset[str]) -> int:
    """Where a casefolded word that swallowed a predicate of `phrases` is cut: the start of the
    longest such predicate it ends in after a space (0 when none, or when it is the whole word).

    Examples:
        >>> _predicate_cut("sở y tế chủ trì", frozenset({"chủ trì", "phối hợp"}))
        8
        >>> _predicate_cut("chủ trì", frozenset({"chủ trì"}))
        0
    """
    cut = 0
    for k, char in enumerate(word):
        if char == " " and k > 0 and word[k + 1 :] in phrases:
            cut = max(cut, k + 1)
    return cut


def _split_predicates(
    text: str, spans: list[tuple[int, int]], stops: frozenset[str]
) -> tuple[list[tuple[int, int]], _Tags]:
    """Spans and their (lazy) tags, with a word that swallowed a predicate cut before it ("Dược | phối hợp")."""
    out_spans: list[tuple[int, int]] = []
    origin: list[tuple[int, bool]] = []
    phrases = _phrase_stops(stops)
    for k, (start, end) in enumerate(spans):
        word = unicodedata.normalize("NFC", text[start:end]).casefold()
        cut = 0
        if " " in word and len(word) == end - start:
            cut = _predicate_cut(word, phrases)
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
    words = actor_words()
    trailing = JOINERS | words.determiners  # never the last word of an actor
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
        rest = joined_low[offsets[i] :]
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
        if low[i] in words.honorifics and i + 1 < n:
            i += 1
            start = i
        if low[i] in words.determiners and i + 1 < n:
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
                if w == "," and nxt[:1].islower() and low[j + 1] in words.unit_words:
                    j += 2  # "các sở, ban, ngành": one enumerated unit
                    continue
                if match(j + 1, heads) and w != "-":
                    break  # "Sở Tài chính, Sở Xây dựng": a new actor
                if w == "," and (
                    low[j + 1] in words.unit_words or (nxt[:1].isupper() and not is_stop(j + 1, False))
                ):
                    j += 2
                    continue
                if w in ("-", "–") and nxt[:1].isupper():
                    j += 2
                    continue
                if (
                    w == "và"
                    and low[j + 1] not in words.determiners
                    and not is_stop(j + 1, True)
                    and WORD_CHAR.search(nxt)
                ):
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
                while end > start and low[end - 1] in trailing:
                    end -= 1
                actors.append(text[spans[start][0] : spans[end - 1][1]])
                i = end
                # an enumeration goes on: "Sở Tài chính, Sở Xây dựng và UBND các huyện"
                slot = i < n and low[i] in (",", "và", "cùng")
                if slot:
                    i += 1
                continue
        slot = False
        i += 1
    return list(dict.fromkeys(unicodedata.normalize("NFC", a) for a in actors))
