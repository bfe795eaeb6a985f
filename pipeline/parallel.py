"""Per-text work of a large analysis spread over the machine's cores.

An analysis reads every item text several times before it compares any two (its words, its
topic, the names and counts it gives); each read depends on the text alone. On an archive of
100,000 items that is most of the time `analyze` takes, on one core. `map_texts` spreads such a
function over worker processes forked from this one (they inherit the loaded lexicons and
models, so nothing is loaded twice) and returns the values in order, the same values as a
plain `map`. A small input stays in this process: starting workers costs more than it saves.
"""

from __future__ import annotations

import multiprocessing
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

from .config import cpu_count

T = TypeVar("T")
R = TypeVar("R")
C = TypeVar("C")

PARALLEL_MIN = 20_000  # inputs below this are mapped here (a fork and a pickle cost ~0.1 s)
CHUNKS_PER_WORKER = 8  # pieces each worker takes in turn (evens out long and short texts)
# map_work's function and context while its forked workers run (they inherit it; set only then)
_SHARED: tuple[Callable[[Any, Any], Any], Any] | None = None


def workers_for(n: int, min_size: int = PARALLEL_MIN) -> int:
    """How many processes `map_texts` uses for n inputs: 1 (this process) or the cores.

    Workers are forked, so only where fork is safe: on Linux, from a process that runs no
    other Python thread (a progress bar's monitor or a model's session could hold a lock the
    child would wait on for ever).

    Examples:
        >>> workers_for(10)
        1
    """
    if n < min_size or not sys.platform.startswith("linux") or threading.active_count() > 1:
        return 1
    return min(cpu_count(), max(1, n // max(1, min_size // 2)))


def map_texts(fn: Callable[[T], R], values: Sequence[T], *, min_size: int = PARALLEL_MIN) -> list[R]:
    """[fn(v) for v in values], computed by worker processes when there are many values.

    Args:
        fn: a module-level function (workers call it by name) of one value; pure.
        values: the inputs, in order.
        min_size: below this many values everything runs in this process.

    Returns:
        fn's values, in the order of `values`.

    Examples:
        >>> map_texts(str.upper, ["giải ngân", "hồ sơ"])
        ['GIẢI NGÂN', 'HỒ SƠ']
    """
    n_workers = workers_for(len(values), min_size)
    chunk = max(1, len(values) // (n_workers * CHUNKS_PER_WORKER))
    return _map(fn, values, n_workers, chunk)


def map_work(
    fn: Callable[[C, T], R], values: Sequence[T], *, context: C, work: int, min_size: int = PARALLEL_MIN
) -> list[R]:
    """[fn(context, v) for v in values] for a few large pieces of work (an issuer's items each).

    Workers take one value at a time (an archive's issuers differ in size); they run when the
    whole `work` (the rows the pieces hold together) reaches `min_size`. Forked workers inherit
    `context` (the arrays every piece reads), so it is never pickled; in this process it is
    passed as it is.

    Examples:
        >>> map_work(lambda unit, name: f"{name} {unit}", ["Sở Y tế", "UBND huyện Cam Lâm"], context="tỉnh", work=2)
        ['Sở Y tế tỉnh', 'UBND huyện Cam Lâm tỉnh']
    """
    n_workers = min(workers_for(work, min_size), len(values))
    if n_workers <= 1:
        return [fn(context, v) for v in values]
    global _SHARED
    _SHARED = (fn, context)
    try:
        return _map(_call_shared, values, n_workers, 1)
    finally:
        _SHARED = None


def _call_shared(value: Any) -> Any:
    """A forked worker's call of `map_work`'s function with the context it inherited."""
    assert _SHARED is not None
    fn, context = _SHARED
    return fn(context, value)


def _map(fn: Callable[[T], R], values: Sequence[T], n_workers: int, chunk: int) -> list[R]:
    """fn over values in this process (n_workers 1) or in n_workers forked processes."""
    if n_workers <= 1:
        return [fn(v) for v in values]
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=n_workers, mp_context=context) as pool:
        return list(pool.map(fn, values, chunksize=chunk))
