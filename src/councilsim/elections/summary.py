"""What a run of elections adds up to: seat-years, chances of serving, waiting times.

All figures are means over the replications of an :class:`~councilsim.elections.ElectionRun`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from councilsim.council import Region
from councilsim.elections.engine import ElectionRun
from councilsim.states import all_states

__all__ = ["RunSummary", "group_seat_years", "spearman", "summarise"]


@dataclass(frozen=True)
class RunSummary:
    """Per-state figures of a run, indexed like :func:`councilsim.states.all_states`.

    Attributes
    ----------
    seat_years
        Mean seat-years per replication over the whole run.
    serve_probability
        Share of replications in which the state holds a seat in at least one year of the
        first ``window`` years.
    mean_gap
        Mean number of years off the Council between two of its stints (``nan``: no gap seen).
    mean_first_wait
        For states off the Council at the start: mean years from the start year to the first
        year of their next term, over the replications where one starts (``nan``: none).
    """

    window: int
    years: int
    replications: int
    seat_years: NDArray[np.float64]
    serve_probability: NDArray[np.float64]
    mean_gap: NDArray[np.float64]
    mean_first_wait: NDArray[np.float64]
    group_seat_years: Mapping[Region | None, float]
    open_seat_years: float

    def state(self, iso3: str) -> dict[str, float | None]:
        """The figures of one state, as plain numbers (``None`` for no data)."""
        i = [s.iso3 for s in all_states()].index(iso3.strip().upper())
        return {
            "seat_years": float(self.seat_years[i]),
            "serve_probability": float(self.serve_probability[i]),
            "mean_gap": _num(self.mean_gap[i]),
            "mean_first_wait": _num(self.mean_first_wait[i]),
        }


def _num(x: float) -> float | None:
    return None if np.isnan(x) else float(x)


def summarise(run: ElectionRun, window: int | None = None) -> RunSummary:
    """Seat-years, the probability of serving within ``window`` years, and waiting times.

    Parameters
    ----------
    run
        A run of elections.
    window
        Years from the start in which serving counts (default: the whole run).
    """
    holders = run.holders
    reps, n_years, _ = holders.shape
    window = n_years if window is None else max(1, min(window, n_years))
    n = len(run.states)
    rows = np.arange(reps)[:, None]
    # the last year each state held a seat (-1: not yet); open seats (-1) go to column n
    last = np.full((reps, n + 1), -1, dtype=np.int32)
    size = holders.shape[2]
    by_seat = np.zeros((size, n + 1), dtype=np.int64)  # years each state held each seat
    offset = np.arange(size, dtype=np.intp) * (n + 1)
    gap_sum = np.zeros(n + 1)
    gap_count = np.zeros(n + 1)
    first_sum = np.zeros(n + 1)
    first_count = np.zeros(n + 1)
    serve = np.zeros(n + 1)
    for t in range(n_years):
        now = holders[:, t, :].astype(np.intp)
        now[now < 0] = n
        by_seat.ravel()[:] += np.bincount((now + offset).ravel(), minlength=size * (n + 1))
        if t > 0:  # a stint starts where the holder did not sit the year before
            before = last[rows, now]
            starts = (before != t - 1) & (now < n)
            back = starts & (before >= 0)  # back after a gap of t - before - 1 years
            gap_sum += np.bincount(now[back], weights=t - 1 - before[back], minlength=n + 1)
            gap_count += np.bincount(now[back], minlength=n + 1)
            first = np.bincount(now[starts & (before < 0)], minlength=n + 1)  # off at the start
            first_sum += first * t
            first_count += first
        last[rows, now] = t
        if t == window - 1:
            serve = (last >= 0).sum(axis=0) / reps
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_gap = np.where(gap_count > 0, gap_sum / np.maximum(gap_count, 1), np.nan)
        mean_first = np.where(first_count > 0, first_sum / np.maximum(first_count, 1), np.nan)
    seats = by_seat.sum(axis=0)
    return RunSummary(
        window=window,
        years=n_years,
        replications=reps,
        seat_years=seats[:n] / reps,
        serve_probability=serve[:n],
        mean_gap=mean_gap[:n],
        mean_first_wait=mean_first[:n],
        group_seat_years=_by_group(run, by_seat),
        open_seat_years=float(seats[n] / reps),
    )


def group_seat_years(run: ElectionRun) -> dict[Region | None, float]:
    """Mean seat-years per replication of each regional group (open seats by their region)."""
    n = len(run.states)
    by_seat = np.zeros((run.holders.shape[2], n + 1), dtype=np.int64)
    for s in range(by_seat.shape[0]):
        col = run.holders[:, :, s].ravel()
        by_seat[s, :n] = np.bincount(col[col >= 0], minlength=n)
        by_seat[s, n] = int((col < 0).sum())
    return _by_group(run, by_seat)


def _by_group(run: ElectionRun, by_seat: NDArray[np.int64]) -> dict[Region | None, float]:
    """:func:`group_seat_years` from the years each state (the last column: no state, an
    open seat) held each seat."""
    reps = run.holders.shape[0]
    groups = [s.group for s in all_states()]
    seat_regions = [s.region for s in run.rules.council.seats]
    counts: dict[Region | None, int] = {}
    for s, region in enumerate(seat_regions):
        held = by_seat[s, :-1]
        for i in np.flatnonzero(held):
            counts[groups[i]] = counts.get(groups[i], 0) + int(held[i])
        open_ = int(by_seat[s, -1])
        if open_:
            counts[region] = counts.get(region, 0) + open_
    return {g: n / reps for g, n in counts.items()}


def spearman(
    a: Sequence[float] | NDArray[np.float64], b: Sequence[float] | NDArray[np.float64]
) -> float:
    """Spearman's rank correlation of two samples, ties given their average rank."""
    x, y = _ranks(np.asarray(a, dtype=float)), _ranks(np.asarray(b, dtype=float))
    x, y = x - x.mean(), y - y.mean()
    denom = float(np.sqrt((x * x).sum() * (y * y).sum()))
    return float((x * y).sum() / denom) if denom else float("nan")


def _ranks(v: NDArray[np.float64]) -> NDArray[np.float64]:
    order = np.argsort(v, kind="stable")
    ranks = np.empty(len(v))
    ranks[order] = np.arange(len(v), dtype=float)
    _, inverse, counts = np.unique(v, return_inverse=True, return_counts=True)
    sums = np.bincount(inverse, weights=ranks)
    return np.asarray(sums[inverse] / counts[inverse], dtype=float)
