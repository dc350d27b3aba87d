"""Checking user input: the one set of validators, and the one reader of TOML files.

Every check raises :class:`~councilsim.errors.ScenarioError` with the key path of the value
(``where``: a dotted string such as ``"simulation.params.p"``, or a path such as
``["seats", "elected", "holders", 2]``), what is wrong and how to fix it. Values come from TOML
files (tables, arrays, numbers, strings, booleans), from the command line (strings) or from
Python callers.

A :class:`Context` knows the file a document came from and its text; :meth:`Context.located`
gives the errors raised inside it the file name and the line of their key, so that scenario
files, sweep files and the blocks the loader hands to other packages (``[simulation]``,
``[elections]``) all report ``file:line: key: problem; fix``.

>>> to_int("12", "simulation.draws", 1, 100)
12
>>> to_int(True, "simulation.draws", 1, 100)
Traceback (most recent call last):
...
councilsim.errors.ScenarioError: simulation.draws: expected an integer, found a boolean True; use an integer in 1..100
>>> ctx = Context("sweep.toml", 'base = "current"\\n[measures]\\ndraws = 0\\n')
>>> with ctx.located():
...     to_int(0, "measures.draws", 1, 100)
Traceback (most recent call last):
...
councilsim.errors.ScenarioError: sweep.toml:3: measures.draws: 0 is out of range; use an integer in 1..100
"""  # noqa: E501

from __future__ import annotations

import csv
import io
import math
import os
import re
import sys
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from councilsim import files
from councilsim.errors import ScenarioError
from councilsim.formatting import python_scalar
from councilsim.limits import (
    MAX_CSV_FIELD,
    MAX_EXPONENT,
    MAX_FILE_BYTES,
    MAX_INT_DIGITS,
    MAX_MAGNITUDE,
    MAX_NUMBER_CHARS,
    MAX_YEAR,
    MIN_YEAR,
)

__all__ = [
    "Context",
    "CsvRow",
    "Where",
    "bound",
    "exact",
    "expect",
    "fail",
    "int_text",
    "integers_not_text",
    "key_path",
    "parse_csv",
    "parse_toml",
    "read_csv",
    "read_text",
    "read_toml",
    "show_int",
    "to_bool",
    "to_fraction",
    "to_int",
    "to_str",
    "to_str_list",
    "to_table",
    "type_name",
    "unknown_keys",
]

Where = str | Sequence[str | int]
"""Where a value sits: a dotted key path, or its parts (an int is an array position)."""


def key_path(where: Where) -> str:
    """The dotted key path: ``["votes", 0, "yes"]`` is ``"votes[1].yes"`` (positions from 1)."""
    if isinstance(where, str):
        return where
    out = ""
    for p in where:
        out += f"[{p + 1}]" if isinstance(p, int) else (f".{p}" if out else p)
    return out


def _parts(key: str) -> list[str | int]:
    """The inverse of :func:`key_path` (for finding a key's line)."""
    out: list[str | int] = []
    for name, pos in re.findall(r"([^.\[\]]+)|\[(\d+)\]", key):
        out.append(int(pos) - 1 if pos else name)
    return out


def fail(where: Where, problem: str, fix: str = "") -> ScenarioError:
    """The error for the value at ``where`` (to raise); a :class:`Context` adds file and line."""
    return ScenarioError(problem, key=key_path(where) or None, fix=fix or None)


def type_name(value: Any) -> str:
    """A value's type in TOML's words: ``a boolean``, ``an integer``, ``a table``..."""
    value = python_scalar(value)
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, Mapping):
        return "a table"
    if isinstance(value, Sequence):
        return "an array"
    return type(value).__name__


def _found(value: Any) -> str:
    return f"{type_name(value)} {value!r}"[:120]


def _wrong(value: Any, what: str, where: Where, fix: str = "") -> ScenarioError:
    return fail(where, f"expected {what}, found {_found(value)}", fix or f"write {what}")


