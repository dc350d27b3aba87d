"""Properties of the power engine: every method equals brute force, and the index axioms."""

from __future__ import annotations

from fractions import Fraction
from unittest.mock import patch

import pytest
from hypothesis import given
from hypothesis import strategies as st

from councilsim.council import Council
from councilsim.games import WeightedGame
from councilsim.power import INDICES, PowerResult, count, minimal, power, product_tree
from councilsim.power.counts import PowerCounts
from councilsim.strategies import councils as any_councils
from councilsim.strategies import weighted_games

FIELDS = ("swings", "shapley", "minimal_with", "minimal_share", "johnston")
DP_FIELDS = ("swings", "shapley", "minimal_with", "minimal_share")


def games(max_members: int = 10, vetoes: bool = True) -> st.SearchStrategy[WeightedGame]:
    """Weighted games of weights 0..12, optionally with veto holders and any threshold up to one
    above their number (a veto that never blocks)."""
    return weighted_games(
        max_players=max_members,
        max_weight=12,
        max_veto=max_members if vetoes else 0,
        excess_threshold=1 if vetoes else 0,
    )


def councils() -> st.SearchStrategy[Council]:
    """Councils of up to four seat classes and twelve seats, weights 0..4, any threshold up to
    one above the number of veto holders."""
    return any_councils(max_seats=12, max_classes=4, min_weight=0, max_weight=4, excess_threshold=1)


def _per_member(c: PowerCounts, field: str) -> list[object]:
    return list(c.per_member(getattr(c, field)))


@given(games())
def test_classes_and_generating_functions_equal_brute_force(game: WeightedGame) -> None:
    brute = count(game, needs=set(), method="brute")
    classes = count(game, needs=set(), method="classes")
    dp = count(game, needs={"shapley", "minimal", "minimal_share"}, method="dp")
    for other in (classes, dp):
        assert (other.winning, other.minimal) == (brute.winning, brute.minimal)
    for field in FIELDS:
        assert _per_member(classes, field) == _per_member(brute, field), field
    for field in DP_FIELDS:
        assert _per_member(dp, field) == _per_member(brute, field), field


@given(games(max_members=12), st.booleans(), st.booleans(), st.booleans())
def test_one_pass_minimal_counts_equal_brute_force(
    game: WeightedGame, sized: bool, words: bool, by_class: bool
) -> None:
    """Minimal winning coalitions by the pass over members by descending weight (games without
    veto holders: with or without sizes, in vectors or packed integers, adding the products
    to their sum member by member or class by class) or over veto states; and the winning
    coalitions and swings, as brute force counts them."""
    needs = {"minimal_share"} if sized else {"minimal"}
    brute = count(game, needs=needs, method="brute")
    with (
        patch.object(minimal, "WORD_MEMBERS", 62 if words else 0),
        patch.object(minimal, "_DIRECT", 0 if by_class else 99),
    ):
        dp = count(game, needs=needs, method="dp")
    assert (dp.winning, dp.minimal) == (brute.winning, brute.minimal)
    for field in ("swings", "minimal_with", "minimal_share" if sized else "swings"):
        assert _per_member(dp, field) == _per_member(brute, field), field


@given(games(max_members=14))
def test_the_product_tree_counts_swings_as_brute_force_does(game: WeightedGame) -> None:
    """Swings and winning coalitions, with and without veto holders, from the product made by
    FLINT's product tree (forced at every size) and by the packed integers."""
    pytest.importorskip("flint")
    brute = count(game, needs=set(), method="brute")
    with patch.object(product_tree, "MIN_WORK", 0):
        tree = count(game, needs=set(), method="dp")
    with patch.object(product_tree, "available", lambda: False):
        packed = count(game, needs=set(), method="dp")
    for dp in (tree, packed):
        assert dp.winning == brute.winning
        assert _per_member(dp, "swings") == _per_member(brute, "swings")


@given(councils())
def test_councils_by_class_equal_brute_force(council: Council) -> None:
    fast = power(council, exact=True, method="classes")
    slow = power(council, exact=True, method="brute")
    assert fast == slow


def _axioms(r: PowerResult) -> None:
    for name in ("banzhaf", "shapley_shubik", "johnston", "deegan_packel", "public_good"):
        assert sum(r.values[name]) == 1, name
    for name, vals in r.values.items():
        assert all(0 <= v <= 1 for v in vals), name
    assert r.minimal_winning_coalitions is not None
    assert 0 < r.minimal_winning_coalitions <= r.winning_coalitions < 2 ** len(r.members)


@given(games(max_members=12))
def test_index_axioms(game: WeightedGame) -> None:
    r = power(game, exact=True)
    _axioms(r)
    for i in range(game.size):
        for j in range(game.size):
            same = (game.weights[i], game.veto[i]) == (game.weights[j], game.veto[j])
            if same:  # members of one class get equal values
                assert all(v[i] == v[j] for v in r.values.values())
        if r.swings[i] == 0:  # a null player gets nothing from any index
            assert all(v[i] == 0 for v in r.values.values())
    if game.weights.count(0) and not any(game.veto):
        i = game.weights.index(0)
        assert r.swings[i] == 0


@given(games(max_members=12))
def test_veto_holder_has_at_least_the_power_of_anyone(game: WeightedGame) -> None:
    if game.veto_threshold != 1 or not any(game.veto):
        game = WeightedGame(game.weights, game.quota, (True,) + (False,) * (game.size - 1))
    r = power(game, exact=True)
    holders = [i for i, v in enumerate(game.veto) if v]
    for name, vals in r.values.items():
        top = max(vals)
        assert all(vals[i] == top for i in holders), name


MONOTONE = (
    "banzhaf",
    "banzhaf_absolute",
    "shapley_shubik",
    "coleman_prevent",
    "coleman_initiate",
    "johnston",
)


@given(games(max_members=12, vetoes=False))
def test_larger_weight_never_less_power(game: WeightedGame) -> None:
    r = power(game, exact=True, indices=MONOTONE)
    order = sorted(range(game.size), key=lambda i: game.weights[i])
    for name in MONOTONE:
        vals = [r.values[name][i] for i in order]
        assert vals == sorted(vals), name


@given(games(max_members=8))
def test_float_results_are_the_exact_ones_rounded(game: WeightedGame) -> None:
    exact = power(game, exact=True)
    approx = power(game)
    for name in INDICES:
        assert approx.values[name] == tuple(float(Fraction(v)) for v in exact.values[name])
