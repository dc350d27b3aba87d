"""General Assembly ideal points, read from the published CSV, as a prior for spatial voting.

The format is that of Erik Voeten's "United Nations General Assembly Voting Data" (Harvard
Dataverse, hdl:1902.1/12379): one row per country and year with at least the columns
``iso3c``, ``year`` and an ideal-point column, by default ``idealpointall`` (estimated from
all votes; ``idealpointfp`` uses votes after the first session break and has values for the
latest year, where ``idealpointall`` may be empty). The estimates are those of Bailey,
Strezhnev & Voeten (2017), on a scale with the United States at the positive end.

References
----------
Bailey, M. A., Strezhnev, A. & Voeten, E. (2017). Estimating dynamic state preferences from
United Nations voting data. *Journal of Conflict Resolution* 61(2), 430–456.
"""

from __future__ import annotations

import os
import re
import statistics
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from councilsim.council import Region
from councilsim.errors import ScenarioError
from councilsim.limits import MAX_DATA_BYTES
from councilsim.states import by_group
from councilsim.validate import read_csv

_CODE = re.compile(r"[A-Z]{3}")

DEFAULT_COLUMN = "idealpointall"

ALIASES = {"SUN": "RUS"}
"""Holder codes the dataset spells differently: it codes the Soviet Union as RUS."""

FALLBACKS = {"CHN": "TWN"}
"""Where a holder has no row for the year, the state that held its seat: the Republic of China
held China's seat until GA res. 2758 (XXVI) of 25 Oct 1971 and is coded TWN in the dataset."""


def read_year(path: str | os.PathLike[str], year: int, column: str, where: str) -> dict[str, float]:
    """The ideal points of one year: ISO3 code → value. Errors name ``where`` (the key path)
    or, for a problem inside the file, the file, its line and the column."""
    target = Path(path)
    try:
        st = target.stat()
    except OSError as err:
        raise ScenarioError(
            f"cannot read {str(path)!r}: {err.strerror}",
            key=where,
            fix="give the path of a General Assembly ideal-point CSV",
        ) from None
    years = _read(str(target.resolve()), str(path), (st.st_mtime_ns, st.st_size), column)
    if year not in years:
        span = f"{min(years)}..{max(years)}" if years else "none"
        raise ScenarioError(
            f"no ideal points for {year} in {target.name} (years with values: {span})",
            key=where.rsplit(".", 1)[0] + ".year",
            fix=f"choose a year in {span}, or another column (e.g. idealpointfp)",
        )
    return dict(years[year])


@lru_cache(maxsize=8)
def _read(
    path: str, display: str, stamp: tuple[int, int], column: str
) -> dict[int, dict[str, float]]:
    del stamp  # part of the cache key only: a changed file is read again
    rows = read_csv(
        path,
        display,
        required=("iso3c", "year", column),
        limit=MAX_DATA_BYTES,
        what="a General Assembly ideal-point file",
    )
    out: dict[int, dict[str, float]] = {}
    for row in rows:
        code, value = row.text("iso3c").upper(), row.text(column)
        if not code or not value or value.upper() == "NA":
            continue
        if not _CODE.fullmatch(code):
            raise row.error("iso3c", f"{code[:20]!r} is not an ISO 3166 alpha-3 code")
        out.setdefault(row.year(), {})[code] = row.number(column)
    return out


def holder_point(values: Mapping[str, float], holder: str) -> float | None:
    """A holder's ideal point, following :data:`ALIASES` and :data:`FALLBACKS`."""
    code = ALIASES.get(holder.upper(), holder.upper())
    if code in values:
        return values[code]
    fallback = FALLBACKS.get(code)
    return values.get(fallback) if fallback else None


def group_median(values: Mapping[str, float], region: Region | None) -> float:
    """The median ideal point of a regional group's members (of all members if ``None``)."""
    if region is None:
        pool = list(values.values())
    else:
        codes = {s.iso3 for s in by_group(region, historical=True)}
        codes |= {alias for alias, code in ALIASES.items() if code in codes}
        codes |= {ALIASES.get(c, c) for c in codes}
        pool = [v for c, v in values.items() if c in codes]
    if not pool:
        raise ScenarioError(
            f"no ideal points for any member of {region.label if region else 'the UN'}",
            key="simulation.params.ideal_points_file",
            fix="set the ideal points of the open seats with ideal_points",
        )
    return float(statistics.median(pool))
