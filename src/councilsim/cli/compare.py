"""``councilsim compare``: measures of scenarios side by side, with the change from a base."""

from __future__ import annotations

import copy
import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from councilsim import files
from councilsim.cli._common import (
    FORMATS,
    WIDTH,
    UserError,
    check_output,
    election_options,
    emit,
    format_option,
    handle_errors,
    markdown_table,
    output_option,
    run_size_options,
    to_csv,
    to_json,
    warn_about,
    wrapped_table,
)
from councilsim.cli.simulate import (
    PARAM_OPTIONS,
    simulate_command,
    simulation_spec,
    simulation_table,
)
from councilsim.errors import ScenarioError, install_hint
from councilsim.formatting import cell, plain

if TYPE_CHECKING:
    from councilsim.compare.measures import Column

PLOT_HINT = install_hint("plot")

MODEL_OPTIONS = ("model", *PARAM_OPTIONS, "extra", "draws", "seed")
"""The options of ``councilsim simulate`` that ``compare`` shares (same names, help, parsing)."""


@click.command("compare")
@click.argument("base")
@click.argument("others", nargs=-1)
@click.option(
    "--state",
    "states",
    multiple=True,
    metavar="CODE",
    help="A state (ISO alpha-3 code, e.g. IND) whose expected power to show: the seats it "
    "will hold in an election run × their power (docs/states.md). Repeatable.",
)
@click.option(
    "--exact",
    is_flag=True,
    help="Exact fractions p/q for the a-priori measures and for exact outcome rates.",
)
@click.option(
    "--elections/--no-elections",
    default=True,
    show_default=True,
    help="Named states' expected power from an election run of each scenario (its "
    "[elections], else rules derived from its seats); --no-elections: the power of the seat "
    "a state is named to, 0 for the others.",
)
@run_size_options(
    "--election-years",
    "--election-reps",
    years_help="Years of elections over which a state's power is averaged, counting the start "
    "year.",
)
@election_options("With --state: ")
@click.option(
    "--ternary",
    is_flag=True,
    help="Also the ternary Shapley-Shubik and Banzhaf power of each kind of seat, with "
    "abstention as a third vote (docs/power-ternary-unions.md). Scenarios that declare "
    "[unions] always get the Owen and Banzhaf-Owen value of each union.",
)
@format_option(*FORMATS)
@click.option(
    "--plot",
    type=click.Path(dir_okay=False),
    default=None,
    help="Also draw the charts to FILE.png or FILE.svg (needs matplotlib, the plot extra).",
)
@click.option(
    "--report",
    type=click.Path(dir_okay=False),
    default=None,
    help="Also write a self-contained HTML report (charts, tables, sources) to FILE.html.",
)
@output_option("the table")
@handle_errors
def compare_command(
    base: str,
    others: tuple[str, ...],
    states: tuple[str, ...],
    exact: bool,
    elections: bool,
    election_years: int,
    election_reps: int,
    start_year: int | None,
    candidates: str,
    membership: str | None,
    ternary: bool,
    fmt: str,
    plot: str | None,
    report: str | None,
    output: str | None,
    **options: Any,
) -> None:
    """Compare the council of BASE with those of OTHER...: one row per measure.

    Measures: seats, quota, veto holders, Coleman's power to act, the share of drafts
    adopted, vetoed and failed under the vote model (exact where votes are independent, else
    Monte Carlo with 95 % intervals), the Banzhaf, Penrose and Shapley-Shubik power of a
    permanent (P5) member, a new permanent member and an elected member, the permanent ÷
    elected ratio, the power of each regional group, the Gini coefficient of power across
    seats, and the expected power of states named with --state (the seats each will hold in
    an election run of the scenario × the power of those seats, averaged over
    --election-years; a section lists each with its 95 % interval and its ratio to BASE).
    Each OTHER column is followed by its change (Δ) against BASE. Model options are those of
    `councilsim simulate` and apply to every scenario, overriding its [simulation] table. See
    docs/compare.md and docs/states.md.

    JSON: base, exact, states, measures {id: {label, unit, group}} and scenarios [{id, name,
    model, params, engine, draws, seed, elections, state_power, values {id: value}, change
    {id: Δ}}]; fractions as "p/q".
    """
    from councilsim.amendment import analyse  # computes: numpy
    from councilsim.compare.measures import state_codes
    from councilsim.compare.report import render_report
    from councilsim.statepower import population_table

    refs = [base, *others]
    dupes = sorted({r for r in refs if refs.count(r) > 1})
    if dupes:
        raise UserError(f"scenario {dupes[0]!r} is given more than once")
    codes = state_codes(states, key="--state")
    plot_type = _check_outputs(plot, report, output)
    models: list[Any] = []
    runs = {
        "elections": elections,
        "years": election_years,
        "reps": election_reps,
        "start_year": start_year,
        "candidates": candidates,
        "membership": membership,
    }
    columns = [_column(ref, codes, exact, ternary, runs, options, models) for ref in refs]
    people = population_table() if codes else None
    text = _render(columns, fmt, codes, people)
    figure = _figure(columns, plot_type, people) if plot else None
    page = None
    if report:
        plans = [analyse(ref, seed=c.seed) for ref, c in zip(refs, columns, strict=True)]
        page = render_report(columns, population=people, amendments=plans)
    if plot and figure is not None:
        _write(plot, figure)
    if report and page is not None:
        _write(report, page)
    for model in {getattr(m, "warning", None): m for m in models}.values():
        warn_about(model)  # once per distinct warning
    emit(text, output)


