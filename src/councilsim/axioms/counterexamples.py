"""Counterexamples: the smallest evidence that a rule or a power index violates an axiom.

Each is a small frozen record of seat indices with the council's labels, so that it can say in a
sentence what goes wrong (:meth:`Counterexample.describe`), serialise itself
(:meth:`Counterexample.to_dict`) and be checked again against the rule
(:meth:`Counterexample.verify`). In a coalition ``S`` the members vote yes and every other seat
casts the ``outside`` vote (no, unless the axiom was asked otherwise).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import NDArray

from councilsim.axioms.rules import DecisionRule
from councilsim.formatting import fraction_text
from councilsim.rule import Vote

__all__ = [
    "Counterexample",
    "DisjointWinners",
    "Indecisive",
    "IndexViolation",
    "NonMonotone",
    "NotAnonymous",
    "NotBlocking",
    "VetoOverridden",
]


@dataclass(frozen=True, kw_only=True)
class Counterexample:
    """Evidence that an axiom fails; ``labels`` names every seat of the council."""

    axiom: str = ""
    labels: tuple[str, ...]

    @property
    def size(self) -> int:
        """How many seats the counterexample involves (what the search minimises)."""
        raise NotImplementedError

    def describe(self) -> str:
        """One readable sentence naming the seats by label."""
        raise NotImplementedError

    def verify(self, rule: DecisionRule) -> bool:
        """Whether the counterexample still shows the violation when the rule is run on it."""
        raise NotImplementedError

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: the axiom, the description and the seats involved by label."""
        return {"axiom": self.axiom, "description": self.describe(), **self._fields()}

    def _fields(self) -> dict[str, Any]:
        return {}

    def names(self, seats: Sequence[int]) -> list[str]:
        return [self.labels[i] for i in sorted(seats)]

    def group(self, seats: Sequence[int]) -> str:
        return "{" + ", ".join(self.names(seats)) + "}" if seats else "the empty coalition"


@dataclass(frozen=True, kw_only=True)
class _Coalitions(Counterexample):
    outside: Vote = Vote.NO

    def votes(self, coalition: Sequence[int]) -> NDArray[np.int8]:
        """The profile of a coalition: members vote yes, the others cast ``outside``."""
        v = np.full(len(self.labels), self.outside, dtype=np.int8)
        v[list(coalition)] = Vote.YES
        return v

    def wins(self, rule: DecisionRule, coalition: Sequence[int]) -> bool:
        return bool(rule.adopted(self.votes(coalition)))

    def others(self) -> str:
        return f"the others voting {self.outside.name.lower()}"


def yes_votes(k: int) -> str:
    return f"{k} yes vote" + ("" if k == 1 else "s")


@dataclass(frozen=True, kw_only=True)
class NonMonotone(_Coalitions):
    """``coalition`` wins, but adding ``added`` to it loses."""

    axiom: str = field(default="monotone", init=False)
    coalition: tuple[int, ...]
    added: int

    @property
    def size(self) -> int:
        return len(self.coalition)

    def describe(self) -> str:
        return (
            f"{self.group(self.coalition)} adopt a draft ({yes_votes(self.size)}, "
            f"{self.others()}), but it fails when {self.labels[self.added]} also votes yes"
        )

    def verify(self, rule: DecisionRule) -> bool:
        return self.added not in self.coalition and (
            self.wins(rule, self.coalition) and not self.wins(rule, (*self.coalition, self.added))
        )

    def _fields(self) -> dict[str, Any]:
        return {"coalition": self.names(self.coalition), "added": self.labels[self.added]}


@dataclass(frozen=True, kw_only=True)
class DisjointWinners(_Coalitions):
    """Two disjoint coalitions that both win."""

    axiom: str = field(default="proper", init=False)
    first: tuple[int, ...]
    second: tuple[int, ...]

    @property
    def size(self) -> int:
        return len(self.first) + len(self.second)

    def describe(self) -> str:
        return (
            f"{self.group(self.first)} and the disjoint {self.group(self.second)} both adopt a "
            f"draft ({yes_votes(len(self.first))} and {yes_votes(len(self.second))}, "
            f"{self.others()})"
        )

    def verify(self, rule: DecisionRule) -> bool:
        return not set(self.first) & set(self.second) and (
            self.wins(rule, self.first) and self.wins(rule, self.second)
        )

    def _fields(self) -> dict[str, Any]:
        return {"first": self.names(self.first), "second": self.names(self.second)}


