"""A state's expected power year by year: from the start composition, through the stagger.

In year ``t`` of an election run, a state's expected power is the mean over the replications
of the power of the seat it holds that year (0 off the Council), with a 95 % interval from the
replications; a named permanent member's is its exact seat power every year. Each year the
expected seats of all states add up to the council's size.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from councilsim.elections import Candidates, ElectionRules, StartComposition
from councilsim.limits import DEFAULT_SEED, DEFAULT_STATE_REPS, DEFAULT_STATE_YEARS
from councilsim.simulation.result import Z95
from councilsim.statepower.expected import (
    STATE_INDICES,
    Estimate,
    _run,
    check_regions,
    holder_columns,
    permanent_holders,
    seat_powers,
)

__all__ = ["PowerByYear", "power_by_year"]


@dataclass(frozen=True)
class PowerByYear:
    """Expected power of named states in each year of a run (``index``: an id of
    :data:`~councilsim.statepower.STATE_INDICES`); ``seats[t]`` is the sum over all states of
    their expected seats in year ``years[t]`` (the council's size when every seat is held)."""

    scenario: str
    name: str
    index: str
    candidates: str
    replications: int
    seed: int | None
    years: tuple[int, ...]
    values: Mapping[str, tuple[Estimate, ...]]
    seats: tuple[float, ...]

    def to_dict(self, exact: bool = False) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "name": self.name,
            "index": self.index,
            "candidates": self.candidates,
            "replications": self.replications,
            "seed": self.seed,
            "years": list(self.years),
            "seats": list(self.seats),
            "states": {
                code: [e.to_dict(exact) for e in series] for code, series in self.values.items()
            },
        }

    def rows(self) -> tuple[list[str], list[list[Any]]]:
        """A table: one row per year, the mean of each state (floats)."""
        header = ["year", *self.values]
        rows = [
            [year, *(float(self.values[c][t].mean) for c in self.values)]
            for t, year in enumerate(self.years)
        ]
        return header, rows


def power_by_year(
    rules: ElectionRules,
    states: Sequence[str],
    *,
    index: str = "banzhaf",
    years: int = DEFAULT_STATE_YEARS,
    replications: int = DEFAULT_STATE_REPS,
    seed: int | None = DEFAULT_SEED,
    candidates: Candidates | None = None,
    start: StartComposition | None = None,
    scenario: str = "",
    name: str = "",
) -> PowerByYear:
    """The expected power of ``states`` (ISO alpha-3 codes) in each year of an election run.

    Arguments as for :func:`~councilsim.statepower.expected_power`; ``index`` is one of
    :data:`~councilsim.statepower.STATE_INDICES`.
    """
    council = rules.council
    check_regions(council, scenario or None)
    if index not in STATE_INDICES:
        raise KeyError(index)
    run = _run(rules, years, replications, seed, candidates, start)
    seat_values = seat_powers(council)[index]
    reps, n_years, _ = run.holders.shape
    h, n = holder_columns(run)
    idx = (np.arange(n_years)[None, :, None] * n + h).ravel()
    p = np.array([float(v) for v in seat_values])
    w = np.broadcast_to(p[None, None, :], h.shape).ravel()
    total = np.bincount(idx, weights=w, minlength=n_years * n).reshape(n_years, n)
    square = np.bincount(idx, weights=w * w, minlength=n_years * n).reshape(n_years, n)
    held = np.bincount(idx, minlength=n_years * n).reshape(n_years, n)
    where = {c: i for i, c in enumerate(run.states)}
    named = {code: seat_values[i] for code, (i, _) in permanent_holders(council).items()}
    out: dict[str, tuple[Estimate, ...]] = {}
    for code in states:
        if code in named:
            out[code] = (Estimate.fixed(named[code]),) * n_years
            continue
        i = where[code]
        out[code] = tuple(
            _estimate(float(total[t, i]), float(square[t, i]), reps) for t in range(n_years)
        )
    return PowerByYear(
        scenario=scenario,
        name=name,
        index=index,
        candidates=run.candidates,
        replications=reps,
        seed=run.seed,
        years=tuple(int(y) for y in run.years),
        values=out,
        seats=tuple(float(held[t, : n - 1].sum()) / reps for t in range(n_years)),
    )


def _estimate(total: float, square: float, reps: int) -> Estimate:
    mean = total / reps
    var = max(0.0, square / reps - mean * mean) * reps / max(reps - 1, 1)
    half = Z95 * (var / reps) ** 0.5
    return Estimate(mean, max(0.0, mean - half), mean + half, False)
