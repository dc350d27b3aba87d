"""What a scenario is and what it gives: the reports of ``list``, ``show`` and ``run``.

:func:`summary` is one row of ``councilsim list``; :func:`composition` is what ``councilsim
show`` prints (classes, seats by region, the rule in words, sources); :func:`overview` is the
whole report of ``councilsim run``: the composition, the a-priori voting power of each seat
class, and the outcomes of drafts simulated as the scenario's ``[simulation]`` table says,
beside their exact probabilities where the votes are independent.

Each is a frozen dataclass whose ``to_dict()`` gives the JSON the command prints.

>>> from councilsim.scenario import load
>>> c = composition(load("g4-2005"))
>>> [k.holders_text for k in c.classes][1:]
['IND, JPN, BRA, DEU, 2 open', '14 open']
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from councilsim.council import Seat, SeatKind
from councilsim.elections.report import serving_states
from councilsim.errors import ScenarioError
from councilsim.explain import rule_in_words
from councilsim.formatting import fraction_text
from councilsim.power import feasible_indices, power
from councilsim.scenario import Scenario
from councilsim.simulation import (
    SimulationResult,
    SimulationSpec,
    exact_outcomes,
    exact_refusal,
    parse_simulation,
    simulate,
)
from councilsim.simulation.years import OverYears, drafts_over_years
from councilsim.statepower import StatePower, state_power

__all__ = [
    "OUTCOME_MEASURES",
    "POWER_INDICES",
    "ClassPower",
    "ClassSummary",
    "Composition",
    "Overview",
    "PowerSummary",
    "ScenarioSummary",
    "composition",
    "overview",
    "power_summary",
    "simulation_spec",
    "summary",
]

POWER_INDICES = ("banzhaf", "shapley_shubik")
"""The indices of ``run``'s report: normalised Banzhaf and Shapley-Shubik."""

OUTCOME_MEASURES = ("adopted", "vetoed", "failed", "mean_yes")
"""The outcome measures of a simulation, in the order they are reported."""


@dataclass(frozen=True)
class ScenarioSummary:
    """One row of ``councilsim list``."""

    id: str
    name: str
    seats: int
    veto_holders: int
    quota: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "seats": self.seats,
            "veto_holders": self.veto_holders,
            "quota": self.quota,
        }


def summary(scenario: Scenario) -> ScenarioSummary:
    """The id, name, seats, veto holders and quota of a scenario."""
    c = scenario.council
    return ScenarioSummary(scenario.id, scenario.name, c.size, c.veto_holders, c.rule.quota)


@dataclass(frozen=True)
class ClassSummary:
    """A seat class as ``show`` lists it: ``holders`` named, ``open`` seats without a holder."""

    id: str
    name: str
    kind: SeatKind
    veto: bool
    seats: int
    weight: int
    term: int | None
    reelection: bool
    holders: tuple[str, ...]
    open: int

    @property
    def holders_text(self) -> str:
        """The named holders and the number of open seats: ``"IND, JPN, 2 open"``."""
        return ", ".join([*self.holders, *([f"{self.open} open"] if self.open else [])])

    @property
    def term_text(self) -> str:
        """``"2 y"``, ``"4 y, re-eligible"``, or empty for a permanent seat."""
        if self.kind is SeatKind.PERMANENT or self.term is None:
            return ""
        return f"{self.term} y" + (", re-eligible" if self.reelection else "")

    def to_dict(self) -> dict[str, Any]:
        return {
            "class": self.id,
            "name": self.name,
            "kind": self.kind.value,
            "veto": self.veto,
            "seats": self.seats,
            "weight": self.weight,
            "term": self.term,
            "reelection": self.reelection,
            "open": self.open,
        }


