"""Generating functions of weighted games packed into single Python integers.

The number of coalitions of weight ``s`` among members with weights ``w_j`` is the coefficient
of ``x**s`` in ``prod_j (1 + x**w_j)`` (Brams & Affuso 1976; Bilbao et al. 2000, *Discrete
Applied Mathematics* 101:1). Evaluating the polynomial at ``x = 2**B`` with ``B`` larger than
any coefficient's bit length stores it as one integer (Kronecker substitution): multiplying by
``1 + x**w`` is then ``P + (P << w*B)``, an exact big-integer shift and add. Tracking coalition
size too uses ``K`` slots per weight, slot ``s*K + k`` holding coalitions of weight ``s`` and
size ``k``, and multiplies by ``1 + y*x**w`` as ``P + (P << (w*K + 1)*B)``.

Only weights below the quota ``q`` are ever read, so the polynomial is truncated there.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import accumulate
from math import comb

import numpy as np
from numpy.typing import NDArray


@dataclass(frozen=True)
class Packing:
    """Slot layout: ``slots`` weights ``0..slots-1``, each ``per_weight`` slots of ``bits``.

    ``sized`` layouts count by size too (slot ``k`` of a weight: coalitions of ``k`` members).
    """

    slots: int
    per_weight: int
    bits: int
    sized: bool = False

    @property
    def weight_bits(self) -> int:
        return self.per_weight * self.bits

    def shift(self, weight: int) -> int:
        """Bit shift that multiplies by ``x**weight`` (and by ``y`` when sizes are tracked)."""
        return weight * self.weight_bits + (self.bits if self.sized else 0)


def packing(members: int, quota: int, size_slots: int | None = None) -> Packing:
    """A layout for coalitions of ``members`` members counted below ``quota``, by size too
    when ``size_slots`` (the largest size kept plus one) is given."""
    bits = 8 * ((members + 2 + 7) // 8)  # counts are at most 2**members; bytes for slicing
    return Packing(max(quota, 1), size_slots or 1, bits, size_slots is not None)


def coefficient_layout(members: int, quota: int) -> Packing:
    """:func:`packing` for the product ``prod (1 + x**w)`` of ``members`` members of positive
    weight alone, its slots no wider than its coefficients need: a coefficient counts the
    coalitions of one weight, at most ``comb(members, members // 2)`` of them (the largest
    layer of the subsets), and so does every coefficient of a partial product."""
    layout = packing(members, quota)
    bits = 8 * ((comb(members, members // 2).bit_length() + 7) // 8)
    return Packing(layout.slots, 1, min(bits, layout.bits))


def horner_terms(layout: Packing, last: int) -> int:
    """The last term an alternating sum ``sum_j (-1)**j y**j f_j`` over ``j <= last`` needs for
    a result in ``layout`` (sized): ``y**j`` puts term ``j`` at size ``j`` or above, so terms
    from ``j = per_weight`` reach only slots above the result's, read modulo its slots."""
    return max(0, min(last, layout.per_weight - 1))


def within_sizes(layout: Packing, value: int) -> int:
    """``value`` modulo one weight's size slots of ``layout``: the count an alternating sum
    cut by :func:`horner_terms` gives exactly."""
    return value & ((1 << layout.weight_bits) - 1)


def max_size_below(ascending: list[int], quota: int) -> int:
    """The most members (weights in ascending order) whose total weight stays below ``quota``:
    the largest size a coalition counted below the quota can have."""
    total = size = 0
    for w in ascending:
        if total + w >= quota:
            break
        total, size = total + w, size + 1
    return size


def multiply(poly: int, weights: Iterable[int], layout: Packing) -> int:
    """``poly * prod (1 + [y] x**w)``, truncated to weights below ``layout.slots``."""
    limit = layout.slots * layout.weight_bits
    mask, most = (1 << limit) - 1, limit + (limit >> 2)
    per_weight, size = layout.weight_bits, layout.bits if layout.sized else 0
    for w in weights:
        poly += poly << (w * per_weight + size)  # layout.shift(w)
        if poly.bit_length() > most:
            poly &= mask
    return poly & mask


