"""Every state's power: the expected a-priori power each UN member holds under a scenario.

A state's power in a year is the power of the seat it holds (0 off the Council). Who holds the
non-permanent seats, and the open permanent ones, comes from an election run of the scenario
(:mod:`councilsim.elections`): its ``[elections]`` table, or the rules derived from its seat
classes. :func:`state_power` gives every member's expected power over a horizon, with 95 %
intervals from the replications (exact for named permanent members), and each regional
group's (exactly the sum of its seats); :func:`state_power_by_year` the same year by year.
See ``docs/states.md``.

>>> from councilsim.scenario import load
>>> result = state_power(load("current"), years=4, replications=200, seed=1)
>>> result.state("USA").values["banzhaf"].mean
Fraction(106, 635)
>>> sum(g.values["banzhaf"] for g in result.groups) == result.totals["banzhaf"]
True
"""

from __future__ import annotations

from collections.abc import Sequence
from os import PathLike

from councilsim.elections import Candidates, ElectionRules, StartComposition, rules_for
from councilsim.elections.candidates import candidate_model
from councilsim.elections.membership import read_membership
from councilsim.elections.report import election_start
from councilsim.errors import ScenarioError
from councilsim.limits import DEFAULT_SEED, DEFAULT_STATE_REPS, DEFAULT_STATE_YEARS
from councilsim.scenario import Scenario
from councilsim.statepower.equity import (
    Equity,
    GroupEquity,
    StateEquity,
    equity,
    population_table,
)
from councilsim.statepower.expected import (
    STATE_INDICES,
    Estimate,
    GroupPower,
    SeatCandidates,
    StatePower,
    StateValue,
    check_regions,
    expected_power,
    seat_candidates,
    seat_level_power,
    seat_powers,
)
from councilsim.statepower.years import PowerByYear, power_by_year

__all__ = [
    "STATE_INDICES",
    "Equity",
    "Estimate",
    "GroupEquity",
    "GroupPower",
    "PowerByYear",
    "SeatCandidates",
    "StateEquity",
    "StatePower",
    "StateValue",
    "check_regions",
    "equity",
    "expected_power",
    "population_table",
    "power_by_year",
    "scenario_rules",
    "seat_candidates",
    "seat_level_power",
    "seat_powers",
    "state_power",
    "state_power_by_year",
]

CandidatesArg = Candidates | str | None
"""A candidate model, or its name (``uniform``, ``history``, a weights file's path)."""


def _inputs(
    rules: ElectionRules,
    candidates: CandidatesArg,
    start: StartComposition | None,
    start_year: int | None,
    membership: str | PathLike[str] | None,
) -> tuple[Candidates | None, StartComposition | None]:
    """The candidate model and the start of a run, from names and files as a user gives them."""
    history = read_membership(membership) if membership is not None else None
    model = candidate_model(candidates, history) if isinstance(candidates, str) else candidates
    if start is None and (start_year is not None or history is not None):
        start = election_start(rules, start_year, history)
    return model, start


def _file(scenario: Scenario) -> str:
    return str(scenario.path) if scenario.path is not None else scenario.id


def scenario_rules(scenario: Scenario) -> ElectionRules:
    """The scenario's election rules (written or derived), with errors naming its file.

    Raises :class:`~councilsim.errors.ScenarioError` where the rules cannot be derived, e.g.
    elected seats without a region (the file, the key and the fix).
    """
    check_regions(scenario.council, _file(scenario))
    try:
        return rules_for(scenario)
    except ScenarioError as err:
        if err.file:
            raise
        raise ScenarioError(err.problem, file=_file(scenario), key=err.key, fix=err.fix) from None


def state_power(
    scenario: Scenario,
    *,
    elections: bool = True,
    years: int = DEFAULT_STATE_YEARS,
    replications: int = DEFAULT_STATE_REPS,
    seed: int | None = DEFAULT_SEED,
    candidates: CandidatesArg = None,
    start: StartComposition | None = None,
    start_year: int | None = None,
    membership: str | PathLike[str] | None = None,
) -> StatePower:
    """Every UN member's expected power under a scenario (:func:`expected_power`).

    ``candidates`` is a model or its name (``uniform``, ``history`` with ``membership``, an
    ``iso3,weight`` file); ``start_year`` and ``membership`` choose the first year's Council as
    ``councilsim elect`` does. With ``elections=False``, the seat-level figure instead: the
    power of the seat each state is named to, 0 for the others (:func:`seat_level_power`).
    """
    if not elections:
        check_regions(scenario.council, _file(scenario))
        return seat_level_power(scenario.council, scenario=scenario.id, name=scenario.name)
    rules = scenario_rules(scenario)
    model, start = _inputs(rules, candidates, start, start_year, membership)
    return expected_power(
        rules,
        years=years,
        replications=replications,
        seed=seed,
        candidates=model,
        start=start,
        scenario=scenario.id,
        name=scenario.name,
    )


def state_power_by_year(
    scenario: Scenario,
    states: Sequence[str],
    *,
    index: str = "banzhaf",
    years: int = DEFAULT_STATE_YEARS,
    replications: int = DEFAULT_STATE_REPS,
    seed: int | None = DEFAULT_SEED,
    candidates: CandidatesArg = None,
    start: StartComposition | None = None,
    start_year: int | None = None,
    membership: str | PathLike[str] | None = None,
) -> PowerByYear:
    """:func:`power_by_year` for a scenario's election rules (errors name its file); the
    options as for :func:`state_power`."""
    rules = scenario_rules(scenario)
    model, start = _inputs(rules, candidates, start, start_year, membership)
    return power_by_year(
        rules,
        states,
        index=index,
        years=years,
        replications=replications,
        seed=seed,
        candidates=model,
        start=start,
        scenario=scenario.id,
        name=scenario.name,
    )