@dataclass(frozen=True)
class Composition:
    """What ``councilsim show`` prints: the scenario, its classes and seats, the rule."""

    summary: ScenarioSummary
    description: str
    total_weight: int
    procedural_quota: int
    veto_threshold: int
    abstention: str
    rule: str
    sources: tuple[str, ...]
    confidence: tuple[str, ...]
    extends: tuple[str, ...]
    classes: tuple[ClassSummary, ...]
    members: tuple[Seat, ...]

    @property
    def by_region(self) -> list[tuple[str, int]]:
        """Seats per regional group, sorted by group (``unassigned`` for seats without one)."""
        counts = Counter(s.region.value if s.region else "unassigned" for s in self.members)
        return sorted(counts.items())

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.summary.to_dict(),
            "description": self.description,
            "total_weight": self.total_weight,
            "procedural_quota": self.procedural_quota,
            "veto_threshold": self.veto_threshold,
            "abstention": self.abstention,
            "rule": self.rule,
            "sources": list(self.sources),
            "confidence": list(self.confidence),
            "extends": list(self.extends),
            "classes": [k.to_dict() for k in self.classes],
            "by_region": dict(self.by_region),
            "members": [
                {
                    "holder": s.holder,
                    "label": s.label,
                    "class": s.seat_class,
                    "kind": s.kind.value,
                    "veto": s.veto,
                    "region": s.region.value if s.region else None,
                    "weight": s.weight,
                }
                for s in self.members
            ],
        }


def composition(scenario: Scenario) -> Composition:
    """The composition of a scenario by class and region, and its rule in words."""
    c = scenario.council
    classes = tuple(
        ClassSummary(
            id=k.id,
            name=k.name,
            kind=k.kind,
            veto=k.veto,
            seats=k.count,
            weight=k.weight,
            term=k.term,
            reelection=k.reelection,
            holders=tuple(h for h in k.holders if h),
            open=sum(1 for h in k.holders if not h),
        )
        for k in c.classes
    )
    return Composition(
        summary=summary(scenario),
        description=" ".join(scenario.description.split()),
        total_weight=c.total_weight,
        procedural_quota=c.rule.procedural_quota,
        veto_threshold=c.rule.veto_threshold,
        abstention=c.rule.abstention.value,
        rule=rule_in_words(c),
        sources=tuple(scenario.sources),
        confidence=tuple(scenario.confidence),
        extends=tuple(scenario.extends),
        classes=classes,
        members=c.seats,
    )


@dataclass(frozen=True)
class ClassPower:
    """The a-priori power of one seat of a class and of the class as a whole (exact)."""

    id: str
    seats: int
    veto: bool
    seat: Mapping[str, Fraction]
    total: Mapping[str, Fraction]

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"class": self.id, "seats": self.seats, "veto": self.veto}
        for name in self.seat:
            out[name] = {
                "seat": float(self.seat[name]),
                "total": float(self.total[name]),
                "seat_fraction": fraction_text(self.seat[name]),
                "total_fraction": fraction_text(self.total[name]),
            }
        return out


@dataclass(frozen=True)
class PowerSummary:
    """Normalised Banzhaf and Shapley-Shubik values by class, and Coleman's power to act."""

    quota: int
    coleman_act: Fraction
    winning_coalitions: int
    classes: tuple[ClassPower, ...]
    omitted: tuple[str, ...] = ()
    """Indices of :data:`POWER_INDICES` too costly to count exactly for this council."""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "quota": self.quota,
            "coleman_act": float(self.coleman_act),
            "coleman_act_fraction": fraction_text(self.coleman_act),
            "winning_coalitions": self.winning_coalitions,
            "classes": [k.to_dict() for k in self.classes],
        }
        if self.omitted:
            out["omitted"] = list(self.omitted)
        return out


def power_summary(scenario: Scenario) -> PowerSummary:
    """Exact a-priori voting power by seat class (:func:`councilsim.power.power`).

    An index too costly to count exactly for a large council
    (:func:`~councilsim.power.feasible_indices`) is left out and named in ``omitted``; the
    normalised Banzhaf index, the cheapest, is always counted (or refused with the reason).
    """
    feasible = set(feasible_indices(scenario.council))
    counted = [n for n in POWER_INDICES if n in feasible] or ["banzhaf"]
    p = power(scenario.council, indices=counted, exact=True)
    classes = tuple(
        ClassPower(
            id=row["class"],
            seats=row["seats"],
            veto=bool(row["veto"]),
            seat={n: Fraction(row[n]["seat"]) for n in counted},
            total={n: Fraction(row[n]["total"]) for n in counted},
        )
        for row in p.by_class()
    )
    omitted = tuple(n for n in POWER_INDICES if n not in counted)
    return PowerSummary(p.quota, Fraction(p.coleman_act), p.winning_coalitions, classes, omitted)


