"""Items stage, directives: sentences whose subject is a body that asks or is given work.

Reads one paragraph's text (and the cue words of data/rules/categories.json, the agency heads of
data/lexicon/agencies.txt); returns whether a body directs others ("Ban Thường vụ Tỉnh ủy yêu cầu …"),
a unit is assigned work ("Phòng Tổ chức - Hành chính chủ trì …") or a head names addressees. It never
cuts text nor decides a category.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from dataclasses import dataclass

from .config import DATA_DIR
from .cues import agency_heads
from .text.canonical import tone_key

# The first sentence of a paragraph: "Phòng Đào tạo rà soát … trước ngày 10/11/2025. Từ học kỳ II, …"
FIRST_SENTENCE = re.compile(r"^.*?(?:[.!?](?=\s+[A-ZĐÀ-Ỹ])|$)", re.DOTALL)
# A short adverbial before the subject: "Thời gian tới, " of "Thời gian tới, Ban Thường vụ Tỉnh ủy yêu cầu …"
OPENING_PHRASE = re.compile(r"^[^,;:.]{2,40},\s+")
# One addressee of a list before a colon: "Các chủ đầu tư" of "Các chủ đầu tư và Ban Quản lý các dự án …"
PLURAL_ADDRESSEE = re.compile(r"^(?:Các|Những|Mọi)\s+\w")
# A place after a comma goes on with the body's name before it (Nghị định 30/2020 writes the unit word in
# lower case): "thành phố Tây Ninh" of "Trạm Trồng trọt và Bảo vệ thực vật thị xã Hòa Thành, thành phố Tây Ninh"
PLACE_PART = re.compile(r"^(?:tỉnh|thành phố|huyện|quận|thị xã|thị trấn|xã|phường)\s+[A-ZĐÀ-Ỹ]")
ADDRESSEE_JOINERS = re.compile(r",\s*|\s+và\s+")  # "Cục Chăn nuôi và Cục Thú y", "Sở Tài chính, Sở Nội vụ"
# Whom a directive verb asks: a name ("Ban Dân tộc HĐND tỉnh") or a plural ("các cấp ủy"), not the
# object of a compound ("bàn giao người bệnh", "giao ban")
ADDRESSEE_START = re.compile(
    r"^(?:[A-ZĐÀ-Ỹ]|(?:các|những|mọi|cho|toàn thể|tất cả|từng|người đứng đầu)(?!\w))"
)
SUBJECT_WORDS = 14  # "Ban Chỉ huy Quân sự huyện" … a body's name with its place
ADDRESSEE_CHARS = 160  # "Các chủ đầu tư và Ban Quản lý các dự án thủy lợi"


@dataclass(frozen=True)
class DirectiveCues:
    """The words of data/rules/categories.json that mark a body's directive or assignment."""

    heads: tuple[str, ...]  # "Ban Thường vụ", "Bộ trưởng", "Phòng" …: what opens a body's or official's name
    ask: re.Pattern[str]  # " yêu cầu " of "Ban Thường vụ Tỉnh ủy yêu cầu các cấp ủy …" (tone key)
    assign: re.Pattern[str]  # " chủ trì " of "Phòng Tổ chức - Hành chính chủ trì chuẩn bị …" (tone key)
    done: re.Pattern[str]  # "đã" of "Phòng Tài chính đã phối hợp …": reported done, no assignment
    meeting: re.Pattern[str]  # "cuộc họp" of "Hiệu trưởng chủ trì cuộc họp": the meeting, no assignment


@functools.cache
def directive_cues() -> DirectiveCues:
    """Load the directive cue words once per process."""
    raw = json.loads((DATA_DIR / "rules" / "categories.json").read_text(encoding="utf-8"))

    def alt(words: list[str]) -> str:
        return "|".join(re.escape(tone_key(w)) for w in sorted(words, key=len, reverse=True))

    extra = tuple(unicodedata.normalize("NFC", w) for w in raw["directing_heads"])
    return DirectiveCues(
        heads=tuple(sorted({*agency_heads(), *extra}, key=len, reverse=True)),
        ask=re.compile(rf"\s(?:{alt(raw['directive_lead'])})\s+(?=\w)"),
        assign=re.compile(rf"\s(?:{alt(raw['assign_verbs'])})(?!\w)"),
        done=re.compile(rf"(?<!\w)(?:{alt(raw['done_words'])})(?!\w)"),
        meeting=re.compile(rf"^(?:{alt(raw['meeting_objects'])})(?!\w)"),
    )


def opens_with_body(text: str) -> bool:
    """A phrase that opens with the name of a body or an official ("Ban Thường vụ Tỉnh ủy", "Bộ
    trưởng", "UBND huyện"): Nghị định 30/2020 writes the head word of a name with a capital.

    Examples:
        >>> opens_with_body("Ban Thường vụ Tỉnh ủy"), opens_with_body("Bộ trưởng")
        (True, True)
        >>> opens_with_body("Việc số hóa hồ sơ"), opens_with_body("các cấp ủy")
        (False, False)
    """
    t = unicodedata.normalize("NFC", text).strip()
    t = re.sub(r"^(?:[Đđ]ồng chí)\s+", "", t)
    return any(t == h or t.startswith(h + " ") for h in directive_cues().heads)


