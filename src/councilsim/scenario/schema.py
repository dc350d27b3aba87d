"""The schema of scenario files: which keys exist, their types and ranges, and the checks.

Each check raises :class:`~councilsim.errors.ScenarioError` through :meth:`Context.error`,
which adds the file name and the line of the offending key.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from councilsim.council import Abstention, Council, Region, Rule, SeatClass, SeatKind
from councilsim.errors import ScenarioError

MAX_SEATS = 1000
MAX_WEIGHT = 1_000_000
MAX_TERM = 50

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
}
RULE_KEYS = {"quota", "procedural_quota", "veto_threshold", "abstention"}
EXPECTED_SCALARS = {"seats", "total_weight", "veto_holders", "quota", "procedural_quota"}
EXPECTED_FRACTIONS = {"coleman_act"}
EXPECTED_PER_CLASS = {
    "shapley_shubik",
    "banzhaf",
    "banzhaf_absolute",
    "banzhaf_swings",
    "coleman_prevent",
    "coleman_initiate",
    "johnston",
    "deegan_packel",
    "public_good",
}
EXPECTED_TABLES = {"votes", "axioms"}
VOTE_KEYS = {"yes", "no", "abstain", "absent", "rest", "procedural", "parties", "outcome"}
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
ISO3_RE = re.compile(r"^[A-Z]{3}$")


@dataclass(frozen=True)
class Context:
    """Where a document came from, to word errors: its display name and text."""

    file: str
    text: str

    def line_of(self, path: Sequence[str | int]) -> int | None:
        """The line where ``path`` (e.g. ``("seats", "elected", "count")``) is set, if found."""
        keys = [str(p) for p in path if not isinstance(p, int)]
        if not keys:
            return None
        table, last = keys[:-1], keys[-1]
        header: list[str] = []
        for n, raw in enumerate(self.text.splitlines(), start=1):
            line = raw.split("#", 1)[0].strip()
            m = re.match(r"^\[\[?\s*([^\]]+?)\s*\]\]?$", line)
            if m:
                header = [_unquote(k) for k in m.group(1).split(".")]
                if header == keys:
                    return n
                continue
            m = re.match(r"^([A-Za-z0-9_\-\".]+)\s*=", line)
            if m:
                dotted = header + [_unquote(k) for k in m.group(1).split(".")]
                if dotted[: len(keys)] == keys or (dotted == [*table, last]):
                    return n
        return None

    def error(self, path: Sequence[str | int], problem: str, fix: str = "") -> ScenarioError:
        return ScenarioError(
            problem, file=self.file, key=key_path(path), fix=fix or None, line=self.line_of(path)
        )


def _unquote(k: str) -> str:
    return k.strip().strip('"').strip("'")


def key_path(path: Sequence[str | int]) -> str:
    out = ""
    for p in path:
        out += f"[{p + 1}]" if isinstance(p, int) else (f".{p}" if out else p)
    return out


def _type_name(v: Any) -> str:
    names = {
        bool: "a boolean",
        int: "an integer",
        float: "a number",
        str: "a string",
        list: "an array",
        dict: "a table",
    }
    return names.get(type(v), type(v).__name__)


def expect(ctx: Context, path: Sequence[str | int], value: Any, kind: type, what: str) -> Any:
    """Check a value's TOML type (bool is not an int here)."""
    ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
    if not ok:
        raise ctx.error(
            path, f"expected {what}, found {_type_name(value)} {value!r}"[:160], f"write {what}"
        )
    return value


def expect_int(ctx: Context, path: Sequence[str | int], value: Any, lo: int, hi: int) -> int:
    expect(ctx, path, value, int, "an integer")
    if not lo <= value <= hi:
        raise ctx.error(path, f"{value} is out of range", f"use an integer in {lo}..{hi}")
    return int(value)


def unknown_keys(
    ctx: Context,
    path: Sequence[str | int],
    table: Mapping[str, Any],
    allowed: set[str] | Mapping[str, str],
) -> None:
    for key in table:
        if key not in allowed:
            close = [a for a in allowed if _similar(key, a)]
            fix = (
                f"did you mean {close[0]!r}?"
                if close
                else f"allowed keys: {', '.join(sorted(allowed))}"
            )
            raise ctx.error([*path, key], f"unknown key {key!r}", fix)


def _similar(a: str, b: str) -> bool:
    a, b = a.lower().replace("-", "_"), b.lower().replace("-", "_")
    return a == b or (len(a) > 3 and (a in b or b in a)) or _edit1(a, b)