def multiply_widening(weights: list[int], layout: Packing) -> int:
    """``prod (1 + x**w)`` over ``weights`` in ``layout``, slots widened as counts grow.

    After ``j`` members no coefficient exceeds ``2**j``, so the product starts in narrow
    slots and is repacked into wider ones every few members until it reaches ``layout.bits``
    (as :func:`sized_prefix_sums` does by size); the shifts and adds of the first members then
    move a fraction of the bits. The result equals ``multiply(1, weights, layout)``.
    """
    if layout.sized:
        raise ValueError("slot widening is for layouts without sizes")
    poly, bits, start = 1, widened_bits(0, layout.bits), 0
    while start < len(weights):
        if bits < layout.bits and start + 3 > bits:
            wider = widened_bits(start + 1, layout.bits)
            poly, bits = repack(poly, layout.slots, bits, wider), wider
        # at the layout's own width every count fits (it may be narrower than members + 2:
        # see coefficient_layout)
        chunk = weights[start:] if bits >= layout.bits else weights[start : bits - 2]
        poly = multiply(poly, chunk, Packing(layout.slots, 1, bits))
        start += len(chunk)
    if bits != layout.bits:
        poly = repack(poly, layout.slots, bits, layout.bits)
    return poly


def words_fit(layout: Packing, members: int) -> bool:
    """Whether the prefix sums of a product of ``members`` factors ``1 + x**w`` in
    ``layout`` can be read in ``uint64``: slots of at most 64 bits, and every sum (of the
    coalitions below the quota: fewer than ``2**members``) below ``2**64``. The slots alone
    do not say so: those of :func:`coefficient_layout` are as wide as the largest
    coefficient, ``comb(n, n // 2)``, which fits 64 bits up to 67 members while the sums
    reach ``2**67``."""
    return layout.weight_bits <= 64 and members <= 64


def prefix_sums(poly: int, layout: Packing, members: int) -> list[int]:
    """``pre[t]`` = sum of the coefficients of weights ``< t``, for ``t`` in ``0..slots``, of a
    product of ``members`` factors (its coefficients sum to at most ``2**members``).

    With sizes tracked each entry is itself packed: ``per_weight`` slots of ``bits``.
    """
    step = layout.weight_bits // 8
    if words_fit(layout, members):
        out: list[int] = _word_prefix_sums(poly, layout).tolist()
        return out
    data = memoryview(poly.to_bytes(layout.slots * step, "little"))
    coefs = (int.from_bytes(data[s * step : (s + 1) * step], "little") for s in range(layout.slots))
    return list(accumulate(coefs, initial=0))


def _word_prefix_sums(poly: int, layout: Packing) -> NDArray[np.uint64]:
    """:func:`prefix_sums` of a product in slots of at most 64 bits, as ``uint64``."""
    step = layout.weight_bits // 8
    # slot s is the low `step` bytes of the 8 read from byte s * step (7 bytes of padding at
    # the end keep the last read inside the buffer)
    raw = poly.to_bytes(layout.slots * step + 8 - step, "little")
    slots = np.ndarray((layout.slots,), dtype="<u8", buffer=raw, strides=(step,))
    sums = np.zeros(layout.slots + 1, dtype=np.uint64)
    np.bitwise_and(slots, (1 << 8 * step) - 1, out=sums[1:])
    np.cumsum(sums, out=sums)
    return sums


