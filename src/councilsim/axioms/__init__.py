"""Axioms of voting rules and power indices, as functions that return a counterexample or None.

A rule is any vectorised function of vote profiles, wrapped with its seat structure in a
:class:`DecisionRule` (from a council with :meth:`DecisionRule.from_council`, from a weighted
game, or from your own function with :meth:`DecisionRule.of`). Each axiom function searches
for a violation and returns the smallest it finds, or ``None``:

>>> from councilsim.scenario import load
>>> from councilsim import axioms
>>> rule = axioms.as_rule(load("current"))
>>> axioms.proper(rule) is None
True
>>> axioms.decisive(rule).to_dict()["coalition"]   # CHN's yes fails, and so do the others'
['CHN']

Searches are exhaustive over every coalition or profile, up to permutations within seat
classes when the rule is anonymous within them, so a 26-seat council in three classes is
searched in a few thousand profiles. :data:`AXIOMS` registers every axiom by a stable id and
:func:`check` runs them all; ``councilsim check`` prints the same.

Sources: Felsenthal, D. S. and Machover, M. (1998), *The Measurement of Voting Power*, Edward
Elgar; Taylor, A. D. and Zwicker, W. S. (1999), *Simple Games*, Princeton University Press.
Chapter and section references in the docstrings are recalled [R].
"""

from typing import TYPE_CHECKING

from councilsim._lazy import lazy_exports

if TYPE_CHECKING:
    from councilsim.axioms.coalitions import blocking, decisive, lattice, monotone, proper
    from councilsim.axioms.counterexamples import (
        Counterexample,
        DisjointWinners,
        Indecisive,
        IndexViolation,
        NonMonotone,
        NotAnonymous,
        NotBlocking,
        VetoOverridden,
    )
    from councilsim.axioms.indices import (
        dominance,
        efficiency,
        lattice_power,
        null_player,
        power_values,
        symmetry,
        veto_ordering,
    )
    from councilsim.axioms.profiles import anonymous, trusted, veto
    from councilsim.axioms.registry import AXIOMS, Axiom, Verdict, check, resolve_axioms
    from councilsim.axioms.rules import ALL_VOTES, ART27_VOTES, DecisionRule, RuleFunction, as_rule
    from councilsim.axioms.space import LIMIT, SearchTooLarge

__all__ = [
    "ALL_VOTES",
    "ART27_VOTES",
    "AXIOMS",
    "LIMIT",
    "Axiom",
    "Counterexample",
    "DecisionRule",
    "DisjointWinners",
    "Indecisive",
    "IndexViolation",
    "NonMonotone",
    "NotAnonymous",
    "NotBlocking",
    "RuleFunction",
    "SearchTooLarge",
    "Verdict",
    "VetoOverridden",
    "anonymous",
    "as_rule",
    "blocking",
    "check",
    "decisive",
    "dominance",
    "efficiency",
    "lattice",
    "lattice_power",
    "monotone",
    "null_player",
    "power_values",
    "proper",
    "resolve_axioms",
    "symmetry",
    "trusted",
    "veto",
    "veto_ordering",
]

# Imported on first use: a scenario file's [expected] axioms are checked against the ids of
# councilsim.axioms.ids, without the searches (and numpy).
__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "coalitions": ("blocking", "decisive", "lattice", "monotone", "proper"),
        "counterexamples": (
            "Counterexample",
            "DisjointWinners",
            "Indecisive",
            "IndexViolation",
            "NonMonotone",
            "NotAnonymous",
            "NotBlocking",
            "VetoOverridden",
        ),
        "indices": (
            "dominance",
            "efficiency",
            "lattice_power",
            "null_player",
            "power_values",
            "symmetry",
            "veto_ordering",
        ),
        "profiles": ("anonymous", "trusted", "veto"),
        "registry": ("AXIOMS", "Axiom", "Verdict", "check", "resolve_axioms"),
        "rules": ("ALL_VOTES", "ART27_VOTES", "DecisionRule", "RuleFunction", "as_rule"),
        "space": ("LIMIT", "SearchTooLarge"),
    },
)
