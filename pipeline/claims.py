"""Items stage, claims: what a citizen claims beside what the body found, in one text or heading.

Reads a paragraph's text or a heading (and the claim cues of data/rules/categories.json); returns
whether it is an allegation's heading, a citizen's petition, a finding of a session, or the category
a denunciation's verdict gives (Luật Tố cáo 2018, Điều 35; Luật Tiếp công dân 2013). It never cuts
text nor reads a section chain.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from dataclasses import dataclass

from .config import DATA_DIR
from .text.canonical import tone_key
from .text.orthography import bare

# The outline marker of a heading: "I. " of "I. NỘI DUNG TỐ CÁO", "3. " of "3. Kiến nghị của các hộ dân"
MARKER = re.compile(r"^\s*(?:[IVXLC]+|\d+(?:\.\d+)*|[a-zđ])[.)/]\s*", re.IGNORECASE)
# A concessive clause that opens a sentence: "Mặc dù lượng khách quốc tế đã vượt mức trước đại dịch, "
CONCESSION = re.compile(
    r"^(?:[Mm]ặc dù|[Dd]ù|[Tt]uy rằng|[Tt]uy là)(?!\s+(?:vậy|thế)\b)\s[^,;.:]{3,160},\s*(?=\S)"
)
NAME_WORDS = 4  # "Nguyễn Văn Hòa", "Ka Sim": a name of up to four words
SUBJECT_WORDS = 12  # "Đại diện 02 hộ dân thôn Bắc Hội": a group of citizens with its place


@dataclass(frozen=True)
class ClaimCues:
    """The claim cues of data/rules/categories.json (tone keys)."""

    allegation: re.Pattern[str]  # "nội dung tố cáo" of "I. NỘI DUNG TỐ CÁO"
    verdict_result: re.Pattern[str]  # "tố cáo sai" of "… là tố cáo sai."
    verdict_limitation: re.Pattern[str]  # "tố cáo đúng một phần" of "… là tố cáo đúng một phần, do …"
    petitioners: re.Pattern[str]  # "hộ dân" of "Đại diện 02 hộ dân thôn Bắc Hội phản ánh …"
    honorifics: tuple[str, ...]  # "bà" of "Bà Ka Sim đề nghị …"
    verbs: re.Pattern[str]  # "đề nghị " of "Bà Ka Sim đề nghị xem xét …"
    petition_heading: re.Pattern[
        str
    ]  # "kiến nghị của các hộ dân" of "3. Kiến nghị của các hộ dân thôn Bắc Hội"
    finding: re.Pattern[str]  # "qua buổi tiếp cho thấy" of "Qua buổi tiếp cho thấy một số vụ việc …"
    answer: re.Pattern[str]  # "đã giải thích" of "Phó Chủ tịch UBND thành phố đã giải thích để các hộ dân …"
    dialogue: re.Pattern[str]  # "kien nghi cua doanh nghiep va huong giai quyet" of "II. KIẾN NGHỊ CỦA …"
    ask: tuple[re.Pattern[str], ...]  # "cần", "đề nghị" …: what asks for something (categories.json `ask`)


@functools.cache
def claim_cues() -> ClaimCues:
    """Load the claim cues once per process."""
    raw = json.loads((DATA_DIR / "rules" / "categories.json").read_text(encoding="utf-8"))

    def alt(words: list[str]) -> str:
        return "|".join(re.escape(tone_key(w)) for w in sorted(words, key=len, reverse=True))

    return ClaimCues(
        allegation=re.compile(tone_key(raw["allegation_heading"])),
        verdict_result=re.compile(tone_key(raw["verdict_result"])),
        verdict_limitation=re.compile(tone_key(raw["verdict_limitation"])),
        petitioners=re.compile(rf"(?<!\w)(?:{alt(raw['petitioners'])})(?!\w)"),
        honorifics=tuple(tone_key(w) for w in raw["petition_honorifics"]),
        verbs=re.compile(rf"^(?:{alt(raw['petition_verbs'])})\s+(?=\w)"),
        petition_heading=re.compile(tone_key(raw["petition_heading"])),
        finding=re.compile(tone_key(raw["finding"])),
        answer=re.compile(tone_key(raw["answer"])),
        dialogue=re.compile(bare(raw["dialogue_heading"], key=True)),
        ask=tuple(re.compile(tone_key(p)) for p in raw["ask"]),
    )


def _heading_key(heading: str) -> str:
    return (
        tone_key(MARKER.sub("", unicodedata.normalize("NFC", heading), count=1)).strip().rstrip(":.").strip()
    )


def names_allegation(heading: str) -> bool:
    """A heading of what the accuser or complainant alleges ("I. NỘI DUNG TỐ CÁO", "Nội dung khiếu
    nại"): Luật Tố cáo 2018 puts it before the verification; its paragraphs are claims, not findings.

    Examples:
        >>> names_allegation("I. NỘI DUNG TỐ CÁO"), names_allegation("1. Nội dung đơn khiếu nại")
        (True, True)
        >>> names_allegation("III. KẾT LUẬN NỘI DUNG TỐ CÁO"), names_allegation("II. KẾT QUẢ XÁC MINH NỘI DUNG TỐ CÁO")
        (False, False)
    """
    return bool(claim_cues().allegation.match(_heading_key(heading)))


def names_petition(heading: str) -> bool:
    """A heading that names whose petition or case it is ("3. Kiến nghị của các hộ dân thôn Bắc Hội",
    "1. Vụ việc của ông Nguyễn Văn Hòa"): a case of a citizen-reception session, no task heading.

    Examples:
        >>> names_petition("3. Kiến nghị của các hộ dân thôn Bắc Hội"), names_petition("1. Vụ việc của ông Nguyễn Văn Hòa")
        (True, True)
        >>> names_petition("IV. KIẾN NGHỊ"), names_petition("Kiến nghị của Đoàn kiểm tra")
        (False, False)
    """
    return bool(claim_cues().petition_heading.match(_heading_key(heading)))


def names_dialogue(heading: str) -> bool:
    """A heading of a dialogue that names what others raised and the body's answer ("II. KIẾN NGHỊ CỦA
    DOANH NGHIỆP VÀ HƯỚNG GIẢI QUYẾT"): two things, so each paragraph under it takes the category its
    own wording gives (ANNOTATION.md rule 6), no task heading. Matched without diacritics: OCR loses
    the marks of capitals ("HƯỚNG GIẢI QUYET").

    Examples:
        >>> names_dialogue("II. KIẾN NGHỊ CỦA DOANH NGHIỆP VÀ HƯỚNG GIẢI QUYẾT")
        True
        >>> names_dialogue("II. KIẾN NGHỊ CỦA DOANH NGHIỆP VÀ HƯỚNG GIẢI QUYET")
        True
        >>> names_dialogue("2. Ý kiến, kiến nghị của cử tri và kết quả trả lời")
        True
        >>> names_dialogue("IV. KIẾN NGHỊ"), names_dialogue("Kiến nghị của Đoàn kiểm tra")
        (False, False)
    """
    return bool(claim_cues().dialogue.match(bare(_heading_key(heading), key=True)))


def verdict_category(text: str) -> str:
    """The category a denunciation's or complaint's verdict gives (Luật Tố cáo 2018, Điều 35: "tố cáo
    đúng, đúng một phần hoặc tố cáo sai"): "result" when it clears the one denounced, "limitation" when
    it finds a violation, "" when the text gives no verdict.

    Examples:
        >>> verdict_category("Nội dung tố cáo ông A nhận tiền của các hộ dân là tố cáo sai.")
        'result'
        >>> verdict_category("Nội dung tố cáo ông A không chỉ đạo xử lý là tố cáo đúng một phần, do ông A thiếu trách nhiệm.")
        'limitation'
        >>> verdict_category("Xử lý người tố cáo sai sự thật theo quy định.")
        ''
    """
    key = tone_key(text)
    cc = claim_cues()
    if cc.verdict_limitation.search(key):
        return "limitation"
    if cc.verdict_result.search(key):
        return "result"
    return ""


def states_petition(text: str, case: bool = False) -> bool:
    """A citizen's petition (Luật Tiếp công dân 2013): a sentence whose subject is a citizen, named by an
    honorific and a name alone ("Bà Ka Sim", "Ông Hòa": an official is named with a title) or by a
    citizen word ("Đại diện 02 hộ dân thôn Bắc Hội"), and whose verb asks or reports ("đề nghị",
    "phản ánh"): what the citizen asks, not what the body found or orders. A citizen word makes one only
    in a `case` (a section `names_petition` heads): in a meeting's review "Người dân phản ánh mùi hôi …"
    reports a shortcoming.

    Examples:
        >>> states_petition("Bà Ka Sim đề nghị xem xét đưa gia đình vào danh sách hộ nghèo.")
        True
        >>> states_petition("Đại diện 02 hộ dân thôn Bắc Hội phản ánh tuyến đường bê tông bị xuống cấp.", case=True)
        True
        >>> states_petition("Người dân phản ánh mùi hôi tại điểm tập kết rác tạm cạnh chợ Sa Nam.")
        False
        >>> states_petition("Ông Nguyễn Văn An, Giám đốc Sở đề nghị các phòng rà soát hồ sơ.")
        False
        >>> states_petition("Giao công chức Địa chính phối hợp với Trưởng thôn tổ chức hòa giải.")
        False
    """
    words = unicodedata.normalize("NFC", text).strip().split()
    cc = claim_cues()
    for k in range(1, min(len(words), SUBJECT_WORDS + 1)):
        subject, rest = words[:k], " ".join(words[k:])
        if not cc.verbs.match(tone_key(rest)):
            continue
        if any(w.endswith((",", ";", ":", ".")) for w in subject):
            return False  # "Ông Nguyễn Văn An, Giám đốc Sở đề nghị …": an official with a title
        for honorific in cc.honorifics:  # "Bà" + "Ka Sim", "Công dân" + "Nguyễn Văn Bình"
            n = len(honorific.split())
            name = subject[n:]
            if tone_key(" ".join(subject[:n])) == honorific and 1 <= len(name) <= NAME_WORDS:
                if all(w[:1].isupper() for w in name):
                    return True
        return case and bool(cc.petitioners.search(tone_key(" ".join(subject))))
    return False


def states_finding(text: str) -> bool:
    """A sentence that reports what a session or a review showed ("Qua buổi tiếp cho thấy …"): a
    finding, whatever heading it stands under.

    Examples:
        >>> states_finding("Qua buổi tiếp cho thấy một số vụ việc chưa được quan tâm giải quyết.")
        True
        >>> states_finding("Qua kiểm tra, yêu cầu các đơn vị khắc phục.")
        False
    """
    return bool(claim_cues().finding.match(tone_key(text).strip()))


def states_answer(text: str) -> bool:
    """A sentence in which the official reports having answered the citizens at the session ("đã giải
    thích", "đã trả lời" … the citizens): Luật Tiếp công dân 2013, Điều 28, an act of the session itself,
    framing (ANNOTATION.md `other`), unless it also asks for something.

    Examples:
        >>> states_answer("Đối với các nội dung khiếu nại vượt thẩm quyền, Phó Chủ tịch UBND thành phố đã giải"
        ...               " thích để các hộ dân biết và thực hiện quyền khiếu nại theo đúng trình tự của Luật Khiếu nại.")
        True
        >>> states_answer("UBND huyện đã trả lời 45/45 kiến nghị của cử tri đúng thời hạn.")
        False
        >>> states_answer("Chủ tịch UBND xã đã giải thích cho công dân; đề nghị Công an xã tiếp tục xác minh.")
        False
    """
    cues = claim_cues()
    key = tone_key(text)
    m = cues.answer.search(key)
    return (
        m is not None
        and bool(cues.petitioners.search(key[m.end() :]))
        and not any(p.search(key) for p in cues.ask)
    )


def without_concession(text: str) -> str:
    """A sentence without the concessive clause that opens it ("Mặc dù …, "): what it concedes is the
    setting, the statement follows.

    Examples:
        >>> without_concession("Mặc dù lượng khách đã vượt mức trước đại dịch, quy mô vẫn chưa tương xứng.")
        'quy mô vẫn chưa tương xứng.'
        >>> without_concession("Dù vậy, tiến độ còn chậm.")
        'Dù vậy, tiến độ còn chậm.'
    """
    return CONCESSION.sub("", unicodedata.normalize("NFC", text), count=1)
