"""Strategies for seat classes, councils, rules, vote profiles and weighted games.

Everything is built valid by construction: the bounds are drawn first (how many seats, how many
of them hold a veto, how many classes), then values inside them, so no draw is thrown away and
hypothesis shrinks towards small councils with few classes.
"""

from __future__ import annotations

from collections.abc import Sequence
from math import ceil, floor

import numpy as np
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from numpy.typing import NDArray

from councilsim.axioms.rules import DecisionRule
from councilsim.council import Abstention, Council, Rule, SeatClass, SeatKind
from councilsim.games import WeightedGame, format_game
from councilsim.rule import Vote

__all__ = [
    "coalitions",
    "councils",
    "decision_rules",
    "game_texts",
    "profiles",
    "rules",
    "seat_classes",
    "weighted_games",
]


def seat_classes(
    *,
    id: str = "c1",
    min_seats: int = 1,
    max_seats: int = 5,
    veto: bool | None = None,
    min_weight: int = 1,
    max_weight: int = 1,
    kinds: Sequence[SeatKind] = tuple(SeatKind),
) -> st.SearchStrategy[SeatClass]:
    """One class of open seats: a size, a veto flag, a kind, a weight and a term.

    A class with the veto is permanent; the others take a kind from ``kinds``.
    """
    _bounds("seats", min_seats, max_seats, lo=1)
    _bounds("weight", min_weight, max_weight, lo=0)
    if not kinds:
        raise InvalidArgument("kinds must not be empty")
    vetoes = st.booleans() if veto is None else st.just(veto)
    return vetoes.flatmap(
        lambda v: _seat_class(
            id, st.integers(min_seats, max_seats), v, min_weight, max_weight, kinds
        )
    )


def _seat_class(
    cid: str,
    counts: st.SearchStrategy[int],
    veto: bool,
    min_weight: int,
    max_weight: int,
    kinds: Sequence[SeatKind],
) -> st.SearchStrategy[SeatClass]:
    kind = st.just(SeatKind.PERMANENT) if veto else st.sampled_from(list(kinds))
    return st.builds(
        _make_class,
        st.just(cid),
        kind,
        st.just(veto),
        counts,
        st.integers(min_weight, max_weight),
        st.integers(1, 6),
        st.booleans(),
    )


def _make_class(
    cid: str, kind: SeatKind, veto: bool, count: int, weight: int, term: int, again: bool
) -> SeatClass:
    permanent = kind is SeatKind.PERMANENT
    return SeatClass(
        cid,
        kind,
        veto,
        (None,) * count,
        weight=weight,
        term=None if permanent else term,
        reelection=False if permanent else again,
    )


def rules(
    total_weight: int,
    veto_holders: int,
    *,
    quota: tuple[float, float] = (0.0, 1.0),
    veto_threshold: int | None = None,
    abstention: Abstention | None = None,
    excess_threshold: int = 0,
) -> st.SearchStrategy[Rule]:
    """Rules for a council of ``total_weight`` votes and ``veto_holders`` veto holders.

    ``quota`` bounds the quota as fractions of the total weight (it is always in
    ``1..total_weight``); the procedural quota is drawn in the same range. ``veto_threshold``
    fixes the threshold (capped at the number of holders); ``abstention`` fixes the reading.
    A drawn threshold is at most the number of holders (at least 1) plus ``excess_threshold``:
    a threshold above the number of holders is never reached, so the veto never blocks.
    """
    if total_weight < 1:
        raise InvalidArgument(f"total_weight={total_weight} must be at least 1")
    if excess_threshold < 0:
        raise InvalidArgument(f"excess_threshold={excess_threshold} must be at least 0")
    lo, hi = _quota_range(total_weight, quota)
    holders = max(1, veto_holders)
    threshold = (
        st.integers(1, holders + excess_threshold)
        if veto_threshold is None
        else st.just(min(veto_threshold, holders))
    )
    reading = st.sampled_from(list(Abstention)) if abstention is None else st.just(abstention)
    return st.builds(Rule, st.integers(lo, hi), st.integers(lo, hi), threshold, reading)


def _quota_range(total: int, quota: tuple[float, float]) -> tuple[int, int]:
    lo_f, hi_f = quota
    if not 0.0 <= lo_f <= hi_f <= 1.0:
        raise InvalidArgument(f"quota={quota!r} must be fractions with 0 <= low <= high <= 1")
    lo = min(total, max(1, ceil(lo_f * total)))
    return lo, max(lo, min(total, floor(hi_f * total)))


