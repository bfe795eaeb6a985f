"""Metadata lexicons: the cue words of data/metadata/*.json compiled into patterns, once per process.

Reads the JSON lexicons (document types, agencies, people, periods, meeting words) and returns
one `Lexicon` of compiled patterns, plus the fixed patterns of a line every metadata module
shares. Never reads a document itself.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..config import DATA_DIR
from ..text.orthography import alternation, bare, fold

LEXICON_DIR = DATA_DIR / "metadata"

UPPER = "A-ZĐÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
UPPER_SHARE = 0.85  # share of capital letters that makes a header or signer line upper case

# ---------------------------------------------------------------------------------------------
# Fixed patterns shared by the metadata modules (the lexicon-driven ones are built in `lexicon()`).
SPACES = re.compile(r"\s+")  # "Số:   /TB-TTr" -> "Số: /TB-TTr"
SEPARATOR = re.compile(r"^[\s\-_*=~.·–—]*$")  # "-----", "*", "___"
BULLET = re.compile(r"^\s*[-–—+•·]\s*")  # "- Lưu: VT, TH."
# "Nơi nhận:", "NƠI NHẬN", OCR "Nởi nhận:" (matched on the text without diacritics)
RECIPIENTS_HEAD = re.compile(r"^\s*Noi\s+(?:nhan|gui)\b\s*:?\s*", re.IGNORECASE)
PARENTHESIZED = re.compile(r"\([^()]*\)")  # "(Đã ký)", "(M.An)"
CAPITALIZED_WORD = re.compile(rf"^[{UPPER}]")  # "Đặng", "UBND", not "trụ"
# The place-date line; `{prefix}` is an administrative level printed before the name ("Thành phố"):
# "Tây Ninh, ngày 18 tháng 5 năm 2020", "Quảng Ngãi, ngày 08/01/2025", "Hà Nội, ngày    tháng 5 năm 2020",
# "Thành phố Hồ Chí Minh, ngày 20 tháng 01 năm 2025"
# "Đăk R’lấp, ngày ..." (a syllable after an apostrophe is lower case); OCR that lost the comma,
# "Hà Nội ngày 08 tháng 4 năm 2026", is taken at the start of a line only (group `comma` empty).
# A word of a place name: "Tây", "TP.", "R’lấp", and "R lấp" (OCR lost the apostrophe)
PLACE_WORD = rf"(?:[{UPPER}](?:['’ʼ`]\s?|\s)[^\W\d_]+|[{UPPER}][^\W\d_]*(?:['’ʼ`][^\W\d_]+)?\.?)"
# A unit named by a number (Nghị định 30: the place is the unit's name): "Quận 8", "Phường 15"
NUMBERED_PLACE = r"(?:Quận|Phường|Q\.|P\.)\s*\d{{1,2}}(?!\d)"
PLACE_DATE_SOURCE = (
    rf"(?P<place>{NUMBERED_PLACE}|(?:(?:{{prefix}})\s+)?{PLACE_WORD}(?:\s+{PLACE_WORD}){{{{0,5}}}})"
    r"\s*(?:(?P<comma>,)\s*|\s(?=[Nn]g[aàáảãạ]y))(?P<date>[Nn]g[aàáảãạ]y.*)$"
)


def _folded(words: Iterable[str]) -> str:
    """Regex alternation of folded words, longest first, spaces matching any whitespace."""
    return alternation(words, key=fold)


# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Lexicon:
    """Cue words of data/metadata/*.json compiled into patterns (built once per process)."""

    type_line: re.Pattern[str]
    type_names: dict[str, str]
    conclusion_types: frozenset[str]
    conclusion_title_starts: dict[str, tuple[str, ...]]
    letter_type: str
    cited_doc: re.Pattern[str]
    letter_line: re.Pattern[str]
    unit_start: re.Pattern[str]
    unit_in_text: re.Pattern[str]
    admin_in_text: re.Pattern[str]
    admin_by_bare: dict[
        str, str
    ]  # "TINH" -> "TỈNH": a one-word level OCR misread in a header ("TÍNH ĐỒNG THÁP")
    local_government: re.Pattern[str]
    motto: re.Pattern[str]
    header_mark: re.Pattern[str]
    copy_marker: re.Pattern[str]
    leader: re.Pattern[str]
    issuer_stop: re.Pattern[str]
    honorific: re.Pattern[str]
    rank: re.Pattern[str]
    academic: re.Pattern[str]
    authority: re.Pattern[str]
    signer_note: re.Pattern[str]
    digital_signature: re.Pattern[str]
    signer_title_word: re.Pattern[str]
    surnames: frozenset[str]
    review_cue: re.Pattern[str]
    plan_prefix: re.Pattern[str]  # "định hướng đến | năm 2030": a horizon, not a period reviewed
    plan_cue_name: re.Pattern[str]  # "Chương trình mục tiêu quốc gia": a name, not the cue "mục tiêu"
    plan_cue: re.Pattern[str]
    plan_suffix: re.Pattern[str]
    clause_pair: re.Pattern[str]  # "phòng, chống": a comma inside a legal name ends no clause
    law_name: re.Pattern[str]  # "Luật Tiếp công dân năm 2013", "Chương trình giám sát năm 2024"
    number_words: dict[str, int]
    periodic_types: frozenset[str]
    weekly_types: frozenset[str]  # "LỊCH CÔNG TÁC TUẦN": the title's span of dates is a week
    periodic_title_starts: dict[str, tuple[str, ...]]
    one_matter: re.Pattern[str]
    period: re.Pattern[str]
    room: re.Pattern[str]
    verb: re.Pattern[str]
    not_location: re.Pattern[str]
    residence: re.Pattern[str]
    attendance: re.Pattern[str]  # "tham dự | tại điểm cầu tỉnh": where attendees sat
    online_opener: re.Pattern[str]  # "trực tuyến giữa | Hội trường Cục Thống kê và ..."
    link_stop: re.Pattern[str]  # "Hội trường Cục Thống kê| và 8 Chi cục"
    host_unit: re.Pattern[str]  # "phòng họp Tỉnh đoàn"
    delegation_aside: re.Pattern[str]  # "Phó Giám đốc Sở| (được Giám đốc Sở ủy quyền)"
    address: re.Pattern[str]
    place_date: re.Pattern[str]
    no_own_meeting_types: frozenset[str]
    body_opening: re.Pattern[str]
    opening_end: re.Pattern[str]
    range_before: re.Pattern[str]
    span_stop: re.Pattern[str]
    chair_colon_end: re.Pattern[str]
    chair_of_end: re.Pattern[str]
    chair_tail: re.Pattern[str]
    title_stop: re.Pattern[str]
    issuer_verb: re.Pattern[str]
    name_connector: re.Pattern[str]
    abbreviation: re.Pattern[str]


# A weekly type word ("LỊCH CÔNG TÁC TUẦN") is not the type when the week's number follows
# "TUẦN": "LỊCH CÔNG TÁC TUẦN THỨ 24 - NĂM 2019" is "Lịch công tác" naming its week (bare text).
WEEK_NAMED = r"(?!\s*(?:THU\b|\d))"


def _load(name: str) -> dict[str, object]:
    """One lexicon file of data/metadata/."""
    data: dict[str, object] = json.loads((LEXICON_DIR / name).read_text(encoding="utf-8"))
    return data


def _words(data: dict[str, object], key: str) -> list[str]:
    """A list of strings from a lexicon file."""
    value = data[key]
    assert isinstance(value, list)
    return [str(v) for v in value]


def _dict(data: dict[str, object], key: str) -> dict[str, list[str]]:
    """A mapping of lists of strings from a lexicon file."""
    value = data[key]
    assert isinstance(value, dict)
    return {str(k): [str(x) for x in v] for k, v in value.items()}


@functools.lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """Load and compile the metadata lexicons once per process."""
    types = _load("doc_types.json")
    agency = _load("agency.json")
    people = _load("people.json")
    periods = _load("periods.json")
    meeting = _load("meeting.json")
    title_starts = types["conclusion_if_title_starts"]
    assert isinstance(title_starts, dict)
    numbers = periods["number_words"]
    assert isinstance(numbers, dict)
    number_alt = _folded(numbers)
    i = re.IGNORECASE
    # The period phrases of ANNOTATION.md "Periods", plus dates (skipped) so that "ngày 15 tháng 01
    # năm 2024" is never read as a month. Alternatives starting at the same place are tried in order.
    inspected_date = r"\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4}|\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}"
    period_source = (
        r"(?<!\w)(?:"
        # The span an inspection covers (Luật Thanh tra 2022: "thời kỳ thanh tra"): "thời kỳ thanh tra từ
        # ngày 01/01/2021 đến ngày 31/12/2023", "thời kỳ kiểm tra: từ năm 2021 đến năm 2023"
        r"(?P<inspect>thời\s+kỳ\s+(?:thanh\s+tra|kiểm\s+tra|giám\s+sát|kiểm\s+toán)\s*(?::\s*|là\s+)?(?P<ispan>"
        rf"(?:từ\s+)?(?:ngày\s+)?(?P<i1>{inspected_date})\s*(?:đến(?:\s+hết)?|-|–)\s*(?:ngày\s+)?(?P<i2>{inspected_date})"
        r"|(?:từ\s+)?năm\s+(?P<iy1>\d{4})\s*(?:đến(?:\s+hết)?|-|–)\s*(?:năm\s+)?(?P<iy2>\d{4})"
        # school years, one or several: "thời kỳ kiểm tra: năm học 2021 - 2022 và năm học 2022 - 2023"
        r"|(?P<isy>năm\s+học\s+\d{4}\s*[-–]\s*\d{4}(?:\s*(?:,|và)\s*(?:năm\s+học\s+)?\d{4}\s*[-–]\s*\d{4})*)))"
        # a span of whole dates (read in a title only): "... trên địa bàn huyện từ ngày 01/01/2022 đến ngày 30/6/2024"
        rf"|(?P<dspan>từ\s+(?:ngày\s+)?(?P<d1>{inspected_date})\s*đến(?:\s+hết)?\s+(?:ngày\s+)?(?P<d2>{inspected_date}))"
        r"|"
        r"(?P<week>tuần(?:\s+(?:thứ\s+)?\d{1,2})?(?:\s*[-–,]?\s*năm\s+\d{4})?\s*[(,]?\s*(?:\(\s*)?(?:từ\s+)?(?:ngày\s+)?"
        r"(?P<w1>\d{1,2}\s*/\s*\d{1,2}(?:\s*/\s*\d{4})?)\s*(?:đến|-|–)\s*(?:ngày\s+)?"
        r"(?P<w2>\d{1,2}\s*/\s*\d{1,2}(?:\s*/\s*\d{4})?)\s*\)?)"
        r"|(?P<date>ngày\s*\d{1,2}\s*tháng\s*\d{1,2}(?:\s*năm\s*\d{4})?|ngày\s*\d{1,2}\s*[/.\-]\s*\d{1,2}"
        r"(?:\s*[/.\-]\s*\d{4})?|\d{1,2}/\d{1,2}/\d{4})"
        # a span of whole years (Nghị định 30/2020 titles: "... trên địa bàn tỉnh giai đoạn 2021 - 2023")
        r"|(?P<stage>giai\s+đoạn\s+(?:từ\s+)?(?:năm\s+)?(?P<gy1>\d{4})\s*(?:đến(?:\s+hết)?|-|–)\s*(?:năm\s+)?(?P<gy2>\d{4}))"
        r"|(?P<school>(?:học\s+kỳ\s+(?P<term>IV|III|II|I|\d)\s*,?\s*)?năm\s+học\s+(?P<sy1>\d{4})\s*[-–]\s*(?P<sy2>\d{4}))"
        r"|(?P<semester>học\s+kỳ\s+(?:IV|III|II|I|\d)\b)"
        # "6 tháng đâu năm": OCR lost the grave of "đầu" (period.OCR_POSITION)
        rf"|(?P<span>(?P<n>\d{{1,2}}|{number_alt})\s+tháng(?:\s+(?P<pos>đầu|cuối|đâu|cuôi))?"
        r"(?:\s+năm(?:\s*(?P<ny>\d{4}))?|\s*(?:/\s*)?(?P<ny2>\d{4})))"
        r"|(?P<quarter>quý\s+(?P<q>IV|III|II|I|[1-4])(?!\w)(?:\s*(?:/|năm|,\s*năm)\s*(?P<qy>\d{4}))?)"
        r"|(?P<month>tháng\s+(?P<m>\d{1,2})(?!\s*/\s*\d{1,2}\b(?!\d))(?:\s*(?:/|năm|-)\s*(?P<my>\d{4}))?)"
        r"|(?P<year>năm\s+(?P<y>\d{4})(?!\s*[-–]\s*\d{4}))"
        r")(?!\w)"
    )
    period = re.compile(fold(period_source), i)  # folded like the text it reads: "quý" -> "qúy"
    return Lexicon(
        type_line=re.compile(
            rf"^(?P<type>(?:{_folded(bare(t) for t in _words(periods, 'weekly_types'))}){WEEK_NAMED}"
            rf"|{_folded(bare(t) for t in _words(types, 'types') if t not in _words(periods, 'weekly_types'))})"
            r"(?![^\W\d_])\s*(?P<rest>.*)$",
            i,
        ),
        type_names={SPACES.sub(" ", bare(t)).upper(): t for t in _words(types, "types")},
        conclusion_types=frozenset(fold(t).upper() for t in _words(types, "conclusion_types")),
        conclusion_title_starts={
            fold(k).upper(): tuple(fold(str(s)).lower() for s in v) for k, v in title_starts.items()
        },
        letter_type=str(types["letter_type"]),
        cited_doc=re.compile(rf"(?<!\w)(?:{_folded(_words(types, 'cited_documents'))})(?!\w)"),
        letter_line=re.compile(rf"^(?:{_folded(_words(types, 'letter_prefixes'))})\b", i),
        unit_start=re.compile(rf"^(?:{_folded(_words(agency, 'unit_words'))})(?![^\W\d_])", i),
        unit_in_text=re.compile(rf"(?<!\w)(?:{_folded(_words(agency, 'unit_words_in_text'))})(?!\w)"),
        # "UBND TỈNH ĐẮK NÔNG", "ỦY BAN NHÂN DÂN HUYỆN KRÔNG NÔ": a whole name, the next unit word starts another
        local_government=re.compile(
            rf"^(?:{_folded(_words(agency, 'local_government'))})\s+(?:{_folded(_words(agency, 'admin_levels'))})"
            r"\s+\S+",
            i,
        ),
        admin_by_bare={
            bare(w).upper(): w for w in _words(agency, "admin_levels") if " " not in w and w.isalpha()
        },
        admin_in_text=re.compile(rf"^(?:{_folded(_words(agency, 'admin_levels_in_text'))})$"),
        motto=re.compile(_folded(_words(agency, "mottos")).replace(r"\-", r"\s*[-–]\s*"), i),
        header_mark=re.compile(rf"^(?:{_folded(_words(agency, 'header_marks'))})\W*$", i),
        copy_marker=re.compile(rf"^\W*(?:{_folded(_words(agency, 'copy_markers'))})(?!\w)", i),
        leader=re.compile(rf"(?<!\w)(?:{_folded(_words(agency, 'leader_titles'))})(?!\w)"),
        issuer_stop=re.compile(rf"(?<!\w)(?:{_folded(_words(agency, 'issuer_stop_words'))})(?!\w)", i),
        honorific=re.compile(rf"(?<!\w)(?:{_folded(_words(people, 'honorifics'))})\s+"),
        rank=re.compile(rf"^(?:{_folded(_words(people, 'ranks'))})(?!\w)\s*", i),
        academic=re.compile(rf"^(?:{_folded(_words(people, 'academic_prefixes'))})(?:\s+|(?<=\.))"),
        authority=re.compile(
            rf"(?:^|(?<=\s))(?:{_folded(_words(people, 'signer_authority'))})\s*(?=[{UPPER}])"
        ),
        signer_note=re.compile(rf"^\W*(?:{_folded(_words(people, 'signer_notes'))})\W*$", i),
        digital_signature=re.compile(rf"^(?:{_folded(_words(people, 'digital_signature_keys'))})\s*:", i),
        signer_title_word=re.compile(rf"(?<!\w)(?:{_folded(_words(people, 'signer_title_words'))})(?!\w)"),
        surnames=frozenset(fold(s) for s in _words(people, "surnames")),
        review_cue=re.compile(rf"(?<!\w)(?:{_folded(_words(periods, 'review_cues'))})(?!\w)", i),
        plan_cue=re.compile(rf"(?<!\w)(?:{_folded(_words(periods, 'plan_cues'))})(?!\w)", i),
        plan_prefix=re.compile(rf"(?<!tính )(?<!\w)(?:{_folded(_words(periods, 'plan_prefixes'))})\s*$", i),
        plan_cue_name=re.compile(rf"(?<!\w)(?:{_folded(_words(periods, 'plan_cue_names'))})(?!\w)", i),
        plan_suffix=re.compile(rf"^\s*(?:{_folded(_words(periods, 'plan_suffixes'))})(?!\w)", i),
        clause_pair=re.compile(rf"(?<!\w)(?:{_folded(_words(periods, 'clause_pairs'))})(?!\w)", i),
        law_name=re.compile(
            rf"(?<!\w)(?:{_folded([*_words(periods, 'law_names'), *_words(periods, 'plan_names'), *_words(periods, 'cited_document_names')])})(?!\w)"
        ),
        number_words={fold(str(k)).lower(): int(str(v)) for k, v in numbers.items()},
        periodic_types=frozenset(fold(t).upper() for t in _words(periods, "periodic_types")),
        weekly_types=frozenset(fold(t).upper() for t in _words(periods, "weekly_types")),
        periodic_title_starts={
            fold(k).upper(): tuple(fold(str(v)).lower() for v in vs)
            for k, vs in _dict(periods, "periodic_title_starts").items()
        },
        # "Về việc điều chỉnh dự toán ... năm 2024", "V/v ...": a report about one matter
        one_matter=re.compile(rf"^(?:{_folded(_words(periods, 'one_matter_starts'))})(?!\w)", i),
        period=period,
        room=re.compile(rf"(?<!\w)(?:{_folded(_words(meeting, 'room_words'))})(?!\w)", i),
        verb=re.compile(rf"(?<!\w)(?:{_folded(_words(meeting, 'verbs'))})(?!\w)", i),
        residence=re.compile(rf"(?<!\w)(?:{_folded(_words(meeting, 'residence_words'))})\s*$", i),
        attendance=re.compile(rf"(?<!\w)(?:{_folded(_words(meeting, 'attendance_words'))})\s*$", i),
        online_opener=re.compile(rf"(?<!\w)(?:{_folded(_words(meeting, 'online_openers'))})\s+", i),
        # "... Cục Thống kê và 8 Chi cục", "... điểm cầu tỉnh đến các huyện": not "Kế hoạch và Đầu tư"
        link_stop=re.compile(rf"\s(?:{_folded(_words(meeting, 'link_words'))})\s+(?![{UPPER}])"),
        host_unit=re.compile(rf"(?<!\w)(?:{_folded(_words(meeting, 'host_units'))})(?!\w)"),
        # "Phó Giám đốc Sở (được Giám đốc Sở ủy quyền)", "..., được Chủ tịch UBND huyện phân công"
        delegation_aside=re.compile(
            rf"\s*(?:\(\s*|,\s*)(?:{_folded(_words(meeting, 'delegation_words'))})(?!\w)[^()]*\)?\s*$", i
        ),
        not_location=re.compile(rf"^(?:{_folded(_words(meeting, 'not_locations'))})(?!\w)", i),
        address=re.compile(rf"^(?:{_folded(_words(meeting, 'address_words'))})(?!\w)"),
        place_date=re.compile(
            PLACE_DATE_SOURCE.format(
                prefix=_folded(
                    w[:1].upper() + w[1:] for w in _words(agency, "admin_levels_in_text") if " " in w
                )
            )
        ),
        no_own_meeting_types=frozenset(fold(t).upper() for t in _words(types, "no_own_meeting_types")),
        # "Ngày 04/4/2024, tại ...", "Căn cứ Luật ...": a paragraph that opens the body, never a title line
        body_opening=re.compile(
            rf"^(?:(?:{alternation(_words(meeting, 'body_opening_starts'))})\b|Ngày\s+\d)"
        ),
        # "... kết luận như sau:"
        opening_end=re.compile(rf"(?:{alternation(_words(meeting, 'opening_end'))})\s*:\s*$", i),
        # "trước ngày 20/4/2024", "từ ngày 10/6 đến ngày 14/6/2024"
        range_before=re.compile(rf"\b(?:{alternation(_words(meeting, 'range_words'))})\s*$", i),
        # "tại X do đồng chí Y"
        span_stop=re.compile(rf"\s(?:{alternation(_words(meeting, 'span_stops'), key=fold)})\s", i),
        # "Chủ trì: đồng chí A - Giám đốc Sở; đồng chí B ..."
        chair_colon_end=re.compile(rf"[;.]\s|\s(?:{alternation(_words(meeting, 'chair_colon_joiners'))})\s"),
        # "... của ông A - Chủ tịch UBND huyện, tham dự có ..."
        chair_of_end=re.compile(
            rf",\s(?=[a-zđ])|[;.]\s|[;.]$|\s(?:{alternation(_words(meeting, 'chair_of_joiners'))})\s"
        ),
        chair_tail=re.compile(
            rf"\s+(?:{alternation(_words(meeting, 'chair_tail_words'))})$"
        ),  # "... Giám đốc Sở đã"
        title_stop=re.compile(rf"^(?:{alternation(_words(types, 'title_stops'))})\b"),  # "Căn cứ Luật ..."
        issuer_verb=re.compile(rf"\s*(?:{alternation(_words(agency, 'issuer_verbs'))})", i),  # " kết luận"
        # "SỞ TÀI NGUYÊN VÀ", "CÔNG TY CỔ PHẦN -"
        name_connector=re.compile(rf"(?:\s(?:{alternation(_words(agency, 'name_connectors'))})|[-&])$", i),
        # "TP.", "A." (a dot that never ends a sentence)
        abbreviation=re.compile(rf"(?:[A-ZĐ]\.|{alternation(_words(agency, 'abbreviations'))})"),
    )
