"""The tallies a draft can end with, and what each means for the outcome and for each member.

A draft's fate under Art. 27 depends on two numbers only: the weighted yes votes ``Y`` and the
number ``B`` of veto holders blocking (:func:`councilsim.rule.blocks` says by which votes).
:class:`Grid` lists the ``(Y, B)`` states of a council, classifies each one with
:func:`councilsim.rule.classify` and :func:`councilsim.rule.wins` (the one implementation of
the rule), and derives the tables every engine reads: adopted, vetoed, vetoed by a single veto
holder, and whether a member of a given weight and veto with a given vote was decisive.

When the grid of all ``(Y, B)`` pairs is large (heavily weighted councils), values of ``Y``
and ``B`` that no table can tell apart are merged: every table compares ``Y`` only with
``q`` and ``q ± w`` for the members' weights ``w``, and ``B`` only with ``0, 1, 2`` and
``t − 1, t, t + 1`` (``q`` the quota, ``t`` the veto threshold).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import numpy as np
from numpy.typing import NDArray

from councilsim.council import Abstention, Council
from councilsim.rule import Outcome, classify, wins

MAX_FULL_STATES = 4096
"""Above this many ``(Y, B)`` pairs the grid merges indistinguishable tallies."""

Kind = tuple[int, bool]
"""A member's weight and whether it holds a veto: all that the tables depend on."""


@dataclass(frozen=True)
class Grid:
    """The ``(Y, B)`` states of a council and the tables over them (see the module docstring)."""

    quota: int
    threshold: int
    abstention: Abstention
    y_values: NDArray[np.int64]
    b_values: NDArray[np.int64]
    full: bool
    kinds: tuple[Kind, ...]
    outcome: NDArray[np.int8] = field(repr=False)

    @classmethod
    def of(cls, council: Council) -> Grid:
        """The grid of ``council`` (one per distinct council, kept for reuse: the grid and its
        tables are read-only)."""
        return _grid_of(council)

    @classmethod
    def build(cls, council: Council) -> Grid:
        """A new grid for ``council`` (see :meth:`of`)."""
        rule = council.rule
        total, vetoes = council.total_weight, council.veto_holders
        weights = sorted({int(w) for w in council.weights})
        kinds = tuple(sorted({(int(s.weight), bool(s.veto)) for s in council.seats}))
        full = (total + 1) * (vetoes + 1) <= MAX_FULL_STATES
        if full:
            ys = np.arange(total + 1, dtype=np.int64)
            bs = np.arange(vetoes + 1, dtype=np.int64)
        else:
            q, t = rule.quota, rule.veto_threshold
            ys = _breaks({0, q, *(q + w for w in weights), *(q - w for w in weights)}, total)
            bs = _breaks({0, 1, 2, t - 1, t, t + 1}, vetoes)
        y, b = (a.ravel() for a in np.meshgrid(ys, bs, indexing="ij"))
        outcome = classify(y, b, rule.quota, rule.veto_threshold)
        for table in (ys, bs, outcome):
            table.setflags(write=False)
        return cls(
            quota=rule.quota,
            threshold=rule.veto_threshold,
            abstention=rule.abstention,
            y_values=ys,
            b_values=bs,
            full=full,
            kinds=kinds,
            outcome=outcome,
        )

    @property
    def size(self) -> int:
        return int(self.y_values.size * self.b_values.size)

    @property
    def yes(self) -> NDArray[np.int64]:
        """``Y`` of each state (its smallest value when states are merged)."""
        return np.repeat(self.y_values, self.b_values.size)

    @property
    def blocking(self) -> NDArray[np.int64]:
        """``B`` of each state (its smallest value when states are merged)."""
        return np.tile(self.b_values, self.y_values.size)

    def index(self, yes: NDArray[np.generic], blocking: NDArray[np.generic]) -> NDArray[np.intp]:
        """The state of each draft from its tallies (any integer-valued arrays)."""
        if self.full:
            iy = np.asarray(yes).astype(np.intp)
            ib = np.asarray(blocking).astype(np.intp)
        else:
            iy = np.searchsorted(self.y_values, yes, side="right").astype(np.intp) - 1
            ib = np.searchsorted(self.b_values, blocking, side="right").astype(np.intp) - 1
        out: NDArray[np.intp] = iy * self.b_values.size + ib
        return out

    def adopt(self, yes: NDArray[np.int64], blocking: NDArray[np.int64]) -> NDArray[np.bool_]:
        """Whether tallies adopt a draft (:func:`councilsim.rule.wins`)."""
        return wins(yes, blocking, self.quota, self.threshold)

    @property
    def adopted(self) -> NDArray[np.bool_]:
        return np.asarray(self.outcome == Outcome.ADOPTED, dtype=np.bool_)

    @property
    def vetoed(self) -> NDArray[np.bool_]:
        return np.asarray(self.outcome == Outcome.VETOED, dtype=np.bool_)

    @property
    def vetoed_alone(self) -> NDArray[np.bool_]:
        """Vetoed with a single veto holder blocking."""
        return np.asarray(self.vetoed & (self.blocking == 1), dtype=np.bool_)

    def pivotal(self, kind: Kind) -> tuple[NDArray[np.bool_], NDArray[np.bool_], NDArray[np.bool_]]:
        """Where a member of this kind is decisive, by what it did: voted yes, blocked, other.

        The member is decisive when, the others' votes fixed, voting yes and voting no lead to
        different answers to "adopted?". Its own vote is taken out of the tallies first: a yes
        vote added ``w`` to ``Y``; a blocking vote added 1 to ``B``; any other vote (an
        abstention, absence, or a no without a veto) added nothing. Voting no adds 1 to ``B``
        for a veto holder and nothing otherwise.
        """
        w, veto = kind
        y, b = self.yes, self.blocking
        v = int(veto)
        after_yes = self.adopt(y, b) != self.adopt(y - w, b + v)
        after_block = self.adopt(y + w, b - 1) != self.adopt(y, b)
        after_other = self.adopt(y + w, b) != self.adopt(y, b + v)
        return after_yes, after_block & veto, after_other

    @cached_property
    def pivots(self) -> tuple[tuple[NDArray[np.bool_], NDArray[np.bool_], NDArray[np.bool_]], ...]:
        """:meth:`pivotal` for each of ``kinds``, in order (computed once)."""
        pivots = tuple(self.pivotal(kind) for kind in self.kinds)
        for table in (t for kind in pivots for t in kind):
            table.setflags(write=False)
        return pivots

    @cached_property
    def gains(self) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """Per kind (rows, in ``kinds`` order) and state: decisive after a yes vote minus
        decisive after another vote, and the same after a blocking vote (computed once)."""
        rows = [[p.astype(np.int64) for p in kind] for kind in self.pivots]
        after_yes = np.array([r[0] - r[2] for r in rows], dtype=np.int64).reshape(-1, self.size)
        after_block = np.array([r[1] - r[2] for r in rows], dtype=np.int64).reshape(-1, self.size)
        after_yes.setflags(write=False)
        after_block.setflags(write=False)
        return after_yes, after_block


@lru_cache(maxsize=64)
def _grid_of(council: Council) -> Grid:
    return Grid.build(council)


def _breaks(points: set[int], top: int) -> NDArray[np.int64]:
    return np.array(sorted(p for p in points if 0 <= p <= top), dtype=np.int64)
