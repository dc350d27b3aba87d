"""Fitting the ``record`` model to a period of the Council's record (simulated moments).

The record gives, per voted draft, its outcome and its tally (yes, no, abstentions), and, per
vetoed draft, which permanent members voted no; it does not give how each elected member voted.
The fit therefore matches what the record does give, each as a mean over the period's drafts
(:data:`MOMENTS`): the shares adopted and vetoed, of unanimous drafts, of drafts with several
vetoers, with many negative votes and with many abstentions; the mean shares of negative votes
and abstentions; and each permanent member's negative votes on vetoed drafts (from the veto
list). The model is simulated on a reference council of today's shape (five permanent members,
ten elected members drawn for each draft from the members who sat in the period, with their
General Assembly ideal points of the year), with common random numbers, and the squared
differences from the record, each divided by its standard error in the record, are minimised
by the Nelder–Mead simplex method (Nelder & Mead 1965). The absence rate is the record's own.

References
----------
Nelder, J. A. & Mead, R. (1965). A simplex method for function minimization. *The Computer
Journal* 7(4), 308–313.
McFadden, D. (1989). A method of simulated moments for estimation of discrete response models
without numerical integration. *Econometrica* 57(5), 995–1026.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from councilsim.errors import ScenarioError
from councilsim.models.record import CAMPS, RecordParams
from councilsim.records import P5, Draft, Period, Record

__all__ = [
    "MOMENTS",
    "Fit",
    "fit_period",
    "model_moments",
    "period_ideal_points",
    "presets_toml",
    "record_moments",
]

MOMENTS = (
    "adopted",
    "vetoed",
    "unanimous",
    "no_share",
    "abstain_share",
    "many_no",
    "many_abstain",
    "multi_veto",
    *(f"veto_{c}" for c in P5),
)
"""The figures matched, each a mean over drafts (``veto_USA``: the USA's vetoes per draft)."""

_WEIGHT = {"adopted": 10.0, "vetoed": 10.0}
DRAWS = 24_000
SEED = 20_240_613
QUOTA = 9
SEATS = 15


def _size(year: int) -> int:
    """Members in a year: 11 until 1965, 15 from 1966 (GA res. 1991 A (XVIII))."""
    return 11 if year <= 1965 else 15


def _tally(d: Draft) -> tuple[int, int, int, int]:
    size = _size(d.year)
    if d.yes is None or d.no is None or d.abstain is None:
        return size, 0, 0, size  # "adopted unanimously"
    return d.yes, d.no, d.abstain, size


def record_moments(record: Record, period: Period) -> tuple[dict[str, float], dict[str, float]]:
    """The record's figures for a period and their standard errors (see :data:`MOMENTS`)."""
    drafts = record.period(period)
    if not drafts:
        raise ScenarioError(
            f"the outcomes file has no drafts in {period}",
            key="--period",
            fix="choose years it covers",
        )
    n = len(drafts)
    rows: dict[str, list[float]] = {m: [] for m in MOMENTS[:8]}
    for d in drafts:
        _, no, a, size = _tally(d)
        rows["adopted"].append(d.kind == "resolution")
        rows["vetoed"].append(d.kind == "vetoed")
        rows["unanimous"].append(no == 0 and a == 0)
        rows["no_share"].append(no / size)
        rows["abstain_share"].append(a / size)
        rows["many_no"].append(no / size >= 0.2)
        rows["many_abstain"].append(a / size >= 0.2)
        rows["multi_veto"].append(d.kind == "vetoed" and len(d.vetoed_by) >= 2)
    mean = {k: float(np.mean(v)) for k, v in rows.items()}
    se = {k: max(float(np.std(v)) / math.sqrt(n), 0.5 / n) for k, v in rows.items()}
    for code, count in record.veto_counts(period).items():
        mean[f"veto_{code}"] = count / n
        se[f"veto_{code}"] = max(math.sqrt(count * (1 - count / n)) / n, 0.5 / n)
    return mean, se


def period_ideal_points(record: Record, period: Period) -> tuple[dict[str, float], list[float]]:
    """Each state's mean ideal point over the period, and the points of the elected members
    (one per member and year)."""
    sums: dict[str, list[float]] = {}
    for year, table in record.ideal_points.items():
        if year in period:
            for code, value in table.items():
                sums.setdefault(code, []).append(value)
    means = {c: float(np.mean(v)) for c, v in sorted(sums.items())}
    elected: list[float] = []
    for year, members in record.membership.items():
        if year not in period:
            continue
        points = record.ideal_points.get(year, {})
        for code, seat in members:
            found = points[code] if code in points else means.get(code)
            if seat == "elected" and found is not None:
                elected.append(found)
    if len(elected) < 10:
        raise ScenarioError(
            f"fewer than 10 elected members with ideal points in {period}",
            key="--membership",
            fix="give membership and ideal-point files that cover the period",
        )
    return means, elected


@dataclass(frozen=True)
class _Draws:
    """Common random numbers of the reference council (single precision: the loss is evaluated
    thousands of times)."""

    u_contested: NDArray[np.float64]
    u_side: NDArray[np.float64]
    g: NDArray[np.float32]
    eps: NDArray[np.float32]
    present: NDArray[np.bool_]
    point: NDArray[np.float32]


def _draws(elected: NDArray[np.float64], seed: int, n: int, absent: float) -> _Draws:
    """Draws for ``n`` drafts: the ten elected seats' standardised points drawn from ``elected``."""
    rng = np.random.default_rng(seed)
    point = elected[rng.integers(0, elected.size, (n, SEATS - 5))].astype(np.float32)
    return _Draws(
        rng.random(n),
        rng.random(n),
        rng.standard_normal(n, dtype=np.float32),
        rng.standard_normal((n, SEATS), dtype=np.float32),
        rng.random((n, SEATS)) >= absent,
        point,
    )


def model_moments(params: RecordParams, draws: _Draws) -> dict[str, float]:
    """The model's figures on the reference council (see :data:`MOMENTS`).

    The stances are those of :func:`councilsim.models.record.stances_to_votes`, for the five
    permanent members (in the order of :data:`~councilsim.records.P5`) and ten elected seats.
    """
    f32 = np.float32
    contested = (draws.u_contested >= params.consensus)[:, None]
    west = draws.u_side < params.west
    side = np.where(west, f32(1), f32(-1))
    c = params.common
    shared = (f32(c) * draws.g)[:, None]
    z = f32(math.sqrt(1.0 - c * c)) * draws.eps
    z += shared
    z[:, 5:] += f32(params.elected) - f32(params.slope) * side[:, None] * draws.point
    for k, code in enumerate(P5):
        opposes = west if CAMPS[code] < 0 else ~west
        z[:, k] += np.where(opposes, f32(params.veto[code]), f32(-30.0))
    no_votes = (z >= f32(params.band)) & contested & draws.present
    yes_votes = ((z < 0) | ~contested) & draws.present
    yes = yes_votes.sum(1)
    no = no_votes.sum(1)
    abstain = SEATS - yes - no - (~draws.present).sum(1)
    p5_no = no_votes[:, :5]
    quota = yes >= QUOTA
    vetoed = quota & p5_no.any(1)
    out = {
        "adopted": float(np.mean(quota & ~vetoed)),
        "vetoed": float(np.mean(vetoed)),
        "unanimous": float(np.mean((no == 0) & (abstain == 0))),
        "no_share": float(np.mean(no) / SEATS),
        "abstain_share": float(np.mean(abstain) / SEATS),
        "many_no": float(np.mean(no / SEATS >= 0.2)),
        "many_abstain": float(np.mean(abstain / SEATS >= 0.2)),
        "multi_veto": float(np.mean(vetoed & (p5_no.sum(1) >= 2))),
    }
    for k, code in enumerate(P5):
        out[f"veto_{code}"] = float(np.mean(quota & p5_no[:, k]))
    return out


@dataclass(frozen=True)
class Fit:
    """A fitted period: the parameters, the record's figures and the model's, and the loss."""

    params: RecordParams
    record: Mapping[str, float]
    model: Mapping[str, float]
    drafts: int
    loss: float


def _unpack(theta: NDArray[np.float64], base: RecordParams) -> RecordParams:
    def sig(x: float) -> float:
        return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, x))))

    t = [float(v) for v in theta]
    return RecordParams(
        period=base.period,
        consensus=sig(t[0]),
        west=sig(t[1]),
        common=0.95 * sig(t[2]),
        band=math.exp(max(-8.0, min(3.0, t[3]))),
        elected=t[4],
        slope=math.exp(max(-8.0, min(3.0, t[5]))),
        center=base.center,
        scale=base.scale,
        absent=base.absent,
        veto={c: t[6 + k] for k, c in enumerate(P5)},
        ideal_points=base.ideal_points,
        elected_years=base.elected_years,
    )


