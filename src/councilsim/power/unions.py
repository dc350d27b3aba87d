"""Power with a-priori unions: the Owen value and the Banzhaf-Owen value.

Members who vote in blocs -- the three African members (A3), the P3 -- are modelled by a
partition of the members into *unions* (a coalition structure given a priori; a member not in
any named union is a union by itself). Let ``M`` be the ``m`` unions, ``U_k`` (of ``u`` members)
the union of member ``i``, ``R`` a set of the other unions, ``Q_R`` their members and ``T`` a
set of ``i``'s partners in ``U_k``. Every index below averages ``i``'s swings
``v(Q_R + T + i) - v(Q_R + T)``, with weights:

* **Owen value** (Owen 1977, "Values of games with a priori unions", in Henn & Moeschlin (eds.),
  *Mathematical Economics and Game Theory*, Springer, 76-88): ``r!(m-1-r)!/m!`` times
  ``t!(u-1-t)!/u!`` -- the Shapley value of a random order in which the members of each union
  come together; it sums to 1 over the members of a simple game, and a union gets the
  Shapley-Shubik index it would have as one player of the quotient game.
* **Banzhaf-Owen value** (Owen 1981, "Modification of the Banzhaf-Coleman index for games with
  a priori unions", in Holler (ed.), *Power, Voting, and Voting Power*, Physica, 232-238):
  ``1/2**(m-1)`` times ``1/2**(u-1)`` -- Banzhaf between the unions and within them; not
  normalised.
* **Symmetric coalitional Banzhaf value** (Alonso-Meijide & Fiestras-Janeiro 2002, "Modification
  of the Banzhaf value for games with a coalition structure", *Annals of Operations Research*
  109:213-227): ``r!(m-1-r)!/m!`` times ``1/2**(u-1)`` -- Shapley between the unions, Banzhaf
  within them.

With every member a union by itself the Owen value is the Shapley-Shubik index and the
Banzhaf-Owen value the absolute Banzhaf measure.

How it is counted. A coalition of a weighted game wins by its weight and its number of veto
holders only. Members of the same weight and veto are interchangeable, and so are unions of the
same composition (*union types*), so ``R`` is counted by how many unions of each type it takes
and ``T`` by how many partners of each member type. For a member of union type ``k`` the work is
``prod_j (c_j + 1)`` (``c_j`` unions of type ``j``, one fewer of ``k``) times
``prod_s (d_s + 1)`` (``d_s`` partners of member type ``s``): a 26-seat council in three classes
with one bloc of 15 members takes at most a few thousand pairs per member type. The brute
force (:func:`brute_union_values`) averages marginal contributions over every order in which
unions stay together (Owen) and over every pair ``(R, T)`` (the others).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations, permutations, product
from math import comb, factorial, prod
from typing import Any, Literal

import numpy as np

from councilsim.council import Council
from councilsim.errors import ScenarioError
from councilsim.games import WeightedGame, class_id, game_from_council
from councilsim.indices import UNION_INDICES
from councilsim.rule import Vote, decide

__all__ = [
    "UNION_INDICES",
    "UnionPower",
    "Unions",
    "brute_union_values",
    "make_unions",
    "parse_unions",
    "resolve_member",
    "union_values",
]


MAX_PAIRS = 2_000_000
"""Most (R, T) count-vector pairs counted for one member type before refusing."""

MAX_BRUTE = 9
"""Most members the brute force accepts."""

Number = Fraction | float
Wins = Callable[[frozenset[int]], bool]


@dataclass(frozen=True)
class Unions:
    """A partition of members ``0..n-1`` into a-priori unions, each with a name.

    Build one with :func:`make_unions` or :func:`parse_unions`, which check it.
    """

    groups: tuple[tuple[int, ...], ...]
    names: tuple[str, ...]
    sources: tuple[str, ...] = ()

    def union_of(self) -> dict[int, int]:
        """Member index to the index of its union."""
        return {i: k for k, g in enumerate(self.groups) for i in g}


def make_unions(
    groups: Sequence[Sequence[int]],
    n: int,
    names: Sequence[str] = (),
    member_names: Sequence[str] = (),
    sources: Sequence[str] = (),
    key: str = "unions",
) -> Unions:
    """Check a partial partition of ``0..n-1`` and complete it with singletons.

    Every group must be non-empty, name known members and share none with another group.
    Members in no group become unions by themselves (named after the member), after the named
    unions.
    """
    labels = list(member_names) or [f"P{i + 1}" for i in range(n)]
    given = list(names) or [f"U{k + 1}" for k in range(len(groups))]
    seen: dict[int, str] = {}
    for k, group in enumerate(groups):
        if not group:
            raise ScenarioError(
                f"union {given[k]} is empty", key=key, fix="name at least one member or drop it"
            )
        for i in group:
            if not 0 <= i < n:
                raise ScenarioError(f"union {given[k]} names member {i + 1} of {n}", key=key)
            if i in seen:
                raise ScenarioError(
                    f"{labels[i]} is in two unions ({seen[i]} and {given[k]})",
                    key=key,
                    fix="a member belongs to at most one union",
                )
            seen[i] = given[k]
    singles = [i for i in range(n) if i not in seen]
    return Unions(
        groups=tuple(tuple(sorted(dict.fromkeys(g))) for g in groups)
        + tuple((i,) for i in singles),
        names=tuple(given) + tuple(labels[i] for i in singles),
        sources=tuple(sources),
    )


def resolve_member(subject: WeightedGame | Council, item: str) -> list[int]:
    """The members an item of a union names.

    For a council: a holder code, a seat label or a seat class id (all its seats). For a
    weighted game: a member number ``1..n``, a member name (``P3``) or a class id (``w7v``).
    Case-insensitive; an unknown item raises :class:`KeyError`.
    """
    key = item.strip()
    if isinstance(subject, Council):
        for c, cls in enumerate(subject.classes):
            if cls.id.lower() == key.lower():
                return [i for i, k in enumerate(subject.class_index) if k == c]
        return [subject.index_of(key)]
    if key.isdigit() and 1 <= int(key) <= subject.size:
        return [int(key) - 1]
    named = [i for i, s in enumerate(subject.names) if s.lower() == key.lower()]
    if named:
        return named
    ids = [class_id(w, v) for w, v in zip(subject.weights, subject.veto, strict=True)]
    found = [i for i, c in enumerate(ids) if c.lower() == key.lower()]
    if not found:
        raise KeyError(item)
    return found


def parse_unions(text: str, subject: WeightedGame | Council, key: str = "--unions") -> Unions:
    """Read unions written ``"1|2|3,4"``: ``|`` separates unions, ``,`` members of one.

    Items are read by :func:`resolve_member`; members not named are unions by themselves.
    Every problem (an empty union, an unknown member, a member in two unions) raises
    :class:`~councilsim.errors.ScenarioError` with one line.
    """
    names = _names(subject)
    groups: list[list[int]] = []
    for k, part in enumerate(text.split("|")):
        items = [x.strip() for x in part.split(",")]
        if not any(items):
            raise ScenarioError(
                f"union {k + 1} of {text!r} is empty",
                key=key,
                fix="write members between the bars, e.g. '1|2|3,4'",
            )
        group: list[int] = []
        for item in items:
            if not item:
                raise ScenarioError(f"union {k + 1} of {text!r} has an empty item", key=key)
            try:
                found = resolve_member(subject, item)
            except KeyError:
                raise ScenarioError(
                    f"unknown member {item!r} in union {k + 1}", key=key, fix=_hint(subject)
                ) from None
            for i in found:
                if i in group:
                    raise ScenarioError(
                        f"{names[i]} is named twice in union {k + 1}", key=key, fix="name it once"
                    )
            group += found
        groups.append(group)
    return make_unions(groups, len(names), member_names=names, key=key)


def _names(subject: WeightedGame | Council) -> tuple[str, ...]:
    return subject.labels() if isinstance(subject, Council) else subject.names


def _hint(subject: WeightedGame | Council) -> str:
    if isinstance(subject, Council):
        ids = ", ".join(c.id for c in subject.classes)
        return f"use holder codes, seat labels or class ids ({ids})"
    return f"use member numbers 1..{subject.size}, names P1..P{subject.size} or class ids"


@dataclass(frozen=True)
class UnionPower:
    """Values of every member (member order) under a-priori unions; ``values`` maps each id of
    :data:`UNION_INDICES` to one value per member, ``union`` names each member's union."""

    members: tuple[str, ...]
    union: tuple[str, ...]
    values: dict[str, tuple[Number, ...]]

    @property
    def owen(self) -> tuple[Number, ...]:
        return self.values["owen"]

    @property
    def banzhaf_owen(self) -> tuple[Number, ...]:
        return self.values["banzhaf_owen"]

    @property
    def symmetric_coalitional_banzhaf(self) -> tuple[Number, ...]:
        return self.values["symmetric_coalitional_banzhaf"]


