"""``councilsim elect``: General Assembly elections of the non-permanent seats, year by year."""

from __future__ import annotations

from typing import Any

import click

from councilsim.cli._common import (
    election_options,
    format_option,
    handle_errors,
    table,
    to_csv,
    to_json,
)
from councilsim.council import SeatKind
from councilsim.elections import (
    BallotModel,
    Candidates,
    ElectionRun,
    RunSummary,
    candidates_from_csv,
    history_candidates,
    read_membership,
    rules_for,
    run_elections,
    start_from_membership,
    starting_composition,
    summarise,
    uniform_candidates,
)
from councilsim.elections.membership import Membership
from councilsim.errors import ScenarioError
from councilsim.limits import DEFAULT_RUN_YEARS, DEFAULT_SEED, MAX_REPLICATIONS, MAX_SEED, MAX_YEARS
from councilsim.scenario import load
from councilsim.states import all_states, lookup, member_states

__all__ = ["elect_command", "elect_dict"]

TOP_STATES = 15


@click.command("elect")
@click.argument("scenario")
@click.option(
    "--years",
    type=click.IntRange(1, MAX_YEARS),
    default=DEFAULT_RUN_YEARS,
    show_default=True,
    help="Years to simulate, counting the start year.",
)
@election_options()
@click.option(
    "--seed",
    type=click.IntRange(0, MAX_SEED),
    default=DEFAULT_SEED,
    show_default=True,
    help="Random seed.",
)
@click.option(
    "--replications",
    type=click.IntRange(1, MAX_REPLICATIONS),
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
    type=click.IntRange(1, None),
    default=None,
    help="Years from the start in which serving counts (default: the whole run).",
)
@click.option(
    "--balloting",
    is_flag=True,
    help="Elect by a stylised General Assembly ballot (docs/elections.md).",
)
@format_option("table", "json", "csv")
@handle_errors
def elect_command(
    scenario: str,
    years: int,
    start_year: int | None,
    membership: str | None,
    seed: int,
    replications: int,
    candidates: str,
    states: tuple[str, ...],
    window: int | None,
    balloting: bool,
    fmt: str,
) -> None:
    """Simulate the General Assembly's elections of the non-permanent seats, year by year.

    Each year the General Assembly fills the seats whose terms end: by group, as the
    scenario's stagger says, with no immediate re-election unless the class allows it, and
    (where the scenario has it) an Arab state in the swing seat. The table shows the Council
    of each year (one replication) and, over all replications, seat-years by group and state,
    the chance of serving within the window and the waiting times between terms.
    """
    s = load(scenario)
    rules = rules_for(s)
    member_file = read_membership(membership) if membership else None
    if start_year is not None and member_file is not None:
        start = start_from_membership(rules, member_file, start_year)
    else:
        start = starting_composition(rules, start_year)
    model = _candidates(candidates, member_file)
    chosen = _states(states)
    run = run_elections(
        rules,
        years,
        start=start,
        replications=replications,
        seed=seed,
        candidates=model,
        balloting=BallotModel() if balloting else None,
    )
    summary = summarise(run, window)
    data = elect_dict(s.id, run, summary, chosen)
    if fmt == "json":
        click.echo(to_json(data))
    elif fmt == "csv":
        rows = [
            [y["year"], m["class"], m["seat_kind"], m["region"] or "", m["holder"] or ""]
            for y in data["years"]
            for m in y["members"]
        ]
        click.echo(to_csv(["year", "class", "seat_kind", "region", "holder"], rows), nl=False)
    else:
        click.echo(_text(data, run))


def _candidates(name: str, membership: Membership | None) -> Candidates:
    if name == "uniform":
        return uniform_candidates()
    if name == "history":
        if membership is None:
            raise ScenarioError(
                "the history model needs a membership file",
                key="--candidates",
                fix="add --membership FILE (columns year,iso3,seat)",
            )
        return history_candidates(membership)
    return candidates_from_csv(name)


