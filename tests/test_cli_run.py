"""``councilsim run`` and ``councilsim simulate --years`` through click's test runner."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from councilsim.cli import main
from councilsim.formatting import plain
from councilsim.scenario import load, shipped_ids


def invoke(*args: str) -> Any:
    return CliRunner().invoke(main, list(args))


def as_json(*args: str) -> Any:
    result = invoke(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_run_current_reports_composition_power_and_outcomes() -> None:
    data = as_json("run", "current", "--draws", "200000")
    assert data["scenario"] == "current"
    assert [c["class"] for c in data["composition"]["classes"]] == ["permanent", "elected"]
    power = data["power"]
    assert power["coleman_act_fraction"] == "53/2048"
    assert power["winning_coalitions"] == 848
    by_class = {c["class"]: c for c in power["classes"]}
    # Shapley-Shubik values of today's Council (unsc.md section 4)
    assert by_class["permanent"]["shapley_shubik"]["seat_fraction"] == "421/2145"
    assert by_class["elected"]["shapley_shubik"]["seat_fraction"] == "4/2145"
    assert by_class["elected"]["shapley_shubik"]["total"] == pytest.approx(40 / 2145)
    # the shipped [simulation] table: impartial at 1/2, seed 1; --draws overrides its draws
    sim = data["simulation"]
    assert (sim["model"], sim["draws"], sim["seed"]) == ("impartial", 200000, 1)
    assert data["exact"]["adopted"]["fraction"] == "53/2048"
    exact = Fraction(53, 2048)
    assert sim["adopted"]["ci_low"] < exact < sim["adopted"]["ci_high"]


def test_run_agrees_with_power_and_simulate() -> None:
    run = as_json("run", "g4-2005", "--draws", "50000", "--seed", "7")
    power = as_json("power", "g4-2005", "--by", "class", "--index", "banzhaf")
    ours = {c["class"]: c["banzhaf"]["seat"] for c in run["power"]["classes"]}
    theirs = {c["class"]: c["banzhaf"]["seat"] for c in power[0]["classes"]}
    assert ours == pytest.approx(theirs, rel=1e-12)
    sim = as_json("simulate", "g4-2005", "--draws", "50000", "--seed", "7")
    for key in ("adopted", "vetoed", "failed", "mean_yes"):
        assert run["simulation"][key] == sim[key]


def test_run_prints_what_the_library_returns() -> None:
    from councilsim.overview import overview

    data = as_json("run", "g4-2005", "--draws", "30000", "--seed", "9")
    report = overview(load("g4-2005"), draws=30000, seed=9)
    assert data == json.loads(json.dumps(plain(report.to_dict())))


def test_run_text_uses_shares_or_fractions() -> None:
    text = invoke("run", "current", "--draws", "20000").stdout
    assert "%" not in text.replace("95% interval", "") and "e-0" not in text
    assert "0.1963 (0.9814)" in text and "Coleman's power to act 0.02588" in text
    assert max(len(line) for line in text.splitlines()) <= 100
    exact = invoke("run", "current", "--draws", "20000", "--exact").stdout
    assert "421/2145 (421/429)" in exact and "Coleman's power to act 53/2048" in exact
    assert "9101/32768" in exact


def test_run_formats_and_output(tmp_path: Path) -> None:
    md = invoke("run", "g4-2005", "--draws", "10000", "--format", "markdown").stdout
    assert md.startswith("# G4 draft, 2005") and "## A-priori voting power" in md
    assert "| new-permanent | permanent | no | 6 | IND, JPN, BRA, DEU, 2 open |" in md
    result = invoke("run", "current", "--format", "csv")
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert "csv makes no sense here" in result.stderr
    target = tmp_path / "report.json"
    result = invoke("run", "current", "--draws", "10000", "--format", "json", "-o", str(target))
    assert result.exit_code == 0 and result.stdout == ""
    assert json.loads(target.read_text())["power"]["coleman_act_fraction"] == "53/2048"


def test_run_is_reproducible_and_seed_matters() -> None:
    a = as_json("run", "current", "--draws", "70000", "--seed", "3")
    b = as_json("run", "current", "--draws", "70000", "--seed", "3")
    c = as_json("run", "current", "--draws", "70000", "--seed", "4")
    assert a == b
    assert a["simulation"]["adopted"] != c["simulation"]["adopted"]


@pytest.mark.parametrize("ident", shipped_ids())
def test_every_shipped_scenario_runs_with_its_default(ident: str) -> None:
    scenario = load(ident)
    assert scenario.simulation is not None, f"{ident} has no [simulation] default"
    result = invoke("run", ident, "--draws", "20000")
    assert result.exit_code == 0, result.output
    assert scenario.name in result.stdout
    assert "Coleman's power to act" in result.stdout
    data = as_json("run", ident, "--draws", "20000")
    # impartial at p = 1/2: the exact adoption rate is Coleman's power to act
    assert data["exact"]["adopted"]["fraction"] == data["power"]["coleman_act_fraction"]


def test_run_without_independent_votes_has_no_exact_column(tmp_path: Path) -> None:
    path = tmp_path / "blocs.toml"
    path.write_text(
        'id = "blocs"\nname = "Blocs"\nextends = "current"\n'
        '[simulation]\nmodel = "blocs"\ndraws = 20000\nseed = 2\n',
        encoding="utf-8",
    )
    data = as_json("run", str(path))
    assert data["exact"] is None
    assert data["simulation"]["model"] == "blocs"
    text = invoke("run", str(path)).stdout
    assert "exact" not in text.split("Simulated outcomes")[1].splitlines()[2]


def test_run_errors_are_one_line() -> None:
    result = invoke("run", "no-such-scenario")
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    result = invoke("run", "current", "--draws", "0")
    assert result.exit_code == 2
    assert "--draws" in result.stderr and "Traceback" not in result.output


# ---------------------------------------------------------------- simulate --years


def test_years_run_elections_and_each_year_votes() -> None:
    data = as_json("simulate", "current", "--years", "4", "--draws", "10000", "--seed", "5")
    years = data["years"]
    assert [y["year"] for y in years] == [2026, 2027, 2028, 2029]
    elect = as_json("elect", "current", "--years", "4", "--seed", "5")
    for y, e in zip(years, elect["years"], strict=True):
        seated = sorted(m["holder"] for m in e["members"])
        assert sorted(y["members"]) == seated
    assert years[0]["members"] != years[2]["members"]
    overall = data["overall"]["adopted"]
    mean = sum(y["adopted"]["estimate"] for y in years) / 4
    assert overall["estimate"] == pytest.approx(mean, abs=1e-12)
    assert (
        overall["ci_high"] - overall["ci_low"]
        < years[0]["adopted"]["ci_high"] - (years[0]["adopted"]["ci_low"])
    )


def test_years_exact_impartial_is_the_same_every_year() -> None:
    data = as_json("simulate", "current", "--years", "3", "--exact")
    assert data["engine"] == "exact"
    fractions = {y["adopted"]["fraction"] for y in data["years"]}
    assert fractions == {"53/2048"}
    assert data["overall"]["adopted"]["fraction"] == "53/2048"


def test_years_from_the_scenario_table_and_formats(tmp_path: Path) -> None:
    path = tmp_path / "years.toml"
    path.write_text(
        'id = "years"\nname = "Over years"\nextends = "current"\n'
        "[simulation]\ndraws = 5000\nseed = 1\nyears = 3\n",
        encoding="utf-8",
    )
    data = as_json("simulate", str(path))
    assert len(data["years"]) == 3
    run = as_json("run", str(path))
    assert run["simulation"]["years"] == data["years"]
    text = invoke("simulate", str(path)).stdout
    assert "all years" in text
    csv = invoke("simulate", str(path), "--format", "csv").stdout.splitlines()
    assert csv[0] == "year,measure,estimate,ci_low,ci_high,fraction"
    assert len(csv) == 1 + 4 * 4
    zero = as_json("simulate", str(path), "--years", "0")
    assert "years" not in zero and zero["draws"] == 5000


def test_years_with_ideal_points_follow_the_seated_states(shared_data: Path) -> None:
    points = shared_data / "unga_idealpoints_1946_2024.csv"
    if not points.exists():
        pytest.skip("ideal points not available")
    args = ["--model", "spatial", "--ideal-points", str(points), "--year", "2020"]
    data = as_json("simulate", "current", "--years", "6", "--draws", "20000", *args)
    rates = [y["adopted"]["estimate"] for y in data["years"]]
    assert len(set(rates)) > 1  # the states who sit change what passes


@pytest.mark.parametrize(
    ("args", "text"),
    [
        (["--years", "2000"], "--years"),
        (["--years", "2", "--agreement"], "--agreement"),
        (["--years", "2", "--candidates", "history"], "--membership"),
    ],
)
def test_years_bad_options(args: list[str], text: str) -> None:
    result = invoke("simulate", "current", *args)
    assert result.exit_code == 2, result.output
    assert text in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_run_warns_when_the_blocs_model_has_no_blocs(tmp_path: Path) -> None:
    path = tmp_path / "blocs.toml"
    path.write_text('extends = "current"\n[simulation]\nmodel = "blocs"\ndraws = 2000\n')
    result = invoke("run", str(path), "--format", "json")
    assert result.exit_code == 0
    warnings = [line for line in result.stderr.splitlines() if "warning" in line]
    assert len(warnings) == 1 and "no blocs" in warnings[0]
    assert json.loads(result.stdout)["simulation"]["model"] == "blocs"


def test_run_on_a_council_too_large_for_the_exact_engine_gives_monte_carlo(
    tmp_path: Path,
) -> None:
    path = tmp_path / "heavy.toml"
    path.write_text(
        'id = "heavy"\nname = "Heavy"\ndescription = "x"\nsources = ["x"]\n'
        "[rule]\nquota = 60000\nprocedural_quota = 60000\n"
        '[seats.permanent]\nkind = "permanent"\nveto = true\ncount = 10\nweight = 1000\n'
        '[seats.elected]\nkind = "elected"\nterm = 2\ncount = 100\nweight = 1000\n',
        encoding="utf-8",
    )
    result = invoke("run", str(path), "--draws", "2000", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["exact"] is None and "too large" in data["exact_note"]
    assert data["simulation"]["draws"] == 2000
    text = invoke("run", str(path), "--draws", "2000").stdout
    assert "no exact probabilities" in text
