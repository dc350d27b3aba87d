"""``councilsim sweep``: measure a grid of configurations around a base scenario."""

from __future__ import annotations

import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import click

from councilsim.cli._common import (
    FORMATS,
    WIDTH,
    UserError,
    check_output,
    format_option,
    handle_errors,
    key_value,
    markdown_table,
    output_option,
    scheduler_option,
    seed_option,
    warn_about,
    workers_option,
    wrapped_table,
    write_atomic,
)
from councilsim.errors import ScenarioError, install_hint
from councilsim.formatting import cell
from councilsim.limits import (
    DEFAULT_STATE_REPS,
    DEFAULT_STATE_YEARS,
)


@click.command("sweep")
@click.argument("source", required=False)
@click.option(
    "--base",
    metavar="SCENARIO",
    help="Base scenario, replacing the sweep file's [default: current].",
)
@click.option(
    "--vary",
    multiple=True,
    metavar="NAME=VALUES",
    help="Vary a parameter: a:b (inclusive), a:b:step, or a comma list, e.g. quota=9:15, "
    "elected=10:20:2, abstention=practice,literal, params.p=0.4:0.6:0.1. Repeatable.",
)
@click.option("--model", help="Vote model of the measures [default: a priori, exact].")
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="KEY=VALUE",
    help="A fixed parameter of the vote model, e.g. --param p=0.6. Repeatable.",
)
@click.option(
    "--draws", metavar="N", help="Monte Carlo drafts where votes are not independent, e.g. 1e6."
)
@seed_option("the sweep file's, else 0; configuration i uses its i-th child")
@click.option(
    "--exact", is_flag=True, default=None, help="Exact fractions (p/q) for exact measures."
)
@click.option("--state", "states", multiple=True, metavar="CODE", help="Power of a named state.")
@click.option(
    "--elections/--no-elections",
    default=None,
    help="Give named states their expected power from an election run in each configuration "
    "(the base's [elections] or derived rules, as `councilsim compare` does) [default: on]; "
    "--no-elections: the power of the seat a state is named to.",
)
@click.option(
    "--election-years",
    metavar="N",
    help=f"With --elections: years of elections to run [default: {DEFAULT_STATE_YEARS}].",
)
@click.option(
    "--election-reps",
    metavar="N",
    help=f"With --elections: replications of the election run [default: {DEFAULT_STATE_REPS}].",
)
@workers_option()
@scheduler_option()
@output_option("the rows (journalled in FILE.journal as they finish)")
@click.option("--resume", is_flag=True, help="Continue an interrupted run from FILE.journal.")
@click.option("--force", is_flag=True, help="Discard the journal of an unfinished run.")
@click.option(
    "--plot",
    type=click.Path(dir_okay=False),
    help="Also draw a heatmap to FILE.png or FILE.svg (needs matplotlib, the plot extra).",
)
@click.option("--x", "x", metavar="PARAM", help="Heatmap columns [default: first varied].")
@click.option("--y", "y", metavar="PARAM", help="Heatmap rows [default: second varied].")
@click.option(
    "--measure",
    default="adopted",
    show_default=True,
    metavar="ID",
    help="Measure of the table and markdown formats and of the heatmap (csv and json have all).",
)
@click.option(
    "--others",
    type=click.Choice(["first", "mean"]),
    default="first",
    show_default=True,
    help="Heatmap: other parameters at their first value, or averaged.",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no notes.")
@format_option(*FORMATS, default="csv")
@handle_errors
def sweep_command(
    source: str | None,
    base: str | None,
    vary: tuple[str, ...],
    model: str | None,
    params: tuple[str, ...],
    draws: str | None,
    seed: str | None,
    exact: bool | None,
    states: tuple[str, ...],
    elections: bool | None,
    election_years: str | None,
    election_reps: str | None,
    workers: int,
    scheduler: str | None,
    output: str | None,
    resume: bool,
    force: bool,
    plot: str | None,
    x: str | None,
    y: str | None,
    measure: str,
    others: str,
    quiet: bool,
    fmt: str,
) -> None:
    """Measure every configuration of a grid around a base scenario.

    SOURCE is a sweep file (TOML with [vary], see docs/sweep.md) or a base scenario (shipped
    id or path); --vary adds or replaces parameters. Each configuration is one row: index,
    id, the varied values (vary.NAME), status (ok or invalid), the measures (as `councilsim
    compare` gives them) and, for an invalid one, the reason: all of them in csv (the
    default) and json; table and markdown show the varied values, the status and the
    measure given by --measure, with the reasons below. Parameters: seats, elected,
    permanent_veto, permanent_no_veto, quota, procedural_quota, veto_threshold, abstention,
    model, params.NAME.

    With --output the run is resumable: rows go to FILE.journal as they finish, the table is
    written whole at the end; after Ctrl-C or a crash, --resume measures only what is missing
    and gives the same file as an uninterrupted run.

    --scheduler runs the configurations on a Dask cluster (local, or a scheduler's address);
    the rows and the journal are the same, and a run interrupted on a cluster resumes on one
    or on this machine (see docs/distributed.md).
    """
    from councilsim.sweep import journal_path, parse_sweep

    if resume and not output:
        raise ScenarioError(
            "needs the --output of the interrupted run", key="--resume", fix="add --output FILE"
        )
    sweep_file, base = _source(source, base)
    overrides = _measure_options(model, params, draws, seed, exact, states)
    overrides.update(
        elections=elections, election_years=election_years, election_reps=election_reps
    )
    spec = parse_sweep(sweep_file, base=base, vary=vary, measures=overrides)
    axes = _plot_axes(spec, plot, x, y)
    _warn_models(spec)
    journal = journal_path(output) if output else None
    check_output(output)
    check_output(str(journal) if journal else None, "--output (its journal)")
    if force and journal is not None and not resume:
        journal.unlink(missing_ok=True)
    rows = _run(spec, workers, journal, resume, quiet, scheduler)
    try:
        _write(spec, rows, fmt, output, journal, measure)
    except KeyboardInterrupt:
        _interrupted(len(rows), len(rows), journal)
    invalid = sum(1 for r in rows if r["status"] != "ok")
    if invalid and not quiet and fmt in ("csv", "json"):
        click.echo(
            f"councilsim: note: {invalid} of {len(rows)} configurations are invalid "
            "(status column; the reason is in the last column)",
            err=True,
        )
    if plot and axes is not None:
        from councilsim.sweep.plot import save_heatmap

        save_heatmap(
            plot,
            rows,
            spec.grid,
            x=axes[0],
            y=axes[1],
            measure=measure,
            others=others,
            title=spec.name or f"{spec.base.name}: sweep",
        )


def _source(source: str | None, base: str | None) -> tuple[str | None, str | None]:
    """A sweep file, or a base scenario given as the argument."""
    from councilsim.sweep import looks_like_sweep

    if source is None:
        return None, base
    if looks_like_sweep(source):
        return source, base
    if base is not None:
        raise ScenarioError(
            f"{source!r} is a scenario and --base gives another",
            key="--base",
            fix="give the base once, or pass a sweep file as the argument",
        )
    return None, source


def _measure_options(
    model: str | None,
    params: tuple[str, ...],
    draws: str | None,
    seed: str | None,
    exact: bool | None,
    states: tuple[str, ...],
) -> dict[str, Any]:
    table: dict[str, Any] = {"model": model, "draws": draws, "seed": seed, "exact": exact}
    if params:
        table["params"] = dict(key_value(item, "--param", "--param p=0.6") for item in params)
    if states:
        table["states"] = list(states)
    return table


def _warn_models(spec: Any) -> None:
    """The warning of a model the sweep runs with fixed settings (blocs without blocs)."""
    from councilsim.models import build_model

    axes = {a.name: a.values for a in spec.grid.axes}
    if any(name.startswith("params.") for name in axes):
        return
    for name in dict.fromkeys(axes.get("model", (spec.options.model,))):
        if name is None:
            continue
        try:
            model = build_model(str(name), spec.options.params)
        except ScenarioError:
            continue
        warn_about(model)


def _plot_axes(
    spec: Any, plot: str | None, x: str | None, y: str | None
) -> tuple[str, str | None] | None:
    """Check --plot before any work: file type, matplotlib, the axes."""
    if not plot:
        return None
    from councilsim.compare.plot import MissingMatplotlib, check_plot_path, require_matplotlib

    check_plot_path(plot)
    try:
        require_matplotlib()
    except MissingMatplotlib:
        raise UserError(f"--plot needs matplotlib: {install_hint('plot')}") from None
    from councilsim.sweep.plot import check_axes

    names = list(spec.grid.names)
    x = x or names[0]
    if y is None:
        y = next((n for n in names if n != x), None)
    check_axes(names, x, y)
    return x, y


def _run(
    spec: Any,
    workers: int,
    journal: Path | None,
    resume: bool,
    quiet: bool,
    scheduler: str | None = None,
) -> Any:
    from councilsim.sweep import Interrupted

    show = not quiet and sys.stderr.isatty()
    total = spec.grid.size
    start = time.monotonic()
    done = [0, 0]  # finished, of which read back from the journal
    calls = [0]

    def rate(_: Any) -> str:
        fresh = done[0] - done[1]
        elapsed = time.monotonic() - start
        return f"{fresh / elapsed:,.0f}/s" if elapsed > 0 and fresh else ""

    with click.progressbar(
        length=total,
        label="sweeping",
        file=sys.stderr,
        hidden=not show,
        show_pos=True,
        item_show_func=rate,
    ) as bar:

        def progress(n: int) -> None:
            # with --resume the first call counts the rows read back from the journal
            if resume and calls[0] == 0:
                done[1] = n
            calls[0] += 1
            done[0] += n
            bar.update(n, None)

        try:
            return spec.run(
                workers=workers,
                journal=journal,
                resume=resume,
                progress=progress,
                scheduler=scheduler,
            )
        except Interrupted as err:
            stop = err  # reported once the bar has finished its line
    _interrupted(stop.saved, stop.total, stop.journal)


def _interrupted(saved: int, total: int, journal: Path | None) -> None:
    if journal is None:
        click.echo(
            f"councilsim: interrupted; {saved} of {total} configurations done and not saved "
            "(give --output FILE to make a run resumable)",
            err=True,
        )
    else:
        click.echo(
            f"councilsim: interrupted; {saved} of {total} configurations saved, "
            "rerun with --resume",
            err=True,
        )
    sys.exit(130)


def _write(
    spec: Any, rows: Any, fmt: str, output: str | None, journal: Path | None, measure: str
) -> None:
    from councilsim.sweep import to_csv, to_json
    from councilsim.sweep.engine import default_measure, measure_name

    if fmt == "json":
        text = to_json(spec, rows, measure_name(default_measure()))
    elif fmt == "csv":
        text = to_csv(spec, rows)
    else:
        text = _table(spec, rows, measure, fmt)
    if output:
        write_atomic(output, text)
        if journal is not None:
            journal.unlink(missing_ok=True)
    else:
        click.echo(text, nl=False)


def _table(spec: Any, rows: Any, measure: str, fmt: str) -> str:
    """One measure per configuration, as a table or markdown, with the reasons of invalid
    configurations below."""
    ok = [r for r in rows if r["status"] == "ok"]
    if ok and all(measure not in r["measures"] for r in ok):
        raise ScenarioError(
            f"no measure {measure!r}", key="--measure", fix="use a column of --format csv"
        )
    names = list(spec.grid.names)
    header = ["index", *names, "status", measure]
    body = [
        [
            r["index"],
            *(cell(r["vary"][n]) for n in names),
            r["status"],
            cell(r["measures"].get(measure)) if r["status"] == "ok" else "-",
        ]
        for r in rows
    ]
    align = "r" + "l" * (len(names) + 1) + "r"
    reasons = [f"{r['index']}: {r['reason']}" for r in rows if r["status"] != "ok"]
    if fmt == "markdown":
        text = markdown_table(header, body, align)
        return text + ("\n" if reasons else "") + "".join(f"\n- {line}" for line in reasons)
    notes = [textwrap.fill(line, WIDTH, subsequent_indent="    ") for line in reasons]
    block = ["", "invalid configurations:", *notes] if notes else []
    return "\n".join([wrapped_table(header, body, align), *block]) + "\n"
