"""Minimal winning coalitions of large weighted games, by generating functions.

Counts, per member, the minimal winning coalitions containing it (Holler's public good index,
Holler 1982) and, with coalition sizes tracked, the sum of ``1/|S|`` over them (Deegan & Packel
1978). A coalition ``S = state + T`` (veto holders of a veto state, then other members ``T``)
is minimal iff it wins and every member is critical: a plain member ``j`` iff ``w_j > e``, a
veto holder iff the state without it is blocked
(:meth:`~councilsim.power.counts.Types.vetoes_pass`) or ``w_j > e``, where
``e = w(S) - q``. So ``T`` must satisfy ``Q <= w(T) < Q + min(lightest(T), cap)`` with
``Q = q - b`` and ``cap`` the lightest present veto holder (no cap where removing any present
veto holder blocks the coalition).

Games without veto holders are counted in one pass over the members in descending weight, the
counts containing each member read off a telescoping sum of the prefix products
(:func:`plain_minimal_counts`, and :func:`sized_minimal_counts` by size up to
:data:`WORD_MEMBERS` members). With veto holders, coalitions are grouped by veto state and by
their lightest class ``L``: the rest come from heavier classes, whose product is built class
by class in descending weight and read at each step (:func:`_packed_counts`). By size, above
:data:`WORD_MEMBERS` members or with veto holders, the same sums are read from the product's
coefficients and a running sum of coefficient windows (:func:`_sized_counts`).
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from math import comb
from typing import Protocol, TypeVar

import numpy as np

from councilsim.power.counts import NO_CAP, Game, State
from councilsim.power.packed import (
    PackedPrefix,
    Packing,
    Prefix,
    SizeRows,
    add_at,
    box,
    gather,
    horner_terms,
    max_size_below,
    multiply,
    packing,
    repack,
    repacked,
    running_sums,
    unpack,
    widened_bits,
    within_sizes,
)
from councilsim.rule import meets_quota

_Query = tuple[int, State, int, int, int, int]
"""(type, state, cut, a, rho, w) of one minimal-with count, see :func:`_pgi_queries`."""


class _Growing:
    """``prod (1 + x**w)`` over the classes added so far, kept as packed prefix sums."""

    def __init__(self, layout: Packing) -> None:
        self.layout = layout
        self.poly = running_sums(layout)

    def add(self, weight: int, count: int) -> None:
        self.poly = multiply(self.poly, [weight] * count, self.layout)

    def prefix(self) -> PackedPrefix:
        return PackedPrefix(self.poly, self.layout)


def minimal_counts_and_product(
    game: Game, sized: bool, product: bool = True
) -> tuple[int, list[int], list[Fraction] | None, Prefix | None]:
    """Minimal winning coalitions; per type, those containing a member and (``sized``) the
    sum of ``1/|S|`` over them; and the prefix sums of ``prod (1 + [y] x**w)`` over the plain
    members that the pass built on the way, where it made one in packed integers (``None``
    otherwise), by size in the layout of :func:`sized_layout` when ``sized``. The
    Shapley-Shubik count reads the same product
    (:func:`councilsim.power.generating.dp_counts` hands it over instead of building it
    again); by size, its prefix sums are a transposition of the whole table, made only if
    ``product``."""
    if not game.vetoes and not sized:
        total, per_type, _ = plain_minimal_counts(game)
        return total, per_type, None, None
    final: Prefix | None = None
    if not game.vetoes and game.plain_members <= WORD_MEMBERS:
        by_size = sized_minimal_counts(game)
    else:
        members = game.plain_members + sum(m for _, m, _ in game.vetoes)
        if not sized:
            layout = packing(game.plain_members, game.quota)
            total, per_type, final = _packed_counts(game, _Growing(layout))
            return total, per_type, None, final
        layout = sized_layout(game, members)
        total, per_type, rows = _sized_counts(game, layout)
        final = rows.prefix() if product else None
        by_size = [unpack(v, layout, members + 2) for v in [total, *per_type]]
    shares = [sum((Fraction(c, k) for k, c in enumerate(v) if c), Fraction(0)) for v in by_size]
    return sum(by_size[0]), [sum(v) for v in by_size[1:]], shares[1:], final


def sized_layout(game: Game, members: int) -> Packing:
    """The layout by size and weight of coalitions below the quota counted among ``members``
    members: slots as wide as counts of ``members`` members need, sizes up to the most plain
    members that stay below the quota."""
    return packing(members, game.quota, max_size_below(game.ascending(), game.quota) + 1)


def _packed_counts(game: Game, grow: _Growing) -> tuple[int, list[int], Prefix]:
    """Minimal winning coalitions and, per type, those containing a member (without sizes:
    :func:`_sized_counts` counts by size); and the prefix sums of the product over every plain
    member."""
    states = game.passing()
    queries = _pgi_queries(game, states)
    walk = _Descent(game, grow, states, queries)
    for p, (w, m, _) in enumerate(game.plain, start=1):
        walk.step(p, w, m)
    out = [0] * len(game.types.count)
    for i, (t, s, _, a, rho, u) in enumerate(queries):
        top = a + rho
        late = walk.alternate(walk.psi_at, a, u, top) - walk.alternate(walk.prev, a, u, top)
        out[t] += s.mult * (walk.early[i] + late)
    pairs = list(zip(states, walk.with_t, strict=True))
    for g, (_, m, t) in enumerate(game.vetoes):
        out[t] = sum(s.mult * s.counts[g] // m * c for s, c in pairs)
    return sum(s.mult * c for s, c in pairs), out, walk.prev


def _sized_counts(game: Game, layout: Packing) -> tuple[int, list[int], SizeRows]:
    """:func:`_packed_counts` by size (in ``layout``), from coefficients instead of prefix
    sums; also the rows of the product over every plain member.

    Order the plain classes by descending weight ``w_1 > ... > w_K`` (``w_{K+1} = 0``), let
    ``G_p`` be the product over the first ``p`` and ``Pre_p`` its prefix sums. The running sum
    of :func:`_pgi_queries`, ``psi_p(t) = sum_{v <= p} (Pre_v - Pre_{v-1})(t + w_v)``, regroups
    by product into ``psi_K - psi_c = Psi_K - Psi_c + Pre_K(t) - Pre_c(t + w_{c+1})``, where
    ``Psi_p(t) = sum_{v <= p} W_v(t)`` and ``W_v(t)`` sums the coefficients of ``G_v`` of
    weights ``t + w_{v+1} .. t + w_v - 1``. A member's count was the alternating sum (stride
    its weight ``u``, see :meth:`_Descent.alternate`) of ``Pre_c`` at ``a + rho`` less that of
    ``psi_c`` at ``a``, ``c`` its ``cut``, plus those of ``psi_K`` less ``Pre_K`` at ``a``; it
    is therefore the alternating sum of the coefficients of ``G_c`` of weights
    ``a + w_{c+1} .. a + rho - 1`` (:func:`_window_sums`) plus that of ``Psi_K - Psi_c`` at
    ``a``. ``Psi`` grows by ``W_p`` once per class (:class:`_PsiRows`), and only the points
    these sums read are taken out of the rows (:func:`~councilsim.power.packed.gather`): the
    pass makes no prefix sums and no table per class. Sums cut to the layout's size slots
    (:func:`~councilsim.power.packed.horner_terms`) are right modulo them, and read so.
    """
    states = game.passing()
    queries = _pgi_queries(game, states)
    rows = SizeRows(layout)
    weights = [w for w, _, _ in game.plain] + [0]
    offset = weights[0]  # Psi(t) is held at t + offset: t > -offset
    psi = _PsiRows(layout, game.quota + offset + 1)
    with_t = [_empty_t(game, s) for s in states]
    parts = [0] * len(queries)
    by_cut: dict[int, list[int]] = {}
    for i, q in enumerate(queries):
        by_cut.setdefault(q[2], []).append(i)
    for p, (w, m, _) in enumerate(game.plain, start=1):
        lightest = _lightest_windows(game, states, w, m, rows)
        with_t = [c + add for c, add in zip(with_t, lightest, strict=True)]
        rows.add(w, m)
        psi.add(rows, offset - weights[p], w - weights[p])  # W_p
        now = by_cut.get(p, [])
        reads = [queries[i][3:] for i in now]  # (a, rho, u)
        windows = _window_sums(rows, layout, [(a + weights[p], a + rho, u) for a, rho, u in reads])
        so_far = psi.read([(a, u, a + rho, offset) for a, rho, u in reads])
        for i, window, before in zip(now, windows, so_far, strict=True):
            parts[i] = window - before
    ends = psi.read([(a, u, a + rho, offset) for *_, a, rho, u in queries])
    out = [0] * len(game.types.count)
    bits = layout.bits
    for (t, s, *_), part, end in zip(queries, parts, ends, strict=True):
        out[t] += s.mult * (within_sizes(layout, part + end) << (s.size + 1) * bits)
    pairs = list(zip(states, with_t, strict=True))
    for g, (_, m, t) in enumerate(game.vetoes):
        out[t] = sum(s.mult * s.counts[g] // m * (c << s.size * bits) for s, c in pairs)
    return sum(s.mult * (c << s.size * bits) for s, c in pairs), out, rows


def _terms(layout: Packing, step: int, top: int) -> int:
    """The last term of an alternating sum over ``j`` with ``top - j * step > 0``, cut to the
    layout's size slots (:func:`~councilsim.power.packed.horner_terms`); -1: none."""
    return horner_terms(layout, (top - 1) // step) if top > 0 else -1


def _horner(values: list[int], bits: int) -> int:
    """``sum_j (-1)**j y**j values[j]`` by Horner's scheme from the last term."""
    acc = 0
    for v in reversed(values):
        acc = v - (acc << bits)
    return acc


def _window_sums(rows: SizeRows, layout: Packing, sums: list[tuple[int, int, int]]) -> list[int]:
    """For each ``(lo, hi, u)``: ``sum_j (-1)**j y**j C[lo - j u .. hi - j u - 1]``, ``C`` the
    coefficients of the product in ``rows`` (0 outside its weights) and ``j`` over the terms
    of ``top = hi``; right in the layout's size slots (term ``j`` needs sizes below
    ``per_weight - j`` only)."""
    spans = [
        [
            (max(lo - j * u, 0), min(hi - j * u, layout.slots), layout.per_weight - j)
            for j in range(_terms(layout, u, hi) + 1)
        ]
        for lo, hi, u in sums
    ]
    found = iter(_window_values(rows, [window for span in spans for window in span]))
    return [_horner([next(found) for _ in span], layout.bits) for span in spans]


def _window_values(rows: SizeRows, windows: list[tuple[int, int, int]]) -> list[int]:
    """For each ``(a, b, sizes)``: the product's coefficients of weights ``a .. b - 1`` (below
    its slots) summed, packed over the sizes below ``sizes`` (higher sizes left 0); every
    weight read once, by one :func:`~councilsim.power.packed.gather`."""
    need: dict[int, int] = {}
    for a, b, sizes in windows:
        for s in range(a, b):
            need[s] = max(need.get(s, 0), sizes)
    points = sorted(need)
    found = gather(
        rows.rows, rows.low, rows.bits, points, rows.layout.bits, [need[s] for s in points]
    )
    values = dict(zip(points, found, strict=True))
    return [sum(values[s] for s in range(a, b)) for a, b, _ in windows]


def _lightest_windows(game: Game, states: list[State], w: int, m: int, rows: SizeRows) -> list[int]:
    """:func:`_lightest_class` for every state, read from the coefficients of the product of
    the heavier classes, by size: every size (the coalitions counted reach above the layout's
    sizes)."""
    layout = rows.layout
    spans = []
    for s in states:
        quota, top = game.quota - s.weight, min(w, _cap(game, s))
        spans.append(
            [
                (max(quota - k * w, 0), min(quota + top - k * w, layout.slots), layout.per_weight)
                for k in range(1, m + 1)
            ]
        )
    found = iter(_window_values(rows, [window for span in spans for window in span]))
    return [
        sum(comb(m, k) * (next(found) << (k * layout.bits)) for k in range(1, len(span) + 1))
        for span in spans
    ]


class _PsiRows:
    """``Psi`` of :func:`_sized_counts` by size: row ``k`` packs, over ``i``, the slot ``k``
    of ``Psi(i - offset)``, moved down by ``low[k]``, in the slots of the product's rows
    (widened with them)."""

    def __init__(self, layout: Packing, length: int) -> None:
        self.layout, self.length = layout, length
        self.rows = [0] * layout.per_weight
        self.low = [0] * layout.per_weight
        self.bits = 0

    def add(self, product: SizeRows, shift: int, width: int) -> None:
        """``Psi(i) += sum_{d < width} C(i - shift + d)`` for the product's coefficients ``C``:
        each row summed over ``width`` neighbours and moved up ``shift - width + 1`` slots."""
        bits, slots = product.bits, self.layout.slots
        if self.bits != bits:
            self.rows[:] = [repacked(r, self.bits, bits) for r in self.rows]
            self.bits = bits
        for k, row in enumerate(product.rows):
            if not row:
                continue
            low = product.low[k]
            limit = (slots - low) * bits
            if limit <= 0:
                continue
            if row.bit_length() > limit:  # cut in the product too: its weights above the
                row &= (1 << limit) - 1  # quota only ever move up, and cost every later step
                product.rows[k] = row
            at = low + shift - width + 1
            if at >= self.length:
                continue
            self.rows[k] = add_at(
                self.rows[k], self.low, k, box(row, width, bits), at, bits, self.length
            )

    def read(self, sums: list[tuple[int, int, int, int]]) -> list[int]:
        """For each ``(start, step, top, offset)``: ``sum_j (-1)**j y**j Psi(start - j step)``
        over the terms of ``top``.

        The points are read in ascending order, a batch at a time, and each sum takes its
        terms as they come (Horner's scheme from its last, lowest term): however many sums
        read ``Psi``, no more than a batch of its points is held at once."""
        layout, bits = self.layout, self.layout.bits
        need: dict[int, int] = {}  # point -> the sizes read there
        readers: dict[int, list[int]] = {}  # point -> the sums that read it
        for n, (start, step, top, offset) in enumerate(sums):
            for j in range(_terms(layout, step, top) + 1):
                i = start - j * step + offset
                need[i] = max(need.get(i, 0), layout.per_weight - j)
                readers.setdefault(i, []).append(n)
        points = sorted(need)
        out = [0] * len(sums)
        batch = max(READ_BATCH, -(-len(points) // 8))
        for first in range(0, len(points), batch):
            chunk = points[first : first + batch]
            found = gather(self.rows, self.low, self.bits, chunk, bits, [need[i] for i in chunk])
            for i, value in zip(chunk, found, strict=True):
                for n in readers[i]:
                    out[n] = value - (out[n] << bits)
        return out


READ_BATCH = 256
"""Fewest points :meth:`_PsiRows.read` gathers at once (it reads in at most eight batches)."""


class _Descent:
    """The pass over plain classes in descending weight, without sizes (see
    :func:`_pgi_queries`)."""

    def __init__(
        self, game: Game, grow: _Growing, states: list[State], queries: list[_Query]
    ) -> None:
        self.game, self.grow, self.states, self.queries = game, grow, states, queries
        self.with_t = [_empty_t(game, s) for s in states]
        self.early = [0] * len(queries)
        self.prev = grow.prefix()
        self.offset = max((w for w, _, _ in game.plain), default=0)
        self.slots = game.quota + self.offset + 1  # psi(t - offset) for t = 0, 1, ...
        self.psi_packed, self.psi_bytes = 0, b""

    def psi_at(self, t: int) -> int:
        step = self.grow.layout.weight_bits // 8
        i = t + self.offset
        return int.from_bytes(self.psi_bytes[i * step : (i + 1) * step], "little")

    def _add_packed(self, cur: PackedPrefix, prev: PackedPrefix, lift: int) -> None:
        """``psi[t] += cur(t - lift) - prev(t - lift)`` for every slot ``t``: the difference
        of the two packed prefix sums (slot by slot non-negative) moved up ``lift`` slots, and
        its last slot repeated above, where the prefix sums stay constant."""
        bits = self.grow.layout.weight_bits
        diff = cur.packed - prev.packed
        slots = self.slots
        above = slots - (cur.last + lift + 1)
        tail = 0
        if above > 0:
            top = diff >> (cur.last * bits)
            ones = ((1 << (above * bits)) - 1) // ((1 << bits) - 1)
            tail = (top * ones) << ((cur.last + lift + 1) * bits)
        self.psi_packed += (diff << (lift * bits)) + tail
        self.psi_bytes = self.psi_packed.to_bytes(slots * (bits // 8), "little")

    def step(self, p: int, w: int, m: int) -> None:
        """Count sets whose lightest class is class ``p``, then add the class."""
        for i, s in enumerate(self.states):
            cap = _cap(self.game, s)
            self.with_t[i] += _lightest_class(self.game.quota - s.weight, cap, w, m, self.prev)
        self.grow.add(w, m)
        cur = self.grow.prefix()
        self._add_packed(cur, self.prev, self.offset - w)  # psi(t) += F_w(t + w)
        for i, (_, _, cut, a, rho, u) in enumerate(self.queries):
            if cut == p:
                upper = self.alternate(cur, a + rho, u, a + rho)
                self.early[i] = upper - self.alternate(self.psi_at, a, u, a + rho)
        self.prev = cur

    def alternate(self, f: Callable[[int], int], start: int, step: int, top: int) -> int:
        """``sum_j (-1)**j f(start - j*step)`` over ``j`` with ``top - j*step > 0``, from the
        last term, so that every partial sum is a count of its own."""
        acc = 0
        for j in range((top - 1) // step if top > 0 else -1, -1, -1):
            acc = f(start - j * step) - acc
        return acc


def _cap(game: Game, s: State) -> int:
    """The bound its veto holders put on a minimal coalition's excess over the quota: the
    lightest of them where one can leave without the others' veto blocking, else none."""
    spare = s.size > 0 and game.types.vetoes_pass(s.size - 1)
    return s.lightest if spare else NO_CAP


def _empty_t(game: Game, s: State) -> int:
    """1 if the veto holders of (passing) state ``s`` alone form a minimal winning coalition."""
    return int(meets_quota(s.weight, game.quota) and s.weight - game.quota < _cap(game, s))


def _lightest_class(quota: int, cap: int, w: int, m: int, heavier: Prefix) -> int:
    """Sets ``T`` with lightest class of weight ``w`` (``k`` of its ``m``) and the rest heavier."""
    top = min(w, cap)
    return sum(
        comb(m, k) * heavier.window(quota - k * w, quota + top - k * w) for k in range(1, m + 1)
    )


def _pgi_queries(game: Game, states: list[State]) -> list[_Query]:
    """Per plain type and state: (type, state, cut, a, rho, w) for the minimal-with count.

    A minimal ``T`` containing a member ``i`` of weight ``w`` is ``{i} + R`` with
    ``w(R)`` in ``[a, a + min(rho, lightest(R)))``, ``a = Q - w``, ``rho = min(w, cap)``. The
    sets ``R`` whose lightest weight is ``>= rho`` are the first ``cut`` classes; the lighter
    ones are summed by lightest weight ``v`` in the running sum ``psi(t) = sum_v F_v(t + v)``,
    ``F_v`` the sets whose lightest weight is ``v``. Dividing out member ``i`` makes each of the
    three terms an alternating sum (see :meth:`Prefix.deflated_window`).
    """
    out = []
    for w, _, t in game.plain:
        for s in states:
            rho = min(w, _cap(game, s))
            cut = sum(1 for u, _, _ in game.plain if u >= rho)
            out.append((t, s, cut, game.quota - s.weight - w, rho, w))
    return out


def pass_slots(game: Game) -> int:
    """Weights kept by the one pass: below the quota, plus the heaviest weight below it, up to
    which the class sums ``(F_end - F_start) / x**w`` read the products."""
    return game.quota + min(max((w for w, _, _ in game.plain), default=0), game.quota)


WORD_MEMBERS = 62
"""Games of at most this many members count minimal winning coalitions in ``uint64`` vectors
(every count below ``2**64``); larger ones in packed integers."""


def plain_minimal_counts(game: Game) -> tuple[int, list[int], Prefix]:
    """Minimal winning coalitions of a game without veto holders and, per type, those
    containing a member, in one pass over the members (heaviest first); and the prefix sums of
    ``prod (1 + x**w)`` over all of them, from which the Banzhaf count is read.

    Order the members by descending weight, let ``F_k`` count the coalitions of the first ``k``
    by weight and ``q`` be the quota. A minimal winning coalition is ``{j} + R`` with ``j`` its
    last member in this order and ``R`` a set of earlier ones with ``q - w_j <= w(R) < q``, so
    there are ``sum_j [x**(q-w_j) .. x**(q-1)] F_{j-1}`` of them. Those containing member ``i``
    either end in ``i`` (a window of ``F_{i-1}``) or in a later ``j``; summed over ``j`` the
    latter are a window of ``sum_{j>i} F_{j-1} (1 - x**w_j) / (1 + x**w_i)``, and since
    ``x**w_j F_{j-1} = F_j - F_{j-1}`` the sum telescopes to ``C_n - C_i - F_n + F_i`` with
    ``C_k = sum_{k' < k} F_k'``. For ``i`` the first member of its weight class (``p``
    heavier members before it), the count is

        ``L(C_n - F_n) - L(C_p + F_p) + [x**0 .. x**(q-1)] F_p``,

    where ``L(P)`` is the sum of the coefficients of ``P / (1 + x**w_i)`` below ``q - w_i``: an
    alternating sum of prefix sums of ``P`` with stride ``w_i`` (Bilbao et al. 2000). Within a
    class of weight ``w`` the ``F_k`` sum to ``(F_end - F_start) / x**w``, so ``C`` is updated
    once per class. Work: ``O(n q)`` big-integer slot operations, as for the Banzhaf count,
    plus per weight class a few strided sums of ``q / w`` slots.

    Polynomials are kept as packed inclusive prefix sums (:func:`running_sums`), which are
    multiplied by ``1 + x**w`` as the polynomials are and give a prefix sum per slot. Games of
    up to :data:`WORD_MEMBERS` members use ``uint64`` vectors and sums modulo
    ``2**64``, exact because every result is a count below ``2**64``; larger ones pack each
    polynomial into one integer, slots widened as the counts grow (every slot of ``F_k`` and
    ``C_k`` is below ``2**k``).
    """
    slots = pass_slots(game)
    if game.plain_members <= WORD_MEMBERS:
        return _minimal_pass(game, _Words(game, slots))
    return _minimal_pass(game, _Packed(game, slots))


_DIRECT = 3
"""Classes of at most this many members add each product to ``C`` (one addition per member)
instead of ``(F_end - F_start) / x**w`` (three operations per class)."""

_P = TypeVar("_P")


class _Ops(Protocol[_P]):
    """What :func:`_minimal_pass` does with its polynomials (packed integers or vectors)."""

    modulus: int
    slots: int

    def one(self) -> _P: ...
    def zero(self) -> _P: ...
    def add(self, a: _P, b: _P) -> _P: ...
    def slot(self, poly: _P, t: int) -> int: ...
    def grow(self, poly: _P, acc: _P, w: int, m: int, heavy: bool) -> tuple[_P, _P]: ...
    def table(self, poly: _P) -> np.ndarray: ...


def _minimal_pass(game: Game, ops: _Ops[_P]) -> tuple[int, list[int], Prefix]:
    """The pass of :func:`plain_minimal_counts` over ``ops``' polynomials."""
    q, slots = game.quota, ops.slots
    poly, acc = ops.one(), ops.zero()
    total, reads = 0, []
    for w, m, t in game.plain:
        early = _alternating(ops.table(ops.add(acc, poly)), q - 1 - w, w)
        reads.append((w, t, early, ops.slot(poly, q - 1)))
        before = ops.slot(acc, q - 1) - ops.slot(acc, q - 1 - w)
        poly, acc = ops.grow(poly, acc, w, m, heavy=w > slots - q)
        total += ops.slot(acc, q - 1) - ops.slot(acc, q - 1 - w) - before
    ends = ops.table(acc), ops.table(poly)
    out = [0] * len(game.types.count)
    for w, t, early, below in reads:
        late = _alternating(ends[0], q - 1 - w, w) - _alternating(ends[1], q - 1 - w, w)
        out[t] = (late - early + below) % ops.modulus if ops.modulus else late - early + below
    pre = Prefix([0, *_rows(ends[1])], Packing(slots, 1, 64))
    return total, out, pre


class _Packed:
    """Polynomials of :func:`plain_minimal_counts` packed into big integers, slots widened as
    the counts grow; exact."""

    modulus = 0

    def __init__(self, game: Game, slots: int) -> None:
        self.slots, self.final = slots, packing(game.plain_members, game.quota).bits
        self.bits, self.members = widened_bits(0, self.final), 0

    def one(self) -> int:
        return running_sums(Packing(self.slots, 1, self.bits))

    def zero(self) -> int:
        return 0

    def add(self, a: int, b: int) -> int:
        return a + b

    def slot(self, packed: int, t: int) -> int:
        return (packed >> (t * self.bits)) & ((1 << self.bits) - 1) if t >= 0 else 0

    def grow(self, poly: int, acc: int, w: int, m: int, heavy: bool) -> tuple[int, int]:
        """Multiply ``poly`` by ``(1 + x**w)**m`` and add the ``m`` products before each
        factor to ``acc``: ``(F_end - F_start) / x**w`` at once unless ``heavy``."""
        done = 0
        while done < m:
            if self.members + 3 > self.bits:
                wider = widened_bits(self.members + 1, self.final)
                poly, acc = (repack(v, self.slots, self.bits, wider) for v in (poly, acc))
                self.bits = wider
            chunk = min(m - done, self.bits - 2 - self.members)
            layout = Packing(self.slots, 1, self.bits)
            if not heavy and chunk > _DIRECT:
                grown = multiply(poly, [w] * chunk, layout)
                acc += (grown - poly) >> (w * self.bits)
                poly = grown
            else:
                for _ in range(chunk):
                    acc += poly
                    poly = multiply(poly, [w], layout)
            done, self.members = done + chunk, self.members + chunk
        return poly, acc

    def table(self, packed: int) -> np.ndarray:
        """The slots as rows of little-endian bytes."""
        step = self.bits // 8
        data = packed.to_bytes(self.slots * step, "little")
        return np.frombuffer(data, np.uint8).reshape(self.slots, step)


class _Words:
    """Polynomials of :func:`plain_minimal_counts` as ``uint64`` vectors, for games of at most
    62 members: every count fits, and sums are taken modulo ``2**64``."""

    modulus = 2**64

    def __init__(self, game: Game, slots: int) -> None:
        self.slots = slots

    def one(self) -> np.ndarray:
        return np.ones(self.slots, np.uint64)

    def zero(self) -> np.ndarray:
        return np.zeros(self.slots, np.uint64)

    def add(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        total: np.ndarray = a + b
        return total

    def slot(self, words: np.ndarray, t: int) -> int:
        return int(words[t]) if t >= 0 else 0

    def grow(
        self, poly: np.ndarray, acc: np.ndarray, w: int, m: int, heavy: bool
    ) -> tuple[np.ndarray, np.ndarray]:
        _grow_words(poly, acc, w, m, by_class=m > _DIRECT and not heavy)
        return poly, acc

    def table(self, words: np.ndarray) -> np.ndarray:
        return words


def sized_minimal_counts(game: Game) -> list[list[int]]:
    """Minimal winning coalitions by size and, per type, those containing a member by size, for
    a game without veto holders of at most :data:`WORD_MEMBERS` members.

    The pass of :func:`plain_minimal_counts` with sizes: ``F_k`` is ``prod (1 + y x**w)``
    over the ``k`` heaviest members, and the class sums ``(F_end - F_start) / (y x**w)``. The
    count for the first member of a class of weight ``w`` is

        ``y (L(y C_n - F_n) - y L(C_p + F_p) + [x**0 .. x**(q-1)] F_p)``,

    now with ``L(P)`` the coefficients below ``q - w`` of ``P / (1 + y x**w)``: the alternating
    sum ``sum_j (-1)**j y**j`` of prefix sums at stride ``w``, read along a diagonal of the
    table by size and weight, and never longer than the largest size. Tables are ``uint64``
    (size by weight, as prefix sums over weight) and every sum is taken modulo ``2**64``.
    """
    q, slots = game.quota, pass_slots(game)
    top = max_size_below(game.ascending(), q) + 3  # sizes of sets below the quota, plus two
    poly = np.zeros((top, slots), np.uint64)
    poly[0] = 1  # prefix sums of the polynomial 1
    acc = np.zeros_like(poly)
    total = np.zeros(top + 1, np.uint64)
    reads = []
    for w, m, t in game.plain:
        early = _diagonal(acc, q - 1 - w, w) + _diagonal(poly, q - 1 - w, w)
        reads.append((w, t, early, poly[:, q - 1].copy()))
        before = _windows(acc, q, w)
        _grow_words(poly, acc, w, m, by_class=m > _DIRECT and w <= slots - q)
        total[1:] += _windows(acc, q, w) - before
    ends = -poly  # y C_n - F_n, modulo 2**64
    ends[1:] += acc[:-1]
    out = [[0] * (top + 1) for _ in game.types.count]
    for w, t, early, below in reads:
        inner = _diagonal(ends, q - 1 - w, w) + below
        inner[1:] -= early[:-1]
        out[t] = [0, *inner.tolist()]
    return [total.tolist(), *out]


def _grow_words(poly: np.ndarray, acc: np.ndarray, w: int, m: int, by_class: bool) -> None:
    """Multiply ``poly`` in place by ``m`` factors ``1 + x**w`` (a vector over weight) or
    ``1 + y x**w`` (a table by size and weight), adding each product before its factor to
    ``acc``, or ``(F_end - F_start) / x**w`` (``/ (y x**w)``) once when ``by_class``."""
    slots = poly.shape[-1]
    up = (slice(1, None),) * (poly.ndim - 1)  # one size more, by table
    down = (slice(None, -1),) * (poly.ndim - 1)
    start = poly.copy() if by_class else poly
    for _ in range(m):
        if not by_class:
            acc += poly
        if w < slots:  # numpy reads the operands before writing
            poly[(*up, slice(w, None))] += poly[(*down, slice(None, slots - w))]
    if by_class:
        acc[(*down, slice(None, slots - w))] += (poly - start)[(*up, slice(w, None))]


def _windows(table: np.ndarray, q: int, w: int) -> np.ndarray:
    """Per size, the coefficients of weights ``q - w .. q - 1`` summed, from prefix sums."""
    window: np.ndarray = table[:, q - 1] - (table[:, q - 1 - w] if q - 1 - w >= 0 else 0)
    return window


def _diagonal(table: np.ndarray, start: int, stride: int) -> np.ndarray:
    """Per size ``k``: ``sum_j (-1)**j table[k - j, start - j*stride]`` over the cells that
    exist, modulo ``2**64``."""
    sizes = table.shape[0]
    columns = np.arange(start, -1, -stride)[:sizes] if start >= 0 else np.arange(0)
    terms = len(columns)
    picked = table[:, columns]  # picked[r, j] goes to size r + j
    picked[:, 1::2] = 0 - picked[:, 1::2]
    skewed = np.zeros((sizes + terms, max(terms, 1)), np.uint64)
    rows = np.arange(sizes)[:, None] + np.arange(terms)[None, :]
    skewed[rows, np.arange(terms)[None, :]] = picked
    result: np.ndarray = skewed[:sizes].sum(axis=1, dtype=np.uint64)
    return result


def _rows(table: np.ndarray) -> list[int]:
    """The slots of a table (a ``uint64`` vector or rows of little-endian bytes) as integers."""
    if table.ndim == 1:
        return table.tolist()  # type: ignore[no-any-return]
    data, step = table.tobytes(), table.shape[1]
    return [int.from_bytes(data[i : i + step], "little") for i in range(0, len(data), step)]


def _alternating(table: np.ndarray, start: int, stride: int) -> int:
    """``sum_j (-1)**j table[start - j*stride]`` over the rows that exist (modulo ``2**64``
    for a ``uint64`` vector)."""
    if start < 0:
        return 0
    minus = table[start - stride :: -2 * stride] if start >= stride else table[:0]
    return _rows_total(table[start :: -2 * stride]) - _rows_total(minus)


def _rows_total(rows: np.ndarray) -> int:
    """The sum of the slots of a :func:`_table`: modulo ``2**64`` for a ``uint64`` vector,
    else exactly, by column sums."""
    count = rows.shape[0]
    if count == 0:
        return 0
    if rows.ndim == 1:
        return int(rows.sum(dtype=np.uint64))
    columns = rows.sum(axis=0, dtype=np.uint64)  # each at most 255 * count
    planes = columns.view(np.uint8).reshape(-1, 8)
    used = (int(255 * count).bit_length() + 7) // 8
    return sum(int.from_bytes(planes[:, k].tobytes(), "little") << (8 * k) for k in range(used))
