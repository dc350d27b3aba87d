"""``councilsim check``: which axioms each scenario's rule satisfies, with counterexamples."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from councilsim.axioms.ids import AXIOM_TITLES
from councilsim.cli._common import (
    WholeRange,
    emit,
    format_option,
    handle_errors,
    output_option,
    render_table,
    to_csv,
    to_json,
    wrap,
)
from councilsim.limits import SEARCH_LIMIT
from councilsim.scenario import load

if TYPE_CHECKING:
    from councilsim.axioms import DecisionRule, Verdict


@click.command("check")
@click.argument("scenarios", nargs=-1)
@click.option(
    "--game",
    "games",
    multiple=True,
    metavar="'[q; w1, ...]'",
    help="A weighted game to check as well, e.g. '[9; 1v*5, 1*10]'. Repeatable.",
)
@click.option(
    "--axiom",
    "-a",
    "only",
    multiple=True,
    metavar="AXIOM",
    help="Check only these axioms (repeatable or comma-separated; default: all).",
)
@click.option(
    "--require",
    multiple=True,
    metavar="AXIOM",
    help="Exit with status 1 unless these axioms hold for every rule (repeatable or "
    "comma-separated). An axiom too large to search counts as not holding.",
)
@click.option(
    "--limit",
    type=WholeRange(1),
    default=SEARCH_LIMIT,
    show_default=True,
    help="Most profiles an exhaustive search visits.",
)
@click.option(
    "--ternary",
    is_flag=True,
    help="Also check ternary_monotone: monotonicity in the order no < abstain < yes.",
)
@format_option("table", "json", "csv", "markdown")
@output_option()
@handle_errors
def check_command(
    scenarios: tuple[str, ...],
    games: tuple[str, ...],
    only: tuple[str, ...],
    require: tuple[str, ...],
    limit: int,
    ternary: bool,
    fmt: str,
    output: str | None,
) -> None:
    """Check the axioms of voting rules on each SCENARIO... and --game.

    Axioms: monotone, veto, anonymous, proper, decisive, blocking (of the rule) and
    efficiency, symmetry, null_player, dominance, veto_ordering (of its power indices). Each
    result is "holds" or "violated" with the smallest counterexample found, and says how the
    search went: every profile ("exhaustive"), every profile up to permutations within seat
    classes ("by class"), random profiles ("sampled") or exact index values ("exact").

    The exit status is 0 whatever the results, unless --require names an axiom that does not
    hold (status 1). JSON is a list with one object per rule: id, name and "axioms", each with
    axiom, holds (true, false or null when too large), method, counterexample (axiom,
    description and the seats involved, or null), claimed (the scenario's [expected] axioms
    value, or null) and note. CSV: one row per rule and axiom: rule, axiom, holds, method,
    claimed, counterexample (its description) and note.
    """
    from councilsim.axioms import check, resolve_axioms  # searches: numpy
    from councilsim.axioms.ternary import ternary_verdicts

    if not scenarios and not games:
        raise click.UsageError("give at least one SCENARIO or --game")
    required = resolve_axioms(require) if require else []
    wanted = resolve_axioms((*only, *required) if only else None)
    results: list[Result] = [
        (rule, claims, check(rule, wanted, limit=limit))
        for rule, claims in _rules(scenarios, games)
    ]
    if ternary:
        results = [
            (rule, claims, [*v, *ternary_verdicts(rule, limit)]) for rule, claims, v in results
        ]
    if fmt == "json":
        emit(to_json([_as_json(*r) for r in results]), output)
    elif fmt == "csv":
        emit(_as_csv(results), output)
    else:
        emit(_as_table(results, fmt), output)
    failed = [
        f"{rule.name} {v.axiom}"
        for rule, _, verdicts in results
        for v in verdicts
        if v.axiom in required and v.holds is not True
    ]
    if failed:
        click.echo(f"councilsim: required axioms not satisfied: {', '.join(failed)}", err=True)
        raise SystemExit(1)


Result = tuple["DecisionRule", dict[str, bool], list["Verdict"]]


def _rules(
    scenarios: tuple[str, ...], games: tuple[str, ...]
) -> list[tuple[DecisionRule, dict[str, bool]]]:
    from councilsim.axioms import DecisionRule
    from councilsim.games import parse_game

    out = []
    for ref in scenarios:
        s = load(ref)
        claims = dict(s.expected.get("axioms", {}))
        out.append((DecisionRule.from_council(s.council, name=s.id), claims))
    for text in games:
        out.append((DecisionRule.from_game(parse_game(text)), {}))
    return out


def _status(v: Verdict) -> str:
    if v.holds is None:
        return "too large"
    return ("holds" if v.holds else "violated") + (
        " (vacuous)" if v.note.startswith("vacuous") else ""
    )


def _as_table(results: list[Result], fmt: str) -> str:
    header = ["rule", "axiom", "result", "claimed", "search"]
    rows = []
    notes, large = [], []
    for rule, claims, verdicts in results:
        for v in verdicts:
            claim = claims.get(v.axiom)
            mark = "" if claim is None else ("holds" if claim else "violated")
            if claim is not None and v.holds is not None and claim != v.holds:
                mark += " (!)"
            rows.append([rule.name, v.axiom, _status(v), mark, v.method])
            if v.counterexample is not None:
                notes.append(f"{rule.name} {v.axiom}: {v.counterexample.describe()}")
            elif v.holds is None:
                large.append(f"{rule.name} {v.axiom}: {v.note}")
    text = render_table(fmt, header, rows, align="lllll")
    bullet = "- " if fmt == "markdown" else "  "
    gap = "\n\n" if fmt == "markdown" else "\n"
    if notes:
        text += "\n\nCounterexamples (smallest found):" + gap
        text += "\n".join(wrap(n, bullet, "    ") for n in notes)
    if any(r[3].endswith("(!)") for r in rows):
        text += "\n\n(!) the scenario's [expected] block claims otherwise"
    if large:
        text += "\n\nNot searched:" + gap + "\n".join(wrap(n, bullet, "    ") for n in large)
    return text


def _as_csv(results: list[Result]) -> str:
    header = ["rule", "axiom", "holds", "method", "claimed", "counterexample", "note"]
    rows = [
        [
            rule.name,
            v.axiom,
            "" if v.holds is None else v.holds,
            v.method,
            "" if claims.get(v.axiom) is None else claims[v.axiom],
            "" if v.counterexample is None else v.counterexample.describe(),
            v.note,
        ]
        for rule, claims, verdicts in results
        for v in verdicts
    ]
    return to_csv(header, rows)


def _as_json(rule: DecisionRule, claims: dict[str, bool], verdicts: list[Verdict]) -> Any:
    return {
        "id": rule.name,
        "name": rule.council.name if rule.council is not None else rule.name,
        "axioms": [
            {**v.to_dict(), "title": _title(v.axiom), "claimed": claims.get(v.axiom)}
            for v in verdicts
        ],
    }


def _title(axiom: str) -> str:
    from councilsim.axioms.ternary import TITLE as TERNARY_TITLE

    return AXIOM_TITLES[axiom][0] if axiom in AXIOM_TITLES else TERNARY_TITLE
