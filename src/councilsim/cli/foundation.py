"""Subcommands that describe scenarios and states: list, show, states (no numerical work, so
nothing here loads numpy; ``validate`` and ``vote``, which compute, have modules of their
own)."""

from __future__ import annotations

import click

from councilsim.cli._common import (
    emit,
    format_option,
    handle_errors,
    notes,
    output_option,
    render_table,
    to_csv,
    to_json,
    wrap,
)
from councilsim.describe import Composition, composition, summary
from councilsim.scenario import load, shipped_ids
from councilsim.states import member_states


@click.command("list")
@format_option("table", "json", "csv", "markdown")
@output_option()
@handle_errors
def list_command(fmt: str, output: str | None) -> None:
    """List the shipped scenarios: id, seats, veto holders, quota, name."""
    rows = [summary(load(i)) for i in shipped_ids()]
    if fmt == "json":
        emit(to_json([r.to_dict() for r in rows]), output)
        return
    header = ["id", "seats", "veto", "quota", "name"]
    body = [[r.id, r.seats, r.veto_holders, r.quota, r.name] for r in rows]
    if fmt == "csv":
        header[2] = "veto_holders"
    emit(render_table(fmt, header, body, align="lrrrl"), output)


@click.command("show")
@click.argument("scenario")
@format_option("table", "json", "csv", "markdown")
@output_option()
@handle_errors
def show_command(scenario: str, fmt: str, output: str | None) -> None:
    """Show a scenario's composition by class and region, and its rule in words.

    CSV has one row per seat: label, holder, class, kind, veto, region, weight. JSON adds the
    description, the rule's parameters, the classes and the seats by region.
    """
    c = composition(load(scenario))
    if fmt == "json":
        emit(to_json(c.to_dict()), output)
    elif fmt == "csv":
        header = ["label", "holder", "class", "kind", "veto", "region", "weight"]
        rows = [
            [
                s.label,
                s.holder or "",
                s.seat_class,
                s.kind.value,
                s.veto,
                s.region.value if s.region else "",
                s.weight,
            ]
            for s in c.members
        ]
        emit(to_csv(header, rows), output)
    else:
        emit(show_text(c, fmt), output)


def show_text(c: Composition, fmt: str = "table") -> str:
    """``show``'s text (``fmt`` ``table`` or ``markdown``)."""
    md = fmt == "markdown"
    s = c.summary
    lines = [f"# {s.name} ({s.id})" if md else wrap(f"{s.name} ({s.id})"), ""]
    if c.description:
        lines += [c.description if md else wrap(c.description), ""]
    rows = [
        [k.id, k.kind.value, k.veto, k.seats, k.weight, k.term_text, k.holders_text]
        for k in c.classes
    ]
    header = ["class", "kind", "veto", "seats", "weight", "term", "holders"]
    lines.append(render_table(fmt, header, rows, align="lllrrll"))
    lines += ["", "Seats by region:", ""] if md else ["", "Seats by region:"]
    lines.append(render_table(fmt, ["region", "seats"], c.by_region, align="lr"))
    lines += ["", f"Rule: {c.rule}" if md else wrap(f"Rule: {c.rule}")]
    lines += notes("Sources", c.sources, fmt) + notes("Uncertain", c.confidence, fmt)
    return "\n".join(lines)


@click.command("states")
@click.option(
    "--group",
    type=click.Choice(["africa", "asia-pacific", "eastern-europe", "grulac", "weog"]),
    help="Only this group.",
)
@format_option("table", "json", "csv", "markdown")
@output_option()
@handle_errors
def states_command(group: str | None, fmt: str, output: str | None) -> None:
    """List the UN member states with their ISO 3166 alpha-3 code and regional group."""
    rows = [s for s in member_states() if group is None or s.group == group]
    if fmt == "json":
        data = [{"iso3": s.iso3, "name": s.name, "group": str(s.group)} for s in rows]
        emit(to_json(data), output)
    else:
        body = [[s.iso3, s.name, str(s.group)] for s in rows]
        emit(render_table(fmt, ["iso3", "name", "group"], body), output)


COMMANDS = [list_command, show_command, states_command]
