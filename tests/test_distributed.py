"""The Dask backend of the worker pool: sweeps and simulations on a cluster give the same bytes.

Most tests share one in-process ``LocalCluster`` (two single-threaded workers, threads of
this process: cheap to start); one runs the command line on a process-based cluster
(``--scheduler local``), kills it and resumes it. Every test that needs Dask is skipped
when it is not installed (the ``dask`` extra).
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from councilsim import pool
from councilsim.cli import main
from councilsim.errors import ScenarioError
from councilsim.models import build_model
from councilsim.pool import bounded_map, check_scheduler
from councilsim.scenario import load
from councilsim.simulation import simulate
from councilsim.sweep import Interrupted, parse_sweep, to_csv

try:
    import distributed  # noqa: F401
except ImportError:
    HAVE_DASK = False
else:
    HAVE_DASK = True
needs_dask = pytest.mark.skipif(not HAVE_DASK, reason="needs dask.distributed (the dask extra)")

GRID = ["elected=8:11", "quota=9:13", "veto_threshold=1:2"]
"""40 configurations of exact measures (a few seconds)."""


def square(x: int) -> int:
    return x * x


def fail_on_three(x: int) -> int:
    if x == 3:
        raise ValueError("three")
    return x


SEEN: list[int] = []


def remember(x: int) -> None:
    SEEN.append(x)


def recalled(x: int) -> int:
    return x + SEEN[-1]


@pytest.fixture(scope="module")
def address() -> Iterator[str]:
    """The address of a two-worker in-process cluster, shared by the module's tests."""
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=False,
        dashboard_address=None,
        silence_logs=logging.CRITICAL,
    )
    try:
        yield str(cluster.scheduler_address)
    finally:
        cluster.close()


# ---------------------------------------------------------------------------- no Dask needed


@pytest.mark.parametrize(
    ("given", "checked"),
    [
        (None, None),
        ("local", "local"),
        (" LOCAL ", "local"),
        ("tcp://10.0.0.5:8786", "tcp://10.0.0.5:8786"),
        ("scheduler.cluster:8786", "scheduler.cluster:8786"),
        ("tls://head-node:8786", "tls://head-node:8786"),
    ],
)
def test_scheduler_addresses(given: str | None, checked: str | None) -> None:
    assert check_scheduler(given) == checked


@pytest.mark.parametrize("bad", ["", "  ", "tcp://host:port", "two words", "host:8786:1"])
def test_a_malformed_scheduler_is_one_line(bad: str) -> None:
    with pytest.raises(ScenarioError, match="is not a Dask scheduler address"):
        check_scheduler(bad)


def test_without_dask_the_error_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed fails
    with pytest.raises(ScenarioError, match=r"councilsim\[dask\]") as info:
        list(bounded_map(square, range(3), workers=1, scheduler="local"))
    assert "\n" not in str(info.value)


def test_a_worker_with_other_versions_refuses_its_task() -> None:
    shared = (square, None, (), ("0.0.0", "0.0"))
    with pytest.raises(ScenarioError, match="install the same versions on every worker"):
        pool._cluster_task("call", shared, 3)
    assert pool._cluster_task("call", (square, None, (), pool._versions()), 3) == 9


def test_the_command_line_refuses_what_it_cannot_distribute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["simulate", "current", "--exact", "--scheduler", "local"])
    assert result.exit_code == 2
    assert result.output.strip().endswith(
        "--scheduler is not available with --exact; drop --scheduler "
        "(exact probabilities take no draws to distribute)"
    )
    result = runner.invoke(main, ["sweep", "--vary", "quota=9:10", "--scheduler", "a b"])
    assert result.exit_code == 2
    assert "'a b' is not a Dask scheduler address" in result.output
    monkeypatch.setitem(sys.modules, "distributed", None)
    out = tmp_path / "out.csv"
    args = ["sweep", "--vary", "quota=9:12", "--workers", "2", "--scheduler", "local"]
    result = runner.invoke(main, [*args, "-o", str(out)])
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1
    assert "councilsim[dask]" in result.output
    assert list(tmp_path.iterdir()) == []  # neither the file nor a journal


# ---------------------------------------------------------------------------- the pool


@needs_dask
def test_every_task_once_with_its_result(address: str) -> None:
    pairs = list(bounded_map(square, range(20), workers=2, scheduler=address))
    assert sorted(pairs) == [(x, x * x) for x in range(20)]


@needs_dask
def test_ordered_results_come_in_task_order(address: str) -> None:
    pairs = list(bounded_map(square, range(20), workers=2, ordered=True, scheduler=address))
    assert pairs == [(x, x * x) for x in range(20)]


@needs_dask
def test_tasks_are_read_lazily_at_most_in_flight_ahead(address: str) -> None:
    read: list[int] = []

    def tasks() -> Iterator[int]:
        for x in range(30):
            read.append(x)
            yield x

    results = bounded_map(square, tasks(), workers=2, in_flight=3, scheduler=address)
    with closing(results):
        for k, _ in enumerate(results):
            assert len(read) <= k + 3
    assert len(read) == 30


@needs_dask
def test_progress_and_initializer(address: str) -> None:
    seen: list[tuple[int, int]] = []
    pairs = list(
        bounded_map(
            recalled,
            range(6),
            workers=2,
            initializer=remember,
            initargs=(100,),
            progress=lambda t, r: seen.append((t, r)),
            scheduler=address,
        )
    )
    assert seen == pairs
    assert sorted(pairs) == [(x, x + 100) for x in range(6)]


