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

import csv
import os
import statistics
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from councilsim.council import Region
from councilsim.errors import ScenarioError
from councilsim.states import by_group

DEFAULT_COLUMN = "idealpointall"

ALIASES = {"SUN": "RUS"}
"""Holder codes the dataset spells differently: it codes the Soviet Union as RUS."""

FALLBACKS = {"CHN": "TWN"}
"""Where a holder has no row for the year, the state that held its seat: the Republic of China
held China's seat until GA res. 2758 (XXVI) of 25 Oct 1971 and is coded TWN in the dataset."""


def read_year(path: str | os.PathLike[str], year: int, column: str, where: str) -> dict[str, float]:
    """The ideal points of one year: ISO3 code → value. Errors name ``where`` (the key path)."""
    target = Path(path)
    try:
        stamp = target.stat().st_mtime_ns
    except OSError as err:
        raise ScenarioError(
            f"cannot read {str(path)!r}: {err.strerror}",
            key=where,
            fix="give the path of a General Assembly ideal-point CSV",
        ) from None
    years = _read(str(target.resolve()), stamp, column, where)
    if year not in years:
        span = f"{min(years)}..{max(years)}" if years else "none"
        raise ScenarioError(
            f"no ideal points for {year} in {target.name} (years with values: {span})",
            key=where.rsplit(".", 1)[0] + ".year",
            fix=f"choose a year in {span}, or another column (e.g. idealpointfp)",
        )
    return dict(years[year])


@lru_cache(maxsize=8)
def _read(path: str, stamp: int, column: str, where: str) -> dict[int, dict[str, float]]:
    del stamp  # part of the cache key only: a changed file is read again
    out: dict[int, dict[str, float]] = {}
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            header = reader.fieldnames or []
            for name in ("iso3c", "year", column):
                if name not in header:
                    raise ScenarioError(
                        f"{Path(path).name} has no column {name!r}",
                        key=where,
                        fix="give a CSV in the published format (iso3c, year, "
                        "idealpointall, ...) or choose an existing column",
                    )
            for row in reader:
                code, year, value = row["iso3c"].strip(), row["year"], row[column].strip()
                if not code or not value:
                    continue
                try:
                    out.setdefault(int(float(year)), {})[code.upper()] = float(value)
                except ValueError:
                    raise ScenarioError(
                        f"line {reader.line_num} of {Path(path).name} has a bad number",
                        key=where,
                        fix="check the file",
                    ) from None
    except OSError as err:
        raise ScenarioError(f"cannot read {path!r}: {err.strerror}", key=where) from None
    except UnicodeDecodeError:
        raise ScenarioError(f"{Path(path).name} is not UTF-8 text", key=where) from None
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
