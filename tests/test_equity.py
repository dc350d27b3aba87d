"""Equity against the square-root rule (``councilsim.statepower.equity``, ``councilsim
equity``), with a stand-in population table: the shipped one lives in ``councilsim.population``
and is tested there."""

from __future__ import annotations

import json
import math
import sys
import types
from typing import Any

import pytest
from click.testing import CliRunner

from councilsim.cli import main
from councilsim.errors import ScenarioError
from councilsim.scenario import load
from councilsim.statepower import equity, state_power
from councilsim.states import member_states

EQUAL = {m.iso3: 1_000_000 for m in member_states()}


def _stand_in(people: dict[str, int]) -> types.ModuleType:
    module = types.ModuleType("councilsim.population")

    def population(year: int | None = None, path: str | None = None) -> dict[str, int]:
        return dict(people)

    def sqrt_shares(pop: dict[str, int]) -> dict[str, float]:
        total = sum(math.sqrt(v) for v in pop.values())
        return {k: math.sqrt(v) / total for k, v in pop.items()}

    module.population = population  # type: ignore[attr-defined]
    module.sqrt_shares = sqrt_shares  # type: ignore[attr-defined]
    return module


def test_equal_populations_make_the_ratio_193_times_the_share() -> None:
    power = state_power(load("current"), years=4, replications=100, seed=0)
    result = equity(power, EQUAL, population_year=2024, population_source="equal")
    usa = next(s for s in result.states if s.state == "USA")
    assert usa.sqrt_share == pytest.approx(1 / 193)
    assert usa.power_share == pytest.approx(106 / 635)  # every seat is held by a member
    assert usa.ratio == pytest.approx(193 * 106 / 635)
    assert sum(s.power_share for s in result.states) == pytest.approx(1)
    assert sum(g.sqrt_share for g in result.regions) == pytest.approx(1)
    africa = next(g for g in result.regions if g.group == "africa")
    assert africa.sqrt_share == pytest.approx(54 / 193)
    data = result.to_dict()
    assert {"scenario", "population_year", "candidates", "years", "states", "regions"} <= set(data)
    assert set(data["states"][0]) == {
        "state",
        "name",
        "group",
        "population",
        "power_share",
        "sqrt_share",
        "ratio",
    }


def test_a_missing_population_is_one_clear_error() -> None:
    power = state_power(load("current"), years=2, replications=10, seed=0)
    people = dict(EQUAL)
    del people["NGA"]
    with pytest.raises(ScenarioError, match=r"pop\.csv: population: no population for NGA"):
        equity(power, people, population_source="pop.csv")


def test_equity_command_with_a_population_table(monkeypatch: pytest.MonkeyPatch) -> None:
    people = dict(EQUAL, IND=1_400_000_000, TUV=10_000)
    monkeypatch.setitem(sys.modules, "councilsim.population", _stand_in(people))
    args = ["equity", "current", "g4-2005", "--years", "4", "--replications", "100"]
    result = CliRunner().invoke(main, [*args, "--state", "IND", "--format", "json"])
    assert result.exit_code == 0, result.output
    data: list[dict[str, Any]] = json.loads(result.stdout)
    assert [d["scenario"] for d in data] == ["current", "g4-2005"]
    assert [s["state"] for s in data[0]["states"]] == ["IND"]
    assert data[1]["states"][0]["ratio"] > data[0]["states"][0]["ratio"]
    assert len(data[0]["regions"]) == 5
    table = CliRunner().invoke(main, args)
    assert table.exit_code == 0 and "sqrt_share" in table.stdout


def test_equity_command_without_a_population_table(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "councilsim.population", None)
    result = CliRunner().invoke(main, ["equity", "current"])
    assert result.exit_code == 2 and "population table" in result.output


def test_compare_shows_equity_ratios_when_a_population_table_exists(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    args = ["compare", "current", "g4-2005", "--state", "IND", "--election-reps", "100"]
    without = CliRunner().invoke(main, args)
    assert without.exit_code == 0 and "÷ √rule" not in without.stdout
    assert "need a population table" in " ".join(without.stdout.split())
    monkeypatch.setitem(sys.modules, "councilsim.population", _stand_in(EQUAL))
    page = tmp_path / "r.html"
    result = CliRunner().invoke(main, [*args, "--report", str(page)])
    assert result.exit_code == 0, result.output
    assert "÷ √rule" in result.stdout
    assert "÷ square-root rule" in page.read_text(encoding="utf-8")
    from councilsim.compare.columns import scenario_column, state_rows
    from councilsim.statepower import population_table

    table = population_table()
    assert table is not None
    cols = [scenario_column(load(i), states=["IND"], reps=100) for i in ("current", "g4-2005")]
    header, rows = state_rows(cols, ["IND"], population=table)
    assert header[-1] == "equity_ratio"
    # equal populations: the ratio is 193 × the state's share of the members' power
    assert rows[1][-1] == pytest.approx(193 * float(rows[1][2]))
