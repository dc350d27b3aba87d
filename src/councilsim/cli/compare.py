"""``councilsim compare``: measures of scenarios side by side, with the change from a base."""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import click

from councilsim.cli._common import (
    UserError,
    format_option,
    handle_errors,
    table,
    to_csv,
    to_json,
    write_atomic,
)
from councilsim.cli.simulate import (
    PARAM_OPTIONS,
    simulate_command,
    simulation_spec,
    simulation_table,
)
from councilsim.compare.measures import (
    Column,
    change,
    describe,
    engine,
    measure_ids,
    measures,
    service_shares,
    state_codes,
)
from councilsim.compare.report import format_change, format_value
from councilsim.errors import ScenarioError
from councilsim.limits import (
    DEFAULT_SERVICE_REPS,
    DEFAULT_SERVICE_YEARS,
    MAX_REPLICATIONS,
    MAX_YEARS,
)

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
    help="A state (ISO alpha-3 code, e.g. IND) whose power to show; 0 where it holds no seat. "
    "Repeatable.",
)
@click.option(
    "--exact",
    is_flag=True,
    help="Exact fractions p/q for the a-priori measures and for exact outcome rates.",
)
@click.option(
    "--elections/--no-elections",
    default=False,
    show_default=True,
    help="Give named states their expected power from an election run (share of years in "
    "a non-permanent seat × power of an elected member), for scenarios with [elections].",
)
@click.option(
    "--election-years",
    type=click.IntRange(1, MAX_YEARS),
    default=DEFAULT_SERVICE_YEARS,
    show_default=True,
    help="With --elections: years of elections to run.",
)
@click.option(
    "--election-reps",
    type=click.IntRange(1, MAX_REPLICATIONS),
    default=DEFAULT_SERVICE_REPS,
    show_default=True,
    help="With --elections: replications of the election run.",
)
@format_option("table", "json", "csv", "markdown")
@click.option(
    "--plot",
    type=click.Path(dir_okay=False),
    default=None,
    help="Also draw the charts to FILE.png or FILE.svg (needs matplotlib: councilsim[plot]).",
)
@click.option(
    "--report",
    type=click.Path(dir_okay=False),
    default=None,
    help="Also write a self-contained HTML report (charts, tables, sources) to FILE.html.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write the table to FILE instead of standard output.",
)
@handle_errors
def compare_command(
    base: str,
    others: tuple[str, ...],
    states: tuple[str, ...],
    exact: bool,
    elections: bool,
    election_years: int,
    election_reps: int,
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
    seats, and the power of states named with --state. Each OTHER column is followed by its
    change (Δ) against BASE. Model options are those of `councilsim simulate` and apply to
    every scenario, overriding its [simulation] table. See docs/compare.md.

    JSON: base, exact, states, measures {id: {label, unit, group}} and scenarios [{id, name,
    model, params, engine, draws, seed, elections, values {id: value}, change {id: Δ}}];
    fractions as "p/q".
    """
    refs = [base, *others]
    dupes = sorted({r for r in refs if refs.count(r) > 1})
    if dupes:
        raise UserError(f"scenario {dupes[0]!r} is given more than once")
    codes = state_codes(states, key="--state")
    plot_type = _check_outputs(plot, report, output)
    columns = [
        _column(ref, codes, exact, elections, election_years, election_reps, options)
        for ref in refs
    ]
    text = _render(columns, fmt, codes)
    figure = _figure(columns, plot_type) if plot else None
    page = _page(columns) if report else None
    if plot and figure is not None:
        _write(plot, figure)
    if report and page is not None:
        _write(report, page)
    if output:
        _write(output, text)
    else:
        click.echo(text, nl=not text.endswith("\n"))


def _check_outputs(plot: str | None, report: str | None, output: str | None) -> str | None:
    """Check output paths before any work: file types, folders, matplotlib for --plot."""
    plot_type = None
    if plot:
        from councilsim.compare.plot import MissingMatplotlib, check_plot_path, require_matplotlib

        plot_type = check_plot_path(plot)
        try:
            require_matplotlib()
        except MissingMatplotlib as err:
            raise UserError(str(err)) from None
    if report and Path(report).suffix.lower() not in (".html", ".htm"):
        raise ScenarioError(
            f"cannot write a report to {report!r}", key="--report", fix="give a .html file name"
        )
    for option, path in (("--plot", plot), ("--report", report), ("--output", output)):
        if path and not Path(path).resolve().parent.is_dir():
            raise ScenarioError(
                f"the folder of {path!r} does not exist", key=option, fix="create it first"
            )
    return plot_type


def _column(
    ref: str,
    codes: Sequence[str],
    exact: bool,
    elections: bool,
    years: int,
    reps: int,
    options: Mapping[str, Any],
) -> Column:
    from councilsim.scenario import load
    from councilsim.simulation import parse_simulation

    loaded = load(ref)
    council = loaded.council
    opts = dict(options)
    model, extra = opts.pop("model", None), opts.pop("extra", ())
    draws, seed = opts.pop("draws", None), opts.pop("seed", None)
    spec = simulation_spec(
        simulation_table(loaded), council, model, extra, draws, seed, opts, parse_simulation
    )
    service = None
    if elections and codes and loaded.elections is not None:
        service = service_shares(loaded, years=years, reps=reps, seed=spec.seed)
    values = measures(
        council,
        model=spec.model,
        draws=spec.draws,
        seed=spec.seed,
        exact=exact,
        states=codes,
        service=service,
    )
    how = engine(council, spec.model)
    return Column(
        id=loaded.id,
        name=loaded.name,
        values=values,
        description=loaded.description,
        sources=loaded.sources,
        confidence=loaded.confidence,
        model=spec.model.name,
        params=spec.model.params(),
        engine=how,
        draws=spec.draws if how != "exact" else None,
        seed=spec.seed if how != "exact" or service is not None else None,
        exact=exact,
        service=service is not None,
        service_years=years if service is not None else 0,
        service_reps=reps if service is not None else 0,
        veto_threshold=council.rule.veto_threshold,
        abstention=council.rule.abstention.value,
    )


def _render(columns: Sequence[Column], fmt: str, codes: Sequence[str]) -> str:
    if fmt == "json":
        return to_json(_as_json(columns, codes))
    if fmt == "csv":
        return _as_csv(columns)
    if fmt == "markdown":
        return _as_markdown(columns)
    return _as_table(columns)


def _as_json(columns: Sequence[Column], codes: Sequence[str]) -> dict[str, Any]:
    base = columns[0]
    keys = measure_ids(columns)
    return {
        "base": base.id,
        "exact": base.exact,
        "states": list(codes),
        "measures": {
            k: {"label": describe(k).label, "unit": describe(k).unit, "group": describe(k).group}
            for k in keys
        },
        "scenarios": [
            {
                "id": c.id,
                "name": c.name,
                "model": c.model,
                "params": c.params,
                "engine": c.engine,
                "draws": c.draws,
                "seed": c.seed,
                "elections": c.service,
                "values": {k: c.values.get(k) for k in keys},
                "change": {k: change(k, base.values.get(k), c.values.get(k)) for k in keys},
            }
            for c in columns
        ],
    }


def _header(columns: Sequence[Column]) -> list[str]:
    return [columns[0].id] + [h for c in columns[1:] for h in (c.id, f"Δ {c.id}")]


def _cells(key: str, columns: Sequence[Column]) -> list[str]:
    base = columns[0].values.get(key)
    cells = [format_value(base)]
    for c in columns[1:]:
        value = c.values.get(key)
        cells += [format_value(value), format_change(change(key, base, value))]
    return cells


def _as_table(columns: Sequence[Column]) -> str:
    lines = []
    for c in columns:
        how = "exact" if c.engine == "exact" else f"Monte Carlo, {c.draws} drafts, seed {c.seed}"
        lines.append(f"{c.id}: {c.name} [{c.model} model, {how}]")
    header = ["measure", *_header(columns)]
    rows = [[describe(k).label, *_cells(k, columns)] for k in measure_ids(columns)]
    lines += ["", table(header, rows, align="l" + "r" * (len(header) - 1))]
    return "\n".join(lines)


def _md(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|")


def _as_markdown(columns: Sequence[Column]) -> str:
    header = ["Measure", *_header(columns)]
    lines = [
        "| " + " | ".join(_md(h) for h in header) + " |",
        "|" + "|".join([" --- "] + [" ---: "] * (len(header) - 1)) + "|",
    ]
    for k in measure_ids(columns):
        cells = [describe(k).label, *_cells(k, columns)]
        lines.append("| " + " | ".join(_md(c) for c in cells) + " |")
    return "\n".join(lines) + "\n"


def _raw(value: Any) -> Any:
    if value is None:
        return ""
    if hasattr(value, "denominator") and not isinstance(value, int):
        return f"{value.numerator}/{value.denominator}"
    return value


def _as_csv(columns: Sequence[Column]) -> str:
    base = columns[0]
    header = ["measure", "label", "unit", base.id]
    header += [h for c in columns[1:] for h in (c.id, f"delta_{c.id}")]
    rows = []
    for k in measure_ids(columns):
        m = describe(k)
        row = [k, m.label, m.unit, _raw(base.values.get(k))]
        for c in columns[1:]:
            value = c.values.get(k)
            row += [_raw(value), _raw(change(k, base.values.get(k), value))]
        rows.append(row)
    return to_csv(header, rows)


def _figure(columns: Sequence[Column], plot_type: str | None) -> bytes:
    from councilsim.compare.plot import charts, render_plot

    title = "councilsim compare: " + " vs ".join(c.id for c in columns)
    return render_plot(charts(columns), plot_type or "png", title=title)


def _page(columns: Sequence[Column]) -> str:
    from councilsim.compare.report import render_report

    return render_report(columns)


def _write(path: str, data: str | bytes) -> None:
    from councilsim.compare.plot import write_bytes_atomic

    try:
        if isinstance(data, bytes):
            write_bytes_atomic(path, data)
        else:
            write_atomic(path, data)
    except OSError as err:
        raise UserError(f"cannot write {path}: {err.strerror or err}") from None


def _share_model_options(command: click.Command) -> None:
    """Give ``command`` the model options of ``councilsim simulate`` after ``--state``."""
    shared = {p.name: p for p in simulate_command.params}
    copies = [copy.copy(shared[name]) for name in MODEL_OPTIONS if name in shared]
    at = next(i for i, p in enumerate(command.params) if p.name == "states") + 1
    command.params[at:at] = copies


_share_model_options(compare_command)
