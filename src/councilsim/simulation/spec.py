"""The ``[simulation]`` table of a scenario file.

Keys (every one optional)::

    [simulation]
    model = "impartial"   # a vote model: impartial, propensity, spatial, blocs
    draws = 100000        # Monte Carlo drafts, 1..10**12 (councilsim.limits)
    seed = 0              # root seed, an integer in 0..2**128 - 1
    years = 0             # years of elections to run (reserved for the election simulator)

    [simulation.params]   # the model's parameters: see each model's docstring
    p = 0.5

The scenario loader calls :func:`parse_simulation` with the raw table; errors name the key
path (``simulation.<key>``), and the loader adds the file and line.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from councilsim.council import Council
from councilsim.errors import ScenarioError
from councilsim.limits import DEFAULT_DRAWS, DEFAULT_SEED, MAX_DRAWS, MAX_SEED, MAX_SIMULATED_YEARS
from councilsim.models import MODELS, ImpartialModel, VoteModel, model_class
from councilsim.validate import to_int, to_str, to_table, unknown_keys

KEYS = ("model", "draws", "seed", "years", "params")


@dataclass(frozen=True)
class SimulationSpec:
    """A parsed ``[simulation]`` table: the model (with its parameters), draws, seed, years.

    ``table`` keeps the raw table so that command-line options can override single keys.
    """

    model: VoteModel = field(default_factory=ImpartialModel)
    draws: int = DEFAULT_DRAWS
    seed: int = DEFAULT_SEED
    years: int = 0
    table: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)


def parse_simulation(table: Mapping[str, Any], council: Council) -> SimulationSpec:
    """Check a scenario's ``[simulation]`` table against ``council`` and parse it.

    Raises :class:`~councilsim.errors.ScenarioError` (with ``key`` set to the dotted path,
    e.g. ``simulation.params.p``) for unknown keys, wrong types and out-of-range values, and
    for names the council does not have.
    """
    table = to_table(table, "simulation")
    unknown_keys(table, KEYS, "simulation")
    name = to_str(table.get("model", ImpartialModel.name), "simulation.model")
    cls = model_class(name)
    draws = to_int(table.get("draws", DEFAULT_DRAWS), "simulation.draws", 1, MAX_DRAWS)
    seed = to_int(table.get("seed", DEFAULT_SEED), "simulation.seed", 0, MAX_SEED)
    years = to_int(table.get("years", 0), "simulation.years", 0, MAX_SIMULATED_YEARS)
    params = to_table(table.get("params", {}), "simulation.params")
    model = cls.from_params(params)
    try:
        model.check(council)  # resolves class ids, member names and data files
    except ScenarioError:
        raise
    except (ValueError, OSError) as err:  # pragma: no cover - defensive
        raise ScenarioError(str(err), key="simulation.params") from None
    return SimulationSpec(model=model, draws=draws, seed=seed, years=years, table=dict(table))


__all__ = ["DEFAULT_DRAWS", "MODELS", "SimulationSpec", "parse_simulation"]
