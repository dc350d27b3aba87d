"""``councilsim vote``: decide one draft under Art. 27 and explain the outcome."""

from __future__ import annotations

import click

from councilsim.cli._common import (
    UserError,
    emit,
    format_option,
    handle_errors,
    output_option,
    to_csv,
    to_json,
)
from councilsim.scenario import load

NOT_A_TABLE = "the output is prose and a tally, not one table"


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
    from councilsim.explain import explain_vote  # decides: numpy
    from councilsim.rule import Vote, profile

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
