"""A figure of states' expected power year by year (``councilsim power --over-years --plot``).

Matplotlib is the optional ``plot`` extra, imported only here, through its object-oriented API
with the Agg canvas (no global backend touched); colours are the Okabe–Ito palette.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from councilsim.errors import install_hint
from councilsim.statepower.expected import STATE_INDICES
from councilsim.statepower.years import PowerByYear

__all__ = ["render_by_year"]

_PALETTE = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000")
_STYLES = ("-", "--", ":", "-.")


def render_by_year(series: Sequence[PowerByYear], fmt: str = "png") -> bytes:
    """Draw each state's expected power by year, one line per state and scenario, with its
    95 % interval as a band; PNG or SVG bytes.

    Raises :class:`ImportError` (with the install hint) when matplotlib is missing.
    """
    try:
        import matplotlib
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError:
        raise ImportError(f"--plot needs matplotlib: {install_hint('plot')}") from None
    with matplotlib.rc_context({"svg.hashsalt": "councilsim", "font.size": 10}):
        fig = Figure(figsize=(10, 6), dpi=160, layout="constrained")
        FigureCanvasAgg(fig)
        ax = fig.subplots()
        for s, run in enumerate(series):
            for k, (code, values) in enumerate(run.values.items()):
                _line(ax, run, code, values, _PALETTE[k % len(_PALETTE)], _STYLES[s % 4])
        index = series[0].index if series else "banzhaf"
        ax.set_xlabel("year")
        ax.set_ylabel(f"expected {STATE_INDICES[index][1]} power (%)")
        how = ", ".join(
            f"{r.scenario}: {r.replications} replications, seed {r.seed}, candidates {r.candidates}"
            for r in series
        )
        ax.set_title(f"Expected power by year ({how})", fontsize=9)
        ax.grid(linewidth=0.5, alpha=0.5)
        ax.legend(fontsize=8)
        buf = io.BytesIO()
        metadata: dict[str, Any] = {"Date": None} if fmt == "svg" else {}
        fig.savefig(buf, format=fmt, metadata=metadata)
    return buf.getvalue()


def _line(ax: Any, run: PowerByYear, code: str, values: Any, colour: str, style: str) -> None:
    mean = [100 * float(e.mean) for e in values]
    low = [100 * float(e.low) for e in values]
    high = [100 * float(e.high) for e in values]
    label = f"{code} ({run.scenario})"
    ax.plot(run.years, mean, style, color=colour, label=label, marker="o", markersize=3)
    ax.fill_between(run.years, low, high, color=colour, alpha=0.2, linewidth=0)
