"""The one set of validators: every reader of user input words its errors the same way."""

from __future__ import annotations

import doctest
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

import councilsim.validate
from councilsim import ScenarioError
from councilsim.validate import (
    Context,
    expect,
    key_path,
    read_toml,
    to_fraction,
    to_int,
    to_str_list,
    unknown_keys,
)


def test_doctests() -> None:
    assert doctest.testmod(councilsim.validate).failed == 0


def test_key_paths_count_array_positions_from_one() -> None:
    assert key_path(["expected", "votes", 0, "yes", 2]) == "expected.votes[1].yes[3]"
    assert key_path("simulation.draws") == "simulation.draws"


@pytest.mark.parametrize("value", [True, 2.0, "x", None, [1]])
def test_an_integer_is_an_integer(value: object) -> None:
    with pytest.raises(ScenarioError, match=r"^count: (expected an integer|'x' is not a whole)"):
        to_int(value, "count", 0, 10)


def test_integers_from_numpy_and_the_command_line() -> None:
    assert to_int(np.int64(3), "n", 0, 10) == 3
    assert to_int("1_000", "n", 0, 10**6) == 1000
    with pytest.raises(ScenarioError, match="expected an integer, found a string"):
        to_int("3", "n", 0, 10, text=False)


def test_a_boolean_is_not_an_integer_but_is_a_boolean() -> None:
    with pytest.raises(ScenarioError, match="found a boolean"):
        expect(True, int, "an integer", "n")
    assert expect(True, bool, "true or false", "flag") is True


def test_unknown_keys_suggest_the_closest() -> None:
    with pytest.raises(ScenarioError) as info:
        unknown_keys({"holder": 1}, {"holders", "count"}, ["seats", "p"])
    assert info.value.key == "seats.p.holder"
    assert info.value.fix == "did you mean 'holders'?"


def test_lists_and_fractions() -> None:
    assert to_str_list(["a", "b"], "x") == ("a", "b")
    with pytest.raises(ScenarioError, match=r"^x\[2\]: expected a string"):
        to_str_list(["a", 1], "x")
    assert to_fraction("1/3", "v") == Fraction(1, 3)


def test_a_context_locates_keyed_errors_and_keeps_located_ones(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text("[rule]\nquota = 0\n", encoding="utf-8")
    doc, ctx = read_toml(path)
    assert doc == {"rule": {"quota": 0}}
    expected = rf"^{path}:2: rule\.quota: 0 is out of range"
    with pytest.raises(ScenarioError, match=expected), ctx.located():
        to_int(doc["rule"]["quota"], ["rule", "quota"], 1, 9)
    other = Context("other.toml", "")
    with pytest.raises(ScenarioError, match=r"^other\.toml: x: no"), ctx.located():
        raise other.error("x", "no")
