"""Axioms of power indices: efficiency, symmetry, null player, dominance, veto ordering.

An index gives each seat a number, its a-priori voting power in the rule's simple game (every
seat votes yes or no). The values come from :func:`councilsim.power.power` for a rule built
from a council or a weighted game, and otherwise from :func:`lattice_power`, which counts the
marginal contributions over the coalition lattice. Either way they can be passed in
(``values=``) to check another engine.

The postulates follow Felsenthal & Machover (1998), ch. 7, and the game-theoretic axioms of
Shapley (1953) and Dubey & Shapley (1979), "Mathematical properties of the Banzhaf power
index", Mathematics of Operations Research 4:99 [chapter reference recalled, R].
"""

from __future__ import annotations

from collections.abc import ItemsView, Mapping, Sequence
from fractions import Fraction
from math import comb, factorial, prod
from typing import NamedTuple, TypeVar

import numpy as np
from numpy.typing import NDArray

from councilsim.axioms.coalitions import lattice
from councilsim.axioms.counterexamples import IndexViolation
from councilsim.axioms.profiles import trusted
from councilsim.axioms.rules import DecisionRule
from councilsim.axioms.space import LIMIT, along
from councilsim.formatting import cell, fraction_text
from councilsim.power import power

__all__ = [
    "DEFAULT_INDICES",
    "Values",
    "dominance",
    "efficiency",
    "lattice_power",
    "null_player",
    "power_values",
    "symmetry",
    "veto_ordering",
]

_T = TypeVar("_T", bound=np.generic)

Values = Mapping[str, Sequence[Fraction | float | int]]
"""Index id to one value per seat, in seat order (as :attr:`PowerResult.values`)."""

DEFAULT_INDICES = ("shapley_shubik", "banzhaf", "banzhaf_absolute")
EFFICIENT = ("shapley_shubik", "banzhaf", "johnston", "deegan_packel", "public_good")
"""Indices that share out one unit of power, so their values sum to 1."""


def efficiency(
    rule: DecisionRule, *, values: Values | None = None, limit: int = LIMIT
) -> IndexViolation | None:
    """Efficiency: the shares of a normalised index sum to one.

    The Shapley-Shubik index divides the grand coalition's worth among the seats (Shapley
    1953; Felsenthal & Machover 1998), so its values sum to ``v(N) - v(empty)``, which is
    1 for every rule that adopts a unanimous draft and rejects an empty one; the normalised
    Banzhaf, Johnston, Deegan-Packel and public good indices sum to 1 by construction whenever
    some seat has power. The absolute Banzhaf measure is not normalised and not checked.
    """
    vals = _values(rule, values, limit)
    _, win, _ = lattice(trusted(rule, limit), limit=limit)
    for name, v in vals.items():
        if name not in EFFICIENT:
            continue
        total = sum(v, Fraction(0))
        if name == "shapley_shubik":
            want = Fraction(int(win.flat[-1]) - int(win.flat[0]))
        else:
            want = Fraction(int(any(x != 0 for x in v)))
        if vals.differ(total, want):
            return IndexViolation(
                axiom="efficiency",
                labels=rule.labels,
                index=name,
                seats=tuple(range(rule.size)),
                values=(total,),
                detail=f"the values sum to {_fmt(total)}, not {_fmt(want)}",
            )
    return None


def symmetry(
    rule: DecisionRule, *, values: Values | None = None, limit: int = LIMIT
) -> IndexViolation | None:
    """Symmetry: seats that play the same part in the game have the same power.

    Seats ``i`` and ``j`` are symmetric when for every coalition ``S`` containing neither,
    ``S + i`` wins iff ``S + j`` wins (Taylor & Zwicker 1999, ch. 3, the desirability
    relation with both directions; Felsenthal & Machover 1998, ch. 7, anonymity of a power
    measure). Seats of one class are symmetric in a rule anonymous within its classes; seats of
    two classes may be too (a new permanent seat without veto and an elected seat).
    """
    vals = _values(rule, values, limit)
    r = trusted(rule, limit)
    _, win, _ = lattice(r, limit=limit)
    groups = [list(m) for m in r.members]
    for c in range(win.ndim):
        for d in range(c + 1, win.ndim):
            if _symmetric(win, c, d):
                groups[c] += list(r.members[d])
    for seats in groups:
        for name, v in vals.items():
            odd = next((j for j in seats if vals.differ(v[j], v[seats[0]])), None)
            if odd is not None:
                i = seats[0]
                return _pair("symmetry", rule, name, v, i, odd, "symmetric seats", "!=")
    return None


