"""The axioms library: known facts, smallest counterexamples, brute force agreement, registry."""

from __future__ import annotations

import doctest
import itertools
from collections.abc import Callable
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

import councilsim.axioms
from councilsim import Abstention, Council, Rule, ScenarioError, SeatClass, SeatKind, Vote, axioms
from councilsim.axioms import AXIOMS, DecisionRule, as_rule
from councilsim.power import power
from councilsim.rule import decide_council
from councilsim.scenario import load, load_text, shipped_ids
from councilsim.strategies import councils, profiles

Coalition = tuple[int, ...]


def elected(n: int, quota: int) -> Council:
    """``n`` interchangeable seats without veto, ``quota`` yes votes to adopt."""
    return Council(
        (SeatClass("e", SeatKind.ELECTED, False, (None,) * n, term=2),), Rule(quota, quota)
    )


def yes_count_rule(
    n: int, accept: Callable[[NDArray[np.int64]], NDArray[np.bool_]]
) -> DecisionRule:
    return DecisionRule.of(lambda v: accept((v == Vote.YES).sum(axis=-1)), n)


def wins(rule: DecisionRule, coalition: Coalition) -> bool:
    votes = np.full(rule.size, Vote.NO, dtype=np.int8)
    votes[list(coalition)] = Vote.YES
    return bool(rule.adopted(votes))


def all_coalitions(n: int) -> list[Coalition]:
    return [c for k in range(n + 1) for c in itertools.combinations(range(n), k)]


# --- known facts --------------------------------------------------------------------------------


def test_todays_rule_is_monotone_proper_and_not_decisive() -> None:
    rule = as_rule(load("current"))
    assert axioms.monotone(rule) is None
    assert axioms.proper(rule) is None
    found = axioms.decisive(rule)
    assert found is not None and found.verify(rule)
    assert found.size == 1, "one permanent member against the other fourteen is a deadlock"


def test_quota_below_half_without_veto_is_improper() -> None:
    rule = as_rule(elected(15, 7))
    found = axioms.proper(rule)
    assert found is not None and found.verify(rule)
    assert (len(found.first), len(found.second)) == (7, 7)
    assert not set(found.first) & set(found.second)
    assert "both adopt" in found.describe()


def test_a_majority_quota_is_proper() -> None:
    assert axioms.proper(as_rule(elected(15, 8))) is None


def test_non_monotone_rule_is_caught_with_the_smallest_coalition() -> None:
    rule = yes_count_rule(15, lambda y: (y >= 9) & (y <= 12))
    found = axioms.monotone(rule)
    assert found is not None and found.verify(rule)
    assert found.size == 12 and found.added not in found.coalition


def test_double_veto_loses_the_veto_property_but_keeps_blocking() -> None:
    rule = as_rule(load("double-veto"))
    found = axioms.veto(rule)
    assert found is not None and found.verify(rule)
    assert found.votes.count(Vote.YES) == 9 and found.votes.count(Vote.NO) == 1
    assert axioms.blocking(rule) is None
    assert axioms.veto_ordering(rule) is None


def test_literal_reading_keeps_the_veto() -> None:
    c = load("current").council
    literal = Council(c.classes, Rule(9, 9, 1, Abstention.LITERAL))
    assert axioms.veto(as_rule(literal)) is None
    assert axioms.monotone(as_rule(literal)) is None


def test_veto_override_by_supermajority_breaks_blocking() -> None:
    council = load("current").council

    def override(v: NDArray[np.int8]) -> NDArray[np.bool_]:
        yes = (v == Vote.YES).sum(axis=-1)
        vetoed = ((v == Vote.NO) & council.veto).any(axis=-1)
        return (yes >= 9) & (~vetoed | (yes >= 12))  # type: ignore[no-any-return]

    rule = DecisionRule.from_council(council, function=override)
    found = axioms.blocking(rule)
    assert found is not None and found.verify(rule)
    assert len(found.blockers) == 1 and found.size == 12
    assert axioms.veto(rule) is not None and axioms.monotone(rule) is None
    assert axioms.blocking(as_rule(council)) is None


