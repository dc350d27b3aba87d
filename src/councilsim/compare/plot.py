"""Charts of a comparison: power by seat class and by region, outcome rates, named states.

:func:`charts` turns compared columns (:class:`councilsim.compare.measures.Column`) into chart
data, shared by the matplotlib figure of ``councilsim compare --plot`` (:func:`save_plot`) and
the inline SVG charts of the HTML report (:mod:`councilsim.compare.report`). Matplotlib is an
optional extra (``pip install "councilsim[plot]"``, or ``".[plot]"`` from a source checkout),
imported only inside :func:`save_plot` and used through its object-oriented API with the Agg
canvas, so no global backend is touched.

The figure is :data:`FIGSIZE` inches at :data:`DPI` dots per inch, 1600 × 1000 pixels in PNG,
for up to eight charts in two rows; each further row of four adds half its height.
Colours are the Okabe–Ito palette (Okabe & Ito 2008), distinguishable with the common forms
of colour-blindness; past eight scenarios bars are also hatched.
"""

from __future__ import annotations

import io
import os
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from councilsim.amendment import AmendmentReport
from councilsim.compare.measures import INDEX_LABELS, OUTCOMES, Column
from councilsim.council import Region
from councilsim.errors import ScenarioError, install_hint
from councilsim.files import write_atomic
from councilsim.population import Population
from councilsim.statepower import equity

__all__ = [
    "DPI",
    "FIGSIZE",
    "PALETTE",
    "PLOT_SUFFIXES",
    "Chart",
    "MissingMatplotlib",
    "charts",
    "check_plot_path",
    "render_plot",
    "require_matplotlib",
    "save_plot",
    "write_bytes_atomic",
]

PALETTE = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
    "#000000",  # black
)
"""The Okabe–Ito colour-blind-safe palette, one colour per scenario."""

FIGSIZE = (16.0, 10.0)
"""Figure size in inches."""

DPI = 100
"""Dots per inch of the PNG: with :data:`FIGSIZE`, 1600 × 1000 pixels."""

MAX_LABELLED = 5
"""Bars carry their value when a chart has at most this many scenarios (beyond, they crowd)."""

PLOT_SUFFIXES = (".png", ".svg")
"""The file types ``--plot`` writes, chosen by extension."""

REGION_SHORT = {
    Region.AFRICA: "Africa",
    Region.ASIA_PACIFIC: "Asia-Pacific",
    Region.EASTERN_EUROPE: "Eastern Europe",
    Region.GRULAC: "GRULAC",
    Region.WEOG: "WEOG",
}

SEAT_SHORT = {
    "permanent": "P5 member",
    "new_permanent": "new permanent member",
    "elected": "elected member",
}


class MissingMatplotlib(ImportError):
    """Matplotlib, needed to draw a figure, is not installed."""


@dataclass(frozen=True)
class Chart:
    """A grouped bar chart: one group of bars per category, one bar per series (scenario).

    Values are percentages (``None``: not applicable), or ratios on a log scale with ``log``;
    ``low`` and ``high``, when given, are the ends of each value's 95 % interval.
    """

    id: str
    title: str
    ylabel: str
    categories: tuple[str, ...]
    series: tuple[str, ...]
    values: tuple[tuple[float | None, ...], ...]
    low: tuple[tuple[float | None, ...], ...] | None = None
    high: tuple[tuple[float | None, ...], ...] | None = None
    caption: str = ""
    log: bool = False
    """Draw the values on a logarithmic scale (ratios)."""


def _pct(value: Any) -> float | None:
    return None if value is None else 100.0 * float(value)


