"""Hardening: bounds on every input, safe files, a verified journal, escaped output."""

from __future__ import annotations

import json
import os
import signal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from councilsim import files
from councilsim.errors import ScenarioError, escape
from councilsim.limits import MAX_CSV_FIELD, MAX_EXPONENT, MAX_INT_DIGITS, MAX_YEAR
from councilsim.scenario import load, load_text
from councilsim.sweep import journal as journal_module
from councilsim.sweep import parse_sweep
from councilsim.sweep.engine import Interrupted
from councilsim.sweep.journal import Journal
from councilsim.validate import Context, exact, int_text, parse_csv, read_csv, to_fraction

# ------------------------------------------------------------------------------ numbers


def test_exact_numbers_are_read_exactly_within_the_bounds() -> None:
    assert exact("1/3", "p") == Fraction(1, 3)
    assert exact(" 2.5e-3 ", "p") == Fraction(1, 400)
    assert exact(f"1e-{MAX_EXPONENT}", "p") == Fraction(1, 10**MAX_EXPONENT)


@pytest.mark.parametrize(
    "text",
    ["1e-999999999", "1E+999999999", f"1e{MAX_EXPONENT + 1}", "0." + "1" * 9000, "1/" + "3" * 5000],
)
def test_exact_numbers_beyond_the_bounds_are_refused_at_once(text: str) -> None:
    with pytest.raises(ScenarioError, match=r"^p: "):
        exact(text, "p")
    with pytest.raises(ScenarioError):
        to_fraction(text, "expected.coleman_act")


def test_long_digit_strings_are_refused_before_conversion() -> None:
    assert int_text("9" * MAX_INT_DIGITS, "--seed") == int("9" * MAX_INT_DIGITS)
    with pytest.raises(ScenarioError, match="digits is too long"):
        int_text("9" * 5000, "--seed")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1e7", 10**7),
        ("2.5E6", 2_500_000),
        ("+1e+3", 1000),
        ("100.0", 100),
        (".5e1", 5),
        ("1_0e2", 1000),
        ("-3e0", -3),
        ("1e59", 10**59),
        (" 4e2 ", 400),
    ],
)
def test_whole_numbers_may_be_written_with_a_power_of_ten(text: str, value: int) -> None:
    assert int_text(text, "--draws") == value


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1.5", "'1.5' is not a whole number"),
        ("1e-3", "'1e-3' is not a whole number"),
        ("1.25e1", "'1.25e1' is not a whole number"),
        ("nan", "'nan' is not a whole number"),
        ("inf", "'inf' is not a whole number"),
        ("1e", "'1e' is not a whole number"),
        ("e3", "'e3' is not a whole number"),
        ("0x10", "'0x10' is not a whole number"),
        ("1e60", "'1e60' has more than 60 digits"),
        ("1e999999999", "'1e999999999' has more than 60 digits"),
        ("1e9999999999", "'1e9999999999' is not a whole number"),
    ],
)
def test_powers_of_ten_that_are_not_whole_or_too_long_are_refused(text: str, message: str) -> None:
    with pytest.raises(ScenarioError, match=f"^--draws: {message}"):
        int_text(text, "--draws")


def test_a_toml_integer_past_pythons_limit_is_one_error_with_its_line() -> None:
    text = 'extends = "current"\n[rule]\nquota = ' + "9" * 5000 + "\n"
    with pytest.raises(ScenarioError, match=r"^x.toml:3: a number is far too long"):
        load_text(text, "x.toml")


def test_strings_are_not_integers_in_a_file() -> None:
    text = 'extends = "current"\n[simulation]\ndraws = "1000"\n'
    with pytest.raises(ScenarioError, match=r"x.toml:3: simulation.draws: expected an integer"):
        load_text(text, "x.toml")


@pytest.mark.parametrize("value", ['"nan"', '"inf"', "1e308", '"1e300"', "-1e13"])
def test_absurd_model_parameters_are_refused(value: str) -> None:
    text = f'extends = "current"\n[simulation]\nmodel = "spatial"\nparams = {{ noise = {value} }}\n'
    with pytest.raises(ScenarioError, match=r"x.toml:4: simulation.params.noise"):
        load_text(text, "x.toml")


