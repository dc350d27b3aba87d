"""The schema of scenario files: which keys exist, their types and ranges, and the checks.

Each check raises :class:`~councilsim.errors.ScenarioError` through :meth:`Context.error`,
which adds the file name and the line of the offending key.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from councilsim.axioms.ids import AXIOM_IDS
from councilsim.council import Abstention, Council, Region, Rule, SeatClass, SeatKind
from councilsim.elections.parse import parse_elections
from councilsim.elections.rules import ElectionRules
from councilsim.errors import ScenarioError
from councilsim.limits import MAX_SEATS, MAX_TERM, MAX_WEIGHT
from councilsim.scenario.candidacy import CANDIDACY_KEYS, parse_candidacy
from councilsim.simulation.spec import SimulationSpec, parse_simulation
from councilsim.states import MemberState, lookup
from councilsim.validate import (
    Context,
    expect,
    integers_not_text,
    key_path,
    show_int,
    to_fraction,
    to_int,
    to_str_list,
    unknown_keys,
)

TOP_KEYS = {
    "id": 'a short lowercase id, e.g. id = "g4-2005"',
    "name": "a display name",
    "description": "a paragraph on what the scenario models",
    "extends": "a shipped id or a path of a scenario this one modifies",
    "sources": "a list of document symbols and references",
    "confidence": "a list of notes on uncertain facts",
    "remove_seats": "a list of seat class ids of the base to drop",
    "rule": "the voting rule table",
    "seats": "the seat classes, one table each",
    "expected": "results the test suite checks",
    "simulation": "the vote model and draws of `councilsim run`",
    "elections": "the stagger, Arab seat and start of `councilsim elect` (docs/elections.md)",
    "unions": "a-priori unions (blocs) of members, one table each (docs/scenarios.md)",
}
SCENARIO_MARKS = ("rule", "seats", "extends")
"""One of these keys makes a TOML file a scenario: errors about a file without any never echo
its keys or values (it may be any file the user can read)."""
CLASS_KEYS = {
    "name",
    "kind",
    "veto",
    "count",
    "holders",
    "region",
    "by_region",
    "weight",
    "term",
    "reelection",
    *CANDIDACY_KEYS,
}
RULE_KEYS = {"quota", "procedural_quota", "veto_threshold", "abstention"}
EXPECTED_SCALARS = {"seats", "total_weight", "veto_holders", "quota", "procedural_quota"}
EXPECTED_FRACTIONS = {"coleman_act"}
EXPECTED_PER_CLASS = (
    "shapley_shubik",
    "banzhaf",
    "banzhaf_absolute",
    "banzhaf_swings",
    "coleman_prevent",
    "coleman_initiate",
    "johnston",
    "deegan_packel",
    "public_good",
)
"""Per-class power values an ``[expected]`` block may state (one seat of the class), in the
order they are checked."""
EXPECTED_TABLES = {"votes", "axioms"}
VOTE_KEYS = {"yes", "no", "abstain", "absent", "rest", "procedural", "parties", "outcome"}
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
ISO3_RE = re.compile(r"^[A-Z]{3}$")


def check_meta(doc: Mapping[str, Any], ctx: Context) -> None:
    """Top-level keys and metadata of one document (before ``extends`` is applied)."""
    with ctx.located():
        _meta(doc, ctx)


def _meta(doc: Mapping[str, Any], ctx: Context) -> None:
    if any(k not in TOP_KEYS for k in doc) and not any(k in doc for k in SCENARIO_MARKS):
        # not a scenario at all (another program's file?): say so without echoing its keys
        raise ScenarioError(
            "not a scenario file: it has none of the keys rule, seats and extends",
            file=ctx.file,
            fix="see docs/scenarios.md for the format",
        )
    unknown_keys(doc, TOP_KEYS, [])
    if "id" in doc:
        expect(doc["id"], str, "a string", ["id"])
        if not ID_RE.match(doc["id"]):
            raise ctx.error(
                ["id"],
                f"{doc['id']!r} is not a valid id",
                'use lowercase letters, digits and hyphens, e.g. "g4-2005"',
            )
    for key in ("name", "description", "extends"):
        if key in doc:
            expect(doc[key], str, "a string", [key])
    for key in ("sources", "confidence", "remove_seats"):
        if key in doc:
            to_str_list(doc[key], [key])
    if "remove_seats" in doc and "extends" not in doc:
        raise ctx.error(["remove_seats"], "remove_seats needs a base", 'add extends = "<id>"')
    for key in ("rule", "seats", "expected", "simulation", "elections"):
        if key in doc:
            expect(doc[key], dict, "a table", [key])


def build_council(doc: Mapping[str, Any], ctx: Context) -> Council:
    """Validate the ``seats`` and ``rule`` tables and build the council."""
    with ctx.located():
        return _council(doc, ctx)


def _council(doc: Mapping[str, Any], ctx: Context) -> Council:
    seats = doc.get("seats")
    if not seats:
        raise ctx.error(
            ["seats"],
            "the scenario has no seats",
            "add a table such as [seats.permanent] with kind, count or holders",
        )
    classes = tuple(_seat_class(ctx, cid, spec) for cid, spec in seats.items())
    _check_duplicates(ctx, classes)
    size = sum(c.count for c in classes)
    if size > MAX_SEATS:
        raise ctx.error(["seats"], f"{size} seats in all", f"use at most {MAX_SEATS} seats")
    council_shell = Council(classes, Rule(1, 1))
    rule = _rule(ctx, doc.get("rule"), council_shell)
    return Council(classes, rule, id=str(doc.get("id", "")), name=str(doc.get("name", "")))


def _seat_class(ctx: Context, cid: str, spec: Any) -> SeatClass:
    path = ["seats", cid]
    if not ID_RE.match(cid):
        raise ctx.error(
            path, f"{cid!r} is not a valid class id", "use lowercase letters, digits and hyphens"
        )
    expect(spec, dict, "a table", path)
    unknown_keys(spec, CLASS_KEYS, path)
    if "kind" not in spec:
        raise ctx.error(
            [*path, "kind"], "missing kind", 'set kind = "permanent", "elected" or "long-term"'
        )
    kind_raw = expect(spec["kind"], str, "a string", [*path, "kind"])
    try:
        kind = SeatKind(kind_raw)
    except ValueError:
        raise ctx.error(
            [*path, "kind"],
            f"unknown seat kind {kind_raw!r}",
            'use "permanent", "elected" or "long-term"',
        ) from None
    veto = expect(spec.get("veto", False), bool, "true or false", [*path, "veto"])
    weight = to_int(spec.get("weight", 1), [*path, "weight"], 1, MAX_WEIGHT, text=False)
    term, reelection = _term(ctx, path, spec, kind)
    holders, regions = _regions(ctx, path, spec, _holders(ctx, path, spec))
    name = expect(spec.get("name", ""), str, "a string", [*path, "name"])
    uniform = set(regions)
    candidacy = parse_candidacy(ctx, path, spec, kind, holders, regions)
    return SeatClass(
        id=cid,
        kind=kind,
        veto=veto,
        holders=holders,
        weight=weight,
        term=term,
        reelection=reelection,
        name=name,
        region=uniform.pop() if len(uniform) == 1 else None,
        regions=() if len(set(regions)) <= 1 else regions,
        candidacy=candidacy,
    )


def _term(
    ctx: Context, path: list[str], spec: Mapping[str, Any], kind: SeatKind
) -> tuple[int | None, bool]:
    if kind is SeatKind.PERMANENT:
        for key in ("term", "reelection"):
            if key in spec:
                raise ctx.error(
                    [*path, key], f"a permanent seat has no {key}", f"remove {key} or change kind"
                )
        return None, False
    default_term = 2 if kind is SeatKind.ELECTED else 4
    term = to_int(spec.get("term", default_term), [*path, "term"], 1, MAX_TERM, text=False)
    reelection = expect(
        spec.get("reelection", kind is SeatKind.LONG_TERM),
        bool,
        "true or false",
        [*path, "reelection"],
    )
    return term, reelection


def _holders(ctx: Context, path: list[str], spec: Mapping[str, Any]) -> tuple[str | None, ...]:
    named = to_str_list(spec["holders"], [*path, "holders"]) if "holders" in spec else []
    for k, code in enumerate(named):
        _check_code(ctx, [*path, "holders", k], code)
    if "count" in spec:
        count = to_int(spec["count"], [*path, "count"], 1, MAX_SEATS, text=False)
        if len(named) > count:
            raise ctx.error(
                [*path, "holders"],
                f"{len(named)} holders for {count} seats",
                f"name at most {count} holders or raise count",
            )
    elif named:
        count = len(named)
    else:
        raise ctx.error(
            [*path, "count"], "missing count", "set count = <number of seats> or list the holders"
        )
    return tuple(named) + (None,) * (count - len(named))


def _check_code(ctx: Context, path: Sequence[str | int], code: str) -> None:
    if not ISO3_RE.match(code):
        raise ctx.error(
            path,
            f"{code!r} is not an ISO 3166 alpha-3 code",
            'write three capital letters, e.g. "IND"; leave open seats unnamed',
        )
    if lookup(code) is None:
        raise ctx.error(
            path,
            f"{code!r} is not a UN member state",
            "use the state's ISO 3166 alpha-3 code (councilsim states lists them)",
        )


Holders = tuple[str | None, ...]
Regions = tuple[Region | None, ...]


def _regions(
    ctx: Context, path: list[str], spec: Mapping[str, Any], holders: Holders
) -> tuple[Holders, Regions]:
    """Each seat's region; with ``by_region``, named holders move to a seat of their group."""
    own = [None if h is None else _group(lookup(h)) for h in holders]
    if "region" in spec and "by_region" in spec:
        raise ctx.error(
            [*path, "by_region"], "both region and by_region are set", "keep one of them"
        )
    if "region" in spec:
        region = _region(ctx, [*path, "region"], spec["region"])
        for k, (h, r) in enumerate(zip(holders, own, strict=True)):
            if h is not None and r is not region:
                raise ctx.error(
                    [*path, "holders", k],
                    f"{h} is in the {r} group, not {region}",
                    "move it to a class of its group or drop region",
                )
        return holders, (region,) * len(holders)
    if "by_region" in spec:
        return _by_region(ctx, [*path, "by_region"], spec["by_region"], holders, own)
    if None in holders and any(h is not None for h in holders):
        raise ctx.error(
            [*path, "region"],
            f"{holders.count(None)} open seats have no region",
            "set region (or by_region) for the class",
        )
    return holders, tuple(own)


