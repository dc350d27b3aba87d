"""Weighted voting games ``[q; w1, ..., wn]`` with optional vetoes, and their councils.

A :class:`WeightedGame` is the abstract form of a council that the exact power engine
(:mod:`councilsim.power`) counts with: integer weights, a quota and, optionally, a set of veto
holders with a threshold. A coalition ``S`` wins iff ``weight(S) >= quota`` and fewer than
``veto_threshold`` veto holders are outside ``S`` -- the rule of Art. 27(3) when every member
votes yes or no, decided by :func:`councilsim.rule.wins`. The notation is the one of
Felsenthal & Machover (1998), *The Measurement of Voting Power*, ch. 2.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from councilsim.council import Council, Rule, SeatClass, SeatKind
from councilsim.errors import ScenarioError
from councilsim.limits import MAX_INT_DIGITS
from councilsim.rule import wins

MAX_MEMBERS = 10_000
"""The largest game :func:`parse_game` and :class:`WeightedGame` accept."""

MAX_TOTAL_WEIGHT = 2**62
"""Weights are counted in 64-bit integers where vectorised; the total must stay below this."""

_TOKEN = re.compile(r"^(?P<w>[+-]?\d+)(?P<v>v?)(?:\s*[*x×]\s*(?P<k>[+-]?\d+))?$", re.IGNORECASE)


@dataclass(frozen=True)
class WeightedGame:
    """A weighted voting game, optionally with vetoes.

    Parameters
    ----------
    weights
        Non-negative integer weight of each member.
    quota
        Weight a coalition needs to win, in ``1..sum(weights)``.
    veto
        Whether each member holds a veto (empty: nobody does).
    veto_threshold
        How many veto holders outside a coalition block it (1: any one of them).
    names
        A name per member (empty: ``P1..Pn``).
    """

    weights: tuple[int, ...]
    quota: int
    veto: tuple[bool, ...] = ()
    veto_threshold: int = 1
    names: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        weights = tuple(_as_int(w, f"weight of member {k + 1}") for k, w in enumerate(self.weights))
        n = len(weights)
        veto = tuple(bool(v) for v in self.veto) or (False,) * n
        names = tuple(str(s) for s in self.names) or tuple(f"P{k + 1}" for k in range(n))
        object.__setattr__(self, "weights", weights)
        object.__setattr__(self, "veto", veto)
        object.__setattr__(self, "names", names)
        object.__setattr__(self, "quota", _as_int(self.quota, "quota"))
        object.__setattr__(self, "veto_threshold", _as_int(self.veto_threshold, "veto_threshold"))
        self._validate()

    def _validate(self) -> None:
        n = len(self.weights)
        if not 1 <= n <= MAX_MEMBERS:
            raise ScenarioError(
                f"a game needs 1..{MAX_MEMBERS} members, got {n}", fix="give fewer weights"
            )
        if len(self.veto) != n or len(self.names) != n:
            raise ScenarioError(
                f"veto mask ({len(self.veto)}) and names ({len(self.names)}) must have one "
                f"entry per member ({n})"
            )
        if min(self.weights) < 0:
            raise ScenarioError("weights must be non-negative integers", fix="drop the minus sign")
        total = self.total_weight
        if total >= MAX_TOTAL_WEIGHT:
            raise ScenarioError(f"total weight {total} is too large; scale the weights down")
        if not 1 <= self.quota <= total:
            raise ScenarioError(
                f"quota {self.quota} is outside 1..{total} (the total weight)",
                fix=f"set a quota in 1..{total}",
            )
        if self.veto_threshold < 1:
            raise ScenarioError(
                f"veto threshold {self.veto_threshold} must be at least 1",
                fix="use 1 for a veto that any one holder casts",
            )

    @property
    def size(self) -> int:
        return len(self.weights)

    @property
    def total_weight(self) -> int:
        return sum(self.weights)

    @property
    def veto_holders(self) -> int:
        return sum(self.veto)

    def wins(self, members: set[int] | frozenset[int]) -> bool:
        """Whether the coalition of the given member indices wins (:func:`councilsim.rule.wins`,
        the veto holders outside it blocking)."""
        weight = sum(self.weights[i] for i in members)
        outside = sum(1 for i, v in enumerate(self.veto) if v and i not in members)
        return bool(wins(weight, outside, self.quota, self.veto_threshold))

    def __str__(self) -> str:
        return format_game(self)


def format_game(game: WeightedGame) -> str:
    """The game in the notation :func:`parse_game` reads, runs of equal weights as ``w*k``."""
    parts: list[str] = []
    k = 0
    while k < game.size:
        j = k
        while j < game.size and (game.weights[j], game.veto[j]) == (game.weights[k], game.veto[k]):
            j += 1
        token = f"{game.weights[k]}{'v' if game.veto[k] else ''}"
        parts.append(token if j - k == 1 else f"{token}*{j - k}")
        k = j
    return f"[{game.quota}; {', '.join(parts)}]"


def parse_game(text: str) -> WeightedGame:
    """Read a game written ``[q; w1, w2, ...]``.

    Brackets are optional; ``w*k`` (or ``wxk``, ``w×k``) repeats weight ``w`` ``k`` times and a
    ``v`` after a weight marks veto holders (any one of whom blocks), so the Security Council is
    ``"39; 7*5, 1*10"`` or ``"9; 1v*5, 1*10"``. Members are named ``P1..Pn``.

    Raises
    ------
    ScenarioError
        For a malformed string, weights that are not non-negative integers, a quota outside
        ``1..total weight`` or more than :data:`MAX_MEMBERS` members.

    Examples
    --------
    >>> game = parse_game("[9; 1v*5, 1*10]")
    >>> game.size, game.quota, game.veto_holders
    (15, 9, 5)
    >>> str(game), str(parse_game("39; 7 x 5, 1 x 10"))
    ('[9; 1v*5, 1*10]', '[39; 7*5, 1*10]')

    Nine yes votes win with all five veto holders among them, and lose to a missing one's veto:

    >>> game.wins(set(range(9))), game.wins(set(range(1, 10)))
    (True, False)
    """
    body = text.strip()
    if re.search(rf"\d{{{MAX_INT_DIGITS + 1},}}", body):  # refused before int() converts it
        raise ScenarioError(
            f"game {_shown(body)}: a number has more than {MAX_INT_DIGITS} digits",
            fix="write e.g. '[39; 7*5, 1*10]'",
        )
    if body.startswith("[") and body.endswith("]"):
        body = body[1:-1]
    if body.count(";") != 1:
        raise ScenarioError(
            f"game {_shown(text)}: expected one ';' between quota and weights",
            fix="write it as '[q; w1, w2, ...]', e.g. '[39; 7*5, 1*10]'",
        )
    quota_text, weights_text = body.split(";")
    weights: list[int] = []
    veto: list[bool] = []
    tokens = re.sub(r"\s*([*x×])\s*", r"\1", weights_text.strip())
    if not tokens:
        raise ScenarioError(f"game {_shown(text)} has no weights", fix="list them after the ';'")
    for token in re.split(r"[,\s]+", tokens):
        weight, is_veto, count = _parse_token(text, token)
        if len(weights) + count > MAX_MEMBERS:
            raise ScenarioError(
                f"game {_shown(text)} has more than {MAX_MEMBERS} members", fix="give fewer weights"
            )
        weights += [weight] * count
        veto += [is_veto] * count
    quota = _parse_int(text, quota_text.strip(), "quota")
    return WeightedGame(tuple(weights), quota, tuple(veto) if any(veto) else ())


def _shown(text: str, most: int = 60) -> str:
    """``text`` quoted for a message, cut to its first ``most`` characters."""
    return repr(text) if len(text) <= most else f"{text[:most]!r}… ({len(text)} characters)"


def _parse_token(text: str, token: str) -> tuple[int, bool, int]:
    match = _TOKEN.match(token.strip())
    if not match:
        raise ScenarioError(
            f"game {_shown(text)}: cannot read weight {_shown(token.strip())}",
            fix="weights are non-negative integers, optionally 'w*k' to repeat and 'v' for a veto",
        )
    count = int(match["k"]) if match["k"] is not None else 1
    if count < 1:
        raise ScenarioError(
            f"game {_shown(text)}: repeat count in {_shown(token.strip())} must be >= 1"
        )
    if count > MAX_MEMBERS:
        raise ScenarioError(f"game {_shown(text)} has more than {MAX_MEMBERS} members")
    weight = int(match["w"])
    if weight < 0:
        raise ScenarioError(
            f"game {_shown(text)}: weight {weight} is negative", fix="use weights >= 0"
        )
    return weight, bool(match["v"]), count


def _parse_int(text: str, value: str, what: str) -> int:
    if not re.fullmatch(r"[+-]?\d+", value):
        raise ScenarioError(
            f"game {_shown(text)}: {what} {_shown(value)} is not an integer",
            fix="write e.g. '[39; 7*5, 1*10]'",
        )
    return int(value)


def _as_int(value: object, what: str) -> int:
    if isinstance(value, bool) or not hasattr(value, "__index__"):
        raise ScenarioError(f"{what} must be an integer, got {value!r}")
    return int(value)


def game_from_council(council: Council) -> WeightedGame:
    """The weighted game a council plays on substantive drafts with yes/no votes.

    Seats become members in seat order, named by :meth:`Council.labels`; the abstention reading
    of the rule does not matter when every member votes yes or no.
    """
    return WeightedGame(
        weights=tuple(int(w) for w in council.weights),
        quota=council.rule.quota,
        veto=tuple(bool(v) for v in council.veto),
        veto_threshold=council.rule.veto_threshold,
        names=council.labels(),
    )


def council_from_game(game: WeightedGame, *, id: str = "", name: str = "") -> Council:
    """A council with one seat class per distinct (weight, veto), holders named as the members.

    Seats are ordered class by class (classes in order of first appearance), so seat order can
    differ from member order; holders keep the member names. Veto holders get permanent seats,
    the others elected ones (the kind does not enter the voting rule).
    """
    groups: dict[tuple[int, bool], list[str]] = {}
    for weight, veto, member in zip(game.weights, game.veto, game.names, strict=True):
        groups.setdefault((weight, veto), []).append(member)
    classes = tuple(
        SeatClass(
            id=class_id(weight, veto),
            kind=SeatKind.PERMANENT if veto else SeatKind.ELECTED,
            veto=veto,
            holders=tuple(members),
            weight=weight,
        )
        for (weight, veto), members in groups.items()
    )
    rule = Rule(game.quota, game.quota, veto_threshold=game.veto_threshold)
    return Council(classes, rule, id=id, name=name or str(game))


def class_id(weight: int, veto: bool) -> str:
    """The class a member of a game belongs to: ``w7`` or, for a veto holder, ``w7v``."""
    return f"w{weight}{'v' if veto else ''}"
