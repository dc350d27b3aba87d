"""Strategies for scenario documents: valid TOML that the loader accepts, and broken variants.

:func:`scenario_documents` writes a whole scenario file (``docs/scenarios.md``): metadata, a
rule, seat classes with open seats or named UN members spread over regional groups, and an
``[expected]`` block whose facts, vote outcomes and axiom claims are all true of the council.
:func:`mutated_scenarios` edits such documents, character by character and key by key, for
fuzzing :func:`councilsim.scenario.load_text`, which must answer every one of them with either
a scenario or a :class:`~councilsim.errors.ScenarioError`.
"""

from __future__ import annotations

import json
import re
import string
from collections.abc import Mapping
from functools import cache
from typing import Any

import numpy as np
from hypothesis import strategies as st

from councilsim.axioms.registry import check
from councilsim.council import Council, Region, SeatClass, SeatKind
from councilsim.rule import Outcome, Vote, decide_council
from councilsim.scenario import load, load_text, shipped_ids
from councilsim.states import by_group
from councilsim.strategies.councils import councils, rules

__all__ = ["mutated_scenarios", "scenario_documents", "toml_value", "write_toml"]

_CHEAP_AXIOMS = ("monotone", "proper", "decisive", "blocking", "veto")


def scenario_documents(
    *,
    min_seats: int = 1,
    max_seats: int = 15,
    max_classes: int = 4,
    max_weight: int = 3,
    named: bool = True,
    expected: bool = True,
    extends: bool = True,
) -> st.SearchStrategy[str]:
    """Valid scenario documents: TOML text that :func:`~councilsim.scenario.load_text` accepts.

    With ``named``, classes may name UN member states as holders, with ``region`` or
    ``by_region``; with ``expected``, documents carry an ``[expected]`` block that holds for
    them (facts, drafts and their outcomes, axiom claims); with ``extends``, some documents
    extend a shipped scenario and override its rule.
    """
    own = _documents(
        councils(
            min_seats=min_seats, max_seats=max_seats, max_classes=max_classes, max_weight=max_weight
        ),
        named,
        expected,
    )
    return st.one_of(own, _extending(expected)) if extends else own


@st.composite
def _documents(
    draw: st.DrawFn, councils_: st.SearchStrategy[Council], named: bool, expected: bool
) -> str:
    council = draw(councils_)
    used: set[str] = set()
    doc: dict[str, Any] = {}
    if draw(st.booleans()):
        doc["id"] = draw(st.from_regex(r"[a-z0-9][a-z0-9-]{0,20}", fullmatch=True))
    doc["name"] = draw(st.text(string.ascii_letters + " ,()-", min_size=1, max_size=30))
    doc["sources"] = draw(st.lists(st.text(string.printable, max_size=30), max_size=2))
    doc["rule"] = _rule_table(draw, council)
    doc["seats"] = {c.id: _class_table(draw, c, used if named else None) for c in council.classes}
    text = write_toml(doc)
    if expected:
        text += _expected_block(draw, load_text(text, "drawn.toml").council)
    return text


def _rule_table(draw: st.DrawFn, council: Council) -> dict[str, Any]:
    rule = council.rule
    table: dict[str, Any] = {"quota": rule.quota}
    if rule.procedural_quota != rule.quota or draw(st.booleans()):
        table["procedural_quota"] = rule.procedural_quota
    if council.veto_holders and (rule.veto_threshold != 1 or draw(st.booleans())):
        table["veto_threshold"] = rule.veto_threshold
    if rule.abstention != "practice" or draw(st.booleans()):
        table["abstention"] = rule.abstention.value
    return table


