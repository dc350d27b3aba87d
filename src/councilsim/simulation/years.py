"""Drafts over the years: each year's Council, after the General Assembly's elections, votes.

:func:`drafts_over_years` runs a scenario's elections
(:func:`councilsim.elections.over_years.simulate_over_years`) and reports, for every year and
pooled over all years, the figures of :data:`DRAFT_FIGURES`; :func:`pooled_figures` is the
pooling on its own. ``councilsim simulate --years`` prints what :func:`drafts_over_years` returns.

>>> from councilsim.models import ImpartialModel
>>> from councilsim.scenario import load
>>> run = drafts_over_years(load("current"), ImpartialModel(), years=3, exact=True)
>>> [y.year for y in run.years], run.overall["adopted"].exact
([2026, 2027, 2028], Fraction(53, 2048))
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from councilsim.elections import read_membership, rules_for
from councilsim.elections.candidates import candidate_model
from councilsim.elections.over_years import simulate_over_years
from councilsim.elections.report import election_start
from councilsim.limits import DEFAULT_CANDIDATES
from councilsim.models import VoteModel
from councilsim.simulation.measures import DRAFT_FIGURES
from councilsim.simulation.result import Estimate, SimulationResult

__all__ = ["DRAFT_FIGURES", "OverYears", "YearFigures", "drafts_over_years", "pooled_figures"]


@dataclass(frozen=True)
class YearFigures:
    """One year of :func:`drafts_over_years`: who sat, and the result of its drafts."""

    year: int
    members: tuple[str, ...]
    result: SimulationResult

    def to_dict(self) -> dict[str, Any]:
        d = self.result.to_dict()
        return {
            "year": self.year,
            "members": list(self.members),
            **{k: d[k] for k in DRAFT_FIGURES},
        }


@dataclass(frozen=True)
class OverYears:
    """Drafts put to each year's Council over a run of elections, and the figures over all
    years (:func:`pooled_figures`)."""

    scenario: str
    name: str
    seed: int
    draws: int | None
    candidates: str
    years: tuple[YearFigures, ...]
    overall: Mapping[str, Estimate]

    def to_dict(self) -> dict[str, Any]:
        """JSON data, as ``councilsim simulate --years --format json`` prints it."""
        first = self.years[0].result.to_dict()
        return {
            "scenario": self.scenario,
            "name": self.name,
            "model": first["model"],
            "params": first["params"],
            "engine": first["engine"],
            "draws": self.draws,
            "seed": self.seed,
            "candidates": self.candidates,
            "years": [y.to_dict() for y in self.years],
            "overall": {k: e.to_dict() for k, e in self.overall.items()},
        }


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
    candidates: str = DEFAULT_CANDIDATES,
    membership: str | None = None,
    progress: Callable[[int], None] | None = None,
    jit: bool | None = None,
    scheduler: str | None = None,
) -> OverYears:
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
    workers, progress, jit
        Passed on to :func:`councilsim.simulation.simulate` (Monte Carlo only).
    scheduler
        Passed on likewise: each year's drafts run on that Dask cluster (to share one client
        or local cluster between the years, call inside :func:`councilsim.pool.cluster`).
    start_year, candidates, membership
        How the elections start and who stands: see
        :func:`councilsim.elections.report.election_start` and
        :func:`councilsim.elections.candidates.candidate_model`.

    Returns
    -------
    OverYears
        Each year's members and :class:`~councilsim.simulation.SimulationResult`, and the
        :data:`DRAFT_FIGURES` pooled over all years; :meth:`OverYears.to_dict` is the JSON
        data ``simulate --years`` prints.
    """
    member_file = read_membership(membership) if membership is not None else None
    options: dict[str, Any] = {}
    if not exact:
        options = {"workers": workers, "progress": progress, "jit": jit}
        if scheduler is not None:
            options["scheduler"] = scheduler
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
    return OverYears(
        scenario=scenario.id,
        name=scenario.name,
        seed=seed,
        draws=None if exact else draws,
        candidates=run.candidates,
        years=tuple(
            YearFigures(o.year, tuple(s.label for s in o.council.seats), o.result) for o in outcomes
        ),
        overall=pooled_figures([o.result for o in outcomes], exact),
    )
