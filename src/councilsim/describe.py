"""What a scenario is, in words and tables: the rows of ``list`` and the report of ``show``.

:func:`summary` is one row of ``councilsim list``; :func:`composition` is what ``councilsim
show`` prints (classes, seats by region, the rule in words, sources); :func:`rule_in_words`
states a council's Art. 27 rule. None of them computes: they read the scenario as loaded, and
neither they nor the scenario reader load numpy, so that these commands start quickly. The
reports that compute (``run``, ``vote``) are :mod:`councilsim.overview` and
:mod:`councilsim.explain`, which re-export these names.

>>> from councilsim.scenario import load
>>> c = composition(load("g4-2005"))
>>> [k.holders_text for k in c.classes][1:]
['IND, JPN, BRA, DEU, 2 open', '14 open']
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from councilsim.council import Abstention, Council, Seat, SeatKind
from councilsim.scenario import Scenario

__all__ = [
    "ClassSummary",
    "Composition",
    "ScenarioSummary",
    "composition",
    "rule_in_words",
    "summary",
]


def rule_in_words(council: Council) -> str:
    """The council's rule (Art. 27 with its reform parameters) as a sentence or two.

    >>> from councilsim.scenario import load
    >>> rule_in_words(load("double-veto").council)[:60]
    'A substantive draft needs 9 of 15 members voting yes and is '
    """
    r = council.rule
    votes = "votes" if any(s.weight > 1 for s in council.seats) else "members"
    text = f"A substantive draft needs {r.quota} of {council.total_weight} {votes} voting yes"
    if council.veto_holders:
        one = r.veto_threshold == 1
        blockers = (
            "any one veto holder"
            if one
            else f"{r.veto_threshold} of the {council.veto_holders} veto holders together"
        )
        if r.abstention is Abstention.LITERAL:
            verb = "does not vote yes" if one else "do not vote yes"
            text += (
                f" and is blocked when {blockers} {verb} "
                "(literal reading: abstention and absence block)"
            )
        else:
            verb = "votes no" if one else "vote no"
            text += f" and is blocked when {blockers} {verb} (abstention and absence do not block)"
    text += f". A procedural draft needs {r.procedural_quota} yes votes; no veto applies."
    return text


@dataclass(frozen=True)
class ScenarioSummary:
    """One row of ``councilsim list``."""

    id: str
    name: str
    seats: int
    veto_holders: int
    quota: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "seats": self.seats,
            "veto_holders": self.veto_holders,
            "quota": self.quota,
        }


def summary(scenario: Scenario) -> ScenarioSummary:
    """The id, name, seats, veto holders and quota of a scenario."""
    c = scenario.council
    return ScenarioSummary(scenario.id, scenario.name, c.size, c.veto_holders, c.rule.quota)


@dataclass(frozen=True)
class ClassSummary:
    """A seat class as ``show`` lists it: ``holders`` named, ``open`` seats without a holder."""

    id: str
    name: str
    kind: SeatKind
    veto: bool
    seats: int
    weight: int
    term: int | None
    reelection: bool
    holders: tuple[str, ...]
    open: int

    @property
    def holders_text(self) -> str:
        """The named holders and the number of open seats: ``"IND, JPN, 2 open"``."""
        return ", ".join([*self.holders, *([f"{self.open} open"] if self.open else [])])

    @property
    def term_text(self) -> str:
        """``"2 y"``, ``"4 y, re-eligible"``, or empty for a permanent seat."""
        if self.kind is SeatKind.PERMANENT or self.term is None:
            return ""
        return f"{self.term} y" + (", re-eligible" if self.reelection else "")

    def to_dict(self) -> dict[str, Any]:
        return {
            "class": self.id,
            "name": self.name,
            "kind": self.kind.value,
            "veto": self.veto,
            "seats": self.seats,
            "weight": self.weight,
            "term": self.term,
            "reelection": self.reelection,
            "open": self.open,
        }


@dataclass(frozen=True)
class Composition:
    """What ``councilsim show`` prints: the scenario, its classes and seats, the rule."""

    summary: ScenarioSummary
    description: str
    total_weight: int
    procedural_quota: int
    veto_threshold: int
    abstention: str
    rule: str
    sources: tuple[str, ...]
    confidence: tuple[str, ...]
    extends: tuple[str, ...]
    classes: tuple[ClassSummary, ...]
    members: tuple[Seat, ...]

    @property
    def by_region(self) -> list[tuple[str, int]]:
        """Seats per regional group, sorted by group (``unassigned`` for seats without one)."""
        counts = Counter(s.region.value if s.region else "unassigned" for s in self.members)
        return sorted(counts.items())

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.summary.to_dict(),
            "description": self.description,
            "total_weight": self.total_weight,
            "procedural_quota": self.procedural_quota,
            "veto_threshold": self.veto_threshold,
            "abstention": self.abstention,
            "rule": self.rule,
            "sources": list(self.sources),
            "confidence": list(self.confidence),
            "extends": list(self.extends),
            "classes": [k.to_dict() for k in self.classes],
            "by_region": dict(self.by_region),
            "members": [
                {
                    "holder": s.holder,
                    "label": s.label,
                    "class": s.seat_class,
                    "kind": s.kind.value,
                    "veto": s.veto,
                    "region": s.region.value if s.region else None,
                    "weight": s.weight,
                }
                for s in self.members
            ],
        }


def composition(scenario: Scenario) -> Composition:
    """The composition of a scenario by class and region, and its rule in words."""
    c = scenario.council
    classes = tuple(
        ClassSummary(
            id=k.id,
            name=k.name,
            kind=k.kind,
            veto=k.veto,
            seats=k.count,
            weight=k.weight,
            term=k.term,
            reelection=k.reelection,
            holders=tuple(h for h in k.holders if h),
            open=sum(1 for h in k.holders if not h),
        )
        for k in c.classes
    )
    return Composition(
        summary=summary(scenario),
        description=" ".join(scenario.description.split()),
        total_weight=c.total_weight,
        procedural_quota=c.rule.procedural_quota,
        veto_threshold=c.rule.veto_threshold,
        abstention=c.rule.abstention.value,
        rule=rule_in_words(c),
        sources=tuple(scenario.sources),
        confidence=tuple(scenario.confidence),
        extends=tuple(scenario.extends),
        classes=classes,
        members=c.seats,
    )
