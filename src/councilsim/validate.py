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

import re
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

from councilsim.errors import ScenarioError
from councilsim.limits import MAX_FILE_BYTES

__all__ = [
    "Context",
    "Where",
    "bound",
    "expect",
    "fail",
    "key_path",
    "parse_toml",
    "read_text",
    "read_toml",
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
    if isinstance(value, bool | np.bool_):
        return "a boolean"
    if isinstance(value, int | np.integer):
        return "an integer"
    if isinstance(value, float | np.floating):
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
        try:
            value = int(value.strip().replace("_", ""))
        except ValueError:
            raise fail(where, f"{value!r} is not a whole number", fix) from None
    if isinstance(value, bool | np.bool_) or not isinstance(value, int | np.integer):
        raise _wrong(value, "an integer", where, fix)
    if not low <= value <= high:
        raise fail(where, f"{value} is out of range", fix)
    return int(value)


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
            return Fraction(value.strip())
        except (ValueError, ZeroDivisionError):
            pass
    raise fail(where, f"{value!r} is not an exact value", 'write an integer or "p/q"')


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
            m = re.match(r"^([A-Za-z0-9_\-\".]+)\s*=", line)
            if m:
                dotted = header + [_unquote(k) for k in m.group(1).split(".")]
                if dotted[: len(keys)] == keys or (dotted == [*table, last]):
                    return n
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


def _unquote(k: str) -> str:
    return k.strip().strip('"').strip("'")


def read_text(path: Path, display: str, *, what: str = "a scenario") -> str:
    """A TOML file's text, refusing files over :data:`~councilsim.limits.MAX_FILE_BYTES`."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ScenarioError(
                f"file is {size} bytes; {what} is at most {MAX_FILE_BYTES}",
                file=display,
                fix=f"check that this is {what} file",
            )
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ScenarioError("not UTF-8 text", file=display, fix="save it as UTF-8") from None
    except OSError as err:
        raise ScenarioError(f"cannot read: {err.strerror}", file=display) from None


def parse_toml(text: str, display: str, *, docs: str = "docs/scenarios.md") -> dict[str, Any]:
    """TOML text as a document; a syntax error names the file and the line."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        msg = str(err)
        m = re.search(r"\(at line (\d+), column \d+\)", msg)
        problem = re.sub(r"\s*\(at line \d+, column \d+\)", "", msg) or "invalid TOML"
        raise ScenarioError(
            f"invalid TOML: {problem}",
            file=display,
            line=int(m.group(1)) if m else None,
            fix=f"see {docs} for the format",
        ) from None


def read_toml(
    path: Path, display: str | None = None, *, what: str = "a scenario", docs: str = ""
) -> tuple[dict[str, Any], Context]:
    """Read a TOML file: its document, and the :class:`Context` that locates its keys."""
    name = display or str(path)
    text = read_text(path, name, what=what)
    doc = parse_toml(text, name, docs=docs) if docs else parse_toml(text, name)
    return doc, Context(name, text)
