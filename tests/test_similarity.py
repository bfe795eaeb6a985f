"""Tests of similarity.py's structural recurrence signals: specific names, their rarity, the matrix.

Inputs are item texts written here (limitations as Vietnamese meeting conclusions word them);
no pipeline run, no series file.
"""

from __future__ import annotations

import dataclasses
import unicodedata

import numpy as np
import pandas as pd
import pytest

from ketluan.analysis import cluster_items
from ketluan.names import name_overlap, specific_names
from ketluan.similarity import (
    NAME_WEIGHT,
    RECURRENCE_TOPIC_DIFFER,
    RECURRENCE_TOPIC_SAME,
    THRESHOLD_REFERENCE,
    THRESHOLD_SHIFT_MAX,
    THRESHOLD_SLOPE,
    ItemParts,
    RecurrenceSimilarity,
    issuer_threshold,
    item_parts,
    recurrence_matrix,
    tokenize,
)
from ketluan.topics import canonical_text


# fmt: off
@pytest.mark.parametrize(("text", "names"), [
    ("Tiến độ lập quy hoạch chung thị trấn Chư Sê vẫn ì ạch.", {"chư sê"}),
    # the noun that introduces a name is not part of it, in either case
    ("Có 27 bệnh án ra viện chưa về phòng lưu trữ, chủ yếu của Khoa Hồi sức cấp cứu.", {"hồi"}),
    ("Tình trạng quá tải tái diễn ở khoa Hồi sức cấp cứu.", {"hồi"}),
    ("06 dự án nhóm C của các huyện Kbang, Krông Pa phải chờ kết quả thẩm định.", {"kbang", "krông pa"}),
    ("Còn 09 hồ sơ quá thời hạn quy định tại Nghị định số 15/2021/NĐ-CP.", {"15/2021/NĐ-CP"}),
    # abbreviations of bodies and units, and their dot (no sentence end)
    ("UBND TP. Pleiku chưa xử lý dứt điểm 12 trường hợp lấn chiếm vỉa hè.", {"pleiku"}),
    ("Hồ sơ gửi về Sở còn thiếu ý kiến của UBND cấp xã.", set()),
    ("Ủy ban nhân dân Thành phố Hồ Chí Minh chưa ban hành kế hoạch.", {"hồ chí minh"}),
    ("Sở Tài chính chưa công bố giá vật liệu xây dựng tại Tp. Buôn Ma Thuột.", {"tài", "buôn ma thuột"}),
    # a unit noun before a number names the unit with it; a feature noun too
    ("Nước thải tiếp tục gây ô nhiễm kênh thoát nước khu phố 5 và Phường 3.", {"khu phố 5", "phường 3"}),
    ("Hành lang Quốc lộ 14 đoạn qua thị xã Ayun Pa còn bị lấn chiếm.", {"quốc lộ 14", "ayun pa"}),
    ("Dự án đường Trường Chinh qua Thành phố Hải Phòng chậm GPMB.", {"trường chinh", "hải phòng", "gpmb"}),
    ("Kết quả giải ngân mới đạt 5% kế hoạch. Nhiều công trình chưa khởi công.", set()),
    ("Báo cáo quý II/2024 chưa tổng hợp được, đô thị loại IV chưa được công nhận.", set()),
    ("Việc cấp giấy phép còn chậm. Sở chưa trả kết quả đúng hẹn.", set()),  # sentence starts
    (unicodedata.normalize("NFD", "Đồ án điều chỉnh quy hoạch đô thị Ea Súp chậm tiến độ."), {"ea súp"}),
    ("Dự án nhà ở xã hội tại phường Thắng\nLợi chưa khởi công.", {"thắng lợi"}),  # a wrapped line
    ("Tỷ lệ giải ngân vốn đầu tư công mới đạt 31% kế hoạch.", set()),
])
# fmt: on
def test_similarity_specific_names(text: str, names: set[str]) -> None:
    assert set(specific_names(text)) == names


