"""The record vote model, its fit, the record readers and the replay of recorded drafts."""

from __future__ import annotations

import json
import math
import tomllib
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from councilsim import scenario
from councilsim.cli import main
from councilsim.errors import ScenarioError
from councilsim.models import MODELS, build_model, record
from councilsim.models.record import RecordModel, presets
from councilsim.records import parse_period, read_outcomes, read_record
from councilsim.replay import replay
from councilsim.simulation import simulate

FILES = {
    "outcomes": "unsc_outcomes_1946_2022.csv",
    "vetoes": "un_veto_list_1946_2022.csv",
    "membership": "unsc_membership_by_year_1946_2027.csv",
    "ideal_points": "unga_idealpoints_1946_2024.csv",
}

# The record's shares (outcomes file, UN Library): adopted, vetoed of all drafts voted on.
RECORD = {
    "1946-1989": (Fraction(646, 893), Fraction(161, 893)),
    "1990-2010": (Fraction(1320, 1348), Fraction(23, 1348)),
    "2011-2022": (Fraction(674, 719), Fraction(28, 719)),
}


def test_registered_and_presets() -> None:
    assert MODELS["record"] is RecordModel
    assert set(presets()) == set(RECORD)
    model = build_model("record", {"period": "1990-2010"})
    assert model.params() == {"period": "1990-2010"}


@pytest.mark.parametrize("period", sorted(RECORD))
def test_each_preset_reproduces_its_period_on_todays_council(period: str) -> None:
    council = scenario.load("current").council
    result = simulate(council, build_model("record", {"period": period}), draws=200_000, seed=3)
    adopted, vetoed = RECORD[period]
    assert abs(result.adopted.estimate - float(adopted)) < 0.03
    assert abs(result.vetoed.estimate - float(vetoed)) < 0.02


@pytest.mark.parametrize(
    ("params", "key"),
    [
        ({"period": "1900-1901"}, "simulation.params.period"),
        ({"colour": 1}, "simulation.params"),
        ({"file": "nowhere.toml"}, "simulation.params.file"),
    ],
)
def test_bad_params(params: dict[str, object], key: str) -> None:
    with pytest.raises(ScenarioError, match=key):
        build_model("record", params)


def test_parse_period() -> None:
    assert str(parse_period("2011-2022")) == "2011-2022"
    for bad in ("2022-2011", "x", "1800-1900"):
        with pytest.raises(ScenarioError, match="period"):
            parse_period(bad)


HEADER = "year,meeting,date,topic,kind,resolution,draft,vetoed_by,yes,no,abstain\n"


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("2020,S/PV.1,2020-01-01,x,resolution,1,,,15,0\n", "give all three or none"),
        ("2020,S/PV.1,2020-01-01,x,passed,1,,,15,0,0\n", "'kind'"),
        ("2020,S/PV.1,2020-01-01,x,vetoed,,S/1,Narnia,14,1,0\n", "'vetoed_by'"),
        ("20x0,S/PV.1,2020-01-01,x,resolution,1,,,15,0,0\n", "'year'"),
    ],
)
def test_bad_outcome_rows_name_file_and_line(tmp_path: Path, body: str, problem: str) -> None:
    path = tmp_path / "out.csv"
    path.write_text(HEADER + body)
    with pytest.raises(ScenarioError, match=f"out.csv:2: .*{problem}"):
        read_outcomes(path)


