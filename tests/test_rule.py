"""The Art. 27 rule: known cases, the literal reading, and properties over random councils.

Besides :func:`decide`, the rule's other forms (the blocking test, the winning test on tallies,
the distribution of tallies for independent voters) are checked against :func:`decide`
itself, by brute force over every vote profile of small councils.
"""

from __future__ import annotations

import doctest
import itertools
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from councilsim import Abstention, Council, Outcome, Rule, SeatClass, SeatKind, Vote, decide
from councilsim import rule as rule_module
from councilsim.rule import (
    Voter,
    block_probability,
    blocked,
    blocking_votes,
    blocks,
    classify,
    decide_council,
    meets_quota,
    neutral_probability,
    profile,
    tally,
    tally_distribution,
    voters,
    wins,
)
from councilsim.scenario import load
from councilsim.strategies import coalitions, councils, profiles

P5 = ("CHN", "FRA", "RUS", "GBR", "USA")


@pytest.fixture(scope="module")
def current() -> Council:
    return load("current").council


def outcome(council: Council, **kw: object) -> Outcome:
    procedural = bool(kw.pop("procedural", False))
    parties = kw.pop("parties", ())
    votes = profile(council, **kw)  # type: ignore[arg-type]
    mask = np.isin(np.arange(council.size), [council.index_of(p) for p in parties])  # type: ignore[attr-defined]
    return Outcome(decide_council(council, votes, procedural=procedural, parties=mask).outcome)


def test_permanent_abstention_does_not_block(current: Council) -> None:
    assert outcome(current, abstain=["RUS"], rest=Vote.YES) is Outcome.ADOPTED


def test_permanent_absence_does_not_block(current: Council) -> None:
    assert outcome(current, absent=["RUS"], rest=Vote.YES) is Outcome.ADOPTED


def test_one_permanent_no_against_fourteen_yes_is_a_veto(current: Council) -> None:
    assert outcome(current, no=["USA"], rest=Vote.YES) is Outcome.VETOED


def test_eight_yes_and_no_veto_fails(current: Council) -> None:
    yes = [*P5, "COD", "LBR", "SOM"]
    assert outcome(current, yes=yes, rest=Vote.NO) is Outcome.FAILED
    assert outcome(current, yes=yes, rest=Vote.ABSTAIN) is Outcome.FAILED


def test_nine_yes_exactly_is_enough(current: Council) -> None:
    yes = [*P5, "COD", "LBR", "SOM", "BHR"]
    assert outcome(current, yes=yes, rest=Vote.NO) is Outcome.ADOPTED


def test_failed_draft_records_a_permanent_no(current: Council) -> None:
    votes = profile(current, yes=["USA"], no=["RUS"], rest=Vote.ABSTAIN)
    d = decide_council(current, votes)
    assert Outcome(d.outcome) is Outcome.FAILED
    assert bool(d.veto_cast)


def test_procedural_drafts_ignore_the_veto(current: Council) -> None:
    assert outcome(current, no=["RUS", "CHN"], rest=Vote.YES, procedural=True) is Outcome.ADOPTED
    yes = [*P5, "COD", "LBR", "SOM"]
    assert outcome(current, yes=yes, rest=Vote.NO, procedural=True) is Outcome.FAILED


def test_party_to_dispute_counts_as_abstaining(current: Council) -> None:
    assert outcome(current, no=["GBR"], rest=Vote.YES) is Outcome.VETOED
    assert outcome(current, no=["GBR"], rest=Vote.YES, parties=["GBR"]) is Outcome.ADOPTED
    # a party's yes vote does not count either
    yes = [*P5, "COD", "LBR", "SOM", "BHR"]
    assert outcome(current, yes=yes, rest=Vote.NO, parties=["BHR"]) is Outcome.FAILED


