"""``councilsim power`` through click's test runner."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from councilsim.cli.power import power_command
from councilsim.games import parse_game
from councilsim.power import INDICES, work_estimate


def run(*args: str) -> Result:
    return CliRunner().invoke(power_command, list(args))


def run_json(*args: str) -> Any:
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_json_by_member_for_a_scenario_and_a_game() -> None:
    out = run_json("current", "--game", "[39; 7*5, 1*10]", "--exact")
    assert [o["id"] for o in out] == ["current", "game-1"]
    for obj in out:
        assert obj["quota"] in (9, 39)
        assert obj["coleman_act"] == "53/2048"
        assert obj["winning_coalitions"] == 848
        assert obj["minimal_winning_coalitions"] == 210
        first, last = obj["members"][0], obj["members"][-1]
        assert first["swings"] == 848 and last["swings"] == 84
        assert first["shapley_shubik"] == "421/2145" and last["shapley_shubik"] == "4/2145"
        assert set(INDICES) <= set(first)
    assert out[0]["members"][0]["member"] == "CHN" and out[0]["members"][0]["veto"] is True
    assert out[1]["members"][0]["member"] == "P1" and out[1]["members"][0]["class"] == "w7"


def test_games_are_numbered() -> None:
    out = run_json("--game", "2; 1, 1", "--game", "[3; 2, 1, 1]", "--index", "banzhaf")
    assert [(o["id"], o["name"]) for o in out] == [
        ("game-1", "[2; 1*2]"),
        ("game-2", "[3; 2, 1*2]"),
    ]


def test_json_floats_by_default() -> None:
    (obj,) = run_json("pre-1965", "--index", "shapley_shubik", "--index", "banzhaf")
    first = obj["members"][0]
    assert abs(first["shapley_shubik"] - 76 / 385) < 1e-12
    assert abs(first["banzhaf"] - 57 / 315) < 1e-12
    assert "johnston" not in first


def test_json_by_class() -> None:
    (obj,) = run_json("current", "--by", "class", "--exact")
    assert "members" not in obj
    perm, elected = obj["classes"]
    assert (perm["class"], perm["seats"], perm["veto"]) == ("permanent", 5, True)
    assert perm["shapley_shubik"] == {"seat": "421/2145", "total": "421/429"}
    assert elected["swings"] == {"seat": 84, "total": 840}
    assert elected["banzhaf"]["total"] == "21/127"


def test_table_output() -> None:
    result = run("current", "--index", "shapley_shubik")
    assert result.exit_code == 0
    assert "current: Security Council today" in result.output
    assert "winning coalitions 848" in result.output
    # shares with four significant digits, never in scientific notation
    assert "0.1963" in result.output and "0.001865" in result.output
    assert "e-0" not in result.output


def test_exact_table_and_markdown() -> None:
    result = run("current", "--by", "class", "--exact", "--index", "shapley_shubik")
    assert result.exit_code == 0
    assert "421/2145 (421/429)" in result.output and "4/2145 (8/429)" in result.output
    assert "Coleman power to act 53/2048" in result.output
    md = run("current", "--format", "markdown", "--index", "banzhaf").output
    assert "## current: Security Council today" in md
    assert (
        "| member | class | veto | swings | banzhaf |" in md and "| CHN | permanent | yes |" in md
    )


def test_wide_tables_fit_100_columns() -> None:
    for args in (["current"], ["g4-2005", "--by", "class"], ["current", "--exact"]):
        result = run(*args)
        assert result.exit_code == 0
        assert max(len(line) for line in result.output.splitlines()) <= 100
    # every index is still shown, in blocks that repeat the member column
    out = run("current").output
    assert all(name in out for name in INDICES) and out.count("member  class") == 2


def test_output_file(tmp_path: Path) -> None:
    target = tmp_path / "power.csv"
    result = run("current", "--format", "csv", "-o", str(target), "--index", "banzhaf")
    assert result.exit_code == 0 and result.output == ""
    assert target.read_text().splitlines()[0] == "id,member,class,veto,swings,banzhaf"


def test_csv_output() -> None:
    result = run("--game", "7; 1v*5, 1*6", "--format", "csv", "--index", "banzhaf", "--exact")
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert len(rows) == 11
    assert rows[0] == {
        "id": "game-1",
        "member": "P1",
        "class": "w1v",
        "veto": "True",
        "swings": "57",
        "banzhaf": "19/105",
    }
    by_class = run("current", "--format", "csv", "--by", "class", "--index", "banzhaf")
    header = by_class.output.splitlines()[0]
    assert header == "id,class,seats,veto,swings,banzhaf,banzhaf_total"


VETOED_40 = "[411; 1v, 2v, " + ", ".join(str(w) for w in range(3, 41)) + "]"
"""Forty members of distinct weights, two of them veto holders: too many count vectors for
class enumeration, and Johnston's generating function has no vetoes."""


def test_large_game_skips_johnston_with_a_note() -> None:
    result = run("--game", VETOED_40, "--format", "json")
    assert result.exit_code == 0
    assert "johnston not counted" in result.stderr
    member = json.loads(result.stdout)[0]["members"][0]
    assert "johnston" not in member and "deegan_packel" in member


def test_errors_are_one_line_with_exit_status_2() -> None:
    for args in (["--game", "[39; 7*5 1*x]"], ["--game", "[99; 1, 2]"], ["no-such-scenario"]):
        result = run(*args)
        assert result.exit_code == 2
        assert result.stderr.startswith("councilsim: error: ")
        assert len(result.stderr.strip().splitlines()) == 1
    big = run("--game", VETOED_40, "--index", "johnston")
    assert big.exit_code == 2 and "Johnston index" in big.stderr


def test_needs_something_to_compute() -> None:
    result = run()
    assert result.exit_code == 2
    assert "SCENARIO or --game" in result.output


RANDOM_70 = "[1789; " + ", ".join(str(7 + (37 * k) % 91) for k in range(70)) + "]"
"""Seventy members of many weights: counted by generating functions."""


def test_the_budget_options_refuse_leave_out_and_check_their_values() -> None:
    refused = run("--game", RANDOM_70, "--index", "deegan_packel", "--max-seconds", "1e-6")
    assert refused.exit_code == 2 and len(refused.stderr.strip().splitlines()) == 1
    assert "Deegan-Packel index" in refused.stderr and "--max-seconds " in refused.stderr
    estimate = work_estimate(parse_game(RANDOM_70), {"shapley", "minimal", "minimal_share"})
    largest = max(estimate, key=lambda index: estimate[index][1])  # the one a budget leaves out
    others = max(m for index, (_, m) in estimate.items() if index != largest)
    between = (others + estimate[largest][1]) / 2
    assert others < between < estimate[largest][1]
    left_out = run("--game", RANDOM_70, "--max-gb", f"{between / 1e9:.6f}", "--format", "json")
    assert left_out.exit_code == 0 and "--max-gb" in left_out.stderr
    kept = json.loads(left_out.stdout)[0]["members"][0]
    assert largest.lower().replace("-", "_") not in kept
    assert {"banzhaf", "public_good"} <= kept.keys()
    for option, value in (("--max-seconds", "nan"), ("--max-seconds", "0"), ("--max-gb", "-1")):
        bad = run("current", option, value)
        assert bad.exit_code == 2 and option in bad.stderr
