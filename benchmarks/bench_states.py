"""Benchmark: every state's expected power for each shipped scenario, default horizon and runs.

Usage::

    python benchmarks/bench_states.py [--years N] [--replications R] [--repeat K]

For each shipped scenario, times :func:`councilsim.statepower.state_power` (loading the
scenario, the election run, exact seat powers and every UN member's figures; best of
``--repeat``) and :func:`councilsim.statepower.state_power_by_year` for India, and prints
India's, Nigeria's and Italy's expected normalised Banzhaf power. The target is under 2 s per
scenario with the defaults (10 years, 2000 replications). Where a population table is
installed (``councilsim.population``), also times ``equity`` over every shipped scenario (target
under 10 s in all).
"""

from __future__ import annotations

import argparse
import time

from councilsim.limits import DEFAULT_STATE_REPS, DEFAULT_STATE_YEARS
from councilsim.scenario import load, shipped_ids
from councilsim.statepower import equity, population_table, state_power, state_power_by_year


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=DEFAULT_STATE_YEARS)
    parser.add_argument("--replications", type=int, default=DEFAULT_STATE_REPS)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    run = {"years": args.years, "replications": args.replications, "seed": 0}
    print(f"{args.years} years x {args.replications} replications, seed 0, best of {args.repeat}")
    print(f"{'scenario':20} {'all states':>10} {'by year':>8}   IND       NGA       ITA")
    worst = 0.0
    for sid in shipped_ids():
        best = best_year = float("inf")
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            result = state_power(load(sid), **run)
            t1 = time.perf_counter()
            state_power_by_year(load(sid), ["IND"], **run)
            t2 = time.perf_counter()
            best, best_year = min(best, t1 - t0), min(best_year, t2 - t1)
        worst = max(worst, best)
        figures = "  ".join(
            f"{float(result.state(c).values['banzhaf'].mean):.6f}" for c in ("IND", "NGA", "ITA")
        )
        print(f"{sid:20} {best:9.3f}s {best_year:7.3f}s   {figures}")
    print(f"slowest: {worst:.3f} s (target 2 s)")
    table = population_table()
    t0 = time.perf_counter()
    for sid in shipped_ids():
        equity(state_power(load(sid), **run), table)
    print(f"equity, every shipped scenario: {time.perf_counter() - t0:.3f} s (target 10 s)")


if __name__ == "__main__":
    main()
