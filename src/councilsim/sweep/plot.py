"""Heatmaps of a sweep: one measure over two varied parameters (``councilsim sweep --plot``).

:func:`heatmap_data` picks the cells from the rows of a sweep (no matplotlib needed);
:func:`render_heatmap` draws them with matplotlib, an optional extra (``pip install
"councilsim[plot]"``, or ``".[plot]"`` from a source checkout) imported only there and used
through its object-oriented API with the Agg canvas, so no global backend is touched.

Parameters other than the two plotted are either fixed at their first value (``others =
"first"``, the default: every cell is one configuration of the grid) or averaged over
(``"mean"``: each cell is the mean over the valid configurations with those two values). A
cell whose configuration is invalid is grey. The colour map is viridis, sequential and
readable with the common forms of colour-blindness and in grey scale (van der Walt & Smith
2015); cells are annotated with their values when there are at most :data:`ANNOTATE_CELLS`.
"""

from __future__ import annotations

import io
import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from councilsim.compare.measures import describe
from councilsim.compare.plot import MissingMatplotlib, check_plot_path, write_bytes_atomic
from councilsim.errors import ScenarioError, install_hint
from councilsim.sweep.grid import ConfigGrid

__all__ = ["ANNOTATE_CELLS", "Heatmap", "heatmap_data", "render_heatmap", "save_heatmap"]

ANNOTATE_CELLS = 225
"""Cells are annotated with their values up to this many (15 × 15)."""

DPI = 150

LABELS = {
    "seats": "Seats",
    "elected": "Elected seats",
    "permanent_veto": "Permanent seats with the veto",
    "permanent_no_veto": "Permanent seats without the veto",
    "quota": "Quota (yes votes needed)",
    "procedural_quota": "Procedural quota (yes votes needed)",
    "veto_threshold": "Veto threshold (vetoes needed to block)",
    "abstention": "Reading of a veto holder's abstention",
    "model": "Vote model",
}


@dataclass(frozen=True)
class Heatmap:
    """The cells of a heatmap: ``values[row][col]`` for ``ys[row]`` and ``xs[col]``.

    ``None`` marks a cell with no valid configuration. ``fixed`` says how the other
    parameters were treated, for the subtitle.
    """

    x: str
    y: str | None
    measure: str
    xs: tuple[Any, ...]
    ys: tuple[Any, ...]
    values: tuple[tuple[float | None, ...], ...]
    fixed: str


def param_label(name: str) -> str:
    """A parameter's axis label."""
    if name.startswith("params."):
        return f"Model parameter {name[len('params.') :]}"
    return LABELS.get(name, name)


def measure_label(measure: str) -> tuple[str, str]:
    """A measure's label and unit (from :data:`~councilsim.compare.measures.MEASURES` if known)."""
    try:
        m = describe(measure)
    except KeyError:
        return measure, ""
    return m.label, m.unit