# ------------------------------------------------------------------------------ CSV files


def csv_rows(text: str) -> list[dict[str, str]]:
    rows = parse_csv(text, "f.csv", required=("a", "b"), what="a test file")
    return [dict(r.values) for r in rows]


def test_csv_rows_are_read_with_their_lines() -> None:
    rows = parse_csv("\ufeffa,b\n1,2\n\n3,4\n", "f.csv", required=("a",), what="a test file")
    assert [(r.line, r.text("a"), r.number("b")) for r in rows] == [(2, "1", 2.0), (4, "3", 4.0)]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a\n1\n", r"f.csv:1: missing column 'b'"),
        ("a,b\n1\n", r"f.csv:2: 1 fields where the header has 2"),
        ("a,b\n1,2,3\n", r"f.csv:2: 3 fields where the header has 2"),
        ('a,b\n"1,2\n', r"f.csv:2: not a valid CSV file: unexpected end of data"),
        ("a,b\n1," + "x" * (MAX_CSV_FIELD + 1) + "\n", r"f.csv:2: b: a field of"),
        ("a,b\n1," + "x" * 200_000 + "\n", r"f.csv:2: "),
        ("", r"f.csv: the file is empty"),
    ],
)
def test_malformed_csv_files_are_one_error_with_file_and_line(text: str, message: str) -> None:
    with pytest.raises(ScenarioError, match=f"^{message}"):
        csv_rows(text)


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e308", "x", "1e400"])
def test_csv_numbers_are_finite_and_sane(value: str) -> None:
    (row,) = parse_csv(f"a,b\n1,{value}\n", "f.csv", required=("b",), what="a test file")
    with pytest.raises(ScenarioError, match=r"^f.csv:2: b: "):
        row.number("b")


@pytest.mark.parametrize("value", ["999999999999", "1e400", "2000.5", "x", "-5", str(MAX_YEAR + 1)])
def test_csv_years_are_whole_and_in_range(value: str) -> None:
    (row,) = parse_csv(f"year\n{value}\n", "f.csv", required=("year",), what="a test file")
    with pytest.raises(ScenarioError, match=r"^f.csv:2: year: "):
        row.year()


# ------------------------------------------------------------------------------ reading files


def test_only_regular_files_are_read(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="is a device, not a file"):
        files.read_bytes("/dev/zero", "/dev/zero", limit=100)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(ScenarioError, match="is a FIFO, not a file"):
        files.read_bytes(fifo, "fifo", limit=100)
    with pytest.raises(ScenarioError, match="is a folder, not a file"):
        files.read_bytes(tmp_path, "dir", limit=100)
    big = tmp_path / "big"
    big.write_bytes(b"x" * 101)
    with pytest.raises(ScenarioError, match="file is over 100 bytes"):
        read_csv(big, "big", required=("a",), limit=100, what="a test file")


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b'\xef\xbb\xbfextends = "current"\n')
    assert load(path).council.size == 15


def test_a_bad_extends_target_says_what_it_is(tmp_path: Path) -> None:
    (tmp_path / "loop1.toml").symlink_to("loop2.toml")
    (tmp_path / "loop2.toml").symlink_to("loop1.toml")
    (tmp_path / "folder.toml").mkdir()
    for target, reason in [
        ("loop1.toml", "is a loop of symbolic links"),
        ("folder.toml", "is a folder"),
        ("missing.toml", "does not exist"),
        ("/dev/null", "is a device"),
    ]:
        path = tmp_path / "child.toml"
        path.write_text(f'extends = "{target}"\n')
        with pytest.raises(ScenarioError, match=f"child.toml:1: extends: .* {reason}"):
            load(path)


def test_a_file_that_is_not_a_scenario_is_not_echoed(tmp_path: Path) -> None:
    path = tmp_path / "other.toml"
    path.write_text('[tool.secret]\ntoken = "hunter2"\n')
    with pytest.raises(ScenarioError, match="not a scenario file") as info:
        load(path)
    assert "hunter2" not in str(info.value) and "secret" not in str(info.value)


