"""Reading model parameters: numbers, probabilities, points and member names.

The generic checks (integers, strings, tables, unknown keys) are those of
:mod:`councilsim.validate`; these add what vote models read. Every check raises
:class:`~councilsim.errors.ScenarioError` with the key path of the value in the scenario file
(``simulation.params.<...>``), what is wrong and how to fix it. Values come from TOML (numbers,
strings, lists, tables) or from the command line (strings).

Probabilities are kept exact where they are written exactly: a string such as ``"1/3"`` or
``"0.25"``, a :class:`~fractions.Fraction`, a :class:`~decimal.Decimal` or an integer becomes a
:class:`~fractions.Fraction`; a TOML float becomes the fraction of the decimal it was written
as (``0.1`` is 1/10). A Python float passed to a model's constructor stays a float.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any, NamedTuple

from councilsim.council import Council
from councilsim.errors import ScenarioError
from councilsim.limits import MAX_MAGNITUDE
from councilsim.validate import exact, fail, type_name

Prob = Fraction | float
"""A probability: exact (:class:`~fractions.Fraction`) or a float."""

PARAMS = "simulation.params"
"""The key path of the model parameters in a scenario file."""


def key(*parts: str | int) -> str:
    """The dotted key path of a parameter, e.g. ``key("classes", "elected", "yes")``."""
    return ".".join([PARAMS, *(str(p) for p in parts)])


class VoteProbs(NamedTuple):
    """One member's probabilities of voting yes, no, abstaining and being absent (sum 1)."""

    yes: Prob
    no: Prob
    abstain: Prob
    absent: Prob

    def floats(self) -> tuple[float, float, float, float]:
        return (float(self.yes), float(self.no), float(self.abstain), float(self.absent))


def to_prob(value: Any, where: str, *, toml: bool = False) -> Prob:
    """Read a probability in [0, 1].

    ``toml`` converts floats through their decimal text (a float read from a file or the
    command line was written as a decimal), so that ``0.5`` is exactly 1/2.
    """
    number = to_number(value, where, exact_floats=toml)
    if not 0 <= number <= 1:
        raise ScenarioError(
            f"{str(value).strip()} is not a probability", key=where, fix="give a number in 0..1"
        )
    return number


def to_number(value: Any, where: str, *, exact_floats: bool = True) -> Prob:
    """Read a finite real number: int, float, Fraction, Decimal, or a string such as "1/3";
    its size at most :data:`~councilsim.limits.MAX_MAGNITUDE`."""
    number = _number(value, where, exact_floats=exact_floats)
    if not -MAX_MAGNITUDE <= number <= MAX_MAGNITUDE:
        raise ScenarioError(
            f"{_show(value)[:60]} is absurdly large",
            key=where,
            fix=f"give a number of at most {MAX_MAGNITUDE:g} in size",
        )
    return number


def _number(value: Any, where: str, *, exact_floats: bool) -> Prob:
    if isinstance(value, bool):
        raise fail(where, f"expected a number, found {_found(value)}", 'write e.g. 0.5 or "1/2"')
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, Decimal):
        return exact(value, where)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ScenarioError(f"{value} is not finite", key=where, fix="give a finite number")
        return Fraction(repr(value)) if exact_floats else value
    if isinstance(value, str):
        try:
            return exact(value, where)
        except ScenarioError:
            raise
        except (ValueError, ZeroDivisionError):
            raise ScenarioError(
                f"{value!r} is not a number",
                key=where,
                fix='write a decimal or a fraction such as "1/3"',
            ) from None
    raise fail(where, f"expected a number, found {_found(value)}", 'write e.g. 0.5 or "1/2"')


def to_float(
    value: Any, where: str, *, low: float | None = None, high: float | None = None
) -> float:
    """Read a finite float, optionally within ``[low, high]``."""
    number = float(to_number(value, where))
    if (low is not None and number < low) or (high is not None and number > high):
        rng = f"{'' if low is None else low}..{'' if high is None else high}"
        raise ScenarioError(
            f"{_show(value)} is out of range", key=where, fix=f"use a value in {rng}"
        )
    return number


