"""Each member state's probability of supporting a plan: declared stances, else GA voting
similarity to the states that declared one.

A state with a declared stance (its own, or its group's: see
:meth:`~councilsim.amendment.positions.Positions.declared`) supports with that stance's
probability. For any other state the probability is a kernel average of the declared states'
probabilities, weighted by their closeness in General Assembly ideal points (a Gaussian kernel
of bandwidth :data:`BANDWIDTH`, one point per state from
:func:`~councilsim.amendment.idealpoints.ideal_points`), shrunk toward ½ by a prior weight
:data:`PRIOR_WEIGHT`: states that vote like a plan's supporters are likelier to support it.
With no declared state at all, every probability is ½ (the impartial model).

Each state also gets the correlation group whose common factor it shares in the passage
model: its negotiating group where the stance comes from one, else ``region:<group>``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from councilsim.amendment.idealpoints import ideal_points
from councilsim.amendment.positions import Positions
from councilsim.states import member_states

__all__ = ["BANDWIDTH", "PRIOR_WEIGHT", "StateSupport", "support"]

BANDWIDTH = 0.35
"""Kernel bandwidth on the ideal-point scale (the member states span about -1.5 to 2.5)."""

PRIOR_WEIGHT = 1.0
"""The weight of the undecided prior ½ against the kernel weights of the declared states."""


@dataclass(frozen=True)
class StateSupport:
    """A member state's probability of supporting a plan and where it comes from.

    ``basis`` is ``"declared"`` or ``"ideal points"``; ``source`` and ``confidence`` are the
    declared position's (empty for ideal points); ``group`` is the declaring group (``"state"``
    for a state's own entry) or the state's UN regional group for ideal points; ``factor`` the
    correlation group of the passage model.
    """

    iso3: str
    name: str
    probability: float
    basis: str
    group: str
    factor: str
    stance: str = ""
    source: str = ""
    confidence: str = ""


def support(
    plan: str,
    positions: Positions,
    *,
    bandwidth: float = BANDWIDTH,
    prior_weight: float = PRIOR_WEIGHT,
) -> tuple[StateSupport, ...]:
    """Every member state's support for ``plan`` (a scenario id), in member-state order."""
    declared = positions.declared(plan)
    points = ideal_points()
    anchors = [(points[s], p.probability) for s, (p, _) in declared.items()]
    out = []
    for state in member_states():
        if state.iso3 in declared:
            pos, group = declared[state.iso3]
            factor = state.iso3 if group == "state" else group
            out.append(
                StateSupport(
                    state.iso3,
                    state.name,
                    pos.probability,
                    "declared",
                    group,
                    factor,
                    pos.stance,
                    pos.source,
                    pos.confidence,
                )
            )
            continue
        p = _similar(points[state.iso3], anchors, bandwidth, prior_weight)
        region = f"region:{state.group.value}"
        out.append(StateSupport(state.iso3, state.name, p, "ideal points", region, region))
    return tuple(out)


def _similar(
    x: float, anchors: list[tuple[float, float]], bandwidth: float, prior_weight: float
) -> float:
    """The kernel-weighted mean of the anchors' probabilities, shrunk toward ½."""
    total, weight = 0.5 * prior_weight, prior_weight
    for point, p in anchors:
        k = math.exp(-0.5 * ((x - point) / bandwidth) ** 2)
        total += k * p
        weight += k
    return total / weight
