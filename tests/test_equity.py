"""Equity against the square-root rule (``councilsim.statepower.equity``, ``councilsim
equity``), with a stand-in population table: the shipped one lives in ``councilsim.population``
and is tested there."""

from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner

from councilsim.cli import main
from councilsim.errors import ScenarioError
from councilsim.population import Population
from councilsim.scenario import load
from councilsim.statepower import equity, population_table, state_power
from councilsim.states import member_states

EQUAL = {m.iso3: 1_000_000 for m in member_states()}


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


def test_equity_command_with_the_shipped_population() -> None:
    args = ["equity", "current", "g4-2005", "--years", "4", "--replications", "100"]
    result = CliRunner().invoke(main, [*args, "--state", "IND", "--format", "json"])
    assert result.exit_code == 0, result.output
    data: list[dict[str, Any]] = json.loads(result.stdout)
    assert [d["scenario"] for d in data] == ["current", "g4-2005"]
    assert [d["population_year"] for d in data] == [2024, 2024]
    assert [s["state"] for s in data[0]["states"]] == ["IND"]
    assert data[1]["states"][0]["ratio"] > data[0]["states"][0]["ratio"]
    assert len(data[0]["regions"]) == 5
    table = CliRunner().invoke(main, args)
    assert table.exit_code == 0 and "sqrt_share" in table.stdout


def test_today_over_represents_the_permanent_members_and_africa_least() -> None:
    """Gould & Rablen (Public Choice 169, 2016): every permanent member above 1, Africa the
    most under-represented group (docs/equity.md compares the figures)."""
    result = equity(
        state_power(load("current"), years=10, replications=200, seed=0), population_table()
    )
    ratios = {s.state: s.ratio for s in result.states}
    assert all(ratios[p] is not None and ratios[p] > 1 for p in ("CHN", "FRA", "RUS", "GBR", "USA"))
    groups = {g.group: g.ratio for g in result.regions}
    assert min(groups, key=lambda g: groups[g] or 0.0) == "africa"


def test_a_bad_population_file_is_one_line(tmp_path: Any) -> None:
    missing = CliRunner().invoke(
        main, ["equity", "current", "--population", str(tmp_path / "no.csv")]
    )
    assert missing.exit_code == 2 and missing.stderr.count("\n") == 1
    bad = tmp_path / "pop.csv"
    bad.write_text("Country Name,Country Code,Year,Value\nIndia,IND,2024,lots\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["equity", "current", "--population", str(bad)])
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert "pop.csv" in result.stderr and "Traceback" not in result.output


def test_compare_shows_equity_ratios_for_named_states(tmp_path: Any) -> None:
    args = ["compare", "current", "g4-2005", "--state", "IND", "--election-reps", "100"]
    page = tmp_path / "r.html"
    result = CliRunner().invoke(main, [*args, "--report", str(page)])
    assert result.exit_code == 0, result.output
    assert "÷ √rule" in result.stdout
    assert "÷ square-root rule" in page.read_text(encoding="utf-8")
    from councilsim.compare.columns import scenario_column, state_rows

    equal = Population(2024, EQUAL, "equal")
    cols = [scenario_column(load(i), states=["IND"], reps=100) for i in ("current", "g4-2005")]
    header, rows = state_rows(cols, ["IND"], population=equal)
    assert header[-1] == "equity_ratio"
    # equal populations: the ratio is 193 × the state's share of the members' power
    assert rows[1][-1] == pytest.approx(193 * float(rows[1][2]))