def word_windows(
    poly: int, layout: Packing, hi: int, weights: list[int], members: int
) -> tuple[int, list[int]]:
    """The prefix sum at ``hi`` and :meth:`Prefix.deflated_windows` of a product ``poly`` of
    ``members`` factors where :func:`words_fit`, without sizes, and ``hi`` at most its slots:
    every alternating sum read by one gather of the ``uint64`` prefix sums and one segmented
    sum, exact modulo ``2**64`` since every count and every such sum is below it (the swings
    of a game of tens of members in a fraction of the time of slicing a list per weight)."""
    if layout.sized or not words_fit(layout, members) or not 0 < hi <= layout.slots:
        raise ValueError(
            "word_windows is for unsized slots and sums below 2**64 (words_fit), 0 < hi <= slots"
        )
    if min(weights, default=1) <= 0:
        raise ValueError("deflating a zero weight")
    pre = _word_prefix_sums(poly, layout)
    top = int(pre[hi])
    ws = np.asarray(weights, dtype=np.int64)
    lengths = np.maximum(hi - 1, 0) // ws  # terms hi - j w > 0, j = 1, 2, ...
    ends = np.cumsum(lengths)
    total = int(ends[-1]) if ends.size else 0
    alternating = np.zeros(ws.size, dtype=np.uint64)
    if total:
        starts = ends - lengths
        j = np.arange(1, total + 1, dtype=np.int64) - np.repeat(starts, lengths)
        terms = pre[hi - np.repeat(ws, lengths) * j]
        terms *= ((j & 1) * 2 - 1).view(np.uint64)  # even j: times -1, modulo 2**64
        some = lengths > 0
        alternating[some] = np.add.reduceat(terms, starts[some])
    return top, [top - 2 * a for a in alternating.tolist()]


