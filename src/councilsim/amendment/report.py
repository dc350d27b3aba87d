"""Could a plan pass? The report of ``councilsim amend`` for one scenario.

:func:`analyse` puts together the exact a-priori measures of the amendment game
(:func:`~councilsim.amendment.game.apriori`), each state's support
(:func:`~councilsim.amendment.support.support`) and the seeded passage model
(:mod:`councilsim.amendment.model`) into one frozen :class:`AmendmentReport`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

from councilsim.amendment.game import PERMANENT, amendment_game, apriori
from councilsim.amendment.idealpoints import COLUMN, WINDOW
from councilsim.amendment.model import (
    DEFAULT_AMEND_DRAWS,
    GROUP_CORRELATION,
    REGION_CORRELATION,
    draw_support,
    effects,
    exact_passage,
    passage,
    stages_of,
    win_over,
)
from councilsim.amendment.positions import Positions, load_positions
from councilsim.amendment.support import BANDWIDTH, StateSupport, support
from councilsim.composite import CompositePower
from councilsim.errors import ScenarioError
from councilsim.formatting import fraction_text
from councilsim.limits import DEFAULT_AMEND_TARGET, DEFAULT_AMEND_TOP, DEFAULT_SEED, MAX_SEED
from councilsim.scenario import load
from councilsim.simulation.result import Estimate

__all__ = ["DEFAULT_TARGET", "DEFAULT_TOP", "AmendmentReport", "analyse"]

DEFAULT_TOP = DEFAULT_AMEND_TOP
"""Pivotal states listed when none is asked for (:data:`councilsim.limits.DEFAULT_AMEND_TOP`)."""

DEFAULT_TARGET = DEFAULT_AMEND_TARGET
"""The probability of passage the list of states to win over aims at
(:data:`councilsim.limits.DEFAULT_AMEND_TARGET`)."""

STAGES = ("ga", "ratification", "both")
FX = ("ga", "both", "gain_ga", "gain_both")


@dataclass(frozen=True)
class AmendmentReport:
    """Everything ``amend`` says about one plan (see :meth:`to_dict` for the JSON keys)."""

    scenario: str
    name: str
    amendment: bool
    note: str
    apriori: dict[str, CompositePower]
    model: dict[str, Estimate]
    exact: bool
    binding: str
    pivotal: list[dict[str, Any]]
    permanent: list[dict[str, Any]]
    win_over: dict[str, Any]
    groups: list[dict[str, Any]]
    declared: int
    basis: str
    seed: int
    draws: int
    sources: list[dict[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Plain data: ``scenario``, ``apriori`` and ``model`` (each ``ga``, ``ratification``,
        ``both``), ``binding``, ``pivotal`` [{``state``, ``group``, ``effect``, ...}],
        ``permanent``, ``win_over``, ``groups``, ``model_basis`` and the sources used."""
        return {
            "scenario": self.scenario,
            "name": self.name,
            "amendment": self.amendment,
            "note": self.note,
            "apriori": {k: _apriori(v) for k, v in self.apriori.items()},
            "apriori_power": _power_rows(self.apriori["both"]),
            "model": {k: _estimate(v) for k, v in self.model.items()},
            "model_exact": self.exact,
            "binding": self.binding,
            "pivotal": self.pivotal,
            "permanent": self.permanent,
            "win_over": self.win_over,
            "groups": self.groups,
            "declared_states": self.declared,
            "model_basis": self.basis,
            "seed": self.seed,
            "draws": self.draws,
            "sources": self.sources,
        }


def _apriori(p: CompositePower) -> dict[str, Any]:
    return {"estimate": float(p.passage), "fraction": fraction_text(p.passage)}


def _estimate(e: Estimate) -> dict[str, Any]:
    low = e.ci_low if e.ci_low is not None else e.estimate
    high = e.ci_high if e.ci_high is not None else e.estimate
    return {"estimate": e.estimate, "ci_low": low, "ci_high": high}


