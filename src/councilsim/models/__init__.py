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

from collections.abc import Mapping
from typing import Any

from councilsim.errors import ScenarioError
from councilsim.models._params import Prob, VoteProbs
from councilsim.models.base import Sampler, VoteModel
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

MODELS: dict[str, type[VoteModel]] = {
    ImpartialModel.name: ImpartialModel,
    PropensityModel.name: PropensityModel,
    SpatialModel.name: SpatialModel,
    BlocsModel.name: BlocsModel,
    RecordModel.name: RecordModel,
}
"""The vote models by name; each class's docstring documents its parameters."""


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
