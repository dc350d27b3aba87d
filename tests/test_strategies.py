"""The public hypothesis strategies: valid by construction, within their bounds; loader fuzzing."""

from __future__ import annotations

import tomllib
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from councilsim import Council, ScenarioError, SeatKind, Vote, axioms
from councilsim.games import WeightedGame, parse_game
from councilsim.rule import decide_council
from councilsim.scenario import load_text
from councilsim.scenario.expected import verify
from councilsim.strategies import (
    coalitions,
    councils,
    decision_rules,
    game_texts,
    mutated_scenarios,
    profiles,
    rules,
    scenario_documents,
    seat_classes,
    weighted_games,
    write_toml,
)


def assert_valid(c: Council) -> None:
    assert 1 <= c.rule.quota <= c.total_weight
    assert 1 <= c.rule.procedural_quota <= c.total_weight
    assert 1 <= c.rule.veto_threshold <= max(1, c.veto_holders)
    assert len({k.id for k in c.classes}) == len(c.classes)
    for k in c.classes:
        assert k.count >= 1 and k.weight >= 1
        assert (k.kind is SeatKind.PERMANENT) == (k.term is None)
        if k.veto:
            assert k.kind is SeatKind.PERMANENT


@given(councils())
def test_default_councils_are_valid(c: Council) -> None:
    assert_valid(c)
    assert 1 <= c.size <= 15 and 1 <= len(c.classes) <= 4


@given(
    st.data(),
    st.integers(1, 20),
    st.integers(0, 20),
    st.integers(1, 5),
    st.integers(0, 5),
    st.integers(1, 4),
)
def test_councils_respect_their_bounds(
    data: st.DataObject, min_seats: int, extra: int, min_classes: int, more: int, max_weight: int
) -> None:
    max_seats = min_seats + extra
    max_classes = min_classes + more
    if min_classes > max_seats:
        with pytest.raises(InvalidArgument):
            data.draw(councils(min_seats=min_seats, max_seats=max_seats, min_classes=min_classes))
        return
    min_veto = data.draw(st.integers(0, max_seats))
    max_veto = data.draw(st.integers(min_veto, max_seats))
    low = data.draw(st.sampled_from([0.0, 0.25, 0.5, 2 / 3]))
    bounds = {
        "min_seats": min_seats,
        "max_seats": max_seats,
        "min_classes": min_classes,
        "max_classes": max_classes,
        "min_veto": min_veto,
        "max_veto": max_veto,
        "max_weight": max_weight,
        "quota": (low, 1.0),
    }
    one_class_vetoes = max_classes == 1 and min_veto > 0
    if one_class_vetoes and max(min_seats, min_veto) > min(max_seats, max_veto):
        with pytest.raises(InvalidArgument):
            councils(**bounds)  # type: ignore[arg-type]
        return
    strategy = councils(**bounds)  # type: ignore[arg-type]
    c = data.draw(strategy)
    assert_valid(c)
    assert min_seats <= c.size <= max_seats
    assert min_classes <= len(c.classes) <= max_classes
    assert min_veto <= c.veto_holders <= max_veto
    assert all(k.weight <= max_weight for k in c.classes)
    assert c.rule.quota >= min(Fraction(low) * c.total_weight, Fraction(c.total_weight))


@given(seat_classes(min_seats=2, max_seats=4, veto=False, max_weight=3, kinds=[SeatKind.ELECTED]))
def test_seat_classes_respect_their_bounds(k: object) -> None:
    from councilsim import SeatClass

    assert isinstance(k, SeatClass)
    assert 2 <= k.count <= 4 and not k.veto and k.kind is SeatKind.ELECTED
    assert 1 <= k.weight <= 3 and k.term is not None


@given(st.integers(1, 50), st.integers(0, 10), st.data())
def test_rules_fit_the_council(total: int, holders: int, data: st.DataObject) -> None:
    rule = data.draw(rules(total, holders, quota=(0.5, 0.75)))
    assert max(1, total / 2) <= rule.quota <= total and rule.quota <= max(1, 0.75 * total) + 1
    assert 1 <= rule.veto_threshold <= max(1, holders)


@given(councils(max_seats=8, min_weight=0, max_weight=3, excess_threshold=2))
def test_weightless_classes_and_unreached_thresholds_are_drawn_valid(c: Council) -> None:
    assert 1 <= c.rule.quota <= c.total_weight
    assert 1 <= c.rule.veto_threshold <= max(1, c.veto_holders) + 2
    assert all(0 <= k.weight <= 3 for k in c.classes)


