"""Johnston values by generating functions equal brute force and class enumeration."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings

from councilsim.errors import ScenarioError
from councilsim.games import WeightedGame, parse_game
from councilsim.power import count, feasible_indices, power
from councilsim.strategies import weighted_games


def _johnston(game: WeightedGame, method: str) -> list[object]:
    counts = count(game, needs={"johnston"}, method=method)  # type: ignore[arg-type]
    assert counts.johnston is not None
    return list(counts.per_member(counts.johnston))


@settings(max_examples=150, deadline=None)
@given(weighted_games(max_players=11, max_weight=12, max_veto=0, excess_threshold=0))
def test_generating_function_equals_brute_force(game: WeightedGame) -> None:
    assert _johnston(game, "dp") == _johnston(game, "brute")


@settings(max_examples=25, deadline=None)
@given(weighted_games(max_players=24, max_weight=6, max_veto=0, excess_threshold=0))
def test_generating_function_equals_class_enumeration(game: WeightedGame) -> None:
    assert _johnston(game, "dp") == _johnston(game, "classes")


def test_known_game() -> None:
    # [11; 9, 5, 3, 1, 1]: 21 vulnerable coalitions; raw values 28/3, 3/2, 3/2, 1/3, 1/3.
    r = power(parse_game("11; 9, 5, 3, 1, 1"), exact=True, indices=["johnston"], method="dp")
    total = Fraction(28, 3) + 3 + Fraction(2, 3)
    assert r.johnston == tuple(
        v / total for v in (Fraction(28, 3), Fraction(3, 2), Fraction(3, 2)) + (Fraction(1, 3),) * 2
    )


def test_a_hundred_members_of_weights_1_to_100_are_counted() -> None:
    weights = tuple(1 + (37 * i * i + 11 * i) % 100 for i in range(100))
    game = WeightedGame(weights, sum(weights) // 2 + 1)
    assert "johnston" in feasible_indices(game)
    r = power(game, exact=True, indices=["johnston", "banzhaf"])
    assert sum(r.johnston) == 1
    order = sorted(range(100), key=lambda i: weights[i])
    values = [r.johnston[i] for i in order]
    assert values == sorted(values)  # heavier never weaker


def test_veto_holders_outside_class_enumeration_are_refused() -> None:
    game = parse_game("300; " + ", ".join(f"{w}v" if w < 3 else str(w) for w in range(1, 60)))
    assert "johnston" not in feasible_indices(game)
    with pytest.raises(ScenarioError, match="Johnston"):
        power(game, indices=["johnston"])
