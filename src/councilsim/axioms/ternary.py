"""Axioms of ternary rules: monotonicity in the order no < abstain < yes.

A ternary rule (yes, abstain or no from every member; see :mod:`councilsim.power.ternary`) is
*monotone* when raising one member's vote by one level -- no to abstain, or abstain to yes --
never turns an adopted draft into a failed one (Felsenthal & Machover 1997, "Ternary voting
games", *Int. J. Game Theory* 26:335-351, where monotonicity is part of the definition of a
ternary voting game; Freixas & Zwicker 2003 for (j,k) games). Art. 27 under either reading of
abstention is monotone; a rule that counted abstentions against a draft more heavily than no
votes would not be.

:func:`ternary_monotone` returns the smallest violation it finds, or ``None``. It runs the rule
itself (:meth:`~councilsim.axioms.DecisionRule.adopted`, for a council
:func:`councilsim.rule.decide`) on every profile of levels: up to permutations within seat
classes when the rule was built from a council or a weighted game (its seats of a class are
interchangeable), else seat by seat.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from math import comb, prod
from typing import Any

import numpy as np
from numpy.typing import NDArray

from councilsim.axioms.counterexamples import Counterexample
from councilsim.axioms.registry import Verdict
from councilsim.axioms.rules import DecisionRule
from councilsim.axioms.space import LIMIT, SearchTooLarge
from councilsim.power.ternary import LEVELS, VOTE_OF_LEVEL

__all__ = ["TITLE", "TernaryNonMonotone", "ternary_monotone"]

TITLE = "monotonicity in the order no < abstain < yes"


@dataclass(frozen=True, kw_only=True)
class TernaryNonMonotone(Counterexample):
    """The profile ``levels`` (0 no, 1 abstain, 2 yes per seat) adopts a draft, but raising the
    vote of seat ``raised`` by one level makes it fail."""

    axiom: str = field(default="ternary_monotone", init=False)
    levels: tuple[int, ...]
    raised: int

    @property
    def size(self) -> int:
        return sum(1 for v in self.levels if v > 0)

    def describe(self) -> str:
        parts = [
            f"{LEVELS[v]}: {', '.join(self.names(self._at(v)))}" for v in (2, 1) if self._at(v)
        ]
        old = LEVELS[self.levels[self.raised]]
        new = LEVELS[self.levels[self.raised] + 1]
        votes = f"{'; '.join(parts)} (the others no)" if parts else "every seat voting no"
        return (
            f"a draft is adopted with {votes}, but fails when {self.labels[self.raised]} "
            f"changes its vote from {old} to {new}"
        )

    def _at(self, level: int) -> list[int]:
        return [i for i, v in enumerate(self.levels) if v == level]

    def verify(self, rule: DecisionRule) -> bool:
        low = np.array(self.levels, dtype=np.intp)
        high = low.copy()
        high[self.raised] += 1
        out = rule.adopted(VOTE_OF_LEVEL[np.stack([low, high])])
        return bool(out[0] and not out[1])

    def _fields(self) -> dict[str, Any]:
        return {
            "votes": {self.labels[i]: LEVELS[v] for i, v in enumerate(self.levels)},
            "raised": self.labels[self.raised],
        }


def ternary_monotone(rule: DecisionRule, *, limit: int = LIMIT) -> TernaryNonMonotone | None:
    """Monotonicity in the order no < abstain < yes: raising one vote by one level never turns
    an adopted draft into a failed one (Felsenthal & Machover 1997).

    Every profile of the three levels is decided by the rule, up to permutations within seat
    classes when the rule comes from a council or a weighted game; the counterexample has the
    fewest seats not voting no. Raises :class:`~councilsim.axioms.SearchTooLarge` past
    ``limit`` profiles.
    """
    classes = _classes(rule)
    sizes = [classes.count(c) for c in sorted(set(classes))]
    count = prod(comb(m + 2, 2) for m in sizes)
    if count > limit:
        raise SearchTooLarge(f"{count} profiles of three levels, more than --limit {limit}")
    profiles = _profiles(classes, sizes)
    adopted = rule.adopted(VOTE_OF_LEVEL[profiles])
    best: TernaryNonMonotone | None = None
    for seat in _class_leaders(classes):
        for level in (0, 1):
            # raise the *last* seat of the class at this level (profiles are sorted per class)
            members = [i for i, c in enumerate(classes) if c == classes[seat]]
            rows = np.nonzero((profiles[:, members] == level).any(axis=1) & adopted)[0]
            if not rows.size:
                continue
            raised_seat = _last_at(profiles[rows], classes, seat, level)
            high = profiles[rows].copy()
            high[np.arange(len(rows)), raised_seat] += 1
            fails = ~rule.adopted(VOTE_OF_LEVEL[high])
            for r in np.nonzero(fails)[0]:
                found = TernaryNonMonotone(
                    labels=rule.labels,
                    levels=tuple(int(v) for v in profiles[rows[r]]),
                    raised=int(raised_seat[r]),
                )
                if best is None or found.size < best.size:
                    best = found
    return best


def _classes(rule: DecisionRule) -> list[int]:
    if rule.council is not None or rule.game is not None:
        return list(rule.classes)
    return list(range(rule.size))


def _class_leaders(classes: list[int]) -> list[int]:
    """The first seat of every class."""
    return [classes.index(c) for c in sorted(set(classes))]


def _profiles(classes: list[int], sizes: list[int]) -> NDArray[np.intp]:
    """One profile per count vector: within a class, seats vote yes first, then abstain, then
    no (levels non-increasing in seat order)."""
    per_class = [
        np.array(
            [
                (2,) * y + (1,) * a + (0,) * (m - y - a)
                for y in range(m + 1)
                for a in range(m - y + 1)
            ],
            dtype=np.intp,
        ).reshape(-1, m)
        for m in sizes
    ]
    seats = [[i for i, c in enumerate(classes) if c == k] for k in sorted(set(classes))]
    index = np.indices([len(p) for p in per_class]).reshape(len(per_class), -1)
    out = np.zeros((index.shape[1], len(classes)), dtype=np.intp)
    for k, (members, levels) in enumerate(zip(seats, per_class, strict=True)):
        out[:, members] = levels[index[k]]
    return out


def _last_at(
    rows: NDArray[np.intp], classes: list[int], leader: int, level: int
) -> NDArray[np.intp]:
    """For each profile, the last seat of ``leader``'s class voting ``level``."""
    members = np.array([i for i, c in enumerate(classes) if c == classes[leader]])
    at = rows[:, members] == level
    last = at.shape[1] - 1 - np.argmax(at[:, ::-1], axis=1)
    return np.asarray(members[last])


def ternary_verdicts(rule: DecisionRule, limit: int = LIMIT) -> list[Verdict]:
    """The verdict of :func:`~councilsim.axioms.ternary.ternary_monotone` on a rule."""
    method = "by class" if rule.council is not None or rule.game is not None else "exhaustive"
    try:
        found = ternary_monotone(rule, limit=limit)
    except SearchTooLarge as err:
        return [Verdict("ternary_monotone", None, None, "too large", str(err))]
    return [Verdict("ternary_monotone", found is None, found, method)]
