"""Time the start-up of the command line: imports and a few whole commands.

Run ``python benchmarks/bench_startup.py`` (``--runs N`` for more repeats). Each command runs
in a fresh interpreter and the best wall time of the runs is kept; the bare interpreter and
``import numpy`` are timed the same way for scale. The target is 0.15 s for a command that
needs no numpy. Not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import time

COMMANDS: list[tuple[str, list[str]]] = [
    ("python -c pass", [sys.executable, "-c", "pass"]),
    ("python -c 'import numpy'", [sys.executable, "-c", "import numpy"]),
    ("import councilsim.cli", [sys.executable, "-c", "import councilsim.cli"]),
    ("councilsim --version", ["councilsim", "--version"]),
    ("councilsim --help", ["councilsim", "--help"]),
    ("councilsim list", ["councilsim", "list"]),
    ("councilsim power current", ["councilsim", "power", "current", "--index", "banzhaf"]),
]


def best_wall(command: list[str], runs: int) -> float:
    """Best wall time of ``runs`` runs of ``command``, in seconds."""
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True)
        best = min(best, time.perf_counter() - start)
    return best


def import_time(module: str) -> tuple[float, list[tuple[int, str]]]:
    """Cumulative import time of ``module`` (``-X importtime``) and its costliest imports."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"import {module}"],
        capture_output=True,
        text=True,
        check=True,
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
    parser.add_argument("--runs", type=int, default=7, help="runs per command (default 7)")
    args = parser.parse_args()
    if shutil.which("councilsim") is None:
        sys.exit("councilsim is not on PATH; install the package first")
    print(f"{'command':28}  best wall s")
    for label, command in COMMANDS:
        print(f"{label:28}  {best_wall(command, args.runs):.3f}")
    for module in ("councilsim.cli", "councilsim.cli.foundation"):
        total, top = import_time(module)
        print(f"\nimport {module}: {total:.3f} s; costliest top-level imports (s):")
        for us, name in top:
            print(f"  {name:40} {us / 1e6:.3f}")


if __name__ == "__main__":
    main()
