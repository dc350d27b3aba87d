"""Reading sweep files: the base scenario, the grid of parameters and the measures' options.

A sweep file is TOML, validated as strictly as a scenario (``docs/sweep.md``)::

    base = "current"                  # a shipped scenario id, or a path relative to this file
    name = "Quota and veto threshold" # optional
    description = "..."               # optional

    [vary]                            # the grid: one axis per key
    quota = "9:15"                    # range syntax (see councilsim.sweep.params)
    veto_threshold = [1, 2]           # or an array of values, or one value
    abstention = "practice,literal"

    [vary.params]                     # parameters of the vote model
    p = "0.4:0.6:0.1"

    [measures]                        # options of the measures (all optional)
    model = "impartial"               # default: the a-priori model
    params = { p = 0.5 }
    draws = 100000                    # Monte Carlo draws for models without an exact engine
    seed = 0                          # root seed; each configuration gets its own child
    exact = false                     # exact fractions instead of floats
    states = ["IND", "BRA"]           # power of named states
    elections = true                  # expected power from an election run (false: the seat's)
    election_years = 10               # with elections: years of elections to run
    election_reps = 2000              # with elections: replications of the election run

Every problem raises :class:`~councilsim.errors.ScenarioError` naming the file, the line, the
key and the fix (or the command-line option that gave the value).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from councilsim.errors import ScenarioError
from councilsim.limits import (
    DEFAULT_DRAWS,
    DEFAULT_SEED,
    DEFAULT_STATE_REPS,
    DEFAULT_STATE_YEARS,
    MAX_DRAWS,
    MAX_REPLICATIONS,
    MAX_SEED,
    MAX_YEARS,
)
from councilsim.models import MODELS
from councilsim.scenario import Scenario, load, resolve
from councilsim.states import lookup
from councilsim.sweep.checks import check_grid
from councilsim.sweep.grid import ConfigGrid, MeasureOptions
from councilsim.sweep.params import (
    MODEL_PREFIX,
    Err,
    Value,
    parameter,
    parse_values,
    split_assignment,
)
from councilsim.sweep.spec import SweepSpec
from councilsim.validate import (
    Context,
    integers_not_text,
    parse_toml,
    read_text,
    read_toml,
    to_int,
    to_str,
    to_table,
    unknown_keys,
)

__all__ = ["looks_like_sweep", "parse_sweep"]

TOP_KEYS = {
    "base": "the scenario the sweep starts from: a shipped id or a path",
    "name": "a display name",
    "description": "what the sweep explores",
    "vary": "the grid: one key per parameter",
    "measures": "options of the measures: model, params, draws, seed, exact, states, "
    "elections, election_years, election_reps",
}
MEASURE_KEYS = {
    "model",
    "params",
    "draws",
    "seed",
    "exact",
    "states",
    "elections",
    "election_years",
    "election_reps",
}


def parse_sweep(
    source: str | Path | None = None,
    *,
    base: str | Path | None = None,
    vary: Sequence[str] = (),
    measures: Mapping[str, Any] | None = None,
) -> SweepSpec:
    """Read and validate a sweep.

    Parameters
    ----------
    source
        A sweep file (a :class:`~pathlib.Path`, or a string naming an existing file or ending
        in ``.toml``), TOML text (any other string), or ``None`` for a sweep given wholly by
        the other arguments.
    base
        The base scenario (shipped id or path), replacing the file's ``base``; default
        ``"current"`` when the file has none.
    vary
        ``NAME=VALUES`` items in the range syntax (``--vary``); each adds or replaces an axis.
    measures
        Values replacing keys of the ``[measures]`` table (command-line options); ``None``
        values are ignored. Errors in them name the option ``--<key>``.

    Raises
    ------
    ScenarioError
        For any problem, naming the file and key (or the option) and the fix.
    """
    display, text, origin = _read_source(source)
    doc = parse_toml(text, display, docs="docs/sweep.md")
    ctx = Context(display, text)
    with ctx.located():
        unknown_keys(doc, TOP_KEYS, [])
        for key in ("name", "description", "base"):
            if key in doc:
                to_str(doc[key], [key])
    scenario = _base(doc, ctx, origin, base)
    axes = _axes(doc, ctx, vary)
    options = _options(doc, ctx, measures or {})
    grid = ConfigGrid.of(axes)
    spec = SweepSpec(
        base=scenario,
        grid=grid,
        options=options,
        name=str(doc.get("name", "")),
        description=str(doc.get("description", "")),
        source=display,
    )
    fixed_from_cli = {k for k, v in (measures or {}).items() if v is not None}
    check_grid(spec, ctx, set(_cli_names(vary)), fixed_from_cli)
    return spec


def _read_source(source: str | Path | None) -> tuple[str, str, Path | None]:
    if source is None:
        return "<command line>", "", None
    path = Path(source)
    is_file = isinstance(source, Path) or str(source).endswith(".toml")
    if not is_file and "\n" not in str(source):
        try:
            is_file = path.is_file()
        except OSError:
            is_file = False
    if not is_file:
        return "<string>", str(source), None
    return str(source), read_text(path, str(source), what="a sweep file"), path


def _base(
    doc: Mapping[str, Any], ctx: Context, origin: Path | None, override: str | Path | None
) -> Scenario:
    if override is not None:
        return load(override)
    ref = str(doc.get("base", "current"))
    if origin is not None and (ref.endswith(".toml") or "/" in ref):
        candidate = origin.parent / ref
        if not candidate.is_file():
            raise ctx.error(
                ["base"],
                f"the base file {ref!r} does not exist",
                "give a path relative to the sweep file, or a shipped id",
            )
        return load(candidate)
    try:
        resolve(ref)
    except ScenarioError as err:
        raise ctx.error(["base"], err.problem, err.fix or "") from None
    return load(ref)


def _err(ctx: Context, path: Sequence[str]) -> Err:
    return lambda problem, fix: ctx.error(path, problem, fix)


def _cli_err(option: str) -> Err:
    return lambda problem, fix: ScenarioError(problem, key=option, fix=fix)


def _cli_names(vary: Sequence[str]) -> list[str]:
    return [split_assignment(item)[0] for item in vary]


def _axes(
    doc: Mapping[str, Any], ctx: Context, vary: Sequence[str]
) -> dict[str, tuple[Value, ...]]:
    with ctx.located():
        table = to_table(doc.get("vary", {}), ["vary"])
        if "params" in table:
            to_table(table["params"], ["vary", "params"], "a table of model parameters")
    axes: dict[str, tuple[Value, ...]] = {}
    for name, raw in table.items():
        if name == "params":
            for pname, praw in raw.items():
                full = MODEL_PREFIX + pname
                err = _err(ctx, ["vary", "params", pname])
                axes[full] = parse_values(parameter(full, err), praw, err)
            continue
        err = _err(ctx, ["vary", name])
        axes[name] = parse_values(parameter(name, err), raw, err)
    for item in vary:
        name, text = split_assignment(item)
        err = _cli_err(f"--vary {name}")
        axes[name] = parse_values(parameter(name, err), text, err)
    if not axes:
        raise ScenarioError(
            "nothing is varied",
            file=None if ctx.file.startswith("<") else ctx.file,
            key="vary",
            fix="add a [vary] table or --vary NAME=VALUES, e.g. --vary quota=9:15",
        )
    return axes


def _options(doc: Mapping[str, Any], ctx: Context, cli: Mapping[str, Any]) -> MeasureOptions:
    with ctx.located():
        table = dict(to_table(doc.get("measures", {}), ["measures"]))
        unknown_keys(table, MEASURE_KEYS, ["measures"])
        integers_not_text(table, ("draws", "seed", "election_years", "election_reps"), "measures")
    table.update({k: v for k, v in cli.items() if v is not None})

    def err_for(key: str) -> Err:
        return (
            _cli_err("--" + key.replace("_", "-"))
            if cli.get(key) is not None
            else _err(ctx, ["measures", key])
        )

    model = table.get("model")
    if model is not None and model not in _models():
        raise err_for("model")(f"unknown vote model {model!r}", f"use one of: {_models_list()}")
    params = table.get("params", {})
    if not isinstance(params, Mapping):
        raise err_for("params")("expected a table of model parameters", "write params = {...}")
    draws = _int(table.get("draws", DEFAULT_DRAWS), 1, MAX_DRAWS, err_for("draws"))
    seed = _int(table.get("seed", DEFAULT_SEED), 0, MAX_SEED, err_for("seed"))
    exact = table.get("exact", False)
    if not isinstance(exact, bool):
        raise err_for("exact")(f"expected true or false, found {exact!r}", "write true or false")
    states = _states(table.get("states", []), err_for("states"))
    elections = table.get("elections", True)
    if not isinstance(elections, bool):
        raise err_for("elections")(
            f"expected true or false, found {elections!r}", "write true or false"
        )
    years = _int(
        table.get("election_years", DEFAULT_STATE_YEARS),
        1,
        MAX_YEARS,
        err_for("election_years"),
    )
    reps = _int(
        table.get("election_reps", DEFAULT_STATE_REPS),
        1,
        MAX_REPLICATIONS,
        err_for("election_reps"),
    )
    return MeasureOptions(model, dict(params), draws, seed, exact, states, elections, years, reps)


def _models() -> tuple[str, ...]:
    return tuple(MODELS)


def _models_list() -> str:
    return ", ".join(_models())


def _int(value: Any, low: int, high: int, err: Err) -> int:
    try:
        return to_int(value, "", low, high)
    except ScenarioError as e:
        raise err(e.problem, e.fix or "") from None


def _states(value: Any, err: Err) -> tuple[str, ...]:
    items = value if isinstance(value, list | tuple) else [value]
    out = []
    for code in items:
        if not isinstance(code, str) or lookup(code) is None:
            raise err(f"{code!r} is not a UN member state", "give ISO 3166 alpha-3 codes")
        out.append(code.strip().upper())
    return tuple(out)


def looks_like_sweep(path: str | Path) -> bool:
    """Whether a TOML file is a sweep file (it has ``vary`` or ``base``), not a scenario."""
    p = Path(path)
    if not p.is_file():
        return False
    try:
        doc, _ = read_toml(p, what="a sweep file")
    except ScenarioError:
        return p.name.endswith(".sweep.toml")
    return "vary" in doc or "base" in doc or "measures" in doc
