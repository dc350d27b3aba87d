"""Options and helpers shared by the subcommands: formats, scenario arguments, errors, output."""

from __future__ import annotations

import csv
import io
import os
import re
import sys
import textwrap
import tomllib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import wraps
from typing import Any, TypeVar

import click

from councilsim import files
from councilsim.errors import ScenarioError, escape
from councilsim.formatting import cell, plain
from councilsim.limits import (
    DEFAULT_CANDIDATES,
    DEFAULT_STATE_REPS,
    DEFAULT_STATE_YEARS,
    DEFAULT_WORKERS,
    MAX_REPLICATIONS,
    MAX_WORKERS,
    MAX_YEARS,
)
from councilsim.validate import int_text

F = TypeVar("F", bound=Callable[..., Any])

FORMATS = ("table", "json", "csv", "markdown")
"""Every output format a command may offer, in the order they are listed."""

WIDTH = 100
"""Columns that tables and wrapped prose fit in."""


class FormatChoice(click.Choice):  # type: ignore[type-arg]
    """``--format``'s choices; a known format a command does not offer is refused with why."""

    def __init__(self, choices: Sequence[str], why_not: Mapping[str, str]) -> None:
        super().__init__(list(choices))
        self.why_not = dict(why_not)

    def convert(self, value: Any, param: Any, ctx: Any) -> Any:
        if value in FORMATS and value not in self.choices:
            reason = self.why_not.get(value, "this command does not offer it")
            offered = ", ".join(str(c) for c in self.choices)
            self.fail(f"{value} makes no sense here: {reason}; use {offered}", param, ctx)
        return super().convert(value, param, ctx)


class WholeRange(click.IntRange):
    """click's ``IntRange`` that also reads a whole number written with a power of ten
    (``--replications 1e4``) and refuses one of too many digits before converting it, as
    every other integer option does (:func:`councilsim.validate.int_text`)."""

    def convert(self, value: Any, param: Any, ctx: Any) -> Any:
        if isinstance(value, str):
            try:
                value = int_text(value, "", "write an integer, in digits or as 1e4")
            except ScenarioError as err:
                self.fail(err.message, param, ctx)
        return super().convert(value, param, ctx)


