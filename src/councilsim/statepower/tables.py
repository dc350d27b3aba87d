"""Every state's power as tables: the rows ``councilsim power --by state`` and ``--by group``
print, and the notes that say how the figures were got."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from councilsim.statepower.expected import STATE_INDICES, StatePower

__all__ = ["POWER_NAMES", "group_rows", "notes", "state_rows"]

POWER_NAMES = {name: key for key, (name, _) in STATE_INDICES.items()}
"""The names of ``councilsim power --index`` → the ids of :data:`STATE_INDICES`."""


def _conv(exact: bool) -> Any:
    return (lambda v: v) if exact else float


def state_rows(
    result: StatePower,
    states: Sequence[str] = (),
    indices: Sequence[str] = tuple(STATE_INDICES),
    *,
    exact: bool = False,
    intervals: bool = True,
) -> tuple[list[str], list[list[Any]]]:
    """One row per state (``states``, in order; all listed states when empty).

    Columns: ``state``, ``name``, ``group``, ``seat_years``, ``seats`` (expected seats per
    year), each index with ``<index>_low`` and ``<index>_high`` (with ``intervals``),
    ``exact`` and ``note``. Exact figures stay fractions with ``exact``, else floats.
    """
    conv = _conv(exact)
    header = ["state", "name", "group", "seat_years", "seats"]
    for k in indices:
        header += [k, f"{k}_low", f"{k}_high"] if intervals else [k]
    header += ["exact", "note"]
    chosen = [result.state(c) for c in states] if states else list(result.states)
    rows = []
    for s in chosen:
        row: list[Any] = [s.state, s.name, s.group, s.seat_years, s.seats]
        for k in indices:
            e = s.values[k]
            c = conv if e.exact else float
            row += [c(e.mean), c(e.low), c(e.high)] if intervals else [c(e.mean)]
        exact_row = all(s.values[k].exact for k in indices)
        rows.append([*row, exact_row, s.note or None])
    return header, rows


def group_rows(
    result: StatePower, indices: Sequence[str] = tuple(STATE_INDICES), *, exact: bool = False
) -> tuple[list[str], list[list[Any]]]:
    """One row per regional group and a last row ``total`` (the council's): members,
    seat-years over the horizon and each index (exact sums of the group's seats)."""
    conv = _conv(exact)
    header = ["group", "label", "members", "seat_years", *indices]
    rows: list[list[Any]] = [
        [g.group, g.label, g.members, g.seat_years, *(conv(g.values[k]) for k in indices)]
        for g in result.groups
    ]
    members = sum(g.members for g in result.groups)
    years = sum(g.seat_years for g in result.groups)
    rows.append(["total", "", members, years, *(conv(result.totals[k]) for k in indices)])
    return header, rows


def notes(result: StatePower) -> list[str]:
    """How the figures were got and who may fill the open seats, one sentence each."""
    out = [f"{result.scenario}: {result.describe()}."]
    out += [f"{o.describe()}." for o in result.open_seats]
    if result.method == "elections":
        out.append(
            "Each mean has a 95 % interval over the replications (in JSON, and <index>_low and "
            "<index>_high in CSV); a named permanent member's figure is exact."
        )
    return out
