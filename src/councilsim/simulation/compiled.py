"""A compiled counting loop for the one-bit-per-member fast path (optional: numba).

When every member votes yes with probability 1/2 (Coleman's and Penrose–Banzhaf's setting),
:class:`~councilsim.simulation.fast.CountsPlan` draws one random bit per member and draft from
raw 64-bit words and histograms the drafts' codes. In numpy that histogram
costs one and a half to three times the draw itself. The loops here do the lookups and
additions in compiled code. With numpy's ``PCG64`` (every simulation block's generator) they
also draw the words themselves: one step of the generator's 128-bit recurrence and its XSL-RR
output per word, exactly as ``bit_generator.random_raw`` does, but counted as they are made,
with no array between, and the generator is then advanced past them. Where the processor has
a vector population count (AVX-512 VPOPCNTDQ), drafts of three groups of interchangeable
members or more beyond 32 members, or of four or more up to 32, are counted 32 at a time, their
bins formed as vectors (:data:`WIDE_PASS`); so are the codes of drafts of six to eight groups
beyond 32 members (:data:`MAX_STRIDED`). A simulation then costs 1.0-1.5 times what numpy
takes just to draw its words for every council of up to 64 members and five groups measured,
1.6-2.3 with more groups, up to 2**20 codes (``docs/simulation.md``, "Speed"). Beyond, one-bit
drafts of up to 64 members are summed by tally state (:func:`tally_kernel`, for
:class:`~councilsim.simulation.tallies.TalliesPlan`): 4.4-11 times the draw where measured.

They read the same raw words, draft by draft in the same order, and add to the same
histogram, so a simulation gives identical numbers with or without them (tested, as is
every drawn word against ``random_raw``).

They are used when numba is installed (``pip install "councilsim[fast]"``), the plan
qualifies (every member at 1/2, at most 64 members and either, beyond 32, at most five
groups of interchangeable members, whose counts side by side take at most
:data:`MAX_BIN_BITS` bits, or at most :data:`MAX_CODES` codes), and
either the caller asks for them (``simulate(..., jit=True)``) or, by default, the run has at
least :data:`AUTO_DRAWS` drafts, enough to repay loading numba and its cached machine code
(about a quarter of a second). ``COUNCILSIM_JIT=0`` in the environment turns the default off.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
from numpy.typing import NDArray

from councilsim.errors import ScenarioError, install_hint

MAX_MEMBERS = 64
"""The most members a draft's bits may span (one 64-bit word)."""

MAX_UNITS = 5
"""Beyond 32 members, the most groups of interchangeable members (one popcount each)."""

MAX_CODES = 1 << 20
"""The largest code space the compiled loops count codes in through tables (the fast path's
own limit; up to 32 members, and beyond where the groups are too many to count by
popcounts): their tables are 8-bit up to 256 codes, 16-bit up to 2**16, 32-bit beyond. Beyond
16 384 codes the tables and histograms leave the processor's caches, but the loop still takes
well under numpy's time (10⁸ drafts, time ÷ draw: 24 members in eleven groups, 236 196
codes, 2.06 against 7.65; 20 members in sixteen groups 1.88 against 10.0)."""

MAX_BIN_BITS = 20
"""Beyond 32 members, the most bits of a histogram bin: each group's yes count in as many bits
as it needs, side by side (a histogram of 8 MiB at most)."""

LANE_CODES = 1 << 11
"""From 17 to 32 members, up to this many codes each of a word's two drafts has a histogram of
its own, so that consecutive additions rarely wait on one count; beyond, they share one, which
stays nearer in the processor's caches (32 members in five groups, 21 504 codes, 64-bit counts:
1.67 against 1.56 times the draw; 1 260 codes: 1.46 against 1.49)."""

NARROW_DRAFTS = (1 << 32) - 1
"""The kernels count in 32-bit histograms, half the memory of 64-bit ones, which keeps more of
them in the processor's caches (the kernel alone, 10⁸ drafts of 64 members in five groups:
1.78 against 1.53 times the draw; 32 members in five groups 1.48 against 1.41; no council
measured was slower). They are added to 64-bit totals before more than this many drafts could
overflow a count."""

WIDE_PASS = 32
"""On a processor with a vector population count (AVX-512 VPOPCNTDQ, :func:`vector_popcount`),
drafts per pass of the loops that form their bins as vectors: beyond 32 members with three
groups or more (the kernel alone, 64 members in five groups: 1.13 against 1.46 times the draw;
four groups 1.07 against 1.28; two groups 1.12 against 0.99, so not there), and from 17 to 32
members with four or more (32 in five groups 1.31 against 1.46; 32 in three 1.79 against 1.37,
so not there; 16-bit drafts 2.44 against 1.35)."""

MAX_STRIDED = 8
"""Beyond 32 members, where the groups are too many to count by bins (more than five, or bins
too wide) but at most this many, and the processor has a vector population count, a draft's
code is each group's popcount times its share, summed, 32 drafts a pass (:func:`_kernels`'
``strided64``) instead of the shares of its 16-bit fields read from tables (the kernel alone,
time ÷ draw of its raw words, 48 members in six groups 1.20 against 1.47; 50 members in six
groups, four tables, 1.26 against 1.96; 36 in seven 1.46 against 1.56; 35 in eight 1.80
against 1.78, even. Whole simulations of 10⁸ drafts: the first three 1.59, 1.66 and 1.83,
against 2.05, 2.98 and 2.07 by tables; the fourth 2.28)."""

