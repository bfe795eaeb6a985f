"""Issuer identity: Fields -> issuer_id, a canonical key of the issuing body and where it sits.

Reads the issuer, parent, place and issue-date fields of one document (plus the bundled lists of
provinces and districts in data/geo and of abbreviations in data/analysis); returns a readable key
such as "so-tai-nguyen-va-moi-truong/tinh-binh-phuoc". Never reads other documents or files of a run.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .config import DATA_DIR
from .records import Fields
from .text.dates import parse_iso_date
from .text.orthography import bare, fold

if TYPE_CHECKING:
    import pandas as pd

GEO_PATH = DATA_DIR / "geo" / "units.json"
ABBREVIATIONS_PATH = DATA_DIR / "analysis" / "issuer_abbreviations.tsv"
PHRASES_PATH = DATA_DIR / "analysis" / "issuer_phrases.txt"
MERGER_DATE = date(2025, 7, 1)  # Nghị quyết 202/2025/QH15: 63 provinces became 34
PHRASE_MATCH = 86  # rapidfuzz ratio (diacritic-free) a damaged name must reach to be read as a known one
PROVINCE_MATCH = 90  # same, for a province name ("BlNH PHƯỚC" read for "BÌNH PHƯỚC")

WORD = re.compile(r"[a-z0-9]+(?:[&,\-][a-z0-9]+)*")  # "tn&mt", "ld-tb&xh", "ubnd" in "ubnd tinh"
AMP = re.compile(r"\s*&\s*")  # "TN & MT" -> "TN&MT"
LOCAL_UNIT = ("huyen", "quan", "thi xa", "thanh pho", "xa", "phuong", "thi tran")  # below a province
PROVINCE_TYPE = ("tinh", "thanh pho")  # "tỉnh Bình Phước", "thành phố Hà Nội"
PEOPLES_COMMITTEE = "uy ban nhan dan"
COUNCIL = "hoi dong nhan dan"
OFFICE = "van phong"


@dataclass(frozen=True)
class Province:
    """One province (tỉnh / thành phố trực thuộc trung ương) of the 2025-06 map."""

    name: str  # "Bình Phước"
    key: str  # "tinh-binh-phuoc"
    centrally_run: bool  # thành phố trực thuộc trung ương
    merged_into: str  # the province's name from 2025-07-01 ("Đồng Nai")
    earlier: tuple[tuple[date, str], ...] = ()  # (day the unit took this name, key before): Huế 2025-01-01


@dataclass(frozen=True)
class Geo:
    """Lookup tables over data/geo/units.json, keyed by diacritic-free lower-case names."""

    provinces: dict[str, Province]  # "binh phuoc" -> Province (aliases too)
    after_merger: dict[str, str]  # "dong nai" -> "tinh-dong-nai" (the 34 provinces)
    districts: dict[str, tuple[str, ...]]  # "cam lam" -> ("khanh hoa",) (bare province names)


def _key(text: str) -> str:
    """Diacritic-free lower-case words, one space apart: "UỶ  BAN" -> "uy ban"."""
    return " ".join(WORD.findall(bare(fold(text), key=True)))


@lru_cache(maxsize=1)
def load_geo(path: str | None = None) -> Geo:
    """The provinces and districts of data/geo/units.json (from the PyPI package vietnam-provinces).

    Examples:
        >>> load_geo().provinces["khanh hoa"].key
        'tinh-khanh-hoa'
        >>> load_geo().districts["cam lam"]
        ('khanh hoa',)
    """
    data = json.loads(Path(path or GEO_PATH).read_text(encoding="utf-8"))
    provinces: dict[str, Province] = {}
    districts: dict[str, list[str]] = {}
    for p in data["before_2025_07"]:
        prov = Province(
            name=p["name"], key=p["key"], centrally_run=p["unit_type"].startswith("thành phố"),
            merged_into=p.get("merged_into_2025") or p["name"],
            earlier=tuple(sorted((date.fromisoformat(e["until"]), e["key"]) for e in p.get("earlier", []))),
        )  # fmt: skip
        for name in [p["name"], *p.get("aliases", [])]:
            provinces[_key(name)] = prov
        for d in p.get("districts", []):
            districts.setdefault(_key(d["name"]), []).append(_key(p["name"]))
    after = {_key(p["name"]): p["key"] for p in data.get("from_2025_07", [])}
    return Geo(provinces, after, {k: tuple(dict.fromkeys(v)) for k, v in districts.items()})


@lru_cache(maxsize=1)
def load_abbreviations(path: str | None = None) -> dict[str, str]:
    """Abbreviations of body names -> full form as diacritic-free words ("ubnd" -> "uy ban nhan dan").

    Examples:
        >>> load_abbreviations()["tn&mt"]
        'tai nguyen va moi truong'
    """
    out: dict[str, str] = {}
    for line in Path(path or ABBREVIATIONS_PATH).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].rstrip()
        if "\t" in line:
            short, full = line.split("\t", 1)
            out[bare(short.strip(), key=True)] = _key(full)
    return out


@lru_cache(maxsize=1)
def load_phrases(path: str | None = None) -> tuple[tuple[str, ...], ...]:
    """Known body names as word tuples, longest first (OCR damage is folded back to them)."""
    names = []
    for line in Path(path or PHRASES_PATH).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            names.append(tuple(_key(line).split()))
    return tuple(sorted(set(names), key=lambda w: (-len(w), w)))


def _expand(text: str) -> list[str]:
    """Words of a body name, abbreviations expanded, OCR-damaged known names repaired.

    "UBND HUYỆN CAM LÂM" -> ["uy", "ban", "nhan", "dan", "huyen", "cam", "lam"].
    """
    abbreviations = load_abbreviations()
    words: list[str] = []
    for w in WORD.findall(bare(fold(AMP.sub("&", text)), key=True)):
        full = abbreviations.get(w)
        if full is None and ("&" in w or "-" in w or "," in w):
            full = " ".join(abbreviations.get(p, p) for p in re.split(r"[&,\-]", w) if p)
        words.extend((full or w).split())
    return _repair(words)


def _repair(words: list[str]) -> list[str]:
    """Replace runs of words that are a damaged known name ("uy ban nhan dam") by that name."""
    from rapidfuzz.distance import Levenshtein
    from rapidfuzz.fuzz import ratio

    phrases = load_phrases()
    out: list[str] = []
    i = 0
    while i < len(words):
        for phrase in phrases:
            n = len(phrase)
            window = words[i : i + n]
            if (
                len(window) == n
                and tuple(window) != phrase
                and (window[0] == phrase[0] or len(phrase[0]) > 3)
            ):
                a, b = " ".join(window), " ".join(phrase)
                if ratio(a, b) >= PHRASE_MATCH and Levenshtein.distance(a, b) <= max(1, len(b) // 8):
                    out.extend(phrase)
                    i += n
                    break
            elif tuple(window) == phrase:
                out.extend(phrase)
                i += n
                break
        else:
            out.append(words[i])
            i += 1
    return out


def _province_at_end(words: list[str], geo: Geo, issued: date | None = None) -> tuple[int, Province] | None:
    """(number of words, province) when the words end with a province's name, else None.

    A name after a local unit ("huyện", "thành phố Bảo Lộc") is that unit's, except a centrally
    run city's after "thành phố" ("UBND THÀNH PHỐ HÀ NỘI"). A province's name is not one before
    the day the province took it: "CỐ ĐÔ HUẾ" of 2021 keeps its "Huế" (tỉnh Thừa Thiên Huế until
    2025-01-01).
    """
    from rapidfuzz.fuzz import ratio

    for n in (4, 3, 2, 1):
        if len(words) < n:
            continue
        tail = " ".join(words[-n:])
        prov = geo.provinces.get(tail)
        if prov is not None and prov.earlier and issued is not None and issued < prov.earlier[0][0]:
            if tail == _key(prov.name):  # the new name, not an alias it was known by before
                continue
        if prov is None and n >= 2:
            near = [
                p
                for k, p in geo.provinces.items()
                if len(k.split()) == n and ratio(k, tail) >= PROVINCE_MATCH
            ]
            prov = near[0] if len(near) == 1 else None
        if prov is None:
            continue
        return None if _local_unit_name(words[:-n], prov) else (n, prov)
    return _squeezed_province_at_end(words, geo)


def _local_unit_name(before: list[str], prov: Province) -> bool:
    """Whether a province's name after `before` is a local unit's ("huyện", "thành phố Bảo Lộc"),
    except a centrally run city's after "thành phố" ("UBND THÀNH PHỐ HÀ NỘI")."""
    text = " ".join(before)
    unit = next((u for u in LOCAL_UNIT if text == u or text.endswith(" " + u)), "")
    return bool(unit) and not (unit == "thanh pho" and prov.centrally_run)


