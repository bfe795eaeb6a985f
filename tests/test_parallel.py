"""Per-text work spread over processes gives the values a plain map gives (`pipeline.parallel`)."""

from __future__ import annotations

import threading

import pytest

from ketluan import parallel
from ketluan.names import specific_names
from ketluan.task_status import specifics
from ketluan.topics import canonical_text, topic_of

TEXTS = [
    "Tiến độ giải ngân vốn đầu tư công tại huyện Krông Pắc còn chậm, mới đạt 32,6%.",
    "Còn 17 hộ ở thôn Lùng Thắng, Na Lốc 1 sống sát taluy dương chưa được di chuyển.",
    "UBND TP. Pleiku chưa xử lý dứt điểm vi phạm tại Phường 3.",
    "Còn 09 hồ sơ quá thời hạn quy định tại Nghị định số 15/2021/NĐ-CP.",
    "Giao Văn phòng - Thống kê xây dựng lịch trực Tết Nguyên đán Ất Tỵ trước ngày 20/01/2025.",
    "Công tác thu ngân sách nhà nước đạt 45% dự toán, thấp hơn cùng kỳ.",
] * 6


@pytest.mark.parametrize("fn", [specific_names, specifics, topic_of, canonical_text])
def test_workers_give_the_values_of_a_plain_map(fn, monkeypatch):
    monkeypatch.setattr(parallel, "cpu_count", lambda: 2)
    assert parallel.workers_for(len(TEXTS), min_size=4) == 2
    assert parallel.map_texts(fn, TEXTS, min_size=4) == [fn(t) for t in TEXTS]


def test_small_inputs_stay_in_this_process():
    assert parallel.workers_for(100) == 1
    assert parallel.map_texts(str.upper, ["giải ngân", "hồ sơ"]) == ["GIẢI NGÂN", "HỒ SƠ"]


def test_no_fork_while_another_thread_runs(monkeypatch):
    monkeypatch.setattr(parallel, "cpu_count", lambda: 2)
    stop = threading.Event()
    worker = threading.Thread(target=stop.wait)
    worker.start()
    try:
        assert parallel.workers_for(len(TEXTS), min_size=4) == 1
        assert parallel.map_texts(topic_of, TEXTS, min_size=4) == [topic_of(t) for t in TEXTS]
    finally:
        stop.set()
        worker.join()


def test_analysis_in_worker_processes_equals_the_analysis_in_one(monkeypatch):
    """The four analysis tables of six series are the same whether issuers and texts go to workers."""
    from ketluan.analysis import analyze_items, conclusion_items
    from tools.eval_series import gold_frames, manifest

    series = [s for s in manifest("all") if s["name"] in {
        "bp_stnmt_2023_h1", "qt_stnmt_2022_h2", "cl_ubnd_2021", "hg_ttr_2019_h2", "pyn_stc_2022_h1", "bkn_mttq_2021_h1"}]  # fmt: skip
    assert len(series) == 6
    docs, items = gold_frames(series)
    prepared = conclusion_items(items, docs)

    monkeypatch.setattr(parallel, "workers_for", lambda n, min_size=0: 1)
    alone = analyze_items(prepared, semantic="off")
    monkeypatch.setattr(parallel, "workers_for", lambda n, min_size=0: 2)
    spread = analyze_items(prepared, semantic="off")
    for name in ("item_clusters", "recurrence", "followups", "task_status"):
        assert alone[name].equals(spread[name]), name
    statuses = set(spread["task_status"]["status"])
    assert {"done", "repeated"} <= statuses
    assert spread["task_status"]["issuer_id"].nunique() == 6


def test_map_work_hands_the_context_to_workers_and_keeps_none_after(monkeypatch):
    monkeypatch.setattr(parallel, "cpu_count", lambda: 2)
    issuers = [
        "so-y-te/tinh-dong-nai",
        "uy-ban-nhan-dan-huyen-cam-lam/tinh-khanh-hoa",
        "thanh-tra/tinh-tay-ninh",
    ]
    context = {"so-y-te/tinh-dong-nai": "Sở Y tế", "thanh-tra/tinh-tay-ninh": "Thanh tra tỉnh"}
    spread = parallel.map_work(_label, issuers, context=context, work=40_000)
    alone = parallel.map_work(_label, issuers, context=context, work=10)
    assert spread == alone == ["Sở Y tế", "", "Thanh tra tỉnh"]
    assert parallel._SHARED is None
    assert parallel.workers_for(40_000, min_size=1) == 2  # a tiny bar divides by no zero


def _label(names: dict[str, str], issuer: str) -> str:
    return names.get(issuer, "")
