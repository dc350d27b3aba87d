"""The command line, driven end to end through click's runner."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from councilsim import __version__
from councilsim.cli import main
from councilsim.scenario import shipped_ids


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_version() -> None:
    code, out, _ = run("--version")
    assert code == 0 and __version__ in out


def test_list_json_has_every_scenario() -> None:
    code, out, _ = run("list", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert [r["id"] for r in rows] == shipped_ids()
    current = next(r for r in rows if r["id"] == "current")
    assert current == {
        "id": "current",
        "name": current["name"],
        "seats": 15,
        "veto_holders": 5,
        "quota": 9,
    }


def test_list_table() -> None:
    code, out, _ = run("list")
    assert code == 0 and "african-union-2005" in out and "quota" in out


def test_show_json() -> None:
    code, out, _ = run("show", "g4-2005", "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert doc["id"] == "g4-2005" and doc["seats"] == 25 and doc["quota"] == 14
    assert len(doc["members"]) == 25
    assert set(doc["members"][0]) >= {"holder", "kind", "veto", "region", "weight"}
    india = next(m for m in doc["members"] if m["holder"] == "IND")
    assert india == {
        **india,
        "kind": "permanent",
        "veto": False,
        "region": "asia-pacific",
        "weight": 1,
    }
    assert sum(m["veto"] for m in doc["members"]) == 5


def test_show_table_explains_the_rule() -> None:
    code, out, _ = run("show", "double-veto")
    assert code == 0
    assert "2 of the 5 veto holders together vote no" in " ".join(out.split())
    assert "Sources:" in out


@pytest.mark.parametrize("args", [["list"], ["show", "g4-2005"], ["show", "seed-2024"]])
def test_tables_fit_100_columns(args: list[str]) -> None:
    code, out, _ = run(*args)
    assert code == 0
    assert max(len(line) for line in out.splitlines()) <= 100


def test_show_counts_open_seats() -> None:
    code, out, _ = run("show", "g4-2005")
    assert code == 0
    assert "IND, JPN, BRA, DEU, 2 open" in out and "14 open" in out and "elected-1" not in out
    doc = json.loads(run("show", "g4-2005", "--format", "json")[1])
    assert [k["open"] for k in doc["classes"]] == [0, 2, 14]


@pytest.mark.parametrize("command", [["list"], ["show", "current"], ["states"]])
def test_csv_and_markdown(command: list[str]) -> None:
    code, out, _ = run(*command, "--format", "csv")
    assert code == 0
    rows = list(csv.reader(io.StringIO(out)))
    assert len({len(r) for r in rows}) == 1 and len(rows) > 5
    code, out, _ = run(*command, "--format", "markdown")
    assert code == 0
    assert "\n| --- |" in out or "\n| --- | ---: |" in out or "| ---: |" in out
    assert all(line.endswith("|") for line in out.splitlines() if line.startswith("|"))


def test_show_a_file(tmp_path: Path) -> None:
    f = tmp_path / "mine.toml"
    f.write_text('[rule]\nquota = 2\n[seats.a]\nkind = "elected"\ncount = 3\nregion = "weog"\n')
    code, out, _ = run("show", str(f))
    assert code == 0 and "mine" in out


def test_validate_checks_the_values_of_the_expected_block(tmp_path: Path) -> None:
    text = (Path(__file__).parents[1] / "scenarios" / "current.toml").read_text()
    wrong = tmp_path / "wrong.toml"
    wrong.write_text(text.replace('coleman_act = "848/32768"', 'coleman_act = "1/2"'))
    code, out, err = run("validate", str(wrong))
    assert code == 1 and not err
    assert out == (
        f"{wrong}: mismatch: expected.coleman_act: the file expects 1/2, councilsim gives 53/2048\n"
    )
    code, out, _ = run("validate", str(wrong), "--format", "json")
    (report,) = json.loads(out)
    assert report["status"] == "mismatch" and report["mismatches"] == [
        {"key": "expected.coleman_act", "expected": "1/2", "actual": "53/2048"}
    ]
    code, out, _ = run("validate", "current", "--format", "csv")
    assert code == 0 and out.splitlines() == ["file,status,key,expected,actual", "current,ok,,,"]


def test_validate_reports_each_file(tmp_path: Path) -> None:
    good = Path(__file__).parents[1] / "scenarios" / "current.toml"
    bad = tmp_path / "bad.toml"
    bad.write_text('[rule]\nquota = 99\n[seats.a]\nkind = "elected"\ncount = 3\n')
    code, out, err = run("validate", str(good), str(bad))
    assert code == 2
    assert "current.toml: ok" in out
    assert err.count("\n") == 1 and "bad.toml:2: rule.quota" in err


@pytest.mark.parametrize(
    ("args", "outcome"),
    [
        (["--no", "USA", "--rest", "yes"], "vetoed"),
        (["--abstain", "RUS", "--rest", "yes"], "adopted"),
        (["--yes", "CHN,FRA,RUS,GBR,USA,COD,LBR,SOM"], "failed"),
        (["--no", "RUS", "--rest", "yes", "--procedural"], "adopted"),
        (["--no", "GBR", "--rest", "yes", "--party", "GBR"], "adopted"),
    ],
)
def test_vote(args: list[str], outcome: str) -> None:
    code, out, _ = run("vote", "current", *args, "--format", "json")
    assert code == 0, out
    assert json.loads(out)["outcome"] == outcome


@pytest.mark.parametrize(
    ("scenario", "args", "vetoed_by"),
    [
        ("current", ["--no", "USA,RUS", "--rest", "yes"], ["RUS", "USA"]),
        ("current", ["--no", "USA", "--yes", "FRA"], []),  # short of the quota: no veto
        ("double-veto", ["--no", "USA", "--rest", "yes"], []),  # one no of two needed
        ("double-veto", ["--no", "USA,CHN,RUS", "--rest", "yes"], ["CHN", "RUS", "USA"]),
        ("current", ["--no", "GBR,USA", "--rest", "yes", "--party", "GBR"], ["USA"]),
        ("current", ["--no", "RUS", "--rest", "yes", "--procedural"], []),
    ],
)
def test_vetoed_by_names_only_the_members_who_blocked(
    scenario: str, args: list[str], vetoed_by: list[str]
) -> None:
    code, out, _ = run("vote", scenario, *args, "--format", "json")
    assert code == 0
    assert json.loads(out)["vetoed_by"] == vetoed_by


def test_literal_reading_names_the_abstaining_veto_holder(tmp_path: Path) -> None:
    f = tmp_path / "literal.toml"
    f.write_text('extends = "current"\n[rule]\nabstention = "literal"\n')
    code, out, _ = run("vote", str(f), "--abstain", "CHN", "--rest", "yes", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["outcome"] == "vetoed" and data["vetoed_by"] == ["CHN"]


def test_party_with_procedural_is_refused() -> None:
    code, out, err = run("vote", "current", "--no", "GBR", "--party", "GBR", "--procedural")
    assert code == 2 and not out
    assert err.count("\n") == 1 and "--party" in err and "Art. 27(2)" in err


def test_vote_csv_and_no_markdown() -> None:
    code, out, _ = run("vote", "current", "--no", "USA", "--rest", "yes", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 15
    usa = next(r for r in rows if r["member"] == "USA")
    assert usa == {
        "member": "USA",
        "vote": "no",
        "party": "False",
        "veto": "True",
        "blocked": "True",
    }
    result = CliRunner().invoke(main, ["vote", "current", "--format", "markdown"])
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert "markdown makes no sense here" in result.stderr and "not one table" in result.stderr


def test_output_file_is_written_whole(tmp_path: Path) -> None:
    target = tmp_path / "list.json"
    code, out, _ = run("list", "--format", "json", "-o", str(target))
    assert code == 0 and out == ""
    assert [r["id"] for r in json.loads(target.read_text(encoding="utf-8"))] == shipped_ids()
    target.write_text("before")
    code, _, err = run("show", "nope", "--output", str(target))
    assert code == 2 and target.read_text() == "before"
    code, _, err = run("list", "-o", str(tmp_path / "no" / "such" / "file.txt"))
    assert code == 2 and err.count("\n") == 1 and "does not exist" in err


def test_vote_explains() -> None:
    code, out, _ = run("vote", "current", "--no", "USA", "--rest", "yes")
    assert code == 0
    assert out.startswith("vetoed: 14 yes votes reach the quota of 9") and "USA" in out


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["show", "nope"], "no shipped scenario or file named 'nope'"),
        (["show", "missing.toml"], "missing.toml: no such file"),
        (["vote", "current", "--yes", "XYZ"], "'XYZ' holds no seat in current"),
        (["vote", "current", "--yes", "USA", "--no", "USA"], "USA is named both"),
    ],
)
def test_errors_are_one_line_exit_2(args: list[str], needle: str) -> None:
    code, out, err = run(*args)
    assert code == 2
    assert needle in err
    assert err.count("\n") == 1 and "Traceback" not in err + out


def test_bad_toml_file_is_one_line(tmp_path: Path) -> None:
    f = tmp_path / "broken.toml"
    f.write_text("[rule\nquota = 9\n")
    code, _, err = run("show", str(f))
    assert code == 2 and "broken.toml:1: invalid TOML" in err and err.count("\n") == 1


def test_states() -> None:
    code, out, _ = run("states", "--group", "weog", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert len(rows) == 29 and {"iso3": "USA", "name": "United States", "group": "weog"} in rows


@pytest.mark.parametrize(
    ("args", "text"),
    [
        (["power", "current", "--index", "nope"], "'--index'"),
        (["elect", "current", "--years", "0"], "'--years'"),
        (["no-such-command"], "No such command"),
        (["run"], "Missing argument 'SCENARIO'"),
        (["show", "current", "--bogus"], "--bogus"),
    ],
)
def test_usage_errors_are_one_line(args: list[str], text: str) -> None:
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("councilsim: error: ") and text in lines[0]
    assert "--help" in lines[0]


def test_no_arguments_prints_help() -> None:
    result = CliRunner().invoke(main, [])
    assert result.exit_code == 0
    assert "Commands:" in result.stdout


def test_output_files_are_written_whole_with_plain_permissions(tmp_path: Path) -> None:
    import os

    from councilsim.files import write_atomic

    target = tmp_path / "out.txt"
    write_atomic(target, "first\n")
    mask = os.umask(0)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask
    with pytest.raises(TypeError):  # fails while writing: the old file stays, no temporary
        write_atomic(target, 3)  # type: ignore[arg-type]
    assert target.read_text(encoding="utf-8") == "first\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]
