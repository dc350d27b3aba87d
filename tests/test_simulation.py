"""The simulator: exact engine, Monte Carlo engine, reproducibility, and the rule they decide by."""

from __future__ import annotations

import itertools
from dataclasses import replace
from fractions import Fraction

import numpy as np
import pytest
from councils import small_council
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

from councilsim.council import Abstention, Council, Rule, SeatClass, SeatKind
from councilsim.errors import ScenarioError
from councilsim.models import BlocsModel, ImpartialModel, PropensityModel, SpatialModel, VoteProbs
from councilsim.rule import Vote, decide, tally
from councilsim.simulation import BLOCK, Estimate, exact_outcomes, make_plan, simulate
from councilsim.simulation.counts import Counts
from councilsim.simulation.engine import block_generator
from councilsim.simulation.fast import Bins, CountsPlan, _weighted_moments
from councilsim.simulation.tallies import TalliesPlan
from councilsim.simulation.votes import VotesPlan, limb_moments
from councilsim.strategies import councils as any_councils


def today() -> Council:
    return Council(
        classes=(
            SeatClass(
                id="permanent",
                kind=SeatKind.PERMANENT,
                veto=True,
                holders=("CHN", "FRA", "RUS", "GBR", "USA"),
            ),
            SeatClass(
                id="elected", kind=SeatKind.ELECTED, veto=False, holders=(None,) * 10, term=2
            ),
        ),
        rule=Rule(quota=9, procedural_quota=9),
    )


def councils(max_seats: int = 6) -> st.SearchStrategy[Council]:
    """Small councils: up to three classes, weights 1..3, thresholds up to one above the number
    of veto holders, either reading of abstentions."""
    return any_councils(max_seats=max_seats, max_classes=3, max_weight=3, excess_threshold=1)


fractions = st.sampled_from([Fraction(k, 10) for k in range(11)] + [Fraction(1, 3)])


@st.composite
def vote_probs(draw: st.DrawFn) -> VoteProbs:
    yes = draw(fractions)
    abstain = draw(fractions.filter(lambda a: a <= 1 - yes))
    absent = draw(fractions.filter(lambda a: a <= 1 - yes - abstain))
    return VoteProbs(yes, 1 - yes - abstain - absent, abstain, absent)


@st.composite
def propensities(draw: st.DrawFn, council: Council) -> PropensityModel:
    classes = {c.id: draw(vote_probs()) for c in council.classes}
    return PropensityModel(classes=classes)


# --- exact engine ------------------------------------------------------------------------


def test_coleman_power_to_act_is_exact() -> None:
    result = exact_outcomes(today(), ImpartialModel())
    assert result.adopted.exact == Fraction(848, 32768)
    assert result.member("USA").decisiveness.exact == Fraction(848, 2**14)
    assert result.member("elected-1").decisiveness.exact == Fraction(84, 2**14)
    assert result.mean_yes.exact == Fraction(15, 2)
    assert result.adopted.ci_low is None
    assert result.to_dict()["adopted"] == {"estimate": 848 / 32768, "fraction": "53/2048"}


def test_exact_uses_floats_for_float_probabilities() -> None:
    result = exact_outcomes(today(), ImpartialModel(p=0.5))
    assert result.adopted.exact is None
    assert result.adopted.estimate == pytest.approx(848 / 32768, abs=1e-15)


