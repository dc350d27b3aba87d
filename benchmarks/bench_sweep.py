"""Time ``councilsim sweep``: 10,000 configurations of exact a-priori measures.

Run ``python benchmarks/bench_sweep.py`` (``--help`` for options). The grid is today's Council
with 10 to 29 elected seats, 5 to 9 permanent members with the veto, quotas of 9 to 18, veto
thresholds of 1 to 5 and both readings of abstention: 20 × 5 × 10 × 5 × 2 = 10,000
configurations, each measured exactly (:func:`councilsim.compare.measures.measures`: Banzhaf,
Shapley–Shubik and Penrose power by seat class and region, Gini, Coleman's power to act and
the adoption and veto rates at p = 1/2). The target is under 60 s on 2 worker processes.
Not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import time

from councilsim.sweep import parse_sweep

GRID = [
    "elected=10:29",
    "permanent_veto=5:9",
    "quota=9:18",
    "veto_threshold=1:5",
    "abstention=practice,literal",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--workers",
        type=int,
        nargs="+",
        default=[2],
        help="worker processes to time, e.g. --workers 1 2 (default 2)",
    )
    args = parser.parse_args()
    spec = parse_sweep(vary=GRID)
    print(f"grid: {' × '.join(GRID)} = {spec.grid.size:,} configurations over current")
    header = ["workers", "configurations", "invalid", "seconds", "configurations/s"]
    print("  ".join(f"{h:>16}" for h in header))
    reference = None
    for workers in args.workers:
        start = time.perf_counter()
        rows = spec.run(workers=workers)
        elapsed = time.perf_counter() - start
        invalid = sum(1 for r in rows if r["status"] != "ok")
        cells = [workers, len(rows), invalid, f"{elapsed:.2f}", f"{len(rows) / elapsed:,.0f}"]
        print("  ".join(f"{c:>16}" for c in cells))
        if reference is None:
            reference = rows
        elif rows != reference:
            print("  the rows differ from the first run's")


if __name__ == "__main__":
    main()
