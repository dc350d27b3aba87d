"""Exact outcome probabilities for independent vote models, by dynamic programming.

The distribution of the tallies ``(Y, B)`` (weighted yes votes, blocking veto holders) is
built member by member: adding a member moves probability ``p_yes`` up by its weight in
``Y``, ``p_block`` up by one in ``B`` (veto holders only) and leaves the rest in place
(conditioning on the veto holders through the ``B`` axis). Outcomes come from
:func:`councilsim.rule.classify` applied to every state. A member's figures need the
distribution of the *others'* tallies; it is built once per group of interchangeable members.

Arithmetic is exact (:class:`~fractions.Fraction`) when every probability is a fraction,
in floating point otherwise.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import NDArray

from councilsim.council import Council
from councilsim.errors import ScenarioError
from councilsim.models._params import Prob
from councilsim.models.base import VoteModel
from councilsim.rule import Outcome, classify
from councilsim.simulation.result import Estimate, MemberResult, SimulationResult

MAX_WORK = 50_000_000
"""The largest ``states × members × groups`` the exact engine takes on."""

Member = tuple[int, bool, Prob, Prob, Prob]
"""Weight, veto, P(yes), P(block), P(neither)."""


def exact_outcomes(
    council: Council, model: VoteModel, *, agreement: bool = False
) -> SimulationResult:
    """Exact outcome probabilities and members' figures for an independent vote model.

    The figures are those :func:`~councilsim.simulation.simulate` estimates (see
    :mod:`councilsim.simulation` for their definitions), without intervals. Raises
    :class:`~councilsim.errors.ScenarioError` for a model whose votes are not independent.
    """
    probs = model.probabilities(council)
    if probs is None:
        raise ScenarioError(
            f"the {model.name} model's votes are not independent, so there is no exact engine",
            key="simulation.model",
            fix="drop --exact to estimate by Monte Carlo, or use impartial or propensity",
        )
    rule = council.rule
    literal = rule.abstention.value == "literal"
    exact = all(isinstance(x, Fraction) for p in probs for x in p)
    one: Prob = Fraction(1) if exact else 1.0
    members: list[Member] = []
    for seat, p in zip(council.seats, probs, strict=True):
        yes = p.yes if exact else float(p.yes)
        block: Prob = one * 0
        if seat.veto:
            block = (one - yes) if literal else (p.no if exact else float(p.no))
        members.append((int(seat.weight), bool(seat.veto), yes, block, one - yes - block))
    top_y, top_b = council.total_weight, council.veto_holders
    groups = sorted(set(members), key=members.index)
    work = (top_y + 1) * (top_b + 1) * len(members) * (len(groups) + 1)
    if work > MAX_WORK:
        raise ScenarioError(
            "the council is too large for the exact engine",
            key="simulation.model",
            fix="drop --exact to estimate by Monte Carlo",
        )
    y, b = np.meshgrid(np.arange(top_y + 1), np.arange(top_b + 1), indexing="ij")

    def adopt(dy: int = 0, db: int = 0) -> NDArray[np.bool_]:
        out: NDArray[np.bool_] = (
            classify(y + dy, b + db, rule.quota, rule.veto_threshold) == Outcome.ADOPTED
        )
        return out

    def total(dist: NDArray[Any], mask: NDArray[np.bool_]) -> Prob:
        return sum(dist[mask].tolist(), one * 0)

    full = _distribution(members, top_y, top_b, one)
    outcome = classify(y, b, rule.quota, rule.veto_threshold)
    adopted = total(full, outcome == Outcome.ADOPTED)
    vetoed = total(full, outcome == Outcome.VETOED)
    per_group: dict[Member, tuple[Prob, Prob, Prob | None, Prob | None]] = {}
    for g in groups:
        w, veto, py, pb, po = g
        others = list(members)
        others.remove(g)
        dist = _distribution(others, top_y, top_b, one)
        decisive = total(dist, adopt(w, 0) != adopt(0, int(veto)))
        satisfied = py * total(dist, adopt(w, 0)) + po * total(dist, ~adopt(0, 0))
        vetoes = alone = None
        if veto:
            satisfied += pb * total(dist, ~adopt(0, 1))
            hit = classify(y, b + 1, rule.quota, rule.veto_threshold) == Outcome.VETOED
            vetoes = pb * total(dist, hit)
            alone = pb * total(dist, hit & (b == 0))
        per_group[g] = (decisive, satisfied, vetoes, alone)
    results = []
    for seat, g in zip(council.seats, members, strict=True):
        decisive, satisfied, vetoes, alone = per_group[g]
        results.append(
            MemberResult(
                member=seat.label,
                seat_class=seat.seat_class,
                yes=Estimate.of(g[2]),
                decisiveness=Estimate.of(decisive),
                satisfaction=Estimate.of(satisfied),
                vetoes=None if vetoes is None else Estimate.of(vetoes),
                vetoes_alone=None if alone is None else Estimate.of(alone),
            )
        )
    mean_yes = sum((m[0] * m[2] for m in members), one * 0)
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


def _distribution(members: list[Member], top_y: int, top_b: int, one: Prob) -> NDArray[Any]:
    """The joint distribution of ``(Y, B)``, an array indexed ``[Y, B]``."""
    dtype = object if isinstance(one, Fraction) else np.float64
    dist = np.full((top_y + 1, top_b + 1), one * 0, dtype=dtype)
    dist[0, 0] = one
    for w, veto, py, pb, po in members:
        new = dist * po
        new[w:, :] += dist[: top_y + 1 - w, :] * py
        if veto:
            new[:, 1:] += dist[:, :top_b] * pb
        dist = new
    return dist
