"""The winners of a draw by exponential keys: the smallest keys of every replication.

The election engine draws the winners of a contest as the states with the smallest keys
``E / w`` (:mod:`councilsim.elections.engine`). Its keys are laid out one row per state of the
group and one column per replication, so that finding the smallest key of every replication
is a handful of passes along the rows, each vectorised across all replications, instead of one
short search per replication. :func:`smallest` returns exactly the winners, and in the order,
that ``numpy.argmin`` (one seat) or ``numpy.argpartition`` (several seats) would give for the
same keys laid out one row per replication: a seeded run does not depend on the layout.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = ["first_minimum", "smallest"]


def first_minimum(
    keys: NDArray[np.float32],
    low: NDArray[np.float32],
    ties: bool = True,
    scratch: NDArray[np.uint8] | None = None,
) -> tuple[NDArray[np.intp], NDArray[np.bool_] | None]:
    """For each column of ``keys`` (states x replications), the first row whose key equals
    ``low`` (the column's minimum), and (if ``ties``) whether another row ties with it.

    ``scratch``, if given, is a buffer of at least twice ``keys.size`` bytes to work in.
    """
    rows, reps = keys.shape
    small = np.min_scalar_type(rows)
    if scratch is None or small != np.uint8 or scratch.size < 2 * keys.size:
        scratch = np.empty(2 * keys.size * small.itemsize, dtype=np.uint8)
    equal = np.equal(keys, low, out=scratch[: keys.size].view(bool).reshape(rows, reps))
    # the first equal row has the largest of the descending weights rows, rows - 1, ..., 1
    weights = np.arange(rows, 0, -1, dtype=small)[:, None]
    product = scratch[keys.size * small.itemsize :][: keys.size * small.itemsize]
    marked = np.multiply(equal, weights, out=product.view(small).reshape(rows, reps))
    first = rows - marked.max(axis=0).astype(np.intp)
    if not ties:
        return first, None
    return first, np.add.reduce(equal.view(np.uint8), axis=0, dtype=small) > 1


def smallest(
    keys: NDArray[np.float32], k: int, scratch: NDArray[np.uint8] | None = None
) -> tuple[NDArray[np.intp], bool]:
    """The ``k`` smallest keys of each column of ``keys`` (states x replications).

    Returns their rows, shape ``(replications, k)``, exactly as
    ``numpy.argmin(keys.T, axis=1)`` (``k = 1``) or
    ``numpy.argpartition(keys.T, k - 1, axis=1)[:, :k]`` (``k > 1``) give them, and whether
    some replication has fewer than ``k`` finite keys (an infinite key among its winners).
    ``keys`` must be C-contiguous; it is left as it was. ``scratch`` (optional): a buffer of at
    least ``2 * keys.size`` bytes to work in instead of fresh arrays.

    For two seats the minimum is found twice, the first winner's key set aside in between:
    where the three smallest keys of a replication are all different, ``argpartition`` can
    only give them in that order; the other replications are passed to it. Three seats or
    more are left to ``argpartition`` itself.
    """
    if not keys.flags.c_contiguous:
        raise ValueError("keys must be C-contiguous")
    rows, reps = keys.shape
    if rows < k:
        return np.zeros((reps, k), dtype=np.intp), True
    if k > 2:
        won = np.argpartition(keys.T, k - 1, axis=1)[:, :k]
        worst = np.take_along_axis(keys.T, won, axis=1)
        return np.asarray(won, dtype=np.intp), bool(np.isinf(worst).any())
    low = keys.min(axis=0)
    first, tied = first_minimum(keys, low, k > 1, scratch)
    if k == 1:
        return first[:, None], bool(np.isinf(low).any())
    assert tied is not None
    flat = keys.reshape(-1)
    cells = first * reps + np.arange(reps)
    flat[cells] = np.inf
    second_low = keys.min(axis=0)
    second, tied_second = first_minimum(keys, second_low, True, scratch)
    flat[cells] = low
    won = np.stack([first, second], axis=1)
    assert tied_second is not None
    tied |= tied_second
    if tied.any():
        again = np.flatnonzero(tied)
        won[again] = np.argpartition(keys[:, again].T, 1, axis=1)[:, :2]
    return won, bool(np.isinf(second_low).any())
