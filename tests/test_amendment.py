"""The Charter amendment game (Arts. 108-109), the positions file and the passage model."""

from __future__ import annotations

import math
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from councilsim.amendment import amendment_game, analyse, apriori, support, two_thirds
from councilsim.amendment.idealpoints import derive, ideal_points, table_text
from councilsim.amendment.model import (
    Draws,
    draw_support,
    effects,
    exact_passage,
    passage,
    stages_of,
    win_over,
)
from councilsim.amendment.positions import STANCES, read_positions, shipped_positions
from councilsim.composite import composite_power
from councilsim.errors import ScenarioError
from councilsim.power.brute import membership
from councilsim.scenario import shipped_ids
from councilsim.simulation.result import Estimate
from councilsim.states import member_states

GA = Fraction(sum(math.comb(193, k) for k in range(129, 194)), 2**193)
RATIFICATION = Fraction(sum(math.comb(188, k) for k in range(124, 189)), 2**188) / 32


def test_two_thirds_of_the_membership() -> None:
    assert two_thirds(193) == 129
    assert two_thirds(51) == 34
    assert two_thirds(3) == 2


def test_apriori_fractions() -> None:
    a = apriori()
    assert a["ga"].passage == GA
    assert a["ratification"].passage == RATIFICATION
    assert a["both"].passage == RATIFICATION  # ratification by 129 implies the GA vote
    assert f"{float(GA):.3g}" == "1.67e-06"
    assert f"{float(RATIFICATION):.3g}" == "2.25e-07"


def test_exact_passage_at_one_half_is_the_apriori_one() -> None:
    stages = stages_of(amendment_game())
    exact = exact_passage([0.5] * 193, stages)
    assert exact["ga"] == pytest.approx(float(GA), rel=1e-9)
    assert exact["both"] == pytest.approx(float(RATIFICATION), rel=1e-9)


@st.composite
def small_amendments(draw: st.DrawFn) -> tuple[list[str], list[float]]:
    n = draw(st.integers(3, 11))
    permanent = draw(st.integers(0, min(3, n)))
    names = ["CHN", "FRA", "RUS"][:permanent] + [f"S{k}" for k in range(n - permanent)]
    return names, [0.5] * n


@given(small_amendments())
def test_effects_on_every_coalition_are_banzhaf(case: tuple[list[str], list[float]]) -> None:
    """Over the table of all 2**n coalitions the model's counts are the game's exact counts."""
    names, _ = case
    game = amendment_game(names)
    stages = stages_of(game)
    table = Draws(membership(len(names)), 0)
    exact = composite_power(game)
    assert passage(table, stages)["both"] == exact.winning
    both = effects(table, stages)
    fx = both["both"]
    # over every coalition a state opposes in half of the decisive ones: gain = effect / 2
    assert np.array_equal(2 * both["gain_both"], fx)
    swings = exact.per_player(game)
    assert [Fraction(float(f)).limit_denominator(2**12) for f in fx] == [
        Fraction(s, 2 ** (len(names) - 1)) for s in swings
    ]


def test_independent_draws_agree_with_exact() -> None:
    stages = stages_of(amendment_game())
    p = [0.9 if s.iso3 in ("FRA", "GBR") else 0.7 for s in member_states()]
    factors = [s.iso3 for s in member_states()]
    sample = draw_support(p, factors, [0.0] * 193, draws=20_000, seed=7)
    counts = passage(sample, stages)
    exact = exact_passage(p, stages)
    for stage in ("ga", "both"):
        e = Estimate.wilson(counts[stage], sample.count)
        assert e.ci_low is not None and e.ci_high is not None
        assert e.ci_low <= exact[stage] <= e.ci_high


def test_correlation_keeps_the_marginals() -> None:
    p = [0.2, 0.5, 0.8] * 10
    sample = draw_support(p, ["g"] * 30, [0.6] * 30, draws=40_000, seed=1)
    rates = sample.support.mean(axis=0)
    assert np.allclose(rates, p, atol=0.02)
    together = np.corrcoef(sample.support[:, 1], sample.support[:, 4])[0, 1]
    assert together > 0.2


def test_win_over_reaches_the_target() -> None:
    stages = stages_of(amendment_game())
    p = [0.6] * 193
    sample = draw_support(p, ["x"] * 193, [0.3] * 193, draws=4000, seed=3)
    chosen, reached = win_over(sample, stages, p, 0.5)
    assert reached
    after = [a for _, a in chosen]
    assert after == sorted(after) and after[-1] >= 0.5
    x = sample.support.copy()
    x[:, [i for i, _ in chosen]] = True
    assert passage(Draws(x, 3), stages)["both"] / sample.count == after[-1]


def test_analyse_is_seeded_and_reproducible() -> None:
    a = analyse("g4-2024", seed=5, draws=3000).to_dict()
    b = analyse("g4-2024", seed=5, draws=3000).to_dict()
    c = analyse("g4-2024", seed=6, draws=3000).to_dict()
    assert a == b
    assert a["model"] != c["model"] or a["pivotal"] != c["pivotal"]


