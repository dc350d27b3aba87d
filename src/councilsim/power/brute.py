"""Brute-force counting over all ``2**n`` coalitions: the test oracle of the power engine.

Every coalition is turned into a yes/no vote profile and decided by
:func:`councilsim.rule.decide`, the same rule the simulator uses, so the fast methods are
checked against the Charter rule itself rather than against a second reading of it.
"""

from __future__ import annotations

from fractions import Fraction
from math import factorial

import numpy as np
from numpy.typing import NDArray

from councilsim.council import Rule
from councilsim.errors import ScenarioError
from councilsim.games import WeightedGame
from councilsim.power.counts import PowerCounts
from councilsim.rule import Vote, decide

MAX_BRUTE_MEMBERS = 20


def winning_table(game: WeightedGame) -> NDArray[np.bool_]:
    """``win[S]`` for every coalition ``S`` coded as a bit mask (bit ``i`` = member ``i``)."""
    n = game.size
    if n > MAX_BRUTE_MEMBERS:
        raise ScenarioError(
            f"brute force is for at most {MAX_BRUTE_MEMBERS} members, not {n}",
            fix="use method='auto'",
        )
    members = membership(n)
    votes = np.where(members, np.int8(Vote.YES), np.int8(Vote.NO))
    rule = Rule(game.quota, game.quota, veto_threshold=game.veto_threshold)
    return decide(votes, np.array(game.weights), np.array(game.veto), rule).adopted


def membership(n: int) -> NDArray[np.bool_]:
    """Row ``S``, column ``i``: whether member ``i`` is in coalition ``S``."""
    masks = np.arange(2**n, dtype=np.int64)
    return ((masks[:, None] >> np.arange(n)) & 1).astype(np.bool_)


def brute_counts(game: WeightedGame) -> PowerCounts:
    """Count everything by visiting every coalition (one type per member)."""
    n = game.size
    win = winning_table(game)
    members = membership(n)
    masks = np.arange(2**n, dtype=np.int64)
    size = members.sum(axis=1)
    bits = np.int64(1) << np.arange(n, dtype=np.int64)
    # critical[S, i]: i in S, S wins, S without i loses
    critical = members & win[:, None] & ~win[masks[:, None] ^ bits[None, :]]
    ncrit = critical.sum(axis=1)
    minimal = win & (critical == members).all(axis=1)
    weights = [0] + [factorial(k - 1) * factorial(n - k) for k in range(1, n + 1)]
    return PowerCounts(
        n=n,
        member_type=list(range(n)),
        winning=int(win.sum()),
        swings=[int(critical[:, i].sum()) for i in range(n)],
        shapley=[sum(weights[int(k)] for k in size[critical[:, i]]) for i in range(n)],
        minimal=int(minimal.sum()),
        minimal_with=[int((minimal & members[:, i]).sum()) for i in range(n)],
        minimal_share=[_harmonic(size[minimal & members[:, i]]) for i in range(n)],
        johnston=[_harmonic(ncrit[critical[:, i]]) for i in range(n)],
    )


def _harmonic(denominators: NDArray[np.integer]) -> Fraction:
    values, times = np.unique(denominators, return_counts=True)
    return sum((Fraction(int(t), int(v)) for v, t in zip(values, times, strict=True)), Fraction(0))