def test_a_rule_that_favours_one_seat_is_not_anonymous() -> None:
    def chair(v: NDArray[np.int8]) -> NDArray[np.bool_]:
        return ((v == Vote.YES).sum(axis=-1) >= 4) & (v[..., 0] != Vote.NO)  # type: ignore[no-any-return]

    small = DecisionRule.of(chair, 7)
    found = axioms.anonymous(small)
    assert found is not None and found.verify(small) and 0 in (found.first, found.second)
    large = DecisionRule.of(chair, 20)  # too many profiles: sampled, then shrunk
    found = axioms.anonymous(large)
    assert found is not None and found.verify(large)
    assert found.size <= 5
    # the other axioms then search individual seats, and stay right
    assert axioms.monotone(small) is None
    assert axioms.trusted(small).classes == tuple(range(7))


def test_too_large_search_is_reported_not_raised() -> None:
    rule = DecisionRule.of(lambda v: v[..., 0] == Vote.YES, 30, classes=range(30))
    verdicts = {v.axiom: v for v in axioms.check(rule, ["monotone", "anonymous"], limit=1000)}
    assert verdicts["monotone"].holds is None and verdicts["monotone"].method == "too large"
    assert verdicts["anonymous"].holds is True  # singleton classes: nothing to swap
    with pytest.raises(axioms.SearchTooLarge):
        axioms.monotone(rule, limit=1000)


def test_rule_must_return_one_value_per_draft() -> None:
    rule = DecisionRule.of(lambda v: np.ones(3, dtype=bool), 4)
    with pytest.raises(ValueError, match="one value per draft"):
        rule.adopted(np.zeros((2, 4), dtype=np.int8))


def test_classes_must_share_veto_and_weight() -> None:
    with pytest.raises(ValueError, match="mixes"):
        DecisionRule.of(lambda v: v[..., 0] == 0, 2, classes=[0, 0], veto=[True, False])


# --- smallest counterexamples against brute force ------------------------------------------------


def brute(rule: DecisionRule) -> dict[str, int | None]:
    """The size of the smallest violation of each binary axiom, by trying every coalition."""
    n = rule.size
    every = all_coalitions(n)
    win = {c: wins(rule, c) for c in every}
    sizes: dict[str, list[int]] = {"monotone": [], "proper": [], "decisive": []}
    for c in every:
        rest = tuple(i for i in range(n) if i not in c)
        if win[c] and any(not win[tuple(sorted((*c, i)))] for i in rest):
            sizes["monotone"].append(len(c))
        if not win[c] and not win[rest]:
            sizes["decisive"].append(len(c))
        if win[c]:
            sizes["proper"] += [len(c) + len(d) for d in every if win[d] and not set(c) & set(d)]
    return {k: min(v) if v else None for k, v in sizes.items()}


@st.composite
def truth_tables(draw: st.DrawFn) -> DecisionRule:
    """Arbitrary rules on up to 6 seats, anonymous or not, monotone or not."""
    n = draw(st.integers(1, 6))
    table = np.array(draw(st.lists(st.booleans(), min_size=2**n, max_size=2**n)))
    bits = 2 ** np.arange(n)

    def rule(v: NDArray[np.int8]) -> NDArray[np.bool_]:
        return table[((v == Vote.YES) * bits).sum(axis=-1)]  # type: ignore[no-any-return]

    classes = draw(st.lists(st.integers(0, 1), min_size=n, max_size=n))
    return DecisionRule.of(rule, n, classes=classes)


@settings(max_examples=60)
@given(st.one_of(truth_tables(), councils(max_seats=7).map(as_rule)))
def test_binary_axioms_agree_with_brute_force(rule: DecisionRule) -> None:
    expected = brute(rule)
    for name, size in expected.items():
        found = AXIOMS[name].find(rule)
        assert (found is None) == (size is None), name
        if found is not None:
            assert found.verify(rule), name
            assert found.size == size, f"{name}: not the smallest counterexample"


@settings(max_examples=40)
@given(st.one_of(truth_tables(), councils(max_seats=7).map(as_rule)))
def test_counterexamples_cannot_lose_a_member(rule: DecisionRule) -> None:
    mono = axioms.monotone(rule)
    if mono is not None:
        for j in mono.coalition:
            less = tuple(i for i in mono.coalition if i != j)
            assert not (wins(rule, less) and not wins(rule, (*less, mono.added)))
    prop = axioms.proper(rule)
    if prop is not None:
        for j in prop.first:
            assert not wins(rule, tuple(i for i in prop.first if i != j)) or not wins(
                rule, prop.second
            )


