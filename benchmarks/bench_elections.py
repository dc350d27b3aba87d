"""Benchmark: a 100-year run of today's Council with 10,000 replications.

Usage::

    python benchmarks/bench_elections.py [--replications R] [--years N] [--repeat K]
                                         [--membership CSV] [--balloting]

For each candidate model (``record``, the default, and ``uniform``; ``history`` too when a
membership file is given or found at ``../shared/data/unsc_membership_by_year_1946_2027.csv``
from the repository root) ``K`` fresh child processes (default 3) each run
:func:`councilsim.elections.run_elections` and :func:`councilsim.elections.summarise` once; the
table gives the best of them, as wall seconds and as CPU seconds (``time.process_time``: the
figure to trust on a shared, loaded machine), and the peak resident memory of the whole process
(``VmHWM``; the figure the issue's 200 MiB target is about). The last column is the CPU time of
drawing the run's exponential keys alone (the same ``numpy`` calls in the same order): the
floor under any engine that keeps seeded runs as they are. With a membership file it also
prints the Spearman correlation between each state's simulated seat-years and its real elected
seat-years since 1966 (history model).

Measured on the project's shared two-core machine (load average about 3 from other work; CPU
seconds, best of 5 fresh processes; 100 years x 10,000 replications, seed 2026):

==========  ===========  ===========  ===========  ==============  ===========
candidates  elections    summary      total        peak RSS (MiB)  random keys
==========  ===========  ===========  ===========  ==============  ===========
record      1.02 (1.71)  0.10 (0.32)  1.11 (2.03)  90 (86)         0.62
uniform     1.05 (1.71)  0.10 (0.33)  1.14 (2.04)  90 (86)         0.61
history     1.00 (1.70)  0.09 (0.32)  1.10 (2.03)  90 (86)         0.63
==========  ===========  ===========  ===========  ==============  ===========

In brackets: before the engine laid a contest's keys out state by state and the summary read
a run term by term (the same runs and summaries, bit for bit). Wall time was within 0.05 s of
CPU time. In a warm process the run takes 0.87-0.95 s and the summary 0.075 s.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from _timing import HERE

DEFAULT = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
MEMBERSHIP = "unsc_membership_by_year_1946_2027.csv"

CHILD = """
import json, sys, time
sys.path.insert(0, sys.argv[2])
import numpy as np
from _timing import peak_mib
from councilsim.elections.candidates import candidate_model
from councilsim.elections import (BallotModel, read_membership, rules_for,
    run_elections, spearman, summarise)
from councilsim.elections import engine
from councilsim.scenario import load
model, years, reps, seed, membership, balloting = json.loads(sys.argv[1])
rules = rules_for(load("current"))
data = read_membership(membership) if membership else None
candidates = candidate_model(model, data)
c0, t0 = time.process_time(), time.perf_counter()
run = run_elections(rules, years, replications=reps, seed=seed, candidates=candidates,
                    balloting=BallotModel() if balloting else None)
c1, t1 = time.process_time(), time.perf_counter()
summary = summarise(run, window=10)
c2, t2 = time.process_time(), time.perf_counter()
peak = peak_mib()
# the same exponential keys, drawn alone: record the shape of every draw, then replay them
shapes = []
generator = np.random.Generator
class Recorder:
    def __init__(self, seed):
        self.rng = generator(np.random.PCG64(seed))
    def standard_exponential(self, size=None, dtype=np.float64, out=None):
        shapes.append(out.shape if out is not None else size)
        return self.rng.standard_exponential(size, dtype=dtype, out=out)
    def __getattr__(self, name):
        return getattr(self.rng, name)
keys = None
if not balloting:
    real = engine.np.random.default_rng
    engine.np.random.default_rng = Recorder
    try:
        run_elections(rules, years, replications=reps, seed=seed, candidates=candidates)
    finally:
        engine.np.random.default_rng = real
    rng = np.random.default_rng(seed)
    buffer = np.empty(max(int(np.prod(s)) for s in shapes), dtype=np.float32)
    c3 = time.process_time()
    for s in shapes:
        rng.standard_exponential(out=buffer[: int(np.prod(s))].reshape(s), dtype=np.float32)
    keys = time.process_time() - c3
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
print(json.dumps({"elect": t1 - t0, "summary": t2 - t1, "elect_cpu": c1 - c0,
                  "summary_cpu": c2 - c1, "peak": peak, "rho": rho, "keys": keys,
                  "holders": run.holders.nbytes / 2**20, "ballots": per}))
"""


def child(
    model: str, years: int, reps: int, seed: int, membership: str | None, ballot: bool
) -> dict[str, Any]:
    args = json.dumps([model, years, reps, seed, membership, ballot])
    out = subprocess.run(
        [sys.executable, "-c", CHILD, args, HERE], capture_output=True, text=True, check=True
    )
    out_figures: dict[str, Any] = json.loads(out.stdout)
    return out_figures


def best(model: str, repeat: int, *args: Any) -> dict[str, Any]:
    """The fastest of ``repeat`` fresh processes, figure by figure (peak memory: the largest)."""
    runs = [child(model, *args) for _ in range(repeat)]
    out = {
        k: min(r[k] for r in runs) if isinstance(runs[0][k], float) else runs[0][k] for k in runs[0]
    }
    out["peak"] = max(r["peak"] for r in runs)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--membership", default=None, help="membership CSV (history model)")
    parser.add_argument("--replications", type=int, default=10_000)
    parser.add_argument("--years", type=int, default=100)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--repeat", type=int, default=3, help="fresh processes per model")
    parser.add_argument("--balloting", action="store_true", help="also time the ballot model")
    args = parser.parse_args()
    membership = args.membership
    if membership is None and (DEFAULT / MEMBERSHIP).is_file():
        membership = str(DEFAULT / MEMBERSHIP)
    models = ["record", "uniform"] + (["history"] if membership else [])
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(
        f"{args.years} years x {args.replications} replications, today's Council, "
        f"seed {args.seed}, best of {args.repeat} fresh processes"
    )
    print("(seconds: wall / CPU; keys: CPU time of the run's random keys alone)")
    print()
    print(
        "| candidates | elections (s) | summary (s) | total (s) | peak RSS (MiB) "
        "| holders (MiB) | keys (s) |"
    )
    print("|---|---|---|---|---|---|---|")
    common = (args.years, args.replications, args.seed, membership, False)
    for model in models:
        r = best(model, args.repeat, *common)
        wall = r["elect"] + r["summary"]
        cpu = r["elect_cpu"] + r["summary_cpu"]
        print(
            f"| {model} | {r['elect']:.2f} / {r['elect_cpu']:.2f} "
            f"| {r['summary']:.2f} / {r['summary_cpu']:.2f} | {wall:.2f} / {cpu:.2f} "
            f"| {r['peak']:.0f} | {r['holders']:.0f} | {r['keys']:.2f} |"
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
