"""A parsed sweep: its base scenario, grid and measures' options (read by
:func:`councilsim.sweep.parse_sweep`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from councilsim.scenario import Scenario
from councilsim.sweep.engine import Row, sweep
from councilsim.sweep.grid import ConfigGrid, MeasureOptions, fingerprint

__all__ = ["SweepSpec"]


@dataclass(frozen=True)
class SweepSpec:
    """A parsed sweep: base scenario, grid and measure options."""

    base: Scenario
    grid: ConfigGrid
    options: MeasureOptions = field(default_factory=MeasureOptions)
    name: str = ""
    description: str = ""
    source: str = ""
    """Where the sweep was read from (a file name, or ``"<command line>"``)."""

    def run(self, **kwargs: Any) -> list[Row]:
        """:func:`councilsim.sweep.sweep` of this spec (keyword arguments pass through)."""
        return sweep(self.base, self.grid, options=self.options, **kwargs)

    def fingerprint(self, measure: str = "") -> str:
        """SHA-256 of everything the results depend on: the base document, the grid, the
        options, the measure function's name and the councilsim version."""
        return fingerprint(self.base.raw, self.grid, self.options, measure)