def _squeezed_province_at_end(words: list[str], geo: Geo) -> tuple[int, Province] | None:
    """A province name whose spaces OCR lost or moved, one letter misread at most.

    "SỞ NÔNG NGHIỆP VÀ PTNT TINH IAYNINH" and "... TINHIAYNINH" end with tỉnh Tây Ninh: the
    name is compared without its spaces, the province word run into it ("tinhiayninh") too.
    Only a tail spaced otherwise than the name, of six letters or more, with a single near
    province counts.
    """
    from rapidfuzz.distance import Levenshtein

    squeezed = {k.replace(" ", ""): (len(k.split()), p) for k, p in geo.provinces.items()}
    for n in (1, 2, 3):
        if len(words) <= n:
            continue
        tail = "".join(words[-n:])
        rests = [tail] + [tail[len(t) :] for t in ("tinh", "thanhpho") if n == 1 and tail.startswith(t)]
        for rest in rests:
            if len(rest) < 6:
                continue
            # spaced as the name is, the tail was already compared ("THANH TRA TỈNH" is no "Trà Vinh")
            near = {
                id(p): p for k, (w, p) in squeezed.items() if w != n and Levenshtein.distance(k, rest) <= 1
            }
            if len(near) == 1:
                prov = next(iter(near.values()))
                # a local unit's name ("THÀNH PHỐ BẮCNINH") is not the province's
                return None if _local_unit_name(words[:-n], prov) else (n, prov)
    return None