def brute_force(council: Council, probs: tuple[VoteProbs, ...]) -> dict[str, object]:
    """Every measure by enumerating all vote profiles through :func:`decide`."""
    m = council.size
    profiles = np.array(list(itertools.product(range(4), repeat=m)), dtype=np.int8)
    weight = np.array(
        [[probs[i][v] for i, v in enumerate(row)] for row in profiles.tolist()], dtype=object
    ).prod(axis=1)
    rule = council.rule
    d = decide(profiles, council.weights, council.veto, rule)
    adopted = d.adopted
    out: dict[str, object] = {
        "adopted": weight[adopted].sum(),
        "vetoed": weight[d.vetoed].sum(),
        "mean_yes": (weight * d.yes_weight).sum(),
    }
    for i in range(m):
        as_yes, as_no = profiles.copy(), profiles.copy()
        as_yes[:, i], as_no[:, i] = Vote.YES, Vote.NO
        flip = (
            decide(as_yes, council.weights, council.veto, rule).adopted
            != decide(as_no, council.weights, council.veto, rule).adopted
        )
        voted_yes = profiles[:, i] == Vote.YES
        blocking = (
            ~voted_yes if rule.abstention is Abstention.LITERAL else profiles[:, i] == Vote.NO
        ) & council.veto[i]
        out[f"decisive{i}"] = weight[flip].sum()
        out[f"satisfied{i}"] = weight[voted_yes == adopted].sum()
        out[f"vetoes{i}"] = weight[blocking & d.vetoed].sum()
        out[f"alone{i}"] = weight[blocking & d.vetoed & (d.blocking == 1)].sum()
    return out


@settings(max_examples=25)
@given(st.data())
def test_exact_engine_matches_enumeration_through_decide(data: st.DataObject) -> None:
    council = data.draw(councils(max_seats=5))
    model = data.draw(propensities(council))
    probs = model.probabilities(council)
    want = brute_force(council, probs)
    got = exact_outcomes(council, model)
    assert got.adopted.exact == want["adopted"]
    assert got.vetoed.exact == want["vetoed"]
    assert got.mean_yes.exact == want["mean_yes"]
    for i, member in enumerate(got.members):
        assert member.decisiveness.exact == want[f"decisive{i}"]
        assert member.satisfaction.exact == want[f"satisfied{i}"]
        if council.veto[i]:
            assert member.vetoes is not None and member.vetoes_alone is not None
            assert member.vetoes.exact == want[f"vetoes{i}"]
            assert member.vetoes_alone.exact == want[f"alone{i}"]
        else:
            assert member.vetoes is None


@settings(max_examples=25)
@given(councils(max_seats=8), fractions, fractions, fractions)
def test_raising_p_never_lowers_adoption(
    council: Council, p: Fraction, q: Fraction, abstain: Fraction
) -> None:
    low, high = sorted((p, q))
    abstain = min(abstain, 1 - high)
    a = exact_outcomes(council, ImpartialModel(p=low, abstain=abstain)).adopted.exact
    b = exact_outcomes(council, ImpartialModel(p=high, abstain=abstain)).adopted.exact
    assert a is not None and b is not None and a <= b


def test_exact_refuses_correlated_models() -> None:
    with pytest.raises(ScenarioError, match="not independent"):
        exact_outcomes(today(), BlocsModel())


# --- Monte Carlo against exact ---------------------------------------------------------------


def covered(est: Estimate, value: Fraction | None) -> bool:
    assert est.ci_low is not None and est.ci_high is not None and value is not None
    return est.ci_low - 1e-12 <= value <= est.ci_high + 1e-12


@pytest.mark.parametrize("fast", [True, False])
@pytest.mark.parametrize(
    "model",
    [
        ImpartialModel(),
        ImpartialModel(p="0.3", abstain="0.1"),
        ImpartialModel(p="0.6", absent="0.2"),
    ],
)
def test_monte_carlo_agrees_with_exact(model: ImpartialModel, fast: bool) -> None:
    council = today()
    exact = exact_outcomes(council, model)
    mc = simulate(council, model, draws=400_000, seed=11, fast=fast)
    for name in ("adopted", "vetoed", "failed"):
        e, m = getattr(exact, name), getattr(mc, name)
        assert abs(e.estimate - m.estimate) < 5 * (m.ci_high - m.ci_low) / 3.92 + 1e-9
    for e, m in zip(exact.members, mc.members, strict=True):
        for name in ("yes", "decisiveness", "satisfaction", "vetoes", "vetoes_alone"):
            ev, mv = getattr(e, name), getattr(m, name)
            if ev is None:
                assert mv is None
                continue
            assert abs(ev.estimate - mv.estimate) < 5 * (mv.ci_high - mv.ci_low) / 3.92 + 1e-9
    assert abs(exact.mean_yes.estimate - mc.mean_yes.estimate) < 0.02


