"""Who sat on the Council each year: the membership file format and what is built from it.

The format is that of a membership-by-year table with one row per member and year and at least
the columns ``year``, ``iso3`` (ISO 3166 alpha-3; the former states SUN, CSK, YUG and DDR are
known) and ``seat`` (``permanent`` or ``elected``); other columns are ignored. From it come a
start composition (:func:`start_from_membership`), the composition of each year for the
validator (:func:`membership_compositions`) and the counts of service behind the ``history``
candidate model.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from os import PathLike

from councilsim.council import SeatKind
from councilsim.elections.check import Member, YearComposition
from councilsim.elections.rules import ElectionRules, StartComposition
from councilsim.elections.start import place_holders
from councilsim.errors import ScenarioError
from councilsim.limits import MAX_MEMBERSHIP_BYTES
from councilsim.states import lookup
from councilsim.validate import CsvRow, parse_csv, read_csv

__all__ = [
    "Membership",
    "membership_compositions",
    "read_membership",
    "start_from_membership",
]

REQUIRED = ("year", "iso3", "seat")


@dataclass(frozen=True)
class Membership:
    """Members by year: ``years[y]`` is a tuple of ``(iso3, seat kind)`` pairs."""

    years: Mapping[int, tuple[tuple[str, SeatKind], ...]]
    source: str = ""

    @property
    def first(self) -> int:
        return min(self.years)

    @property
    def last(self) -> int:
        return max(self.years)

    def elected(self, year: int) -> tuple[str, ...]:
        """The members holding elected seats in ``year``."""
        return tuple(code for code, kind in self.years.get(year, ()) if kind is SeatKind.ELECTED)

    def elected_years(self) -> dict[str, list[int]]:
        """For each state, the years in which it held an elected seat."""
        out: dict[str, list[int]] = defaultdict(list)
        for year in sorted(self.years):
            for code in self.elected(year):
                out[code].append(year)
        return dict(out)


def read_membership(path: str | PathLike[str]) -> Membership:
    """Read a membership-by-year CSV file.

    Raises
    ------
    ScenarioError
        Naming the file, line and column: an unreadable, special or oversized file, a missing
        column, a malformed row, a year that is not a whole number in
        :data:`~councilsim.limits.MIN_YEAR`..:data:`~councilsim.limits.MAX_YEAR`, an unknown
        seat kind or an unknown state code.
    """
    name = str(path)
    rows = read_csv(
        path,
        name,
        required=REQUIRED,
        limit=MAX_MEMBERSHIP_BYTES,
        what="a membership-by-year file",
    )
    return _membership(rows, name)


def parse_membership(text: str, name: str = "<membership>") -> Membership:
    """Parse the text of a membership-by-year CSV file (see :func:`read_membership`)."""
    return _membership(
        parse_csv(text, name, required=REQUIRED, what="a membership-by-year file"), name
    )


def _membership(rows: Iterable[CsvRow], name: str) -> Membership:
    years: dict[int, list[tuple[str, SeatKind]]] = defaultdict(list)
    for row in rows:
        year = row.year("year")
        seat = row.text("seat")
        kind = {"permanent": SeatKind.PERMANENT, "elected": SeatKind.ELECTED}.get(seat)
        if kind is None:
            raise row.error("seat", f"unknown seat {seat[:40]!r}", 'use "permanent" or "elected"')
        code = row.text("iso3").upper()
        if lookup(code) is None:
            raise row.error(
                "iso3",
                f"{code[:40]!r} is not a known state",
                "use ISO 3166 alpha-3 codes (SUN, CSK, YUG, DDR for former states)",
            )
        years[year].append((code, kind))
    if not years:
        raise ScenarioError("no rows", file=name, fix="give one row per member and year")
    return Membership({y: tuple(v) for y, v in sorted(years.items())}, name)


def _term_end(years: Iterable[int], year: int, term: int, last_known: int) -> int:
    """The last year of the term running in ``year``, from a state's years of service.

    A run of consecutive years is cut into terms of ``term`` years from its first year; a run
    that stops short of a full term ends the term early (as the one-year terms of 1966 did),
    unless the file stops first.
    """
    served = set(years)
    first = year
    while first - 1 in served:
        first -= 1
    last = year
    while last + 1 in served:
        last += 1
    end = first + term * ((year - first) // term + 1) - 1
    if last < end and last < last_known:
        end = last
    return end


def start_from_membership(
    rules: ElectionRules, membership: Membership, year: int
) -> StartComposition:
    """The first year of a run, taken from a membership file.

    The scenario's permanent seats are kept as they are. The file's elected members of
    ``year`` take seats of their group, in the first elected class, whose cycle ends when
    their term does (terms are read from the runs of consecutive years in the file). Members
    that hold a permanent seat in the scenario, and those for which the stagger has no free
    seat of their group and cycle, are left out (``dropped``); every seat left open is drawn at
    the start of the run.

    Raises
    ------
    ScenarioError
        When the file has no row for ``year`` or the scenario has no elected class.
    """
    if year not in membership.years:
        raise ScenarioError(
            f"the membership file has no members for {year}",
            file=membership.source,
            fix=f"use a start year in {membership.first}..{membership.last}",
        )
    if not rules.classes:
        raise ScenarioError(
            "the scenario has no elected seats to start from", fix="omit --start-year"
        )
    cls = next((c for c in rules.classes if c.kind is SeatKind.ELECTED), rules.classes[0])
    permanent = {s.holder for s in rules.council.seats if s.kind is SeatKind.PERMANENT and s.holder}
    served = membership.elected_years()
    requests = []
    skipped = []
    for code in membership.elected(year):
        if code in permanent:
            skipped.append(code)
            continue
        end = _term_end(served[code], year, cls.term, membership.last)
        requests.append((cls.class_id, code, end))
    holders, dropped = place_holders(rules, year, requests, strict=False)
    ends = tuple(rules.term_end(i, year) for i in range(rules.council.size))
    return StartComposition(year, holders, ends, "membership", tuple(skipped) + dropped)


def membership_compositions(
    membership: Membership, rules: ElectionRules, years: Iterable[int] | None = None
) -> list[YearComposition]:
    """The file's Council of each year, as the validator reads it.

    Permanent rows go to the council's first permanent class, elected rows to its first
    elected class; each member's region is its regional group today.
    """
    kinds: dict[SeatKind, str] = {}
    for c in rules.council.classes:
        kinds.setdefault(c.kind, c.id)
    out = []
    for year in years if years is not None else sorted(membership.years):
        members = []
        for code, kind in membership.years.get(year, ()):
            state = lookup(code)
            members.append(
                Member(
                    holder=code,
                    seat_class=kinds.get(kind, kind.value),
                    kind=kind,
                    region=None if state is None else state.group,
                )
            )
        out.append(YearComposition(year, tuple(members)))
    return out
