"""The run summary against a plain per-replication count, and election runs pinned for a seed."""

from __future__ import annotations

import hashlib
import math
from fractions import Fraction

import numpy as np
import pytest

from councilsim.elections import BallotModel, rules_for, run_elections, summarise
from councilsim.elections.candidates import candidate_model
from councilsim.elections.engine import ElectionRun
from councilsim.scenario import load


def plain_summary(run: ElectionRun, window: int) -> dict[str, list[Fraction | None]]:
    """Each figure of :func:`summarise`, counted replication by replication, state by state."""
    reps, years, _ = run.holders.shape
    n = len(run.states)
    seat_years = [0] * n
    served = [0] * n
    gaps: list[list[int]] = [[] for _ in range(n)]
    waits: list[list[int]] = [[] for _ in range(n)]
    for r in range(reps):
        sitting = [{int(h) for h in run.holders[r, t] if h >= 0} for t in range(years)]
        for i in range(n):
            on = [i in sitting[t] for t in range(years)]
            seat_years[i] += sum(int(h == i) for h in run.holders[r].ravel())
            served[i] += any(on[:window])
            last = None
            for t in range(years):
                if on[t] and t > 0 and not on[t - 1]:
                    if last is not None:
                        gaps[i].append(t - last - 1)
                    elif not on[0]:
                        waits[i].append(t)
                if on[t]:
                    last = t

    def mean(xs: list[int]) -> Fraction | None:
        return Fraction(sum(xs), len(xs)) if xs else None

    return {
        "seat_years": [Fraction(s, reps) for s in seat_years],
        "serve_probability": [Fraction(s, reps) for s in served],
        "mean_gap": [mean(g) for g in gaps],
        "mean_first_wait": [mean(w) for w in waits],
    }


@pytest.mark.parametrize(("scenario", "window"), [("current", 4), ("g4-2005", 30)])
def test_summary_matches_a_plain_count(scenario: str, window: int) -> None:
    run = run_elections(rules_for(load(scenario)), 30, replications=12, seed=5)
    summary = summarise(run, window=window)
    for name, want in plain_summary(run, window).items():
        got = getattr(summary, name)
        for i, w in enumerate(want):
            if w is None:
                assert math.isnan(got[i]), (name, run.states[i])
            else:
                assert got[i] == float(w), (name, run.states[i])  # correctly rounded division


def test_summary_counts_open_seats_apart() -> None:
    run = run_elections(rules_for(load("current")), 5, replications=3, seed=1)
    holders = run.holders.copy()
    holders[:, 2:, 0] = -1  # the first seat stays open from the third year
    summary = summarise(ElectionRun(run.rules, run.start, run.years, holders, "record", 1))
    assert summary.open_seat_years == 3
    assert float(np.sum(summary.seat_years)) == 15 * 5 - 3


# sha256 of the holders of these runs, from the engine before it was made faster: a seed gives
# the same Councils (30 years, 50 replications, seed 3)
PINNED = [
    ("current", "record", False, "d22a531340bcf6e2"),
    ("current", "uniform", False, "397d7b61d530041a"),
    ("g4-2005", "record", False, "5924e28a206d795f"),
    ("current", "record", True, "fd1fb47f0f81fa52"),
]


@pytest.mark.parametrize(("scenario", "model", "ballot", "digest"), PINNED)
def test_runs_are_pinned_for_a_seed(scenario: str, model: str, ballot: bool, digest: str) -> None:
    run = run_elections(
        rules_for(load(scenario)),
        30,
        replications=50,
        seed=3,
        candidates=candidate_model(model),
        balloting=BallotModel() if ballot else None,
    )
    assert hashlib.sha256(run.holders.tobytes()).hexdigest()[:16] == digest
