"""The Banzhaf count's generating function by a product tree in FLINT, when it is installed.

The coalitions of weight ``s`` are counted by the coefficient of ``x**s`` in
``prod_c (1 + x**w_c)**m_c`` over the weight classes ``c`` (Brams & Affuso 1976; Bilbao et al.
2000). :mod:`councilsim.power.packed` multiplies in one factor ``1 + x**w`` per member, a shift
and an add of one big integer each: ``O(n q)`` slot operations for ``n`` members and quota
``q``. Here each class's factor is written out by its binomial coefficients and the factors
are multiplied pairwise, shortest first (a Huffman-shaped tree), each product truncated below
the quota, by FLINT's asymptotically fast ``fmpz_poly`` multiplication. The tree has about
``log2 k`` levels for ``k`` classes, each multiplying polynomials of total length at most
about ``q``, so the work is about ``log2 k`` products of length-``q`` polynomials of ``b``-bit
coefficients (``b`` at most ``n``), quasi-linear in ``q b``, instead of ``n q b``. (Kakimura &
Terai 2025 count Banzhaf swings in ``O(n + q log q)`` arithmetic operations with fast
polynomial arithmetic too; their algorithm is not the one implemented here.)

The result is exact and equal, slot by slot, to the packed product's. FLINT comes with the
optional ``python-flint`` package (``pip install "councilsim[fast]"``); without it, or for
games small enough that Python's own integers are faster (:data:`MIN_WORK`), the packed
product is used.
"""

from __future__ import annotations

import heapq
import math
from functools import cache
from itertools import accumulate
from typing import Any

MIN_WORK = 10**9
"""Games whose packed product would move fewer bits than this (members × quota × slot bits)
keep the packed product: measured on the reference machine for random weights 1-100, the tree
takes 1.06-1.18 times as long as the packed product at 250-300 members (up to 7e8 bits) and
0.85-0.96 times from 350 members (1.1e9 bits) on."""


SPEED = 4.5e8
"""Members × quota × log2(classes) per second of :func:`prefix_sums`, measured on the
reference machine (2 cores, python-flint 0.9) for 1,000 to 4,000 members of random weights
1-100: 5.1e8 at 1,000, 5.0e8 at 2,000, 4.7e8 at 4,000 (5.6 s)."""


COPIES = 14
"""Peak memory of :func:`prefix_sums` in tables of ``quota × bits`` bits (the product's size),
measured on the reference machine: 2,000 members of random weights 1-100, 172 MB above the
interpreter's for a 12.6 MB table; 4,000 members, 670 MB for 50 MB (FLINT's transforms hold
several times both factors)."""


def seconds(members: int, quota: int, classes: int) -> float:
    """The estimated time of :func:`prefix_sums` for ``members`` in ``classes`` weight
    classes below ``quota`` (see :data:`SPEED`)."""
    return members * quota * math.log2(max(classes, 2)) / SPEED


@cache
def _flint() -> Any:
    try:
        import flint
    except ImportError:
        return None
    return flint


def available() -> bool:
    """Whether FLINT (``python-flint``) can be imported."""
    return _flint() is not None


def worth_it(members: int, quota: int, bits: int) -> bool:
    """Whether to use the product tree for ``members`` of quota ``quota`` in slots of
    ``bits``: FLINT is installed and the work is at least :data:`MIN_WORK`."""
    return members * quota * bits >= MIN_WORK and available()


def prefix_sums(classes: list[tuple[int, int]], quota: int) -> list[int]:
    """``pre[t]``: coalitions of weight below ``t``, for ``t`` in ``0..quota``, of members in
    ``classes`` of (weight, count), every weight positive; as
    :func:`councilsim.power.packed.prefix_sums` gives them for ``max(quota, 1)`` slots."""
    flint = _flint()
    if flint is None:
        raise RuntimeError("python-flint is not installed")
    slots = max(quota, 1)
    heap: list[tuple[int, int, Any]] = []
    for i, (w, m) in enumerate(classes):
        top = min(m, (slots - 1) // w)  # the terms below the quota
        coeffs = [0] * (w * top + 1)
        for k in range(top + 1):
            coeffs[w * k] = math.comb(m, k)
        heap.append((len(coeffs), i, flint.fmpz_poly(coeffs)))
    heapq.heapify(heap)
    while len(heap) > 1:
        length_a, i, a = heapq.heappop(heap)
        length_b, _, b = heapq.heappop(heap)
        length = length_a + length_b - 1
        product = a * b
        if length > slots:
            product, length = product.truncate(slots), slots
        heapq.heappush(heap, (length, i, product))
    coeffs = [int(c) for c in heap[0][2].coeffs()] if heap else [1]
    coeffs += [0] * (slots - len(coeffs))
    return list(accumulate(coeffs, initial=0))
