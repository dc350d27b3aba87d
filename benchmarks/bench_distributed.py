"""Scaling of a 100,000-configuration sweep: the local pool against a Dask cluster.

Run ``python benchmarks/bench_distributed.py`` (``--help`` for options; needs the dask extra).
The grid varies today's Council (``current``): 1 to 20 elected seats, 1 to 5 permanent members
with the veto, 0 to 4 without, quotas of 3 to 22, veto thresholds of 1 to 5 and both readings
of abstention, 20 × 5 × 5 × 20 × 5 × 2 = 100,000 configurations. Each valid one is measured by
its exact adoption and veto rates with every member voting yes with probability 1/2
(:func:`councilsim.simulation.exact_outcomes`, impartial model); a configuration the format
refuses (a quota above the total weight, a veto threshold above the veto holders) is an
invalid row, as in any sweep.

Each run measures the whole grid and is timed from the call to the last row (a cluster's
start-up included); the rows of every run are compared with the first run's, byte for byte
(as CSV). The load average before and after each run is printed: the machine is shared, so
the figures are what it gave, not what it can give. Not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import time
from typing import Any

from councilsim.council import Council
from councilsim.models import build_model
from councilsim.simulation import exact_outcomes
from councilsim.sweep import parse_sweep, to_csv

GRID = [
    "elected=1:20",
    "permanent_veto=1:5",
    "permanent_no_veto=0:4",
    "quota=3:22",
    "veto_threshold=1:5",
    "abstention=practice,literal",
]

QUICK = ["elected=1:20", "permanent_veto=1:5", "quota=3:22"]
"""2,000 configurations, for a quick look (``--quick``)."""

RUNS = ["pool:1", "pool:2", "cluster:1", "cluster:2", "cluster:8"]
"""Backend and workers of each run: ``pool`` is this machine's process pool, ``cluster`` a
Dask LocalCluster of single-threaded worker processes started for the run."""

IMPARTIAL = build_model("impartial", {})


def outcomes(council: Council, **_: Any) -> dict[str, Any]:
    """The measure of every configuration: exact impartial adoption and veto rates."""
    data = exact_outcomes(council, IMPARTIAL).to_dict()
    return {"adopted": data["adopted"]["estimate"], "vetoed": data["vetoed"]["estimate"]}


def load() -> str:
    with open("/proc/loadavg") as f:
        return f.read().split()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--runs",
        nargs="+",
        default=RUNS,
        metavar="BACKEND:N",
        help=f"runs to time (default: {' '.join(RUNS)})",
    )
    parser.add_argument("--quick", action="store_true", help="a 2,000-configuration grid")
    args = parser.parse_args()
    grid = QUICK if args.quick else GRID
    spec = parse_sweep(vary=grid)
    print(f"grid: {' × '.join(grid)} = {spec.grid.size:,} configurations over current")
    print(f"measure: exact impartial adoption and veto rates; {os.cpu_count()} CPUs")
    print()
    print(
        "| backend | workers | seconds | configurations/s | speed-up on the first row "
        "| load before → after |"
    )
    print("|---|---:|---:|---:|---:|---|")
    first: tuple[str, float] | None = None
    for run in args.runs:
        backend, _, n = run.partition(":")
        workers = int(n or 1)
        scheduler = "local" if backend == "cluster" else None
        before = load()
        start = time.perf_counter()
        rows = spec.run(workers=workers, measure=outcomes, scheduler=scheduler)
        elapsed = time.perf_counter() - start
        after = load()
        digest = hashlib.sha256(to_csv(spec, rows).encode()).hexdigest()
        if first is None:
            first = (digest, elapsed)
        same = "" if digest == first[0] else " (rows differ from the first run's!)"
        label = "local pool" if scheduler is None else "Dask LocalCluster"
        if workers == 1 and scheduler is None:
            label = "this process"
        if workers > (os.cpu_count() or 1):
            label += ", oversubscribed"
        cells = [
            label,
            str(workers),
            f"{elapsed:.1f}",
            f"{len(rows) / elapsed:,.0f}",
            f"{first[1] / elapsed:.2f}",
            f"{before} → {after}",
        ]
        print(f"| {' | '.join(cells)} |{same}", flush=True)
    invalid = sum(1 for r in rows if r["status"] != "ok")
    print()
    print(f"{invalid:,} of {len(rows):,} configurations invalid; every run's rows identical")
    print(f"(SHA-256 of the CSV: {first[0][:16]}…)" if first else "")


if __name__ == "__main__":
    main()
