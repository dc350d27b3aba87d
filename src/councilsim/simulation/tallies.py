"""Independent votes counted by tally state, where a council's codes are too many to histogram.

:class:`~councilsim.simulation.fast.CountsPlan` turns each draft into one code (every unit's
yes and blocking counts) and histograms the codes; beyond
:data:`~councilsim.simulation.fast.MAX_CODES` codes (many kinds of seat, or members with
probabilities of their own) a histogram would be longer than the drafts it counts. A
:class:`TalliesPlan` draws the same per-unit counts, a block in steps of :data:`STEP` drafts,
and reduces each step at once to what a chunk's :class:`~councilsim.simulation.counts.Counts`
need: per state ``(Y, B)`` of the :class:`~councilsim.simulation.grid.Grid`, the number of
drafts and, per unit, the sums of its yes and blocking counts; and, where the grid merges
states, the exact sums of ``Y`` and ``Y²``. Units' yes counts are packed side by side into one
number per draft, each in a field as wide as its sums can grow (:func:`packs`), and summed by
one :func:`numpy.bincount` per pack; a veto unit whose other votes all block has its blocking
sums from its yes sums (``size × drafts − yes`` in each state), else one ``bincount`` of its
own. The figures are the same sums as the histogram of codes gives, so the estimates mean the
same; only which random numbers make each draft differs.

Where every vote is yes or no at 1/2, a draft is one random bit per member, as in the
histogram path, and each unit's yes count is the popcount of its bits (numpy's
``bitwise_count``, or a table of bytes before numpy 2: the same numbers); else each unit
draws its counts (:func:`~councilsim.simulation.fast.unit_draws`). With one bit per member
(at most 64 members), the compiled loop can sum the same raw words (:meth:`TalliesPlan.
compiled`, ``simulate(..., jit=True)``; numba must be installed). Such councils were
simulated by the per-member engine (:mod:`councilsim.simulation.votes`), which stays where it
is faster (:data:`MIN_POOL`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

import numpy as np
from numpy.typing import NDArray

from councilsim.council import Council
from councilsim.models._params import VoteProbs
from councilsim.simulation.compiled import tally_kernel
from councilsim.simulation.counts import UNIT_FIELDS, Counts, Layout, limb_moments
from councilsim.simulation.fast import (
    Unit,
    group_units,
    one_bit,
    packed_offsets,
    unit_draws,
    unit_layout,
    unit_terms,
)
from councilsim.simulation.grid import Grid

_F = {name: k for k, name in enumerate(UNIT_FIELDS)}

STEP = 8192
"""Drafts drawn and reduced at a time: memory does not grow with the council (a whole block
of 2**16 drafts of 1000 members, each alone, would hold some 130 MB of counts), and the
arrays stay in cache (26 members each alone: 7 % faster than whole blocks)."""

JIT_WEIGHT = 1 << 20
"""The compiled loop looks each value of ``Y`` up in a table: it serves councils whose total
weight is below this (8 MiB; the sums of ``Y²`` of a step then fit 64-bit integers)."""

PACK_BITS = 53
"""Within a step, units' yes counts are packed side by side into one number per draft, each
in as many bits as its sum over the step's drafts needs, and summed by one weighted
:func:`numpy.bincount` per pack (:func:`packs`): sums in floating point are exact below
2**53."""

ROUND = 1 << 16
"""The compiled loop packs units' yes counts into 63-bit integers, their fields wide enough
for this many drafts (a simulation block); it unpacks them after each round."""

MIN_POOL = 3
"""Where members are not one bit each, a plan sums by state only if its groups average at
least this many members (:attr:`TalliesPlan.useful`): a group's binomial draws cost more than
two or three members' uniforms. Measured (``bench_simulation.py --own``, drafts a second by
state over per member): 200 members in 15 groups 2.7, in 45 groups 1.25, in 105 groups 0.72,
each alone 0.84; at 1/2, one bit per member, by state was faster even with every member
alone (24, 64 and 200 members: 2.7, 1.9 and 2.2)."""


Pack = tuple[tuple[int, int, int], ...]
"""Units packed into one number: ``(unit, shift, bits)`` of each field, low bits first."""


def packs(units: tuple[Unit, ...], drafts: int, bits: int) -> tuple[Pack, ...]:
    """The units, in order, packed into numbers of at most ``bits`` bits: each unit's field
    holds its yes votes summed over up to ``drafts`` drafts (``drafts × size``), so that sums
    of packed numbers carry nothing from one field into the next. A unit wider than ``bits``
    is a pack of its own."""
    out: list[Pack] = []
    pack: list[tuple[int, int, int]] = []
    used = 0
    for k, u in enumerate(units):
        width = (drafts * u.size).bit_length()
        if pack and used + width > bits:
            out.append(tuple(pack))
            pack, used = [], 0
        pack.append((k, used, width))
        used += width
    if pack:
        out.append(tuple(pack))
    return tuple(out)


@dataclass(frozen=True)
class Packing:
    """Units' yes counts packed as :func:`packs` lays them out, and how to read them back."""

    packs: tuple[Pack, ...]
    pack_of: NDArray[np.int64]
    """Each unit's pack."""
    shift: NDArray[np.int64]
    """Each unit's first bit in its pack."""
    mask: NDArray[np.int64]
    """Each unit's field, from its first bit (all bits where a unit is a pack of its own)."""

    @classmethod
    def of(cls, units: tuple[Unit, ...], drafts: int, bits: int) -> Packing:
        layout = packs(units, drafts, bits)
        pack_of = np.zeros(len(units), dtype=np.int64)
        shift = np.zeros(len(units), dtype=np.int64)
        mask = np.full(len(units), -1, dtype=np.int64)
        for g, pack in enumerate(layout):
            for k, first, width in pack:
                pack_of[k], shift[k] = g, first
                if len(pack) > 1:
                    mask[k] = (1 << width) - 1
        return cls(layout, pack_of, shift, mask)

    def fields(self, sums: NDArray[np.int64]) -> NDArray[np.int64]:
        """Each unit's field (a row per unit) of the packed ``sums`` (a row per pack)."""
        out: NDArray[np.int64] = (sums[self.pack_of] >> self.shift[:, None]) & self.mask[:, None]
        return out


