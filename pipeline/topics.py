"""Paraphrase-aware wording of items for the analyse stage: equivalent terms and problem topics.

Reads the lexicon of equivalent terms (data/analysis/equivalents.tsv) and the taxonomy of
recurring administrative problems (data/analysis/topics.json); maps an item text to its canonical
wording and its topic. Pure text functions: no DataFrames, no files of a run.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .config import DATA_DIR
from .text.orthography import fold

EQUIVALENTS_PATH = DATA_DIR / "analysis" / "equivalents.tsv"
TOPICS_PATH = DATA_DIR / "analysis" / "topics.json"
PLACE_NOUNS_PATH = DATA_DIR / "analysis" / "place_nouns.txt"
COMPLETION_PATH = DATA_DIR / "analysis" / "completion.txt"
CLAUSE_LEADS_PATH = DATA_DIR / "analysis" / "clause_leads.txt"
OBJECTS_PATH = DATA_DIR / "analysis" / "objects.tsv"
DEFICIENCIES_PATH = DATA_DIR / "analysis" / "deficiencies.tsv"
LEAD_CLAUSE_MAX = 80  # characters of a leading adverbial clause before its comma
SPACES = re.compile(r"\s+")
WORDS = re.compile(r"\w+")  # syllables of "giải ngân vốn" (and "covid" of "covid-19")
# An enumeration lead-in of a paragraph or clause ("Thứ nhất, …", "Thứ hai: …", "Một là, …"): it says
# where the point stands in the list, not what it is, and every point of a list has one.
# Matches "thứ nhất," of "thứ nhất, tình trạng nợ đóng bhxh vẫn ở mức cao" (lower case, as compared).
ORDINALS = "nhất|hai|ba|tư|bốn|năm|sáu|bảy|tám|chín|mười"
ENUMERATION = re.compile(rf"(?<!\w)(?:thứ\s+(?:{ORDINALS})|(?:một|{ORDINALS})\s+là)\s*[,:]")


@dataclass(frozen=True)
class Topic:
    """One recurring problem of the taxonomy, with its cues (every phrase of one cue must occur)."""

    id: str  # "giai-ngan-von-dau-tu-cong"
    vi: str  # "giải ngân vốn đầu tư công"
    en: str  # "public investment disbursement"
    cues: tuple[tuple[tuple[str, re.Pattern[str]], ...], ...]  # (phrase, whole-word pattern)


@lru_cache(maxsize=1 << 18)
def _folded(text: str) -> str:
    """NFC with one tone placement, case kept (`canonical_text` and `topic_of` share it)."""
    return fold(unicodedata.normalize("NFC", text))


def _lower(text: str) -> str:
    """NFC lower case, one tone placement, one space: the form lexicons are matched on."""
    return SPACES.sub(" ", _folded(text).lower()).strip()


Trie = dict[str, "Trie"]  # regex unit -> the rest of the terms ("" ends one)


def _alternation(terms: Iterable[str]) -> str:
    """One regex alternative of lower-case terms as a trie, each space any run of spaces.

    The same matches as the terms joined longest first ("chậm trễ|chậm|trễ"): the terms that
    match at one position are prefixes of one another and the trie tries the longer first, but
    each position is tried once per distinct prefix instead of once per term.

    Examples:
        >>> print(_alternation(["chậm trễ", "chậm", "trễ hạn"]))
        (?:chậm(?:\\s+trễ)?|trễ\\s+hạn)
    """
    root: Trie = {}
    for term in terms:
        node = root
        for ch in term:
            node = node.setdefault(r"\s+" if ch == " " else re.escape(ch), {})
        node[""] = {}

    def emit(node: Trie) -> str:
        branches = [unit + emit(child) for unit, child in node.items() if unit]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" not in node:
            return body
        return f"(?:{body})?" if len(branches) > 1 or len(body) > 1 else f"{body}?"

    branches = [unit + emit(child) for unit, child in root.items() if unit]
    return "(?:" + "|".join(branches) + ")"


def _phrase(term: str) -> re.Pattern[str]:
    """A whole-word pattern of a lexicon term ("quá hạn" does not match inside "quá hạnh")."""
    return re.compile(r"(?<!\w)" + re.escape(_lower(term)).replace(r"\ ", r"\s+") + r"(?!\w)")


@lru_cache(maxsize=1)
def load_equivalents(path: str | None = None) -> tuple[tuple[str, re.Pattern[str], str], ...]:
    """Equivalent terms as (term, pattern, form), longest term first.

    Examples:
        >>> {t: f for t, _, f in load_equivalents()}["trễ hạn"]
        'chậm'
    """
    pairs = []
    for line in Path(path or EQUIVALENTS_PATH).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].rstrip()
        if "\t" in line:
            term, form = (p.strip() for p in line.split("\t", 1))
            pairs.append((term, _lower(form).replace(" ", "_")))
    pairs.sort(key=lambda p: -len(p[0]))
    return tuple((_lower(t), _phrase(t), f) for t, f in pairs)


@lru_cache(maxsize=1)
def load_topics(path: str | None = None) -> tuple[Topic, ...]:
    """The taxonomy of recurring problems, in matching order (specific topics first).

    Examples:
        >>> load_topics()[0].vi
        'kê khai tài sản, thu nhập'
    """
    data = json.loads(Path(path or TOPICS_PATH).read_text(encoding="utf-8"))
    return tuple(
        Topic(
            t["id"], t["vi"], t["en"], tuple(tuple((_lower(p), _phrase(p)) for p in cue) for cue in t["cues"])
        )
        for t in data["topics"]
    )


UPPER = "A-ZĐÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"  # capitals of a name


@lru_cache(maxsize=1)
def _place_pattern() -> re.Pattern[str]:
    """A place noun of data/analysis/place_nouns.txt (any case) and the capitalised name after it.

    Matches "huyện Bù Đăng" in "đoạn qua huyện Bù Đăng, gây sạt lở" (the comma stays).
    """
    nouns = []
    for line in PLACE_NOUNS_PATH.read_text(encoding="utf-8").splitlines():
        noun = unicodedata.normalize("NFC", line.split("#", 1)[0]).strip().lower()
        if noun:
            nouns.append(SPACES.sub(" ", noun))
    name = rf"[{UPPER}]\w*(?:-\w+)*"
    return re.compile(rf"(?<!\w)(?i:{_alternation(nouns)})\s+{name}(?:\s+{name})*")


def strip_places(text: str) -> str:
    """The text without place names: a place noun and the capitalised syllables after it.

    A recurring problem moves from district to district month after month ("huyện Bù Đăng",
    then "huyện Lộc Ninh"): the names say where, not what, so they are left out of the
    comparison (punctuation after the name is kept).

    Args:
        text: an item text, NFC (case as printed: names are found by their capitals).

    Examples:
        >>> strip_places("Tình trạng hút cát trái phép trên sông Đồng Nai đoạn qua huyện Bù Đăng, gây sạt lở.")
        'Tình trạng hút cát trái phép trên đoạn qua, gây sạt lở.'
        >>> strip_places("Hồ sơ tồn đọng tại UBND tỉnh")
        'Hồ sơ tồn đọng tại UBND tỉnh'
    """
    return SPACES.sub(" ", _place_pattern().sub("", text)).replace(" ,", ",").strip()


def canonical_text(text: str) -> str:
    """An item text in lower case with place names dropped and equivalent terms as one form.

    An enumeration lead-in ("Thứ nhất, …", "Một là, …") is dropped too: it says where a point
    stands in its list, and every point of a "Thứ nhất / Thứ hai" list would share it.

    Args:
        text: an item text, NFC or NFD.

    Returns:
        The text, lower case NFC, without place names (`strip_places`), equivalent terms as
        one token ("trễ hạn" -> "chậm", "đơn thư" -> "khiếu_nại").

    Examples:
        >>> canonical_text("Việc trả kết quả hồ sơ vẫn trễ hẹn")
        'việc tthc hồ sơ vẫn chậm'
        >>> canonical_text("Công tác tham mưu xử lý đơn thư chưa kịp thời")
        'công tác tham mưu xử lý khiếu_nại chậm'
        >>> canonical_text("Thứ hai, việc cấp lại thẻ BHYT còn chậm")
        'việc cấp lại thẻ bhyt còn chậm'
    """
    out = SPACES.sub(" ", ENUMERATION.sub(" ", strip_places(_folded(text)).lower())).strip()
    pattern, forms = _equivalence_pattern()
    return pattern.sub(lambda m: forms[SPACES.sub(" ", m.group(0))], out)


@lru_cache(maxsize=1)
def _equivalence_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    """All terms of the lexicon in one whole-word pattern (longest first), and term -> form.

    One pass over the text instead of one per term: at each position the longest term wins
    ("chậm trễ" before "trễ").
    """
    forms = {term: form for term, _, form in load_equivalents()}
    return re.compile(r"(?<!\w)" + _alternation(forms) + r"(?!\w)"), forms


def topic_of(text: str, *, by_position: bool = True) -> str:
    """The topic of the problem the text names, or "".

    A limitation names its problem first, as the subject of its sentence ("Báo cáo định kỳ
    công tác tiếp công dân ... gửi không đúng hạn" is a reporting problem, "Còn 03 đơn khiếu
    nại liên quan đến bồi thường" a complaint): of the cues that match (every phrase of one
    cue present as whole words), the one whose first phrase (its head) comes earliest wins;
    at the same position, the topic listed first in the taxonomy. With `by_position` false
    the first topic of the taxonomy that matches wins (specific topics come first).

    Args:
        text: an item text, NFC or NFD.
        by_position: pick by the earliest head, or by taxonomy order only.

    Examples:
        >>> topic_of("Tỷ lệ giải ngân kế hoạch vốn đầu tư công năm 2021 mới đạt 12,4%.")
        'giai-ngan-von-dau-tu-cong'
        >>> topic_of("Còn 87 hồ sơ đăng ký đất đai giải quyết quá hạn.")
        'ho-so-thu-tuc-hanh-chinh-tre-han'
        >>> topic_of("Báo cáo định kỳ công tác tiếp công dân của một số xã gửi không đúng thời hạn.")
        'che-do-bao-cao'
        >>> topic_of("Sau thời gian dài học trực tuyến, còn 412 học sinh chưa trở lại trường.")
        'hoc-sinh-bo-hoc'
        >>> topic_of("Tổ chức tốt Hội nghị tổng kết năm.")
        ''
    """
    low = _lower(text)
    words = set(WORDS.findall(low))
    index, by_word = _cue_index(), _cues_by_word()
    lead = _lead_clause_end(low)
    best: tuple[int, int, str] | None = None
    for rank in sorted({r for w in words & by_word.keys() for r in by_word[w]}):
        topic_id, needed, cue = index[rank]
        if not needed <= words:
            continue
        found = [p.search(low) for _, p in cue]
        if all(found):
            # where the cue's first phrase (its head) is; without by_position, the order alone
            start = (found[0].start() if found[0] else 0) if by_position else 0
            if start < lead:
                start += len(low) + 1  # a head inside a leading "Sau ...," clause: only as a fallback
            if best is None or (start, rank) < best[:2]:
                best = (start, rank, topic_id)
    return best[2] if best else ""


@lru_cache(maxsize=1)
def _lead_pattern() -> re.Pattern[str]:
    """A leading adverbial clause up to its comma (data/analysis/clause_leads.txt).

    Matches "sau thời gian dài học trực tuyến," in "sau thời gian dài học trực tuyến, còn 412
    học sinh chưa trở lại trường".
    """
    leads = []
    for line in CLAUSE_LEADS_PATH.read_text(encoding="utf-8").splitlines():
        lead = _lower(line.split("#", 1)[0])
        if lead:
            leads.append(lead)
    return re.compile(rf"^{_alternation(leads)}(?!\w)[^,;:.]{{0,{LEAD_CLAUSE_MAX}}},")


def _lead_clause_end(low: str) -> int:
    """Where a leading adverbial clause of a lower-case text ends (0: none)."""
    m = _lead_pattern().match(low)
    return m.end() if m else 0


@lru_cache(maxsize=1)
def _cues_by_word() -> dict[str, tuple[int, ...]]:
    """Cue ranks by the first syllable of their head: only cues whose head word occurs are tried."""
    out: dict[str, list[int]] = {}
    for rank, (_, _, cue) in enumerate(_cue_index()):
        out.setdefault(WORDS.findall(cue[0][0])[0], []).append(rank)
    return {w: tuple(r) for w, r in out.items()}


@lru_cache(maxsize=1)
def _cue_index() -> tuple[tuple[str, frozenset[str], tuple[tuple[str, re.Pattern[str]], ...]], ...]:
    """Every cue in matching order with the words it needs (a set test rules most cues out)."""
    return tuple(
        (t.id, frozenset(w for phrase, _ in cue for w in WORDS.findall(phrase)), cue)
        for t in load_topics()
        for cue in t.cues
    )


@lru_cache(maxsize=4)
def _class_lexicon(path: str) -> tuple[re.Pattern[str], dict[str, str]]:
    """A `term<TAB>class` lexicon as one whole-word pattern (longest term first) and term -> class.

    Terms are lower-cased and their spaces matched as any run of spaces; a term written with
    "_" ("giải_ngân") matches the canonical text's token.
    """
    classes = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if "\t" in line:
            term, cls = (p.strip() for p in line.split("\t", 1))
            classes[_lower(term)] = cls
    return re.compile(r"(?<!\w)" + _alternation(classes) + r"(?!\w)"), classes


def problem_of(text: str) -> tuple[str, str]:
    """(object, deficiency) a limitation names: its head object noun class and what is wrong with it.

    A limitation of a conclusion names an object ("hồ sơ", "vốn", "giáo viên", "phòng học")
    and a deficiency ("chậm", "thiếu", "xuống cấp"); the same pair in two periods of one
    issuer is one problem however it is worded. The object is the first object noun of
    data/analysis/objects.tsv in the canonical text (after a leading "Sau ...," clause; a
    container noun such as "công trình" only when no other object follows), the deficiency
    the first term of data/analysis/deficiencies.tsv after it (else anywhere). "" when absent.

    Args:
        text: an item text, NFC or NFD.

    Examples:
        >>> problem_of("Tình trạng thiếu giáo viên chưa được khắc phục, toàn ngành còn thiếu 1.146 giáo viên.")
        ('giáo_viên', 'thiếu')
        >>> problem_of("Nguồn tuyển nhà giáo khan hiếm, chỉ tiêu biên chế chưa tuyển đủ.")
        ('giáo_viên', 'thiếu')
        >>> problem_of("Còn 18 công trình sửa chữa phòng học chưa khởi công.")
        ('cơ_sở_vật_chất', 'chậm')
        >>> problem_of("Tổ chức thành công Hội nghị tổng kết năm.")
        ('', '')
    """
    low = canonical_text(text)
    objects, object_class = _class_lexicon(str(OBJECTS_PATH))
    lead = _lead_clause_end(low)
    found = [m for m in objects.finditer(low) if m.start() >= lead] or list(objects.finditer(low))
    if not found:
        return "", ""
    head = next((m for m in found if not object_class[SPACES.sub(" ", m.group(0))].startswith("~")), found[0])
    obj = object_class[SPACES.sub(" ", head.group(0))].lstrip("~")
    defects, kind = _class_lexicon(str(DEFICIENCIES_PATH))
    after = defects.search(low, head.end()) or defects.search(low)
    return obj, kind[SPACES.sub(" ", after.group(0))] if after else ""


@lru_cache(maxsize=1)
def _completion_pattern() -> re.Pattern[str]:
    """Any cue of data/analysis/completion.txt as whole words ("đã ban hành", "xong", "100%")."""
    cues = []
    for line in COMPLETION_PATH.read_text(encoding="utf-8").splitlines():
        cue = _lower(line.split("#", 1)[0])
        if cue:
            cues.append(cue)
    return re.compile(r"(?<![\w%])" + _alternation(cues) + r"(?![\w%])")


def reports_completion(text: str) -> bool:
    """Whether a result says a piece of work was done (a cue of data/analysis/completion.txt).

    Args:
        text: a result item, NFC or NFD.

    Examples:
        >>> reports_completion("Thanh tra Sở đã tham mưu ban hành quyết định giải quyết 06 vụ khiếu nại.")
        True
        >>> reports_completion("Cuộc bầu cử diễn ra an toàn, dân chủ, tỷ lệ cử tri đi bầu đạt 99,6%.")
        True
        >>> reports_completion("Thu ngân sách 5 tháng ước đạt 152,7 tỷ đồng, bằng 37,6% dự toán.")
        False
    """
    return _completion_pattern().search(_lower(text)) is not None


def topic_labels(lang: str = "vi") -> dict[str, str]:
    """Topic id -> label in Vietnamese ("vi") or English ("en").

    Examples:
        >>> topic_labels("en")["giai-phong-mat-bang"]
        'site clearance and compensation'
    """
    return {t.id: (t.en if lang == "en" else t.vi) for t in load_topics()}


SAMPLE_TEXTS = 3000  # clauses underthesea segments itself; the rest reuse the words it found
MAX_WORD = 4  # syllables of the longest word matched from the learned lexicon
SYLLABLE = re.compile(r"\w+(?:[-_.,/]\w+)*|[^\w\s]")  # "giải", "khiếu_nại", "31/7/2024", "32,6", ","
# A clause ends at punctuation other than inside a number: "chậm, mới đạt 32,6% (31/7)" has
# three clauses. No word runs across one, so clauses are segmented (and cached) apart.
CLAUSE_BREAK = re.compile(r"[;()\[\]]|(?<!\d)[,:](?!\d)|[,:](?=\s)|\.(?:\s|$)|\s[-–]\s")


def segment_all(texts: Sequence[str], sample: int = SAMPLE_TEXTS) -> list[list[str]]:
    """Words of many texts as underthesea segments them, fast enough for a large archive.

    Texts are cut into clauses at punctuation and each distinct clause is segmented once (an
    archive repeats clauses: "theo kế hoạch", "trên địa bàn huyện"). Up to `sample` distinct
    clauses, each is segmented by underthesea's `word_tokenize` (about 1 ms a clause). Beyond
    that, underthesea segments `sample` clauses spread over the archive and every other clause
    is cut by greedy longest match against the words of two syllables or more it found there
    ("giải ngân", "đầu tư", "hồ sơ"), so 100,000 items take seconds, not minutes.

    Args:
        texts: lower-case NFC texts (`canonical_text` output).
        sample: how many distinct clauses underthesea segments itself.

    Returns:
        One list of words per text, syllables of a word joined by a space (as `word_tokenize`),
        punctuation between clauses left out.

    Examples:
        >>> segment_all(["tiến độ giải ngân vốn đầu tư công còn chậm"])
        [['tiến độ', 'giải ngân', 'vốn', 'đầu tư', 'công', 'còn', 'chậm']]
    """
    from underthesea import word_tokenize  # heavy import, only when text is compared

    split = [[c.strip() for c in CLAUSE_BREAK.split(t)] for t in texts]
    clauses = list(dict.fromkeys(c for parts in split for c in parts if c))
    words_of: dict[str, list[str]] = {}
    if len(clauses) <= sample:
        words_of = {c: word_tokenize(c) for c in clauses}
    else:
        step = len(clauses) / sample
        lexicon: set[tuple[str, ...]] = set()
        for k in range(sample):
            c = clauses[int(k * step)]
            words_of[c] = word_tokenize(c)
            lexicon.update(tuple(w.split(" ")) for w in words_of[c] if 1 < w.count(" ") + 1 <= MAX_WORD)
        for c in clauses:
            if c not in words_of:
                words_of[c] = _longest_match(SYLLABLE.findall(c), lexicon)
    return [[w for c in parts if c for w in words_of[c]] for parts in split]


def _longest_match(syl: list[str], lexicon: set[tuple[str, ...]]) -> list[str]:
    """Syllables grouped into words by greedy longest match against `lexicon`."""
    words, k = [], 0
    while k < len(syl):
        for n in range(min(MAX_WORD, len(syl) - k), 0, -1):
            if n == 1 or tuple(syl[k : k + n]) in lexicon:
                words.append(" ".join(syl[k : k + n]))
                k += n
                break
    return words
