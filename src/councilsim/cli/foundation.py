"""Subcommands on scenarios themselves: list, show, validate, vote, states."""

from __future__ import annotations

import textwrap
from collections import Counter
from typing import Any

import click

from councilsim.cli._common import UserError, format_option, handle_errors, table, to_json
from councilsim.council import Council, SeatKind
from councilsim.errors import ScenarioError
from councilsim.rule import Outcome, Vote, decide_council, profile
from councilsim.scenario import Scenario, load, shipped_ids


@click.command("list")
@format_option("table", "json")
@handle_errors
def list_command(fmt: str) -> None:
    """List the shipped scenarios: id, name, seats, veto holders, quota."""
    rows = [_summary(load(i)) for i in shipped_ids()]
    if fmt == "json":
        click.echo(to_json(rows))
        return
    header = ["id", "seats", "veto", "quota", "name"]
    click.echo(
        table(
            header,
            [[r[h if h != "veto" else "veto_holders"] for h in header] for r in rows],
            align="lrrrl",
        )
    )


def _summary(s: Scenario) -> dict[str, Any]:
    c = s.council
    return {
        "id": s.id,
        "name": s.name,
        "seats": c.size,
        "veto_holders": c.veto_holders,
        "quota": c.rule.quota,
    }


@click.command("show")
@click.argument("scenario")
@format_option("table", "json")
@handle_errors
def show_command(scenario: str, fmt: str) -> None:
    """Show a scenario's composition by class and region, and its rule in words."""
    s = load(scenario)
    if fmt == "json":
        click.echo(to_json(show_dict(s)))
        return
    click.echo(show_text(s))


def show_dict(s: Scenario) -> dict[str, Any]:
    """The JSON of ``councilsim show``."""
    c = s.council
    return {
        **_summary(s),
        "description": " ".join(s.description.split()),
        "total_weight": c.total_weight,
        "procedural_quota": c.rule.procedural_quota,
        "veto_threshold": c.rule.veto_threshold,
        "abstention": c.rule.abstention.value,
        "rule": rule_in_words(c),
        "sources": list(s.sources),
        "confidence": list(s.confidence),
        "extends": list(s.extends),
        "classes": [
            {
                "class": k.id,
                "name": k.name,
                "kind": k.kind.value,
                "veto": k.veto,
                "seats": k.count,
                "weight": k.weight,
                "term": k.term,
                "reelection": k.reelection,
            }
            for k in c.classes
        ],
        "members": [
            {
                "holder": seat.holder,
                "label": seat.label,
                "class": seat.seat_class,
                "kind": seat.kind.value,
                "veto": seat.veto,
                "region": seat.region.value if seat.region else None,
                "weight": seat.weight,
            }
            for seat in c.seats
        ],
    }


def rule_in_words(c: Council) -> str:
    """The council's rule as a sentence or two."""
    r = c.rule
    votes = "votes" if c.weights.max() > 1 else "members"
    text = f"A substantive draft needs {r.quota} of {c.total_weight} {votes} voting yes"
    if c.veto_holders:
        blockers = (
            "any one veto holder"
            if r.veto_threshold == 1
            else f"{r.veto_threshold} of the {c.veto_holders} veto holders together"
        )
        if r.abstention.value == "literal":
            text += (
                f" and is blocked when {blockers} does not vote yes "
                "(literal reading: abstention and absence block)"
            )
        else:
            text += (
                f" and is blocked when {blockers} votes no (abstention and absence do not block)"
            )
    text += f". A procedural draft needs {r.procedural_quota} yes votes; no veto applies."
    return text


def show_text(s: Scenario) -> str:
    c = s.council
    lines = [f"{s.name} ({s.id})", ""]
    if s.description:
        lines += [textwrap.fill(" ".join(s.description.split()), 88), ""]
    rows = []
    for k in c.classes:
        named = [h for h in k.holders if h]
        open_ = k.count - len(named)
        holders = ", ".join(named) + (f"{', ' if named else ''}{open_} open" if open_ else "")
        term = (
            ""
            if k.kind is SeatKind.PERMANENT
            else (f"{k.term} y" + (", re-eligible" if k.reelection else ""))
        )
        rows.append(
            [k.id, k.kind.value, "yes" if k.veto else "no", k.count, k.weight, term, holders]
        )
    lines.append(
        table(
            ["class", "kind", "veto", "seats", "weight", "term", "holders"], rows, align="lllrrll"
        )
    )
    lines += ["", "Seats by region:"]
    by_region = Counter(seat.region.value if seat.region else "unassigned" for seat in c.seats)
    lines.append(table(["region", "seats"], sorted(by_region.items()), align="lr"))
    lines += ["", f"Rule: {rule_in_words(c)}"]
    if s.sources:
        lines += ["", "Sources:"] + [f"  - {x}" for x in s.sources]
    if s.confidence:
        lines += ["", "Uncertain:"] + [f"  - {x}" for x in s.confidence]
    return "\n".join(lines)


