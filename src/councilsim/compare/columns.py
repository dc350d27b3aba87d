"""Scenarios side by side: one :class:`~councilsim.compare.measures.Column` per scenario.

:func:`scenario_column` measures one scenario (:func:`~councilsim.compare.measures.measures`)
and keeps what a reader needs to trust the numbers (:func:`measures_for_scenario`: the numbers
alone); :func:`comparison` is the JSON data of
``councilsim compare`` and :func:`comparison_rows` its table, one row per measure with each
other scenario's value followed by its change against the base.

>>> from councilsim.scenario import load
>>> base = scenario_column(load("current"), exact=True)
>>> header, rows = comparison_rows([base])
>>> header, rows[0]
(['measure', 'label', 'unit', 'current'], ['seats', 'Seats', 'seats', 15])
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from councilsim.compare.measures import (
    DEFAULT_STATE_REPS,
    DEFAULT_STATE_YEARS,
    Column,
    change,
    describe,
    engine,
    measure_ids,
    measures,
)
from councilsim.elections import Candidates
from councilsim.models import ImpartialModel, VoteModel
from councilsim.population import Population
from councilsim.scenario import Scenario, load
from councilsim.scenario.unions import scenario_unions
from councilsim.simulation import DEFAULT_DRAWS
from councilsim.statepower import Estimate, check_regions, equity, state_power

__all__ = [
    "comparison",
    "comparison_rows",
    "measures_for_scenario",
    "scenario_column",
    "state_notes",
    "state_rows",
]


def measures_for_scenario(
    scenario: Scenario | str | Path,
    *,
    model: VoteModel | None = None,
    draws: int | None = None,
    seed: int | None = None,
    exact: bool = False,
    states: Sequence[str] = (),
    elections: bool = True,
    years: int = DEFAULT_STATE_YEARS,
    reps: int = DEFAULT_STATE_REPS,
    candidates: Candidates | str | None = None,
    start_year: int | None = None,
    membership: str | None = None,
    ternary: bool = False,
) -> dict[str, Any]:
    """The measures of a scenario (a loaded one, a shipped id or a path), exactly as
    ``councilsim compare`` gives them: the ``values`` of :func:`scenario_column`, whose
    parameters these are (defaults from the scenario's ``[simulation]`` table; with named
    ``states``, their expected power from an election run; the union values of a scenario
    that declares ``[unions]``)."""
    if isinstance(scenario, str | Path):
        scenario = load(scenario)
    column = scenario_column(
        scenario,
        model=model,
        draws=draws,
        seed=seed,
        exact=exact,
        states=states,
        elections=elections,
        years=years,
        reps=reps,
        candidates=candidates,
        start_year=start_year,
        membership=membership,
        ternary=ternary,
    )
    return dict(column.values)


def scenario_column(
    scenario: Any,
    *,
    model: VoteModel | None = None,
    draws: int | None = None,
    seed: int | None = None,
    exact: bool = False,
    states: Sequence[str] = (),
    elections: bool = True,
    years: int = DEFAULT_STATE_YEARS,
    reps: int = DEFAULT_STATE_REPS,
    candidates: Candidates | str | None = None,
    start_year: int | None = None,
    membership: str | None = None,
    ternary: bool = False,
) -> Column:
    """The measures of a loaded scenario, with its description, sources and how they were got.

    ``model``, ``draws`` and ``seed`` default to the scenario's ``[simulation]`` table (else
    ``impartial`` at 1/2, :data:`~councilsim.simulation.DEFAULT_DRAWS` drafts, seed 0). With
    ``elections`` (the default) and named ``states``, states get their expected power from an
    election run of ``years`` × ``reps`` with the ``candidates`` model (default uniform), from
    ``start_year`` or a ``membership`` file's Council (:func:`councilsim.statepower.state_power`),
    using the scenario's ``[elections]`` table or the rules derived from its seats.
    ``ternary`` adds the ternary indices; a scenario that declares ``[unions]`` gets the Owen
    and Banzhaf–Owen value of each union (:func:`councilsim.compare.measures.measures`).
    """
    spec = scenario.simulation
    council = scenario.council
    if model is None:
        model = getattr(spec, "model", None) or ImpartialModel()
    draws = draws if draws is not None else getattr(spec, "draws", DEFAULT_DRAWS)
    seed = seed if seed is not None else getattr(spec, "seed", 0)
    if any(s.region is not None or s.holder is not None for s in council.seats):
        # a plan with regions must give every open seat one, or its groups' sums fall short
        check_regions(council, str(scenario.path) if scenario.path else scenario.id)
    expected = None
    if states:
        expected = state_power(
            scenario,
            elections=elections,
            years=years,
            replications=reps,
            seed=seed,
            candidates=candidates,
            start_year=start_year,
            membership=membership,
        )
    values = measures(
        council,
        model=model,
        draws=draws,
        seed=seed,
        exact=exact,
        states=states,
        expected=expected,
        ternary=ternary,
        unions=scenario_unions(scenario),
    )
    service = expected if elections else None
    how = engine(council, model)
    return Column(
        id=scenario.id,
        name=scenario.name,
        values=values,
        description=scenario.description,
        sources=scenario.sources,
        confidence=scenario.confidence,
        model=model.name,
        params=model.params(),
        engine=how,
        draws=draws if how != "exact" else None,
        seed=seed if how != "exact" or service is not None else None,
        exact=exact,
        service=service is not None,
        service_years=years if service is not None else 0,
        service_reps=reps if service is not None else 0,
        veto_threshold=council.rule.veto_threshold,
        abstention=council.rule.abstention.value,
        candidates=service.candidates if service is not None else "",
        state_power=expected,
    )


def comparison(columns: Sequence[Column], states: Sequence[str] = ()) -> dict[str, Any]:
    """The JSON data of a comparison: the base's id, the measures described, each scenario.

    Keys: ``base``, ``exact``, ``states``, ``measures`` ``{id: {label, unit, group}}`` and
    ``scenarios`` ``[{id, name, model, params, engine, draws, seed, elections, values {id:
    value}, change {id: Δ}}]``; values are numbers, fractions or ``None`` (pass the result
    through :func:`councilsim.formatting.plain` for JSON text).
    """
    base = columns[0]
    keys = measure_ids(columns)
    return {
        "base": base.id,
        "exact": base.exact,
        "states": list(states),
        "measures": {
            k: {"label": describe(k).label, "unit": describe(k).unit, "group": describe(k).group}
            for k in keys
        },
        "scenarios": [
            {
                "id": c.id,
                "name": c.name,
                "model": c.model,
                "params": c.params,
                "engine": c.engine,
                "draws": c.draws,
                "seed": c.seed,
                "elections": c.service,
                "state_power": _state_power_json(c, states),
                "values": {k: c.values.get(k) for k in keys},
                "change": {k: change(k, base.values.get(k), c.values.get(k)) for k in keys},
            }
            for c in columns
        ],
    }


def _state_power_json(column: Column, states: Sequence[str]) -> dict[str, Any] | None:
    """How the named states' figures were got, and each one's figures with intervals."""
    sp = column.state_power
    if sp is None or not states:
        return None
    data = sp.to_dict(column.exact)
    listed = {s["state"]: s for s in data["states"]}
    data["states"] = [listed[c] for c in states if c in listed]
    data.pop("groups")
    return data


def comparison_rows(columns: Sequence[Column]) -> tuple[list[str], list[list[Any]]]:
    """The comparison as a table: a header and one row per measure.

    Columns: ``measure`` (id), ``label``, ``unit``, the base's id, then for each other
    scenario its id and ``delta_<id>`` (its change against the base, ``None`` where there is
    none). Values are left as numbers, fractions or ``None``.
    """
    base = columns[0]
    header = ["measure", "label", "unit", base.id]
    header += [h for c in columns[1:] for h in (c.id, f"delta_{c.id}")]
    rows = []
    for k in measure_ids(columns):
        m = describe(k)
        row: list[Any] = [k, m.label, m.unit, base.values.get(k)]
        for c in columns[1:]:
            value = c.values.get(k)
            row += [value, change(k, base.values.get(k), value)]
        rows.append(row)
    return header, rows


def state_rows(
    columns: Sequence[Column],
    states: Sequence[str],
    index: str = "banzhaf",
    population: Population | None = None,
) -> tuple[list[str], list[list[Any]]]:
    """The named states' expected power in each scenario, with its 95 % interval and its ratio
    to the base's (the first column): one row per state and scenario.

    Columns: ``state``, ``scenario``, ``power``, ``low``, ``high``, ``exact``, ``ratio``
    (``None`` where the base's figure is 0), ``seat_years``, ``note`` (why a figure is 0) and,
    given the ``population`` of the UN members
    (:func:`councilsim.statepower.population_table`), ``equity_ratio``: the state's share of
    the members' expected power ÷ its square-root-rule share
    (:func:`councilsim.statepower.equity`). ``index`` is an id of
    :data:`councilsim.statepower.STATE_INDICES`.
    """
    header = ["state", "scenario", "power", "low", "high", "exact", "ratio", "seat_years", "note"]
    fair: dict[str, dict[str, float | None]] = {}
    if population is not None:
        header.append("equity_ratio")
        for c in columns:
            if c.state_power is not None:
                eq = equity(c.state_power, population, index=index)
                fair[c.id] = {s.state: s.ratio for s in eq.states}
    rows: list[list[Any]] = []
    for code in states:
        base = _figure(columns[0], code, index)
        for c in columns:
            fig = _figure(c, code, index)
            if fig is None:
                continue
            est, years, note = fig
            ratio = None
            if base is not None and base[0].mean:
                ratio = float(est.mean) / float(base[0].mean)
            row = [code, c.id, est.mean, est.low, est.high, est.exact, ratio, years, note or None]
            if population is not None:
                row.append(fair.get(c.id, {}).get(code))
            rows.append(row)
    return header, rows


def _figure(column: Column, code: str, index: str) -> tuple[Estimate, float, str] | None:
    sp = column.state_power
    if sp is None:
        return None
    try:
        fig = sp.state(code)
    except KeyError:
        return None
    return fig.values[index], fig.seat_years, fig.note


def state_notes(columns: Sequence[Column]) -> list[str]:
    """How each scenario's state figures were got: the method, horizon, replications, seed and
    candidate model, and who may fill its open permanent and long-term seats."""
    out = []
    for c in columns:
        sp = c.state_power
        if sp is None:
            continue
        out.append(f"{c.id}: {sp.describe()}")
        out += [f"{c.id}: {o.describe()}" for o in sp.open_seats]
    return out