def _chart(
    id: str,
    title: str,
    ylabel: str,
    columns: Sequence[Column],
    keys: Mapping[str, str],
    caption: str,
    intervals: bool = False,
) -> Chart | None:
    """A chart of the measures ``keys`` (category label → measure id); ``None`` if all absent."""
    present = {
        c: k for c, k in keys.items() if any(col.values.get(k) is not None for col in columns)
    }
    if not present:
        return None
    values = tuple(tuple(_pct(col.values.get(k)) for k in present.values()) for col in columns)
    low = high = None
    if intervals and any(f"{k}_ci_low" in col.values for col in columns for k in present.values()):
        low = tuple(
            tuple(_pct(col.values.get(f"{k}_ci_low")) for k in present.values()) for col in columns
        )
        high = tuple(
            tuple(_pct(col.values.get(f"{k}_ci_high")) for k in present.values()) for col in columns
        )
    return Chart(
        id=id,
        title=title,
        ylabel=ylabel,
        categories=tuple(present),
        series=tuple(col.id for col in columns),
        values=values,
        low=low,
        high=high,
        caption=caption,
    )


def charts(columns: Sequence[Column], population: Population | None = None) -> list[Chart]:
    """The charts of a comparison, in order: power by class and by region (each index),
    outcome rates, and named states' power (each index) when states were named; with a
    ``population`` table, the named states' and the regional groups' equity ratios."""
    out: list[Chart | None] = []
    for index, name in INDEX_LABELS.items():
        out.append(
            _chart(
                f"class-{index}",
                f"Power of one seat by seat class ({name})",
                "% of power",
                columns,
                {label: f"{index}_{seat}" for seat, label in SEAT_SHORT.items()},
                f"A-priori {name} power of one seat of each kind, as a percentage of the "
                "power of the whole council.",
            )
        )
    for index, name in INDEX_LABELS.items():
        out.append(
            _chart(
                f"region-{index}",
                f"Power held by each regional group ({name})",
                "% of power",
                columns,
                {
                    label: f"{index}_region_{r.value.replace('-', '_')}"
                    for r, label in REGION_SHORT.items()
                },
                f"Sum of the a-priori {name} power of the seats of each UN regional group, "
                "permanent seats included.",
            )
        )
    out.append(
        _chart(
            "outcomes",
            "Outcome of a draft",
            "% of drafts",
            columns,
            {rate: rate for rate in OUTCOMES},
            "Share of drafts adopted, vetoed (enough yes votes, blocked by a veto) and failed "
            "(too few yes votes) under the vote model; error bars are 95 % intervals of Monte "
            "Carlo estimates (exact rates have none).",
            intervals=True,
        )
    )
    states = [k for col in columns for k in col.values if k.startswith("banzhaf_state_")]
    codes = list(dict.fromkeys(k.removeprefix("banzhaf_state_") for k in states))
    for index, name in INDEX_LABELS.items():
        if codes:
            out.append(
                _chart(
                    f"states-{index}",
                    f"Power of named states ({name})",
                    "% of power",
                    columns,
                    {code.upper(): f"{index}_state_{code}" for code in codes},
                    f"{name} power of each named state: of its permanent seat, its expected "
                    "power from an election run where one was made, of the seat it holds in "
                    "the scenario, or 0.",
                )
            )
    out.append(state_ratio_chart(columns, [c.upper() for c in codes]))
    if population is not None:
        out += equity_charts(columns, [c.upper() for c in codes], population)
    return [c for c in out if c is not None]


def state_ratio_chart(columns: Sequence[Column], codes: Sequence[str]) -> Chart | None:
    """Each named state's expected power in each other scenario ÷ its power in the base (the
    first column), normalised Banzhaf, on a log scale; ``None`` without states or others."""
    if len(columns) < 2 or not codes:
        return None
    base = columns[0].values
    values = []
    for col in columns:  # the base too (ratio 1), so each scenario keeps its colour
        row: list[float | None] = []
        for code in codes:
            key = f"banzhaf_state_{code.lower()}"
            b, v = base.get(key), col.values.get(key)
            row.append(float(v) / float(b) if b and v is not None and float(v) > 0 else None)
        values.append(tuple(row))
    if all(v is None for row in values for v in row):
        return None
    return Chart(
        id="states-ratio",
        title=f"Named states' power ÷ their power in {columns[0].id}",
        ylabel="ratio (log scale)",
        categories=tuple(codes),
        series=tuple(c.id for c in columns),
        values=tuple(values),
        caption="Expected normalised Banzhaf power of each named state in each scenario divided "
        f"by its power in {columns[0].id}, on a log scale (1 = no change; n/a where the base "
        "gives it none).",
        log=True,
    )