def _number(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            return float(Fraction(value))
        except (ValueError, ZeroDivisionError):
            return None
    number = float(value)
    return number if math.isfinite(number) else None


def check_axes(names: Sequence[str], x: str, y: str | None) -> None:
    """Raise :class:`~councilsim.errors.ScenarioError` unless ``x`` and ``y`` are two
    different parameters among the varied ``names``."""
    for option, name in (("--x", x), ("--y", y)):
        if name is not None and name not in names:
            raise ScenarioError(
                f"{name!r} is not a varied parameter",
                key=option,
                fix=f"use one of: {', '.join(names)}",
            )
    if x == y:
        raise ScenarioError("--x and --y are the same parameter", key="--y", fix="pick another")


def heatmap_data(
    rows: Sequence[Mapping[str, Any]],
    grid: ConfigGrid,
    *,
    x: str,
    y: str | None,
    measure: str,
    others: str = "first",
) -> Heatmap:
    """The cells of the heatmap of ``measure`` over parameters ``x`` and ``y``.

    ``y`` ``None`` gives a single row. ``others`` is ``"first"`` or ``"mean"`` (see the module
    docstring). Raises :class:`~councilsim.errors.ScenarioError` for a parameter the grid does
    not vary or a measure no row has.
    """
    axes = {a.name: a.values for a in grid.axes}
    check_axes(list(axes), x, y)
    if not any(measure in r["measures"] for r in rows):
        known = list(dict.fromkeys(k for r in rows for k in r["measures"]))
        raise ScenarioError(
            f"no configuration has the measure {measure!r}",
            key="--measure",
            fix=f"use one of: {', '.join(known[:12])}" if known else "no configuration is valid",
        )
    xs, ys = axes[x], (axes[y] if y is not None else (None,))
    rest = [n for n in grid.names if n not in (x, y)]
    cells: dict[tuple[Any, Any], list[float]] = {}
    for row in rows:
        vary = row["vary"]
        if others == "first" and any(vary[n] != axes[n][0] for n in rest):
            continue
        value = _number(row["measures"].get(measure))
        bucket = cells.setdefault((vary[x], vary[y] if y is not None else None), [])
        if value is not None and row["status"] == "ok":
            bucket.append(value)
    values = tuple(tuple(_mean(cells.get((xv, yv), [])) for xv in xs) for yv in ys)
    return Heatmap(x, y, measure, tuple(xs), tuple(ys), values, _fixed(rest, axes, others))


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _fixed(rest: list[str], axes: Mapping[str, Sequence[Any]], others: str) -> str:
    if not rest:
        return ""
    if others == "first":
        return "with " + ", ".join(f"{n} = {axes[n][0]}" for n in rest)
    return "mean over " + ", ".join(rest)


def render_heatmap(data: Heatmap, fmt: str, *, title: str = "") -> bytes:
    """Draw the heatmap and return it as PNG or SVG bytes.

    Raises :class:`councilsim.compare.plot.MissingMatplotlib` when matplotlib is not installed.
    """
    try:  # matplotlib is an optional extra, imported only to draw
        import matplotlib
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError:
        raise MissingMatplotlib(f"--plot needs matplotlib: {install_hint('plot')}") from None

    grid = np.array([[np.nan if v is None else v for v in row] for row in data.values], dtype=float)
    nx, ny = len(data.xs), len(data.ys)
    label, unit = measure_label(data.measure)
    width = min(16.0, max(6.0, 1.2 + 0.55 * nx))
    height = min(12.0, max(3.5, 1.8 + 0.45 * ny))
    with matplotlib.rc_context({"svg.hashsalt": "councilsim", "font.size": 9}):
        fig = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
        FigureCanvasAgg(fig)
        ax = fig.subplots()
        cmap = matplotlib.colormaps["viridis"].with_extremes(bad="#d9d9d9")
        masked = np.ma.masked_invalid(grid)
        image = ax.imshow(masked, cmap=cmap, origin="lower", aspect="auto")
        bar = fig.colorbar(image, ax=ax)
        bar.set_label(f"{label} ({unit})" if unit else label)
        ax.set_xticks(range(nx), [str(v) for v in data.xs], rotation=45 if nx > 12 else 0)
        ax.set_xlabel(param_label(data.x))
        if data.y is None:
            ax.set_yticks([])
        else:
            ax.set_yticks(range(ny), [str(v) for v in data.ys])
            ax.set_ylabel(param_label(data.y))
        if nx * ny <= ANNOTATE_CELLS:
            _annotate(ax, grid, image.norm)
        subtitle = "; ".join(s for s in (data.fixed, _invalid_note(grid)) if s)
        ax.set_title(subtitle, fontsize=9)
        fig.suptitle(title or label, fontsize=12)
        buf = io.BytesIO()
        metadata: dict[str, Any] = {"Date": None} if fmt == "svg" else {}
        fig.savefig(buf, format=fmt, dpi=DPI, metadata=metadata)
    return buf.getvalue()


def _annotate(ax: Any, grid: Any, norm: Any) -> None:
    for (r, c), value in _cells(grid):
        if math.isnan(value):
            ax.text(c, r, "–", ha="center", va="center", fontsize=8, color="#555555")
            continue
        shade = float(norm(value)) if norm.vmax != norm.vmin else 0.5
        ax.text(
            c,
            r,
            f"{value:.3g}",
            ha="center",
            va="center",
            fontsize=7,
            color="black" if shade > 0.55 else "white",
        )


def _cells(grid: Any) -> list[tuple[tuple[int, int], float]]:
    return [((r, c), float(grid[r, c])) for r in range(grid.shape[0]) for c in range(grid.shape[1])]


def _invalid_note(grid: Any) -> str:
    return "grey: no valid configuration" if bool(np.isnan(grid).any()) else ""


def save_heatmap(
    path: str | os.PathLike[str],
    rows: Sequence[Mapping[str, Any]],
    grid: ConfigGrid,
    *,
    x: str,
    y: str | None,
    measure: str = "adopted",
    others: str = "first",
    title: str = "",
) -> Heatmap:
    """Draw the heatmap of ``measure`` to ``path`` (``.png`` or ``.svg``), atomically."""
    fmt = check_plot_path(path)
    data = heatmap_data(rows, grid, x=x, y=y, measure=measure, others=others)
    write_bytes_atomic(path, render_heatmap(data, fmt, title=title))
    return data