class Positive(click.ParamType):  # type: ignore[type-arg]
    """A positive finite number of at most ``high`` (NaN, infinities, 0 and negatives refused
    in one line)."""

    name = "number"

    def __init__(self, high: float, unit: str) -> None:
        self.high = high
        self.unit = unit

    def convert(self, value: Any, param: Any, ctx: Any) -> float:
        if isinstance(value, float):
            return value
        try:
            number = float(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a number of {self.unit}", param, ctx)
        if not 0 < number <= self.high:  # also false for NaN
            self.fail(f"{value} is not in (0, {self.high:g}] {self.unit}", param, ctx)
        return number


def format_option(
    *choices: str, default: str = "table", why_not: Mapping[str, str] | None = None
) -> Callable[[F], F]:
    """``--format`` with the given choices (table first by convention).

    ``why_not`` gives, for a format of :data:`FORMATS` the command does not offer, the reason
    it makes no sense there, printed when a user asks for it.
    """
    return click.option(
        "--format",
        "fmt",
        type=FormatChoice(choices, why_not or {}),
        default=default,
        show_default=True,
        help="Output format.",
    )


OUTPUTS = {"output": "--output", "plot": "--plot", "report": "--report"}
"""The parameters of any command that name a file it writes, with their option names: each is
checked before any work (:func:`check_outputs`)."""


def _check_output(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    try:
        files.check_output(value, "--output", read=False)
    except ScenarioError as err:
        raise click.BadParameter(f"{err.problem}; {err.fix}") from None
    return value


def check_outputs(params: Mapping[str, Any]) -> None:
    """Refuse, before any work, every output location of a command (see
    :func:`councilsim.files.check_output`) that is not a file to write, or that names an input
    given in ``params`` (every other parameter that names an existing file)."""
    inputs = [
        v
        for name, value in params.items()
        if name not in OUTPUTS
        for v in (value if isinstance(value, list | tuple) else [value])
        if isinstance(v, str) and v and os.path.isfile(v)
    ]
    for name, option in OUTPUTS.items():
        value = params.get(name)
        if isinstance(value, str):
            files.check_output(value, option, inputs)


def output_option(what: str = "the output") -> Callable[[F], F]:
    """``-o/--output FILE``: write ``what`` to FILE, whole or not at all (see :func:`emit`)."""
    return click.option(
        "--output",
        "-o",
        type=click.Path(dir_okay=False),
        default=None,
        metavar="FILE",
        callback=_check_output,
        help=f"Write {what} to FILE instead of standard output (whole, or not at all on error).",
    )


def seed_option(default: str = "the scenario's, else 0") -> Callable[[F], F]:
    """``--seed S``: the root seed, an integer >= 0, read by the library (``default`` says
    what applies without it)."""
    return click.option(
        "--seed",
        metavar="S",
        default=None,
        help=f"Root seed, an integer >= 0 [default: {default}].",
    )


def emit(text: str, output: str | None) -> None:
    """Print ``text``, or write it to ``output`` atomically (whole or not at all)."""
    if not text.endswith("\n"):
        text += "\n"
    if output is None:
        click.echo(escape(text), nl=False)
        return
    files.check_output(output)
    try:
        files.write_atomic(output, text)
    except OSError as err:
        raise UserError(f"--output: cannot write {output}: {err.strerror or err}") from None


def markdown_table(header: Sequence[str], rows: Iterable[Sequence[Any]], align: str = "") -> str:
    """A GitHub-flavoured Markdown table; ``align`` as for :func:`table`."""
    body = [[cell(v).replace("|", "\\|") for v in row] for row in rows]
    if not align:
        align = "".join(
            "r" if body and all(_numeric(r[i]) for r in body) else "l" for i in range(len(header))
        )
    rule = ["---:" if a == "r" else "---" for a in align]
    lines = [f"| {' | '.join(str(h) for h in header)} |", f"| {' | '.join(rule)} |"]
    lines += [f"| {' | '.join(r)} |" for r in body]
    return "\n".join(lines)


def notes(title: str, items: Sequence[str], fmt: str = "table") -> list[str]:
    """A titled list of notes (sources, uncertain facts) as lines, after a blank line."""
    if not items:
        return []
    if fmt == "markdown":
        return ["", f"{title}:", "", *(f"- {x}" for x in items)]
    return ["", f"{title}:", *(wrap(f"- {x}", "  ", "    ") for x in items)]


def render_table(
    fmt: str, header: Sequence[str], rows: Iterable[Sequence[Any]], align: str = ""
) -> str:
    """One table as ``table``, ``markdown`` or ``csv`` text."""
    rows = list(rows)
    if fmt == "csv":
        return to_csv(header, [[plain(v) for v in row] for row in rows])
    if fmt == "markdown":
        return markdown_table(header, rows, align)
    return table(header, rows, align)


def wrap(text: str, indent: str = "", hang: str | None = None) -> str:
    """Prose wrapped to :data:`WIDTH` columns; ``hang`` indents the lines after the first
    (default: as ``indent``)."""
    later = indent if hang is None else hang
    return textwrap.fill(text, WIDTH, initial_indent=indent, subsequent_indent=later)


def workers_option(default: int = DEFAULT_WORKERS) -> Callable[[F], F]:
    """``--workers N``: local worker processes (results do not depend on N)."""
    return click.option(
        "--workers",
        default=default,
        show_default=True,
        metavar="N",
        type=WholeRange(1, MAX_WORKERS),
        help="Worker processes; the results are the same for any number.",
    )


def scheduler_option() -> Callable[[F], F]:
    """``--scheduler ADDRESS|local``: run the work on a Dask cluster (the ``dask`` extra; see
    :func:`councilsim.pool.bounded_map`); the results do not change."""
    return click.option(
        "--scheduler",
        default=None,
        metavar="ADDRESS|local",
        help="Run on a Dask cluster: local (one of --workers processes on this machine) or a "
        "scheduler's address, e.g. tcp://host:8786; the results are the same as without it "
        "(needs the dask extra; see docs/distributed.md).",
    )


def toml_value(text: str) -> Any:
    """A TOML value (number, string, list, inline table); bare words are strings."""
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text.strip()
    except ValueError:  # an integer past Python's 4,300 digits
        raise ScenarioError(
            "a number is far too long", fix="write integers of at most 60 digits"
        ) from None


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
            default=DEFAULT_CANDIDATES,
            show_default=True,
            metavar="MODEL",
            help=f"{when}Candidate model: record (past service 1946-2025, shipped), uniform, "
            "history (needs --membership) or an iso3,weight CSV file.",
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


def run_size_options(
    years: str = "--years",
    replications: str = "--replications",
    *,
    years_help: str = "Years of elections over which power is averaged.",
    replications_help: str = "Replications of the election run.",
) -> Callable[[F], F]:
    """The size of the election run behind a state's expected power: ``years`` (counting the
    start year) and ``replications``, with the defaults and bounds of :mod:`councilsim.limits`
    (``power --by state``, ``equity``, ``compare``)."""
    options = [
        click.option(
            years,
            type=WholeRange(1, MAX_YEARS),
            default=DEFAULT_STATE_YEARS,
            show_default=True,
            help=years_help,
        ),
        click.option(
            replications,
            type=WholeRange(1, MAX_REPLICATIONS),
            default=DEFAULT_STATE_REPS,
            show_default=True,
            help=replications_help,
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
            files.forget_inputs()
            check_outputs(kwargs)
            return func(*args, **kwargs)
        except ScenarioError as err:
            raise UserError(str(_fit_hint(err))) from None
        except KeyboardInterrupt:
            click.echo("councilsim: interrupted", err=True)
            sys.exit(130)

    return wrapper  # type: ignore[return-value]


HINTS = {
    "drop --exact to estimate by Monte Carlo": (
        ("simulate",),
        "estimate by Monte Carlo with councilsim simulate",
    ),
}
"""Fixes the library words for one command, each with the commands it fits and what to say
in any other: a hint names only options the command has."""


def _fit_hint(err: ScenarioError) -> ScenarioError:
    """``err`` with a fix that fits the running command (see :data:`HINTS`)."""
    ctx = click.get_current_context(silent=True)
    if ctx is None or not err.fix:
        return err
    fix = err.fix
    for phrase, (commands, elsewhere) in HINTS.items():
        if phrase in fix and ctx.info_name not in commands:
            fix = fix.replace(phrase, elsewhere)
    return err.with_fix(fix)


def has_option(name: str) -> bool:
    """Whether the running command has the option ``name`` (e.g. ``"--param"``)."""
    ctx = click.get_current_context(silent=True)
    return ctx is not None and any(name in p.opts for p in ctx.command.params)


class UserError(click.ClickException):
    """A one-line error with exit status 2 (click's code for usage errors)."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        click.echo(f"councilsim: error: {escape(self.format_message())}", err=True)


@contextmanager
def progress_bar(length: int, label: str, show: bool) -> Iterator[Callable[[int], None] | None]:
    """A progress bar of ``length`` steps on stderr while ``show``, yielding its ``update``;
    otherwise ``None``, and no bar is made (click's bar module costs a command's start-up)."""
    if not show:
        yield None
        return
    with click.progressbar(length=length, label=label, file=sys.stderr) as bar:
        yield bar.update


def to_json(obj: Any) -> str:
    """JSON text of ``obj`` (through :func:`councilsim.formatting.plain`)."""
    import json  # only for --format json

    return json.dumps(plain(obj), indent=2, ensure_ascii=False)


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


def table(header: Sequence[str], rows: Iterable[Sequence[Any]], align: str = "") -> str:
    """A plain-text table; ``align`` has 'l' or 'r' per column (default: numbers right).

    Numbers are written by :func:`councilsim.formatting.cell`. A table wider than
    :data:`WIDTH` columns wraps the text of a left-aligned last column onto continuation
    lines, or else is cut into tables of fewer columns, one under the other, each repeating
    the leading left-aligned columns (the names of the rows).
    """
    cells = [[str(h) for h in header]] + [[_cell(v) for v in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    if not align:
        body = cells[1:]
        align = "".join(
            "r" if body and all(_numeric(r[i]) for r in body) else "l" for i in range(len(header))
        )
    start = sum(w + 2 for w in widths[:-1])
    if start + widths[-1] <= WIDTH or (align[-1] == "l" and WIDTH - start >= 20):
        return _layout(cells, widths, align, WIDTH - start)
    keep = max(1, len(align) - len(align.lstrip("l")))
    groups: list[list[int]] = []
    for i in range(keep, len(header)):
        used = sum(widths[j] + 2 for j in [*range(keep), *(groups[-1] if groups else [])])
        if not groups or used + widths[i] > WIDTH:
            groups.append([])
        groups[-1].append(i)
    parts = []
    for group in groups:
        cols = [*range(keep), *group]
        sub = [[r[j] for j in cols] for r in cells]
        parts.append(_layout(sub, [widths[j] for j in cols], "".join(align[j] for j in cols), 0))
    return "\n\n".join(parts)


def _layout(cells: list[list[str]], widths: list[int], align: str, room: int) -> str:
    """Lay out a table; a last column wider than ``room`` (when >= 20) wraps."""
    start = sum(w + 2 for w in widths[:-1])
    if widths[-1] > room >= 20:
        widths = [
            *widths[:-1],
            max([len(cells[0][-1])] + [len(x) for r in cells[1:] for x in _lines(r[-1], room)]),
        ]
    lines = []
    for k, row in enumerate(cells):
        text = _lines(row[-1], room) if k and room >= 20 and len(row[-1]) > room else [row[-1]]
        parts = [
            c.rjust(w) if a == "r" else c.ljust(w)
            for c, w, a in zip([*row[:-1], text[0]], widths, align, strict=True)
        ]
        lines.append("  ".join(parts).rstrip())
        lines += [" " * start + more for more in text[1:]]
        if k == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _lines(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width, break_on_hyphens=False) or [""]


def _cell(v: Any) -> str:
    return escape(cell(v))


def _numeric(s: str) -> bool:
    try:
        float(s.replace("/", "").replace("%", "") or "x")
    except ValueError:
        return s in {"", "-"}
    return True


def write_atomic(path: str | os.PathLike[str], text: str) -> None:
    """Write a text file whole or not at all (see :func:`councilsim.files.write_atomic`),
    never over a file this command read."""
    files.check_output(path)
    files.write_atomic(path, text)


# --- shared by simulate, elect, compare and sweep -------------------------------------------


def check_output(path: str | None, option: str = "--output") -> None:
    """Refuse, before any work, an output location that cannot or must not be written (see
    :func:`councilsim.files.check_output`)."""
    files.check_output(path, option)


def wrapped_table(
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    align: str = "",
    *,
    keep: int = 1,
    group: int = 1,
    lead: int = 1,
    width: int = WIDTH,
    wrap: int = 40,
) -> str:
    """:func:`table` that fits ``width`` characters.

    Text in the first column longer than ``wrap`` continues on the next lines; columns that
    still do not fit go to further blocks, each repeating the first ``keep`` columns. Columns
    after those move together: the first ``lead`` of them, then groups of ``group`` (a value
    and its change stay side by side).
    """
    align = align or "l" * keep + "r" * (len(header) - keep)
    text: list[list[str]] = []
    for row in rows:
        cells = [str(c) for c in row]
        lines = textwrap.wrap(cells[0], wrap, subsequent_indent="  ") or [""]
        text.append([lines[0], *cells[1:]])
        text += [[more, *[""] * (len(cells) - 1)] for more in lines[1:]]
    widths = [max(len(r[i]) for r in [list(header), *text]) for i in range(len(header))]
    fixed = sum(widths[:keep]) + 2 * (keep - 1)
    sets = [list(range(keep, min(keep + lead, len(header))))]
    sets += [
        list(range(i, min(i + group, len(header)))) for i in range(keep + lead, len(header), group)
    ]
    blocks: list[list[int]] = []
    used = width + 1
    for cols in sets:
        need = sum(widths[i] + 2 for i in cols)
        if used + need > width and not (blocks and not blocks[-1]):
            blocks.append([])
            used = fixed
        blocks[-1] += cols
        used += need
    out = []
    for block in blocks or [[]]:
        cols = [*range(keep), *block]
        out.append(
            table(
                [header[i] for i in cols],
                [[r[i] for i in cols] for r in text],
                align="".join(align[i] for i in cols),
            )
        )
    return "\n\n".join(out)


def warn_about(model: Any) -> None:
    """Print a vote model's ``warning`` (settings it lacks, e.g. blocs without blocs) on
    stderr, once per command."""
    text = getattr(model, "warning", None)
    if text and not has_option("--param"):
        text = re.sub(r"e\.g\. --param '[^']*' or ", "e.g. ", text)
    if text:
        click.echo(f"councilsim: warning: {text}", err=True)