def _group(state: MemberState | None) -> Region | None:
    return None if state is None else Region(state.group)


def _region(ctx: Context, path: Sequence[str | int], raw: Any) -> Region:
    expect(raw, str, "a string", path)
    try:
        return Region(raw)
    except ValueError:
        raise ctx.error(
            path, f"unknown region {raw!r}", f"use one of {', '.join(r.value for r in Region)}"
        ) from None


def _by_region(
    ctx: Context, path: list[str], table: Any, holders: Holders, own: list[Region | None]
) -> tuple[Holders, Regions]:
    expect(table, dict, "a table of region = count", path)
    counts = {
        _region(ctx, [*path, k], k): to_int(v, [*path, k], 0, MAX_SEATS, text=False)
        for k, v in table.items()
    }
    if sum(counts.values()) != len(holders):
        raise ctx.error(
            path,
            f"by_region adds up to {sum(counts.values())} seats, the class has {len(holders)}",
            "make the counts add up to count",
        )
    seats: list[str | None] = []
    out: list[Region | None] = []
    for region, n in counts.items():
        named = [h for h, r in zip(holders, own, strict=True) if h is not None and r is region]
        if len(named) > n:
            raise ctx.error(
                path,
                f"{len(named)} named holders in {region} for {n} seats",
                "fix the holders or the counts",
            )
        seats += named + [None] * (n - len(named))
        out += [region] * n
    stray = [h for h, r in zip(holders, own, strict=True) if h is not None and r not in counts]
    if stray:
        raise ctx.error(
            [*path[:-1], "holders"],
            f"{stray[0]} is in no region of by_region",
            "add its group to by_region or drop it",
        )
    return tuple(seats), tuple(out)