def fit_period(
    record: Record,
    period: Period,
    *,
    draws: int = DRAWS,
    seed: int = SEED,
    rounds: int = 2,
) -> Fit:
    """Fit the ``record`` model to ``period`` of the record (deterministic for a seed)."""
    target, se = record_moments(record, period)
    means, elected = period_ideal_points(record, period)
    points = np.array(elected)
    center, scale = float(points.mean()), float(points.std()) or 1.0
    absent = _absent_rate(record, period)
    years: dict[str, int] = {}
    for year, members in record.membership.items():
        if year in period:
            for code, seat in members:
                if seat == "elected":
                    years[code] = years.get(code, 0) + 1
    base = RecordParams(
        str(period),
        0.0,
        0.5,
        0.0,
        1.0,
        0.0,
        1.0,
        center,
        scale,
        absent,
        dict.fromkeys(P5, 0.0),
        means,
        years,
    )
    crn = _draws((points - center) / scale, seed, draws, absent)

    def loss(theta: NDArray[np.float64]) -> float:
        got = model_moments(_unpack(theta, base), crn)
        return sum(_WEIGHT.get(m, 1.0) * ((got[m] - target[m]) / se[m]) ** 2 for m in MOMENTS)

    pi0 = min(max(target["unanimous"], 0.05), 0.95)
    starts = [math.log(pi0 / (1 - pi0)) - 0.5, -1.5]
    best, theta = math.inf, np.zeros(11)
    for start in starts:  # two starting points: much or little of the unanimity is consensus
        x = np.array([start, 1.0, 1.5, 0.0, -1.0, -0.5] + [0.5] * 5)
        for _ in range(rounds):
            x, value = nelder_mead(loss, x, step=0.6, iterations=1200)
            improved = value < best - 1e-3
            if value < best:
                best, theta = value, x
            if not improved:
                break
    params = _unpack(theta, base)
    return Fit(params, target, model_moments(params, crn), len(record.period(period)), best)


