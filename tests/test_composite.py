"""Composite games (weighted games joined by AND or OR): exact counts, the oracle, and the
Charter amendment game of Arts. 108 and 109."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from councilsim.composite import CompositeGame, brute_counts, composite_power
from councilsim.errors import ScenarioError
from councilsim.games import WeightedGame
from councilsim.power import power
from councilsim.strategies import weighted_games


@st.composite
def composite_games(draw: st.DrawFn, max_players: int = 8) -> CompositeGame:
    """One to three weighted games (vetoes allowed) over the same players, AND or OR."""
    n = draw(st.integers(1, max_players))
    parts = weighted_games(min_players=n, max_players=n, max_weight=4, max_veto=3)
    components = tuple(draw(st.lists(parts, min_size=1, max_size=3)))
    return CompositeGame(components, draw(st.sampled_from(["and", "or"])))


@given(composite_games())
def test_class_counts_equal_brute_force(game: CompositeGame) -> None:
    exact = composite_power(game)
    winning, swings = brute_counts(game)
    assert exact.winning == winning
    assert exact.per_player(game) == swings


@given(composite_games())
def test_measures_follow_from_counts(game: CompositeGame) -> None:
    p = composite_power(game)
    n = game.size
    winning, swings = brute_counts(game)
    assert p.passage == Fraction(winning, 2**n)
    total = sum(swings)
    per_class = dict(zip(p.classes, p.banzhaf(), strict=True))
    for i, s in enumerate(swings):
        assert per_class[game.player_class(i)] == (Fraction(s, total) if total else 0)
    for s, a, prevent, initiate in zip(
        p.swings, p.banzhaf_absolute(), p.coleman_prevent(), p.coleman_initiate(), strict=True
    ):
        assert a == Fraction(s, 2 ** (n - 1))
        assert prevent == (Fraction(s, winning) if winning else 0)
        assert initiate == (Fraction(s, 2**n - winning) if winning < 2**n else 0)


@given(weighted_games(max_players=9, max_weight=6, max_veto=3, excess_threshold=1))
def test_one_component_is_the_weighted_game(game: WeightedGame) -> None:
    p = composite_power(CompositeGame((game,)))
    assert p.per_player(CompositeGame((game,))) == power(game, exact=True).swings


def test_and_of_a_game_with_itself_is_the_game() -> None:
    g = WeightedGame((3, 2, 2, 1), 5, veto=(True, False, False, False))
    twice, once = composite_power(CompositeGame((g, g))), composite_power(CompositeGame((g,)))
    assert (twice.winning, twice.swings) == (once.winning, once.swings)


def test_general_assembly_stage_known_answer() -> None:
    """Art. 108: 129 of 193 (P(Bin(193, 1/2) >= 129) ~ 1.67e-6)."""
    ga = WeightedGame((1,) * 193, 129)
    p = composite_power(CompositeGame((ga,)))
    expected = Fraction(sum(math.comb(193, k) for k in range(129, 194)), 2**193)
    assert p.passage == expected
    assert float(p.passage) == pytest.approx(1.67e-6, rel=3e-3)


def test_ratification_stage_known_answer() -> None:
    """Art. 108: two thirds including the five permanent members: 2^-5 P(Bin(188) >= 124)."""
    veto = (True,) * 5 + (False,) * 188
    ratify = WeightedGame((1,) * 193, 129, veto=veto)
    ga = WeightedGame((1,) * 193, 129)
    p = composite_power(CompositeGame((ga, ratify)))
    expected = Fraction(1, 32) * Fraction(sum(math.comb(188, k) for k in range(124, 189)), 2**188)
    assert p.passage == expected
    assert float(p.passage) == pytest.approx(2.25e-7, rel=3e-3)
    # a permanent member swings when the other four and at least 124 of the 188 others vote yes
    p5_swings = sum(math.comb(188, k) for k in range(124, 189))
    assert p.swings[0] == p5_swings
    other = math.comb(187, 123)  # all five and exactly 123 of the other 187 vote yes
    assert p.swings[1] == other


def test_mismatched_components_are_refused() -> None:
    with pytest.raises(ScenarioError, match="same players"):
        CompositeGame((WeightedGame((1, 1), 2), WeightedGame((1, 1, 1), 2)))


def test_too_many_classes_are_refused_before_counting() -> None:
    game = WeightedGame(tuple(range(1, 26)), 100)
    with pytest.raises(ScenarioError, match="count vectors"):
        composite_power(CompositeGame((game,)))


def test_or_of_two_games_wins_where_either_does() -> None:
    a = WeightedGame((2, 1, 1), 3)
    b = WeightedGame((1, 1, 1), 3)
    game = CompositeGame((a, b), "or")
    assert game.wins({0, 1}) and game.wins({0, 1, 2}) and not game.wins({1, 2})
    p = composite_power(game)
    assert p.winning == 3  # {0, 1}, {0, 2} and {0, 1, 2}
    assert p.per_player(game) == (3, 1, 1)