def expect(value: Any, kind: type | tuple[type, ...], what: str, where: Where) -> Any:
    """Check a value's type (a boolean is not an integer here) and return it."""
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
        raise _wrong(value, what, where)
    return value


def to_table(value: Any, where: Where, what: str = "a table") -> Mapping[str, Any]:
    """A table (a mapping of names to values)."""
    if not isinstance(value, Mapping):
        raise _wrong(value, what, where)
    return value


def to_str(value: Any, where: Where) -> str:
    """A string."""
    if not isinstance(value, str):
        raise _wrong(value, "a string", where, 'quote it: "..."')
    return value


def to_bool(value: Any, where: Where) -> bool:
    """``true`` or ``false``."""
    if not isinstance(value, bool):
        raise _wrong(value, "true or false", where)
    return value


def to_str_list(value: Any, where: Where) -> tuple[str, ...]:
    """An array of strings."""
    if not isinstance(value, Sequence) or isinstance(value, str):
        raise _wrong(value, "an array of strings", where, 'write ["a", "b"]')
    base = [where] if isinstance(where, str) else list(where)
    return tuple(to_str(v, [*base, k]) for k, v in enumerate(value))


def to_int(value: Any, where: Where, low: int, high: int, *, text: bool = True) -> int:
    """An integer in ``low..high``; with ``text``, an integral string (from the command line)
    is read too."""
    fix = f"use an integer in {bound(low)}..{bound(high)}"
    if isinstance(value, str) and text:
        value = int_text(value, where, fix)
    value = python_scalar(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise _wrong(value, "an integer", where, fix)
    if not low <= value <= high:
        raise fail(where, f"{show_int(int(value))} is out of range", fix)
    return int(value)


def integers_not_text(table: Mapping[str, Any], keys: Sequence[str], where: Where) -> None:
    """Refuse a string where a file must give an integer (``draws = "1000"``): the command
    line gives every value as text, a file gives integers unquoted.

    >>> integers_not_text({"draws": "1000"}, ["draws"], "simulation")
    Traceback (most recent call last):
    ...
    councilsim.errors.ScenarioError: simulation.draws: expected an integer, found a string '1000'; write it unquoted: draws = 1000
    """  # noqa: E501
    base = [where] if isinstance(where, str) else list(where)
    for key in keys:
        value = table.get(key)
        if isinstance(value, str):
            raise fail(
                [*base, key],
                f"expected an integer, found {_found(value)}",
                f"write it unquoted: {key} = {_clip(value.strip(), 20)}",
            )


def int_text(text: str, where: Where, fix: str = "write a whole number") -> int:
    """The integer written in ``text`` (underscores allowed, and a power of ten such as
    ``1e7`` or ``2.5e6`` where the value is whole), refusing more than
    :data:`~councilsim.limits.MAX_INT_DIGITS` digits before converting them.

    >>> int_text(" 1_000 ", "--seed")
    1000
    >>> int_text("1e7", "--draws"), int_text("2.5E6", "--draws")
    (10000000, 2500000)
    >>> int_text("1.5", "--draws")
    Traceback (most recent call last):
    ...
    councilsim.errors.ScenarioError: --draws: '1.5' is not a whole number; write a whole number
    >>> int_text("9" * 100, "--seed")
    Traceback (most recent call last):
    ...
    councilsim.errors.ScenarioError: --seed: a number of 100 digits is too long; write a whole number of at most 60 digits
    """  # noqa: E501
    body = text.strip().replace("_", "")
    digits = len(body.lstrip("+-"))
    if digits > MAX_INT_DIGITS:
        raise fail(
            where,
            f"a number of {digits} digits is too long",
            f"write a whole number of at most {MAX_INT_DIGITS} digits",
        )
    try:
        return int(body)
    except ValueError:
        pass
    value = _decimal_integer(body)
    if value is None:
        raise fail(where, f"{_clip(text)!r} is not a whole number", fix)
    if value.adjusted() >= MAX_INT_DIGITS:
        raise fail(
            where,
            f"{_clip(text)!r} has more than {MAX_INT_DIGITS} digits",
            f"write a whole number of at most {MAX_INT_DIGITS} digits",
        )
    return int(value)


def _decimal_integer(body: str) -> Decimal | None:
    """``body`` as a whole decimal number (``1e7``, ``2.5e6``, ``100.0``), else ``None``
    (not a number, not finite, or with a fractional part). A decimal keeps its exponent
    apart from its digits, so ``1e999999999`` or ``1e-999999999`` is read at once."""
    if not re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d{1,9})?", body):
        return None
    value = Decimal(body)
    if value.adjusted() >= MAX_INT_DIGITS:
        return value  # too long: the caller says so (no whole value is formed)
    if value != value.to_integral_value():
        return None
    return value


