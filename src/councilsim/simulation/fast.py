"""The fast path for independent votes: draw vote counts per group, not one vote per member.

Members with the same weight, veto and vote probabilities are interchangeable. For a group of
``n`` of them only the number voting yes (and, for veto holders, the number blocking) matters
to the tallies, and it is binomial. Each draft is then one integer *code*, a mixed-radix
number of those counts, and a block of drafts is one histogram of codes. At the end of a chunk
every code seen is decoded into its tallies, classified with :func:`councilsim.rule.classify`
through the :class:`~councilsim.simulation.grid.Grid`, and turned into the same
:class:`~councilsim.simulation.counts.Counts` as per-member votes give, pooled over each
group (by exchangeability, a group's members have equal expected figures).

When every member votes yes with probability exactly 1/2 (and veto holders otherwise vote
no), a draft needs one random bit per member (Coleman's and Penrose–Banzhaf's setting): the
counts are popcounts of bit fields of raw 64-bit words (where the draft's word has room and
the codes are bytes, each group's bits start at a byte: :func:`byte_offsets`). numpy sums
masked popcounts (:class:`Popcounts`, numpy 2; byte by byte up to 16 members) and counts the
drafts two at a time in a histogram of pairs of codes; this also serves councils beyond 64
members (several words per draft). Where the codes are too many for that, up to 16 members
numpy histograms the bit patterns themselves (:class:`Bins`) and maps them to codes when the
histogram is read; elsewhere the codes come from lookup tables of 16-bit fields. With numba
installed, long runs (or ``jit=True``) count the codes in a compiled loop
(:mod:`councilsim.simulation.compiled`) that gives the same histogram.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

import numpy as np
from numpy.typing import NDArray

from councilsim.council import Council
from councilsim.models._params import VoteProbs
from councilsim.rule import Vote, block_probability, neutral_probability
from councilsim.simulation.compiled import BitCounter, share_table
from councilsim.simulation.counts import UNIT_FIELDS, Counts, Layout, exact_moments
from councilsim.simulation.grid import Grid

MAX_CODES = 1 << 20
"""The largest code space histogrammed; beyond it independent votes are summed by tally state
(:mod:`councilsim.simulation.tallies`)."""

MAX_LUT_BITS = 16
MAX_BINS = 1 << 18
"""The most histogram bins numpy counts one-bit drafts in (see :class:`Bins`)."""
STEP = 16384
"""Drafts coded at a time from one block's random words."""
SINGLE_STEP = 1 << 15
"""Drafts :class:`Popcounts` codes at a time where it counts them one by one (more than
:data:`PAIR_CODES` codes): about 10 % faster than :data:`STEP` at 20-32 members
(time ÷ RNG 3.6-3.7 against 4.0-4.1 with three groups of members), 3 % at 64."""
_F = {name: k for k, name in enumerate(UNIT_FIELDS)}


@dataclass(frozen=True)
class Unit:
    """A group of interchangeable members: weight, veto, P(yes), P(block) for veto holders.

    ``implied``: a veto holder that does not vote yes always blocks
    (:func:`councilsim.rule.neutral_probability` is 0: no abstention or absence under the
    practice of Art. 27(3), or the literal reading), so the blocking count is ``size − yes``.
    """

    members: tuple[int, ...]
    weight: int
    veto: bool
    p_yes: float
    p_block: float
    implied: bool

    @property
    def size(self) -> int:
        return len(self.members)

    @property
    def radix(self) -> int:
        n = self.size + 1
        return n * n if self.veto and not self.implied else n