def test_literal_reading_blocks_on_abstention(current: Council) -> None:
    literal = Council(current.classes, Rule(9, 9, 1, Abstention.LITERAL))
    assert outcome(literal, abstain=["RUS"], rest=Vote.YES) is Outcome.VETOED
    assert outcome(literal, absent=["RUS"], rest=Vote.YES) is Outcome.VETOED
    assert outcome(literal, rest=Vote.YES) is Outcome.ADOPTED


def test_double_veto_needs_two_no_votes() -> None:
    c = load("double-veto").council
    assert outcome(c, no=["USA"], rest=Vote.YES) is Outcome.ADOPTED
    assert outcome(c, no=["USA", "CHN"], rest=Vote.YES) is Outcome.VETOED


def test_decide_is_vectorised_over_any_leading_shape(current: Council) -> None:
    rng = np.random.default_rng(7)
    votes = rng.integers(0, 4, size=(3, 5, current.size), dtype=np.int8)
    d = decide_council(current, votes)
    assert d.outcome.shape == (3, 5)
    for idx in np.ndindex(3, 5):
        assert decide_council(current, votes[idx]).outcome == d.outcome[idx]


def test_weights_count(current: Council) -> None:
    heavy = Council(
        (
            SeatClass("a", SeatKind.PERMANENT, False, ("USA",), weight=5),
            SeatClass("b", SeatKind.ELECTED, False, (None,) * 4, term=2),
        ),
        Rule(6, 6),
    )
    assert outcome(heavy, yes=["USA", "b-1"], rest=Vote.NO) is Outcome.ADOPTED
    assert outcome(heavy, yes=["b-1", "b-2", "b-3", "b-4"], rest=Vote.NO) is Outcome.FAILED


def test_bad_votes_raise_value_error(current: Council) -> None:
    with pytest.raises(ValueError, match="seats"):
        decide(np.zeros((2, 3), dtype=np.int8), current.weights, current.veto, current.rule)
    with pytest.raises(ValueError, match="integer"):
        decide(np.zeros(15), current.weights, current.veto, current.rule)


# --- properties over random councils -------------------------------------------------------


def random_councils() -> st.SearchStrategy[Council]:
    """Up to 20 seats in up to four classes of weights 1..4, any threshold and reading."""
    return councils(max_seats=20, max_weight=4)


def votes_for(council: Council) -> st.SearchStrategy[np.ndarray]:
    return profiles(council)


@given(st.data())
def test_monotone_no_to_yes_never_hurts(data: st.DataObject) -> None:
    c = data.draw(random_councils())
    v = data.draw(votes_for(c))
    nos = np.flatnonzero(v == Vote.NO)
    if nos.size == 0:
        return
    i = data.draw(st.sampled_from(list(nos)))
    w = v.copy()
    w[i] = Vote.YES
    if Outcome(decide_council(c, v).outcome) is Outcome.ADOPTED:
        assert Outcome(decide_council(c, w).outcome) is Outcome.ADOPTED


@given(st.data())
def test_anonymous_within_a_seat_class(data: st.DataObject) -> None:
    c = data.draw(random_councils())
    v = data.draw(votes_for(c))
    w = v.copy()
    for k in range(len(c.classes)):
        idx = np.flatnonzero(c.class_index == k)
        w[idx] = w[idx][data.draw(st.permutations(list(range(idx.size))))]
    assert decide_council(c, v).outcome == decide_council(c, w).outcome


@given(st.data())
def test_any_veto_holders_no_blocks_at_threshold_one(data: st.DataObject) -> None:
    c = data.draw(random_councils())
    if c.veto_holders == 0:
        return
    c = Council(c.classes, Rule(c.rule.quota, c.rule.quota, 1, c.rule.abstention))
    v = data.draw(votes_for(c))
    i = data.draw(st.sampled_from(list(np.flatnonzero(c.veto))))
    v[i] = Vote.NO
    assert Outcome(decide_council(c, v).outcome) is not Outcome.ADOPTED


