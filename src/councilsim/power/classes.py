"""Exact counting by seat class: visit every vector of how many seats of each class say yes.

Seats of one class (same weight, same veto) are interchangeable, so a coalition is known up to
symmetry by its count vector ``k`` (``k_c`` seats of class ``c``), which stands for
``prod_c C(n_c, k_c)`` coalitions. Whether a seat of class ``c`` is critical in a winning
coalition depends only on ``k``, so every index -- including Johnston, Deegan-Packel and the
public good index, which need the critical or minimal structure -- follows from one pass over
``prod_c (n_c + 1)`` vectors. This is how the Security Council's power has been computed since
Shapley & Shubik (1954), who counted its 11 seats as 5 + 6.
"""

from __future__ import annotations

from fractions import Fraction
from math import comb, factorial, prod

import numpy as np
from numpy.typing import NDArray

from councilsim.power.counts import PowerCounts, Types
from councilsim.rule import wins

MAX_VECTORS = 200_000
"""Class enumeration is used when the game has at most this many count vectors."""


def vector_count(types: Types) -> int:
    """How many count vectors class enumeration visits."""
    return prod(m + 1 for m in types.count)


def class_counts(types: Types, quota: int) -> PowerCounts:
    """Count every index by enumerating count vectors (see the module docstring).

    A count vector wins by :func:`councilsim.rule.wins`, the veto holders it leaves out
    blocking; a seat of class ``c`` is critical where the vector wins and loses without it.
    """
    k = np.indices([m + 1 for m in types.count]).reshape(len(types.count), -1).T
    weight = k @ np.array(types.weight, dtype=np.int64)
    outside = types.holders - k @ np.array(types.veto, dtype=np.int64)
    size = k.sum(axis=1)
    threshold = types.veto_threshold
    win = wins(weight, outside, quota, threshold)
    loses_without = ~wins(
        weight[:, None] - np.array(types.weight, dtype=np.int64),
        outside[:, None] + np.array(types.veto, dtype=np.int64),
        quota,
        threshold,
    )
    critical = win[:, None] & (k >= 1) & loses_without
    ncrit = (critical * k).sum(axis=1)
    minimal = win & (critical | (k == 0)).all(axis=1)
    mult = _multiplicity(k, types.count)
    n = int(sum(types.count))
    ss_weight = np.array(
        [0] + [factorial(s - 1) * factorial(n - s) for s in range(1, n + 1)], dtype=object
    )
    swings, shapley, minimal_with, minimal_share, johnston = [], [], [], [], []
    for c, m in enumerate(types.count):
        share = mult * k[:, c] // m  # coalitions that contain one given seat of class c
        crit = critical[:, c]
        swings.append(int(share[crit].sum()))
        shapley.append(int((share[crit] * ss_weight[size[crit]]).sum()))
        minimal_with.append(int(share[minimal].sum()))
        minimal_share.append(_harmonic(share[minimal], size[minimal]))
        johnston.append(_harmonic(share[crit], ncrit[crit]))
    return PowerCounts(
        n=n,
        member_type=list(types.member_type),
        winning=int(mult[win].sum()),
        swings=swings,
        shapley=shapley,
        minimal=int(mult[minimal].sum()),
        minimal_with=minimal_with,
        minimal_share=minimal_share,
        johnston=johnston,
    )


def _multiplicity(k: NDArray[np.intp], counts: tuple[int, ...]) -> NDArray[np.object_]:
    """How many coalitions each count vector stands for, as exact Python integers."""
    mult = np.ones(k.shape[0], dtype=object)
    for c, m in enumerate(counts):
        binom = np.array([comb(m, j) for j in range(m + 1)], dtype=object)
        mult = mult * binom[k[:, c]]
    return mult


def _harmonic(numerators: NDArray[np.object_], denominators: NDArray[np.intp]) -> Fraction:
    """``sum(numerators / denominators)`` exactly, grouping equal denominators."""
    total = Fraction(0)
    for d in set(denominators.tolist()):  # not np.unique, which loads numpy.ma
        total += Fraction(int(numerators[denominators == d].sum()), d)
    return total