@settings(max_examples=40)
@given(councils(max_seats=10, max_weight=3))
def test_art27_councils_satisfy_their_axioms(council: Council) -> None:
    rule = as_rule(council)
    assert axioms.monotone(rule) is None
    assert axioms.anonymous(rule) is None
    assert axioms.blocking(rule) is None
    total, quota, t = council.total_weight, council.rule.quota, council.rule.veto_threshold
    overridable = t >= 2 and any(
        total - w >= quota for w, v in zip(council.weights, council.veto, strict=True) if v
    )
    assert (axioms.veto(rule) is not None) == overridable


@given(st.data())
def test_art27_reads_absence_as_abstention(data: st.DataObject) -> None:
    """Why rules built from a council are searched over yes, no and abstain only."""
    council = data.draw(councils(max_seats=10))
    votes = data.draw(profiles(council))
    abstaining = np.where(votes == Vote.ABSENT, Vote.ABSTAIN, votes).astype(np.int8)
    assert decide_council(council, votes).outcome == decide_council(council, abstaining).outcome


# --- power-index axioms -------------------------------------------------------------------------


@settings(max_examples=30)
@given(councils(max_seats=9, max_weight=4))
def test_index_axioms_hold_and_engines_agree(council: Council) -> None:
    rule = as_rule(council)
    for name in ("efficiency", "symmetry", "null_player", "dominance"):
        assert AXIOMS[name].find(rule) is None, name
    exact = power(council, exact=True, indices=["shapley_shubik", "banzhaf"])
    mine = axioms.lattice_power(
        DecisionRule.of(rule.function, rule.labels, veto=rule.veto, weights=rule.weights)
    )
    assert mine["shapley_shubik"] == exact.values["shapley_shubik"]
    assert mine["banzhaf"] == exact.values["banzhaf"]
    assert [int(s) for s in mine["swings"]] == list(exact.swings)


def test_index_axioms_catch_wrong_values() -> None:
    rule = as_rule(load("current"))
    n = rule.size
    even = {"shapley_shubik": [Fraction(1, n + 1)] * n}
    assert axioms.efficiency(rule, values=even) is not None
    skewed = {"banzhaf": [Fraction(1, 5)] * 4 + [Fraction(0)] + [Fraction(1, 50)] * 10}
    found = axioms.symmetry(rule, values=skewed)
    assert found is not None and found.seats == (0, 4)
    upside = {"banzhaf": [0.01] * 5 + [0.095] * 10}
    assert axioms.veto_ordering(rule, values=upside) is not None
    assert axioms.efficiency(rule, values=upside) is None  # floats compared with a tolerance


def test_null_player_and_dominance_violations() -> None:
    game = Council(
        (
            SeatClass("big", SeatKind.ELECTED, False, (None,), weight=3, term=2),
            SeatClass("small", SeatKind.ELECTED, False, (None,) * 2, weight=1, term=2),
            SeatClass("dummy", SeatKind.ELECTED, False, (None,), weight=0, term=2),
        ),
        Rule(3, 3),
    )
    rule = as_rule(game)
    assert axioms.null_player(rule) is None and axioms.dominance(rule) is None
    wrong = {"banzhaf": [Fraction(1, 4)] * 4}
    assert axioms.null_player(rule, values=wrong) is not None
    inverted = {"banzhaf": [Fraction(0), Fraction(1, 2), Fraction(1, 2), Fraction(0)]}
    found = axioms.dominance(rule, values=inverted)
    assert found is not None and "more weight" in found.describe()


# --- registry, scenarios, documentation -----------------------------------------------------------

VIOLATORS: dict[str, Callable[[], DecisionRule]] = {
    "monotone": lambda: yes_count_rule(5, lambda y: y == 3),
    "veto": lambda: as_rule(load("double-veto")),
    "anonymous": lambda: DecisionRule.of(lambda v: v[..., 0] == Vote.YES, 4),
    "proper": lambda: as_rule(elected(6, 3)),
    "decisive": lambda: as_rule(load("current")),
    "blocking": lambda: DecisionRule.of(
        lambda v: (v == 0).sum(-1) >= 3, 5, veto=[True, False, False, False, False]
    ),
    "efficiency": lambda: yes_count_rule(3, lambda y: y >= 2),
    "symmetry": lambda: yes_count_rule(3, lambda y: y >= 2),
    "null_player": lambda: DecisionRule.of(lambda v: (v[..., :2] == Vote.YES).all(-1), 3),
    "dominance": lambda: DecisionRule.of(lambda v: v[..., 0] == 0, 2, weights=[2, 1]),
    "veto_ordering": lambda: DecisionRule.of(lambda v: v[..., 1] == 0, 2, veto=[True, False]),
}
BAD_VALUES = {
    "efficiency": {"shapley_shubik": [Fraction(1, 2)] * 3},
    "symmetry": {"shapley_shubik": [Fraction(1, 2), Fraction(1, 4), Fraction(1, 4)]},
    "null_player": {"shapley_shubik": [Fraction(1, 3)] * 3},
    "dominance": {"banzhaf": [Fraction(0), Fraction(1)]},
}


