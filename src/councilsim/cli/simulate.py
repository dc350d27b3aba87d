"""``councilsim simulate``: outcome rates and members' figures under a vote model."""

from __future__ import annotations

import math
import sys
from collections.abc import Mapping
from typing import Any

import click

from councilsim.cli._common import (
    election_options,
    format_option,
    handle_errors,
    key_value,
    table,
    to_csv,
    to_json,
    workers_option,
)
from councilsim.errors import ScenarioError
from councilsim.limits import DEFAULT_DRAWS, DEFAULT_SEED

# command-line option -> key in [simulation.params]
# the command, and the helpers that ``run`` and ``compare`` share with it
__all__ = [
    "PARAM_OPTIONS",
    "engine_text",
    "format_estimate",
    "params_text",
    "simulate_command",
    "simulate_with_bar",
    "simulate_years",
    "simulation_spec",
    "simulation_table",
    "years_text",
]

PARAM_OPTIONS = {
    "p": "--p",
    "abstain": "--abstain",
    "absent": "--absent",
    "ideal_points_file": "--ideal-points",
    "year": "--year",
    "column": "--column",
    "dimensions": "--dimensions",
    "noise": "--noise",
    "indifference": "--indifference",
    "loading": "--loading",
    "common": "--common",
}


@click.command("simulate")
@click.argument("scenario")
@click.option(
    "--model",
    help="Vote model: impartial, propensity, spatial or blocs "
    "(default: the scenario's [simulation] model, else impartial).",
)
@click.option("--p", "p", metavar="P", help="impartial: probability of yes, e.g. 0.5 or 1/2.")
@click.option("--abstain", metavar="P", help="Probability of abstaining (not spatial).")
@click.option("--absent", metavar="P", help="Probability of being absent (every model).")
@click.option(
    "--ideal-points",
    "ideal_points_file",
    metavar="FILE",
    help="spatial: General Assembly ideal-point CSV (published format); needs --year.",
)
@click.option("--year", metavar="Y", help="spatial: the year of the ideal points.")
@click.option("--column", metavar="NAME", help="spatial: CSV column [default: idealpointall].")
@click.option("--dimensions", metavar="D", help="spatial: dimensions of the policy space.")
@click.option("--noise", metavar="SD", help="spatial: random-utility noise (standard deviation).")
@click.option("--indifference", metavar="H", help="spatial: half-width of the abstention band.")
@click.option("--loading", metavar="L", help="blocs: loading of members on their bloc's factor.")
@click.option("--common", metavar="C", help="blocs: loading on the council-wide factor.")
@click.option(
    "--param",
    "extra",
    multiple=True,
    metavar="KEY=VALUE",
    help="Any model parameter, VALUE in TOML syntax, e.g. --param 'status_quo=[2.0]'. Repeatable.",
)
@click.option(
    "--draws", metavar="N", help=f"Monte Carlo drafts [default: scenario's, else {DEFAULT_DRAWS}]."
)
@click.option("--seed", metavar="S", help=f"Root seed [default: scenario's, else {DEFAULT_SEED}].")
@workers_option()
@click.option("--exact", is_flag=True, help="Exact probabilities (impartial and propensity only).")
@click.option(
    "--agreement",
    is_flag=True,
    help="Also measure how often each pair of members votes alike (JSON, CSV).",
)
@click.option(
    "--years",
    metavar="N",
    help="Run the scenario's elections for N years and simulate the drafts of each year's "
    "Council [default: scenario's [simulation] years, else 0: today's Council only].",
)
@election_options(when="With --years: ")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@format_option("table", "json", "csv")
@handle_errors
def simulate_command(
    scenario: str,
    model: str | None,
    extra: tuple[str, ...],
    draws: str | None,
    seed: str | None,
    workers: int,
    exact: bool,
    agreement: bool,
    years: str | None,
    start_year: int | None,
    candidates: str,
    membership: str | None,
    quiet: bool,
    fmt: str,
    **options: str | None,
) -> None:
    """Simulate drafts put to the council of SCENARIO under a vote model.

    Reports the share of drafts adopted, vetoed (enough yes votes, blocked by a veto) and
    failed (too few yes votes), the mean number of yes votes and, per member, the share of
    yes votes, its decisiveness (its choice between yes and no decides adoption), its
    satisfaction (Rae) and, for veto holders, the share of drafts it vetoed and vetoed alone.
    Monte Carlo estimates carry 95 % confidence intervals; --exact gives exact probabilities.

    With --years N (or years in the scenario's [simulation] table), the General Assembly's
    elections run for N years (see `councilsim elect`) and each year's Council, with the
    states that sit that year, votes on the drafts: the report gives each year's rates and
    the rates over all years.

    Options override the scenario's [simulation] table (see docs/simulation.md). With
    numba installed (the fast extra), runs of 3x10^8 drafts or more with every vote at 1/2
    count in compiled code, with identical results; COUNCILSIM_JIT=0 turns that off.
    JSON: scenario, name, model, params, engine, draws, seed, adopted, vetoed, failed,
    mean_yes (each {estimate, ci_low, ci_high}; exact values {estimate, fraction}) and
    members [{member, class, yes, decisiveness, satisfaction, vetoes, vetoes_alone}].
    """
    from councilsim.scenario import load
    from councilsim.simulation import exact_outcomes, parse_simulation

    loaded = load(scenario)
    council = loaded.council
    table_in = simulation_table(loaded)
    spec = simulation_spec(
        table_in, council, model, extra, draws, seed, options, parse_simulation, years
    )
    if spec.years > 0:
        if agreement:
            raise ScenarioError(
                "--agreement is not available with --years",
                key="--agreement",
                fix="drop --agreement, or run without --years",
            )
        data = simulate_years(loaded, spec, exact, workers, start_year, candidates, membership)
        if fmt == "json":
            click.echo(to_json(data))
        elif fmt == "csv":
            click.echo(_years_csv(data), nl=False)
        else:
            click.echo(years_text(data))
        return
    if exact:
        result = exact_outcomes(council, spec.model, agreement=agreement)
    else:
        show = not quiet and sys.stderr.isatty()
        result = simulate_with_bar(council, spec, workers, show, agreement=agreement)
    data = {"scenario": loaded.id, "name": loaded.name, **result.to_dict()}
    if fmt == "json":
        click.echo(to_json(data))
    elif fmt == "csv":
        click.echo(_csv(data), nl=False)
    else:
        click.echo(_text(data))


