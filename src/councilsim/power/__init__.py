"""Exact a-priori voting power of the members of a council or weighted game.

The a-priori model: each member votes yes or no, all ``2**n`` coalitions of yes voters equally
likely; a coalition wins iff the council's rule adopts the draft when exactly its members vote
yes (:func:`councilsim.rule.decide`). Definitions follow Felsenthal & Machover (1998), *The
Measurement of Voting Power*, Edward Elgar.

Counting is exact (Python integers). A council, or a game whose members fall into few classes of
equal weight and veto, is counted class by class (:mod:`councilsim.power.classes`); other games
by generating functions over weight (:mod:`councilsim.power.generating`,
:mod:`councilsim.power.minimal`), which scale to hundreds of members for every index but
Johnston's, counted by class only. :func:`power` returns floats, or
:class:`~fractions.Fraction` with ``exact=True``; :func:`feasible_indices` says which indices
a game allows.

>>> from councilsim.games import parse_game
>>> r = power(parse_game("39; 7*5, 1*10"), exact=True)
>>> r.shapley_shubik[0], r.shapley_shubik[5], r.swings[0], r.swings[5]
(Fraction(421, 2145), Fraction(4, 2145), 848, 84)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from math import ceil, factorial
from typing import Any, Literal

from councilsim.council import Council
from councilsim.errors import ScenarioError
from councilsim.formatting import fraction_text
from councilsim.games import WeightedGame, class_id, game_from_council
from councilsim.indices import INDICES
from councilsim.limits import MAX_POWER_BYTES, MAX_POWER_SECONDS
from councilsim.power.classes import MAX_VECTORS, class_counts, vector_count
from councilsim.power.counts import (
    Game,
    PowerCounts,
    split_game,
    types_of,
)

Number = Fraction | float
Method = Literal["auto", "classes", "dp", "brute"]

SMALL_VECTORS = 4096
"""Below this many count vectors class enumeration is the fastest method for every index."""


_NEEDS = {
    "shapley_shubik": {"shapley"},
    "johnston": {"johnston"},
    "deegan_packel": {"minimal", "minimal_share"},
    "public_good": {"minimal"},
}


@dataclass(frozen=True)
class PowerResult:
    """Power of every member of one game; index values are in member order.

    ``values`` maps each computed index id (see :data:`INDICES`) to one value per member; the
    indices are also attributes (``result.banzhaf``). ``coleman_act`` is the game's power to
    act, the share of winning coalitions (Coleman 1971).
    """

    members: tuple[str, ...]
    classes: tuple[str, ...]
    veto: tuple[bool, ...]
    weights: tuple[int, ...]
    quota: int
    exact: bool
    winning_coalitions: int
    minimal_winning_coalitions: int | None
    swings: tuple[int, ...]
    coleman_act: Number
    values: dict[str, tuple[Number, ...]]

    def __getattr__(self, name: str) -> tuple[Number, ...]:
        if name in INDICES:
            try:
                return self.values[name]
            except KeyError:
                raise AttributeError(f"the {name} index was not computed") from None
        raise AttributeError(name)

    def by_class(self) -> list[dict[str, Any]]:
        """Per class: seats, veto, the value of one seat and the class total for each index."""
        rows: list[dict[str, Any]] = []
        for cls in dict.fromkeys(self.classes):
            seats = [i for i, c in enumerate(self.classes) if c == cls]
            first = seats[0]
            row: dict[str, Any] = {"class": cls, "seats": len(seats), "veto": self.veto[first]}
            row["swings"] = {
                "seat": self.swings[first],
                "total": sum(self.swings[i] for i in seats),
            }
            for name, vals in self.values.items():
                row[name] = {"seat": vals[first], "total": _sum(vals[i] for i in seats)}
            rows.append(row)
        return rows

    def to_dict(self, exact: bool | None = None) -> dict[str, Any]:
        """A JSON-ready dict; with ``exact`` values are ``"p/q"`` strings, else floats."""
        as_exact = self.exact if exact is None else exact
        conv = _convert(as_exact)
        members = []
        for i, name in enumerate(self.members):
            row: dict[str, Any] = {
                "member": name,
                "class": self.classes[i],
                "weight": self.weights[i],
                "veto": self.veto[i],
                "swings": self.swings[i],
            }
            row.update({k: conv(v[i]) for k, v in self.values.items()})
            members.append(row)
        return {
            "quota": self.quota,
            "coleman_act": conv(self.coleman_act),
            "winning_coalitions": self.winning_coalitions,
            "minimal_winning_coalitions": self.minimal_winning_coalitions,
            "members": members,
        }


def _sum(values: Iterable[Number]) -> Number:
    total: Number = 0
    for v in values:
        total = total + v
    return total


def _convert(exact: bool) -> Any:
    if exact:
        return fraction_text
    return float


def power(
    game: WeightedGame | Council,
    *,
    exact: bool = False,
    indices: Sequence[str] | None = None,
    method: Method = "auto",
    max_seconds: float = MAX_POWER_SECONDS,
    max_bytes: float = MAX_POWER_BYTES,
) -> PowerResult:
    """Exact a-priori power indices of every member.

    Parameters
    ----------
    game
        A weighted game or a council (its substantive rule, yes/no votes).
    exact
        Return :class:`~fractions.Fraction` values instead of floats.
    indices
        Index ids from :data:`INDICES` to compute (default: all).
    method
        ``"classes"`` (count vectors per class), ``"dp"`` (generating functions over weight),
        ``"brute"`` (all coalitions through :func:`councilsim.rule.decide`, at most 20
        members) or ``"auto"`` (see :func:`count`).
    max_seconds, max_bytes
        The longest a count by generating functions may be estimated to take (seconds on one
        core) and the most memory it may be estimated to hold (:func:`work_estimate`); by
        default :data:`~councilsim.limits.MAX_POWER_SECONDS` and
        :data:`~councilsim.limits.MAX_POWER_BYTES`. Raise them to count a large game anyway.

    Raises
    ------
    ScenarioError
        For an unknown index, or an index too large to count for this game.

    Examples
    --------
    >>> from councilsim.games import parse_game
    >>> r = power(parse_game("4; 3, 2, 1, 1"), exact=True, indices=["banzhaf", "shapley_shubik"])
    >>> r.swings
    (6, 2, 2, 2)
    >>> r.banzhaf
    (Fraction(1, 2), Fraction(1, 6), Fraction(1, 6), Fraction(1, 6))
    >>> sorted(r.values)
    ['banzhaf', 'shapley_shubik']

    A council's members are its seats, in order; values are floats unless ``exact``:

    >>> from councilsim.scenario import load
    >>> today = power(load("current").council, indices=["banzhaf"])
    >>> today.classes[0], round(today.banzhaf[0], 4), today.classes[5], round(today.banzhaf[5], 4)
    ('permanent', 0.1669, 'elected', 0.0165)
    """
    wanted = _check_indices(indices)
    weighted, classes = _as_game(game)
    needs = set().union(*(_NEEDS.get(i, set()) for i in wanted))
    counts = count(
        weighted, needs=needs, method=method, max_seconds=max_seconds, max_bytes=max_bytes
    )
    return _result(weighted, classes, counts, wanted, exact)


def feasible_indices(
    game: WeightedGame | Council,
    *,
    max_seconds: float = MAX_POWER_SECONDS,
    max_bytes: float = MAX_POWER_BYTES,
) -> list[str]:
    """The indices :func:`power` can count for this game in reasonable time and memory.

    Everything when class enumeration can be used; otherwise the indices whose generating
    functions stay within :data:`~councilsim.power.generating.MAX_WORK` and
    :data:`~councilsim.power.generating.MAX_BYTES` (Johnston only without veto holders), and
    whose estimate stays within ``max_seconds`` and ``max_bytes`` (as in :func:`power`).
    """
    weighted, _ = _as_game(game)
    types = types_of(weighted)
    if vector_count(types) <= MAX_VECTORS:
        return list(INDICES)
    from councilsim.power.generating import dp_refusal

    return [
        i
        for i in INDICES
        if dp_refusal(types, weighted.quota, _NEEDS.get(i, set())) is None
        and _over_budget(weighted, _NEEDS.get(i, set()), max_seconds, max_bytes) is None
    ]


def count(
    weighted: WeightedGame,
    *,
    needs: set[str],
    method: Method = "auto",
    max_seconds: float = MAX_POWER_SECONDS,
    max_bytes: float = MAX_POWER_BYTES,
) -> PowerCounts:
    """The raw :class:`~councilsim.power.counts.PowerCounts` of a game by the chosen method
    (``max_seconds``, ``max_bytes``: as in :func:`power`).

    ``auto`` enumerates count vectors when there are few (at most :data:`SMALL_VECTORS`), or up
    to :data:`~councilsim.power.classes.MAX_VECTORS` when generating functions would refuse
    (Johnston values, which only class enumeration counts; veto holders of too many weights;
    too much work); otherwise it uses generating functions.
    """
    types = types_of(weighted)
    if method == "brute":
        from councilsim.power.brute import brute_counts

        return brute_counts(weighted)
    vectors = vector_count(types)
    if method == "classes" or (method == "auto" and vectors <= SMALL_VECTORS):
        return class_counts(types, weighted.quota)
    # generating functions: imported for games too large to count by class (not a council)
    from councilsim.power.generating import dp_counts, dp_refusal, work

    game = split_game(types, weighted.quota)
    effort = work(game, needs)
    refusal = dp_refusal(types, weighted.quota, needs, game, effort)
    if refusal is not None and method == "auto" and vectors <= MAX_VECTORS:
        return class_counts(types, weighted.quota)
    if refusal is not None:
        raise refusal
    over = _over_budget(weighted, needs, max_seconds, max_bytes, game, effort)
    if over is not None:
        raise over
    return dp_counts(types, weighted.quota, needs, game)


_SPEED = {
    "Banzhaf": 2.5e11,
    "public good": 2.5e11,
    "Johnston": 6e9,
}
"""Word operations per second of each count by generating functions, measured on one core of
the reference machine (2 cores, Python 3.12) for councils of 200 to 600 members in ten weight
classes and of 1,000 and 3,000 members of random weights 1-100 (Banzhaf: 1.5 s and 104 s):
the cost model is the estimated bits moved (:func:`~councilsim.power.generating.work`) times
the members, in 64-bit words (Johnston: 100 and 150 members of random weights 1-100, 1.5 s and
7.9 s). Shapley-Shubik and Deegan-Packel: :data:`SECONDS_PER_BIT`."""

SECONDS_PER_BIT = {"Shapley-Shubik": 1.5e-11, "Deegan-Packel": 4.5e-11}
"""Seconds per bit of work (:func:`~councilsim.power.generating.work`) of the counts whose
time is fitted to that work alone, on one core of the reference machine. Shapley-Shubik
(``members * quota * sizes * bits``): 200-700 members of random weights 1-100 take
1.07-1.42e-11 s per bit (0.4, 1.6, 5.7, 15.4, 30.8 and 51.8 s); its former model, work times
the members, grew as ``n**5`` where the time grows as ``n**3.4`` and overstated 700 members
3.5 times. Deegan-Packel (``(classes + DP_MEMBER_SHARE * members) * quota * sizes * bits``),
fitted with :data:`~councilsim.power.generating.DP_MEMBER_SHARE` to its time at 150, 200, 300,
400 and 500 members of random weights 1-100 (0.33, 0.67, 2.58, 7.41 and 15.9 s, each within
10 %: the time grows a little faster than the work, 9 % under at 500 members)."""

_COPIES = {"Shapley-Shubik": 3.4, "Deegan-Packel": 2.5}
"""Tables of the largest size held at once, counting the big-integer temporaries: 4 unless
measured otherwise (Shapley-Shubik at 500, 600 and 700 members of random weights 1-100:
2.6, 3.3 and 3.2 tables of 273, 487 and 747 MB in peak resident memory; Deegan-Packel, which
holds the product's rows and ``Psi`` by size and reads ``Psi`` a batch of points at a time,
at 300, 400 and 500 members: 1.3, 1.5 and 1.35 tables of 62, 140 and 272 MB beside the
interpreter (123 MB, 250 MB and 407 MB peak resident memory), and 1.2-2.4 tables traced by
``tracemalloc`` at 70-200 members, the most for games of few weight classes with veto
holders)."""


def work_estimate(game: WeightedGame | Council, needs: set[str]) -> dict[str, tuple[float, int]]:
    """Estimated seconds and bytes of memory of each count by generating functions.

    ``needs`` are the counts asked for (``shapley``, ``minimal``, ``minimal_share``; the
    Banzhaf count is always made). The estimate is made before any work, from the sizes of
    the tables: refused above :data:`~councilsim.limits.MAX_POWER_SECONDS` or
    :data:`~councilsim.limits.MAX_POWER_BYTES`.
    """
    weighted, _ = _as_game(game)
    return _estimate(split_game(types_of(weighted), weighted.quota), weighted.size, needs)


def _estimate(
    split: Game, n: int, needs: set[str], effort: dict[str, tuple[int, int]] | None = None
) -> dict[str, tuple[float, int]]:
    from councilsim.power import product_tree
    from councilsim.power.generating import uses_tree, work

    effort = effort or work(split, needs)
    out = {
        index: (_seconds(index, bits, n), int(table * _COPIES.get(index, 4)))
        for index, (bits, table) in effort.items()
    }
    if uses_tree(split, needs):  # FLINT's product tree instead of the packed product
        tree = product_tree.seconds(split.plain_members, split.quota, len(split.plain))
        out["Banzhaf"] = (tree, effort["Banzhaf"][1] * product_tree.COPIES)
    return out


def _seconds(index: str, bits: int, n: int) -> float:
    """The estimated time of one count from its work in bits (see :data:`_SPEED`)."""
    if index in SECONDS_PER_BIT:
        return bits * SECONDS_PER_BIT[index]
    return bits * n / 64 / _SPEED[index]


def _over_budget(
    weighted: WeightedGame,
    needs: set[str],
    max_seconds: float,
    max_bytes: float,
    split: Game | None = None,
    effort: dict[str, tuple[int, int]] | None = None,
) -> ScenarioError | None:
    split = split or split_game(types_of(weighted), weighted.quota)
    estimate = _estimate(split, weighted.size, needs, effort)
    seconds = sum(s for s, _ in estimate.values())
    memory = max(m for _, m in estimate.values())
    if seconds <= max_seconds and memory <= max_bytes:
        return None
    slow = seconds > max_seconds
    index = max(estimate, key=lambda i: estimate[i][0 if slow else 1])
    what = "any power index" if index == "Banzhaf" else f"the {index} index"
    raise_to = []
    if slow:
        raise_to.append(f"--max-seconds {ceil(seconds * 1.5)}")
    if memory > max_bytes:
        raise_to.append(f"--max-gb {ceil(memory * 1.25 / 1e8) / 10:g}")
    return ScenarioError(
        f"{what} of this game of {weighted.size} members would take about "
        f"{_duration(seconds)} and {memory / 1e9:.1f} GB to count exactly (limits: "
        f"{_duration(max_seconds)}, {max_bytes / 1e9:.1f} GB)",
        fix="use a smaller council, Monte Carlo estimates (councilsim simulate), or "
        "cheaper indices with --index (banzhaf is the cheapest); or allow it: councilsim "
        f"power ... {' '.join(raise_to)} (max_seconds=, max_bytes= in Python)",
    )


def _duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.0f} h"


def _check_indices(indices: Sequence[str] | None) -> list[str]:
    if indices is None:
        return list(INDICES)
    unknown = [i for i in indices if i not in INDICES]
    if unknown:
        raise ScenarioError(
            f"unknown power index {unknown[0]!r}", fix=f"choose from {', '.join(INDICES)}"
        )
    return [i for i in INDICES if i in indices]


def _as_game(game: WeightedGame | Council) -> tuple[WeightedGame, tuple[str, ...]]:
    if isinstance(game, Council):
        ids = tuple(game.classes[c].id for c in game.class_index)
        return game_from_council(game), ids
    return game, tuple(class_id(w, v) for w, v in zip(game.weights, game.veto, strict=True))


def _result(
    game: WeightedGame,
    classes: tuple[str, ...],
    counts: PowerCounts,
    wanted: list[str],
    exact: bool,
) -> PowerResult:
    n = game.size
    per_type = [int(s) for s in counts.swings]
    swings = tuple(per_type[t] for t in counts.member_type)
    fractions = _fractions(counts, swings, n, wanted)
    act = Fraction(counts.winning, 2**n)
    values: dict[str, tuple[Fraction | float, ...]] = {
        name: tuple(fractions[name]) if exact else tuple(map(float, fractions[name]))
        for name in wanted
    }
    return PowerResult(
        members=game.names,
        classes=classes,
        veto=game.veto,
        weights=game.weights,
        quota=game.quota,
        exact=exact,
        winning_coalitions=counts.winning,
        minimal_winning_coalitions=counts.minimal,
        swings=swings,
        coleman_act=act if exact else float(act),
        values=values,
    )


def _fractions(
    counts: PowerCounts, swings: tuple[int, ...], n: int, wanted: list[str]
) -> dict[str, list[Fraction]]:
    """Every index ``wanted`` that is a ratio of swings, and every other index counted."""
    denominators = {
        "banzhaf": sum(swings),
        "banzhaf_absolute": 2 ** (n - 1),
        "coleman_prevent": counts.winning,
        "coleman_initiate": 2**n - counts.winning,
    }
    out = {name: _ratios(swings, d) for name, d in denominators.items() if name in wanted}
    if counts.shapley is not None:
        nf = factorial(counts.n)
        out["shapley_shubik"] = [Fraction(v, nf) for v in counts.per_member(counts.shapley)]
    if counts.johnston is not None:
        out["johnston"] = _normalize(counts.per_member(counts.johnston))
    if counts.minimal_share is not None and counts.minimal:
        share = counts.per_member(counts.minimal_share)
        out["deegan_packel"] = [Fraction(v) / counts.minimal for v in share]
    if counts.minimal_with is not None:
        out["public_good"] = _normalize(counts.per_member(counts.minimal_with))
    return out


def _ratios(counts: tuple[int, ...], denominator: int) -> list[Fraction]:
    """``Fraction(c, denominator)`` for each count, each distinct one reduced once."""
    reduced = {c: Fraction(c, denominator) for c in set(counts)}
    return [reduced[c] for c in counts]


def _normalize(values: list[int] | list[Fraction]) -> list[Fraction]:
    total = sum(values, Fraction(0))
    return [Fraction(v) / total for v in values]