def _class_table(draw: st.DrawFn, c: SeatClass, used: set[str] | None) -> dict[str, Any]:
    table: dict[str, Any] = {"kind": c.kind.value}
    if c.veto or draw(st.booleans()):
        table["veto"] = c.veto
    if c.weight != 1 or draw(st.booleans()):
        table["weight"] = c.weight
    if c.kind is not SeatKind.PERMANENT:
        table["term"] = c.term
        table["reelection"] = c.reelection
    style = draw(st.sampled_from(["open", "region", "by_region"] if used is not None else ["open"]))
    if style == "open":
        table["count"] = c.count
        return table
    assert used is not None
    regions = list(Region)
    if style == "region":
        region = draw(st.sampled_from(regions))
        table["region"] = region.value
        per_region = {region: c.count}
    else:
        shares = draw(st.lists(st.sampled_from(regions), min_size=c.count, max_size=c.count))
        per_region = {r: shares.count(r) for r in regions if r in shares}
        table["by_region"] = {r.value: k for r, k in per_region.items()}
    holders: list[str] = []
    for region, k in per_region.items():
        pool = [s.iso3 for s in by_group(region) if s.iso3 not in used]
        holders += draw(st.lists(st.sampled_from(pool), unique=True, max_size=min(k, len(pool))))
    used.update(holders)
    if holders:
        table["holders"] = holders
    if len(holders) < c.count or draw(st.booleans()):
        table["count"] = c.count
    return table


def _expected_block(draw: st.DrawFn, council: Council) -> str:
    facts: dict[str, Any] = {
        "seats": council.size,
        "total_weight": council.total_weight,
        "veto_holders": council.veto_holders,
        "quota": council.rule.quota,
    }
    chosen = draw(st.sets(st.sampled_from(list(facts))))
    block: dict[str, Any] = {k: v for k, v in facts.items() if k in chosen}
    names = draw(st.lists(st.sampled_from(_CHEAP_AXIOMS), unique=True, max_size=3))
    if names:
        block["axioms"] = {v.axiom: bool(v.holds) for v in check(council, names)}
    text = "\n" + write_toml({"expected": block}) if block else ""
    for _ in range(draw(st.integers(0, 2))):
        text += "\n" + _vote_case(draw, council)
    return text


def _vote_case(draw: st.DrawFn, council: Council) -> str:
    labels = council.labels()
    votes = draw(st.lists(st.sampled_from(list(Vote)), min_size=len(labels), max_size=len(labels)))
    rest = draw(st.sampled_from(list(Vote)))
    procedural = draw(st.booleans())
    case: dict[str, Any] = {}
    for code in Vote:
        named = [
            lab for lab, v in zip(labels, votes, strict=True) if v is code and code is not rest
        ]
        if named:
            case[code.name.lower()] = named
    case["rest"] = rest.name.lower()
    if procedural:
        case["procedural"] = True
    decision = decide_council(council, np.array(votes, dtype=np.int8), procedural=procedural)
    case["outcome"] = Outcome(int(decision.outcome)).name.lower()
    return "[[expected.votes]]\n" + "".join(f"{k} = {toml_value(v)}\n" for k, v in case.items())


@cache
def _shipped(sid: str) -> Council:
    return load(sid).council


@st.composite
def _extending(draw: st.DrawFn, expected: bool) -> str:
    sid = draw(st.sampled_from(shipped_ids()))
    base = _shipped(sid)
    rule = draw(rules(base.total_weight, base.veto_holders))
    doc = {
        "extends": sid,
        "name": f"{sid} with another rule",
        "rule": _rule_table(draw, Council(base.classes, rule)),
    }
    text = write_toml(doc)
    if expected:
        text += _expected_block(draw, load_text(text, "drawn.toml").council)
    return text


def write_toml(doc: Mapping[str, Any]) -> str:
    """A scenario document as TOML: top-level keys, then ``[rule]``, ``[seats.<id>]`` and the rest.

    Tables at the top level and the classes under ``seats`` become sections; any other table
    is written inline.
    """
    lines = [f"{_key(k)} = {toml_value(v)}" for k, v in doc.items() if not isinstance(v, Mapping)]
    for key, value in doc.items():
        if not isinstance(value, Mapping):
            continue
        nested = key == "seats"
        if not nested:
            lines.append(f"\n[{_key(key)}]")
        for k, v in value.items():
            if nested:
                lines.append(f"\n[{_key(key)}.{_key(k)}]")
                lines += [f"{_key(a)} = {toml_value(b)}" for a, b in v.items()]
            else:
                lines.append(f"{_key(k)} = {toml_value(v)}")
    return "\n".join(lines).lstrip("\n") + "\n"