def to_point(value: Any, where: str, dims: int | None = None) -> tuple[float, ...]:
    """A point: a number (a one-dimensional point) or a list of numbers, one per dimension."""
    if isinstance(value, Sequence) and not isinstance(value, str):
        point = tuple(to_float(v, f"{where}[{k}]") for k, v in enumerate(value))
        if not point:
            raise ScenarioError(
                "the point is empty", key=where, fix="give one number per dimension"
            )
    else:
        point = (to_float(value, where),)
    if dims is not None and len(point) not in (1, dims):
        raise ScenarioError(
            f"{len(point)} coordinates for {dims} dimensions",
            key=where,
            fix=f"give {dims} numbers (or one, used in every dimension)",
        )
    return point


def resolve_member(council: Council, name: str, where: str, *, classes: bool = False) -> list[int]:
    """Seat indices a name stands for: a holder code or seat label (or, with ``classes``, a
    class id)."""
    if classes:
        for cls in council.classes:
            if cls.id == name:
                return [i for i, s in enumerate(council.seats) if s.seat_class == cls.id]
    try:
        return [council.index_of(name)]
    except KeyError:
        pass
    options = "a holder code or seat label" + (" or a class id" if classes else "")
    raise ScenarioError(
        f"no seat {name!r} in this council",
        key=where,
        fix=f"use {options}: {', '.join(council.labels())}",
    )


def marginals(
    table: Mapping[str, Any], where: str, *, default_yes: Prob | None = None
) -> VoteProbs:
    """Read ``yes``, ``no``, ``abstain`` and ``absent`` probabilities from a table.

    ``abstain`` and ``absent`` default to 0. If one of ``yes`` and ``no`` is missing it takes
    what the others leave; if both are, ``yes`` is ``default_yes`` (an error when ``None``)
    and ``no`` the rest. The four must sum to 1.
    """
    given = {
        name: to_prob(table[name], f"{where}.{name}", toml=True)
        for name in ("yes", "no", "abstain", "absent")
        if name in table
    }
    return complete(given, where, default_yes=default_yes)


def complete(
    given: Mapping[str, Prob], where: str, *, default_yes: Prob | None = None
) -> VoteProbs:
    """Fill in the missing vote probabilities (see :func:`marginals`) and check the sum."""
    zero = Fraction(0)
    abstain = given.get("abstain", zero)
    absent = given.get("absent", zero)
    yes: Prob | None = given.get("yes")
    no: Prob | None = given.get("no")
    if yes is None and no is None:
        if default_yes is None:
            raise ScenarioError("neither yes nor no is given", key=where, fix="set yes (or no)")
        yes = default_yes
    if yes is None:
        assert no is not None
        yes = _rest(no, abstain, absent)
        missing = "yes"
    elif no is None:
        no = _rest(yes, abstain, absent)
        missing = "no"
    else:
        missing = ""
    assert yes is not None and no is not None
    total = yes + no + abstain + absent
    off = total != 1 if isinstance(total, Fraction) else abs(float(total) - 1.0) > 1e-12
    if float(yes) < -1e-12 or float(no) < -1e-12 or (not missing and off):
        raise ScenarioError(
            f"the probabilities sum to {float(total):g}"
            if not missing
            else f"yes, no, abstain and absent leave {float(yes if missing == 'yes' else no):g} "
            f"for {missing}",
            key=where,
            fix="make yes + no + abstain + absent = 1",
        )
    return VoteProbs(_clip(yes), _clip(no), abstain, absent)


def _rest(*parts: Prob) -> Prob:
    """What ``parts`` leave of 1."""
    out: Prob = Fraction(1)
    for part in parts:
        out = out - part
    return out


def _clip(p: Prob) -> Prob:
    return max(p, type(p)(0)) if isinstance(p, float) else p


def _found(value: Any) -> str:
    return f"{type_name(value)} {value!r}"[:120]


def _show(value: Any) -> str:
    return repr(value) if isinstance(value, str) else str(value)
