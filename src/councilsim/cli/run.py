"""``councilsim run``: everything a scenario file asks for, in one report."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import click

from councilsim.cli._common import (
    emit,
    format_option,
    handle_errors,
    notes,
    output_option,
    progress_bar,
    render_table,
    seed_option,
    to_json,
    warn_about,
    workers_option,
    wrap,
)
from councilsim.errors import ScenarioError
from councilsim.formatting import cell
from councilsim.scenario import load

if TYPE_CHECKING:
    from councilsim.overview import Overview

__all__ = ["run_command", "run_text"]

TITLES = {"banzhaf": "Banzhaf", "shapley_shubik": "Shapley-Shubik"}


@click.command("run")
@click.argument("scenario")
@click.option(
    "--draws", metavar="N", help="Monte Carlo drafts, e.g. 1e7 [default: the scenario's]."
)
@seed_option()
@click.option("--years", metavar="N", help="Years of elections [default: the scenario's, else 0].")
@click.option(
    "--state",
    "states",
    multiple=True,
    metavar="CODE",
    help="A state (ISO alpha-3, e.g. IND) whose expected power to add: the seats it will hold "
    "in an election run × their power (docs/states.md). Repeatable.",
)
@workers_option()
@click.option("--exact", is_flag=True, help="Exact values as fractions p/q instead of decimals.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@format_option(
    "table",
    "json",
    "markdown",
    why_not={"csv": "the report has several tables; use json, or power/simulate --format csv"},
)
@output_option("the report")
@handle_errors
def run_command(
    scenario: str,
    draws: str | None,
    seed: str | None,
    years: str | None,
    states: tuple[str, ...],
    workers: int,
    exact: bool,
    quiet: bool,
    fmt: str,
    output: str | None,
) -> None:
    """Run SCENARIO as its file describes and print one report.

    The report gives the composition and rule, the a-priori voting power of each seat class
    (normalised Banzhaf and Shapley-Shubik, as shares of one seat and of the class; Coleman's
    power to act) and the outcomes of drafts simulated under the file's [simulation] table
    (vote model, draws, seed, years) with 95 % intervals, beside the exact probabilities where
    the model's votes are independent. A file without [simulation] gets the impartial model
    at p = 1/2. Options override the file. In Python: councilsim.overview.overview().

    JSON: scenario, name, composition (as `councilsim show`), power ({quota, coleman_act,
    winning_coalitions, classes: [{class, seats, veto, banzhaf, shapley_shubik, ...}]}),
    simulation (as `councilsim simulate`, or with years as `simulate --years`) and exact
    (as `simulate --exact`, or null); with --state, states (as `power --by state`, the named
    states only).
    """
    from councilsim.overview import overview, simulation_spec  # computes: numpy

    loaded = load(scenario)
    overrides = {"draws": draws, "seed": seed, "years": years}
    try:
        spec = simulation_spec(loaded, **overrides)
        warn_about(spec.model)
        show = not quiet and sys.stderr.isatty() and spec.years == 0
        with progress_bar(spec.draws * max(spec.years, 1), "simulating", show) as update:
            report = overview(loaded, **overrides, workers=workers, progress=update, states=states)
    except ScenarioError as err:
        if err.key in overrides:
            raise ScenarioError(err.problem, key=f"--{err.key}", fix=err.fix) from None
        raise
    if fmt == "json":
        emit(to_json(report.to_dict()), output)
    else:
        emit(run_text(report, fmt, exact=exact), output)


def run_text(report: Overview, fmt: str = "table", *, exact: bool = False) -> str:
    """The report as text: ``fmt`` ``table`` or ``markdown``; ``exact`` writes fractions."""
    from councilsim.overview import POWER_INDICES

    md = fmt == "markdown"
    comp = report.composition

    def heading(text: str) -> list[str]:
        return ["", f"## {text}", ""] if md else ["", text]

    title = f"{report.name} ({report.scenario})"
    lines = [f"# {title}" if md else wrap(title)]
    lines += heading("Composition")
    rows = [[k.id, k.kind.value, k.veto, k.seats, k.holders_text] for k in comp.classes]
    header = ["class", "kind", "veto", "seats", "holders"]
    lines.append(render_table(fmt, header, rows, "lllrl"))
    lines += ["", f"Rule: {comp.rule}" if md else wrap(f"Rule: {comp.rule}")]
    lines += heading(
        "A-priori voting power: normalised Banzhaf and Shapley-Shubik, "
        "share of one seat (of the class)"
    )
    pw = report.power

    def value(x: Any) -> str:
        return cell(x if exact else float(x))

    rows = [
        [
            k.id,
            k.seats,
            k.veto,
            *(
                f"{value(k.seat[n])} ({value(k.total[n])})" if n in k.seat else "-"
                for n in POWER_INDICES
            ),
        ]
        for k in pw.classes
    ]
    header = ["class", "seats", "veto", *(TITLES[n] for n in POWER_INDICES)]
    lines.append(render_table(fmt, header, rows, "lrlrr"))
    lines += [
        "",
        f"Coleman's power to act {value(pw.coleman_act)}; "
        f"{pw.winning_coalitions} winning coalitions",
    ]
    if pw.omitted:
        names = ", ".join(TITLES[n] for n in pw.omitted)
        lines.append(wrap(f"Not counted: {names}, too costly to count exactly for this council."))
    lines += heading("Simulated outcomes")
    lines += _simulation(report, fmt, exact)
    if report.states is not None:
        lines += heading("Named states: expected power")
        lines += _states(report, fmt, exact)
    lines += notes("Sources", comp.sources, fmt) + notes("Uncertain", comp.confidence, fmt)
    return "\n".join(lines)


def _states(report: Overview, fmt: str, exact: bool) -> list[str]:
    from councilsim.statepower.tables import notes as how
    from councilsim.statepower.tables import state_rows

    assert report.states is not None
    header, rows = state_rows(report.states, report.named, exact=exact, intervals=False)
    shown = [[cell(v) for v in row[:-1]] for row in rows]
    out = [render_table(fmt, header[:-1], shown)]
    out += [f"{row[0]}: {row[-1]}" for row in rows if row[-1]]
    return out + notes("How", how(report.states), fmt)


def _simulation(report: Overview, fmt: str, exact: bool) -> list[str]:
    from councilsim.overview import OUTCOME_MEASURES

    sim = report.simulation.to_dict()
    params = ", ".join(f"{k}={v}" for k, v in sim["params"].items() if v not in ({}, [], None))
    per = " a year" if "years" in sim and isinstance(sim["years"], list) else ""
    engine = (
        "exact probabilities"
        if sim["engine"] == "exact"
        else f"Monte Carlo, {sim['draws']} drafts{per}, seed {sim['seed']}; "
        "± is the half-width of the 95% interval"
    )
    lines = [wrap(f"{sim['model']} model ({params}); {engine}")]
    if per:
        rates = OUTCOME_MEASURES[:3]  # the mean number of yes votes stays in the JSON
        rows = [[y["year"], *(_estimate(y[k], exact) for k in rates)] for y in sim["years"]]
        rows.append(["all years", *(_estimate(sim["overall"][k], exact) for k in rates)])
        header = ["year", *rates]
        lines.append(render_table(fmt, header, rows, "lrrr"))
        return lines
    ex = report.exact.to_dict() if report.exact is not None else None
    header = ["outcome", "estimate"] + (["exact"] if ex else [])
    rows = [
        [k.replace("_", " "), _estimate(sim[k], exact), *([_estimate(ex[k], exact)] if ex else [])]
        for k in OUTCOME_MEASURES
    ]
    lines.append(render_table(fmt, header, rows, "lrr"[: len(header)]))
    if report.exact_note:
        lines.append(wrap(report.exact_note))
    return lines


def _estimate(est: Mapping[str, Any], exact: bool) -> str:
    """An estimate as text: ``0.0243 ±0.002136``; an exact value as a fraction with --exact."""
    if exact and "fraction" in est:
        return str(est["fraction"])
    if "ci_low" not in est:
        return cell(est["estimate"])
    return f"{cell(est['estimate'])} ±{cell((est['ci_high'] - est['ci_low']) / 2)}"