def union_values(
    subject: WeightedGame | Council,
    unions: Unions,
    *,
    exact: bool = False,
    method: Literal["classes", "brute"] = "classes",
) -> UnionPower:
    """Owen, Banzhaf-Owen and symmetric coalitional Banzhaf values of every member.

    ``subject`` is a weighted game or a council (its substantive rule with yes/no votes);
    ``method`` is ``"classes"`` (union and member types, see the module docstring) or
    ``"brute"`` (every order and coalition, at most :data:`MAX_BRUTE` members).

    >>> from councilsim.games import parse_game
    >>> g = parse_game("[11; 9, 5, 3, 3]")
    >>> r = union_values(g, parse_unions("1|2|3,4", g), exact=True)
    >>> [str(v) for v in r.owen], [str(v) for v in r.banzhaf_owen]
    (['1/3', '1/3', '1/6', '1/6'], ['1/2', '1/2', '1/4', '1/4'])
    """
    game = game_from_council(subject) if isinstance(subject, Council) else subject
    if sorted(i for g in unions.groups for i in g) != list(range(game.size)):
        raise ScenarioError(f"the unions do not partition the {game.size} members")
    if method == "brute":
        wins = _council_wins(subject) if isinstance(subject, Council) else _game_wins(game)
        fractions = brute_union_values(wins, game.size, unions)
    else:
        fractions = _class_values(game, unions)
    conv: Any = (lambda v: v) if exact else float
    union_of = unions.union_of()
    return UnionPower(
        members=game.names,
        union=tuple(unions.names[union_of[i]] for i in range(game.size)),
        values={k: tuple(conv(v) for v in vals) for k, vals in fractions.items()},
    )


