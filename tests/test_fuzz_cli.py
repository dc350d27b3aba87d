"""The command line against hostile input: a corpus of known attacks and generated input.

Every command must end in exit status 0 with a correct result, or exit status 2 with one line,
never a traceback, within the time guard and the memory limit of :mod:`hostile` (guards
against a runaway command, not speed assertions). The corpus holds every failure reported in
issue 17; the generated part draws scenario documents (:mod:`councilsim.strategies`), option
values and CSV files.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hostile import Driver, Outcome
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from councilsim.errors import ScenarioError
from councilsim.strategies import mutated_scenarios, scenario_documents
from councilsim.validate import int_text

HERE = Path(__file__).parent
HOSTILE = HERE / "data-hostile"
FAIL = HERE / "data-fail"


@pytest.fixture(scope="module")
def driver() -> Iterator[Driver]:
    d = Driver()
    yield d
    d.close()


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with the hostile files that are made rather than shipped."""
    root = tmp_path_factory.mktemp("hostile")
    long = "x" * 140_000
    (root / "membership-long-field.csv").write_text(f"year,iso3,seat\n2025,{long},permanent\n")
    (root / "candidates-long-field.csv").write_text(f"iso3,weight\nFRA,{'1' * 140_000}\n")
    (root / "scenario.toml").write_text('extends = "current"\n')
    big = 'id = "big"\n[rule]\nquota = 600\n[seats.a]\nkind = "elected"\ncount = 1000\nterm = 2\n'
    (root / "big.toml").write_text(big)
    (root / "grid.sweep.toml").write_text('base = "current"\n[vary]\nquota = "9:10"\n')
    os.mkfifo(root / "fifo")
    (root / "link.txt").symlink_to(root / "scenario.toml")
    (root / "folder").mkdir()
    (root / "taken.csv.journal").mkdir()
    (root / "loop1.toml").symlink_to("loop2.toml")
    (root / "loop2.toml").symlink_to("loop1.toml")
    (root / "extends-loop.toml").write_text('extends = "loop1.toml"\n')
    (root / "extends-folder.toml").write_text('extends = "folder"\n')
    (root / "bom.toml").write_bytes(b'\xef\xbb\xbfextends = "current"\n')
    (root / "escape.toml").write_text('extends = "current"\nname = "a\\u001b[2Jb"\n')
    return root


def ends_well(outcome: Outcome) -> None:
    problem = outcome.problem()
    assert problem is None, f"councilsim {' '.join(outcome.args)[:300]}: {problem}"


SPATIAL = ["simulate", "current", "--model", "spatial", "--draws", "100"]