def _subject(sentence: str, verb: re.Pattern[str]) -> tuple[str, str]:
    """The subject before the first `verb` of a sentence (its opening adverbial set aside) and what
    follows the verb; ("", "") when the verb is missing or the subject is no short name."""
    # "Phòng Khoa học, Sau đại học và Hợp tác quốc tế …": a name with a comma is no adverbial
    body = sentence if opens_with_body(sentence) else OPENING_PHRASE.sub("", sentence, count=1)
    key = tone_key(body)
    m = verb.search(key)
    if not m:
        return "", ""
    subject = body[: m.start()].strip()
    if not subject or len(subject.split()) > SUBJECT_WORDS or re.search(r"[;:.]", subject):
        return "", ""
    return subject, body[m.end() :].strip()


def _first_sentence(text: str) -> str:
    """The item's first sentence, NFC: a directive or an assignment opens the item."""
    sentence = FIRST_SENTENCE.match(unicodedata.normalize("NFC", text).strip())
    return sentence.group() if sentence else text


def body_directs(text: str) -> bool:
    """A sentence in which a body or an official asks others to act ("yêu cầu", "đề nghị", "giao" and
    what to do): a directive (ANNOTATION.md `task`), whatever heading it stands under, like one that
    opens with "Đề nghị …"; an optional adverbial of time may open it. Not a lead-in (its colon
    introduces the tasks), nor an act reported done ("UBND tỉnh đã giao …").

    Examples:
        >>> body_directs("Thời gian tới, Ban Thường vụ Tỉnh ủy yêu cầu các cấp ủy, tổ chức đảng tiếp tục"
        ...              " quán triệt sâu sắc quan điểm chuyển đổi số là nhiệm vụ chính trị trọng tâm.")
        True
        >>> body_directs("Thường trực HĐND tỉnh giao Ban Dân tộc HĐND tỉnh theo dõi, giám sát việc thực hiện.")
        True
        >>> body_directs("Việc xây dựng phần mềm phải xuất phát từ yêu cầu thực tiễn của từng ngành.")
        False
        >>> body_directs("UBND tỉnh đã giao Sở Tài chính thẩm định dự toán.")
        False
    """
    first = _first_sentence(text)
    if first.rstrip().endswith(":"):
        return False
    cues = directive_cues()
    subject, rest = _subject(first, cues.ask)
    return (
        bool(subject and ADDRESSEE_START.match(rest))
        and opens_with_body(subject)
        and not cues.done.search(tone_key(first))
    )


def assigns_unit(text: str) -> bool:
    """A sentence that names a unit and the part it takes in work yet to be done: "<unit> chủ trì /
    phối hợp / có trách nhiệm / tham mưu …" without "đã" assigns that work (ANNOTATION.md `task`),
    as a task table's "Đơn vị chủ trì" column does.

    Examples:
        >>> assigns_unit("Phòng Tổ chức - Hành chính chủ trì chuẩn bị chu đáo các hoạt động kỷ niệm 43 năm"
        ...              " Ngày Nhà giáo Việt Nam, bảo đảm trang trọng, tiết kiệm.")
        True
        >>> assigns_unit("Phòng Tài chính - Kế hoạch đã phối hợp với Kho bạc giải ngân 85% kế hoạch vốn.")
        False
        >>> assigns_unit("Công tác phối hợp giữa các phòng còn chậm.")
        False
    """
    first = _first_sentence(text)
    cues = directive_cues()
    subject, rest = _subject(first, cues.assign)
    return (
        bool(subject and rest)
        and not cues.meeting.match(tone_key(rest))
        and opens_with_body(subject)
        and not cues.done.search(tone_key(first))
    )


def names_addressees(head: str) -> bool:
    """A head before a colon that lists addressees, each a body's name or a plural noun ("Các chủ đầu
    tư và Ban Quản lý các dự án thủy lợi"): the topic of its bullet (ANNOTATION.md rule 4), however
    long, "và" or commas joining them.

    Examples:
        >>> names_addressees("Các chủ đầu tư và Ban Quản lý các dự án thủy lợi")
        True
        >>> names_addressees("Sở Tài chính, Sở Kế hoạch và Đầu tư")
        True
        >>> names_addressees("Trạm Trồng trọt và Bảo vệ thực vật thị xã Hòa Thành, thành phố Tây Ninh")
        True
        >>> names_addressees("Tiến độ giải ngân vốn đầu tư công và các dự án")
        False
    """
    h = unicodedata.normalize("NFC", head).strip()
    if not h or len(h) > ADDRESSEE_CHARS or re.search(r"[;:.]", h):
        return False
    parts = [p.strip() for p in ADDRESSEE_JOINERS.split(h) if p.strip()]
    # "Sở Kế hoạch và Đầu tư": a capitalised part after "và" goes on with the name before it
    return (
        bool(parts)
        and all(
            opens_with_body(p)
            or PLURAL_ADDRESSEE.match(p)
            or (k > 0 and (p[:1].isupper() or PLACE_PART.match(p)))
            for k, p in enumerate(parts)
        )
        and (opens_with_body(parts[0]) or bool(PLURAL_ADDRESSEE.match(parts[0])))
    )
