"""Products of item rows (A @ B.T) where a few columns are dense.

An item's row holds sparse word and syllable weights and a short dense block (the word-vector
mean, `embeddings.item_vectors`: every row has all of it). A sparse product spends most of its
time on those few columns, since every pair of rows shares all of them. `gram` multiplies the
dense columns as dense arrays (BLAS) and the rest as sparse rows: the same values, a third of the
time on an issuer's ~700 rows.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

DENSE_SHARE = 0.5  # a column set in more than this share of A's rows is multiplied densely
MIN_ROWS = 32  # smaller products are plain sparse ones


def gram(A: sp.spmatrix, B: sp.spmatrix) -> np.ndarray:
    """A @ B.T as a dense float64 array, dense columns multiplied densely.

    Examples:
        >>> A = sp.csr_matrix(np.array([[1.0, 0.0, 2.0], [0.0, 3.0, 1.0]]))
        >>> gram(A, A).tolist()
        [[5.0, 2.0], [2.0, 10.0]]
    """
    A, B = sp.csr_matrix(A), sp.csr_matrix(B)
    if A.shape[0] < MIN_ROWS or A.nnz == 0 or B.nnz == 0:
        return np.asarray((A @ B.T).toarray(), dtype=np.float64)
    counts = np.bincount(A.indices, minlength=A.shape[1])
    dense = counts > DENSE_SHARE * A.shape[0]
    if not dense.any():
        return np.asarray((A @ B.T).toarray(), dtype=np.float64)
    dense_cols, sparse_cols = np.flatnonzero(dense), np.flatnonzero(~dense)
    Ac, Bc = A.tocsc(), B.tocsc()
    out = Ac[:, dense_cols].toarray() @ Bc[:, dense_cols].toarray().T
    As, Bs = Ac[:, sparse_cols].tocsr(), Bc[:, sparse_cols].tocsr()
    out += (As @ Bs.T).toarray()
    return np.asarray(out, dtype=np.float64)