def _check_outputs(plot: str | None, report: str | None, output: str | None) -> str | None:
    """Check output paths before any work: file types, folders, matplotlib for --plot."""
    plot_type = None
    if plot:
        from councilsim.compare.plot import MissingMatplotlib, check_plot_path, require_matplotlib

        plot_type = check_plot_path(plot)
        try:
            require_matplotlib()
        except MissingMatplotlib:
            raise UserError(f"--plot needs matplotlib: {PLOT_HINT}") from None
    if report and Path(report).suffix.lower() not in (".html", ".htm"):
        raise ScenarioError(
            f"cannot write a report to {report!r}", key="--report", fix="give a .html file name"
        )
    for option, path in (("--plot", plot), ("--report", report), ("--output", output)):
        check_output(path, option)
    return plot_type


def _column(
    ref: str,
    codes: Sequence[str],
    exact: bool,
    ternary: bool,
    runs: Mapping[str, Any],
    options: Mapping[str, Any],
    models: list[Any],
) -> Column:
    from councilsim.compare.columns import scenario_column
    from councilsim.scenario import load
    from councilsim.simulation import parse_simulation

    loaded = load(ref)
    opts = dict(options)
    model, extra = opts.pop("model", None), opts.pop("extra", ())
    draws, seed = opts.pop("draws", None), opts.pop("seed", None)
    spec = simulation_spec(
        simulation_table(loaded), loaded.council, model, extra, draws, seed, opts, parse_simulation
    )
    models.append(spec.model)
    return scenario_column(
        loaded,
        model=spec.model,
        draws=spec.draws,
        seed=spec.seed,
        exact=exact,
        states=codes,
        ternary=ternary,
        **runs,
    )


