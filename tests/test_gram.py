"""`gram` gives the sparse product's values when a few columns are dense (`pipeline.gram`)."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from ketluan.gram import gram
from ketluan.similarity import item_parts

LIMITATIONS = [
    "Tiến độ giải ngân vốn đầu tư công còn chậm, mới đạt 32,6% kế hoạch.",
    "Việc giải ngân vốn đầu tư công tại các dự án chuyển tiếp vẫn chậm.",
    "Còn 12 hộ chưa nhận tiền bồi thường giải phóng mặt bằng dự án đường tỉnh 827E.",
    "Hồ sơ thủ tục hành chính trễ hạn còn nhiều, chủ yếu lĩnh vực đất đai.",
    "Tỷ lệ hồ sơ giải quyết quá hạn trong lĩnh vực đất đai chưa giảm.",
    "Công tác thu ngân sách nhà nước đạt thấp so với dự toán.",
    "Một số đơn vị chưa thực hiện nghiêm chế độ báo cáo định kỳ.",
    "Đơn thư khiếu nại, tố cáo tồn đọng kéo dài chưa được giải quyết dứt điểm.",
]


def test_item_rows_give_the_sparse_products_values():
    texts = [f"{t} (đợt {k})" for k in range(6) for t in LIMITATIONS]
    X = sp.csr_matrix(item_parts(texts).text)
    assert X.shape[0] == 48
    dense_cols = np.bincount(X.indices, minlength=X.shape[1]) > 0.5 * X.shape[0]
    assert dense_cols.sum() > 10  # the word-vector block is set in every row
    expected = (X @ X.T).toarray()
    got = gram(X, X)
    assert got.shape == (48, 48)
    np.testing.assert_allclose(got, expected, atol=1e-12)
    np.testing.assert_allclose(gram(X[:40], X[10:]), (X[:40] @ X[10:].T).toarray(), atol=1e-12)
    # among the first eight, the paraphrase of the first limitation is the most similar to it
    assert int(np.argmax(got[0, 1:8])) + 1 == 1


def test_matrices_without_dense_columns_and_small_ones():
    rng = np.random.default_rng(7)
    A = sp.random(60, 500, density=0.01, random_state=rng, format="csr")
    np.testing.assert_allclose(gram(A, A), (A @ A.T).toarray(), atol=1e-12)
    small = sp.csr_matrix(np.array([[1.0, 0.0, 2.0], [0.0, 3.0, 1.0]]))
    assert gram(small, small).tolist() == [[5.0, 2.0], [2.0, 10.0]]
    empty = sp.csr_matrix((40, 5))
    assert gram(empty, sp.csr_matrix((3, 5))).shape == (40, 3)