def null_player(
    rule: DecisionRule, *, values: Values | None = None, limit: int = LIMIT
) -> IndexViolation | None:
    """The null player property: a seat whose vote never changes the outcome has no power.

    A seat is null when ``S + i`` wins iff ``S`` wins for every coalition ``S`` (Shapley 1953,
    the dummy axiom; Felsenthal & Machover 1998, ch. 7). Every index here must give it 0; a
    seat whose weight is zero, or too small ever to matter, is one.
    """
    vals = _values(rule, values, limit)
    r = trusted(rule, limit)
    _, win, _ = lattice(r, limit=limit)
    for c, seats in enumerate(r.members):
        if np.array_equal(_cut(win, c, 0), _cut(win, c, 1)):
            for name, v in vals.items():
                odd = next((i for i in seats if vals.differ(v[i], Fraction(0))), None)
                if odd is not None:
                    return IndexViolation(
                        axiom="null_player",
                        labels=rule.labels,
                        index=name,
                        seats=(odd,),
                        values=(v[odd],),
                        detail=f"{rule.labels[odd]} never changes the outcome but has "
                        f"{_fmt(v[odd])}",
                    )
    return None


def dominance(
    rule: DecisionRule, *, values: Values | None = None, limit: int = LIMIT
) -> IndexViolation | None:
    """Dominance: more weight never means less power.

    Of two seats alike in veto, the one with more weight has at least as much power (Felsenthal
    & Machover 1998, ch. 7, the dominance postulate: an index must respect the desirability
    relation, and in a weighted game more weight makes a seat at least as desirable).
    """
    vals = _values(rule, values, limit)
    for i in range(rule.size):
        for j in range(rule.size):
            if rule.veto[i] == rule.veto[j] and rule.weights[i] > rule.weights[j]:
                for name, v in vals.items():
                    if vals.less(v[i], v[j]):
                        return _pair("dominance", rule, name, v, i, j, "more weight", "<")
    return None


def veto_ordering(
    rule: DecisionRule, *, values: Values | None = None, limit: int = LIMIT
) -> IndexViolation | None:
    """Veto ordering: a veto holder has at least the power of any seat without a veto.

    For every veto holder ``i`` and seat ``j`` without a veto, ``power(i) >= power(j)``. It
    holds when the veto holders are at least as desirable as the others (Taylor & Zwicker 1999,
    ch. 3; Felsenthal & Machover 1998, ch. 7), which equal weights and Art. 27(3)
    guarantee; it asks, for instance, whether a double veto still leaves every permanent member
    at least as powerful as an elected one.
    """
    vals = _values(rule, values, limit)
    holders = [i for i in range(rule.size) if rule.veto[i]]
    others = [j for j in range(rule.size) if not rule.veto[j]]
    for name, v in vals.items():
        for i in holders:
            for j in others:
                if vals.less(v[i], v[j]):
                    return _pair("veto_ordering", rule, name, v, i, j, "veto holder", "<")
    return None


def power_values(
    rule: DecisionRule, indices: Sequence[str] = DEFAULT_INDICES, *, limit: int = LIMIT
) -> dict[str, tuple[Fraction, ...]]:
    """Exact index values per seat: the power engine where it applies, else the lattice."""
    key = f"power:{','.join(indices)}:{limit}"
    cached = rule.cache.get(key)
    if isinstance(cached, dict):
        return cached
    source = rule.council if rule.council is not None else rule.game
    if source is not None:
        result = power(source, exact=True, indices=list(indices))
        out = {k: tuple(Fraction(x) for x in result.values[k]) for k in indices}
    else:
        everything = lattice_power(rule, limit=limit)
        out = {k: everything[k] for k in indices}
    rule.cache[key] = out
    return out


