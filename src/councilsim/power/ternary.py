"""Ternary voting games: power when every member votes yes, abstains or votes no.

A ternary voting game (Felsenthal & Machover 1997, "Ternary voting games", *Int. J. Game
Theory* 26:335-351; their book *The Measurement of Voting Power*, 1998, sec. 8.3) gives every
member three options, ordered ``no < abstain < yes``, and decides pass or fail. The Security
Council is one: since 1947 a permanent member's abstention does not block a draft (the
*practice* reading of Art. 27(3)), so abstaining is neither a yes (it does not count towards the
nine) nor a no (it does not veto). Under the *literal* reading ("concurring votes") abstaining
blocks like a no and the game is binary in disguise.

:class:`TernaryGame` describes such a game class by class: a member of class ``c`` voting at
level ``l`` adds ``weights[c][l]`` to the tally and ``blocks[c][l]`` (0 or 1) to the count of
blocking votes; a profile passes iff the tally reaches ``quota`` and fewer than
``block_threshold`` votes block. This covers the council's own rule under both readings
(:meth:`TernaryGame.from_council`) and the weighted (3,2) games of Freixas & Zwicker (2003,
"Weighted voting, abstention, and multiple levels of approval", *Social Choice and Welfare*
21:399-431; :meth:`TernaryGame.weighted`), whose members carry one weight per level.

Indices (:func:`ternary_power`):

* **Ternary Shapley-Shubik index** (Felsenthal & Machover 1997). A *roll call* is a random
  order of the members and a random vote for each (yes, abstain, no with probability 1/3,
  independently). The *pivot* is the first member after whose vote the outcome is settled,
  whatever the members called later do. A member's index is its probability of being the
  pivot; the indices sum to 1. For a game in which abstaining is a no it equals the binary
  Shapley-Shubik index (Felsenthal & Machover 1996, "Alternative forms of the Shapley value
  and the Shapley-Shubik index", *Public Choice* 87:315-318; Kurz 2016, "Generalized roll-call
  model for the Shapley-Shubik index", arXiv:1602.04331); Freixas (2005, "The Shapley-Shubik
  power index for games with several levels of approval in the input and output", *Decision
  Support Systems* 39:185-195) extends it to (j,k) games, of which this is the (3,2) case.
* **Ternary Banzhaf measure.** The swings of a member are the pairs of profiles that differ
  only in its vote, by one level (yes/abstain or abstain/no), and have different outcomes --
  Felsenthal & Machover's count of swings between adjacent levels over the ``3**n`` profiles.
  ``ternary_banzhaf_absolute`` is swings over the ``2 * 3**(n-1)`` adjacent pairs (the
  probability that a random one-level change of the member's vote changes the outcome);
  ``ternary_banzhaf`` is swings over all members' swings.

How it is counted. In a monotone game the pivot condition needs only two completions of the
members not yet called: all voting no, or all voting yes. Summing over the predecessors of a
member who give the same completed profile ``z`` of the others leaves a weight that depends on
``z`` only through the number ``t`` of the others not voting no (or not voting yes)::

    phi(t) = sum_j C(n-1-t, j) (t+j)! (n-1-t-j)! / (n! 3**(t+j+1))

so the index is a sum over the ``3**(n-1)`` profiles of the others -- and, members of a class
being interchangeable, over count vectors ``(yes, abstain, no)`` per class, each standing for a
product of multinomial coefficients. A council of 26 seats in three classes has about 70,000
of them per class. The brute force (:func:`brute_ternary_power`) applies the definitions to
every profile and every set of predecessors, through any rule function -- for a council
:func:`councilsim.rule.decide` itself -- and is the oracle of the tests.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations
from math import comb, factorial, prod
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from councilsim.council import Abstention, Council
from councilsim.errors import ScenarioError
from councilsim.games import WeightedGame, class_id
from councilsim.indices import TERNARY_INDICES
from councilsim.rule import Vote, decide

__all__ = [
    "ABSTAIN",
    "LEVELS",
    "NO",
    "TERNARY_INDICES",
    "YES",
    "TernaryGame",
    "TernaryPower",
    "brute_ternary_power",
    "council_passes",
    "ternary_power",
]

NO, ABSTAIN, YES = 0, 1, 2
"""Vote levels in order of approval (not the :class:`~councilsim.rule.Vote` codes)."""

LEVELS = ("no", "abstain", "yes")

VOTE_OF_LEVEL = np.array([Vote.NO, Vote.ABSTAIN, Vote.YES], dtype=np.int8)
"""The :class:`~councilsim.rule.Vote` code of each level."""

MAX_STATES = 2_000_000
"""Most count vectors the class method visits for one class before refusing (about 40 bytes
each)."""

MAX_BRUTE = 10
"""Most members the brute force accepts (``3**n`` profiles times ``2**(n-1)`` subsets)."""


Number = Fraction | float
Passes = Callable[[NDArray[np.int8]], NDArray[np.bool_]]
Level3 = tuple[int, int, int]


@dataclass(frozen=True)
class TernaryGame:
    """A ternary voting game, member by member grouped in classes (see the module docstring).

    Parameters
    ----------
    member_class
        For each member, the index of its class.
    weights
        Per class, the weight a member adds when voting (no, abstain, yes); non-decreasing.
    quota
        Tally a profile needs to pass.
    blocks
        Per class, whether a vote (no, abstain, yes) blocks, 0 or 1; non-increasing (default:
        nothing blocks).
    block_threshold
        How many blocking votes stop a profile (1: any one).
    class_names, names
        A name per class and per member (defaults ``c1..``, ``P1..``).
    """

    member_class: tuple[int, ...]
    weights: tuple[Level3, ...]
    quota: int
    blocks: tuple[Level3, ...] = ()
    block_threshold: int = 1
    class_names: tuple[str, ...] = ()
    names: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        k = len(self.weights)
        blocks = self.blocks or ((0, 0, 0),) * k
        object.__setattr__(self, "blocks", tuple(tuple(int(b) for b in x) for x in blocks))
        object.__setattr__(self, "weights", tuple(tuple(int(w) for w in x) for x in self.weights))
        object.__setattr__(self, "member_class", tuple(int(c) for c in self.member_class))
        if not self.class_names:
            object.__setattr__(self, "class_names", tuple(f"c{c + 1}" for c in range(k)))
        if not self.names:
            object.__setattr__(self, "names", tuple(f"P{i + 1}" for i in range(self.size)))
        self._validate()

    def _validate(self) -> None:
        k = len(self.weights)
        if not self.member_class or len(self.names) != self.size:
            raise ScenarioError("a ternary game needs members, with one name each")
        if len(self.blocks) != k or len(self.class_names) != k:
            raise ScenarioError("a ternary game needs weights, blocks and a name per class")
        if any(len(w) != 3 for w in (*self.weights, *self.blocks)):
            raise ScenarioError("each class needs three weights and blocks: no, abstain, yes")
        if sorted(set(self.member_class)) != list(range(k)):
            raise ScenarioError("every class of a ternary game needs at least one member")
        for c, (w, b) in enumerate(zip(self.weights, self.blocks, strict=True)):
            if not w[0] <= w[1] <= w[2]:
                raise ScenarioError(
                    f"class {self.class_names[c]}: weights {list(w)} must not decrease from no "
                    "to abstain to yes",
                    fix="a vote of more approval may not count less (Freixas & Zwicker 2003)",
                )
            if not (set(b) <= {0, 1} and b[0] >= b[1] >= b[2]):
                raise ScenarioError(
                    f"class {self.class_names[c]}: blocks {list(b)} must be 0 or 1 and not "
                    "increase from no to abstain to yes"
                )
        if self.block_threshold < 1:
            raise ScenarioError(f"block threshold {self.block_threshold} must be at least 1")

    @property
    def size(self) -> int:
        return len(self.member_class)

    @property
    def counts(self) -> tuple[int, ...]:
        """Members per class."""
        return tuple(self.member_class.count(c) for c in range(len(self.weights)))

    @classmethod
    def from_council(
        cls, council: Council, abstention: Abstention | str | None = None
    ) -> TernaryGame:
        """The council's substantive rule with yes/abstain/no votes, seats in seat order.

        ``abstention`` is the reading of Art. 27(3) (default: the council's own): under
        ``practice`` only a veto holder's no blocks, under ``literal`` its abstention too.
        """
        reading = Abstention(abstention or council.rule.abstention)
        return cls(
            member_class=tuple(int(c) for c in council.class_index),
            weights=tuple((0, 0, c.weight) for c in council.classes),
            quota=council.rule.quota,
            blocks=tuple(_veto_blocks(c.veto, reading) for c in council.classes),
            block_threshold=council.rule.veto_threshold,
            class_names=tuple(c.id for c in council.classes),
            names=council.labels(),
        )

    @classmethod
    def from_game(
        cls, game: WeightedGame, abstention: Abstention | str = Abstention.PRACTICE
    ) -> TernaryGame:
        """A weighted game with vetoes, abstention read as for a council (members in order)."""
        reading = Abstention(abstention)
        keys = list(dict.fromkeys(zip(game.weights, game.veto, strict=True)))
        return cls(
            member_class=tuple(keys.index(k) for k in zip(game.weights, game.veto, strict=True)),
            weights=tuple((0, 0, w) for w, _ in keys),
            quota=game.quota,
            blocks=tuple(_veto_blocks(v, reading) for _, v in keys),
            block_threshold=game.veto_threshold,
            class_names=tuple(class_id(w, v) for w, v in keys),
            names=game.names,
        )

    @classmethod
    def weighted(
        cls, weights: Sequence[Sequence[int]], quota: int, names: Sequence[str] = ()
    ) -> TernaryGame:
        """A weighted (3,2) game (Freixas & Zwicker 2003): member ``i`` adds ``weights[i][l]``
        for its vote at level ``l`` (no, abstain, yes); a profile passes iff the total reaches
        ``quota``. Members with equal weights form one class."""
        triples = [_triple(w, i) for i, w in enumerate(weights)]
        keys = list(dict.fromkeys(triples))
        return cls(
            member_class=tuple(keys.index(t) for t in triples),
            weights=tuple(keys),
            quota=int(quota),
            class_names=tuple("w" + "/".join(str(x) for x in k) for k in keys),
            names=tuple(names),
        )

    def passes(self, levels: ArrayLike) -> NDArray[np.bool_]:
        """Whether each profile of levels (shape ``(..., n)``, :data:`NO`..:data:`YES`) passes."""
        x = np.asarray(levels, dtype=np.intp)
        cls = np.asarray(self.member_class)
        tally = np.asarray(self.weights, dtype=np.int64)[cls, x].sum(axis=-1)
        blocked = np.asarray(self.blocks, dtype=np.int64)[cls, x].sum(axis=-1)
        return np.asarray((tally >= self.quota) & (blocked < self.block_threshold))


def _veto_blocks(veto: bool, reading: Abstention) -> Level3:
    if not veto:
        return (0, 0, 0)
    return (1, 1, 0) if reading is Abstention.LITERAL else (1, 0, 0)


def _triple(w: Sequence[int], i: int) -> Level3:
    if len(w) != 3:
        raise ScenarioError(
            f"member {i + 1} has {len(w)} weights; give three: no, abstain, yes",
            fix="e.g. (0, 1, 2)",
        )
    return (int(w[0]), int(w[1]), int(w[2]))


def council_passes(council: Council, abstention: Abstention | str | None = None) -> Passes:
    """The council's substantive rule as a function of level profiles, through
    :func:`councilsim.rule.decide` (the brute-force oracle's rule)."""
    reading = Abstention(abstention or council.rule.abstention)
    rule = type(council.rule)(
        council.rule.quota,
        council.rule.procedural_quota,
        council.rule.veto_threshold,
        reading,
    )

    def passes(levels: NDArray[np.int8]) -> NDArray[np.bool_]:
        votes = VOTE_OF_LEVEL[np.asarray(levels, dtype=np.intp)]
        return decide(votes, council.weights, council.veto, rule).adopted

    return passes


@dataclass(frozen=True)
class TernaryPower:
    """Ternary power of every member (in member order); ``values`` maps each id of
    :data:`TERNARY_INDICES` to one value per member."""

    members: tuple[str, ...]
    classes: tuple[str, ...]
    abstention: str | None
    swings: tuple[int, ...]
    values: dict[str, tuple[Number, ...]]

    @property
    def shapley_shubik(self) -> tuple[Number, ...]:
        return self.values["ternary_shapley_shubik"]

    @property
    def banzhaf(self) -> tuple[Number, ...]:
        return self.values["ternary_banzhaf"]

    @property
    def banzhaf_absolute(self) -> tuple[Number, ...]:
        return self.values["ternary_banzhaf_absolute"]


def ternary_power(
    subject: TernaryGame | Council | WeightedGame,
    *,
    abstention: Abstention | str | None = None,
    exact: bool = False,
    method: Literal["classes", "brute"] = "classes",
) -> TernaryPower:
    """Ternary Shapley-Shubik and Banzhaf values of every member.

    Parameters
    ----------
    subject
        A ternary game, a council (its substantive rule) or a weighted game with vetoes.
    abstention
        For a council or weighted game, the reading of Art. 27(3): ``"practice"`` (a veto
        holder's abstention does not block) or ``"literal"`` (it does). Default: the council's
        own reading, practice for a weighted game.
    exact
        :class:`~fractions.Fraction` values instead of floats.
    method
        ``"classes"`` (count vectors per class, see the module docstring) or ``"brute"`` (every
        profile and every set of predecessors, at most :data:`MAX_BRUTE` members).

    >>> from councilsim.scenario import load
    >>> r = ternary_power(load("current").council, exact=True)
    >>> r.shapley_shubik[0], r.shapley_shubik[5]  # a permanent and an elected member
    (Fraction(118525786, 725416965), Fraction(26557607, 1450833930))
    >>> ternary_power(load("current").council, abstention="literal", exact=True).shapley_shubik[0]
    Fraction(421, 2145)
    """
    game, reading = _as_ternary(subject, abstention)
    if method == "brute":
        if isinstance(subject, Council):
            ss, swings = brute_ternary_power(council_passes(subject, reading), game.size)
        else:
            ss, swings = brute_ternary_power(game.passes, game.size)
    else:
        ss, swings = _class_power(game)
    n = game.size
    total = sum(swings)
    fractions = {
        "ternary_shapley_shubik": ss,
        "ternary_banzhaf": [Fraction(s, total) if total else Fraction(0) for s in swings],
        "ternary_banzhaf_absolute": [Fraction(s, 2 * 3 ** (n - 1)) for s in swings],
    }
    conv: Any = (lambda v: v) if exact else float
    return TernaryPower(
        members=game.names,
        classes=tuple(game.class_names[c] for c in game.member_class),
        abstention=reading,
        swings=tuple(swings),
        values={k: tuple(conv(v) for v in vals) for k, vals in fractions.items()},
    )


def _as_ternary(
    subject: TernaryGame | Council | WeightedGame, abstention: Abstention | str | None
) -> tuple[TernaryGame, str | None]:
    if isinstance(subject, TernaryGame):
        return subject, None
    if isinstance(subject, Council):
        reading = Abstention(abstention or subject.rule.abstention)
        return TernaryGame.from_council(subject, reading), reading.value
    reading = Abstention(abstention or Abstention.PRACTICE)
    return TernaryGame.from_game(subject, reading), reading.value


def _pivot_weights(n: int) -> list[int]:
    """``phi(t) * n! * 3**n`` for ``t = 0..n-1`` (see the module docstring)."""
    out = []
    for t in range(n):
        z = n - 1 - t
        out.append(
            sum(
                comb(z, j) * factorial(t + j) * factorial(z - j) * 3 ** (n - 1 - t - j)
                for j in range(z + 1)
            )
        )
    return out


def _class_power(game: TernaryGame) -> tuple[list[Fraction], list[int]]:
    """Ternary Shapley-Shubik values and swings per member, by count vectors per class."""
    n = game.size
    phi = _pivot_weights(n)
    denominator = factorial(n) * 3**n
    by_class: list[tuple[Fraction, int]] = []
    for c in range(len(game.weights)):
        rest_no, rest_yes, swings = _class_tallies(game, c)
        ss = sum(phi[t] * (int(rest_no[t]) + int(rest_yes[t])) for t in range(n))
        by_class.append((Fraction(ss, denominator), swings))
    return (
        [by_class[c][0] for c in game.member_class],
        [by_class[c][1] for c in game.member_class],
    )


def _class_tallies(game: TernaryGame, c: int) -> tuple[list[int], list[int], int]:
    """For one member of class ``c``: pivot counts by ``t`` (rest voting no / yes) and swings."""
    others = list(game.counts)
    others[c] -= 1
    states = prod(comb(m + 2, 2) for m in others)
    if states > MAX_STATES:
        raise ScenarioError(
            f"the ternary indices need {states} count vectors, more than {MAX_STATES}",
            fix="group interchangeable members into fewer classes",
        )
    tally, blocked, not_no, not_yes, mult = _count_vectors(game, others)
    w = np.asarray(game.weights, dtype=np.int64)
    b = np.asarray(game.blocks, dtype=np.int64)
    win = [
        (tally + w[c, v] >= game.quota) & (blocked + b[c, v] < game.block_threshold)
        for v in (NO, ABSTAIN, YES)
    ]
    rest_no = (win[YES] & ~win[NO]).astype(np.int64) + (win[ABSTAIN] & ~win[NO])
    rest_yes = (win[YES] & ~win[NO]).astype(np.int64) + (win[YES] & ~win[ABSTAIN])
    swings = (win[YES] != win[ABSTAIN]).astype(np.int64) + (win[ABSTAIN] != win[NO])
    n = game.size
    return (
        _sum_by(not_no, mult * rest_no, n),
        _sum_by(not_yes, mult * rest_yes, n),
        _total(mult * swings),
    )


def _count_vectors(game: TernaryGame, counts: list[int]) -> tuple[NDArray[Any], ...]:
    """Over every vector of (no, abstain, yes) counts per class of the other members: the
    tally, the blocking votes, the members not voting no, those not voting yes, and how many
    profiles the vector stands for. Built class by class as outer sums (memory linear in the
    number of vectors)."""
    big = 3 ** sum(counts) >= 2**62
    acc: list[NDArray[Any]] = [np.zeros(1, dtype=np.int64) for _ in range(4)]
    acc.append(np.ones(1, dtype=object if big else np.int64))
    for cls, m in enumerate(counts):
        triples = np.array(
            [(m - y - a, a, y) for y in range(m + 1) for a in range(m - y + 1)], dtype=np.int64
        ).reshape(-1, 3)
        ways = [factorial(m) // (factorial(x) * factorial(a) * factorial(y)) for x, a, y in triples]
        parts = [
            triples @ np.asarray(game.weights[cls], dtype=np.int64),
            triples @ np.asarray(game.blocks[cls], dtype=np.int64),
            triples[:, ABSTAIN] + triples[:, YES],
            triples[:, NO] + triples[:, ABSTAIN],
        ]
        acc = [(a[:, None] + p[None, :]).ravel() for a, p in zip(acc[:4], parts, strict=True)] + [
            (acc[4][:, None] * np.array(ways, dtype=acc[4].dtype)[None, :]).ravel()
        ]
    return tuple(acc)


def _sum_by(key: NDArray[np.int64], values: NDArray[Any], n: int) -> list[int]:
    return [_total(values[key == t]) for t in range(n)]


def _total(values: NDArray[Any]) -> int:
    # int64 sums stay exact: every sum here is at most 2 * 3**(n-1) < 2**62 (else object dtype)
    return int(values.sum()) if values.size else 0


def brute_ternary_power(passes: Passes, n: int) -> tuple[list[Fraction], list[int]]:
    """Ternary Shapley-Shubik values and swings by the definitions, for any rule function.

    Every one of the ``3**n`` profiles is decided once by ``passes`` (level profiles of shape
    ``(3**n, n)`` to booleans). A member ``i`` with predecessors ``P`` who voted ``x_P`` is the
    pivot iff the outcome is not constant over the completions of ``x_P`` and is constant over
    those of ``x_P`` plus ``i``'s vote -- checked over all completions, so no monotonicity is
    assumed. Each predecessor set of size ``k`` has probability ``k!(n-1-k)!/n!``, each vote
    ``1/3``. Swings compare every pair of profiles one level apart in one member's vote.
    """
    if not 1 <= n <= MAX_BRUTE:
        raise ScenarioError(f"the brute force takes 1..{MAX_BRUTE} members, got {n}")
    grid = np.indices((3,) * n).reshape(n, -1).T.astype(np.int8)
    table = np.asarray(passes(grid), dtype=np.bool_).reshape((3,) * n)
    swings = []
    for i in range(n):
        lo, mid, hi = (np.take(table, v, axis=i) for v in (NO, ABSTAIN, YES))
        swings.append(int((lo != mid).sum() + (mid != hi).sum()))
    ss = []
    for i in range(n):
        others = [j for j in range(n) if j != i]
        total = Fraction(0)
        for k in range(n):
            weight = Fraction(factorial(k) * factorial(n - 1 - k), factorial(n) * 3 ** (k + 1))
            for pred in combinations(others, k):
                before = _settled(table, set(pred))
                after = _settled(table, {*pred, i})
                # align: after has an extra axis for i; broadcast "before" over it
                axis = sorted({*pred, i}).index(i)
                count = int((~np.expand_dims(before, axis) & after).sum())
                total += weight * count
        ss.append(total)
    return ss, swings


def _settled(table: NDArray[np.bool_], fixed: set[int]) -> NDArray[np.bool_]:
    """For each vote of the ``fixed`` members (axes in member order): is the outcome the same
    whatever the others vote?"""
    free = tuple(j for j in range(table.ndim) if j not in fixed)
    if not free:
        return np.ones(table.shape, dtype=np.bool_)
    return np.asarray(table.all(axis=free) | ~table.any(axis=free))
