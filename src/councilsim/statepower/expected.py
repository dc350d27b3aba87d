"""A state's expected a-priori power: the seats it will hold, times the power of each seat.

For a state ``i`` and a year ``t`` of an election run, the power it holds is the power of the
seat it sits in that year (0 off the Council; a state holds at most one seat). Averaged over
the replications of the run, that is ``Σ_c P(i holds a seat of class c in t) × power of one
seat of c``; averaged over the years of the horizon it is the state's *expected power*. Seat
power is exact (:func:`councilsim.power.power`, fractions); the probabilities come from the
election run (:func:`councilsim.elections.run_elections`), so an expected power is a Monte
Carlo mean with a 95 % interval from the replications — except for a named permanent member,
which holds its seat with probability 1 and gets the exact fraction.

Open permanent seats are drawn at the start of the run from the candidates the scenario
declares (:class:`councilsim.council.Candidacy`), else from the seat's whole group; long-term
seats are filled the same way whenever they fall vacant.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import NDArray

from councilsim.council import Council, Region, SeatKind
from councilsim.elections import (
    Candidates,
    ElectionRules,
    ElectionRun,
    StartComposition,
    run_elections,
)
from councilsim.errors import ScenarioError
from councilsim.limits import DEFAULT_SEED, DEFAULT_STATE_REPS, DEFAULT_STATE_YEARS
from councilsim.power import power
from councilsim.simulation.result import Z95
from councilsim.states import MemberState, all_states, lookup, member_states

__all__ = [
    "STATE_INDICES",
    "Estimate",
    "GroupPower",
    "SeatCandidates",
    "StatePower",
    "StateValue",
    "check_regions",
    "expected_power",
    "listed_states",
    "per_replication",
    "seat_candidates",
    "seat_group",
    "seat_level_power",
    "seat_powers",
]

STATE_INDICES = {
    "banzhaf": ("banzhaf", "normalised Banzhaf"),
    "penrose": ("banzhaf_absolute", "absolute Banzhaf (Penrose)"),
    "shapley_shubik": ("shapley_shubik", "Shapley–Shubik"),
}
"""The indices of a state's expected power: id → (:func:`councilsim.power.power` name, label)."""


@dataclass(frozen=True)
class Estimate:
    """An expected power: ``mean`` with a 95 % interval ``[low, high]``.

    ``exact`` means no election is involved (a named seat held with probability 1, or the
    seat-level figure): ``mean`` is then a :class:`~fractions.Fraction` and ``low == high ==
    mean``. Otherwise ``mean`` is the mean over the replications of the election run and the
    interval is ``mean ± 1.96 × standard error`` (clipped at 0).
    """

    mean: Fraction | float
    low: Fraction | float
    high: Fraction | float
    exact: bool

    @classmethod
    def fixed(cls, value: Fraction) -> Estimate:
        return cls(value, value, value, True)

    def to_dict(self, exact: bool = False) -> dict[str, Any]:
        conv: Any = (lambda v: v) if exact and self.exact else float
        return {
            "mean": conv(self.mean),
            "low": conv(self.low),
            "high": conv(self.high),
            "exact": self.exact,
        }


@dataclass(frozen=True)
class StateValue:
    """One state's expected power under one scenario.

    ``seat_years`` is the mean number of years it holds a seat over the horizon (per
    replication); ``seats`` its expected seats per year. ``holder`` names the class of the seat
    the scenario gives it by name, if any. ``note`` says why a figure is 0 (never blank for a
    0): ``seat_years = 0`` in the run, or no named seat in the seat-level figure.
    """

    state: str
    name: str
    group: str
    seat_years: float
    seats: float
    holder: str
    values: Mapping[str, Estimate]
    note: str = ""

    def to_dict(self, exact: bool = False) -> dict[str, Any]:
        return {
            "state": self.state,
            "name": self.name,
            "group": self.group,
            "seat_years": self.seat_years,
            "seats": self.seats,
            "holder": self.holder or None,
            **{k: v.to_dict(exact) for k, v in self.values.items()},
            "note": self.note or None,
        }