def lattice_power(rule: DecisionRule, *, limit: int = LIMIT) -> dict[str, tuple[Fraction, ...]]:
    """Banzhaf and Shapley-Shubik values of any rule, from its coalition lattice.

    Seat ``i``'s marginal contribution to ``S`` is ``v(S + i) - v(S)``. The absolute Banzhaf
    value averages it over the ``2**(n-1)`` coalitions without ``i`` (Penrose 1946; Banzhaf
    1965); the Shapley-Shubik value weights a coalition of ``k`` seats by
    ``k! (n-k-1)! / n!`` (Shapley & Shubik 1954). Counts are exact; for a rule that is not
    monotone, contributions can be negative.
    """
    r = trusted(rule, limit)
    _, win, size = lattice(r, limit=limit)
    n = r.size
    w = win.astype(np.int64)
    swings: list[int] = []
    shapley: list[Fraction] = []
    for c in range(len(r.members)):
        gain = _cut(w, c, 1) - _cut(w, c, 0)
        sizes = _cut(size, c, 0)
        per_size = _by_size(r, c, gain, sizes)
        swings.append(sum(per_size))
        shapley.append(
            sum(
                (
                    Fraction(factorial(k) * factorial(n - k - 1) * x, factorial(n))
                    for k, x in enumerate(per_size)
                ),
                Fraction(0),
            )
        )
    total = sum(s * len(m) for s, m in zip(swings, r.members, strict=True))
    cls = r.classes
    return {
        "banzhaf": tuple(
            Fraction(swings[cls[i]], total) if total else Fraction(0) for i in range(n)
        ),
        "banzhaf_absolute": tuple(Fraction(swings[cls[i]], 2 ** (n - 1)) for i in range(n)),
        "shapley_shubik": tuple(shapley[cls[i]] for i in range(n)),
        "swings": tuple(Fraction(swings[cls[i]]) for i in range(n)),
    }


def _by_size(
    rule: DecisionRule, c: int, gain: NDArray[np.int64], sizes: NDArray[np.int64]
) -> list[int]:
    """Marginal contributions of a seat of class ``c``, summed by the size of the coalition.

    A point stands for ``prod_d C(m_d, s_d)`` coalitions (``m_c - 1`` seats for the seat's own
    class); below 2**62 coalitions the sums fit 64-bit integers, above them Python integers.
    """
    n = rule.size
    out = [0] * n
    if n > 62:
        for point in zip(*np.nonzero(gain), strict=True):
            ways = prod(comb(len(m) - (d == c), int(point[d])) for d, m in enumerate(rule.members))
            out[int(sizes[point])] += int(gain[point]) * ways
        return out
    mult: NDArray[np.int64] = np.ones(gain.shape, dtype=np.int64)
    for d, members in enumerate(rule.members):
        seats = len(members) - (d == c)
        binom = np.array([comb(seats, k) for k in range(gain.shape[d])], dtype=np.int64)
        mult = mult * along(binom, d, gain.ndim)
    totals = np.zeros(n, dtype=np.int64)
    np.add.at(totals, sizes.ravel(), (gain * mult).ravel())
    return [int(x) for x in totals]


def _values(rule: DecisionRule, values: Values | None, limit: int) -> _Checked:
    """Values as fractions, with a tolerance when any was given as a float."""
    if values is None:
        return _Checked(power_values(rule, limit=limit), Fraction(0))
    out: dict[str, tuple[Fraction, ...]] = {}
    tol = Fraction(0)
    for name, v in values.items():
        if len(v) != rule.size:
            raise ValueError(f"{name} has {len(v)} values for {rule.size} seats")
        if any(isinstance(x, float) for x in v):
            tol = Fraction(1, 10**9)
        out[name] = tuple(Fraction(x) for x in v)
    return _Checked(out, tol)


class _Checked(NamedTuple):
    values: dict[str, tuple[Fraction, ...]]
    tol: Fraction

    def items(self) -> ItemsView[str, tuple[Fraction, ...]]:
        return self.values.items()

    def differ(self, a: Fraction, b: Fraction) -> bool:
        return abs(a - b) > self.tol

    def less(self, a: Fraction, b: Fraction) -> bool:
        return a < b - self.tol


def _symmetric(win: NDArray[np.bool_], c: int, d: int) -> bool:
    """Whether a seat of class ``c`` and one of class ``d`` can replace each other."""
    with_c = _cut(_cut(win, c, 1), d, 0)
    with_d = _cut(_cut(win, c, 0), d, 1)
    return bool(np.array_equal(with_c, with_d))


def _cut(a: NDArray[_T], axis: int, start: int) -> NDArray[_T]:
    index = [slice(None)] * a.ndim
    index[axis] = slice(start, a.shape[axis] - 1 + start)
    return a[tuple(index)]


def _pair(
    axiom: str,
    rule: DecisionRule,
    index: str,
    v: Sequence[Fraction],
    i: int,
    j: int,
    what: str,
    op: str,
) -> IndexViolation:
    a, b = v[i], v[j]
    return IndexViolation(
        axiom=axiom,
        labels=rule.labels,
        index=index,
        seats=(i, j),
        values=(a, b),
        detail=f"{rule.labels[i]} ({what}) has {_fmt(a)} {op} {rule.labels[j]}'s {_fmt(b)}",
    )


def _fmt(x: Fraction) -> str:
    return fraction_text(x) if x.denominator == 1 else f"{fraction_text(x)} (~{cell(float(x))})"
