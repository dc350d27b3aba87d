"""The ``record`` candidate model: the shipped table, its rebuild, its fit and its default use."""

from __future__ import annotations

import json
import math
from decimal import Decimal
from fractions import Fraction
from importlib.resources import files
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from councilsim.build_data import build, main
from councilsim.cli import main as cli
from councilsim.council import Region, SeatKind
from councilsim.elections import (
    Membership,
    read_membership,
    rules_for,
    run_elections,
    summarise,
)
from councilsim.elections.candidates import CANDIDATE_MODELS, candidate_model
from councilsim.elections.membership import parse_membership
from councilsim.elections.record import (
    RECORD_FILE,
    Contest,
    contests,
    fit_alpha,
    log_likelihood,
    read_record_table,
    record_table,
    record_weights,
    seat_years,
)
from councilsim.errors import ScenarioError
from councilsim.limits import DEFAULT_CANDIDATES
from councilsim.scenario import load
from councilsim.states import all_states, member_states

FILE = "unsc_membership_by_year_1946_2027.csv"
SHIPPED = (files("councilsim") / "data" / RECORD_FILE).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def membership(shared_data: Path) -> Membership:
    path = shared_data / FILE
    if not path.is_file():
        pytest.skip(f"{FILE} is not in the shared data folder")
    return read_membership(path)


def test_shipped_table_has_every_member_and_its_sums() -> None:
    table = read_record_table()
    assert [r[0] for r in table.rows] == [s.iso3 for s in member_states()]
    assert all(r[3] == r[2] + table.alpha for r in table.rows)
    served = {r[0]: r[2] for r in table.rows}
    # twelve, eleven and eight two-year terms to 2025; Israel has never sat
    assert (served["JPN"], served["BRA"], served["IND"], served["ISR"]) == (24, 22, 16, 0)
    # the permanent members hold no elected seat-years (China and France sat only as P5)
    assert served["USA"] == served["FRA"] == served["CHN"] == 0
    # six elected seats 1946-65 and ten since, less 12 seat-years of Yugoslavia (8),
    # Czechoslovakia (3: 1964, 1978-79) and the German Democratic Republic (2: 1980-81)
    assert sum(served.values()) == 6 * 20 + 10 * 60 - 12


def test_weights_follow_all_states_and_former_states_never_stand() -> None:
    w = record_weights()
    codes = [s.iso3 for s in all_states()]
    alpha = float(read_record_table().alpha)
    assert w[codes.index("JPN")] == 24 + alpha
    assert w[codes.index("ISR")] == alpha
    assert w[codes.index("YUG")] == 0 and w[codes.index("SUN")] == 0
    assert not w.flags.writeable


def test_rebuild_from_the_shared_data_gives_the_shipped_table(
    membership: Membership, shared_data: Path, tmp_path: Path
) -> None:
    assert build("candidates", str(shared_data / FILE)) == SHIPPED
    out = tmp_path / "w.csv"
    assert main(["candidates", str(shared_data / FILE), "-o", str(out)]) == 0
    assert out.read_bytes() == SHIPPED.encode("utf-8")


def test_the_fit_is_the_shipped_alpha(membership: Membership) -> None:
    alpha = fit_alpha(membership)
    assert alpha == read_record_table().alpha == Decimal("3.6")
    races = contests(membership)
    served = {y: seat_years(membership, 1946, y - 1) for y in {r.year for r in races}}
    best = log_likelihood(float(alpha), races, served)
    for other in (3.5, 3.7, 1.0, 10.0, 1e6):
        assert log_likelihood(other, races, served) < best


def test_real_contests_respect_rule_144(membership: Membership) -> None:
    races = {(r.year, r.group): r for r in contests(membership)}
    asia = races[2025, Region.ASIA_PACIFIC]
    assert asia.winners == ("PAK",)
    # Japan sat in 2024 and could not stand again for 2025; the Republic of Korea continued
    assert "JPN" not in asia.eligible and "KOR" not in asia.eligible and "IND" in asia.eligible
    assert "CHN" not in asia.eligible  # a permanent member
    assert all(set(r.winners) <= set(r.eligible) for r in races.values())


