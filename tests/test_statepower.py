"""``councilsim.statepower``: every state's expected power, declared candidates, the region
error and the no-silent-zero rule."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from councilsim.elections import run_elections
from councilsim.errors import ScenarioError
from councilsim.power import power
from councilsim.scenario import load, load_text, shipped_ids
from councilsim.statepower import (
    STATE_INDICES,
    scenario_rules,
    state_power,
    state_power_by_year,
)

FIXED = """
id = "fixed"
[rule]
quota = 3
procedural_quota = 3
[seats.permanent]
kind = "permanent"
veto = true
holders = ["USA", "FRA"]
[seats.other]
kind = "permanent"
holders = ["IND", "NGA", "BRA"]
"""

OPEN_ONE = """
id = "open-one"
[rule]
quota = 5
procedural_quota = 5
[seats.permanent]
kind = "permanent"
veto = true
holders = ["USA", "FRA"]
[seats.new]
kind = "permanent"
count = 1
region = "africa"
{new}
[seats.elected]
kind = "elected"
count = 4
by_region = {{ asia-pacific = 2, grulac = 2 }}
"""


def test_a_council_without_elections_is_exact() -> None:
    scenario = load_text(FIXED, "fixed.toml")
    result = state_power(scenario, years=3, replications=5, seed=1)
    seats = power(scenario.council, exact=True, indices=["banzhaf", "shapley_shubik"])
    for k, code in enumerate(["USA", "FRA", "IND", "NGA", "BRA"]):
        value = result.state(code).values["banzhaf"]
        assert value.exact and value.mean == seats.values["banzhaf"][k]
        assert result.state(code).values["shapley_shubik"].mean == seats.values["shapley_shubik"][k]
    # a veto holder swings in all 7 winning coalitions, each other member in 1: 7/17
    assert result.state("USA").values["banzhaf"].mean == Fraction(7, 17)
    zero = result.state("ITA")
    assert zero.values["banzhaf"].mean == 0 and zero.note
    assert sum(g.values["banzhaf"] for g in result.groups) == 1


def test_a_one_candidate_open_seat_equals_a_named_seat() -> None:
    named = load_text(OPEN_ONE.format(new='holders = ["NGA"]'), "named.toml")
    open_ = load_text(OPEN_ONE.format(new='candidates = ["NGA"]'), "open.toml")
    a = state_power(named, years=6, replications=50, seed=3).state("NGA")
    b = state_power(open_, years=6, replications=50, seed=3).state("NGA")
    assert b.seat_years == 6
    for index in STATE_INDICES:
        assert a.values[index].exact
        assert float(b.values[index].mean) == pytest.approx(float(a.values[index].mean), 1e-12)
        assert float(b.values[index].high - b.values[index].low) == pytest.approx(0, abs=1e-12)


def test_declared_candidates_alone_fill_the_open_seats() -> None:
    result = state_power(load("seed-2024"), years=4, replications=300, seed=2)
    nga, zaf, egy = (result.state(c).seat_years for c in ("NGA", "ZAF", "EGY"))
    # two of the three hold a permanent seat in every year of every replication
    assert nga + zaf + egy >= 2 * 4
    assert all(o.declared for o in result.open_seats)
    undeclared = state_power(load("g4-2024"), years=2, replications=20, seed=2)
    assert undeclared.open_seats and not any(o.declared for o in undeclared.open_seats)


@pytest.mark.parametrize("sid", shipped_ids())
def test_every_shipped_scenario_derives_rules_and_fills_every_seat(sid: str) -> None:
    scenario = load(sid)
    rules = scenario_rules(scenario)
    assert len(rules.seat_phase) == scenario.council.size
    run = run_elections(
        __import__("dataclasses").replace(rules, open_permanent="draw"),
        12,
        replications=20,
        seed=4,
    )
    assert (run.holders >= 0).all()


@pytest.mark.parametrize("sid", shipped_ids())
def test_expected_seats_add_up_to_the_council_each_year(sid: str) -> None:
    scenario = load(sid)
    by_year = state_power_by_year(scenario, ["IND"], years=9, replications=40, seed=5)
    assert by_year.seats == pytest.approx([scenario.council.size] * 9)
    result = state_power(scenario, years=9, replications=40, seed=5)
    assert sum(s.seats for s in result.states) == pytest.approx(scenario.council.size)
    for index in STATE_INDICES:
        assert sum(g.values[index] for g in result.groups) == result.totals[index]
        listed = sum(float(s.values[index].mean) for s in result.states)
        assert listed == pytest.approx(float(result.totals[index]))


def test_no_silent_zero() -> None:
    for elections in (True, False):
        result = state_power(load("current"), elections=elections, years=2, replications=10)
        for s in result.states:
            if s.values["banzhaf"].mean == 0:
                assert s.note, s.state
            if elections and s.seat_years == 0:
                assert "seat_years = 0" in s.note


def test_every_state_gains_power_from_elections() -> None:
    for sid in ("current", "seed-2024", "g4-2005", "ufc-2005"):
        result = state_power(load(sid))
        for code in ("IND", "NGA", "ITA"):
            assert result.state(code).values["banzhaf"].mean > 0, (sid, code)


def test_elected_seats_without_a_region_are_an_error() -> None:
    text = FIXED.replace('holders = ["IND", "NGA", "BRA"]', "count = 3").replace(
        'kind = "permanent"\ncount', 'kind = "elected"\ncount'
    )
    scenario = load_text(text, "noregion.toml")
    with pytest.raises(ScenarioError) as err:
        state_power(scenario)
    message = str(err.value)
    assert "seats.other.region" in message and "region" in message.split(";")[-1]
    with pytest.raises(ScenarioError, match=r"seats\.other\.region"):
        state_power(scenario, elections=False)


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ('candidates = ["XYZ"]', "not a UN member state"),
        ('candidates = ["IND"]', "outside the regions of the open seats"),
        ("candidates = []", "the list is empty"),
        ('candidates = ["NGA", "NGA"]', "named twice"),
        ('candidates = ["NGA"]\ncandidate_weights = [1, 2]', "1 candidates"),
        ('candidates = ["NGA"]\ncandidate_weights = [0]', "not a positive number"),
        ('candidates_source = "x"', "without candidates"),
    ],
)
def test_bad_candidates_are_one_clear_line(line: str, problem: str) -> None:
    with pytest.raises(ScenarioError) as err:
        load_text(OPEN_ONE.format(new=line), "bad.toml")
    message = str(err.value)
    assert message.startswith("bad.toml:1") and problem in message and "\n" not in message
    assert "seats.new.c" in message


def test_candidates_on_elected_seats_are_refused() -> None:
    text = OPEN_ONE.format(new='holders = ["NGA"]') + 'candidates = ["IND", "JPN"]\n'
    with pytest.raises(ScenarioError, match="elected seats are open to every member"):
        load_text(text, "bad.toml")


def test_declared_weights_decide_the_draw() -> None:
    text = OPEN_ONE.format(new='candidates = ["NGA", "ZAF"]\ncandidate_weights = [1e9, 1]')
    result = state_power(load_text(text, "w.toml"), years=2, replications=200, seed=0)
    assert result.state("NGA").seat_years == 2
    assert result.state("ZAF").seat_years < 0.5


def test_power_by_year_is_exact_for_permanent_members_and_varies_for_others() -> None:
    series = state_power_by_year(load("current"), ["USA", "IND"], years=6, replications=200)
    assert all(e.exact and e.mean == Fraction(106, 635) for e in series.values["USA"])
    means = np.array([float(e.mean) for e in series.values["IND"]])
    assert means.min() >= 0 and means.max() > 0
    header, rows = series.rows()
    assert header == ["year", "USA", "IND"] and rows[0][0] == 2026