def coverage(
    council: Council, model: PropensityModel, runs: int = 200, draws: int = 1000, fast: bool = True
) -> dict[str, float]:
    exact = exact_outcomes(council, model)
    hits: dict[str, int] = {}
    checks: dict[str, int] = {}
    for seed in range(runs):
        mc = simulate(council, model, draws=draws, seed=seed, fast=fast)
        pairs = [("adopted", exact.adopted, mc.adopted), ("vetoed", exact.vetoed, mc.vetoed)]
        for k, (e, m) in enumerate(zip(exact.members, mc.members, strict=True)):
            pairs.append((f"decisive{k}", e.decisiveness, m.decisiveness))
            pairs.append((f"satisfied{k}", e.satisfaction, m.satisfaction))
        for name, e, m in pairs:
            if not 0.02 <= e.estimate <= 0.98 and e.estimate not in (0.0, 1.0):
                continue  # Wilson's coverage dips for proportions within ~1/draws of 0 or 1
            checks[name] = checks.get(name, 0) + 1
            hits[name] = hits.get(name, 0) + covered(m, e.exact)
    return {k: hits[k] / checks[k] for k in checks}


def check_coverage(rates: dict[str, float]) -> None:
    """Nominal 95 %: on average at least 90 % of the runs, and no quantity below 85 %.

    (With 200 runs at a true 95 %, a single quantity falls below 90 % about once in a thousand;
    the pooled rate and the looser single bound keep the test from flaking.)
    """
    assert sum(rates.values()) / len(rates) >= 0.9, rates
    assert min(rates.values()) >= 0.85, rates


@settings(max_examples=12)
@given(st.data())
def test_intervals_cover_the_exact_value_at_the_nominal_rate(data: st.DataObject) -> None:
    council = data.draw(councils(max_seats=8))
    model = data.draw(propensities(council))
    check_coverage(coverage(council, model))


@pytest.mark.slow
@settings(max_examples=60)
@given(st.data(), st.booleans())
def test_intervals_cover_many_councils(data: st.DataObject, fast: bool) -> None:
    council = data.draw(councils(max_seats=12))
    model = data.draw(propensities(council))
    check_coverage(coverage(council, model, fast=fast))


def test_weighted_council_with_merged_states() -> None:
    council = small_council([(2, 1500, True), (3, 700, False), (1, 1, False)], quota=3500)
    model = ImpartialModel(p="0.6", abstain="0.1")
    plan = make_plan(council, model)
    assert not plan.grid.full
    exact = exact_outcomes(council, model)
    for fast in (True, False):
        mc = simulate(council, model, draws=200_000, seed=2, fast=fast)
        assert covered(mc.adopted, exact.adopted.exact)
        assert (
            abs(mc.mean_yes.estimate - exact.mean_yes.estimate)
            < 4 * (mc.mean_yes.ci_high - mc.mean_yes.ci_low) / 3.92 + 1e-9
        )
        assert covered(mc.members[0].decisiveness, exact.members[0].decisiveness.exact)


# --- the engines decide through the rule -------------------------------------------------


@settings(max_examples=30)
@given(councils(max_seats=10), st.integers(0, 2**32))
def test_fast_path_equals_decide_on_the_same_votes(council: Council, seed: int) -> None:
    for model in (ImpartialModel(), ImpartialModel(p="0.3", abstain="0.2", absent="0.1")):
        plan = CountsPlan.build(council, model.probabilities(council))
        assert plan is not None
        rng = np.random.default_rng(seed)
        codes = plan.sample(rng, 500)
        votes = plan.votes_of(codes)
        yes, block = plan.decode(codes)
        y = yes @ np.array([u.weight for u in plan.units])
        b = block.sum(axis=1)
        expected = decide(votes, council.weights, council.veto, council.rule)
        np.testing.assert_array_equal(y, expected.yes_weight)
        np.testing.assert_array_equal(b, expected.blocking)
        np.testing.assert_array_equal(plan.grid.outcome[plan.grid.index(y, b)], expected.outcome)


