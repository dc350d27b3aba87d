"""Checking a scenario's ``[expected]`` block against what councilsim computes.

A scenario file may say what it should give: council facts (``seats``, ``quota`` …), exact
voting power (``coleman_act``, and per seat class ``shapley_shubik``, ``banzhaf``,
``banzhaf_swings`` …), the axioms its rule satisfies, and drafts with their outcomes
(``[[expected.votes]]``). The loader checks the block's form; :func:`verify` computes every
value and compares it exactly, so the file doubles as a regression test. ``councilsim
validate`` and the test suite both call it.

>>> from councilsim.scenario import load
>>> verify(load("current"))
[]
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from councilsim import axioms
from councilsim.formatting import fraction_text
from councilsim.power import power
from councilsim.rule import Outcome, Vote, decide_council, profile
from councilsim.scenario import Scenario
from councilsim.scenario.schema import EXPECTED_PER_CLASS
from councilsim.validate import exact

__all__ = ["FACTS", "POWER_KEYS", "Mismatch", "verify"]

FACTS = ("seats", "total_weight", "veto_holders", "quota", "procedural_quota")
"""Council facts an ``[expected]`` block may state."""

POWER_KEYS = EXPECTED_PER_CLASS
"""Per-class power values an ``[expected]`` block may state (one seat of the class)."""


@dataclass(frozen=True)
class Mismatch:
    """One expected value that councilsim does not reproduce.

    ``key`` is the key path in the file (``expected.shapley_shubik.elected``,
    ``expected.votes.2`` for the third draft); ``expected`` and ``actual`` are written as
    the file writes them (integers, ``"p/q"``, ``true``/``false``, outcome names).
    """

    key: str
    expected: str
    actual: str

    def __str__(self) -> str:
        return f"{self.key}: the file expects {self.expected}, councilsim gives {self.actual}"

    def to_dict(self) -> dict[str, str]:
        return {"key": self.key, "expected": self.expected, "actual": self.actual}


def verify(scenario: Scenario) -> list[Mismatch]:
    """Compute every value of the scenario's ``[expected]`` block and compare it exactly.

    Returns the mismatches, in the order of the block (an empty list when all agree). An
    axiom too large to search counts as a mismatch (``actual`` is ``"not decided"``).
    """
    exp = scenario.expected
    out = _facts(scenario, exp) + _power(scenario, exp)
    if "axioms" in exp:
        out += _axioms(scenario, exp["axioms"])
    for k, case in enumerate(exp.get("votes", [])):
        got = _decide(scenario, case)
        if got != case["outcome"]:
            out.append(Mismatch(f"expected.votes.{k}", case["outcome"], got))
    return out


def _facts(scenario: Scenario, exp: Mapping[str, Any]) -> list[Mismatch]:
    c = scenario.council
    actual = {
        "seats": c.size,
        "total_weight": c.total_weight,
        "veto_holders": c.veto_holders,
        "quota": c.rule.quota,
        "procedural_quota": c.rule.procedural_quota,
    }
    return [
        Mismatch(f"expected.{k}", str(exp[k]), str(actual[k]))
        for k in FACTS
        if k in exp and exp[k] != actual[k]
    ]


def _power(scenario: Scenario, exp: Mapping[str, Any]) -> list[Mismatch]:
    wanted = [k for k in POWER_KEYS if k in exp and k != "banzhaf_swings"]
    if not wanted and "banzhaf_swings" not in exp and "coleman_act" not in exp:
        return []
    r = power(scenario.council, exact=True, indices=wanted or ["banzhaf"])
    out = []
    if "coleman_act" in exp:
        out += _compare("expected.coleman_act", exp["coleman_act"], r.coleman_act)
    first = {cls: r.classes.index(cls) for cls in r.classes}
    for key in POWER_KEYS:
        got = r.swings if key == "banzhaf_swings" else r.values.get(key)
        for cls, value in exp.get(key, {}).items():
            assert got is not None
            out += _compare(f"expected.{key}.{cls}", value, got[first[cls]])
    return out


def _compare(key: str, expected: int | str, actual: Any) -> list[Mismatch]:
    want, got = exact(str(expected), key), Fraction(actual)
    if want == got:
        return []
    return [Mismatch(key, fraction_text(want), fraction_text(got))]


def _axioms(scenario: Scenario, claims: Mapping[str, bool]) -> list[Mismatch]:
    def word(holds: bool | None) -> str:
        return "not decided" if holds is None else str(holds).lower()

    return [
        Mismatch(f"expected.axioms.{v.axiom}", word(claims[v.axiom]), word(v.holds))
        for v in axioms.check(scenario, list(claims))
        if v.holds is not claims[v.axiom]
    ]


def _decide(scenario: Scenario, case: Mapping[str, Any]) -> str:
    c = scenario.council
    votes = profile(
        c,
        yes=case.get("yes", ()),
        no=case.get("no", ()),
        abstain=case.get("abstain", ()),
        absent=case.get("absent", ()),
        rest=Vote[case.get("rest", "absent").upper()],
    )
    parties = np.zeros(c.size, dtype=np.bool_)
    parties[[c.index_of(p) for p in case.get("parties", ())]] = True
    d = decide_council(c, votes, procedural=case.get("procedural", False), parties=parties)
    return Outcome(int(d.outcome)).name.lower()
