"""``councilsim power``: exact a-priori voting power of scenarios and weighted games."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from councilsim.cli._common import (
    Positive,
    emit,
    format_option,
    handle_errors,
    output_option,
    render_table,
    to_csv,
    to_json,
)
from councilsim.cli.states import by_state, state_options
from councilsim.formatting import cell, fraction_text
from councilsim.indices import INDICES, TERNARY_INDICES, UNION_INDICES
from councilsim.limits import (
    MAX_BUDGET_GB,
    MAX_BUDGET_SECONDS,
    MAX_POWER_BYTES,
    MAX_POWER_SECONDS,
)
from councilsim.scenario import load
from councilsim.scenario.unions import scenario_unions

if TYPE_CHECKING:
    from councilsim.power import PowerResult

F = TypeVar("F", bound=Callable[..., Any])


def extra_options(func: F) -> F:
    """``--ternary``, ``--abstention`` and ``--unions`` of ``councilsim power``."""
    options = [
        click.option(
            "--ternary",
            is_flag=True,
            help="Also the ternary indices, with yes, abstain and no votes: "
            + ", ".join(TERNARY_INDICES)
            + " (docs/power-ternary-unions.md).",
        ),
        click.option(
            "--abstention",
            type=click.Choice(["practice", "literal"]),
            default=None,
            help="With --ternary, how a veto holder's abstention is read: practice (it does "
            "not block) or literal (it blocks) [default: the scenario's rule, else practice].",
        ),
        click.option(
            "--unions",
            metavar="'1|2|3,4'",
            default=None,
            help="A-priori unions for owen, banzhaf_owen and symmetric_coalitional_banzhaf: "
            "'|' separates unions, ',' members (holder codes, seat labels or class ids of a "
            "scenario; member numbers or names of a --game). Members not named are unions by "
            "themselves. Default: the scenario's [unions].",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@click.command("power")
@click.argument("scenarios", nargs=-1)
@click.option(
    "--game",
    "games",
    multiple=True,
    metavar="'[q; w1, ...]'",
    help="A weighted game, e.g. '[39; 7*5, 1*10]' ('w*k' repeats, 'v' marks a veto). Repeatable.",
)
@click.option(
    "--index",
    "indices",
    multiple=True,
    type=click.Choice([*INDICES, *UNION_INDICES]),
    help="Index to show (repeatable; default: every index that can be counted). owen, "
    "banzhaf_owen and symmetric_coalitional_banzhaf need --unions or a scenario's [unions].",
)
@click.option(
    "--by",
    type=click.Choice(["member", "class", "state", "group"]),
    default="member",
    show_default=True,
    help="One row per member, per seat class (value of one seat and class total), per UN "
    "member state (its expected power from the seats it will hold; docs/states.md) or per "
    "regional group.",
)
@click.option("--exact", is_flag=True, help="Exact fractions p/q instead of decimals.")
@click.option(
    "--max-seconds",
    type=Positive(MAX_BUDGET_SECONDS, "seconds"),
    default=MAX_POWER_SECONDS,
    show_default=True,
    help="Refuse (or, without --index, leave out) an index of a large game whose exact count "
    "is estimated to take longer (on one core).",
)
@click.option(
    "--max-gb",
    type=Positive(MAX_BUDGET_GB, "GB"),
    default=MAX_POWER_BYTES / 1e9,
    show_default=True,
    help="The same for the memory the count is estimated to hold, in GB.",
)
@extra_options
@state_options
@format_option("table", "json", "csv", "markdown")
@output_option()
@handle_errors
def power_command(
    scenarios: tuple[str, ...],
    games: tuple[str, ...],
    indices: tuple[str, ...],
    by: str,
    exact: bool,
    max_seconds: float,
    max_gb: float,
    ternary: bool,
    abstention: str | None,
    unions: str | None,
    fmt: str,
    output: str | None,
    **opts: Any,
) -> None:
    """Exact a-priori voting power of each member of SCENARIO... and --game.

    Every member votes yes or no, all coalitions equally likely. Indices: banzhaf (normalized),
    banzhaf_absolute (Penrose), shapley_shubik, coleman_prevent, coleman_initiate, johnston,
    deegan_packel, public_good; also swings, winning and minimal winning coalitions and
    Coleman's power of the council to act.

    --ternary adds ternary_shapley_shubik, ternary_banzhaf and ternary_banzhaf_absolute (yes,
    abstain and no votes); --unions (or --index owen, banzhaf_owen, symmetric_coalitional_banzhaf
    with a scenario's [unions]) adds the values with a-priori unions. They are columns like the
    others; in JSON each member also has its "union", and the object the "abstention" reading.

    JSON is a list with one object per scenario or game: id, name, quota, coleman_act,
    winning_coalitions, minimal_winning_coalitions and "members" (member, class, weight, veto,
    swings and each index). With --by class, "classes" replaces "members": class, seats, veto,
    and for swings and each index an object {"seat": value of one seat, "total": class sum}.

    --by state gives every UN member's expected power (or the --state ones'): the sum over
    seat classes of the chance it holds a seat of the class × that seat's power, averaged
    over --years of an election run of the scenario (--replications, --seed, --candidates),
    with a 95 % interval; named permanent members exactly. --by group sums it by regional
    group. --over-years shows it year by year (and --plot draws it). JSON: one object per
    scenario with scenario, method, candidates, years, replications, seed, open_seats,
    totals, states [{state, group, seat_years, seats, banzhaf {mean, low, high, exact}, ...,
    note}] and groups.
    """
    if by in ("state", "group") or opts["states"] or opts["over_years"]:
        if games:
            raise click.UsageError("--by state and group need a SCENARIO, not a --game")
        if not scenarios:
            raise click.UsageError("give at least one SCENARIO")
        by = "group" if by == "group" else "state"
        emit(by_state(scenarios, indices, by, exact, fmt, output, opts), output)
        return
    if not scenarios and not games:
        raise click.UsageError("give at least one SCENARIO or --game")
    extra = {"ternary": ternary, "abstention": abstention, "unions_text": unions}
    budget = (max_seconds, max_gb * 1e9)
    results = [_compute(ref, indices, exact, extra, budget) for ref in _refs(scenarios, games)]
    if fmt == "json":
        emit(to_json([_as_json(i, n, r, by, exact) for i, n, r in results]), output)
    elif fmt == "csv":
        emit(_as_csv(results, by, exact), output)
    else:
        emit("\n\n".join(_as_table(i, n, r, by, exact, fmt) for i, n, r in results), output)


def _refs(scenarios: tuple[str, ...], games: tuple[str, ...]) -> list[tuple[str, str]]:
    """(id or kind, text): scenarios as given, games numbered ``game-1``, ``game-2``, ..."""
    return [("scenario", s) for s in scenarios] + [
        (f"game-{k}", g) for k, g in enumerate(games, start=1)
    ]


def _compute(
    ref: tuple[str, str],
    indices: tuple[str, ...],
    exact: bool,
    extra: dict[str, Any],
    budget: tuple[float, float],
) -> tuple[str, str, Any]:
    from councilsim.games import parse_game  # counts: numpy
    from councilsim.power import feasible_indices, power
    from councilsim.power.extended import extend

    kind, text = ref
    declared = None
    if kind == "scenario":
        scenario = load(text)
        subject: Any = scenario.council
        ident, name = scenario.id, scenario.name
        declared = scenario_unions(scenario)
    else:
        subject = parse_game(text)
        ident, name = kind, str(subject)
    binary = tuple(i for i in indices if i in INDICES)
    seconds, memory = budget
    wanted = list(binary) or (
        [] if indices else feasible_indices(subject, max_seconds=seconds, max_bytes=memory)
    )
    skipped = [i for i in INDICES if not indices and i not in wanted]
    if skipped:
        click.echo(
            f"councilsim: {ident}: {', '.join(skipped)} not counted for a game this "
            "large (see --index, --max-seconds and --max-gb)",
            err=True,
        )
    result = power(subject, exact=exact, indices=wanted, max_seconds=seconds, max_bytes=memory)
    result = extend(result, subject, indices=indices, declared=declared, exact=exact, **extra)
    return ident, name, result


def _as_json(ident: str, name: str, r: PowerResult, by: str, exact: bool) -> dict[str, Any]:
    body = r.to_dict(exact)
    head = {"id": ident, "name": name}
    if by == "class":
        conv = _value(exact)
        body.pop("members")
        body["classes"] = [
            {
                k: (
                    {"seat": conv(v["seat"]), "total": conv(v["total"])}
                    if isinstance(v, dict)
                    else v
                )
                for k, v in row.items()
            }
            for row in r.by_class()
        ]
    return {**head, **body}


def _value(exact: bool) -> Any:
    def conv(v: Any) -> Any:
        if isinstance(v, int) and not isinstance(v, bool):
            return v
        if exact:
            return fraction_text(v)
        return float(v)

    return conv


def _rows(
    r: PowerResult, by: str, exact: bool, joined: bool = False
) -> tuple[list[str], list[list[Any]]]:
    """Header and rows; by class, ``joined`` writes each index as one "seat (class total)"
    cell (tables), else as two columns ``<index>`` and ``<index>_total`` (CSV)."""
    conv = _value(exact)
    names = list(r.values)
    if by == "class":
        header = ["class", "seats", "veto", "swings"]
        if joined:
            header += names
        else:
            header += [f"{n}{part}" for n in names for part in ("", "_total")]
        rows = []
        for c in r.by_class():
            row = [c["class"], c["seats"], c["veto"], c["swings"]["seat"]]
            for n in names:
                seat, total = conv(c[n]["seat"]), conv(c[n]["total"])
                row += [f"{cell(seat)} ({cell(total)})"] if joined else [seat, total]
            rows.append(row)
        return header, rows
    header = ["member", "class", "veto", "swings", *names]
    rows = [
        [m, r.classes[i], r.veto[i], r.swings[i], *(conv(r.values[n][i]) for n in names)]
        for i, m in enumerate(r.members)
    ]
    return header, rows


def _as_table(ident: str, name: str, r: PowerResult, by: str, exact: bool, fmt: str) -> str:
    from councilsim.power.extended import notes

    header, rows = _rows(r, by, exact, joined=True)
    minimal = r.minimal_winning_coalitions
    title = f"{ident}: {name}"
    lines = [
        f"## {title}" if fmt == "markdown" else title,
        f"quota {r.quota}; winning coalitions {r.winning_coalitions}"
        + (f"; minimal winning {minimal}" if minimal is not None else "")
        + f"; Coleman power to act {cell(_value(exact)(r.coleman_act))}",
        *notes(r),
        "",
        *(["Each index: the value of one seat (the class total).", ""] if by == "class" else []),
        render_table(
            fmt, header, rows, ("lrlr" if by == "class" else "lllr").ljust(len(header), "r")
        ),
    ]
    return "\n".join(lines)


def _as_csv(results: list[tuple[str, str, Any]], by: str, exact: bool) -> str:
    header: list[str] = []
    rows: list[list[Any]] = []
    for ident, _, r in results:
        h, body = _rows(r, by, exact)
        header = ["id", *h] if len(h) + 1 > len(header) else header
        rows += [[ident, *row] for row in body]
    return to_csv(header, rows)
