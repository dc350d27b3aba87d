"""Vote models: the registry, parameters and their checks, and what each model does."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from councilsim.council import Council, Region, Rule, SeatClass, SeatKind
from councilsim.errors import ScenarioError
from councilsim.models import (
    MODELS,
    BlocsModel,
    ImpartialModel,
    PropensityModel,
    SpatialModel,
    VoteProbs,
    build_model,
)
from councilsim.rule import Vote
from councilsim.simulation import parse_simulation, simulate


def today() -> Council:
    return Council(
        classes=(
            SeatClass(
                id="permanent",
                kind=SeatKind.PERMANENT,
                veto=True,
                holders=("CHN", "FRA", "RUS", "GBR", "USA"),
            ),
            SeatClass(
                id="elected",
                kind=SeatKind.ELECTED,
                veto=False,
                holders=(None,) * 10,
                term=2,
                regions=(Region.AFRICA,) * 3
                + (Region.ASIA_PACIFIC,) * 2
                + (Region.EASTERN_EUROPE,)
                + (Region.GRULAC,) * 2
                + (Region.WEOG,) * 2,
            ),
        ),
        rule=Rule(quota=9, procedural_quota=9),
    )


def error(name: str, params: dict[str, Any], council: Council | None = None) -> ScenarioError:
    with pytest.raises(ScenarioError) as err:
        parse_simulation({"model": name, "params": params}, council or today())
    return err.value


def test_registry_has_documented_models() -> None:
    assert list(MODELS) == ["impartial", "propensity", "spatial", "blocs", "record"]
    for name, cls in MODELS.items():
        assert cls.name == name
        assert cls.__doc__ and "Parameters" in cls.__doc__
        assert build_model(name).params() is not None


def test_unknown_model() -> None:
    with pytest.raises(ScenarioError) as err:
        parse_simulation({"model": "psychic"}, today())
    assert err.value.key == "simulation.model"
    assert "impartial" in str(err.value)


# --- impartial ---------------------------------------------------------------------------


def test_impartial_probabilities_are_exact_from_text_and_toml_floats() -> None:
    assert ImpartialModel.from_params({"p": 0.1}).p == Fraction(1, 10)
    assert ImpartialModel.from_params({"p": "1/3"}).p == Fraction(1, 3)
    assert isinstance(ImpartialModel(p=0.3).p, float)
    probs = ImpartialModel(p="0.5", abstain="0.2", absent="0.1").vote_probs()
    assert probs == VoteProbs(Fraction(1, 2), Fraction(1, 5), Fraction(1, 5), Fraction(1, 10))


@pytest.mark.parametrize(
    ("params", "key", "text"),
    [
        ({"p": 1.5}, "simulation.params.p", "not a probability"),
        ({"p": "half"}, "simulation.params.p", "not a number"),
        ({"p": True}, "simulation.params.p", "found a boolean"),
        ({"p": 0.8, "abstain": 0.3}, "simulation.params.p", "exceeds 1"),
        ({"q": 0.5}, "simulation.params.q", "unknown key"),
    ],
)
def test_impartial_errors(params: dict[str, Any], key: str, text: str) -> None:
    err = error("impartial", params)
    assert err.key == key
    assert text in err.problem
    assert err.fix


def test_impartial_sampler_marginals() -> None:
    sampler = ImpartialModel(p="0.5", abstain="0.2", absent="0.1").sampler(today())
    votes = sampler.sample(np.random.default_rng(0), 40_000)
    shares = np.bincount(votes.ravel(), minlength=4) / votes.size
    np.testing.assert_allclose(shares, [0.5, 0.2, 0.2, 0.1], atol=0.01)


# --- propensity --------------------------------------------------------------------------


def test_propensity_member_over_class_over_default() -> None:
    model = PropensityModel.from_params(
        {
            "yes": 0.6,
            "classes": {"permanent": {"yes": 0.9, "abstain": 0.05}},
            "members": {"RUS": {"no": 0.7}, "elected-2": {"yes": 0.1, "no": 0.1, "abstain": 0.8}},
        }
    )
    probs = model.probabilities(today())
    assert probs[0] == VoteProbs(Fraction(9, 10), Fraction(1, 20), Fraction(1, 20), Fraction(0))
    assert probs[2] == VoteProbs(Fraction(3, 10), Fraction(7, 10), Fraction(0), Fraction(0))
    assert probs[5] == VoteProbs(Fraction(3, 5), Fraction(2, 5), Fraction(0), Fraction(0))
    assert probs[6] == VoteProbs(Fraction(1, 10), Fraction(1, 10), Fraction(4, 5), Fraction(0))


@pytest.mark.parametrize(
    ("params", "key", "text"),
    [
        (
            {"classes": {"rotating": {"yes": 0.5}}},
            "simulation.params.classes.rotating",
            "no seat class",
        ),
        ({"members": {"DEU": {"yes": 0.5}}}, "simulation.params.members.DEU", "no seat"),
        (
            {"classes": {"elected": {"abstain": 0.5}}},
            "simulation.params.classes.elected",
            "neither yes nor no",
        ),
        (
            {"classes": {"elected": {"yes": 0.5, "no": 0.4}}},
            "simulation.params.classes.elected",
            "sum to 0.9",
        ),
        (
            {"classes": {"elected": {"yes": 0.5, "maybe": 0.1}}},
            "simulation.params.classes.elected.maybe",
            "unknown key",
        ),
        ({"classes": {"elected": 0.5}}, "simulation.params.classes.elected", "table"),
        ({"yes": 0.9, "abstain": 0.2}, "simulation.params", "leave"),
    ],
)
def test_propensity_errors(params: dict[str, Any], key: str, text: str) -> None:
    err = error("propensity", params)
    assert err.key == key
    assert text in err.problem


# --- spatial -----------------------------------------------------------------------------


def test_status_quo_far_from_everyone_every_draft_passes() -> None:
    model = SpatialModel.from_params({"status_quo": 50.0})
    result = simulate(today(), model, draws=20_000, seed=1)
    assert result.adopted.estimate == 1.0
    assert result.mean_yes.estimate == 15.0


def test_veto_holder_at_the_status_quo_vetoes_every_draft_that_would_pass() -> None:
    council = today()
    model = SpatialModel.from_params(
        {
            "ideal_points": {"RUS": 0.0},
            "status_quo": 0.0,
            "noise": 0.0,
            "ideal_distribution": {"sd": 2.0},
        }
    )
    votes = model.sampler(council).sample(np.random.default_rng(0), 1000)
    assert (votes[:, council.index_of("RUS")] == Vote.NO).all()
    result = simulate(council, model, draws=50_000, seed=4)
    assert result.adopted.estimate == 0.0
    rus = result.member("RUS")
    assert rus.vetoes is not None and rus.vetoes.estimate == result.vetoed.estimate > 0.0
    assert rus.yes.estimate == 0.0


def test_indifference_band_gives_abstentions() -> None:
    model = SpatialModel(indifference=1.0, noise=0.0)
    votes = model.sampler(today()).sample(np.random.default_rng(1), 2000)
    shares = np.bincount(votes.ravel(), minlength=4) / votes.size
    assert shares[Vote.ABSTAIN] > 0.1 and shares[Vote.ABSENT] == 0.0


def test_spatial_two_dimensions_and_fixed_points() -> None:
    model = SpatialModel.from_params(
        {
            "dimensions": 2,
            "ideal_points": {"USA": [1.0, 0.5], "CHN": -1.0},
            "proposal": {"mean": [0.0, 0.0], "sd": 1.0},
            "status_quo": {"mean": 0.0, "sd": [0.5, 0.5]},
        }
    )
    sampler = model.sampler(today())
    assert sampler.points.shape == (2, 2)
    np.testing.assert_array_equal(sampler.points[sampler.fixed.tolist().index(0)], [-1.0, -1.0])
    assert model.params()["dimensions"] == 2
    votes = sampler.sample(np.random.default_rng(0), 100)
    assert votes.shape == (100, 15)


@pytest.mark.parametrize(
    ("params", "key"),
    [
        (
            {"dimensions": 2, "ideal_points": {"USA": [1, 2, 3]}},
            "simulation.params.ideal_points.USA",
        ),
        ({"noise": -1}, "simulation.params.noise"),
        ({"ideal_points": {"XXX": 1.0}}, "simulation.params.ideal_points.XXX"),
        ({"year": 2000}, "simulation.params.ideal_points_file"),
        ({"proposal": {"mean": 0, "sd": -1}}, "simulation.params.proposal.sd"),
        ({"ideal_points_file": "nowhere.csv", "year": 2000}, "simulation.params.ideal_points_file"),
        (
            {"ideal_points_file": "x.csv", "year": 2000, "dimensions": 2},
            "simulation.params.dimensions",
        ),
    ],
)
def test_spatial_errors(params: dict[str, Any], key: str) -> None:
    assert error("spatial", params).key == key


CSV = """ccode,iso3c,countryname,year,idealpointfp,idealpointall
2,USA,United States,2020,2.0,2.1
200,GBR,United Kingdom,2020,1.0,1.1
220,FRA,France,2020,1.0,1.2
365,RUS,Russia,2020,-1.0,-1.3
710,CHN,China,2020,-1.5,-1.4
713,TWN,Taiwan,1960,0.8,0.9
475,NGA,Nigeria,2020,-0.5,-0.6
615,DZA,Algeria,2020,-0.9,-1.0
651,EGY,Egypt,2020,-0.7,-0.8
140,BRA,Brazil,2020,0.1,0.2
2,USA,United States,2024,2.2,
"""


def test_ideal_points_from_csv_with_group_medians(tmp_path: Path) -> None:
    path = tmp_path / "points.csv"
    path.write_text(CSV, encoding="utf-8")
    model = SpatialModel.from_params(
        {"ideal_points_file": str(path), "year": 2020, "ideal_points": {"GBR": 0.0}}
    )
    points = model.resolved_points(today())
    assert points[:5] == [(-1.4,), (1.2,), (-1.3,), (0.0,), (2.1,)]
    assert points[5] == (-0.8,)  # the African seats: median of NGA, DZA, EGY
    assert points[8] == (-1.4,)  # Asia-Pacific: CHN is the only one in the file
    assert points[10:12] == [(-1.3,), (0.2,)]  # Eastern Europe (RUS), GRULAC (BRA)
    assert points[13] == (1.2,)  # WEOG: median of the file's USA, GBR, FRA
    column = SpatialModel.from_params(
        {"ideal_points_file": str(path), "year": 2020, "column": "idealpointfp"}
    ).resolved_points(today())
    assert column[4] == (2.0,)


def test_ideal_point_file_errors(tmp_path: Path) -> None:
    path = tmp_path / "points.csv"
    path.write_text(CSV, encoding="utf-8")
    err = error("spatial", {"ideal_points_file": str(path), "year": 2024})
    assert err.key == "simulation.params.year" and "idealpointfp" in (err.fix or "")
    err = error("spatial", {"ideal_points_file": str(path), "year": 2020, "column": "nope"})
    assert "missing column 'nope'" in err.problem
    only_usa = today()
    bad = tmp_path / "short.csv"
    bad.write_text(CSV.replace("220,FRA,France,2020,1.0,1.2\n", ""), encoding="utf-8")
    err = error("spatial", {"ideal_points_file": str(bad), "year": 2020}, only_usa)
    assert err.key == "simulation.params.ideal_points.FRA"


def test_china_seat_falls_back_to_the_republic_of_china(tmp_path: Path) -> None:
    path = tmp_path / "points.csv"
    path.write_text(CSV, encoding="utf-8")
    council = Council(
        classes=(SeatClass(id="p", kind=SeatKind.PERMANENT, veto=True, holders=("CHN", "SUN")),),
        rule=Rule(quota=1, procedural_quota=1),
    )
    with pytest.raises(ScenarioError, match="SUN has no ideal point"):
        SpatialModel(ideal_points_file=str(path), year=1960).resolved_points(council)
    points = SpatialModel(ideal_points_file=str(path), year=2020).resolved_points(council)
    assert points == [(-1.4,), (-1.3,)]


def test_ideal_points_from_the_published_file(shared_data: Path) -> None:
    path = shared_data / "unga_idealpoints_1946_2024.csv"
    model = SpatialModel(ideal_points_file=str(path), year=2023)
    points = model.resolved_points(today())
    usa, rus = points[4], points[2]
    assert usa is not None and rus is not None and usa[0] > 1.0 > 0.0 > rus[0]
    assert all(p is not None for p in points)
    result = simulate(today(), model, draws=20_000, seed=0)
    assert 0.0 <= result.adopted.estimate < 0.5


# --- blocs -------------------------------------------------------------------------------


def agreement_within(loading: float) -> float:
    model = BlocsModel.from_params({"blocs": {"west": ["USA", "GBR", "FRA"]}, "loading": loading})
    result = simulate(today(), model, draws=40_000, seed=3, agreement=True)
    assert result.agreement is not None
    c = today()
    idx = [c.index_of(x) for x in ("USA", "GBR", "FRA")]
    return float(np.mean([result.agreement[i, j] for i in idx for j in idx if i < j]))


def test_agreement_rises_with_loading() -> None:
    rates = [agreement_within(x) for x in (0.0, 0.5, 0.8, 0.95)]
    assert rates == sorted(rates)
    assert rates[0] == pytest.approx(0.5, abs=0.02)  # independent yes/no at 1/2
    assert rates[-1] > 0.85


def test_blocs_keep_the_marginals() -> None:
    model = BlocsModel.from_params(
        {
            "blocs": {"west": ["USA", "GBR", "FRA"], "rc": ["RUS", "CHN"], "nam": ["elected"]},
            "correlation": {"west": 0.8, "rc": 0.6, "nam": 0.3},
            "common": 0.3,
            "factor_correlation": {"west": {"rc": -0.5}},
            "yes": 0.6,
            "abstain": 0.1,
            "absent": 0.05,
        }
    )
    votes = model.sampler(today()).sample(np.random.default_rng(2), 60_000)
    shares = np.bincount(votes.ravel(), minlength=4) / votes.size
    np.testing.assert_allclose(shares, [0.6, 0.25, 0.1, 0.05], atol=0.01)
    usa, gbr = votes[:, 4], votes[:, 3]
    rus = votes[:, 2]
    assert np.mean(usa == gbr) > np.mean(usa == rus)


@pytest.mark.parametrize(
    ("params", "key", "text"),
    [
        ({"blocs": {"a": ["USA"], "b": ["USA"]}}, "simulation.params.blocs.b", "two blocs"),
        ({"blocs": {"a": ["XYZ"]}}, "simulation.params.blocs.a[0]", "no seat"),
        ({"blocs": {"a": "USA"}}, "simulation.params.blocs.a", "array of strings"),
        ({"loading": 0.5, "correlation": 0.2}, "simulation.params.correlation", "both"),
        (
            {"blocs": {"a": ["USA"]}, "loading": {"b": 0.4}},
            "simulation.params.loading.b",
            "no bloc",
        ),
        (
            {"blocs": {"a": ["USA"]}, "loading": 0.9, "common": 0.9},
            "simulation.params.loading",
            "exceeds 1",
        ),
        (
            {
                "blocs": {"a": ["USA"], "b": ["RUS"], "c": ["CHN"]},
                "factor_correlation": {"a": {"b": 0.9, "c": 0.9}, "b": {"c": -0.9}},
            },
            "simulation.params.factor_correlation",
            "not a valid correlation",
        ),
        (
            {"blocs": {"a": ["USA"]}, "factor_correlation": {"a": {"z": 0.1}}},
            "simulation.params.factor_correlation.a.z",
            "no bloc",
        ),
    ],
)
def test_blocs_errors(params: dict[str, Any], key: str, text: str) -> None:
    err = error("blocs", params)
    assert err.key == key
    assert text in err.problem


# --- the [simulation] table --------------------------------------------------------------


def test_simulation_table_defaults_and_values() -> None:
    spec = parse_simulation({}, today())
    assert (spec.model.name, spec.draws, spec.seed, spec.years) == ("impartial", 100_000, 0, 0)
    spec = parse_simulation(
        {"model": "propensity", "draws": 5000, "seed": 9, "years": 12, "params": {"yes": "2/3"}},
        today(),
    )
    assert isinstance(spec.model, PropensityModel)
    assert spec.model.default.yes == Fraction(2, 3)
    assert (spec.draws, spec.seed, spec.years) == (5000, 9, 12)


@pytest.mark.parametrize(
    ("table", "key"),
    [
        ({"draw": 5}, "simulation.draw"),
        ({"draws": 0}, "simulation.draws"),
        ({"draws": 10**13}, "simulation.draws"),
        ({"draws": 1.5}, "simulation.draws"),
        ({"seed": -1}, "simulation.seed"),
        ({"years": "ten"}, "simulation.years"),
        ({"model": 3}, "simulation.model"),
        ({"params": [1]}, "simulation.params"),
    ],
)
def test_simulation_table_errors(table: dict[str, Any], key: str) -> None:
    with pytest.raises(ScenarioError) as err:
        parse_simulation(table, today())
    assert err.value.key == key
    assert err.value.fix


def test_scenario_loader_reports_file_and_line() -> None:
    scenario = pytest.importorskip("councilsim.scenario")
    text = """id = "tiny"
