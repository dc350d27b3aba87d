"""Vote profiles up to permutations within seat classes, enumerated class by class.

When the seats of a class are interchangeable, a profile is known up to symmetry by how many
seats of each class cast each vote: one *composition* of the class size per class. The space of
a rule over a set of vote codes is the product of these compositions, an array of shape
``(K_1, ..., K_k)`` where ``K_c = C(m_c + a - 1, a - 1)`` for ``a`` codes and ``m_c`` seats.

With the two codes yes and no, composition ``s`` of a class is "the first ``s`` seats vote yes",
so the space is the lattice of count vectors of Shapley & Shubik (1954) and of Felsenthal &
Machover (1998): a coalition of ``s_c`` seats of each class, ``prod (m_c + 1)``
points: 672 for a 26-seat council in classes of 5, 6 and 15 seats.

Each class's profiles are laid out in code order: the first seats cast the lowest code (yes), the
next ones the next code, and so on. The rule is evaluated once on one representative profile
per point, in chunks, and the outcome array is cached on the rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from math import comb, prod

import numpy as np
from numpy.typing import NDArray

from councilsim.axioms.rules import DecisionRule
from councilsim.limits import SEARCH_LIMIT as LIMIT
from councilsim.rule import Vote

__all__ = ["LIMIT", "SearchTooLarge", "Space", "along", "space"]


_CHUNK_CELLS = 1 << 21


class SearchTooLarge(ValueError):
    """An exhaustive search would visit more profiles than the limit allows."""


@dataclass(frozen=True, eq=False)
class Space:
    """All profiles over ``codes`` up to permutations within the classes of ``rule``."""

    rule: DecisionRule
    codes: tuple[Vote, ...]
    blocks: tuple[NDArray[np.int8], ...]
    """Per class, shape ``(K_c, m_c)``: the votes of the class's seats in each composition."""
    tallies: tuple[NDArray[np.int64], ...]
    """Per class, shape ``(K_c, a)``: how many seats cast each code in each composition."""

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(b.shape[0] for b in self.blocks)

    @property
    def size(self) -> int:
        return prod(self.shape)

    @cached_property
    def outcomes(self) -> NDArray[np.bool_]:
        """Whether the rule adopts the representative profile of every point."""
        n, total = self.rule.size, self.size
        out = np.empty(total, dtype=np.bool_)
        chunk = max(1, _CHUNK_CELLS // n)
        for start in range(0, total, chunk):
            stop = min(total, start + chunk)
            index = np.unravel_index(np.arange(start, stop), self.shape)
            votes = np.empty((stop - start, n), dtype=np.int8)
            for c, seats in enumerate(self.rule.members):
                votes[:, list(seats)] = self.blocks[c][index[c]]
            out[start:stop] = self.rule.adopted(votes)
        return out.reshape(self.shape)

    def count(self, code: Vote, classes: set[int] | None = None) -> NDArray[np.int64]:
        """How many seats (of ``classes``, default all) cast ``code`` at every point."""
        total = np.zeros(self.shape, dtype=np.int64)
        if code not in self.codes:
            return total
        k = self.codes.index(code)
        for c, tally in enumerate(self.tallies):
            if classes is None or c in classes:
                total = total + along(tally[:, k], c, len(self.shape))
        return total

    def key(self) -> NDArray[np.int64]:
        """A size per point ordering counterexamples: fewest yes, then no, then abstain votes."""
        base = self.rule.size + 1
        out = self.count(Vote.YES) * base
        out = (out + self.count(Vote.NO)) * base
        return out + self.count(Vote.ABSTAIN)

    def profile(self, point: tuple[int, ...]) -> NDArray[np.int8]:
        """The representative profile of one point."""
        votes = np.empty(self.rule.size, dtype=np.int8)
        for c, seats in enumerate(self.rule.members):
            votes[list(seats)] = self.blocks[c][point[c]]
        return votes

    def seats(self, point: tuple[int, ...], code: Vote) -> tuple[int, ...]:
        """The seats casting ``code`` in the representative profile of ``point``."""
        return tuple(int(i) for i in np.flatnonzero(self.profile(point) == code))


def along(vector: NDArray[np.int64], axis: int, ndim: int) -> NDArray[np.int64]:
    """``vector`` shaped to broadcast along ``axis`` of an ``ndim``-dimensional array."""
    shape = [1] * ndim
    shape[axis] = vector.shape[0]
    return vector.reshape(shape)


def compositions(m: int, parts: int) -> NDArray[np.int64]:
    """Every way to write ``m`` as ``parts`` non-negative counts, in lexicographic order."""
    if parts == 1:
        return np.array([[m]], dtype=np.int64)
    rows = []
    for first in range(m + 1):
        rest = compositions(m - first, parts - 1)
        rows.append(np.column_stack([np.full(len(rest), first, dtype=np.int64), rest]))
    return np.concatenate(rows)


def space(rule: DecisionRule, codes: tuple[Vote, ...], limit: int) -> Space:
    """The (cached) space of ``rule`` over ``codes``; :class:`SearchTooLarge` beyond ``limit``."""
    codes = tuple(sorted(set(codes)))
    key = f"space:{','.join(str(int(c)) for c in codes)}"
    cached = rule.cache.get(key)
    if isinstance(cached, Space):
        return cached
    sizes = [len(m) for m in rule.members]
    points = prod(comb(m + len(codes) - 1, len(codes) - 1) for m in sizes)
    if points > limit:
        raise SearchTooLarge(
            f"{points} profiles over {len(codes)} votes for {rule.size} seats in "
            f"{len(sizes)} classes exceed the search limit of {limit}"
        )
    tallies = tuple(compositions(m, len(codes)) for m in sizes)
    values = np.array([int(c) for c in codes], dtype=np.int8)
    blocks = tuple(_layout(values, t) for t in tallies)
    out = Space(rule, codes, blocks, tallies)
    rule.cache[key] = out
    return out


def _layout(values: NDArray[np.int8], tally: NDArray[np.int64]) -> NDArray[np.int8]:
    """Per composition, the seats' votes: ``tally[k, j]`` seats cast code ``j``, in code order."""
    m = int(tally[0].sum())
    edges = np.cumsum(tally, axis=1)
    rank = np.arange(m)
    which = (rank[None, :, None] >= edges[:, None, :]).sum(axis=2)
    out: NDArray[np.int8] = values[which]
    return out
