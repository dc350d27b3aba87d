"""Benchmark: a 100-year run of today's Council with 10,000 replications.

Usage::

    python benchmarks/bench_elections.py [--replications R] [--years N] [--membership CSV]

For each candidate model (``record``, the default, and ``uniform``; ``history`` too when a
membership file is given or found at ``../shared/data/unsc_membership_by_year_1946_2027.csv``
from the repository root) a fresh child process runs :func:`councilsim.elections.run_elections`
and :func:`councilsim.elections.summarise` and reports the time of each and the peak resident
memory of the whole process (``VmHWM``; the figure the issue's 200 MiB target is about). With a
membership file it also prints the Spearman correlation between each state's simulated
seat-years and its real elected seat-years since 1966 (history model).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

DEFAULT = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
MEMBERSHIP = "unsc_membership_by_year_1946_2027.csv"

CHILD = """
import json, resource, sys, time
from councilsim.elections.candidates import candidate_model
from councilsim.elections import (BallotModel, read_membership, rules_for,
    run_elections, spearman, summarise)
from councilsim.scenario import load
model, years, reps, seed, membership, balloting = json.loads(sys.argv[1])
rules = rules_for(load("current"))
data = read_membership(membership) if membership else None
candidates = candidate_model(model, data)
c0 = time.process_time()
t0 = time.perf_counter()
run = run_elections(rules, years, replications=reps, seed=seed, candidates=candidates,
                    balloting=BallotModel() if balloting else None)
t1 = time.perf_counter()
summary = summarise(run, window=10)
t2 = time.perf_counter()
cpu = time.process_time() - c0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
try:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                peak = int(line.split()[1]) / 1024
except OSError:
    pass
rho = None
if model == "history":
    from councilsim.states import all_states
    permanent = {s.holder for s in rules.council.seats if s.kind.value == "permanent"}
    real = candidates.weights - 0.5  # the prior is 0.5 seat-years
    idx = [i for i, s in enumerate(all_states()) if not s.historical and s.iso3 not in permanent]
    rho = spearman(summary.seat_years[idx], real[idx])
per = None
if run.ballots is not None:
    per = float(run.ballots.mean()) / run.elections
print(json.dumps({"elect": t1 - t0, "summary": t2 - t1, "cpu": cpu, "peak": peak, "rho": rho,
                  "holders": run.holders.nbytes / 2**20, "ballots": per}))
"""


def child(model: str, years: int, reps: int, seed: int, membership: str | None, ballot: bool):
    args = json.dumps([model, years, reps, seed, membership, ballot])
    out = subprocess.run(
        [sys.executable, "-c", CHILD, args], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--membership", default=None, help="membership CSV (history model)")
    parser.add_argument("--replications", type=int, default=10_000)
    parser.add_argument("--years", type=int, default=100)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--balloting", action="store_true", help="also time the ballot model")
    args = parser.parse_args()
    membership = args.membership
    if membership is None and (DEFAULT / MEMBERSHIP).is_file():
        membership = str(DEFAULT / MEMBERSHIP)
    models = ["record", "uniform"] + (["history"] if membership else [])
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(
        f"{args.years} years x {args.replications} replications, today's Council, seed {args.seed}"
    )
    print("(wall seconds; CPU: the process time of elections and summary together)")
    print()
    print(
        "| candidates | elections (s) | summary (s) | total (s) | CPU (s) | peak RSS (MiB) "
        "| holders (MiB) |"
    )
    print("|---|---|---|---|---|---|---|")
    for model in models:
        r = child(model, args.years, args.replications, args.seed, membership, False)
        total = r["elect"] + r["summary"]
        print(
            f"| {model} | {r['elect']:.2f} | {r['summary']:.2f} | {total:.2f} | "
            f"{r['cpu']:.2f} | {r['peak']:.0f} | {r['holders']:.0f} |"
        )
        if r["rho"] is not None:
            print(
                f"\nSpearman (simulated vs real seat-years since 1966, history): {r['rho']:.3f}\n"
            )
    if args.balloting:
        reps = max(1, args.replications // 10)
        r = child("record", args.years, reps, args.seed, membership, True)
        print(f"\nballoting (record): {args.years} years x {reps} replications: {r['elect']:.2f} s")
        print(f"  ballots per election: {r['ballots']:.2f}")


if __name__ == "__main__":
    main()