name = "Tiny"
[rule]
quota = 2
procedural_quota = 2
[seats.permanent]
kind = "permanent"
veto = true
holders = ["USA", "FRA"]
[simulation]
model = "impartial"
[simulation.params]
p = 2
"""
    with pytest.raises(ScenarioError) as err:
        scenario.load_text(text, "tiny.toml")
    assert "simulation.params.p" in str(err.value) and "tiny.toml:13" in str(err.value)
    ok = scenario.load_text(text.replace("p = 2", "p = 0.25"), "tiny.toml")
    assert ok.simulation.model == ImpartialModel(p=Fraction(1, 4))


def test_ideal_point_file_in_a_scenario_is_relative_to_the_scenario(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from councilsim.scenario import load

    folder = tmp_path / "study"
    folder.mkdir()
    (folder / "points.csv").write_text(CSV, encoding="utf-8")
    (folder / "spatial.toml").write_text(
        'id = "spatial"\nname = "Spatial"\n'
        "[rule]\nquota = 3\nprocedural_quota = 3\n"
        '[seats.permanent]\nkind = "permanent"\nveto = true\nholders = ["USA", "FRA"]\n'
        '[seats.elected]\nkind = "elected"\ncount = 3\nregion = "africa"\n'
        '[simulation]\nmodel = "spatial"\n'
        '[simulation.params]\nideal_points_file = "points.csv"\nyear = 2020\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)  # not the scenario's folder
    scenario = load("study/spatial.toml")
    points = scenario.simulation.model.resolved_points(scenario.council)
    assert points[:3] == [(2.1,), (1.2,), (-0.8,)]
