"""How numbers are written: one formatter for fractions, floats and JSON data.

Every command and every library function that turns a number into text or JSON goes through
these three functions, so that the same value reads the same everywhere:

* :func:`fraction_text` writes an exact value as ``"p/q"`` (``"p"`` for an integer);
* :func:`plain` turns a value into JSON data (fractions as :func:`fraction_text` strings,
  numpy scalars as Python ones, NaN and infinities as ``None``);
* :func:`cell` writes a value for a table: fractions exactly, floats as plain decimals with
  a fixed number of significant digits and never in scientific notation, ``None`` as ``-``.

>>> from fractions import Fraction
>>> fraction_text(Fraction(421, 2145)), fraction_text(Fraction(4))
('421/2145', '4')
>>> plain(Fraction(1, 3)), plain(float("nan")), plain(2.5)
('1/3', None, 2.5)
>>> cell(0.000012346), cell(0.19627), cell(Fraction(53, 2048)), cell(None)
('0.00001235', '0.1963', '53/2048', '-')
"""

from __future__ import annotations

import math
import sys
from decimal import Decimal
from fractions import Fraction
from typing import Any

__all__ = ["cell", "fraction_text", "plain", "python_scalar"]

DIGITS = 4
"""Significant digits of a float in a table."""


def fraction_text(value: Fraction | int) -> str:
    """An exact value as ``"p/q"``, or ``"p"`` when it is an integer.

    Exact results can have more digits than Python writes by default (4,300, a guard against
    reading long digit strings): a probability with a 100-digit denominator, raised to the
    power of 150 seats, has 15,000. They are computed values, not input, so they are written
    in full.
    """
    f = Fraction(value)
    limit = sys.get_int_max_str_digits()
    if limit and max(f.numerator.bit_length(), f.denominator.bit_length()) > 3 * limit:
        sys.set_int_max_str_digits(0)
        try:
            return fraction_text(f)
        finally:
            sys.set_int_max_str_digits(limit)
    return str(f.numerator) if f.denominator == 1 else f"{f.numerator}/{f.denominator}"


def python_scalar(value: Any) -> Any:
    """A numpy scalar as the Python ``bool``, ``int`` or ``float`` it holds; anything else as
    it is.

    numpy is not imported for this (a numpy value can only exist once numpy is loaded), so
    that writing and validating values does not load it.

    >>> python_scalar(3), python_scalar("x")
    (3, 'x')
    """
    np = sys.modules.get("numpy")
    if np is not None and isinstance(value, np.generic):
        return value.item()
    return value


def _is_array(value: Any) -> bool:
    np = sys.modules.get("numpy")
    return np is not None and isinstance(value, np.ndarray)


def plain(value: Any) -> Any:
    """A value as JSON data.

    Fractions become :func:`fraction_text` strings, numpy scalars and arrays Python numbers and
    lists, non-finite floats ``None``; ``bool``, ``int``, ``str`` and ``None`` stay as they are,
    and mappings and sequences are converted item by item.
    """
    value = python_scalar(value)
    if value is None or isinstance(value, str | bool):
        return value
    if isinstance(value, Fraction):
        return fraction_text(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if _is_array(value):
        return [plain(v) for v in value.tolist()]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return str(value)


def cell(value: Any, digits: int = DIGITS, *, missing: str = "-") -> str:
    """A value as table text: exact fractions as ``p/q``, floats as plain decimals.

    A float keeps ``digits`` significant digits and is never written in scientific notation
    (``0.00001235``, not ``1.235e-05``); trailing zeros are dropped.
    """
    value = python_scalar(value)
    if value is None:
        return missing
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Fraction):
        return fraction_text(value)
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, float):
        x = float(value)
        if not math.isfinite(x):
            return missing if math.isnan(x) else ("inf" if x > 0 else "-inf")
        if x == 0:
            return "0"
        text = format(Decimal(f"{x:.{digits - 1}e}"), "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    return str(value)
