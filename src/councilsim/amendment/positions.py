"""Declared positions of negotiating groups and states toward reform plans: the data file.

The shipped file ``councilsim/data/amendment_positions.toml`` (and any file a user gives with
``--positions``) has three parts:

``[groups.ID]``
    A negotiating group: ``name``, its members as ISO3 codes (``members``) or a whole UN
    regional group (``region``), ``source`` (a document symbol where there is one) and
    ``confidence`` (``"C"`` checked against the source, ``"R"`` recalled and to be checked).
``[plans.ID]``
    Optional notes on a plan (a scenario id): ``amendment = false`` for a council the Charter
    already has, ``note``. Every plan a position names must be a shipped scenario or listed here.
``[[position]]``
    One declared stance: ``group`` or ``state``, ``plans`` (scenario ids), ``stance`` (one of
    :data:`STANCES`), optional ``probability`` (overrides the stance's), ``source``,
    ``confidence`` and optional ``note``.

A state's stance on a plan is its own entry if it has one, else that of the first group in
file order that contains it and declares a stance on the plan. Every problem is one
:class:`~councilsim.errors.ScenarioError` naming the file, line, key and fix.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib.resources import as_file, files
from pathlib import Path
from typing import Any

from councilsim.council import Region
from councilsim.errors import ScenarioError
from councilsim.scenario import shipped_ids
from councilsim.states import by_group, member_states
from councilsim.validate import Context, read_toml

__all__ = [
    "STANCES",
    "Group",
    "PlanNote",
    "Position",
    "Positions",
    "load_positions",
    "read_positions",
    "shipped_positions",
]

STANCES: dict[str, float] = {
    "support": 0.9,
    "lean-support": 0.7,
    "undecided": 0.5,
    "lean-oppose": 0.3,
    "oppose": 0.1,
}
"""Each declared stance and the probability of support it stands for (a sponsor of its own
draft is not certain to hold every member: 0.9, not 1)."""

CONFIDENCE = ("C", "R")
SHIPPED = "amendment_positions.toml"
DOCS = "docs/amendment.md"

_GROUP_KEYS = {"name", "members", "region", "source", "confidence"}
_PLAN_KEYS = {"amendment", "note"}
_POSITION_KEYS = {
    "group",
    "state",
    "plans",
    "stance",
    "probability",
    "source",
    "confidence",
    "note",
}


@dataclass(frozen=True)
class Group:
    """A negotiating group: its id, name, member states, source and confidence mark."""

    id: str
    name: str
    members: tuple[str, ...]
    source: str
    confidence: str


@dataclass(frozen=True)
class Position:
    """A declared stance of a group or a state toward one or more plans."""

    holder: str
    is_group: bool
    plans: tuple[str, ...]
    stance: str
    probability: float
    source: str
    confidence: str
    note: str = ""


@dataclass(frozen=True)
class PlanNote:
    """What the file says about a plan: whether it needs an amendment, and a note."""

    amendment: bool = True
    note: str = ""


@dataclass(frozen=True)
class Positions:
    """A validated positions file."""

    file: str
    groups: tuple[Group, ...]
    positions: tuple[Position, ...]
    plans: Mapping[str, PlanNote]

    def group(self, group_id: str) -> Group:
        return next(g for g in self.groups if g.id == group_id)

    def declared(self, plan: str) -> dict[str, tuple[Position, str]]:
        """Each state with a declared stance on ``plan``: the position and the group (or
        ``"state"``) it comes from, by the precedence of the module docstring."""
        out: dict[str, tuple[Position, str]] = {}
        for p in self.positions:
            if not p.is_group and plan in p.plans:
                out[p.holder] = (p, "state")
        for g in self.groups:
            entry = next(
                (p for p in self.positions if p.is_group and p.holder == g.id and plan in p.plans),
                None,
            )
            if entry is None:
                continue
            for iso3 in g.members:
                out.setdefault(iso3, (entry, g.id))
        return out

    def home_group(self, iso3: str) -> str | None:
        """The first group in file order that contains the state, if any."""
        return next((g.id for g in self.groups if iso3 in g.members), None)


def shipped_positions() -> Positions:
    """The positions file shipped with the package."""
    return _shipped()


@cache
def _shipped() -> Positions:
    with as_file(files("councilsim") / "data" / SHIPPED) as path:
        return read_positions(path, f"councilsim/data/{SHIPPED}")


def load_positions(path: str | Path | None) -> Positions:
    """A user's positions file, or the shipped one for ``None``."""
    return shipped_positions() if path is None else read_positions(Path(path))