@settings(max_examples=20)
@given(councils(max_seats=10), st.integers(0, 2**32))
def test_bit_fields_count_the_yes_bits(council: Council, seed: int) -> None:
    plan = CountsPlan.build(council, ImpartialModel().probabilities(council))
    assert plan is not None and plan.bits is not None and plan.word is not None
    width = np.dtype(plan.word).itemsize * 8
    words = np.random.default_rng(seed).integers(0, 2**width, 300, dtype=plan.word)
    # member i's vote is bit member_bits[i] of the word: 1 is yes, 0 is no
    shifts = plan.member_bits.astype(np.uint64)
    assert np.unique(shifts).size == council.size and shifts.max() < width
    bits = (words[:, None].astype(np.uint64) >> shifts) & 1
    votes = np.where(bits == 1, Vote.YES, Vote.NO).astype(np.int8)
    expected = decide(votes, council.weights, council.veto, council.rule)
    codes = plan.codes_of_bits(words)
    yes, block = plan.decode(codes)
    y = yes @ np.array([u.weight for u in plan.units])
    np.testing.assert_array_equal(y, expected.yes_weight)
    np.testing.assert_array_equal(block.sum(axis=1), expected.blocking)


@settings(max_examples=30, deadline=None)
@given(
    any_councils(max_seats=32, max_classes=4, max_weight=2),
    st.integers(1, 5000),
    st.integers(0, 2**32),
)
def test_bit_patterns_histogram_to_the_same_codes(council: Council, n: int, seed: int) -> None:
    """Up to 32 members at 1/2, numpy counts bins (bit patterns up to 16 members) and maps
    them to codes at the end: the same histogram as coding every draft. (Up to 16 members
    the bytes' popcounts serve plans of at most 256 codes; the bins serve the rest, and are
    checked here for all.)"""
    plan = CountsPlan.build(council, ImpartialModel().probabilities(council))
    assert plan is not None
    if council.size <= 16:
        if plan.popcounts is not None:
            assert plan.bits is not None and plan.codes <= 256
            plan = replace(plan, popcounts=None, binned=Bins.of(plan.bits))
        assert plan.bins is not None and plan.share is not None
        assert plan.bins.size == 1 << plan.share.size  # every pattern of a draft's bits
    if plan.bins is None:  # too many bins: every draft is coded
        assert council.size > 16
    acc = plan.start()
    plan.block(np.random.default_rng(seed), n, acc)
    codes = plan.codes_of_bits(plan.words(np.random.default_rng(seed), n))
    np.testing.assert_array_equal(
        plan.code_histogram(acc), np.bincount(codes, minlength=plan.codes)
    )


FIELDS = ("yes", "yes_adopted", "yes_pivot", "block_pivot", "vetoed", "alone")
"""The rows of a count's per-unit sums, in order (spelled out: the tests pin the order)."""


