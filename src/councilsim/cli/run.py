"""``councilsim run``: everything a scenario file asks for, in one report."""

from __future__ import annotations

import sys
import textwrap
from typing import Any

import click

from councilsim.cli._common import (
    format_option,
    handle_errors,
    table,
    to_json,
    workers_option,
)
from councilsim.cli.foundation import show_dict
from councilsim.cli.simulate import (
    engine_text,
    format_estimate,
    params_text,
    simulate_with_bar,
    simulate_years,
    simulation_spec,
    simulation_table,
    years_text,
)

__all__ = ["run_command", "run_dict"]

POWER_INDICES = ("banzhaf", "shapley_shubik")


@click.command("run")
@click.argument("scenario")
@click.option("--draws", metavar="N", help="Monte Carlo drafts [default: the scenario's].")
@click.option("--seed", metavar="S", help="Root seed [default: the scenario's].")
@click.option("--years", metavar="N", help="Years of elections [default: the scenario's].")
@workers_option()
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@format_option("table", "json")
@handle_errors
def run_command(
    scenario: str,
    draws: str | None,
    seed: str | None,
    years: str | None,
    workers: int,
    quiet: bool,
    fmt: str,
) -> None:
    """Run SCENARIO as its file describes and print one report.

    The report gives the composition and rule, the a-priori voting power of each seat class
    (Banzhaf and Shapley-Shubik, per seat and in total; Coleman's power to act) and the
    outcomes of drafts simulated under the file's [simulation] table (vote model, draws,
    seed, years) with 95 % intervals, beside the exact probabilities where the model's votes
    are independent. A file without [simulation] gets the impartial model at p = 1/2.
    Options override the file.

    JSON: scenario, name, composition (as `councilsim show`), power ({quota, coleman_act,
    winning_coalitions, classes: [{class, seats, veto, banzhaf, shapley_shubik, ...}]}),
    simulation (as `councilsim simulate`, or with years as `simulate --years`) and exact
    (as `simulate --exact`, or null).
    """
    from councilsim.scenario import load

    loaded = load(scenario)
    show = not quiet and sys.stderr.isatty()
    data = run_dict(loaded, draws=draws, seed=seed, years=years, workers=workers, progress=show)
    if fmt == "json":
        click.echo(to_json(data))
    else:
        click.echo(_text(data))


def run_dict(
    loaded: Any,
    *,
    draws: str | int | None = None,
    seed: str | int | None = None,
    years: str | int | None = None,
    workers: int = 1,
    progress: bool = False,
) -> dict[str, Any]:
    """The report of ``councilsim run`` for a loaded scenario, as a JSON-ready dict."""
    from councilsim.power import power
    from councilsim.simulation import exact_outcomes, parse_simulation

    council = loaded.council
    spec = simulation_spec(
        simulation_table(loaded),
        council,
        None,
        (),
        None if draws is None else str(draws),
        None if seed is None else str(seed),
        {},
        parse_simulation,
        None if years is None else str(years),
    )
    p = power(council, indices=POWER_INDICES, exact=True)
    classes = []
    for row in p.by_class():
        entry: dict[str, Any] = {"class": row["class"], "seats": row["seats"], "veto": row["veto"]}
        for name in POWER_INDICES:
            entry[name] = {part: float(row[name][part]) for part in ("seat", "total")}
            entry[name]["seat_fraction"] = _frac(row[name]["seat"])
        classes.append(entry)
    power_data = {
        "quota": p.quota,
        "coleman_act": float(p.coleman_act),
        "coleman_act_fraction": _frac(p.coleman_act),
        "winning_coalitions": p.winning_coalitions,
        "classes": classes,
    }
    independent = spec.model.probabilities(council) is not None
    exact = exact_outcomes(council, spec.model).to_dict() if independent else None
    if spec.years > 0:
        simulation = simulate_years(loaded, spec, False, workers, None, "uniform", None)
    else:
        result = simulate_with_bar(council, spec, workers, progress)
        simulation = result.to_dict()
    return {
        "scenario": loaded.id,
        "name": loaded.name,
        "composition": show_dict(loaded),
        "power": power_data,
        "simulation": simulation,
        "exact": exact,
    }


def _frac(v: Any) -> str:
    return f"{v.numerator}/{v.denominator}"


def _text(data: dict[str, Any]) -> str:
    comp = data["composition"]
    lines = [f"{data['name']} ({data['scenario']})", "", "Composition"]
    rows = []
    for k in comp["classes"]:
        holders = [m["label"] for m in comp["members"] if m["class"] == k["class"]]
        rows.append(
            [k["class"], k["kind"], "yes" if k["veto"] else "no", k["seats"], ", ".join(holders)]
        )
    lines.append(table(["class", "kind", "veto", "seats", "seats held by"], rows, "lllrl"))
    lines += ["", textwrap.fill(f"Rule: {comp['rule']}", 88), ""]
    lines.append(
        "A-priori voting power, normalised Banzhaf and Shapley-Shubik (per seat; class total)"
    )
    pw = data["power"]
    rows = [
        [
            c["class"],
            c["seats"],
            "yes" if c["veto"] else "no",
            *(
                f"{c[n]['seat'] * 100:.3f}% ({c[n]['total'] * 100:.2f}%)"
                for n in ("banzhaf", "shapley_shubik")
            ),
        ]
        for c in pw["classes"]
    ]
    lines.append(table(["class", "seats", "veto", "Banzhaf", "Shapley-Shubik"], rows, "lrlrr"))
    lines.append(
        f"Coleman's power to act {pw['coleman_act_fraction']} = {pw['coleman_act']:.6f}; "
        f"{pw['winning_coalitions']} winning coalitions"
    )
    lines += ["", "Simulated outcomes"]
    sim = data["simulation"]
    if isinstance(sim.get("years"), list):
        lines.append(years_text(sim))
    else:
        lines.append(f"{sim['model']} model ({params_text(sim)}); {engine_text(sim)}")
        ex = data["exact"]
        header = ["outcome", "estimate"] + (["exact"] if ex else [])
        rows = [
            [k.replace("_", " "), format_estimate(sim[k]), *([_exact(ex[k])] if ex else [])]
            for k in ("adopted", "vetoed", "failed", "mean_yes")
        ]
        lines.append(table(header, rows, "lrr"[: len(header)]))
    sources = comp["sources"]
    if sources:
        lines += ["", "Sources:"] + [f"  - {x}" for x in sources]
    if comp["confidence"]:
        lines += ["", "Uncertain:"] + [f"  - {x}" for x in comp["confidence"]]
    return "\n".join(lines)


def _exact(est: dict[str, Any]) -> str:
    if "fraction" in est:
        return f"{est['estimate']:.6f} ({est['fraction']})"
    return f"{est['estimate']:.6f}"
