"""Weighted games: the ``[q; w1, ...]`` notation, validation, and the link to councils."""

from __future__ import annotations

import numpy as np
import pytest

from councilsim.errors import ScenarioError
from councilsim.games import (
    MAX_MEMBERS,
    WeightedGame,
    council_from_game,
    format_game,
    game_from_council,
    parse_game,
)
from councilsim.rule import Vote, decide_council
from councilsim.scenario import load


@pytest.mark.parametrize(
    "text",
    [
        "[39; 7*5, 1*10]",
        "39; 7*5, 1*10",
        " [ 39 ;7 * 5,1x10 ] ",
        "39; 7×5 1*10",
        "39; 7,7,7,7,7,1,1,1,1,1,1,1,1,1,1",
    ],
)
def test_parse_security_council(text: str) -> None:
    game = parse_game(text)
    assert game.weights == (7,) * 5 + (1,) * 10
    assert game.quota == 39
    assert game.veto == (False,) * 15
    assert game.names[0] == "P1" and game.names[-1] == "P15"


def test_parse_veto_marker() -> None:
    game = parse_game("9; 1v*5, 1*10")
    assert game.veto == (True,) * 5 + (False,) * 10
    assert game.veto_threshold == 1
    assert format_game(game) == "[9; 1v*5, 1*10]"


def test_format_round_trip() -> None:
    game = parse_game("[10; 3, 3, 2, 1v, 1v, 0]")
    assert parse_game(str(game)) == game
    assert str(game) == "[10; 3*2, 2, 1v*2, 0]"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("39 7*5, 1*10", "one ';'"),
        ("39; 7; 1", "one ';'"),
        ("39; 7.5*5", "cannot read weight '7.5*5'"),
        ("39; seven", "cannot read weight"),
        ("39; 7, -1", "negative"),
        ("39;", "no weights"),
        ("39; 7, 1,", "cannot read weight ''"),
        ("x; 7*5", "quota 'x' is not an integer"),
        ("3.5; 7*5", "not an integer"),
        ("0; 7*5", "quota 0 is outside 1..35"),
        ("36; 7*5", "quota 36 is outside 1..35"),
        ("1; 1*0", "repeat count"),
        (f"1; 1*{MAX_MEMBERS + 1}", f"more than {MAX_MEMBERS} members"),
        (f"1; 1*{MAX_MEMBERS}, 1", f"more than {MAX_MEMBERS} members"),
        ("1; 0*3", "quota 1 is outside 1..0"),
    ],
)
def test_parse_errors_name_the_problem(text: str, words: str) -> None:
    with pytest.raises(ScenarioError, match=None) as err:
        parse_game(text)
    assert words in str(err.value)


@pytest.mark.parametrize("text", [",".join(["1"] * 5000), "1; " + ",".join(["1"] * 5000) + "x"])
def test_a_long_game_is_quoted_short_in_its_error(text: str) -> None:
    with pytest.raises(ScenarioError) as err:
        parse_game(text)
    assert len(str(err.value)) < 400
    assert f"({len(text)} characters)" in str(err.value)


def test_ten_thousand_members_parse() -> None:
    assert parse_game(f"5000; 1*{MAX_MEMBERS}").size == MAX_MEMBERS


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"weights": (1, 2), "quota": 2, "names": ("a",)}, "one entry per member"),
        ({"weights": (1, 2), "quota": 2, "veto": (True,)}, "one entry per member"),
        ({"weights": (1, 2), "quota": 2, "veto_threshold": 0}, "at least 1"),
        ({"weights": (1, 2.5), "quota": 2}, "must be an integer"),
        ({"weights": (1, True), "quota": 2}, "must be an integer"),
        ({"weights": (), "quota": 1}, "1..10000 members"),
        ({"weights": (2**62,), "quota": 1}, "too large"),
    ],
)
def test_game_validation(kwargs: dict[str, object], words: str) -> None:
    with pytest.raises(ScenarioError) as err:
        WeightedGame(**kwargs)  # type: ignore[arg-type]
    assert words in str(err.value)


def test_numpy_integers_are_accepted() -> None:
    game = WeightedGame(tuple(np.array([3, 2], dtype=np.int64)), np.int64(4))  # type: ignore[arg-type]
    assert game.weights == (3, 2) and type(game.weights[0]) is int


def test_wins_reads_vetoes_and_threshold() -> None:
    game = WeightedGame((1, 1, 1, 1), 2, (True, True, True, False), veto_threshold=2)
    assert game.wins({0, 1, 3})  # one veto holder out: below the threshold of 2
    assert not game.wins({0, 3})  # two out
    assert not game.wins({0})


def test_game_of_the_current_council() -> None:
    council = load("current").council
    game = game_from_council(council)
    assert game.weights == (1,) * 15 and game.quota == 9
    assert game.veto == (True,) * 5 + (False,) * 10
    assert game.names == council.labels()


def test_council_from_game_groups_classes_and_decides_alike() -> None:
    game = WeightedGame((3, 1, 3, 2, 1), 6, (False, True, False, False, True), veto_threshold=2)
    council = council_from_game(game)
    assert [(c.id, c.count) for c in council.classes] == [("w3", 2), ("w1v", 2), ("w2", 1)]
    assert council.rule.quota == 6 and council.rule.veto_threshold == 2
    holders = [h for c in council.classes for h in c.holders]
    position = {name: holders.index(name) for name in game.names}
    for mask in range(2**game.size):
        members = {i for i in range(game.size) if mask >> i & 1}
        votes = np.full(game.size, Vote.NO, dtype=np.int8)
        for i in members:
            votes[position[game.names[i]]] = Vote.YES
        assert bool(decide_council(council, votes).adopted) == game.wins(members)


def test_council_round_trip_keeps_the_game() -> None:
    game = parse_game("[9; 1v*5, 1*10]")
    again = game_from_council(council_from_game(game))
    assert again == game
