"""Every state's power on the command line: ``power --by state|group``, ``--over-years``,
``run --state`` and ``compare --state``, end to end through click's test runner."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from councilsim.cli import main

SMALL = ("--years", "6", "--replications", "200")


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def as_json(*args: str) -> Any:
    result = invoke(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_power_by_state_lists_every_member_and_says_how() -> None:
    (data,) = as_json("power", "seed-2024", "--by", "state", *SMALL, "--seed", "3")
    assert data["method"] == "elections" and data["candidates"] == "record"
    assert (data["years"], data["replications"], data["seed"]) == (6, 200, 3)
    assert len(data["states"]) == 193
    by = {s["state"]: s for s in data["states"]}
    assert by["IND"]["banzhaf"]["exact"] and by["IND"]["seat_years"] == 6
    assert by["NGA"]["banzhaf"]["mean"] > 0 and not by["NGA"]["banzhaf"]["exact"]
    africa = [o for o in data["open_seats"] if o["group"] == "africa"]
    assert africa[0]["candidates"] == ["NGA", "ZAF", "EGY"] and africa[0]["declared"]
    assert sum(s["seats"] for s in data["states"]) == pytest.approx(25)
    for s in data["states"]:
        if s["banzhaf"]["mean"] == 0:
            assert "seat_years = 0" in s["note"]


def test_power_by_state_exact_and_seat_level() -> None:
    (data,) = as_json(
        "power", "current", "--state", "USA", "--state", "IND", "--no-elections", "--exact"
    )
    assert data["method"] == "seats"
    usa, ind = data["states"]
    assert (usa["state"], ind["state"]) == ("USA", "IND")
    assert Fraction(usa["banzhaf"]["mean"]) == Fraction(106, 635)
    assert ind["banzhaf"]["mean"] == "0" or Fraction(ind["banzhaf"]["mean"]) == 0
    assert "holds no named seat" in ind["note"]


def test_power_by_group_adds_up_to_the_council() -> None:
    result = invoke("power", "g4-2005", "--by", "group", *SMALL, "--format", "csv", "--exact")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    groups = [r for r in rows if r["group"] != "total"]
    assert [r["group"] for r in groups] == [
        "africa",
        "asia-pacific",
        "eastern-europe",
        "grulac",
        "weog",
    ]
    total = next(r for r in rows if r["group"] == "total")
    assert sum(Fraction(r["banzhaf"]) for r in groups) == Fraction(total["banzhaf"]) == 1
    assert sum(Fraction(r["shapley_shubik"]) for r in groups) == 1


def test_power_by_state_table_says_how_and_why_zero() -> None:
    result = invoke("power", "g4-2024", "--state", "NGA", "--state", "IND", *SMALL)
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    assert "candidate model record" in text
    assert "every member of the group (the scenario declares no candidates)" in text


def test_over_years_table_json_and_errors(tmp_path: Path) -> None:
    (data,) = as_json("power", "current", "--state", "IND", "--over-years", *SMALL)
    assert data["years"] == list(range(2026, 2032)) and data["seats"] == [15.0] * 6
    assert data["states"]["IND"][0]["mean"] >= 0
    csv_text = invoke(
        "power", "current", "--state", "IND", "--over-years", *SMALL, "--format", "csv"
    )
    assert csv_text.stdout.splitlines()[0] == "scenario,index,year,state,mean,low,high"
    errors = [
        (("power", "current", "--over-years"), "--over-years needs at least one --state"),
        (("power", "current", "--state", "IND", "--plot", "x.png"), "--plot needs --over-years"),
        (("power", "current", "--state", "XYZ"), "--state: unknown state code 'XYZ'"),
        (("power", "current", "--by", "state", "--index", "johnston"), "not a state index"),
        (("power", "--game", "[2; 1,1,1]", "--by", "state"), "need a SCENARIO"),
    ]
    for args, message in errors:
        result = invoke(*args)
        assert result.exit_code == 2 and message in result.output, result.output
        assert "Traceback" not in result.output
    bad = tmp_path / "x.txt"
    result = invoke("power", "current", "--state", "IND", "--over-years", "--plot", str(bad))
    assert result.exit_code == 2 and "unknown file type" in result.output
    assert not bad.exists()


@pytest.mark.skipif(importlib.util.find_spec("matplotlib") is None, reason="needs matplotlib")
def test_over_years_plot(tmp_path: Path) -> None:
    out = tmp_path / "ind.svg"
    args = ("power", "current", "seed-2024", "--state", "IND", "--over-years", "--plot", str(out))
    result = invoke(*args, *SMALL)
    assert result.exit_code == 0, result.output
    assert out.read_text().lstrip().startswith("<?xml")


def test_run_state_adds_the_named_states() -> None:
    data = as_json("run", "current", "--draws", "1000", "--state", "IND", "--state", "usa")
    states = data["states"]
    assert [s["state"] for s in states["states"]] == ["IND", "USA"]
    assert states["seed"] == 1 and states["method"] == "elections"
    text = invoke("run", "current", "--draws", "1000", "--state", "IND").stdout
    assert "Named states: expected power" in text and "candidate model record" in text
    result = invoke("run", "current", "--state", "SUN")
    assert result.exit_code == 2 and "former state" in result.output


def test_compare_gives_every_named_state_power_everywhere_by_default() -> None:
    args = ["compare", "current", "seed-2024", "g4-2005", "ufc-2005"]
    data = as_json(*args, "--state", "IND", "--state", "NGA", "--state", "ITA")
    for col in data["scenarios"]:
        assert col["elections"] is True
        sp = col["state_power"]
        assert sp["years"] == 10 and sp["replications"] == 2000 and sp["candidates"] == "record"
        for code in ("ind", "nga", "ita"):
            assert col["values"][f"banzhaf_state_{code}"] > 0, (col["id"], code)
    text = invoke(*args, "--state", "IND").stdout
    assert "Named states: expected power" in text and "election run" in text


def test_state_ratio_chart_is_relative_to_the_base_on_a_log_scale() -> None:
    from councilsim.compare.columns import scenario_column
    from councilsim.compare.plot import state_ratio_chart
    from councilsim.compare.report import svg_chart
    from councilsim.scenario import load

    cols = [scenario_column(load(i), states=["IND", "USA"]) for i in ("current", "g4-2005")]
    chart = state_ratio_chart(cols, ["IND", "USA"])
    assert chart is not None and chart.log and chart.values[0] == (1.0, 1.0)
    ratio = cols[1].values["banzhaf_state_ind"] / cols[0].values["banzhaf_state_ind"]
    assert chart.values[1][0] == pytest.approx(ratio) and ratio > 10
    svg = svg_chart(chart)
    assert 'text-anchor="end">1</text>' in svg and 'text-anchor="end">10</text>' in svg
