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
from typing import TypeVar

from .config import cpu_count

T = TypeVar("T")
R = TypeVar("R")

PARALLEL_MIN = 20_000  # inputs below this are mapped here (a fork and a pickle cost ~0.1 s)
CHUNKS_PER_WORKER = 8  # pieces each worker takes in turn (evens out long and short texts)


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
    return min(cpu_count(), max(1, n // (min_size // 2)))


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
    fn: Callable[[T], R], values: Sequence[T], *, work: int, min_size: int = PARALLEL_MIN
) -> list[R]:
    """[fn(v) for v in values] for a few large pieces of work (an issuer's items each), in processes.

    Workers take one value at a time (an archive's issuers differ in size); they run when the
    whole `work` (the rows the pieces hold together) reaches `min_size`. `fn` may read state
    its module set before the call: forked workers inherit it.

    Examples:
        >>> map_work(len, ["Sở Y tế", "UBND huyện Cam Lâm"], work=2)
        [7, 18]
    """
    n_workers = workers_for(work, min_size) if len(values) > 1 else 1
    return _map(fn, values, min(n_workers, len(values)), 1)


def _map(fn: Callable[[T], R], values: Sequence[T], n_workers: int, chunk: int) -> list[R]:
    """fn over values in this process (n_workers 1) or in n_workers forked processes."""
    if n_workers <= 1:
        return [fn(v) for v in values]
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=n_workers, mp_context=context) as pool:
        return list(pool.map(fn, values, chunksize=chunk))