@click.command("validate")
@click.argument("files", nargs=-1, required=True)
def validate_command(files: tuple[str, ...]) -> None:
    """Check scenario files: one line per file; exit status 2 if any is invalid."""
    bad = 0
    for f in files:
        try:
            s = load(f)
        except ScenarioError as err:
            bad += 1
            click.echo(f"councilsim: error: {err}", err=True)
            continue
        c = s.council
        click.echo(
            f"{f}: ok ({s.id}: {c.size} seats, {c.veto_holders} veto holders, quota {c.rule.quota})"
        )
    if bad:
        raise SystemExit(2)


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
    help="A party to the dispute under Chapter VI: counted as abstaining (Art. 27(3)).",
)
@format_option("table", "json")
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
) -> None:
    """Decide one draft and explain the outcome.

    Members are named by holder code (e.g. USA) or seat label (e.g. elected-3); names may
    also be given comma-separated: --yes USA,FRA,GBR.
    """
    s = load(scenario)
    c = s.council
    split = [_split(x) for x in (yes_, no_, abstain, absent, party)]
    try:
        votes = profile(
            c, yes=split[0], no=split[1], abstain=split[2], absent=split[3], rest=Vote[rest.upper()]
        )
        parties = [c.index_of(p) for p in split[4]]
    except KeyError as err:
        raise UserError(
            f"{err.args[0]!r} holds no seat in {s.id}; name one of: {', '.join(c.labels())}"
        ) from None
    except ValueError as err:
        raise UserError(f"{err}; name each member once") from None
    mask = [i in parties for i in range(c.size)]
    d = decide_council(c, votes, procedural=procedural, parties=mask)
    result = explain(c, votes, d.outcome.item(), int(d.yes_weight), procedural, mask)
    click.echo(to_json(result) if fmt == "json" else result["explanation"])


def _split(values: tuple[str, ...]) -> list[str]:
    return [v.strip() for x in values for v in x.split(",") if v.strip()]


def explain(
    c: Council, votes: Any, outcome: int, yes_weight: int, procedural: bool, parties: list[bool]
) -> dict[str, Any]:
    """The outcome of one draft with the reason, as a dict (``explanation`` is the prose)."""
    names = c.labels()
    by_vote = {v.name.lower(): [names[i] for i in range(c.size) if votes[i] == v] for v in Vote}
    for i, is_party in enumerate(parties):
        if is_party:
            for members in by_vote.values():
                if names[i] in members:
                    members.remove(names[i])
            by_vote["abstain"].append(names[i])
    vetoers = [names[i] for i in range(c.size) if c.veto[i] and names[i] in by_vote["no"]]
    quota = c.rule.procedural_quota if procedural else c.rule.quota
    o = Outcome(outcome)
    if o is Outcome.ADOPTED:
        reason = f"{yes_weight} yes votes reach the quota of {quota}"
        if not procedural and c.veto_holders:
            reason += " and no veto blocks it"
    elif o is Outcome.VETOED:
        reason = (
            f"{yes_weight} yes votes reach the quota of {quota}, but it is vetoed by "
            f"{', '.join(vetoers) or 'veto holders not voting yes (literal reading)'}"
        )
    else:
        reason = f"{yes_weight} yes votes fall short of the quota of {quota}"
        if vetoers and not procedural:
            reason += f" (veto holders voting no: {', '.join(vetoers)}; not counted as a veto)"
    kind = "procedural" if procedural else "substantive"
    lines = [f"{o.name.lower()}: {reason}.", f"({kind} draft)"]
    for v in ("yes", "no", "abstain", "absent"):
        lines.append(f"  {v:8s}{len(by_vote[v]):3d}  {', '.join(by_vote[v])}".rstrip())
    if any(parties):
        lines.append(
            "  parties to the dispute counted as abstaining (Art. 27(3)): "
            + ", ".join(n for n, p in zip(names, parties, strict=True) if p)
        )
    return {
        "outcome": o.name.lower(),
        "reason": reason,
        "procedural": procedural,
        "yes_weight": yes_weight,
        "quota": quota,
        "vetoed_by": vetoers,
        "votes": by_vote,
        "explanation": "\n".join(lines),
    }


@click.command("states")
@click.option(
    "--group",
    type=click.Choice(["africa", "asia-pacific", "eastern-europe", "grulac", "weog"]),
    help="Only this group.",
)
@format_option("table", "json")
def states_command(group: str | None, fmt: str) -> None:
    """List the UN member states with their ISO 3166 alpha-3 code and regional group."""
    from councilsim.states import member_states

    rows = [s for s in member_states() if group is None or s.group == group]
    if fmt == "json":
        click.echo(to_json([{"iso3": s.iso3, "name": s.name, "group": str(s.group)} for s in rows]))
    else:
        click.echo(table(["iso3", "name", "group"], [[s.iso3, s.name, str(s.group)] for s in rows]))


COMMANDS = [list_command, show_command, validate_command, vote_command, states_command]
