"""Tests of the task-status evidence model (pipeline/task_model.py) and its use in task_status."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ketluan.analysis import _prepare, issuer_key
from ketluan.task_model import FEATURES, TaskModel, load_task_model, step_features
from ketluan.task_status import task_status

ISSUER_ID = "so-tai-nguyen-va-moi-truong/tinh-binh-phuoc"


def _items(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    """Prepared items of one issuer, one document a month of 2023 issued on the 25th: (month, category, text)."""
    return _prepare(pd.DataFrame({
        "item_id": [f"i{k}" for k in range(len(rows))], "doc_id": [f"d-{m}" for m, _, _ in rows],
        "category": [c for _, c, _ in rows], "text": [t for _, _, t in rows], "page": [k + 1 for k in range(len(rows))],
        "issuer": "SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG", "issuer_id": ISSUER_ID, "period_kind": "month",
        "period_start": [f"2023-{m}-01" for m, _, _ in rows], "period_end": [f"2023-{m}-28" for m, _, _ in rows],
        "issue_date": [f"2023-{m}-25" for m, _, _ in rows], "deadline": "",
    }))  # fmt: skip


def _matrices(is_res: list[bool], S: float = 0.5, C: float = 0.4) -> dict[str, np.ndarray]:
    k, j = 1, len(is_res)
    z = np.zeros((k, j))
    return {
        "S": z + S, "C": z + C, "is_res": np.array(is_res), "partial": z, "again": np.zeros(k), "same": z + 1,
        "loose": np.zeros(k), "to_anchor": z + 0.3, "cos_anchor": z, "sibling": z, "sent": z, "sent_anchor": z,
        "has_anchor": np.ones(k), "first": z, "docs_after": np.ones(k), "months_after": np.ones(k),
    }  # fmt: skip


def test_task_model_bundled_model_reads_its_features() -> None:
    model = load_task_model()
    assert model is not None
    assert model.features == FEATURES and len(model.coef) == len(FEATURES)
    assert 0.0 < model.threshold < 1.0
    assert model.meta["cv"]["tasks"] > 2000  # chosen by cross-validation over the tune series


def test_task_model_file_of_other_features_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "m.json"
    path.write_text(json.dumps({"features": ["similarity"], "mean": [0], "scale": [1], "coef": [1],
                                "intercept": 0, "threshold": 0.5}), encoding="utf-8")  # fmt: skip
    assert load_task_model(path) is None
    assert load_task_model(tmp_path / "absent.json") is None


def test_task_model_probability_is_logistic() -> None:
    n = len(FEATURES)
    model = TaskModel(FEATURES, np.zeros(n), np.ones(n), np.eye(n)[1], 0.0, 0.5)
    F = np.zeros((2, n))
    F[1, 1] = 2.0
    assert model.probability(F).round(3).tolist() == [0.5, 0.881]
    back = TaskModel(**{**model.to_json(), "features": FEATURES, "mean": np.zeros(n), "scale": np.ones(n),
                        "coef": np.eye(n)[1]})  # fmt: skip
    assert back.probability(F).round(3).tolist() == [0.5, 0.881]


@pytest.mark.parametrize(("is_res", "set_cols", "zero_cols"), [
    ([True], ["is_result", "res_similarity", "res_cosine"], ["lim_similarity", "lim_same_cluster", "lim_has_anchor"]),
    ([False], ["lim_similarity", "lim_cosine", "lim_same_cluster", "lim_to_anchor", "lim_has_anchor"],
     ["is_result", "res_similarity", "res_cosine"]),
])  # fmt: skip
def test_task_model_step_features_keep_roles_apart(
    is_res: list[bool], set_cols: list[str], zero_cols: list[str]
) -> None:
    F = step_features(_matrices(is_res))
    assert F.shape == (1, len(FEATURES))
    row = dict(zip(FEATURES, F[0].tolist(), strict=True))
    assert all(row[c] != 0 for c in set_cols)
    assert all(row[c] == 0 for c in zero_cols)


def test_task_model_step_features_margin_over_other_items_of_the_document() -> None:
    m = _matrices([False, False])
    m["S"] = np.array([[0.6, 0.2]])
    row = step_features(m)
    col = FEATURES.index("lim_doc_margin")
    assert row[:, col].round(3).tolist() == [0.4, -0.4]


# fmt: off
@pytest.mark.parametrize("result", [
    "Văn phòng Đăng ký đất đai đã trả kết quả xong 87 hồ sơ quá hạn.",
    unicodedata.normalize("NFD", "Văn phòng Đăng ký đất đai đã trả kết quả xong 87 hồ sơ quá hạn."),
])
# fmt: on
def test_task_status_model_reports_done_like_the_rules(result: str) -> None:
    df = _items([
        ("02", "limitation", "Còn 87 hồ sơ đăng ký đất đai giải quyết quá hạn tại các chi nhánh Văn phòng Đăng ký đất đai."),
        ("02", "task", "Giao Văn phòng Đăng ký đất đai rà soát toàn bộ hồ sơ quá hạn, trả kết quả trước ngày 15/3/2023."),
        ("03", "result", result),
    ])
    issuers = issuer_key(df).tolist()
    for model in (True, False):
        rows = task_status(df, issuers, model=model)
        assert rows[["status", "evidence_item_id"]].values.tolist() == [["done", "i2"]]


def test_task_status_model_names_the_problem_again() -> None:
    df = _items([
        ("01", "limitation", "Việc trả kết quả hồ sơ cấp đổi giấy chứng nhận quyền sử dụng đất còn trễ hẹn, tồn 54 hồ sơ."),
        ("01", "task", "Giao Văn phòng Đăng ký đất đai rà soát, trả dứt điểm các hồ sơ cấp đổi giấy chứng nhận trễ hẹn."),
        ("02", "limitation", "Hồ sơ cấp đổi, cấp lại giấy chứng nhận quyền sử dụng đất vẫn trả trễ hẹn, phát sinh thêm 31 hồ sơ."),
    ])
    rows = task_status(df, issuer_key(df).tolist(), model=True)
    assert rows[["status", "evidence_item_id"]].values.tolist() == [["repeated", "i2"]]
