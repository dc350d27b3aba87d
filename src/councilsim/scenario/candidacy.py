"""Declared candidates for the open seats of a class: ``candidates``, ``candidate_weights``
and ``candidates_source`` in a ``[seats.<id>]`` table (``docs/states.md``).

An open permanent seat (the African seats of the G4 plan, A/59/L.64) or a renewable long-term
seat (the High-level Panel's Model B, A/59/565) goes to one of the states the scenario
declares for it, drawn with the declared weights (or the candidate model's) when an election
run starts or the seat falls vacant. Without a declaration, every member of the seat's group
is a candidate.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from councilsim.council import Candidacy, Region, SeatKind
from councilsim.states import lookup
from councilsim.validate import Context, expect, to_str_list

__all__ = ["CANDIDACY_KEYS", "parse_candidacy"]

CANDIDACY_KEYS = {
    "candidates": "ISO alpha-3 codes of the states that may fill the open seats",
    "candidate_weights": "one positive weight per candidate (default: the candidate model's)",
    "candidates_source": "where the list of candidates comes from",
}
"""The keys of a seat class that declare its candidates, with what each means."""


def parse_candidacy(
    ctx: Context,
    path: Sequence[str],
    spec: Mapping[str, Any],
    kind: SeatKind,
    holders: Sequence[str | None],
    regions: Sequence[Region | None],
) -> Candidacy | None:
    """Validate a class's declared candidates (``None`` where it declares none).

    Errors name the file, the line, the key and the fix: a declaration on a class of elected
    seats or without open seats, an empty list, an unknown state, a state outside the regions
    of the open seats, a state named as a holder, a region with fewer candidates than open
    seats, weights that do not match the list or are not positive.
    """
    path = list(path)
    if not any(k in spec for k in CANDIDACY_KEYS):
        return None
    if "candidates" not in spec:
        other = next(k for k in CANDIDACY_KEYS if k in spec)
        raise ctx.error(
            [*path, other], f"{other} without candidates", "add candidates = [...] or remove it"
        )
    where = [*path, "candidates"]
    if kind is SeatKind.ELECTED:
        raise ctx.error(
            where,
            "elected seats are open to every member of their group",
            'declare candidates for open seats of kind "permanent" or "long-term"',
        )
    states = to_str_list(spec["candidates"], where)
    open_regions = [r for h, r in zip(holders, regions, strict=True) if h is None]
    if not open_regions:
        raise ctx.error(where, "the class has no open seat", "remove candidates or a holder")
    if not states:
        raise ctx.error(where, "the list is empty", "name at least one state, or remove the key")
    for k, code in enumerate(states):
        _check_state(ctx, [*where, k], code, holders, open_regions, states[:k])
    for region in set(open_regions):
        named = [c for c in states if _group(c) is region]
        seats = open_regions.count(region)
        if named and len(named) < seats:
            raise ctx.error(
                where,
                f"{len(named)} {region} candidates for {seats} open {region} seats",
                f"name at least {seats} {region} states",
            )
    weights = _weights(ctx, [*path, "candidate_weights"], spec, len(states))
    source = ""
    if "candidates_source" in spec:
        source = expect(spec["candidates_source"], str, "a string", [*path, "candidates_source"])
    return Candidacy(states=states, weights=weights, source=source)


def _group(code: str) -> Region | None:
    state = lookup(code)
    return None if state is None else state.group


def _check_state(
    ctx: Context,
    where: list[str | int],
    code: str,
    holders: Sequence[str | None],
    open_regions: Sequence[Region | None],
    before: Sequence[str],
) -> None:
    state = lookup(code)
    if state is None or state.historical:
        raise ctx.error(
            where,
            f"{code!r} is not a UN member state",
            "use the ISO 3166 alpha-3 code of a current member (councilsim states lists them)",
        )
    if code in before:
        raise ctx.error(where, f"{code} is named twice", "name each candidate once")
    if code in holders:
        raise ctx.error(where, f"{code} already holds a seat of this class", "remove it")
    if state.group not in open_regions:
        groups = ", ".join(sorted({str(r) for r in open_regions}))
        raise ctx.error(
            where,
            f"{code} is in the {state.group} group, outside the regions of the open seats "
            f"({groups})",
            "name states of those groups only",
        )


def _weights(ctx: Context, where: list[str], spec: Mapping[str, Any], n: int) -> tuple[float, ...]:
    if "candidate_weights" not in spec:
        return ()
    raw = expect(spec["candidate_weights"], list, "a list of numbers", where)
    if len(raw) != n:
        raise ctx.error(
            where, f"{len(raw)} weights for {n} candidates", "give one weight per candidate"
        )
    out = []
    for k, w in enumerate(raw):
        ok = isinstance(w, int | float) and not isinstance(w, bool) and w > 0
        if not ok or w != w or w == float("inf"):
            raise ctx.error([*where, k], f"{w!r} is not a positive number", "use a weight > 0")
        out.append(float(w))
    return tuple(out)
