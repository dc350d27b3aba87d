"""No orphans: the workers of simulate and sweep end when their parent dies, however it dies."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads /proc and uses PR_SET_PDEATHSIG"
)

ROOT = Path(__file__).parents[1]


def children(pid: int) -> set[int]:
    """The live child processes of ``pid`` (from /proc)."""
    out: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            out |= {int(c) for c in (task / "children").read_text().split()}
    return {c for c in out if alive(c)}


def alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie, dead but not yet reaped, does not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


def wait_until(test: object, timeout: float) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if test():  # type: ignore[operator]
            return True
        time.sleep(0.05)
    return False


COMMANDS = {
    "simulate": ["simulate", "current", "--workers", "2", "--draws", "2000000000", "-q"],
    "sweep": ["sweep", "--vary", "quota=9:15", "--model", "spatial", "--draws", "2000000", "-q"],
}


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_workers_end_with_their_parent(tmp_path: Path, command: str, sig: int) -> None:
    args = list(COMMANDS[command])
    if command == "sweep":
        args += ["--workers", "2", "-o", str(tmp_path / "out.csv")]
    env = {**os.environ, "COUNCILSIM_JIT": "0"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "councilsim", *args],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    workers: set[int] = set()
    try:

        def started() -> bool:
            workers.update(children(proc.pid))
            return len(workers) >= 2 or proc.poll() is not None

        assert wait_until(started, 60), "the workers did not start"
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
        time.sleep(0.3)  # the workers are busy
        os.kill(proc.pid, sig)
        proc.wait(timeout=30)
        assert wait_until(lambda: not any(alive(w) for w in workers), 20), (
            f"workers {sorted(w for w in workers if alive(w))} outlived their parent"
        )
    finally:
        for w in workers | children(proc.pid):  # never leave one behind, even on failure
            if alive(w):
                os.kill(w, signal.SIGKILL)
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)
        if proc.stderr:
            proc.stderr.close()