@pytest.mark.parametrize("sid", shipped_ids())
def test_every_shipped_scenario_has_a_report(sid: str) -> None:
    d = analyse(sid, draws=2000).to_dict()
    assert set(d["apriori"]) == set(d["model"]) == {"ga", "ratification", "both"}
    for stage in d["model"].values():
        assert stage["ci_low"] <= stage["estimate"] <= stage["ci_high"]
    assert (
        d["apriori"]["both"]["fraction"] == f"{RATIFICATION.numerator}/{RATIFICATION.denominator}"
    )
    assert {p["state"] for p in d["permanent"]} == {"CHN", "FRA", "RUS", "GBR", "USA"}
    assert all({"state", "group", "effect"} <= set(p) for p in d["pivotal"])


def test_current_council_needs_no_amendment() -> None:
    d = analyse("current", draws=500).to_dict()
    assert d["amendment"] is False
    assert d["model"]["both"] == {"estimate": 1.0, "ci_low": 1.0, "ci_high": 1.0}
    assert d["pivotal"] == [] and d["binding"] == "none"


def test_veto_plans_are_blocked_at_ratification() -> None:
    """The AU plan gets many GA votes but the permanent members' stated opposition binds."""
    d = analyse("african-union-2005", draws=5000).to_dict()
    assert d["binding"] == "ratification"
    assert d["model"]["ga"]["estimate"] > 100 * d["model"]["both"]["estimate"]
    assert d["pivotal"][0]["state"] in {"CHN", "RUS", "USA"}


# positions -------------------------------------------------------------------------------


def test_shipped_positions_cite_sources_and_marks() -> None:
    pos = shipped_positions()
    assert pos.positions
    for p in pos.positions:
        assert p.source.strip() and p.confidence in ("C", "R")
        assert p.stance in STANCES
    for g in pos.groups:
        assert g.source.strip() and g.confidence in ("C", "R")
    assert pos.group("g4").members == ("BRA", "DEU", "IND", "JPN")
    assert len(pos.group("au").members) == 54


def test_declared_precedence() -> None:
    pos = shipped_positions()
    declared = pos.declared("g4-2005")
    assert declared["IND"][1] == "g4"  # G4 before L.69
    assert declared["CHN"][1] == "state"
    assert declared["ITA"][0].stance == "oppose"


def test_support_probabilities() -> None:
    states = {s.iso3: s for s in support("g4-2005", shipped_positions())}
    assert states["BRA"].probability == STANCES["support"]
    assert states["CHN"].probability == STANCES["oppose"]
    free = [s for s in states.values() if s.basis == "ideal points"]
    assert free and all(0.1 <= s.probability <= 0.9 for s in free)
    assert all(s.factor.startswith("region:") for s in free)
    nobody = support("pre-1965", shipped_positions())
    assert {s.probability for s in nobody} == {0.5}


GROUP = """
[groups.a]
name = "A"
members = ["BRA", "IND"]
source = "A/59/L.64"
confidence = "C"
"""

POSITION = """
[[position]]
group = "a"
plans = ["g4-2005"]
stance = "support"
source = "A/59/L.64"
confidence = "C"
"""

GOOD = GROUP + POSITION

BAD = [
    (GROUP.replace('"C"', '"X"') + POSITION, "groups.a.confidence: confidence 'X' is not C or R"),
    (GOOD.replace('"BRA", "IND"', '"BRA", "XXX"'), "'XXX' is not the ISO3 code"),
    (GOOD.replace('["g4-2005"]', '["g5"]'), "position[1].plans: unknown plan 'g5'"),
    (GOOD.replace('"support"', '"yes"'), "position[1].stance: unknown stance 'yes'"),
    (GOOD.replace('group = "a"', 'group = "b"'), "position[1].group: unknown group 'b'"),
    (GOOD.replace('"support"', '"support"\ncolour = 1'), "position[1].colour: unknown key"),
    (GROUP + POSITION.replace('source = "A/59/L.64"\n', ""), "position[1].source: must be"),
    (GOOD + POSITION, "position[2].plans: a already has a stance on g4-2005"),
    (GOOD.replace('"support"', '"support"\nprobability = 1.5'), "1.5 is not a probability"),
    (
        GROUP.replace("members", "region").replace('["BRA", "IND"]', '"mars"') + POSITION,
        "unknown region 'mars'",
    ),
    ("[groups.a\n", "invalid TOML"),
]


def test_a_good_positions_file_reads(tmp_path: Path) -> None:
    f = tmp_path / "pos.toml"
    f.write_text(GOOD, encoding="utf-8")
    pos = read_positions(f)
    assert pos.declared("g4-2005")["IND"][1] == "a"


@pytest.mark.parametrize(("text", "message"), BAD)
def test_bad_positions_files_fail_on_one_line(tmp_path: Path, text: str, message: str) -> None:
    f = tmp_path / "pos.toml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        read_positions(f)
    line = str(err.value)
    assert "\n" not in line and message in line
    assert line.startswith(f"{f}:")


# the shipped ideal-point table -----------------------------------------------------------


def test_table_has_every_member() -> None:
    points = ideal_points()
    assert set(points) == {s.iso3 for s in member_states()}
    assert points["USA"] > points["GBR"] > 0 > points["CHN"]


def test_table_rebuilds_from_the_shared_data(shared_data: Path) -> None:
    rebuilt = table_text(derive(shared_data / "unga_idealpoints_1946_2024.csv"))
    shipped = (
        Path(__file__).resolve().parents[1] / "src/councilsim/data/unga_idealpoints_recent.csv"
    )
    assert rebuilt == shipped.read_text(encoding="utf-8")


def test_rebuild_refuses_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match=r"none\.csv: no such file"):
        derive(tmp_path / "none.csv")