def simulation_spec(scenario: Scenario, **overrides: str | int | None) -> SimulationSpec:
    """The scenario's ``[simulation]`` table with some keys replaced, parsed.

    ``overrides`` are keys of the table (``draws``, ``seed``, ``years``, ``model``); ``None``
    leaves the scenario's value. An invalid value raises
    :class:`~councilsim.errors.ScenarioError` whose key is the override's name (``draws``),
    not the key path of the file.
    """
    spec = scenario.simulation
    raw = getattr(spec, "table", None) or scenario.raw.get("simulation", {})
    table = {k: (dict(v) if isinstance(v, Mapping) else v) for k, v in raw.items()}
    given = {k: v for k, v in overrides.items() if v is not None}
    table.update(given)
    try:
        return parse_simulation(table, scenario.council)
    except ScenarioError as err:
        name = (err.key or "").removeprefix("simulation.").split(".")[0]
        if name not in given:
            raise
        raise ScenarioError(err.problem, key=name, fix=err.fix) from None


@dataclass(frozen=True)
class Overview:
    """The report of ``councilsim run``.

    ``simulation`` is the Monte Carlo result for today's council, or with ``years`` in the
    spec an :class:`OverYears`; ``exact`` gives the exact probabilities for the scenario's
    council where the vote model's votes are independent (``None`` otherwise, with the reason
    in ``exact_note``).
    """

    scenario: str
    name: str
    composition: Composition
    power: PowerSummary
    simulation: SimulationResult | OverYears
    exact: SimulationResult | None
    states: StatePower | None = None
    """Named states' expected power (``run --state``), if any were named."""
    named: tuple[str, ...] = ()
    exact_note: str = ""
    """Why there are no exact probabilities ("" where there are, or the model is not
    independent)."""

    def to_dict(self) -> dict[str, Any]:
        out = {
            "scenario": self.scenario,
            "name": self.name,
            "composition": self.composition.to_dict(),
            "power": self.power.to_dict(),
            "simulation": self.simulation.to_dict(),
            "exact": None if self.exact is None else self.exact.to_dict(),
        }
        if self.exact_note:
            out["exact_note"] = self.exact_note
        if self.states is not None:
            data = self.states.to_dict()
            listed = {s["state"]: s for s in data["states"]}
            data["states"] = [listed[c] for c in self.named if c in listed]
            data.pop("groups")
            out["states"] = data
        return out


def overview(
    scenario: Scenario,
    *,
    draws: str | int | None = None,
    seed: str | int | None = None,
    years: str | int | None = None,
    workers: int = 1,
    progress: Callable[[int], None] | None = None,
    states: Sequence[str] = (),
) -> Overview:
    """Everything a scenario file asks for, in one report (``councilsim run``).

    Parameters
    ----------
    scenario
        A loaded scenario. A file without ``[simulation]`` gets the impartial model at 1/2.
    draws, seed, years
        Override the ``[simulation]`` table (an integer, or its text from a command line).
    workers
        Worker processes for the Monte Carlo drafts; the results do not depend on it.
    progress
        Called with the number of drafts done as they finish.
    states
        ISO alpha-3 codes of states whose expected power to add
        (:func:`councilsim.statepower.state_power`, with the simulation's seed and the default
        horizon and replications).

    >>> from councilsim.scenario import load
    >>> report = overview(load("current"), draws=1000)
    >>> report.power.coleman_act, report.exact.adopted.exact
    (Fraction(53, 2048), Fraction(53, 2048))
    """
    council = scenario.council
    spec = simulation_spec(scenario, draws=draws, seed=seed, years=years)
    named = tuple(dict.fromkeys(serving_states(states))) if states else ()
    expected = state_power(scenario, seed=spec.seed) if named else None
    simulation: SimulationResult | OverYears
    independent = spec.model.probabilities(council) is not None
    exact, exact_note = None, ""
    if independent:
        refusal = exact_refusal(council, spec.model)
        if refusal is None:
            exact = exact_outcomes(council, spec.model)
        else:  # too large for the exact engine: Monte Carlo only
            exact_note = f"no exact probabilities: {refusal.problem}"
    if spec.years > 0:
        simulation = drafts_over_years(
            scenario,
            spec.model,
            spec.years,
            spec.draws,
            spec.seed,
            workers=workers,
            progress=progress,
        )
    else:
        simulation = simulate(
            council,
            spec.model,
            draws=spec.draws,
            seed=spec.seed,
            workers=workers,
            progress=progress,
        )
    return Overview(
        scenario=scenario.id,
        name=scenario.name,
        composition=composition(scenario),
        power=power_summary(scenario),
        simulation=simulation,
        exact=exact,
        states=expected,
        named=named,
        exact_note=exact_note,
    )