def test_the_extra_keywords_reach_their_cases() -> None:
    weightless = find(councils(min_weight=0, max_weight=2), lambda c: min(c.weights) == 0)
    assert weightless.total_weight >= 1
    unreached = find(
        councils(excess_threshold=1), lambda c: c.rule.veto_threshold > c.veto_holders >= 1
    )
    assert unreached.rule.veto_threshold == unreached.veto_holders + 1
    game = find(
        weighted_games(max_veto=3, excess_threshold=1),
        lambda g: g.veto_threshold > g.veto_holders >= 1,
    )
    assert game.veto_threshold == game.veto_holders + 1
    same = find(mutated_scenarios(st.just('id = "x"\n')), lambda t: t != 'id = "x"\n')
    assert same != 'id = "x"\n'


def test_impossible_bounds_are_rejected() -> None:
    with pytest.raises(InvalidArgument):
        councils(min_seats=5, max_seats=3)
    with pytest.raises(InvalidArgument):
        councils(quota=(0.8, 0.2))
    with pytest.raises(InvalidArgument):
        rules(0, 0)
    with pytest.raises(InvalidArgument):
        weighted_games(max_weight=0)
    with pytest.raises(InvalidArgument):
        councils(max_weight=0, min_weight=0)
    with pytest.raises(InvalidArgument):
        rules(5, 1, excess_threshold=-1)
    with pytest.raises(InvalidArgument):
        weighted_games(excess_threshold=-1)


@given(st.data())
def test_profiles_and_coalitions_fit_the_council(data: st.DataObject) -> None:
    c = data.draw(councils(max_seats=8))
    v = data.draw(profiles(c, votes=[Vote.YES, Vote.NO]))
    assert v.shape == (c.size,) and v.dtype == np.int8 and set(v.tolist()) <= {0, 1}
    many = data.draw(profiles(c, drafts=3))
    assert many.shape == (3, c.size)
    assert decide_council(c, many).outcome.shape == (3,)
    mask = data.draw(coalitions(c))
    assert mask.shape == (c.size,) and mask.dtype == np.bool_


@given(decision_rules(max_seats=6))
def test_decision_rules_are_council_rules(rule: axioms.DecisionRule) -> None:
    assert rule.council is not None and rule.size == rule.council.size


@given(weighted_games(max_players=10, max_weight=5, max_veto=3, quota=(0.5, 1.0)))
def test_weighted_games_are_valid(g: WeightedGame) -> None:
    assert 1 <= g.size <= 10 and all(0 <= w <= 5 for w in g.weights)
    assert g.total_weight / 2 <= g.quota <= g.total_weight
    assert g.veto_holders <= 3 and 1 <= g.veto_threshold <= max(1, g.veto_holders)


@given(game_texts(max_players=8, max_veto=2))
def test_game_texts_parse(text: str) -> None:
    game = parse_game(text)
    assert 1 <= game.quota <= game.total_weight and game.size <= 8
    assert parse_game(str(game)) == game


@settings(max_examples=30, suppress_health_check=[HealthCheck.too_slow])
@given(scenario_documents())
def test_scenario_documents_load_and_meet_their_expected_block(text: str) -> None:
    assert verify(load_text(text, "drawn.toml")) == []


@settings(max_examples=20)
@given(scenario_documents(named=False, expected=False, extends=False, max_seats=6))
def test_plain_documents_have_open_seats(text: str) -> None:
    doc = tomllib.loads(text)
    assert "extends" not in doc and "expected" not in doc
    assert all("holders" not in k for k in doc["seats"].values())
    assert load_text(text, "plain.toml").council.size <= 6


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(mutated_scenarios())
def test_fuzzed_loader_raises_only_scenario_error(text: str) -> None:
    try:
        load_text(text, "fuzz.toml")
    except ScenarioError as err:
        message = str(err)
        assert "\n" not in message and message.startswith("fuzz.toml")


def test_write_toml_round_trips() -> None:
    doc = {
        "id": "x",
        "sources": ['a "quoted"\nline'],
        "rule": {"quota": 3},
        "seats": {"a-b": {"kind": "elected", "by_region": {"asia-pacific": 2}, "count": 2}},
    }
    assert tomllib.loads(write_toml(doc)) == doc