def read_positions(path: Path, display: str | None = None) -> Positions:
    """Read and strictly validate a positions file (see the module docstring).

    Raises
    ------
    ScenarioError
        For the first problem: unknown keys, unknown states, groups or plans, a stance or
        confidence mark out of the lists, a missing source, a state or group declared twice
        for the same plan.
    """
    doc, ctx = read_toml(path, display, what="a positions file", docs=DOCS)
    _keys(ctx, doc, {"groups", "plans", "position"}, [])
    groups = tuple(_group(ctx, gid, body) for gid, body in _table(ctx, doc, "groups").items())
    plans = {pid: _plan(ctx, pid, body) for pid, body in _table(ctx, doc, "plans").items()}
    known_plans = set(shipped_ids()) | set(plans)
    entries = doc.get("position", [])
    if not isinstance(entries, list):
        raise ctx.error("position", "must be an array of tables", "write each as [[position]]")
    seen: set[tuple[str, str]] = set()
    positions = []
    for k, body in enumerate(entries):
        p = _position(ctx, k, body, {g.id for g in groups}, known_plans)
        for plan in p.plans:
            if (p.holder, plan) in seen:
                raise _at(
                    ctx,
                    k,
                    "plans",
                    f"{p.holder} already has a stance on {plan}",
                    "keep one entry per holder and plan",
                )
            seen.add((p.holder, plan))
        positions.append(p)
    return Positions(ctx.file, groups, tuple(positions), plans)


