"""The passage model: correlated support of the member states, and what it implies.

Each state supports a plan with its probability ``p_i`` (:mod:`councilsim.amendment.support`)
and, if it supports, votes for it in the General Assembly and ratifies it (one stance for both
stages). Support is correlated within groups through a Gaussian copula with one common factor
per group (a one-factor model): state ``i`` of factor group ``g`` supports in a draw iff
``sqrt(r) Z_g + sqrt(1 - r) E_i < Φ⁻¹(p_i)`` with ``Z_g`` and ``E_i`` independent standard
normals, ``r`` the correlation within negotiating groups (:data:`GROUP_CORRELATION`) or within
regional groups (:data:`REGION_CORRELATION`). Each state's marginal probability stays ``p_i``.

From seeded draws: the probability that each stage and the whole amendment pass (with 95 %
Wilson intervals; exact, by the Poisson-binomial distribution, when both correlations are 0),
each state's effect (how much the probability of passage moves when the state supports rather
than opposes, the other states' draws held fixed), and a greedy list of the states to win over
(each step turns the state of the largest gain into a certain supporter) until the amendment
passes with a target probability.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from councilsim.composite import CompositeGame
from councilsim.errors import ScenarioError
from councilsim.limits import DEFAULT_AMEND_DRAWS, MAX_AMEND_DRAWS
from councilsim.models.base import normal_quantile
from councilsim.rule import wins

__all__ = [
    "DEFAULT_AMEND_DRAWS",
    "GROUP_CORRELATION",
    "MAX_AMEND_DRAWS",
    "REGION_CORRELATION",
    "Draws",
    "Stages",
    "draw_support",
    "effects",
    "exact_passage",
    "passage",
    "stages_of",
    "win_over",
]

GROUP_CORRELATION = 0.5
"""Correlation of the latent support of two members of one negotiating group."""

REGION_CORRELATION = 0.2
"""Correlation of the latent support of two states of one regional group without a declared
stance."""


_CHUNK = 25_000


@dataclass(frozen=True)
class Stages:
    """The amendment game read as its two stages (unit weights): the General Assembly quota,
    the ratification quota and which states hold a veto in ratification."""

    ga_quota: int
    ratification_quota: int
    veto: NDArray[np.bool_]


def stages_of(game: CompositeGame) -> Stages:
    """The stages of an amendment game (:func:`~councilsim.amendment.game.amendment_game`).

    Raises
    ------
    ScenarioError
        For a game that is not two unit-weight components joined by AND, the first without vetoes.
    """
    ok = game.join == "and" and len(game.components) == 2
    ok = ok and all(set(c.weights) == {1} for c in game.components)
    ok = ok and not any(game.components[0].veto)
    if not ok:
        raise ScenarioError("the passage model needs the amendment game (GA AND ratification)")
    ga, rat = game.components
    return Stages(ga.quota, rat.quota, np.array(rat.veto, dtype=np.bool_))


@dataclass(frozen=True)
class Draws:
    """Seeded draws of support: ``support[d, i]`` whether state ``i`` supports in draw ``d``."""

    support: NDArray[np.bool_]
    seed: int

    @property
    def count(self) -> int:
        return int(self.support.shape[0])


def draw_support(
    probabilities: Sequence[float],
    factors: Sequence[str],
    correlations: Sequence[float],
    *,
    draws: int,
    seed: int,
) -> Draws:
    """Draw support under the one-factor Gaussian copula (see the module docstring).

    ``factors`` names each state's factor group and ``correlations`` its within-group
    correlation; factor groups are drawn in sorted order, so the draws depend only on the seed.
    """
    if not 1 <= draws <= MAX_AMEND_DRAWS:
        raise ScenarioError(f"draws {draws} is out of range", fix=f"use 1..{MAX_AMEND_DRAWS}")
    p = np.asarray(probabilities, dtype=np.float64)
    threshold = np.array([normal_quantile(x) for x in p])
    names = sorted(set(factors))
    which = np.array([names.index(f) for f in factors])
    r = np.asarray(correlations, dtype=np.float64)
    load, rest = np.sqrt(r), np.sqrt(1.0 - r)
    rng = np.random.default_rng(seed)
    out = np.empty((draws, len(p)), dtype=np.bool_)
    for start in range(0, draws, _CHUNK):
        size = min(_CHUNK, draws - start)
        common = rng.standard_normal((size, len(names)))
        own = rng.standard_normal((size, len(p)))
        out[start : start + size] = load * common[:, which] + rest * own < threshold
    return Draws(out, seed)


def passage(draws: Draws, stages: Stages) -> dict[str, int]:
    """How many draws pass the GA stage, the ratification stage and both (by the one rule)."""
    x = draws.support
    yes = np.count_nonzero(x, axis=1)
    outside = np.count_nonzero(~x[:, stages.veto], axis=1)
    ga = wins(yes, 0, stages.ga_quota)
    rat = wins(yes, outside, stages.ratification_quota)
    return {
        "ga": int(np.count_nonzero(ga)),
        "ratification": int(np.count_nonzero(rat)),
        "both": int(np.count_nonzero(ga & rat)),
    }


def exact_passage(probabilities: Sequence[float], stages: Stages) -> dict[str, float]:
    """The probabilities of passage when states decide independently (both correlations 0).

    The GA stage passes with ``P(Y >= q_GA)`` for the Poisson-binomial count ``Y``; the
    amendment passes with ``prod_{veto} p_j · P(Y' >= q - k)`` where ``Y'`` counts the ``k``
    veto holders' complement, because every veto holder must support.
    """
    p = np.asarray(probabilities, dtype=np.float64)
    veto = stages.veto
    ga = _tail(p, stages.ga_quota)
    rat = float(np.prod(p[veto])) * _tail(p[~veto], stages.ratification_quota - int(veto.sum()))
    both = float(np.prod(p[veto])) * _tail(
        p[~veto], max(stages.ga_quota, stages.ratification_quota) - int(veto.sum())
    )
    return {"ga": ga, "ratification": rat, "both": both}


def _tail(p: NDArray[np.float64], quota: int) -> float:
    """``P(sum of independent Bernoulli(p_i) >= quota)``."""
    pmf = np.ones(1)
    for x in p:
        pmf = np.convolve(pmf, [1.0 - x, x])
    return float(pmf[max(quota, 0) :].sum())


def effects(draws: Draws, stages: Stages) -> dict[str, NDArray[np.float64]]:
    """Each state's effect on the probability that the GA stage and the amendment pass.

    The effect is ``P(pass | i supports) - P(pass | i opposes)`` with every other state's
    draw held fixed (an intervention on one state, not a conditional probability). The gain
    (keys ``gain_ga`` and ``gain_both``) is ``P(pass | i supports) - P(pass)``: what winning
    the state over adds, its effect times how often it would otherwise oppose.
    """
    parts = _swings(draws.support, stages)
    n = draws.count
    out = {k: (against + supporting) / n for k, (against, supporting) in parts.items()}
    out.update({f"gain_{k}": against / n for k, (against, _) in parts.items()})
    return out


def _swings(
    x: NDArray[np.bool_], stages: Stages
) -> dict[str, tuple[NDArray[np.int64], NDArray[np.int64]]]:
    """Per stage and state: the draws its support decides, split by whether it opposes
    (``against``: winning it over passes the draw) or supports in them."""
    yes = np.count_nonzero(x, axis=1)
    holders = np.count_nonzero(x[:, stages.veto], axis=1)
    k = int(stages.veto.sum())
    q, qg = max(stages.ga_quota, stages.ratification_quota), stages.ga_quota
    all_in = holders == k
    ga = (_rows(x, yes == qg - 1, False), _rows(x, yes == qg, True))
    others = (_rows(x, all_in & (yes == q - 1), False), _rows(x, all_in & (yes == q), True))
    vetoes = (
        _rows(x, (holders == k - 1) & (yes >= q - 1), False),
        _rows(x, all_in & (yes >= q), True),
    )
    both = tuple(np.where(stages.veto, v, o) for v, o in zip(vetoes, others, strict=True))
    return {"ga": ga, "both": (both[0], both[1])}


def _rows(x: NDArray[np.bool_], rows: NDArray[np.bool_], supports: bool) -> NDArray[np.int64]:
    """Per state: the draws among ``rows`` in which it does (or does not) support."""
    chosen = x[rows]
    counted = chosen if supports else ~chosen
    out: NDArray[np.int64] = np.count_nonzero(counted, axis=0).astype(np.int64)
    return out


def win_over(
    draws: Draws, stages: Stages, probabilities: Sequence[float], target: float
) -> tuple[list[tuple[int, float]], bool]:
    """Greedily the states to win over until the amendment passes with ``target`` probability.

    Each step makes the state of the largest gain in the probability of passage a certain
    supporter in every draw; when no single state changes it (the count far from the quota),
    the largest gain in the GA stage decides, then the lowest probability of support. Greedy:
    a shortest list is not guaranteed. Returns each chosen state's index with the probability
    of passage after it, and whether the target was reached.
    """
    x = draws.support.copy()
    p = np.asarray(probabilities, dtype=np.float64)
    yes = np.count_nonzero(x, axis=1)
    holders = np.count_nonzero(x[:, stages.veto], axis=1)
    won = np.all(x, axis=0)
    chosen: list[tuple[int, float]] = []
    current = _passed(yes, holders, stages) / draws.count
    while current < target:
        if won.all():
            return chosen, False
        pick = _best(x, yes, holders, stages, np.where(won, math.inf, p))
        yes += ~x[:, pick]
        if stages.veto[pick]:
            holders += ~x[:, pick]
        x[:, pick] = True
        won[pick] = True
        current = _passed(yes, holders, stages) / draws.count
        chosen.append((pick, current))
    return chosen, True


def _passed(yes: NDArray[np.int64], holders: NDArray[np.int64], stages: Stages) -> int:
    q = max(stages.ga_quota, stages.ratification_quota)
    return int(np.count_nonzero(wins(yes, int(stages.veto.sum()) - holders, q)))


def _best(
    x: NDArray[np.bool_],
    yes: NDArray[np.int64],
    holders: NDArray[np.int64],
    stages: Stages,
    open_p: NDArray[np.float64],
) -> int:
    """The open state (``open_p`` finite) of the largest gain: see :func:`win_over`."""
    k = int(stages.veto.sum())
    q = max(stages.ga_quota, stages.ratification_quota)
    others = _rows(x, (holders == k) & (yes == q - 1), False)
    vetoes = _rows(x, (holders == k - 1) & (yes >= q - 1), False)
    closed = ~np.isfinite(open_p)
    for gain in (
        np.where(stages.veto, vetoes, others),
        _rows(x, yes == stages.ga_quota - 1, False),
    ):
        gain = np.where(closed, -1, gain)
        if gain.max() > 0:
            return int(np.argmax(gain))
    return int(np.argmin(open_p))
