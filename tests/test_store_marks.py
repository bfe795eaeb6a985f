"""Store stage: the database keeps the copies' marks the exported files have.

`duplicate_of` and a copy's `issuer_id` are set at export (`outputs.mark_duplicates`); the
DuckDB file is one of the outputs, so `load`, `read_database` and a DuckDB user must read the
same values as documents.csv. Built from a real sample conclusion and a copy of it whose issuer
line a scan misread ("TRƯỜỜNG": a letter doubled inside a word, typical OCR damage).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pandas as pd

from ketluan.api import load, run
from ketluan.store import read_database

SAMPLE = (
    Path(__file__).resolve().parents[1]
    / "data"
    / "samples"
    / "thong-bao-ket-luan-giao-ban-quy-1-2024-so-tnmt-thai-nguyen.txt"
)


def test_store_marks_database_keeps_duplicate_of_and_issuer_of_the_copy(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SAMPLE, folder / "a-ban-goc.txt")
    text = SAMPLE.read_text(encoding="utf-8")
    # the copy's issuer line misread inside a word, as a scan does ("TRƯỜỜNG")
    (folder / "b-ban-sao.txt").write_text(text.replace("MÔI TRƯỜNG", "MÔI TRƯỜỜNG", 1), encoding="utf-8")
    out = tmp_path / "out"
    run([folder], out)
    csv = pd.read_csv(out / "documents.csv", dtype=str, keep_default_na=False).set_index("source_path")
    marked = csv[csv["duplicate_of"] != ""]
    assert len(marked) == 1  # one of the two is the copy of the other
    assert csv["issuer_id"].nunique() == 1  # the copy takes the kept document's issuer_id
    for tables in (load(out), read_database(out)):
        docs = tables["documents"].astype(object).fillna("").set_index("source_path")
        assert docs.loc[csv.index, "duplicate_of"].tolist() == csv["duplicate_of"].tolist()
        assert docs.loc[csv.index, "issuer_id"].tolist() == csv["issuer_id"].tolist()
    with duckdb.connect(str(out / "ketluan.duckdb"), read_only=True) as con:
        keys = con.execute("SELECT DISTINCT issuer_id FROM items").fetchall()
    assert keys == [(csv["issuer_id"].iloc[0],)]