def toml_value(v: Any) -> str:
    """One value in TOML: a string, integer, boolean, array or inline table."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, str):
        return json.dumps(v)
    if isinstance(v, list | tuple):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    if isinstance(v, Mapping):
        return "{ " + ", ".join(f"{_key(k)} = {toml_value(x)}" for k, x in v.items()) + " }"
    raise TypeError(f"cannot write {type(v).__name__} as TOML")


def _key(k: str) -> str:
    return k if re.fullmatch(r"[A-Za-z0-9_-]+", k) else json.dumps(k)


_TOKENS = ['"', "=", "[", "]", "{", "}", ",", "\n", "true", "false", "0", "1", "-1", "#", "."]
_VALUES = [
    "true",
    "-1",
    "0",
    "99999999999999999999",
    "1.5",
    "nan",
    "inf",
    '"x"',
    '"1/0"',
    "[]",
    "{}",
    '[1, "a"]',
    "{ a = 1 }",
    '"permanent"',
    '"africa"',
    '"USA"',
    '"SUN"',
]


def mutated_scenarios(
    documents: st.SearchStrategy[str] | None = None, *, max_edits: int = 4
) -> st.SearchStrategy[str]:
    """Scenario documents after 1..``max_edits`` random edits, mostly no longer valid.

    Edits: delete a span, insert random characters or a TOML token, swap, drop or duplicate a
    line, give a key a value of another type or range, misspell a key, add an unknown key.
    ``documents`` defaults to :func:`scenario_documents`.
    """
    base = scenario_documents() if documents is None else documents
    return _mutated(base, max(1, max_edits))


@st.composite
def _mutated(draw: st.DrawFn, documents: st.SearchStrategy[str], max_edits: int) -> str:
    text = draw(documents)
    for _ in range(draw(st.integers(1, max_edits))):
        text = _edit(draw, text)
    return text


def _edit(draw: st.DrawFn, text: str) -> str:
    kind = draw(st.sampled_from(["value", "key", "unknown", "line", "delete", "insert", "token"]))
    lines = text.split("\n")
    k = draw(st.integers(0, len(lines) - 1))
    line = lines[k]
    if kind == "value" and "=" in line:
        lines[k] = line.split("=", 1)[0] + "= " + draw(st.sampled_from(_VALUES))
    elif kind == "key" and "=" in line:
        key, rest = line.split("=", 1)
        cut = draw(st.integers(0, max(0, len(key.strip()) - 1)))
        lines[k] = (
            key.strip()[:cut]
            + key.strip()[cut + 1 :]
            + draw(st.sampled_from(["", "s", "_"]))
            + " ="
            + rest
        )
    elif kind == "unknown":
        lines.insert(
            k,
            draw(
                st.sampled_from(
                    ["colour = 1", "[seats.x]", "[[expected.votes]]", "[rule]", "quota = 3"]
                )
            ),
        )
    elif kind == "line":
        j = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["swap", "drop", "duplicate"]))
        if action == "swap":
            lines[k], lines[j] = lines[j], lines[k]
        elif action == "drop":
            del lines[k]
        else:
            lines.insert(j, line)
    else:
        i = draw(st.integers(0, len(text)))
        if kind == "delete":
            return text[:i] + text[i + draw(st.integers(1, 30)) :]
        piece = draw(st.sampled_from(_TOKENS)) if kind == "token" else draw(st.text(max_size=8))
        return text[:i] + piece + text[i:]
    return "\n".join(lines)
