"""The reports of ``list``, ``show`` and ``run`` as library values (``councilsim.overview``)."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from councilsim.errors import ScenarioError
from councilsim.overview import composition, overview, simulation_spec, summary
from councilsim.scenario import load


def test_summary_and_composition() -> None:
    s = load("g4-2005")
    assert summary(s).to_dict() == {
        "id": "g4-2005",
        "name": s.name,
        "seats": 25,
        "veto_holders": 5,
        "quota": 14,
    }
    c = composition(s)
    assert [(k.id, k.open, k.holders_text) for k in c.classes] == [
        ("permanent", 0, "CHN, FRA, RUS, GBR, USA"),
        ("new-permanent", 2, "IND, JPN, BRA, DEU, 2 open"),
        ("elected", 14, "14 open"),
    ]
    assert dict(c.by_region) == {
        "africa": 6,
        "asia-pacific": 6,
        "eastern-europe": 3,
        "grulac": 4,
        "weog": 6,
    }
    assert c.classes[2].term_text == "2 y" and c.classes[0].term_text == ""
    assert len(c.to_dict()["members"]) == 25


def test_overview_power_and_exact_values() -> None:
    report = overview(load("current"), draws=20000, seed=3)
    pw = {k.id: k for k in report.power.classes}
    # Shapley-Shubik values of today's Council (unsc.md section 4)
    assert pw["permanent"].seat["shapley_shubik"] == Fraction(421, 2145)
    assert pw["elected"].total["shapley_shubik"] == Fraction(8, 429)
    assert report.power.coleman_act == Fraction(53, 2048)
    assert report.exact is not None and report.exact.adopted.exact == Fraction(53, 2048)
    sim = report.simulation
    assert sim.draws == 20000 and sim.seed == 3  # type: ignore[union-attr]
    d = report.to_dict()
    assert d["power"]["classes"][0]["shapley_shubik"]["seat_fraction"] == "421/2145"
    assert d["exact"]["failed"]["fraction"] == "22819/32768"


def test_overview_over_years(tmp_path: Path) -> None:
    path = tmp_path / "years.toml"
    path.write_text('extends = "current"\n[simulation]\ndraws = 2000\nseed = 1\nyears = 3\n')
    d = overview(load(path)).to_dict()["simulation"]
    assert [y["year"] for y in d["years"]] == [2026, 2027, 2028]
    mean = sum(y["adopted"]["estimate"] for y in d["years"]) / 3
    assert d["overall"]["adopted"]["estimate"] == pytest.approx(mean, abs=1e-12)


def test_overrides_name_their_own_key() -> None:
    with pytest.raises(ScenarioError) as info:
        simulation_spec(load("current"), draws=0)
    assert info.value.key == "draws"
    assert simulation_spec(load("current"), draws="500", seed=None).draws == 500