@given(st.data())
def test_outcome_matches_definition(data: st.DataObject) -> None:
    c = data.draw(random_councils())
    v = data.draw(votes_for(c))
    yes = int(c.weights[v == Vote.YES].sum())
    if c.rule.abstention is Abstention.LITERAL:
        blockers = int((c.veto & (v != Vote.YES)).sum())
    else:
        blockers = int((c.veto & (v == Vote.NO)).sum())
    got = Outcome(decide_council(c, v).outcome)
    if yes < c.rule.quota:
        assert got is Outcome.FAILED
    elif blockers >= c.rule.veto_threshold:
        assert got is Outcome.VETOED
    else:
        assert got is Outcome.ADOPTED


# --- the blocking test ------------------------------------------------------------------------


def test_which_votes_block_under_each_reading() -> None:
    codes = np.array(list(Vote), dtype=np.int8)
    assert blocks(codes).tolist() == [False, True, False, False]
    assert blocks(codes, Abstention.LITERAL).tolist() == [False, True, True, True]
    assert blocking_votes(Abstention.PRACTICE) == (Vote.NO,)
    assert blocking_votes(Abstention.LITERAL) == (Vote.NO, Vote.ABSTAIN, Vote.ABSENT)
    assert blocks(codes.reshape(2, 2)).shape == (2, 2)


@st.composite
def vote_probs(draw: st.DrawFn) -> tuple[Fraction, Fraction, Fraction, Fraction]:
    """Exact probabilities of yes, no, abstain and absent: three cuts of ``0..d`` over ``d``."""
    d = draw(st.integers(1, 6))
    cuts = sorted(draw(st.lists(st.integers(0, d), min_size=3, max_size=3)))
    a, b, c = (Fraction(x, d) for x in cuts)
    return (a, b - a, c - b, 1 - c)


@given(vote_probs(), st.sampled_from(list(Abstention)))
def test_block_probability_is_the_chance_of_a_blocking_vote(
    p: tuple[Fraction, Fraction, Fraction, Fraction], abstention: Abstention
) -> None:
    by_code = dict(zip(Vote, p, strict=True))
    assert block_probability(*p, abstention) == sum(by_code[v] for v in blocking_votes(abstention))
    neither = [v for v in Vote if v is not Vote.YES and v not in blocking_votes(abstention)]
    assert neutral_probability(*p, abstention) == sum(by_code[v] for v in neither)
    assert p[0] + block_probability(*p, abstention) + neutral_probability(*p, abstention) == 1


# --- the winning test -------------------------------------------------------------------------


def test_wins_at_the_charter_thresholds() -> None:
    assert wins(9, 0, 9) and not wins(8, 0, 9) and not wins(15, 1, 9)
    assert wins(15, 1, 9, veto_threshold=2) and not wins(15, 2, 9, veto_threshold=2)
    assert meets_quota(np.array([8, 9]), 9).tolist() == [False, True]
    assert blocked(np.array([0, 1, 2]), 2).tolist() == [False, False, True]


@given(st.data())
def test_a_coalition_wins_as_decide_adopts_its_yes_no_vote(data: st.DataObject) -> None:
    c = data.draw(random_councils())
    members = data.draw(coalitions(c))
    votes = np.where(members, np.int8(Vote.YES), np.int8(Vote.NO))
    weight = int(c.weights[members].sum())
    outside = int((c.veto & ~members).sum())
    expected = bool(decide_council(c, votes).adopted)
    assert bool(wins(weight, outside, c.rule.quota, c.rule.veto_threshold)) is expected


@given(st.data())
def test_wins_and_classify_agree_with_decide_on_any_profiles(data: st.DataObject) -> None:
    c = data.draw(random_councils())
    votes = data.draw(profiles(c, drafts=8))
    y, b, _ = tally(votes, c.weights, c.veto, c.rule.abstention)
    d = decide_council(c, votes)
    rule = c.rule
    np.testing.assert_array_equal(wins(y, b, rule.quota, rule.veto_threshold), d.adopted)
    np.testing.assert_array_equal(classify(y, b, rule.quota, rule.veto_threshold), d.outcome)


