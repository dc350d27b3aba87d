"""Equity against Penrose's square-root rule: each state's share of expected power against its
share of the square roots of the UN members' populations.

Penrose (1946) showed that in a two-tier vote each citizen's indirect power is equal when each
delegate's absolute Banzhaf power is proportional to the square root of the population it
represents. A state's **square-root share** is √population ÷ Σ √population over the UN members;
its **power share** its expected power ÷ the members' total (:func:`state_power`); the
**ratio** power share ÷ square-root share is 1 for a state the rule treats fairly, above 1 for
an over-represented one. Regional groups sum their members' shares.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from councilsim.errors import ScenarioError
from councilsim.population import Population, population, sqrt_shares
from councilsim.statepower.expected import STATE_INDICES, StatePower
from councilsim.states import member_states

__all__ = [
    "Equity",
    "GroupEquity",
    "StateEquity",
    "equity",
    "population_table",
]


def population_table(year: int | None = None, path: str | None = None) -> Population:
    """The population of the UN members: the shipped World Bank snapshot, or a user's CSV in
    the same format (:func:`councilsim.population.population`)."""
    return population(year=year, path=path)


@dataclass(frozen=True)
class StateEquity:
    """One member's power share, square-root share and their ratio (``None``: no population)."""

    state: str
    name: str
    group: str
    population: int
    power_share: float
    sqrt_share: float
    ratio: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "name": self.name,
            "group": self.group,
            "population": self.population,
            "power_share": self.power_share,
            "sqrt_share": self.sqrt_share,
            "ratio": self.ratio,
        }


@dataclass(frozen=True)
class GroupEquity:
    """A regional group's power share, square-root share and their ratio."""

    group: str
    power_share: float
    sqrt_share: float
    ratio: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "group": self.group,
            "power_share": self.power_share,
            "sqrt_share": self.sqrt_share,
            "ratio": self.ratio,
        }


@dataclass(frozen=True)
class Equity:
    """Every member's and group's equity ratio under one scenario, and what it rests on: the
    expected power (:class:`StatePower`: candidate model, horizon, replications, seed), the
    index, and the population table's year and source."""

    power: StatePower
    index: str
    population_year: int | None
    population_source: str
    states: tuple[StateEquity, ...]
    regions: tuple[GroupEquity, ...]

    def to_dict(self) -> dict[str, Any]:
        p = self.power
        return {
            "scenario": p.scenario,
            "name": p.name,
            "index": self.index,
            "population_year": self.population_year,
            "population_source": self.population_source,
            "candidates": p.candidates,
            "years": p.years,
            "replications": p.replications,
            "seed": p.seed,
            "how": p.describe(),
            "states": [s.to_dict() for s in self.states],
            "regions": [g.to_dict() for g in self.regions],
        }


def _ratio(a: float, b: float) -> float | None:
    return a / b if b > 0 else None


def equity(
    power: StatePower,
    people: Population | Mapping[str, int],
    *,
    index: str = "banzhaf",
    population_year: int | None = None,
    population_source: str = "",
    roots: Mapping[str, float] | None = None,
) -> Equity:
    """Each member's share of expected power against its square-root-rule share.

    Parameters
    ----------
    power
        Every state's expected power (:func:`councilsim.statepower.state_power`).
    people
        The population of every UN member: a :class:`~councilsim.population.Population`
        (which also gives the year and source) or a mapping ISO alpha-3 → people.
    index
        The index of the power share (an id of :data:`STATE_INDICES`); the normalised and the
        absolute Banzhaf index give the same shares.
    population_year, population_source
        What the population table is, for the output (default: a ``Population``'s own).
    roots
        The square-root shares if already computed; default
        :func:`councilsim.population.sqrt_shares` (√population ÷ Σ √population).

    Raises
    ------
    ScenarioError
        When a member has no population or a population below 1 (naming the state).
    """
    if index not in STATE_INDICES:
        raise KeyError(index)
    if isinstance(people, Population):
        population_year = people.year if population_year is None else population_year
        population_source = population_source or people.source
        counts: Mapping[str, int] = people.counts
    else:
        counts = people
    members = member_states()
    for m in members:
        if counts.get(m.iso3, 0) < 1:
            raise ScenarioError(
                f"no population for {m.iso3} ({m.name})",
                file=population_source or None,
                key="population",
                fix="give every UN member a population of at least 1",
            )
    if roots is None:
        roots = sqrt_shares({m.iso3: counts[m.iso3] for m in members})
    held = {m.iso3: float(power.state(m.iso3).values[index].mean) for m in members}
    total = sum(held.values())
    rows = []
    for m in members:
        share = held[m.iso3] / total if total else 0.0
        root = float(roots[m.iso3])
        rows.append(
            StateEquity(
                m.iso3,
                m.name,
                m.group.value,
                int(counts[m.iso3]),
                share,
                root,
                _ratio(share, root),
            )
        )
    regions = []
    for g in power.groups:
        share = sum(r.power_share for r in rows if r.group == g.group)
        root = sum(r.sqrt_share for r in rows if r.group == g.group)
        regions.append(GroupEquity(g.group, share, root, _ratio(share, root)))
    return Equity(
        power=power,
        index=index,
        population_year=population_year,
        population_source=population_source,
        states=tuple(rows),
        regions=tuple(regions),
    )
