"""Normalize stage, OCR lines only: the lexicon the OCR correction reads (ocr_correct).

Reads data/lexicon/ocr_vocabulary.txt, data/geo and underthesea's installed word list, place
names and word-segmentation model; returns a Lexicon of entries keyed by their diacritic-free
form, with syllables and attested syllable pairs, cached on disk. Never corrects text itself.
"""

from __future__ import annotations

import hashlib
import json
import pickle
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .config import CACHE_DIR, DATA_DIR
from .crf_models import package_dir, store_pickle
from .text.canonical import normalize_text
from .text.orthography import bare, is_syllable

VOCABULARY_FILE = DATA_DIR / "lexicon" / "ocr_vocabulary.txt"
# Terms of the body text (quỹ đất, chính sách thuế, quốc tế, chuyển đơn): strong entries too.
PHRASES_FILE = DATA_DIR / "lexicon" / "ocr_phrases.txt"
# Provinces and districts with their level words (vietnam-provinces data): strong entries.
GEO_FILE = DATA_DIR / "geo" / "units.json"
# The code that writes the lexicon entries' canonical forms: a change to it rebuilds the cached lexicon.
TEXT_CODE = tuple(
    Path(__file__).with_name("text") / name for name in ("canonical.py", "orthography.py", "legacy.py")
)
LEXICON_CACHE_FORMAT = 3  # raise when the Lexicon class changes shape
MAX_PHRASE_WORDS = 8  # "cộng hòa xã hội chủ nghĩa việt nam" has 7

# A word: letters with their marks, no digits.  # "TỊCH" in "PHO CHU TỊCH"
WORD = re.compile(r"[^\W\d_]+")
# A lexicon entry: letters, spaces and in-word hyphens only.  # "phó chủ tịch", "a-dốt"
ENTRY = re.compile(r"^[^\W\d_]+(?:[ -][^\W\d_]+)*$")
# A place name with an apostrophe, as data/geo writes it.  # "Đắk R'Lấp", "Cư M'gar", "Ia H' Drai"
APOSTROPHE_NAME = re.compile(r"^[^\W\d_]+(?:(?:'| |' )[^\W\d_]+)*$")
# A district or province name after its level word.  # "Huyện Hoằng Hóa" -> "Hoằng Hóa"
ADMIN_PREFIX = re.compile(r"^(?:Tỉnh|Thành phố|Huyện|Quận|Thị xã)\s+(?=\D)")
# Attested syllable pairs in underthesea's word-segmentation model: its features name the
# two syllables around a boundary.  # b"T[-1,0]=c\xe1\xbb\xa5c thu\xe1\xba\xbf" ("cục thuế")
PAIR_FEATURE = re.compile(rb"T\[(?:-1,0|0,1|-2,-1|1,2)\](?:\.lower)?=([^\x00\x01-\x1f]{3,40})")


@dataclass(frozen=True)
class Lexicon:
    """Entries by their diacritic-free key; entries are lowercase, NFC, old tone style.

    `phrases` maps "pho chu tich" to ("phó chủ tịch",); `forms` holds every entry, so a
    window already spelled as an entry is left alone; `proper` holds the entries seen only
    capitalized (place names), matched only against capitalized OCR words; `strong` holds the
    entries of the administrative vocabulary, the only ones that may change a word that is
    itself an entry ("CHU" -> "CHỦ" in "PHO CHU TỊCH").

    For the context pass: `syllables` maps a diacritic-free syllable to the syllables of every
    entry ("thue" -> thuê, thuế, ...); `pairs` holds two neighbouring syllables attested in an
    entry or in general text ("cục thuế"); `proper_pairs` those attested only between
    capitalized syllables of a name ("lâm đồng", matched against capitalized words); `usual`
    holds the syllables of general text and of names (a syllable found only inside rare
    entries, "buôi", is no evidence of itself); `joined` maps a multi-syllable
    place name written without its spaces ("daknong") to the name ("đắk nông").

    `apostrophe_names` holds the place names with an apostrophe ("Đắk R'Lấp", "Cư M'gar"),
    which are no entries; `name_syllables` the syllables of proper names ("đăk" of "Đăk Hà"
    and "đắk" of "Đắk Nông": both spellings are in use, so neither is corrected to the other).
    """

    phrases: dict[str, tuple[str, ...]]
    forms: frozenset[str]
    proper: frozenset[str]
    strong: frozenset[str]
    longest: int
    syllables: dict[str, tuple[str, ...]] = field(default_factory=dict)
    pairs: frozenset[str] = frozenset()
    usual: frozenset[str] = frozenset()
    proper_pairs: frozenset[str] = frozenset()
    joined: dict[str, tuple[str, ...]] = field(default_factory=dict)
    apostrophe_names: tuple[str, ...] = ()
    name_syllables: frozenset[str] = frozenset()