# --- the distribution of tallies --------------------------------------------------------------


def brute_force_tallies(
    council: Council, probs: list[tuple[Fraction, ...]], members: list[int]
) -> tuple[np.ndarray, Fraction]:
    """``P(Y, B)`` of the votes of the given members and ``P(adopted)`` on their votes alone,
    by enumerating every profile of their votes through :func:`decide`."""
    shape = (council.total_weight + 1, council.veto_holders + 1)
    dist = np.full(shape, Fraction(0), dtype=object)
    adopted = Fraction(0)
    weights, veto = council.weights[members], council.veto[members]
    for row in itertools.product(list(Vote), repeat=len(members)):
        chance = Fraction(1)
        for i, v in zip(members, row, strict=True):
            chance *= probs[i][v]
        d = decide(np.array(row, dtype=np.int8), weights, veto, council.rule)
        dist[int(d.yes_weight), int(d.blocking)] += chance
        adopted += chance * bool(d.adopted)
    return dist, adopted


@given(st.data())
def test_tally_distribution_equals_brute_force_through_decide(data: st.DataObject) -> None:
    c = data.draw(councils(max_seats=5, max_weight=3))
    probs = [data.draw(vote_probs()) for _ in range(c.size)]
    everyone = voters(c.weights, c.veto, probs, c.rule.abstention)
    expected, adopted = brute_force_tallies(c, probs, list(range(c.size)))
    dist = tally_distribution(everyone)
    assert dist.exact
    assert dist.probabilities().tolist() == expected.tolist()
    rule = c.rule
    assert dist.probability(wins(dist.yes, dist.blocking, rule.quota, rule.veto_threshold)) == (
        adopted
    )
    floats = tally_distribution(everyone, exact=False)
    assert not floats.exact
    np.testing.assert_allclose(floats.probabilities(), expected.astype(float), atol=1e-12)


@given(st.data())
def test_the_others_tallies_leave_one_member_out(data: st.DataObject) -> None:
    c = data.draw(councils(max_seats=5, max_weight=3))
    probs = [data.draw(vote_probs()) for _ in range(c.size)]
    i = data.draw(st.integers(0, c.size - 1))
    others = [j for j in range(c.size) if j != i]
    expected, _ = brute_force_tallies(c, probs, others)
    dist = tally_distribution(voters(c.weights, c.veto, probs, c.rule.abstention), without=i)
    assert dist.probabilities().tolist() == expected.tolist()


def test_a_zero_weight_veto_holder_still_blocks() -> None:
    half = Fraction(1, 2)
    dist = tally_distribution([Voter(0, True, half, half), Voter(1, False, half, 0)])
    assert dist.probability(dist.blocking == 1) == half
    assert dist.probability(wins(dist.yes, dist.blocking, 1)) == Fraction(1, 4)


def test_float_probabilities_give_a_float_distribution() -> None:
    dist = tally_distribution([Voter(1, True, 0.5, 0.25), Voter(2, False, Fraction(1, 2), 0)])
    assert not dist.exact and dist.scale == 1.0
    assert dist.probability(dist.yes >= 0) == pytest.approx(1.0)


def test_the_rules_examples_run() -> None:
    assert doctest.testmod(rule_module).failed == 0


def test_index_of_finds_labels_and_holders_whatever_their_case() -> None:
    council = Council(
        classes=(
            SeatClass("permanent", SeatKind.PERMANENT, True, ("USA", "GBR")),
            SeatClass("elected", SeatKind.ELECTED, False, (None, "gbr", None)),
        ),
        rule=Rule(quota=3, procedural_quota=3),
    )
    labels = council.labels()
    assert council.index_of(" usa ") == 0 == labels.index("USA")
    assert council.index_of("GBR") == 1  # the first seat it names
    open_seat = labels[2]
    assert council.index_of(open_seat.upper()) == 2
    for missing in ("FRA", "", "elected"):
        with pytest.raises(KeyError):
            council.index_of(missing)