def councils(
    *,
    min_seats: int = 1,
    max_seats: int = 15,
    min_classes: int = 1,
    max_classes: int = 4,
    min_veto: int = 0,
    max_veto: int | None = None,
    min_weight: int = 1,
    max_weight: int = 1,
    quota: tuple[float, float] = (0.0, 1.0),
    veto_threshold: int | None = None,
    abstention: Abstention | None = None,
    kinds: Sequence[SeatKind] = tuple(SeatKind),
    excess_threshold: int = 0,
) -> st.SearchStrategy[Council]:
    """Councils of open seats in classes ``c1, c2, ...``, with a rule valid for them.

    The number of seats is drawn first, then how many hold a veto, then how many classes, how
    the veto holders and the others split into classes, the weights and finally the rule
    (:func:`rules`, with ``quota``, ``veto_threshold``, ``abstention`` and
    ``excess_threshold``). Veto classes come first and are permanent.

    With ``min_weight=0`` some classes may have no vote at all (a case for the power engine;
    scenario files need weights of at least 1); one class, drawn first, always has a weight of
    at least 1 so that the quota can be reached.
    """
    _bounds("seats", min_seats, max_seats, lo=1)
    _bounds("classes", min_classes, max_classes, lo=1)
    _bounds("weight", min_weight, max_weight, lo=0)
    if max_weight < 1:
        raise InvalidArgument(f"max_weight={max_weight} must be at least 1")
    top_veto = max_seats if max_veto is None else max_veto
    _bounds("veto", min_veto, top_veto, lo=0)
    _quota_range(1, quota)
    lo_n = max(min_seats, min_classes, min_veto)
    hi_n = max_seats
    if max_classes == 1 and min_veto > 0:
        hi_n = min(hi_n, top_veto)  # one class: all seats hold a veto, or none
    if lo_n > hi_n:
        raise InvalidArgument("no council fits these bounds on seats, classes and veto holders")
    return _councils(
        (lo_n, hi_n),
        (min_classes, max_classes),
        (min_veto, top_veto),
        (min_weight, max_weight),
        (quota, veto_threshold, abstention, excess_threshold),
        tuple(kinds),
    )


@st.composite
def _councils(
    draw: st.DrawFn,
    seats: tuple[int, int],
    classes: tuple[int, int],
    veto: tuple[int, int],
    weight: tuple[int, int],
    rule: tuple[tuple[float, float], int | None, Abstention | None, int],
    kinds: tuple[SeatKind, ...],
) -> Council:
    n = draw(st.integers(*seats), label="seats")
    allowed = [v for v in range(veto[0], min(veto[1], n) + 1) if classes[1] > 1 or v in (0, n)]
    v = draw(st.sampled_from(allowed), label="veto holders")
    e = n - v
    k = draw(st.integers(max(classes[0], (v > 0) + (e > 0)), min(classes[1], n)), label="classes")
    kv = draw(st.integers(max(v > 0, k - e), min(v, k - (e > 0))), label="veto classes")
    sizes = [(s, True) for s in draw(_split(v, kv))] + [(s, False) for s in draw(_split(e, k - kv))]
    # one class with a vote, so that the total weight is positive
    voting = draw(st.integers(0, k - 1), label="class with a vote") if weight[0] == 0 else -1
    built = []
    for j, (count, has_veto) in enumerate(sizes):
        low = max(1, weight[0]) if j == voting else weight[0]
        cid = f"c{j + 1}"
        built.append(draw(_seat_class(cid, st.just(count), has_veto, low, weight[1], kinds=kinds)))
    shell = Council(tuple(built), Rule(1, 1))
    quota, threshold, abstention, excess = rule
    chosen = draw(
        rules(
            shell.total_weight,
            shell.veto_holders,
            quota=quota,
            veto_threshold=threshold,
            abstention=abstention,
            excess_threshold=excess,
        )
    )
    return Council(tuple(built), chosen)


def _split(total: int, parts: int) -> st.SearchStrategy[list[int]]:
    """``total`` as ``parts`` positive sizes (no parts for a total of 0)."""
    if parts <= 1:
        return st.just([total] if parts else [])
    cuts = st.lists(st.integers(1, total - 1), min_size=parts - 1, max_size=parts - 1, unique=True)
    return cuts.map(
        lambda c: [b - a for a, b in zip([0, *sorted(c)], [*sorted(c), total], strict=True)]
    )


def decision_rules(**council_bounds: object) -> st.SearchStrategy[DecisionRule]:
    """:class:`~councilsim.axioms.DecisionRule` of drawn councils (keywords of :func:`councils`)."""
    return councils(**council_bounds).map(DecisionRule.from_council)  # type: ignore[arg-type]


