"""Independent votes summed by tally state, for councils with more codes than a histogram holds.

The reduction itself (states, each unit's sums, the moments of Y) is checked draft by draft
against :func:`councilsim.rule.decide` in ``test_simulation.py`` (``check_counts_of_codes``);
here: the one-bit counts, the choice of plan, agreement with the exact engine, and
reproducibility.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from councils import small_council

from councilsim.council import Council
from councilsim.models import ImpartialModel, PropensityModel, VoteProbs
from councilsim.simulation import BLOCK, compiled, exact_outcomes, make_plan, simulate
from councilsim.simulation.counts import limb_moments
from councilsim.simulation.engine import block_generator
from councilsim.simulation.fast import MAX_CODES, CountsPlan
from councilsim.simulation.result import Estimate, SimulationResult
from councilsim.simulation.tallies import (
    MIN_POOL,
    PACK_BITS,
    ROUND,
    STEP,
    Packing,
    TalliesPlan,
    packs,
    popcount_by_bytes,
)
from councilsim.simulation.votes import VotesPlan


def groups(members: int, kinds: int) -> Council:
    """Five veto holders and the rest elected in ``kinds`` classes of weights 1, 2, …, as
    equal in size as can be; quota three fifths of the total weight."""
    elected = members - 5
    sizes = [(5, 1, True)]
    sizes += [(elected // kinds + (j < elected % kinds), j + 1, False) for j in range(kinds)]
    total = sum(n * w for n, w, _ in sizes)
    return small_council(sizes, 3 * total // 5)


def codes_of(council: Council, model: ImpartialModel | PropensityModel) -> int:
    """The size of the council's code space (the product of its units' radices)."""
    plan = make_plan(council, model)
    assert isinstance(plan, TalliesPlan)
    out = 1
    for u in plan.units:
        out *= u.radix
    return out


@pytest.mark.parametrize("members", [7, 20, 32, 33, 64, 65, 130, 2000])
def test_one_bit_counts_are_the_popcounts_of_each_units_bits(members: int) -> None:
    """Also for units of more than 255 members (2000: three of about 665), whose counts
    do not fit a byte."""
    council = groups(members, 3)
    plan = TalliesPlan.build(council, ImpartialModel().probabilities(council))
    assert plan.terms is not None
    n = 1001
    counts = list(plan.unit_counts(np.random.default_rng(members), n))
    raw = np.random.default_rng(members).bit_generator.random_raw(
        n * plan.words if plan.words else -(-n // 2)
    )
    if plan.words:  # bit j of draft i: bit j % 64 of raw word (j // 64) * n + i
        words = np.asarray(raw, dtype=np.uint64).reshape(plan.words, n)
        bits = np.concatenate(
            [np.unpackbits(w[:, None].view(np.uint8), axis=1, bitorder="little") for w in words],
            axis=1,
        )
    else:  # bit j of draft i: bit j of its 32-bit word
        words32 = np.asarray(raw, dtype=np.uint64).view(np.uint32)[:n]
        bits = np.unpackbits(words32[:, None].view(np.uint8), axis=1, bitorder="little")
    first = 0
    for u, (yes, block) in zip(plan.units, counts, strict=True):
        assert block is None
        np.testing.assert_array_equal(yes, bits[:, first : first + u.size].sum(axis=1))
        first += u.size


def test_plans_beyond_the_histograms_code_space_sum_by_state() -> None:
    many = groups(64, 5)  # six kinds of member: about 2 * 10**6 codes
    assert CountsPlan.build(many, ImpartialModel().probabilities(many)) is None
    assert codes_of(many, ImpartialModel()) > MAX_CODES
    plan = make_plan(many, ImpartialModel())
    assert isinstance(plan, TalliesPlan) and plan.terms is not None and plan.words == 1
    few = groups(64, 4)
    assert isinstance(make_plan(few, ImpartialModel()), CountsPlan)
    # votes drawn per unit where they are not one bit each
    assert isinstance(make_plan(many, ImpartialModel(p="0.4")), TalliesPlan)
    # not one bit each: by state where groups average MIN_POOL members or more
    council = groups(90, 2)
    for distinct, plan_type in ((90, VotesPlan), (8, TalliesPlan)):
        model = own_probabilities(council, distinct)
        plan = make_plan(council, model)
        assert isinstance(plan, plan_type)
        if isinstance(plan, TalliesPlan):
            assert len(plan.units) * MIN_POOL <= council.size
            assert codes_of(council, model) > MAX_CODES


def own_probabilities(council: Council, distinct: int) -> PropensityModel:
    """Members voting with ``distinct`` different sets of probabilities, in turn."""
    half = Fraction(1, 2)
    own = {}
    for k, seat in enumerate(council.seats):
        yes = Fraction(k % distinct + 1, 4 * distinct)
        own[seat.label] = VoteProbs(yes, half, half - yes, Fraction(0))
    return PropensityModel(members=own)


def close(exact: Estimate, mc: Estimate, z: float = 4.5) -> bool:
    """Within ``z`` standard errors (the 95 % interval is 3.92 of them wide)."""
    assert mc.ci_low is not None and mc.ci_high is not None
    return abs(exact.estimate - mc.estimate) <= z * (mc.ci_high - mc.ci_low) / 3.92 + 1e-12


def check_against_exact(council: Council, model: ImpartialModel | PropensityModel) -> None:
    exact = exact_outcomes(council, model)
    mc = simulate(council, model, draws=400_000, seed=3)
    for name in ("adopted", "vetoed", "failed", "mean_yes"):
        assert close(getattr(exact, name), getattr(mc, name)), name
    for e, m in zip(exact.members, mc.members, strict=True):
        for name in ("yes", "decisiveness", "satisfaction", "vetoes", "vetoes_alone"):
            ev, mv = getattr(e, name), getattr(m, name)
            assert (ev is None) == (mv is None)
            if ev is not None:
                assert close(ev, mv), (m.member, name)


def test_one_bit_drafts_by_state_agree_with_the_exact_engine() -> None:
    council = groups(40, 12)  # thirteen kinds of member: codes beyond 2**20
    assert codes_of(council, ImpartialModel()) > MAX_CODES
    check_against_exact(council, ImpartialModel())


def test_probabilities_of_their_own_by_state_agree_with_the_exact_engine() -> None:
    """Members in ten sets of probabilities (abstaining and absent, so blocking counts are
    drawn), in groups too many for a histogram of codes: binomial draws per group."""
    council = groups(60, 2)
    rng = np.random.default_rng(4)
    sets = []
    for _ in range(10):
        yes = Fraction(int(rng.integers(2, 7)), 10)
        abstain, absent = Fraction(int(rng.integers(0, 3)), 10), Fraction(1, 20)
        sets.append(VoteProbs(yes, 1 - yes - abstain - absent, abstain, absent))
    model = PropensityModel(
        members={s.label: sets[k % len(sets)] for k, s in enumerate(council.seats)}
    )
    assert codes_of(council, model) > MAX_CODES
    check_against_exact(council, model)


def test_units_of_more_than_255_members_are_counted_in_full() -> None:
    """Their yes counts do not fit a byte: the mean tally is half the total weight (each
    vote yes with probability 1/2; the exact engine refuses a council this large)."""
    council = groups(2000, 2)  # two elected classes of 998 and 997 members
    assert isinstance(make_plan(council, ImpartialModel()), TalliesPlan)
    mc = simulate(council, ImpartialModel(), draws=20_000, seed=3)
    half = Estimate(float(Fraction(5 + 998 + 2 * 997, 2)))
    assert close(half, mc.mean_yes)
    for member in mc.members:
        assert close(Estimate(0.5), member.yes)


def test_heavy_weights_merge_states_and_keep_exact_moments() -> None:
    """Twenty-two members of distinct weights in the hundreds: the grid merges states, so
    the mean of Y comes from its exact sums."""
    sizes = [(2, 400, True)] + [(1, 100 + 7 * j, False) for j in range(20)]
    total = sum(n * w for n, w, _ in sizes)
    council = small_council(sizes, 3 * total // 5)
    model = ImpartialModel()
    plan = make_plan(council, model)
    assert isinstance(plan, TalliesPlan) and not plan.grid.full
    check_against_exact(council, model)


def numbers(result: SimulationResult) -> dict[str, object]:
    return result.to_dict()


@pytest.mark.parametrize("model", [ImpartialModel(), ImpartialModel(p="0.3", abstain="0.2")])
def test_same_numbers_however_chunked_and_spread(model: ImpartialModel) -> None:
    council = groups(48, 6)
    assert isinstance(make_plan(council, model), TalliesPlan)
    draws = 3 * BLOCK + 123
    one = simulate(council, model, draws=draws, seed=9)
    assert numbers(simulate(council, model, draws=draws, seed=9, chunk_size=BLOCK)) == numbers(one)
    spread = simulate(council, model, draws=draws, seed=9, chunk_size=BLOCK, workers=2)
    assert numbers(spread) == numbers(one)
    assert numbers(simulate(council, model, draws=draws, seed=10)) != numbers(one)


@pytest.mark.parametrize("model", [ImpartialModel(), ImpartialModel(p="0.3", abstain="0.2")])
def test_a_block_is_drawn_in_steps_of_each_units_counts(model: ImpartialModel) -> None:
    council = groups(70, 6)
    plan = make_plan(council, model)
    assert isinstance(plan, TalliesPlan)
    n = 2 * STEP + 123
    acc = plan.start()
    plan.block(block_generator(5, 2), n, acc)
    again, rng = plan.start(), block_generator(5, 2)
    for start in range(0, n, STEP):
        plan.add(list(plan.unit_counts(rng, min(STEP, n - start))), again)
    np.testing.assert_array_equal(acc.table, again.table)
    counts = plan.finish(acc)
    assert counts.draws == n == counts.states.sum()
    assert (counts.yes_sum, counts.yes_sq) == (again.yes_sum, again.yes_sq)


@pytest.mark.parametrize("drafts, bits", [(STEP, PACK_BITS), (ROUND, 63), (3, 8)])
def test_packed_fields_hold_their_sums_side_by_side(drafts: int, bits: int) -> None:
    council = groups(64, 12)
    units = TalliesPlan.build(council, ImpartialModel().probabilities(council)).units
    layout = packs(units, drafts, bits)
    assert [k for pack in layout for k, _, _ in pack] == list(range(len(units)))
    assert len(layout) < len(units)
    for pack in layout:
        assert len(pack) == 1 or pack[-1][1] + pack[-1][2] <= bits
    packing = Packing.of(units, drafts, bits)
    assert packing.packs == layout
    top = [u.size * drafts for u in units]  # every draft all yes
    rng = np.random.default_rng(drafts)
    for sums in (top, [int(rng.integers(0, t + 1)) for t in top], [0] * len(units)):
        packed = [
            sum(sums[k] << shift for k, shift, _ in pack) for pack in layout
        ]  # a state's packed sums, one column
        fields = packing.fields(np.array(packed, dtype=np.int64)[:, None])
        assert fields[:, 0].tolist() == sums
    assert packs(units[:1], 2**70, 53) == (((0, 0, units[0].size.bit_length() + 70),),)


class AllYes:
    """A stand-in generator whose raw words are all ones: every member votes yes."""

    class bit_generator:  # the name of numpy's attribute
        @staticmethod
        def random_raw(count: int) -> np.ndarray:
            return np.full(count, 2**64 - 1, dtype=np.uint64)


@pytest.mark.parametrize("members", [30, 64])
def test_sums_of_every_vote_yes_fill_their_fields(members: int) -> None:
    """The largest sums a field can hold: every draft of a round (compiled) or a step
    (numpy) in one state, every unit's yes count at its size."""
    council = groups(members, 12)
    plan = make_plan(council, ImpartialModel())
    assert isinstance(plan, TalliesPlan) and plan.terms is not None
    n = ROUND + STEP + 7
    plans = [plan, plan.compiled()] if compiled.available() else [plan]
    for each in plans:
        acc = each.start()
        each.block(AllYes(), n, acc)  # type: ignore[arg-type]
        assert acc.table[0].max() == n == acc.draws
        units = len(each.units)
        assert acc.table[1 : 1 + units].sum(axis=1).tolist() == [n * u.size for u in each.units]
        assert not acc.table[1 + units :].any()  # no veto holder blocks


