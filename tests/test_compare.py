"""``councilsim.compare.measures`` and ``councilsim compare``: known answers, agreement with
``power`` and ``simulate``, formats and errors."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import re
import shlex
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import given
from hypothesis import strategies as st

from councilsim.cli import main
from councilsim.compare.columns import (
    comparison,
    comparison_rows,
    measures_for_scenario,
    scenario_column,
)
from councilsim.compare.measures import (
    MEASURES,
    OUTCOMES,
    describe,
    gini,
    measures,
    outcome_rates,
)
from councilsim.council import Region, SeatKind
from councilsim.errors import ScenarioError
from councilsim.formatting import plain
from councilsim.models import BlocsModel, ImpartialModel
from councilsim.scenario import load, load_text
from councilsim.simulation import exact_outcomes, simulate
from councilsim.statepower import state_power
from councilsim.strategies import councils

FOUR = ("current", "g4-2005", "african-union-2005", "ufc-2005")


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def run_json(*args: str) -> Any:
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def frac(text: str) -> Fraction:
    return Fraction(text)


# -- compare gives the numbers of power and simulate -------------------------------------------


def _groups(ident: str) -> dict[str, list[str]]:
    """Member labels of the P5, the other permanent seats and the non-permanent seats."""
    council = load(ident).council
    out: dict[str, list[str]] = {"permanent": [], "new_permanent": [], "elected": []}
    for seat in council.seats:
        if seat.kind is not SeatKind.PERMANENT:
            out["elected"].append(seat.label)
        elif seat.seat_class == "permanent":
            out["permanent"].append(seat.label)
        else:
            out["new_permanent"].append(seat.label)
    return out


def _pairwise_gini(xs: list[Fraction]) -> Fraction:
    n = len(xs)
    return sum((abs(a - b) for a in xs for b in xs), Fraction(0)) / (2 * n * sum(xs))


def test_compare_gives_the_numbers_of_power_and_simulate() -> None:
    out = run_json(
        "compare", *FOUR, "--exact", "--state", "IND", "--state", "USA", "--no-elections"
    )
    assert out["base"] == "current" and [s["id"] for s in out["scenarios"]] == list(FOUR)
    for col in out["scenarios"]:
        ident, values = col["id"], col["values"]
        (pw,) = run_json(
            "power",
            ident,
            "--exact",
            "--index",
            "banzhaf",
            "--index",
            "banzhaf_absolute",
            "--index",
            "shapley_shubik",
        )
        sim = run_json("simulate", ident, "--exact")
        members = {m["member"]: m for m in pw["members"]}
        council = load(ident).council
        assert values["seats"] == len(members) == council.size
        assert values["quota"] == pw["quota"]
        assert values["veto_holders"] == sum(m["veto"] for m in members.values())
        assert frac(values["coleman_act"]) == frac(pw["coleman_act"])
        for rate in OUTCOMES:
            assert frac(values[rate]) == frac(sim[rate]["fraction"])
        assert frac(values["adopted"]) == frac(pw["coleman_act"])  # impartial at 1/2
        for group, labels in _groups(ident).items():
            for index, name in (
                ("banzhaf", "banzhaf"),
                ("shapley_shubik", "shapley_shubik"),
                ("penrose", "banzhaf_absolute"),
            ):
                got = values[f"{index}_{group}"]
                if not labels:
                    assert got is None
                    continue
                seat = [frac(members[m][name]) for m in labels]
                assert frac(got) == sum(seat) / len(seat)
        for member in _groups(ident)["elected"]:  # decisiveness at 1/2 is Penrose's measure
            sim_member = next(m for m in sim["members"] if m["member"] == member)
            assert frac(sim_member["decisiveness"]["fraction"]) == frac(values["penrose_elected"])
        for index in ("banzhaf", "shapley_shubik"):
            by_seat = [frac(members[s.label][index]) for s in council.seats]
            assert frac(values[f"{index}_gini"]) == _pairwise_gini(by_seat)
            for region in Region:
                held = sum(
                    (v for v, s in zip(by_seat, council.seats, strict=True) if s.region is region),
                    Fraction(0),
                )
                assert frac(values[f"{index}_region_{region.value.replace('-', '_')}"]) == held
            usa = frac(members["USA"][index])
            assert frac(values[f"{index}_state_usa"]) == usa
            ind = frac(members["IND"][index]) if "IND" in members else Fraction(0)
            assert frac(values[f"{index}_state_ind"]) == ind
        base = out["scenarios"][0]["values"]
        for key, delta in col["change"].items():
            if delta is not None:
                assert frac(delta) == frac(values[key]) - frac(base[key])


def test_decimal_output_equals_the_exact_values() -> None:
    exact = run_json("compare", *FOUR, "--exact")
    decimal = run_json("compare", *FOUR)
    for a, b in zip(exact["scenarios"], decimal["scenarios"], strict=True):
        for key, value in a["values"].items():
            if value is None:
                assert b["values"][key] is None
            else:
                assert b["values"][key] == pytest.approx(float(frac(str(value))), rel=1e-12)


def test_monte_carlo_rates_equal_simulate_with_the_same_seed() -> None:
    args = ("--model", "blocs", "--param", 'blocs={west=["USA","GBR","FRA"]}', "--draws", "70000")
    out = run_json("compare", "current", "ufc-2005", *args, "--seed", "3")
    for col in out["scenarios"]:
        sim = run_json("simulate", col["id"], *args, "--seed", "3")
        assert col["engine"] == "monte-carlo" and col["draws"] == 70000 and col["seed"] == 3
        for rate in OUTCOMES:
            v = col["values"]
            assert v[rate] == sim[rate]["estimate"]
            assert v[f"{rate}_ci_low"] == sim[rate]["ci_low"] < v[rate]
            assert v[f"{rate}_ci_high"] == sim[rate]["ci_high"] > v[rate]
            assert col["change"][f"{rate}_ci_low"] is None


# -- known answers (unsc.md §4) --------------------------------------------------------------


def test_known_answers_for_todays_council() -> None:
    m = measures(load("current").council, exact=True)
    assert m["coleman_act"] == Fraction(848, 32768) == Fraction(53, 2048) == m["adopted"]
    assert m["shapley_shubik_permanent"] == Fraction(421, 2145)
    assert m["shapley_shubik_elected"] == Fraction(4, 2145)
    assert m["banzhaf_permanent"] == Fraction(848, 5080)
    assert m["banzhaf_elected"] == Fraction(84, 5080)
    assert m["penrose_permanent"] == Fraction(848, 2**14)
    assert m["penrose_elected"] == Fraction(84, 2**14)
    assert m["banzhaf_ratio"] == Fraction(848, 84)
    assert m["shapley_shubik_ratio"] == Fraction(421, 4)
    assert m["banzhaf_new_permanent"] is None and m["shapley_shubik_new_permanent"] is None
    assert (m["seats"], m["quota"], m["veto_holders"]) == (15, 9, 5)
    assert not any(k.endswith(("_ci_low", "_ci_high")) for k in m)


def test_known_answers_for_the_council_before_1965() -> None:
    m = measures(load("pre-1965").council, exact=True)
    assert m["coleman_act"] == Fraction(57, 2048)
    assert m["shapley_shubik_permanent"] == Fraction(76, 385)
    assert m["shapley_shubik_elected"] == Fraction(1, 462)
    assert m["banzhaf_permanent"] == Fraction(57, 315)
    assert m["banzhaf_elected"] == Fraction(5, 315)


SYMMETRIC = """
id = "nine-equals"
[rule]
quota = 5
[seats.members]
kind = "elected"
count = 9
"""


def test_gini_of_a_symmetric_game_is_zero() -> None:
    m = measures(load_text(SYMMETRIC).council, exact=True)
    assert m["banzhaf_gini"] == 0 and m["shapley_shubik_gini"] == 0
    assert m["banzhaf_elected"] == m["shapley_shubik_elected"] == Fraction(1, 9)
    assert m["banzhaf_permanent"] is None and m["banzhaf_ratio"] is None
    # no seat has a group: the regional measures do not apply (rather than a silent 0)
    assert all(m[f"banzhaf_region_{r.value.replace('-', '_')}"] is None for r in Region)


def test_open_seats_without_a_region_are_an_error_for_regional_measures(tmp_path: Path) -> None:
    text = SYMMETRIC.replace("count = 9", "count = 7") + (
        '[seats.named]\nkind = "permanent"\nholders = ["USA", "FRA"]\n'
    )
    scenario = load_text(text, "partial.toml")
    with pytest.raises(ScenarioError, match=r"seats\.members\.region: open seat members-1"):
        scenario_column(scenario)
    # measures of a bare council (a sweep's configuration): not applicable rather than short
    assert measures(scenario.council)["banzhaf_region_weog"] is None
    plan = tmp_path / "partial.toml"
    plan.write_text(text, encoding="utf-8")
    result = run("compare", "current", str(plan))
    assert result.exit_code == 2
    line = result.output.strip()
    assert "partial.toml: seats.members.region" in line and "by_region" in line


def test_gini_extremes() -> None:
    assert gini([Fraction(1, 3)] * 3) == 0
    assert gini([1, 0, 0, 0]) == Fraction(3, 4)
    assert gini([1, 3]) == Fraction(1, 4)
    assert gini([]) == 0


def test_named_states() -> None:
    current, g4 = load("current").council, load("g4-2005").council
    now = measures(current, exact=True, states=["ind", "USA", "PAK", "ind"])
    assert [k for k in now if "_state_" in k] == [
        f"{i}_state_{c}" for c in ("ind", "usa", "pak") for i in ("banzhaf", "shapley_shubik")
    ]
    assert now["banzhaf_state_ind"] == 0 and now["shapley_shubik_state_ind"] == 0
    assert now["banzhaf_state_usa"] == now["banzhaf_permanent"]
    assert now["banzhaf_state_pak"] == now["banzhaf_elected"]  # PAK sits in 2026
    reform = measures(g4, exact=True, states=["IND"])
    assert reform["shapley_shubik_state_ind"] == reform["shapley_shubik_new_permanent"]
    run = state_power(load("current"), years=6, replications=40, seed=2)
    expected = measures(current, exact=True, states=["IND", "USA", "PAK"], expected=run)
    assert expected["banzhaf_state_ind"] == run.state("IND").values["banzhaf"].mean
    assert expected["banzhaf_state_usa"] == now["banzhaf_permanent"]  # exact: held for sure
    assert 0 < expected["banzhaf_state_pak"] < now["banzhaf_elected"]  # its term ends


def test_measures_of_a_scenario_use_its_elections_by_default() -> None:
    scenario = load("current")
    run = state_power(scenario, years=30, replications=8, seed=2)
    m = measures_for_scenario(scenario, states=["IND", "USA"], years=30, reps=8, seed=2)
    assert m["banzhaf_state_ind"] == pytest.approx(float(run.state("IND").values["banzhaf"].mean))
    seats = measures_for_scenario(scenario, states=["IND"], elections=False)
    assert seats["banzhaf_state_ind"] == 0
    g4 = measures_for_scenario("g4-2005", states=["IND", "NGA"], exact=True)
    assert g4["banzhaf_state_ind"] == g4["banzhaf_new_permanent"]
    assert g4["banzhaf_state_nga"] > 0  # an African permanent seat or an elected one


def test_scenario_simulation_table_gives_the_defaults() -> None:
    text = SYMMETRIC + '[simulation]\nmodel = "impartial"\n[simulation.params]\np = 0.75\n'
    scenario = load_text(text)
    m = measures_for_scenario(scenario, exact=True)
    direct = exact_outcomes(scenario.council, ImpartialModel(p=Fraction(3, 4)))
    assert m["adopted"] == direct.adopted.exact
    assert (
        measures_for_scenario(scenario, model=ImpartialModel(), exact=True)["adopted"]
        == (m["coleman_act"])
    )


def test_monte_carlo_measures_carry_intervals_and_follow_the_seed() -> None:
    council = load("current").council
    model = BlocsModel.from_params({"blocs": {"west": ["USA", "GBR", "FRA"]}})
    a = measures(council, model=model, draws=5000, seed=7)
    b = simulate(council, model, draws=5000, seed=7)
    assert a["adopted"] == b.adopted.estimate and a["vetoed_ci_high"] == b.vetoed.ci_high
    assert measures(council, model=model, draws=5000, seed=7) == a


def test_every_measure_is_described_and_produced() -> None:
    council = load("g4-2005").council
    exact_keys = set(measures(council, states=["IND"], ternary=True))
    model = BlocsModel.from_params({"blocs": {"west": ["USA", "GBR", "FRA"]}})
    mc_keys = set(measures(council, model=model, draws=1000, states=["IND"]))
    assert set(MEASURES) <= exact_keys | mc_keys
    for key in exact_keys | mc_keys:
        m = describe(key)
        assert m.label and m.unit and m.group
    assert "India" in describe("banzhaf_state_ind").label
    with pytest.raises(KeyError):
        describe("no_such_measure")


@given(councils(max_seats=12, max_weight=3), st.sampled_from([(1, 2, 0), (2, 5, 1), (1, 3, 1)]))
def test_outcome_rates_agree_with_the_exact_engine(council: Any, p: tuple[int, ...]) -> None:
    model = ImpartialModel(p=Fraction(p[0], p[1]), abstain=Fraction(p[2], p[1] * 2))
    probs = model.probabilities(council)
    adopted, vetoed = outcome_rates(council, probs, exact=True)
    reference = exact_outcomes(council, model)
    assert (adopted, vetoed) == (reference.adopted.exact, reference.vetoed.exact)
    floats = outcome_rates(council, probs)
    assert floats == pytest.approx((float(adopted), float(vetoed)), abs=1e-12)


@given(councils(max_seats=12, max_weight=3))
def test_power_measures_add_up(council: Any) -> None:
    m = measures(council, exact=True)
    counts = {"permanent": 0, "new_permanent": 0, "elected": 0}
    first = next((c.id for c in council.classes if c.kind is SeatKind.PERMANENT), None)
    for seat in council.seats:
        if seat.kind is not SeatKind.PERMANENT:
            counts["elected"] += 1
        else:
            counts["permanent" if seat.seat_class == first else "new_permanent"] += 1
    for index in ("banzhaf", "shapley_shubik"):
        total = sum((m[f"{index}_{g}"] * n for g, n in counts.items() if n), Fraction(0))
        assert total == 1
        assert 0 <= m[f"{index}_gini"] < 1


# -- formats ---------------------------------------------------------------------------------


def test_markdown_is_a_pipe_table() -> None:
    args = ("compare", "current", "g4-2005", "--format", "markdown", "--state", "IND")
    result = run(*args, "--no-elections")
    assert result.exit_code == 0, result.output
    measures_table, states = result.stdout.strip().split("\n\n## Named states", 1)
    lines = measures_table.splitlines()
    cells = [len(re.findall(r"(?<!\\)\|", line)) for line in lines]
    assert all(line.startswith("| ") and line.endswith(" |") for line in lines)
    assert len(set(cells)) == 1 and cells[0] == 5  # measure, current, g4-2005, Δ g4-2005
    assert re.fullmatch(r"\|( -{3,}:? \|)+", lines[1])
    assert lines[0] == "| Measure | current | g4-2005 | Δ g4-2005 |"
    assert any(line.startswith("| Banzhaf power of India (IND) | 0 |") for line in lines)
    assert "| IND | current | 0 | exact |" in states and "holds no named seat" in states
    expected = run(*args).stdout.split("\n\n## Named states")[1]
    assert "election run" in expected and "candidate model record" in expected


def test_csv_and_table_hold_the_json_numbers() -> None:
    data = run_json("compare", "current", "g4-2005", "--exact")
    result = run("compare", "current", "g4-2005", "--exact", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == ["measure", "label", "unit", "current", "g4-2005", "delta_g4-2005"]
    by_id = {r["measure"]: r for r in rows}
    assert list(by_id) == list(data["measures"])
    values = data["scenarios"][1]["values"]
    for key, value in values.items():
        assert by_id[key]["g4-2005"] == ("" if value is None else str(value))
    table = run("compare", "current", "g4-2005").stdout
    assert "Δ g4-2005" in table and "Shapley–Shubik power of a permanent (P5) member" in table


def test_output_file_is_written_whole(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    result = run("compare", "current", "ufc-2005", "--format", "json", "--output", str(target))
    assert result.exit_code == 0 and result.stdout == ""
    assert json.loads(target.read_text())["base"] == "current"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


# -- errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("current", "no-such-plan"), "no shipped scenario or file named 'no-such-plan'"),
        (("current", "g4-2005", "--state", "XYZ"), "--state: unknown state code 'XYZ'"),
        (("current", "--plot", "{tmp}/chart.jpg"), "--plot: cannot plot to"),
        (("current", "--report", "{tmp}/report.pdf"), "--report: cannot write a report"),
        (("current", "current"), "given more than once"),
        (("current", "--model", "nonsense"), "unknown vote model"),
        (("current", "--output", "{tmp}/missing/out.txt"), "does not exist"),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(
    tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    outputs = ["--output", str(tmp_path / "out.txt"), "--report", str(tmp_path / "r.html")]
    given_args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    if "--report" in given_args or "--output" in given_args:
        outputs = []
    result = run("compare", *given_args, *outputs)
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("councilsim: error: ")
    assert message in lines[0]
    assert list(tmp_path.iterdir()) == []


# -- the documentation's examples ------------------------------------------------------------

DOC = Path(__file__).resolve().parents[1] / "docs" / "compare.md"


def test_documented_commands_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    block = DOC.read_text(encoding="utf-8").split("```bash\n", 1)[1].split("```", 1)[0]
    commands = [shlex.split(line) for line in block.splitlines() if line.strip()]
    assert len(commands) >= 5 and all(c[:2] == ["councilsim", "compare"] for c in commands)
    monkeypatch.chdir(tmp_path)
    for command in commands:
        if "--plot" in command and importlib.util.find_spec("matplotlib") is None:
            continue
        result = run(*command[1:])
        assert result.exit_code == 0, (command, result.output)
    written = {p.name for p in tmp_path.iterdir()}
    assert "compare.csv" in written
    if importlib.util.find_spec("matplotlib") is not None:  # the report is made with a plot
        assert "compare.html" in written


def test_documented_python_values() -> None:
    block = DOC.read_text(encoding="utf-8").split("```python\n", 1)[1].split("```", 1)[0]
    namespace: dict[str, Any] = {"Fraction": Fraction}
    checked = 0
    for line in block.splitlines():
        code, _, comment = line.partition("  # ")
        if not comment:
            exec(code, namespace)
            continue
        value = eval(code.strip(), namespace)
        expected = comment.split(" = ")[0].strip()
        if expected.endswith("…"):
            assert str(value).startswith(expected[:-1])
        else:
            assert value == eval(expected, namespace)
        checked += 1
    assert checked == 4


# --- the library behind the command ----------------------------------------------------------


def test_columns_come_from_the_library() -> None:
    columns = [
        scenario_column(load(ref), exact=True, states=["IND"]) for ref in ("current", "g4-2005")
    ]
    assert run_json("compare", "current", "g4-2005", "--exact", "--state", "IND") == json.loads(
        json.dumps(plain(comparison(columns, ["IND"])))
    )
    header, rows = comparison_rows(columns)
    assert header == ["measure", "label", "unit", "current", "g4-2005", "delta_g4-2005"]
    seats = next(r for r in rows if r[0] == "seats")
    assert seats[3:] == [15, 25, 10]
    ss = next(r for r in rows if r[0] == "shapley_shubik_permanent")
    assert ss[3] == Fraction(421, 2145) and ss[5] == ss[4] - ss[3]


def test_scenario_column_follows_the_simulation_table() -> None:
    col = scenario_column(load("current"))
    assert col.model == "impartial" and col.engine == "exact" and col.draws is None
    mc = scenario_column(load("current"), model=BlocsModel(common=0.5), draws=3000, seed=4)
    assert mc.engine == "monte-carlo" and (mc.draws, mc.seed) == (3000, 4)


def test_tables_fit_100_columns_without_scientific_notation() -> None:
    result = run(
        "compare", "current", "g4-2005", "african-union-2005", "ufc-2005", "--state", "IND"
    )
    assert result.exit_code == 0
    assert max(len(line) for line in result.stdout.splitlines()) <= 100
    assert not re.search(r"\de-\d", result.stdout)
    assert result.stdout.count("\nmeasure ") >= 2  # columns that do not fit go to a second block


def test_ternary_rows_give_the_ternary_indices_per_seat() -> None:
    from councilsim.power.ternary import ternary_power

    council = load("current").council
    values = measures(council, exact=True, ternary=True)
    tern = ternary_power(council, exact=True)
    assert values["ternary_shapley_shubik_permanent"] == Fraction(118525786, 725416965)
    assert values["ternary_shapley_shubik_elected"] == tern.values["ternary_shapley_shubik"][5]
    assert values["ternary_banzhaf_permanent"] == tern.values["ternary_banzhaf"][0]
    assert values["ternary_shapley_shubik_new_permanent"] is None
    assert "ternary_banzhaf_permanent" not in measures(council, exact=True)
    data = json.loads(
        CliRunner()
        .invoke(main, ["compare", "current", "--ternary", "--exact", "--format", "json"])
        .stdout
    )
    got = data["scenarios"][0]["values"]["ternary_shapley_shubik_permanent"]
    assert got == "118525786/725416965"
    assert data["measures"]["ternary_banzhaf_elected"]["group"] == "ternary"


def test_a_scenario_with_unions_gets_each_unions_values(tmp_path: Path) -> None:
    from councilsim.power.unions import union_values
    from councilsim.scenario.unions import scenario_unions

    path = tmp_path / "blocs.toml"
    path.write_text(
        'extends = "current"\n[unions.A3]\nmembers = ["COD", "LBR", "SOM"]\nsource = "test"\n'
        '[unions.P3]\nmembers = ["FRA", "GBR", "USA"]\nsource = "test"\n',
        encoding="utf-8",
    )
    loaded = load(path)
    column = scenario_column(loaded, exact=True)
    unions = scenario_unions(loaded)
    assert unions is not None
    owen = union_values(loaded.council, unions, exact=True).values["owen"]
    a3 = [loaded.council.index_of(c) for c in ("COD", "LBR", "SOM")]
    assert column.values["owen_union_A3"] == sum((Fraction(owen[i]) for i in a3), Fraction(0))
    assert column.values["owen_union_A3"] > 3 * Fraction(4, 2145)  # a bloc gains over 3 seats
    assert measures_for_scenario(path, exact=True) == column.values  # the API's numbers too
    assert "owen_union_CHN" not in column.values  # singletons are not unions
    assert describe("banzhaf_owen_union_P3").group == "union"
    result = CliRunner().invoke(main, ["compare", "current", str(path), "--exact"])
    assert result.exit_code == 0 and "Owen value of the union A3" in result.stdout