class Prefix:
    """Prefix sums of a packed polynomial, read at any ``t`` (0 below weight 1)."""

    def __init__(self, pre: list[int], layout: Packing) -> None:
        self.pre = pre
        self.layout = layout

    def __call__(self, t: int) -> int:
        if t <= 0:
            return 0
        return self.pre[min(t, len(self.pre) - 1)]

    def deflated(self, t: int, weight: int) -> int:
        """Prefix sum at ``t`` of the polynomial divided by ``1 + [y] x**weight``."""
        return self.deflated_window(0, t, weight)

    def deflated_window(self, lo: int, hi: int, weight: int) -> int:
        """Coefficients of weights ``lo..hi-1`` summed, after dividing by ``1 + [y] x**weight``.

        Dividing out one member's factor gives the coalitions of the others; since
        ``1/(1 + z) = 1 - z + z**2 - ...``, the sum is ``sum_j (-1)**j [y**j] X_j`` with
        ``X_j`` this polynomial's sum over the window moved down by ``j * weight``. It is
        evaluated by Horner's scheme from the last term, so that every partial sum is itself
        such a window of the quotient and never needs more size slots than the result.

        The result has ``per_weight`` size slots (the quotient's coalitions below the quota),
        and ``y**j`` puts term ``j`` at size ``j`` or above: the terms from ``j = per_weight``
        only reach slots above them, where the full sum cancels to 0. They are left out and
        the sum is read modulo its ``per_weight`` slots, which it gives exactly.
        """
        if weight <= 0:
            raise ValueError("deflating a zero weight")
        if not self.layout.sized:
            if hi - lo == weight:  # alternating(hi) = self(hi) - alternating(lo)
                return self(hi) - 2 * self.alternating(lo, weight)
            return self.alternating(hi, weight) - self.alternating(lo, weight)
        shift = self.layout.bits
        acc = 0
        for j in range(horner_terms(self.layout, (hi - 1) // weight), -1, -1):
            acc = self(hi - j * weight) - self(lo - j * weight) - (acc << shift)
        return within_sizes(self.layout, acc)

    def alternating(self, t: int, step: int) -> int:
        """``sum_j (-1)**j self(t - j*step)`` over ``j >= 0``, by slices summed in C."""
        if t <= 0:
            return 0
        pre, last = self.pre, len(self.pre) - 1
        acc, sign = 0, 1
        if t > last:  # the terms above the last entry all read it
            above = -(-(t - last) // step)
            if above % 2:
                acc, sign = pre[last], -1
            t -= above * step
            if t <= 0:
                return acc
        plus = sum(pre[t : 0 : -2 * step])
        minus = sum(pre[t - step : 0 : -2 * step]) if t > step else 0
        return acc + sign * (plus - minus)

    def deflated_windows(self, hi: int, weights: Iterable[int]) -> list[int]:
        """``[self.deflated_window(hi - w, hi, w) for w in weights]`` without sizes: for each
        weight, the coefficients of weights ``hi - w..hi-1`` of the quotient by ``1 + x**w``
        (one member's swings, with ``hi`` the quota). The sum up to ``hi`` less twice the
        alternating sum below the window; the common case reads its slices inline, which
        matters for games of tens of members."""
        if self.layout.sized:
            raise ValueError("deflated_windows is for layouts without sizes")
        pre, last = self.pre, len(self.pre) - 1
        top = self(hi)
        out = []
        for w in weights:
            t = hi - w
            if 0 < t <= last and w > 0:
                below = sum(pre[t : 0 : -2 * w]) - (sum(pre[t - w : 0 : -2 * w]) if t > w else 0)
            else:
                below = self.alternating(t, w)
            out.append(top - 2 * below)
        return out

    def window(self, lo: int, hi: int) -> int:
        """Sum of coefficients of weights in ``lo..hi-1``."""
        return self(hi) - self(lo)


class PackedPrefix(Prefix):
    """Prefix sums kept packed in one integer and read slot by slot on demand.

    :class:`Prefix` unpacks every prefix sum into a list, one ``int.from_bytes`` per weight;
    callers that read a few sums of many polynomials (the minimal winning coalitions, one
    polynomial per weight class) pay for all of them. Here ``running`` packs the inclusive
    prefix sums ``sum_{s <= t} P[s]`` of a polynomial ``P`` -- which is ``P / (1 - x)``, so it
    is multiplied by ``1 + x**w`` exactly as ``P`` is (see :func:`running_sums`) and never
    needs to be recomputed -- and only the slots read are unpacked.
    """

    def __init__(self, running: int, layout: Packing) -> None:
        self.packed = running << layout.weight_bits  # slot t: coefficients of weights below t
        self.last = layout.slots
        self.step = layout.weight_bits // 8
        self.data = self.packed.to_bytes((self.last + 1) * self.step, "little")
        self.layout = layout

    def __call__(self, t: int) -> int:
        if t <= 0:
            return 0
        t = min(t, self.last)
        return int.from_bytes(self.data[t * self.step : (t + 1) * self.step], "little")

    def alternating(self, t: int, step: int) -> int:
        total, sign = 0, 1
        while t > 0:
            total, sign, t = total + sign * self(t), -sign, t - step
        return total


def running_sums(layout: Packing) -> int:
    """The packed inclusive prefix sums of the polynomial ``1``: a one in every slot. Multiply
    it by factors ``1 + x**w`` with :func:`multiply` to get those of their product."""
    bits = layout.weight_bits
    return ((1 << (layout.slots * bits)) - 1) // ((1 << bits) - 1)


def sized_prefix_sums(weights: list[int], layout: Packing) -> list[int]:
    """Prefix sums over weight of ``prod (1 + y x**w)``, each entry packed over size.

    The polynomial is built one size at a time -- row ``k`` packs coalitions of ``k`` members
    over weight, and multiplying by ``1 + y x**w`` adds row ``k-1`` shifted by ``w`` to row
    ``k`` -- which keeps each big-integer operation small enough to stay in cache; the rows are
    then transposed into one packed size vector per weight.
    """
    return rows_prefix_sums(_size_rows(weights, layout), layout)


def rows_prefix_sums(rows: list[int], layout: Packing) -> list[int]:
    """Transpose rows by size (each packed over weight) into prefix sums packed over size.

    Only the rows and weights in use are transposed; above the heaviest coalition the prefix
    sums stay constant.
    """
    return _rows_prefix(rows, [0] * len(rows), layout.bits, layout)


def _rows_prefix(rows: list[int], low: list[int], bits: int, layout: Packing) -> list[int]:
    """:func:`rows_prefix_sums` of rows in slots of ``bits`` (at most the layout's), row ``k``
    moved down by ``low[k]`` slots and cut at the layout's slots."""
    step, narrow = layout.bits // 8, bits // 8
    live = max((k for k, r in enumerate(rows) if r), default=-1) + 1
    spans = [
        min(-(-r.bit_length() // bits), layout.slots - low[k]) if r else 0
        for k, r in enumerate(rows[:live])
    ]
    top = max((low[k] + n for k, n in enumerate(spans) if n), default=0)
    table = np.zeros((top, live, step), dtype=np.uint8)
    for k, n in enumerate(spans):
        if n:
            row = rows[k]
            if row.bit_length() > n * bits:  # slots beyond the layout's
                row &= (1 << n * bits) - 1
            data = np.frombuffer(row.to_bytes(n * narrow, "little"), np.uint8)
            table[low[k] : low[k] + n, k, :narrow] = data.reshape(n, narrow)
    return _table_prefix_sums(table, layout.slots)


def _table_prefix_sums(table: NDArray[np.uint8], slots: int) -> list[int]:
    """Prefix sums over weight of a C-contiguous ``(weights, sizes, bytes)`` table of counts,
    each weight's counts read as one integer packed over size (``bytes`` per size), for
    weights ``0..slots``."""
    top, live, step = table.shape
    cols, width = table.data.cast("B"), live * step
    pre, acc = [0], 0
    for s in range(top):
        acc += int.from_bytes(cols[s * width : (s + 1) * width], "little")
        pre.append(acc)
    pre.extend([acc] * (slots - top))
    return pre


class SizeRows:
    """``prod (1 + y x**w)`` over the members added so far, one row per coalition size, for a
    pass that adds members in any order and reads the product's prefix sums between classes.

    Row ``k`` packs, over weight, the coalitions of ``k`` members; it is kept moved down by
    the lightest weight it holds (``low[k]``, which only falls as members are added) and cut
    at the layout's slots (weights of at least the quota only ever move up). Adding a member
    of weight ``w`` sets row ``k`` to ``row_k + x**w row_{k-1}``: one shift of whichever of the
    two starts higher and one addition. After ``j`` members no count exceeds ``2**j``, so slots
    start narrow and are widened as members are added (as :func:`multiply_widening`). In the
    descending pass of the minimal winning coalitions the rows stay a fraction of the
    layout's full length and width until the last classes.
    """

    def __init__(self, layout: Packing) -> None:
        self.layout = layout
        self.rows = [1] + [0] * (layout.per_weight - 1)
        self.low = [0] * layout.per_weight
        self.bits = widened_bits(0, layout.bits)
        self.members = 0

    def add(self, weight: int, count: int) -> None:
        """Multiply by ``(1 + y x**weight)**count``."""
        rows, low, slots = self.rows, self.low, self.layout.slots
        for _ in range(count):
            if self.bits < self.layout.bits and self.members + 3 > self.bits:
                self._widen(widened_bits(self.members + 1, self.layout.bits))
            bits = self.bits
            for k in range(min(self.members + 1, len(rows) - 1), 0, -1):
                below = rows[k - 1]
                if not below:
                    continue
                moved = low[k - 1] + weight  # where x**w row_{k-1} starts
                if moved >= slots:
                    continue
                rows[k] = add_at(rows[k], low, k, below, moved, bits, slots)
            self.members += 1

    def _widen(self, wider: int) -> None:
        bits = self.bits
        self.rows[:] = [repacked(r, bits, wider) for r in self.rows]  # in place: add() holds it
        self.bits = wider

    def prefix(self) -> Prefix:
        """The prefix sums over weight, packed over size in the layout's slots."""
        return Prefix(_rows_prefix(self.rows, self.low, self.bits, self.layout), self.layout)


def add_at(row: int, low: list[int], k: int, value: int, at: int, bits: int, slots: int) -> int:
    """``row`` (slots of ``bits`` from slot ``low[k]``) plus ``value`` from slot ``at``, cut
    at ``slots`` once it has grown a quarter beyond them; ``low[k]`` updated."""
    if not row:
        row, low[k] = value, at
    elif at < low[k]:
        row, low[k] = value + (row << (low[k] - at) * bits), at
    else:
        row += value << (at - low[k]) * bits
    limit = (slots - low[k]) * bits
    if row.bit_length() > limit + (limit >> 2):
        row &= (1 << limit) - 1
    return row


def gather(
    rows: list[int],
    low: list[int],
    bits: int,
    points: list[int],
    out_bits: int,
    below: list[int] | None = None,
) -> list[int]:
    """Slot ``s`` of every row, packed over the rows in slots of ``out_bits``, for each ``s``
    in ``points`` (slots at least 0): the rows hold slots of ``bits`` from slot ``low[k]`` (0
    below it and above the row's end). With ``below``, point ``i`` reads only the rows
    ``k < below[i]`` (the others are left 0): the rows an alternating sum cut to the layout's
    size slots still needs there. Each row is converted once (``to_bytes``), from the lowest
    point it serves to the highest, and each point once (``from_bytes``)."""
    if not points:
        return []
    live = max((k for k, r in enumerate(rows) if r), default=-1) + 1
    step, narrow = out_bits // 8, bits // 8
    at = np.asarray(points, dtype=np.int64)
    limit = np.asarray(below if below is not None else [live] * len(points), dtype=np.int64)
    order = np.argsort(-limit, kind="stable")  # the points row k serves come first
    served = np.searchsorted(-limit[order], -np.arange(live), side="left").tolist()
    lowest = np.minimum.accumulate(at[order]).tolist()
    highest = np.maximum.accumulate(at[order]).tolist()
    table = np.zeros((len(points), max(live, 1), step), dtype=np.uint8)
    for k in range(live):
        count = served[k]  # the points whose limit is above k
        row = rows[k]
        if not row or not count:
            continue
        cut = _cut(row, low[k], bits, lowest[count - 1], highest[count - 1])
        if cut is None:
            continue
        row, base, held = cut
        mine = order[:count]
        mine = mine[(at[mine] >= base) & (at[mine] < base + held)]
        data = np.frombuffer(row.to_bytes(held * narrow, "little"), dtype=np.uint8)
        table[mine, k, :narrow] = data.reshape(held, narrow)[at[mine] - base]
    flat, width = table.data.cast("B"), table.shape[1] * step
    return [int.from_bytes(flat[j * width : (j + 1) * width], "little") for j in range(len(points))]


def _cut(row: int, base: int, bits: int, first: int, last: int) -> tuple[int, int, int] | None:
    """The slots ``first..last`` of a row held from slot ``base``, cut out of it (as many as
    it has), with their first slot and number; ``None`` if it has none of them. Of the two
    cuts, the one that leaves less to copy is made first."""
    held = -(-row.bit_length() // bits)
    start, end = max(first, base), min(last + 1, base + held)
    if start >= end:
        return None
    skip, over = start - base, base + held - end
    if skip and (not over or held - skip < end - base):
        row, skip = row >> skip * bits, 0
    if over:
        row &= (1 << (end - start + skip) * bits) - 1
    if skip:
        row >>= skip * bits
    return row, start, end - start


def box(row: int, width: int, bits: int) -> int:
    """``sum(row << (d * bits) for d in range(width))``: each slot summed with the
    ``width - 1`` below it, by doubling (about ``2 log2(width)`` shifts and additions)."""
    if width == 1:
        return row
    out = placed = 0
    part, span = row, 1
    while width:
        if width & 1:
            out += part << (placed * bits)
            placed += span
        width >>= 1
        if width:
            part += part << (span * bits)
            span *= 2
    return out


def _size_rows(weights: list[int], layout: Packing) -> list[int]:
    """Rows of ``prod (1 + y x**w)`` by size over ``weights`` in ascending order.

    No set of ``k`` members weighs less than the ``k`` lightest, ``lo_k``, so row ``k`` is
    kept moved down by ``lo_k`` slots: adding member ``j`` adds row ``k - 1`` moved up by
    ``w_j - w_k`` slots (``w_k`` the ``k``-th lightest weight), and each row is as long as
    its weights below the quota. After ``j`` members no count exceeds ``2**j``, so slots start
    narrow and are widened (a byte-level repack) as the counts grow. The rows are moved back
    and widened to ``layout.bits`` at the end.
    """
    sizes = layout.per_weight
    lows = [0, *accumulate(weights[: sizes - 1])]
    spans = [max(layout.slots - lo, 0) for lo in lows]
    rows = [1] + [0] * (sizes - 1)
    bits = widened_bits(0, layout.bits)
    masks = [(1 << (span * bits)) - 1 for span in spans]
    for j, w in enumerate(weights):
        if j + 3 > bits:
            wider = widened_bits(j + 1, layout.bits)
            rows = [repack(r & masks[k], spans[k], bits, wider) for k, r in enumerate(rows)]
            bits, masks = wider, [(1 << (span * wider)) - 1 for span in spans]
        for k in range(min(j + 1, sizes - 1), 0, -1):
            row = rows[k] + (rows[k - 1] << ((w - weights[k - 1]) * bits))
            # slots beyond a row's span hold weights of at least the quota and only ever move
            # up: they are cut off when they reach a quarter of the row
            over = row.bit_length() > (spans[k] * bits * 5) >> 2
            rows[k] = row & masks[k] if over else row
    return [
        repack(r & masks[k], spans[k], bits, layout.bits) << (lows[k] * layout.bits)
        for k, r in enumerate(rows)
    ]


def widened_bits(members: int, final: int) -> int:
    """Slot bits for counts of ``members`` members and the next few: every count is below
    ``2**members``. Slots are widened ahead by about ``3 sqrt(members)`` members (at least 16),
    which balances the cost of repacking against that of moving unused bits. Slots of at most
    128 bits are never widened: a repack then costs more than it saves."""
    if final <= 128:
        return final
    ahead = max(16, int(3 * members**0.5))
    return min(final, 8 * ((members + 2 + ahead + 7) // 8))


def repack(row: int, slots: int, bits: int, wider: int) -> int:
    """The same coefficients in slots of ``wider`` bits instead of ``bits``."""
    if row == 0 or wider == bits:
        return row
    old, new = bits // 8, wider // 8
    data = np.frombuffer(row.to_bytes(slots * old, "little"), dtype=np.uint8)
    out = np.zeros((slots, new), dtype=np.uint8)
    out[:, :old] = data.reshape(slots, old)
    return int.from_bytes(out.tobytes(), "little")


def repacked(row: int, bits: int, wider: int) -> int:
    """:func:`repack` of a row, as many slots as it holds (0 stays 0; so does any row of
    slots of no width yet)."""
    return repack(row, -(-row.bit_length() // bits), bits, wider) if row and bits else row


def unpack(value: int, layout: Packing, slots: int | None = None) -> list[int]:
    """The size slots of one packed entry (``per_weight`` of them unless ``slots`` is given)."""
    step = layout.bits // 8
    count = layout.per_weight if slots is None else slots
    data = value.to_bytes(count * step, "little")
    return [int.from_bytes(data[k * step : (k + 1) * step], "little") for k in range(count)]
