"""``councilsim simulate`` through click's test runner."""

from __future__ import annotations

import json
import re
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from councilsim.cli import main
from councilsim.formatting import cell
from councilsim.models import ImpartialModel
from councilsim.scenario import load
from councilsim.simulation import exact_outcomes, make_plan, simulate
from councilsim.simulation.tallies import TalliesPlan
from councilsim.simulation.years import DRAFT_FIGURES, drafts_over_years, pooled_figures

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


def test_counts_may_be_written_with_a_power_of_ten() -> None:
    assert as_json("current", "--draws", "5e3", "--seed", "1e0") == as_json(
        "current", "--draws", "5000", "--seed", "1"
    )


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
        (["--draws", "2.5"], "--draws: '2.5' is not a whole number"),
        (["--draws", "1e13"], "--draws: 10000000000000 is out of range"),
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


# --- one number style, every format, output files -------------------------------------------


def widest(text: str) -> int:
    return max(len(line) for line in text.splitlines())


def test_exact_values_print_as_fractions() -> None:
    result = run("current", "--exact")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert any(re.fullmatch(r"adopted\s+53/2048", line) for line in lines)
    assert any(re.fullmatch(r"mean yes\s+15/2", line) for line in lines)
    assert "e-0" not in result.stdout and "0.0258" not in result.stdout


def test_monte_carlo_table_has_no_scientific_notation_and_fits_100_columns() -> None:
    result = run("g4-2005", "--draws", "20000", "--seed", "4")
    assert result.exit_code == 0, result.output
    assert widest(result.stdout) <= 100
    assert not re.search(r"\de-\d", result.stdout)
    data = as_json("g4-2005", "--draws", "20000", "--seed", "4")
    half = (data["adopted"]["ci_high"] - data["adopted"]["ci_low"]) / 2
    assert f"{cell(data['adopted']['estimate'])} ±{cell(half, 2)}" in result.stdout


def test_markdown_and_output_file(tmp_path: Path) -> None:
    target = tmp_path / "sim.md"
    result = run("current", "--exact", "--format", "markdown", "-o", str(target))
    assert result.exit_code == 0 and result.stdout == ""
    text = target.read_text(encoding="utf-8")
    assert "| adopted | 53/2048 |" in text and "| CHN | permanent | 1/2 |" in text
    assert [p.name for p in tmp_path.iterdir()] == ["sim.md"]


def test_output_into_a_missing_folder_is_refused_before_work(tmp_path: Path) -> None:
    result = run("current", "-o", str(tmp_path / "no" / "x.json"), "--format", "json")
    assert result.exit_code == 2
    assert result.stderr.startswith("councilsim: error: ") and result.stderr.count("\n") == 1
    assert "'--output'" in result.stderr and "does not exist" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_years_come_from_the_library() -> None:
    data = as_json("current", "--years", "3", "--exact", "--seed", "7")
    direct = drafts_over_years(load("current"), ImpartialModel(), years=3, seed=7, exact=True)
    direct = direct.to_dict()
    assert data == json.loads(json.dumps(direct))
    assert data["overall"]["adopted"]["fraction"] == "53/2048"
    text = run("current", "--years", "3", "--exact").stdout
    assert re.search(r"all years\s+53/2048", text)
    md = run("current", "--years", "2", "--exact", "--format", "markdown").stdout
    assert md.splitlines()[0] == "| year | adopted | vetoed | failed |"


def test_pooled_figures_known_answers() -> None:
    council = load("current").council
    exact = exact_outcomes(council, ImpartialModel())
    pooled = pooled_figures([exact, exact], exact=True)
    assert set(pooled) == set(DRAFT_FIGURES)
    assert pooled["adopted"].exact == Fraction(53, 2048)
    assert pooled["mean_yes"].exact == Fraction(15, 2)
    a = simulate(council, ImpartialModel(), draws=4000, seed=1)
    b = simulate(council, ImpartialModel(), draws=4000, seed=2)
    mc = pooled_figures([a, b])
    hits = round(a.adopted.estimate * 4000) + round(b.adopted.estimate * 4000)
    assert mc["adopted"].estimate == hits / 8000
    assert mc["adopted"].ci_low is not None and mc["adopted"].ci_low < mc["adopted"].estimate
    half_a = (a.mean_yes.ci_high or 0) - a.mean_yes.estimate
    assert mc["mean_yes"].estimate == pytest.approx((a.mean_yes.estimate + b.mean_yes.estimate) / 2)
    assert mc["mean_yes"].ci_high is not None
    assert mc["mean_yes"].ci_high - mc["mean_yes"].estimate < half_a


def test_blocs_without_blocs_warns_once() -> None:
    result = run("current", "--model", "blocs", "--draws", "2000", "--format", "json")
    assert result.exit_code == 0
    warnings = result.stderr.strip().splitlines()
    assert len(warnings) == 1 and warnings[0].startswith("councilsim: warning: the blocs model")
    assert json.loads(result.stdout)["model"] == "blocs"
    quiet = run("current", "--model", "blocs", "--common", "0.5", "--draws", "2000")
    assert quiet.exit_code == 0 and quiet.stderr == ""
    blocs = run("current", "--model", "blocs", "--param", 'blocs={west=["USA"]}', "--draws", "2000")
    assert blocs.exit_code == 0 and blocs.stderr == ""


def test_a_council_of_many_weights_is_simulated_by_state(tmp_path: Path) -> None:
    """Thirty-five elected seats of different weights: more codes than a histogram holds, so
    the drafts are summed by tally state; the figures cover the exact ones, with one worker
    or two alike."""
    lines = ['id = "many"', 'name = "Many weights"', "[rule]", "quota = 200"]
    lines += ["procedural_quota = 200", "[seats.permanent]", 'kind = "permanent"']
    lines += ["veto = true", 'holders = ["CHN", "FRA", "RUS", "GBR", "USA"]']
    for j in range(1, 36):
        lines += [f"[seats.e{j}]", 'kind = "elected"', "count = 1", f"weight = {j}"]
    path = tmp_path / "many.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    council = load(str(path)).council
    assert isinstance(make_plan(council, ImpartialModel()), TalliesPlan)
    exact = exact_outcomes(council, ImpartialModel())
    outputs = []
    for workers in ("1", "2"):
        result = run(
            str(path), "--draws", "300000", "--seed", "3", "--workers", workers, "--format", "json"
        )
        assert result.exit_code == 0, result.output
        outputs.append(json.loads(result.output))
    assert outputs[0] == outputs[1]
    for name in ("adopted", "vetoed", "failed"):
        got = outputs[0][name]
        assert got["ci_low"] <= getattr(exact, name).estimate <= got["ci_high"], name
