"""Issue 15, the input side: findings that need a file changed under the run, a file name with
bytes that are not UTF-8, a name read through the whole field stage, or a real archive's .doc.

The other input findings are cases of tools/make_bad_inputs.py (tests/test_bad_inputs.py) and
tests of test_discover.py / test_extract.py (zip streaming, LibreOffice without network).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pandas as pd
import pytest

import ketluan
from ketluan.chain import process_source
from ketluan.config import Settings
from ketluan.discover import discover
from ketluan.extract.doc import find_soffice
from ketluan.layout import pages_to_layout
from ketluan.metadata import layout_to_fields
from ketluan.normalize import normalize_pages
from ketluan.records import Line, Page
from ketluan.text.canonical import clean_characters
from tools import make_bad_inputs as mbi
from tools.paths import SHARED_OR_DEFAULT

REAL_DOC = SHARED_OR_DEFAULT / "corpus" / "real" / "lamdong_vpubnd_phieutrinh_ky_ketluan_2026-01.doc"


def test_issue_15_hash_is_of_the_bytes_that_were_read(tmp_path: Path) -> None:
    # finding 8: the file changes between discovery (hashing) and reading
    path = tmp_path / "tb-ket-luan.txt"
    path.write_text(mbi.conclusion(), encoding="utf-8")
    [source] = discover([path], Settings())
    june = mbi.conclusion().replace("45/TB-UBND", "52/TB-UBND")
    path.write_text(june, encoding="utf-8")
    doc = process_source(source, Settings())
    digest = hashlib.sha256(june.encode("utf-8")).hexdigest()
    assert (doc.sha256, doc.doc_id, doc.fields.doc_number) == (digest, digest[:16], "52/TB-UBND")


def test_issue_15_name_with_invalid_utf8_runs_resumes_and_exports(tmp_path: Path) -> None:
    # finding 2: "a-\xff.txt" from an old Windows archive
    folder = tmp_path / "in"
    folder.mkdir()
    with open(os.fsencode(folder) + b"/ket-luan-\xff.txt", "wb") as fh:
        fh.write(mbi.conclusion().encode("utf-8"))
    first = ketluan.run([folder], tmp_path / "out", {"workers": 1})
    assert (first.ok, first.error) == (1, 0)
    docs = pd.read_csv(
        tmp_path / "out" / "documents.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig"
    )
    assert list(docs["source_path"]) == [f"{folder}/ket-luan-\\xff.txt"]
    assert docs.loc[0, "doc_number"] == "45/TB-UBND"
    again = ketluan.run([folder], tmp_path / "out", {"workers": 1})
    assert (again.skipped, again.ok) == (1, 0)  # resumed: the stored path is the one discovery gives


# fmt: off
INVISIBLE_CASES = [
    ("Trần\u200cThị\u200cBình", "Trần Thị Bình"),     # ZWNJ typed as a space
    ("Trần\u200bThị Bình", "Trần Thị Bình"),          # zero-width space
    ("\u202bNguyễn Văn An\u202c", "Nguyễn Văn An"),   # right-to-left embedding around the name
    ("Tr\u200dần Thị Bình", "Trần Thị Bình"),         # a joiner inside one word
    ("UBND\u2060TỈNH", "UBND TỈNH"),
    ("Thanh Ho\u00ada", "Thanh Hoa"),                 # a soft hyphen inside a word
]
# fmt: on


@pytest.mark.parametrize(("raw", "clean"), INVISIBLE_CASES)
def test_issue_15_invisible_marks_between_words(raw: str, clean: str) -> None:
    assert clean_characters(raw) == clean


@pytest.mark.parametrize(
    "name", ["Trần\u200cThị\u200cBình", "\u2067Trần Thị Bình\u2069", "Trần\u200bThị\u200dBình"]
)
def test_issue_15_signer_name_survives_bidi_and_zero_width_marks(name: str) -> None:
    # finding 18: through normalize, layout and the field stage
    text = mbi.conclusion().replace("Trần Thị Bình", name)
    lines = [
        Line(text=t, page=1, gap_before=not t.strip(), origin="txt") for t in text.splitlines() if t.strip()
    ]
    layout = pages_to_layout(normalize_pages([Page(number=1, lines=lines, source="text")]))
    assert layout_to_fields(layout).signer_name == "Trần Thị Bình"


@pytest.mark.slow
@pytest.mark.skipif(
    not REAL_DOC.is_file() or find_soffice() is None, reason="real .doc or LibreOffice missing"
)
def test_issue_15_real_doc_with_merged_table_cells_is_read() -> None:
    doc = ketluan.process(REAL_DOC, {"strict": True})
    assert doc.status in ("ok", "partial")
    assert doc.pages >= 1 and doc.text
