"""Benchmark: a 100-year run of today's Council with 10,000 replications, history model.

Usage::

    python benchmarks/bench_elections.py [MEMBERSHIP_CSV] [--replications R] [--years N]

The membership file (columns year,iso3,seat) defaults to
``../shared/data/unsc_membership_by_year_1946_2027.csv`` beside the repository. Prints the time
of the elections, of the summary, and the Spearman correlation between each state's simulated
seat-years and its real elected seat-years since 1966.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from councilsim.elections import (
    BallotModel,
    history_candidates,
    read_membership,
    rules_for,
    run_elections,
    spearman,
    summarise,
)
from councilsim.scenario import load
from councilsim.states import all_states

DEFAULT = (
    Path(__file__).resolve().parents[2]
    / "shared"
    / "data"
    / "unsc_membership_by_year_1946_2027.csv"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("membership", nargs="?", default=str(DEFAULT))
    parser.add_argument("--replications", type=int, default=10_000)
    parser.add_argument("--years", type=int, default=100)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--balloting", action="store_true", help="also time the ballot model")
    args = parser.parse_args()

    membership = read_membership(args.membership)
    candidates = history_candidates(membership)
    rules = rules_for(load("current"))

    t0 = time.perf_counter()
    run = run_elections(
        rules, args.years, replications=args.replications, seed=args.seed, candidates=candidates
    )
    t1 = time.perf_counter()
    summary = summarise(run, window=10)
    t2 = time.perf_counter()
    print(
        f"elections: {args.years} years x {args.replications} replications "
        f"(history model): {t1 - t0:.2f} s"
    )
    print(f"summary (seat-years, P(serve in 10 years), waiting times): {t2 - t1:.2f} s")

    permanent = {s.holder for s in rules.council.seats if s.kind.value == "permanent"}
    real = candidates.weights - 0.5  # the prior is 0.5 seat-years
    idx = [i for i, s in enumerate(all_states()) if not s.historical and s.iso3 not in permanent]
    rho = spearman(summary.seat_years[idx], real[idx])
    print(f"Spearman (simulated vs real seat-years since 1966, {len(idx)} states): {rho:.3f}")

    if args.balloting:
        reps = max(1, args.replications // 10)
        t0 = time.perf_counter()
        run = run_elections(
            rules,
            args.years,
            replications=reps,
            seed=args.seed,
            candidates=candidates,
            balloting=BallotModel(),
        )
        t1 = time.perf_counter()
        assert run.ballots is not None
        per = float(np.mean(run.ballots)) / run.elections
        print(f"balloting: {args.years} years x {reps} replications: {t1 - t0:.2f} s")
        print(f"  ballots per election: {per:.2f}")


if __name__ == "__main__":
    main()
