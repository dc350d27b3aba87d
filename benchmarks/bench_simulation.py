"""Benchmark of the Monte Carlo simulator (a script, not a test).

For a 15-member council (today's), a 25-member one (the G4 draft of 2005) and councils of
32, 48 and 64 members (five veto holders, the rest elected, equal weights), under the
``impartial`` model at p = 1/2 and (for the first two) the ``blocs`` and ``record`` models,
it reports:

* drafts per second of :func:`councilsim.simulation.simulate` on one core; for
  ``impartial`` both with numpy alone and with the compiled counting loop
  (:mod:`councilsim.simulation.compiled`, when numba is installed: ``pip install ".[fast]"``),
  after a warm-up run that loads the compiled code;
* the ratio of that time to the time numpy needs just to draw the random numbers the
  simulation consumes, in the same blocks of 65 536 drafts with their own generators. For
  ``impartial`` at 1/2 these are raw random bits (one bit per member); the ratio against one
  uniform double per member and draft (what a per-member simulation would draw) is shown too.
  The simulation and its draws run alternately, ``--repeat`` times each (default 5), and the
  best of each is compared, so that both see the same load. The issue's targets, for every
  council up to 64 members at 1/2: at most 2.5 with numpy, at most 1.5 with the compiled
  loop. The measured figures, and how they came down, are in ``docs/simulation.md``
  ("Speed");
* above 64 members (65, 100 and 200, built the same way), drafts per second under
  ``impartial`` (the issue's target: at least 5 * 10**7);
* the first and second simulation in a fresh process (10**8 drafts): seconds and minor page
  faults of each, to show there is no cold first call;
* for councils whose members vote with probabilities of their own (``propensity``, in sets
  of probabilities from one per member to ten for 200 members), and at 1/2 with every elected
  member's weight different, drafts per second drawing every member's vote and summing by
  tally state (:mod:`councilsim.simulation.tallies`), and which one the simulator uses
  (``--own`` prints only this table);
* the peak resident memory (``resource.getrusage`` maxrss) of a child process that runs a
  10**9-draft ``impartial`` simulation and a 10**8-draft ``blocs`` one, next to one-block runs,
  to show that memory does not grow with the number of draws.

The load average is printed first: the machine may be shared.

Run from the repository root::

    python benchmarks/bench_simulation.py            # a few minutes
    python benchmarks/bench_simulation.py --quick    # a few seconds, smaller runs
    python benchmarks/bench_simulation.py --memory-draws 100000000
    python benchmarks/bench_simulation.py --councils pre-1965,double-veto,20:1:2,64:1:2
    python benchmarks/bench_simulation.py --own
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from fractions import Fraction
from functools import partial

import numpy as np
from _timing import HERE

from councilsim.council import Council, Rule, SeatClass, SeatKind
from councilsim.models import BlocsModel, ImpartialModel, PropensityModel, VoteModel, VoteProbs
from councilsim.models.record import RecordModel
from councilsim.scenario import load
from councilsim.simulation import BLOCK, make_plan, simulate
from councilsim.simulation.compiled import available
from councilsim.simulation.engine import Plan, block_generator, run_blocks
from councilsim.simulation.fast import CountsPlan
from councilsim.simulation.tallies import TalliesPlan
from councilsim.simulation.votes import VotesPlan, batch_size

BLOCS = {"west": ["USA", "GBR", "FRA"], "russia-china": ["RUS", "CHN"]}


def uniform_council(members: int, veto: int = 5) -> Council:
    """``veto`` veto holders and the rest elected, all of weight 1; quota three fifths."""
    classes = (
        SeatClass("permanent", SeatKind.PERMANENT, True, (None,) * veto),
        SeatClass("elected", SeatKind.ELECTED, False, (None,) * (members - veto)),
    )
    quota = 3 * members // 5
    return Council(classes=classes, rule=Rule(quota=quota, procedural_quota=quota))


def weighted_council(members: int, weights: tuple[int, ...], veto: int = 5) -> Council:
    """``veto`` veto holders and the rest elected in classes as equal in size as can be, of
    the given weights (three or more groups of interchangeable members); quota three fifths
    of the total weight."""
    elected, k = members - veto, len(weights)
    sizes = [elected // k + (j < elected % k) for j in range(k)]
    classes = [SeatClass("permanent", SeatKind.PERMANENT, True, (None,) * veto)]
    for j, (size, weight) in enumerate(zip(sizes, weights, strict=True)):
        classes.append(SeatClass(f"e{j}", SeatKind.ELECTED, False, (None,) * size, weight=weight))
    total = veto + sum(size * w for size, w in zip(sizes, weights, strict=True))
    quota = 3 * total // 5
    return Council(classes=tuple(classes), rule=Rule(quota=quota, procedural_quota=quota))


def council_of(name: str) -> Council:
    """A shipped scenario's council, ``N`` (:func:`uniform_council`) or ``N:W1:W2...``
    (:func:`weighted_council`)."""
    if name.isdigit():
        return uniform_council(int(name))
    if ":" in name:
        members, *weights = (int(x) for x in name.split(":"))
        return weighted_council(members, tuple(weights))
    return load(name).council


def blocs_model() -> BlocsModel:
    return BlocsModel.from_params(
        {
            "blocs": BLOCS,
            "loading": 0.8,
            "common": 0.3,
            "factor_correlation": {"west": {"russia-china": -0.4}},
        }
    )


def timed(func: Callable[[], object], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - start)
    return best


def per_block(draws: int, draw: Callable[[np.random.Generator, int], object]) -> None:
    for k in range(-(-draws // BLOCK)):
        draw(block_generator(0, k), min(BLOCK, draws - k * BLOCK))


def rng_draws(council: Council, model: VoteModel, draws: int) -> dict[str, Callable[[], None]]:
    """Runs of numpy drawing what the simulation draws (``same``) and a per-member baseline
    (``uniform``)."""
    plan = make_plan(council, model)
    m = council.size
    out: dict[str, Callable[[], None]] = {}
    if isinstance(plan, CountsPlan) and plan.word is not None:
        width = np.dtype(plan.word).itemsize * 8

        def raw(rng: np.random.Generator, n: int) -> object:
            return rng.bit_generator.random_raw(-(-n * width // 64))

        out["same"] = partial(per_block, draws, raw)
    if isinstance(plan, TalliesPlan) and plan.terms is not None:  # one bit per member
        out["same"] = partial(per_block, draws, plan.raw_words)
    assert isinstance(plan, CountsPlan | TalliesPlan | VotesPlan)
    batch = batch_size(m)
    if isinstance(plan, VotesPlan) and isinstance(model, RecordModel):
        roles = model.sampler(council).roles
        pools = [
            (values.size, int((roles.pool == k).sum())) for k, values in enumerate(roles.pools)
        ]

        def latent(rng: np.random.Generator, n: int) -> object:
            for start in range(0, n, batch):  # as draw_latent draws them
                k = min(batch, n - start)
                rng.random(k), rng.random(k), rng.standard_normal(k)
                rng.standard_normal((k, m)), rng.random((k, m))
                for size, cols in pools:
                    rng.integers(0, size, (k, cols))
            return None

        out["same"] = partial(per_block, draws, latent)
    elif isinstance(plan, VotesPlan):
        factors = len(BLOCS) + 1

        def normals(rng: np.random.Generator, n: int) -> object:
            for start in range(0, n, batch):
                k = min(batch, n - start)
                rng.standard_normal((k, factors), dtype=np.float32)
                rng.standard_normal((k, m), dtype=np.float32)
            return None

        out["same"] = partial(per_block, draws, normals)

    def uniforms(rng: np.random.Generator, n: int) -> object:
        for start in range(0, n, batch):
            rng.random((min(batch, n - start), m))
        return None

    out["uniform"] = partial(per_block, draws, uniforms)
    return out


def interleaved(
    first: Callable[[], object], second: Callable[[], object], repeat: int
) -> tuple[float, float]:
    """The best of ``repeat`` runs of each, alternating (so that both see the same load)."""
    best = [float("inf"), float("inf")]
    for _ in range(repeat):
        for k, func in enumerate((first, second)):
            best[k] = min(best[k], timed(func, 1))
    return best[0], best[1]


def peak_memory(scenario: str, model: str, draws: int) -> tuple[float, float, bool]:
    """(seconds, peak RSS in MiB, compiled loop used) of a child process running one
    simulation with the default settings.

    The peak is the child's own ``VmHWM`` where Linux gives it (``ru_maxrss`` can carry the
    parent's peak over ``fork``), else ``ru_maxrss``.
    """
    code = f"""
