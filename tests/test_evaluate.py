"""Tests of ketluan.evaluate: hand-built output and gold folders, exact figures, parity with score.py."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import unicodedata
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from ketluan.evaluate import (
    field_ok,
    format_report,
    match_items,
    normalize,
    pairwise_scores,
    score,
    stem_of,
    tone_last,
)
from ketluan.records import DOCUMENT_COLUMNS, ITEM_COLUMNS
from tools.paths import SHARED_OR_DEFAULT


def _score_py() -> Path | None:
    """shared/tools/score.py of the shared folder beside the repository."""
    path = SHARED_OR_DEFAULT / "tools" / "score.py"
    return path if path.exists() else None


def _write_csv(path: Path, columns: list[str], rows: list[dict[str, Any]]) -> None:
    """A contract CSV: UTF-8 with BOM, every column, missing values empty."""
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.DictWriter(f, fieldnames=columns)
        w.writeheader()
        for row in rows:
            w.writerow({c: row.get(c, "") for c in columns})


# fmt: off
GOLD_A = {
    "source": "d01_vp_ubnd_tinh_giao_ban_thang",
    "fields": {
        "doc_number": "58/TB-VP", "doc_type": "Thông báo", "issue_date": "2024-04-08",
        "issuer": "VĂN PHÒNG", "issuer_parent": "UBND TỈNH QUẢNG NGÃI", "chair": "",
        "recipients": "Chủ tịch, các PCT UBND tỉnh; Lưu: VT, TH", "is_conclusion": True,
    },
    "items": [
        {"category": "result", "topic": "", "text": "Thu ngân sách nhà nước trên địa bàn quý I ước đạt 7.356 tỷ đồng."},
        {"category": "limitation", "topic": "", "text": "Tiến độ giải ngân vốn đầu tư công còn chậm"},
        {"category": "task", "topic": "Sở Tài chính", "text": "Sở Tài chính theo dõi chặt chẽ tiến độ thu ngân sách"},
        {"category": "other", "topic": "", "text": "Văn phòng UBND tỉnh thông báo để các cơ quan biết, thực hiện./."},
    ],
}
GOLD_B = {  # no row in the output: its fields are wrong and its items unmatched
    "source": "d02_ubnd_huyen_so_ket_6_thang",
    "fields": {"doc_number": "142/KL-UBND", "issue_date": "2024-07-17", "is_conclusion": True},
    "items": [{"category": "cause", "topic": "", "text": "Giá vật liệu xây dựng tăng cao"}],
}
DOCS = [
    {"doc_id": "a1", "source_path": "in\\pdf\\d01_vp_ubnd_tinh_giao_ban_thang.scan.pdf", "status": "ok",
     "doc_number": "58/TB-VP", "doc_type": "THÔNG BÁO", "issue_date": "2024-04-08", "issuer": "Văn phòng",
     "issuer_parent": "", "chair": "", "recipients": "Chủ tịch, các PCT UBND tỉnh; Lưu: VT, TH.",
     "is_conclusion": "true"},
    {"doc_id": "z9", "source_path": "in/ngoai-corpus.docx", "status": "ok", "doc_number": "1/QĐ-UBND"},
]
ITEMS = [
    {"doc_id": "a1", "item_id": "a1-1", "category": "result",
     "text": "Thu ngân sách nhà nước trên địa bàn quý I ước đạt 7.356 tỷ đồng"},
    {"doc_id": "a1", "item_id": "a1-2", "category": "task",  # the gold limitation, wrong category
     "text": "Tiến độ giải ngân vốn đầu tư công còn chậm"},
    {"doc_id": "a1", "item_id": "a1-3", "category": "task", "text": "Đề nghị các sở khẩn trương thực hiện"},
    {"doc_id": "a1", "item_id": "a1-4", "category": "other", "text": "Văn phòng UBND tỉnh thông báo"},
    {"doc_id": "z9", "item_id": "z9-1", "category": "task", "text": "Giao Sở Nội vụ thẩm định"},
]
# fmt: on


@pytest.fixture()
def run_dirs(tmp_path: Path) -> tuple[Path, Path]:
    """(pred, gold) folders: one gold document found, one missing, one output row not in gold."""
    pred, gold = tmp_path / "pred", tmp_path / "gold"
    pred.mkdir()
    gold.mkdir()
    for g in (GOLD_A, GOLD_B):
        (gold / f"{g['source']}.json").write_text(json.dumps(g, ensure_ascii=False), encoding="utf-8")
    _write_csv(pred / "documents.csv", DOCUMENT_COLUMNS, DOCS)
    _write_csv(pred / "items.csv", ITEM_COLUMNS, ITEMS)
    return pred, gold


def test_evaluate_scores_hand_built_run_exactly(run_dirs: tuple[Path, Path]) -> None:
    report = score(*run_dirs)
    assert report["docs_gold"] == 2
    assert report["docs_missing"] == ["d02_ubnd_huyen_so_ket_6_thang"]
    # fields: 7 of the 8 of d01 right (issuer_parent empty), 0 of the 3 of the missing d02
    assert report["fields"]["issuer_parent"] == 0.0
    assert report["fields"]["doc_number"] == 0.5
    assert report["fields"]["chair"] == 1.0
    assert report["fields_acc"] == pytest.approx(7 / 11)
    assert report["filled_acc"] == pytest.approx(6 / 7)  # chair (empty gold) left out
    # items: 1 true positive (result); 3 predicted, 4 gold (the missing cause counts)
    assert report["items"]["result"] == {"p": 1.0, "r": 1.0, "f1": 1.0, "gold": 1, "pred": 1}
    assert report["items"]["task"]["pred"] == 2 and report["items"]["task"]["f1"] == 0.0
    assert report["items"]["cause"]["gold"] == 1
    assert report["items_f1"] == pytest.approx(float(Fraction(2, 7)))
    # text: result 16/16 tokens; task: tiến, độ, ngân, sở of 12 gold and 18 predicted tokens
    assert report["text"]["task"]["p"] == pytest.approx(4 / 18)
    assert report["text"]["task"]["r"] == pytest.approx(4 / 12)
    assert report["text_f1"] == pytest.approx(2 * 20 / (34 + 45))
    last = format_report(report).splitlines()[-1]
    assert last == "items_f1=0.286 text_f1=0.506 fields=0.636 filled=0.857"


def test_evaluate_format_report_lists_counts_and_details(run_dirs: tuple[Path, Path]) -> None:
    report = score(*run_dirs)
    lines = format_report(report, verbose=True).splitlines()
    assert lines[0] == "  d01_vp_ubnd_tinh_giao_ban_thang issuer_parent: gold='UBND TỈNH QUẢNG NGÃI' pred=''"
    assert "documents: 2 gold, 1 found in output" in lines
    assert "  doc_number       0.500  (1/2)" in lines
    assert "  d01_vp_ubnd_tinh_giao_ban_thang: matched 1 of gold 3, pred 3" in lines
    plain = format_report(json.loads(json.dumps(report)))  # read back from JSON: no counts
    assert "  doc_number       0.500" in plain.splitlines()


def test_evaluate_handles_missing_tables(tmp_path: Path) -> None:
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "x.json").write_text(json.dumps(GOLD_B, ensure_ascii=False), encoding="utf-8")
    report = score(tmp_path / "nothing", gold)
    assert report["docs_missing"] == ["x"]
    assert format_report(report).splitlines()[-1] == "items_f1=0.000 text_f1=0.000 fields=0.000 filled=0.000"


# fmt: off
@pytest.mark.parametrize(("path", "stem"), [
    ("out/d09_cong_ty_thuy_loi_giao_ban_quy_wrapped.scan.pdf", "d09_cong_ty_thuy_loi_giao_ban_quy_wrapped"),
    ("C:\\lưu trữ\\000_907a2ed1a172817c.DOCX", "000_907a2ed1a172817c"),
    ("d07_benh_vien_giao_ban_thang_nfd.photo.jpg", "d07_benh_vien_giao_ban_thang_nfd"),
    ("ket-luan.lo.pdf", "ket-luan"),
    ("archive.zip!thang-5/ket-luan.odt", "ket-luan"),
])
# fmt: on
def test_evaluate_stem_of_strips_folders_and_suffixes(path: str, stem: str) -> None:
    assert stem_of(path) == stem


# fmt: off
@pytest.mark.parametrize(("field", "gold", "pred", "ok"), [
    ("issuer", "ỦY BAN NHÂN DÂN HUYỆN NGHĨA HƯNG", "Ủy ban nhân dân huyện Nghĩa Hưng", True),
    ("issuer", "SỞ Y TẾ THANH HOÁ", unicodedata.normalize("NFD", "Sở Y tế Thanh Hóa"), True),
    ("signer_name", "Lê Thị Thuý", "Lê Thị Thúy", True),
    ("signer_name", "", "(M.An)", False),
    ("chair", "", "", True),
    ("issue_date", "2020-05-18", "2020-05-18", True),
    ("period_start", "", "2020-05-01", False),
    ("is_conclusion", True, "True", True),
    ("is_conclusion", False, "", True),
    ("recipients", "TT Thành ủy (b/c); CT, các PCT UBND thành phố; Lưu: VT, TH",
     "TT Thành ủy (b/c); CT, các PCT UBND thành phố; Lưu: VT, TH.", True),
    ("recipients", "LĐ Thanh tra tỉnh; Tất cả CC; Đăng Trang thông tin điện tử cơ quan; Lưu: VT, HS",
     "LĐ Thanh tra tỉnh; Tất cả CC", False),
    ("title", "Kết luận của Giám đốc Sở tại cuộc họp giao ban quý I năm 2024",
     "Kết luận của Giám đốc Sở tại cuộc họp giao ban quý II năm 2024", True),
])
# fmt: on
def test_evaluate_field_ok_follows_score_rules(field: str, gold: Any, pred: Any, ok: bool) -> None:
    assert field_ok(field, gold, pred) is ok


@pytest.mark.parametrize(("a", "b"), [("hoà", "hòa"), ("thuý", "thúy"), ("khoẻ", "khỏe"), ("Hoá", "hóa")])
def test_evaluate_normalize_ignores_tone_placement_and_case(a: str, b: str) -> None:
    assert normalize(a) == normalize(b)
    assert tone_last(unicodedata.normalize("NFD", a)) == tone_last(a)


def test_evaluate_match_items_is_one_to_one_best_first() -> None:
    gold = [{"text": "Thu tiền sử dụng đất đạt thấp, mới đạt 38% dự toán năm."}]
    pred = [{"text": "Thu tiền sử dụng đất đạt thấp"}, {"text": "Thu tiền sử dụng đất đạt thấp, mới đạt 38% dự toán năm"}]
    assert match_items(gold, pred) == [(0, 1)]


@pytest.mark.parametrize("verbose", [False, True])
def test_evaluate_matches_score_py_output(run_dirs: tuple[Path, Path], tmp_path: Path, verbose: bool) -> None:
    script = _score_py()
    if script is None:
        pytest.skip("shared/tools/score.py not found next to the repository")
    pred, gold = run_dirs
    out_json = tmp_path / "score.json"
    args = [sys.executable, str(script), "--pred", str(pred), "--gold", str(gold), "--json", str(out_json)]
    done = subprocess.run([*args, *(["--verbose"] if verbose else [])], capture_output=True, text=True,
                          encoding="utf-8", check=True)  # fmt: skip
    expected = done.stdout.rstrip("\n").splitlines()
    report = score(pred, gold)
    ours = format_report(report, verbose=verbose).splitlines()
    assert ours[-1] == expected[-1]
    assert ours == expected
    assert json.loads(json.dumps(report, ensure_ascii=False)) == json.loads(out_json.read_text(encoding="utf-8"))


# fmt: off
@pytest.mark.parametrize(("pred", "gold", "group", "expected"), [
    ({"a": 1, "b": 1, "c": 2}, [["a", "b"]], None, (1.0, 1.0)),
    ({"a": 1, "b": 1, "c": 1}, [["a", "b"]], None, (1 / 3, 1.0)),
    ({"a": 1, "b": 2, "c": 3}, [["a", "b", "c"]], None, (1.0, 0.0)),
    ({"a": 1, "b": 2}, [], None, (1.0, 1.0)),
    # a pair across issuers is ignored, as corpus/README.md asks
    ({"a": 1, "b": 1, "x": 1}, [["a", "b"]], {"a": "UBND", "b": "UBND", "x": "Sở Y tế"}, (1.0, 1.0)),
    # gold items the prediction does not contain are not scored
    ({"a": 1, "b": 1}, [["a", "b", "zz"]], None, (1.0, 1.0)),
])
# fmt: on
def test_evaluate_pairwise_scores(pred: dict, gold: list, group: dict | None, expected: tuple) -> None:
    assert pairwise_scores(pred, gold, group=group) == pytest.approx(expected)
