"""One General Assembly ideal point per current member state: the small table shipped for the
amendment model, and the code that rebuilds it from the published data.

The table ``councilsim/data/unga_idealpoints_recent.csv`` holds, for each of the 193 member
states, the mean of its ideal point (column ``idealpointfp``) over the sessions of
:data:`WINDOW`. Source: Erik Voeten, "United Nations General Assembly Voting Data", Harvard
Dataverse, hdl:1902.1/12379 (July 2025 release), CC0; estimates by the method of Bailey,
Strezhnev & Voeten (2017), J. Conflict Resolution 61(2):430–456, on a scale with the United
States at the positive end. Rebuild it from the repository root with::

    python -m councilsim.amendment.idealpoints ../shared/data/unga_idealpoints_1946_2024.csv \
        > src/councilsim/data/unga_idealpoints_recent.csv
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Mapping
from functools import cache
from pathlib import Path

from councilsim.errors import ScenarioError
from councilsim.files import package_data, read_text
from councilsim.limits import MAX_DATA_BYTES
from councilsim.states import member_states

__all__ = ["COLUMN", "TABLE", "WINDOW", "derive", "ideal_points", "table_text"]

WINDOW = (2020, 2024)
"""The sessions (years) whose ideal points are averaged."""

COLUMN = "idealpointfp"
"""The dataset column used: it has values for the latest year, where ``idealpointall`` may not."""

TABLE = "unga_idealpoints_recent.csv"
"""The shipped table, under ``councilsim/data``."""

DATASET_CODES = {"SRB": "YUG"}
"""Members the dataset codes differently: Serbia keeps Yugoslavia's code (COW 345)."""


def derive(path: str | Path) -> dict[str, float]:
    """Each current member's mean ideal point over :data:`WINDOW`, from the published CSV.

    Raises
    ------
    ScenarioError
        If the file cannot be read or a member has no value in the window.
    """
    values: dict[str, list[float]] = {}
    text = read_text(path, str(path), limit=MAX_DATA_BYTES, what="the ideal-points CSV")
    try:
        for row in csv.DictReader(io.StringIO(text, newline="")):
            if WINDOW[0] <= int(row["year"]) <= WINDOW[1] and row.get(COLUMN):
                values.setdefault(row["iso3c"], []).append(float(row[COLUMN]))
    except (KeyError, ValueError) as err:
        raise ScenarioError(f"cannot read ideal points from {str(path)!r}: {err}") from None
    out: dict[str, float] = {}
    for state in member_states():
        points = values.get(DATASET_CODES.get(state.iso3, state.iso3))
        if not points:
            raise ScenarioError(f"{path}: no {COLUMN} for {state.iso3} in {WINDOW[0]}-{WINDOW[1]}")
        out[state.iso3] = sum(points) / len(points)
    return out


def table_text(points: Mapping[str, float]) -> str:
    """The CSV text of the shipped table (values to four decimals, states in file order)."""
    buf = io.StringIO()
    buf.write(
        f"# mean {COLUMN} {WINDOW[0]}-{WINDOW[1]}; Voeten, UNGA Voting Data, "
        "hdl:1902.1/12379, CC0; rebuild: python -m councilsim.amendment.idealpoints FILE\n"
    )
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["iso3", "idealpoint"])
    for iso3, value in points.items():
        writer.writerow([iso3, f"{value:.4f}"])
    return buf.getvalue()


@cache
def ideal_points() -> dict[str, float]:
    """The shipped table: ISO3 code → mean ideal point over :data:`WINDOW`."""
    text = package_data(TABLE)
    rows = csv.DictReader(line for line in io.StringIO(text) if not line.startswith("#"))
    return {row["iso3"]: float(row["idealpoint"]) for row in rows}


if __name__ == "__main__":  # pragma: no cover - the rebuild command in the module docstring
    sys.stdout.write(table_text(derive(sys.argv[1])))
