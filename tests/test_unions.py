"""Power with a-priori unions: EPIC's case, brute force against the class method, errors."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from councilsim.errors import ScenarioError
from councilsim.games import WeightedGame, parse_game
from councilsim.power import power
from councilsim.power.unions import (
    brute_union_values,
    make_unions,
    parse_unions,
    union_values,
)
from councilsim.scenario import load, load_text
from councilsim.scenario.unions import scenario_unions
from councilsim.strategies import councils, weighted_games

F = Fraction


def test_epic_case() -> None:
    """``[11; 9, 5, 3, 3]`` with unions {1}, {2}, {3, 4} (EPIC's documented example)."""
    game = parse_game("[11; 9, 5, 3, 3]")
    unions = parse_unions("1|2|3,4", game)
    for method in ("classes", "brute"):
        r = union_values(game, unions, exact=True, method=method)  # type: ignore[arg-type]
        assert list(r.owen) == [F(1, 3), F(1, 3), F(1, 6), F(1, 6)]
        assert list(r.banzhaf_owen) == [F(1, 2), F(1, 2), F(1, 4), F(1, 4)]
        assert r.union == ("U1", "U2", "U3", "U3")


def test_singletons_give_the_classical_indices() -> None:
    game = parse_game("[39; 7*5, 1*10]")
    r = union_values(game, make_unions([], game.size), exact=True)
    binary = power(game, exact=True)
    assert r.owen == binary.shapley_shubik
    assert r.banzhaf_owen == binary.banzhaf_absolute
    assert r.symmetric_coalitional_banzhaf == binary.shapley_shubik


def test_one_union_shares_the_shapley_value_of_the_quotient_game() -> None:
    """The P3 as one union: the Owen values of its members add up to the Shapley-Shubik index
    of the union in the quotient game (P3, CHN, RUS, ten elected)."""
    council = load("current").council
    r = union_values(council, parse_unions("FRA,GBR,USA", council), exact=True)
    p3 = sum(r.owen[council.index_of(c)] for c in ("FRA", "GBR", "USA"))
    quotient = power(parse_game("[9; 3v, 1v, 1v, 1*10]"), exact=True)
    assert p3 == quotient.shapley_shubik[0]
    assert sum(r.owen) == 1


def test_council_classes_and_codes() -> None:
    council = load("african-union-2005").council
    unions = parse_unions("permanent|elected-1,elected-2,elected-3", council)
    assert unions.names[:2] == ("U1", "U2")
    assert unions.groups[0] == (0, 1, 2, 3, 4)
    assert len(unions.groups) == 2 + 6 + 12  # the others are unions by themselves
    r = union_values(council, unions, exact=True)
    assert sum(r.owen) == 1


@given(councils(max_seats=7, max_classes=3), st.data())
def test_class_method_agrees_with_decide(council, data) -> None:  # type: ignore[no-untyped-def]
    labels = data.draw(st.lists(st.integers(0, 3), min_size=council.size, max_size=council.size))
    groups = [[i for i, k in enumerate(labels) if k == u] for u in range(4)]
    unions = make_unions([g for g in groups if g], council.size)
    fast = union_values(council, unions, exact=True)
    slow = union_values(council, unions, exact=True, method="brute")
    assert fast.values == slow.values


@given(weighted_games(max_players=7, max_weight=6, max_veto=2), st.data())
def test_class_method_agrees_on_weighted_games(game: WeightedGame, data) -> None:  # type: ignore[no-untyped-def]
    labels = data.draw(st.lists(st.integers(0, 3), min_size=game.size, max_size=game.size))
    groups = [[i for i, k in enumerate(labels) if k == u] for u in range(4)]
    unions = make_unions([g for g in groups if g], game.size)
    fast = union_values(game, unions, exact=True)
    slow = brute_union_values(lambda s: game.wins(s), game.size, unions)
    assert fast.values == {k: tuple(v) for k, v in slow.items()}
    assert sum(fast.owen) in (0, 1)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1|2|3,1", "P1 is in two unions"),
        ("1||3", "union 2 of '1||3' is empty"),
        ("1|2|", "union 3 of '1|2|' is empty"),
        ("1|9", "unknown member '9' in union 2"),
        ("1,,2", "empty item"),
        ("1,1", "named twice"),
    ],
)
def test_invalid_unions_of_a_game(text: str, message: str) -> None:
    with pytest.raises(ScenarioError, match=message) as err:
        parse_unions(text, parse_game("[11; 9, 5, 3, 3]"))
    assert "\n" not in str(err.value)


def test_invalid_unions_of_a_council() -> None:
    council = load("current").council
    with pytest.raises(ScenarioError, match="unknown member 'XYZ'"):
        parse_unions("FRA|XYZ", council)
    with pytest.raises(ScenarioError, match="FRA is in two unions"):
        parse_unions("permanent|FRA", council)


SCENARIO = """
extends = "current"
id = "current-blocs"
name = "Today's Council with the A3 and the P3 as blocs"

[unions.A3]
members = ["COD", "LBR", "SOM"]
source = "A3 joint statements"

[unions.P3]
members = ["FRA", "GBR", "USA"]
source = "P3 practice"
"""


def test_scenario_unions() -> None:
    scenario = load_text(SCENARIO)
    unions = scenario_unions(scenario)
    assert unions is not None
    assert unions.names[:2] == ("A3", "P3")
    assert unions.sources[:2] == ("A3 joint statements", "P3 practice")
    assert len(unions.groups) == 2 + 9
    assert scenario_unions(load("current")) is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ('members = ["COD", "XYZ"]', "unions.A3.members[2]: unknown member 'XYZ'"),
        ("members = []", "unions.A3.members: a union needs a non-empty list"),
        ('members = ["FRA"]', "FRA is in two unions"),
        ('members = ["COD"]\ncolour = "red"', "unions.A3.colour: unknown key"),
    ],
)
def test_invalid_scenario_unions(change: str, message: str) -> None:
    text = SCENARIO.replace('members = ["COD", "LBR", "SOM"]', change)
    with pytest.raises(ScenarioError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_text(text, name="blocs.toml")


def test_docstring_examples() -> None:
    import doctest

    import councilsim.power.unions

    result = doctest.testmod(councilsim.power.unions)
    assert result.attempted > 0 and result.failed == 0


DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_the_reference_example_loads() -> None:
    doc = (DOCS / "scenarios.md").read_text(encoding="utf-8")
    block = doc.split("## A-priori unions", 1)[1].split("```toml\n", 1)[1].split("```")[0]
    unions = scenario_unions(load_text('extends = "current"\n' + block))
    assert unions is not None and unions.names[:2] == ("A3", "P3")


def test_the_figures_of_the_docs_page() -> None:
    """Every exact value the page quotes for today's Council is what the engine gives."""
    from councilsim.formatting import fraction_text
    from councilsim.power.ternary import ternary_power

    page = (DOCS / "power-ternary-unions.md").read_text(encoding="utf-8")
    council = load("current").council
    quoted = []
    for reading in ("practice", "literal"):
        r = ternary_power(council, abstention=reading, exact=True)
        quoted += [v[i] for v in r.values.values() for i in (0, 5)]
    for text in ("FRA,GBR,USA", "COD,LBR,SOM", "FRA,GBR,USA|COD,LBR,SOM"):
        u = union_values(council, parse_unions(text, council), exact=True)
        quoted += [u.owen[i] for i in (0, 5)]
    quoted.append(u.banzhaf_owen[0])
    for value in quoted:
        assert fraction_text(value) in page, value
