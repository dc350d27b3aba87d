"""Drafts over the years: each year's Council, after the General Assembly's elections, votes.

:func:`drafts_over_years` runs a scenario's elections
(:func:`councilsim.elections.over_years.simulate_over_years`) and reports, for every year and
pooled over all years, the figures of :data:`DRAFT_FIGURES`; :func:`pooled_figures` is the
pooling on its own. ``councilsim simulate --years`` prints what :func:`drafts_over_years` returns.

>>> from councilsim.models import ImpartialModel
>>> from councilsim.scenario import load
>>> data = drafts_over_years(load("current"), ImpartialModel(), years=3, exact=True)
>>> [y["year"] for y in data["years"]], data["overall"]["adopted"]["fraction"]
([2026, 2027, 2028], '53/2048')
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Any

from councilsim.elections import read_membership, rules_for
from councilsim.elections.candidates import candidate_model
from councilsim.elections.over_years import simulate_over_years
from councilsim.elections.report import election_start
from councilsim.models import VoteModel
from councilsim.simulation.result import Estimate, SimulationResult

__all__ = ["DRAFT_FIGURES", "drafts_over_years", "pooled_figures"]

DRAFT_FIGURES = ("adopted", "vetoed", "failed", "mean_yes")
"""What a year's drafts are summed up by: the three outcome rates (in the order of
:data:`councilsim.compare.measures.OUTCOMES`) and the mean number of yes votes."""


def pooled_figures(results: Sequence[SimulationResult], exact: bool = False) -> dict[str, Estimate]:
    """The figures of :data:`DRAFT_FIGURES` over several years, each year weighing the same.

    Every year has the same number of drafts. Monte Carlo rates pool the drafts of all
    years (Wilson interval on the total); the mean number of yes votes averages the yearly
    means, its interval combining theirs as independent. With ``exact``, each figure is the
    mean of the yearly values, a fraction where every year has one.
    """
    n = len(results)
    out: dict[str, Estimate] = {}
    for key in DRAFT_FIGURES:
        ests: list[Estimate] = [getattr(r, key) for r in results]
        if exact:
            fractions = [e.exact for e in ests]
            if all(f is not None for f in fractions):
                out[key] = Estimate.of(
                    sum((f for f in fractions if f is not None), Fraction(0)) / n
                )
            else:
                out[key] = Estimate.of(sum(e.estimate for e in ests) / n)
        elif key == "mean_yes":
            mean = sum(e.estimate for e in ests) / n
            half = math.sqrt(sum(_half(e) ** 2 for e in ests)) / n
            out[key] = Estimate(mean, mean - half, mean + half)
        else:
            each = [r.draws or 0 for r in results]
            draws = sum(each)
            hits = sum(round(e.estimate * d) for e, d in zip(ests, each, strict=True))
            out[key] = Estimate.wilson(hits, draws)
    return out


def _half(e: Estimate) -> float:
    return 0.0 if e.ci_low is None or e.ci_high is None else (e.ci_high - e.ci_low) / 2


def drafts_over_years(
    scenario: Any,
    model: VoteModel,
    years: int,
    draws: int = 100_000,
    seed: int = 0,
    *,
    exact: bool = False,
    workers: int = 1,
    start_year: int | None = None,
    candidates: str = "uniform",
    membership: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> dict[str, Any]:
    """Elections for ``years`` years, then ``draws`` drafts put to each year's Council.

    Parameters
    ----------
    scenario
        A loaded :class:`councilsim.scenario.Scenario` with elections.
    model
        The vote model of every year.
    years, draws, seed
        Years to run (counting the start year), drafts per year and the root seed (see
        :func:`~councilsim.elections.over_years.simulate_over_years`).
    exact
        Exact probabilities for each year (independent vote models only); ``draws`` is then
        ignored.
    workers, progress
        Passed on to :func:`councilsim.simulation.simulate` (Monte Carlo only).
    start_year, candidates, membership
        How the elections start and who stands: see
        :func:`councilsim.elections.report.election_start` and
        :func:`councilsim.elections.candidates.candidate_model`.

    Returns
    -------
    dict
        JSON data: ``scenario``, ``name``, ``model``, ``params``, ``engine``, ``draws``,
        ``seed``, ``candidates``, ``years`` (one entry per year: ``year``, ``members`` and the
        :data:`DRAFT_FIGURES`) and ``overall`` (:func:`pooled_figures`), every figure as
        :meth:`Estimate.to_dict <councilsim.simulation.Estimate.to_dict>` gives it.
    """
    member_file = read_membership(membership) if membership is not None else None
    options: dict[str, Any] = {} if exact else {"workers": workers, "progress": progress}
    run, outcomes = simulate_over_years(
        scenario,
        lambda council, year: model,
        years,
        draws,
        seed,
        start=election_start(rules_for(scenario), start_year, member_file),
        candidates=candidate_model(candidates, member_file),
        exact=exact,
        **options,
    )
    first = outcomes[0].result.to_dict()
    per_year = []
    for o in outcomes:
        d = o.result.to_dict()
        members = [s.label for s in o.council.seats]
        per_year.append({"year": o.year, "members": members, **{k: d[k] for k in DRAFT_FIGURES}})
    overall = pooled_figures([o.result for o in outcomes], exact)
    return {
        "scenario": scenario.id,
        "name": scenario.name,
        "model": first["model"],
        "params": first["params"],
        "engine": first["engine"],
        "draws": None if exact else draws,
        "seed": seed,
        "candidates": run.candidates,
        "years": per_year,
        "overall": {k: e.to_dict() for k, e in overall.items()},
    }