def test_log_likelihood_known_answers() -> None:
    # one seat, two candidates who served 2 and 0 years before 2026, alpha = 1 (80 years)
    one = Contest(2026, Region.WEOG, ("AUT",), ("AUT", "BEL"))
    served = {2026: {"AUT": 2, "BEL": 0}}
    assert math.exp(log_likelihood(1.0, [one], served)) == pytest.approx(
        float(Fraction(3, 4)), rel=1e-12
    )
    # two seats out of three (weights 3, 1, 1): either order of the two winners
    two = Contest(2026, Region.WEOG, ("AUT", "BEL"), ("AUT", "BEL", "CAN"))
    served = {2026: {"AUT": 2, "BEL": 0, "CAN": 0}}
    p = Fraction(3, 5) * Fraction(1, 2) + Fraction(1, 5) * Fraction(3, 4)
    assert math.exp(log_likelihood(1.0, [two], served)) == pytest.approx(float(p), rel=1e-12)


def test_prior_scales_with_the_years_observed() -> None:
    # in 1986, 40 of the 80 years have passed: alpha 2 counts as 1 seat-year
    race = Contest(1986, Region.WEOG, ("AUT",), ("AUT", "BEL"))
    served = {1986: {"AUT": 1, "BEL": 0}}
    assert math.exp(log_likelihood(2.0, [race], served)) == pytest.approx(2 / 3, rel=1e-12)


def test_fit_on_a_made_up_record() -> None:
    # Austria wins every contest it may stand in: the fitted prior is the smallest allowed
    rows = ["year,iso3,seat"]
    rows += [f"{y},AUT,elected" for y in range(1946, 2026) if y % 2 == 0]
    rows += [f"{y},BEL,elected" for y in range(1946, 2026) if y % 2 == 1]
    m = parse_membership("\n".join(rows) + "\n")
    assert fit_alpha(m) == Decimal("0.1")
    table = record_table(m, Decimal(2))
    row = next(r for r in table.rows if r[0] == "AUT")
    assert row[2:] == (40, Decimal(42))
    with pytest.raises(ScenarioError, match="no contests"):
        fit_alpha(parse_membership("year,iso3,seat\n1950,AUT,elected\n"))


def test_bad_tables_are_one_clear_line(tmp_path: Path) -> None:
    lines = SHIPPED.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("JPN,"))
    cases = {
        "weight": ([*lines[:at], "JPN,asia-pacific,24,99", *lines[at + 1 :]], at + 1),
        "bad row": ([*lines[:at], "JPN,weog,24,27.6", *lines[at + 1 :]], at + 1),
        "missing": (lines[:at] + lines[at + 1 :], None),
        "not a record": ([line for line in lines if "alpha = " not in line], None),
    }
    for problem, (text, line) in cases.items():
        path = tmp_path / "t.csv"
        path.write_text("\n".join(text) + "\n", encoding="utf-8")
        with pytest.raises(ScenarioError, match=problem) as info:
            read_record_table(path)
        assert info.value.file == str(path)
        if line is not None:
            assert info.value.line == line
    assert main(["candidates", str(tmp_path / "missing.csv")]) == 2


def test_record_is_the_default_everywhere() -> None:
    assert DEFAULT_CANDIDATES == "record" and "record" in CANDIDATE_MODELS
    rules = rules_for(load("current"))
    assert run_elections(rules, 2, seed=1).candidates == "record"
    default = run_elections(rules, 5, replications=3, seed=1)
    record = run_elections(rules, 5, replications=3, seed=1, candidates=candidate_model("record"))
    assert np.array_equal(default.holders, record.holders)
    result = CliRunner().invoke(cli, ["elect", "current", "--years", "2", "--format", "json"])
    assert result.exit_code == 0 and json.loads(result.stdout)["candidates"] == "record"
    result = CliRunner().invoke(
        cli, ["elect", "current", "--years", "2", "--candidates", "uniform", "--format", "json"]
    )
    assert json.loads(result.stdout)["candidates"] == "uniform"
    result = CliRunner().invoke(cli, ["elect", "--help"])
    assert "[default: record]" in result.stdout


def test_states_that_served_most_expect_several_times_the_never_served() -> None:
    """Issue 12: Japan, Brazil and India against the members of their group that never sat."""
    rules = rules_for(load("current"))
    run = run_elections(rules, 100, replications=300, seed=12)
    seat = summarise(run).seat_years
    codes = list(run.states)
    permanent = {s.holder for s in rules.council.seats if s.kind is SeatKind.PERMANENT}
    never = {r[0] for r in read_record_table().rows if r[2] == 0} - permanent
    for code in ("JPN", "BRA", "IND"):
        group = next(s.group for s in member_states() if s.iso3 == code)
        peers = [codes.index(s.iso3) for s in member_states() if s.group is group]
        peers = [i for i in peers if codes[i] in never]
        assert seat[codes.index(code)] > 3 * seat[peers].mean(), code
