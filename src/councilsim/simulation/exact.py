"""Exact outcome probabilities for independent vote models, by dynamic programming.

The distribution of the tallies ``(Y, B)`` (weighted yes votes, blocking veto holders) is
:func:`councilsim.rule.tally_distribution`, built member by member, and outcomes come from
:func:`councilsim.rule.classify` and :func:`councilsim.rule.wins` applied to every state. A
member's figures need the distribution of the *others'* tallies; it is built once per group of
interchangeable members.

Arithmetic is exact (:class:`~fractions.Fraction`) when every probability is a fraction,
in floating point otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import numpy as np
from numpy.typing import NDArray

from councilsim.council import Council
from councilsim.errors import ScenarioError
from councilsim.limits import MAX_EXACT_WORDS
from councilsim.models.base import VoteModel
from councilsim.rule import Outcome, Prob, Voter, classify, tally_distribution, voters, wins
from councilsim.simulation.result import Estimate, MemberResult, SimulationResult


def _words(probs: Sequence[Sequence[Prob]], seats: int) -> int:
    """About how many 64-bit words the exact probabilities of the tallies take: at most the
    product of every seat's denominators."""
    longest = max(
        (x.denominator.bit_length() for p in probs for x in p if isinstance(x, Fraction)),
        default=1,
    )
    return seats * longest // 64 + 1


MAX_WORK = 50_000_000
"""The largest ``states × members × groups`` the exact engine takes on."""


def exact_refusal(council: Council, model: VoteModel) -> ScenarioError | None:
    """Why :func:`exact_outcomes` would refuse this council and model (the votes are not
    independent, the council is too large, or its fractions would grow too long), or
    ``None`` where it can compute them."""
    probs = model.probabilities(council)
    if probs is None:
        return ScenarioError(
            f"the {model.name} model's votes are not independent, so there is no exact engine",
            key="simulation.model",
            fix="drop --exact to estimate by Monte Carlo, or use impartial or propensity",
        )
    exact = all(isinstance(x, Fraction) for p in probs for x in p)
    members = list(voters(council.weights, council.veto, probs, council.rule.abstention))
    if not exact:
        members = [m.floats() for m in members]
    groups = set(members)
    work = (council.total_weight + 1) * (council.veto_holders + 1) * len(members)
    work *= len(groups) + 1
    if work > MAX_WORK:
        return ScenarioError(
            "the council is too large for the exact engine",
            key="simulation.model",
            fix="drop --exact to estimate by Monte Carlo",
        )
    if exact and work * _words(probs, council.size) > MAX_EXACT_WORDS:
        return ScenarioError(
            "the exact fractions of this council would have too many digits to compute",
            key="simulation.params",
            fix="give probabilities with fewer digits (e.g. 0.25 or 1/3), or drop --exact to "
            "estimate by Monte Carlo",
        )
    return None


def exact_outcomes(
    council: Council, model: VoteModel, *, agreement: bool = False
) -> SimulationResult:
    """Exact outcome probabilities and members' figures for an independent vote model.

    The figures are those :func:`~councilsim.simulation.simulate` estimates (see
    :mod:`councilsim.simulation` for their definitions), without intervals. Raises
    :class:`~councilsim.errors.ScenarioError` for a model whose votes are not independent.
    """
    refusal = exact_refusal(council, model)
    if refusal is not None:
        raise refusal
    probs = model.probabilities(council)
    assert probs is not None  # exact_refusal says so otherwise
    rule = council.rule
    exact = all(isinstance(x, Fraction) for p in probs for x in p)
    one: Prob = Fraction(1) if exact else 1.0
    members = list(voters(council.weights, council.veto, probs, rule.abstention))
    if not exact:
        members = [m.floats() for m in members]
    groups = sorted(set(members), key=members.index)
    full = tally_distribution(members, exact=exact)
    y, b = full.yes, full.blocking

    def adopt(dy: int = 0, db: int = 0) -> NDArray[np.bool_]:
        return wins(y + dy, b + db, rule.quota, rule.veto_threshold)

    outcome = classify(y, b, rule.quota, rule.veto_threshold)
    adopted = full.probability(outcome == Outcome.ADOPTED)
    vetoed = full.probability(outcome == Outcome.VETOED)
    per_group: dict[Voter, tuple[Prob, Prob, Prob | None, Prob | None]] = {}
    for g in groups:
        w, veto, py, pb = g
        po = one - py - pb
        total = tally_distribution(members, exact=exact, without=members.index(g)).probability
        decisive = total(adopt(w, 0) != adopt(0, int(veto)))
        satisfied = py * total(adopt(w, 0)) + po * total(~adopt(0, 0))
        vetoes = alone = None
        if veto:
            satisfied += pb * total(~adopt(0, 1))
            hit = classify(y, b + 1, rule.quota, rule.veto_threshold) == Outcome.VETOED
            vetoes = pb * total(hit)
            alone = pb * total(hit & (b == 0))
        per_group[g] = (decisive, satisfied, vetoes, alone)
    results = []
    for seat, g in zip(council.seats, members, strict=True):
        decisive, satisfied, vetoes, alone = per_group[g]
        results.append(
            MemberResult(
                member=seat.label,
                seat_class=seat.seat_class,
                yes=Estimate.of(g.yes),
                decisiveness=Estimate.of(decisive),
                satisfaction=Estimate.of(satisfied),
                vetoes=None if vetoes is None else Estimate.of(vetoes),
                vetoes_alone=None if alone is None else Estimate.of(alone),
            )
        )
    mean_yes = sum((m.weight * m.yes for m in members), one * 0)
    matrix = None
    if agreement:
        cats = np.array([[float(x) for x in p] for p in probs])
        matrix = cats @ cats.T
        np.fill_diagonal(matrix, 1.0)
    return SimulationResult(
        model=model.name,
        params=model.params(),
        exact=True,
        draws=None,
        seed=None,
        adopted=Estimate.of(adopted),
        vetoed=Estimate.of(vetoed),
        failed=Estimate.of(one - adopted - vetoed),
        mean_yes=Estimate.of(mean_yes),
        members=tuple(results),
        agreement=matrix,
    )
