"""A stylised model of General Assembly balloting for the elected seats.

The General Assembly elects by secret ballot without nominations (rule 92 of its rules of
procedure); a candidate needs a two-thirds majority of the members present and voting
(rule 83; 129 votes when all 193 vote); when a ballot leaves seats unfilled, balloting
continues, restricted to the candidates with the most votes (rules 93 and 94), and in practice
deadlocks end when a candidate withdraws or a compromise is found (the GRULAC deadlock
between Colombia and Cuba in 1979, ended by Mexico's election; Italy and the Netherlands
splitting the 2017-18 term in 2016).

The model, for one group's ``k`` seats in many replications at once:

1. With probability ``clean_slate`` the group endorses exactly ``k`` candidates; otherwise
   ``k + extra`` eligible states stand. Candidates are drawn by weight without replacement.
2. At each ballot each of ``voters`` voters ranks the standing candidates by
   ``log(weight) + noise * G`` (``G`` a standard Gumbel variable, drawn afresh for every voter
   and ballot) and votes for as many as there are seats left, so that a voter's first choice
   is candidate ``c`` with probability proportional to ``weight[c] ** (1 / noise)``.
3. Candidates with at least two thirds of the votes cast are elected, most votes first, up to
   the seats left.
4. After each ballot, voters drift towards the candidates who did well: each candidate's
   strength is multiplied by its share of the votes to the power ``bandwagon``. After
   ``restrict_after`` inconclusive ballots in a row, the standing candidate with the fewest
   votes withdraws. Balloting ends when the seats are filled; with as many candidates
   as seats every voter votes for all of them, so it always ends.

It is a caricature: no campaigns, blocs, vote trading or regional endorsements beyond the clean
slate, and voters are exchangeable. What it gives is the number of ballots, and winners that
are drawn by weight but less often won by weak candidates than a direct draw.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = ["BallotModel", "ballot"]


@dataclass(frozen=True)
class BallotModel:
    """Parameters of the stylised ballot (see the module docstring)."""

    voters: int = 193
    extra: int = 1
    clean_slate: float = 0.5
    noise: float = 1.0
    restrict_after: int = 3
    bandwagon: float = 1.0
    max_ballots: int = 1000

    def __post_init__(self) -> None:
        if self.voters < 1 or not 0 <= self.extra <= 3 or self.restrict_after < 1:
            raise ValueError("voters >= 1, 0 <= extra <= 3 and restrict_after >= 1 are needed")
        if self.bandwagon < 0:
            raise ValueError("bandwagon must be at least 0")
        if not 0 <= self.clean_slate <= 1 or not self.noise > 0:
            raise ValueError("clean_slate must be in [0, 1] and noise positive")

    @property
    def quota(self) -> int:
        """Votes needed when every voter votes: two thirds, rounded up (rule 83)."""
        return math.ceil(2 * self.voters / 3)


def ballot(
    rng: np.random.Generator,
    weights: NDArray[np.float64],
    eligible: NDArray[np.bool_],
    k: int,
    model: BallotModel,
) -> tuple[NDArray[np.intp], NDArray[np.int64]]:
    """Elect ``k`` of the eligible states in every replication by repeated ballots.

    Parameters
    ----------
    rng
        The generator to draw from.
    weights
        A weight per state of the group, shape ``(n,)``.
    eligible
        Who may stand, shape ``(replications, n)``; at least ``k`` per row.
    k
        Seats to fill.
    model
        The ballot's parameters.

    Returns
    -------
    won, ballots
        The winners' positions in the group, shape ``(replications, k)``, and the number of
        ballots held in each replication.
    """
    reps, _ = eligible.shape
    n_cand = k + model.extra
    keys = rng.standard_exponential(eligible.shape) / np.maximum(weights, 1e-300)
    keys[~eligible] = np.inf
    order = np.argsort(keys, axis=1)[:, :n_cand]
    cand = order
    standing = np.take_along_axis(keys, order, axis=1) < np.inf
    slate = rng.random(reps) < model.clean_slate
    standing[slate, k:] = False
    strength = np.maximum(weights[cand], 1e-30) ** (1.0 / model.noise)
    elected = np.zeros_like(standing)
    ballots = np.zeros(reps, dtype=np.int64)
    stalled = np.zeros(reps, dtype=np.int64)
    left = np.full(reps, k)
    active = np.flatnonzero(left > 0)
    while active.size and int(ballots[active].max()) < model.max_ballots:
        votes = _cast(rng, strength[active], standing[active], left[active], model)
        _count(votes, active, standing, elected, left, stalled, model)
        if model.bandwagon:
            # Votes drift towards the candidates who did well in the last ballot.
            share = np.maximum(votes, 0.5) / model.voters
            strength[active] *= share**model.bandwagon
            strength[active] /= strength[active].max(axis=1, keepdims=True)
        ballots[active] += 1
        active = np.flatnonzero(left > 0)
    if active.size:
        # A deadlock past max_ballots: the standing candidates with most weight take the seats.
        for r in active:
            pick = [c for c in np.argsort(-strength[r]) if standing[r, c]][: left[r]]
            elected[r, pick] = True
    return cand[elected].reshape(reps, k), ballots


def _cast(
    rng: np.random.Generator,
    strength: NDArray[np.float64],
    standing: NDArray[np.bool_],
    left: NDArray[np.int64],
    model: BallotModel,
) -> NDArray[np.int64]:
    """Votes per candidate in one ballot, shape ``(active, candidates)``.

    Ranking by ``log(w) + noise * G`` (``G`` Gumbel) draws a Plackett-Luce order with
    strengths ``w ** (1 / noise)``. Voters are exchangeable, so the number choosing each set
    of ``left`` candidates is multinomial; the set probabilities sum the orders that start
    with the set.
    """
    votes = np.zeros(standing.shape, dtype=np.int64)
    s = np.where(standing, strength, 0.0)
    for m in np.unique(left):
        rows = np.flatnonzero(left == m)
        sets, probs = _top_sets(s[rows], int(m))
        probs = np.clip(probs, 0.0, None)
        probs /= probs.sum(axis=1, keepdims=True)
        counts = rng.multinomial(model.voters, probs)
        votes[rows] = counts @ sets
    return np.where(standing, votes, 0)


def _top_sets(s: NDArray[np.float64], m: int) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """The sets of ``m`` first-ranked candidates and their probabilities, per row."""
    reps, n_cand = s.shape
    index: dict[frozenset[int], int] = {}
    probs: list[NDArray[np.float64]] = []
    for order in itertools.permutations(range(n_cand)):
        p = np.ones(reps)
        rest = s.sum(axis=1)
        for c in order[:m]:
            share = np.divide(s[:, c], rest, out=np.ones(reps), where=rest > 0)
            p *= share
            rest = rest - s[:, c]
        key = frozenset(order[:m])
        if key not in index:
            index[key] = len(probs)
            probs.append(np.zeros(reps))
        probs[index[key]] += p / math.factorial(n_cand - m)
    sets = np.zeros((len(index), n_cand), dtype=np.int64)
    for key, k in index.items():
        sets[k, list(key)] = 1
    return sets, np.stack(probs, axis=1)


def _count(
    votes: NDArray[np.int64],
    active: NDArray[np.intp],
    standing: NDArray[np.bool_],
    elected: NDArray[np.bool_],
    left: NDArray[np.int64],
    stalled: NDArray[np.int64],
    model: BallotModel,
) -> None:
    """Elect those over the quota (most votes first); withdraw the weakest after a stall."""
    st = standing[active]
    shown = np.where(st, votes, -1)
    rank = np.argsort(np.argsort(-shown, axis=1, kind="stable"), axis=1)
    m = np.minimum((st & (votes >= model.quota)).sum(axis=1), left[active])
    won = rank < m[:, None]
    elected[active] |= won
    st &= ~won
    left[active] -= m
    stall = np.where(m > 0, 0, stalled[active] + 1)
    quit_ = (stall >= model.restrict_after) & (st.sum(axis=1) > left[active])
    weakest = np.argmin(np.where(st, votes, np.iinfo(np.int64).max), axis=1)
    rows = np.flatnonzero(quit_)
    st[rows, weakest[rows]] = False
    stall[quit_] = 0
    standing[active] = st
    stalled[active] = stall