def test_missing_column(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    path.write_text("year,date\n2020,2020-01-01\n")
    with pytest.raises(ScenarioError, match=r"out\.csv:1: --outcomes: no column 'topic'"):
        read_outcomes(path)


def test_cli_errors_are_one_line(tmp_path: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(main, ["replay", "current", "--period", "2011-2022"])
    assert res.exit_code == 2
    assert "--outcomes" in res.output and len(res.output.strip().splitlines()) == 1
    missing = str(tmp_path / "none.csv")
    args = ["fit", "--outcomes", missing, "--vetoes", missing, "--membership", missing]
    res = runner.invoke(main, [*args, "--ideal-points", missing, "--period", "2011-2022"])
    assert res.exit_code == 2 and "cannot read" in res.output
    assert len(res.output.strip().splitlines()) == 1


@pytest.fixture(scope="module")
def record_files(shared_data: Path) -> dict[str, Path]:
    paths = {k: shared_data / v for k, v in FILES.items()}
    for p in paths.values():
        if not p.is_file():
            pytest.skip(f"{p.name} is not in the shared data folder")
    return paths


@pytest.mark.slow
def test_refit_reproduces_the_shipped_preset(record_files: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "params.toml"
    args = ["fit", *(f"--{k.replace('_', '-')}={v}" for k, v in record_files.items())]
    res = CliRunner().invoke(main, [*args, "--period", "2011-2022", "-o", str(out)])
    assert res.exit_code == 0, res.output
    fitted = tomllib.loads(out.read_text())["presets"]["2011-2022"]
    shipped = presets()["2011-2022"].numbers()
    for name, value in shipped.items():
        if name == "veto":
            for code, v in value.items():
                assert fitted["veto"][code] == pytest.approx(v, abs=1e-4)
        elif name != "period":
            assert fitted[name] == pytest.approx(value, abs=1e-4)
    as_json = CliRunner().invoke(main, [*args, "--period", "2011-2022", "--format", "json"])
    assert as_json.exit_code == 0, as_json.output
    (data,) = json.loads(as_json.stdout)
    assert data["period"] == "2011-2022" and data["drafts"] == 719
    assert data["params"]["consensus"] == pytest.approx(fitted["consensus"], abs=1e-6)
    assert data["record"]["adopted"] == pytest.approx(674 / 719)


def _replay(
    files: dict[str, Path], ref: str, period: str, workers: int = 1, replicates: int = 50
) -> dict[str, float]:
    drafts = read_outcomes(files["outcomes"])
    result = replay(
        scenario.load(ref).council,
        drafts,
        parse_period(period),
        presets()["2011-2022"],
        seed=5,
        replicates=replicates,
        workers=workers,
    )
    return {k: v.estimate for k, v in result.replayed.items()}


@pytest.mark.parametrize("period", sorted(RECORD))
def test_replay_current_gives_back_the_record(record_files: dict[str, Path], period: str) -> None:
    drafts = read_outcomes(record_files["outcomes"])
    result = replay(
        scenario.load("current").council,
        drafts,
        parse_period(period),
        presets()[period],
        replicates=50,
    )
    for name, est in result.replayed.items():
        assert est.ci_low <= result.recorded[name] <= est.ci_high


def test_replay_reforms_and_workers(record_files: dict[str, Path]) -> None:
    current = _replay(record_files, "current", "2011-2022")
    double = _replay(record_files, "double-veto", "2011-2022")
    african = _replay(record_files, "african-union-2005", "2011-2022", replicates=200)
    assert double["vetoed"] < current["vetoed"] == 28 <= african["vetoed"]
    assert _replay(record_files, "g4-2005", "2019-2020", workers=2) == _replay(
        record_files, "g4-2005", "2019-2020"
    )


def test_replay_json_keys(record_files: dict[str, Path]) -> None:
    res = CliRunner().invoke(
        main,
        [
            "replay",
            "double-veto",
            "--period",
            "2020-2022",
            "--outcomes",
            str(record_files["outcomes"]),
            "--model-period",
            "2011-2022",
            "--replicates",
            "20",
            "--format",
            "json",
        ],
    )
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert {"scenario", "period", "drafts", "recorded", "replayed", "flips"} <= set(data)
    assert set(data["replayed"]["vetoed"]) == {"estimate", "ci_low", "ci_high"}
    assert {"draft", "date", "topic", "recorded", "p_adopted"} <= set(data["flips"][0])


def test_read_record(record_files: dict[str, Path]) -> None:
    record = read_record(**{k: str(v) for k, v in record_files.items()})
    counts = record.veto_counts(parse_period("1946-2022"))
    assert counts == {"CHN": 17, "FRA": 17, "GBR": 29, "RUS": 120, "USA": 82}


def test_fit_names_the_bad_row(tmp_path: Path) -> None:
    outcomes = tmp_path / "out.csv"
    outcomes.write_text(HEADER + "2020,S/PV.1,2020-01-01,x,resolution,1,,,15,0,zero\n")
    res = CliRunner().invoke(
        main,
        [
            "fit",
            "--outcomes",
            str(outcomes),
            "--vetoes",
            str(outcomes),
            "--membership",
            str(outcomes),
            "--ideal-points",
            str(outcomes),
            "--period",
            "2020-2020",
        ],
    )
    assert res.exit_code == 2
    assert res.output.strip().splitlines() == [
        f"councilsim: error: {outcomes}:2: column 'abstain': 'zero' is not a whole number; "
        "correct the row or remove it"
    ]


def test_params_file_round_trip(tmp_path: Path) -> None:
    from councilsim.models.record_fit import MOMENTS, Fit, presets_toml

    shipped = presets()["1990-2010"]
    moments = dict.fromkeys(MOMENTS, 0.0)
    path = tmp_path / "p.toml"
    path.write_text(presets_toml([Fit(shipped, moments, moments, 1, 0.0)], {}, "test"))
    model = build_model("record", {"file": str(path)})
    assert isinstance(model, RecordModel)
    assert model.fitted.numbers() == shipped.numbers()
    assert model.params() == {"period": "1990-2010", "file": str(path)}


def test_params_file_out_of_range(tmp_path: Path) -> None:
    from councilsim.models.record_fit import MOMENTS, Fit, presets_toml

    moments = dict.fromkeys(MOMENTS, 0.0)
    text = presets_toml([Fit(presets()["2011-2022"], moments, moments, 1, 0.0)], {}, "t")
    path = tmp_path / "p.toml"
    path.write_text(text.replace("consensus = ", "consensus = 1", 1))  # 10.78...
    with pytest.raises(ScenarioError, match=r"must lie in 0\.\.1"):
        build_model("record", {"file": str(path)})


def test_simulate_compare_and_sweep_take_the_model() -> None:
    runner = CliRunner()
    args = ["--model", "record", "--param", "period=2011-2022"]
    res = runner.invoke(main, ["simulate", "current", *args, "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["model"] == "record" and data["params"] == {"period": "2011-2022"}
    assert abs(data["adopted"]["estimate"] - 674 / 719) < 0.03
    res = runner.invoke(main, ["compare", "current", "double-veto", *args, "--draws", "20000"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(
        main, ["sweep", "current", "--vary", "veto_threshold=1:2", *args, "--draws", "20000"]
    )
    assert res.exit_code == 0, res.output


@pytest.mark.parametrize("scenario_id", ["current", "g4-2005-veto"])
def test_stances_give_the_votes_of_the_formula_written_out(scenario_id: str) -> None:
    """The votes formed in place, a block of rows at a time, against the formula of the
    module docstring computed in one go: equal, vote for vote, across row blocks."""
    params = presets()["1990-2010"]
    council = scenario.load(scenario_id).council
    roles = RecordModel(fitted=params).sampler(council).roles
    rng = np.random.default_rng(7)
    n, m = 2 * record.ROWS + 37, council.size
    contested = rng.random(n) >= params.consensus
    side = np.where(rng.random(n) < params.west, 1, -1).astype(np.int8)
    g, eps = rng.standard_normal(n), rng.standard_normal((n, m))
    point = rng.standard_normal((n, m))
    got = record.stances_to_votes(params, roles, contested, side, g, eps, point)
    # the formula, written out
    mu = params.elected - params.slope * side[:, None].astype(np.float64) * point
    p5 = roles.camp != 0
    opposes = roles.camp[None, p5] != side[:, None]
    mu[:, p5] = np.where(opposes, roles.veto_mu[None, p5], record.BACKING)
    c = params.common
    z = mu + c * g[:, None] + math.sqrt(1.0 - c * c) * eps
    want = np.where(z < 0, 0, np.where(z < params.band, 2, 1)).astype(np.int8)
    want[~contested] = 0
    np.testing.assert_array_equal(got, want)
    assert {0, 1, 2} <= set(np.unique(got).tolist())
