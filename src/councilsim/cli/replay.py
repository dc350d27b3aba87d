"""``councilsim replay``: the recorded drafts of a period replayed on a scenario's council."""

from __future__ import annotations

import sys

import click

from councilsim.cli._common import (
    WholeRange,
    emit,
    format_option,
    handle_errors,
    output_option,
    seed_option,
    table,
    to_json,
    workers_option,
    wrap,
)


@click.command("replay")
@click.argument("scenario")
@click.option("--period", required=True, metavar="YYYY-YYYY", help="Years of drafts to replay.")
@click.option(
    "--outcomes",
    metavar="FILE",
    help="The record's outcome tallies (CSV in the UN Library format); required.",
)
@click.option(
    "--params", "params_file", metavar="FILE", help="Model numbers from 'councilsim fit'."
)
@click.option(
    "--model-period",
    metavar="YYYY-YYYY",
    help="The record model's preset (or period in --params) [default: --period].",
)
@click.option(
    "--replicates",
    default=200,
    show_default=True,
    type=WholeRange(10, 10_000),
    help="Replays of the period; the intervals are percentiles over them.",
)
@seed_option("0")
@workers_option()
@format_option("table", "json")
@output_option("the report")
@handle_errors
def replay_command(
    scenario: str,
    period: str,
    outcomes: str | None,
    params_file: str | None,
    model_period: str | None,
    replicates: int,
    seed: str | None,
    workers: int,
    fmt: str,
    output: str | None,
) -> None:
    """Replay every recorded draft of a period on SCENARIO's council.

    Each draft keeps what the record says (its tally, which permanent members voted no); the
    record model imputes the rest (seats that did not exist, which elected members abstained).
    JSON: scenario, period, model, drafts, recorded {adopted, vetoed, failed}, replayed {same,
    each {estimate, ci_low, ci_high}}, blocks {veto holder: {expected, drafts}}, flips [{draft,
    date, topic, recorded, p_adopted, p_changed}], inexact, seed, replicates, notes.
    """
    from councilsim.replay import replay_scenario

    bar = click.progressbar(
        length=1, label="replaying", file=sys.stderr, hidden=not sys.stderr.isatty()
    )

    def start(n: int) -> None:
        bar.length = max(1, n)

    with bar:
        result = replay_scenario(
            scenario,
            outcomes,
            period,
            params_file=params_file,
            model_period=model_period,
            seed=seed,
            replicates=replicates,
            workers=workers,
            progress=bar.update,
            on_start=start,
        )
    emit(to_json(result.to_dict()) if fmt == "json" else _text(result), output)


def _text(result: object) -> str:
    from councilsim.replay import ReplayResult

    assert isinstance(result, ReplayResult)
    lines = [
        wrap(
            f"{result.scenario}: {len(result.drafts)} drafts of {result.period} replayed "
            f"(record model fitted to {result.model_period}; {result.replicates} replicates, "
            f"seed {result.seed}; 95% intervals)"
        ),
        "",
        table(
            ["outcome", "recorded", "replayed", "95% interval"],
            [
                [k, result.recorded[k], f"{v.estimate:.1f}", f"{v.ci_low:.0f} - {v.ci_high:.0f}"]
                for k, v in result.replayed.items()
            ],
            "lrrr",
        ),
        "",
        "drafts each veto holder would block (probability >= 1/2):",
    ]
    for label, (expected, drafts) in result.blocks.items():
        lines.append(
            wrap(f"  {label}: {expected:.1f} expected; {', '.join(drafts) or 'none'}", "", "    ")
        )
    lines += ["", "drafts most likely to change outcome:"]
    flips = result.flips()
    lines.append(
        table(
            ["draft", "date", "recorded", "P(adopted)", "P(changed)", "topic"],
            [
                [
                    d.draft,
                    d.date,
                    d.recorded,
                    f"{d.p_adopted:.2f}",
                    f"{d.p_changed:.2f}",
                    d.topic,
                ]
                for d in flips
            ],
            "lllrrl",
        )
        if flips
        else "  none"
    )
    if result.inexact:
        lines.append(
            f"\n{result.inexact} drafts had no exactly matching draw; their nearest draws were used"
        )
    lines += ["", *result.notes]
    return "\n".join(lines)
