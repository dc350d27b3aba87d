"""Subcommands on scenarios themselves: list, show, validate, vote, states."""

from __future__ import annotations

from typing import Any

import click

from councilsim.cli._common import (
    UserError,
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
from councilsim.errors import ScenarioError
from councilsim.explain import explain_vote
from councilsim.overview import Composition, composition, summary
from councilsim.rule import Vote, profile
from councilsim.scenario import load, shipped_ids
from councilsim.scenario.expected import verify
from councilsim.states import member_states

NOT_A_TABLE = "the output is prose and a tally, not one table"


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


@click.command("validate")
@click.argument("files", nargs=-1, required=True)
@format_option(
    "table", "json", "csv", why_not={"markdown": "validate prints one line per file, not a table"}
)
@output_option("the report")
@handle_errors
def validate_command(files: tuple[str, ...], fmt: str, output: str | None) -> None:
    """Check scenario files and the values of their [expected] blocks.

    Each file is loaded and validated; every value of its [expected] block (council facts,
    exact voting power, axioms, the outcome of each draft) is then computed and compared
    exactly. One line per file: "ok", or each value that differs. Files that cannot be loaded
    get one error line on standard error.

    Exit status: 0 when every file is valid and meets its [expected] block, 1 when some value
    differs, 2 when a file is invalid. JSON: a list of {file, status (ok, mismatch or
    invalid), id, seats, veto_holders, quota, mismatches [{key, expected, actual}], error};
    CSV: file, status, key, expected, actual (one row per mismatch, or one per file).
    """
    reports = [_validate(f) for f in files]
    for r in reports:
        if r["status"] == "invalid":
            click.echo(f"councilsim: error: {r['error']}", err=True)
    if fmt == "json":
        emit(to_json(reports), output)
    elif fmt == "csv":
        rows = [
            [r["file"], r["status"], m["key"], m["expected"], m["actual"]]
            for r in reports
            for m in (r["mismatches"] or [{"key": "", "expected": "", "actual": ""}])
        ]
        emit(to_csv(["file", "status", "key", "expected", "actual"], rows), output)
    else:
        lines = [_validate_line(r) for r in reports if r["status"] != "invalid"]
        if lines or output:
            emit("\n".join(lines), output)
    statuses = {r["status"] for r in reports}
    if "invalid" in statuses:
        raise SystemExit(2)
    if "mismatch" in statuses:
        raise SystemExit(1)


def _validate(path: str) -> dict[str, Any]:
    out: dict[str, Any] = {"file": path, "status": "invalid", "id": None, "mismatches": []}
    try:
        s = load(path)
        mismatches = verify(s)
    except ScenarioError as err:
        return {**out, "error": str(err)}
    c = s.council
    return {
        **out,
        "status": "mismatch" if mismatches else "ok",
        "id": s.id,
        "seats": c.size,
        "veto_holders": c.veto_holders,
        "quota": c.rule.quota,
        "checked": len(s.expected),
        "mismatches": [m.to_dict() for m in mismatches],
        "error": None,
    }


def _validate_line(r: dict[str, Any]) -> str:
    facts = f"{r['id']}: {r['seats']} seats, {r['veto_holders']} veto holders, quota {r['quota']}"
    if r["status"] == "ok":
        checked = "; [expected] block met" if r["checked"] else ""
        return f"{r['file']}: ok ({facts}{checked})"
    return "\n".join(
        f"{r['file']}: mismatch: {m['key']}: the file expects {m['expected']}, "
        f"councilsim gives {m['actual']}"
        for m in r["mismatches"]
    )


@click.command("vote")
@click.argument("scenario")
@click.option("--yes", "yes_", multiple=True, metavar="CODE", help="Members voting yes.")
@click.option("--no", "no_", multiple=True, metavar="CODE", help="Members voting no.")
@click.option("--abstain", multiple=True, metavar="CODE", help="Members abstaining.")
@click.option("--absent", multiple=True, metavar="CODE", help="Members absent.")
@click.option(
    "--rest",
    type=click.Choice(["yes", "no", "abstain", "absent"]),
    default="absent",
    show_default=True,
    help="Vote of every member not named.",
)
@click.option("--procedural", is_flag=True, help="Decide as a procedural matter (Art. 27(2)).")
@click.option(
    "--party",
    multiple=True,
    metavar="CODE",
    help="A party to the dispute under Chapter VI: counted as abstaining (Art. 27(3)); "
    "not with --procedural.",
)
@format_option("table", "json", "csv", why_not={"markdown": NOT_A_TABLE})
@output_option()
@handle_errors
def vote_command(
    scenario: str,
    yes_: tuple[str, ...],
    no_: tuple[str, ...],
    abstain: tuple[str, ...],
    absent: tuple[str, ...],
    rest: str,
    procedural: bool,
    party: tuple[str, ...],
    fmt: str,
    output: str | None,
) -> None:
    """Decide one draft and explain the outcome.

    Members are named by holder code (e.g. USA) or seat label (e.g. elected-3); names may
    also be given comma-separated: --yes USA,FRA,GBR.

    JSON: outcome, reason, procedural, yes_weight, quota, vetoed_by (the veto holders whose
    vote blocked the draft: empty unless it was vetoed), veto_no (every veto holder whose no
    was counted), parties, votes {yes, no, abstain, absent} as counted, and explanation.
    CSV: one row per member: member, vote (as counted), party, veto, blocked.
    """
    if party and procedural:
        raise UserError(
            "--party: Art. 27(3)'s proviso on parties to a dispute covers decisions under "
            "Chapter VI and Art. 52(3), not procedural votes (Art. 27(2)); drop --party or "
            "--procedural"
        )
    s = load(scenario)
    c = s.council
    yes, no, abst, away, parties = (_split(x) for x in (yes_, no_, abstain, absent, party))
    try:
        votes = profile(c, yes=yes, no=no, abstain=abst, absent=away, rest=Vote[rest.upper()])
        result = explain_vote(c, votes, procedural=procedural, parties=parties)
    except KeyError as err:
        raise UserError(
            f"{err.args[0]!r} holds no seat in {s.id}; name one of: {', '.join(c.labels())}"
        ) from None
    except ValueError as err:
        raise UserError(f"{err}; name each member once") from None
    if fmt == "json":
        emit(to_json(result.to_dict()), output)
    elif fmt == "csv":
        header = ["member", "vote", "party", "veto", "blocked"]
        emit(to_csv(header, [list(r.values()) for r in result.rows()]), output)
    else:
        emit(result.text(), output)


def _split(values: tuple[str, ...]) -> list[str]:
    return [v.strip() for x in values for v in x.split(",") if v.strip()]


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


COMMANDS = [list_command, show_command, validate_command, vote_command, states_command]