TALLY_PASS = 128
"""Drafts per pass of the loop that sums one-bit drafts by tally state (:func:`tally_kernel`):
their counts, tallies and states formed in vectorised loops, then added to their states' rows
(10⁸ drafts, time ÷ draw, 64 members in six groups and 30 in thirteen: 4.31 and 10.97 at 128;
4.38 and 11.41 at 64; 4.59 and 11.87 at 32; one draft at a time, one addition per group,
6.58 and 18.51)."""

AUTO_DRAWS = 3 * 10**8
"""By default, runs with at least this many drafts use the compiled loops."""

ENV = "COUNCILSIM_JIT"


@functools.cache
def available() -> bool:
    """Whether numba can be imported (checked once per process)."""
    try:
        import numba  # noqa: F401
    except ImportError:
        return False
    return True


def wanted(jit: bool | None, draws: int, *, countable: bool = True) -> bool:
    """Whether a simulation of ``draws`` drafts should use the compiled loops.

    ``jit=True`` requires numba (a :class:`~councilsim.errors.ScenarioError` says how to get
    it); ``False`` never uses it; ``None`` uses it for long runs of a ``countable`` plan (one
    bit per member) when numba is installed, unless ``COUNCILSIM_JIT=0``. numba is imported
    only when it would be used.
    """
    if jit is None:
        off = os.environ.get(ENV, "").strip().lower() in {"0", "no", "off", "false"}
        return countable and not off and draws >= AUTO_DRAWS and available()
    if jit:
        require("jit")
    return bool(jit)


def require(key: str) -> None:
    """Raise a :class:`~councilsim.errors.ScenarioError` naming ``key`` and the ``fast``
    extra if numba is not installed."""
    if not available():
        raise ScenarioError(
            "the compiled counting loop needs numba, which is not installed",
            key=key,
            fix=f"{install_hint('fast')}, or leave {key} unset",
        )


PCG_MULTIPLIER = 0x2360ED051FC65DA44385DF649FCCF645
"""PCG64's 128-bit multiplier (O'Neill 2014; numpy's ``PCG64``)."""

_NO_STATE = np.zeros(0, dtype=np.uint64)
_popcount: Any = None
_pcg64: Any = None
_NO_WORDS = np.zeros(0, dtype=np.uint64)