def _edit1(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1 or a == b:
        return a == b
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def str_list(ctx: Context, path: Sequence[str | int], value: Any) -> list[str]:
    expect(ctx, path, value, list, "an array of strings")
    for k, item in enumerate(value):
        expect(ctx, [*path, k], item, str, "a string")
    return list(value)


def check_meta(doc: Mapping[str, Any], ctx: Context) -> None:
    """Top-level keys and metadata of one document (before ``extends`` is applied)."""
    unknown_keys(ctx, [], doc, TOP_KEYS)
    if "id" in doc:
        expect(ctx, ["id"], doc["id"], str, "a string")
        if not ID_RE.match(doc["id"]):
            raise ctx.error(
                ["id"],
                f"{doc['id']!r} is not a valid id",
                'use lowercase letters, digits and hyphens, e.g. "g4-2005"',
            )
    for key in ("name", "description", "extends"):
        if key in doc:
            expect(ctx, [key], doc[key], str, "a string")
    for key in ("sources", "confidence", "remove_seats"):
        if key in doc:
            str_list(ctx, [key], doc[key])
    if "remove_seats" in doc and "extends" not in doc:
        raise ctx.error(["remove_seats"], "remove_seats needs a base", 'add extends = "<id>"')
    for key in ("rule", "seats", "expected", "simulation", "elections"):
        if key in doc:
            expect(ctx, [key], doc[key], dict, "a table")


def build_council(doc: Mapping[str, Any], ctx: Context) -> Council:
    """Validate the ``seats`` and ``rule`` tables and build the council."""
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
    expect(ctx, path, spec, dict, "a table")
    unknown_keys(ctx, path, spec, CLASS_KEYS)
    if "kind" not in spec:
        raise ctx.error(
            [*path, "kind"], "missing kind", 'set kind = "permanent", "elected" or "long-term"'
        )
    kind_raw = expect(ctx, [*path, "kind"], spec["kind"], str, "a string")
    try:
        kind = SeatKind(kind_raw)
    except ValueError:
        raise ctx.error(
            [*path, "kind"],
            f"unknown seat kind {kind_raw!r}",
            'use "permanent", "elected" or "long-term"',
        ) from None
    veto = expect(ctx, [*path, "veto"], spec.get("veto", False), bool, "true or false")
    weight = expect_int(ctx, [*path, "weight"], spec.get("weight", 1), 1, MAX_WEIGHT)
    term, reelection = _term(ctx, path, spec, kind)
    holders, regions = _regions(ctx, path, spec, _holders(ctx, path, spec))
    name = expect(ctx, [*path, "name"], spec.get("name", ""), str, "a string")
    uniform = set(regions)
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
    term = expect_int(ctx, [*path, "term"], spec.get("term", default_term), 1, MAX_TERM)
    reelection = expect(
        ctx,
        [*path, "reelection"],
        spec.get("reelection", kind is SeatKind.LONG_TERM),
        bool,
        "true or false",
    )
    return term, reelection


def _holders(ctx: Context, path: list[str], spec: Mapping[str, Any]) -> tuple[str | None, ...]:
    named = str_list(ctx, [*path, "holders"], spec["holders"]) if "holders" in spec else []
    for k, code in enumerate(named):
        _check_code(ctx, [*path, "holders", k], code)
    if "count" in spec:
        count = expect_int(ctx, [*path, "count"], spec["count"], 1, MAX_SEATS)
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
    from councilsim.states import lookup

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
    from councilsim.states import lookup

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


def _group(state: Any) -> Region | None:
    return None if state is None else Region(state.group)


def _region(ctx: Context, path: Sequence[str | int], raw: Any) -> Region:
    expect(ctx, path, raw, str, "a string")
    try:
        return Region(raw)
    except ValueError:
        raise ctx.error(
            path, f"unknown region {raw!r}", f"use one of {', '.join(r.value for r in Region)}"
        ) from None


def _by_region(
    ctx: Context, path: list[str], table: Any, holders: Holders, own: list[Region | None]
) -> tuple[Holders, Regions]:
    expect(ctx, path, table, dict, "a table of region = count")
    counts = {
        _region(ctx, [*path, k], k): expect_int(ctx, [*path, k], v, 0, MAX_SEATS)
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
    unknown_keys(ctx, ["rule"], table, RULE_KEYS)
    total = council.total_weight
    if "quota" not in table:
        raise ctx.error(
            ["rule", "quota"], "missing quota", f"set quota to the yes votes needed, in 1..{total}"
        )
    quota = _quota(ctx, "quota", table["quota"], total)
    procedural = _quota(ctx, "procedural_quota", table.get("procedural_quota", quota), total)
    holders = council.veto_holders
    if "veto_threshold" in table:
        threshold = expect(
            ctx, ["rule", "veto_threshold"], table["veto_threshold"], int, "an integer"
        )
        if holders == 0:
            raise ctx.error(
                ["rule", "veto_threshold"],
                "no seat holds a veto",
                "remove veto_threshold or give a class veto = true",
            )
        if not 1 <= threshold <= holders:
            raise ctx.error(
                ["rule", "veto_threshold"],
                f"{threshold} is outside 1..{holders} (the number of veto holders)",
                f"use an integer in 1..{holders}",
            )
    else:
        threshold = 1
    raw = table.get("abstention", "practice")
    expect(ctx, ["rule", "abstention"], raw, str, "a string")
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
    expect(ctx, ["rule", key], value, int, "an integer")
    if not 1 <= value <= total:
        raise ctx.error(
            ["rule", key],
            f"{value} is outside 1..{total} (the total weight)",
            f"set {key} in 1..{total}",
        )
    return int(value)


@contextmanager
def _located(ctx: Context, block: str) -> Iterator[None]:
    """Give a block parser's errors the document's file and the line of their key."""
    try:
        yield
    except ScenarioError as err:
        raise ScenarioError(
            err.problem,
            file=ctx.file,
            key=err.key,
            fix=err.fix,
            line=ctx.line_of((err.key or block).split(".")),
        ) from None


def check_optional_blocks(
    doc: Mapping[str, Any], merged: Mapping[str, Any], council: Council, ctx: Context
) -> dict[str, Any]:
    """Validate ``expected`` (this document's own) and ``simulation``; return parsed blocks."""
    out: dict[str, Any] = {}
    if "expected" in doc:
        check_expected(ctx, doc["expected"], council)
    if "simulation" in merged:
        from councilsim.simulation import parse_simulation

        with _located(ctx, "simulation"):
            out["simulation"] = parse_simulation(merged["simulation"], council)
    if "elections" in merged:
        from councilsim.elections import parse_elections

        with _located(ctx, "elections"):
            inherited = "elections" not in doc
            out["elections"] = parse_elections(merged["elections"], council, inherited=inherited)
    return out


def check_expected(ctx: Context, table: Mapping[str, Any], council: Council) -> None:
    """The expected-results block: known keys, class ids that exist, well-formed values."""
    allowed = EXPECTED_SCALARS | EXPECTED_FRACTIONS | EXPECTED_PER_CLASS | EXPECTED_TABLES
    unknown_keys(ctx, ["expected"], table, allowed)
    classes = {c.id for c in council.classes}
    for key, value in table.items():
        path = ["expected", key]
        if key in EXPECTED_SCALARS:
            expect_int(ctx, path, value, 0, 10**9)
        elif key in EXPECTED_FRACTIONS:
            fraction(ctx, path, value)
        elif key in EXPECTED_PER_CLASS:
            expect(ctx, path, value, dict, "a table of class id = value")
            for cid, v in value.items():
                if cid not in classes:
                    raise ctx.error(
                        [*path, cid],
                        f"no seat class {cid!r}",
                        f"use one of {', '.join(sorted(classes))}",
                    )
                fraction(ctx, [*path, cid], v)
        elif key == "axioms":
            from councilsim.axioms import AXIOMS

            expect(ctx, path, value, dict, "a table of axiom = true/false")
            for name, v in value.items():
                if name not in AXIOMS:
                    raise ScenarioError(
                        f"unknown axiom {name!r}",
                        file=ctx.file,
                        key=key_path([*path, name]),
                        fix=f"use one of {', '.join(AXIOMS)}",
                        line=ctx.line_of(path),
                    )
                expect(ctx, [*path, name], v, bool, "true or false")
        else:
            expect(ctx, path, value, list, "an array of tables ([[expected.votes]])")
            for k, item in enumerate(value):
                _check_vote_case(ctx, [*path, k], item, council)


def fraction(ctx: Context, path: Sequence[str | int], value: Any) -> Fraction:
    """An exact value: an integer or a string "p/q"."""
    if isinstance(value, int) and not isinstance(value, bool):
        return Fraction(value)
    if isinstance(value, str):
        try:
            return Fraction(value.strip())
        except (ValueError, ZeroDivisionError):
            pass
    raise ctx.error(path, f"{value!r} is not an exact value", 'write an integer or "p/q"')


def _check_vote_case(ctx: Context, path: list[str | int], item: Any, council: Council) -> None:
    expect(ctx, path, item, dict, "a table")
    unknown_keys(ctx, path, item, VOTE_KEYS)
    for key in ("yes", "no", "abstain", "absent", "parties"):
        for k, name in enumerate(str_list(ctx, [*path, key], item.get(key, []))):
            try:
                council.index_of(name)
            except KeyError:
                raise ctx.error(
                    [*path, key, k],
                    f"{name!r} holds no seat",
                    "use a holder code or seat label of this council",
                ) from None
    rest = item.get("rest", "absent")
    if rest not in {"yes", "no", "abstain", "absent"}:
        raise ctx.error(
            [*path, "rest"], f"unknown vote {rest!r}", 'use "yes", "no", "abstain" or "absent"'
        )
    expect(ctx, [*path, "procedural"], item.get("procedural", False), bool, "true or false")
    if item.get("outcome") not in {"adopted", "vetoed", "failed"}:
        raise ctx.error(
            [*path, "outcome"],
            f"outcome {item.get('outcome')!r} is not known",
            'use "adopted", "vetoed" or "failed"',
        )
