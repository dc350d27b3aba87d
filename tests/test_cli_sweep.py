"""``councilsim sweep`` end to end: CliRunner for the formats and options, and real processes
interrupted by SIGINT and SIGKILL, then resumed."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import signal
import struct
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from councilsim.cli import main
from councilsim.compare.measures import measures
from councilsim.formatting import cell, plain
from councilsim.scenario import load
from councilsim.sweep import parse_sweep

EXAMPLES = Path(__file__).parents[1] / "examples"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, ["sweep", *args])


def ok(*args: str) -> Result:
    result = run(*args)
    assert result.exit_code == 0, result.output
    return result


def one_line_error(result: Result) -> str:
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("councilsim: error: "), result.stderr
    return lines[0]


def test_csv_to_stdout() -> None:
    result = ok("current", "--vary", "quota=9:10", "--vary", "veto_threshold=1,2", "--workers", "1")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["vary.quota"], r["vary.veto_threshold"]) for r in rows] == [
        ("9", "1"),
        ("9", "2"),
        ("10", "1"),
        ("10", "2"),
    ]
    assert all(r["status"] == "ok" and r["reason"] == "" for r in rows)
    double = measures(load("double-veto").council)
    assert float(rows[1]["adopted"]) == double["adopted"]
    assert float(rows[1]["banzhaf_permanent"]) == double["banzhaf_permanent"]
    assert rows[0]["coleman_act"] == repr(848 / 32768)
    assert rows[0]["banzhaf_new_permanent"] == ""


def test_json_to_stdout() -> None:
    result = ok("current", "--vary", "veto_threshold=1,2", "--format", "json", "--workers", "1")
    data = json.loads(result.stdout)
    assert data["sweep"]["base"] == "current"
    assert data["sweep"]["vary"] == {"veto_threshold": [1, 2]}
    assert data["sweep"]["configurations"] == 2 and data["sweep"]["invalid"] == 0
    double = measures(load("double-veto").council)
    assert data["rows"][1]["measures"] == {k: plain(v) for k, v in double.items()}
    assert data["rows"][1]["vary"] == {"veto_threshold": 2}


def test_exact_fractions_and_named_states() -> None:
    result = ok(
        "current", "--vary", "quota=9", "--exact", "--state", "USA", "--format", "json", "-q"
    )
    row = json.loads(result.stdout)["rows"][0]["measures"]
    assert row["adopted"] == "53/2048"
    assert row["shapley_shubik_state_usa"] == "421/2145"


def test_sweep_file_with_base_override() -> None:
    example = str(EXAMPLES / "quota-veto.sweep.toml")
    result = ok(example, "--base", "g4-2005", "--format", "json", "--workers", "1")
    data = json.loads(result.stdout)
    assert data["sweep"]["base"] == "g4-2005"
    assert data["sweep"]["name"].startswith("Quota, veto holders")
    assert len(data["rows"]) == 90 and data["rows"][0]["measures"]["seats"] == 23


def test_every_example_runs(tmp_path: Path) -> None:
    for example in sorted(EXAMPLES.glob("*.sweep.toml")):
        out = tmp_path / f"{example.stem}.csv"
        ok(str(example), "--output", str(out), "--workers", "1", "-q")
        assert out.read_text().startswith("index,id,vary.")


def test_invalid_rows_are_kept_and_counted() -> None:
    result = ok("current", "--vary", "elected=4,10", "--vary", "quota=9:10", "--workers", "1")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["status"] for r in rows] == ["ok", "invalid", "ok", "ok"]
    assert rows[1]["reason"].startswith("rule.quota: 10 is outside 1..9")
    assert "1 of 4 configurations are invalid" in result.stderr


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("current", "--vary", "quota=15:9"), "--vary quota: the range '15:9' is empty"),
        (("current", "--vary", "quota=9:30"), "exceed 15"),
        (("current", "--vary", "nonsense=1"), "unknown parameter 'nonsense'"),
        (("current",), "nothing is varied"),
        (("current", "--vary", "quota=9", "--resume"), "--resume: needs the --output"),
        (("current", "--base", "g4-2005", "--vary", "quota=9"), "--base"),
        (("nowhere", "--vary", "quota=9"), "no shipped scenario"),
        (("current", "--vary", "quota=9", "--model", "spatail"), "--model: unknown vote model"),
        (("current", "--vary", "quota=9", "--param", "p=2"), "--param p: 2 is not a probability"),
        (("current", "--vary", "quota=9", "--state", "XXX"), "--states"),
        (("current", "--vary", "quota=9", "--output", "no/such/dir/x.csv"), "does not exist"),
        (("current", "--vary", "quota=9", "--plot", "x.pdf"), "--plot"),
        (("current", "--vary", "quota=9", "--plot", "x.png", "--x", "elected"), "--x"),
    ],
)
def test_bad_command_lines_give_one_line(args: tuple[str, ...], words: str) -> None:
    if "--plot" in args:
        pytest.importorskip("matplotlib")
    assert words in one_line_error(run(*args))


def test_workers_give_byte_identical_files(tmp_path: Path) -> None:
    grid = [
        "--vary",
        "elected=8:14",
        "--vary",
        "quota=7:15",
        "--vary",
        "abstention=practice,literal",
    ]
    for fmt in ("csv", "json"):
        files = []
        for workers in ("1", "2"):
            out = tmp_path / f"w{workers}.{fmt}"
            ok("current", *grid, "--format", fmt, "--workers", workers, "--output", str(out))
            files.append(out.read_bytes())
        assert files[0] == files[1]
    monte_carlo = ["--vary", "quota=9:12", "--model", "blocs", "--draws", "2000"]
    files = []
    for workers in ("1", "2"):
        out = tmp_path / f"mc{workers}.csv"
        ok("current", *monte_carlo, "--workers", workers, "--output", str(out))
        files.append(out.read_bytes())
    assert files[0] == files[1]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "mc1.csv",
        "mc2.csv",
        "w1.csv",
        "w1.json",
        "w2.csv",
        "w2.json",
    ], "no journal or temporary file is left behind"


def test_an_existing_journal_needs_resume_or_force(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    journal = tmp_path / "out.csv.journal"
    journal.write_text("left over\n")
    line = one_line_error(run("current", "--vary", "quota=9:10", "--output", str(out)))
    assert "--resume" in line and "--force" in line and str(journal) in line
    assert "not a sweep journal" in one_line_error(
        run("current", "--vary", "quota=9:10", "--output", str(out), "--resume")
    )
    ok("current", "--vary", "quota=9:10", "--output", str(out), "--force", "--workers", "1")
    assert out.exists() and not journal.exists()


def test_resume_refuses_the_journal_of_another_sweep(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    journal = tmp_path / "out.csv.journal"
    parse_sweep(vary=["quota=9:11"]).run(workers=1, journal=journal)
    line = one_line_error(
        run("current", "--vary", "quota=9:12", "--output", str(out), "--resume", "--workers", "1")
    )
    assert "belongs to a different sweep" in line
    ok("current", "--vary", "quota=9:11", "--output", str(out), "--resume", "--workers", "1")
    assert len(out.read_text().splitlines()) == 4 and not journal.exists()


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_plot_png_heatmap(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    from matplotlib import image

    out, plot = tmp_path / "grid.csv", tmp_path / "grid.png"
    ok(
        str(EXAMPLES / "quota-veto.sweep.toml"),
        "--output",
        str(out),
        "--plot",
        str(plot),
        "--workers",
        "1",
    )
    width, height = png_size(plot.read_bytes())
    assert 600 <= width <= 2400 and 400 <= height <= 1800
    pixels = image.imread(str(plot))
    assert pixels[..., :3].std() > 0.05, "the heatmap is not blank"


def test_plot_svg_with_chosen_axes_and_measure(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    plot = tmp_path / "grid.svg"
    ok(
        "current",
        "--vary",
        "quota=9:11",
        "--vary",
        "elected=8:10",
        "--vary",
        "veto_threshold=1,2",
        "--plot",
        str(plot),
        "--x",
        "quota",
        "--y",
        "elected",
        "--measure",
        "banzhaf_elected",
        "--others",
        "mean",
        "--workers",
        "1",
        "-q",
    )
    text = plot.read_text()
    assert text.startswith("<?xml") and "<svg" in text
    assert "Banzhaf power of an elected member" in text and "mean over veto_threshold" in text


def test_plot_without_matplotlib(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    result = run("current", "--vary", "quota=9", "--plot", "x.png")
    assert one_line_error(result) == (
        'councilsim: error: --plot needs matplotlib: python -m pip install "councilsim[plot]" '
        '(or ".[plot]" in a source checkout)'
    )


def test_plot_unknown_measure_after_writing_the_table(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    out = tmp_path / "t.csv"
    result = run(
        "current",
        "--vary",
        "quota=9",
        "--output",
        str(out),
        "--plot",
        str(tmp_path / "p.png"),
        "--measure",
        "nope",
        "--workers",
        "1",
    )
    assert "--measure: no configuration has the measure 'nope'" in one_line_error(result)
    assert out.exists()


def test_python_dash_m_runs_the_command_line() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "councilsim", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0 and "councilsim" in done.stdout


# ---------------------------------------------------------------------------- real interrupts

INTERRUPTED = [
    "current",
    "--vary",
    "quota=9:14",
    "--vary",
    "elected=10:24",
    "--model",
    "spatial",
    "--draws",
    "30000",
]
"""90 configurations simulated by Monte Carlo: long enough to interrupt, short enough to test."""

COMMAND = [sys.executable, "-m", "councilsim", "sweep"]


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    out = tmp_path_factory.mktemp("reference") / "full.csv"
    ok(*INTERRUPTED, "--workers", "1", "--output", str(out))
    return out.read_bytes()


def start(out: Path, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*COMMAND, *INTERRUPTED, "--output", str(out), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal's Ctrl-C reaches it
        # Ctrl-C as in a terminal, even where these tests run in a background job (which
        # ignores SIGINT, and a Python child started from it would too)
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def wait_for_rows(journal: Path, proc: subprocess.Popen[str], rows: int = 1) -> int:
    """Wait, however long the machine takes, until ``rows`` rows are journalled; fail if the
    sweep ends first."""
    while True:
        lines = len(journal.read_text().splitlines()) if journal.exists() else 0
        if lines > rows:
            return lines - 1
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.005)


def resume(out: Path) -> bytes:
    done = subprocess.run(
        [*COMMAND, *INTERRUPTED, "--output", str(out), "--resume", "--workers", "2"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert not Path(f"{out}.journal").exists()
    return out.read_bytes()


@pytest.mark.slow
@pytest.mark.parametrize("sig", ["SIGINT", "SIGKILL"])
def test_interrupted_run_resumes_to_the_uninterrupted_file(
    tmp_path: Path, uninterrupted: bytes, sig: str
) -> None:
    out = tmp_path / "grid.csv"
    journal = tmp_path / "grid.csv.journal"
    proc = start(out, "--workers", "2")
    wait_for_rows(journal, proc)
    os.killpg(proc.pid, getattr(signal, sig))
    _, stderr = proc.communicate(timeout=60)
    assert not out.exists(), "never a partial output file"
    saved = len(journal.read_text().splitlines()) - 1
    assert 0 < saved < 90
    if sig == "SIGINT":
        assert proc.returncode == 130
        assert re.fullmatch(
            rf"councilsim: interrupted; {saved} of 90 configurations saved, rerun with --resume\n",
            stderr,
        ), stderr
    else:
        assert proc.returncode == -signal.SIGKILL
    assert resume(out) == uninterrupted


@pytest.mark.slow
def test_interrupting_a_resumed_run_again(tmp_path: Path, uninterrupted: bytes) -> None:
    out = tmp_path / "grid.csv"
    journal = tmp_path / "grid.csv.journal"
    proc = start(out, "--workers", "1")
    first = wait_for_rows(journal, proc)
    os.killpg(proc.pid, signal.SIGINT)
    proc.communicate(timeout=60)
    assert proc.returncode == 130
    proc = start(out, "--workers", "2", "--resume")
    wait_for_rows(journal, proc, first + 1)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=60)
    assert resume(out) == uninterrupted


def rows_of(data: bytes) -> list[dict[str, Any]]:
    return list(csv.DictReader(io.StringIO(data.decode())))


def test_uninterrupted_reference_is_monte_carlo(uninterrupted: bytes) -> None:
    rows = rows_of(uninterrupted)
    assert len(rows) == 90 and rows[0]["adopted_ci_low"] != ""
    assert len({r["adopted"] for r in rows}) > 45, "each configuration has its own seed"


def test_elections_options_reach_the_rows() -> None:
    args = ["current", "--vary", "quota=9", "--state", "IND", "--workers", "1", "--format", "json"]
    without = json.loads(ok(*args, "--no-elections").stdout)
    elections = ("--elections", "--election-reps", "5", "--election-years", "60")
    with_elections = json.loads(ok(*args, *elections).stdout)
    assert without["rows"][0]["measures"]["banzhaf_state_ind"] == 0
    assert with_elections["rows"][0]["measures"]["banzhaf_state_ind"] > 0
    assert with_elections["sweep"]["measures"]["election_reps"] == 5
    line = one_line_error(run(*args, "--elections", "--election-years", "x"))
    assert "--election-years: 'x' is not a whole number" in line


def test_table_and_markdown_show_one_measure() -> None:
    result = ok(
        "current", "--vary", "quota=9:10", "--vary", "veto_threshold=1:2", "--format", "table"
    )
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["index", "quota", "veto_threshold", "status", "adopted"]
    assert lines[2].split() == ["0", "9", "1", "ok", cell(53 / 2048)]
    md = ok("current", "--vary", "quota=9", "--format", "markdown", "--measure", "seats").stdout
    assert md.splitlines()[0] == "| index | quota | status | seats |"
    assert md.splitlines()[2] == "| 0 | 9 | ok | 15 |"


def test_table_lists_the_reasons_of_invalid_configurations() -> None:
    result = ok("current", "--vary", "elected=4,10", "--vary", "quota=9:10", "--format", "table")
    assert "invalid configurations:" in result.stdout and "\n1: rule.quota" in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) <= 100


def test_unknown_table_measure_is_one_line() -> None:
    result = run("current", "--vary", "quota=9", "--format", "table", "--measure", "nope")
    assert one_line_error(result).startswith("councilsim: error: --measure: no measure 'nope'")


def test_blocs_without_blocs_warns() -> None:
    result = run("current", "--vary", "quota=9", "--model", "blocs", "--draws", "1000")
    assert result.exit_code == 0
    assert result.stderr.startswith("councilsim: warning: the blocs model has no blocs")
