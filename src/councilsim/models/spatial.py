"""The ``spatial`` vote model: members vote for the alternative nearer their ideal point.

Each member has an ideal point in a policy space of one or more dimensions. Each draft pits a
proposal ``y`` against the status quo ``s``; member ``i`` with ideal point ``x`` gains

    Δ = ‖x − s‖² − ‖x − y‖²

from adopting it (quadratic spatial utility, Enelow & Hinich 1984), plus a random-utility
shock ``ε ~ N(0, noise²)`` drawn for each member and draft (Poole & Rosenthal 1985, 1997).
The member votes yes if ``Δ + ε > indifference``, no if ``Δ + ε < −indifference`` and abstains
in between; independently of that it is absent with probability ``absent``.

References
----------
Enelow, J. M. & Hinich, M. J. (1984). *The Spatial Theory of Voting: An Introduction*.
Cambridge University Press.
Poole, K. T. & Rosenthal, H. (1985). A spatial model for legislative roll call analysis.
*American Journal of Political Science* 29(2), 357–384.
Poole, K. T. & Rosenthal, H. (1997). *Congress: A Political-Economic History of Roll Call
Voting*. Oxford University Press.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, ClassVar, Self

import numpy as np
from numpy.typing import NDArray

from councilsim.council import Council
from councilsim.errors import ScenarioError
from councilsim.models import idealpoints
from councilsim.models._params import (
    PARAMS,
    Prob,
    key,
    resolve_member,
    to_float,
    to_point,
    to_prob,
)
from councilsim.models.base import VoteModel, prob_number
from councilsim.validate import to_int, to_str, to_table, unknown_keys

MAX_DIMENSIONS = 16

Point = tuple[float, ...]


@dataclass(frozen=True)
class Normal:
    """A normal distribution with independent coordinates: per-dimension means and sds.

    A one-element tuple stands for the same value in every dimension.
    """

    mean: Point = (0.0,)
    sd: Point = (1.0,)

    def params(self) -> dict[str, list[float]]:
        return {"mean": list(self.mean), "sd": list(self.sd)}


@dataclass(frozen=True)
class SpatialSampler:
    """Spatial votes for one council (see :mod:`councilsim.models.spatial`)."""

    size: int
    fixed: NDArray[np.intp]
    points: NDArray[np.float64]
    free: NDArray[np.intp]
    free_mean: NDArray[np.float64]
    free_sd: NDArray[np.float64]
    status_quo: NDArray[np.float64] | None
    status_quo_mean: NDArray[np.float64]
    status_quo_sd: NDArray[np.float64]
    proposal_mean: NDArray[np.float64]
    proposal_sd: NDArray[np.float64]
    noise: float
    indifference: float
    absent: float

    def sample(self, rng: np.random.Generator, n: int) -> NDArray[np.int8]:
        d = self.proposal_mean.shape[0]
        y = self.proposal_mean + self.proposal_sd * rng.standard_normal((n, d))
        if self.status_quo is not None:
            s = np.broadcast_to(self.status_quo, (n, d))
        else:
            s = self.status_quo_mean + self.status_quo_sd * rng.standard_normal((n, d))
        shift = np.einsum("nd,nd->n", s, s) - np.einsum("nd,nd->n", y, y)
        toward = 2.0 * (y - s)
        gain = np.empty((n, self.size), dtype=np.float64)
        if self.fixed.size:
            gain[:, self.fixed] = toward @ self.points.T + shift[:, None]
        if self.free.size:
            x = self.free_mean + self.free_sd * rng.standard_normal((n, self.free.size, d))
            gain[:, self.free] = np.einsum("nmd,nd->nm", x, toward) + shift[:, None]
        if self.noise > 0:
            gain += self.noise * rng.standard_normal((n, self.size))
        h = self.indifference
        votes = np.full((n, self.size), 2, dtype=np.int8)  # abstain inside the band
        votes[gain > h] = 0
        votes[gain < -h] = 1
        if self.absent > 0:
            votes[rng.random((n, self.size)) < self.absent] = 3
        return votes


@dataclass(frozen=True)
class SpatialModel(VoteModel):
    """Spatial voting with quadratic utility and random-utility noise.

    Ideal points come, in this order of precedence, from ``ideal_points`` (per member), from a
    General Assembly ideal-point CSV (``ideal_points_file`` and ``year``; one dimension), and
    otherwise from ``ideal_distribution``, drawn afresh for every draft, so that results
    average over what is not known about those members' positions. With a CSV, an open seat
    (no holder) takes the median ideal point of its regional group's UN members that year
    (of all members if the seat has no region); a named holder without a value that year is
    an error (set its point with ``ideal_points``).

    Parameters (``[simulation.params]``)
    ------------------------------------
    dimensions : int, default: inferred (1)
        Dimensions of the policy space.
    ideal_points : table
        ``{USA = [1.2], RUS = -1.0, elected-3 = [0.1]}``: a point (a number or one number per
        dimension) for a holder code or seat label.
    ideal_points_file : str
        Path of an ideal-point CSV in the published format (relative to the current folder).
    year : int
        The year of the CSV to use (required with ``ideal_points_file``).
    column : str, default "idealpointall"
        The CSV column to read.
    ideal_distribution : table, default {mean = 0, sd = 1}
        Normal distribution of the members with no fixed point.
    status_quo : number, list or table, default 0
        A fixed point, or ``{mean = ..., sd = ...}`` to draw it for every draft.
    proposal : table, default {mean = 0, sd = 1}
        Normal distribution of the proposal (a number or list fixes it).
    noise : float >= 0, default 0.5
        Standard deviation of the random-utility shock, in units of squared distance.
    indifference : float >= 0, default 0
        Half-width of the band of utility gains in which a member abstains.
    absent : probability, default 0
        Probability that a member is absent, independently of everything else.
    """

    name: ClassVar[str] = "spatial"
    dimensions: int | None = None
    ideal_points: Mapping[str, Point] = field(default_factory=dict)
    ideal_points_file: str | None = None
    year: int | None = None
    column: str = idealpoints.DEFAULT_COLUMN
    ideal_distribution: Normal = Normal()
    status_quo: Point | Normal = (0.0,)
    proposal: Normal = Normal()
    noise: float = 0.5
    indifference: float = 0.0
    absent: Prob = Fraction(0)

    def __post_init__(self) -> None:
        object.__setattr__(self, "absent", to_prob(self.absent, key("absent")))
        for name in ("noise", "indifference"):
            object.__setattr__(self, name, to_float(getattr(self, name), key(name), low=0.0))
        if (self.ideal_points_file is None) != (self.year is None):
            missing = "year" if self.year is None else "ideal_points_file"
            raise ScenarioError(
                "ideal_points_file and year go together",
                key=key(missing),
                fix="give both (on the command line: --ideal-points FILE --year Y)",
            )
        dims = self.space_dimensions()
        if self.ideal_points_file is not None and dims != 1:
            raise ScenarioError(
                f"the ideal-point file has one dimension, not {dims}",
                key=key("dimensions"),
                fix="use one dimension with ideal_points_file",
            )

    def space_dimensions(self) -> int:
        """The dimensions of the space: ``dimensions``, or the longest point given."""
        dists = [self.ideal_distribution, self.proposal]
        points = [*self.ideal_points.values()]
        if isinstance(self.status_quo, Normal):
            dists.append(self.status_quo)
        else:
            points.append(self.status_quo)
        lengths = [len(p) for p in points] + [len(v) for d in dists for v in (d.mean, d.sd)]
        dims = self.dimensions or max(lengths, default=1)
        for length in lengths:
            if length not in (1, dims):
                raise ScenarioError(
                    f"a point or distribution has {length} coordinates in {dims} dimensions",
                    key=key("dimensions"),
                    fix=f"give {dims} numbers (or one) everywhere",
                )
        return dims

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> Self:
        allowed = (
            "dimensions",
            "ideal_points",
            "ideal_points_file",
            "year",
            "column",
            "ideal_distribution",
            "status_quo",
            "proposal",
            "noise",
            "indifference",
            "absent",
        )
        unknown_keys(params, allowed, PARAMS)
        args: dict[str, Any] = {}
        if "dimensions" in params:
            args["dimensions"] = to_int(params["dimensions"], key("dimensions"), 1, MAX_DIMENSIONS)
        dims = args.get("dimensions")
        if "ideal_points" in params:
            table = to_table(params["ideal_points"], key("ideal_points"))
            args["ideal_points"] = {
                k: to_point(v, key("ideal_points", k), dims) for k, v in table.items()
            }
        if "ideal_points_file" in params:
            args["ideal_points_file"] = to_str(
                params["ideal_points_file"], key("ideal_points_file")
            )
        if "year" in params:
            args["year"] = to_int(params["year"], key("year"), 1900, 2200)
        if "column" in params:
            args["column"] = to_str(params["column"], key("column"))
        for name in ("ideal_distribution", "proposal"):
            if name in params:
                args[name] = _distribution(params[name], key(name), dims)
        if "status_quo" in params:
            args["status_quo"] = _distribution(
                params["status_quo"], key("status_quo"), dims, fixed_as_point=True
            )
        for name in ("noise", "indifference"):
            if name in params:
                args[name] = to_float(params[name], key(name), low=0.0)
        if "absent" in params:
            args["absent"] = to_prob(params["absent"], key("absent"), toml=True)
        return cls(**args)

    def params(self) -> dict[str, Any]:
        sq = self.status_quo
        return {
            "dimensions": self.space_dimensions(),
            "ideal_points": {k: list(v) for k, v in self.ideal_points.items()},
            "ideal_points_file": self.ideal_points_file,
            "year": self.year,
            "column": self.column,
            "ideal_distribution": self.ideal_distribution.params(),
            "status_quo": sq.params() if isinstance(sq, Normal) else list(sq),
            "proposal": self.proposal.params(),
            "noise": self.noise,
            "indifference": self.indifference,
            "absent": prob_number(self.absent),
        }

    def resolved_points(self, council: Council) -> list[Point | None]:
        """Each seat's fixed ideal point, or ``None`` where it is drawn from the distribution."""
        dims = self.space_dimensions()
        out: list[Point | None] = [None] * council.size
        if self.ideal_points_file is not None and self.year is not None:
            where = key("ideal_points_file")
            values = idealpoints.read_year(self.ideal_points_file, self.year, self.column, where)
            for i, seat in enumerate(council.seats):
                if seat.holder is None:
                    out[i] = (idealpoints.group_median(values, seat.region),)
                    continue
                value = idealpoints.holder_point(values, seat.holder)
                if value is None:
                    raise ScenarioError(
                        f"{seat.holder} has no ideal point for {self.year} in the file",
                        key=key("ideal_points", seat.holder),
                        fix=f"set ideal_points.{seat.holder} or choose another year",
                    )
                out[i] = (value,)
        for name, point in self.ideal_points.items():
            for i in resolve_member(council, name, key("ideal_points", name)):
                out[i] = _broadcast(point, dims)
        return out

    def sampler(self, council: Council) -> SpatialSampler:
        dims = self.space_dimensions()
        points = self.resolved_points(council)
        fixed = [i for i, p in enumerate(points) if p is not None]
        free = [i for i, p in enumerate(points) if p is None]
        sq = self.status_quo

        def arr(values: Point) -> NDArray[np.float64]:
            return np.array(_broadcast(values, dims), dtype=np.float64)

        return SpatialSampler(
            size=council.size,
            fixed=np.array(fixed, dtype=np.intp),
            points=np.array([points[i] for i in fixed], dtype=np.float64).reshape(len(fixed), dims),
            free=np.array(free, dtype=np.intp),
            free_mean=arr(self.ideal_distribution.mean),
            free_sd=arr(self.ideal_distribution.sd),
            status_quo=None if isinstance(sq, Normal) else arr(sq),
            status_quo_mean=arr(sq.mean if isinstance(sq, Normal) else (0.0,)),
            status_quo_sd=arr(sq.sd if isinstance(sq, Normal) else (0.0,)),
            proposal_mean=arr(self.proposal.mean),
            proposal_sd=arr(self.proposal.sd),
            noise=float(self.noise),
            indifference=float(self.indifference),
            absent=float(self.absent),
        )


def _broadcast(point: Point, dims: int) -> Point:
    return point * dims if len(point) == 1 else point


def _distribution(
    raw: Any, where: str, dims: int | None, *, fixed_as_point: bool = False
) -> Normal | Point:
    """A table ``{mean, sd}`` as a :class:`Normal`; a number or list as a fixed point."""
    if not isinstance(raw, Mapping):
        point = to_point(raw, where, dims)
        return point if fixed_as_point else Normal(point, (0.0,))
    unknown_keys(raw, ("mean", "sd"), where)
    mean = to_point(raw.get("mean", 0.0), f"{where}.mean", dims)
    sd = to_point(raw.get("sd", 1.0), f"{where}.sd", dims)
    if min(sd) < 0:
        raise ScenarioError(
            "a standard deviation is negative", key=f"{where}.sd", fix="give sd >= 0"
        )
    return Normal(mean, sd)