def test_keys_inside_inline_tables_have_their_line() -> None:
    text = 'id = "x"\n[simulation]\nmodel = "impartial"\nparams = { p = "2" }\n'
    assert Context("x.toml", text).line_of("simulation.params.p") == 4


# ------------------------------------------------------------------------------ writing files


def test_output_locations_that_must_not_be_written_are_refused(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    files.check_output(target)  # a new file in an existing folder
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    for path, problem in [
        (link, "is a symbolic link"),
        (fifo, "is a FIFO"),
        (tmp_path, "is a folder"),
        (Path("/dev/null"), "is a device"),
        (tmp_path / "no" / "x.png", "does not exist"),
    ]:
        with pytest.raises(ScenarioError, match=problem):
            files.check_output(path, "--plot")
        if problem != "does not exist":
            with pytest.raises(ScenarioError, match=problem):
                files.write_atomic(path, "x")
    source = tmp_path / "in.toml"
    source.write_text("x")
    with pytest.raises(ScenarioError, match="is an input of this command"):
        files.check_output(source, "--output", [str(source)])
    files.forget_inputs()
    files.read_bytes(source, "in.toml", limit=10)
    with pytest.raises(ScenarioError, match="is an input of this command"):
        files.check_output(source)
    files.forget_inputs()
    files.check_output(source)


def test_control_characters_are_escaped() -> None:
    assert escape("a\x1b[2Jb\x07\n\tc\x9b") == "a\\x1b[2Jb\\x07\n\tc\\x9b"
    err = ScenarioError("name \x1b]0;pwned\x07", key="k")
    assert "\x1b" not in str(err) and "\x07" not in str(err)


# ------------------------------------------------------------------------------ the journal


def journal_of(tmp_path: Path) -> tuple[object, Path, list[str]]:
    spec = parse_sweep(vary=["quota=9:11"])
    journal = tmp_path / "out.csv.journal"
    spec.run(workers=1, journal=journal)
    return spec, journal, journal.read_text().splitlines(keepends=True)


def resume(spec: object, journal: Path) -> object:
    return spec.run(workers=1, journal=journal, resume=True)  # type: ignore[attr-defined]


def test_a_journal_line_copied_under_another_index_is_refused(tmp_path: Path) -> None:
    spec, journal, lines = journal_of(tmp_path)
    forged = json.loads(lines[1])
    forged["index"] = 2
    journal.write_text(lines[0] + lines[1] + json.dumps(forged) + "\n")
    with pytest.raises(ScenarioError, match=r"out.csv.journal:3: line 3: "):
        resume(spec, journal)


def test_a_journal_line_with_made_up_values_is_refused(tmp_path: Path) -> None:
    spec, journal, lines = journal_of(tmp_path)
    forged = json.loads(lines[2])
    forged["measures"] = {k: 0 for k in forged["measures"]}
    journal.write_text(lines[0] + lines[1] + json.dumps(forged) + "\n")
    with pytest.raises(ScenarioError, match=r":3: line 3: the checksum does not match"):
        resume(spec, journal)


def test_a_journal_line_missing_its_measures_is_refused_before_any_work(tmp_path: Path) -> None:
    spec, journal, lines = journal_of(tmp_path)
    row = json.loads(lines[1])
    del row["measures"]
    journal.write_text(lines[0] + json.dumps(row) + "\n")
    with pytest.raises(ScenarioError, match=r":2: line 2: the row lacks 'measures'"):
        resume(spec, journal)


def test_a_folder_in_place_of_the_journal_is_refused(tmp_path: Path) -> None:
    spec = parse_sweep(vary=["quota=9:11"])
    journal = tmp_path / "out.csv.journal"
    journal.mkdir()
    with pytest.raises(ScenarioError, match="the journal is a folder"):
        spec.run(workers=1, journal=journal, resume=True)
    with pytest.raises(ScenarioError, match="in the way"):
        spec.run(workers=1, journal=journal)


def test_two_runs_cannot_hold_one_journal(tmp_path: Path) -> None:
    spec, journal, lines = journal_of(tmp_path)
    journal.write_text("".join(lines[:2]))
    header = json.loads(lines[0])
    first = Journal.resume(journal, header["sweep"], header["total"])
    try:
        with pytest.raises(ScenarioError, match="another run is using this journal"):
            Journal.resume(journal, header["sweep"], header["total"])
    finally:
        first.close()
    assert len(resume(spec, journal)) == 3  # type: ignore[arg-type]


def test_exact_simulation_refuses_fractions_too_long_to_compute() -> None:
    from councilsim.models import ImpartialModel
    from councilsim.simulation import exact_outcomes

    text = 'id = "big"\n[rule]\nquota = 600\n[seats.a]\nkind = "elected"\ncount = 1000\nterm = 2\n'
    council = load_text(text, "big.toml").council
    with pytest.raises(ScenarioError, match="too many digits"):
        exact_outcomes(council, ImpartialModel(p=Fraction(123456789, 10**9)))


def test_exact_results_longer_than_pythons_digit_limit_are_written() -> None:
    from councilsim.formatting import fraction_text

    assert fraction_text(Fraction(1, 3**10_000)) == "1/" + _digits(3**10_000)


def _digits(n: int) -> str:
    import sys

    limit = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)
    try:
        return str(n)
    finally:
        sys.set_int_max_str_digits(limit)