# Each case: arguments, and the start of the error (None: exit 0 expected).
CORPUS: list[tuple[list[str], str | None]] = [
    # unbounded work from a few bytes
    (["validate", "H/expected-huge-exponent.toml"], "H/expected-huge-exponent.toml:3:"),
    (["validate", "H/params-huge-exponent.toml"], "H/params-huge-exponent.toml:4:"),
    (["simulate", "current", "--p", "1e-999999999"], "--p: "),
    (["sweep", "--vary", "params.p=1e-999999999"], "--vary params.p: "),
    (["sweep", "--vary", "params.p=1e-99999:1"], "--vary params.p: "),
    (["validate", "H/quota-5000-digits.toml"], "H/quota-5000-digits.toml:3: "),
    (["validate", "H/seed-5000-digits.toml"], "H/seed-5000-digits.toml:3: "),
    (["simulate", "current", "--seed", "9" * 5000], "--seed: "),
    (["power", "--game", "9" * 5000 + ":1,1"], "game "),
    (["power", "--game", "9;" + "9" * 5000 + ",1"], "game "),
    (["validate", "H/idealpoints-dev-zero.toml"], "/dev/zero: is a device"),
    (["elect", "current", "--candidates", "/dev/zero"], "/dev/zero: is a device"),
    (["equity", "current", "--population", "/dev/zero"], "/dev/zero: is a device"),
    (
        ["amend", "g4-2005", "--positions", "/dev/zero"],
        "/dev/zero: is a device, not a file; give the path of a positions file",
    ),
    (["elect", "current", "--membership", "/dev/zero", "--start-year", "2025"], "/dev/zero"),
    (["elect", "current", "--candidates", "W/fifo"], "W/fifo: is a FIFO"),
    (["validate", "W/fifo"], "W/fifo: "),
    (
        ["elect", "current", "--membership", "H/membership-huge-year.csv", "--start-year", "2025"],
        "H/membership-huge-year.csv:3: year: ",
    ),
    (["power", "H/power-1000-seats.toml", "--index", "shapley_shubik"], "the Shapley-Shubik"),
    (["power", "H/power-1000-seats.toml", "--index", "deegan_packel"], "the Deegan-Packel"),
    (["power", "H/power-1000-seats.toml", "--index", "banzhaf"], None),
    (["simulate", "W/big.toml", "--exact", "--p", "0.123456789"], "simulation.params: "),
    (["simulate", "current", "--exact", "--p", "0." + "3" * 98], None),
    # CSV readers
    (
        ["elect", "current", "--membership", "H/membership-missing-column.csv"],
        "H/membership-missing-column.csv:1: missing column 'seat'",
    ),
    (
        ["elect", "current", "--membership", "H/membership-extra-column.csv"],
        "H/membership-extra-column.csv:2: ",
    ),
    (
        ["elect", "current", "--membership", "H/membership-unterminated-quote.csv"],
        "H/membership-unterminated-quote.csv:2: ",
    ),
    (
        ["elect", "current", "--membership", "W/membership-long-field.csv"],
        "W/membership-long-field.csv:2: ",
    ),
    (
        ["elect", "current", "--membership", "H/membership-year-1e400.csv"],
        "H/membership-year-1e400.csv:2: year: ",
    ),
    (
        ["elect", "current", "--candidates", "H/candidates-missing-weight.csv"],
        "H/candidates-missing-weight.csv:2: ",
    ),
    (
        ["elect", "current", "--candidates", "H/candidates-unterminated-quote.csv"],
        "H/candidates-unterminated-quote.csv:2: ",
    ),
    (
        ["elect", "current", "--candidates", "W/candidates-long-field.csv"],
        "W/candidates-long-field.csv:2: ",
    ),
    *[
        (
            [*SPATIAL, "--ideal-points", f"H/{name}.csv", "--year", "2000"],
            f"H/{name}.csv:{line}: ",
        )
        for name, line in [
            ("idealpoints-missing-column", 2),
            ("idealpoints-unterminated-quote", 2),
            ("idealpoints-year-1e400", 2),
            ("idealpoints-nan", 2),
        ]
    ],
    # data that is not data
    (["validate", "H/idealpoints-nan.toml"], "H/idealpoints-nan.csv:2: idealpointall: 'nan'"),
    (["validate", "H/string-quota.toml"], "H/string-quota.toml:3: rule.quota: "),
    # files
    (["power", "W/scenario.toml", "-o", "W/scenario.toml"], "--output: "),
    (["sweep", "W/grid.sweep.toml", "-o", "W/grid.sweep.toml"], "--output: "),
    (["power", "current", "-o", "/dev/full"], "Invalid value for '--output'"),
    (["power", "current", "-o", "W/fifo"], "Invalid value for '--output'"),
    (["power", "current", "-o", "W/link.txt"], "Invalid value for '--output'"),
    (["power", "current", "-o", "W/folder"], "Invalid value for '--output'"),
    (["sweep", "--vary", "quota=9:10", "-o", "W/x.csv", "--plot", "W/nodir/x.png"], "--plot: "),
    (["sweep", "--vary", "quota=9:10", "-o", "W/taken.csv"], "--output (its journal): "),
    # messages
    (["validate", "W/extends-loop.toml"], "W/extends-loop.toml:1: extends: "),
    (["validate", "W/extends-folder.toml"], "W/extends-folder.toml:1: extends: "),
    (["validate", "W/bom.toml"], None),
    (["validate", "W/scenario.toml", "-o", "W/scenario.toml"], "--output: "),
    (["show", "W/escape.toml"], None),
    (["run", "H/power-1000-seats.toml", "--draws", "10"], None),  # Monte Carlo, Banzhaf only
]


@pytest.mark.parametrize(("args", "error"), CORPUS, ids=[" ".join(a)[:60] for a, _ in CORPUS])
def test_hostile_corpus(driver: Driver, work: Path, args: list[str], error: str | None) -> None:
    spell = [a.replace("H/", f"{HOSTILE}/").replace("W/", f"{work}/") for a in args]
    outcome = driver.run(spell, work)
    ends_well(outcome)
    if error is None:
        assert outcome.code == 0, outcome.stderr
    else:
        want = error.replace("H/", f"{HOSTILE}/").replace("W/", f"{work}/")
        assert outcome.stderr.startswith(f"councilsim: error: {want}"), outcome.stderr
    assert "\x1b" not in outcome.stdout + outcome.stderr
    assert (work / "scenario.toml").read_text() == 'extends = "current"\n'
    assert not (work / "x.csv").exists(), "never an output before its plot was checked"