def _game_wins(game: WeightedGame) -> Wins:
    return lambda members: game.wins(members)


def _council_wins(council: Council) -> Wins:
    """Winning coalitions through :func:`councilsim.rule.decide` (members yes, others no)."""

    def wins(members: frozenset[int]) -> bool:
        votes = np.full(council.size, Vote.NO, dtype=np.int8)
        votes[list(members)] = Vote.YES
        rule = council.rule
        return bool(decide(votes, council.weights, council.veto, rule).adopted)

    return wins


def _class_values(game: WeightedGame, unions: Unions) -> dict[str, list[Fraction]]:
    member_type = list(zip(game.weights, game.veto, strict=True))
    types = list(dict.fromkeys(member_type))
    # a union's composition: how many members of each type it has
    comp = [tuple(sum(member_type[i] == t for i in g) for t in types) for g in unions.groups]
    union_types = list(dict.fromkeys(comp))
    m = len(unions.groups)
    total_veto = game.veto_holders
    cache: dict[tuple[int, int], tuple[Fraction, Fraction, Fraction]] = {}
    out: dict[str, list[Fraction]] = {k: [] for k in UNION_INDICES}
    union_of = unions.union_of()
    for i in range(game.size):
        k, s = union_types.index(comp[union_of[i]]), types.index(member_type[i])
        if (k, s) not in cache:
            table = _pair_table(game, types, union_types, comp, k, s, total_veto)
            cache[(k, s)] = _weigh(table, m, sum(union_types[k]))
        for name, value in zip(UNION_INDICES, cache[(k, s)], strict=True):
            out[name].append(value)
    return out


