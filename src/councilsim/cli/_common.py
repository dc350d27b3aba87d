"""Options and helpers shared by the subcommands: formats, scenario arguments, errors, output."""

from __future__ import annotations

import csv
import io
import json
import os
import sys
import tomllib
from collections.abc import Callable, Iterable, Sequence
from functools import wraps
from typing import Any, TypeVar

import click

from councilsim import files
from councilsim.errors import ScenarioError
from councilsim.limits import DEFAULT_WORKERS, MAX_WORKERS

F = TypeVar("F", bound=Callable[..., Any])


def format_option(*choices: str, default: str = "table") -> Callable[[F], F]:
    """``--format`` with the given choices (table first by convention)."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(list(choices)),
        default=default,
        show_default=True,
        help="Output format.",
    )


def workers_option(default: int = DEFAULT_WORKERS) -> Callable[[F], F]:
    """``--workers N``: local worker processes (results do not depend on N)."""
    return click.option(
        "--workers",
        default=default,
        show_default=True,
        metavar="N",
        type=click.IntRange(1, MAX_WORKERS),
        help="Worker processes; the results are the same for any number.",
    )


def toml_value(text: str) -> Any:
    """A TOML value (number, string, list, inline table); bare words are strings."""
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text.strip()


def key_value(item: str, option: str, example: str) -> tuple[str, Any]:
    """``KEY=VALUE`` of a repeatable option, the value in TOML syntax (:func:`toml_value`)."""
    name, sep, text = item.partition("=")
    name = name.strip()
    if not sep or not name:
        raise ScenarioError(f"{item!r} is not KEY=VALUE", key=option, fix=f"write e.g. {example}")
    return name, toml_value(text)


def election_options(when: str = "") -> Callable[[F], F]:
    """``--start-year``, ``--candidates`` and ``--membership``: how the elections start and
    who stands (``elect``, and ``simulate --years``, whose help says ``when``)."""
    options = [
        click.option(
            "--start-year",
            type=int,
            default=None,
            help=f"{when}First year (default: the scenario's [elections] start, else 2026); "
            "with --membership, the Council of that year in the file is the start.",
        ),
        click.option(
            "--candidates",
            default="uniform",
            show_default=True,
            metavar="MODEL",
            help=f"{when}Candidate model: uniform, history (needs --membership) or an "
            "iso3,weight CSV file.",
        ),
        click.option(
            "--membership",
            type=click.Path(dir_okay=False),
            default=None,
            help=f"{when}Membership-by-year CSV (year,iso3,seat): the start composition and "
            "the history candidate model.",
        ),
    ]

    def decorate(func: F) -> F:
        for option in reversed(options):
            func = option(func)
        return func

    return decorate


def handle_errors(func: F) -> F:
    """Turn user-input errors into one line on stderr and exit status 2, never a traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ScenarioError as err:
            raise UserError(str(err)) from None
        except KeyboardInterrupt:
            click.echo("councilsim: interrupted", err=True)
            sys.exit(130)

    return wrapper  # type: ignore[return-value]


class UserError(click.ClickException):
    """A one-line error with exit status 2 (click's code for usage errors)."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        click.echo(f"councilsim: error: {self.format_message()}", err=True)


def to_json(obj: Any) -> str:
    return json.dumps(obj, indent=2, ensure_ascii=False, default=_json_default)


def _json_default(obj: Any) -> Any:
    from fractions import Fraction

    import numpy as np

    if isinstance(obj, Fraction):
        return f"{obj.numerator}/{obj.denominator}"
    if isinstance(obj, np.integer):
        return int(obj)
    if isinstance(obj, np.floating):
        return float(obj)
    if isinstance(obj, np.bool_):
        return bool(obj)
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    raise TypeError(f"not serialisable: {type(obj).__name__}")


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


def table(header: Sequence[str], rows: Iterable[Sequence[Any]], align: str = "") -> str:
    """A plain-text table; ``align`` has 'l' or 'r' per column (default: numbers right)."""
    cells = [[str(h) for h in header]] + [[_cell(v) for v in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    if not align:
        body = cells[1:]
        align = "".join(
            "r" if body and all(_numeric(r[i]) for r in body) else "l" for i in range(len(header))
        )
    lines = []
    for k, row in enumerate(cells):
        parts = [
            c.rjust(w) if a == "r" else c.ljust(w)
            for c, w, a in zip(row, widths, align, strict=True)
        ]
        lines.append("  ".join(parts).rstrip())
        if k == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _cell(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:.6f}"
    if isinstance(v, bool):
        return "yes" if v else "no"
    return str(v)


def _numeric(s: str) -> bool:
    try:
        float(s.replace("/", "").replace("%", "") or "x")
    except ValueError:
        return s in {"", "-"}
    return True


def write_atomic(path: str | os.PathLike[str], text: str) -> None:
    """Write a text file whole or not at all (see :func:`councilsim.files.write_atomic`)."""
    files.write_atomic(path, text)
