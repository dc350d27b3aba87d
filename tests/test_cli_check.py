"""``councilsim check``: the table, the JSON, --require and errors."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from councilsim.axioms import AXIOMS
from councilsim.cli import main


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_table_lists_every_axiom_with_counterexamples() -> None:
    code, out, _ = run("check", "current", "double-veto")
    assert code == 0
    for name in AXIOMS:
        assert name in out
    assert "Counterexamples (smallest found):" in out
    assert "double-veto veto: a draft is adopted although veto holder" in out
    assert "current decisive: deadlock" in out


def test_json_is_one_object_per_rule() -> None:
    code, out, _ = run("check", "current", "--game", "[3; 1*5]", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert [d["id"] for d in data] == ["current", "[3; 1*5]"]
    current = {a["axiom"]: a for a in data[0]["axioms"]}
    assert list(current) == list(AXIOMS)
    assert current["decisive"]["holds"] is False and current["decisive"]["claimed"] is False
    assert current["decisive"]["counterexample"]["coalition"] == ["CHN"]
    assert current["proper"]["holds"] is True and current["proper"]["counterexample"] is None
    assert current["monotone"]["method"] == "by class"
    game = {a["axiom"]: a for a in data[1]["axioms"]}
    assert game["decisive"]["holds"] is True and game["veto"]["note"].startswith("vacuous")


def test_require_sets_the_exit_status() -> None:
    code, _, err = run("check", "current", "--require", "monotone,proper")
    assert code == 0 and not err
    code, out, err = run("check", "current", "-a", "decisive", "--require", "decisive")
    assert code == 1
    assert "current decisive" in err and "decisive" in out
    code, out, _ = run("check", "current", "-a", "proper", "--require", "decisive")
    assert code == 1 and "decisive" in out, "a required axiom is checked even if not selected"


def test_only_selected_axioms() -> None:
    code, out, _ = run("check", "pre-1965", "-a", "proper", "-a", "veto", "--format", "json")
    assert code == 0
    assert [a["axiom"] for a in json.loads(out)[0]["axioms"]] == ["veto", "proper"]


def test_unknown_axiom_is_one_line_and_status_2() -> None:
    code, _, err = run("check", "current", "--require", "monotonic")
    assert code == 2
    assert err.count("\n") == 1 and "unknown axiom 'monotonic'" in err and "monotone" in err


def test_errors_are_one_line() -> None:
    code, _, err = run("check", "no-such-scenario")
    assert code == 2 and err.startswith("councilsim: error:") and err.count("\n") == 1
    code, _, err = run("check")
    assert code == 2


def test_a_users_file_with_a_wrong_claim(tmp_path: Path) -> None:
    plan = tmp_path / "plan.toml"
    plan.write_text(
        "[rule]\nquota = 3\n"
        '[seats.members]\nkind = "elected"\ncount = 6\n'
        "[expected]\naxioms = { proper = true }\n"
    )
    code, out, _ = run("check", str(plan), "-a", "proper")
    assert code == 0
    assert "violated  holds (!)" in out and "both adopt a draft" in out
    assert "claims otherwise" in out
    code, _, _ = run("check", str(plan), "-a", "proper", "--require", "proper")
    assert code == 1


def test_too_large_is_reported_and_fails_a_requirement(tmp_path: Path) -> None:
    seats = "".join(
        f'[seats.s{k}]\nkind = "elected"\ncount = 1\nweight = {k}\n' for k in range(1, 16)
    )
    plan = tmp_path / "weighted.toml"
    plan.write_text(f"[rule]\nquota = 61\n{seats}")
    code, out, _ = run("check", str(plan), "-a", "proper", "--limit", "1000")
    assert code == 0 and "too large" in out and "Not searched:" in out
    code, _, err = run("check", str(plan), "-a", "proper", "--limit", "1000", "--require", "proper")
    assert code == 1 and "weighted proper" in err


def test_csv_markdown_and_output(tmp_path: Path) -> None:
    code, out, _ = run("check", "current", "-a", "decisive,proper", "--format", "csv")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "rule,axiom,holds,method,claimed,counterexample,note"
    assert lines[1].startswith("current,proper,True,") and lines[2].startswith(
        "current,decisive,False,"
    )
    assert "deadlock" in lines[2]
    code, out, _ = run("check", "current", "-a", "decisive", "--format", "markdown")
    assert code == 0 and "| rule | axiom | result | claimed | search |" in out
    assert "- current decisive: deadlock" in out
    target = tmp_path / "check.json"
    code, out, _ = run("check", "current", "-a", "proper", "--format", "json", "-o", str(target))
    assert code == 0 and out == "" and json.loads(target.read_text())[0]["id"] == "current"
