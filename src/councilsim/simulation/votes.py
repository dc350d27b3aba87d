"""Monte Carlo from one vote per member and draft: the engine for every vote model.

A block of drafts is drawn in batches; for each batch the plan computes the tallies ``Y``
(weighted yes votes) and ``B`` (blocking veto holders), maps every draft to its state in the
:class:`~councilsim.simulation.grid.Grid` (whose outcomes come from
:func:`councilsim.rule.classify`) and adds, per member, the sums of :data:`UNIT_FIELDS`. Those
sums are products of 0/1 matrices computed as small matrix products in single precision,
which is exact for integers below 2**24 (a batch holds at most 8192 drafts).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from councilsim.council import Council
from councilsim.models.base import Sampler
from councilsim.rule import Vote, blocks
from councilsim.simulation.counts import UNIT_FIELDS, Counts, Layout, limb_moments
from councilsim.simulation.grid import Grid

_F = {name: k for k, name in enumerate(UNIT_FIELDS)}


def batch_size(members: int) -> int:
    """Drafts per batch: about 2**17 votes, a power of two in 256..8192 (fixed per council size)."""
    size = 8192
    while size > 256 and size * members > 1 << 17:
        size //= 2
    return size


@dataclass(frozen=True)
class VotesPlan:
    """Counts from per-member votes drawn by a model's :class:`~councilsim.models.Sampler`."""

    sampler: Sampler
    grid: Grid
    layout: Layout
    weights: NDArray[np.floating]
    veto_index: NDArray[np.intp]
    kind_of: NDArray[np.intp]
    yes_tables: NDArray[np.float32]
    block_tables: NDArray[np.float32]
    batch: int
    agreement: bool

    @classmethod
    def build(cls, council: Council, sampler: Sampler, *, agreement: bool = False) -> VotesPlan:
        grid = Grid.of(council)
        layout = Layout.per_member(council, grid)
        pivots = grid.pivots
        f32 = np.float32
        yes_tables = np.array(
            [np.ones(grid.size), grid.adopted]
            + [p[0].astype(f32) - p[2].astype(f32) for p in pivots],
            dtype=f32,
        )
        block_tables = np.array(
            [p[1].astype(f32) - p[2].astype(f32) for p in pivots]
            + [grid.vetoed, grid.vetoed_alone],
            dtype=f32,
        )
        exact32 = council.total_weight < 1 << 24
        return cls(
            sampler=sampler,
            grid=grid,
            layout=layout,
            weights=council.weights.astype(f32 if exact32 else np.float64),
            veto_index=np.flatnonzero(council.veto).astype(np.intp),
            kind_of=layout.unit_kind.copy(),
            yes_tables=yes_tables,
            block_tables=block_tables,
            batch=batch_size(council.size),
            agreement=agreement,
        )

    def start(self) -> Counts:
        return Counts.zero(self.grid, self.layout, self.sampler.size, self.agreement)

    def block(self, rng: np.random.Generator, n: int, acc: Counts) -> None:
        """Draw ``n`` drafts in batches and add their counts to ``acc``."""
        done = 0
        while done < n:
            k = min(self.batch, n - done)
            self.count(self.sampler.sample(rng, k), acc)
            done += k

    def finish(self, acc: Counts) -> Counts:
        return acc

    def tallies(
        self, votes: NDArray[np.int8]
    ) -> tuple[NDArray[np.float32], NDArray[np.floating], NDArray[np.float32], NDArray[np.float32]]:
        """Yes indicators, ``Y``, blocking indicators (veto holders only) and ``B``."""
        yes = (votes == Vote.YES).astype(np.float32)
        y = yes @ self.weights
        block = blocks(votes[:, self.veto_index], self.grid.abstention).astype(np.float32)
        b = block @ np.ones(self.veto_index.size, dtype=np.float32)
        return yes, y, block, b

    def count(self, votes: NDArray[np.int8], acc: Counts) -> None:
        """Add the counts of a batch of drafts (an ``(n, members)`` array of vote codes)."""
        yes, y, block, b = self.tallies(votes)
        z = self.grid.index(y, b)
        acc.states += np.bincount(z, minlength=self.grid.size)
        units = acc.units
        cy = np.rint(np.take(self.yes_tables, z, axis=1) @ yes).astype(np.int64)
        members = np.arange(yes.shape[1])
        units[_F["yes"]] += cy[0]
        units[_F["yes_adopted"]] += cy[1]
        units[_F["yes_pivot"]] += cy[2 + self.kind_of, members]
        if self.veto_index.size:
            cb = np.rint(np.take(self.block_tables, z, axis=1) @ block).astype(np.int64)
            v = self.veto_index
            units[_F["block_pivot"], v] += cb[self.kind_of[v], np.arange(v.size)]
            units[_F["vetoed"], v] += cb[-2]
            units[_F["alone"], v] += cb[-1]
        if not self.grid.full:
            s, sq = limb_moments(np.rint(y).astype(np.int64))
            acc.yes_sum += s
            acc.yes_sq += sq
        if acc.same is not None:
            for code in Vote:
                one = (votes == code).astype(np.float32)
                acc.same += np.rint(one.T @ one).astype(np.int64)
        acc.draws += int(votes.shape[0])