import json, sys, time
sys.path.insert(0, {HERE!r})
from _timing import peak_mib
from councilsim.scenario import load
from councilsim.simulation import simulate
from councilsim.simulation.compiled import wanted
from councilsim.models import ImpartialModel, BlocsModel
council = load({scenario!r}).council
model = ImpartialModel() if {model!r} == "impartial" else BlocsModel.from_params(
    {{"blocs": {BLOCS!r}, "loading": 0.8}})
start = time.perf_counter()
simulate(council, model, draws={draws}, seed=1)
seconds = time.perf_counter() - start
peak = peak_mib()
print(json.dumps([seconds, peak, {model!r} == "impartial" and wanted(None, {draws})]))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    seconds, mib, jit = json.loads(out.stdout)
    return float(seconds), float(mib), bool(jit)


def cold_call(scenario: str, draws: int, jit: bool) -> list[tuple[float, int]]:
    """Seconds and minor page faults of the first and second simulation in a fresh process."""
    code = f"""
import json, resource, time
from councilsim.models import ImpartialModel
from councilsim.scenario import load
from councilsim.simulation import simulate
council = load({scenario!r}).council
out = []
for _ in range(2):
    faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    start = time.perf_counter()
    simulate(council, ImpartialModel(), draws={draws}, seed=1, jit={jit!r})
    out.append([time.perf_counter() - start,
                resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults])
print(json.dumps(out))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return [(float(t), int(f)) for t, f in json.loads(out.stdout)]


def own_probabilities(members: int, distinct: int) -> tuple[Council, VoteModel]:
    """A council of ``members`` (five veto holders) whose members vote with ``distinct``
    different sets of probabilities, in turn (yes, no and abstain all differ between sets)."""
    council = uniform_council(members)
    half = Fraction(1, 2)
    own = {}
    for k, seat in enumerate(council.seats):
        yes = Fraction(k % distinct + 1, 4 * distinct)
        own[seat.label] = VoteProbs(yes, half, half - yes, Fraction(0))
    return council, PropensityModel(members=own)


OWN = ((21, 21), (48, 48), (200, 200), (200, 100), (200, 40), (200, 10), (1000, 100))
"""Councils whose members vote with probabilities of their own: members, distinct sets."""

OWN_WEIGHTS = (24, 64, 200)
"""Councils at p = 1/2 whose elected members all have different weights (one bit each)."""


def own_weights(members: int) -> tuple[Council, ImpartialModel]:
    """Five veto holders of weight 1 and elected members of weights 1, 2, 3, …; quota three
    fifths of the total weight; every vote yes or no at 1/2."""
    elected = members - 5
    classes = [SeatClass("permanent", SeatKind.PERMANENT, True, (None,) * 5)]
    for j in range(elected):
        classes.append(SeatClass(f"e{j}", SeatKind.ELECTED, False, (None,), weight=j + 1))
    quota = 3 * (5 + elected * (elected + 1) // 2) // 5
    rule = Rule(quota=quota, procedural_quota=quota)
    return Council(classes=tuple(classes), rule=rule), ImpartialModel()


def per_member_or_by_state(repeat: int, scale: int) -> None:
    """Drafts per second of councils whose members vote with probabilities of their own,
    drawing every member's vote (``VotesPlan``) and summing by tally state (``TalliesPlan``),
    the blocks run directly; and which one ``simulate`` uses."""
    print(
        "| members | votes | groups | drafts | per member (drafts/s) "
        "| by state (drafts/s) | simulate uses |"
    )
    print("|---|---|---|---|---|---|---|")
    cases: list[tuple[int, str, Council, VoteModel]] = []
    for m, distinct in OWN:
        cases.append((m, f"{distinct} sets of probabilities", *own_probabilities(m, distinct)))
    for m in OWN_WEIGHTS:
        cases.append((m, "1/2, elected weights all different", *own_weights(m)))
    for m, votes, council, model in cases:
        probs = model.probabilities(council)
        assert probs is not None
        by_state = TalliesPlan.build(council, probs)
        plans: dict[str, Plan] = {
            "per member": VotesPlan.build(council, model.sampler(council)),
            "by state": by_state,
        }
        draws = max(BLOCK, (10**6 if m <= 200 else 2 * 10**5) // scale)
        blocks = -(-draws // BLOCK)
        speed = {}
        for name, plan in plans.items():
            run_blocks(plan, 0, 0, 1, BLOCK)  # warm up
            seconds = timed(partial(run_blocks, plan, 1, 0, blocks, draws), repeat)
            speed[name] = draws / seconds
        used = "by state" if isinstance(make_plan(council, model), TalliesPlan) else "per member"
        print(
            f"| {m} | {votes} | {len(by_state.units)} | {draws:.0e} "
            f"| {speed['per member']:.3g} | {speed['by state']:.3g} | {used} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small runs (seconds)")
    parser.add_argument(
        "--memory-draws",
        type=int,
        default=None,
        help="draws of the memory run (default 10**9; 10**7 with --quick)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=5,
        help="runs of each simulation and of its draws, alternating; the best of each counts",
    )
    parser.add_argument(
        "--councils",
        default=None,
        metavar="LIST",
        help="time only these councils under impartial, and print only their table "
        "(comma-separated: scenario ids, N for N members with five veto holders, N:W1:W2... "
        "for the elected seats split into classes of those weights)",
    )
    parser.add_argument(
        "--own",
        action="store_true",
        help="time only councils whose every member has probabilities of its own, per member "
        "and by tally state",
    )
    args = parser.parse_args()
    scale = 10 if args.quick else 1
    if args.own:
        per_member_or_by_state(args.repeat, scale)
        return
    jits = [False, True] if available() else [False]
    cases = [
        *(("current", "impartial", 10**8, jit) for jit in jits),
        ("current", "blocs", 10**7, False),
        ("current", "record", 10**7, False),
        *(("g4-2005", "impartial", 10**8, jit) for jit in jits),
        ("g4-2005", "blocs", 10**7, False),
        ("g4-2005", "record", 10**7, False),
        *((str(m), "impartial", 10**8, jit) for m in (32, 48, 64) for jit in jits),
    ]
    if args.councils:  # only these, impartial
        names = [x.strip() for x in args.councils.split(",") if x.strip()]
        cases = [(name, "impartial", 10**8, jit) for name in names for jit in jits]
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}\n")
    if not available():
        print("(numba is not installed: no rows for the compiled counting loop)\n")
    print(
        "| council | members | model | counting | drafts | drafts/s | time / RNG time "
        "(same numbers) | time / uniform-per-member draw |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for scenario, name, draws, jit in cases:
        draws //= scale
        council = council_of(scenario)
        model: VoteModel = (
            ImpartialModel()
            if name == "impartial"
            else RecordModel()
            if name == "record"
            else blocs_model()
        )
        if jit and (council.size > 64 or name != "impartial"):
            continue  # the compiled loop counts drafts of at most 64 members
        plan = make_plan(council, model, jit=jit)
        by_state = isinstance(plan, TalliesPlan)
        counting = "numpy, by tally state" if by_state else "numpy"
        if jit:
            if isinstance(plan, TalliesPlan):
                served = plan.jit
            else:
                served = isinstance(plan, CountsPlan) and plan.counter is not None
            compiled = "compiled, by tally state" if by_state else "compiled"
            counting = compiled if served else f"{counting} (not served by the compiled loop)"
        simulate(council, model, draws=BLOCK, seed=0, jit=jit)  # warm up
        rng = rng_draws(council, model, draws)
        run = partial(simulate, council, model, draws=draws, seed=1, jit=jit)
        seconds, same = interleaved(run, rng["same"], args.repeat)
        uniform = timed(rng["uniform"], 2)
        print(
            f"| {'uniform' if scenario.isdigit() else scenario} | {council.size} | {name} | "
            f"{counting} | {draws:.0e} | {draws / seconds:.3g} | {seconds / same:.2f} | "
            f"{seconds / uniform:.2f} |"
        )
    if args.councils:
        return
    print()
    print("| members | model | drafts | drafts/s |")
    print("|---|---|---|---|")
    for m in (65, 100, 200):
        council = uniform_council(m)
        draws = 10**8 // scale
        simulate(council, ImpartialModel(), draws=BLOCK, seed=0)
        seconds = timed(partial(simulate, council, ImpartialModel(), draws=draws, seed=1), 2)
        print(f"| {m} | impartial | {draws:.0e} | {draws / seconds:.3g} |")
    print()
    print(
        "| council | counting | drafts | first call (s) | page faults | second call (s) "
        "| page faults |"
    )
    print("|---|---|---|---|---|---|---|")
    for scenario in ("current", "g4-2005"):
        for jit in jits:
            draws = 10**8 // scale
            (t1, f1), (t2, f2) = cold_call(scenario, draws, jit)
            counting = "compiled" if jit else "numpy"
            print(f"| {scenario} | {counting} | {draws:.0e} | {t1:.2f} | {f1} | {t2:.2f} | {f2} |")
    print()
    per_member_or_by_state(min(args.repeat, 3), scale)
    mem_draws = args.memory_draws or (10**7 if args.quick else 10**9)
    print()
    print("| run | drafts | counting | seconds | peak RSS (MiB) |")
    print("|---|---|---|---|---|")
    for scenario, name, draws in (
        ("current", "impartial", BLOCK),
        ("current", "impartial", mem_draws),
        ("current", "blocs", BLOCK),
        ("current", "blocs", mem_draws // 10),
    ):
        seconds, mib, jit = peak_memory(scenario, name, draws)
        counting = "compiled" if jit else "numpy"
        print(f"| {scenario} {name} | {draws:.3g} | {counting} | {seconds:.1f} | {mib:.0f} |")


if __name__ == "__main__":
    main()
