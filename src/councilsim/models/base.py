"""The interface every vote model implements, and the sampler it hands to the simulator."""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Mapping
from fractions import Fraction
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, Self

from councilsim.council import Council
from councilsim.models._params import Prob, VoteProbs

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray


class Sampler(Protocol):
    """Draws the votes of a council's members on many drafts.

    A sampler is bound to one council, is picklable (the simulator ships it to worker
    processes) and is deterministic given the generator it is handed.
    """

    @property
    def size(self) -> int:
        """The number of seats it draws votes for."""
        ...

    def sample(self, rng: np.random.Generator, n: int) -> NDArray[np.int8]:
        """Votes on ``n`` drafts: an ``(n, size)`` array of :class:`~councilsim.rule.Vote` codes."""
        ...


class VoteModel(ABC):
    """A vote model: how the members of a council vote on a draft.

    Subclasses are frozen dataclasses of parameters that do not depend on the council;
    :meth:`sampler` binds them to a council (resolving class ids, holder codes and data files,
    and raising :class:`~councilsim.errors.ScenarioError` for names the council lacks).
    """

    name: ClassVar[str]
    """The stable name the model is chosen by (``model = "..."`` in a scenario)."""

    @classmethod
    @abstractmethod
    def from_params(cls, params: Mapping[str, Any]) -> Self:
        """Build the model from a scenario's ``[simulation.params]`` table (checked strictly)."""

    @abstractmethod
    def params(self) -> dict[str, Any]:
        """The parameters, as plain data for output (JSON)."""

    @abstractmethod
    def sampler(self, council: Council) -> Sampler:
        """A sampler of this model's votes for ``council``."""

    def check(self, council: Council) -> None:
        """Raise :class:`~councilsim.errors.ScenarioError` for class ids, member names or data
        files that do not fit ``council`` (the scenario reader calls it).

        By default the model binds a sampler to the council; a model that can check its
        names without one (the independent models) does so, without loading numpy.
        """
        self.sampler(council)

    def probabilities(self, council: Council) -> tuple[VoteProbs, ...] | None:
        """Each member's vote probabilities, if members vote independently; else ``None``.

        Independent models get the exact engine and the simulator's count-based fast path.
        """
        return None


def prob_number(value: Prob) -> float | int:
    """A probability as a JSON number (model parameters are written as numbers, not as the
    ``"p/q"`` text :func:`councilsim.formatting.plain` gives exact values)."""
    if isinstance(value, Fraction) and value.denominator == 1:
        return int(value)
    return float(value)


def normal_quantile(p: float) -> float:
    """The standard normal quantile of ``p``, with -inf at 0 and +inf at 1 (the thresholds of
    the Gaussian-copula models: ``blocs`` and the amendment's passage model).

    >>> normal_quantile(0.5), normal_quantile(0.0), normal_quantile(1.0)
    (0.0, -inf, inf)
    """
    if p <= 0.0:
        return -math.inf
    if p >= 1.0:
        return math.inf
    from statistics import NormalDist  # here: most commands never need a quantile

    return NormalDist().inv_cdf(p)
