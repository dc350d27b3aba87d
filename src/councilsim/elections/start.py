"""The first year of a run: who holds each seat and when each term ends.

A run starts from the scenario's ``[elections.start]`` table (a year and the last year of the
current term of each named holder), from the scenario's named holders (placed in the seats of
their group that fall vacant first), or from a membership file
(:func:`councilsim.elections.start_from_membership`). Open seats are drawn when the run starts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from councilsim.council import SeatKind
from councilsim.elections.rules import (
    DEFAULT_START_YEAR,
    MAX_YEAR,
    MIN_YEAR,
    START_KEYS,
    ElectionRules,
    StartComposition,
    _group,
)
from councilsim.errors import ScenarioError
from councilsim.states import ARAB_STATES
from councilsim.validate import fail, to_int, to_table, unknown_keys

__all__ = ["parse_start", "place_holders", "starting_composition"]


def parse_start(raw: Any, rules: ElectionRules) -> StartComposition:
    """Validate ``[elections.start]`` and seat its named holders (errors: ``ScenarioError``)."""
    spec = to_table(raw, ["elections", "start"])
    unknown_keys(spec, START_KEYS, ["elections", "start"])
    if "year" not in spec:
        raise fail(
            ["elections", "start", "year"], "missing year", "set year = <first year of the run>"
        )
    year = to_int(spec["year"], ["elections", "start", "year"], MIN_YEAR, MAX_YEAR, text=False)
    ends_raw = to_table(
        spec.get("term_ends", {}), ["elections", "start", "term_ends"], "a table ISO3 = year"
    )
    seats = rules.council.seats
    named = {
        s.holder: s for s in seats if s.holder is not None and s.kind is not SeatKind.PERMANENT
    }
    ends: dict[str, int] = {}
    for code, end in ends_raw.items():
        path = ["start", "term_ends", code]
        if code not in named:
            raise fail(
                ["elections", *path], f"{code} holds no elected seat in this scenario", "remove it"
            )
        term = named[code].term or 1
        ends[code] = to_int(end, ["elections", *path], year, year + term - 1, text=False)
    requests = [(s.seat_class, s.holder, ends.get(s.holder)) for s in seats if s.holder in named]
    try:
        holders, dropped = place_holders(rules, year, requests, strict=True)
    except ValueError as err:
        code = str(err).split(" ", 1)[0]
        raise fail(
            ["elections", "start", "term_ends", code], str(err), "fix the term end year"
        ) from None
    return StartComposition(year, holders, _term_ends(rules, year), "scenario", dropped)


def _term_ends(rules: ElectionRules, year: int) -> tuple[int | None, ...]:
    return tuple(rules.term_end(i, year) for i in range(rules.council.size))


def place_holders(
    rules: ElectionRules,
    year: int,
    requests: Sequence[tuple[str, str, int | None]],
    *,
    strict: bool,
) -> tuple[tuple[str | None, ...], tuple[str, ...]]:
    """Seat named holders of non-permanent classes for the first year of a run.

    Parameters
    ----------
    rules
        The election rules (they fix each seat's group and cycle).
    year
        The first year of the run.
    requests
        ``(class id, ISO3, last year of the current term or None)`` for each holder. A holder
        with a term end takes a seat of its group whose cycle ends then; one without takes the
        seat of its group that falls vacant first. Arab states are seated first so that the
        Arab swing seat goes to one of them.
    strict
        Raise :class:`ValueError` (message starting with the ISO3 code) when a holder finds no
        seat; otherwise leave it out and return it among the dropped.

    Returns
    -------
    holders, dropped
        One entry per council seat (permanent seats keep the scenario's holders, open
        non-permanent seats are ``None``) and the codes that found no seat.
    """
    seats = rules.council.seats
    holders: list[str | None] = [s.holder if s.kind is SeatKind.PERMANENT else None for s in seats]
    ends = _term_ends(rules, year)
    reserved = set((rules.arab_seats or {}).values())
    order = sorted(requests, key=lambda q: (q[2] is None, q[1] not in ARAB_STATES))
    dropped: list[str] = []
    for cid, code, end in order:
        region = _group(code)
        free = [
            i
            for i, s in enumerate(seats)
            if s.seat_class == cid
            and s.region is region
            and holders[i] is None
            and (end is None or ends[i] == end)
        ]
        free.sort(key=lambda i: (ends[i] or 0, (i not in reserved) == (code in ARAB_STATES)))
        if not free:
            if strict:
                when = f"a term ending in {end}" if end is not None else "any term"
                raise ValueError(
                    f"{code} finds no free {region} seat of class {cid} with {when} "
                    f"under the stagger"
                )
            dropped.append(code)
            continue
        holders[free[0]] = code
    return tuple(holders), tuple(dropped)


def starting_composition(rules: ElectionRules, year: int | None = None) -> StartComposition:
    """The scenario's own start: its ``[elections.start]`` table, or its named holders.

    Without a start table, named holders of non-permanent seats take the seats of their group
    that fall vacant first, in ``year`` (default :data:`DEFAULT_START_YEAR`).

    Raises
    ------
    ScenarioError
        When ``year`` differs from the year of a start table that gives term ends.
    """
    if rules.start is not None and year in (None, rules.start.year):
        return rules.start
    if rules.start is not None and year != rules.start.year:
        raise ScenarioError(
            f"the scenario's start composition is that of {rules.start.year}, not {year}",
            key="elections.start.year",
            fix="omit the start year, or give a membership file to start from",
        )
    first = DEFAULT_START_YEAR if year is None else year
    seats = rules.council.seats
    requests = [
        (s.seat_class, s.holder, None)
        for s in seats
        if s.holder is not None and s.kind is not SeatKind.PERMANENT
    ]
    holders, _ = place_holders(rules, first, requests, strict=True)
    ends = tuple(rules.term_end(i, first) for i in range(len(seats)))
    return StartComposition(first, holders, ends, "scenario")
