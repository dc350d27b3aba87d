"""Timings of the record model: fitting each preset and replaying 2011-2022 on scenarios.

Run from the repository root with the record in ``../shared/data``:
``python benchmarks/bench_record.py [DATA_DIR]``. Targets (issue 13): a preset fitted in under a
minute; a period replayed on any shipped scenario in under 10 s.
"""

from __future__ import annotations

import time

from _record import shared_record

from councilsim import scenario
from councilsim.models.record import presets
from councilsim.models.record_fit import fit_period
from councilsim.records import parse_period
from councilsim.replay import replay


def main() -> None:
    record = shared_record()
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