def _district_province(words: list[str], geo: Geo) -> str:
    """The bare province name of a district named at the end of words ("huyen cam lam"), or ""."""
    for n in (3, 2, 1):
        if len(words) <= n:
            continue
        tail = " ".join(words[-n:])
        before = " ".join(words[:-n])
        if tail in geo.districts and any(before == u or before.endswith(" " + u) for u in LOCAL_UNIT):
            found = geo.districts[tail]
            return found[0] if len(found) == 1 else ""
    return ""


def _place_province(place: str, geo: Geo) -> str:
    """The bare province name the place line names (a province, else an unambiguous district)."""
    words = _key(place).split()
    for unit in ("tinh", "thanh pho", "huyen", "quan", "thi xa"):
        if " ".join(words[: len(unit.split())]) == unit:
            words = words[len(unit.split()) :]
            break
    name = " ".join(words)
    if name in geo.provinces:
        return _key(geo.provinces[name].name)
    found = geo.districts.get(name, ())
    return found[0] if len(found) == 1 else ""


def _starts_unit(words: list[str]) -> bool:
    """Whether words name an administrative unit ("huyen cam lam", "tinh quang tri")."""
    return any(" ".join(words).startswith(u + " ") for u in (*LOCAL_UNIT, "tinh"))


def _split_office(body: list[str], parent: list[str]) -> tuple[list[str], list[str]]:
    """One body printed on two lines, or an office and its committee printed on one line.

    "ỦY BAN NHÂN DÂN" above "HUYỆN CAM LÂM" is one body; "VP UBND TỈNH QUẢNG NGÃI" is the
    office ("văn phòng") of the parent "ủy ban nhân dân tỉnh quảng ngãi".
    """
    councils = (PEOPLES_COMMITTEE.split(), COUNCIL.split())
    if parent in councils and _starts_unit(body):
        return parent + body, []
    if body in councils and _starts_unit(parent):
        return body + parent, []
    if not parent and body[:2] == OFFICE.split():
        for council in councils:
            if body[2 : 2 + len(council)] == council:
                return body[:2], body[2:]
    return body, parent


def _drop_province_type(words: list[str]) -> None:
    """Drop the province-level unit word a name ends on once its province name is gone.

    "SỞ Y TẾ TỈNH ĐỒNG NAI", "SỞ Y TẾ ĐỒNG NAI" and "THANH TRA TỈNH" (with the province
    elsewhere in the header) name their body the same way: "so y te", "thanh tra". A local
    unit keeps its word and name ("huyen cam lam"); a body named by its unit word alone
    ("ỦY BAN NHÂN DÂN" / "TỈNH") keeps nothing of it, as the province follows in the key.
    """
    while len(words) > 1 and words[-1] in PROVINCE_TYPE:
        del words[-1]
    if len(words) > 2 and words[-2:] == PROVINCE_TYPE[1].split():
        del words[-2:]


def _slug(words: list[str]) -> str:
    """Words as a slug: "so-tai-nguyen-va-moi-truong"."""
    return "-".join(w for w in words if w not in ("-", ","))