def simulate_with_bar(
    council: Any, spec: Any, workers: int, show: bool, *, agreement: bool = False
) -> Any:
    """Monte Carlo for a parsed spec, with a progress bar on stderr when ``show``."""
    from councilsim.simulation import simulate

    with click.progressbar(
        length=spec.draws, label="simulating", file=sys.stderr, hidden=not show
    ) as bar:
        return simulate(
            council,
            spec.model,
            draws=spec.draws,
            seed=spec.seed,
            workers=workers,
            agreement=agreement,
            progress=bar.update,
        )


def simulation_table(loaded: Any) -> dict[str, Any]:
    spec = loaded.simulation
    raw = getattr(spec, "table", None)
    if raw is None:
        raw = loaded.raw.get("simulation", {}) if hasattr(loaded, "raw") else {}
    return {k: (dict(v) if isinstance(v, Mapping) else v) for k, v in raw.items()}


def simulation_spec(
    base: dict[str, Any],
    council: Any,
    model: str | None,
    extra: tuple[str, ...],
    draws: str | None,
    seed: str | None,
    options: Mapping[str, str | None],
    parse: Any,
    years: str | None = None,
) -> Any:
    """Merge the command-line options into the scenario's table and parse the result."""
    table = dict(base)
    params = dict(table.get("params", {}))
    from_cli: dict[str, str] = {}
    if model is not None:
        if model != table.get("model", "impartial"):
            params = {}
        table["model"] = model
        from_cli["simulation.model"] = "--model"
    for name, value in options.items():
        if value is not None:
            params[name] = value
            from_cli[f"simulation.params.{name}"] = PARAM_OPTIONS[name]
    for item in extra:
        name, value = key_value(item, "--param", "--param noise=0.3")
        params[name] = value
        from_cli[f"simulation.params.{name}"] = f"--param {name}"
    table["params"] = params
    for name, value in (("draws", draws), ("seed", seed), ("years", years)):
        if value is not None:
            table[name] = value
            from_cli[f"simulation.{name}"] = f"--{name}"
    try:
        return parse(table, council)
    except ScenarioError as err:
        option = next(
            (o for k, o in from_cli.items() if err.key == k or (err.key or "").startswith(k + ".")),
            None,
        )
        if option is None:
            raise
        problem = err.problem
        if problem.startswith("unknown key"):
            problem = f"not a parameter of the {table.get('model', 'impartial')} model"
        raise ScenarioError(problem, key=option, fix=err.fix) from None


