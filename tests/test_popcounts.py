"""Counting one-bit drafts by masked popcounts (:class:`councilsim.simulation.fast.Popcounts`)."""

from __future__ import annotations

import sys
from dataclasses import replace
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

from councilsim.council import Council, Rule, SeatClass, SeatKind
from councilsim.models import ImpartialModel
from councilsim.rule import Vote, decide
from councilsim.scenario import load
from councilsim.simulation import exact_outcomes, fast, simulate
from councilsim.simulation.engine import block_generator
from councilsim.simulation.fast import (
    CountsPlan,
    Popcounts,
    byte_multiplier,
    byte_offsets,
    packed_offsets,
)
from councilsim.strategies import councils as any_councils

pytestmark = pytest.mark.skipif(not hasattr(np, "bitwise_count"), reason="numpy before 2.0")


def plan_of(council: Council) -> CountsPlan:
    plan = CountsPlan.build(council, ImpartialModel().probabilities(council))
    assert plan is not None
    return plan


def big(members: int, weights: tuple[int, int] = (1, 1), veto: int = 5) -> Council:
    """``veto`` veto holders and the rest elected, half of them of the second weight."""
    elected = members - veto
    classes = (
        SeatClass("permanent", SeatKind.PERMANENT, True, (None,) * veto),
        SeatClass("a", SeatKind.ELECTED, False, (None,) * (elected // 2), weight=weights[0]),
        SeatClass(
            "b", SeatKind.ELECTED, False, (None,) * (elected - elected // 2), weight=weights[1]
        ),
    )
    total = veto + weights[0] * (elected // 2) + weights[1] * (elected - elected // 2)
    quota = 3 * total // 5
    return Council(classes=classes, rule=Rule(quota=quota, procedural_quota=quota))


def test_shipped_councils_count_by_popcounts() -> None:
    assert plan_of(load("g4-2005").council).popcounts is not None
    current = plan_of(load("current").council)
    assert current.popcounts is not None and current.word == np.uint16  # bytes' popcounts


@settings(max_examples=40, deadline=None)
@given(
    any_councils(max_seats=64, max_classes=4, max_weight=2),
    st.integers(1, 40_000),
    st.integers(0, 2**32),
)
def test_popcounts_give_the_codes_of_the_bits(council: Council, n: int, seed: int) -> None:
    """Up to 64 members the popcounts read the same words as the bit-field tables, so they
    give the same codes and the same histogram."""
    plan = plan_of(council)
    pops = Popcounts.of(plan.units, plan.strides, plan.codes)
    if pops is None or plan.bits is None:
        return
    words = plan.words(np.random.default_rng(seed), n)
    np.testing.assert_array_equal(pops.codes_of(words), plan.codes_of_bits(words))
    acc = np.zeros(pops.size, dtype=np.int64)
    pops.count(words, acc)
    np.testing.assert_array_equal(
        pops.histogram(acc), np.bincount(plan.codes_of_bits(words), minlength=plan.codes)
    )


@settings(max_examples=60, deadline=None)
@given(
    any_councils(max_seats=16, max_classes=4, max_weight=3),
    st.integers(1, 3000),
    st.integers(0, 2**32),
)
def test_bytes_popcounts_of_16_bit_drafts_give_the_codes_of_the_bits(
    council: Council, n: int, seed: int
) -> None:
    """Up to 16 members the popcounts are taken byte by byte and a draft's two bytes added;
    the codes and the histogram (of pairs, folded) are those of the bit-field tables, for any
    number of drafts (odd ones leave a single draft) and code space (beyond 256 codes the
    drafts are widened to 32 bits)."""
    plan = plan_of(council)
    pops = Popcounts.of(plan.units, plan.strides, plan.codes)
    if pops is None or plan.bits is None:
        return
    words = plan.words(np.random.default_rng(seed), n)
    assert words.dtype == np.uint16
    expected = plan.codes_of_bits(words)
    np.testing.assert_array_equal(pops.codes_of(words), expected)
    acc = np.zeros(pops.size, dtype=np.int64)
    pops.count(words, acc)
    np.testing.assert_array_equal(pops.histogram(acc), np.bincount(expected, minlength=plan.codes))


@settings(max_examples=30, deadline=None)
@given(
    any_councils(max_seats=64, max_classes=4, max_weight=2),
    st.integers(1, 3 * fast.STEP),
    st.integers(0, 2**16),
)
def test_a_block_counted_by_popcounts_equals_the_table_lookups(
    council: Council, n: int, seed: int
) -> None:
    """The whole block: the same generator gives the same histogram of codes through the
    popcounts (drafts counted in pairs) as through the lookup tables of bit fields."""
    plan = plan_of(council)
    if plan.popcounts is None or plan.bits is None:
        return
    tables = replace(plan, popcounts=None, binned=None)
    got, expected = plan.start(), tables.start()
    plan.block(block_generator(seed, 0), n, got)
    tables.block(block_generator(seed, 0), n, expected)
    np.testing.assert_array_equal(plan.code_histogram(got), tables.code_histogram(expected))
    a, b = plan.finish(got), tables.finish(expected)
    assert (a.draws, a.yes_sum, a.yes_sq) == (b.draws, b.yes_sum, b.yes_sq)
    np.testing.assert_array_equal(a.states, b.states)
    np.testing.assert_array_equal(a.units, b.units)
    assert a.draws == n


@pytest.mark.parametrize(
    ("members", "weights", "veto"),
    [(32, (1, 1), 5), (64, (1, 1), 5), (64, (1, 2), 3), (32, (2, 3), 0)],
)
def test_units_that_fill_the_word_take_the_last_count_from_the_whole_word(
    members: int, weights: tuple[int, int], veto: int
) -> None:
    """When the units' bits fill the draft's word, the last unit's count is the word's
    popcount less the others' (in modular arithmetic): the same codes."""
    plan = plan_of(big(members, weights, veto))
    pops = plan.popcounts
    assert pops is not None and plan.bits is not None
    assert sum(mask for _, mask, _ in pops.terms) == (1 << members) - 1
    words = plan.words(np.random.default_rng(members + veto), 5001)
    np.testing.assert_array_equal(pops.codes_of(words), plan.codes_of_bits(words))


def test_pairs_fold_into_the_histogram_of_codes() -> None:
    """With byte codes, pair bin ``a + 256 · b`` is one draft of code ``a`` and one of ``b``
    (the two code bytes read as one 16-bit number, so which draft is ``a`` depends on the byte
    order); the odd last draft has a bin of its own."""
    pops = Popcounts(1, ((0, 0b11, 1),), 3)
    assert pops.pairs and pops.span == 256 and pops.size == 257 * 3
    words = np.array([0b11, 0b01, 0b00, 0b11, 0b10], dtype=np.uint16)  # codes 2, 1, 0, 2, 1
    acc = np.zeros(pops.size, dtype=np.int64)
    pops.count(words, acc)
    first, second = ((2, 1), (0, 2)) if sys.byteorder == "little" else ((1, 2), (2, 0))
    assert acc[first[0] + 256 * first[1]] == 1 and acc[second[0] + 256 * second[1]] == 1
    assert acc[256 * 3 + 1] == 1 and acc.sum() == 3
    np.testing.assert_array_equal(pops.histogram(acc), [1, 2, 2])


def _popcount_codes(words: NDArray[np.uint64], pops: Popcounts) -> NDArray[np.int64]:
    """Each draft's code, ``Σ stride · popcount(word & mask)``, one draft at a time."""
    return np.array(
        [sum(s * (int(w) & m).bit_count() for _, m, s in pops.terms) for w in words],
        dtype=np.int64,
    )


@pytest.mark.parametrize(
    ("terms", "codes", "dtype"),
    [
        # byte codes: the first unit in the lowest byte, the word full or not
        (((0, 0x1F, 1), (0, 0xFFFFFFE0, 6)), 6 * 28, np.uint32),
        (((0, 0x1F, 1), (0, 0x1FFFFE0, 6)), 6 * 21, np.uint32),
        (((0, 0xFF, 1), (0, 0xFF00, 9), (0, 0x30000, 81)), 243, np.uint32),
        # the first unit wider than a byte; three units in 64-bit words
        (((0, 0x3FF, 1), (0, 0x7FC00, 11)), 110, np.uint32),
        (((0, 0x7, 1), (0, 0x7FFF8, 4), (0, 0xFFF80000, 64)), 4 * 17 * 14, np.uint64),
        # more than 256 codes (16-bit codes: pair rows as long as the codes)
        (((0, 0xFF, 1), (0, 0xFFFFFFFF00, 9)), 9 * 33, np.uint64),
        # every byte one unit's (one product per draft): 32- and 16-bit words
        (((0, 0x7FF, 1), (0, 0x7FFF0000, 12)), 12 * 16, np.uint32),
        (((0, 0x1F, 1), (0, 0xFFFFF00, 6)), 6 * 21, np.uint32),
        (((0, 0xFF, 1), (0, 0xF00, 9), (0, 0x30000, 45)), 9 * 5 * 3, np.uint32),
        (((0, 0x1F, 1), (0, 0x3F00, 6)), 6 * 7, np.uint16),
        # the lowest byte shared (one or two corrections), 16-bit words
        (((0, 0x1F, 1), (0, 0x7FE0, 6)), 6 * 11, np.uint16),
        (((0, 0x7, 1), (0, 0x38, 4), (0, 0xFFC0, 16)), 4 * 4 * 11, np.uint16),
    ],
)
def test_one_word_codes_and_pairs_against_popcounts_of_each_draft(
    terms: tuple[tuple[int, int, int], ...], codes: int, dtype: type[np.unsignedinteger]
) -> None:
    """The codes formed from the union's popcount (less the other units' counts, a unit in
    the lowest byte read from that byte alone) and the histogram of pairs of them are those
    of each draft's popcounts, odd and even numbers of drafts alike, whether or not the
    words may be overwritten."""
    pops = Popcounts(1, terms, codes)
    raw = np.random.default_rng(codes).integers(0, 2**63, 2001, dtype=np.uint64)
    raw |= np.random.default_rng(1).integers(0, 2, 2001, dtype=np.uint64) << np.uint64(63)
    words = raw.astype(dtype)  # truncated to the word's width
    expected = _popcount_codes(words.astype(np.uint64), pops)
    assert expected.max() < codes
    np.testing.assert_array_equal(pops.codes_of(words), expected)
    kept = words.copy()
    for n in (2001, 2000):
        for owned in (False, True):  # owned words may be masked in place
            acc = np.zeros(pops.size, dtype=np.int64)
            pops.count(words[:n].copy() if owned else words[:n], acc, owned=owned)
            np.testing.assert_array_equal(
                pops.histogram(acc), np.bincount(expected[:n], minlength=codes)
            )
    np.testing.assert_array_equal(words, kept)  # words not owned are left as they were


@pytest.mark.parametrize(
    ("members", "weights", "veto"),
    [(65, (1, 1), 5), (100, (1, 2), 5), (200, (1, 1), 5), (130, (1, 3), 40)],
)
def test_beyond_64_members_the_bits_are_the_votes(
    members: int, weights: tuple[int, int], veto: int
) -> None:
    """Bit ``j`` of draft ``i`` is bit ``j % 64`` of raw word ``(j // 64) * n + i``; the codes
    give the tallies that :func:`councilsim.rule.decide` gives for those votes."""
    council = big(members, weights, veto)
    plan = plan_of(council)
    assert plan.popcounts is not None and plan.bits is None
    n = 700
    words = plan.words(np.random.default_rng(3), n)
    assert words.shape == (-(-members // 64), n)
    order = [i for u in plan.units for i in u.members]
    j = np.arange(members)
    bits = (words[j // 64, :].T >> (j % 64).astype(np.uint64)) & np.uint64(1)
    votes = np.empty((n, members), dtype=np.int8)
    votes[:, order] = np.where(bits == 1, Vote.YES, Vote.NO)
    expected = decide(votes, council.weights, council.veto, council.rule)
    yes, block = plan.decode(plan.popcounts.codes_of(words))
    np.testing.assert_array_equal(
        yes @ np.array([u.weight for u in plan.units]), expected.yes_weight
    )
    np.testing.assert_array_equal(block.sum(axis=1), expected.blocking)
    # sample() draws the same words from the same generator
    np.testing.assert_array_equal(
        plan.sample(np.random.default_rng(3), n), plan.popcounts.codes_of(words)
    )


def test_beyond_64_members_agrees_with_exact_and_with_any_chunking() -> None:
    council = big(100, (1, 2))
    model = ImpartialModel()
    exact = exact_outcomes(council, model)
    one = simulate(council, model, draws=400_000, seed=8)
    chunked = simulate(council, model, draws=400_000, seed=8, chunk_size=1, workers=2)
    assert one.to_dict() == chunked.to_dict()
    for mc, ex in ((one.adopted, exact.adopted), (one.vetoed, exact.vetoed)):
        assert isinstance(ex.exact, Fraction)
        assert mc.ci_low is not None and mc.ci_high is not None
        assert mc.ci_low <= ex.exact <= mc.ci_high


def test_code_spaces_beyond_16_bits_are_summed_in_32_bits() -> None:
    """Popcounts serve every one-bit plan (up to :data:`fast.MAX_CODES` codes): beyond 2**16
    codes their sums are 32-bit, and single drafts are added by ``numpy.add.at``."""
    council = big(130, (1, 3), veto=40)  # beyond 64 members: 41 * 46 * 46 = 86 756 codes
    plan = plan_of(council)
    assert plan.codes > 1 << 16 and plan.popcounts is not None
    assert plan.popcounts.small is np.uint32
    # up to 64 members: five veto holders and four elected classes of weights 1-4
    sizes, weights = (15, 15, 15, 14), (1, 2, 3, 4)
    classes = [SeatClass("permanent", SeatKind.PERMANENT, True, (None,) * 5)]
    for k, (size, weight) in enumerate(zip(sizes, weights, strict=True)):
        classes.append(SeatClass(f"e{k}", SeatKind.ELECTED, False, (None,) * size, weight=weight))
    quota = 3 * (5 + sum(a * w for a, w in zip(sizes, weights, strict=True))) // 5
    council = Council(classes=tuple(classes), rule=Rule(quota=quota, procedural_quota=quota))
    plan = plan_of(council)
    assert plan.codes == 6 * 16**3 * 15 and plan.popcounts is not None and plan.bits is not None
    n = 3 * fast.STEP + 5
    words = plan.words(np.random.default_rng(8), n)
    expected = plan.codes_of_bits(words)
    np.testing.assert_array_equal(plan.popcounts.codes_of(words), expected)
    acc = plan.start()
    plan.block(np.random.default_rng(8), n, acc)
    np.testing.assert_array_equal(
        plan.code_histogram(acc), np.bincount(expected, minlength=plan.codes)
    )


@pytest.mark.parametrize("size", [10, 1000, 100_000])
def test_add_codes_adds_one_per_code_whatever_the_histogram_length(size: int) -> None:
    codes = np.random.default_rng(size).integers(0, size, 5000)
    acc = np.arange(size, dtype=np.int64)
    fast.add_codes(acc, codes)
    np.testing.assert_array_equal(acc, np.arange(size) + np.bincount(codes, minlength=size))


@pytest.mark.parametrize(
    ("scenario", "offsets", "word"),
    [
        ("african-union-2005", (0, 16), np.uint32),  # 11 veto holders, then 15 at bit 16
        ("g4-2005", (0, 8), np.uint32),
        ("pre-1965", (0, 8), np.uint16),
        ("current", (0, 5), np.uint16),  # 5 + 10 members: no room for a gap in 16 bits
    ],
)
def test_units_start_at_a_byte_where_the_word_has_room(
    scenario: str, offsets: tuple[int, ...], word: type[np.unsignedinteger]
) -> None:
    plan = plan_of(load(scenario).council)
    assert byte_offsets(plan.units, plan.strides, plan.codes) == offsets
    assert plan.word == word and plan.popcounts is not None
    sums = plan.popcounts._byte_sums[np.dtype(word).itemsize]  # one product per draft
    # today's Council: the lowest byte holds 5 permanent and 3 elected members' bits
    assert sums[2] == (((0xE0, 5),) if offsets == packed_offsets(plan.units) else ())


@settings(max_examples=60, deadline=None)
@given(any_councils(max_seats=64, max_classes=4, max_weight=3))
def test_byte_offsets_never_widen_the_word(council: Council) -> None:
    """The bits left between units fit in the word the packed bits need (16, 32 or 64 bits):
    a seed draws as many raw words as before, and every member has a bit of its own."""
    plan = plan_of(council)
    if plan.word is None:
        return
    packed = 16 if council.size <= 16 else 32 if council.size <= 32 else 64
    assert np.dtype(plan.word).itemsize * 8 == packed
    bits = plan.member_bits
    assert np.unique(bits).size == council.size and bits.max() < packed
    assert plan.share is not None and plan.share.size == bits.max() + 1


@st.composite
def byte_units(draw: st.DrawFn) -> tuple[tuple[tuple[int, int, int], ...], int, int]:
    """Terms whose bits lie in whole bytes of their own (each unit one or more bytes, some
    bytes left out), but for the lowest byte, which up to three units may share, with any
    strides; one more than the largest code; the word's size in bytes."""
    size = draw(st.sampled_from([2, 4]))
    terms, top, byte = [], 0, 0
    if draw(st.booleans()):  # units sharing the lowest byte
        cuts = sorted(draw(st.sets(st.integers(1, 7), min_size=1, max_size=2)))
        for lo, hi in zip([0, *cuts], [*cuts, 8], strict=True):
            stride = draw(st.integers(1, 80))
            terms.append((0, ((1 << (hi - lo)) - 1) << lo, stride))
            top += stride * (hi - lo)
        byte = 1
    while byte < size:
        width = draw(st.integers(1, size - byte))
        bits = draw(st.integers(1, 8 * width))
        low = draw(st.integers(0, 8 * width - bits))
        stride = draw(st.integers(1, 80))
        terms.append((0, ((1 << bits) - 1) << (8 * byte + low), stride))
        top += stride * bits
        byte += width + draw(st.integers(0, 1))
    return tuple(terms), top + 1, size


@settings(max_examples=300, deadline=None)
@given(byte_units())
def test_the_multiplier_sums_weighted_byte_counts_without_carries(
    case: tuple[tuple[tuple[int, int, int], ...], int, int],
) -> None:
    """Whenever :func:`byte_multiplier` gives a multiplier, the product's top byte plus the
    lowest byte's corrections (modulo 256) is the code for every combination of the units'
    counts (checked exhaustively), so no byte carries into it; it gives none for codes
    beyond a byte."""
    terms, codes, size = case
    found = byte_multiplier(terms, codes, size)
    if codes > 256:
        assert found is None
        return
    if found is None:
        return
    k, corrections = found
    fixes = dict(corrections)
    # every piece of a unit in one byte, with every count from nothing to all its bits
    pieces = [
        (b, (mask >> (8 * b)) & 0xFF, stride)
        for _, mask, stride in terms
        for b in range(size)
        if (mask >> (8 * b)) & 0xFF
    ]
    counts = np.stack(
        np.meshgrid(*(np.arange(part.bit_count() + 1) for _, part, _ in pieces), indexing="ij"),
        axis=-1,
    ).reshape(-1, len(pieces))
    word = np.zeros(counts.shape[0], dtype=np.uint64)
    fixed = np.zeros(counts.shape[0], dtype=np.int64)
    for t, (b, part, _) in enumerate(pieces):
        word += counts[:, t].astype(np.uint64) << np.uint64(8 * b)
        if b == 0:
            fixed += fixes.get(part, 0) * counts[:, t]
    top = ((word * np.uint64(k)) & np.uint64((1 << (8 * size)) - 1)) >> np.uint64(8 * size - 8)
    expected = counts @ np.array([stride for _, _, stride in pieces])
    np.testing.assert_array_equal((top.astype(np.int64) + fixed) % 256, expected)


def test_a_shared_byte_above_the_lowest_or_a_carry_gives_no_multiplier() -> None:
    assert byte_multiplier(((0, 0x1F, 1), (0, 0x7FE0, 6)), 66, 2) == (0x0106, ((0xE0, 5),))
    assert byte_multiplier(((0, 0xFF, 1), (0, 0x700, 9), (0, 0xF800, 36)), 9 * 4 * 6, 2) is None
    # 8 * 40 = 320 in the product's low byte would carry into the code
    assert byte_multiplier(((0, 0xFF, 1), (0, 0x300, 9), (0, 0xF0000, 40)), 160, 4) is None
    assert byte_multiplier(((0, 0xFF, 1), (0, 0x300, 9)), 27, 4) == (0x01090000, ())
