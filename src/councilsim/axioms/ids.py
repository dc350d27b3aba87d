"""The axioms' stable ids, with a title and what each is about: the names a scenario's
``[expected] axioms`` table and ``councilsim check --axiom`` may use.

They are kept apart from the functions that check them (:mod:`councilsim.axioms.registry`),
so that reading a scenario file does not load the searches.
"""

from __future__ import annotations

from typing import Literal

__all__ = ["AXIOM_IDS", "AXIOM_TITLES", "Kind"]

Kind = Literal["rule", "index"]
"""``"rule"`` for properties of the decision rule, ``"index"`` for properties of the power
indices computed from it."""

AXIOM_TITLES: dict[str, tuple[str, Kind]] = {
    "monotone": ("monotonicity", "rule"),
    "veto": ("veto property", "rule"),
    "anonymous": ("anonymity within a seat class", "rule"),
    "proper": ("properness", "rule"),
    "decisive": ("decisiveness (strongness)", "rule"),
    "blocking": ("blocking property of veto holders", "rule"),
    "efficiency": ("efficiency of the indices", "index"),
    "symmetry": ("symmetry of the indices", "index"),
    "null_player": ("null player property", "index"),
    "dominance": ("dominance: more weight, not less power", "index"),
    "veto_ordering": ("veto holders at least as powerful", "index"),
}
"""Every axiom's id, its title and its kind, in the order ``councilsim check`` lists them."""

AXIOM_IDS = tuple(AXIOM_TITLES)
"""The ids alone."""
