"""``councilsim amend`` through click's test runner."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from councilsim.amendment import analyse
from councilsim.cli import main


def run(*args: str) -> Any:
    return CliRunner().invoke(main, ["amend", *args])


def test_json_has_the_documented_keys() -> None:
    result = run("g4-2005", "ufc-2005", "--draws", "2000", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [d["scenario"] for d in data] == ["g4-2005", "ufc-2005"]
    for d in data:
        for part in ("apriori", "model"):
            assert set(d[part]) == {"ga", "ratification", "both"}
        for m in d["model"].values():
            assert {"estimate", "ci_low", "ci_high"} <= set(m)
        assert all({"state", "group", "effect"} <= set(p) for p in d["pivotal"])
        assert d["binding"] in {"ga", "ratification", "none"}
        assert len(d["permanent"]) == 5


def test_json_is_what_the_library_returns() -> None:
    result = run("g4-2024", "--draws", "1500", "--seed", "9", "--format", "json")
    expected = analyse("g4-2024", draws=1500, seed=9).to_dict()
    assert json.loads(result.output) == [json.loads(json.dumps(expected))]


def test_seeded_output_is_reproducible() -> None:
    a = run("african-union-2005", "--draws", "1000", "--seed", "3", "--format", "json").output
    b = run("african-union-2005", "--draws", "1000", "--seed", "3", "--format", "json").output
    assert a == b


def test_independent_model_is_exact() -> None:
    args = ["g4-2005", "--draws", "500", "--group-correlation", "0", "--region-correlation", "0"]
    d = json.loads(run(*args, "--format", "json").output)[0]
    assert d["model_exact"] is True
    assert d["model"]["ga"]["ci_low"] == d["model"]["ga"]["estimate"] == d["model"]["ga"]["ci_high"]


@pytest.mark.parametrize("fmt", ["table", "markdown", "csv"])
def test_other_formats(fmt: str) -> None:
    result = run("african-union-2005", "--draws", "1000", "--format", fmt)
    assert result.exit_code == 0, result.output
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(result.output)))
        assert [r["stage"] for r in rows] == ["ga", "ratification", "both"]
        assert rows[2]["binding"] == "ratification"
    else:
        assert "Stage that binds: ratification" in result.output
        assert "CHN" in result.output
        assert "Coleman prevent" in result.output  # the a-priori power, once


def test_output_file(tmp_path: Path) -> None:
    out = tmp_path / "a.json"
    result = run("g4-2005", "--draws", "500", "--format", "json", "-o", str(out))
    assert result.exit_code == 0 and result.output == ""
    assert json.loads(out.read_text())[0]["scenario"] == "g4-2005"


def test_bad_positions_file_is_one_line_and_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "pos.toml"
    bad.write_text('[[position]]\nstate = "XXX"\n', encoding="utf-8")
    out = tmp_path / "out.json"
    result = run("g4-2005", "--positions", str(bad), "-o", str(out))
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "pos.toml:2: position[1].state" in lines[0]
    assert not out.exists()


def test_users_positions_are_used(tmp_path: Path) -> None:
    own = tmp_path / "pos.toml"
    own.write_text(
        '[[position]]\nstate = "CHN"\nplans = ["g4-2005"]\nstance = "support"\n'
        'source = "my assumption"\nconfidence = "R"\n',
        encoding="utf-8",
    )
    d = json.loads(
        run("g4-2005", "--positions", str(own), "--draws", "500", "--format", "json").output
    )[0]
    china = next(p for p in d["permanent"] if p["state"] == "CHN")
    assert china["support"] == 0.9 and china["source"] == "my assumption"
    assert str(own) in d["model_basis"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--draws", "0"], "--draws: 0 is out of range"),
        (["--seed", "-1"], "--seed"),
        (["--target", "2"], "--target: 2 is out of range; use a number in (0, 1]"),
        (["--target", "0"], "--target: 0 is out of range"),
        (["--group-correlation", "1"], "--group-correlation: 1 is out of range; use a number in"),
        (["--region-correlation", "-0.1"], "--region-correlation: -0.1 is out of range"),
        (["nope-2099"], "nope-2099"),
    ],
)
def test_bad_options_fail_cleanly(args: list[str], message: str) -> None:
    result = run("g4-2005", *args) if args[0].startswith("-") else run(*args)
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output