@dataclass(frozen=True)
class CountsPlan:
    """Draft codes from per-group counts, histogrammed per chunk (see the module docstring)."""

    grid: Grid
    layout: Layout
    units: tuple[Unit, ...]
    strides: tuple[int, ...]
    codes: int
    bits: tuple[tuple[int, int, NDArray[np.intp]], ...] | None
    word: type[np.unsignedinteger] | None
    share: NDArray[np.intp] | None = None
    binned: Bins | None = None
    counter: BitCounter | None = None
    popcounts: Popcounts | None = None

    @classmethod
    def build(
        cls, council: Council, probs: tuple[VoteProbs, ...], *, jit: bool = False
    ) -> CountsPlan | None:
        """The plan for these probabilities, or ``None`` if the code space is too large.

        ``jit``: count one-bit drafts with the compiled loop where the plan qualifies
        (:class:`~councilsim.simulation.compiled.BitCounter`; numba must be installed).
        """
        grid = Grid.of(council)
        units = group_units(council, probs, grid)
        strides, codes = [], 1
        for u in units:
            strides.append(codes)
            codes *= u.radix
            if codes > MAX_CODES:
                return None
        layout = unit_layout(council, grid, units)
        halves = one_bit(units)
        bits, word, share, binned, popcounts = None, None, None, None, None
        if halves:
            offsets = byte_offsets(units, tuple(strides), codes)
            share = np.zeros(offsets[-1] + units[-1].size, dtype=np.intp)
            for u, s, first in zip(units, strides, offsets, strict=True):
                share[first : first + u.size] = s
            popcounts = Popcounts.of(units, tuple(strides), codes, offsets)
        if share is not None and share.size <= 64:
            bits, word = _bit_fields(share)
            if share.size <= 16:  # bytes' popcounts, unless bit patterns are cheaper
                lanes = codes <= LANE_CODES and len(units) <= LANE_TERMS
                popcounts = popcounts if lanes else None
            elif (
                popcounts is not None and share.size <= 32 and len(popcounts.terms) > len(bits) + 1
            ):
                popcounts = None  # table lookups are cheaper (not in 64-bit words: 4.5 against 5.0)
            if popcounts is None:
                binned = Bins.of(bits) if len(bits) <= 2 else None
        elif popcounts is not None:
            word = np.uint64
        plan = cls(
            grid, layout, units, tuple(strides), codes, bits, word, share, binned, None, popcounts
        )
        return plan.compiled() if jit else plan

    def compiled(self) -> CountsPlan:
        """This plan, counting one-bit drafts with the compiled loop where it qualifies
        (:class:`~councilsim.simulation.compiled.BitCounter`; numba must be installed)."""
        if self.share is None:
            return self
        return replace(self, counter=BitCounter.build(self.share, self.codes))

    @property
    def member_bits(self) -> NDArray[np.intp]:
        """For one-bit drafts, the bit of each member's vote (1 = yes): its unit's first
        bit (:func:`byte_offsets`) plus its rank in the unit; bit ``j`` of a draft beyond 64
        members is bit ``j % 64`` of its word ``j // 64``."""
        bits = np.empty(self.layout.member_unit.size, dtype=np.intp)
        offsets = byte_offsets(self.units, self.strides, self.codes)
        for u, first in zip(self.units, offsets, strict=True):
            bits[list(u.members)] = np.arange(first, first + u.size)
        return bits

    @property
    def bins(self) -> Bins | None:
        """How numpy histograms one-bit drafts of at most 32 members (see :class:`Bins`), or
        ``None`` where it codes every draft (or the compiled loop counts)."""
        return None if self.counter is not None or self.popcounts is not None else self.binned

    def start(self) -> NDArray[np.int64]:
        """An empty histogram: of codes, of :attr:`bins`, or one of codes per lane of the
        compiled counter."""
        if self.counter is not None:
            return self.counter.start()
        if self.popcounts is not None:
            return np.zeros(self.popcounts.size, dtype=np.int64)
        bins = self.bins
        return np.zeros(self.codes if bins is None else bins.size, dtype=np.int64)

    def block(self, rng: np.random.Generator, n: int, acc: NDArray[np.int64]) -> None:
        if self.counter is not None:  # the same raw words, drawn and counted in compiled code
            self.counter.draw(rng, n, acc)
            return
        if self.popcounts is not None:
            self.popcounts.count(self.words(rng, n), acc, owned=True)
            return
        if self.bits is None:
            acc += np.bincount(self.sample(rng, n), minlength=self.codes)
            return
        words = self.words(rng, n)
        bins = self.bins
        if bins is not None:
            acc += np.bincount(bins.of_words(words), minlength=bins.size)
            return
        # small steps keep the temporaries in cache (the codes are the same either way)
        step = STEP if self.codes <= STEP else n
        for start in range(0, n, step):
            add_codes(acc, self.codes_of_bits(words[start : start + step]))

    def words(self, rng: np.random.Generator, n: int) -> NDArray[np.unsignedinteger]:
        """``n`` random words of the plan's width, from raw 64-bit output; beyond 64 members,
        a ``(words, n)`` array of 64-bit words (:class:`Popcounts`)."""
        assert self.word is not None
        if self.bits is None and self.popcounts is not None:
            k = self.popcounts.words
            return np.asarray(rng.bit_generator.random_raw(n * k), dtype=np.uint64).reshape(k, n)
        width = np.dtype(self.word).itemsize * 8
        raw = rng.bit_generator.random_raw(-(-n * width // 64))
        return np.asarray(raw, dtype=np.uint64).view(self.word)[:n]

    def sample(self, rng: np.random.Generator, n: int) -> NDArray[np.intp]:
        """The codes of ``n`` drafts."""
        if self.bits is not None:
            return self.codes_of_bits(self.words(rng, n))
        if self.popcounts is not None:
            return self.popcounts.codes_of(self.words(rng, n))
        code = np.zeros(n, dtype=np.intp)
        draws = unit_draws(self.units, rng, n)
        for u, stride, (yes, block) in zip(self.units, self.strides, draws, strict=True):
            code += yes * stride
            if block is not None:
                code += block * ((u.size + 1) * stride)
        return code

    def codes_of_bits(self, words: NDArray[np.unsignedinteger]) -> NDArray[np.intp]:
        """Codes from random words: bit ``j`` is member ``j``'s vote within its field (1 = yes).

        Each field's share is looked up with :func:`numpy.take` (fancy indexing is about
        twice as slow) in a copy of its table in the narrowest type that holds the codes
        (:attr:`_lookups`), where the sums are formed too: 16-bit tables of 2**16 entries
        stay in cache where native ones do not (about 30 against 49 µs per 16 384 drafts of
        32 members in four groups)."""
        code: NDArray[Any] | None = None
        for shift, mask, lut in self._lookups:
            field = (words >> shift) & mask if shift else words & mask
            part = np.take(lut, field)
            if code is None:
                code = part
            else:
                np.add(code, part, out=code)
        assert code is not None
        return code.astype(np.intp, copy=False)

    @cached_property
    def _lookups(self) -> tuple[tuple[int, int, NDArray[np.unsignedinteger]], ...]:
        """:attr:`bits` with each table in the narrowest unsigned type that holds every code
        (a field's shares, and their sums over the fields, are below :attr:`codes`)."""
        assert self.bits is not None
        narrow = np.uint16 if self.codes <= 1 << 16 else np.uint32
        return tuple((shift, mask, lut.astype(narrow)) for shift, mask, lut in self.bits)

    def decode(self, codes: NDArray[np.intp]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """Per code, each unit's yes count and blocking count (two ``(len, units)`` arrays)."""
        yes = np.zeros((codes.size, len(self.units)), dtype=np.int64)
        block = np.zeros_like(yes)
        for k, (yes_k, block_k) in enumerate(self._digits(codes)):
            yes[:, k] = yes_k
            if block_k is not None:
                block[:, k] = block_k
        return yes, block

    def _digits(
        self, codes: NDArray[np.integer]
    ) -> Iterator[tuple[NDArray[np.int64], NDArray[np.int64] | None]]:
        """Per unit in order, the codes' yes counts and blocking counts (``None`` for a unit
        without a veto): a code's digits in the units' mixed radix, lowest first, one
        :func:`numpy.divmod` each."""
        rest = codes.astype(np.int64)
        for u in self.units:
            rest, digit = np.divmod(rest, u.radix)
            if not u.veto:
                yield digit, None
            elif u.implied:
                yield digit, u.size - digit
            else:
                block, yes = np.divmod(digit, u.size + 1)
                yield yes, block

    def votes_of(self, codes: NDArray[np.intp]) -> NDArray[np.int8]:
        """A vote profile for each code: in each unit, first the yes votes, then the blocking
        ones (no), then the rest (abstentions; ``no`` for members without a veto). For checks.

        Under the literal reading a veto holder that does not vote yes blocks (its unit is
        ``implied``), so no veto holder is left for the rest."""
        yes, block = self.decode(codes)
        m = int(self.layout.member_unit.size)
        votes = np.empty((codes.size, m), dtype=np.int8)
        for k, u in enumerate(self.units):
            rank = np.arange(u.size)
            blocking = Vote.NO
            other = Vote.ABSTAIN if u.veto else Vote.NO
            part = np.where(
                rank < yes[:, k, None],
                Vote.YES,
                np.where(rank < (yes[:, k] + block[:, k])[:, None], blocking, other),
            )
            votes[:, list(u.members)] = part
        return votes

    def code_histogram(self, acc: NDArray[np.int64]) -> NDArray[np.int64]:
        """The number of drafts with each code, from an accumulator of :meth:`start`."""
        if self.counter is not None:
            return self.counter.histogram(acc)
        if self.popcounts is not None:
            return self.popcounts.histogram(acc)
        bins = self.bins
        if bins is not None:  # bins to codes (float sums are exact below 2**53)
            codes = np.bincount(bins.codes, weights=acc, minlength=self.codes)
            return np.rint(codes).astype(np.int64)
        out: NDArray[np.int64] = acc.reshape(-1, self.codes).sum(axis=0)
        return out

    def finish(self, acc: NDArray[np.int64]) -> Counts:
        """The counts of a chunk from its code histogram.

        Each sum over the codes seen is formed per state first (one weighted
        :func:`numpy.bincount` per unit and tally) and then weighed by the grid's tables,
        which are short. Float sums are exact here: each is at most a unit's size times
        :data:`~councilsim.limits.MAX_DRAWS`, below 2**53 for any council allowed."""
        hist = self.code_histogram(acc)
        grid = self.grid
        codes = np.flatnonzero(hist)
        h = hist[codes]
        weight = h.astype(np.float64)
        tallies = list(self._digits(codes))
        y = np.zeros(codes.size, dtype=np.int64)
        b = np.zeros(codes.size, dtype=np.int64)
        for u, (yes, block) in zip(self.units, tallies, strict=True):
            y += u.weight * yes if u.weight != 1 else yes
            if block is not None:
                b += block
        z = grid.index(y, b)

        def per_state(values: NDArray[np.float64]) -> NDArray[np.int64]:
            sums = np.bincount(z, weights=values, minlength=grid.size)
            return np.rint(sums).astype(np.int64)

        states = per_state(weight)
        units = np.zeros((len(UNIT_FIELDS), len(self.units)), dtype=np.int64)
        yes_gain, block_gain = grid.gains
        adopted, vetoed, alone = grid.adopted, grid.vetoed, grid.vetoed_alone
        kinds = self.layout.unit_kind
        for k, (yes, block) in enumerate(tallies):
            kind = int(kinds[k])
            by_yes = per_state(weight * yes)
            units[_F["yes"], k] = by_yes.sum()
            units[_F["yes_adopted"], k] = by_yes[adopted].sum()
            units[_F["yes_pivot"], k] = by_yes @ yes_gain[kind]
            if block is not None:
                by_block = per_state(weight * block)
                units[_F["vetoed"], k] = by_block[vetoed].sum()
                units[_F["alone"], k] = by_block[alone].sum()
                units[_F["block_pivot"], k] = by_block @ block_gain[kind]
        yes_sum, yes_sq = (0, 0) if grid.full else _weighted_moments(y, weight)
        return Counts(
            draws=int(h.sum()),
            states=states,
            units=units,
            yes_sum=yes_sum,
            yes_sq=yes_sq,
        )


def group_units(council: Council, probs: tuple[VoteProbs, ...], grid: Grid) -> tuple[Unit, ...]:
    """The council's members grouped into units of interchangeable members (same weight,
    veto and vote probabilities), in order of each unit's first member."""
    groups: dict[tuple[int, bool, float, float, bool], list[int]] = {}
    for i, (seat, p) in enumerate(zip(council.seats, probs, strict=True)):
        if seat.veto:
            block = block_probability(*p, grid.abstention)
            implied = neutral_probability(*p, grid.abstention) == 0
            sig = (int(seat.weight), True, float(p.yes), float(block), implied)
        else:
            sig = (int(seat.weight), False, float(p.yes), 0.0, False)
        groups.setdefault(sig, []).append(i)
    return tuple(Unit(tuple(m), w, v, py, pb, imp) for (w, v, py, pb, imp), m in groups.items())


def unit_layout(council: Council, grid: Grid, units: tuple[Unit, ...]) -> Layout:
    """Which unit each member is in, and each unit's size and kind."""
    member_unit = np.empty(council.size, dtype=np.intp)
    for k, u in enumerate(units):
        member_unit[list(u.members)] = k
    return Layout(
        member_unit=member_unit,
        unit_size=np.array([u.size for u in units], dtype=np.int64),
        unit_kind=np.array([grid.kinds.index((u.weight, u.veto)) for u in units], dtype=np.intp),
    )


def one_bit(units: tuple[Unit, ...]) -> bool:
    """Whether a draft needs one random bit per member: every member votes yes with
    probability 1/2, and a veto holder that does not vote yes blocks."""
    return all(u.p_yes == 0.5 and (u.implied or not u.veto) for u in units)


def unit_draws(
    units: tuple[Unit, ...], rng: np.random.Generator, n: int
) -> Iterator[tuple[NDArray[Any], NDArray[Any] | None]]:
    """Per unit in order, ``n`` drafts' yes counts and blocking counts (``None`` where the
    unit's blocking count is not drawn: no veto, or ``implied``). A unit of one member
    takes one uniform per draft; a larger unit a binomial yes count, then a binomial
    blocking count among the rest."""
    for u in units:
        drawn = u.veto and not u.implied
        if u.size == 1:
            x = rng.random(n)
            yes = x < u.p_yes
            yield yes, ((~yes) & (x < u.p_yes + u.p_block)) if drawn else None
            continue
        k = rng.binomial(u.size, u.p_yes, n)
        if not drawn:
            yield k, None
            continue
        rest = 1.0 - u.p_yes
        q = min(1.0, u.p_block / rest) if rest > 0 else 0.0
        yield k, rng.binomial(u.size - k, q)


POPCOUNT_CODES = MAX_CODES
"""The largest code space :class:`Popcounts` counts in: every plan's (its sums are 32-bit
beyond 2**16 codes, and single drafts are added by :func:`add_codes`)."""
POPCOUNT_TERMS = 16
"""The most masked popcounts per draft :class:`Popcounts` takes on."""
PAIR_CODES = 384
"""Up to this many codes :class:`Popcounts` counts drafts two at a time (``codes · span`` bins
of pairs: :attr:`Popcounts.span`)."""
LANE_CODES = 1 << 8
"""Up to 16 members, :class:`Popcounts` serves plans of at most this many codes (its
per-byte sums are 8-bit)."""
LANE_TERMS = 6
"""Up to 16 members, the most groups :class:`Popcounts` takes on (more favour :class:`Bins`)."""


@dataclass(frozen=True)
class Popcounts:
    """Codes of one-bit drafts as sums of masked popcounts (numpy's ``bitwise_count``).

    A draft's code is ``Σ_u stride_u · yes_u``, and unit ``u``'s yes votes are the set bits of
    its field (its members' bits are consecutive, units in order, each from a byte boundary
    where :func:`byte_offsets` puts it there). Each ``(word, unit)`` pair
    that shares bits is one *term* ``(word, mask, stride)``; the code is the sum over terms of
    ``stride · popcount(word & mask)``. Up to 64 members a draft is one word of the plan's
    width (the same bits as :meth:`CountsPlan.codes_of_bits` reads, hence the same codes).
    Beyond, a block of ``n`` drafts draws ``words · n`` raw 64-bit words, and bit ``j`` of draft
    ``i`` is bit ``j % 64`` of raw word ``(j // 64) · n + i``: the one-bit path generalised
    beyond 64 members, in place of a binomial draw per group.

    Where every byte of a 32-bit draft holds bits of one unit at most, or every byte but the
    lowest of a 16-bit one, a draft's code is one product of its bytes' popcounts (which numpy
    vectorises, unlike those of wider words), plus corrections from the lowest byte
    (:meth:`_bytes`). Other 16-bit drafts take their popcounts byte by byte and add a draft's
    two byte sums with one multiplication by 257. From 17 to 64 members, with several units,
    the widest unit's count is the popcount of all the units' bits less the others' counts,
    and a unit in the word's lowest byte is counted from that byte alone (:meth:`_by_union`).

    With at most :data:`PAIR_CODES` codes the drafts are counted two at a time: consecutive
    drafts ``2i`` and ``2i + 1`` add one to bin ``code_2i + span · code_2i+1`` of a histogram
    of pairs (an odd last draft to a bin of its own, after them), which
    :meth:`histogram` folds into the histogram of codes; half as many increments, which are
    the dearest step. The histogram of codes is the same as one draft at a time gives. Where
    the codes are bytes (at most 256), ``span`` is 256 and a pair's bin is its two code bytes
    read as one 16-bit number, with no arithmetic; else ``span`` is the number of codes.

    Blocks are counted some thousands of drafts at a time (:data:`STEP`,
    :data:`SINGLE_STEP`) in buffers kept per thread, so a run allocates nothing per block (no
    page faults, and the working set stays in cache).
    """

    words: int
    terms: tuple[tuple[int, int, int], ...]
    codes: int

    @classmethod
    def of(
        cls,
        units: tuple[Unit, ...],
        strides: tuple[int, ...],
        codes: int,
        offsets: tuple[int, ...] | None = None,
    ) -> Popcounts | None:
        """The terms of one-bit units, or ``None`` where this does not apply (numpy before
        2.0, more than :data:`POPCOUNT_CODES` codes or :data:`POPCOUNT_TERMS` terms).

        ``offsets``: each unit's first bit, by default the plans' (:func:`byte_offsets`)."""
        if not hasattr(np, "bitwise_count") or codes > POPCOUNT_CODES:
            return None
        if offsets is None:
            offsets = byte_offsets(units, strides, codes)
        bits = offsets[-1] + units[-1].size
        words = 1 if bits <= 64 else -(-bits // 64)
        terms = unit_terms(units, strides, offsets)
        if len(terms) > POPCOUNT_TERMS:
            return None
        return cls(words, terms, codes)

    @property
    def small(self) -> type[np.unsignedinteger]:
        """The integer type that holds every code: the sums are formed in it."""
        return (
            np.uint8 if self.codes <= 1 << 8 else np.uint16 if self.codes <= 1 << 16 else np.uint32
        )

    @property
    def pairs(self) -> bool:
        """Whether drafts are counted two at a time (at most :data:`PAIR_CODES` codes)."""
        return self.codes <= PAIR_CODES

    @property
    def span(self) -> int:
        """The row length of the histogram of pairs: 256 where the codes are bytes, else the
        number of codes."""
        return 1 << 8 if self.codes <= 1 << 8 else self.codes

    @property
    def size(self) -> int:
        """The length of a histogram :meth:`count` adds to: ``codes`` rows of :attr:`span`
        bins of pairs then ``codes`` bins of single drafts, or ``codes``."""
        return (self.span + 1) * self.codes if self.pairs else self.codes

    def histogram(self, acc: NDArray[np.int64]) -> NDArray[np.int64]:
        """The number of drafts with each code, from a histogram :meth:`count` added to."""
        if not self.pairs:
            return acc
        c, span = self.codes, self.span
        # row: one draft's code, column: the other's (which is which depends on the byte
        # order; the fold adds both)
        grid = acc[: c * span].reshape(c, span)[:, :c]
        out: NDArray[np.int64] = grid.sum(axis=0) + grid.sum(axis=1) + acc[c * span :]
        return out

    def codes_of(self, words: NDArray[np.unsignedinteger]) -> NDArray[np.intp]:
        """The code of each draft in ``words`` (``(n,)``, or ``(words, n)`` beyond 64 members)."""
        words = self._readable(words)
        n = words.shape[-1]
        return self._codes(words, _buffers(self._layout(words.dtype, n))).astype(np.intp)

    def count(
        self, words: NDArray[np.unsignedinteger], acc: NDArray[np.int64], *, owned: bool = False
    ) -> None:
        """Add the drafts in ``words`` to the histogram ``acc`` (of :attr:`size`).

        ``owned``: ``words`` may be overwritten (a block's fresh random words): masking them
        in place spares a pass through a scratch buffer (5-6 µs of a block's 100 µs)."""
        words = self._readable(words)
        n = words.shape[-1]
        if self.pairs:  # steps of at most 256 KiB of words: few calls, in cache
            step = max(STEP, (1 << 18) // words.dtype.itemsize)
        else:  # small steps, unless a histogram of single codes is long
            step = SINGLE_STEP if 4 * self.codes <= SINGLE_STEP else n
        buffers = self._kept(words.dtype, min(n, step))
        for start in range(0, n, step):
            stop = min(n, start + step)
            code = self._codes(words[..., start:stop], buffers, owned=owned)
            if self.pairs:
                self._pairs(code, buffers, acc)
            else:
                k = stop - start
                wide = buffers["wide"][:k]
                np.copyto(wide, code)
                add_codes(acc, wide)

    def _readable(self, words: NDArray[np.unsignedinteger]) -> NDArray[np.unsignedinteger]:
        """``words``, widened to 32 bits if they are 16-bit drafts with more codes than
        per-byte sums hold (:data:`LANE_CODES`; plans then use :class:`Bins`)."""
        if words.dtype.itemsize == 2 and self.codes > LANE_CODES:
            return words.astype(np.uint32)
        return words

    def _kept(self, dtype: np.dtype[Any], n: int) -> dict[str, NDArray[Any]]:
        """The scratch buffers of :meth:`_layout`, made once per thread and reused."""
        kept: dict[tuple[Popcounts, str, int], dict[str, NDArray[Any]]]
        kept = _LOCAL.__dict__.setdefault("kept", {})
        key = (self, dtype.char, n)
        found = kept.get(key)
        if found is None:
            found = _buffers(self._layout(dtype, n), keep=True)
            kept.clear()
            kept[key] = found
        return found

    def _layout(self, dtype: np.dtype[Any], n: int) -> tuple[tuple[str, str, int], ...]:
        """The scratch buffers for ``n`` drafts in words of ``dtype``: name, type, length."""
        small = np.dtype(self.small).str
        index = ("index", np.dtype(np.intp).str, n // 2 if self.pairs else 0)
        sums = self._byte_sums.get(np.dtype(dtype).itemsize)
        if sums is not None:  # one product per draft, and the lowest byte's corrections
            fixes = len(sums[2])
            low = (("low", "|u1", n if fixes else 0), ("spare", "|u1", n if fixes > 1 else 0))
            return (("masked", np.dtype(dtype).str, n), ("narrow", "|u1", n), *low, index)
        if np.dtype(dtype).itemsize == 2:  # 16-bit drafts, summed byte by byte
            spec = [("bytes", "|u1", 2 * n), ("ones", "|u1", 2 * n)]
            spec += [("masked", "<u2", n), ("code", "<u2", n), ("narrow", "|u1", n)]
            return (*spec, index)
        key = n // 2 if self.pairs and self.span != 1 << 8 else 0
        return (
            ("total", small, n),
            ("part", small, n),
            ("yes", small, n),
            ("masked", np.dtype(dtype).str, n),
            ("ones", "|u1", n),
            ("key", "<u4", key),
            ("wide", np.dtype(np.intp).str, 0 if self.pairs else n),
            index,
        )

    def _codes(
        self,
        words: NDArray[np.unsignedinteger],
        buffers: dict[str, NDArray[Any]],
        *,
        owned: bool = False,
    ) -> NDArray[np.unsignedinteger]:
        """The drafts' codes in a scratch buffer (of :attr:`small` type, or 16-bit)."""
        k = words.shape[-1]
        sums = self._byte_sums.get(words.dtype.itemsize) if words.ndim == 1 else None
        if sums is not None:  # every byte but the lowest holds one unit's bits
            spare = tuple(buffers[name][:k] for name in ("masked", "narrow", "low", "spare"))
            return self._bytes(words, spare, *sums, owned=owned)
        if "code" in buffers:  # 16-bit drafts
            two = 2 * k
            b = buffers
            return self._lanes(
                words, b["bytes"][:two], b["ones"][:two], b["masked"][:k], b["code"][:k]
            )
        total, part, yes, masked, ones = (buffers[name][:k] for name in _SUMS)
        if words.ndim == 1 and len(self.terms) > 1:
            self._by_union(words, total, part, masked, ones, owned=owned)
        else:
            self._add(words, total, part, yes, masked, ones)
        return total

    def _lanes(
        self,
        words: NDArray[np.unsignedinteger],
        total: NDArray[np.uint8],
        ones: NDArray[np.uint8],
        masked: NDArray[np.uint16],
        code: NDArray[np.uint16],
    ) -> NDArray[np.uint16]:
        """Codes of 16-bit drafts (at most :data:`LANE_CODES`): each term's popcounts byte by
        byte (vectorised, unlike 16-bit ones), weighted and summed per byte in ``total``; a
        draft's code is the sum of its two bytes, the high byte of ``total · 257``."""
        for t, (_, mask, stride) in enumerate(self.terms):
            out = total if t == 0 and stride == 1 else ones
            if mask == 0xFFFF:
                np.bitwise_count(words.view(np.uint8), out=out)
            else:
                np.bitwise_and(words, np.uint16(mask), out=masked)
                np.bitwise_count(masked.view(np.uint8), out=out)
            if t == 0:
                if stride != 1:
                    np.multiply(ones, np.uint8(stride), out=total)
            elif stride == 1:
                np.add(total, ones, out=total)
            else:
                np.multiply(ones, np.uint8(stride), out=ones)
                np.add(total, ones, out=total)
        np.multiply(total.view(np.uint16), np.uint16(257), out=code)
        np.right_shift(code, np.uint16(8), out=code)
        return code

    @cached_property
    def union(self) -> int:
        """The bits of every unit's terms, one mask (for one-word drafts)."""
        return sum(mask for _, mask, _ in self.terms)

    @cached_property
    def _byte_sums(self) -> dict[int, tuple[int, int, tuple[tuple[int, int], ...]]]:
        """For words of 2 and 4 bytes where :meth:`_bytes` applies (:func:`byte_multiplier`):
        the units' bits, the multiplier and the lowest byte's corrections, by the word's size
        in bytes. 32-bit words take no corrections: :meth:`_by_union` is cheaper there
        (2.56 against 2.38 times the draw at 32 members)."""
        found = ((size, byte_multiplier(self.terms, self.codes, size)) for size in (2, 4))
        return {
            size: (self.union, *sums)
            for size, sums in found
            if sums is not None and len(self.terms) > 1 and (size == 2 or not sums[1])
        }

    def _bytes(
        self,
        words: NDArray[np.unsignedinteger],
        buffers: tuple[NDArray[Any], ...],
        union: int,
        multiplier: int,
        corrections: tuple[tuple[int, int], ...],
        *,
        owned: bool = False,
    ) -> NDArray[np.uint8]:
        """Byte codes of one-word drafts whose every byte but the lowest holds bits of at
        most one unit: each byte's popcount (numpy vectorises those of bytes) in place of the
        byte, then one product weighs every byte's count by its unit's stride and adds them
        up in the word's top byte, plus the lowest byte's corrections (see
        :func:`byte_multiplier`). ``buffers``: scratch words, the codes, and two byte buffers
        for the corrections. ``owned``: work in ``words``."""
        masked, out, low, spare = buffers
        if corrections:  # the lowest byte, before the words may be overwritten
            np.copyto(low, words, casting="unsafe")
        dtype = words.dtype.type
        work = words if owned and words.flags.c_contiguous else masked
        np.bitwise_and(words, dtype(union), out=work)
        counts = work.view(np.uint8)
        np.bitwise_count(counts, out=counts)
        np.multiply(work, dtype(multiplier), out=work)
        np.right_shift(work, dtype(8 * work.itemsize - 8), out=out, casting="unsafe")
        for t, (part, factor) in enumerate(corrections):
            fix = low if t == len(corrections) - 1 else spare
            np.bitwise_and(low, np.uint8(part), out=fix)
            np.bitwise_count(fix, out=fix)
            if factor != 1:
                np.multiply(fix, np.uint8(factor), out=fix)
            np.add(out, fix, out=out)
        return out

    def _pairs(
        self,
        code: NDArray[np.unsignedinteger],
        buffers: dict[str, NDArray[Any]],
        acc: NDArray[np.int64],
    ) -> None:
        """Add drafts ``2i`` and ``2i + 1`` to pair bin ``code_2i + span · code_2i+1``."""
        c, k, span = self.codes, code.size, self.span
        if span == 1 << 8 and code.dtype.itemsize == 2:  # 16-bit drafts' codes, as bytes
            narrow = buffers["narrow"][:k]
            np.copyto(narrow, code, casting="unsafe")
            code = narrow
        if k % 2:
            acc[c * span + int(code[k - 1])] += 1
            k -= 1
        if not k:
            return
        index = buffers["index"][: k // 2]  # numpy adds at native indices a third faster
        if span == 1 << 8:  # two code bytes are one 16-bit bin
            np.copyto(index, code[:k].view(np.uint16))
        else:  # code_2i + 2**16 · code_2i+1, less (2**16 − span) · code_2i+1
            both = code[:k].view(np.uint32)
            out = buffers["key"][: k // 2]
            np.right_shift(both, np.uint32(16), out=out)
            np.multiply(out, np.uint32((1 << 16) - span), out=out)
            np.subtract(both, out, out=index)
        np.add.at(acc, index, 1)

    def _add(
        self,
        words: NDArray[np.unsignedinteger],
        total: NDArray[np.unsignedinteger],
        part: NDArray[np.unsignedinteger],
        yes: NDArray[np.unsignedinteger],
        masked: NDArray[np.unsignedinteger],
        ones: NDArray[np.uint8],
    ) -> None:
        """Write the drafts' codes to ``total`` (of :attr:`small` type, like ``part`` and
        ``yes``); the others are scratch space of the same length."""
        terms, small = self.terms, self.small
        started = False
        for t, (j, mask, stride) in enumerate(terms):
            _masked_popcount(words if words.ndim == 1 else words[j], mask, masked, ones)
            # a unit's yes votes, summed over its words (strides differ between units)
            more = t + 1 < len(terms) and terms[t + 1][2] == stride
            joined = t > 0 and terms[t - 1][2] == stride
            if joined:
                np.add(yes, ones, out=yes)
            elif more:
                np.copyto(yes, ones)
            if more:
                continue
            count: NDArray[Any] = yes if joined else ones
            if not started:
                np.multiply(count, small(stride), out=total)
                started = True
            elif stride == 1:
                np.add(total, count, out=total)
            else:
                np.multiply(count, small(stride), out=part)
                np.add(total, part, out=total)

    @cached_property
    def _union(self) -> tuple[int, int, tuple[tuple[int, int], ...]]:
        """For :meth:`_by_union`: the units' bits, the derived unit's stride (the widest unit),
        and each other unit's mask and factor (its stride less the derived one's, modulo
        2**bits of :attr:`small`)."""
        modulus = 1 << (8 * np.dtype(self.small).itemsize)
        terms = self.terms
        derived = max(range(len(terms)), key=lambda t: terms[t][1].bit_count())
        last = terms[derived][2]
        rest = tuple(
            (mask, (stride - last) % modulus)
            for t, (_, mask, stride) in enumerate(terms)
            if t != derived
        )
        return self.union, last, rest

    def _by_union(
        self,
        words: NDArray[np.unsignedinteger],
        total: NDArray[np.unsignedinteger],
        part: NDArray[np.unsignedinteger],
        masked: NDArray[np.unsignedinteger],
        ones: NDArray[np.uint8],
        *,
        owned: bool = False,
    ) -> None:
        """Codes of one-word drafts of several units, in ``total``: one unit's count is the
        popcount of the units' bits less the others' counts, so with that unit's stride
        ``s``, ``code = s · popcount(word & union) + Σ (stride − s) · count`` (mod 2**bits of
        :attr:`small`, which holds every code). The derived unit is the widest, and a unit
        whose bits lie in the word's lowest byte is counted from that byte alone: a truncating
        copy to bytes and a byte popcount cost a quarter of a masked popcount of 32- or
        64-bit words, which numpy does not vectorise. ``owned``: mask ``words`` in place with
        the union (the other units' bits lie in it, so their counts are unchanged)."""
        small = self.small
        union, last, rest = self._union
        _masked_popcount(words, union, words if owned else masked, ones)
        np.multiply(ones, small(last), out=total)
        for mask, factor in rest:
            if mask < 1 << 8:  # the lowest byte: a truncating copy (any byte order)
                np.copyto(ones, words, casting="unsafe")
                if mask != 0xFF:
                    np.bitwise_and(ones, np.uint8(mask), out=ones)
                np.bitwise_count(ones, out=ones)
            else:
                _masked_popcount(words, mask, masked, ones)
            np.multiply(ones, small(factor), out=part)
            np.add(total, part, out=total)


def _weighted_moments(values: NDArray[np.int64], weight: NDArray[np.float64]) -> tuple[int, int]:
    """``Σ w·v`` and ``Σ w·v²`` exactly, for non-negative integer ``values`` and integer
    ``weight``: the weights are summed per distinct value first (exact below 2**53)."""
    if values.size and int(values.max()) < MAX_CODES:
        distinct = np.arange(int(values.max()) + 1, dtype=np.int64)
        sums = np.bincount(values, weights=weight)
    else:
        distinct, inverse = np.unique(values, return_inverse=True)
        sums = np.bincount(inverse, weights=weight, minlength=distinct.size)
    return exact_moments(distinct, np.rint(sums).astype(np.int64))


def add_codes(acc: NDArray[np.int64], codes: NDArray[np.intp]) -> None:
    """Add one to ``acc[c]`` for each code ``c``: with :func:`numpy.bincount`, unless ``acc``
    is long against the codes (more than a quarter of their number), where a histogram of its
    length made and added per call would cost more than :func:`numpy.add.at` (about 390
    against 80 µs for 65 536 drafts among 368 640 codes)."""
    if 4 * acc.size > codes.size:
        np.add.at(acc, codes, 1)
    else:
        acc += np.bincount(codes, minlength=acc.size)


def packed_offsets(units: tuple[Unit, ...]) -> tuple[int, ...]:
    """Each unit's first bit when the units' bits follow one another."""
    out, first = [], 0
    for u in units:
        out.append(first)
        first += u.size
    return tuple(out)


def byte_offsets(units: tuple[Unit, ...], strides: tuple[int, ...], codes: int) -> tuple[int, ...]:
    """Each unit's first bit in a one-bit draft: at a byte boundary where that fits in the
    word the packed bits need anyway (16 or 32 bits) and :func:`byte_multiplier` then
    applies (byte codes, two units or more), so that :meth:`Popcounts._bytes` counts a
    draft by one vectorised pass of byte popcounts and one product, with no corrections
    (32-bit words of mixed bytes need a masked popcount per unit, which numpy does not
    vectorise); else the :func:`packed_offsets`. The bits left between units are drawn and
    not read. This depends on the council alone (not on numpy's version or the compiled
    loop), so a seed gives the same drafts whatever counts them."""
    packed = packed_offsets(units)
    bits = packed[-1] + units[-1].size
    if len(units) < 2 or codes > 1 << 8 or bits > 32:
        return packed
    width = 16 if bits <= 16 else 32
    aligned, first = [], 0
    for u in units:
        first = -(-first // 8) * 8
        aligned.append(first)
        first += u.size
    if first > width:
        return packed
    terms = unit_terms(units, strides, tuple(aligned))
    return tuple(aligned) if byte_multiplier(terms, codes, width // 8) is not None else packed


def unit_terms(
    units: tuple[Unit, ...], strides: tuple[int, ...], offsets: tuple[int, ...]
) -> tuple[tuple[int, int, int], ...]:
    """The :class:`Popcounts` terms ``(word, mask, stride)`` of units whose bits start at
    ``offsets``: one per 64-bit word that a unit's bits reach."""
    terms: list[tuple[int, int, int]] = []
    for u, stride, first in zip(units, strides, offsets, strict=True):
        stop = first + u.size
        for j in range(first // 64, -(-stop // 64)):
            lo, hi = max(first, 64 * j), min(stop, 64 * j + 64)
            terms.append((j, ((1 << (hi - lo)) - 1) << (lo - 64 * j), stride))
    return tuple(terms)


ByteSums = tuple[int, tuple[tuple[int, int], ...]]
"""A :func:`byte_multiplier` and the corrections of the lowest byte's other units."""


def byte_multiplier(
    terms: tuple[tuple[int, int, int], ...], codes: int, size: int
) -> ByteSums | None:
    """The multiplier that sums a word's byte popcounts, each weighed by its unit's stride,
    into the product's top byte, and the corrections for the lowest byte; ``None`` unless
    every byte of a ``size``-byte word but the lowest holds bits of at most one term, the
    codes are bytes and no byte of the product carries.

    With ``t_b`` the popcount of byte ``b`` and ``s_b`` its unit's stride, the multiplier's
    byte ``i`` is ``s_(size-1-i)``, so byte ``p`` of the product is
    ``Σ_(b ≤ p) t_b · s_(size-1-p+b)`` plus what lower bytes carry; the top byte
    (``p = size - 1``) is ``Σ_b s_b · t_b``, the code. Each lower byte is checked below 256
    at the largest counts (the terms are non-negative), so nothing carries.

    The lowest byte may hold bits of several units (it is cheap to read alone): it is
    weighed by the least of their strides ``s``, and each other unit's bits there give a
    correction ``(mask, (stride - s) mod 256)`` to add times their popcount (the codes are
    bytes, so modulo 256 is exact). Where no byte is shared, there are no corrections.
    """
    if codes > 1 << 8:
        return None
    stride, most = [0] * size, [0] * size
    low: list[tuple[int, int]] = []  # the lowest byte's units: bits, stride
    for j, mask, s in terms:
        if j or mask >> (8 * size):
            return None
        if mask & 0xFF:
            low.append((mask & 0xFF, s))
        for b in range(1, size):
            part = (mask >> (8 * b)) & 0xFF
            if part:
                if most[b]:
                    return None  # a byte shared by two units
                stride[b], most[b] = s, part.bit_count()
    if low:
        stride[0] = min(s for _, s in low)
        most[0] = sum(part for part, _ in low).bit_count()
    corrections = tuple((part, (s - stride[0]) % 256) for part, s in low if s != stride[0])
    factor = stride[::-1]  # byte i of the multiplier
    for p in range(size):
        if sum(most[b] * factor[p - b] for b in range(p + 1)) > 0xFF:
            return None
    return sum(f << (8 * i) for i, f in enumerate(factor)), corrections


def _masked_popcount(
    words: NDArray[np.unsignedinteger],
    mask: int,
    masked: NDArray[np.unsignedinteger],
    ones: NDArray[np.uint8],
) -> None:
    """``popcount(words & mask)`` into ``ones`` (``masked``: scratch space like ``words``)."""
    if mask == (1 << (8 * words.dtype.itemsize)) - 1:
        np.bitwise_count(words, out=ones)
    else:
        np.bitwise_and(words, words.dtype.type(mask), out=masked)
        np.bitwise_count(masked, out=ones)


_LOCAL = threading.local()
_SUMS = ("total", "part", "yes", "masked", "ones")


def _buffers(
    layout: tuple[tuple[str, str, int], ...], *, keep: bool = False
) -> dict[str, NDArray[Any]]:
    """Scratch arrays for :class:`Popcounts` by name (``layout``: name, type, length). With
    ``keep`` they are made once per thread and layout and reused: no allocation per block."""
    if keep:
        cache: dict[tuple[tuple[str, str, int], ...], dict[str, NDArray[Any]]]
        cache = _LOCAL.__dict__.setdefault("scratch", {})
        if layout not in cache:
            cache.clear()
            cache[layout] = _buffers(layout)
        return cache[layout]
    return {name: np.empty(n, dtype=dtype) for name, dtype, n in layout}


@dataclass(frozen=True)
class Bins:
    """Histogram bins for one-bit drafts of at most 32 members, cheaper to count than codes.

    Up to 16 members a draft's bin is its bit pattern. Beyond, its bits are two fields: the
    first field's value is looked up as the index of its share of the code among the
    distinct shares (``first``, premultiplied by the second field's size), and the second
    field's raw value is added. Either way one :func:`numpy.bincount` per block counts the
    drafts, and ``codes[b]`` maps bin ``b`` to its code when the histogram is read.
    """

    mask0: int
    first: NDArray[np.intp] | None
    shift: int
    mask1: int
    codes: NDArray[np.intp]

    @classmethod
    def of(cls, bits: tuple[tuple[int, int, NDArray[np.intp]], ...]) -> Bins | None:
        """The bins of a plan's bit fields (one or two), or ``None`` if there would be more
        than :data:`MAX_BINS`."""
        (_, mask0, l0), *rest = bits
        if not rest:
            return cls(mask0, None, 0, 0, l0) if mask0 < MAX_BINS else None
        shift, mask1, l1 = rest[0]
        present = np.zeros(int(l0.max()) + 1, dtype=np.bool_)  # the shares are below codes
        present[l0] = True
        shares = np.flatnonzero(present)
        index = (np.cumsum(present) - 1)[l0]  # (numpy.unique sorts: ten times slower)
        size = mask1 + 1
        if shares.size * size > MAX_BINS:
            return None
        codes = (shares[:, None] + l1[None, :]).ravel()
        return cls(mask0, (index * size).astype(np.intp), shift, mask1, codes)

    @property
    def size(self) -> int:
        return int(self.codes.size)

    def of_words(self, words: NDArray[np.unsignedinteger]) -> NDArray[np.intp]:
        """The bin of each draft in ``words``."""
        if self.first is None:
            out = words.astype(np.intp)
            out &= self.mask0
            return out
        dtype = words.dtype.type
        out = self.first[words & dtype(self.mask0)]
        out += (words >> dtype(self.shift)) & dtype(self.mask1)
        return out


def _bit_fields(
    weight: NDArray[np.intp],
) -> tuple[tuple[tuple[int, int, NDArray[np.intp]], ...], type[np.unsignedinteger]]:
    """Windows of at most 16 bits, each with a table of its bits' share of the code.

    Bit ``j`` is the vote of the ``j``-th member in unit order, and the code is
    ``Σ_u stride_u · yes_u = Σ_j stride_unit(j) · bit_j`` (``weight[j]`` is bit ``j``'s
    share): linear in the bits, so any window of bits can be looked up at once.
    """
    members = int(weight.size)
    word: type[np.unsignedinteger] = np.uint64
    for width, dtype in ((16, np.uint16), (32, np.uint32)):
        if members <= width:
            word = dtype
            break
    fields = []
    for shift in range(0, members, MAX_LUT_BITS):
        width = min(MAX_LUT_BITS, members - shift)
        fields.append((shift, (1 << width) - 1, share_table(weight[shift : shift + width])))
    return tuple(fields), word