def test_similarity_name_overlap_weighs_rare_names() -> None:
    names = [frozenset({"chư sê", "pleiku"}), frozenset({"chư sê", "pleiku"}), frozenset({"pleiku"}),
             frozenset({"pleiku"}), frozenset({"krông pa"})]  # fmt: skip
    m = name_overlap(names)
    # "chư sê" in 2 of 5 items: ln(6/3) / ln(6); "pleiku" in 4 of 5: ln(6/5) / ln(6); both: the sum
    assert m[0, 1] == pytest.approx((np.log(2) + np.log(6 / 5)) / np.log(6), abs=1e-6)
    assert m[2, 3] == pytest.approx(np.log(6 / 5) / np.log(6), abs=1e-6)
    assert m[0, 4] == 0.0 and m[4, 4] == 0.0 and (m == m.T).all()
    everywhere = name_overlap([frozenset({"pleiku"})] * 3)  # the province's capital in every item
    assert not everywhere.any()


TEXTS = [
    "Một số phòng gửi báo cáo định kỳ không đúng hạn.",  # che-do-bao-cao
    "Số liệu báo cáo thống kê của các xã còn sai lệch.",  # che-do-bao-cao
    "Tỷ lệ giải ngân vốn đầu tư công mới đạt 31%.",  # giai-ngan-von-dau-tu-cong
    "Hệ thống đèn chiếu sáng đô thị nhiều tuyến hư hỏng chưa được sửa chữa.",  # no topic
]


def wording(parts: ItemParts) -> ItemParts:
    """The parts without the sentence model (`ItemParts.texts`): wording, topic and names alone."""
    return dataclasses.replace(parts, texts=None)


def test_similarity_recurrence_matrix_adds_the_topic_as_a_prior() -> None:
    parts = dataclasses.replace(wording(item_parts(TEXTS)), facets=None)  # late vs wrong: no facet penalty
    assert parts.topics[:3] == ["che-do-bao-cao", "che-do-bao-cao", "giai-ngan-von-dau-tu-cong"]
    assert parts.topics[3] == "" and parts.text is not None
    text = (parts.text @ parts.text.T).toarray()
    S = recurrence_matrix(parts, np.arange(4))
    assert S[0, 1] == pytest.approx(text[0, 1] + RECURRENCE_TOPIC_SAME, abs=1e-5)
    assert S[0, 2] == pytest.approx(text[0, 2] - RECURRENCE_TOPIC_DIFFER, abs=1e-5)
    assert S[0, 3] == pytest.approx(text[0, 3], abs=1e-5)  # one side without a topic: wording only
    # the old gate gave one topic at least 0.5 whatever the wording; the prior only tips a pair
    combined = (parts.combined @ parts.combined.T).toarray()
    assert combined[0, 1] >= 0.5 > S[0, 1]


PLACES = [
    ("Đồ án quy hoạch chung đô thị Ea Súp chậm tiến độ, đơn vị tư vấn chưa nộp hồ sơ.", "t1"),
    ("Sau hội nghị góp ý, đồ án Ea Súp vẫn chưa được chỉnh sửa để trình thẩm định.", "t2"),
    ("Tình trạng lấn chiếm vỉa hè, lòng đường để kinh doanh còn diễn ra.", "t1"),
    ("Còn 05 công trình xây dựng không phép tại phường Tân Lợi chưa bị cưỡng chế.", "t2"),
]


def test_similarity_recurrence_matrix_adds_shared_names() -> None:
    parts = wording(item_parts([t for t, _ in PLACES]))
    assert parts.names is not None and parts.names[0] == parts.names[1] == frozenset({"ea súp"})
    S = recurrence_matrix(parts, np.arange(4))
    base = recurrence_matrix(
        wording(item_parts([t.replace("Ea Súp", "ea súp") for t, _ in PLACES])), np.arange(4)
    )  # the same words, no capitals: no name
    # "ea súp" in 2 of 4 items: NAME_WEIGHT x ln(5/3) / ln(5) more
    assert S[0, 1] - base[0, 1] == pytest.approx(NAME_WEIGHT * np.log(5 / 3) / np.log(5), abs=1e-4)
    assert S[2, 3] == pytest.approx(base[2, 3], abs=1e-5)


def test_similarity_cluster_items_links_on_recurrence_matrix() -> None:
    items = pd.DataFrame({
        "item_id": ["a", "b", "c", "d"], "doc_id": [d for _, d in PLACES], "category": "limitation",
        "issuer": "SỞ XÂY DỰNG", "text": [t for t, _ in PLACES],
    })  # fmt: skip
    by = dict(zip(*cluster_items(items, threshold=0.22)[["item_id", "cluster_id"]].T.values, strict=True))
    assert by["a"] == by["b"] and len({by["a"], by["c"], by["d"]}) == 3
    single = cluster_items(items, threshold=0.22, linkage="single")
    assert single["cluster_id"].nunique() == 3