def format_estimate(est: Mapping[str, Any] | None) -> str:
    if est is None:
        return "-"
    if "ci_low" in est:
        half = (est["ci_high"] - est["ci_low"]) / 2
        return f"{est['estimate']:.6f} ±{half:.6f}"
    return f"{est['estimate']:.6f}"


def params_text(data: Mapping[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in data["params"].items() if v not in ({}, [], None))


def engine_text(data: Mapping[str, Any], per: str = "") -> str:
    if data["engine"] == "exact":
        return "exact probabilities"
    return (
        f"Monte Carlo, {data['draws']} drafts{per}, seed {data['seed']}; ± is the "
        "half-width of the 95% interval"
    )


def _text(data: Mapping[str, Any]) -> str:
    lines = [f"{data['name']}: {data['model']} model ({params_text(data)})", engine_text(data)]
    lines.append("")
    rows = [
        [k.replace("_", " "), format_estimate(data[k])]
        for k in ("adopted", "vetoed", "failed", "mean_yes")
    ]
    lines.append(table(["outcome", "estimate"], rows, align="lr"))
    lines.append("")
    header = ["member", "class", "yes", "decisiveness", "satisfaction", "vetoes", "vetoes alone"]
    rows = [
        [
            m["member"],
            m["class"],
            format_estimate(m["yes"]),
            format_estimate(m["decisiveness"]),
            format_estimate(m["satisfaction"]),
            format_estimate(m["vetoes"]),
            format_estimate(m["vetoes_alone"]),
        ]
        for m in data["members"]
    ]
    lines.append(table(header, rows, align="llrrrrr"))
    return "\n".join(lines)


def _csv(data: Mapping[str, Any]) -> str:
    header = ["measure", "member", "class", "estimate", "ci_low", "ci_high", "fraction"]

    def row(measure: str, member: str, cls: str, est: Mapping[str, Any]) -> list[Any]:
        return [
            measure,
            member,
            cls,
            est["estimate"],
            est.get("ci_low", ""),
            est.get("ci_high", ""),
            est.get("fraction", ""),
        ]

    rows = [row(k, "", "", data[k]) for k in ("adopted", "vetoed", "failed", "mean_yes")]
    for m in data["members"]:
        for k in ("yes", "decisiveness", "satisfaction", "vetoes", "vetoes_alone"):
            if m[k] is not None:
                rows.append(row(k, m["member"], m["class"], m[k]))
    if "agreement" in data:
        names = data["agreement"]["members"]
        for a, line in zip(names, data["agreement"]["matrix"], strict=True):
            for b, value in zip(names, line, strict=True):
                rows.append([f"agreement:{b}", a, "", value, "", "", ""])
    return to_csv(header, rows)


def simulate_years(
    loaded: Any,
    spec: Any,
    exact: bool,
    workers: int,
    start_year: int | None,
    candidates: str,
    membership: str | None,
) -> dict[str, Any]:
    """Elections for ``spec.years`` years, then each year's drafts (``simulate --years``)."""
    from councilsim.cli.elect import _candidates
    from councilsim.elections import (
        read_membership,
        rules_for,
        start_from_membership,
        starting_composition,
    )
    from councilsim.elections.over_years import simulate_over_years

    rules = rules_for(loaded)
    member_file = read_membership(membership) if membership else None
    if start_year is not None and member_file is not None:
        start = start_from_membership(rules, member_file, start_year)
    else:
        start = starting_composition(rules, start_year)
    model = spec.model
    run, outcomes = simulate_over_years(
        loaded,
        lambda council, year: model,
        spec.years,
        spec.draws,
        spec.seed,
        start=start,
        candidates=_candidates(candidates, member_file),
        exact=exact,
        workers=workers,
    )
    first = outcomes[0].result.to_dict()
    per_year = []
    for o in outcomes:
        d = o.result.to_dict()
        per_year.append(
            {
                "year": o.year,
                "members": [s.label for s in o.council.seats],
                **{k: d[k] for k in OUTCOMES},
            }
        )
    return {
        "scenario": loaded.id,
        "name": loaded.name,
        "model": first["model"],
        "params": first["params"],
        "engine": first["engine"],
        "draws": None if exact else spec.draws,
        "seed": spec.seed,
        "candidates": run.candidates,
        "years": per_year,
        "overall": _pooled([o.result for o in outcomes], exact),
    }


OUTCOMES = ("adopted", "vetoed", "failed", "mean_yes")


def _pooled(results: list[Any], exact: bool) -> dict[str, Any]:
    """Rates over all years: each year weighs the same (the same number of drafts a year).

    Monte Carlo rates pool the drafts of every year (Wilson interval on the total); the mean
    number of yes votes averages the yearly means, its interval combining theirs as
    independent. Exact rates are the mean of the yearly probabilities.
    """
    from fractions import Fraction

    from councilsim.simulation import Estimate

    n = len(results)
    out: dict[str, Any] = {}
    for key in OUTCOMES:
        ests = [getattr(r, key) for r in results]
        if exact:
            if all(e.exact is not None for e in ests):
                out[key] = Estimate.of(sum((e.exact for e in ests), Fraction(0)) / n).to_dict()
            else:
                out[key] = Estimate.of(sum(e.estimate for e in ests) / n).to_dict()
        elif key == "mean_yes":
            mean = sum(e.estimate for e in ests) / n
            half = math.sqrt(sum(((e.ci_high - e.ci_low) / 2) ** 2 for e in ests)) / n
            out[key] = Estimate(mean, mean - half, mean + half).to_dict()
        else:
            draws = sum(r.draws for r in results)
            hits = sum(round(e.estimate * r.draws) for e, r in zip(ests, results, strict=True))
            out[key] = Estimate.wilson(hits, draws).to_dict()
    return out


def years_text(data: Mapping[str, Any]) -> str:
    params = params_text(data)
    engine = engine_text(data, " a year")
    years = data["years"]
    span = f"{years[0]['year']}-{years[-1]['year']}"
    lines = [
        f"{data['name']}: {data['model']} model ({params}), {span}, "
        f"candidates {data['candidates']}",
        engine,
        "",
    ]
    rows = [
        [y["year"], *(format_estimate(y[k]) for k in ("adopted", "vetoed", "failed"))]
        for y in years
    ]
    rows.append(
        [
            "all years",
            *(format_estimate(data["overall"][k]) for k in ("adopted", "vetoed", "failed")),
        ]
    )
    lines.append(table(["year", "adopted", "vetoed", "failed"], rows, align="lrrr"))
    return "\n".join(lines)


def _years_csv(data: Mapping[str, Any]) -> str:
    header = ["year", "measure", "estimate", "ci_low", "ci_high", "fraction"]
    rows = []
    for label, block in [*((y["year"], y) for y in data["years"]), ("all", data["overall"])]:
        for key in OUTCOMES:
            est = block[key]
            rows.append(
                [
                    label,
                    key,
                    est["estimate"],
                    est.get("ci_low", ""),
                    est.get("ci_high", ""),
                    est.get("fraction", ""),
                ]
            )
    return to_csv(header, rows)
