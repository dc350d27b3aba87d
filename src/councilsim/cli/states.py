"""The by-state views of ``councilsim power``: every state's expected power, by group, or
named states year by year (``--by state``, ``--by group``, ``--state``, ``--over-years``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from councilsim.cli._common import (
    UserError,
    check_output,
    election_options,
    render_table,
    run_size_options,
    seed_option,
    to_csv,
    to_json,
)
from councilsim.cli._common import (
    notes as note_lines,
)
from councilsim.formatting import cell
from councilsim.scenario import load

__all__ = ["by_state", "state_options"]

F = TypeVar("F", bound=Callable[..., Any])


def state_options(func: F) -> F:
    """The options of ``councilsim power --by state`` and ``--by group``."""
    options = [
        click.option(
            "--state",
            "states",
            multiple=True,
            metavar="CODE",
            help="A state (ISO alpha-3, e.g. IND) whose expected power to show; implies --by "
            "state. Repeatable [default: every UN member].",
        ),
        click.option(
            "--over-years",
            is_flag=True,
            help="With --state: the expected power in each year of the run, from the start "
            "composition through the stagger (the first --index, default banzhaf).",
        ),
        click.option(
            "--plot",
            type=click.Path(dir_okay=False),
            default=None,
            help="With --over-years: also draw it to FILE.png or FILE.svg (the plot extra).",
        ),
        click.option(
            "--elections/--no-elections",
            default=True,
            show_default=True,
            help="By state: expected power from an election run; --no-elections: the power of "
            "the seat a state is named to, 0 for the others.",
        ),
        run_size_options(
            years_help="By state: years of elections over which power is averaged (from the "
            "start).",
            replications_help="By state: replications of the election run.",
        ),
        seed_option(),
        election_options("By state: "),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _state_indices(indices: tuple[str, ...]) -> list[str]:
    from councilsim.statepower.tables import POWER_NAMES

    wrong = [i for i in indices if i not in POWER_NAMES]
    if wrong:
        raise UserError(
            f"--index {wrong[0]} is not a state index; use banzhaf, banzhaf_absolute or "
            "shapley_shubik"
        )
    return [POWER_NAMES[i] for i in indices] or list(POWER_NAMES.values())


def by_state(
    scenarios: tuple[str, ...],
    indices: tuple[str, ...],
    by: str,
    exact: bool,
    fmt: str,
    output: str | None,
    opts: dict[str, Any],
) -> str:
    """Every state's (or group's) expected power, or named states' power by year."""
    from councilsim.compare.measures import state_codes
    from councilsim.statepower import state_power, state_power_by_year
    from councilsim.validate import to_int

    keys = _state_indices(indices)
    codes = list(state_codes(opts["states"], key="--state"))
    if opts["over_years"] and not codes:
        raise UserError("--over-years needs at least one --state")
    if opts["plot"] and not opts["over_years"]:
        raise UserError("--plot needs --over-years")
    plot_type = _check_plot(opts["plot"]) if opts["plot"] else None
    check_output(output)
    run = {
        "years": opts["years"],
        "replications": opts["replications"],
        "candidates": opts["candidates"],
        "start_year": opts["start_year"],
        "membership": opts["membership"],
    }
    results: list[Any] = []
    for ref in scenarios:
        scenario = load(ref)
        seed = opts["seed"]
        run["seed"] = (
            to_int(seed, "--seed", 0, 2**128 - 1)
            if seed is not None
            else getattr(scenario.simulation, "seed", 0)
        )
        if opts["over_years"]:
            results.append(state_power_by_year(scenario, codes, index=keys[0], **run))
        else:
            results.append(state_power(scenario, elections=opts["elections"], **run))
    if opts["over_years"]:
        if opts["plot"]:
            _draw_by_year(results, opts["plot"], plot_type or "png")
        return _render_by_year(results, fmt, exact)
    return _render_states(results, codes, keys, by, exact, fmt)


def _check_plot(path: str) -> str:
    from councilsim.compare.plot import MissingMatplotlib, check_plot_path, require_matplotlib

    kind = check_plot_path(path)
    try:
        require_matplotlib()
    except MissingMatplotlib as err:
        raise UserError(str(err)) from None
    check_output(path, "--plot")
    return kind


def _draw_by_year(results: list[Any], path: str, kind: str) -> None:
    from councilsim.files import write_atomic
    from councilsim.statepower.plot import render_by_year

    write_atomic(path, render_by_year(results, kind))


def _render_by_year(results: list[Any], fmt: str, exact: bool) -> str:
    if fmt == "json":
        return to_json([r.to_dict(exact) for r in results])
    if fmt == "csv":
        rows = [
            [r.scenario, r.index, year, code, float(e.mean), float(e.low), float(e.high)]
            for r in results
            for code, series in r.values.items()
            for year, e in zip(r.years, series, strict=True)
        ]
        return to_csv(["scenario", "index", "year", "state", "mean", "low", "high"], rows)
    parts = []
    for r in results:
        header, rows = r.rows()
        title = f"{r.scenario}: expected {r.index} power by year"
        how = (
            f"election run of {r.replications} replications, seed {r.seed}, candidate model "
            f"{r.candidates}; each year's expected seats add up to {cell(r.seats[0])}"
        )
        parts.append(
            "\n".join(
                [
                    f"## {title}" if fmt == "markdown" else title,
                    how,
                    "",
                    render_table(
                        fmt, header, [[y, *map(cell, v)] for y, *v in rows], "r" * len(header)
                    ),
                ]
            )
        )
    return "\n\n".join(parts)


def _render_states(
    results: list[Any], codes: list[str], keys: list[str], by: str, exact: bool, fmt: str
) -> str:
    from councilsim.statepower.tables import group_rows, notes, state_rows

    if fmt == "json":
        out = []
        for r in results:
            data = r.to_dict(exact)
            if by == "group":
                data.pop("states")
            elif codes:
                listed = {s["state"]: s for s in data["states"]}
                data["states"] = [listed[c] for c in codes if c in listed]
            out.append(data)
        return to_json(out)
    if fmt == "csv":
        header: list[str] = []
        rows: list[list[Any]] = []
        for r in results:
            h, body = (
                group_rows(r, keys, exact=exact)
                if by == "group"
                else state_rows(r, codes, keys, exact=exact)
            )
            header = ["scenario", *h]
            rows += [[r.scenario, *row] for row in body]
        return to_csv(header, rows)
    parts = []
    for r in results:
        if by == "group":
            header, body = group_rows(r, keys, exact=exact)
        else:
            header, body = state_rows(r, codes, keys, exact=exact, intervals=False)
            header = [*header[:-1]]
            body = [[*row[:-1]] for row in body]
        title = f"{r.scenario}: {r.name}"
        lines = [
            f"## {title}" if fmt == "markdown" else title,
            *note_lines("How", notes(r), fmt),
            "",
            render_table(fmt, header, [[cell(v) for v in row] for row in body]),
        ]
        zero = [row for row in state_rows(r, codes, keys)[1] if row[-1]] if by == "state" else []
        if zero and len(zero) <= 20:
            lines += ["", *(f"{row[0]}: {row[-1]}" for row in zero)]
        elif zero:
            lines += ["", f"{len(zero)} states: {zero[0][-1]}"]
        parts.append("\n".join(lines))
    return "\n\n".join(parts)
