"""Document identity across files: the documents table -> duplicate_of for each copy.

Reads the documents table of a run (all files) and, when given, its items (their text); returns,
for each row, the doc_id of the copy kept when the file is another copy of the same issued
document (a scan of a text PDF, the .docx of a PDF), else "". Never drops or reorders a row.
"""

from __future__ import annotations

import re
from collections.abc import Hashable

import pandas as pd

from .text.orthography import bare, fold

TEXT_MATCH = 0.90  # cosine of character 3-5-grams (diacritics folded) of two documents' item texts
MIN_TEXT_CHARS = 200  # shorter texts (a cover page, a failed OCR) never decide a copy by text
OCR_KINDS = ("scanned_pdf", "image", "mixed_pdf")  # files whose text (number, date) OCR may have misread
KIND_RANK = {"text_pdf": 0, "docx": 0, "doc": 0, "txt": 0, "mixed_pdf": 1, "scanned_pdf": 2, "image": 2}
ISSUER_WORD = re.compile(r"[-/]")  # the words and parts of an issuer key: "so-y-te/tinh-ha-tinh"
HAS_DIGIT = re.compile(r"\d")  # "215/TB-TTr" is a number; "/TB-TTr" (number not read) is not
SPACES = re.compile(r"\s+")


def _cell(value: object) -> str:
    """A cell as stripped text, NaN and None as ""."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value).strip()


def _keep_order(row: pd.Series) -> tuple[int, float, int, str]:
    """Sort key of a copy: text layer first, then best OCR confidence, status ok, doc_id."""
    try:
        conf = float(_cell(row.get("ocr_confidence")) or 0.0)
    except ValueError:
        conf = 0.0
    status = 0 if _cell(row.get("status")) in ("ok", "") else 1
    return (KIND_RANK.get(_cell(row.get("input_kind")), 1), -conf, status, _cell(row.get("doc_id")))


def same_body(a: str, b: str) -> bool:
    """Whether two issuer keys of files with one number and date name one body (OCR damage aside).

    Equal keys, or keys of the same words but for letters misread inside a word: each differing
    word at most one edit (two in a word of eight letters or more) from its counterpart. A word
    replaced by another ("bac" / "nam": xã Mỹ Long Bắc and xã Mỹ Long Nam, which may both issue
    notice 12 on one day) is another body.

    Examples:
        >>> same_body("chi-cuc-hai-quan-cua-khau-quoc-te/cuc-hai-quan/tinh-lao-cai",
        ...           "chi-cuc-hai-quan-cuua-khau-quoc-te/cuc-hai-quan/tinh-lao-cai")
        True
        >>> same_body("uy-ban-nhan-dan-xa-my-long-bac/tinh-tra-vinh", "uy-ban-nhan-dan-xa-my-long-nam/tinh-tra-vinh")
        False
    """
    if a == b:
        return True
    wa, wb = ISSUER_WORD.split(a), ISSUER_WORD.split(b)
    if len(wa) != len(wb):
        return False
    from rapidfuzz.distance import Levenshtein

    return all(
        x == y or Levenshtein.distance(x, y) <= (2 if len(y) >= 8 else 1) for x, y in zip(wa, wb, strict=True)
    )


def _text_key(text: str) -> str:
    """Item text for comparing copies: no diacritics, no case, one space (OCR damages marks)."""
    return SPACES.sub(" ", bare(fold(text), key=True)).strip()


def _text_pairs(docs: pd.DataFrame, items: pd.DataFrame) -> list[tuple[str, str]]:
    """Pairs of doc_ids whose item texts are near-identical, compared within one issuer."""

    texts = (
        items.assign(text=items["text"].map(_cell))
        .groupby("doc_id", sort=False)["text"]
        .agg(lambda s: " ".join(s))
    )
    who = docs.set_index("doc_id")["_issuer"].to_dict()
    pairs: list[tuple[str, str]] = []
    by_issuer: dict[str, list[str]] = {}
    for doc_id, text in texts.items():
        if doc_id in who and len(text) >= MIN_TEXT_CHARS:
            by_issuer.setdefault(who[doc_id], []).append(str(doc_id))
    for ids in by_issuer.values():
        if len(ids) < 2:
            continue
        from sklearn.feature_extraction.text import TfidfVectorizer  # only with two texts to compare (~1 s)

        vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
        X = vec.fit_transform([_text_key(texts[i]) for i in ids])
        S = (X @ X.T).tocoo()
        for a, b, s in zip(S.row.tolist(), S.col.tolist(), S.data.tolist(), strict=True):
            if a < b and s >= TEXT_MATCH:
                pairs.append((ids[a], ids[b]))
    return pairs


def find_duplicates(documents: pd.DataFrame, items: pd.DataFrame | None = None) -> pd.Series:
    """`duplicate_of` for every row of `documents` (index-aligned; "" for the copy kept).

    Two files are copies of one issued document when they share issuer_id (issuer when it is
    empty), doc_number (with a digit) and issue_date, or, given `items`, when their item texts
    are near-identical (cosine >= TEXT_MATCH of diacritic-free character n-grams, same issuer).
    Copies form groups (transitively); the copy kept has a text layer, else the best OCR
    confidence. Files that failed (status error) are never copies.

    Args:
        documents: the documents table (doc_id, input_kind, status, ocr_confidence, issuer,
            issuer_id, doc_number, issue_date are read; missing columns count as empty).
        items: the items table (doc_id, text), optional.

    Returns:
        A Series of doc_ids ("" for a document kept), aligned with `documents.index`.

    Examples:
        >>> docs = pd.DataFrame({"doc_id": ["a1", "b2", "c3"],
        ...     "input_kind": ["scanned_pdf", "text_pdf", "text_pdf"],
        ...     "issuer_id": "thanh-tra/tinh-hau-giang",
        ...     "doc_number": ["215/TB-TTr", "215/TB-TTr", "243/TB-TTr"],
        ...     "issue_date": ["2019-08-05", "2019-08-05", "2019-09-06"]})
        >>> find_duplicates(docs).tolist()
        ['b2', '', '']
    """
    n = len(documents)
    if n == 0:
        return pd.Series([], index=documents.index, dtype=object)
    docs = documents.reset_index(drop=True).copy()
    for col in ("doc_id", "input_kind", "status", "issuer", "issuer_id", "doc_number", "issue_date"):
        docs[col] = docs[col].map(_cell) if col in docs.columns else ""
    docs["_issuer"] = [
        i or bare(fold(s), key=True) for i, s in zip(docs["issuer_id"], docs["issuer"], strict=True)
    ]
    usable = docs[(docs["status"] != "error") & (docs["doc_id"] != "")]
    parent: dict[str, str] = {d: d for d in usable["doc_id"]}

    def find(d: str) -> str:
        while parent[d] != d:
            parent[d] = parent[parent[d]]
            d = parent[d]
        return d

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[rb] = ra

    keyed = usable[
        (usable["_issuer"] != "")
        & usable["doc_number"].str.contains(HAS_DIGIT)
        & (usable["issue_date"] != "")
    ]
    groups: dict[Hashable, list[tuple[str, str]]] = {}
    for d, i, num, day in zip(
        keyed["doc_id"], keyed["_issuer"], keyed["doc_number"].str.upper(), keyed["issue_date"], strict=True
    ):
        groups.setdefault((num, day), []).append((d, i))
    for stamped in groups.values():
        for k, (a, ia) in enumerate(stamped):
            for b, ib in stamped[k + 1 :]:
                if same_body(ia, ib):
                    union(a, b)
    if items is not None and len(items) and {"doc_id", "text"} <= set(items.columns):
        # two notices of one template (May's and June's, near-identical text) that print different
        # numbers and dates are two documents; a copy may misread one of them, not both
        # numbers and dates; a file read from its text layer misreads neither, so two such files that
        # print different numbers are two documents even on one day (June's notice of May's template)
        stamp = {
            d: (n.upper(), day, kind not in OCR_KINDS)
            for d, n, day, kind in zip(
                usable["doc_id"],
                usable["doc_number"],
                usable["issue_date"],
                usable["input_kind"],
                strict=True,
            )
        }
        for a, b in _text_pairs(usable, items[items["doc_id"].isin(parent)]):
            (na, da, ta), (nb, db, tb) = stamp[a], stamp[b]
            numbers_differ = bool(HAS_DIGIT.search(na) and HAS_DIGIT.search(nb) and na != nb)
            if not (numbers_differ and ((da and db and da != db) or (ta and tb))):
                union(a, b)
    members: dict[str, list[int]] = {}
    for k, d in zip(usable.index, usable["doc_id"], strict=True):
        members.setdefault(find(d), []).append(int(k))
    out = [""] * n
    for rows in members.values():
        if len(rows) < 2:
            continue
        kept = min(rows, key=lambda k: _keep_order(docs.loc[k]))
        for k in rows:
            if k != kept:
                out[k] = docs.at[kept, "doc_id"]
    return pd.Series(out, index=documents.index, dtype=object)
