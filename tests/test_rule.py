"""The Art. 27 rule: known cases, the literal reading, and properties over random councils."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from councilsim import Abstention, Council, Outcome, Rule, SeatClass, SeatKind, Vote, decide
from councilsim.rule import decide_council, profile
from councilsim.scenario import load
from councilsim.strategies import councils as any_councils
from councilsim.strategies import profiles

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


def councils() -> st.SearchStrategy[Council]:
    """Councils of up to four classes and twenty seats, weights 1..4, any threshold and reading."""
    return any_councils(max_seats=20, max_classes=4, max_weight=4)


def votes_for(council: Council) -> st.SearchStrategy[np.ndarray]:
    return profiles(council)


@given(st.data())
def test_monotone_no_to_yes_never_hurts(data: st.DataObject) -> None:
    c = data.draw(councils())
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
    c = data.draw(councils())
    v = data.draw(votes_for(c))
    w = v.copy()
    for k in range(len(c.classes)):
        idx = np.flatnonzero(c.class_index == k)
        w[idx] = w[idx][data.draw(st.permutations(list(range(idx.size))))]
    assert decide_council(c, v).outcome == decide_council(c, w).outcome


@given(st.data())
def test_any_veto_holders_no_blocks_at_threshold_one(data: st.DataObject) -> None:
    c = data.draw(councils())
    if c.veto_holders == 0:
        return
    c = Council(c.classes, Rule(c.rule.quota, c.rule.quota, 1, c.rule.abstention))
    v = data.draw(votes_for(c))
    i = data.draw(st.sampled_from(list(np.flatnonzero(c.veto))))
    v[i] = Vote.NO
    assert Outcome(decide_council(c, v).outcome) is not Outcome.ADOPTED


@given(st.data())
def test_outcome_matches_definition(data: st.DataObject) -> None:
    c = data.draw(councils())
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
