"""``councilsim simulate`` through click's test runner."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from councilsim.cli import main

TINY = """id = "tiny"
name = "Tiny council"
[rule]
quota = 3
procedural_quota = 3
[seats.permanent]
kind = "permanent"
veto = true
holders = ["USA", "FRA"]
[seats.elected]
kind = "elected"
count = 3
region = "africa"
"""


def run(*args: str) -> Any:
    return CliRunner().invoke(main, ["simulate", *args])


def as_json(*args: str) -> Any:
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_json_output_shape() -> None:
    data = as_json("current", "--draws", "20000", "--seed", "4")
    assert data["scenario"] == "current"
    assert data["model"] == "impartial" and data["params"]["p"] == 0.5
    assert (data["draws"], data["seed"], data["engine"]) == (20000, 4, "monte-carlo")
    for key in ("adopted", "vetoed", "failed", "mean_yes"):
        assert set(data[key]) == {"estimate", "ci_low", "ci_high"}
    members = data["members"]
    assert len(members) == 15
    usa = next(m for m in members if m["member"] == "USA")
    assert usa["class"] == "permanent" and usa["vetoes"]["estimate"] > 0
    elected = next(m for m in members if m["class"] == "elected")
    assert elected["vetoes"] is None and elected["vetoes_alone"] is None
    assert set(usa) == {
        "member",
        "class",
        "yes",
        "decisiveness",
        "satisfaction",
        "vetoes",
        "vetoes_alone",
    }


def test_exact_gives_the_coleman_fraction() -> None:
    data = as_json("current", "--exact")
    assert data["engine"] == "exact" and data["draws"] is None
    assert data["adopted"] == {"estimate": 848 / 32768, "fraction": "53/2048"}


def test_options_override_and_reproduce() -> None:
    a = as_json("current", "--p", "1/3", "--abstain", "0.1", "--draws", "5000", "--seed", "1")
    b = as_json(
        "current",
        "--p",
        "1/3",
        "--abstain",
        "0.1",
        "--draws",
        "5000",
        "--seed",
        "1",
        "--workers",
        "2",
    )
    assert a == b
    assert a["params"] == {"p": 1 / 3, "abstain": 0.1, "absent": 0}


def test_scenario_table_is_used_and_options_win(tmp_path: Path) -> None:
    path = tmp_path / "tiny.toml"
    path.write_text(
        TINY + '[simulation]\nmodel = "propensity"\ndraws = 3000\nseed = 5\n'
        "[simulation.params.classes.permanent]\nyes = 0.9\n",
        encoding="utf-8",
    )
    data = as_json(str(path))
    assert data["model"] == "propensity" and (data["draws"], data["seed"]) == (3000, 5)
    assert data["members"][0]["yes"]["estimate"] > 0.85
    data = as_json(str(path), "--draws", "2000", "--model", "impartial", "--p", "0.2")
    assert data["model"] == "impartial" and data["draws"] == 2000 and data["seed"] == 5


def test_other_models_and_formats() -> None:
    data = as_json(
        "current",
        "--model",
        "blocs",
        "--loading",
        "0.9",
        "--param",
        'blocs={west=["USA","GBR","FRA"]}',
        "--draws",
        "5000",
        "--agreement",
    )
    assert data["params"]["blocs"] == {"west": ["USA", "GBR", "FRA"]}
    assert len(data["agreement"]["matrix"]) == 15
    data = as_json(
        "current",
        "--model",
        "spatial",
        "--noise",
        "0",
        "--param",
        "status_quo=40",
        "--draws",
        "2000",
    )
    assert data["adopted"]["estimate"] == 1.0
    csv = run("current", "--draws", "2000", "--format", "csv")
    assert csv.exit_code == 0
    lines = csv.stdout.splitlines()
    assert lines[0] == "measure,member,class,estimate,ci_low,ci_high,fraction"
    assert lines[1].startswith("adopted,,,")
    text = run("current", "--draws", "2000", "--quiet")
    assert text.exit_code == 0 and "decisiveness" in text.stdout and "±" in text.stdout
    assert text.stderr == ""


def test_ideal_points_option(shared_data: Path) -> None:
    path = str(shared_data / "unga_idealpoints_1946_2024.csv")
    data = as_json(
        "current", "--model", "spatial", "--ideal-points", path, "--year", "2020", "--draws", "5000"
    )
    assert data["params"]["year"] == 2020


@pytest.mark.parametrize(
    ("args", "text"),
    [
        (["--p", "2"], "--p: 2 is not a probability"),
        (["--p", "x"], "--p: 'x' is not a number"),
        (["--model", "nope"], "--model: unknown vote model 'nope'"),
        (["--model", "spatial", "--p", "0.5"], "--p: not a parameter of the spatial model"),
        (["--draws", "0"], "--draws: 0 is out of range"),
        (["--seed", "abc"], "--seed: 'abc' is not a whole number"),
        (["--model", "blocs", "--exact"], "no exact engine"),
        (["--model", "spatial", "--year", "2000"], "--year"),
        (["--param", "nokey"], "--param: 'nokey' is not KEY=VALUE"),
        (["--param", "zeta=1"], "--param zeta: not a parameter of the impartial model"),
    ],
)
def test_bad_options_exit_2_with_one_line(args: list[str], text: str) -> None:
    result = run("current", *args)
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("councilsim: error: ")
    assert text in lines[0]


def test_unknown_scenario() -> None:
    result = run("no-such-council")
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1