def _province_key(name: str, issued: date | None, geo: Geo) -> str:
    """The slug of a province as it was on the issue date ("tinh-binh-phuoc"; merged after 2025-07)."""
    prov = geo.provinces[name]
    if issued is not None and issued >= MERGER_DATE:
        return geo.after_merger.get(_key(prov.merged_into), prov.key)
    if issued is not None:
        for until, key in prov.earlier:  # "SỞ Y TẾ THỪA THIÊN HUẾ" of 2022: tỉnh Thừa Thiên Huế
            if issued < until:
                return key
    return prov.key


def issuer_id_of(fields: Fields) -> str:
    """The canonical key of the body that issued a document (empty when there is no issuer).

    `/`-joined slugs, most specific first: the body's full name (abbreviations expanded, a
    trailing province name dropped); the parent body unless it is the province's People's
    Committee; the province as it was on the issue date, from the parent line, the issuer line,
    else the place line (a district's province through data/geo). A body under a ministry gets
    no province. Case, tone placement and diacritics damaged by OCR are folded.

    Args:
        fields: the document's Fields (issuer, issuer_parent, place, issue_date are read).

    Returns:
        The key, e.g. "uy-ban-nhan-dan-huyen-cam-lam/tinh-khanh-hoa"; "" without an issuer.

    Examples:
        >>> issuer_id_of(Fields(issuer="SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG", issuer_parent="UBND TỈNH BÌNH PHƯỚC"))
        'so-tai-nguyen-va-moi-truong/tinh-binh-phuoc'
        >>> issuer_id_of(Fields(issuer="UBND HUYỆN CAM LÂM", place="Cam Lâm"))
        'uy-ban-nhan-dan-huyen-cam-lam/tinh-khanh-hoa'
        >>> issuer_id_of(Fields(issuer="BỆNH VIỆN ĐA KHOA HUYỆN HOẰNG HOÁ", issuer_parent="SỞ Y TẾ THANH HOÁ"))
        'benh-vien-da-khoa-huyen-hoang-hoa/so-y-te/tinh-thanh-hoa'
        >>> issuer_id_of(Fields(issuer="ỦY BAN NHÂN DÂN PHƯỜNG PHAN RANG", issuer_parent="TỈNH KHÁNH HÒA"))
        'uy-ban-nhan-dan-phuong-phan-rang/tinh-khanh-hoa'
        >>> issuer_id_of(Fields())
        ''
    """
    if not fields.issuer.strip():
        return ""
    geo = load_geo()
    issued = parse_iso_date(fields.issue_date)
    body, parent = _split_office(_expand(fields.issuer), _expand(fields.issuer_parent))
    province = ""
    parts: list[str] = []
    for words in (body, parent):
        end = _province_at_end(words, geo, issued)
        if end is not None:
            n, prov = end
            province = province or _key(prov.name)
            del words[-n:]
    for words in (body, parent):
        _drop_province_type(words)
    if " ".join(parent) in PROVINCE_TYPE:  # "TỈNH KHÁNH HÒA" over a ward of 2025: the province alone
        parent.clear()
    if body:
        parts.append(_slug(body))
    under_ministry = bool(parent) and parent[0] == "bo"
    if parent and " ".join(parent) != PEOPLES_COMMITTEE:
        parts.append(_slug(parent))
    if not province and not under_ministry:
        province = (
            _district_province(parent, geo)
            or _district_province(body, geo)
            or _place_province(fields.place, geo)
        )
    if province and not under_ministry:
        parts.append(_province_key(province, issued, geo))
    return "/".join(p for p in parts if p)


def issuer_ids(documents: pd.DataFrame) -> list[str]:
    """Each row's issuer_id: as stored, else read from its header fields (a run from before the column).

    Examples:
        >>> import pandas as pd
        >>> issuer_ids(pd.DataFrame({"issuer": ["UBND HUYỆN CAM LÂM"], "place": ["Cam Lâm"]}))
        ['uy-ban-nhan-dan-huyen-cam-lam/tinh-khanh-hoa']
    """

    def cell(row: Mapping[Any, object], key: str) -> str:
        v = row.get(key, "")
        text = "" if v is None or (isinstance(v, float) and v != v) else str(v)
        return text[:10] if key == "issue_date" else text

    out = []
    for row in documents.to_dict("records"):
        stored = cell(row, "issuer_id")
        out.append(stored or issuer_id_of(Fields(
            issuer=cell(row, "issuer"), issuer_parent=cell(row, "issuer_parent"),
            place=cell(row, "place"), issue_date=cell(row, "issue_date"),
        )))  # fmt: skip
    return out
