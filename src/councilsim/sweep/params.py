"""The parameters a sweep varies, and how their values are written.

Values come from a sweep file (an array, one value, or a string in the range syntax) or from
``--vary NAME=VALUES`` on the command line (the range syntax). The range syntax is a comma
list of items, each a value or an inclusive range ``a:b`` or ``a:b:step``::

    9:15          9, 10, 11, 12, 13, 14, 15
    10:20:2       10, 12, 14, 16, 18, 20
    1,2,5         1, 2, 5
    9:11,15       9, 10, 11, 15
    0.3:0.7:0.1   0.3, 0.4, 0.5, 0.6, 0.7  (exact decimal steps)
    practice,literal

Every check raises :class:`~councilsim.errors.ScenarioError` through an ``Err`` callable that
knows where the value was written (file, line and key, or the command-line option).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from councilsim.council import Abstention
from councilsim.errors import ScenarioError
from councilsim.formatting import fraction_text
from councilsim.limits import MAX_CONFIGS, MAX_SEATS, MAX_WEIGHT
from councilsim.models import MODELS
from councilsim.validate import exact

Value = int | float | str
"""A parameter value: an integer, an exact decimal written as a float, or a string."""

Err = Callable[[str, str], ScenarioError]
"""Builds the error for a problem and its fix at the place a value was written."""

"""The largest grid a sweep runs."""

MODEL_PREFIX = "params."
"""Names of vote-model parameters start with this (``params.p``)."""


@dataclass(frozen=True)
class Parameter:
    """A parameter a sweep can vary: its name, kind of value, bounds and meaning."""

    name: str
    kind: str
    """``"int"``, ``"choice"`` or ``"number"`` (a model parameter: number or string)."""
    doc: str
    low: int = 0
    high: int = 0
    choices: tuple[str, ...] = ()


def _model_names() -> tuple[str, ...]:
    return tuple(MODELS)


PARAMETERS: dict[str, Parameter] = {
    p.name: p
    for p in (
        Parameter(
            "seats",
            "int",
            "total seats; the elected class takes the seats the other classes leave",
            1,
            MAX_SEATS,
        ),
        Parameter(
            "elected",
            "int",
            "seats of the elected class, spread over its regions in proportion (Sainte-Laguë)",
            0,
            MAX_SEATS,
        ),
        Parameter(
            "permanent_veto",
            "int",
            "permanent seats with the veto: the last are dropped, or open seats added",
            0,
            MAX_SEATS,
        ),
        Parameter(
            "permanent_no_veto",
            "int",
            "permanent seats without the veto: the last are dropped, or open seats added",
            0,
            MAX_SEATS,
        ),
        Parameter("quota", "int", "yes votes a substantive draft needs", 1, MAX_SEATS * MAX_WEIGHT),
        Parameter(
            "procedural_quota",
            "int",
            "yes votes a procedural draft needs (default: follows quota)",
            1,
            MAX_SEATS * MAX_WEIGHT,
        ),
        Parameter(
            "veto_threshold", "int", "veto holders that block a draft together", 1, MAX_SEATS
        ),
        Parameter(
            "abstention",
            "choice",
            "reading of a veto holder's abstention: practice or literal",
            choices=tuple(a.value for a in Abstention),
        ),
        Parameter("model", "choice", "vote model of the measures", choices=()),
    )
}
"""The parameters by name, in the order the grid nests them (the last varies fastest)."""

SEAT_PARAMETERS = ("seats", "elected", "permanent_veto", "permanent_no_veto")


def parameter(name: str, err: Err) -> Parameter:
    """The parameter called ``name``: one of :data:`PARAMETERS` or ``params.<model param>``."""
    if name in PARAMETERS:
        p = PARAMETERS[name]
        if name == "model":
            return Parameter(p.name, p.kind, p.doc, choices=_model_names())
        return p
    if name.startswith(MODEL_PREFIX) and name[len(MODEL_PREFIX) :].isidentifier():
        return Parameter(name, "number", "a parameter of the vote model")
    known = ", ".join([*PARAMETERS, "params.<name>"])
    raise err(f"unknown parameter {name!r}", f"vary one of: {known}")


def order_key(name: str) -> tuple[int, str]:
    """Sort key giving the nesting order: :data:`PARAMETERS` order, then model parameters."""
    names = list(PARAMETERS)
    return (names.index(name), "") if name in names else (len(names), name)


def parse_values(param: Parameter, raw: Any, err: Err) -> tuple[Value, ...]:
    """The values of one axis from a TOML value or command-line text.

    An array gives its items, a string is read in the range syntax, any other scalar is one
    value. Values are checked against the parameter's kind and bounds; an empty list, an
    empty range and a repeated value are errors.
    """
    if isinstance(raw, list):
        if not raw:
            raise err("the list of values is empty", "give at least one value")
        values = [_check(param, item, err) for item in raw]
    elif isinstance(raw, str):
        values = _parse_text(param, raw, err)
    else:
        values = [_check(param, raw, err)]
    seen: set[Any] = set()
    for v in values:
        key = _exact(v)
        if key in seen:
            raise err(f"the value {v} is given twice", "list each value once")
        seen.add(key)
    return tuple(values)


def _exact(v: Value) -> Any:
    return Fraction(repr(v)) if isinstance(v, float) else v


def _parse_text(param: Parameter, text: str, err: Err) -> list[Value]:
    items = [t.strip() for t in text.split(",")]
    if not text.strip() or any(not t for t in items):
        raise err(f"{text!r} has an empty item", "write values or ranges separated by commas")
    out: list[Value] = []
    for item in items:
        if ":" in item and param.kind != "choice":
            out += _range(param, item, err)
        else:
            out.append(_check(param, _scalar(param, item), err))
        if len(out) > MAX_CONFIGS:
            raise err(f"{text!r} gives more than {MAX_CONFIGS:,} values", "use a coarser step")
    return out


def _scalar(param: Parameter, item: str) -> Any:
    if param.kind == "int":
        try:
            return int(item.replace("_", ""))
        except ValueError:
            return item
    return item


def _range(param: Parameter, item: str, err: Err) -> list[Value]:
    parts = item.split(":")
    fix = "write a:b or a:b:step with a <= b and step > 0, e.g. 9:15 or 10:20:2"
    if len(parts) not in (2, 3):
        raise err(f"{item!r} is not a range", fix)
    try:
        nums = [exact(p, "") for p in parts]
    except ScenarioError as bad:
        raise err(f"{item[:60]!r}: {bad.problem}", bad.fix or fix) from None
    except (ValueError, ZeroDivisionError):
        raise err(f"{item!r} is not a range of numbers", fix) from None
    start, stop = nums[0], nums[1]
    step = nums[2] if len(nums) == 3 else Fraction(1)
    if param.kind == "int" and any(n.denominator != 1 for n in nums):
        raise err(f"{item!r} is not a range of whole numbers", fix)
    if step <= 0:
        raise err(f"the step of {item!r} is not positive", fix)
    if start > stop:
        raise err(f"the range {item!r} is empty", fix)
    count = math.floor((stop - start) / step) + 1
    if count > MAX_CONFIGS:
        raise err(f"{item!r} gives {count:,} values", "use a coarser step")
    return [_check(param, start + k * step, err) for k in range(count)]


def _check(param: Parameter, value: Any, err: Err) -> Value:
    if param.kind == "int":
        return _check_int(param, value, err)
    if param.kind == "choice":
        if not isinstance(value, str) or value not in param.choices:
            raise err(f"{value!r} is not a choice", f"use one of: {', '.join(param.choices)}")
        return value
    return _number(value, err)


def _check_int(param: Parameter, value: Any, err: Err) -> int:
    if isinstance(value, Fraction) and value.denominator == 1:
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise err(f"{value!r} is not a whole number", f"give integers in {param.low}..{param.high}")
    if not param.low <= value <= param.high:
        raise err(f"{value} is out of range", f"give integers in {param.low}..{param.high}")
    return int(value)


def _number(value: Any, err: Err) -> Value:
    """A model parameter's value, kept exact: an integer, a float that reads back as the
    decimal it was written as, or a string (``"1/3"``, or a non-numeric value)."""
    if isinstance(value, bool):
        raise err("true/false is not a value to vary", "give numbers or strings")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise err(f"{value} is not finite", "give finite numbers")
        value = Fraction(repr(value))
    if isinstance(value, str):
        try:
            value = exact(value, "")
        except ScenarioError as bad:
            raise err(bad.problem, bad.fix or "") from None
        except (ValueError, ZeroDivisionError):
            return str(value).strip()
    if isinstance(value, int):
        return value
    if isinstance(value, Fraction):
        return exact_value(value)
    raise err(f"{value!r} is not a number or a string", "give numbers or strings")


def exact_value(f: Fraction) -> Value:
    """A fraction as an integer, a float that is exactly its decimal, or ``"p/q"``."""
    if f.denominator == 1:
        return int(f)
    as_float = float(f)
    if Fraction(repr(as_float)) == f:
        return as_float
    return fraction_text(f)


def split_assignment(text: str) -> tuple[str, str]:
    """``NAME=VALUES`` from ``--vary``; the name is stripped."""
    name, sep, values = text.partition("=")
    if not sep or not name.strip():
        raise ScenarioError(
            f"{text!r} is not NAME=VALUES",
            key="--vary",
            fix="write e.g. --vary quota=9:15 or --vary abstention=practice,literal",
        )
    return name.strip(), values


def describe(values: Sequence[Value]) -> str:
    """Values for a message: the first few and a count."""
    shown = ", ".join(str(v) for v in values[:6])
    return shown + (f", … ({len(values)} values)" if len(values) > 6 else "")