@settings(max_examples=30)
@given(councils(max_seats=9), st.integers(0, 2**32))
def test_per_member_counts_match_a_direct_count(council: Council, seed: int) -> None:
    """Counts of one batch against a per-draft count that flips votes through decide."""
    model = ImpartialModel(p="0.4", abstain="0.2", absent="0.1")
    plan = VotesPlan.build(council, model.sampler(council), agreement=True)
    votes = plan.sampler.sample(np.random.default_rng(seed), 300)
    acc = plan.start()
    plan.count(votes, acc)
    y, b, _ = tally(votes, council.weights, council.veto, council.rule.abstention)
    _, y32, _, b32 = plan.tallies(votes)
    np.testing.assert_array_equal(y32, y)
    np.testing.assert_array_equal(b32, b)
    d = decide(votes, council.weights, council.veto, council.rule)
    np.testing.assert_array_equal(
        np.bincount(plan.grid.index(y, b), minlength=plan.grid.size), acc.states
    )
    assert acc.states[plan.grid.adopted].sum() == d.adopted.sum()
    fields = dict(zip(FIELDS, acc.units, strict=True))
    grid = plan.grid
    for i in range(council.size):
        as_yes, as_no = votes.copy(), votes.copy()
        as_yes[:, i], as_no[:, i] = Vote.YES, Vote.NO
        pivot = (
            decide(as_yes, council.weights, council.veto, council.rule).adopted
            != decide(as_no, council.weights, council.veto, council.rule).adopted
        )
        kind = grid.kinds.index((int(council.weights[i]), bool(council.veto[i])))
        other = int(acc.states[grid.pivotal(grid.kinds[kind])[2]].sum())
        assert other + fields["yes_pivot"][i] + fields["block_pivot"][i] == pivot.sum()
        voted_yes = votes[:, i] == Vote.YES
        assert fields["yes"][i] == voted_yes.sum()
        assert fields["yes_adopted"][i] == (voted_yes & d.adopted).sum()
    same = sum((votes[:, :, None] == k) & (votes[:, None, :] == k) for k in range(4))
    assert acc.same is not None
    np.testing.assert_array_equal(acc.same, np.asarray(same).sum(axis=0))


@settings(max_examples=30, deadline=None)
@given(any_councils(max_seats=9, max_classes=3, max_weight=3), st.integers(0, 2**32))
def test_counts_of_codes_match_a_direct_count(council: Council, seed: int) -> None:
    """A code histogram's counts (states, each unit's sums, moments) against a count draft
    by draft of the same votes, flipping each member's vote through decide."""
    check_counts_of_codes(council, seed)


@pytest.mark.parametrize("seed", [0, 1])
def test_counts_of_codes_with_merged_states_match_a_direct_count(seed: int) -> None:
    """The same where the grid merges states (the moments of Y are then summed apart)."""
    council = small_council([(2, 1500, True), (3, 700, False), (1, 1, False)], quota=3500)
    assert not make_plan(council, ImpartialModel()).grid.full
    check_counts_of_codes(council, seed)


def test_counts_of_codes_of_a_group_larger_than_a_byte_match_a_direct_count() -> None:
    """The same for 600 members, 595 of them in one group: its yes counts pass 255."""
    council = small_council([(5, 1, True), (595, 1, False)], quota=360)
    check_counts_of_codes(council, 2)


def check_counts_of_codes(council: Council, seed: int) -> None:
    """A histogram of codes and sums by state, each against a count draft by draft."""
    for model in (ImpartialModel(), ImpartialModel(p="0.4", abstain="0.2", absent="0.1")):
        plan = CountsPlan.build(council, model.probabilities(council))
        assert plan is not None
        plain = replace(plan, popcounts=None, binned=None, counter=None)  # a histogram of codes
        codes = plan.sample(np.random.default_rng(seed), 300)
        by_codes = plain.finish(np.bincount(codes, minlength=plan.codes))
        for counts in (by_codes, by_state(council, model, plan, codes)):
            check_counts(council, plan, plan.votes_of(codes), counts)


def by_state(
    council: Council, model: ImpartialModel, plan: CountsPlan, codes: NDArray[np.intp]
) -> Counts:
    """The counts a :class:`TalliesPlan` sums by state from the drafts of ``codes`` (each
    unit's counts decoded from them; the blocking counts of implied units left to it)."""
    tallies = TalliesPlan.build(council, model.probabilities(council))
    assert tallies.units == plan.units
    yes, block = plan.decode(codes)
    given = [
        (yes[:, k], block[:, k] if u.veto and not u.implied else None)
        for k, u in enumerate(plan.units)
    ]
    acc = tallies.start()
    tallies.add(given, acc)
    return tallies.finish(acc)


