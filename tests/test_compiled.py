"""The compiled counting loop (optional numba): same histogram, same results, clear choices."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from councilsim.council import Council, Rule, SeatClass, SeatKind
from councilsim.errors import ScenarioError
from councilsim.models import ImpartialModel
from councilsim.scenario import load
from councilsim.simulation import BLOCK, compiled, make_plan, simulate
from councilsim.simulation.compiled import AUTO_DRAWS, BitCounter, share_table, wanted
from councilsim.simulation.engine import block_generator
from councilsim.simulation.fast import CountsPlan
from councilsim.strategies import councils

needs_numba = pytest.mark.skipif(not compiled.available(), reason="numba is not installed")


def uniform(members: int, veto: int = 5) -> Council:
    """``veto`` veto holders and the rest elected, all of weight 1; quota three fifths."""
    classes = (
        SeatClass("permanent", SeatKind.PERMANENT, True, (None,) * veto),
        SeatClass("elected", SeatKind.ELECTED, False, (None,) * (members - veto)),
    )
    quota = 3 * members // 5
    return Council(classes=classes, rule=Rule(quota=quota, procedural_quota=quota))


@given(st.lists(st.integers(0, 50), max_size=10))
def test_share_table_sums_the_shares_of_set_bits(share: list[int]) -> None:
    table = share_table(np.array(share, dtype=np.intp))
    assert table.size == 1 << len(share)
    for value in range(table.size):
        expected = sum(s for j, s in enumerate(share) if value >> j & 1)
        assert table[value] == expected


@pytest.mark.parametrize("vector", [False, True])
def test_counter_only_for_plans_it_can_count(vector: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(compiled, "vector_popcount", lambda: vector)
    assert BitCounter.build(np.ones(65, dtype=np.intp), 66) is None  # too many members
    assert BitCounter.build(np.ones(33, dtype=np.intp), 34) is not None  # one popcount
    # beyond 32 members: at most five groups, whose counts side by side take at most 20 bits
    five = np.repeat([1, 2, 3, 4, 5], [5, 10, 10, 10, 10]).astype(np.intp)
    assert BitCounter.build(five, 10**6) is not None  # 3 + 4 * 4 bits; the codes do not matter
    # else, up to MAX_CODES codes: with a vector popcount and at most MAX_STRIDED groups, by
    # each group's popcount times its share; otherwise by tables of 16-bit fields' shares
    six = np.repeat([1, 2, 3, 4, 5, 6], [5, 8, 8, 8, 8, 8]).astype(np.intp)
    assert BitCounter.build(six, compiled.MAX_CODES + 1) is None
    wide = np.repeat([1, 2, 3, 4, 5], [16, 16, 16, 8, 8]).astype(np.intp)
    assert BitCounter.build(wide, compiled.MAX_CODES + 1) is None  # 5+5+5+4+4 bits: too many
    nine = np.repeat(np.arange(1, 10), [5, 4, 4, 4, 4, 4, 4, 4, 4]).astype(np.intp)
    for share, fields, groups in ((six, 3, 6), (wide, 4, 5), (nine, 3, 9)):
        counter = BitCounter.build(share, 100)
        assert counter is not None and not counter.binned
        if vector and groups <= compiled.MAX_STRIDED:
            assert counter.strided and counter.per_pass == compiled.WIDE_PASS
            masks, shares = counter.params[:8], counter.params[8:]
            sizes = np.unique(share, return_counts=True)[1].tolist()
            assert [int(m).bit_count() for m in masks if m] == sizes
            assert sum(int(m) for m in masks) == (1 << share.size) - 1
            assert [int(x) for x in shares if x] == np.unique(share).tolist()
        else:
            assert not counter.strided and counter.tables.shape == (fields, 2**16)
    narrow = np.repeat([1, 2, 3, 4, 5], [15, 15, 15, 8, 8]).astype(np.intp)
    assert BitCounter.build(narrow, 100) is not None  # 5 * 4 bits (15 needs 4, 16 needs 5)
    gap = np.repeat([1, 0, 6], [5, 3, 35]).astype(np.intp)  # bits between groups: not a group
    counter = BitCounter.build(gap, 216)
    assert counter is not None and counter.bin_bits == 3 + 6
    # up to 32 members, at most MAX_CODES codes, in tables of the narrowest type that holds them
    assert BitCounter.build(np.ones(10, dtype=np.intp), compiled.MAX_CODES + 1) is None
    for codes, dtype in ((11, np.uint8), (2**16, np.uint16), (2**16 + 1, np.uint32)):
        counter = BitCounter.build(np.ones(10, dtype=np.intp), codes)
        assert counter is not None and counter.tables.dtype == dtype
    big = load("current").council
    plan = make_plan(big, ImpartialModel(p="0.4"), jit=True)  # not one bit per member
    assert isinstance(plan, CountsPlan) and plan.counter is None


def test_wanted_follows_the_argument_the_size_and_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(compiled.ENV, raising=False)
    assert wanted(False, 10**12) is False
    assert wanted(None, AUTO_DRAWS - 1) is False
    assert wanted(None, AUTO_DRAWS) is compiled.available()
    assert wanted(None, 10**12, countable=False) is False  # e.g. blocs: numba not even imported
    monkeypatch.setenv(compiled.ENV, "0")
    assert wanted(None, 10**12) is False
    monkeypatch.setattr(compiled, "available", lambda: False)
    monkeypatch.delenv(compiled.ENV)
    assert wanted(None, 10**12) is False
    with pytest.raises(ScenarioError, match=r"jit: .*numba.*councilsim\[fast\]"):
        wanted(True, 10)
    with pytest.raises(ScenarioError, match="numba"):
        simulate(load("current").council, ImpartialModel(), draws=10, jit=True)


def countable(plan: CountsPlan) -> bool:
    """Whether the compiled loop counts a plan: up to 32 members, at most ``MAX_CODES`` codes;
    beyond, at most five runs of bits of equal share whose counts take at most 20 bits, or
    else at most ``MAX_CODES`` codes."""
    assert plan.share is not None
    share = [int(x) for x in plan.share]
    if len(share) <= 32:
        return plan.codes <= compiled.MAX_CODES
    runs = [len(list(group)) for _, group in itertools.groupby(share)]
    by_groups = len(runs) <= 5 and sum(size.bit_length() for size in runs) <= 20
    return by_groups or plan.codes <= compiled.MAX_CODES  # else by tables


@needs_numba
@settings(max_examples=40, deadline=None)
@given(
    councils(max_seats=64, max_classes=6, max_weight=4),
    st.integers(1, 3000),
    st.integers(0, 2**32),
)
def test_compiled_histogram_equals_numpy(council: Council, n: int, seed: int) -> None:
    probs = ImpartialModel().probabilities(council)
    assert probs is not None
    numpy_plan = CountsPlan.build(council, probs)
    jit_plan = CountsPlan.build(council, probs, jit=True)
    assert numpy_plan is not None and jit_plan is not None
    assert (jit_plan.counter is not None) == countable(jit_plan)
    if jit_plan.counter is None:  # the numpy path is used
        return
    expected, got = numpy_plan.start(), jit_plan.start()
    numpy_plan.block(np.random.default_rng(seed), n, expected)
    jit_plan.block(np.random.default_rng(seed), n, got)
    np.testing.assert_array_equal(jit_plan.code_histogram(got), numpy_plan.code_histogram(expected))
    a, b = numpy_plan.finish(expected), jit_plan.finish(got)
    assert a.draws == b.draws == n
    np.testing.assert_array_equal(a.states, b.states)
    np.testing.assert_array_equal(a.units, b.units)


@needs_numba
@pytest.mark.parametrize("scenario", ["current", "g4-2005"])
def test_simulation_results_are_identical_with_the_compiled_loop(scenario: str) -> None:
    council = load(scenario).council
    plan = make_plan(council, ImpartialModel(), jit=True)
    assert isinstance(plan, CountsPlan) and plan.counter is not None
    draws = 3 * BLOCK + 12_345  # a partial last block, not a multiple of the drafts per word
    numpy_result = simulate(council, ImpartialModel(), draws=draws, seed=7, jit=False)
    jit_result = simulate(council, ImpartialModel(), draws=draws, seed=7, jit=True)
    assert jit_result == numpy_result
    split = simulate(
        council, ImpartialModel(), draws=draws, seed=7, jit=True, chunk_size=BLOCK, workers=2
    )
    assert split == numpy_result


@needs_numba
def test_compiled_counter_reads_the_raw_words_in_draft_order() -> None:
    """Bit j of draft d is bit 16·(d mod 4) + j of raw word d // 4 (15 members)."""
    council = load("current").council
    plan = make_plan(council, ImpartialModel(), jit=True)
    assert isinstance(plan, CountsPlan) and plan.counter is not None
    acc = plan.start()
    plan.block(block_generator(3, 0), 7, acc)
    raw = block_generator(3, 0).bit_generator.random_raw(2)
    drafts = [(int(raw[d // 4]) >> (16 * (d % 4))) & 0x7FFF for d in range(7)]
    codes = plan.codes_of_bits(np.array(drafts, dtype=np.uint16))
    np.testing.assert_array_equal(
        plan.code_histogram(acc), np.bincount(codes, minlength=plan.codes)
    )


@needs_numba
@settings(max_examples=25, deadline=None)
@given(
    councils(max_seats=64, max_classes=4, max_weight=2),
    st.integers(1, 3000),
    st.integers(0, 2**64),
)
def test_drawing_in_the_loop_gives_the_words_of_random_raw(
    council: Council, n: int, seed: int
) -> None:
    """With PCG64 the loop draws its words itself: the same histogram as counting the words
    of ``random_raw``, and the generator left where ``random_raw`` leaves it."""
    plan = make_plan(council, ImpartialModel(), jit=True)
    if not isinstance(plan, CountsPlan) or plan.counter is None:
        return
    counter = plan.counter
    drawn, read = counter.start(), counter.start()
    rng, reference = np.random.default_rng(seed), np.random.default_rng(seed)
    counter.draw(rng, n, drawn)
    counter.count(reference.bit_generator.random_raw(counter.words(n)), n, read)
    np.testing.assert_array_equal(drawn, read)
    assert rng.bit_generator.state == reference.bit_generator.state
    assert rng.bit_generator.random_raw() == reference.bit_generator.random_raw()


@needs_numba
@pytest.mark.parametrize("members", [15, 25, 48])
def test_other_generators_and_buffered_halves_read_random_raw(members: int) -> None:
    """A bit generator other than PCG64, or a PCG64 holding a buffered 32-bit half-word, is
    read through ``random_raw`` (same histogram and final state)."""
    plan = make_plan(uniform(members), ImpartialModel(), jit=True)
    assert isinstance(plan, CountsPlan) and plan.counter is not None
    counter = plan.counter
    philox = np.random.Generator(np.random.Philox(5))
    assert compiled.pcg64_state(philox) is None
    buffered = np.random.default_rng(5)
    buffered.integers(0, 2**32, dtype=np.uint32)  # leaves half a word buffered
    assert compiled.pcg64_state(buffered) is None
    for make in (lambda: np.random.Generator(np.random.Philox(5)), lambda: buffered):
        rng = make()
        state = rng.bit_generator.state
        got = counter.start()
        counter.draw(rng, 1001, got)
        reference = np.random.Generator(type(rng.bit_generator)())
        reference.bit_generator.state = state
        expected = counter.start()
        counter.count(reference.bit_generator.random_raw(counter.words(1001)), 1001, expected)
        np.testing.assert_array_equal(got, expected)
        np.testing.assert_array_equal(
            rng.bit_generator.random_raw(3), reference.bit_generator.random_raw(3)
        )


@needs_numba
def test_pcg64_state_splits_the_128_bit_state_and_increment() -> None:
    rng = block_generator(11, 4)
    full = rng.bit_generator.state["state"]
    hi, lo, inc_hi, inc_lo = (int(x) for x in compiled.pcg64_state(rng))  # type: ignore[union-attr]
    assert (hi << 64 | lo, inc_hi << 64 | inc_lo) == (full["state"], full["inc"])


def weighted(members: int, weights: tuple[int, ...], veto: int = 5) -> Council:
    """``veto`` veto holders and the elected seats in classes of the given weights, as equal
    in size as can be; quota three fifths of the total weight."""
    elected, k = members - veto, len(weights)
    sizes = [elected // k + (j < elected % k) for j in range(k)]
    classes = [SeatClass("permanent", SeatKind.PERMANENT, True, (None,) * veto)]
    for j, (size, weight) in enumerate(zip(sizes, weights, strict=True)):
        classes.append(SeatClass(f"e{j}", SeatKind.ELECTED, False, (None,) * size, weight=weight))
    total = veto + sum(size * w for size, w in zip(sizes, weights, strict=True))
    quota = 3 * total // 5
    return Council(classes=tuple(classes), rule=Rule(quota=quota, procedural_quota=quota))


@needs_numba
@pytest.mark.parametrize(
    "council",
    [
        uniform(15),
        uniform(25),
        weighted(32, (1, 2, 3, 4)),
        weighted(24, tuple(range(1, 11))),  # 236 196 codes: 32-bit tables
        uniform(48),
        weighted(48, (1, 2, 3, 4, 5)),  # six groups: 64-bit drafts by tables (three)
        weighted(50, (1, 2, 3, 4, 5)),  # six groups, 50 members: four tables
        weighted(36, (1, 2, 3, 4, 5, 6)),  # seven groups
        weighted(35, (1, 2, 3, 4, 5, 6, 7)),  # eight groups
        weighted(33, (1, 2, 3, 4, 5, 6, 7, 8)),  # nine groups: by tables
        weighted(45, (1, 2, 3)),
    ],
)
@pytest.mark.parametrize("n", [1, 2, 3, 5, 6, 7, 9, 31, 33, 4099])
def test_drafts_beyond_the_last_whole_pass_are_counted(council: Council, n: int) -> None:
    """The kernels count whole passes of their loop (four drafts, or two of 32 bits); the
    drafts after the last are counted apart, from the same words, by both ways of reading
    them, and the generator ends where ``random_raw`` leaves it."""
    numpy_plan = make_plan(council, ImpartialModel(), jit=False)
    jit_plan = make_plan(council, ImpartialModel(), jit=True)
    assert isinstance(numpy_plan, CountsPlan) and isinstance(jit_plan, CountsPlan)
    counter = jit_plan.counter
    assert counter is not None
    expected = numpy_plan.start()
    numpy_plan.block(block_generator(5, 2), n, expected)
    drawn, read = jit_plan.start(), jit_plan.start()
    rng = block_generator(5, 2)
    counter.draw(rng, n, drawn)
    counter.count(block_generator(5, 2).bit_generator.random_raw(counter.words(n)), n, read)
    want = numpy_plan.code_histogram(expected)
    np.testing.assert_array_equal(counter.histogram(drawn), want)
    np.testing.assert_array_equal(counter.histogram(read), want)
    reference = block_generator(5, 2)
    reference.bit_generator.random_raw(counter.words(n))
    assert rng.bit_generator.state == reference.bit_generator.state


@needs_numba
def test_large_code_spaces_share_one_histogram_lane() -> None:
    """Two drafts of 32 bits share one histogram beyond LANE_CODES codes, and not below."""
    small = make_plan(weighted(32, (1, 2)), ImpartialModel(), jit=True)
    large = make_plan(weighted(32, (1, 2, 3, 4)), ImpartialModel(), jit=True)
    assert isinstance(small, CountsPlan) and isinstance(large, CountsPlan)
    assert small.counter is not None and large.counter is not None
    assert small.codes <= compiled.LANE_CODES < large.codes
    assert (small.counter.lanes, large.counter.lanes) == (2, 1)
    result = simulate(weighted(32, (1, 2, 3, 4)), ImpartialModel(), draws=BLOCK + 3, seed=2)
    assert result == simulate(
        weighted(32, (1, 2, 3, 4)), ImpartialModel(), draws=BLOCK + 3, seed=2, jit=True
    )


@needs_numba
@pytest.mark.parametrize(
    "council", [uniform(15), weighted(32, (1, 2, 3, 4)), uniform(25), weighted(45, (1, 2, 3, 4))]
)
def test_narrow_counts_are_added_to_the_totals_before_they_could_overflow(
    council: Council, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The kernels' 32-bit counts go to the 64-bit totals before more than NARROW_DRAFTS
    drafts could overflow one (a limit of 1000 here, to see it happen): the same histogram."""
    monkeypatch.setattr(compiled, "NARROW_DRAFTS", 1000)
    numpy_plan = make_plan(council, ImpartialModel(), jit=False)
    jit_plan = make_plan(council, ImpartialModel(), jit=True)
    assert isinstance(numpy_plan, CountsPlan) and isinstance(jit_plan, CountsPlan)
    counter = jit_plan.counter
    assert counter is not None
    expected, got = numpy_plan.start(), jit_plan.start()
    sizes = [600, 401, 999, 1000, 3, 700, 2501]  # the last in three steps
    for k, n in enumerate(sizes):
        numpy_plan.block(block_generator(9, k), n, expected)
        jit_plan.block(block_generator(9, k), n, got)
        lanes, pending = counter._lanes(got), int(got[-1])
        assert pending <= 1000 and lanes.sum() == pending  # what the lanes hold
    assert 0 < got[: counter.size].sum() < sum(sizes)  # some flushed, some not
    np.testing.assert_array_equal(jit_plan.code_histogram(got), numpy_plan.code_histogram(expected))
    expected, got = numpy_plan.start(), jit_plan.start()  # steps of words from random_raw
    numpy_plan.block(np.random.Generator(np.random.Philox(3)), 2501, expected)
    jit_plan.block(np.random.Generator(np.random.Philox(3)), 2501, got)
    assert int(got[-1]) <= 1000
    np.testing.assert_array_equal(jit_plan.code_histogram(got), numpy_plan.code_histogram(expected))


@needs_numba
@pytest.mark.parametrize("vector", [True, False])
@pytest.mark.parametrize(
    "council",
    [
        weighted(45, (1, 2, 3, 4)),
        weighted(64, (1, 2, 3)),
        weighted(40, (1, 2)),
        uniform(48),
        weighted(32, (1, 2, 3, 4)),
        weighted(30, (1, 2, 3)),
        weighted(32, (1, 2)),
    ],
)
def test_the_vectorised_loop_counts_as_the_other(
    council: Council, vector: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the processor has a vector population count, 32 drafts a pass beyond 32 members
    with three groups or more and up to 32 with four or more (the compiler's vectors; without
    that instruction it emulates them, so the loop is tested on any processor): the same
    histogram."""
    monkeypatch.setattr(compiled, "vector_popcount", lambda: vector)
    numpy_plan = make_plan(council, ImpartialModel(), jit=False)
    jit_plan = make_plan(council, ImpartialModel(), jit=True)
    assert isinstance(numpy_plan, CountsPlan) and isinstance(jit_plan, CountsPlan)
    counter = jit_plan.counter
    assert counter is not None
    groups, wide = len(numpy_plan.units), council.size > 32
    expected_pass = 4 if wide else 2
    if vector and groups >= (3 if wide else 4):
        expected_pass = compiled.WIDE_PASS
    assert counter.per_pass == expected_pass
    expected, got = numpy_plan.start(), jit_plan.start()
    for k, n in enumerate([BLOCK, 1000, 31, 70]):
        numpy_plan.block(block_generator(4, k), n, expected)
        jit_plan.block(block_generator(4, k), n, got)
    read = jit_plan.start()
    counter.count(block_generator(4, 9).bit_generator.random_raw(999), 999, read)
    numpy_plan.block(block_generator(4, 9), 999, expected)
    np.testing.assert_array_equal(
        jit_plan.code_histogram(got) + jit_plan.code_histogram(read),
        numpy_plan.code_histogram(expected),
    )


@needs_numba
def test_vector_popcount_reads_the_hosts_features(monkeypatch: pytest.MonkeyPatch) -> None:
    """True where LLVM lists AVX-512 VPOPCNTDQ among the host's features, else (or where it
    cannot tell) False."""
    from llvmlite import binding

    class Features:
        def __init__(self, text: str) -> None:
            self.text = text

        def flatten(self) -> str:
            return self.text

    def unknown() -> Features:
        raise RuntimeError("no features")

    cases = [
        (lambda: Features("+avx2,+avx512vpopcntdq,+popcnt"), True),
        (lambda: Features("+avx2,-avx512vpopcntdq,+popcnt"), False),
        (unknown, False),
    ]
    try:
        for features, expected in cases:
            monkeypatch.setattr(binding, "get_host_cpu_features", features)
            compiled.vector_popcount.cache_clear()
            assert compiled.vector_popcount() is expected
    finally:
        monkeypatch.undo()
        compiled.vector_popcount.cache_clear()
