"""Tests of similarity.py's structural recurrence signals: specific names, their rarity, the matrix.

Inputs are item texts written here (limitations as Vietnamese meeting conclusions word them);
no pipeline run, no series file.
"""

from __future__ import annotations

import unicodedata

import numpy as np
import pandas as pd
import pytest

from ketluan.analysis import cluster_items
from ketluan.similarity import (
    NAME_WEIGHT,
    RECURRENCE_TOPIC_DIFFER,
    RECURRENCE_TOPIC_SAME,
    item_parts,
    name_overlap,
    recurrence_matrix,
    specific_names,
)


# fmt: off
@pytest.mark.parametrize(("text", "names"), [
    ("Tiến độ lập quy hoạch chung thị trấn Chư Sê vẫn ì ạch.", {"chư sê"}),
    ("Có 27 bệnh án ra viện chưa về phòng lưu trữ, chủ yếu của Khoa Hồi sức cấp cứu.", {"khoa hồi"}),
    ("06 dự án nhóm C của các huyện Kbang, Krông Pa phải chờ kết quả thẩm định.", {"kbang", "krông pa"}),
    ("Còn 09 hồ sơ quá thời hạn quy định tại Nghị định số 15/2021/NĐ-CP.", {"15/2021/NĐ-CP", "nghị"}),
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
    # "chư sê" in 2 of 5 items: ln(6/3) / ln(6); "pleiku" in 4 of 5: ln(6/5) / ln(6)
    assert m[0, 1] == pytest.approx(np.log(2) / np.log(6), abs=1e-6)
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


def test_similarity_recurrence_matrix_adds_the_topic_as_a_prior() -> None:
    parts = item_parts(TEXTS)
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
    parts = item_parts([t for t, _ in PLACES])
    assert parts.names is not None and parts.names[0] == parts.names[1] == frozenset({"ea súp"})
    S = recurrence_matrix(parts, np.arange(4))
    base = recurrence_matrix(
        item_parts([t.replace("Ea Súp", "ea súp") for t, _ in PLACES]), np.arange(4)
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
