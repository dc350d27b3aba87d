"""``councilsim fit``: fit the ``record`` vote model to periods of the Council's record."""

from __future__ import annotations

import click

from councilsim.cli._common import emit, format_option, handle_errors, output_option, to_json


@click.command("fit")
@click.option("--outcomes", required=True, metavar="FILE", help="Outcome tallies CSV (UN Library).")
@click.option("--vetoes", required=True, metavar="FILE", help="The UN veto list CSV.")
@click.option("--membership", required=True, metavar="FILE", help="Council membership by year CSV.")
@click.option(
    "--ideal-points", "ideal_points", required=True, metavar="FILE", help="GA ideal points CSV."
)
@click.option(
    "--period",
    "periods",
    multiple=True,
    required=True,
    metavar="YYYY-YYYY",
    help="A period to fit (repeatable), e.g. 2011-2022.",
)
@format_option(
    "toml",
    "json",
    default="toml",
    why_not={
        "table": "it writes a parameter file; use toml, or json for the figures as data",
        "csv": "the parameters are nested; use toml or json",
        "markdown": "it writes a parameter file; use toml or json",
    },
)
@output_option("the parameter file")
@handle_errors
def fit_command(
    outcomes: str,
    vetoes: str,
    membership: str,
    ideal_points: str,
    periods: tuple[str, ...],
    fmt: str,
    output: str | None,
) -> None:
    """Fit the record model to the Council's record and write its parameter file (TOML).

    Use the file with `--model record --param file=FILE` (and `--param period=...` where it
    holds several periods). The record's figures and the model's are written as comments.

    JSON (--format json): one object per period with period, drafts, params (the fitted
    numbers), record and model (the figures fitted, in the record and in the model) and loss.
    """
    from councilsim.models.record_fit import fit_files

    fits, text = fit_files(outcomes, vetoes, membership, ideal_points, list(periods))
    for fit in fits:
        click.echo(
            f"fitted {fit.params.period}: {fit.drafts} drafts, adopted "
            f"{fit.record['adopted']:.4f} in the record, {fit.model['adopted']:.4f} in the model",
            err=True,
        )
    if fmt == "json":
        text = to_json(
            [
                {
                    "period": fit.params.period,
                    "drafts": fit.drafts,
                    "params": fit.params.numbers(),
                    "record": dict(fit.record),
                    "model": dict(fit.model),
                    "loss": fit.loss,
                }
                for fit in fits
            ]
        )
    emit(text, output)
