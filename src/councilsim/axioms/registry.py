"""The axiom registry, keyed by stable ids, and :func:`check`, which runs axioms on a rule."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from councilsim.axioms import coalitions, indices, profiles
from councilsim.axioms.counterexamples import Counterexample
from councilsim.axioms.ids import AXIOM_TITLES, Kind
from councilsim.axioms.rules import DecisionRule, as_rule
from councilsim.axioms.space import LIMIT, SearchTooLarge
from councilsim.council import Council
from councilsim.errors import ScenarioError
from councilsim.limits import DEFAULT_SEED

__all__ = ["AXIOMS", "Axiom", "Verdict", "check", "resolve_axioms"]

Finder = Callable[..., Counterexample | None]


@dataclass(frozen=True)
class Axiom:
    """A registered axiom: its id, a title, what it is about and the function that checks it.

    ``kind`` is ``"rule"`` for properties of the decision rule and ``"index"`` for properties
    of the power indices computed from it. The definition and sources are the docstring of
    ``find``.
    """

    id: str
    title: str
    kind: Kind
    find: Finder

    @property
    def definition(self) -> str:
        """The first paragraph of the checking function's docstring."""
        doc = (self.find.__doc__ or "").strip()
        return " ".join(doc.split("\n\n")[0].split())

    @property
    def doc(self) -> str:
        """The whole docstring: definition, sources and how the search works."""
        return (self.find.__doc__ or "").strip()


_FIND: dict[str, Finder] = {
    "monotone": coalitions.monotone,
    "veto": profiles.veto,
    "anonymous": profiles.anonymous,
    "proper": coalitions.proper,
    "decisive": coalitions.decisive,
    "blocking": coalitions.blocking,
    "efficiency": indices.efficiency,
    "symmetry": indices.symmetry,
    "null_player": indices.null_player,
    "dominance": indices.dominance,
    "veto_ordering": indices.veto_ordering,
}

AXIOMS: dict[str, Axiom] = {
    id: Axiom(id, title, kind, _FIND[id]) for id, (title, kind) in AXIOM_TITLES.items()
}
"""Every axiom by id (the ids and titles of :mod:`councilsim.axioms.ids`, each with the
function that checks it); ``councilsim check`` and scenario ``[expected] axioms`` use these
ids."""


@dataclass(frozen=True)
class Verdict:
    """The result of one axiom on one rule.

    ``holds`` is ``None`` when the search was too large to run; ``method`` says how far the
    search went: ``"exhaustive"`` (every profile of individual seats), ``"by class"`` (every
    profile up to permutations within seat classes, in which the rule was found anonymous),
    ``"sampled"`` (random profiles; anonymity of large councils) or ``"exact"`` (index values).
    """

    axiom: str
    holds: bool | None
    counterexample: Counterexample | None
    method: str
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "axiom": self.axiom,
            "holds": self.holds,
            "method": self.method,
            "counterexample": None
            if self.counterexample is None
            else self.counterexample.to_dict(),
            "note": self.note,
        }


def resolve_axioms(names: Iterable[str] | None) -> list[str]:
    """Axiom ids in registry order; ``None`` means all. Unknown ids raise ScenarioError."""
    if names is None:
        return list(AXIOMS)
    wanted = [n.strip() for name in names for n in name.split(",") if n.strip()]
    unknown = [n for n in wanted if n not in AXIOMS]
    if unknown:
        raise ScenarioError(f"unknown axiom {unknown[0]!r}", fix=f"use one of {', '.join(AXIOMS)}")
    return [a for a in AXIOMS if a in wanted]


def check(
    rule: DecisionRule | Council | Any,
    axioms: Iterable[str] | None = None,
    *,
    limit: int = LIMIT,
    samples: int = profiles.SAMPLES,
    seed: int | None = DEFAULT_SEED,
) -> list[Verdict]:
    """Run axioms (default: all, in registry order) on a rule, a council or a scenario.

    Each verdict carries the smallest counterexample found. A search larger than ``limit``
    profiles gives ``holds=None`` rather than an error, so that one large council does not stop
    a report.
    """
    r = as_rule(rule)
    out = []
    for name in resolve_axioms(axioms):
        axiom = AXIOMS[name]
        kwargs: dict[str, Any] = {"limit": limit}
        if name == "anonymous":
            kwargs.update(samples=samples, seed=seed)
        try:
            found = axiom.find(r, **kwargs)
        except SearchTooLarge as err:
            out.append(Verdict(name, None, None, "too large", str(err)))
            continue
        note = "vacuous: no seat holds a veto" if name in _ABOUT_VETO and not any(r.veto) else ""
        out.append(Verdict(name, found is None, found, _method(axiom, r, limit), note))
    return out


_ABOUT_VETO = {"veto", "blocking", "veto_ordering"}


def _method(axiom: Axiom, rule: DecisionRule, limit: int) -> str:
    if axiom.kind == "index":
        engine = rule.council is not None or rule.game is not None
        return "exact" + (" (power engine)" if engine else " (coalitions)")
    if axiom.id == "anonymous":
        return "exhaustive" if len(rule.votes) ** rule.size <= limit else "sampled"
    if len(rule.members) == rule.size or len(profiles.trusted(rule, limit).members) == rule.size:
        return "exhaustive"
    return "by class"
