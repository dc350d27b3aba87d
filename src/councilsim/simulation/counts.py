"""Integer counts that Monte Carlo blocks add up, and the estimates made from them.

All counts are integers, so adding the counts of blocks gives the same totals in any order:
this is what makes a simulation's results independent of how its blocks are grouped into
chunks and spread over processes.

Members are counted by *units*: a unit is one member, or (in the fast path for independent
votes) a group of interchangeable members whose counts are pooled. A member's estimate is its
unit's count divided by the unit's size and the number of draws.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from councilsim.council import Council
from councilsim.simulation.grid import Grid
from councilsim.simulation.result import Estimate, MemberResult, SimulationResult

UNIT_FIELDS = ("yes", "yes_adopted", "yes_pivot", "block_pivot", "vetoed", "alone")
"""Per-unit sums over drafts and the unit's members of: a yes vote; a yes vote on an adopted
draft; a yes vote times (decisive after yes − decisive after another vote); a blocking vote
times (decisive after blocking − decisive after another vote); a blocking vote on a vetoed
draft; a blocking vote on a draft vetoed by one veto holder alone."""


@dataclass(frozen=True)
class Layout:
    """How members map to units, and each unit's size and kind (an index into ``Grid.kinds``)."""

    member_unit: NDArray[np.intp]
    unit_size: NDArray[np.int64]
    unit_kind: NDArray[np.intp]

    @classmethod
    def per_member(cls, council: Council, grid: Grid) -> Layout:
        kinds = [grid.kinds.index((int(s.weight), bool(s.veto))) for s in council.seats]
        m = council.size
        return cls(
            np.arange(m, dtype=np.intp), np.ones(m, dtype=np.int64), np.array(kinds, dtype=np.intp)
        )

    @property
    def units(self) -> int:
        return int(self.unit_size.size)


@dataclass
class Counts:
    """Sums over the drafts of a simulation (or part of one).

    ``states`` counts drafts by tally state (see :class:`~councilsim.simulation.grid.Grid`);
    ``yes_sum`` and ``yes_sq`` are the exact sums of ``Y`` and ``Y²`` (kept only where the grid
    merges states); ``units`` holds the per-unit sums of :data:`UNIT_FIELDS`; ``same``
    counts, per pair of members, the drafts on which both cast the same vote.
    """

    draws: int
    states: NDArray[np.int64]
    units: NDArray[np.int64]
    yes_sum: int = 0
    yes_sq: int = 0
    same: NDArray[np.int64] | None = field(default=None)

    @classmethod
    def zero(cls, grid: Grid, layout: Layout, members: int, agreement: bool) -> Counts:
        return cls(
            draws=0,
            states=np.zeros(grid.size, dtype=np.int64),
            units=np.zeros((len(UNIT_FIELDS), layout.units), dtype=np.int64),
            same=np.zeros((members, members), dtype=np.int64) if agreement else None,
        )

    def add(self, other: Counts) -> None:
        self.draws += other.draws
        self.states += other.states
        self.units += other.units
        self.yes_sum += other.yes_sum
        self.yes_sq += other.yes_sq
        if self.same is not None and other.same is not None:
            self.same += other.same


def exact_moments(
    values: NDArray[np.int64], counts: NDArray[np.int64] | None = None
) -> tuple[int, int]:
    """``Σ c·v`` and ``Σ c·v²`` in exact integer arithmetic (weights ``c`` default to 1)."""
    v = values.astype(object)
    c = np.ones(v.shape, dtype=object) if counts is None else counts.astype(object)
    return int(np.dot(c, v)), int(np.dot(c, v * v))


def limb_moments(values: NDArray[np.int64]) -> tuple[int, int]:
    """``Σ v`` and ``Σ v²`` exactly: in 64-bit pieces for up to 2**16 values below 2**31, else
    by distinct values in Python integers."""
    if values.size > 1 << 16 or (values.size and int(values.max()) >= 1 << 31):
        distinct, counts = np.unique(values, return_counts=True)
        return exact_moments(distinct, counts)
    hi, lo = values >> 16, values & 0xFFFF
    total = int(values.sum())
    sq = (int((hi * hi).sum()) << 32) + (int((hi * lo).sum()) << 17) + int((lo * lo).sum())
    return total, sq


def finalise(
    council: Council,
    grid: Grid,
    layout: Layout,
    counts: Counts,
    *,
    model: str,
    params: dict[str, Any],
    seed: int,
) -> SimulationResult:
    """Estimates with 95 % intervals from the counts of a whole simulation."""
    n = counts.draws
    states = counts.states
    adopted = int(states[grid.adopted].sum())
    vetoed = int(states[grid.vetoed].sum())
    if grid.full:
        yes_sum, yes_sq = exact_moments(grid.yes, states)
    else:
        yes_sum, yes_sq = counts.yes_sum, counts.yes_sq
    other_pivot = [int(states[after_other].sum()) for _, _, after_other in grid.pivots]
    u = dict(zip(UNIT_FIELDS, counts.units, strict=True))
    members = []
    for i, seat in enumerate(council.seats):
        k = int(layout.member_unit[i])
        size = int(layout.unit_size[k])
        yes = int(u["yes"][k])
        satisfied = 2 * int(u["yes_adopted"][k]) - yes + size * (n - adopted)
        pivot = size * other_pivot[int(layout.unit_kind[k])] + int(u["yes_pivot"][k])
        pivot += int(u["block_pivot"][k])

        def share(total: int, size: int = size) -> Estimate:
            return Estimate.wilson(total / size, n)

        members.append(
            MemberResult(
                member=seat.label,
                seat_class=seat.seat_class,
                yes=share(yes),
                decisiveness=share(pivot),
                satisfaction=share(satisfied),
                vetoes=share(int(u["vetoed"][k])) if seat.veto else None,
                vetoes_alone=share(int(u["alone"][k])) if seat.veto else None,
            )
        )
    agreement = None
    if counts.same is not None:
        agreement = counts.same / float(n)
    return SimulationResult(
        model=model,
        params=params,
        exact=False,
        draws=n,
        seed=seed,
        adopted=Estimate.wilson(adopted, n),
        vetoed=Estimate.wilson(vetoed, n),
        failed=Estimate.wilson(n - adopted - vetoed, n),
        mean_yes=Estimate.mean(yes_sum, yes_sq, n),
        members=tuple(members),
        agreement=agreement,
    )
