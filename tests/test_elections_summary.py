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


def year_by_year(run: ElectionRun, window: int) -> list[np.ndarray]:
    """The figures of :func:`summarise` as it computed them before it read terms: year by
    year, a state's stint starting in every seat it takes that it did not sit in the year
    before (a state in two seats counted in each)."""
    holders = run.holders
    reps, n_years, _ = holders.shape
    n = len(run.states)
    rows = np.arange(reps)[:, None]
    last = np.full((reps, n + 1), -1)
    seats = np.zeros(n + 1, dtype=np.int64)
    gap_sum, gap_count = np.zeros(n + 1), np.zeros(n + 1)
    first_sum, first_count = np.zeros(n + 1), np.zeros(n + 1)
    serve = np.zeros(n + 1)
    for t in range(n_years):
        now = holders[:, t, :].astype(np.intp)
        now[now < 0] = n
        seats += np.bincount(now.ravel(), minlength=n + 1)
        if t > 0:
            before = last[rows, now]
            starts = (before != t - 1) & (now < n)
            back = starts & (before >= 0)
            gap_sum += np.bincount(now[back], weights=t - 1 - before[back], minlength=n + 1)
            gap_count += np.bincount(now[back], minlength=n + 1)
            first = np.bincount(now[starts & (before < 0)], minlength=n + 1)
            first_sum += first * t
            first_count += first
        last[rows, now] = t
        if t == window - 1:
            serve = (last >= 0).sum(axis=0) / reps
    with np.errstate(invalid="ignore", divide="ignore"):
        gap = np.where(gap_count > 0, gap_sum / np.maximum(gap_count, 1), np.nan)
        wait = np.where(first_count > 0, first_sum / np.maximum(first_count, 1), np.nan)
    return [seats[:n] / reps, serve[:n], gap[:n], wait[:n], np.array([seats[n] / reps])]


@pytest.mark.parametrize("seed", range(16))
def test_summary_matches_year_by_year_on_any_holders(seed: int) -> None:
    """Holders no election gives: seats that change in some replications only, open seats,
    a state in two seats, holders back after a year."""
    rng = np.random.default_rng(seed)
    base = run_elections(rules_for(load("current")), 2, replications=1, seed=seed)
    reps, years = int(rng.integers(1, 9)), int(rng.integers(1, 14))
    holders = rng.integers(-1, 12, (reps, years, 15)).astype(np.int16)
    keep = rng.random((reps, years, 15)) < [0.5, 0.9][seed % 2]  # seats keep their holder
    for t in range(1, years):
        holders[:, t] = np.where(keep[:, t], holders[:, t - 1], holders[:, t])
    run = ElectionRun(base.rules, base.start, np.arange(years), holders, "record", seed)
    window = int(rng.integers(1, years + 1))
    got = summarise(run, window=window)
    want = year_by_year(run, window)
    for name, w in zip(
        ["seat_years", "serve_probability", "mean_gap", "mean_first_wait"], want, strict=False
    ):
        assert np.array_equal(getattr(got, name), w, equal_nan=True), name
    assert got.open_seat_years == want[4][0]


def test_a_second_seat_does_not_end_a_stint() -> None:
    """A state that sits throughout takes a second seat for two years, then a third: it never
    left the Council, so neither starts a stint."""
    base = run_elections(rules_for(load("current")), 2, replications=1, seed=1)
    holders = np.full((1, 10, 15), -1, dtype=np.int16)
    holders[0, :, 0] = 5
    holders[0, :, 1] = 7
    holders[0, 2:4, 1] = 5
    holders[0, 6:, 2] = 5
    run = ElectionRun(base.rules, base.start, np.arange(10), holders, "record", 1)
    got = summarise(run, window=10)
    want = year_by_year(run, 10)
    assert np.array_equal(got.mean_gap, want[2], equal_nan=True)
    assert np.isnan(got.mean_gap[5])


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


# sha256 of the holders and of the summary of these runs, from the engine and summary before
# they read a contest's keys state by state and a run term by term: results did not change
PINNED_SUMMARIES = [
    ("current", "record", False, 1, 40, 300, 10, "61280698f799b6fe", "e8bfecbde0a68223"),
    ("current", "uniform", False, 2026, 100, 200, 10, "cefd2e53880e4503", "7a7d96b99466bbc8"),
    ("current", "record", False, 7, 2, 1, None, "dee8d3563a255607", "29d7258ef1615dd4"),
    ("g4-2005", "record", False, 5, 30, 100, 4, "b9ad62c6e99f4291", "c684c0ca97dfbc48"),
    ("ufc-2024", "uniform", False, 11, 25, 64, 25, "d5f21c4047995548", "65c51561bb02dcb5"),
    ("african-union-2005", "record", True, 3, 12, 20, 5, "ffa5f7d35ff02527", "3590d84e4aa1dc10"),
]


def digest(*arrays: np.ndarray) -> str:
    h = hashlib.sha256()
    for a in arrays:
        h.update(np.ascontiguousarray(a).tobytes())
    return h.hexdigest()[:16]


@pytest.mark.parametrize(
    ("scenario", "model", "ballot", "seed", "years", "reps", "window", "runs", "sums"),
    PINNED_SUMMARIES,
)
def test_runs_and_summaries_are_pinned(
    scenario: str,
    model: str,
    ballot: bool,
    seed: int,
    years: int,
    reps: int,
    window: int | None,
    runs: str,
    sums: str,
) -> None:
    run = run_elections(
        rules_for(load(scenario)),
        years,
        replications=reps,
        seed=seed,
        candidates=candidate_model(model),
        balloting=BallotModel() if ballot else None,
    )
    s = summarise(run, window)
    assert digest(run.holders) == runs
    assert digest(s.seat_years, s.serve_probability, s.mean_gap, s.mean_first_wait) == sums


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
