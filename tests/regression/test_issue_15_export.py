"""Issue 15, finding 1 and 7: text no exporter can hold (U+FFFE, U+FFFF, controls, lone surrogates)."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import ketluan
from ketluan.text.canonical import normalize_text
from ketluan.writers import safe_text

SAMPLE = (
    Path(__file__).resolve().parents[2]
    / "data"
    / "samples"
    / "thong-bao-ket-luan-giao-ban-quy-1-2024-so-tnmt-thai-nguyen.txt"
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Số: 1234/QĐ\ufffeUBND", "Số: 1234/QĐ-UBND"),  # PDFium's break hyphen inside the number
        ("theo Quyết định số 45/QĐ\ufffe", "theo Quyết định số 45/QĐ-"),  # at the line end
        ("Kết luận\uffff của Chủ tịch", "Kết luận của Chủ tịch"),
        ("Tây\x00 Ninh\x07, ngày 18 tháng 5", "Tây Ninh, ngày 18 tháng 5"),
        ("Giám đốc Sở\ud800", "Giám đốc Sở"),
    ],
)
def test_normalize_cleans_text_no_file_can_hold(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("a-\udcff.txt", "a-\\xff.txt"), ("Kết luận\ud800", "Kết luận\ufffd"), ("Thông báo", "Thông báo")],
)
def test_store_safe_text_escapes_surrogates(raw: str, expected: str) -> None:
    assert safe_text(raw) == expected


def test_run_with_break_hyphens_and_controls_writes_every_format(tmp_path: Path) -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    text = text.replace("Số: 1052/TB-STNMT", "Số: 1052/TB\ufffeSTNMT")
    text = text.replace(
        "ban hành 14 quyết định", "ban hành 14 quyết\x0b định\uffff (theo Quyết định số 45/QĐ\ufffeUBND)"
    )
    src = tmp_path / "in" / "ket-luan.txt"
    src.parent.mkdir()
    src.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    summary = ketluan.run([src], out=out)
    assert summary.ok == 1
    for name in (
        "documents.csv",
        "items.csv",
        "documents.parquet",
        "documents.jsonl",
        "ketluan.xlsx",
        "ketluan.duckdb",
    ):
        assert (out / name).exists(), name
    docs = pd.read_csv(out / "documents.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert docs.loc[0, "doc_number"] == "1052/TB-STNMT"
    items = [json.loads(line) for line in (out / "items.jsonl").read_text(encoding="utf-8").splitlines()]
    result = next(i["text"] for i in items if "14 quyết định" in i["text"])
    assert "Quyết định số 45/QĐ-UBND" in result
    assert "\uffff" not in result and "\x0b" not in result
    sheet = openpyxl.load_workbook(out / "ketluan.xlsx", read_only=True)["documents"]
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    row = [c.value for c in next(sheet.iter_rows(min_row=2, max_row=2))]
    assert row[header.index("doc_number")] == "1052/TB-STNMT"
