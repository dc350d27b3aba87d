"""Hypothesis strategies for property-testing voting rules: councils, rules, votes, scenarios.

Install the optional extra ``councilsim[testing]`` to use them. Every strategy builds valid
objects directly (bounds first, then values inside them) and takes its bounds as keyword
arguments::

    from hypothesis import given
    from councilsim import axioms
    from councilsim.strategies import councils

    @given(councils(max_seats=9, quota=(0.5, 1.0)))
    def test_majority_rules_are_proper(council):
        assert axioms.proper(axioms.as_rule(council)) is None

See ``docs/tutorial-property-testing.md``.
"""

from councilsim.errors import install_hint

try:
    import hypothesis  # noqa: F401
except ImportError as err:  # pragma: no cover - depends on the environment
    raise ImportError(f"councilsim.strategies needs hypothesis: {install_hint('testing')}") from err

from councilsim.strategies.councils import (
    coalitions,
    councils,
    decision_rules,
    game_texts,
    profiles,
    rules,
    seat_classes,
    weighted_games,
)
from councilsim.strategies.documents import (
    mutated_scenarios,
    scenario_documents,
    toml_value,
    write_toml,
)

__all__ = [
    "coalitions",
    "councils",
    "decision_rules",
    "game_texts",
    "mutated_scenarios",
    "profiles",
    "rules",
    "scenario_documents",
    "seat_classes",
    "toml_value",
    "weighted_games",
    "write_toml",
]