@dataclass(frozen=True)
class GroupPower:
    """A regional group's power: the sum over its seats (exact: every seat of a group's region
    is held by one of its members), its members' seat-years and its member count."""

    group: str
    label: str
    members: int
    seat_years: float
    values: Mapping[str, Fraction]

    def to_dict(self, exact: bool = False) -> dict[str, Any]:
        conv: Any = (lambda v: v) if exact else float
        return {
            "group": self.group,
            "label": self.label,
            "members": self.members,
            "seat_years": self.seat_years,
            **{k: conv(v) for k, v in self.values.items()},
        }


@dataclass(frozen=True)
class SeatCandidates:
    """Who may fill the open seats of one class in one group: the declared candidates (with
    their source), or ``states == ()``: every member of the group (nothing declared)."""

    seat_class: str
    group: str
    seats: int
    states: tuple[str, ...]
    source: str = ""

    @property
    def declared(self) -> bool:
        return bool(self.states)

    def describe(self) -> str:
        where = f"{self.seats} open {self.group} seat{'s' if self.seats > 1 else ''} of "
        where += f"{self.seat_class}"
        if not self.states:
            return f"{where}: every member of the group (the scenario declares no candidates)"
        src = f" ({self.source})" if self.source else ""
        return f"{where}: {', '.join(self.states)}{src}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "class": self.seat_class,
            "group": self.group,
            "seats": self.seats,
            "candidates": list(self.states) or "every member of the group",
            "declared": self.declared,
            "source": self.source or None,
        }


@dataclass(frozen=True)
class StatePower:
    """Every state's expected power under one scenario, and how it was computed.

    ``method`` is ``"elections"`` (an election run of ``years`` × ``replications`` from
    ``start_year`` with the ``candidates`` model and ``seed``) or ``"seats"`` (the seat each
    state is named to; no election). ``totals`` is the council's total of each index, which
    the groups add up to exactly.
    """

    scenario: str
    name: str
    method: str
    candidates: str
    years: int
    replications: int
    seed: int | None
    start_year: int | None
    states: tuple[StateValue, ...]
    groups: tuple[GroupPower, ...]
    totals: Mapping[str, Fraction]
    open_seats: tuple[SeatCandidates, ...] = ()

    def state(self, code: str) -> StateValue:
        """The figure of one state (ISO alpha-3, any case); :class:`KeyError` if not listed."""
        key = code.strip().upper()
        for s in self.states:
            if s.state == key:
                return s
        raise KeyError(code)

    def describe(self) -> str:
        """How the figures were got, in one sentence."""
        if self.method == "seats":
            return "seat-level figures: the power of the seat each state is named to (no elections)"
        return (
            f"expected power over {self.years} years from {self.start_year} (election run, "
            f"{self.replications} replications, seed {self.seed}, candidate model "
            f"{self.candidates})"
        )

    def to_dict(self, exact: bool = False) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "name": self.name,
            "method": self.method,
            "how": self.describe(),
            "candidates": self.candidates,
            "years": self.years,
            "replications": self.replications,
            "seed": self.seed,
            "start_year": self.start_year,
            "open_seats": [o.to_dict() for o in self.open_seats],
            "totals": {k: (v if exact else float(v)) for k, v in self.totals.items()},
            "states": [s.to_dict(exact) for s in self.states],
            "groups": [g.to_dict(exact) for g in self.groups],
        }


def seat_powers(council: Council) -> dict[str, list[Fraction]]:
    """The exact power of every seat, per index of :data:`STATE_INDICES`."""
    names = [name for name, _ in STATE_INDICES.values()]
    result = power(council, exact=True, indices=names)
    return {
        key: [Fraction(v) for v in result.values[name]] for key, (name, _) in STATE_INDICES.items()
    }


def seat_group(council: Council, seat: int) -> Region | None:
    """The group a seat belongs to: its region, else its named holder's group."""
    s = council.seats[seat]
    if s.region is not None:
        return s.region
    state = lookup(s.holder) if s.holder else None
    return None if state is None else state.group