@pytest.mark.parametrize("name", list(AXIOMS))
def test_every_axiom_is_documented_and_finds_its_violation(name: str) -> None:
    axiom = AXIOMS[name]
    assert axiom.id == name and axiom.title and axiom.definition
    assert any(src in axiom.doc for src in ("Felsenthal", "Taylor", "Shapley")), "cite a source"
    rule = VIOLATORS[name]()
    kwargs = {"values": BAD_VALUES[name]} if name in BAD_VALUES else {}
    found = axiom.find(rule, **kwargs)
    assert found is not None and found.axiom == name
    assert found.verify(rule)
    assert found.describe() and found.to_dict()["axiom"] == name
    assert all(label in rule.labels for label in _labels(found.to_dict()))


def _labels(d: dict[str, object]) -> list[str]:
    out: list[str] = []
    for key, value in d.items():
        if key not in {"axiom", "description", "index", "values"} and isinstance(value, list):
            out += [str(v) for v in value]
        elif key in {"added", "holder"}:
            out.append(str(value))
    return out


@pytest.mark.parametrize("sid", shipped_ids())
def test_counterexamples_found_on_shipped_scenarios_are_real(sid: str) -> None:
    # what each scenario claims is checked with its [expected] block (test_scenarios.py)
    verdicts = axioms.check(load(sid))
    for v in verdicts:
        assert v.counterexample is None or v.counterexample.verify(as_rule(load(sid)))


def test_unknown_axiom_in_expected_block_is_rejected() -> None:
    text = (
        '[rule]\nquota = 2\n[seats.a]\nkind = "elected"\ncount = 3\n'
        "[expected]\naxioms = { monotonic = true }\n"
    )
    with pytest.raises(ScenarioError) as info:
        load_text(text, "plan.toml")
    message = str(info.value)
    assert "plan.toml:7" in message and "expected.axioms.monotonic" in message
    assert "monotone" in message and "veto_ordering" in message


def test_check_accepts_councils_scenarios_and_games() -> None:
    from councilsim.games import parse_game

    for obj in (load("current"), load("current").council, parse_game("[9; 1v*5, 1*10]")):
        assert [v.axiom for v in axioms.check(obj)] == list(AXIOMS)
    with pytest.raises(TypeError):
        as_rule("current")  # type: ignore[arg-type]
    with pytest.raises(ScenarioError, match="unknown axiom"):
        axioms.check(load("current"), ["monotonic"])


def test_module_examples() -> None:
    result = doctest.testmod(councilsim.axioms)
    assert result.attempted > 0 and result.failed == 0


def test_lattice_power_counts_exactly_beyond_64_bits() -> None:
    council = Council(
        (
            SeatClass("p", SeatKind.PERMANENT, True, (None,) * 5),
            SeatClass("e", SeatKind.ELECTED, False, (None,) * 65, term=2),
        ),
        Rule(40, 40),
    )
    rule = as_rule(council)
    bare = DecisionRule.of(rule.function, rule.labels, veto=rule.veto, weights=rule.weights)
    mine = axioms.lattice_power(bare)
    exact = power(council, exact=True, indices=["shapley_shubik", "banzhaf"])
    assert mine["shapley_shubik"] == exact.values["shapley_shubik"]
    assert mine["banzhaf"] == exact.values["banzhaf"]


def test_sampled_anonymity_is_reproducible_for_a_seed() -> None:
    def chair(v: NDArray[np.int8]) -> NDArray[np.bool_]:
        return ((v == Vote.YES).sum(axis=-1) >= 6) & (v[..., 3] != Vote.ABSTAIN)  # type: ignore[no-any-return]

    rule = DecisionRule.of(chair, 18)  # sampled
    found = [axioms.anonymous(rule, seed=s) for s in (5, 5, 6)]
    assert all(f is not None and f.verify(rule) for f in found)
    assert found[0] == found[1]
    one = axioms.anonymous(rule, samples=1, seed=5)  # a single profile may miss the chair
    assert one is None or one.verify(rule)
