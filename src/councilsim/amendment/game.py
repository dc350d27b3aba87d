"""The Charter amendment as a composite game over the member states (Arts. 108 and 109).

Art. 108: an amendment comes into force when adopted "by a vote of two thirds of the members of
the General Assembly" and ratified "by two thirds of the Members of the United Nations,
including all the permanent members of the Security Council" (Art. 109(2) sets the same rule
for the alterations of a review conference). With 193 members both stages need 129 states;
only ratification gives the permanent members a veto. The amendment passes iff the same states'
support carries both stages: the two weighted games joined by AND
(:class:`~councilsim.composite.CompositeGame`).

>>> a = apriori()
>>> [f"{float(a[k].passage):.3g}" for k in ("ga", "ratification", "both")]
['1.67e-06', '2.25e-07', '2.25e-07']
"""

from __future__ import annotations

from collections.abc import Sequence

from councilsim.composite import CompositeGame, CompositePower, composite_power
from councilsim.games import WeightedGame
from councilsim.states import member_states

__all__ = ["PERMANENT", "amendment_game", "apriori", "two_thirds"]

PERMANENT = ("CHN", "FRA", "RUS", "GBR", "USA")
"""The permanent members of the Security Council (Art. 23), whose ratification Art. 108 needs."""


def two_thirds(n: int) -> int:
    """The smallest whole number of members that is at least two thirds of ``n`` (129 of 193)."""
    return -(-2 * n // 3)


def amendment_game(states: Sequence[str] | None = None) -> CompositeGame:
    """The GA vote AND the ratification, over ``states`` (default: the 193 members).

    Component ``"ga"`` is ``[q; 1, ..., 1]`` with ``q`` two thirds of the members; component
    ``"ratification"`` the same with a veto for each permanent member.
    """
    names = tuple(states) if states is not None else tuple(s.iso3 for s in member_states())
    n, q = len(names), two_thirds(len(names))
    veto = tuple(s in PERMANENT for s in names)
    ga = WeightedGame((1,) * n, q, names=names)
    ratification = WeightedGame((1,) * n, q, veto=veto, names=names)
    return CompositeGame((ga, ratification), "and", ("ga", "ratification"), names)


def apriori(game: CompositeGame | None = None) -> dict[str, CompositePower]:
    """Exact a-priori counts of each stage alone and of the whole amendment (``"both"``)."""
    g = game or amendment_game()
    stages = {
        label: CompositeGame((c,), "and", (label,), g.names)
        for label, c in zip(g.labels, g.components, strict=True)
    }
    return {**{k: composite_power(v) for k, v in stages.items()}, "both": composite_power(g)}