def show_int(n: int) -> str:
    """An integer for a message: its digits, or its length when it has more than
    :data:`~councilsim.limits.MAX_INT_DIGITS`."""
    if n.bit_length() > 4 * MAX_INT_DIGITS:
        return f"a number of about {int(n.bit_length() * 0.30103) + 1} digits"
    return str(n)


def _clip(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[:n] + "…"


_EXPONENT = re.compile(r"[eE]\s*([+-]?\d+)")


def exact(value: str | Decimal, where: Where) -> Fraction:
    """The exact value written in ``value``: ``"0.25"``, ``"1/3"``, ``"2.5e-3"`` or a
    :class:`~decimal.Decimal`.

    This is the one place where user text becomes an exact number. Its length is bounded
    (:data:`~councilsim.limits.MAX_NUMBER_CHARS`) and so is its power of ten
    (:data:`~councilsim.limits.MAX_EXPONENT`), before any digit is expanded: ``1e-999999999``
    is refused at once rather than expanded for hours.

    >>> exact("1/3", "p"), exact("2.5e-3", "p")
    (Fraction(1, 3), Fraction(1, 400))
    >>> exact("1e-999999999", "p")
    Traceback (most recent call last):
    ...
    councilsim.errors.ScenarioError: p: '1e-999999999' has a power of ten beyond 10**±400; write a number between 1e-400 and 1e400
    """  # noqa: E501
    fix = f"write a number between 1e-{MAX_EXPONENT} and 1e{MAX_EXPONENT}"
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise fail(where, f"{value} is not finite", "give a finite number")
        _sign, digits, expo = value.as_tuple()
        assert isinstance(expo, int)
        if len(digits) > MAX_NUMBER_CHARS or abs(expo + len(digits)) > MAX_EXPONENT + 1:
            raise fail(where, f"{_clip(str(value))} is too large or too precise", fix)
        return Fraction(value)
    text = value.strip()
    if len(text) > MAX_NUMBER_CHARS:
        raise fail(
            where,
            f"a number of {len(text)} characters is too long",
            f"write at most {MAX_NUMBER_CHARS} characters",
        )
    long_run = re.search(rf"\d{{{sys.get_int_max_str_digits() + 1},}}", text)
    if long_run:
        raise fail(
            where,
            f"a number of {len(long_run.group())} digits is too long",
            f"write at most {sys.get_int_max_str_digits()} digits",
        )
    m = _EXPONENT.search(text)
    if m and abs(int(m.group(1))) > MAX_EXPONENT:
        raise fail(where, f"{_clip(text)!r} has a power of ten beyond 10**±{MAX_EXPONENT}", fix)
    return Fraction(text)


def bound(n: int) -> str:
    """A bound as a reader would write it: ``10**12`` and ``2**128 - 1`` rather than their
    digits; small numbers as they are.

    >>> bound(1000), bound(10**12), bound(2**128 - 1)
    ('1000', '10**12', '2**128 - 1')
    """
    if abs(n) < 10**6:
        return str(n)
    text = str(n)
    if text.rstrip("0") == "1":
        return f"10**{len(text) - 1}"
    if (n + 1) & n == 0:
        return f"2**{n.bit_length()} - 1"
    if n & (n - 1) == 0:
        return f"2**{n.bit_length() - 1}"
    return str(n)


def to_fraction(value: Any, where: Where) -> Fraction:
    """An exact value: an integer or a string ``"p/q"`` (or a decimal such as ``"0.25"``)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return Fraction(value)
    if isinstance(value, str):
        try:
            return exact(value, where)
        except (ValueError, ZeroDivisionError) as err:
            if isinstance(err, ScenarioError):
                raise
    raise fail(where, f"{_clip(repr(value))} is not an exact value", 'write an integer or "p/q"')


def unknown_keys(
    table: Mapping[str, Any], allowed: Sequence[str] | Mapping[str, Any] | set[str], where: Where
) -> None:
    """Reject keys not in ``allowed``, suggesting the closest allowed one."""
    base = [] if where in ("", []) else ([where] if isinstance(where, str) else list(where))
    for key in table:
        if key not in allowed:
            close = [a for a in allowed if _similar(key, a)]
            names = sorted(allowed) if isinstance(allowed, set) else list(allowed)
            fix = f"did you mean {close[0]!r}?" if close else f"allowed keys: {', '.join(names)}"
            raise fail([*base, key], f"unknown key {key!r}", fix)


def _similar(a: str, b: str) -> bool:
    a, b = a.lower().replace("-", "_"), b.lower().replace("-", "_")
    return a == b or (len(a) > 3 and (a in b or b in a)) or _edit1(a, b)


def _edit1(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1 or a == b:
        return a == b
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


@dataclass(frozen=True)
class Context:
    """Where a document came from, to word errors: its display name and its text."""

    file: str
    text: str = ""

    def line_of(self, where: Where) -> int | None:
        """The line where the key at ``where`` (e.g. ``"seats.elected.count"``) is set."""
        path = _parts(where) if isinstance(where, str) else where
        keys = [str(p) for p in path if not isinstance(p, int)]
        if not keys:
            return None
        table, last = keys[:-1], keys[-1]
        header: list[str] = []
        for n, raw in enumerate(self.text.splitlines(), start=1):
            line = raw.split("#", 1)[0].strip()
            m = re.match(r"^\[\[?\s*([^\]]+?)\s*\]\]?$", line)
            if m:
                header = [_unquote(k) for k in m.group(1).split(".")]
                if header == keys:
                    return n
                continue
            m = re.match(r"^([A-Za-z0-9_\-\".]+)\s*=\s*(.*)$", line)
            if m:
                dotted = header + [_unquote(k) for k in m.group(1).split(".")]
                if dotted[: len(keys)] == keys or (dotted == [*table, last]):
                    return n
                inner = keys[len(dotted) :]
                if keys[: len(dotted)] == dotted and inner and _inline_has(m.group(2), inner):
                    return n  # a key inside an inline table: { p = "1/2" }
        return None

    @property
    def named(self) -> str | None:
        """The file name to show, ``None`` for text given without one (``<string>``)."""
        return None if self.file.startswith("<") else self.file

    def error(self, where: Where, problem: str, fix: str = "") -> ScenarioError:
        """The error for the value at ``where``, with this file and the key's line."""
        return ScenarioError(
            problem,
            file=self.file,
            key=key_path(where) or None,
            fix=fix or None,
            line=self.line_of(where),
        )

    def locate(self, err: ScenarioError, block: str = "") -> ScenarioError:
        """``err`` with this file and the line of its key (or of ``block``), unless it has a
        file already."""
        if err.file is not None:
            return err
        return ScenarioError(
            err.problem,
            file=self.file,
            key=err.key,
            fix=err.fix,
            line=self.line_of(err.key or block),
        )

    @contextmanager
    def located(self, block: str = "") -> Iterator[None]:
        """Give the errors raised inside this file's name and the line of their key."""
        try:
            yield
        except ScenarioError as err:
            raise self.locate(err, block) from None


def _inline_has(value: str, keys: Sequence[str]) -> bool:
    """Whether the inline table written in ``value`` sets the nested ``keys``."""
    for key in keys:
        m = re.search(rf"[{{,]\s*\"?{re.escape(key)}\"?\s*=\s*(.*)$", value)
        if m is None:
            return False
        value = m.group(1)
    return True


def _unquote(k: str) -> str:
    return k.strip().strip('"').strip("'")


def read_text(path: Path, display: str, *, what: str = "a scenario") -> str:
    """A TOML file's text: a regular file of at most :data:`~councilsim.limits.MAX_FILE_BYTES`
    (see :func:`councilsim.files.read_text`; a byte-order mark is dropped)."""
    return files.read_text(path, display, limit=MAX_FILE_BYTES, what=what)


def parse_toml(text: str, display: str, *, docs: str = "docs/scenarios.md") -> dict[str, Any]:
    """TOML text as a document; a syntax error names the file and the line."""
    try:
        return tomllib.loads(text)
    except ValueError as err:
        if not isinstance(err, tomllib.TOMLDecodeError):
            # Python refuses integers of more than 4,300 digits while parsing
            m = re.search(rf"\d{{{sys.get_int_max_str_digits() + 1}}}", text)
            raise ScenarioError(
                "a number is far too long",
                file=display,
                line=text.count("\n", 0, m.start()) + 1 if m else None,
                fix=f"write integers of at most {MAX_INT_DIGITS} digits",
            ) from None
        msg = str(err)
        m = re.search(r"\(at line (\d+), column \d+\)", msg)
        where = r"\s*\(at (line \d+, column \d+|end of document)\)"
        problem = re.sub(where, "", msg) or "invalid TOML"
        line = int(m.group(1)) if m else None
        fix = f"see {docs} for the format"
        if line is None and "end of document" in msg:
            # the file ends inside a value: name the last line written, where it was opened
            # or left unfinished
            line = len(text.rstrip().splitlines()) or 1
            problem = f"{problem} where the file ends"
            fix = f"close the quote or bracket left open on this line or above; {fix}"
        raise ScenarioError(
            f"invalid TOML: {problem}",
            file=display,
            line=line,
            fix=fix,
        ) from None


def read_toml(
    path: Path, display: str | None = None, *, what: str = "a scenario", docs: str = ""
) -> tuple[dict[str, Any], Context]:
    """Read a TOML file: its document, and the :class:`Context` that locates its keys."""
    name = display or str(path)
    text = read_text(path, name, what=what)
    doc = parse_toml(text, name, docs=docs) if docs else parse_toml(text, name)
    return doc, Context(name, text)


@dataclass(frozen=True)
class CsvRow:
    """One row of a CSV data file, with its file name and line, to read typed values from.

    Every reader of a data file (ideal points, candidates, membership) reads its rows through
    :func:`read_csv` and its values through these methods, so that a bad value is reported as
    ``file:line: column: problem; fix`` in one line.
    """

    file: str
    line: int
    values: Mapping[str, str]

    def error(self, column: str, problem: str, fix: str = "") -> ScenarioError:
        """The error for the value of ``column`` in this row."""
        return ScenarioError(problem, file=self.file, line=self.line, key=column, fix=fix or None)

    def text(self, column: str) -> str:
        """The value of ``column``, stripped of spaces."""
        return self.values.get(column, "").strip()

    def number(self, column: str, *, low: float | None = None, high: float | None = None) -> float:
        """A finite number of size at most :data:`~councilsim.limits.MAX_MAGNITUDE`, within
        ``low..high`` where given."""
        raw = self.text(column)
        lo = -MAX_MAGNITUDE if low is None else low
        hi = MAX_MAGNITUDE if high is None else high
        fix = f"write a finite number in {lo:g}..{hi:g}"
        try:
            value = float(raw) if len(raw) <= MAX_NUMBER_CHARS else math.nan
        except ValueError:
            raise self.error(column, f"{_clip(raw)!r} is not a number", fix) from None
        if not (math.isfinite(value) and lo <= value <= hi):
            wanted = f">= {lo:g}" if high is None and low is not None else f"in {lo:g}..{hi:g}"
            raise self.error(column, f"{_clip(raw)!r} is not a number {wanted}", fix)
        return value

    def year(self, column: str = "year") -> int:
        """A year in :data:`~councilsim.limits.MIN_YEAR`..:data:`~councilsim.limits.MAX_YEAR`
        (written ``2000`` or ``2000.0``)."""
        raw = self.text(column)
        fix = f"write a year in {MIN_YEAR}..{MAX_YEAR}"
        text = raw[:-2] if raw.endswith(".0") else raw
        if not re.fullmatch(rf"[+-]?\d{{1,{MAX_INT_DIGITS}}}", text):
            raise self.error(column, f"year {_clip(raw)!r} is not an integer", fix)
        year = int(text)
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise self.error(column, f"year {year} is out of range", fix)
        return year


def read_csv(
    path: str | os.PathLike[str],
    display: str,
    *,
    required: Sequence[str],
    limit: int,
    what: str,
) -> list[CsvRow]:
    """The rows of a CSV data file with a header line, each checked for shape.

    The file is read as :func:`councilsim.files.read_text` does (a regular UTF-8 file of at
    most ``limit`` bytes, a byte-order mark dropped). The header must name every column of
    ``required``; every row must have as many fields as the header, none longer than
    :data:`~councilsim.limits.MAX_CSV_FIELD` characters; a quote left open is an error; blank
    lines are skipped. Errors name the file, the line and, where known, the column.
    """
    text = files.read_text(path, display, limit=limit, what=what)
    return parse_csv(text, display, required=required, what=what)


def parse_csv(text: str, display: str, *, required: Sequence[str], what: str) -> list[CsvRow]:
    """The rows of the text of a CSV data file (see :func:`read_csv`)."""
    fix = f"give {what} (a CSV file with the columns {', '.join(required)})"
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[CsvRow] = []
    header: list[str] | None = None
    try:
        for fields in reader:
            if not fields or fields == [""]:
                continue
            line = reader.line_num
            for k, field in enumerate(fields):
                if len(field) > MAX_CSV_FIELD:
                    col = header[k] if header and k < len(header) else f"field {k + 1}"
                    raise ScenarioError(
                        f"a field of {len(field):,} characters",
                        file=display,
                        line=line,
                        key=col,
                        fix=f"{what} has fields of at most {MAX_CSV_FIELD} characters",
                    )
            if header is None:
                header = [f.strip().lstrip("\ufeff") for f in fields]
                missing = [c for c in required if c not in header]
                if missing:
                    raise ScenarioError(
                        f"missing column {missing[0]!r}", file=display, line=line, fix=fix
                    )
                continue
            if len(fields) != len(header):
                raise ScenarioError(
                    f"{len(fields)} fields where the header has {len(header)}",
                    file=display,
                    line=line,
                    fix="give every row one value per column (quote values with commas)",
                )
            rows.append(CsvRow(display, line, dict(zip(header, fields, strict=True))))
    except ScenarioError:
        raise
    except csv.Error as err:
        raise ScenarioError(
            f"not a valid CSV file: {err}", file=display, line=reader.line_num, fix=fix
        ) from None
    except (UnicodeError, ValueError) as err:  # e.g. a NUL byte
        raise ScenarioError(
            f"not a valid CSV file: {err}", file=display, line=reader.line_num, fix=fix
        ) from None
    if header is None:
        raise ScenarioError("the file is empty", file=display, fix=fix)
    return rows
