"""Outcomes over time: each simulated year's Council votes on drafts under a vote model.

One replication of the elections gives the composition of each year; each year's council (the
scenario's seat classes with that year's holders, via :func:`dataclasses.replace`) is then
handed to :func:`councilsim.simulation.simulate`. Vote models that read members' identities
(ideal points, blocs by holder) thus see the states that actually sit that year.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from councilsim.council import Council
from councilsim.elections import rules_for
from councilsim.elections.ballot import BallotModel
from councilsim.elections.candidates import Candidates
from councilsim.elections.engine import ElectionRun, run_elections, starting_composition
from councilsim.elections.rules import StartComposition
from councilsim.limits import DEFAULT_SEED
from councilsim.models import VoteModel
from councilsim.scenario import Scenario
from councilsim.simulation import SimulationResult, exact_outcomes, simulate

__all__ = ["YearOutcome", "simulate_over_years", "year_seed"]


@dataclass(frozen=True)
class YearOutcome:
    """One year: its council and the simulated outcomes of drafts put to it."""

    year: int
    council: Council
    result: SimulationResult


def year_seed(seed: int, t: int) -> int:
    """The seed of the drafts of the ``t``-th year: independent streams from one root seed."""
    words = np.random.SeedSequence([seed, 1, t]).generate_state(2, dtype=np.uint64)
    return int(words[0]) << 64 | int(words[1])


def simulate_over_years(
    scenario: Scenario,
    model_factory: Callable[[Council, int], VoteModel],
    years: int,
    draws: int,
    seed: int = DEFAULT_SEED,
    *,
    start: StartComposition | None = None,
    candidates: Candidates | None = None,
    balloting: BallotModel | None = None,
    exact: bool = False,
    **simulate_options: Any,
) -> tuple[ElectionRun, list[YearOutcome]]:
    """Run the elections for ``years`` years and simulate ``draws`` drafts in each year.

    Parameters
    ----------
    scenario
        A loaded scenario.
    model_factory
        Called with each year's council and the year; returns the vote model for that year
        (``lambda council, year: model`` for a fixed model).
    years, draws
        Years to run (counting the start year) and drafts per year.
    seed
        Root seed (an integer >= 0): the elections use it directly, the drafts of year ``t``
        use :func:`year_seed`.
    start, candidates, balloting
        As for :func:`~councilsim.elections.run_elections`.
    exact
        Compute each year's outcome probabilities exactly with
        :func:`councilsim.simulation.exact_outcomes` (independent vote models only; ``draws``
        is then ignored).
    **simulate_options
        Passed on to :func:`councilsim.simulation.simulate` (``workers``, ``fast`` ...).

    Returns
    -------
    run, outcomes
        The election run (one replication) and one :class:`YearOutcome` per year.
    """
    rules = rules_for(scenario)
    run = run_elections(
        rules,
        years,
        start=start or starting_composition(rules),
        seed=seed,
        candidates=candidates,
        balloting=balloting,
    )
    outcomes = []
    for t, year in enumerate(run.years):
        council = run.council(t)
        model = model_factory(council, int(year))
        if exact:
            result = exact_outcomes(council, model)
        else:
            result = simulate(
                council, model, draws=draws, seed=year_seed(seed, t), **simulate_options
            )
        outcomes.append(YearOutcome(int(year), council, result))
    return run, outcomes
