"""Running the command line as an adversarial user would: in a subprocess with a memory limit,
each command under a time guard, and checking that it ends well.

"Ends well" is exit status 0, or exit status 2 with one line on stderr beginning
``councilsim: error:``; never a traceback, never a hang, never runaway memory. The time guard
and the memory limit catch a runaway command; they are not speed assertions (a command that
ends well in a fraction of the guard passes however slow the machine).

One driver process runs many commands (``CliRunner`` inside it), so that starting Python and
importing numpy is paid once; the driver itself runs under ``resource`` limits.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MEMORY_BYTES = 3 * 1024**3
"""Address space of the driver (numpy's thread pools reserve more than they use)."""

GUARD_SECONDS = 60
"""The time guard of one command: a command that runs this long is taken for a hang."""

_DRIVER = r"""
import json, os, resource, signal, sys, traceback
resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
from click.testing import CliRunner
from councilsim.cli import main

class Hang(BaseException):
    pass

def on_alarm(*_):
    raise Hang()

signal.signal(signal.SIGALRM, on_alarm)
for line in sys.stdin:
    job = json.loads(line)
    os.chdir(job["cwd"])
    signal.alarm(GUARD)
    try:
        r = CliRunner().invoke(main, job["args"], catch_exceptions=True)
        code, out, err = r.exit_code, r.stdout, r.stderr
        exc = None
        if r.exception is not None and not isinstance(r.exception, SystemExit):
            exc = "".join(traceback.format_exception(r.exception))[-3000:]
    except Hang:
        code, out, err, exc = -1, "", "", "hang: the time guard ran out"
    except MemoryError:
        code, out, err, exc = -1, "", "", "MemoryError: the memory limit ran out"
    finally:
        signal.alarm(0)
    print(json.dumps({"code": code, "stdout": out[-2000:], "stderr": err, "exc": exc}), flush=True)
"""


@dataclass(frozen=True)
class Outcome:
    """How one command ended."""

    args: tuple[str, ...]
    code: int
    stdout: str
    stderr: str
    exc: str | None

    def problem(self) -> str | None:
        """What is wrong with how it ended, or ``None`` when it ended well (``validate`` ends
        with status 1 when a file's [expected] values do not hold: a result, not an error)."""
        if self.exc is not None:
            return f"traceback or runaway: {self.exc}"
        if self.code == 0 or (self.code == 1 and self.args[:1] == ("validate",)):
            return None
        lines = self.stderr.strip("\n").split("\n")
        if self.code != 2:
            return f"exit status {self.code}: {self.stderr[-500:]}"
        if len(lines) != 1 or not lines[0].startswith("councilsim: error: "):
            return f"not one error line: {self.stderr[-500:]!r}"
        return None


class Driver:
    """A subprocess under resource limits that runs commands one after the other."""

    def __init__(self) -> None:
        code = _DRIVER.replace("MEMORY", str(MEMORY_BYTES)).replace("GUARD", str(GUARD_SECONDS))
        env = {**os.environ, "COUNCILSIM_JIT": "0", "OPENBLAS_NUM_THREADS": "1"}
        self.proc = subprocess.Popen(
            [sys.executable, "-c", code],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )

    def run(self, args: list[str], cwd: Path) -> Outcome:
        """Run ``councilsim ARGS`` in ``cwd``."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps({"args": args, "cwd": str(cwd)}) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            err = self.proc.stderr.read() if self.proc.stderr else ""
            raise AssertionError(f"the driver died running {args}: {err[-2000:]}")
        data: dict[str, Any] = json.loads(line)
        return Outcome(tuple(args), data["code"], data["stdout"], data["stderr"], data["exc"])

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=30)
        for stream in (self.proc.stdout, self.proc.stderr):
            if stream is not None:
                stream.close()
