"""Composite games: several weighted games over the same players, joined by AND or OR.

A Charter amendment is such a game (Arts. 108 and 109): it passes when two thirds of the
General Assembly vote for it *and* two thirds of the members ratify it, the five permanent
members among them. Each component is a :class:`~councilsim.games.WeightedGame` (possibly with
vetoes) over the same ``n`` players, and a coalition wins the composite game iff it wins all
components (``"and"``) or any of them (``"or"``), each decided by :func:`councilsim.rule.wins`.

Exact a-priori measures (every coalition of yes voters equally likely, Felsenthal & Machover
1998, ch. 3) are counted class by class: players with the same weight and veto in every
component are interchangeable, so the count runs over vectors ``(k_1, ..., k_T)`` of how many
of each class vote yes, ``prod (n_t + 1)`` of them, each standing for
``prod C(n_t, k_t)`` coalitions. The 193 member states in the amendment game fall into two
classes (the permanent members and the rest): 1,134 vectors. :func:`brute_counts` counts all
``2**n`` coalitions and is the test oracle.

>>> from councilsim.games import WeightedGame
>>> ga = WeightedGame((1,) * 5, 4)
>>> ratify = WeightedGame((1,) * 5, 4, veto=(True,) + (False,) * 4)
>>> game = CompositeGame((ga, ratify))
>>> p = composite_power(game)
>>> p.passage, p.classes, p.swings
(Fraction(5, 32), (('w1', 'w1v'), ('w1', 'w1')), (5, 3))
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from councilsim.errors import ScenarioError
from councilsim.games import WeightedGame, class_id
from councilsim.power.brute import membership, winning_table
from councilsim.rule import wins

__all__ = [
    "MAX_BRUTE_PLAYERS",
    "MAX_CLASS_VECTORS",
    "CompositeGame",
    "CompositePower",
    "Join",
    "brute_counts",
    "composite_power",
]

Join = Literal["and", "or"]

MAX_CLASS_VECTORS = 2_000_000
"""The most count vectors :func:`composite_power` enumerates (``prod (n_t + 1)``)."""

MAX_BRUTE_PLAYERS = 20
"""The largest game :func:`brute_counts` enumerates (``2**n`` coalitions)."""


@dataclass(frozen=True)
class CompositeGame:
    """Weighted games over the same players joined by AND or OR.

    Parameters
    ----------
    components
        The component games, each with one weight per player (same number of players).
    join
        ``"and"``: a coalition must win every component; ``"or"``: any one.
    labels
        A label per component (empty: ``C1..Cm``).
    names
        A name per player (empty: the first component's names).
    """

    components: tuple[WeightedGame, ...]
    join: Join = "and"
    labels: tuple[str, ...] = ()
    names: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.components:
            raise ScenarioError("a composite game needs at least one component")
        n = self.components[0].size
        if any(c.size != n for c in self.components):
            sizes = ", ".join(str(c.size) for c in self.components)
            raise ScenarioError(f"components must have the same players; sizes are {sizes}")
        if self.join not in ("and", "or"):
            raise ScenarioError(f"join {self.join!r} is not 'and' or 'or'")
        labels = self.labels or tuple(f"C{k + 1}" for k in range(len(self.components)))
        names = self.names or self.components[0].names
        if len(labels) != len(self.components) or len(names) != n:
            raise ScenarioError("one label per component and one name per player are needed")
        object.__setattr__(self, "labels", tuple(labels))
        object.__setattr__(self, "names", tuple(names))

    @property
    def size(self) -> int:
        return self.components[0].size

    def wins(self, members: set[int] | frozenset[int]) -> bool:
        """Whether the coalition of the given player indices wins the composite game."""
        results = (c.wins(members) for c in self.components)
        return all(results) if self.join == "and" else any(results)

    def player_class(self, i: int) -> tuple[str, ...]:
        """Player ``i``'s class: its :func:`~councilsim.games.class_id` in each component."""
        return tuple(class_id(c.weights[i], c.veto[i]) for c in self.components)


@dataclass(frozen=True)
class CompositePower:
    """Exact a-priori counts and measures of a composite game, by class of players.

    ``classes`` lists each class (its id in every component), ``sizes`` how many players are in
    it and ``swings`` the swings of one player of the class (coalitions that win with it and
    lose without it). ``winning`` counts winning coalitions out of ``2**n``.
    """

    players: int
    classes: tuple[tuple[str, ...], ...]
    sizes: tuple[int, ...]
    swings: tuple[int, ...]
    winning: int

    @property
    def passage(self) -> Fraction:
        """The probability of passage under the impartial model: winning / 2**n."""
        return Fraction(self.winning, 2**self.players)

    @property
    def total_swings(self) -> int:
        return sum(s * m for s, m in zip(self.swings, self.sizes, strict=True))

    def banzhaf_absolute(self) -> tuple[Fraction, ...]:
        """Penrose's measure per class: swings / 2**(n-1)."""
        return tuple(Fraction(s, 2 ** (self.players - 1)) for s in self.swings)

    def banzhaf(self) -> tuple[Fraction, ...]:
        """The normalised Banzhaf index per class (one player's share of all swings)."""
        total = self.total_swings
        return tuple(Fraction(s, total) if total else Fraction(0) for s in self.swings)

    def coleman_prevent(self) -> tuple[Fraction, ...]:
        """Coleman's power to prevent action per class: swings / winning coalitions."""
        w = self.winning
        return tuple(Fraction(s, w) if w else Fraction(0) for s in self.swings)

    def coleman_initiate(self) -> tuple[Fraction, ...]:
        """Coleman's power to initiate action per class: swings / losing coalitions."""
        losing = 2**self.players - self.winning
        return tuple(Fraction(s, losing) if losing else Fraction(0) for s in self.swings)

    def per_player(self, game: CompositeGame) -> tuple[int, ...]:
        """The swings of every player of ``game``, in player order."""
        swings = dict(zip(self.classes, self.swings, strict=True))
        return tuple(swings[game.player_class(i)] for i in range(game.size))


def _class_table(game: CompositeGame) -> tuple[list[tuple[str, ...]], list[int], list[int]]:
    """Classes in order of first appearance, their sizes, and one member of each."""
    order: dict[tuple[str, ...], int] = {}
    sizes: list[int] = []
    first: list[int] = []
    for i in range(game.size):
        key = game.player_class(i)
        if key not in order:
            order[key] = len(sizes)
            sizes.append(0)
            first.append(i)
        sizes[order[key]] += 1
    return list(order), sizes, first


def composite_power(game: CompositeGame) -> CompositePower:
    """Count the winning coalitions and each class's swings exactly, over count vectors.

    Raises
    ------
    ScenarioError
        When the classes have more than :data:`MAX_CLASS_VECTORS` count vectors.
    """
    classes, sizes, first = _class_table(game)
    vectors = math.prod(m + 1 for m in sizes)
    if vectors > MAX_CLASS_VECTORS:
        raise ScenarioError(
            f"the game's {len(sizes)} classes of players give {vectors} count vectors, "
            f"more than {MAX_CLASS_VECTORS}",
            fix="use fewer distinct weights",
        )
    k = _vectors(sizes)
    won = _won(game, k, sizes, first)
    ways = _ways(k, sizes)
    winning = int(sum(ways[won].tolist()))
    strides = np.cumprod([1, *[m + 1 for m in sizes[:0:-1]]])[::-1]
    swings = []
    for t, m in enumerate(sizes):
        has = k[:, t] >= 1
        without = np.zeros_like(won)
        without[has] = won[np.flatnonzero(has) - strides[t]]
        swing = won & has & ~without
        # a coalition with k_t members of class t holds a given one of them in
        # C(m - 1, k_t - 1) of its C(m, k_t) choices: a share k_t / m
        count = sum((w * int(kt) for w, kt in zip(ways[swing], k[swing, t], strict=True)), 0)
        swings.append(count // m)
    return CompositePower(game.size, tuple(classes), tuple(sizes), tuple(swings), winning)


def _vectors(sizes: list[int]) -> NDArray[np.int64]:
    """Every count vector, the last class varying fastest (mixed radix)."""
    axes = [np.arange(m + 1, dtype=np.int64) for m in sizes]
    grid = np.meshgrid(*axes, indexing="ij")
    return np.stack([g.ravel() for g in grid], axis=1)


def _won(
    game: CompositeGame, k: NDArray[np.int64], sizes: list[int], first: list[int]
) -> NDArray[np.bool_]:
    """Whether the coalitions of each count vector win (every component by the one rule)."""
    results = []
    for c in game.components:
        w = np.array([c.weights[i] for i in first], dtype=np.int64)
        v = np.array([c.veto[i] for i in first], dtype=np.int64)
        outside = (np.asarray(sizes, dtype=np.int64) - k) @ v
        results.append(wins(k @ w, outside, c.quota, c.veto_threshold))
    joined = np.logical_and if game.join == "and" else np.logical_or
    out: NDArray[np.bool_] = joined.reduce(np.stack(results), axis=0)
    return out


def _ways(k: NDArray[np.int64], sizes: list[int]) -> NDArray[np.object_]:
    """How many coalitions each count vector stands for: prod C(n_t, k_t), exact."""
    combs = [[math.comb(m, j) for j in range(m + 1)] for m in sizes]
    ways = np.ones(len(k), dtype=object)
    for t in range(len(sizes)):
        ways = ways * np.array(combs[t], dtype=object)[k[:, t]]
    return ways


def brute_counts(game: CompositeGame) -> tuple[int, tuple[int, ...]]:
    """Winning coalitions and each player's swings over all ``2**n`` coalitions (the oracle).

    Each component's winning table comes from :func:`councilsim.power.brute.winning_table`,
    which decides every yes/no profile with :func:`councilsim.rule.decide`.

    Raises
    ------
    ScenarioError
        For more than :data:`MAX_BRUTE_PLAYERS` players.
    """
    n = game.size
    if n > MAX_BRUTE_PLAYERS:
        raise ScenarioError(f"brute force counts at most {MAX_BRUTE_PLAYERS} players, got {n}")
    joined = np.logical_and if game.join == "and" else np.logical_or
    won = joined.reduce(np.stack([winning_table(c) for c in game.components]), axis=0)
    member = membership(n)
    index = np.arange(2**n)
    swings = []
    for i in range(n):
        inside = member[:, i]
        without = won[index[inside] ^ (1 << i)]
        swings.append(int(np.count_nonzero(won[inside] & ~without)))
    return int(np.count_nonzero(won)), tuple(swings)