def _render(columns: Sequence[Column], fmt: str, codes: Sequence[str], people: Any) -> str:
    from councilsim.compare.columns import comparison, comparison_rows

    if fmt == "json":
        return to_json(plain(comparison(columns, codes)))
    header, rows = comparison_rows(columns)
    if fmt == "csv":
        return to_csv(header, [[_raw(v) for v in row] for row in rows])
    shown = ["Measure" if fmt == "markdown" else "measure"]
    shown += [columns[0].id] + [h for c in columns[1:] for h in (c.id, f"Δ {c.id}")]
    cells = [[row[1], *_cells(row[3:])] for row in rows]
    states = _states_section(columns, codes, fmt, people)
    if fmt == "markdown":
        return markdown_table(shown, cells) + states
    lines = []
    for c in columns:
        how = "exact" if c.engine == "exact" else f"Monte Carlo, {c.draws} drafts, seed {c.seed}"
        lines += textwrap.wrap(f"{c.id}: {c.name} [{c.model} model, {how}]", WIDTH)
    table = wrapped_table(shown, cells, lead=1, group=2, wrap=48)
    return "\n".join([*lines, "", table]) + states


def _states_section(columns: Sequence[Column], codes: Sequence[str], fmt: str, people: Any) -> str:
    """The named states: normalised Banzhaf power, its interval, ratio to the base and, with a
    population table, the equity ratio against the square-root rule."""
    from councilsim.compare.columns import state_notes, state_rows

    if not codes:
        return ""
    _, rows = state_rows(columns, codes, population=people)
    num = (lambda v: v) if columns[0].exact else float
    header = ["state", "scenario", "Banzhaf power", "95% interval", "× base", "seat-years"]
    cells = [
        [
            r[0],
            r[1],
            cell(num(r[2])),
            "exact" if r[5] else f"{cell(r[3])}–{cell(r[4])}",
            "" if r[6] is None else f"{r[6]:.3g}",
            cell(r[7]),
            *(["" if r[9] is None else f"{r[9]:.3g}"] if people is not None else []),
        ]
        for r in rows
    ]
    if people is not None:
        header.append("÷ √rule")
    notes = [*state_notes(columns)]
    notes.append(
        "÷ √rule: share of the members' expected power ÷ share of √population (Penrose's "
        "square-root rule; councilsim equity)"
        if people is not None
        else "Equity ratios against the square-root rule need a population table (councilsim "
        "equity)."
    )
    notes += [f"{r[0]} in {r[1]}: {r[8]}" for r in rows if r[8]]
    title = "Named states: expected power (normalised Banzhaf)"
    if fmt == "markdown":
        body = markdown_table(header, cells)
        return "\n\n## " + title + "\n\n" + body + "\n\n" + "\n".join(f"- {n}" for n in notes)
    wrapped = [w for n in notes for w in textwrap.wrap(n, WIDTH, subsequent_indent="  ")]
    return "\n".join(["", "", title, "", wrapped_table(header, cells, lead=2), "", *wrapped])


def _cells(values: Sequence[Any]) -> list[str]:
    """The base's value, then each other scenario's value and its signed change."""
    out = [cell(values[0])]
    for k in range(1, len(values), 2):
        delta = values[k + 1]
        text = cell(delta)
        out += [cell(values[k]), f"+{text}" if delta is not None and delta > 0 else text]
    return out


def _raw(value: Any) -> Any:
    return "" if value is None else plain(value)


def _figure(columns: Sequence[Column], plot_type: str | None, people: Any = None) -> bytes:
    from councilsim.compare.plot import charts, render_plot

    title = "councilsim compare: " + " vs ".join(c.id for c in columns)
    return render_plot(charts(columns, people), plot_type or "png", title=title)


def _write(path: str, data: str | bytes) -> None:
    try:
        files.write_atomic(path, data)
    except OSError as err:
        raise UserError(f"cannot write {path}: {err.strerror or err}") from None


def _share_model_options(command: click.Command) -> None:
    """Give ``command`` the model options of ``councilsim simulate`` after ``--state``."""
    shared = {p.name: p for p in simulate_command.params}
    copies = [copy.copy(shared[name]) for name in MODEL_OPTIONS if name in shared]
    at = next(i for i, p in enumerate(command.params) if p.name == "states") + 1
    command.params[at:at] = copies


_share_model_options(compare_command)
