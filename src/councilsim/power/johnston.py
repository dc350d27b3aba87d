"""Johnston's index of large weighted games by generating functions.

Johnston (1978) gives each winning coalition ``S`` with critical members ``C(S)`` one unit,
shared equally among them; the raw value of member ``i`` is the sum of ``1/|C(S)|`` over the
winning ``S`` in which ``i`` is critical. In a weighted game without vetoes a member of ``S`` is
critical iff its weight exceeds the excess ``e = w(S) - q``, so for a fixed excess the critical
members are exactly the *heavy* members of ``S``, those of weight above ``e``. Counting
coalitions of weight ``q + e`` by their number of heavy members is a generating function in
two variables,

    ``F_e(x, y) = prod_{w_j > e} (1 + y x**w_j) * prod_{w_j <= e} (1 + x**w_j)``,

and the raw value of a member of weight ``w > e`` is, summed over ``e < w``,
``sum_k [y**(k-1) x**(q+e-w)] (F_e / (1 + y x**w)) / k``. ``F_e`` changes only when ``e``
crosses a weight: the classes are moved from light to heavy in descending weight, each member
by one exact division by ``1 + x**w`` (a power series with constant term 1, so the truncated
quotient is exact) and one multiplication by ``1 + y x**w``. The polynomials are packed into
single integers as in :mod:`councilsim.power.packed` (Kronecker substitution; slot ``k`` of a
weight counts coalitions with ``k`` heavy members). The division of one member's factor out of
``F_e`` is the alternating sum of Bilbao et al. (2000).

This follows the generating-function approach to power indices of weighted games of Bilbao,
Fernandez, Jimenez Losada & Lopez (2000), *Discrete Applied Mathematics* 101:1 and its
treatment of the Johnston index by Kurz (2016), "Computing the power distribution in the IMF",
arXiv:1603.01443 (pseudo-polynomial in the quota, not enumeration of count vectors).
"""

from __future__ import annotations

from fractions import Fraction
from math import lcm

from councilsim.power.counts import Game
from councilsim.power.packed import Packing, max_size_below, multiply, packing


def johnston_layout(game: Game) -> Packing:
    """The packed layout :func:`johnston_counts` uses: weights below ``q + w_max``, slots for
    every number of heavy members a coalition that light can have."""
    weights = game.ascending()
    top = game.quota + max(weights, default=0)
    sizes = max_size_below(weights, top) + 1
    return Packing(max(top, 1), sizes, packing(game.plain_members, top).bits, sized=True)


def johnston_work(game: Game) -> tuple[int, int]:
    """Estimated bits moved and bytes of the packed table of :func:`johnston_counts`."""
    layout = johnston_layout(game)
    table = layout.slots * layout.weight_bits
    return 3 * game.plain_members * table, table // 8


def johnston_counts(game: Game) -> list[Fraction]:
    """Per type, the raw Johnston value of one member: the sum of ``1/|C(S)|`` over winning
    coalitions ``S`` in which it is critical. For games without veto holders."""
    if game.vetoes:
        raise ValueError("the generating function for Johnston values has no vetoes")
    q, layout = game.quota, johnston_layout(game)
    step, bits = layout.weight_bits // 8, layout.bits
    light = Packing(layout.slots, layout.per_weight, bits)  # shifts by weight only
    poly = multiply(1, game.ascending(), light)
    mask = (1 << (layout.slots * layout.weight_bits)) - 1
    scale = lcm(*range(1, layout.per_weight + 1))
    raw = [0] * len(game.types.count)
    classes = game.plain  # descending weight
    for m, (v, c, _) in enumerate(classes):
        for _ in range(c):
            poly = _divide(poly, v, layout)
            poly += poly << layout.shift(v)
            poly &= mask
        low = classes[m + 1][0] if m + 1 < len(classes) else 0
        data = poly.to_bytes(layout.slots * step, "little")
        for w, _, t in classes[: m + 1]:
            for e in range(low, v):
                point = q + e - w
                if point >= 0:
                    counts = _deflated_point(data, point, w, step, bits)
                    raw[t] += _shares(counts, layout, scale)
    return [Fraction(r << game.nulls, scale) for r in raw]


def _divide(poly: int, weight: int, layout: Packing) -> int:
    """``poly / (1 + x**weight)`` as a power series truncated like ``poly``: block by block,
    ``Q_j = P_j - Q_(j-1)`` over blocks of ``weight`` weights (slot by slot non-negative, so
    the packed subtraction never borrows across slots)."""
    step = layout.weight_bits // 8
    block = weight * step
    total = layout.slots * step
    data = poly.to_bytes(total, "little")
    parts, prev = [], 0
    for start in range(0, total, block):
        size = min(block, total - start)
        here = int.from_bytes(data[start : start + size], "little")
        if size < block:
            prev &= (1 << (8 * size)) - 1
        prev = here - prev
        parts.append(prev.to_bytes(size, "little"))
    return int.from_bytes(b"".join(parts), "little")


def _deflated_point(data: bytes, point: int, weight: int, step: int, bits: int) -> int:
    """The coefficient at weight ``point`` of the polynomial in ``data`` divided by
    ``1 + y x**weight`` (one heavy member of that weight taken out), packed over size:
    ``sum_j (-1)**j y**j [x**(point - j*weight)]``, by Horner's scheme from the last term."""
    acc = 0
    for j in range(point // weight, -1, -1):
        s = point - j * weight
        acc = int.from_bytes(data[s * step : (s + 1) * step], "little") - (acc << bits)
    return acc


def _shares(counts: int, layout: Packing, scale: int) -> int:
    """``scale * sum_k c_k / (k + 1)`` for ``c_k`` coalitions with ``k`` other heavy members."""
    if counts == 0:
        return 0
    step = layout.bits // 8
    data = counts.to_bytes(layout.per_weight * step, "little")
    total = 0
    for k in range(layout.per_weight):
        c = int.from_bytes(data[k * step : (k + 1) * step], "little")
        if c:
            total += c * (scale // (k + 1))
    return total
