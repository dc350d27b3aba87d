"""A sweep's configurations and options: the grid of parameter values, the measures' options,
and the fingerprint of a sweep (what its results depend on)."""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from councilsim import __version__
from councilsim.limits import (
    DEFAULT_DRAWS,
    DEFAULT_SEED,
    DEFAULT_STATE_REPS,
    DEFAULT_STATE_YEARS,
)
from councilsim.sweep.params import Value, order_key


@dataclass(frozen=True)
class Axis:
    """One varied parameter and its values, in the order given."""

    name: str
    values: tuple[Value, ...]


@dataclass(frozen=True)
class ConfigGrid:
    """The Cartesian product of the axes, in a fixed order.

    Axes nest in the order of :data:`~councilsim.sweep.params.PARAMETERS` (model parameters
    last, by name), the last varying fastest; configuration ``index`` is the mixed-radix number
    whose digits are the positions of its values.
    """

    axes: tuple[Axis, ...]

    @classmethod
    def of(cls, axes: Mapping[str, Sequence[Value]]) -> ConfigGrid:
        """A grid from parameter name → values (any order)."""
        names = sorted(axes, key=order_key)
        return cls(tuple(Axis(n, tuple(axes[n])) for n in names))

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(a.name for a in self.axes)

    @property
    def size(self) -> int:
        return math.prod(len(a.values) for a in self.axes)

    def __len__(self) -> int:
        return self.size

    def config(self, index: int) -> dict[str, Value]:
        """The configuration at ``index`` (0-based): parameter name → value."""
        if not 0 <= index < self.size:
            raise IndexError(index)
        out: dict[str, Value] = {}
        for axis in reversed(self.axes):
            index, pos = divmod(index, len(axis.values))
            out[axis.name] = axis.values[pos]
        return {name: out[name] for name in self.names}

    def __iter__(self) -> Iterator[dict[str, Value]]:
        return (self.config(i) for i in range(self.size))

    def to_dict(self) -> dict[str, list[Value]]:
        return {a.name: list(a.values) for a in self.axes}


def config_id(config: Mapping[str, Value]) -> str:
    """A stable id: 12 hex digits of the SHA-256 of the values (same values, same id)."""
    text = json.dumps(dict(sorted(config.items())), separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:12]


@dataclass(frozen=True)
class MeasureOptions:
    """How each configuration is measured: the arguments of the measure function.

    ``model`` ``None`` is the a-priori model (independent yes/no votes at 1/2, exact).
    ``seed`` is the root seed; configuration ``i`` is measured with the ``i``-th child of
    ``SeedSequence(seed)`` (see :func:`~councilsim.sweep.engine.config_seed`). With
    ``elections`` (the default) and named ``states``, each configuration runs the base's
    ``[elections]`` or the rules derived from its seats (``election_years`` years,
    ``election_reps`` replications, the configuration's seed) to give the states their expected
    power, as ``councilsim compare`` does; ``elections = false`` keeps the seat-level figure.
    """

    model: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict)
    draws: int = DEFAULT_DRAWS
    seed: int = DEFAULT_SEED
    exact: bool = False
    states: tuple[str, ...] = ()
    elections: bool = True
    election_years: int = DEFAULT_STATE_YEARS
    election_reps: int = DEFAULT_STATE_REPS

    def to_dict(self) -> dict[str, Any]:
        out = {
            "model": self.model,
            "params": dict(self.params),
            "draws": self.draws,
            "seed": self.seed,
            "exact": self.exact,
            "states": list(self.states),
        }
        if self.elections and self.states:  # only then do they change a figure
            out["elections"] = True
            out["election_years"] = self.election_years
            out["election_reps"] = self.election_reps
        return out


def fingerprint(
    base: Mapping[str, Any], grid: ConfigGrid, options: MeasureOptions, measure: str = ""
) -> str:
    """SHA-256 of everything a sweep's results depend on: the base document, the grid, the
    options, the measure function's name and the councilsim version."""
    doc = {
        "format": 1,
        "version": __version__,
        "base": base,
        "grid": [[a.name, list(a.values)] for a in grid.axes],
        "options": options.to_dict(),
        "measure": measure,
    }
    text = json.dumps(doc, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


__all__ = ["Axis", "ConfigGrid", "MeasureOptions", "config_id", "fingerprint"]
