"""The ``record`` vote model: how members voted on the drafts that reached a vote, fitted by period.

A draft is either **consensus** (probability ``consensus``): negotiated to unanimity, every
member present votes yes; or **contested**. A contested draft has a side: it is backed by the
western camp (probability ``west``) or by the other, and it is opposed, to a degree, by the
permanent members of the other camp (the USA, the UK and France form the western camp; the
USSR/Russia and China the other) and by elected members according to their General Assembly
ideal point (Bailey, Strezhnev & Voeten 2017; the USA sits at the positive end). Member ``i``
has a latent stance against the draft

    z_i = μ_i + c·g + √(1 − c²)·ε_i,

``g`` a draft-level common factor (how divisive the draft is: abstentions and negative votes
cluster on the same drafts), ``ε_i`` the member's own shock, both standard normal. For a
permanent member of the opposing camp ``μ_i`` is its own fitted ``veto`` intercept (which fixes
its rate of negative votes); a permanent member backing the draft votes yes. Every other seat
has ``μ_i = elected + slope·m_i``, with ``m_i`` its ideal point standardised over the period's
elected members (``center``, ``scale``) and signed against the draft's side. The member votes
yes when ``z_i < 0``, abstains when ``0 ≤ z_i < band`` and votes no above; independently it is
absent with probability ``absent``.

Seats whose holders have no Council record as permanent members (new permanent members,
long-term seats) take their ideal point, averaged over the period, from a table derived from
the General Assembly data; open seats, and elected seats (whose holders change every two
years) unless ``elected_holders`` is set, draw a member of their regional group (of all members
if the seat has no group) afresh for each draft. The fitted numbers of the presets, with those
ideal points, ship in ``councilsim/data/record_presets.toml``;
:mod:`councilsim.models.record_fit` rebuilds it from the user's copies of the record
(``councilsim fit``), in the same format as the files it writes for any other period.

References
----------
Bailey, M. A., Strezhnev, A. & Voeten, E. (2017). Estimating dynamic state preferences from
United Nations voting data. *Journal of Conflict Resolution* 61(2), 430–456.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, ClassVar, Self

import numpy as np
from numpy.typing import NDArray

from councilsim.council import Council, Region, SeatKind
from councilsim.errors import ScenarioError
from councilsim.files import package_data
from councilsim.models._params import PARAMS, key
from councilsim.models.base import VoteModel
from councilsim.states import all_states
from councilsim.validate import to_bool, to_str, unknown_keys

__all__ = [
    "CAMPS",
    "PRESETS_FILE",
    "RecordModel",
    "RecordParams",
    "RecordSampler",
    "Roles",
    "draw_latent",
    "load_params_file",
    "parse_presets",
    "preset",
    "presets",
    "read_params",
    "roles_for",
]

PRESETS_FILE = "record_presets.toml"
CAMPS = {"USA": 1, "GBR": 1, "FRA": 1, "RUS": -1, "CHN": -1}
"""The camp of each permanent member: +1 western, −1 the other (the USSR's seat is ``RUS``)."""

_ALIASES = {"SUN": "RUS"}
BACKING = -30.0
"""The stance of a permanent member on a draft its camp backs: always yes."""


@dataclass(frozen=True)
class RecordParams:
    """The fitted numbers of one period (see :mod:`councilsim.models.record`)."""

    period: str
    consensus: float
    west: float
    common: float
    band: float
    elected: float
    slope: float
    center: float
    scale: float
    absent: float
    veto: Mapping[str, float]
    ideal_points: Mapping[str, float] = field(default_factory=dict, compare=False)
    elected_years: Mapping[str, int] = field(default_factory=dict, compare=False)

    def numbers(self) -> dict[str, Any]:
        """The fitted numbers as plain data (without the ideal-point table)."""
        return {
            "period": self.period,
            "consensus": self.consensus,
            "west": self.west,
            "common": self.common,
            "band": self.band,
            "elected": self.elected,
            "slope": self.slope,
            "center": self.center,
            "scale": self.scale,
            "absent": self.absent,
            "veto": dict(self.veto),
        }


_NUMBERS = ("consensus", "west", "common", "band", "elected", "slope", "center", "scale", "absent")


def read_params(
    doc: Mapping[str, Any],
    ideal: Mapping[str, float],
    where: str,
    elected_years: Mapping[str, int] | None = None,
) -> RecordParams:
    """One period's numbers from a TOML table (a preset, or a file ``councilsim fit`` wrote)."""
    try:
        values = {k: float(doc[k]) for k in _NUMBERS}
        veto = {c: float(doc["veto"][c]) for c in CAMPS}
        period = str(doc["period"])
    except (KeyError, TypeError, ValueError) as err:
        raise ScenarioError(
            f"the record model's parameters lack or misstate {err}",
            key=where,
            fix="use a file written by 'councilsim fit'",
        ) from None
    if not (
        0 <= values["consensus"] <= 1
        and 0 <= values["west"] <= 1
        and 0 <= values["common"] < 1
        and 0 <= values["absent"] < 1
        and values["band"] > 0
        and values["scale"] > 0
    ):
        raise ScenarioError(
            "consensus, west, common and absent must lie in 0..1, band and scale above 0",
            key=where,
            fix="refit the period with 'councilsim fit'",
        )
    years = dict(elected_years or {})
    return RecordParams(
        period=period, veto=veto, ideal_points=dict(ideal), elected_years=years, **values
    )


@cache
def presets() -> dict[str, RecordParams]:
    """The shipped presets by period (``1946-1989``, ``1990-2010``, ``2011-2022``)."""
    text = package_data(PRESETS_FILE)
    return parse_presets(tomllib.loads(text), PRESETS_FILE)


def parse_presets(doc: Mapping[str, Any], where: str) -> dict[str, RecordParams]:
    """The ``[presets."<period>"]`` tables of a parameter file, by period."""
    tables = doc.get("presets")
    if not isinstance(tables, Mapping) or not tables:
        raise ScenarioError(
            'has no [presets."<period>"] table',
            file=where,
            fix="give a file 'councilsim fit' wrote",
        )
    out = {}
    for name, table in tables.items():
        where_name = f"{where}: presets.{name}"
        if not isinstance(table, Mapping):
            raise ScenarioError("is not a table", file=where, key=f"presets.{name}")
        try:
            ideal = {str(k): float(v) for k, v in table.get("ideal_points", {}).items()}
            years = {str(k): int(v) for k, v in table.get("elected_years", {}).items()}
        except (AttributeError, TypeError, ValueError):
            raise ScenarioError(
                "ideal_points and elected_years must be tables of numbers",
                key=where_name,
                fix="use a file written by 'councilsim fit'",
            ) from None
        out[str(name)] = read_params(table, ideal, where_name, years)
    return out


def preset(
    period: str, where: str = key("period"), table: Mapping[str, RecordParams] | None = None
) -> RecordParams:
    """The preset of ``period`` (from ``table``, by default the shipped presets)."""
    table = presets() if table is None else table
    if period not in table:
        raise ScenarioError(
            f"no preset for the period {period!r}",
            key=where,
            fix=f"use one of: {', '.join(table)}, or fit one with 'councilsim fit' and use its "
            "file (--param file=FILE; replay --params FILE)",
        )
    return table[period]


@dataclass(frozen=True)
class Roles:
    """Each seat's role in the model: a permanent member's camp and intercept, or a position.

    ``camp`` is ±1 for a permanent member with a record, 0 otherwise; ``veto_mu`` its
    intercept; ``point`` a fixed standardised ideal point (``nan`` for an open seat, whose
    point is drawn from ``pools[pool]``).
    """

    camp: NDArray[np.int8]
    veto_mu: NDArray[np.float64]
    point: NDArray[np.float64]
    pool: NDArray[np.intp]
    pools: tuple[NDArray[np.float64], ...]


def roles_for(
    holders: tuple[str | None, ...], regions: tuple[Region | None, ...], params: RecordParams
) -> Roles:
    """The roles of seats given by holder codes (``None`` open) and regional groups."""
    m = len(holders)
    camp = np.zeros(m, dtype=np.int8)
    veto_mu = np.zeros(m)
    point = np.full(m, np.nan)
    pool = np.full(m, -1, dtype=np.intp)
    pools: list[NDArray[np.float64]] = []
    pool_of: dict[Region | None, int] = {}
    for i, (holder, region) in enumerate(zip(holders, regions, strict=True)):
        code = _ALIASES.get((holder or "").upper(), (holder or "").upper())
        if code in CAMPS:
            camp[i], veto_mu[i] = CAMPS[code], params.veto[code]
        elif code and code in params.ideal_points:
            point[i] = (params.ideal_points[code] - params.center) / params.scale
        else:
            if region not in pool_of:
                pool_of[region] = len(pools)
                pools.append(_pool(region, params))
            pool[i] = pool_of[region]
    return Roles(camp, veto_mu, point, pool, tuple(pools))


def _pool(region: Region | None, params: RecordParams) -> NDArray[np.float64]:
    """The ideal points an open seat of ``region`` draws from: each state of the group that sat
    in the period as often as it sat (its years as an elected member), else every state of the
    group once."""
    codes = sorted(s.iso3 for s in all_states() if region is None or s.group == region)
    known = [c for c in codes if c in params.ideal_points]
    weights = [params.elected_years.get(c, 0) for c in known]
    if sum(weights) == 0:
        weights = [1] * len(known)
    values = np.repeat([params.ideal_points[c] for c in known], weights)
    if values.size == 0:
        values = np.array(list(params.ideal_points.values()) or [params.center])
    return (np.sort(values) - params.center) / params.scale


def draw_latent(
    params: RecordParams, roles: Roles, rng: np.random.Generator, n: int
) -> tuple[NDArray[np.int8], NDArray[np.bool_], NDArray[np.int8], NDArray[np.float64]]:
    """Votes on ``n`` drafts and the draft-level state behind them.

    Returns the ``(n, seats)`` vote codes (0 yes, 1 no, 2 abstain, 3 absent), whether each
    draft is contested, its side (+1 backed by the western camp) and its common factor.
    """
    m = roles.camp.size
    contested = rng.random(n) >= params.consensus
    side = np.where(rng.random(n) < params.west, 1, -1).astype(np.int8)
    g = rng.standard_normal(n)
    eps = rng.standard_normal((n, m))
    absent = rng.random((n, m)) < params.absent
    point = np.broadcast_to(roles.point, (n, m)).copy()
    for k, values in enumerate(roles.pools):
        cols = np.flatnonzero(roles.pool == k)
        point[:, cols] = values[rng.integers(0, values.size, (n, cols.size))]
    votes = stances_to_votes(params, roles, contested, side, g, eps, point)
    votes[absent] = 3
    return votes, contested, side, g


def stances_to_votes(
    params: RecordParams,
    roles: Roles,
    contested: NDArray[np.bool_],
    side: NDArray[np.int8],
    g: NDArray[np.float64],
    eps: NDArray[np.float64],
    point: NDArray[np.float64],
) -> NDArray[np.int8]:
    """Votes from the latent stances (the formula of the module docstring).

    The stances are formed in place, :data:`ROWS` drafts at a time (small arrays stay in the
    processor's caches and need no fresh pages), each operation the same as written out
    (``elected − slope·s·m``, then ``+ c·g``, then ``+ √(1 − c²)·ε``), so the votes are those
    of the formula to the last bit, in about half the time."""
    n = side.size
    votes = np.empty(point.shape, dtype=np.int8)
    p5 = np.flatnonzero(roles.camp != 0)
    c = params.common
    spread = math.sqrt(1.0 - c * c)
    for a in range(0, n, ROWS):
        b = min(n, a + ROWS)
        z = point[a:b] * (params.slope * side[a:b].astype(np.float64))[:, None]
        np.subtract(params.elected, z, out=z)
        for j in p5:  # a permanent member opposes a draft of the other camp
            opposes = side[a:b] != roles.camp[j]
            z[:, j] = np.where(opposes, roles.veto_mu[j], BACKING)
        z += (c * g[a:b])[:, None]
        z += spread * eps[a:b]
        # yes (0) below 0, abstain (2) from 0 to the band, no (1) from the band
        at_least_zero = z >= 0
        part = votes[a:b]
        np.multiply(at_least_zero.view(np.int8), np.int8(2), out=part)
        part -= (z >= params.band) & at_least_zero
        part *= contested[a:b, None]  # consensus: every member votes yes
    return votes


ROWS = 1024
"""Drafts whose stances :func:`stances_to_votes` forms at a time."""


@dataclass(frozen=True)
class RecordSampler:
    """Votes of the ``record`` model for one council."""

    size: int
    params: RecordParams
    roles: Roles

    def sample(self, rng: np.random.Generator, n: int) -> NDArray[np.int8]:
        return draw_latent(self.params, self.roles, rng, n)[0]


@dataclass(frozen=True)
class RecordModel(VoteModel):
    """Voting as the Council's record shows it, for a period (see :mod:`councilsim.models.record`).

    Parameters (``[simulation.params]``)
    ------------------------------------
    period : str, default ``"2011-2022"``
        A shipped preset: ``1946-1989``, ``1990-2010`` or ``2011-2022``.
    file : str
        Instead of a preset, a parameter file written by ``councilsim fit``.
    elected_holders : bool, default false
        Give elected seats their named holders' ideal points instead of drawing a member of
        the seat's regional group for each draft (holders rotate; the presets are fitted to
        the members who sat over the whole period).
    """

    name: ClassVar[str] = "record"
    fitted: RecordParams = field(default_factory=lambda: preset("2011-2022"))
    file: str = ""
    elected_holders: bool = False

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> Self:
        unknown_keys(params, ("period", "file", "elected_holders"), PARAMS)
        named = to_bool(params.get("elected_holders", False), key("elected_holders"))
        table: Mapping[str, RecordParams] | None = None
        path = ""
        if "file" in params:
            path = to_str(params["file"], key("file"))
            table = load_params_file(path, key("file"))
        if "period" in params or table is None:
            period = to_str(params.get("period", "2011-2022"), key("period"))
        else:
            period = next(iter(table))
        return cls(preset(period, key("period"), table), path, named)

    def params(self) -> dict[str, Any]:
        out: dict[str, Any] = {"period": self.fitted.period}
        if self.file:
            out["file"] = self.file
        if self.elected_holders:
            out["elected_holders"] = True
        return out

    def sampler(self, council: Council) -> RecordSampler:
        holders = tuple(
            s.holder if self.elected_holders or s.kind is not SeatKind.ELECTED else None
            for s in council.seats
        )
        regions = tuple(s.region for s in council.seats)
        return RecordSampler(council.size, self.fitted, roles_for(holders, regions, self.fitted))


def load_params_file(path: str, where: str) -> dict[str, RecordParams]:
    """The periods of a parameter file written by ``councilsim fit``."""
    try:
        doc = tomllib.loads(Path(path).read_text("utf-8"))
    except OSError as err:
        raise ScenarioError(
            f"cannot read {path!r}: {err.strerror}",
            key=where,
            fix="give a file 'councilsim fit' wrote",
        ) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise ScenarioError(f"is not valid TOML: {err}", file=path, key=where) from None
    return parse_presets(doc, path)
