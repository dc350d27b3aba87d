"""Time the start-up of the command line: whole commands, their ``--help``, and the imports.

Run ``python benchmarks/bench_startup.py`` (``--runs N`` for more repeats, ``--quick`` for the
commands without the ``--help`` of each). Each command runs in a fresh interpreter and the
best wall time of the runs is kept; the bare interpreter and ``import numpy`` are timed the
same way for scale. The column ``numpy`` says whether the command imported it. The children
run with bytecode caching (``PYTHONDONTWRITEBYTECODE`` removed), as an installed package
does: the first run writes the caches and the best-of discards it. Not a test: nothing is
asserted (``tests/test_light_imports.py`` checks which commands load numpy).

The target is 0.15 s. Best wall time of 9 runs, before (every command module importing the
libraries it uses; a scenario importing numpy and the engines) and after (describing
scenarios imports no numpy; each command imports what computes when it runs), the two runs
one after the other on the reference machine (2 cores shared with other work, Python 3.11,
numpy 2)::

    command                                   before    after   numpy after
    python -c pass                             0.008    0.008
    python -c 'import numpy'                   0.068    0.069
    councilsim --version                       0.036    0.036   no
    councilsim --help                          0.037    0.038   no
    councilsim list                            0.241    0.084   no
    councilsim show current                    0.228    0.073   no
    councilsim validate current                0.212    0.194   yes
    councilsim power current                   0.177    0.181   yes
    councilsim vote current --no USA ...       0.176    0.122   yes
    councilsim run current                     0.207    0.183   yes
    councilsim COMMAND --help (16 commands)    0.098-0.326  0.051-0.069   no

The commands that compute vary most with the load: ``power current`` took 0.128-0.130 s and
``validate current`` 0.161 s in quieter runs of the same code (``import numpy`` alone
0.062-0.069 s). Both need numpy: ``power`` counts by class through the one Art. 27 rule
(``councilsim.rule.wins``, on numpy arrays); ``validate`` computes the exact power, the axioms
(whose anonymity check samples with ``numpy.random``) and the drafts of the file's
``[expected]`` block. ``run`` simulates 10^6 drafts.

Later, each command loading only the engine its input needs and numpy's BLAS on one thread
(``OPENBLAS_NUM_THREADS=1`` unless set), best of 25 alternating with the commit before
(``import numpy`` alone 0.089 s): ``power current`` 0.173 -> 0.153 s, ``validate current``
0.203 -> 0.178 s, ``vote`` 0.154 -> 0.144 s, ``run current`` 0.234 -> 0.198 s
(``docs/power-speed.md``).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time

PROBE = (
    "import sys\n"
    "from councilsim.cli import main\n"
    "sys.argv = ['councilsim', *sys.argv[1:]]\n"
    "try:\n"
    "    main()\n"
    "except SystemExit:\n"
    "    pass\n"
    "print('numpy' in sys.modules, file=sys.stderr)\n"
)
"""Runs a command in-process and reports on standard error whether it imported numpy."""

BASE: list[tuple[str, list[str]]] = [
    ("python -c pass", [sys.executable, "-c", "pass"]),
    ("python -c 'import numpy'", [sys.executable, "-c", "import numpy"]),
]

COMMANDS: list[list[str]] = [
    ["--version"],
    ["--help"],
    ["list"],
    ["show", "current"],
    ["validate", "current"],
    ["power", "current"],
    ["vote", "current", "--no", "USA", "--rest", "yes"],
    ["run", "current"],
]

HELP = [
    "list",
    "show",
    "validate",
    "vote",
    "states",
    "run",
    "power",
    "elect",
    "check",
    "simulate",
    "sweep",
    "compare",
    "equity",
    "amend",
    "fit",
    "replay",
]
"""Every command (``councilsim.cli.COMMANDS``), each timed with ``--help``."""


def child_env() -> dict[str, str]:
    """The environment of the timed commands: this one, with bytecode caching on."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def best_wall(command: list[str], runs: int) -> float:
    """Best wall time of ``runs`` runs of ``command``, in seconds."""
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True, env=child_env())
        best = min(best, time.perf_counter() - start)
    return best


def loads_numpy(args: list[str]) -> bool:
    """Whether ``councilsim ARGS`` imports numpy."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, env=child_env()
    )
    return done.stderr.strip().splitlines()[-1] == "True"


def import_time(module: str) -> tuple[float, list[tuple[int, str]]]:
    """Cumulative import time of ``module`` (``-X importtime``) and its costliest imports."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"import {module}"],
        capture_output=True,
        text=True,
        check=True,
        env=child_env(),
    )
    rows = []
    for line in done.stderr.splitlines():
        found = re.match(r"import time:\s+\d+ \|\s+(\d+) \|(\s*)(\S+)", line)
        if found and len(found.group(2)) <= 3:  # top-level imports only
            rows.append((int(found.group(1)), found.group(3)))
    total = next((us for us, name in rows if name == module), 0)
    return total / 1e6, sorted(rows, reverse=True)[:6]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=9, help="runs per command (default 9)")
    parser.add_argument("--quick", action="store_true", help="skip the --help of each command")
    args = parser.parse_args()
    exe = shutil.which("councilsim")
    if exe is None:
        sys.exit("councilsim is not on PATH; install the package first")
    print(f"{'command':42}  best wall s  numpy")
    for label, command in BASE:
        print(f"{label:42}  {best_wall(command, args.runs):11.3f}")
    commands = COMMANDS + ([] if args.quick else [[name, "--help"] for name in HELP])
    for argv in commands:
        label = " ".join(["councilsim", *argv])
        wall = best_wall([exe, *argv], args.runs)
        print(f"{label[:42]:42}  {wall:11.3f}  {'yes' if loads_numpy(argv) else 'no'}")
    for module in ("councilsim.cli", "councilsim.scenario"):
        total, top = import_time(module)
        print(f"\nimport {module}: {total:.3f} s; costliest top-level imports (s):")
        for us, name in top:
            print(f"  {name:40} {us / 1e6:.3f}")


if __name__ == "__main__":
    main()
