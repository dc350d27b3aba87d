"""Election rules of a scenario: the stagger, the Arab seat, open permanent seats, the start.

The ``[elections]`` table of a scenario file is read by
:func:`councilsim.elections.parse_elections` into an :class:`ElectionRules`. What it encodes:

* **The stagger.** Since the enlargement of 1965 the General Assembly elects five of the ten
  elected members each year for two-year terms (Charter Art. 23(2); GA res. 1991 A (XVIII);
  rule 142 of the GA rules of procedure). By group, the elections held in odd years fill two
  African seats and one each of the Asia-Pacific, Eastern European and GRULAC seats; those held
  in even years fill one African, one Asia-Pacific and one GRULAC seat and two WEOG seats. Each
  seat therefore has a *phase*: the remainder of its election year divided by the term. A term
  starts on 1 January after the election. Reform scenarios give their own stagger, or a default
  is derived (:func:`default_stagger`).
* **No immediate re-election** of a retiring member unless the class allows it (Art. 23(2);
  rule 144).
* **The Arab swing seat.** By an informal understanding of 1967, one of the seats of the African
  and Asia-Pacific groups is always held by an Arab state, filled alternately from each group:
  every other election of the swing seat's phase (:class:`ArabSeat`).
* **Open permanent seats** stay placeholders, or are drawn once from their group at the start.
* **The start**: the year the run starts and, for the named holders of elected seats, the last
  year of their terms (:class:`StartComposition`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from councilsim.council import Council, Region, SeatKind
from councilsim.limits import MAX_SEATS
from councilsim.states import by_group, lookup
from councilsim.validate import fail, to_int, to_table, unknown_keys

__all__ = [
    "DEFAULT_START_YEAR",
    "ArabSeat",
    "ClassElection",
    "ElectionRules",
    "StartComposition",
    "default_stagger",
    "parse_rules",
]

#: The year whose Council the shipped ``current`` scenario names.
DEFAULT_START_YEAR = 2026
ELECTION_KEYS = {
    "stagger": "seats per group elected each year, one table per seat class",
    "arab_seat": "true, or a table {class, group, year}: the Arab swing seat",
    "open_permanent": '"placeholder" (default) or "draw": how open permanent seats are filled',
    "start": "the first year of a run and the term ends of the named holders",
}
ARAB_KEYS = {"class", "group", "year"}
START_KEYS = {"year", "term_ends"}
OPEN_PERMANENT = ("placeholder", "draw")
MIN_YEAR, MAX_YEAR = 1945, 3000

SeatCounts = Mapping[Region, int]


@dataclass(frozen=True)
class ClassElection:
    """How one non-permanent seat class is elected.

    ``stagger[p]`` gives the seats per group elected in the years whose remainder modulo
    ``term`` is ``p``; the winners sit from 1 January of the next year for ``term`` years.
    """

    class_id: str
    kind: SeatKind
    term: int
    reelection: bool
    seats: SeatCounts
    stagger: tuple[SeatCounts, ...]
    derived: bool = False

    def elected_in(self, year: int) -> SeatCounts:
        """Seats per group elected at the election held in ``year``."""
        return self.stagger[year % self.term]


@dataclass(frozen=True)
class ArabSeat:
    """The Arab swing seat: at the election of ``year`` it went to ``group``; it alternates.

    The seat is filled at the elections whose year has the same remainder modulo the class's
    term as ``year``; at each of them the group changes between Africa and Asia-Pacific.
    """

    class_id: str = "elected"
    group: Region = Region.ASIA_PACIFIC
    year: int = 2025

    def group_at(self, election_year: int, term: int) -> Region | None:
        """The group whose seat is reserved at the election of ``election_year``, if any."""
        if (election_year - self.year) % term:
            return None
        flips = (election_year - self.year) // term
        if flips % 2 == 0:
            return self.group
        return Region.AFRICA if self.group is Region.ASIA_PACIFIC else Region.ASIA_PACIFIC

    def last_election(self, year: int, term: int) -> int:
        """The last swing election held before ``year`` (whose winner sits in ``year``)."""
        return year - 1 - ((year - 1 - self.year) % term)


@dataclass(frozen=True)
class StartComposition:
    """The Council in the first year of a run.

    ``holders`` has one entry per seat of the council, in council order (``None``: open, to be
    drawn at the start); ``term_ends`` gives the last year of each non-permanent seat's current
    term (``None`` for permanent seats). ``dropped`` names members of a membership file that
    found no seat of their group and cycle in the scenario.
    """

    year: int
    holders: tuple[str | None, ...]
    term_ends: tuple[int | None, ...]
    source: str = "scenario"
    dropped: tuple[str, ...] = ()


@dataclass(frozen=True)
class ElectionRules:
    """Everything the election engine and the validator need about one council."""

    council: Council
    classes: tuple[ClassElection, ...]
    seat_phase: tuple[int | None, ...]
    arab_seat: ArabSeat | None = None
    arab_seats: Mapping[Region, int] | None = None
    open_permanent: str = "placeholder"
    start: StartComposition | None = None

    def election(self, class_id: str) -> ClassElection:
        """The rules of one non-permanent class."""
        for c in self.classes:
            if c.class_id == class_id:
                return c
        raise KeyError(class_id)

    def term_end(self, seat: int, year: int) -> int | None:
        """The last year of the term running in ``year`` on a non-permanent seat."""
        phase = self.seat_phase[seat]
        if phase is None:
            return None
        term = self.council.seats[seat].term or 1
        last_election = year - 1 - ((year - 1 - phase) % term)
        return last_election + term


def parse_rules(table: Mapping[str, Any] | None, council: Council) -> ElectionRules:
    """Validate an ``[elections]`` table but its ``start`` (read by
    :func:`councilsim.elections.start.parse_start`): the stagger, the Arab seat and how open
    permanent seats are filled. :func:`councilsim.elections.parse_elections` reads the whole
    table."""
    table = to_table(table if table is not None else {}, ["elections"])
    unknown_keys(table, ELECTION_KEYS, ["elections"])
    stagger_table = to_table(table.get("stagger", {}), ["elections", "stagger"])
    classes = tuple(_class_rules(council, stagger_table))
    known = {c.class_id for c in classes}
    for cid in stagger_table:
        if cid not in known:
            kinds = {c.id: c.kind for c in council.classes}
            why = "is permanent" if cid in kinds else "is not a seat class"
            raise fail(
                ["elections", "stagger", cid], f"{cid!r} {why}", f"use one of: {', '.join(known)}"
            )
    _check_pools(council, classes, table.get("open_permanent", "placeholder"))
    arab = _arab_seat(table.get("arab_seat", False), classes)
    phases, arab_seats = _seat_phases(council, classes, arab)
    return ElectionRules(
        council=council,
        classes=classes,
        seat_phase=phases,
        arab_seat=arab,
        arab_seats=arab_seats,
        open_permanent=table.get("open_permanent", "placeholder"),
    )


def _class_rules(council: Council, stagger: Mapping[str, Any]) -> list[ClassElection]:
    out = []
    for c in council.classes:
        if c.kind is SeatKind.PERMANENT:
            continue
        regions = c.seat_regions()
        if None in regions:
            raise fail(
                ["elections", "stagger", c.id],
                f"class {c.id} has seats without a region; elections are held by group",
                f"give [seats.{c.id}] a region or by_region",
            )
        seats = {r: regions.count(r) for r in Region if r in regions}
        term = c.term or 1
        if c.id in stagger:
            table = to_table(
                stagger[c.id], ["elections", "stagger", c.id], "a table of cycle = {group = seats}"
            )
            phases, derived = _stagger(c.id, table, term, seats), False
        else:
            phases, derived = default_stagger(seats, term), True
        out.append(ClassElection(c.id, c.kind, term, c.reelection, seats, phases, derived))
    return out


def _phase_of(cid: str, key: str, term: int) -> int:
    if key in ("odd", "even") and term == 2:
        return 1 if key == "odd" else 0
    if key.isdigit() and int(key) < term:
        return int(key)
    names = '"even" and "odd"' if term == 2 else f'"0".."{term - 1}"'
    raise fail(
        ["elections", "stagger", cid, key],
        f"unknown cycle {key!r} for a {term}-year term",
        f"use {names} (the election year modulo the term)",
    )


def _stagger(
    cid: str, table: Mapping[str, Any], term: int, seats: SeatCounts
) -> tuple[SeatCounts, ...]:
    phases: list[dict[Region, int]] = [{} for _ in range(term)]
    for key, counts in table.items():
        p = _phase_of(cid, key, term)
        if phases[p]:
            raise fail(
                ["elections", "stagger", cid, key], "this cycle is given twice", "keep one of them"
            )
        path = ["stagger", cid, key]
        for g, n in to_table(counts, ["elections", *path], "a table of group = seats").items():
            try:
                region = Region(g)
            except ValueError:
                raise fail(
                    ["elections", *path, g],
                    f"unknown group {g!r}",
                    f"use one of {', '.join(Region)}",
                ) from None
            if region not in seats:
                raise fail(
                    ["elections", *path, g], f"class {cid} has no {g} seats", "remove the group"
                )
            phases[p][region] = to_int(n, ["elections", *path, g], 0, MAX_SEATS, text=False)
    for region, n in seats.items():
        elected = sum(ph.get(region, 0) for ph in phases)
        if elected != n:
            raise fail(
                ["elections", "stagger", cid],
                f"{elected} {region} seats elected per {term}-year cycle, but the class has "
                f"{n} (each seat is filled once per term)",
                f"make the {region} counts over the cycles add up to {n}",
            )
    return tuple({r: ph[r] for r in Region if ph.get(r)} for ph in phases)


def default_stagger(seats: SeatCounts, term: int) -> tuple[SeatCounts, ...]:
    """The stagger used when a scenario gives none: each group's seats spread over the cycle.

    A group with ``n`` seats and terms of ``term`` years gets ``n // term`` seats at every
    election; each of the ``n % term`` remaining seats goes, group by group in the order
    Africa, Asia-Pacific, Eastern Europe, GRULAC, WEOG, to the cycle with the fewest seats so
    far (ties: the lowest remainder, i.e. even years first for two-year terms). Two-year terms
    thus elect half of each group's seats every year, rounding the odd seat so that the years
    stay as even as possible; four-year terms a quarter.

    >>> from councilsim.council import Region
    >>> s = default_stagger({Region.AFRICA: 3, Region.WEOG: 2}, 2)
    >>> [dict((r.value, n) for r, n in p.items()) for p in s]
    [{'africa': 2, 'weog': 1}, {'africa': 1, 'weog': 1}]
    """
    phases: list[dict[Region, int]] = [{} for _ in range(term)]
    for region in Region:
        n = seats.get(region, 0)
        for p in range(term):
            phases[p][region] = n // term
        for _ in range(n % term):
            totals = [sum(ph.values()) for ph in phases]
            best = min(range(term), key=lambda p: (totals[p], p))
            phases[best][region] += 1
    return tuple({r: ph[r] for r in Region if ph.get(r)} for ph in phases)


def _check_pools(council: Council, classes: Sequence[ClassElection], open_perm: Any) -> None:
    """Each group must have enough states to fill its seats with no immediate re-election."""
    if open_perm not in OPEN_PERMANENT:
        raise fail(
            ["elections", "open_permanent"],
            f"unknown value {open_perm!r}",
            'use "placeholder" or "draw"',
        )
    for region in Region:
        permanent = sum(
            1
            for c in council.classes
            if c.kind is SeatKind.PERMANENT
            for h, r in zip(c.holders, c.seat_regions(), strict=True)
            if (h is not None and _group(h) is region) or (h is None and r is region)
        )
        need = permanent
        for c in classes:
            need += c.seats.get(region, 0)
            if not c.reelection:
                need += max(ph.get(region, 0) for ph in c.stagger)
        have = len(by_group(region))
        if need > have:
            raise fail(
                ["elections", "stagger"],
                f"the {region} group has {have} states but needs {need} at one election "
                "(its seats, plus the retiring members who may not be re-elected)",
                "use fewer seats for the group or allow re-election",
            )


def _group(code: str) -> Region | None:
    state = lookup(code)
    return None if state is None else state.group


def _arab_seat(raw: Any, classes: Sequence[ClassElection]) -> ArabSeat | None:
    if raw is False:
        return None
    if raw is True:
        raw = {}
    spec = to_table(raw, ["elections", "arab_seat"], "true, false or a table {class, group, year}")
    unknown_keys(spec, ARAB_KEYS, ["elections", "arab_seat"])
    elected = [c.class_id for c in classes if c.kind is SeatKind.ELECTED]
    cid = spec.get("class", elected[0] if elected else "")
    if not isinstance(cid, str) or cid not in {c.class_id for c in classes}:
        raise fail(
            ["elections", "arab_seat", "class"],
            f"no elected seat class {cid!r}",
            "name an elected class",
        )
    cls = next(c for c in classes if c.class_id == cid)
    group_raw = spec.get("group", Region.ASIA_PACIFIC.value)
    if group_raw not in (Region.AFRICA.value, Region.ASIA_PACIFIC.value):
        raise fail(
            ["elections", "arab_seat", "group"],
            f"{group_raw!r} is not a swing group",
            'use "africa" or "asia-pacific"',
        )
    year = to_int(
        spec.get("year", 2025), ["elections", "arab_seat", "year"], MIN_YEAR, MAX_YEAR, text=False
    )
    phase = cls.stagger[year % cls.term]
    for region in (Region.AFRICA, Region.ASIA_PACIFIC):
        if not phase.get(region):
            raise fail(
                ["elections", "arab_seat"],
                f"class {cid} elects no {region} seat in the years of the swing seat's cycle "
                f"({year} modulo {cls.term})",
                "change arab_seat.year or the stagger",
            )
    return ArabSeat(cid, Region(group_raw), year)


def _seat_phases(
    council: Council, classes: Sequence[ClassElection], arab: ArabSeat | None
) -> tuple[tuple[int | None, ...], dict[Region, int] | None]:
    """Give each seat a cycle; the first seat of each swing group in the swing cycle is Arab."""
    phases: list[int | None] = [None] * council.size
    by_id = {c.class_id: c for c in classes}
    arab_seats: dict[Region, int] = {}
    start = 0
    for cls in council.classes:
        rules = by_id.get(cls.id)
        if rules is not None:
            todo = {
                r: [p for p, ph in enumerate(rules.stagger) for _ in range(ph.get(r, 0))]
                for r in rules.seats
            }
            for k, region in enumerate(cls.seat_regions()):
                assert region is not None
                phases[start + k] = todo[region].pop(0)
            if arab is not None and arab.class_id == cls.id:
                swing = arab.year % rules.term
                for region in (Region.AFRICA, Region.ASIA_PACIFIC):
                    arab_seats[region] = next(
                        start + k
                        for k, r in enumerate(cls.seat_regions())
                        if r is region and phases[start + k] == swing
                    )
        start += cls.count
    return tuple(phases), (arab_seats or None)