def _pair_table(
    game: WeightedGame,
    types: list[tuple[int, bool]],
    union_types: list[tuple[int, ...]],
    comp: list[tuple[int, ...]],
    k: int,
    s: int,
    total_veto: int,
) -> dict[tuple[int, int], int]:
    """Swings of a member of type ``s`` in a union of type ``k``, by ``(r, t)``, each weighted by
    how many pairs ``(R, T)`` of that size the count vectors stand for."""
    available = [comp.count(u) for u in union_types]
    available[k] -= 1
    partners = list(union_types[k])
    partners[s] -= 1
    pairs = prod(c + 1 for c in available) * prod(c + 1 for c in partners)
    if pairs > MAX_PAIRS:
        raise ScenarioError(
            f"the union values need {pairs} count-vector pairs, more than {MAX_PAIRS}",
            fix="use fewer kinds of unions",
        )
    tw = np.array([w for w, _ in types], dtype=np.int64)
    tv = np.array([int(v) for _, v in types], dtype=np.int64)
    uw = np.array([int(np.dot(u, tw)) for u in union_types], dtype=np.int64)
    uv = np.array([int(np.dot(u, tv)) for u in union_types], dtype=np.int64)
    r_vec, r_mult = _vectors(available)
    t_vec, t_mult = _vectors(partners)
    weight = (r_vec @ uw)[:, None] + (t_vec @ tw)[None, :]
    vetoes = (r_vec @ uv)[:, None] + (t_vec @ tv)[None, :]
    wi, vi = types[s][0], int(types[s][1])

    def wins(w: Any, v: Any) -> Any:
        return (w >= game.quota) & (total_veto - v < game.veto_threshold)

    swing = wins(weight + wi, vetoes + vi) & ~wins(weight, vetoes)
    sizes_r, sizes_t = r_vec.sum(axis=1), t_vec.sum(axis=1)
    dtype: Any = np.int64 if game.size < 60 else object  # a cell is at most 2**(n-2)
    mult = np.array(r_mult, dtype=dtype)[:, None] * np.array(t_mult, dtype=dtype)[None, :]
    cells = np.zeros((int(sizes_r.max()) + 1, int(sizes_t.max()) + 1), dtype=dtype)
    rows, cols = np.nonzero(swing)
    np.add.at(cells, (sizes_r[rows], sizes_t[cols]), mult[rows, cols])
    return {(r, t): int(cells[r, t]) for r, t in zip(*np.nonzero(cells), strict=True)}


def _vectors(counts: list[int]) -> tuple[np.ndarray[Any, Any], list[int]]:
    """Every vector ``0 <= x <= counts`` with the number of subsets it stands for."""
    vec = np.indices([c + 1 for c in counts]).reshape(len(counts), -1).T.astype(np.int64)
    mult = [1] * len(vec)
    for j, c in enumerate(counts):
        binom = [comb(c, x) for x in range(c + 1)]
        mult = [m * binom[x] for m, x in zip(mult, vec[:, j].tolist(), strict=True)]
    return vec, mult


def _weigh(
    table: dict[tuple[int, int], int], m: int, u: int
) -> tuple[Fraction, Fraction, Fraction]:
    owen = bo = scb = Fraction(0)
    for (r, t), n in table.items():
        between = Fraction(factorial(r) * factorial(m - 1 - r), factorial(m))
        within = Fraction(factorial(t) * factorial(u - 1 - t), factorial(u))
        owen += n * between * within
        bo += Fraction(n, 2 ** (m - 1 + u - 1))
        scb += n * between / 2 ** (u - 1)
    return owen, bo, scb


def brute_union_values(wins: Wins, n: int, unions: Unions) -> dict[str, list[Fraction]]:
    """The three values by their definitions, for any winning-coalition function.

    Owen: the average marginal contribution over every order of the members in which each
    union's members come together (orders of the unions, times orders within each union).
    Banzhaf-Owen and symmetric coalitional Banzhaf: every set ``R`` of other unions and every
    set ``T`` of partners, with the weights of the module docstring.
    """
    if not 1 <= n <= MAX_BRUTE:
        raise ScenarioError(f"the brute force takes 1..{MAX_BRUTE} members, got {n}")
    groups = unions.groups
    owen = [Fraction(0)] * n
    orders = 0
    for outer in permutations(range(len(groups))):
        for inner in product(*(permutations(groups[k]) for k in outer)):
            orders += 1
            before: frozenset[int] = frozenset()
            for i in (i for block in inner for i in block):
                now = before | {i}
                owen[i] += int(wins(now)) - int(wins(before))
                before = now
    owen = [v / orders for v in owen]
    m = len(groups)
    bo, scb = [Fraction(0)] * n, [Fraction(0)] * n
    union_of = unions.union_of()
    for i in range(n):
        k = union_of[i]
        others = [g for j, g in enumerate(groups) if j != k]
        partners = [j for j in groups[k] if j != i]
        for r in range(len(others) + 1):
            between = Fraction(factorial(r) * factorial(m - 1 - r), factorial(m))
            for chosen in combinations(others, r):
                q = frozenset(j for g in chosen for j in g)
                for t in range(len(partners) + 1):
                    for sub in combinations(partners, t):
                        c = q | frozenset(sub)
                        d = int(wins(c | {i})) - int(wins(c))
                        bo[i] += Fraction(d, 2 ** (m - 1 + len(groups[k]) - 1))
                        scb[i] += d * between / 2 ** (len(groups[k]) - 1)
    return {"owen": owen, "banzhaf_owen": bo, "symmetric_coalitional_banzhaf": scb}