def profiles(
    council: Council | int,
    *,
    votes: Sequence[Vote] = tuple(Vote),
    drafts: int | None = None,
) -> st.SearchStrategy[NDArray[np.int8]]:
    """Vote profiles for a council (or a number of seats): shape ``(n,)``, or ``(drafts, n)``.

    Each seat casts one of ``votes``; profiles shrink towards every seat voting yes.
    """
    n = council if isinstance(council, int) else council.size
    if n < 1 or not votes:
        raise InvalidArgument("profiles need at least one seat and one vote code")
    codes = sorted(set(Vote(v) for v in votes))
    rows = n if drafts is None else n * drafts
    shape = (n,) if drafts is None else (drafts, n)
    return st.lists(st.sampled_from(codes), min_size=rows, max_size=rows).map(
        lambda v: np.array(v, dtype=np.int8).reshape(shape)
    )


def coalitions(council: Council | int) -> st.SearchStrategy[NDArray[np.bool_]]:
    """Coalitions of a council as boolean masks over its seats (shrinking to the empty one)."""
    n = council if isinstance(council, int) else council.size
    return st.lists(st.booleans(), min_size=n, max_size=n).map(
        lambda v: np.array(v, dtype=np.bool_)
    )


def weighted_games(
    *,
    min_players: int = 1,
    max_players: int = 8,
    min_weight: int = 0,
    max_weight: int = 10,
    max_veto: int = 0,
    quota: tuple[float, float] = (0.0, 1.0),
    excess_threshold: int = 0,
) -> st.SearchStrategy[WeightedGame]:
    """Weighted games ``[q; w1, ..., wn]`` with at most ``max_veto`` veto holders.

    One member's weight is at least 1 so that the total weight is positive; the quota is in
    ``1..total`` within the ``quota`` fractions; the veto threshold is at most the number of
    holders (at least 1) plus ``excess_threshold`` (a threshold above the number of holders is
    never reached).
    """
    _bounds("players", min_players, max_players, lo=1)
    _bounds("weight", min_weight, max_weight, lo=0)
    if max_weight < 1 or max_veto < 0 or excess_threshold < 0:
        raise InvalidArgument(
            "max_weight must be at least 1, max_veto and excess_threshold at least 0"
        )
    _quota_range(1, quota)
    return _games(
        (min_players, max_players), (min_weight, max_weight), max_veto, quota, excess_threshold
    )


@st.composite
def _games(
    draw: st.DrawFn,
    players: tuple[int, int],
    weight: tuple[int, int],
    max_veto: int,
    quota: tuple[float, float],
    excess_threshold: int,
) -> WeightedGame:
    n = draw(st.integers(*players))
    heavy = draw(st.integers(max(1, weight[0]), weight[1]))
    rest = draw(st.lists(st.integers(*weight), min_size=n - 1, max_size=n - 1))
    weights = [*rest[: n // 2], heavy, *rest[n // 2 :]]
    holders = draw(st.sets(st.integers(0, n - 1), max_size=min(max_veto, n)))
    veto = tuple(i in holders for i in range(n)) if holders else ()
    threshold = draw(st.integers(1, max(1, len(holders)) + excess_threshold))
    lo, hi = _quota_range(sum(weights), quota)
    return WeightedGame(tuple(weights), draw(st.integers(lo, hi)), veto, threshold)


def game_texts(**game_bounds: object) -> st.SearchStrategy[str]:
    """Weighted games as text in the ``[q; w...]`` notation, in several equivalent spellings.

    Only games any one of whose veto holders blocks are written (the notation has no
    threshold). Keywords are those of :func:`weighted_games`.
    """
    games = weighted_games(**game_bounds).map(  # type: ignore[arg-type]
        lambda g: WeightedGame(g.weights, g.quota, g.veto)
    )
    return st.builds(_spell, games, st.booleans(), st.booleans(), st.sampled_from([",", ", ", " "]))


def _spell(game: WeightedGame, compact: bool, brackets: bool, sep: str) -> str:
    if compact:
        text = format_game(game)
        return text if brackets else text[1:-1]
    tokens = [
        f"{w}{'v' if v else ''}"
        for w, v in zip(game.weights, game.veto or (False,) * game.size, strict=True)
    ]
    body = f"{game.quota}; {sep.join(tokens)}"
    return f"[{body}]" if brackets else body


def _bounds(what: str, low: int, high: int, *, lo: int) -> None:
    if not lo <= low <= high:
        raise InvalidArgument(f"need {lo} <= min_{what} ({low}) <= max_{what} ({high})")