def check_regions(council: Council, file: str | None = None) -> None:
    """Every open seat needs a region to be filled and counted for a group.

    Raises :class:`~councilsim.errors.ScenarioError` naming ``file``, the seat class's
    ``region`` key and the fix.
    """
    for i, s in enumerate(council.seats):
        if s.holder is None and seat_group(council, i) is None:
            raise ScenarioError(
                f"open seat {s.label} has no region, so no state can hold it and no group "
                "counts its power",
                file=file,
                key=f"seats.{s.seat_class}.region",
                fix=f'give [seats.{s.seat_class}] a region (e.g. region = "africa") or by_region',
            )


def seat_candidates(council: Council) -> tuple[SeatCandidates, ...]:
    """The candidates for the open permanent and long-term seats, class by class and group
    by group (elected seats are open to their whole group)."""
    out = []
    for cls in council.classes:
        if cls.kind is SeatKind.ELECTED:
            continue
        open_regions = [r for h, r in zip(cls.holders, cls.seat_regions(), strict=True) if not h]
        if cls.kind is SeatKind.LONG_TERM:
            open_regions = list(cls.seat_regions())
        for region in Region:
            n = open_regions.count(region)
            if not n:
                continue
            declared = cls.candidacy
            states: tuple[str, ...] = ()
            source = ""
            if declared is not None:
                states = tuple(c for c in declared.states if _group_of(c) is region)
                source = declared.source if states else ""
            out.append(SeatCandidates(cls.id, region.value, n, states, source))
    return tuple(out)


def _group_of(code: str) -> Region | None:
    state = lookup(code)
    return None if state is None else state.group


def listed_states(council: Council) -> tuple[MemberState, ...]:
    """The states a result lists: the UN members, and any former member the council names
    (the USSR in ``pre-1965``)."""
    named = {s.holder for s in council.seats if s.holder}
    return tuple(s for s in all_states() if not s.historical or s.iso3 in named)


def seat_level_power(council: Council, *, scenario: str = "", name: str = "") -> StatePower:
    """Every state's power from the seat it is named to in ``council`` (0 without one): no
    election, every figure exact."""
    check_regions(council, scenario or None)
    values = seat_powers(council)
    by_holder = {s.holder: i for i, s in enumerate(council.seats) if s.holder}
    rows = []
    for m in listed_states(council):
        seat = by_holder.get(m.iso3)
        vals = {
            k: Estimate.fixed(v[seat] if seat is not None else Fraction(0))
            for k, v in values.items()
        }
        rows.append(
            StateValue(
                m.iso3,
                m.name,
                m.group.value,
                seat_years=1.0 if seat is not None else 0.0,
                seats=1.0 if seat is not None else 0.0,
                holder=council.seats[seat].seat_class if seat is not None else "",
                values=vals,
                note="" if seat is not None else "holds no named seat (seat-level figure)",
            )
        )
    return StatePower(
        scenario=scenario,
        name=name,
        method="seats",
        candidates="none",
        years=1,
        replications=1,
        seed=None,
        start_year=None,
        states=tuple(rows),
        groups=_groups(council, values, rows),
        totals={k: sum(v, Fraction(0)) for k, v in values.items()},
        open_seats=seat_candidates(council),
    )


def expected_power(
    rules: ElectionRules,
    *,
    years: int = DEFAULT_STATE_YEARS,
    replications: int = DEFAULT_STATE_REPS,
    seed: int | None = DEFAULT_SEED,
    candidates: Candidates | None = None,
    start: StartComposition | None = None,
    scenario: str = "",
    name: str = "",
) -> StatePower:
    """Every UN member state's expected power under election rules, over ``years`` years.

    Parameters
    ----------
    rules
        The election rules (:func:`councilsim.elections.rules_for`); open permanent seats are
        drawn at the start whatever ``open_permanent`` says, from the declared candidates.
    years, replications, seed
        The horizon (counting the start year), the replications of the election run and its
        seed.
    candidates
        The candidate model (default: :func:`councilsim.elections.uniform_candidates`).
    start
        The first year's Council (default: the scenario's start composition).
    scenario, name
        The scenario's id and name, for the result and for errors (the file named).
    """
    council = rules.council
    check_regions(council, scenario or None)
    run = _run(rules, years, replications, seed, candidates, start)
    return _summarise(run, council, scenario, name)