@dataclass
class Sums:
    """A chunk's running sums: ``table`` rows are the drafts per state, then each unit's yes
    counts per state, then each unit's blocking counts per state; ``yes_sum`` and ``yes_sq``
    are exact sums of ``Y`` and ``Y²`` (kept where the grid merges states)."""

    table: NDArray[np.int64]
    yes_sum: int = 0
    yes_sq: int = 0
    draws: int = 0


@dataclass(frozen=True)
class TalliesPlan:
    """Counts of independent votes by tally state (see the module docstring)."""

    grid: Grid
    layout: Layout
    units: tuple[Unit, ...]
    terms: tuple[tuple[int, int, int], ...] | None
    """Where a draft is one bit per member: ``(word, mask, unit)`` per 64-bit word a unit's
    bits reach (units' bits one after another, :func:`~councilsim.simulation.fast.
    unit_terms`); ``None`` where units draw their counts."""
    words: int
    """64-bit words per draft with one bit per member (0: a 32-bit word, up to 32 members)."""
    jit: bool = False
    """Sum the drafts in the compiled loop (:meth:`compiled`; numba must be installed)."""

    @classmethod
    def build(cls, council: Council, probs: tuple[VoteProbs, ...]) -> TalliesPlan:
        grid = Grid.of(council)
        units = group_units(council, probs, grid)
        layout = unit_layout(council, grid, units)
        if not one_bit(units):
            return cls(grid, layout, units, None, 0)
        terms = unit_terms(units, tuple(range(len(units))), packed_offsets(units))
        members = council.size
        return cls(grid, layout, units, terms, 0 if members <= 32 else -(-members // 64))

    @property
    def compilable(self) -> bool:
        """Whether the compiled loop can sum these drafts: one bit per member, at most 64
        members, a total weight below :data:`JIT_WEIGHT`."""
        members = len(self.layout.member_unit)
        return self.terms is not None and members <= 64 and self._total < JIT_WEIGHT

    @cached_property
    def _total(self) -> int:
        """The total weight: the largest value of ``Y`` (kept, not pickled)."""
        return sum(u.size * u.weight for u in self.units)

    def compiled(self) -> TalliesPlan:
        """This plan, summing its drafts in the compiled loop where it can
        (:attr:`compilable`): the same raw words and the same sums."""
        return replace(self, jit=True) if self.compilable else self

    @cached_property
    def _kernel_args(self) -> tuple[NDArray[Any], ...]:
        """What the compiled loop reads: each unit's mask, weight and size if it holds a veto
        (else 0), the state of each value of ``Y`` and of ``B``, and each unit's pack and
        shift (:data:`ROUND`; kept, not pickled)."""
        assert self.terms is not None
        grid = self.grid
        masks = np.array([mask for _, mask, _ in self.terms], dtype=np.uint64)
        weights = np.array([u.weight for u in self.units], dtype=np.int64)
        vetoes = np.array([u.size if u.veto else 0 for u in self.units], dtype=np.int64)
        ymap = np.searchsorted(grid.y_values, np.arange(self._total + 1), side="right") - 1
        bmap = np.searchsorted(grid.b_values, np.arange(int(vetoes.sum()) + 1), side="right") - 1
        packing = self._round_packing
        ymap, bmap = ymap.astype(np.int64), bmap.astype(np.int64)
        return masks, weights, vetoes, ymap, bmap, packing.pack_of, packing.shift

    @cached_property
    def _round_packing(self) -> Packing:
        """How the compiled loop packs a round's yes counts (kept, not pickled)."""
        return Packing.of(self.units, ROUND, 63)

    @cached_property
    def _vetoes(self) -> tuple[NDArray[np.intp], NDArray[np.int64]]:
        """The units that hold a veto, and their sizes (kept, not pickled)."""
        found = [k for k, u in enumerate(self.units) if u.veto]
        sizes = [self.units[k].size for k in found]
        return np.array(found, dtype=np.intp), np.array(sizes, dtype=np.int64)

    def _add_yes(
        self,
        table: NDArray[np.int64],
        drafts: NDArray[np.int64],
        by_yes: NDArray[np.int64],
        derived: NDArray[np.bool_] | None = None,
    ) -> None:
        """Add each unit's yes sums by state (a row per unit) to ``table``, and the blocking
        sums of veto units whose other votes all block (``derived`` among the veto units,
        default all): the unit's size times the drafts in the state, less its yes votes."""
        units = len(self.units)
        table[1 : 1 + units] += by_yes
        veto, sizes = self._vetoes
        if derived is not None:
            veto, sizes = veto[derived], sizes[derived]
        if veto.size:
            table[1 + units + veto] += sizes[:, None] * drafts - by_yes[veto]

    def __getstate__(self) -> dict[str, Any]:
        """The fields alone, not what is kept for the compiled loop."""
        return {name: value for name, value in self.__dict__.items() if name[0] != "_"}

    def _draw_compiled(self, rng: np.random.Generator, n: int, acc: Sums) -> None:
        """:meth:`block` in the compiled loop, from the same raw words, a round of
        :data:`ROUND` drafts at a time."""
        kernel = tally_kernel()
        args = self._kernel_args
        moments = np.zeros(2, dtype=np.int64)
        packing = self._round_packing
        for first in range(0, n, ROUND):
            size = min(ROUND, n - first)
            by_state = np.zeros((self.grid.size, 1 + len(packing.packs)), dtype=np.int64)
            for start in range(0, size, STEP):
                k = min(STEP, size - start)
                kernel(self.raw_words(rng, k), k, not self.words, *args, by_state, moments)
            drafts = by_state[:, 0]
            acc.table[0] += drafts
            # one bit per member: a veto holder that does not vote yes blocks
            self._add_yes(acc.table, drafts, packing.fields(by_state[:, 1:].T))
        acc.draws += n
        if not self.grid.full:
            acc.yes_sum += int(moments[0])
            acc.yes_sq += int(moments[1])

    @property
    def useful(self) -> bool:
        """Whether this plan is faster than drawing every member's vote: a draft is one bit
        per member, or its groups average at least :data:`MIN_POOL` members."""
        members = len(self.layout.member_unit)
        return self.terms is not None or members >= MIN_POOL * len(self.units)

    def start(self) -> Sums:
        rows = 1 + 2 * len(self.units)
        return Sums(np.zeros((rows, self.grid.size), dtype=np.int64))

    def block(self, rng: np.random.Generator, n: int, acc: Sums) -> None:
        """Draw ``n`` drafts in steps of :data:`STEP`, each unit's counts in turn (so that
        memory does not grow with the council, and the arrays stay small), and add them to
        ``acc``."""
        if self.jit:
            self._draw_compiled(rng, n, acc)
            return
        for start in range(0, n, STEP):
            self.add(list(self.unit_counts(rng, min(STEP, n - start))), acc)

    def add(self, counts: list[tuple[NDArray[Any], NDArray[Any] | None]], acc: Sums) -> None:
        """Add drafts to ``acc``, given by each unit's yes counts and blocking counts (as
        :meth:`unit_counts` yields them; ``None`` where a unit's blocking count is not
        drawn)."""
        n = counts[0][0].size
        for start in range(0, n, STEP):  # small steps keep the temporaries in cache
            stop = start + STEP
            step = [(y[start:stop], None if b is None else b[start:stop]) for y, b in counts]
            self._add(step, acc)
        acc.draws += n

    def _add(self, counts: list[tuple[NDArray[Any], NDArray[Any] | None]], acc: Sums) -> None:
        """:meth:`add` for one step of drafts (without counting them)."""
        grid, units = self.grid, self.units
        n = counts[0][0].size
        tally = self._tally_type  # Y in the narrowest type that holds it: less to move
        y = np.zeros(n, dtype=tally)
        part = np.empty(n, dtype=tally)
        b = np.zeros(n, dtype=np.int64)
        for u, (yes, block) in zip(units, counts, strict=True):
            if u.weight == 1:
                np.add(y, yes, out=y, casting="unsafe")
            else:
                np.multiply(yes, tally(u.weight), out=part, casting="unsafe")
                np.add(y, part, out=y)
            if u.veto:  # implied: a veto holder that does not vote yes blocks
                b += u.size - yes.astype(np.int64) if block is None else block
        z = grid.index(y, b)
        size = grid.size
        table = acc.table
        drafts = np.bincount(z, minlength=size)
        table[0] += drafts
        packing = self._packing
        by_pack = np.empty((len(packing.packs), size), dtype=np.int64)
        packed = np.empty(n)  # in floating point, as bincount weighs: exact below 2**53
        field = np.empty(n)
        for g, pack in enumerate(packing.packs):
            first: NDArray[Any] = counts[pack[0][0]][0]
            if len(pack) > 1:
                np.copyto(packed, first)
                for k, shift, _ in pack[1:]:
                    np.multiply(counts[k][0], float(1 << shift), out=field)
                    np.add(packed, field, out=packed)
            weights = packed if len(pack) > 1 else first
            by_pack[g] = np.rint(np.bincount(z, weights=weights, minlength=size))
        veto, _ = self._vetoes
        derived = np.array([counts[k][1] is None for k in veto], dtype=np.bool_)
        self._add_yes(table, drafts, packing.fields(by_pack), derived)
        for k in veto[~derived]:  # drawn blocking counts
            by_block = np.bincount(z, weights=counts[k][1], minlength=size)
            table[1 + len(units) + k] += np.rint(by_block).astype(np.int64)
        if not grid.full:
            total, sq = limb_moments(y.astype(np.int64))
            acc.yes_sum += total
            acc.yes_sq += sq

    @cached_property
    def _tally_type(self) -> type[np.unsignedinteger] | type[np.int64]:
        """The narrowest integer type that holds every value of ``Y`` (kept, not pickled)."""
        total = self._total
        return np.uint16 if total < 1 << 16 else np.uint32 if total < 1 << 32 else np.int64

    @cached_property
    def _packing(self) -> Packing:
        """How a step's yes counts are packed for numpy (:data:`PACK_BITS`; kept, not
        pickled)."""
        return Packing.of(self.units, STEP, PACK_BITS)

    def raw_words(self, rng: np.random.Generator, n: int) -> NDArray[np.uint64]:
        """The raw 64-bit words of ``n`` one-bit drafts: :attr:`words` each, or two drafts
        to a word up to 32 members."""
        count = n * self.words if self.words else -(-n // 2)
        return np.asarray(rng.bit_generator.random_raw(count), dtype=np.uint64)

    def unit_counts(
        self, rng: np.random.Generator, n: int
    ) -> Iterator[tuple[NDArray[Any], NDArray[Any] | None]]:
        """Per unit in order, ``n`` drafts' yes counts and blocking counts (``None`` where
        not drawn, as :func:`~councilsim.simulation.fast.unit_draws`): from one bit per
        member, unit ``k``'s bits following unit ``k − 1``'s from bit 0 of a draft's 32-bit
        word (up to 32 members) or of its 64-bit words (bit ``j`` of draft ``i`` is bit
        ``j mod 64`` of raw word ``⌊j/64⌋·n + i`` of the ``n`` drafts' words), else by
        :func:`unit_draws`."""
        if self.terms is None:
            yield from unit_draws(self.units, rng, n)
            return
        raw = self.raw_words(rng, n)
        words: NDArray[np.unsignedinteger] = (
            raw.reshape(self.words, n) if self.words else raw.view(np.uint32)[None, :n]
        )
        masked = np.empty(n, dtype=words.dtype)
        count = np.empty(n, dtype=np.uint8)
        yes: NDArray[np.unsignedinteger] | None = None
        last = len(self.terms) - 1
        for t, (j, mask, k) in enumerate(self.terms):
            np.bitwise_and(words[j], words.dtype.type(mask), out=masked)
            popcount(masked, count)
            if yes is None:  # a type that holds the unit's size (a word's count is a byte)
                yes = count.astype(np.min_scalar_type(self.units[k].size))
            else:
                yes += count
            if t == last or self.terms[t + 1][2] != k:
                yield yes, None
                yes = None

    def finish(self, acc: Sums) -> Counts:
        grid, units = self.grid, self.units
        table = acc.table
        out = np.zeros((len(UNIT_FIELDS), len(units)), dtype=np.int64)
        yes_gain, block_gain = grid.gains
        adopted, vetoed, alone = grid.adopted, grid.vetoed, grid.vetoed_alone
        for k, u in enumerate(units):
            kind = int(self.layout.unit_kind[k])
            by_yes = table[1 + k]
            out[_F["yes"], k] = by_yes.sum()
            out[_F["yes_adopted"], k] = by_yes[adopted].sum()
            out[_F["yes_pivot"], k] = by_yes @ yes_gain[kind]
            if u.veto:
                by_block = table[1 + len(units) + k]
                out[_F["vetoed"], k] = by_block[vetoed].sum()
                out[_F["alone"], k] = by_block[alone].sum()
                out[_F["block_pivot"], k] = by_block @ block_gain[kind]
        return Counts(
            draws=acc.draws,
            states=table[0].copy(),
            units=out,
            yes_sum=acc.yes_sum,
            yes_sq=acc.yes_sq,
        )


_BYTE_COUNTS = np.array([k.bit_count() for k in range(256)], dtype=np.uint8)


def popcount(words: NDArray[np.unsignedinteger], out: NDArray[np.uint8]) -> None:
    """The set bits of each of the contiguous ``words`` into ``out``: numpy's
    ``bitwise_count`` (numpy 2), else :func:`popcount_by_bytes`."""
    if hasattr(np, "bitwise_count"):
        np.bitwise_count(words, out=out)
    else:  # numpy before 2.0
        popcount_by_bytes(words, out)


def popcount_by_bytes(words: NDArray[np.unsignedinteger], out: NDArray[np.uint8]) -> None:
    """:func:`popcount` by a table of the 256 bytes' counts."""
    per_byte = _BYTE_COUNTS[words.view(np.uint8).reshape(words.size, words.itemsize)]
    np.sum(per_byte, axis=1, dtype=np.uint8, out=out)