class _CtrlCOnWrite:
    """A journal file that receives a Ctrl-C just before or just after its first rows are
    written."""

    def __init__(self, handle: Any, before: bool) -> None:
        self._handle = handle
        self._before = before
        self._writes = 0

    def write(self, text: str) -> int:
        self._writes += 1
        first_rows = self._writes == 2  # the header, then the first rows
        if first_rows and self._before:
            signal.raise_signal(signal.SIGINT)
        done = int(self._handle.write(text))
        if first_rows and not self._before:
            signal.raise_signal(signal.SIGINT)
        return done

    def __getattr__(self, name: str) -> Any:
        return getattr(self._handle, name)


def ctrl_c_on_first_rows(monkeypatch: pytest.MonkeyPatch, before: bool = False) -> None:
    opened = journal_module._open
    monkeypatch.setattr(journal_module, "_open", lambda *a: _CtrlCOnWrite(opened(*a), before))


def test_a_ctrl_c_while_rows_are_journalled_waits_until_they_are_counted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, _, lines = journal_of(tmp_path)
    rows = [json.loads(line) for line in lines[1:]]
    ctrl_c_on_first_rows(monkeypatch)
    journal = Journal.create(tmp_path / "j", "fingerprint", 3)
    with pytest.raises(KeyboardInterrupt):
        journal.append(rows[:2])
    assert sorted(journal.rows) == [0, 1]
    journal.close()
    assert len((tmp_path / "j").read_text().splitlines()) == 3


@pytest.mark.parametrize("before", [True, False])
def test_an_interrupted_sweep_reports_exactly_the_rows_in_its_journal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, before: bool
) -> None:
    ctrl_c_on_first_rows(monkeypatch, before)
    spec = parse_sweep(vary=["quota=9:11"])
    journal = tmp_path / "out.csv.journal"
    with pytest.raises(Interrupted) as stop:
        spec.run(workers=1, journal=journal)
    assert stop.value.saved == len(journal.read_text().splitlines()) - 1 == 1
    assert stop.value.total == 3


@pytest.mark.parametrize(
    ("text", "line"),
    [('id = "x"\nname = """abc\n', 2), ('id = "x"\nseats = [1,\n\n\n', 2), ("id = ", 1)],
)
def test_toml_that_ends_inside_a_value_names_its_last_line(text: str, line: int) -> None:
    with pytest.raises(ScenarioError) as info:
        load_text(text, "early.toml")
    message = str(info.value)
    assert message.startswith(f"early.toml:{line}: invalid TOML: ")
    assert "where the file ends" in message and "end of document" not in message
    assert "close the quote or bracket" in message