def equity_charts(
    columns: Sequence[Column], codes: Sequence[str], population: Population
) -> list[Chart]:
    """Equity ratios on a log scale: each named state's and each regional group's share of
    the members' expected power ÷ its share under Penrose's square-root rule
    (:func:`councilsim.statepower.equity`), as two charts (states, groups); none where no
    column has states' power."""
    with_power = [c for c in columns if c.state_power is not None]
    if not with_power:
        return []
    groups = [r.value for r in REGION_SHORT]
    states, regions = [], []
    for col in with_power:
        assert col.state_power is not None
        eq = equity(col.state_power, population)
        by_state = {s.state: s.ratio for s in eq.states}
        by_group = {g.group: g.ratio for g in eq.regions}
        states.append(tuple(by_state.get(code) for code in codes))
        regions.append(tuple(by_group.get(g) for g in groups))
    caption = (
        "Share of the UN members' expected normalised Banzhaf power ÷ share of √population "
        f"(Penrose's square-root rule; population {population.year}), on a log scale: 1 is "
        "equitable, above 1 over-represented (councilsim equity; docs/equity.md)."
    )
    series = tuple(c.id for c in with_power)
    out = []
    if codes:
        out.append(
            Chart(
                id="equity-states",
                title="Named states' power against the square-root rule",
                ylabel="equity ratio (log scale)",
                categories=tuple(codes),
                series=series,
                values=tuple(states),
                caption=caption,
                log=True,
            )
        )
    out.append(
        Chart(
            id="equity-regions",
            title="Regional groups' power against the square-root rule",
            ylabel="equity ratio (log scale)",
            categories=tuple(REGION_SHORT.values()),
            series=series,
            values=tuple(regions),
            caption=caption,
            log=True,
        )
    )
    return out


def amendment_charts(reports: Sequence[AmendmentReport], top: int = 8) -> list[Chart]:
    """Two charts of the Charter amendment (:func:`councilsim.amendment.analyse`) for the
    plans that need one: each negotiating group's mean support, and the states whose change
    of stance moves the probability of passage most (the union of each plan's ``top``)."""
    plans = [r for r in reports if r.amendment]
    if not plans:
        return []
    groups = list(dict.fromkeys(g["group"] for r in plans for g in r.groups))
    support = {r.scenario: {g["group"]: g["mean_support"] for g in r.groups} for r in plans}
    pivotal = list(
        dict.fromkeys(p["state"] for r in plans for p in r.pivotal[:top] if p["effect"] > 0)
    )
    effects = {r.scenario: {p["state"]: p["effect"] for p in r.pivotal} for r in plans}
    series = tuple(r.scenario for r in plans)
    charts_ = [
        Chart(
            id="amendment-support",
            title="Support for each plan, by group",
            ylabel="% of states supporting",
            categories=tuple(groups),
            series=series,
            values=tuple(tuple(_pct(support[r.scenario].get(g)) for g in groups) for r in plans),
            caption="Mean probability that a state of each negotiating group or regional "
            "group supports the plan (declared positions, else General Assembly voting "
            "similarity; councilsim amend, docs/amendment.md).",
        ),
        Chart(
            id="amendment-pivotal",
            title="Pivotal states for the amendment",
            ylabel="change in P(passage)",
            categories=tuple(pivotal),
            series=series,
            values=tuple(tuple(effects[r.scenario].get(s) for s in pivotal) for r in plans),
            caption="How much the probability that the whole amendment passes (the Assembly "
            "vote and ratification, Arts. 108-109) changes when the state switches between "
            "opposing and supporting the plan, under the passage model of councilsim amend.",
        ),
    ]
    return charts_ if pivotal else charts_[:1]


def check_plot_path(path: str | os.PathLike[str]) -> str:
    """The file type of a plot path (``"png"`` or ``"svg"``), or a one-line error."""
    suffix = Path(path).suffix.lower()
    if suffix not in PLOT_SUFFIXES:
        raise ScenarioError(
            f"cannot plot to {str(path)!r}: unknown file type {suffix or '(none)'}",
            key="--plot",
            fix="give a file name ending in .png or .svg",
        )
    return suffix[1:]