def _run(
    rules: ElectionRules,
    years: int,
    replications: int,
    seed: int | None,
    candidates: Candidates | None,
    start: StartComposition | None,
) -> ElectionRun:
    drawn = dataclasses.replace(rules, open_permanent="draw")
    return run_elections(
        drawn, years, start=start, replications=replications, seed=seed, candidates=candidates
    )


def holder_columns(run: ElectionRun) -> tuple[NDArray[np.int64], int]:
    """The run's holders ``[replication, year, seat]`` as column numbers of ``n`` columns:
    the states in ``run.states`` order, then one last column collecting open seats (-1)."""
    n = len(run.states) + 1
    h = run.holders.astype(np.int64)
    return np.where(h < 0, n - 1, h), n


def permanent_holders(council: Council) -> dict[str, tuple[int, str]]:
    """Each state named to a permanent seat: its seat index and seat class (it holds that
    seat with probability 1)."""
    return {
        s.holder: (i, s.seat_class)
        for i, s in enumerate(council.seats)
        if s.holder and s.kind is SeatKind.PERMANENT
    }


def per_replication(run: ElectionRun, values: Sequence[Fraction]) -> NDArray[np.float64]:
    """``out[r, i]``: the power state ``i`` (``run.states`` order) holds in replication
    ``r``, averaged over the years of the run."""
    reps, n_years, _ = run.holders.shape
    h, n = holder_columns(run)
    idx = (np.arange(reps)[:, None, None] * n + h).ravel()
    w = np.broadcast_to(np.array([float(v) for v in values])[None, None, :], h.shape).ravel()
    out = np.bincount(idx, weights=w, minlength=reps * n).reshape(reps, n)
    return np.asarray(out[:, : n - 1] / n_years, dtype=np.float64)


def _summarise(run: ElectionRun, council: Council, scenario: str, name: str) -> StatePower:
    values = seat_powers(council)
    reps, n_years, _ = run.holders.shape
    flat = run.holders.ravel().astype(np.int64)
    seat_years = np.bincount(flat[flat >= 0], minlength=len(run.states)) / reps
    index = {c: i for i, c in enumerate(run.states)}
    per_rep = {k: per_replication(run, v) for k, v in values.items()}
    named = permanent_holders(council)
    rows = []
    for m in listed_states(council):
        i = index[m.iso3]
        seat, cls = named.get(m.iso3, (None, ""))
        if seat is not None:  # held with probability 1: the exact seat power
            vals = {k: Estimate.fixed(v[seat]) for k, v in values.items()}
        else:
            vals = {k: _estimate(per_rep[k][:, i]) for k in values}
        note = "" if seat_years[i] > 0 else "no seat in any simulated year (seat_years = 0)"
        rows.append(
            StateValue(
                m.iso3,
                m.name,
                m.group.value,
                seat_years=float(seat_years[i]),
                seats=float(seat_years[i]) / n_years,
                holder=cls,
                values=vals,
                note=note,
            )
        )
    return StatePower(
        scenario=scenario,
        name=name,
        method="elections",
        candidates=run.candidates,
        years=n_years,
        replications=reps,
        seed=run.seed,
        start_year=int(run.years[0]),
        states=tuple(rows),
        groups=_groups(council, values, rows),
        totals={k: sum(v, Fraction(0)) for k, v in values.items()},
        open_seats=seat_candidates(council),
    )


def _estimate(sample: NDArray[np.float64]) -> Estimate:
    mean = float(sample.mean())
    half = Z95 * float(sample.std(ddof=1)) / np.sqrt(len(sample)) if len(sample) > 1 else 0.0
    return Estimate(mean, max(0.0, mean - half), mean + half, False)


def _groups(
    council: Council, values: Mapping[str, Sequence[Fraction]], rows: Sequence[StateValue]
) -> tuple[GroupPower, ...]:
    regions = [seat_group(council, i) for i in range(council.size)]
    out = []
    for g in Region:
        out.append(
            GroupPower(
                g.value,
                g.label,
                sum(1 for m in member_states() if m.group is g),
                sum(r.seat_years for r in rows if r.group == g.value),
                {
                    k: sum((x for x, r in zip(v, regions, strict=True) if r is g), Fraction(0))
                    for k, v in values.items()
                },
            )
        )
    return tuple(out)
