"""``power --ternary``, ``power --unions`` and ``check --ternary`` end to end, and the axiom."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner, Result

from councilsim.axioms import DecisionRule, as_rule
from councilsim.axioms.ternary import ternary_monotone
from councilsim.cli.check import check_command
from councilsim.cli.power import power_command
from councilsim.rule import Vote
from councilsim.scenario import load

BLOCS = """
extends = "current"
id = "current-blocs"
name = "Today's Council, A3 and P3 as blocs"

[unions.A3]
members = ["COD", "LBR", "SOM"]
source = "A3 joint statements"

[unions.P3]
members = ["FRA", "GBR", "USA"]
source = "P3 practice"
"""


def run(command: Any, *args: str) -> Result:
    return CliRunner().invoke(command, list(args))


def run_json(command: Any, *args: str) -> Any:
    result = run(command, *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_power_ternary_json() -> None:
    (obj,) = run_json(power_command, "current", "--ternary", "--exact")
    first, last = obj["members"][0], obj["members"][-1]
    assert obj["abstention"] == "practice"
    assert first["shapley_shubik"] == "421/2145"  # the binary indices are still there
    assert first["ternary_shapley_shubik"] == "118525786/725416965"
    assert last["ternary_shapley_shubik"] == "26557607/1450833930"
    assert first["ternary_banzhaf"] == "9028/89435"
    assert last["ternary_banzhaf_absolute"] == "2953/531441"


def test_power_ternary_literal() -> None:
    (obj,) = run_json(
        power_command, "current", "--ternary", "--abstention", "literal", "--exact", "--by", "class"
    )
    permanent, elected = obj["classes"]
    assert obj["abstention"] == "literal"
    assert permanent["ternary_shapley_shubik"] == {"seat": "421/2145", "total": "421/429"}
    assert elected["ternary_shapley_shubik"]["seat"] == "4/2145"


def test_power_ternary_table_and_csv() -> None:
    table = run(power_command, "--game", "[9; 1v*5, 1*10]", "--ternary", "--index", "banzhaf")
    assert table.exit_code == 0, table.output
    assert "ternary_shapley_shubik" in table.output
    assert "practice reading (a veto holder's abstention does not block)" in table.output
    blocs = run(power_command, "current", "--unions", "FRA,GBR,USA|COD,LBR,SOM")
    assert "unions: U1 = FRA, GBR, USA; U2 = COD, LBR, SOM; every other member alone" in (
        blocs.output
    )
    csv = run(power_command, "current", "--ternary", "--format", "csv")
    header = csv.stdout.splitlines()[0].split(",")
    assert "ternary_banzhaf" in header and "shapley_shubik" in header


def test_power_unions_for_a_game() -> None:
    (obj,) = run_json(
        power_command,
        "--game",
        "[11; 9, 5, 3, 3]",
        "--unions",
        "1|2|3,4",
        "--index",
        "owen",
        "--index",
        "banzhaf_owen",
        "--exact",
    )
    rows = obj["members"]
    assert [r["owen"] for r in rows] == ["1/3", "1/3", "1/6", "1/6"]
    assert [r["banzhaf_owen"] for r in rows] == ["1/2", "1/2", "1/4", "1/4"]
    assert [r["union"] for r in rows] == ["U1", "U2", "U3", "U3"]
    assert "shapley_shubik" not in rows[0]


def test_power_unions_default_to_owen_and_banzhaf_owen() -> None:
    (obj,) = run_json(power_command, "current", "--unions", "FRA,GBR,USA|COD,LBR,SOM")
    row = obj["members"][1]
    assert row["union"] == "U1" and "owen" in row and "banzhaf_owen" in row
    assert "shapley_shubik" in row  # the binary indices as without --unions


def test_power_unions_declared_in_a_scenario(tmp_path: Path) -> None:
    path = tmp_path / "blocs.toml"
    path.write_text(BLOCS, encoding="utf-8")
    (obj,) = run_json(power_command, str(path), "--index", "owen", "--exact")
    unions = {r["member"]: r["union"] for r in obj["members"]}
    assert unions["COD"] == "A3" and unions["USA"] == "P3" and unions["CHN"] == "CHN"
    assert sum_fractions(r["owen"] for r in obj["members"]) == 1


def sum_fractions(values: Any) -> Any:
    from fractions import Fraction

    return sum(Fraction(v) for v in values)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--game", "[11; 9, 5, 3, 3]", "--unions", "1|2|3,1"], "P1 is in two unions"),
        (["--game", "[11; 9, 5, 3, 3]", "--unions", "1||3"], "is empty"),
        (["current", "--unions", "FRA|XYZ"], "unknown member 'XYZ'"),
        (["current", "--index", "owen"], "owen needs a-priori unions"),
        (["current", "--abstention", "literal"], "add --ternary"),
    ],
)
def test_power_bad_input_is_one_line_and_exit_2(args: list[str], message: str) -> None:
    result = run(power_command, *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_scenario_with_bad_unions_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(BLOCS.replace('"SOM"]', '"SOM", "FRA"]'), encoding="utf-8")
    result = run(power_command, str(path))
    assert result.exit_code == 2
    assert "FRA is in two unions (A3 and P3)" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_check_ternary() -> None:
    out = run_json(check_command, "current", "--game", "[2; 1v, 1]", "--ternary", "-a", "proper")
    for rule in out:
        verdicts = {v["axiom"]: v for v in rule["axioms"]}
        assert set(verdicts) == {"proper", "ternary_monotone"}
        assert verdicts["ternary_monotone"]["holds"] is True
        assert verdicts["ternary_monotone"]["title"].startswith("monotonicity in the order")
    table = run(check_command, "current", "--ternary", "-a", "monotone")
    assert "ternary_monotone  holds" in table.output


def test_ternary_monotone_finds_a_violation() -> None:
    def no_abstentions(votes: np.ndarray) -> np.ndarray:
        v = np.asarray(votes)
        return ((v == Vote.YES).sum(-1) >= 2) & ((v == Vote.ABSTAIN).sum(-1) == 0)

    rule = DecisionRule.of(no_abstentions, ["A", "B", "C"])
    found = ternary_monotone(rule)
    assert found is not None and found.verify(rule)
    assert found.to_dict()["raised"] == "A"
    assert "from no to abstain" in found.describe()


@pytest.mark.parametrize("sid", ["current", "african-union-2005", "double-veto"])
def test_council_rules_are_ternary_monotone(sid: str) -> None:
    assert ternary_monotone(as_rule(load(sid))) is None
