"""The raw counts every power index is a ratio of, shared by the counting methods.

Each method (brute force, class enumeration, generating functions) groups the members into
*types* of interchangeable members and returns one :class:`PowerCounts`: a value per type that
holds for every member of the type. Brute force uses one type per member.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from itertools import product
from math import comb, gcd, prod

from councilsim.errors import ScenarioError
from councilsim.games import WeightedGame
from councilsim.rule import blocked

NEEDS = ("swings", "shapley", "minimal", "johnston")
"""What a method can be asked to count (winning coalitions and swings are always counted)."""


@dataclass
class PowerCounts:
    """Exact counts for a game, per type of interchangeable members.

    Attributes
    ----------
    n
        Number of members.
    member_type
        For each member, the index of its type.
    winning
        Number of winning coalitions.
    swings
        Per type: coalitions of the other members that lose without and win with the member.
    shapley
        Per type: the Shapley-Shubik value times ``n!``, an integer.
    minimal
        Number of minimal winning coalitions.
    minimal_with
        Per type: minimal winning coalitions containing the member.
    minimal_share
        Per type: the sum of ``1/|S|`` over minimal winning coalitions ``S`` containing it.
    johnston
        Per type: the sum of ``1/|C(S)|`` over winning ``S`` in which the member is critical,
        ``C(S)`` being the critical members of ``S``.
    """

    n: int
    member_type: list[int]
    winning: int
    swings: list[int]
    shapley: list[int] | None = None
    minimal: int | None = None
    minimal_with: list[int] | None = None
    minimal_share: list[Fraction] | None = None
    johnston: list[Fraction] | None = None

    def per_member(self, values: list[int] | list[Fraction]) -> list[int] | list[Fraction]:
        return [values[t] for t in self.member_type]  # type: ignore[return-value]


@dataclass(frozen=True)
class Types:
    """Members grouped by (weight, effective veto), in order of first appearance.

    ``holders`` counts the members with an effective veto (0 when vetoes cannot bind) and
    ``veto_threshold`` is the game's: how many of them outside a coalition block it.
    """

    weight: tuple[int, ...]
    veto: tuple[bool, ...]
    count: tuple[int, ...]
    member_type: tuple[int, ...]
    holders: int
    veto_threshold: int

    def vetoes_pass(self, present: int) -> bool:
        """Whether a coalition with ``present`` of the veto holders escapes their veto: the
        others, outside it, do not block (:func:`councilsim.rule.blocked`)."""
        return not blocked(self.holders - present, self.veto_threshold)


def types_of(game: WeightedGame) -> Types:
    """Group members into types; a veto that can never bind (not even all veto holders
    together block) counts as no veto."""
    holders = game.veto_holders
    effective = holders > 0 and bool(blocked(holders, game.veto_threshold))
    index: dict[tuple[int, bool], int] = {}
    member_type = []
    for w, v in zip(game.weights, game.veto, strict=True):
        member_type.append(index.setdefault((w, v and effective), len(index)))
    keys = list(index)
    counts = [0] * len(keys)
    for t in member_type:
        counts[t] += 1
    return Types(
        weight=tuple(k[0] for k in keys),
        veto=tuple(k[1] for k in keys),
        count=tuple(counts),
        member_type=tuple(member_type),
        holders=holders if effective else 0,
        veto_threshold=game.veto_threshold,
    )


def too_large(index: str, what: str, limit: str) -> ScenarioError:
    """The error for an index that no exact method can count in reasonable time."""
    if index in ("Banzhaf", "power"):
        return ScenarioError(
            f"this game is too large to count any power index exactly: {what}",
            fix=f"the limit is {limit}; use fewer members or smaller weights",
        )
    return ScenarioError(
        f"the {index} index of this game is too large to count exactly: {what}",
        fix=f"the limit is {limit}; leave this index out (--index)",
    )


MAX_VETO_STATES = 20_000
"""At most this many ways to choose veto holders by (weight) type."""

NO_CAP = 1 << 62


@dataclass(frozen=True)
class State:
    """A set of present veto holders, up to symmetry: how many of each veto type."""

    counts: tuple[int, ...]
    mult: int
    weight: int
    size: int
    lightest: int


@dataclass
class Game:
    """A game split into plain classes (descending weight), null members and veto states."""

    types: Types
    quota: int
    plain: list[tuple[int, int, int]] = field(default_factory=list)  # (weight, count, type)
    vetoes: list[tuple[int, int, int]] = field(default_factory=list)
    nulls: int = 0
    states: list[State] = field(default_factory=list)

    @cached_property
    def plain_members(self) -> int:
        return sum(m for _, m, _ in self.plain)

    def ascending(self) -> list[int]:
        return [w for w, m, _ in reversed(self.plain) for _ in range(m)]

    def passing(self) -> list[State]:
        """States with enough veto holders for the coalition to pass."""
        return [s for s in self.states if self.types.vetoes_pass(s.size)]


def split_game(types: Types, quota: int) -> Game:
    """Split a game into plain classes (heaviest first), null members and veto states."""
    game = Game(types, quota)
    for t, (w, v, m) in enumerate(zip(types.weight, types.veto, types.count, strict=True)):
        if v:
            game.vetoes.append((w, m, t))
        elif w == 0:
            game.nulls += m
        else:
            game.plain.append((w, m, t))
    game.plain.sort(key=lambda c: -c[0])
    _reduce(game)
    for counts in product(*(range(m + 1) for _, m, _ in game.vetoes)):
        present = [w for (w, _, _), k in zip(game.vetoes, counts, strict=True) if k]
        game.states.append(
            State(
                counts=counts,
                mult=prod(comb(m, k) for (_, m, _), k in zip(game.vetoes, counts, strict=True)),
                weight=sum(w * k for (w, _, _), k in zip(game.vetoes, counts, strict=True)),
                size=sum(counts),
                lightest=min(present, default=NO_CAP),
            )
        )
    return game


def veto_state_count(types: Types) -> int:
    """Ways to choose veto holders up to symmetry: ``prod (n_c + 1)`` over veto types."""
    return prod(m + 1 for m, v in zip(types.count, types.veto, strict=True) if v)


def _reduce(game: Game) -> None:
    """Divide all weights by their common divisor ``g`` and the quota by ``g``, rounded up:
    the same game, with polynomials ``g`` times shorter."""
    g = gcd(*(w for w, _, _ in game.plain + game.vetoes))
    if g > 1:
        game.plain = [(w // g, m, t) for w, m, t in game.plain]
        game.vetoes = [(w // g, m, t) for w, m, t in game.vetoes]
        game.quota = -(-game.quota // g)
