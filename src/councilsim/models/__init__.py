"""Vote models: how the members of a council vote on a draft.

Each model is a small component chosen by a stable name in :data:`MODELS` (``model = "..."``
in a scenario's ``[simulation]`` table, ``--model`` on the command line), with parameters read
from ``[simulation.params]`` by its ``from_params`` and documented in its docstring:

``impartial``
    Every member independently yes with probability ``p``; optional abstention and absence.
``propensity``
    Independent votes with probabilities per member or per seat class.
``spatial``
    Members vote for the proposal or the status quo, whichever is nearer their ideal point,
    with random-utility noise and an indifference band; ideal points from the scenario, from a
    distribution or from General Assembly ideal-point estimates.
``blocs``
    Correlated votes through a council-wide factor and bloc factors (a Gaussian copula).
``record``
    Fitted to the Council's record for a period: consensus and contested drafts, each
    permanent member's negative votes, elected members by General Assembly ideal point.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from importlib import import_module
from typing import TYPE_CHECKING, Any

from councilsim._lazy import lazy_exports
from councilsim.errors import ScenarioError
from councilsim.models._params import Prob, VoteProbs
from councilsim.models.base import Sampler, VoteModel

if TYPE_CHECKING:
    from councilsim.models.blocs import BlocsModel
    from councilsim.models.independent import ImpartialModel, PropensityModel
    from councilsim.models.record import RecordModel
    from councilsim.models.spatial import Normal, SpatialModel

__all__ = [
    "MODELS",
    "BlocsModel",
    "ImpartialModel",
    "Normal",
    "Prob",
    "PropensityModel",
    "RecordModel",
    "Sampler",
    "SpatialModel",
    "VoteModel",
    "VoteProbs",
    "build_model",
    "model_class",
]

_WHERE = {
    "impartial": ("independent", "ImpartialModel"),
    "propensity": ("independent", "PropensityModel"),
    "spatial": ("spatial", "SpatialModel"),
    "blocs": ("blocs", "BlocsModel"),
    "record": ("record", "RecordModel"),
}
"""Each model's name, and the module and class that implement it."""


class _Registry(Mapping[str, type[VoteModel]]):
    """The models by name, each module imported when its model is first looked up (a scenario
    naming ``impartial`` does not load the samplers of the correlated models)."""

    def __getitem__(self, name: str) -> type[VoteModel]:
        module, cls = _WHERE[name]
        found: type[VoteModel] = getattr(import_module(f"{__name__}.{module}"), cls)
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(_WHERE)

    def __len__(self) -> int:
        return len(_WHERE)


MODELS: Mapping[str, type[VoteModel]] = _Registry()
"""The vote models by name; each class's docstring documents its parameters."""

__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "blocs": ("BlocsModel",),
        "independent": ("ImpartialModel", "PropensityModel"),
        "record": ("RecordModel",),
        "spatial": ("Normal", "SpatialModel"),
    },
)


def model_class(name: str, where: str = "simulation.model") -> type[VoteModel]:
    """The model class registered under ``name``."""
    try:
        return MODELS[name]
    except (KeyError, TypeError):
        raise ScenarioError(
            f"unknown vote model {name!r}", key=where, fix=f"use one of: {', '.join(MODELS)}"
        ) from None


def build_model(name: str, params: Mapping[str, Any] | None = None) -> VoteModel:
    """A model from its name and a ``[simulation.params]``-style table."""
    return model_class(name).from_params(params or {})