def _check_duplicates(ctx: Context, classes: tuple[SeatClass, ...]) -> None:
    seen: dict[str, str] = {}
    for c in classes:
        for k, h in enumerate(c.holders):
            if h is None:
                continue
            if h in seen:
                raise ctx.error(
                    ["seats", c.id, "holders", k],
                    f"{h} already holds a seat in class {seen[h]}",
                    "a state holds at most one seat",
                )
            seen[h] = c.id


def _rule(ctx: Context, table: Any, council: Council) -> Rule:
    if table is None:
        raise ctx.error(["rule"], "missing the rule table", "add [rule] with quota = <votes>")
    unknown_keys(table, RULE_KEYS, ["rule"])
    total = council.total_weight
    if "quota" not in table:
        raise ctx.error(
            ["rule", "quota"], "missing quota", f"set quota to the yes votes needed, in 1..{total}"
        )
    quota = _quota(ctx, "quota", table["quota"], total)
    procedural = _quota(ctx, "procedural_quota", table.get("procedural_quota", quota), total)
    holders = council.veto_holders
    if "veto_threshold" in table:
        threshold = expect(table["veto_threshold"], int, "an integer", ["rule", "veto_threshold"])
        if holders == 0:
            raise ctx.error(
                ["rule", "veto_threshold"],
                "no seat holds a veto",
                "remove veto_threshold or give a class veto = true",
            )
        if not 1 <= threshold <= holders:
            raise ctx.error(
                ["rule", "veto_threshold"],
                f"{show_int(threshold)} is outside 1..{holders} (the number of veto holders)",
                f"use an integer in 1..{holders}",
            )
    else:
        threshold = 1
    raw = table.get("abstention", "practice")
    expect(raw, str, "a string", ["rule", "abstention"])
    try:
        abstention = Abstention(raw)
    except ValueError:
        raise ctx.error(
            ["rule", "abstention"],
            f"unknown reading {raw!r}",
            'use "practice" (abstention does not block) or "literal"',
        ) from None
    return Rule(quota, procedural, threshold, abstention)