def require_matplotlib() -> None:
    """Raise :class:`MissingMatplotlib` (with the install hint) if matplotlib is missing."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise MissingMatplotlib(_MISSING) from None


_MISSING = f"--plot needs matplotlib: {install_hint('plot')}"


def render_plot(chart_list: Sequence[Chart], fmt: str, *, title: str = "") -> bytes:
    """Draw the charts on one figure and return it as PNG or SVG bytes.

    Raises :class:`MissingMatplotlib` when matplotlib is not installed.
    """
    try:
        import matplotlib
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError:
        raise MissingMatplotlib(_MISSING) from None
    cols = 3 if len(chart_list) <= 6 else 4
    rows = max(2, -(-len(chart_list) // cols))
    size = (FIGSIZE[0], FIGSIZE[1] * rows / 2)
    with matplotlib.rc_context({"svg.hashsalt": "councilsim", "font.size": 10}):
        fig = Figure(figsize=size, dpi=DPI, layout="constrained")
        FigureCanvasAgg(fig)
        axes = fig.subplots(rows, cols, squeeze=False).ravel()
        for ax, chart in zip(axes, chart_list, strict=False):
            _draw(ax, chart)
        for ax in axes[len(chart_list) :]:
            ax.set_axis_off()
        if chart_list:
            handles, labels = axes[0].get_legend_handles_labels()
            fig.legend(handles, labels, loc="outside lower center", ncols=min(8, len(labels)))
        if title:
            fig.suptitle(textwrap.fill(title, 150), fontsize=14)
        buf = io.BytesIO()
        metadata: dict[str, Any] = {"Date": None} if fmt == "svg" else {}
        fig.savefig(buf, format=fmt, dpi=DPI, metadata=metadata)
    return buf.getvalue()


def _draw(ax: Any, chart: Chart) -> None:
    n = len(chart.series)
    width = 0.8 / max(n, 1)
    for s, series in enumerate(chart.series):
        xs = [c + (s - (n - 1) / 2) * width for c in range(len(chart.categories))]
        ys = [v if v is not None else float("nan") for v in chart.values[s]]
        yerr = None
        if chart.low is not None and chart.high is not None:
            yerr = [
                [
                    max(0.0, y - (lo if lo is not None else y))
                    for y, lo in zip(ys, chart.low[s], strict=True)
                ],
                [
                    max(0.0, (hi if hi is not None else y) - y)
                    for y, hi in zip(ys, chart.high[s], strict=True)
                ],
            ]
        bars = ax.bar(
            xs,
            ys,
            width,
            label=series,
            color=PALETTE[s % len(PALETTE)],
            edgecolor="black",
            linewidth=0.5,
            hatch=None if s < len(PALETTE) else "//",
            yerr=yerr,
            capsize=3 if yerr is not None else 0,
        )
        if n <= MAX_LABELLED:
            ax.bar_label(bars, fmt="%.3g", fontsize=7, padding=2, rotation=90)
    ax.set_title(textwrap.fill(chart.title, 36))
    ax.set_ylabel(chart.ylabel)
    if chart.log:
        ax.set_yscale("log")
        ax.axhline(1.0, color="black", linewidth=0.8)
    ax.set_xticks(range(len(chart.categories)), chart.categories, rotation=15, ha="right")
    ax.margins(y=0.18)
    ax.grid(axis="y", linewidth=0.5, alpha=0.5)
    ax.set_axisbelow(True)


def save_plot(
    chart_list: Sequence[Chart], path: str | os.PathLike[str], *, title: str = ""
) -> None:
    """Draw the charts to ``path`` (``.png`` or ``.svg``), written whole or not at all."""
    data = render_plot(chart_list, check_plot_path(path), title=title)
    write_bytes_atomic(path, data)


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Write bytes whole or not at all (see :func:`councilsim.files.write_atomic`)."""
    write_atomic(path, data)
