"""``councilsim elect``: General Assembly elections of the non-permanent seats, year by year."""

from __future__ import annotations

import sys
import textwrap
from typing import Any

import click

from councilsim.cli._common import (
    FORMATS,
    WIDTH,
    WholeRange,
    check_output,
    election_options,
    emit,
    format_option,
    handle_errors,
    markdown_table,
    output_option,
    progress_bar,
    seed_option,
    table,
    to_csv,
    to_json,
    wrapped_table,
)
from councilsim.errors import ScenarioError
from councilsim.formatting import cell
from councilsim.limits import DEFAULT_RUN_YEARS, MAX_REPLICATIONS, MAX_YEARS
from councilsim.scenario import load

__all__ = ["elect_command"]

TOP_STATES = 15
"""States shown in the table (JSON and CSV have them all)."""


@click.command("elect")
@click.argument("scenario")
@click.option(
    "--years",
    type=WholeRange(1, MAX_YEARS),
    default=DEFAULT_RUN_YEARS,
    show_default=True,
    help="Years to simulate, counting the start year.",
)
@election_options()
@seed_option("the scenario's [simulation] seed, as for simulate --years, else 0")
@click.option(
    "--replications",
    type=WholeRange(1, MAX_REPLICATIONS),
    default=1,
    show_default=True,
    help="Independent runs.",
)
@click.option(
    "--state",
    "states",
    multiple=True,
    metavar="ISO3",
    help="States to report on (repeat, or separate with commas).",
)
@click.option(
    "--window",
    type=WholeRange(1, None),
    default=None,
    help="Years from the start in which serving counts (default: the whole run).",
)
@click.option(
    "--balloting",
    is_flag=True,
    help="Elect by a stylised General Assembly ballot (docs/elections.md).",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@format_option(*FORMATS)
@output_option()
@handle_errors
def elect_command(
    scenario: str,
    years: int,
    start_year: int | None,
    membership: str | None,
    seed: str | None,
    replications: int,
    candidates: str,
    states: tuple[str, ...],
    window: int | None,
    balloting: bool,
    quiet: bool,
    fmt: str,
    output: str | None,
) -> None:
    """Simulate the General Assembly's elections of the non-permanent seats, year by year.

    Each year the General Assembly fills the seats whose terms end: by group, as the
    scenario's stagger says, with no immediate re-election unless the class allows it, and
    (where the scenario has it) an Arab state in the swing seat. The table shows the Council
    of each year (one replication; "N open" counts seats without a holder) and, over all
    replications:

    \b
    seat-years by group: mean seat-years per run of each regional group
      (all seats, permanent included) and the group's share of them;
    seat-years: mean years a state holds a seat, per run;
    P(serve): share of runs in which it serves within --window years;
    mean gap: mean years off the Council between two of its terms;
    wait to next term: for a state off the Council at the start, mean
      years to its next term (over the runs where one starts).

    The table lists the first 15 states by seat-years (or those named with --state); JSON,
    CSV (the Council by year) and -o give everything. See docs/elections.md.
    """
    from councilsim.elections.report import elect  # simulates: numpy

    check_output(output)
    show = not quiet and sys.stderr.isatty()
    loaded = load(scenario)
    root = _seed(seed) if seed is not None else getattr(loaded.simulation, "seed", 0)
    with progress_bar(years, "electing", show) as update:
        data = elect(
            loaded,
            years,
            seed=root,
            replications=replications,
            start_year=start_year,
            candidates=candidates,
            membership=membership,
            states=states,
            window=window,
            balloting=balloting,
            progress=update,
        )
    render = {"json": to_json, "csv": _csv, "markdown": _markdown}
    emit(render.get(fmt, _text)(data), output)


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise ScenarioError(f"{text!r} is not a whole number >= 0", key="--seed")
    return value


def _council_rows(data: dict[str, Any]) -> list[list[Any]]:
    """The Council by year: the holders of each changing class, open seats counted."""
    rows = []
    for y in data["years"]:
        row: list[Any] = [y["year"]]
        for cid in data["classes"]:
            holders = [m["holder"] for m in y["members"] if m["class"] == cid]
            held = [h for h in holders if h]
            open_seats = len(holders) - len(held)
            row.append(" ".join(held + ([f"{open_seats} open"] if open_seats else [])))
        rows.append(row)
    return rows


def _group_rows(summary: dict[str, Any]) -> list[list[str]]:
    return [
        [g, cell(v), cell(summary["group_share"][g])]
        for g, v in summary["group_seat_years"].items()
    ]


STATE_HEADER = ["state", "group", "seat-years", "P(serve)", "mean gap", "wait to next term"]


def _state_rows(states: list[dict[str, Any]]) -> list[list[str]]:
    return [
        [
            s["state"],
            s["group"],
            cell(s["seat_years"]),
            cell(s["serve_probability"]),
            cell(s["mean_gap"]),
            cell(s["mean_first_wait"]),
        ]
        for s in states
    ]


def _text(data: dict[str, Any]) -> str:
    first, n = data["start_year"], data["years_run"]
    reps = data["replications"]
    head = (
        f"{data['scenario']}: {first}-{first + n - 1}, {reps} replication"
        f"{'s' if reps > 1 else ''}, candidates {data['candidates']}, seed {data['seed']}"
    )
    parts = [head]
    if data["start"]["dropped"]:
        dropped = f"left out of the start: {', '.join(data['start']['dropped'])}"
        parts += textwrap.wrap(dropped, WIDTH)
    shown = data["classes"]
    label = "the Council by year" + (" (replication 1)" if reps > 1 else "")
    council = wrapped_table(["year", *shown], _council_rows(data), "l" * (len(shown) + 1), wrap=8)
    parts += ["", label, council]
    summary = data["summary"]
    parts += [
        "",
        "seat-years by group (mean per run)",
        table(["group", "seat-years", "share"], _group_rows(summary)),
    ]
    states = summary["states"]
    limited = states[:TOP_STATES]
    w = summary["window"]
    parts += [
        "",
        f"states (serving: within {w} year{'s' if w > 1 else ''} of {first})"
        + (
            f"; top {TOP_STATES} of {len(states)} by seat-years" if len(states) > TOP_STATES else ""
        ),
        table(STATE_HEADER, _state_rows(limited)),
    ]
    if "ballots_per_election" in summary:
        parts += ["", f"ballots per election: {cell(summary['ballots_per_election'])}"]
    return "\n".join(parts)


def _markdown(data: dict[str, Any]) -> str:
    summary = data["summary"]
    shown = data["classes"]
    return "\n\n".join(
        [
            markdown_table(["year", *shown], _council_rows(data), "l" * (len(shown) + 1)),
            markdown_table(["group", "seat-years", "share"], _group_rows(summary)),
            markdown_table(STATE_HEADER, _state_rows(summary["states"]), "llrrrr"),
        ]
    )


def _csv(data: dict[str, Any]) -> str:
    rows = [
        [y["year"], m["class"], m["seat_kind"], m["region"] or "", m["holder"] or ""]
        for y in data["years"]
        for m in y["members"]
    ]
    return to_csv(["year", "class", "seat_kind", "region", "holder"], rows)