@functools.cache
def _kernels() -> tuple[Callable[..., None], ...]:
    import numba
    from llvmlite import ir
    from numba import types
    from numba.extending import intrinsic

    def ctpop(typingctx: Any, x: Any) -> Any:  # pragma: no cover
        def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
            return builder.ctpop(args[0])  # the processor's population count

        return types.uint64(types.uint64), codegen

    def pcg_step(typingctx: Any, hi: Any, lo: Any, inc_hi: Any, inc_lo: Any) -> Any:
        # pragma: no cover
        def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
            # one step of PCG64 (state = state * multiplier + increment, mod 2**128), then its
            # XSL-RR output: the two halves xor-ed, rotated right by the state's top six bits
            i64, i128 = ir.IntType(64), ir.IntType(128)
            sixty_four = ir.Constant(i128, 64)

            def join(high: Any, low: Any) -> Any:
                wide = builder.shl(builder.zext(high, i128), sixty_four)
                return builder.or_(wide, builder.zext(low, i128))

            state = join(args[0], args[1])
            state = builder.mul(state, ir.Constant(i128, PCG_MULTIPLIER))
            state = builder.add(state, join(args[2], args[3]))
            new_hi = builder.trunc(builder.lshr(state, sixty_four), i64)
            new_lo = builder.trunc(state, i64)
            x = builder.xor(new_hi, new_lo)
            r = builder.lshr(new_hi, ir.Constant(i64, 58))
            left = builder.and_(builder.neg(r), ir.Constant(i64, 63))
            word = builder.or_(builder.lshr(x, r), builder.shl(x, left))
            return context.make_tuple(builder, signature.return_type, (new_hi, new_lo, word))

        u64 = types.uint64
        triple: Any = types.UniTuple(u64, 3)  # type: ignore[no-untyped-call]
        return triple(u64, u64, u64, u64), codegen

    # module globals, not closure variables: numba keys its cache on a kernel's closure, and
    # these would not pickle the same way in two processes (the kernels would be recompiled)
    global _popcount, _pcg64
    _popcount, _pcg64 = intrinsic(ctpop), intrinsic(pcg_step)

    def jit(func: Callable[..., None]) -> Callable[..., None]:
        compiled: Callable[..., None]
        try:  # keep the machine code beside the module (or in the user's cache) for next time
            compiled = numba.njit(func, cache=True, nogil=True, boundscheck=False)
        except RuntimeError:  # nowhere to write a cache: compile in memory, once per process
            compiled = numba.njit(func, nogil=True, boundscheck=False)
        return compiled

    # Each kernel reads its words from ``raw`` or, if ``s`` holds a PCG64 state (high and
    # low halves of the state, then of the increment), draws them itself in the same order:
    # the same words as ``random_raw`` gives, with no array between drawing and counting.
    # It counts whole passes of its loop only (``n`` rounded down to a multiple of
    # ``BitCounter.per_pass``); the caller counts the rest (``BitCounter._rest``): handling
    # them here, after the loop, slowed the loop by up to a tenth.

    @jit
    def count16(raw: Any, s: Any, n: int, p: Any, t: Any, lanes: Any) -> None:  # pragma: no cover
        # four drafts of 16 bits per word, low bits first; one histogram lane per position
        mask, s1, s2, s3 = p[0], p[4], p[5], p[6]
        drawn = s.size == 4
        hi, lo, ih, il = (s[0], s[1], s[2], s[3]) if drawn else (p[0], p[0], p[0], p[0])
        for i in range(n // 4):
            if drawn:
                hi, lo, w = _pcg64(hi, lo, ih, il)
            else:
                w = raw[i]
            lanes[0, t[0, w & mask]] += 1
            lanes[1, t[0, (w >> s1) & mask]] += 1
            lanes[2, t[0, (w >> s2) & mask]] += 1
            lanes[3, t[0, (w >> s3) & mask]] += 1

    @jit
    def count32(raw: Any, s: Any, n: int, p: Any, t: Any, lanes: Any) -> None:  # pragma: no cover
        # two drafts of 32 bits per word, each read in two fields; one lane per draft
        mask0, shift1, mask1 = p[0], p[1], p[2]
        drawn = s.size == 4
        hi, lo, ih, il = (s[0], s[1], s[2], s[3]) if drawn else (p[0], p[0], p[0], p[0])
        for i in range(n // 2):
            if drawn:
                hi, lo, w = _pcg64(hi, lo, ih, il)
            else:
                w = raw[i]
            v = w >> 32
            lanes[0, t[0, w & mask0] + t[1, (w >> shift1) & mask1]] += 1
            lanes[1, t[0, v & mask0] + t[1, (v >> shift1) & mask1]] += 1

    @jit
    def count32_shared(
        raw: Any, s: Any, n: int, p: Any, t: Any, lanes: Any
    ) -> None:  # pragma: no cover
        # the same with one histogram for both drafts (a loop of its own: choosing the lane
        # inside count32, or in a second loop there, costs 0.04-0.09 times the draw)
        mask0, shift1, mask1 = p[0], p[1], p[2]
        h = lanes[0]
        drawn = s.size == 4
        hi, lo, ih, il = (s[0], s[1], s[2], s[3]) if drawn else (p[0], p[0], p[0], p[0])
        for i in range(n // 2):
            if drawn:
                hi, lo, w = _pcg64(hi, lo, ih, il)
            else:
                w = raw[i]
            v = w >> 32
            h[t[0, w & mask0] + t[1, (w >> shift1) & mask1]] += 1
            h[t[0, v & mask0] + t[1, (v >> shift1) & mask1]] += 1

    @jit
    def count64(raw: Any, s: Any, n: int, p: Any, t: Any, lanes: Any) -> None:  # pragma: no cover
        # one draft per word: its bin is each group's popcount side by side (group k's from
        # bit p[5 + k]; the first group's from bit 0), shifted and or-ed rather than weighed
        # by the group's stride: products would compete with the popcounts and the
        # generator's own product for one port of the processor. Four drafts per pass, one
        # histogram. The tests on the third to fifth masks do not change within the loop
        # (the compiler takes them out of it), so a council of two groups pays for two
        # popcounts a draft, of three for three.
        m0, m1, m2, m3, m4 = p[0], p[1], p[2], p[3], p[4]
        s1, s2, s3, s4 = p[6], p[7], p[8], p[9]
        h = lanes[0]
        drawn = s.size == 4
        hi, lo, ih, il = (s[0], s[1], s[2], s[3]) if drawn else (p[0], p[0], p[0], p[0])
        for j in range(n // 4):
            i = 4 * j
            if drawn:
                hi, lo, w0 = _pcg64(hi, lo, ih, il)
                hi, lo, w1 = _pcg64(hi, lo, ih, il)
                hi, lo, w2 = _pcg64(hi, lo, ih, il)
                hi, lo, w3 = _pcg64(hi, lo, ih, il)
            else:
                w0, w1, w2, w3 = raw[i], raw[i + 1], raw[i + 2], raw[i + 3]
            c0 = _popcount(w0 & m0) | (_popcount(w0 & m1) << s1)
            c1 = _popcount(w1 & m0) | (_popcount(w1 & m1) << s1)
            c2 = _popcount(w2 & m0) | (_popcount(w2 & m1) << s1)
            c3 = _popcount(w3 & m0) | (_popcount(w3 & m1) << s1)
            if m2:
                c0 |= _popcount(w0 & m2) << s2
                c1 |= _popcount(w1 & m2) << s2
                c2 |= _popcount(w2 & m2) << s2
                c3 |= _popcount(w3 & m2) << s2
                if m3:
                    c0 |= _popcount(w0 & m3) << s3
                    c1 |= _popcount(w1 & m3) << s3
                    c2 |= _popcount(w2 & m3) << s3
                    c3 |= _popcount(w3 & m3) << s3
                    if m4:
                        c0 |= _popcount(w0 & m4) << s4
                        c1 |= _popcount(w1 & m4) << s4
                        c2 |= _popcount(w2 & m4) << s4
                        c3 |= _popcount(w3 & m4) << s4
            h[c0] += 1
            h[c1] += 1
            h[c2] += 1
            h[c3] += 1

    @jit
    def tables64(raw: Any, s: Any, n: int, p: Any, t: Any, lanes: Any) -> None:  # pragma: no cover
        # one draft per word, where its groups are too many to count by popcounts: its code
        # is the sum of its 16-bit fields' shares (three fields, or four if p[0] says so;
        # bits beyond the members have share 0), counted in one histogram
        four = p[0] == 4
        h = lanes[0]
        drawn = s.size == 4
        hi, lo, ih, il = (s[0], s[1], s[2], s[3]) if drawn else (p[0], p[0], p[0], p[0])
        for i in range(n):
            if drawn:
                hi, lo, w = _pcg64(hi, lo, ih, il)
            else:
                w = raw[i]
            c = t[0, w & 0xFFFF] + t[1, (w >> 16) & 0xFFFF] + t[2, (w >> 32) & 0xFFFF]
            if four:
                c += t[3, w >> 48]
            h[c] += 1

    @jit
    def wide32(raw: Any, s: Any, n: int, p: Any, t: Any, lanes: Any) -> None:  # pragma: no cover
        # as wide64 below, for two drafts of 32 bits per word
        m0, m1, m2, m3, m4 = p[0], p[1], p[2], p[3], p[4]
        s1, s2, s3, s4 = p[6], p[7], p[8], p[9]
        h = lanes[0]
        drawn = s.size == 4
        hi, lo, ih, il = (s[0], s[1], s[2], s[3]) if drawn else (p[0], p[0], p[0], p[0])
        half = WIDE_PASS // 2
        drafts = np.empty(WIDE_PASS, dtype=np.uint64)
        bins = np.empty(WIDE_PASS, dtype=np.uint64)
        for j in range(n // WIDE_PASS):
            for k in range(half):
                if drawn:
                    hi, lo, w = _pcg64(hi, lo, ih, il)
                else:
                    w = raw[half * j + k]
                drafts[2 * k] = w & 0xFFFFFFFF
                drafts[2 * k + 1] = w >> 32
            for k in range(WIDE_PASS):
                w = drafts[k]
                c = _popcount(w & m0) | (_popcount(w & m1) << s1) | (_popcount(w & m2) << s2)
                bins[k] = c | (_popcount(w & m3) << s3) | (_popcount(w & m4) << s4)
            for k in range(WIDE_PASS):
                h[bins[k]] += 1

    @jit
    def wide64(raw: Any, s: Any, n: int, p: Any, t: Any, lanes: Any) -> None:  # pragma: no cover
        # count64's bins, 32 drafts a pass: the words are drawn (or read) into a buffer, their
        # bins formed in a loop the compiler vectorises (the processor's vector population
        # count, where it has one), then counted; every group's mask is read (0 if unused)
        m0, m1, m2, m3, m4 = p[0], p[1], p[2], p[3], p[4]
        s1, s2, s3, s4 = p[6], p[7], p[8], p[9]
        h = lanes[0]
        drawn = s.size == 4
        hi, lo, ih, il = (s[0], s[1], s[2], s[3]) if drawn else (p[0], p[0], p[0], p[0])
        words = np.empty(WIDE_PASS, dtype=np.uint64)
        bins = np.empty(WIDE_PASS, dtype=np.uint64)
        for j in range(n // WIDE_PASS):
            if drawn:
                for k in range(WIDE_PASS):
                    hi, lo, w = _pcg64(hi, lo, ih, il)
                    words[k] = w
            else:
                for k in range(WIDE_PASS):
                    words[k] = raw[WIDE_PASS * j + k]
            for k in range(WIDE_PASS):
                w = words[k]
                c = _popcount(w & m0) | (_popcount(w & m1) << s1) | (_popcount(w & m2) << s2)
                bins[k] = c | (_popcount(w & m3) << s3) | (_popcount(w & m4) << s4)
            for k in range(WIDE_PASS):
                h[bins[k]] += 1

    @jit
    def strided64(raw: Any, s: Any, n: int, p: Any, t: Any, lanes: Any) -> None:  # pragma: no cover
        # one draft per word, its code each group's popcount times its share (masks p[0:8],
        # shares p[8:16]; up to eight groups, the seventh and eighth tested once a pass),
        # formed 32 drafts a pass in loops the compiler vectorises, as in wide64
        m0, m1, m2, m3, m4, m5, m6, m7 = p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7]
        s0, s1, s2, s3, s4, s5, s6, s7 = p[8], p[9], p[10], p[11], p[12], p[13], p[14], p[15]
        h = lanes[0]
        drawn = s.size == 4
        hi, lo, ih, il = (s[0], s[1], s[2], s[3]) if drawn else (p[0], p[0], p[0], p[0])
        words = np.empty(WIDE_PASS, dtype=np.uint64)
        bins = np.empty(WIDE_PASS, dtype=np.uint64)
        for j in range(n // WIDE_PASS):
            if drawn:
                for k in range(WIDE_PASS):
                    hi, lo, w = _pcg64(hi, lo, ih, il)
                    words[k] = w
            else:
                for k in range(WIDE_PASS):
                    words[k] = raw[WIDE_PASS * j + k]
            for k in range(WIDE_PASS):
                w = words[k]
                c = _popcount(w & m0) * s0 + _popcount(w & m1) * s1 + _popcount(w & m2) * s2
                c += _popcount(w & m3) * s3 + _popcount(w & m4) * s4
                bins[k] = c + _popcount(w & m5) * s5
            if m6:
                for k in range(WIDE_PASS):
                    w = words[k]
                    bins[k] += _popcount(w & m6) * s6 + _popcount(w & m7) * s7
            for k in range(WIDE_PASS):
                h[bins[k]] += 1

    @jit
    def tally(
        raw: Any,
        n: int,
        half: bool,
        masks: Any,
        weights: Any,
        vetoes: Any,
        ymap: Any,
        bmap: Any,
        pack_of: Any,
        shifts: Any,
        table: Any,
        moments: Any,
    ) -> None:  # pragma: no cover
        # drafts of one bit per member summed by tally state (councilsim.simulation.tallies):
        # each unit's yes count is the popcount of its mask; a veto unit's blocking count is
        # its size (vetoes[k], else 0) less that; the state is ymap[Y] * bmap.size + bmap[B].
        # table[state] holds the drafts in the state, then the units' yes votes, packed side
        # by side (unit k's shifted by shifts[k] into pack pack_of[k]: one addition a pack, not
        # a unit). Drafts of up to 32 members are two to a word (``half``), the low half
        # first. TALLY_PASS drafts a pass: their counts, tallies and states are formed unit by
        # unit in loops the compiler vectorises, then added to their rows.
        units = masks.size
        nb = bmap.size
        packs = table.shape[1] - 1
        ysum = 0
        ysq = 0
        words = np.empty(TALLY_PASS, dtype=np.uint64)
        packed = np.empty((packs, TALLY_PASS), dtype=np.int64)
        y = np.empty(TALLY_PASS, dtype=np.int64)
        b = np.empty(TALLY_PASS, dtype=np.int64)
        state = np.empty(TALLY_PASS, dtype=np.int64)
        low = np.uint64(0xFFFFFFFF)
        passes = n // TALLY_PASS
        for j in range(passes + 1):
            first = j * TALLY_PASS
            m = min(TALLY_PASS, n - first)  # the last pass: the drafts left
            if half:
                for k in range(m):
                    i = first + k
                    words[k] = (raw[i >> 1] >> np.uint64(32 * (i & 1))) & low
            else:
                for k in range(m):
                    words[k] = raw[first + k]
            y[:m] = 0
            b[:m] = 0
            packed[:, :m] = 0
            for u in range(units):
                mask, weight, veto = masks[u], weights[u], vetoes[u]
                into, shift = packed[pack_of[u]], shifts[u]
                for k in range(m):
                    c = np.int64(_popcount(words[k] & mask))
                    y[k] += weight * c
                    into[k] += c << shift
                if veto:
                    for k in range(m):
                        b[k] += veto - np.int64(_popcount(words[k] & mask))
            for k in range(m):
                state[k] = ymap[y[k]] * nb + bmap[b[k]]
                ysum += y[k]
                ysq += y[k] * y[k]
            for k in range(m):
                row = table[state[k]]
                row[0] += 1
                for g in range(packs):
                    row[1 + g] += packed[g, k]
        moments[0] += ysum
        moments[1] += ysq

    return count16, count32, count32_shared, count64, tables64, wide32, wide64, strided64, tally


@functools.cache
def vector_popcount() -> bool:
    """Whether the processor counts the bits of a vector's words at once (AVX-512 VPOPCNTDQ,
    as the compiler sees it; only asked when the compiled loop is used)."""
    try:
        from llvmlite import binding

        features = binding.get_host_cpu_features().flatten()
    except (ImportError, RuntimeError):  # no numba, or LLVM cannot tell: the scalar loops
        return False
    return "+avx512vpopcntdq" in features.split(",")


def pcg64_state(rng: np.random.Generator) -> NDArray[np.uint64] | None:
    """The PCG64 state of ``rng`` as four 64-bit halves (state, then increment; high first),
    for the compiled loops to draw the same words as ``random_raw``; ``None`` if its bit
    generator is not numpy's ``PCG64`` or holds a buffered 32-bit half-word."""
    bit_generator = rng.bit_generator
    if type(bit_generator) is not np.random.PCG64:
        return None
    full = bit_generator.state
    if full.get("has_uint32"):
        return None
    state, inc = int(full["state"]["state"]), int(full["state"]["inc"])
    low = (1 << 64) - 1
    return np.array([state >> 64, state & low, inc >> 64, inc & low], dtype=np.uint64)


@dataclass(frozen=True)
class BitCounter:
    """Counts drafts' codes from raw words as
    :meth:`~councilsim.simulation.fast.CountsPlan.codes_of_bits` and :func:`numpy.bincount`
    do, in compiled code.

    Up to 32 members a draft's bits are read through a table of code shares (one table up to
    16 members, two fields with a table each beyond), and its code is counted in one
    histogram per draft position in a word (``lanes``, so that consecutive additions rarely
    hit the same count), or beyond :data:`LANE_CODES` codes of 32-bit drafts in one.
    ``params`` holds the first field's mask, the second field's shift and mask, and the
    shifts of the drafts within a word (0, 16, 32, 48, or 0, 32); ``tables`` the two fields'
    tables of code shares, padded to one width.

    Beyond 32 members (one draft per word) each group of interchangeable members (a run of
    bits of equal share) is counted by a popcount, and the counts, side by side, index one
    histogram of ``2**bin_bits`` bins; :meth:`histogram` turns it into codes. ``groups`` (and
    there ``params``) holds the groups' masks, then the bits their counts start at, then their
    shares. Where the groups are more than :data:`MAX_UNITS` or their bins more than
    ``2**MAX_BIN_BITS``, the code is, with a vector population count and at most
    :data:`MAX_STRIDED` groups, each group's popcount times its share (:attr:`strided`;
    ``params`` holds the masks, then the shares), else the sum of the shares of the word's
    three or four 16-bit fields (``tables``; ``params`` holds the number of fields), counted in
    one histogram of codes.

    Drafts of 17 to 32 members keep their ``groups`` too: with four groups or more, where the
    processor has a vector population count, they are counted by bins as well (:attr:`wide`,
    32 drafts a pass).

    The kernels add to 32-bit histograms, which :meth:`start` packs with 64-bit totals into
    one accumulator.
    """

    members: int
    codes: int
    params: NDArray[np.uint64]
    tables: NDArray[np.unsignedinteger]
    bin_bits: int = 0
    groups: NDArray[np.uint64] | None = None
    strided: bool = False
    """Beyond 32 members: codes as each group's popcount times its share (:data:`MAX_STRIDED`;
    ``params`` holds the masks, then the shares)."""

    @classmethod
    def build(cls, share: NDArray[np.intp], codes: int) -> BitCounter | None:
        """The counter for bit ``j``'s share ``share[j]`` of the code, or ``None`` if the plan
        does not qualify."""
        m = int(share.size)
        if not 0 < m <= MAX_MEMBERS:
            return None
        found = _groups(share)
        if m > 32 and found is not None:  # one word per draft: a mask, a first bit and a
            groups, bits = found  # share per group
            empty = np.zeros((2, 1), dtype=np.uint8)
            return cls(m, codes, groups, empty, bits, groups)
        if codes > MAX_CODES:
            return None
        narrow = np.uint8 if codes <= 1 << 8 else np.uint16 if codes <= 1 << 16 else np.uint32
        if m > 32 and (strided := _strided(share)) is not None:  # codes by popcounts
            return cls(m, codes, strided, np.zeros((2, 1), dtype=np.uint8), strided=True)
        if m > 32:  # too many groups to count by popcounts: 16-bit fields' shares
            fields = -(-m // 16)
            tables = np.zeros((fields, 1 << 16), dtype=narrow)
            every = np.arange(1 << 16)
            for f in range(fields):  # the bits beyond the members are drawn, not read
                part = share[16 * f : 16 * f + 16]
                tables[f] = share_table(part)[every & ((1 << part.size) - 1)]
            return cls(m, codes, np.array([fields], dtype=np.uint64), tables)
        # up to 16 bits, one field; beyond, two fields of about m/2 bits keep the tables small
        low = m if m <= 16 else -(-m // 2)
        # 8-bit tables where the codes allow: 2**15 of them stay in the processor's L1 cache
        tables = np.zeros((2, 1 << low), dtype=narrow)
        tables[0] = share_table(share[:low])
        tables[1, : 1 << (m - low)] = share_table(share[low:])
        width = 16 if m <= 16 else 32
        params = np.array([(1 << low) - 1, low, (1 << (m - low)) - 1, *range(0, 64, width)])
        if m > 16 and found is not None:  # 32-bit drafts may be counted by groups too
            return cls(m, codes, params.astype(np.uint64), tables, found[1], found[0])
        return cls(m, codes, params.astype(np.uint64), tables)

    @property
    def width(self) -> int:
        """Bits per draft in the raw words: 16, 32 or 64."""
        return 16 if self.members <= 16 else 32 if self.members <= 32 else 64

    @property
    def wide(self) -> bool:
        """Whether the vectorised loop counts (:data:`WIDE_PASS`): with a vector population
        count, beyond 32 members with three groups or more, up to 32 with four or more."""
        if self.groups is None or self.width == 16:
            return False
        groups = sum(1 for mask in self.groups[:MAX_UNITS] if mask)
        return groups >= (3 if self.width == 64 else 4) and vector_popcount()

    @property
    def binned(self) -> bool:
        """Whether drafts are counted by bins of group counts side by side (beyond 32 members,
        unless the groups are too many, or in the vectorised loop), not by codes."""
        return (self.width == 64 and self.groups is not None) or self.wide

    @property
    def lanes(self) -> int:
        """Histograms: one per draft position in a word (so that consecutive additions rarely
        wait on one count), except one where two 32-bit drafts have more than
        :data:`LANE_CODES` codes, one of bins, and one for 64-bit drafts."""
        if self.binned or self.width == 64 or (self.width == 32 and self.codes > LANE_CODES):
            return 1
        return 64 // self.width

    @property
    def size(self) -> int:
        """The length of a histogram: the codes, or the bins."""
        return 1 << self.bin_bits if self.binned else self.codes

    @property
    def per_pass(self) -> int:
        """Drafts per pass of the kernel's loop: it counts whole passes only."""
        return WIDE_PASS if self.wide or self.strided else 2 if self.width == 32 else 4

    def start(self) -> NDArray[np.int64]:
        """An empty accumulator: 64-bit totals of :attr:`size`, then :attr:`lanes` histograms
        of 32-bit counts that the kernels add to, and last the number of drafts these hold
        (see :data:`NARROW_DRAFTS`), packed in one array."""
        size = self.size
        return np.zeros(size + (self.lanes * size + 1) // 2 + 1, dtype=np.int64)

    @cached_property
    def _shape(self) -> tuple[int, int]:
        """The shape of the 32-bit histograms (read for every block: kept)."""
        return self.lanes, self.size

    def _lanes(self, acc: NDArray[np.int64]) -> NDArray[np.uint32]:
        """The 32-bit histograms of an accumulator, in place."""
        shape = self._shape
        lanes: NDArray[np.uint32] = np.ndarray(shape, np.uint32, acc, 8 * shape[1])
        return lanes

    def _room(self, acc: NDArray[np.int64], n: int) -> NDArray[np.uint32]:
        """The 32-bit histograms of ``acc``, with room for ``n`` more drafts: added to the
        totals and emptied first if they could otherwise overflow."""
        lanes = self._lanes(acc)
        pending = int(acc[-1])
        if pending + n > NARROW_DRAFTS:
            acc[: lanes.shape[1]] += lanes.sum(axis=0, dtype=np.int64)
            lanes[...] = 0
            pending = 0
        acc[-1] = pending + n
        return lanes

    def histogram(self, acc: NDArray[np.int64]) -> NDArray[np.int64]:
        """The number of drafts with each code, from an accumulator of :meth:`start`."""
        lanes = self._lanes(acc)
        total: NDArray[np.int64] = acc[: lanes.shape[1]] + lanes.sum(axis=0, dtype=np.int64)
        if not self.binned:
            return total
        assert self.groups is not None
        out = np.zeros(self.codes, dtype=np.int64)
        seen = np.flatnonzero(total)
        code = np.zeros(seen.size, dtype=np.int64)
        p = [int(x) for x in self.groups]
        for k in range(MAX_UNITS):
            mask, bit, share = p[k], p[MAX_UNITS + k], p[2 * MAX_UNITS + k]
            if mask:
                size = mask.bit_count()
                count = (seen >> bit) & ((1 << size.bit_length()) - 1)
                assert count.max(initial=0) <= size  # a bin no draft can reach was counted
                code += count * share
        out[code] = total[seen]  # distinct: the counts are digits of the codes
        return out

    def words(self, n: int) -> int:
        """Raw 64-bit words that ``n`` drafts take."""
        return -(-n * self.width // 64)

    def count(self, raw: NDArray[np.uint64], n: int, acc: NDArray[np.int64]) -> None:
        """Add the codes of the ``n`` drafts in ``raw`` to the accumulator ``acc``."""
        kernel, params, per_pass, width = self._call
        full = n - n % per_pass
        for start, stop in self._steps(full):
            words = raw[start * width // 64 : stop * width // 64]
            kernel(
                words, _NO_STATE, stop - start, params, self.tables, self._room(acc, stop - start)
            )
        if full < n:
            self._rest(raw[self.words(full) : self.words(n)], n - full, acc)

    def draw(self, rng: np.random.Generator, n: int, acc: NDArray[np.int64]) -> None:
        """Draw ``n`` drafts' raw words from ``rng`` and add their codes to ``acc``: the
        same words and counts as ``count(rng.bit_generator.random_raw(...))``. With numpy's
        ``PCG64`` (every simulation block's generator) the loop draws the words itself, in
        the same order, and ``rng`` is then advanced past them, as ``random_raw`` leaves it."""
        kernel, params, per_pass, width = self._call
        full = n - n % per_pass
        bit_generator = rng.bit_generator
        for start, stop in self._steps(full):
            k, words = stop - start, (stop - start) * width // 64
            state = pcg64_state(rng)
            if state is None:
                self.count(bit_generator.random_raw(words), k, acc)
            else:
                kernel(_NO_WORDS, state, k, params, self.tables, self._room(acc, k))
                bit_generator.advance(words)  # type: ignore[attr-defined]
        if full < n:
            self._rest(bit_generator.random_raw(self.words(n) - self.words(full)), n - full, acc)

    @cached_property
    def _call(self) -> tuple[Callable[..., None], NDArray[np.uint64], int, int]:
        """The kernel that counts this plan's drafts, the parameters it reads, the drafts per
        pass and the bits per draft (read for every block: kept, and left out when pickled)."""
        count16, count32, count32_shared, count64, tables64, wide32, wide64, strided64, _ = (
            _kernels()
        )
        width, per_pass = self.width, self.per_pass
        if self.strided:
            kernel = strided64
        elif per_pass == WIDE_PASS:
            kernel = wide32 if width == 32 else wide64
        elif width == 32:
            kernel = count32 if self.lanes == 2 else count32_shared
        elif width == 64:
            kernel = count64 if self.binned else tables64
        else:
            kernel = count16
        return kernel, self._read, per_pass, width

    @cached_property
    def _read(self) -> NDArray[np.uint64]:
        """The parameters the kernels read: the groups' where they count bins (kept)."""
        groups = self.groups
        return groups if self.binned and groups is not None else self.params

    def __getstate__(self) -> dict[str, Any]:
        """The fields alone, not what is kept for every block (a kernel is no field)."""
        return {name: value for name, value in self.__dict__.items() if name[0] != "_"}

    def _steps(self, n: int) -> tuple[tuple[int, int], ...]:
        """Whole passes of ``n`` drafts in steps that the 32-bit counts can hold (one step for
        a simulation's blocks)."""
        if n <= NARROW_DRAFTS - WIDE_PASS:  # (the most drafts per pass: no remainder to drop)
            return ((0, n),) if n else ()
        most = NARROW_DRAFTS - NARROW_DRAFTS % self.per_pass
        return tuple((start, min(n, start + most)) for start in range(0, n, most))

    def _rest(self, words: NDArray[np.uint64], n: int, acc: NDArray[np.int64]) -> None:
        """Add the ``n`` drafts of ``words`` (fewer than a pass) to the totals of ``acc``, as
        the kernels would to its lanes."""
        width, binned = self.width, self.binned
        p = [int(x) for x in self._read]
        for j in range(n):
            w = int(words[j * width // 64]) >> (j * width % 64) & ((1 << width) - 1)
            if binned:
                units = range(MAX_UNITS)
                acc[sum((w & p[k]).bit_count() << p[MAX_UNITS + k] for k in units)] += 1
            elif self.strided:
                units = range(MAX_STRIDED)
                acc[sum((w & p[k]).bit_count() * p[MAX_STRIDED + k] for k in units)] += 1
            elif width == 64:  # 16-bit fields' shares
                fields = range(p[0])
                acc[sum(int(self.tables[f, (w >> 16 * f) & 0xFFFF]) for f in fields)] += 1
            else:
                acc[int(self.tables[0, w & p[0]]) + int(self.tables[1, (w >> p[1]) & p[2]])] += 1


def tally_kernel() -> Callable[..., None]:
    """The compiled loop that sums one-bit drafts by tally state
    (:class:`councilsim.simulation.tallies.TalliesPlan` with ``jit``)."""
    return _kernels()[-1]


def _groups(share: NDArray[np.intp]) -> tuple[NDArray[np.uint64], int] | None:
    """The groups of interchangeable members of a draft (runs of bits of equal share; bits of
    share 0 between them are no group) as :class:`BitCounter` counts them by popcounts: their
    masks, the bits their counts start at in a bin and their shares, and the bits of a bin;
    ``None`` beyond :data:`MAX_UNITS` groups or :data:`MAX_BIN_BITS` bits."""
    runs = _runs(share)
    if len(runs) > MAX_UNITS:
        return None
    params = [0] * (3 * MAX_UNITS)
    bit = 0
    for k, (a, b) in enumerate(runs):
        params[k] = ((1 << (b - a)) - 1) << a
        params[MAX_UNITS + k] = bit
        params[2 * MAX_UNITS + k] = int(share[a])
        bit += (b - a).bit_length()
    if bit > MAX_BIN_BITS:
        return None
    return np.array(params, dtype=np.uint64), bit


def _runs(share: NDArray[np.intp]) -> list[tuple[int, int]]:
    """The groups of interchangeable members of a draft: runs ``[a, b)`` of bits of equal
    share (bits of share 0 between them are no group)."""
    m = int(share.size)
    starts = [0, *(j for j in range(1, m) if share[j] != share[j - 1])]
    return [(a, b) for a, b in zip(starts, [*starts[1:], m], strict=True) if share[a]]


def _strided(share: NDArray[np.intp]) -> NDArray[np.uint64] | None:
    """Where a draft of more than :data:`MAX_UNITS` groups (or of bins too wide) is counted by
    ``strided64``: the groups' masks, then their shares (each padded to :data:`MAX_STRIDED`
    with zeros); ``None`` beyond :data:`MAX_STRIDED` groups, or without a vector population
    count."""
    runs = _runs(share)
    if len(runs) > MAX_STRIDED or not vector_popcount():
        return None
    params = [0] * (2 * MAX_STRIDED)
    for k, (a, b) in enumerate(runs):
        params[k] = ((1 << (b - a)) - 1) << a
        params[MAX_STRIDED + k] = int(share[a])
    return np.array(params, dtype=np.uint64)


def share_table(share: NDArray[np.intp]) -> NDArray[np.intp]:
    """For every value ``v`` of a field of bits, the sum of ``share[j]`` over its set bits
    ``j`` (built by doubling: the values with bit ``j`` set are those without it, plus
    ``share[j]``). The table is shared between callers and read-only."""
    return _share_table(tuple(int(s) for s in share))


@functools.lru_cache(maxsize=64)
def _share_table(share: tuple[int, ...]) -> NDArray[np.intp]:
    table = np.zeros(1 << len(share), dtype=np.intp)
    for j, s in enumerate(share):
        half = 1 << j
        np.add(table[:half], s, out=table[half : 2 * half])
    table.setflags(write=False)
    return table
