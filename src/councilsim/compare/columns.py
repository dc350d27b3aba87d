"""Scenarios side by side: one :class:`~councilsim.compare.measures.Column` per scenario.

:func:`scenario_column` measures one scenario (:func:`~councilsim.compare.measures.measures`)
and keeps what a reader needs to trust the numbers; :func:`comparison` is the JSON data of
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
from typing import Any

from councilsim.compare.measures import (
    DEFAULT_SERVICE_REPS,
    DEFAULT_SERVICE_YEARS,
    Column,
    change,
    describe,
    engine,
    measure_ids,
    measures,
    service_shares,
)
from councilsim.models import ImpartialModel, VoteModel
from councilsim.simulation import DEFAULT_DRAWS

__all__ = ["comparison", "comparison_rows", "scenario_column"]


def scenario_column(
    scenario: Any,
    *,
    model: VoteModel | None = None,
    draws: int | None = None,
    seed: int | None = None,
    exact: bool = False,
    states: Sequence[str] = (),
    elections: bool = False,
    years: int = DEFAULT_SERVICE_YEARS,
    reps: int = DEFAULT_SERVICE_REPS,
) -> Column:
    """The measures of a loaded scenario, with its description, sources and how they were got.

    ``model``, ``draws`` and ``seed`` default to the scenario's ``[simulation]`` table (else
    ``impartial`` at 1/2, :data:`~councilsim.simulation.DEFAULT_DRAWS` drafts, seed 0). With
    ``elections``, named ``states`` and a scenario with ``[elections]``, states get their
    expected power from an election run of ``years`` × ``reps``
    (:func:`~councilsim.compare.measures.service_shares`).
    """
    spec = scenario.simulation
    council = scenario.council
    if model is None:
        model = getattr(spec, "model", None) or ImpartialModel()
    draws = draws if draws is not None else getattr(spec, "draws", DEFAULT_DRAWS)
    seed = seed if seed is not None else getattr(spec, "seed", 0)
    service = None
    if elections and states and scenario.elections is not None:
        service = service_shares(scenario, years=years, reps=reps, seed=seed)
    values = measures(
        council, model=model, draws=draws, seed=seed, exact=exact, states=states, service=service
    )
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
                "values": {k: c.values.get(k) for k in keys},
                "change": {k: change(k, base.values.get(k), c.values.get(k)) for k in keys},
            }
            for c in columns
        ],
    }


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