def _power_rows(p: CompositePower) -> list[dict[str, Any]]:
    """Per class of states: size and the exact a-priori measures, as fractions and floats."""
    rows = []
    measures = {
        "banzhaf_absolute": p.banzhaf_absolute(),
        "banzhaf": p.banzhaf(),
        "coleman_prevent": p.coleman_prevent(),
        "coleman_initiate": p.coleman_initiate(),
    }
    for t, cls in enumerate(p.classes):
        row: dict[str, Any] = {
            "class": "permanent" if any(c.endswith("v") for c in cls) else "other",
            "states": p.sizes[t],
            "swings": p.swings[t],
        }
        for name, values in measures.items():
            row[name] = float(values[t])
            row[f"{name}_fraction"] = fraction_text(values[t])
        rows.append(row)
    return rows


def analyse(
    scenario: str | Path,
    *,
    positions: Positions | str | Path | None = None,
    seed: int | None = None,
    draws: int | None = None,
    top: int = DEFAULT_TOP,
    target: float = DEFAULT_TARGET,
    group_correlation: float = GROUP_CORRELATION,
    region_correlation: float = REGION_CORRELATION,
) -> AmendmentReport:
    """Could the plan of ``scenario`` pass as a Charter amendment, and who decides it?

    ``positions`` is a :class:`~councilsim.amendment.positions.Positions`, the path of a
    positions file, or ``None`` for the shipped one. Randomness comes from ``seed`` alone.

    Raises
    ------
    ScenarioError
        For an unknown scenario, a bad positions file or an option out of range.
    """
    _check(seed, top, target, group_correlation, region_correlation)
    seed = DEFAULT_SEED if seed is None else seed
    draws = DEFAULT_AMEND_DRAWS if draws is None else draws
    plan = load(scenario)
    pos = positions if isinstance(positions, Positions) else load_positions(positions)
    note = pos.plans.get(plan.id)
    game = amendment_game()
    stages = stages_of(game)
    needed = note.amendment if note else True
    states = support(plan.id, pos)
    if not needed:
        # the Charter already provides this council: nothing to adopt, it stands
        states = tuple(replace(s, probability=1.0, basis="no amendment") for s in states)
    probs = [s.probability for s in states]
    corr = [group_correlation if s.basis == "declared" else region_correlation for s in states]
    sample = draw_support(probs, [s.factor for s in states], corr, draws=draws, seed=seed)
    counts = passage(sample, stages)
    independent = group_correlation == 0 and region_correlation == 0
    exact = exact_passage(probs, stages) if independent or not needed else None
    model = _model(counts, sample.count, exact)
    fx = effects(sample, stages) if needed else dict.fromkeys(FX, np.zeros(len(states)))
    chosen, reached = win_over(sample, stages, probs, target)
    declared = sum(s.basis == "declared" for s in states)
    return AmendmentReport(
        scenario=plan.id,
        name=plan.name,
        amendment=needed,
        note=note.note if note else "",
        apriori=apriori(game),
        model=model,
        exact=exact is not None,
        binding=_binding(counts, sample.count),
        pivotal=_pivotal(states, fx, top),
        permanent=_permanent(states, fx["both"]),
        win_over={
            "target": target,
            "reached": reached,
            "method": "greedy: each step wins over the state of the largest gain",
            "states": [
                {
                    "state": states[i].iso3,
                    "name": states[i].name,
                    "group": states[i].group,
                    "probability_before": states[i].probability,
                    "passage_after": after,
                }
                for i, after in chosen
            ],
        },
        groups=_groups(states),
        declared=declared,
        basis=_basis(pos, group_correlation, region_correlation, draws, seed, declared),
        seed=seed,
        draws=sample.count,
        sources=_sources(states),
    )


UNIT_RANGES = {"target": "(0, 1]", "group_correlation": "[0, 1)", "region_correlation": "[0, 1)"}
"""The range of each probability :func:`analyse` takes: a target above 0, correlations below 1."""


def in_range(name: str, value: float | Fraction) -> bool:
    """Whether ``value`` lies in the range :data:`UNIT_RANGES` gives ``name``."""
    return 0 < value <= 1 if UNIT_RANGES[name] == "(0, 1]" else 0 <= value < 1