def _table(ctx: Context, doc: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = doc.get(key, {})
    if not isinstance(value, Mapping):
        raise ctx.error(key, "must be a table", f"write [{key}.ID] sections")
    return value


def _keys(ctx: Context, body: Any, allowed: set[str], where: list[str], k: int = -1) -> None:
    if not isinstance(body, Mapping):
        raise ctx.error(where, "must be a table")
    for key in body:
        if key not in allowed:
            fix = f"use one of {', '.join(sorted(allowed))}"
            if k >= 0:
                raise _at(ctx, k, key, f"unknown key {key!r}", fix)
            raise ctx.error([*where, key], f"unknown key {key!r}", fix)


def _text(ctx: Context, value: Any, where: list[str], k: int = -1) -> str:
    if not isinstance(value, str) or not value.strip():
        problem = "must be a non-empty string"
        if k >= 0:
            raise _at(ctx, k, where[-1], problem, "cite the document or statement")
        raise ctx.error(where, problem, "cite the document or statement")
    return value.strip()


def _confidence(ctx: Context, value: Any, where: list[str], k: int = -1) -> str:
    if value not in CONFIDENCE:
        problem = f"confidence {value!r} is not C or R"
        fix = 'use "C" (checked against the source) or "R" (recalled)'
        raise _at(ctx, k, "confidence", problem, fix) if k >= 0 else ctx.error(where, problem, fix)
    return str(value)


def _members() -> set[str]:
    return {s.iso3 for s in member_states()}


def _group(ctx: Context, gid: str, body: Any) -> Group:
    where = ["groups", gid]
    _keys(ctx, body, _GROUP_KEYS, where)
    if ("members" in body) == ("region" in body):
        raise ctx.error(where, "give either members or region", 'e.g. members = ["BRA", "DEU"]')
    if "region" in body:
        region = body["region"]
        if region not in {r.value for r in Region}:
            raise ctx.error(
                [*where, "region"],
                f"unknown region {region!r}",
                f"use one of {', '.join(r.value for r in Region)}",
            )
        members = tuple(s.iso3 for s in by_group(region))
    else:
        raw = body["members"]
        if not isinstance(raw, list) or not raw:
            raise ctx.error([*where, "members"], "must be a non-empty list of ISO3 codes")
        members = tuple(_state(ctx, m, [*where, "members"]) for m in raw)
        if len(set(members)) != len(members):
            raise ctx.error([*where, "members"], "lists a state twice", "remove the duplicate")
    name = _text(ctx, body.get("name"), [*where, "name"])
    source = _text(ctx, body.get("source"), [*where, "source"])
    confidence = _confidence(ctx, body.get("confidence"), [*where, "confidence"])
    return Group(gid, name, members, source, confidence)


def _state(ctx: Context, value: Any, where: list[str], k: int = -1) -> str:
    code = value.strip().upper() if isinstance(value, str) else ""
    if code not in _members():
        problem = f"{value!r} is not the ISO3 code of a UN member state"
        fix = "see councilsim/data/member_states.csv"
        raise _at(ctx, k, "state", problem, fix) if k >= 0 else ctx.error(where, problem, fix)
    return code


def _plan(ctx: Context, pid: str, body: Any) -> PlanNote:
    where = ["plans", pid]
    _keys(ctx, body, _PLAN_KEYS, where)
    amendment = body.get("amendment", True)
    if not isinstance(amendment, bool):
        raise ctx.error([*where, "amendment"], "must be true or false")
    note = body.get("note", "")
    return PlanNote(amendment, _text(ctx, note, [*where, "note"]) if note else "")


def _position(ctx: Context, k: int, body: Any, groups: set[str], plans: set[str]) -> Position:
    _keys(ctx, body, _POSITION_KEYS, ["position"], k)
    if ("group" in body) == ("state" in body):
        raise _at(ctx, k, "", "give either group or state", 'e.g. group = "g4"')
    if "group" in body:
        holder, is_group = body["group"], True
        if holder not in groups:
            raise _at(
                ctx,
                k,
                "group",
                f"unknown group {holder!r}",
                f"declare [groups.{holder}] or use one of {', '.join(sorted(groups))}",
            )
    else:
        holder, is_group = _state(ctx, body["state"], ["position"], k), False
    raw_plans = body.get("plans")
    if not isinstance(raw_plans, list) or not raw_plans:
        raise _at(ctx, k, "plans", "must be a non-empty list of scenario ids", 'e.g. ["g4-2005"]')
    for plan in raw_plans:
        if plan not in plans:
            raise _at(
                ctx,
                k,
                "plans",
                f"unknown plan {plan!r}",
                "use a shipped scenario id (councilsim list) or declare [plans.ID]",
            )
    stance = body.get("stance")
    if stance not in STANCES:
        raise _at(
            ctx, k, "stance", f"unknown stance {stance!r}", f"use one of {', '.join(STANCES)}"
        )
    probability = body.get("probability", STANCES[stance])
    if (
        isinstance(probability, bool)
        or not isinstance(probability, int | float)
        or not (0 <= probability <= 1)
    ):
        raise _at(
            ctx, k, "probability", f"{probability!r} is not a probability", "use a number in 0..1"
        )
    return Position(
        holder=holder,
        is_group=is_group,
        plans=tuple(raw_plans),
        stance=stance,
        probability=float(probability),
        source=_text(ctx, body.get("source"), ["position", "source"], k),
        confidence=_confidence(ctx, body.get("confidence"), ["position"], k),
        note=str(body.get("note", "")),
    )


def _at(ctx: Context, k: int, key: str, problem: str, fix: str = "") -> ScenarioError:
    """The error for ``key`` of the ``k``-th ``[[position]]``, with its line."""
    return ScenarioError(
        problem,
        file=ctx.file,
        key=f"position[{k + 1}]" + (f".{key}" if key else ""),
        fix=fix or None,
        line=_line(ctx.text, k, key),
    )


def _line(text: str, k: int, key: str) -> int | None:
    seen, start = -1, None
    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if re.match(r"^\[\[\s*position\s*\]\]$", line):
            seen += 1
            if seen == k:
                start = n
                if not key:
                    return n
            elif start is not None:
                return start
            continue
        if start is not None and line.startswith("["):
            return start
        if start is not None and re.match(rf"^{re.escape(key)}\s*=", line):
            return n
    return start