def _absent_rate(record: Record, period: Period) -> float:
    gaps = []
    for d in record.period(period):
        y, no, a, size = _tally(d)
        gaps.append(max(0, size - y - no - a) / size)
    return float(np.mean(gaps))


def nelder_mead(
    f: Callable[[NDArray[np.float64]], float],
    x0: NDArray[np.float64],
    *,
    step: float = 0.5,
    iterations: int = 1000,
    tol: float = 1e-6,
) -> tuple[NDArray[np.float64], float]:
    """Minimise ``f`` from ``x0`` by the Nelder–Mead simplex (standard coefficients 1, 2, ½, ½)."""
    n = x0.size
    simplex = [x0.astype(np.float64)] + [x0 + step * np.eye(n)[i] for i in range(n)]
    values = [f(x) for x in simplex]
    for _ in range(iterations):
        order = np.argsort(values)
        simplex = [simplex[i] for i in order]
        values = [values[i] for i in order]
        if abs(values[-1] - values[0]) <= tol * (abs(values[0]) + tol):
            break
        centroid = np.mean(simplex[:-1], axis=0)
        reflected = centroid + (centroid - simplex[-1])
        fr = f(reflected)
        if fr < values[0]:
            expanded = centroid + 2.0 * (centroid - simplex[-1])
            fe = f(expanded)
            simplex[-1], values[-1] = (expanded, fe) if fe < fr else (reflected, fr)
        elif fr < values[-2]:
            simplex[-1], values[-1] = reflected, fr
        else:
            contracted = centroid + 0.5 * (simplex[-1] - centroid)
            fc = f(contracted)
            if fc < values[-1]:
                simplex[-1], values[-1] = contracted, fc
            else:
                simplex = [simplex[0] + 0.5 * (x - simplex[0]) for x in simplex]
                values = [values[0]] + [f(x) for x in simplex[1:]]
    i = int(np.argmin(values))
    return simplex[i], values[i]