@needs_dask
def test_an_error_in_a_task_reaches_the_caller(address: str) -> None:
    with pytest.raises(ValueError, match="three"):
        list(bounded_map(fail_on_three, range(10), workers=2, scheduler=address))


@needs_dask
def test_an_unreachable_scheduler_is_one_line_and_leaves_no_journal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pool, "CONNECT_TIMEOUT", 1)
    journal = tmp_path / "out.csv.journal"
    with pytest.raises(ScenarioError, match="cannot reach the Dask scheduler at tcp://127"):
        parse_sweep(vary=GRID).run(workers=2, journal=journal, scheduler="tcp://127.0.0.1:9")
    assert not journal.exists()


# ---------------------------------------------------------------------------- sweeps


@needs_dask
def test_a_sweep_on_a_cluster_gives_the_local_bytes(address: str) -> None:
    spec = parse_sweep(vary=GRID)
    here = to_csv(spec, spec.run(workers=1))
    assert to_csv(spec, spec.run(workers=2)) == here
    assert to_csv(spec, spec.run(workers=2, scheduler=address, chunk_size=3)) == here


@needs_dask
def test_interrupted_on_a_cluster_and_resumed_gives_the_same_bytes(
    address: str, tmp_path: Path
) -> None:
    spec = parse_sweep(vary=GRID)
    here = to_csv(spec, spec.run(workers=1))
    journal = tmp_path / "out.csv.journal"
    done = [0]

    def ctrl_c_after_two_chunks(n: int) -> None:
        done[0] += 1
        if done[0] == 2:
            raise KeyboardInterrupt

    with pytest.raises(Interrupted) as info:
        spec.run(
            workers=2,
            journal=journal,
            chunk_size=4,
            scheduler=address,
            progress=ctrl_c_after_two_chunks,
        )
    assert 0 < info.value.saved < spec.grid.size
    assert len(journal.read_text().splitlines()) == 1 + info.value.saved
    seen: list[int] = []
    rows = spec.run(
        workers=2, journal=journal, resume=True, scheduler=address, progress=seen.append
    )
    assert to_csv(spec, rows) == here
    assert seen[0] == info.value.saved and sum(seen) == spec.grid.size


# ---------------------------------------------------------------------------- simulations


@needs_dask
def test_a_simulation_on_a_cluster_equals_the_local_one(address: str) -> None:
    council = load("g4-2005").council
    model = build_model("impartial", {"p": "0.6"})
    options: dict[str, Any] = {"draws": 600_000, "seed": 11, "chunk_size": 1 << 17}
    here = simulate(council, model, workers=1, **options).to_dict()
    there = simulate(council, model, workers=2, scheduler=address, **options).to_dict()
    assert there == here
    assert repr(there) == repr(here)  # to the last digit


@needs_dask
@pytest.mark.parametrize("years", [[], ["--years", "3"]])
def test_simulate_on_a_cluster_prints_the_same_bytes(address: str, years: list[str]) -> None:
    args = ["simulate", "g4-2005", "--draws", "300000", "--seed", "3", "--format", "json"]
    here = CliRunner().invoke(main, [*args, *years, "--workers", "2"])
    there = CliRunner().invoke(main, [*args, *years, "--workers", "2", "--scheduler", address])
    assert here.exit_code == there.exit_code == 0
    assert there.output == here.output


@needs_dask
def test_a_cluster_block_shares_one_client(address: str) -> None:
    with pool.cluster(address):
        client = pool._SESSIONS[address]
        assert sorted(bounded_map(square, range(4), workers=2, scheduler=address)) == [
            (x, x * x) for x in range(4)
        ]
        assert list(bounded_map(square, [5], workers=2, scheduler=address)) == [(5, 25)]
        assert pool._SESSIONS[address] is client and client.status == "running"
        assert pool.worker_threads(address) == 2
    assert address not in pool._SESSIONS and client.status == "closed"
    assert pool.worker_threads(address) == 0


# ---------------------------------------------------------------------------- processes


def _children(pid: int) -> list[int]:
    """Every descendant of ``pid`` (from /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        kids = [c for c, q in parents.items() if q == p]
        out += kids
        todo += kids
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@needs_dask
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_killed_on_a_process_cluster_and_resumed_there_gives_the_same_file(
    tmp_path: Path,
) -> None:
    vary = ["--vary", "elected=12:21", "--vary", "quota=9:26", "--vary", "veto_threshold=1:2"]
    cli = [sys.executable, "-m", "councilsim", "sweep", *vary, "--workers", "2", "-q"]
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    here = tmp_path / "here.csv"
    subprocess.run([*cli, "-o", str(here)], check=True, env=env, timeout=300)
    out = tmp_path / "there.csv"
    journal = tmp_path / "there.csv.journal"
    run = subprocess.Popen([*cli, "--scheduler", "local", "-o", str(out)], env=env)
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and run.poll() is None:
        if journal.exists() and len(journal.read_text().splitlines()) > 1:
            break
        time.sleep(0.05)
    assert run.poll() is None, "the run ended before it could be killed"
    workers = _children(run.pid)
    run.send_signal(signal.SIGKILL)
    run.wait()
    assert not out.exists()
    # the cluster's worker processes end with the process that started them
    deadline = time.monotonic() + 30
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [w for w in workers if _alive(w)]
    subprocess.run(
        [*cli, "--scheduler", "local", "-o", str(out), "--resume"],
        check=True,
        env=env,
        timeout=300,
    )
    assert out.read_bytes() == here.read_bytes()
    assert not journal.exists()
