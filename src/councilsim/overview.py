"""What a scenario gives: the report of ``run``, and those of ``list`` and ``show``.

:func:`overview` is the whole report of ``councilsim run``: the composition, the a-priori
voting power of each seat class, and the outcomes of drafts simulated as the scenario's
``[simulation]`` table says, beside their exact probabilities where the votes are independent.
:func:`summary` (one row of ``councilsim list``) and :func:`composition` (what ``councilsim
show`` prints) are those of :mod:`councilsim.describe`, which computes nothing and loads no
numpy; they are re-exported here.

Each is a frozen dataclass whose ``to_dict()`` gives the JSON the command prints.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from councilsim.describe import (
    ClassSummary,
    Composition,
    ScenarioSummary,
    composition,
    summary,
)
from councilsim.errors import ScenarioError
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

if TYPE_CHECKING:
    from councilsim.simulation.years import OverYears
    from councilsim.statepower import StatePower

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
    named: tuple[str, ...] = ()
    expected = None
    if states:  # states' power is asked for by name: its engines are imported only then
        from councilsim.elections.report import serving_states
        from councilsim.statepower import state_power

        named = tuple(dict.fromkeys(serving_states(states)))
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
    if spec.years > 0:  # the elections engine is imported only for a run over the years
        from councilsim.simulation.years import drafts_over_years

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