@dataclass(frozen=True, kw_only=True)
class Indecisive(_Coalitions):
    """Neither ``coalition`` nor its complement wins."""

    axiom: str = field(default="decisive", init=False)
    coalition: tuple[int, ...]

    @property
    def size(self) -> int:
        return len(self.coalition)

    def complement(self) -> tuple[int, ...]:
        return tuple(i for i in range(len(self.labels)) if i not in self.coalition)

    def describe(self) -> str:
        rest = len(self.labels) - self.size
        vote = self.outside.name.lower()
        if not self.coalition:
            return f"deadlock: a draft fails even when all {rest} seats vote yes"
        return (
            f"deadlock: a draft fails when {self.group(self.coalition)} vote yes and the other "
            f"{rest} seats vote {vote}, and fails too the other way round"
        )

    def verify(self, rule: DecisionRule) -> bool:
        return not self.wins(rule, self.coalition) and not self.wins(rule, self.complement())

    def _fields(self) -> dict[str, Any]:
        return {"coalition": self.names(self.coalition)}


@dataclass(frozen=True, kw_only=True)
class NotBlocking(_Coalitions):
    """``winners`` win without any of ``blockers``, veto holders enough to block together."""

    axiom: str = field(default="blocking", init=False)
    blockers: tuple[int, ...]
    winners: tuple[int, ...]

    @property
    def size(self) -> int:
        return len(self.winners)

    def describe(self) -> str:
        holders = "veto holder" if len(self.blockers) == 1 else "veto holders"
        return (
            f"{holders} {self.group(self.blockers)} cannot block: "
            f"{self.group(self.winners)} adopt a draft ({yes_votes(self.size)}, {self.others()})"
        )

    def verify(self, rule: DecisionRule) -> bool:
        return not set(self.blockers) & set(self.winners) and self.wins(rule, self.winners)

    def _fields(self) -> dict[str, Any]:
        return {"blockers": self.names(self.blockers), "winners": self.names(self.winners)}


@dataclass(frozen=True, kw_only=True)
class _Profile(Counterexample):
    votes: tuple[int, ...]

    @property
    def size(self) -> int:
        return sum(1 for v in self.votes if v in (Vote.YES, Vote.NO))

    def cast(self) -> str:
        parts = []
        for code in Vote:
            seats = [i for i, v in enumerate(self.votes) if v == code]
            if seats and code is not Vote.ABSENT:
                parts.append(f"{code.name.lower()}: {', '.join(self.names(seats))}")
        if Vote.ABSENT in self.votes:
            parts.append("the others absent")
        return "; ".join(parts)

    def _fields(self) -> dict[str, Any]:
        return {
            code.name.lower(): [self.labels[i] for i, v in enumerate(self.votes) if v == code]
            for code in Vote
        }


@dataclass(frozen=True, kw_only=True)
class VetoOverridden(_Profile):
    """A draft adopted although veto holder ``holder`` votes no."""

    axiom: str = field(default="veto", init=False)
    holder: int

    def describe(self) -> str:
        return (
            f"a draft is adopted although veto holder {self.labels[self.holder]} votes no "
            f"({self.cast()})"
        )

    def verify(self, rule: DecisionRule) -> bool:
        return self.votes[self.holder] == Vote.NO and bool(rule.adopted(np.array(self.votes)))

    def _fields(self) -> dict[str, Any]:
        return {"holder": self.labels[self.holder], **super()._fields()}


@dataclass(frozen=True, kw_only=True)
class NotAnonymous(_Profile):
    """Swapping the votes of two seats of one class changes the outcome."""

    axiom: str = field(default="anonymous", init=False)
    first: int
    second: int

    def swapped(self) -> NDArray[np.int8]:
        v = np.array(self.votes, dtype=np.int8)
        v[[self.first, self.second]] = v[[self.second, self.first]]
        return v

    def describe(self) -> str:
        a, b = self.labels[self.first], self.labels[self.second]
        va, vb = (Vote(self.votes[i]).name.lower() for i in (self.first, self.second))
        return (
            f"{a} and {b} are in one seat class, but {a} voting {va} and {b} voting {vb} "
            f"decides differently from the other way round ({self.cast()})"
        )

    def verify(self, rule: DecisionRule) -> bool:
        pair = np.stack([np.array(self.votes, dtype=np.int8), self.swapped()])
        out = rule.adopted(pair)
        return bool(out[0] != out[1]) and rule.classes[self.first] == rule.classes[self.second]

    def _fields(self) -> dict[str, Any]:
        pair = [self.labels[self.first], self.labels[self.second]]
        return {"swapped": pair, **super()._fields()}


@dataclass(frozen=True, kw_only=True)
class IndexViolation(Counterexample):
    """A power index that breaks an index axiom: the seats involved and their values."""

    index: str
    seats: tuple[int, ...]
    values: tuple[Fraction, ...]
    detail: str

    @property
    def size(self) -> int:
        return len(self.seats)

    def describe(self) -> str:
        return f"{self.index}: {self.detail}"

    def verify(self, rule: DecisionRule) -> bool:
        return True

    def to_dict(self) -> dict[str, Any]:
        return {
            "axiom": self.axiom,
            "description": self.describe(),
            "index": self.index,
            "seats": [self.labels[i] for i in self.seats],
            "values": [fraction_text(v) for v in self.values],
        }