def _check(seed: int | None, top: int, target: float, rg: float, rr: float) -> None:
    if seed is not None and not 0 <= seed <= MAX_SEED:
        raise ScenarioError(f"seed {seed} is out of range", fix=f"use 0..{MAX_SEED}")
    if top < 0:
        raise ScenarioError(f"top {top} is negative", fix="use 0 or more")
    for name, value in (("target", target), ("group_correlation", rg), ("region_correlation", rr)):
        if not in_range(name, value):
            what = name.replace("_", " ")
            raise ScenarioError(f"{what} {value} is not in {UNIT_RANGES[name]}", fix="e.g. 0.5")


def _model(counts: dict[str, int], n: int, exact: dict[str, float] | None) -> dict[str, Estimate]:
    if exact is not None:
        return {k: Estimate(exact[k], exact[k], exact[k]) for k in STAGES}
    return {k: Estimate.wilson(counts[k], n) for k in STAGES}


def _binding(counts: dict[str, int], n: int) -> str:
    """The stage less likely to be passed: the GA vote (``P(GA)``) or ratification once the GA
    has adopted the amendment (``P(both) / P(GA)``); ``"none"`` when every draw passes."""
    if counts["both"] == n:
        return "none"
    if counts["ga"] == 0:
        return "ga"
    return "ratification" if counts["both"] / counts["ga"] < counts["ga"] / n else "ga"


def _pivotal(
    states: tuple[StateSupport, ...], fx: dict[str, np.ndarray], top: int
) -> list[dict[str, Any]]:
    """The states of the largest effect on the whole amendment; ties (often draws too rare to
    tell apart) broken by the gain of winning the state over, then by that gain in the GA vote."""
    both = fx["both"]
    key = lambda i: (-float(both[i]), -float(fx["gain_both"][i]), -float(fx["gain_ga"][i]), i)  # noqa: E731
    return [
        {
            "state": states[i].iso3,
            "name": states[i].name,
            "group": states[i].group,
            "effect": float(both[i]),
            "effect_ga": float(fx["ga"][i]),
            "gain": float(fx["gain_both"][i]),
            "gain_ga": float(fx["gain_ga"][i]),
            "probability": states[i].probability,
            "basis": states[i].basis,
        }
        for i in sorted(range(len(states)), key=key)[:top]
        if both[i] > 0 or fx["ga"][i] > 0
    ]


def _permanent(states: tuple[StateSupport, ...], fx: np.ndarray) -> list[dict[str, Any]]:
    rows = []
    for i, s in enumerate(states):
        if s.iso3 in PERMANENT:
            rows.append(
                {
                    "state": s.iso3,
                    "stance": s.stance or f"({s.basis})",
                    "support": s.probability,
                    "withholds": 1.0 - s.probability,
                    "effect": float(fx[i]),
                    "confidence": s.confidence,
                    "source": s.source,
                }
            )
    return rows


def _groups(states: tuple[StateSupport, ...]) -> list[dict[str, Any]]:
    by: dict[str, list[float]] = {}
    for s in states:
        by.setdefault(s.group, []).append(s.probability)
    return [
        {
            "group": g,
            "states": len(ps),
            "mean_support": sum(ps) / len(ps),
            "expected_supporters": sum(ps),
        }
        for g, ps in sorted(by.items(), key=lambda kv: -len(kv[1]))
    ]


def _sources(states: tuple[StateSupport, ...]) -> list[dict[str, str]]:
    seen: dict[tuple[str, str], dict[str, str]] = {}
    for s in states:
        if s.basis == "declared":
            seen.setdefault(
                (s.group, s.source),
                {
                    "group": s.group,
                    "stance": s.stance,
                    "source": s.source,
                    "confidence": s.confidence,
                },
            )
    return list(seen.values())


def _basis(pos: Positions, rg: float, rr: float, draws: int, seed: int, declared: int) -> str:
    return (
        f"declared positions from {pos.file} ({declared} of 193 states); the others from GA "
        f"ideal points ({COLUMN}, mean {WINDOW[0]}-{WINDOW[1]}, Voeten UNGA voting data, CC0; "
        f"Gaussian kernel, bandwidth {BANDWIDTH}); one-factor copula, correlation {rg} within "
        f"negotiating groups and {rr} within regional groups; {draws} draws, seed {seed}"
    )