def build_lexicon(
    entries: list[str], strong: list[str] | None = None, pairs: list[str] | None = None
) -> Lexicon:
    """Index lexicon entries (words or phrases with diacritics) by their diacritic-free key.

    Args:
        entries: e.g. ["phó chủ tịch", "Quảng Ngãi"]; an entry written capitalized and never
            in lowercase is a proper name.
        strong: entries trusted to change a valid word (the administrative vocabulary);
            None makes every entry strong.
        pairs: two-syllable sequences attested in general text ("đến nay"), besides those
            inside the entries.

    Returns:
        The Lexicon.

    Examples:
        >>> build_lexicon(["phó chủ tịch", "Quảng Ngãi"]).phrases["quang ngai"]
        ('quảng ngãi',)
    """
    by_key: dict[str, set[str]] = {}
    capitalized: set[str] = set()
    lowercase: set[str] = set()
    longest = 1
    strong_forms = {canonical(" ".join(e.split())) for e in (entries if strong is None else strong)}
    syllables: dict[str, set[str]] = {}
    entry_pairs: set[str] = set()  # "tình hình", "tỉnh lâm"
    name_pairs: set[str] = set()  # both syllables capitalized in the entry: "lâm đồng"
    joined: dict[str, set[str]] = {}
    apostrophe_names: set[str] = set()
    for raw in entries + (strong or []):
        entry = " ".join(unicodedata.normalize("NFC", raw).split())
        if not ENTRY.match(entry):
            continue
        form = canonical(entry)
        (capitalized if entry[0].isupper() and not entry.isupper() else lowercase).add(form)
        by_key.setdefault(bare(form, key=True), set()).add(form)
        longest = max(longest, len(WORD.findall(form)))
        shown, words = entry.replace("-", " ").split(), form.replace("-", " ").split()
        for word in words:
            syllables.setdefault(bare(word, key=True), set()).add(word)
        names = [w[:1].isupper() and not entry.isupper() for w in shown]
        for k in range(len(words) - 1):
            both = names[k] and names[k + 1]
            pair = f"{words[k]} {words[k + 1]}"
            (name_pairs if both else entry_pairs).add(pair)
        if len(words) > 1 and all(names):
            joined.setdefault(bare("".join(words), key=True), set()).add(" ".join(words))
    for raw in strong or []:  # the place names of data/geo: "Đắk R'Lấp"
        entry = " ".join(unicodedata.normalize("NFC", raw).replace("’", "'").split())
        if "'" in entry and entry[0].isupper() and APOSTROPHE_NAME.match(entry):
            apostrophe_names.add(entry)
    common_pairs = set(entry_pairs)
    usual: set[str] = set()
    for pair in pairs or []:
        words = canonical(" ".join(pair.split())).split()
        if len(words) == 2 and all(is_syllable(w) for w in words):
            common_pairs.add(" ".join(words))
            usual.update(words)
    proper = capitalized - lowercase
    if usual:  # the syllables of names are as usual as any: "nguyễn"
        usual.update(w for form in proper | strong_forms for w in form.replace("-", " ").split())
    return Lexicon(
        phrases={key: tuple(sorted(forms)) for key, forms in by_key.items()},
        forms=frozenset(lowercase | capitalized),
        proper=frozenset(proper),
        strong=frozenset(strong_forms),
        longest=min(longest, MAX_PHRASE_WORDS),
        syllables={key: tuple(sorted(forms)) for key, forms in syllables.items()},
        pairs=frozenset(common_pairs),
        usual=frozenset(usual),
        proper_pairs=frozenset(name_pairs - common_pairs),
        joined={key: tuple(sorted(names)) for key, names in joined.items()},
        apostrophe_names=tuple(sorted(apostrophe_names)),
        name_syllables=frozenset(w for form in proper for w in form.replace("-", " ").split()),
    )


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    """data/lexicon/ocr_vocabulary.txt and data/geo, plus underthesea's Viet74K words, place names
    and the syllable pairs of its word-segmentation model.

    underthesea's files are read from the installed package (no import, no download); when it
    is missing only the project's vocabulary and place names are used. Building takes a few
    seconds (every entry is normalized), so the result is kept in CACHE_DIR under a key of its
    sources' bytes and of the code that normalizes them; each worker process then loads it in a
    fraction of that.
    """
    package = package_dir()
    words = package / "corpus" / "data" / "Viet74K.txt" if package is not None else None
    places = package / "address" / "data" / "mapping.json" if package is not None else None
    model = (
        package / "pipeline" / "word_tokenize" / "models" / "ws_crf_vlsp2013_20230727" / "models.bin"
        if package is not None
        else None
    )
    sources = [VOCABULARY_FILE, PHRASES_FILE, GEO_FILE, Path(__file__), *TEXT_CODE, words, places, model]
    cache = CACHE_DIR / f"ocr_lexicon-{_sources_key(sources)}.pickle"
    cached = _load_lexicon(cache)
    if cached is not None:
        return cached
    entries: list[str] = []
    if words is not None and words.is_file():
        entries += read_list(words)
    if places is not None:
        entries += _place_names(places)
    strong = read_list(VOCABULARY_FILE) + read_list(PHRASES_FILE) + _geo_names(GEO_FILE)
    lexicon = build_lexicon(entries, strong=strong, pairs=_model_pairs(model))
    _store_lexicon(cache, lexicon)
    return lexicon


