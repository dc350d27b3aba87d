"""The elected seats over time: General Assembly elections, rotation and long runs.

A scenario's ``[elections]`` table (see ``docs/elections.md``) gives the stagger of each seat
class, the Arab swing seat and the start composition; :func:`parse_elections` validates it into
:class:`ElectionRules` (the scenario loader calls it). :func:`run_elections` simulates the
Council year by year for many replications at once; :func:`summarise` turns a run into
seat-years, chances of serving and waiting times; :func:`check_membership` lists every breach
of the rules in a sequence of compositions, simulated or historical.

>>> from councilsim.scenario import load
>>> from councilsim.elections import rules_for, run_elections, check_membership
>>> rules = rules_for(load("current"))
>>> run = run_elections(rules, years=12, seed=1)
>>> [int(y) for y in run.years[:3]]
[2026, 2027, 2028]
>>> check_membership(run.composition(), rules)
[]
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from councilsim._lazy import lazy_exports
from councilsim.elections.parse import parse_elections

if TYPE_CHECKING:
    from councilsim.elections.ballot import BallotModel
    from councilsim.elections.candidates import (
        Candidates,
        candidates_from_csv,
        history_candidates,
        uniform_candidates,
    )
    from councilsim.elections.check import Member, Violation, YearComposition, check_membership
    from councilsim.elections.engine import ElectionRun, run_elections
    from councilsim.elections.membership import (
        Membership,
        membership_compositions,
        read_membership,
        start_from_membership,
    )
    from councilsim.elections.rules import (
        DEFAULT_START_YEAR,
        ArabSeat,
        ClassElection,
        ElectionRules,
        StartComposition,
        default_stagger,
    )
    from councilsim.elections.start import place_holders, starting_composition
    from councilsim.elections.summary import RunSummary, group_seat_years, spearman, summarise
    from councilsim.scenario import Scenario  # a scenario holds its parsed elections

__all__ = [
    "DEFAULT_START_YEAR",
    "ArabSeat",
    "BallotModel",
    "Candidates",
    "ClassElection",
    "ElectionRules",
    "ElectionRun",
    "Member",
    "Membership",
    "RunSummary",
    "StartComposition",
    "Violation",
    "YearComposition",
    "candidates_from_csv",
    "check_membership",
    "default_stagger",
    "group_seat_years",
    "history_candidates",
    "membership_compositions",
    "parse_elections",
    "place_holders",
    "read_membership",
    "rules_for",
    "run_elections",
    "spearman",
    "start_from_membership",
    "starting_composition",
    "summarise",
    "uniform_candidates",
]

# Imported on first use: reading a scenario's [elections] table (parse, rules, start) needs
# neither the engine nor numpy.
__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "ballot": ("BallotModel",),
        "candidates": (
            "Candidates",
            "candidates_from_csv",
            "history_candidates",
            "uniform_candidates",
        ),
        "check": ("Member", "Violation", "YearComposition", "check_membership"),
        "engine": ("ElectionRun", "run_elections"),
        "membership": (
            "Membership",
            "membership_compositions",
            "read_membership",
            "start_from_membership",
        ),
        "rules": (
            "DEFAULT_START_YEAR",
            "ArabSeat",
            "ClassElection",
            "ElectionRules",
            "StartComposition",
            "default_stagger",
        ),
        "start": ("place_holders", "starting_composition"),
        "summary": ("RunSummary", "group_seat_years", "spearman", "summarise"),
    },
)


def rules_for(scenario: Scenario) -> ElectionRules:
    """The election rules of a loaded scenario: its parsed ``[elections]`` table, or defaults.

    A scenario without an ``[elections]`` table gets the derived stagger
    (:func:`default_stagger`) and no Arab seat.
    """
    if scenario.elections is not None:
        return scenario.elections
    return parse_elections({}, scenario.council)