def _quota(ctx: Context, key: str, value: Any, total: int) -> int:
    expect(value, int, "an integer", ["rule", key])
    if not 1 <= value <= total:
        raise ctx.error(
            ["rule", key],
            f"{show_int(value)} is outside 1..{total} (the total weight)",
            f"set {key} in 1..{total}",
        )
    return int(value)


@dataclass(frozen=True)
class Blocks:
    """The parsed optional blocks of a scenario."""

    simulation: SimulationSpec | None = None
    elections: ElectionRules | None = None


def check_optional_blocks(
    doc: Mapping[str, Any], merged: Mapping[str, Any], council: Council, ctx: Context
) -> Blocks:
    """Validate ``expected`` (this document's own), ``simulation`` and ``elections``; return
    the parsed blocks."""
    simulation = elections = None
    if "expected" in doc:
        check_expected(ctx, doc["expected"], council)
    if "simulation" in merged:
        with ctx.located("simulation"):
            if isinstance(merged["simulation"], Mapping):
                integers_not_text(merged["simulation"], ("draws", "seed", "years"), "simulation")
            simulation = parse_simulation(merged["simulation"], council)
    if "elections" in merged:
        with ctx.located("elections"):
            inherited = "elections" not in doc
            elections = parse_elections(merged["elections"], council, inherited=inherited)
    return Blocks(simulation, elections)


def check_expected(ctx: Context, table: Mapping[str, Any], council: Council) -> None:
    """The expected-results block: known keys, class ids that exist, well-formed values."""
    with ctx.located():
        _expected(ctx, table, council)


def _expected(ctx: Context, table: Mapping[str, Any], council: Council) -> None:
    allowed = EXPECTED_SCALARS | EXPECTED_FRACTIONS | set(EXPECTED_PER_CLASS) | EXPECTED_TABLES
    unknown_keys(table, allowed, ["expected"])
    classes = {c.id for c in council.classes}
    for key, value in table.items():
        path = ["expected", key]
        if key in EXPECTED_SCALARS:
            to_int(value, path, 0, 10**9, text=False)
        elif key in EXPECTED_FRACTIONS:
            to_fraction(value, path)
        elif key in EXPECTED_PER_CLASS:
            expect(value, dict, "a table of class id = value", path)
            for cid, v in value.items():
                if cid not in classes:
                    raise ctx.error(
                        [*path, cid],
                        f"no seat class {cid!r}",
                        f"use one of {', '.join(sorted(classes))}",
                    )
                to_fraction(v, [*path, cid])
        elif key == "axioms":
            expect(value, dict, "a table of axiom = true/false", path)
            for name, v in value.items():
                if name not in AXIOM_IDS:
                    raise ScenarioError(
                        f"unknown axiom {name!r}",
                        file=ctx.file,
                        key=key_path([*path, name]),
                        fix=f"use one of {', '.join(AXIOM_IDS)}",
                        line=ctx.line_of(path),
                    )
                expect(v, bool, "true or false", [*path, name])
        else:
            expect(value, list, "an array of tables ([[expected.votes]])", path)
            for k, item in enumerate(value):
                _check_vote_case(ctx, [*path, k], item, council)


def _check_vote_case(ctx: Context, path: list[str | int], item: Any, council: Council) -> None:
    expect(item, dict, "a table", path)
    unknown_keys(item, VOTE_KEYS, path)
    for key in ("yes", "no", "abstain", "absent", "parties"):
        for k, name in enumerate(to_str_list(item.get(key, []), [*path, key])):
            try:
                council.index_of(name)
            except KeyError:
                raise ctx.error(
                    [*path, key, k],
                    f"{name!r} holds no seat",
                    "use a holder code or seat label of this council",
                ) from None
    rest = item.get("rest", "absent")
    if not isinstance(rest, str) or rest not in {"yes", "no", "abstain", "absent"}:
        raise ctx.error(
            [*path, "rest"], f"unknown vote {rest!r}", 'use "yes", "no", "abstain" or "absent"'
        )
    expect(item.get("procedural", False), bool, "true or false", [*path, "procedural"])
    outcome = item.get("outcome")
    if not isinstance(outcome, str) or outcome not in {"adopted", "vetoed", "failed"}:
        raise ctx.error(
            [*path, "outcome"],
            f"outcome {item.get('outcome')!r} is not known",
            'use "adopted", "vetoed" or "failed"',
        )
