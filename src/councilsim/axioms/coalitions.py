"""Axioms of the simple game a rule induces: monotone, proper, decisive, blocking.

Every seat votes yes or casts one other vote (no, by default), so a rule becomes a *simple
game*: the set of winning coalitions, those whose yes votes adopt a draft (Taylor & Zwicker
1999, ch. 1; Felsenthal & Machover 1998, ch. 2). The searches visit every coalition up to
permutations within seat classes (:mod:`councilsim.axioms.space`), and each returns the
smallest counterexample: the fewest seats involved, ties broken by class order.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import product
from typing import TypeVar

import numpy as np
from numpy.typing import NDArray

from councilsim.axioms.counterexamples import (
    Counterexample,
    DisjointWinners,
    Indecisive,
    NonMonotone,
    NotBlocking,
)
from councilsim.axioms.profiles import trusted
from councilsim.axioms.rules import DecisionRule
from councilsim.axioms.space import LIMIT, Space, space
from councilsim.rule import Vote

__all__ = ["blocking", "decisive", "lattice", "monotone", "proper"]

_C = TypeVar("_C", bound=Counterexample)
_T = TypeVar("_T", bound=np.generic)
_NONE = np.iinfo(np.int64).max // 4


def monotone(
    rule: DecisionRule, *, outside: Vote = Vote.NO, limit: int = LIMIT
) -> NonMonotone | None:
    """Monotonicity: a winning coalition stays winning when a member joins it.

    If ``S`` wins and ``S`` is a subset of ``T``, then ``T`` wins: one more yes vote never
    defeats a draft (Taylor & Zwicker 1999, ch. 1; Felsenthal & Machover 1998, ch. 2, where it
    is part of the definition of a simple voting game). It suffices to add one member at a
    time; the counterexample is a winning coalition with the fewest yes votes and the seat
    whose yes vote defeats it.
    """

    def find(r: DecisionRule) -> NonMonotone | None:
        sp, win, size = lattice(r, outside, limit)
        best: tuple[int, int, tuple[int, ...]] | None = None
        for c in range(win.ndim):
            bad = _cut(win, c, 0) & ~_cut(win, c, 1)
            if bad.any():
                point = _smallest(bad, _cut(size, c, 0))
                if best is None or size[point] < best[0]:
                    best = (int(size[point]), c, point)
        if best is None:
            return None
        _, c, point = best
        return NonMonotone(
            labels=r.labels,
            outside=outside,
            coalition=sp.seats(point, Vote.YES),
            added=r.members[c][point[c]],
        )

    return _search(rule, find, limit)


def proper(
    rule: DecisionRule, *, outside: Vote = Vote.NO, limit: int = LIMIT
) -> DisjointWinners | None:
    """Properness: no two disjoint coalitions both win.

    Otherwise the council could adopt a draft and, with other members, its contrary (Taylor &
    Zwicker 1999, ch. 1, proper games; Felsenthal & Machover 1998, ch. 2). A weighted rule
    without veto whose quota is at most half the total weight is improper. The counterexample
    is the pair with the fewest yes votes in total.
    """

    def find(r: DecisionRule) -> DisjointWinners | None:
        sp, win, size = lattice(r, outside, limit)
        within = _within(win, size)
        total = np.where(win, size + _flip(within), _NONE)
        first = _argmin(total)
        if total[first] >= _NONE:
            return None
        room = tuple(len(m) - k for m, k in zip(r.members, first, strict=True))
        second = _smallest_within(win, size, room)
        return DisjointWinners(
            labels=r.labels,
            outside=outside,
            first=sp.seats(first, Vote.YES),
            second=_last(r, second),
        )

    return _search(rule, find, limit)


def decisive(
    rule: DecisionRule, *, outside: Vote = Vote.NO, limit: int = LIMIT
) -> Indecisive | None:
    """Decisiveness (strongness): of every coalition and its complement, one wins.

    For every ``S``, ``S`` or ``N - S`` wins, so no division of the council leaves it unable to
    act (Taylor & Zwicker 1999, ch. 1, strong games; Felsenthal & Machover 1998, ch. 2,
    decisive games). A proper and decisive game is a constant-sum game. The
    Security Council is not decisive: 8 yes votes against 7 adopt nothing. The counterexample is
    the smaller side of the division.
    """

    def find(r: DecisionRule) -> Indecisive | None:
        sp, win, size = lattice(r, outside, limit)
        bad = ~win & ~_flip(win)
        if not bad.any():
            return None
        point = _smallest(bad, size)
        return Indecisive(labels=r.labels, outside=outside, coalition=sp.seats(point, Vote.YES))

    return _search(rule, find, limit)


def blocking(
    rule: DecisionRule, *, outside: Vote = Vote.NO, limit: int = LIMIT
) -> NotBlocking | None:
    """The blocking property of veto holders: any ``veto_threshold`` of them block together.

    Every set ``B`` of as many veto holders as the rule's threshold is a blocking coalition: no
    coalition without a member of ``B`` wins (Felsenthal & Machover 1998, ch. 2,
    blocking coalitions and blockers; Taylor & Zwicker 1999, ch. 1, vetoers). With
    threshold 1 every veto holder is a blocker, as under Art. 27(3); a double veto asks it of
    every pair. The counterexample is the smallest winning coalition avoiding such a set.
    """

    def find(r: DecisionRule) -> NotBlocking | None:
        sp, win, size = lattice(r, outside, limit)
        sizes = [len(m) for m in r.members]
        holders = [m if r.veto[r.members[c][0]] else 0 for c, m in enumerate(sizes)]
        if not 1 <= r.veto_threshold <= sum(holders):
            return None
        within = _within(win, size)
        best: tuple[int, tuple[int, ...]] | None = None
        for b in product(*(range(h + 1) for h in holders)):
            if sum(b) == r.veto_threshold:
                room = tuple(m - k for m, k in zip(sizes, b, strict=True))
                if within[room] < _NONE and (best is None or within[room] < best[0]):
                    best = (int(within[room]), b)
        if best is None:
            return None
        room = tuple(m - k for m, k in zip(sizes, best[1], strict=True))
        winners = _smallest_within(win, size, room)
        return NotBlocking(
            labels=r.labels,
            outside=outside,
            blockers=_last(r, best[1]),
            winners=sp.seats(winners, Vote.YES),
        )

    return _search(rule, find, limit)


def lattice(
    rule: DecisionRule, outside: Vote = Vote.NO, limit: int = LIMIT
) -> tuple[Space, NDArray[np.bool_], NDArray[np.int64]]:
    """The coalition lattice of a rule: its space, who wins, and the size of each coalition."""
    if outside == Vote.YES:
        raise ValueError("the outside vote must differ from yes")
    sp = space(rule, (Vote.YES, outside), limit)
    return sp, sp.outcomes, sp.count(Vote.YES)


def _search(rule: DecisionRule, find: Callable[[DecisionRule], _C | None], limit: int) -> _C | None:
    """Search by class if the rule is anonymous within its classes; recheck on the rule itself."""
    r = trusted(rule, limit)
    found = find(r)
    if found is None or found.verify(rule) or len(r.members) == r.size:
        return found
    return find(rule.individual())


def _cut(a: NDArray[_T], axis: int, start: int) -> NDArray[_T]:
    """``a`` without its last (start 0) or first (start 1) entry along ``axis``."""
    index = [slice(None)] * a.ndim
    index[axis] = slice(start, a.shape[axis] - 1 + start)
    return a[tuple(index)]


def _flip(a: NDArray[_T]) -> NDArray[_T]:
    """Indexed by a coalition, the entry of its complement (every count ``s`` becomes ``m - s``)."""
    return a[(slice(None, None, -1),) * a.ndim]


def _within(win: NDArray[np.bool_], size: NDArray[np.int64]) -> NDArray[np.int64]:
    """Per point ``u``, the size of the smallest winning coalition with counts at most ``u``."""
    best = np.where(win, size, _NONE)
    for axis in range(best.ndim):
        best = np.minimum.accumulate(best, axis=axis)
    return best


def _smallest_within(
    win: NDArray[np.bool_], size: NDArray[np.int64], room: tuple[int, ...]
) -> tuple[int, ...]:
    box = tuple(slice(0, k + 1) for k in room)
    return _smallest(win[box], size[box])


def _last(rule: DecisionRule, counts: tuple[int, ...]) -> tuple[int, ...]:
    """The last ``counts[c]`` seats of each class, disjoint from the representative coalitions."""
    seats = [s for m, k in zip(rule.members, counts, strict=True) for s in m[len(m) - k :]]
    return tuple(sorted(seats))


def _argmin(values: NDArray[np.int64]) -> tuple[int, ...]:
    return tuple(int(i) for i in np.unravel_index(int(np.argmin(values)), values.shape))


def _smallest(mask: NDArray[np.bool_], size: NDArray[np.int64]) -> tuple[int, ...]:
    """The point of ``mask`` of least size; of equal sizes, the one filling earlier classes."""
    later = np.arange(mask.size, dtype=np.int64)[::-1].reshape(mask.shape)
    return _argmin(np.where(mask, size * mask.size + later, _NONE))
