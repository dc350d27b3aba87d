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
    terms = _Terms(holders, n)
    serve = None
    for t in range(n_years):
        if t == window:
            serve = terms.served()
        terms.advance(t)
    if serve is None:
        serve = terms.served()
    by_seat, gap_sum, gap_count, first_sum, first_count = terms.tally()
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


class _Terms:
    """The terms of a run: the stretches of years in which a seat's holder is the same in
    every replication, split where the holder changes in any of them.

    Only a term's first year can start a state's stint (its holder did not sit the year
    before), so the run is read a term at a time instead of a year at a time: ``now[p]`` is
    the holder of term ``p`` in every replication (``n``: an open seat). :meth:`advance`
    reads the terms of a year, after those of every earlier year.
    """

    def __init__(self, holders: NDArray[np.int16], n: int) -> None:
        reps, n_years, size = holders.shape
        self.reps, self.n_years, self.size, self.n = reps, n_years, size, n
        change = _changes(holders)
        until = _next_change(change)
        self.year, self.seat = np.nonzero(change)  # in order of years
        self.until = until[self.year, self.seat]
        self.bounds = np.searchsorted(self.year, np.arange(n_years + 1))
        self.now = _pick(holders, self.year * size + self.seat)
        self.now[self.now < 0] = n
        # the last year of the latest term seen of each state (-1: none), state-major; an
        # open seat's "last year" is beyond any year, so that it never starts a stint
        self.last = np.full((n + 1, reps), -1, dtype=np.int16)
        self.last[n] = np.iinfo(np.int16).max
        self.rr = np.arange(reps)
        self.by_term = np.zeros((self.year.size, n + 1), dtype=np.int64)
        # stints started, by kind (0: after a gap, 1: the first), state and gap or wait
        self.kinds = np.zeros(2 * (n + 1) * (n_years + 1) + 1, dtype=np.int64)

    def advance(self, t: int) -> None:
        """Read the terms that start in year ``t``."""
        lo, hi = int(self.bounds[t]), int(self.bounds[t + 1])
        if lo == hi:
            return
        n, years = self.n, self.n_years + 1
        flat = self.last.reshape(-1)
        now = self.now[lo:hi]
        cells = now.astype(np.intp)
        cells *= self.reps
        cells += self.rr
        seen = np.take(flat, cells)  # the last year each holder sat before (-1: never)
        ends = self.until[lo:hi]
        if (ends == ends[0]).all():  # a state in two of these terms gets the same last year
            flat[cells] = np.maximum(seen, ends[0] - 1)
        else:
            for end in np.unique(ends).tolist():
                held = cells[ends == end]
                flat[held] = np.maximum(flat[held], end - 1)
        wide = now.astype(np.int32)
        tally = np.bincount(
            (wide + self._offset(hi - lo)).reshape(-1), minlength=(hi - lo) * (n + 1)
        )
        self.by_term[lo:hi] = tally.reshape(hi - lo, n + 1)
        if t == 0:  # the first year starts no stint
            return
        gap = (t - 1) - seen  # years off before the term; <= 0: no new stint
        key = wide * years + gap
        key += (seen < 0) * ((n + 1) * years)  # never sat before: waited t years
        key = np.where(gap > 0, key, self.kinds.size - 1)
        self.kinds += np.bincount(key.reshape(-1), minlength=self.kinds.size)

    def _offset(self, terms: int) -> NDArray[np.int32]:
        return np.arange(terms, dtype=np.int32)[:, None] * (self.n + 1)

    def served(self) -> NDArray[np.float64]:
        """Share of replications in which each state has sat in the years read so far."""
        served: NDArray[np.float64] = (self.last >= 0).sum(axis=1) / self.reps
        return served

    def tally(
        self,
    ) -> tuple[
        NDArray[np.int64],
        NDArray[np.float64],
        NDArray[np.float64],
        NDArray[np.float64],
        NDArray[np.float64],
    ]:
        """Years each state held each seat, and the sums and counts of the gaps between
        stints and of the waits before a first stint (exact integers)."""
        by_seat = np.zeros((self.size, self.n + 1), dtype=np.int64)
        np.add.at(by_seat, self.seat, self.by_term * (self.until - self.year)[:, None])
        starts = self.kinds[:-1].reshape(2, self.n + 1, self.n_years + 1)
        span = np.arange(self.n_years + 1)
        return (
            by_seat,
            (starts[0] @ span).astype(np.float64),
            starts[0].sum(axis=1).astype(np.float64),
            (starts[1] @ span).astype(np.float64),
            starts[1].sum(axis=1).astype(np.float64),
        )


def _pick(
    holders: NDArray[np.int16], cells: NDArray[np.intp], block: int = 1024
) -> NDArray[np.int16]:
    """``holders[:, t, s]`` for the (year x seat) ``cells``, one row per cell: read a block
    of replications at a time."""
    reps = holders.shape[0]
    flat = holders.reshape(reps, -1)
    out = np.empty((cells.size, reps), dtype=np.int16)
    for r in range(0, reps, block):
        out[:, r : r + block] = np.take(flat[r : r + block], cells, axis=1).T
    return out


def _changes(holders: NDArray[np.int16], block: int = 1024) -> NDArray[np.bool_]:
    """``(years, seats)``: whether the seat's holder changes in that year in some replication
    (every seat changes in the first year)."""
    reps, n_years, size = holders.shape
    change = np.zeros((n_years, size), dtype=bool)
    change[0] = True
    for r in range(0, reps, block):
        part = holders[r : r + block]
        change[1:] |= (part[:, 1:] != part[:, :-1]).any(axis=0)
    return change


def _next_change(change: NDArray[np.bool_]) -> NDArray[np.intp]:
    """``(years, seats)``: the first later year in which the seat's holder changes (or the
    number of years)."""
    n_years = change.shape[0]
    until = np.full(change.shape, n_years, dtype=np.intp)
    for t in range(n_years - 2, -1, -1):
        until[t] = np.where(change[t + 1], t + 1, until[t + 1])
    return until


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