def test_every_failing_fixture_is_one_clean_line(driver: Driver, work: Path) -> None:
    for path in sorted([*FAIL.glob("*.toml"), *HOSTILE.glob("*.toml")]):
        for command in (["validate"], ["show"], ["power", "--index", "banzhaf"]):
            ends_well(driver.run([*command, str(path)], work))


# ------------------------------------------------------------------------------ generated input

FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@FUZZ
@given(text=st.one_of(scenario_documents(max_seats=9), mutated_scenarios()))
def test_generated_scenarios_end_well(driver: Driver, work: Path, text: str) -> None:
    path = work / "generated.toml"
    path.write_text(text, encoding="utf-8")
    for command in (["validate"], ["power", "--index", "banzhaf"], ["show"]):
        ends_well(driver.run([*command, str(path)], work))


NUMBERS = st.one_of(
    st.from_regex(r"\A-?[0-9_]{0,80}(\.[0-9]{0,80})?([eE][+-]?[0-9]{1,12})?(/[0-9]{1,5})?\Z"),
    st.sampled_from(["nan", "inf", "-inf", "1e308", "1e-999999999", "9" * 5000, "0x10", ""]),
    st.text(max_size=30),
)
OPTIONS = [
    ["simulate", "current", "--draws", "100", "--p"],
    ["simulate", "current", "--draws", "100", "--seed"],
    ["simulate", "current", "--draws"],
    ["simulate", "current", "--draws", "100", "--model", "spatial", "--param", "noise="],
    ["elect", "current", "--years", "2", "--start-year"],
    ["sweep", "--vary", "params.p="],
    ["sweep", "--vary", "quota="],
    ["power", "--game"],
    ["power", "--game=9;"],
    ["power", "--game=9;1*"],
]


@FUZZ
@given(option=st.sampled_from(OPTIONS), value=NUMBERS)
def test_generated_option_values_end_well(
    driver: Driver, work: Path, option: list[str], value: str
) -> None:
    # a valid number of drafts is a long job, not an attack: keep to what runs in seconds
    assume(option[-1] != "--draws" or not valid_at_least(value, 10**7))
    glued = option[-1].endswith(("=", ";", "*"))
    args = [*option[:-1], option[-1] + value] if glued else [*option, value]
    ends_well(driver.run(args, work))


def valid_at_least(text: str, low: int) -> bool:
    """Whether ``text`` is a whole number of at least ``low`` as the command line reads it."""
    try:
        return int_text(text, "--draws") >= low
    except ScenarioError:
        return False


FIELD = st.one_of(
    st.sampled_from(["FRA", "USA", "2000", "2025", "elected", "permanent", "nan", "1e400"]),
    st.sampled_from(["999999999999", '"', '"a,b"', "-1", "0.5", "", "inf", "zz"]),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=8),
)


@FUZZ
@given(
    kind=st.sampled_from(["membership", "candidates", "idealpoints"]),
    rows=st.lists(st.lists(FIELD, min_size=1, max_size=4), max_size=6),
)
def test_generated_csv_files_end_well(
    driver: Driver, work: Path, kind: str, rows: list[list[str]]
) -> None:
    header = {
        "membership": "year,iso3,seat",
        "candidates": "iso3,weight",
        "idealpoints": "iso3c,year,idealpointall",
    }[kind]
    path = work / f"generated-{kind}.csv"
    path.write_text(header + "\n" + "\n".join(",".join(r) for r in rows) + "\n", "utf-8")
    args = {
        "membership": ["elect", "current", "--years", "2", "--membership", str(path)],
        "candidates": ["elect", "current", "--years", "2", "--candidates", str(path)],
        "idealpoints": [*SPATIAL, "--ideal-points", str(path), "--year", "2000"],
    }[kind]
    ends_well(driver.run(args, work))


def test_the_driver_reports_a_traceback(driver: Driver, work: Path) -> None:
    """The harness can fail: a command that raises outside the error type is caught."""
    outcome = Outcome(("x",), 1, "", "Traceback (most recent call last):\n", "ValueError")
    assert outcome.problem() is not None
    assert json.loads(json.dumps({"ok": 1}))["ok"] == 1