def _num(x: float) -> str:
    return repr(round(float(x), 6))


def presets_toml(fits: list[Fit], files: Mapping[str, str], command: str) -> str:
    """The parameter file of fitted periods (the format of ``record_presets.toml``).

    It carries its sources, their terms and the command that rebuilds it; the record's
    figures and the model's for each period are comments, for reading only.
    """
    lines = [
        "# Fitted parameters of the 'record' vote model (councilsim.models.record).",
        "# Derived numbers only; no row of the record is copied here.",
        "# Sources: " + ", ".join(f"{k} = {v}" for k, v in files.items()) + ".",
        "#   Outcomes and veto list: UN Dag Hammarskjöld Library (content (c) United Nations);",
        "#   membership: UN DPPA; ideal points: Voeten, Harvard Dataverse hdl:1902.1/12379 (CC0),",
        "#   Bailey, Strezhnev & Voeten (2017), J. Conflict Resolution 61(2):430-456.",
        f"# Rebuild: {command}",
        "",
    ]
    for fit in fits:
        p = fit.params
        lines.append(f'[presets."{p.period}"]')
        for name, value in p.numbers().items():
            if name == "period":
                lines.append(f'period = "{value}"')
            elif name != "veto":
                lines.append(f"{name} = {_num(value)}")
        lines.append(f"# {fit.drafts} drafts; loss {fit.loss:.3f}; record / model:")
        for m in MOMENTS:
            lines.append(f"#   {m} {fit.record[m]:.4f} / {fit.model[m]:.4f}")
        lines.append(f'[presets."{p.period}".veto]')
        lines.extend(f"{c} = {_num(v)}" for c, v in p.veto.items())
        lines.append(f'[presets."{p.period}".ideal_points]')
        lines.extend(f"{c} = {_num(v)}" for c, v in sorted(p.ideal_points.items()))
        lines.append(f'[presets."{p.period}".elected_years]')
        lines.extend(f"{c} = {v}" for c, v in sorted(p.elected_years.items()))
        lines.append("")
    return "\n".join(lines)


def fit_files(
    outcomes: str,
    vetoes: str,
    membership: str,
    ideal_points: str,
    periods: list[str],
    *,
    seed: int = SEED,
) -> tuple[list[Fit], str]:
    """Read the four record files, fit each period and return the fits and the parameter file.

    The file (the format of the shipped ``record_presets.toml``) names the files it came from
    and the ``councilsim fit`` command that rebuilds it.
    """
    from councilsim.records import parse_period, read_record

    spans = [parse_period(p, "--period") for p in periods]
    record = read_record(outcomes, vetoes, membership, ideal_points)
    fits = [fit_period(record, span, seed=seed) for span in spans]
    command = " ".join(
        [
            "councilsim fit",
            f"--outcomes {outcomes}",
            f"--vetoes {vetoes}",
            f"--membership {membership}",
            f"--ideal-points {ideal_points}",
            *(f"--period {p}" for p in spans),
            "-o FILE",
        ]
    )
    return fits, presets_toml(fits, record.files, command)
