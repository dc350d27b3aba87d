"""``councilsim simulate``: outcome rates and members' figures under a vote model."""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Mapping
from typing import Any

import click

from councilsim.cli._common import (
    FORMATS,
    WIDTH,
    check_output,
    election_options,
    emit,
    format_option,
    handle_errors,
    key_value,
    markdown_table,
    output_option,
    progress_bar,
    scheduler_option,
    seed_option,
    table,
    to_csv,
    to_json,
    warn_about,
    workers_option,
    wrapped_table,
)
from councilsim.errors import ScenarioError
from councilsim.formatting import cell
from councilsim.limits import DEFAULT_DRAWS
from councilsim.simulation.measures import DRAFT_FIGURES

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
    help="Vote model: impartial, propensity, spatial, blocs or record "
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
    "--draws",
    metavar="N",
    help=f"Monte Carlo drafts, e.g. 1e7 [default: scenario's, else {DEFAULT_DRAWS}].",
)
@seed_option()
@workers_option()
@scheduler_option()
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
@click.option(
    "--jit/--no-jit",
    default=None,
    help="Count drafts with every vote at 1/2 in compiled code (needs numba: the fast extra), "
    "or never [default: for runs of 3x10^8 drafts or more when numba is installed]. "
    "The numbers are the same either way.",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@format_option(*FORMATS)
@output_option()
@handle_errors
def simulate_command(
    scenario: str,
    model: str | None,
    extra: tuple[str, ...],
    draws: str | None,
    seed: str | None,
    workers: int,
    scheduler: str | None,
    exact: bool,
    agreement: bool,
    years: str | None,
    start_year: int | None,
    candidates: str,
    membership: str | None,
    jit: bool | None,
    quiet: bool,
    fmt: str,
    output: str | None,
    **options: str | None,
) -> None:
    """Simulate drafts put to the council of SCENARIO under a vote model.

    Reports the share of drafts adopted, vetoed (enough yes votes, blocked by a veto) and
    failed (too few yes votes), the mean number of yes votes and, per member, the share of
    yes votes, its decisiveness (its choice between yes and no decides adoption), its
    satisfaction (Rae) and, for veto holders, the share of drafts it vetoed and vetoed alone.
    Monte Carlo estimates carry 95 % confidence intervals (± is the half-width); --exact gives
    exact probabilities, printed as fractions p/q.

    With --years N (or years in the scenario's [simulation] table), the General Assembly's
    elections run for N years (see `councilsim elect`) and each year's Council, with the
    states that sit that year, votes on the drafts: the report gives each year's rates and
    the rates over all years.

    Options override the scenario's [simulation] table (see docs/simulation.md). With
    numba installed (the fast extra: python -m pip install "councilsim[fast]", or ".[fast]"
    from the source folder), runs of 3x10^8 drafts or more with every vote at 1/2
    count in compiled code, with identical results; --jit does so for any run, --no-jit
    (or COUNCILSIM_JIT=0) never. --scheduler runs the Monte Carlo on a Dask cluster, with
    identical results (see docs/distributed.md).
    JSON: scenario, name, model, params, engine, draws, seed, adopted, vetoed, failed,
    mean_yes (each {estimate, ci_low, ci_high}; exact values {estimate, fraction}) and
    members [{member, class, yes, decisiveness, satisfaction, vetoes, vetoes_alone}].
    """
    from councilsim.scenario import load
    from councilsim.simulation import exact_outcomes, parse_simulation

    check_output(output)
    if jit and not exact:
        from councilsim.simulation.compiled import require

        require("--jit")
    loaded = load(scenario)
    council = loaded.council
    table_in = simulation_table(loaded)
    spec = simulation_spec(
        table_in, council, model, extra, draws, seed, options, parse_simulation, years
    )
    show = not quiet and sys.stderr.isatty()
    if scheduler is not None and exact:
        raise ScenarioError(
            "--scheduler is not available with --exact",
            key="--scheduler",
            fix="drop --scheduler (exact probabilities take no draws to distribute)",
        )
    if spec.years > 0:
        if agreement:
            raise ScenarioError(
                "--agreement is not available with --years",
                key="--agreement",
                fix="drop --agreement, or run without --years",
            )
        data = simulate_years(
            loaded,
            spec,
            exact,
            workers,
            start_year,
            candidates,
            membership,
            show=show,
            jit=jit,
            scheduler=scheduler,
        )
        render = {"json": to_json, "csv": _years_csv, "markdown": _years_markdown}
        warn_about(spec.model)
        emit(render.get(fmt, years_text)(data), output)
        return
    if exact:
        result = exact_outcomes(council, spec.model, agreement=agreement)
    else:
        result = simulate_with_bar(
            council, spec, workers, show, agreement=agreement, jit=jit, scheduler=scheduler
        )
    data = {"scenario": loaded.id, "name": loaded.name, **result.to_dict()}
    render = {"json": to_json, "csv": _csv, "markdown": _markdown}
    warn_about(spec.model)
    emit(render.get(fmt, _text)(data), output)


def simulate_with_bar(
    council: Any,
    spec: Any,
    workers: int,
    show: bool,
    *,
    agreement: bool = False,
    jit: bool | None = None,
    scheduler: str | None = None,
) -> Any:
    """Monte Carlo for a parsed spec, with a progress bar on stderr when ``show`` (``jit`` as
    for :func:`councilsim.simulation.simulate`)."""
    from councilsim.simulation import simulate

    with progress_bar(spec.draws, "simulating", show) as update:
        return simulate(
            council,
            spec.model,
            draws=spec.draws,
            seed=spec.seed,
            workers=workers,
            agreement=agreement,
            jit=jit,
            progress=update,
            scheduler=scheduler,
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
    """An estimate as table text: ``p/q`` for an exact fraction, ``x ±h`` with the half-width
    of the 95 % interval for a Monte Carlo one (:func:`councilsim.formatting.cell`)."""
    if est is None:
        return "-"
    if est.get("fraction"):
        return str(est["fraction"])
    if "ci_low" in est:
        half = (est["ci_high"] - est["ci_low"]) / 2
        return f"{cell(est['estimate'])} ±{cell(half, 2)}"
    return cell(est["estimate"])


def params_text(data: Mapping[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in data["params"].items() if v not in ({}, [], None))


def engine_text(data: Mapping[str, Any], per: str = "") -> str:
    if data["engine"] == "exact":
        return "exact probabilities"
    return (
        f"Monte Carlo, {data['draws']} drafts{per}, seed {data['seed']}; ± is the "
        "half-width of the 95% interval"
    )


MEMBER_FIGURES = ("yes", "decisiveness", "satisfaction", "vetoes", "vetoes_alone")
"""The columns of the members' table, as keys of :meth:`SimulationResult.to_dict`."""


def _outcome_rows(data: Mapping[str, Any]) -> list[list[str]]:
    return [[k.replace("_", " "), format_estimate(data[k])] for k in DRAFT_FIGURES]


def _member_rows(data: Mapping[str, Any]) -> list[list[str]]:
    return [
        [m["member"], m["class"], *(format_estimate(m[k]) for k in MEMBER_FIGURES)]
        for m in data["members"]
    ]


MEMBER_HEADER = ["member", "class", *(k.replace("_", " ") for k in MEMBER_FIGURES)]


def _text(data: Mapping[str, Any]) -> str:
    head = f"{data['name']}: {data['model']} model ({params_text(data)})"
    lines = [*textwrap.wrap(head, WIDTH), engine_text(data)]
    lines += ["", table(["outcome", "estimate"], _outcome_rows(data), align="lr"), ""]
    lines.append(wrapped_table(MEMBER_HEADER, _member_rows(data), "llrrrrr", keep=2))
    return "\n".join(lines)


def _markdown(data: Mapping[str, Any]) -> str:
    outcomes = markdown_table(["Outcome", "Estimate"], _outcome_rows(data))
    return outcomes + "\n\n" + markdown_table(MEMBER_HEADER, _member_rows(data), "llrrrrr")


def _estimate_cells(est: Mapping[str, Any]) -> list[Any]:
    return [est["estimate"], est.get("ci_low", ""), est.get("ci_high", ""), est.get("fraction", "")]


def _csv(data: Mapping[str, Any]) -> str:
    header = ["measure", "member", "class", "estimate", "ci_low", "ci_high", "fraction"]
    rows = [[k, "", "", *_estimate_cells(data[k])] for k in DRAFT_FIGURES]
    for m in data["members"]:
        for k in MEMBER_FIGURES:
            if m[k] is not None:
                rows.append([k, m["member"], m["class"], *_estimate_cells(m[k])])
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
    *,
    show: bool = False,
    jit: bool | None = None,
    scheduler: str | None = None,
) -> dict[str, Any]:
    """:func:`councilsim.simulation.years.drafts_over_years` for a parsed spec, with a
    progress bar on stderr when ``show`` (``simulate --years`` and ``run``); with a
    ``scheduler``, every year's drafts on that Dask cluster, started or reached once."""
    from councilsim.pool import cluster
    from councilsim.simulation.years import drafts_over_years

    length = 1 if exact else spec.draws * spec.years
    with (
        cluster(scheduler, workers),
        progress_bar(length, "simulating", show and not exact) as update,
    ):
        return drafts_over_years(
            loaded,
            spec.model,
            spec.years,
            spec.draws,
            spec.seed,
            exact=exact,
            workers=workers,
            start_year=start_year,
            candidates=candidates,
            membership=membership,
            progress=update,
            jit=jit,
            scheduler=scheduler,
        ).to_dict()


def _years_rows(data: Mapping[str, Any]) -> list[list[Any]]:
    rates = DRAFT_FIGURES[:3]
    rows = [[y["year"], *(format_estimate(y[k]) for k in rates)] for y in data["years"]]
    rows.append(["all years", *(format_estimate(data["overall"][k]) for k in rates)])
    return rows


YEARS_HEADER = ["year", *DRAFT_FIGURES[:3]]


def years_text(data: Mapping[str, Any]) -> str:
    years = data["years"]
    span = f"{years[0]['year']}-{years[-1]['year']}"
    head = (
        f"{data['name']}: {data['model']} model ({params_text(data)}), {span}, "
        f"candidates {data['candidates']}"
    )
    lines = [
        *textwrap.wrap(head, WIDTH),
        engine_text(data, " a year"),
        "",
        table(YEARS_HEADER, _years_rows(data), align="lrrr"),
    ]
    return "\n".join(lines)


def _years_markdown(data: Mapping[str, Any]) -> str:
    return markdown_table(YEARS_HEADER, _years_rows(data))


def _years_csv(data: Mapping[str, Any]) -> str:
    header = ["year", "measure", "estimate", "ci_low", "ci_high", "fraction"]
    rows = []
    for label, block in [*((y["year"], y) for y in data["years"]), ("all", data["overall"])]:
        for key in DRAFT_FIGURES:
            rows.append([label, key, *_estimate_cells(block[key])])
    return to_csv(header, rows)