@pytest.mark.parametrize("top", [10**3, 2**40])
def test_moments_are_exact(top: int) -> None:
    """In 64-bit pieces below 2**31, else by distinct values (the sums of Y by state)."""
    values = np.random.default_rng(top).integers(0, top, 20_000)
    assert limb_moments(values) == (
        sum(int(v) for v in values),
        sum(int(v) ** 2 for v in values),
    )


@pytest.mark.parametrize("dtype", [np.uint32, np.uint64])
def test_popcounts_by_bytes_for_numpy_before_2(dtype: type[np.unsignedinteger]) -> None:
    words = np.random.default_rng(1).integers(0, 2**63, 4097, dtype=np.uint64).astype(dtype)
    words[:3] = (0, np.iinfo(dtype).max, 1)
    out = np.empty(words.size, dtype=np.uint8)
    popcount_by_bytes(words, out)
    assert out.tolist() == [int(w).bit_count() for w in words]


needs_numba = pytest.mark.skipif(not compiled.available(), reason="numba is not installed")


def heavy() -> Council:
    sizes = [(2, 400, True)] + [(1, 100 + 7 * j, False) for j in range(20)]
    return small_council(sizes, 3 * sum(n * w for n, w, _ in sizes) // 5)


@needs_numba
@pytest.mark.parametrize(
    "council",
    [groups(30, 12), groups(40, 12), groups(64, 5), heavy()],
    ids=["30 members", "40 members", "64 members", "merged states"],
)
def test_the_compiled_loop_sums_the_same_raw_words(council: Council) -> None:
    plan = make_plan(council, ImpartialModel())
    assert isinstance(plan, TalliesPlan) and plan.compilable and not plan.jit
    fast = plan.compiled()
    assert fast.jit
    n = 2 * STEP + 123
    expected, got = plan.start(), fast.start()
    rng_a, rng_b = block_generator(3, 1), block_generator(3, 1)
    plan.block(rng_a, n, expected)
    fast.block(rng_b, n, got)
    np.testing.assert_array_equal(got.table, expected.table)
    assert (got.draws, got.yes_sum, got.yes_sq) == (
        expected.draws,
        expected.yes_sum,
        expected.yes_sq,
    )
    assert rng_a.bit_generator.state == rng_b.bit_generator.state  # the same words drawn
    result = simulate(council, ImpartialModel(), draws=BLOCK + 5, seed=2, jit=True)
    assert result == simulate(council, ImpartialModel(), draws=BLOCK + 5, seed=2, jit=False)


def test_the_compiled_loop_serves_one_bit_councils_of_up_to_64_members() -> None:
    beyond = make_plan(groups(70, 6), ImpartialModel())
    drawn = make_plan(groups(64, 5), ImpartialModel(p="0.4"))
    assert isinstance(beyond, TalliesPlan) and isinstance(drawn, TalliesPlan)
    assert not beyond.compilable and not beyond.compiled().jit  # more than 64 members
    assert not drawn.compilable and not drawn.compiled().jit  # not one bit per member
    chosen = make_plan(groups(64, 5), ImpartialModel(), jit=True)
    assert isinstance(chosen, TalliesPlan) and chosen.jit