def check_counts(
    council: Council, plan: CountsPlan, votes: NDArray[np.int8], counts: Counts
) -> None:
    """``counts`` of ``votes`` (states, each unit's sums, moments) against a count draft by
    draft, flipping each member's vote through decide."""
    rule = council.rule
    d = decide(votes, council.weights, council.veto, rule)
    grid = plan.grid
    z = grid.index(d.yes_weight, d.blocking)
    assert counts.draws == len(votes)
    np.testing.assert_array_equal(counts.states, np.bincount(z, minlength=grid.size))
    if not grid.full:
        y = [int(v) for v in d.yes_weight]
        assert (counts.yes_sum, counts.yes_sq) == (sum(y), sum(v * v for v in y))
    fields = dict(zip(FIELDS, counts.units, strict=True))
    vetoed = d.vetoed
    for k, unit in enumerate(plan.units):
        expected = dict.fromkeys(fields, 0)
        for i in unit.members:
            as_yes, as_no = votes.copy(), votes.copy()
            as_yes[:, i], as_no[:, i] = Vote.YES, Vote.NO
            pivot = (
                decide(as_yes, council.weights, council.veto, rule).adopted
                != decide(as_no, council.weights, council.veto, rule).adopted
            )
            kind = (int(council.weights[i]), bool(council.veto[i]))
            other = grid.pivotal(kind)[2][z]  # decisive had it voted neither way
            voted_yes = votes[:, i] == Vote.YES
            blocked = bool(council.veto[i]) & (votes[:, i] == Vote.NO)
            expected["yes"] += voted_yes.sum()
            expected["yes_adopted"] += (voted_yes & d.adopted).sum()
            expected["yes_pivot"] += (voted_yes * (pivot.astype(int) - other)).sum()
            expected["block_pivot"] += (blocked * (pivot.astype(int) - other)).sum()
            expected["vetoed"] += (blocked & vetoed).sum()
            expected["alone"] += (blocked & vetoed & (d.blocking == 1)).sum()
        assert {f: int(v[k]) for f, v in fields.items()} == expected


@pytest.mark.parametrize("top", [50, 10**9])
def test_weighted_moments_are_exact(top: int) -> None:
    """Small values are summed per value by a bincount, large ones per distinct value."""
    rng = np.random.default_rng(top)
    values = rng.integers(0, top, 5000)
    weight = rng.integers(0, 10**12, 5000)
    got = _weighted_moments(values, weight.astype(np.float64))
    pairs = [(int(v), int(w)) for v, w in zip(values, weight, strict=True)]
    assert got == (sum(w * v for v, w in pairs), sum(w * v * v for v, w in pairs))


def test_limb_moments_are_exact() -> None:
    values = np.random.default_rng(0).integers(0, 2**31 - 1, 2**13)
    total, sq = limb_moments(values)
    assert total == sum(int(v) for v in values)
    assert sq == sum(int(v) ** 2 for v in values)


# --- reproducibility ---------------------------------------------------------------------


MODELS = [
    ImpartialModel(),
    ImpartialModel(p="0.35", abstain="0.1"),
    SpatialModel(),
    BlocsModel(blocs={"west": ("USA", "GBR", "FRA"), "rc": ("RUS", "CHN")}),
]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.name)
def test_same_seed_same_numbers_however_chunked(model: object) -> None:
    council = today()
    draws = 2 * BLOCK + 1234
    assert isinstance(model, ImpartialModel | SpatialModel | BlocsModel)
    one = simulate(council, model, draws=draws, seed=7, chunk_size=1).to_dict()
    big = simulate(council, model, draws=draws, seed=7, chunk_size=10**9).to_dict()
    mid = simulate(council, model, draws=draws, seed=7, chunk_size=2 * BLOCK).to_dict()
    assert one == big == mid
    assert simulate(council, model, draws=draws, seed=8).to_dict() != one


@pytest.mark.parametrize("model", [MODELS[1], MODELS[3]], ids=lambda m: m.name)
def test_same_numbers_with_two_workers(model: object) -> None:
    council = today()
    assert isinstance(model, ImpartialModel | BlocsModel)
    serial = simulate(council, model, draws=3 * BLOCK + 5, seed=3, chunk_size=BLOCK)
    parallel = simulate(council, model, draws=3 * BLOCK + 5, seed=3, chunk_size=BLOCK, workers=2)
    assert serial.to_dict() == parallel.to_dict()