BLOCK_TEXTS = [
    ("Đồ án quy hoạch chung đô thị Ea Súp chậm tiến độ, đơn vị tư vấn chưa nộp hồ sơ.", "t1"),
    ("Sau hội nghị góp ý, đồ án Ea Súp vẫn chưa được chỉnh sửa để trình thẩm định.", "t2"),
    ("Đồ án Ea Súp đến nay chưa trình thẩm định do tư vấn chậm chỉnh sửa.", "t3"),
    ("Một số phòng gửi báo cáo định kỳ không đúng hạn.", "t1"),
    ("Báo cáo định kỳ của một số phòng vẫn gửi chậm so với quy định.", "t2"),
    ("Số liệu báo cáo thống kê của các xã còn sai lệch.", "t3"),
    ("Tỷ lệ giải ngân vốn đầu tư công mới đạt 31%.", "t2"),
    ("Giải ngân vốn đầu tư công còn chậm, mới đạt 45% kế hoạch.", "t3"),
    ("Còn 05 công trình xây dựng không phép tại Phường 3 chưa bị cưỡng chế.", "t1"),
    ("05 công trình không phép ở Phường 3 vẫn chưa bị cưỡng chế tháo dỡ.", "t3"),
]


def test_similarity_blocks_give_the_dense_matrix() -> None:
    parts = item_parts([t for t, _ in BLOCK_TEXTS])
    rows = np.arange(len(BLOCK_TEXTS))
    sim = RecurrenceSimilarity(parts, rows)
    dense = recurrence_matrix(parts, rows)
    assert np.array_equal(np.vstack([sim.block(lo, min(lo + 3, 10)) for lo in range(0, 10, 3)]), dense)
    edges = sim.edges(0.22, block=4)
    first, second = np.nonzero(np.triu(dense >= 0.22, k=1))
    assert [(i, j) for _, i, j in edges] == sorted(zip(first.tolist(), second.tolist(), strict=True))
    # "phường 3" (a unit named by a number) is a shared name: the two rewordings gain from it
    assert parts.names is not None and "phường 3" in parts.names[8] & parts.names[9]
    # exact cluster sums: the mean of two clusters from `total` and `dot` is that of the matrix
    a, b = sim.total(0) + sim.total(1), sim.total(2)
    assert sim.dot(a, b) == pytest.approx(float(dense[0, 2] + dense[1, 2]), abs=1e-5)