def _geo_names(path: Path) -> list[str]:
    """Province and district names of data/geo, alone and after their level word.

    Examples: "Lâm Đồng", "tỉnh Lâm Đồng", "Krông Nô", "huyện Krông Nô". A name with an
    apostrophe ("Đắk R'Lấp") is no entry (the lexicon holds letters and spaces only): it goes
    to the Lexicon's `apostrophe_names`.
    """
    if not path.is_file():
        return []
    data = json.loads(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for era in ("before_2025_07", "from_2025_07"):
        for province in data.get(era, []):
            for unit in [province, *province.get("districts", [])]:
                name, full = unit.get("name", ""), unit.get("full_name", "")
                names.add(name)
                if full.endswith(name) and full != name:
                    names.add(full[: -len(name)].lower() + name)
    return sorted(n for n in names if n)


def _model_pairs(path: Path | None) -> list[str]:
    """Two-syllable sequences named by the features of underthesea's word-segmentation model.

    The CRF model was trained on general Vietnamese text (VLSP 2013); a feature such as
    "T[-1,0]=cục thuế" records that the two syllables stood side by side there.
    """
    if path is None or not path.is_file():
        return []
    found: set[str] = set()
    for raw in PAIR_FEATURE.findall(path.read_bytes()):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            continue
        if text.count(" ") == 1:
            found.add(text.lower())
    return sorted(found)


def _sources_key(paths: list[Path | None]) -> str:
    """A digest of the files a cached lexicon is built from (a missing file counts as missing)."""
    digest = hashlib.sha256(f"lexicon-format-{LEXICON_CACHE_FORMAT}".encode())
    for path in paths:
        digest.update(b"\0" + (path.name.encode() if path is not None else b"-") + b"\0")
        if path is not None and path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:20]


def _load_lexicon(path: Path) -> Lexicon | None:
    """The cached lexicon, or None when there is none or it cannot be read (it is rebuilt)."""
    try:
        with path.open("rb") as fh:
            lexicon = pickle.load(fh)
    except Exception:  # missing, truncated, written by another version: rebuild
        return None
    return lexicon if isinstance(lexicon, Lexicon) else None


def _store_lexicon(path: Path, lexicon: Lexicon) -> None:
    """Write the cache atomically (parallel workers may race) and drop caches of older sources.

    A cache folder that cannot be written only costs the build time again in the next process.
    """
    if not store_pickle(path, lexicon):
        return
    for old in path.parent.glob("ocr_lexicon-*.pickle"):
        if old != path:
            try:
                old.unlink(missing_ok=True)
            except OSError:
                return


@lru_cache(maxsize=262144)
def canonical(text: str) -> str:
    """Lowercase NFC text with tone marks in the old style, as normalize_text writes them."""
    return unicodedata.normalize("NFC", normalize_text(text.lower()))


def read_list(path: Path) -> list[str]:
    """Non-empty, non-comment lines of a word list."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]


def _place_names(path: Path) -> list[str]:
    """Province names (63 old, 34 new) and district names of underthesea's address data."""
    if not path.is_file():
        return []
    data = json.loads(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for table in ("province_names", "old_province_names"):
        for info in data.get(table, {}).values():
            names.add(info.get("short", ""))
    for row in data.get("ward_mapping", []):
        names.add(ADMIN_PREFIX.sub("", row.get("old_district", "") or ""))
    return sorted(n for n in names if n)
