"""Population of the UN member states and Penrose's square-root rule.

Penrose (1946, J. R. Stat. Soc. 109:53-57) showed that when each citizen's vote counts
independently, a delegate of a population ``N`` should carry voting power proportional to
``√N`` for every citizen to have the same indirect power. The share a state deserves under
this rule is

    sqrt_share(i) = √pop(i) / Σ_j √pop(j)    (j over the 193 UN members)

and :func:`sqrt_group_shares` sums it by regional group (:mod:`councilsim.states`).

A snapshot ships with the package, ``councilsim/data/population.csv``: the population of every
UN member in 2024 from the World Bank's indicator SP.POP.TOTL ("Population, total"; World
Bank, World Development Indicators, licensed CC BY 4.0: "The World Bank: Population, total
(SP.POP.TOTL)"; the copy it is derived from is published under the PDDL by datasets/population).
Its ``#`` lines give the source and the command that rebuilds it (``python -m
councilsim.build_data population``). A user's file in the same format (the World Bank's long
format: ``Country Name, Country Code, Year, Value``; other rows, such as regions and
non-members, are ignored) can replace it, for any year it covers.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping
from dataclasses import dataclass
from os import PathLike

from councilsim.council import Region
from councilsim.errors import ScenarioError
from councilsim.files import package_data, read_text
from councilsim.limits import MAX_DATA_BYTES
from councilsim.states import lookup, member_states

__all__ = [
    "POPULATION_FILE",
    "Population",
    "population",
    "snapshot_text",
    "sqrt_group_shares",
    "sqrt_shares",
]

POPULATION_FILE = "population.csv"
"""The shipped snapshot, under ``councilsim/data``."""

_COLUMNS = ("Country Name", "Country Code", "Year", "Value")
_REQUIRED = ("Country Code", "Year", "Value")
_SOURCE = "world_population_1960_2024.csv"


@dataclass(frozen=True)
class Population:
    """The population of every current UN member in ``year``, by ISO3 code.

    ``source`` names the file read (the shipped snapshot or a user's).
    """

    year: int
    counts: Mapping[str, int]
    source: str

    @property
    def total(self) -> int:
        """The population of the UN members together."""
        return sum(self.counts.values())


def population(year: int | None = None, path: str | PathLike[str] | None = None) -> Population:
    """The population of the 193 UN members in ``year`` (default: the file's latest year).

    Parameters
    ----------
    year
        The year wanted; the shipped snapshot holds only its own year (2024).
    path
        A CSV in the World Bank's long format (``Country Code, Year, Value``; ``Country Name``
        optional; leading ``#`` lines are comments). Default: the shipped snapshot.

    Raises
    ------
    ScenarioError
        One line naming the file, and the line and column of a bad row: a missing column, a
        year that is not an integer, a population that is not a whole number above 0, a
        member given twice for the year, a year the file does not have, or a UN member
        without a population in that year.
    """
    if path is None:
        name = f"councilsim/data/{POPULATION_FILE}"
        text = package_data(POPULATION_FILE)
    else:
        name = str(path)
        text = _read_text(path)
    return _parse(text, name, year)


def _read_text(path: str | PathLike[str]) -> str:
    """A population file's text: a regular file of at most :data:`MAX_DATA_BYTES`."""
    return read_text(
        path, str(path), limit=MAX_DATA_BYTES, what="a CSV with Country Code,Year,Value"
    )


def _body(text: str) -> tuple[int, str]:
    """The number of leading ``#`` lines and the text after them."""
    lines = text.splitlines()
    skip = next((i for i, line in enumerate(lines) if not line.startswith("#")), len(lines))
    return skip, "\n".join(lines[skip:])


def _rows(text: str, name: str) -> list[tuple[int, str, int, str]]:
    """``(line, code, year, value)`` of every row, years checked."""
    skip, body = _body(text)
    reader = csv.DictReader(io.StringIO(body))
    fields = [f.strip() for f in reader.fieldnames or []]
    for col in _REQUIRED:
        if col not in fields:
            raise ScenarioError(
                f"missing column {col!r}",
                file=name,
                line=skip + 1,
                fix="the header needs Country Code,Year,Value (the World Bank's long format)",
            )
    out = []
    for n, raw in enumerate(reader, start=skip + 2):
        row = {(k or "").strip(): (v or "").strip() for k, v in raw.items()}
        try:
            year = int(row["Year"])
        except ValueError:
            raise ScenarioError(
                f"year {row['Year']!r} is not an integer", file=name, line=n, key="Year"
            ) from None
        out.append((n, row["Country Code"].upper(), year, row["Value"]))
    if not out:
        raise ScenarioError("no rows", file=name, fix="give one row per country and year")
    return out


def _parse(text: str, name: str, year: int | None) -> Population:
    rows = _rows(text, name)
    years = {r[2] for r in rows}
    if year is None:
        year = max(years)
    elif year not in years:
        raise ScenarioError(
            f"no population for {year}",
            file=name,
            key="Year",
            fix=f"choose a year in {min(years)}..{max(years)}"
            if len(years) > 1
            else f"the file holds {min(years)} only; give a file with {year}",
        )
    members = {s.iso3 for s in member_states()}
    counts: dict[str, int] = {}
    for n, code, y, value in rows:
        if y != year or code not in members:
            continue
        if code in counts:
            raise ScenarioError(
                f"{code} is given twice for {year}", file=name, line=n, key="Country Code"
            )
        count = int(value) if value.isascii() and value.isdigit() else 0
        if count <= 0:
            raise ScenarioError(
                f"{code}: population {value!r} is not a whole number above 0",
                file=name,
                line=n,
                key="Value",
                fix="write the number of people, e.g. 1234567",
            )
        counts[code] = count
    missing = [s.iso3 for s in member_states() if s.iso3 not in counts]
    if missing:
        shown = ", ".join(missing[:5]) + (
            f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        )
        raise ScenarioError(
            f"no population in {year} for the UN member{'s' if len(missing) > 1 else ''} {shown}",
            file=name,
            key="Country Code",
            fix="give a row (Country Code, Year, Value) for every UN member state",
        )
    return Population(year, {s.iso3: counts[s.iso3] for s in member_states()}, name)


def sqrt_shares(pop: Population | Mapping[str, float]) -> dict[str, float]:
    """Penrose's square-root rule: each state's share ``√pop ÷ Σ √pop``.

    Over the states of ``pop`` (a :class:`Population` gives the 193 UN members), in its order.

    >>> sqrt_shares({"AAA": 1, "BBB": 9})
    {'AAA': 0.25, 'BBB': 0.75}
    """
    counts = pop.counts if isinstance(pop, Population) else pop
    if not counts:
        raise ScenarioError("no states to share among", key="population")
    bad = next((c for c, v in counts.items() if not (math.isfinite(v) and v > 0)), None)
    if bad is not None:
        raise ScenarioError(f"{bad}: population {counts[bad]!r} is not above 0", key="population")
    roots = {code: math.sqrt(v) for code, v in counts.items()}
    total = math.fsum(roots.values())
    return {code: r / total for code, r in roots.items()}


def sqrt_group_shares(pop: Population | Mapping[str, float]) -> dict[Region, float]:
    """:func:`sqrt_shares` summed by regional group, in :class:`~councilsim.council.Region`
    order; every code must be a current UN member (:func:`councilsim.states.lookup`)."""
    counts = pop.counts if isinstance(pop, Population) else pop
    roots: dict[Region, list[float]] = {g: [] for g in Region}
    for code, v in counts.items():
        state = lookup(code)
        if state is None or state.historical:
            raise ScenarioError(f"{code!r} is not a UN member state", key="population")
        if not (math.isfinite(v) and v > 0):
            raise ScenarioError(f"{code}: population {v!r} is not above 0", key="population")
        roots[state.group].append(math.sqrt(v))
    total = math.fsum(math.fsum(r) for r in roots.values())
    return {g: math.fsum(r) / total for g, r in roots.items()}


def snapshot_text(path: str | PathLike[str], year: int | None = None) -> str:
    """The shipped snapshot rebuilt from the World Bank file at ``path``: its ``#`` lines
    (source, terms, rebuild command), then one row per UN member in ``year`` (default: the
    latest), in :func:`councilsim.states.member_states` order, with the file's names."""
    text = _read_text(path)
    pop = _parse(text, str(path), year)
    names: dict[str, str] = {}
    for raw in csv.DictReader(io.StringIO(_body(text)[1])):
        code = (raw.get("Country Code") or "").strip().upper()
        names.setdefault(code, (raw.get("Country Name") or "").strip())
    out = io.StringIO()
    for line in _provenance(pop):
        out.write(f"# {line}\n")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_COLUMNS)
    for code, count in pop.counts.items():
        writer.writerow((names.get(code, ""), code, pop.year, count))
    return out.getvalue()


def _provenance(pop: Population) -> list[str]:
    return [
        f"Population of the {len(pop.counts)} UN member states in {pop.year} "
        f"(total {pop.total:,}).",
        'Source: The World Bank, "Population, total" (SP.POP.TOTL), World Development',
        "Indicators, from the UN World Population Prospects and national sources;",
        "licence CC BY 4.0 (attribution: The World Bank). Derived from the copy published",
        "by datasets/population under the Public Domain Dedication and License (PDDL).",
        "Rebuild from the repository root with:",
        f"python -m councilsim.build_data population ../shared/data/{_SOURCE} "
        f"-o src/councilsim/data/{POPULATION_FILE}",
    ]
