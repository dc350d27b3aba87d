"""Candidate models: how likely each member state is to win a seat of its group.

A model is a weight per state. At an election the winners are drawn from the eligible states
of the group with probability proportional to weight, without replacement (successive draws,
as in a Plackett-Luce model). Four models are built in:

``record`` (the default)
    Weights from each state's seat-years 1946-2025 plus a prior fitted to the record, shipped
    with the package (:mod:`councilsim.elections.record`, ``docs/candidates.md``).
``uniform``
    Every state of a group weighs the same.
``weights`` (a CSV file)
    ``iso3,weight`` columns, e.g. population or budget contributions. States missing from the
    file, or with weight 0, are elected only when no state of positive weight is eligible.
``history``
    Weights learnt from a membership-by-year file: each state's seat-years in elected seats
    (from ``since`` on, by default 1966, the first year of today's Council) plus a prior of
    ``prior`` seat-years, so that states that never served keep a small chance.

:func:`candidate_model` chooses one by the name a user gives (:data:`CANDIDATE_MODELS`, or
the path of a weights file), as ``councilsim elect --candidates`` does.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from os import PathLike
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from councilsim.elections.membership import Membership, read_membership
from councilsim.elections.record import record_weights
from councilsim.errors import ScenarioError
from councilsim.limits import MAX_DATA_BYTES
from councilsim.states import all_states, lookup, member_states
from councilsim.validate import read_csv

__all__ = [
    "CANDIDATE_MODELS",
    "Candidates",
    "candidate_model",
    "candidates_from_csv",
    "history_candidates",
    "uniform_candidates",
]

CANDIDATE_MODELS = {
    "record": "weights from past service 1946-2025, shipped (the default; docs/candidates.md)",
    "uniform": "every state of a group weighs the same",
    "history": "weights from past service (needs a membership-by-year file)",
}
"""The candidate models chosen by name, with what each means; any other name is the path of
an ``iso3,weight`` CSV file."""


@dataclass(frozen=True)
class Candidates:
    """A weight for every state of :func:`councilsim.states.all_states` (former ones: 0).

    ``weights[i]`` belongs to ``all_states()[i]``; only current members stand for election.
    """

    name: str
    weights: NDArray[np.float64]

    def weight(self, iso3: str) -> float:
        """The weight of one state (0 for an unknown code)."""
        codes = [s.iso3 for s in all_states()]
        code = iso3.strip().upper()
        return float(self.weights[codes.index(code)]) if code in codes else 0.0


def _current_mask() -> NDArray[np.bool_]:
    current = {s.iso3 for s in member_states()}
    return np.array([s.iso3 in current for s in all_states()], dtype=bool)


def uniform_candidates() -> Candidates:
    """Every current member state weighs 1."""
    return Candidates("uniform", _current_mask().astype(np.float64))


def candidates_from_csv(path: str | PathLike[str]) -> Candidates:
    """Weights from a CSV file with columns ``iso3`` and ``weight`` (other columns ignored).

    Raises
    ------
    ScenarioError
        For a missing file or column, an unknown code, a weight that is not a finite number
        of at least 0, a code given twice, or a file whose weights are all 0.
    """
    name = str(path)
    rows = read_csv(
        path,
        name,
        required=("iso3", "weight"),
        limit=MAX_DATA_BYTES,
        what="a candidates file",
    )
    codes = [s.iso3 for s in all_states()]
    weights = np.zeros(len(codes))
    seen: set[str] = set()
    for row in rows:
        code = row.text("iso3").upper()
        state = lookup(code)
        if state is None:
            raise row.error(
                "iso3",
                f"{code[:40]!r} is not a UN member state",
                "use ISO 3166 alpha-3 codes (councilsim states lists them)",
            )
        if code in seen:
            raise row.error("iso3", f"{code} is given twice", "give each state once")
        seen.add(code)
        weights[codes.index(state.iso3)] = row.number("weight", low=0.0)
    weights *= _current_mask()
    if not weights.any():
        raise ScenarioError("every weight is 0", file=name, fix="give positive weights")
    return Candidates(Path(path).name, weights)


def history_candidates(
    membership: Membership | str | PathLike[str],
    *,
    since: int = 1966,
    until: int | None = None,
    prior: float = 0.5,
) -> Candidates:
    """Weights from each state's past service: elected seat-years in ``since..until`` + prior.

    Parameters
    ----------
    membership
        A :class:`Membership` or the path of a membership-by-year file.
    since, until
        The years counted (``until``: by default the file's last year).
    prior
        Seat-years added to every current member, so that no state has weight 0.
    """
    if not isinstance(membership, Membership):
        membership = read_membership(membership)
    if prior < 0 or not math.isfinite(prior):
        raise ScenarioError(f"prior {prior} must be a number >= 0", key="prior")
    last = membership.last if until is None else until
    codes = [s.iso3 for s in all_states()]
    weights = np.zeros(len(codes))
    for year in range(since, last + 1):
        for code in membership.elected(year):
            if code in codes:
                weights[codes.index(code)] += 1
    weights = (weights + prior) * _current_mask()
    return Candidates("history", weights)


def candidate_model(name: str, membership: Membership | None = None) -> Candidates:
    """The candidate model called ``name``: ``record``, ``uniform``, ``history`` or a path.

    ``history`` learns from ``membership`` (:func:`history_candidates`); without one it is a
    :class:`~councilsim.errors.ScenarioError` naming ``--candidates``.

    >>> candidate_model("uniform").name
    'uniform'
    """
    if name == "record":
        return Candidates("record", record_weights())
    if name == "uniform":
        return uniform_candidates()
    if name == "history":
        if membership is None:
            raise ScenarioError(
                "the history model needs a membership file",
                key="--candidates",
                fix="add --membership FILE (columns year,iso3,seat)",
            )
        return history_candidates(membership)
    return candidates_from_csv(name)
