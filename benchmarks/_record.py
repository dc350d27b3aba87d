"""The Council's record for the benchmark scripts (imported as ``_record`` when a script runs)."""

from __future__ import annotations

import sys
from pathlib import Path

from councilsim.records import Record, read_record


def shared_record() -> Record:
    """The record read from the data folder given as the script's first argument (default
    ``../shared/data``, from the repository root), under the files' published names."""
    data = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/data")
    return read_record(
        data / "unsc_outcomes_1946_2022.csv",
        data / "un_veto_list_1946_2022.csv",
        data / "unsc_membership_by_year_1946_2027.csv",
        data / "unga_idealpoints_1946_2024.csv",
    )