@pytest.mark.parametrize("linkage", ["average", "single"])
def test_similarity_cluster_items_same_clusters_beyond_the_dense_size(
    linkage: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ketluan import analysis

    items = pd.DataFrame({
        "item_id": [f"i{k}" for k in range(len(BLOCK_TEXTS))], "doc_id": [d for _, d in BLOCK_TEXTS],
        "category": "limitation", "issuer": "UBND HUYỆN EA SÚP", "text": [t for t, _ in BLOCK_TEXTS],
    })  # fmt: skip
    dense = cluster_items(items, threshold=0.22, linkage=linkage)
    monkeypatch.setattr(analysis, "DENSE_MAX", 3)  # every issuer is "large": block by block
    blocked = cluster_items(items, threshold=0.22, linkage=linkage)
    pd.testing.assert_frame_equal(dense, blocked)
    by = dict(zip(dense["item_id"], dense["cluster_id"], strict=True))
    assert by["i0"] == by["i1"] == by["i2"] and by["i8"] == by["i9"] and by["i0"] != by["i8"]


@pytest.mark.parametrize("docs", [
    ["t1", "t2", "t3", "t1", "t2", "t3", "t2", "t3", "t1", "t3"],  # as written
    ["t1", "t1", "t1", "t2", "t2", "t2", "t3", "t3", "t4", "t4"],
    [f"t{k}" for k in range(10)],  # every item its own document: every pair counts
])
def test_similarity_cross_mean_is_the_mean_of_the_matrix_across_documents(docs: list[str]) -> None:
    parts = item_parts([t for t, _ in BLOCK_TEXTS])
    sim = RecurrenceSimilarity(parts, np.arange(len(BLOCK_TEXTS)))
    dense = recurrence_matrix(parts, np.arange(len(BLOCK_TEXTS))).astype(np.float64)
    d = np.array(docs)
    assert sim.cross_mean(docs) == pytest.approx(float(dense[d[:, None] != d[None, :]].mean()), abs=1e-6)
    assert sim.cross_mean(["t1"] * len(BLOCK_TEXTS)) == 0.0  # one document: no pair


@pytest.mark.parametrize("docs", [
    ["t1", "t2", "t3", "t1", "t2", "t3", "t2", "t3", "t1", "t3"],
    [f"t{k}" for k in range(10)],
])
def test_similarity_cross_mean_parts_text_and_lift(docs: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from ketluan import alignment

    # the clause alignment is part of "all" only (its mean over pairs is 0); these parts are about topics
    monkeypatch.setattr(alignment, "CLAUSE_WEIGHT", 0.0)
    parts = item_parts([t for t, _ in BLOCK_TEXTS])
    rows = np.arange(len(BLOCK_TEXTS))
    text_only = dataclasses.replace(parts, topics=[""] * len(BLOCK_TEXTS), names=None, facets=None)
    untopiced = dataclasses.replace(parts, topics=[""] * len(BLOCK_TEXTS))
    sim = RecurrenceSimilarity(parts, rows)
    # "text": the text cosine alone, whatever the taxonomy and the names say
    assert sim.cross_mean(docs, "text") == pytest.approx(RecurrenceSimilarity(text_only, rows).cross_mean(docs))
    # "lift": no penalty for topics that differ, so never below the mean with no topic known
    lift = sim.cross_mean(docs, "lift")
    assert lift >= RecurrenceSimilarity(untopiced, rows).cross_mean(docs) - 1e-9
    assert lift >= sim.cross_mean(docs) - 1e-9
    with pytest.raises(ValueError, match="part"):
        sim.cross_mean(docs, "topic")


# fmt: off
@pytest.mark.parametrize(("cross_mean", "expected"), [
    (THRESHOLD_REFERENCE, 0.22),  # a series like the tune series: the archive's threshold
    (THRESHOLD_REFERENCE + 0.04, 0.22 + THRESHOLD_SLOPE * 0.04),  # one field's words in every item
    (THRESHOLD_REFERENCE - 0.04, 0.22 - THRESHOLD_SLOPE * 0.04),  # terse items worded apart
    (0.9, 0.22 + THRESHOLD_SHIFT_MAX),  # never more than the cap either way
    (-0.9, 0.22 - THRESHOLD_SHIFT_MAX),
])
# fmt: on
def test_similarity_issuer_threshold_moves_with_the_mean(cross_mean: float, expected: float) -> None:
    assert issuer_threshold(0.22, cross_mean) == pytest.approx(expected)


def test_similarity_cluster_items_threshold_adapts_to_the_issuer(monkeypatch: pytest.MonkeyPatch) -> None:
    from ketluan import similarity

    items = pd.DataFrame({
        "item_id": [f"i{k}" for k in range(len(BLOCK_TEXTS))], "doc_id": [d for _, d in BLOCK_TEXTS],
        "category": "limitation", "issuer": "UBND HUYỆN EA SÚP", "text": [t for t, _ in BLOCK_TEXTS],
    })  # fmt: skip
    fixed = cluster_items(items, threshold=0.22, adapt_threshold=False)
    monkeypatch.setattr(similarity, "THRESHOLD_SLOPE", 0.0)  # no slope: the archive's threshold
    pd.testing.assert_frame_equal(cluster_items(items, threshold=0.22), fixed)
    monkeypatch.setattr(similarity, "THRESHOLD_SLOPE", 1.0)
    monkeypatch.setattr(similarity, "THRESHOLD_REFERENCE", 1.0)  # far below: the lowest bar
    low = cluster_items(items, threshold=0.22)
    assert low["cluster_id"].nunique() <= fixed["cluster_id"].nunique()


# fmt: off
@pytest.mark.parametrize(("text", "expected"), [
    ("Thứ nhất, tình trạng nợ đóng BHXH vẫn ở mức cao.", "tình trạng nợ đóng bhxh vẫn ở mức cao."),
    ("Thứ tư: nhiều doanh nghiệp không kê khai đủ số lao động", "nhiều doanh nghiệp không kê khai đủ số lao động"),
    ("Một là, việc cấp lại thẻ BHYT còn chậm", "việc cấp lại thẻ bhyt còn chậm"),
    (unicodedata.normalize("NFD", "Thứ hai, hồ sơ trễ hẹn"), "hồ sơ chậm"),
    ("còn những hạn chế: thứ ba, chi vượt dự toán", "còn những hạn chế: chi vượt dự toán"),
    ("Lần thứ hai tổ chức hội nghị", "lần thứ hai tổ chức hội nghị"),  # no comma: not a lead-in
])
# fmt: on
def test_similarity_canonical_text_drops_enumeration_lead_ins(text: str, expected: str) -> None:
    assert canonical_text(text) == expected


def test_similarity_enumeration_lead_in_shares_no_word() -> None:
    first = tokenize("Thứ nhất, số tiền chậm đóng BHXH chưa giảm.")
    second = tokenize("Thứ nhất, thẻ BHYT của người cận nghèo ghi sai thông tin.")
    assert "thứ" not in first and "nhất" not in first
    assert set(first) & set(second) == set()


FACET_TEXTS = [
    ("Công tác số hóa sổ hộ tịch triển khai chậm, mới chuyển đổi được 38% dữ liệu hộ tịch giấy.", "t7"),
    ("Phát hiện 27 trường hợp đăng ký khai sinh ghi sai ngày sinh, quê quán trong sổ hộ tịch.", "t8"),
    ("Việc số hóa sổ hộ tịch chưa đạt chỉ tiêu, đến hết quý III mới đạt 52%.", "t9"),
]


def test_similarity_facet_penalty_parts_two_failures_of_one_field(monkeypatch: pytest.MonkeyPatch) -> None:
    from ketluan import similarity

    monkeypatch.setattr(similarity, "FACET_WEIGHT", 0.1)  # off by default since stop 19: pinned on here
    parts = wording(item_parts([t for t, _ in FACET_TEXTS]))
    assert parts.facets == [frozenset({"delay"}), frozenset({"error"}), frozenset({"shortfall"})]
    rows = np.arange(3)
    S = recurrence_matrix(parts, rows)
    off = recurrence_matrix(dataclasses.replace(parts, facets=None), rows)
    # late vs written wrong: FACET_WEIGHT less; late vs short of the target: unchanged
    assert off[0, 1] - S[0, 1] == pytest.approx(similarity.FACET_WEIGHT, abs=1e-5)
    assert off[1, 2] - S[1, 2] == pytest.approx(similarity.FACET_WEIGHT, abs=1e-5)
    assert S[0, 2] == pytest.approx(off[0, 2], abs=1e-6)
    # exact sums and means with the penalty too (blocked linkage, the issuer's threshold)
    sim = RecurrenceSimilarity(parts, rows)
    assert sim.dot(sim.total(0) + sim.total(2), sim.total(1)) == pytest.approx(float(S[0, 1] + S[2, 1]), abs=1e-5)
    docs = [d for _, d in FACET_TEXTS]
    assert sim.cross_mean(docs) == pytest.approx(float(S[~np.eye(3, dtype=bool)].mean()), abs=1e-6)
    assert sim.cross_mean(docs, "lift") == pytest.approx(RecurrenceSimilarity(
        dataclasses.replace(parts, facets=None), rows).cross_mean(docs, "lift"), abs=1e-6)  # fmt: skip
    monkeypatch.setattr(similarity, "FACET_WEIGHT", 0.0)  # switched off: no facets read
    assert item_parts([t for t, _ in FACET_TEXTS]).facets is None


def test_similarity_item_parts_facet_mask_reads_only_the_clustered_items(monkeypatch: pytest.MonkeyPatch) -> None:
    from ketluan import similarity

    monkeypatch.setattr(similarity, "FACET_WEIGHT", 0.1)
    texts = [t for t, _ in FACET_TEXTS]
    parts = item_parts(texts, semantic_mode="off", facet_mask=[True, False, True])
    assert parts.facets == [frozenset({"delay"}), frozenset(), frozenset({"shortfall"})]
