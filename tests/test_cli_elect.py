"""``councilsim elect`` end to end through click's runner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from councilsim.cli import main
from councilsim.elections.candidates import CANDIDATE_MODELS, candidate_model
from councilsim.elections.report import elect
from councilsim.errors import ScenarioError
from councilsim.formatting import cell
from councilsim.scenario import load

FILE = "unsc_membership_by_year_1946_2027.csv"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["elect", *args])
    return result.exit_code, result.stdout, result.stderr


def test_table_shows_each_year_and_the_summary() -> None:
    code, out, _ = run("current", "--years", "4")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("current: 2026-2029, 1 replication")
    row_2026 = next(line for line in lines if line.startswith("2026 "))
    assert set(row_2026.split()[1:]) == {
        "COD", "LBR", "SOM", "BHR", "PAK", "LVA", "COL", "PAN", "DNK", "GRC"
    }  # fmt: skip
    assert "seat-years by group" in out and "P(serve)" in out


def test_json_years_and_summary() -> None:
    code, out, _ = run("current", "--years", "6", "--seed", "3", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert [y["year"] for y in data["years"]] == list(range(2026, 2032))
    for year in data["years"]:
        assert len(year["members"]) == 15
        assert set(year["members"][0]) == {"holder", "class", "seat_kind", "region"}
        kinds = [m["seat_kind"] for m in year["members"]]
        assert kinds.count("permanent") == 5 and kinds.count("elected") == 10
    summary = data["summary"]
    assert summary["seat_years"]["USA"] == 6
    assert summary["group_seat_years"]["africa"] == 18
    assert sum(summary["group_seat_years"].values()) == 90
    assert data["replications"] == 1 and data["candidates"] == "record"


def test_same_seed_same_output() -> None:
    a = run("ufc-2005", "--years", "8", "--seed", "5", "--format", "json")
    b = run("ufc-2005", "--years", "8", "--seed", "5", "--format", "json")
    c = run("ufc-2005", "--years", "8", "--seed", "6", "--format", "json")
    assert a == b and a[1] != c[1]


def test_replications_states_and_window() -> None:
    code, out, _ = run(
        "current", "--years", "20", "--replications", "200", "--state", "IND,BRA",
        "--state", "jpn", "--window", "10", "--format", "json",
    )  # fmt: skip
    assert code == 0
    data = json.loads(out)
    states = {s["state"]: s for s in data["summary"]["states"]}
    assert set(states) == {"IND", "BRA", "JPN"}
    for s in states.values():
        assert 0 < s["serve_probability"] < 1
        assert s["mean_first_wait"] is not None
    assert data["summary"]["window"] == 10


def test_csv_is_the_composition() -> None:
    code, out, _ = run("hlp-model-b", "--years", "3", "--format", "csv")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "year,class,seat_kind,region,holder"
    assert len(lines) == 1 + 3 * 24
    assert any(",long-term,long-term," in line for line in lines)


def test_balloting_reports_ballots() -> None:
    code, out, _ = run("current", "--years", "5", "--balloting", "--format", "json")
    assert code == 0
    assert json.loads(out)["summary"]["ballots_per_election"] >= 1


def test_weights_file(tmp_path: Path) -> None:
    path = tmp_path / "pop.csv"
    path.write_text("iso3,weight\nIND,1400\nJPN,125\nNGA,220\n", encoding="utf-8")
    code, out, _ = run("current", "--years", "12", "--candidates", str(path), "--format", "json")
    assert code == 0 and json.loads(out)["candidates"] == "pop.csv"


def test_history_and_start_year_from_the_file(shared_data: Path) -> None:
    path = shared_data / FILE
    if not path.is_file():
        pytest.skip(f"{FILE} is not in the shared data folder")
    code, out, _ = run(
        "current", "--years", "3", "--start-year", "2025", "--membership", str(path),
        "--candidates", "history", "--replications", "50", "--format", "json",
    )  # fmt: skip
    assert code == 0
    data = json.loads(out)
    assert data["start_year"] == 2025 and data["start"]["source"] == "membership"
    held_2026 = {m["holder"] for m in data["years"][1]["members"]}
    assert {"DNK", "GRC", "PAK", "PAN", "SOM"} <= held_2026


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["nowhere"], "no shipped scenario"),
        (["current", "--state", "XYZ"], "--state: 'XYZ' is not a UN member state"),
        (["current", "--state", "SUN"], "a former state"),
        (["current", "--candidates", "history"], "needs a membership file"),
        (["current", "--candidates", "missing.csv"], "missing.csv: no such file"),
        (["current", "--start-year", "2030"], "elections.start.year"),
        (["current", "--membership", "missing.csv"], "missing.csv: no such file"),
    ],
)
def test_errors_are_one_line_exit_2(args: list[str], needle: str) -> None:
    code, out, err = run(*args)
    assert code == 2
    assert needle in err and len(err.strip().splitlines()) == 1
    assert "Traceback" not in err and out == ""


def test_bad_option_values_exit_2() -> None:
    code, _, err = run("current", "--years", "0")
    assert code == 2 and "--years" in err


def test_counts_may_be_written_with_a_power_of_ten() -> None:
    a = run("current", "--years", "3e0", "--replications", "2E1", "--format", "json")
    assert a[0] == 0 and a == run(
        "current", "--years", "3", "--replications", "20", "--format", "json"
    )
    for bad, needle in (("2.5", "'2.5' is not a whole number"), ("9" * 80, "80 digits")):
        code, out, err = run("current", "--years", bad)
        assert code == 2 and out == "" and len(err.strip().splitlines()) == 1
        assert "Invalid value for '--years'" in err and needle in err


def test_too_large_a_run_is_refused() -> None:
    code, _, err = run("current", "--years", "10000", "--replications", "10000")
    assert code == 2 and "too large" in err


# --- the library behind the command ----------------------------------------------------------


def test_the_command_prints_the_library_report() -> None:
    code, out, _ = run(
        "ufc-2005", "--years", "6", "--seed", "2", "--replications", "3", "--format", "json"
    )
    assert code == 0
    assert json.loads(out) == json.loads(
        json.dumps(elect(load("ufc-2005"), 6, seed=2, replications=3))
    )


def test_group_shares_add_up_and_show_in_the_table() -> None:
    data = elect(load("current"), 5, seed=1)
    summary = data["summary"]
    total = sum(summary["group_seat_years"].values())
    assert summary["group_share"]["africa"] == summary["group_seat_years"]["africa"] / total
    assert sum(summary["group_share"].values()) == pytest.approx(1.0)
    _, out, _ = run("current", "--years", "5", "--seed", "1")
    africa = next(line for line in out.splitlines() if line.startswith("africa "))
    assert africa.split()[1:] == [
        cell(summary["group_seat_years"]["africa"]),
        cell(summary["group_share"]["africa"]),
    ]


def test_candidate_registry() -> None:
    assert set(CANDIDATE_MODELS) == {"record", "uniform", "history"}
    assert candidate_model("record").name == "record"
    assert candidate_model("uniform").name == "uniform"
    with pytest.raises(ScenarioError, match="needs a membership file"):
        candidate_model("history")
    with pytest.raises(ScenarioError, match="no such file"):
        candidate_model("missing.csv")


def test_open_seats_are_counted_and_tables_fit_100_columns() -> None:
    code, out, _ = run("g4-2005", "--years", "3")
    assert code == 0
    row = next(line for line in out.splitlines() if line.startswith("2026 "))
    assert "2 open" in row and " - " not in row
    assert max(len(line) for line in out.splitlines()) <= 100


def test_progress_counts_every_year() -> None:
    steps: list[int] = []
    elect(load("current"), 7, progress=steps.append)
    assert sum(steps) == 7


def test_formats_and_output(tmp_path: Path) -> None:
    code, out, _ = run("current", "--years", "3", "--format", "markdown")
    assert code == 0 and out.startswith("| year | elected |")
    target = tmp_path / "elect.json"
    code, out, err = run("current", "--years", "3", "-q", "--format", "json", "-o", str(target))
    assert code == 0 and out == "" and err == ""
    assert json.loads(target.read_text(encoding="utf-8"))["years_run"] == 3


def test_help_explains_the_summary_columns() -> None:
    result = CliRunner().invoke(main, ["elect", "--help"])
    words = " ".join(result.stdout.split())
    for column in ("seat-years:", "P(serve):", "mean gap:", "wait to next term:", "--quiet"):
        assert column in words


def test_default_seed_gives_the_councils_of_simulate_years() -> None:
    _, out, _ = run("current", "--years", "4", "--format", "json")
    elected = [[m["holder"] for m in y["members"]] for y in json.loads(out)["years"]]
    sim = CliRunner().invoke(
        main, ["simulate", "current", "--years", "4", "--exact", "--format", "json"]
    )
    assert elected == [y["members"] for y in json.loads(sim.stdout)["years"]]
    _, other, _ = run("current", "--years", "4", "--seed", "0", "--format", "json")
    assert [[m["holder"] for m in y["members"]] for y in json.loads(other)["years"]] != elected
