"""An election run as a report: what ``councilsim elect`` prints, as data.

:func:`elect` runs a scenario's elections from the start a user chooses
(:func:`election_start`) and :func:`election_report` turns the run and its
:class:`~councilsim.elections.RunSummary` into JSON data: the Council of each year, seat-years
by state and by regional group (with each group's share of all seat-years), and per
state the chance of serving within the window and the waiting times.

>>> from councilsim.scenario import load
>>> data = elect(load("current"), years=4, seed=0)
>>> data["years_run"], round(sum(data["summary"]["group_share"].values()), 9)
(4, 1.0)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from councilsim.council import SeatKind
from councilsim.elections import rules_for
from councilsim.elections.ballot import BallotModel
from councilsim.elections.candidates import candidate_model
from councilsim.elections.engine import ElectionRun, run_elections
from councilsim.elections.membership import Membership, read_membership, start_from_membership
from councilsim.elections.rules import ElectionRules, StartComposition
from councilsim.elections.start import starting_composition
from councilsim.elections.summary import RunSummary, summarise
from councilsim.errors import ScenarioError
from councilsim.limits import DEFAULT_CANDIDATES, DEFAULT_RUN_YEARS
from councilsim.states import all_states, lookup, member_states

__all__ = [
    "elect",
    "election_report",
    "election_start",
    "serving_states",
    "shown_classes",
]


def election_start(
    rules: ElectionRules, start_year: int | None = None, membership: Membership | None = None
) -> StartComposition:
    """The first year's Council: the Council of ``start_year`` in ``membership`` where both
    are given (:func:`~councilsim.elections.start_from_membership`), else the scenario's start
    (:func:`~councilsim.elections.starting_composition`)."""
    if start_year is not None and membership is not None:
        return start_from_membership(rules, membership, start_year)
    return starting_composition(rules, start_year)


def serving_states(codes: Sequence[str], key: str = "--state") -> list[str]:
    """States named by a user (ISO alpha-3 codes, comma lists allowed) as upper-case codes.

    Raises :class:`~councilsim.errors.ScenarioError` naming ``key`` for a code that is not a
    current UN member (a former state cannot be elected).
    """
    out = []
    current = {m.iso3 for m in member_states()}
    for part in ",".join(codes).split(","):
        code = part.strip().upper()
        if not code:
            continue
        if code not in current:
            hint = "a former state" if lookup(code) else "not a UN member state"
            raise ScenarioError(
                f"{code!r} is {hint}", key=key, fix="see `councilsim states` for the codes"
            )
        out.append(code)
    return out


def shown_classes(rules: ElectionRules) -> list[str]:
    """The seat classes whose holders change or are open: every class but the fixed
    permanent ones (the columns of the Council-by-year table)."""
    return [
        c.id for c in rules.council.classes if c.kind is not SeatKind.PERMANENT or None in c.holders
    ]


def elect(
    scenario: Any,
    years: int = DEFAULT_RUN_YEARS,
    *,
    seed: int = 0,
    replications: int = 1,
    start_year: int | None = None,
    candidates: str = DEFAULT_CANDIDATES,
    membership: str | None = None,
    states: Sequence[str] = (),
    window: int | None = None,
    balloting: bool = False,
    progress: Callable[[int], None] | None = None,
) -> dict[str, Any]:
    """Run a scenario's elections and report them (:func:`election_report`).

    ``candidates`` is a name for :func:`~councilsim.elections.candidates.candidate_model`,
    ``membership`` the path of a membership-by-year file (the start with ``start_year``, and
    the ``history`` candidate model), ``states`` the states to report on (default: every
    state that serves), ``window`` the years from the start in which serving counts (default:
    the whole run); ``progress`` is called with the number of years done as they finish.
    """
    rules = rules_for(scenario)
    member_file = read_membership(membership) if membership else None
    start = election_start(rules, start_year, member_file)
    chosen = serving_states(states)
    run = run_elections(
        rules,
        years,
        start=start,
        replications=replications,
        seed=seed,
        candidates=candidate_model(candidates, member_file),
        balloting=BallotModel() if balloting else None,
        progress=progress,
    )
    return election_report(scenario.id, run, summarise(run, window), chosen)


def election_report(
    scenario: str, run: ElectionRun, summary: RunSummary, states: Sequence[str] = ()
) -> dict[str, Any]:
    """The JSON data of ``councilsim elect``.

    ``summary`` holds ``seat_years`` (mean per replication, states that serve, most first),
    ``group_seat_years`` and ``group_share`` (each group's share of all seat-years, permanent
    seats included),
    ``open_seat_years``, ``states`` (per state: group, seat-years, ``serve_probability``
    within the window, ``mean_gap`` and ``mean_first_wait`` in years) and, with balloting,
    ``ballots_per_election``. ``classes`` lists the seat classes whose holders change.
    """
    codes = [s.iso3 for s in all_states()]
    groups = {s.iso3: s.group.value for s in all_states()}
    order = summary.seat_years.argsort()[::-1]
    served = [codes[i] for i in order if summary.seat_years[i] > 0]
    by_group = {
        (g.value if g is not None else "none"): v
        for g, v in sorted(summary.group_seat_years.items(), key=lambda kv: str(kv[0]))
    }
    total = sum(by_group.values())
    out: dict[str, Any] = {
        "scenario": scenario,
        "start_year": int(run.years[0]),
        "years_run": len(run.years),
        "seed": run.seed,
        "replications": run.replications,
        "candidates": run.candidates,
        "balloting": run.ballots is not None,
        "start": {"source": run.start.source, "dropped": list(run.start.dropped)},
        "classes": shown_classes(run.rules),
        "years": [
            {"year": c.year, "members": [m.as_dict() for m in c.members]}
            for c in run.composition(0)
        ],
        "summary": {
            "window": summary.window,
            "seat_years": {c: float(summary.seat_years[codes.index(c)]) for c in served},
            "group_seat_years": by_group,
            "group_share": {g: (v / total if total else 0.0) for g, v in by_group.items()},
            "open_seat_years": summary.open_seat_years,
            "states": [
                {"state": c, "group": groups[c], **summary.state(c)} for c in (states or served)
            ],
        },
    }
    if run.ballots is not None:
        per = run.elections
        out["summary"]["ballots_per_election"] = float(run.ballots.mean() / per) if per else 0.0
    return out