def test_block_seeds_are_the_spawned_children() -> None:
    root = np.random.SeedSequence(42)
    children = root.spawn(5)
    for k in range(5):
        want = np.random.Generator(np.random.PCG64(children[k])).random(3)
        np.testing.assert_array_equal(block_generator(42, k).random(3), want)


def test_progress_reports_every_draft() -> None:
    seen: list[int] = []
    simulate(
        today(),
        ImpartialModel(),
        draws=3 * BLOCK + 7,
        seed=0,
        chunk_size=BLOCK,
        progress=seen.append,
    )
    assert sum(seen) == 3 * BLOCK + 7 and len(seen) == 4


def test_large_code_spaces_take_longer_chunks_with_the_same_numbers() -> None:
    """A chunk spans at least ``codes / CODES_PER_BLOCK`` blocks (finishing one costs about
    40 ns a code), so 24 576 codes take 48 blocks a chunk; the numbers do not change."""
    classes = [SeatClass("permanent", SeatKind.PERMANENT, True, (None,) * 5)]
    for k, weight in enumerate((1, 2, 3)):
        classes.append(SeatClass(f"e{k}", SeatKind.ELECTED, False, (None,) * 15, weight=weight))
    council = Council(classes=tuple(classes), rule=Rule(quota=57, procedural_quota=57))
    plan = make_plan(council, ImpartialModel())
    assert isinstance(plan, CountsPlan) and plan.codes == 6 * 16**3
    seen: list[int] = []
    draws = 50 * BLOCK + 3
    model = ImpartialModel()
    long = simulate(council, model, draws=draws, chunk_size=BLOCK, workers=2, progress=seen.append)
    assert sorted(seen) == [2 * BLOCK + 3, 48 * BLOCK]  # (in the order they finish)
    assert long == simulate(council, model, draws=draws, workers=1)


def test_agreement_falls_back_to_votes_and_matches_exact() -> None:
    model = ImpartialModel(p="0.3", abstain="0.2")
    mc = simulate(today(), model, draws=100_000, seed=1, agreement=True)
    exact = exact_outcomes(today(), model, agreement=True)
    assert mc.agreement is not None and exact.agreement is not None
    np.testing.assert_allclose(mc.agreement, exact.agreement, atol=0.01)
    assert "agreement" in mc.to_dict()


@pytest.mark.parametrize(
    ("kwargs", "key"),
    [
        ({"draws": 0}, "simulation.draws"),
        ({"draws": 10, "seed": -1}, "simulation.seed"),
        ({"draws": 10, "workers": 0}, "workers"),
        ({"draws": 1.5}, "simulation.draws"),
    ],
)
def test_bad_arguments(kwargs: dict[str, object], key: str) -> None:
    with pytest.raises(ScenarioError) as err:
        simulate(today(), ImpartialModel(), **kwargs)  # type: ignore[arg-type]
    assert err.value.key == key


def test_wilson_interval() -> None:
    est = Estimate.wilson(50, 100)
    assert est.estimate == 0.5
    assert est.ci_low == pytest.approx(0.4038315, abs=1e-6)
    assert est.ci_high == pytest.approx(0.5961685, abs=1e-6)
    zero = Estimate.wilson(0, 10)
    assert zero.ci_low == 0.0 and zero.ci_high == pytest.approx(0.2775328, abs=1e-6)


def test_outcome_shares_sum_to_one() -> None:
    r = simulate(today(), ImpartialModel(p="0.7"), draws=50_000, seed=5)
    assert r.adopted.estimate + r.vetoed.estimate + r.failed.estimate == pytest.approx(1.0)
    assert r.to_dict()["engine"] == "monte-carlo"


def test_the_95_percent_quantile_is_the_normal_one() -> None:
    from statistics import NormalDist

    from councilsim.simulation.result import Z95

    assert Z95 == NormalDist().inv_cdf(0.975)