def _states(raw: tuple[str, ...]) -> list[str]:
    out = []
    current = {m.iso3 for m in member_states()}
    for part in ",".join(raw).split(","):
        code = part.strip().upper()
        if not code:
            continue
        if code not in current:
            hint = "a former state" if lookup(code) else "not a UN member state"
            raise ScenarioError(
                f"{code!r} is {hint}", key="--state", fix="see `councilsim states` for the codes"
            )
        out.append(code)
    return out


def elect_dict(
    scenario: str, run: ElectionRun, summary: RunSummary, states: list[str]
) -> dict[str, Any]:
    """The JSON of ``councilsim elect``."""
    codes = [s.iso3 for s in all_states()]
    groups = {s.iso3: s.group.value for s in all_states()}
    served = [codes[i] for i in summary.seat_years.argsort()[::-1] if summary.seat_years[i] > 0]
    detail = states or served
    out: dict[str, Any] = {
        "scenario": scenario,
        "start_year": int(run.years[0]),
        "years_run": len(run.years),
        "seed": run.seed,
        "replications": run.replications,
        "candidates": run.candidates,
        "balloting": run.ballots is not None,
        "start": {"source": run.start.source, "dropped": list(run.start.dropped)},
        "years": [
            {"year": c.year, "members": [m.as_dict() for m in c.members]}
            for c in run.composition(0)
        ],
        "summary": {
            "window": summary.window,
            "seat_years": {c: float(summary.seat_years[codes.index(c)]) for c in served},
            "group_seat_years": {
                (g.value if g is not None else "none"): v
                for g, v in sorted(summary.group_seat_years.items(), key=lambda kv: str(kv[0]))
            },
            "open_seat_years": summary.open_seat_years,
            "states": [{"state": c, "group": groups[c], **summary.state(c)} for c in detail],
        },
    }
    if run.ballots is not None:
        per = run.elections
        out["summary"]["ballots_per_election"] = float(run.ballots.mean() / per) if per else 0.0
    return out


def _text(data: dict[str, Any], run: ElectionRun) -> str:
    first, n = data["start_year"], data["years_run"]
    reps = data["replications"]
    head = (
        f"{data['scenario']}: {first}-{first + n - 1}, {reps} replication"
        f"{'s' if reps > 1 else ''}, candidates {data['candidates']}, seed {data['seed']}"
    )
    parts = [head]
    if data["start"]["dropped"]:
        parts.append(f"left out of the start: {', '.join(data['start']['dropped'])}")
    shown = [
        c.id
        for c in run.rules.council.classes
        if c.kind is not SeatKind.PERMANENT or None in c.holders
    ]
    rows = [
        [y["year"]]
        + [" ".join(m["holder"] or "-" for m in y["members"] if m["class"] == cid) for cid in shown]
        for y in data["years"]
    ]
    label = "the Council by year" + (" (replication 1)" if reps > 1 else "")
    parts += ["", label, table(["year", *shown], rows, align="l" * (len(shown) + 1))]
    summary = data["summary"]
    seats = sum(summary["group_seat_years"].values()) or 1
    parts += [
        "",
        "seat-years by group (mean per run)",
        table(
            ["group", "seat-years", "share"],
            [[g, f"{v:.2f}", f"{v / seats:.3f}"] for g, v in summary["group_seat_years"].items()],
        ),
    ]
    states = summary["states"]
    limited = states[:TOP_STATES] if len(states) > TOP_STATES else states
    w = summary["window"]
    parts += [
        "",
        f"states (serving: within {w} year{'s' if w > 1 else ''} of {first})"
        + (f"; top {TOP_STATES} of {len(states)} by seat-years" if limited is not states else ""),
        table(
            ["state", "group", "seat-years", "P(serve)", "mean gap", "wait to next term"],
            [
                [
                    s["state"],
                    s["group"],
                    f"{s['seat_years']:.2f}",
                    f"{s['serve_probability']:.3f}",
                    "-" if s["mean_gap"] is None else f"{s['mean_gap']:.1f}",
                    "-" if s["mean_first_wait"] is None else f"{s['mean_first_wait']:.1f}",
                ]
                for s in limited
            ],
        ),
    ]
    if "ballots_per_election" in summary:
        parts += ["", f"ballots per election: {summary['ballots_per_election']:.2f}"]
    return "\n".join(parts)
