"""How well the candidate models reproduce the real Security Council, 1966-2025.

Usage::

    python benchmarks/candidates_record.py [MEMBERSHIP_CSV] [--replications R] [--seed S]

The membership file defaults to ``../shared/data/unsc_membership_by_year_1946_2027.csv``
beside the repository. Prints, as Markdown (the tables of ``docs/candidates.md``):

1. the fit of ``alpha`` (log-likelihood of the real contests 1967-2025 for several values,
   and for the weights raised to a power, the one-parameter family's natural extension);
2. in sample: elections of today's rules (scenario ``current``) simulated from the real
   Council of 1966 to 2025 under each candidate model, against each state's real elected
   seat-years 1966-2025: Spearman's rank correlation, the mean absolute error, the seat-years
   by group and, for the shipped ``record`` model, the largest misses;
3. out of sample: weights from the service of 1946-1995 only (the shipped rule cut at 1995),
   elections simulated from the real Council of 1996 to 2025, against the real 1996-2025;
4. the long run: expected seat-years over the next 100 years of the states that served most
   and of those that never served.
"""

from __future__ import annotations

import argparse
import functools
import math
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from councilsim.council import Region, SeatKind
from councilsim.elections import (
    Candidates,
    Membership,
    history_candidates,
    read_membership,
    rules_for,
    run_elections,
    spearman,
    start_from_membership,
    summarise,
    uniform_candidates,
)
from councilsim.elections.candidates import candidate_model
from councilsim.elections.record import (
    FIRST_YEAR,
    LAST_YEAR,
    Contest,
    contests,
    fit_alpha,
    log_likelihood,
    read_record_table,
    seat_years,
)
from councilsim.scenario import load
from councilsim.states import all_states, lookup

DEFAULT = (
    Path(__file__).resolve().parents[2]
    / "shared"
    / "data"
    / "unsc_membership_by_year_1946_2027.csv"
)
CODES = [s.iso3 for s in all_states()]
RULES = rules_for(load("current"))
PERMANENT = {s.holder for s in RULES.council.seats if s.kind is SeatKind.PERMANENT}
# today's members that can hold an elected seat under today's rules
ELECTIVE = [i for i, s in enumerate(all_states()) if not s.historical and s.iso3 not in PERMANENT]


def real_seat_years(m: Membership, first: int, last: int) -> NDArray[np.float64]:
    served = seat_years(m, first, last)
    return np.array([float(served.get(c, 0)) for c in CODES])


def simulate(
    m: Membership, cands: Candidates, first: int, last: int, reps: int, seed: int
) -> NDArray[np.float64]:
    start = start_from_membership(RULES, m, first)
    run = run_elections(
        RULES, last - first + 1, start=start, replications=reps, seed=seed, candidates=cands
    )
    return np.asarray(summarise(run).seat_years, dtype=float)


def cut_record(m: Membership, last: int, alpha: float) -> Candidates:
    """The shipped rule applied to the service of 1946..last only."""
    served = seat_years(m, FIRST_YEAR, last)
    prior = alpha * (last - FIRST_YEAR + 1) / (LAST_YEAR - FIRST_YEAR + 1)
    current = {s.iso3 for s in all_states() if not s.historical}
    w = np.array([served.get(c, 0) + prior if c in current else 0.0 for c in CODES])
    return Candidates(f"record cut at {last}", w)


def by_group(v: NDArray[np.float64]) -> dict[Region, float]:
    out = dict.fromkeys(Region, 0.0)
    for i in ELECTIVE:
        out[all_states()[i].group] += float(v[i])
    return out


def agreement(
    label: str, sim: NDArray[np.float64], real: NDArray[np.float64], rows: list[str]
) -> None:
    s, r = sim[ELECTIVE], real[ELECTIVE]
    groups = by_group(sim)
    rows.append(
        f"| {label} | {spearman(s, r):.3f} | {float(np.abs(s - r).mean()):.2f} | "
        + " | ".join(f"{groups[g]:.0f}" for g in Region)
        + " |"
    )


def misses(sim: NDArray[np.float64], real: NDArray[np.float64], n: int = 12) -> None:
    order = sorted(ELECTIVE, key=lambda i: -abs(sim[i] - real[i]))[:n]
    print("| state | group | real | simulated | simulated - real |")
    print("|---|---|---:|---:|---:|")
    for i in order:
        st = all_states()[i]
        print(
            f"| {st.name} ({st.iso3}) | {st.group.value} | {real[i]:.0f} | {sim[i]:.1f} | "
            f"{sim[i] - real[i]:+.1f} |"
        )


def fit_section(m: Membership) -> float:
    races = contests(m)
    served = {y: seat_years(m, FIRST_YEAR, y - 1) for y in {r.year for r in races}}
    alpha = float(fit_alpha(m))
    print(f"{len(races)} real contests 1967-{LAST_YEAR}; fitted alpha = {alpha}\n")
    print("| alpha | log-likelihood |")
    print("|---:|---:|")
    for a in (0.5, 1.0, 2.0, alpha, 5.0, 10.0, 50.0, 1e6):
        shown = "10^6 (about uniform)" if a == 1e6 else f"{a:g}"
        print(f"| {shown} | {log_likelihood(a, races, served):.1f} |")
    late = [r for r in races if r.year >= 1994]
    late_fit = _golden(lambda a: -log_likelihood(a, late, served))
    print(f"\nFitted to the contests 1994-{LAST_YEAR} only: alpha = {late_fit:.2f}.\n")
    print("| exponent beta | best alpha | log-likelihood |")
    print("|---:|---:|---:|")
    for beta in (0.6, 0.8, 1.0, 1.2, 1.5):
        a = _golden(functools.partial(_neg_ll_power, beta=beta, races=races, served=served))
        print(f"| {beta} | {a:.2f} | {_ll_power(a, beta, races, served):.1f} |")
    return alpha


