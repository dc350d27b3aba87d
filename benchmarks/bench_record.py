"""Timings of the record model: fitting each preset and replaying 2011-2022 on scenarios.

Run from the repository root with the record in ``../shared/data``:
``python benchmarks/bench_record.py [DATA_DIR]``. Targets (issue 13): a preset fitted in under a
minute; a period replayed on any shipped scenario in under 10 s.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from councilsim import scenario
from councilsim.models.record import presets
from councilsim.models.record_fit import fit_period
from councilsim.records import parse_period, read_record
from councilsim.replay import replay


def main() -> None:
    data = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/data")
    record = read_record(
        data / "unsc_outcomes_1946_2022.csv",
        data / "un_veto_list_1946_2022.csv",
        data / "unsc_membership_by_year_1946_2027.csv",
        data / "unga_idealpoints_1946_2024.csv",
    )
    for period in ("1946-1989", "1990-2010", "2011-2022"):
        start = time.perf_counter()
        fit_period(record, parse_period(period))
        print(f"fit {period}: {time.perf_counter() - start:.1f} s")
    for ref in scenario.shipped_ids():
        start = time.perf_counter()
        result = replay(
            scenario.load(ref).council,
            record.drafts,
            parse_period("2011-2022"),
            presets()["2011-2022"],
        )
        took = time.perf_counter() - start
        v = result.replayed["vetoed"]
        interval = f"{v.ci_low:.0f}-{v.ci_high:.0f}"
        print(f"replay {ref} 2011-2022: {took:.1f} s; vetoed {v.estimate:.1f} ({interval})")


if __name__ == "__main__":
    main()
