"""Checks of a whole sweep before it runs: its size, and values no configuration can use.

A value that makes every configuration containing it invalid (a quota above the weight of the
largest council in the grid, a veto threshold above the most veto holders, a model parameter
that fails in every combination) is an error in the sweep, reported with the key or option
that gave it; values that fail only in some combinations give invalid rows instead.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from councilsim.errors import ScenarioError
from councilsim.limits import MAX_CONFIGS
from councilsim.sweep.apply import build_vote_model, configure, elected_class, model_config
from councilsim.sweep.grid import ConfigGrid
from councilsim.sweep.params import MODEL_PREFIX, SEAT_PARAMETERS, Err, Value, describe
from councilsim.sweep.spec import SweepSpec
from councilsim.validate import Context

MAX_MODEL_CHECKS = 10_000
"""The most combinations of model values tried."""


def _err(ctx: Context, path: Sequence[str]) -> Err:
    return lambda problem, fix: ctx.error(path, problem, fix)


def _cli_err(option: str) -> Err:
    return lambda problem, fix: ScenarioError(problem, key=option, fix=fix)


def check_grid(spec: SweepSpec, ctx: Context, from_cli: set[str], fixed_cli: set[str]) -> None:
    """Refuse grids that are too large, and values that no configuration can use."""

    def err_for(name: str) -> Err:
        if name in from_cli:
            return _cli_err(f"--vary {name}")
        path = ["vary", "params", name[len(MODEL_PREFIX) :]] if "." in name else ["vary", name]
        return _err(ctx, path)

    grid = spec.grid
    if grid.size > MAX_CONFIGS:
        raise ScenarioError(
            f"the grid has {grid.size:,} configurations, more than {MAX_CONFIGS:,}",
            file=None if ctx.file.startswith("<") else ctx.file,
            key="vary",
            fix="vary fewer parameters, or fewer values with a coarser step (a:b:step)",
        )
    names = set(grid.names)
    if {"seats", "elected"} <= names:
        raise err_for("elected")("seats and elected are both varied", "vary one of them")
    if names & {"seats", "elected"} and elected_class(spec.base) is None:
        name = "seats" if "seats" in names else "elected"
        raise err_for(name)(
            f"the base {spec.base.id} has no single class of kind elected to resize",
            "use a base scenario with one elected class",
        )
    _check_bounds(spec, err_for)
    _check_models(spec, err_for, fixed_cli, ctx)


def _check_bounds(spec: SweepSpec, err_for: Callable[[str], Err]) -> None:
    """Quotas above the largest council's weight and thresholds above its veto holders."""
    grid = spec.grid
    seat_axes = {a.name: a.values for a in grid.axes if a.name in SEAT_PARAMETERS}
    largest = {name: max(int(v) for v in values) for name, values in seat_axes.items()}
    smallest = {name: min(int(v) for v in values) for name, values in seat_axes.items()}
    if "seats" in smallest:
        _check_min_seats(spec, smallest, err_for)
    try:
        council = configure(spec.base, {**largest, "quota": 1, "procedural_quota": 1})
    except ScenarioError as e:
        if not seat_axes:
            return
        name = next(iter(seat_axes))
        raise err_for(name)(
            f"the largest council of the grid cannot be built: {e.problem}", e.fix or ""
        ) from None
    limits = {
        "quota": (council.total_weight, "the total weight of the largest council in the grid"),
        "procedural_quota": (council.total_weight, "the total weight of the largest council"),
        "veto_threshold": (council.veto_holders, "the most veto holders in the grid"),
    }
    for axis in grid.axes:
        if axis.name not in limits:
            continue
        limit, what = limits[axis.name]
        over = [v for v in axis.values if int(v) > limit]
        if over:
            if limit == 0:
                raise err_for(axis.name)("no configuration has a veto holder", "vary the veto")
            raise err_for(axis.name)(
                f"{describe(over)} exceed{'s' if len(over) == 1 else ''} {limit}, {what}",
                f"use values in 1..{limit}",
            )


def _check_min_seats(
    spec: SweepSpec, smallest: Mapping[str, int], err_for: Callable[[str], Err]
) -> None:
    cls = elected_class(spec.base)
    assert cls is not None
    permanent = {k: v for k, v in smallest.items() if k != "seats"}
    probe = configure(spec.base, {**permanent, "elected": 0, "quota": 1, "procedural_quota": 1})
    if smallest["seats"] < probe.size:
        raise err_for("seats")(
            f"{smallest['seats']} seats are fewer than the {probe.size} seats not elected",
            f"use at least {probe.size} seats",
        )


def _check_models(
    spec: SweepSpec, err_for: Callable[[str], Err], fixed_cli: set[str], ctx: Context
) -> None:
    """A model or model parameter value that fails in every combination is an error."""
    model_axes = [a for a in spec.grid.axes if a.name == "model" or a.name.startswith("params.")]
    sub = ConfigGrid(tuple(model_axes))
    if sub.size > MAX_MODEL_CHECKS:
        return
    works: set[tuple[str, Value]] = set()
    first: dict[tuple[str, Value], ScenarioError] = {}
    for config in sub:
        name, params = model_config(spec.options.model, spec.options.params, config)
        try:
            build_vote_model(name, params)
        except ScenarioError as e:
            for item in config.items():
                first.setdefault(item, e)
            if not config:
                raise _fixed_model_error(e, fixed_cli, ctx) from None
            continue
        works.update(config.items())
    for axis in model_axes:
        for value in axis.values:
            if (axis.name, value) not in works:
                failure = first[(axis.name, value)]
                raise err_for(axis.name)(
                    _model_problem(spec, axis.name, value, failure), failure.fix or ""
                )


def _model_problem(spec: SweepSpec, name: str, value: Value, failure: ScenarioError) -> str:
    if failure.problem.startswith("unknown key"):
        model = spec.options.model or "impartial"
        return f"{name[len(MODEL_PREFIX) :]} is not a parameter of the {model} model"
    return failure.problem if str(value) in failure.problem else f"{value}: {failure.problem}"


def _fixed_model_error(e: ScenarioError, fixed_cli: set[str], ctx: Context) -> ScenarioError:
    """An error in the fixed model of ``[measures]`` or of ``--model`` / ``--param``."""
    key = (e.key or "").removeprefix("simulation.")
    if key.startswith("params.") and "params" in fixed_cli:
        return ScenarioError(e.problem, key=f"--param {key.removeprefix('params.')}", fix=e.fix)
    if key == "model" and "model" in fixed_cli:
        return ScenarioError(e.problem, key="--model", fix=e.fix)
    return ctx.error(["measures", *key.split(".")], e.problem, e.fix or "")