def _neg_ll_power(
    alpha: float, beta: float, races: list[Contest], served: dict[int, dict[str, int]]
) -> float:
    return -_ll_power(alpha, beta, races, served)


def _ll_power(
    alpha: float, beta: float, races: list[Contest], served: dict[int, dict[str, int]]
) -> float:
    return log_likelihood(alpha, races, served, beta)


def _golden(fn: Callable[[float], float], lo: float = 0.05, hi: float = 200.0) -> float:
    a, b = math.log(lo), math.log(hi)
    r = (math.sqrt(5) - 1) / 2
    for _ in range(60):
        c, d = b - r * (b - a), a + r * (b - a)
        if fn(math.exp(c)) < fn(math.exp(d)):
            b = d
        else:
            a = c
    return math.exp((a + b) / 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("membership", nargs="?", default=str(DEFAULT))
    parser.add_argument("--replications", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1966)
    args = parser.parse_args()
    m = read_membership(args.membership)
    reps, seed = args.replications, args.seed
    table = read_record_table()
    print(f"Shipped table: alpha = {table.alpha}; {len(table.rows)} members.\n")

    print("## Fit\n")
    alpha = fit_section(m)

    header = (
        "| model | Spearman | mean abs. error | "
        + " | ".join(g.value for g in Region)
        + " |\n|---|---:|---:|"
        + "---:|" * len(Region)
    )
    print(f"\n## In sample: 1966-2025 from the real 1966 Council ({reps} replications)\n")
    real = real_seat_years(m, 1966, 2025)
    models = {
        "record (shipped)": candidate_model("record"),
        "uniform": uniform_candidates(),
        "history (1966-2025, prior 0.5)": history_candidates(m),
    }
    rows = [header, f"| real | 1 | 0 | {' | '.join(f'{v:.0f}' for v in by_group(real).values())} |"]
    sims = {}
    for label, cands in models.items():
        sims[label] = simulate(m, cands, 1966, 2025, reps, seed)
        agreement(label, sims[label], real, rows)
    print("\n".join(rows))
    print("\nLargest misses of the record model:\n")
    misses(sims["record (shipped)"], real)

    print("\n## Out of sample: 1996-2025 from the real 1996 Council, weights from 1946-1995\n")
    real = real_seat_years(m, 1996, 2025)
    rows = [header, f"| real | 1 | 0 | {' | '.join(f'{v:.0f}' for v in by_group(real).values())} |"]
    cut = cut_record(m, 1995, alpha)
    sim_cut = simulate(m, cut, 1996, 2025, reps, seed)
    agreement("record cut at 1995", sim_cut, real, rows)
    agreement("uniform", simulate(m, uniform_candidates(), 1996, 2025, reps, seed), real, rows)
    print("\n".join(rows))
    print("\nThe same, for other values of alpha (scaled to 1946-1995 as in the fit):\n")
    print("| alpha | Spearman | mean abs. error | root mean square error |")
    print("|---:|---:|---:|---:|")
    for a in (0.5, 1.0, 2.0, alpha, 6.0, 10.0, 50.0):
        sim = simulate(m, cut_record(m, 1995, a), 1996, 2025, reps, seed)
        s, r = sim[ELECTIVE], real[ELECTIVE]
        rmse = math.sqrt(float(((s - r) ** 2).mean()))
        print(f"| {a:g} | {spearman(s, r):.3f} | {float(np.abs(s - r).mean()):.3f} | {rmse:.3f} |")
    print("\nLargest misses out of sample:\n")
    misses(sim_cut, real)

    print(f"\n## The long run: 2026-2125 from the scenario `current` ({reps} replications)\n")
    t0 = time.perf_counter()
    run = run_elections(RULES, 100, replications=reps, seed=seed)
    long = summarise(run).seat_years
    elapsed = time.perf_counter() - t0
    weights = {row[0]: row for row in table.rows}
    never = [i for i in ELECTIVE if weights[CODES[i]][2] == 0]
    print("| state | seat-years 1946-2025 | weight | expected seat-years in 100 years |")
    print("|---|---:|---:|---:|")
    for code in ("JPN", "BRA", "IND", "NGA", "DEU", "ZAF"):
        i = CODES.index(code)
        st = lookup(code)
        assert st is not None
        print(f"| {st.name} | {weights[code][2]} | {weights[code][3]} | {long[i]:.1f} |")
    for g in Region:
        idx = [i for i in never if all_states()[i].group is g]
        if idx:
            print(
                f"| never served, {g.value} ({len(idx)} states, mean) | 0 | {table.alpha} | "
                f"{float(long[idx].mean()):.1f} |"
            )
    print(f"\n(100 years x {reps} replications: {elapsed:.2f} s)")


if __name__ == "__main__":
    main()
