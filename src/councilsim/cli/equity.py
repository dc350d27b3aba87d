"""``councilsim equity``: each state's share of expected power against the square-root rule."""

from __future__ import annotations

from typing import Any

import click

from councilsim.cli._common import (
    check_output,
    election_options,
    emit,
    format_option,
    handle_errors,
    notes,
    output_option,
    render_table,
    run_size_options,
    seed_option,
    to_csv,
    to_json,
)
from councilsim.formatting import cell
from councilsim.scenario import load, shipped_ids


@click.command("equity")
@click.argument("scenarios", nargs=-1)
@click.option("--all", "every", is_flag=True, help="Every shipped scenario.")
@click.option(
    "--state",
    "states",
    multiple=True,
    metavar="CODE",
    help="Show only these states (ISO alpha-3, repeatable) [default: every member].",
)
@click.option(
    "--population",
    type=click.Path(dir_okay=False),
    default=None,
    help="A population CSV of your own [default: the shipped World Bank snapshot].",
)
@click.option("--population-year", type=int, default=None, help="The year of the populations.")
@run_size_options()
@seed_option()
@election_options()
@format_option("table", "json", "csv", "markdown")
@output_option()
@handle_errors
def equity_command(
    scenarios: tuple[str, ...],
    every: bool,
    states: tuple[str, ...],
    population: str | None,
    population_year: int | None,
    years: int,
    replications: int,
    seed: str | None,
    start_year: int | None,
    candidates: str,
    membership: str | None,
    fmt: str,
    output: str | None,
) -> None:
    """Each state's share of expected power against its share under Penrose's square-root
    rule (√population ÷ Σ √population over the UN members), the ratio, and the same by
    regional group. Power is the expected normalised Banzhaf power of `power --by state`
    (docs/states.md); a ratio above 1 is over-representation. See docs/equity.md.

    JSON: one object per scenario with scenario, population_year, candidates, years,
    replications, seed, states [{state, group, population, power_share, sqrt_share, ratio}]
    and regions [{group, power_share, sqrt_share, ratio}].
    """
    from councilsim.compare.measures import state_codes
    from councilsim.statepower import equity, population_table, state_power
    from councilsim.validate import to_int

    refs = list(scenarios) + (shipped_ids() if every else [])
    if not refs:
        raise click.UsageError("give at least one SCENARIO, or --all")
    codes = state_codes(states, key="--state")
    check_output(output)
    people = population_table(population_year, population)
    results = []
    for ref in refs:
        loaded = load(ref)
        root = to_int(seed, "--seed", 0, 2**128 - 1) if seed is not None else None
        sp = state_power(
            loaded,
            years=years,
            replications=replications,
            seed=root if root is not None else getattr(loaded.simulation, "seed", 0),
            candidates=candidates,
            start_year=start_year,
            membership=membership,
        )
        results.append(equity(sp, people))
    emit(_render(results, codes, fmt), output)


def _render(results: list[Any], codes: tuple[str, ...], fmt: str) -> str:
    def keep(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [r for r in rows if r["state"] in codes] if codes else rows

    data = [r.to_dict() for r in results]
    for d in data:
        d["states"] = keep(d["states"])
    if fmt == "json":
        return to_json(data)
    keys = ["state", "group", "population", "power_share", "sqrt_share", "ratio"]
    if fmt == "csv":
        rows = [[d["scenario"], "state", *(s[k] for k in keys)] for d in data for s in d["states"]]
        rows += [
            [
                d["scenario"],
                "region",
                "",
                g["group"],
                "",
                g["power_share"],
                g["sqrt_share"],
                g["ratio"],
            ]
            for d in data
            for g in d["regions"]
        ]
        return to_csv(["scenario", "level", *keys], rows)
    parts = []
    for d in data:
        groups = [[g["group"], *(cell(g[k]) for k in keys[3:])] for g in d["regions"]]
        states = [[*(cell(s[k]) for k in keys)] for s in d["states"]]
        title = f"{d['scenario']}: {d['name']}"
        parts.append(
            "\n".join(
                [
                    f"## {title}" if fmt == "markdown" else title,
                    *notes("How", [d["how"], f"population: {d['population_source']}"], fmt),
                    "",
                    render_table(fmt, ["group", *keys[3:]], groups),
                    "",
                    render_table(fmt, keys, states),
                ]
            )
        )
    return "\n\n".join(parts)
