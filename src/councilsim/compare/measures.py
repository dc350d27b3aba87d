"""The measures that compare councils: one flat, ordered dict of numbers per council.

:func:`measures` computes, for one council and a vote model, the figures ``councilsim
compare`` tabulates, plots and reports and ``councilsim sweep`` writes for every
configuration. Keys are stable snake_case ids described in :data:`MEASURES` (named states add
``banzhaf_state_<code>`` and ``shapley_shubik_state_<code>``); values are ``int``, ``float``,
:class:`~fractions.Fraction` (only with ``exact=True``) or ``None`` where a measure does not
apply (no new permanent seat, no elected seat).

Definitions (see ``docs/compare.md`` for the sources):

permanent member
    The seats of the first seat class of kind ``permanent`` in council order: the P5 in every
    shipped scenario. Its value is the mean over those seats (they are interchangeable).
    ``permanent_class`` names the class instead; a sweep names its base's, so that a
    configuration without that class has no permanent member rather than promoting another.
new permanent member
    Every other seat of kind ``permanent`` (``new-permanent`` in the shipped reforms), with or
    without the veto; the mean per seat over all of them.
elected member
    Every seat of kind ``elected`` or ``long-term``; the mean per seat over all of them (the
    two-year and four-year seats of the High-level Panel's Model B are averaged).
named state
    Its expected power (:func:`councilsim.statepower.state_power`): the sum over seat classes
    of the chance that it holds a seat of the class times the power of that seat, averaged
    over the years of an election run of the scenario (its ``[elections]`` table or the rules
    derived from its seats; open permanent seats go to the declared candidates). Without an
    election run (``expected`` not given), the power of the seat it is named to, or 0.

Power indices are a-priori (every coalition of yes voters equally likely, the substantive
rule): the normalized Banzhaf index (Banzhaf 1965), the absolute Banzhaf or Penrose measure
(Penrose 1946) and the Shapley–Shubik index (Shapley & Shubik 1954), counted exactly by
:func:`councilsim.power.power`. Outcome rates follow the vote model: exact where its votes
are independent, else Monte Carlo with 95 % Wilson intervals in ``<rate>_ci_low`` and
``<rate>_ci_high`` (exact rates have no ``_ci_`` keys).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from councilsim.council import Council, Region, SeatKind
from councilsim.errors import ScenarioError
from councilsim.limits import (
    DEFAULT_DRAWS,
    DEFAULT_SEED,
    DEFAULT_STATE_REPS,
    DEFAULT_STATE_YEARS,
)
from councilsim.models import ImpartialModel, VoteModel, VoteProbs
from councilsim.power import power
from councilsim.power.ternary import ternary_power
from councilsim.power.unions import Unions, union_values
from councilsim.rule import Outcome, classify, tally_distribution, voters
from councilsim.simulation import simulate
from councilsim.statepower import StatePower
from councilsim.statepower.expected import seat_group
from councilsim.states import lookup

__all__ = [
    "DEFAULT_STATE_REPS",
    "DEFAULT_STATE_YEARS",
    "INDEX_LABELS",
    "MEASURES",
    "OUTCOMES",
    "Column",
    "Measure",
    "change",
    "describe",
    "engine",
    "gini",
    "measure_ids",
    "measures",
    "outcome_rates",
    "state_codes",
]

Number = Fraction | float

INDEX_LABELS = {"banzhaf": "Banzhaf", "shapley_shubik": "Shapley–Shubik"}
"""The indices compared, by id, with their display names."""

OUTCOMES = ("adopted", "vetoed", "failed")
"""The outcome rates, in output order."""


@dataclass(frozen=True)
class Measure:
    """How a measure reads: a label for table rows and titles, its unit, and its group.

    ``group`` is one of ``council``, ``outcomes``, ``seat``, ``ratio``, ``region``,
    ``inequality``, ``ternary``, ``union`` and ``state``; ``index`` is the power index it belongs
    to, if any.
    """

    label: str
    unit: str
    group: str
    index: str | None = None


_SEATS = {
    "permanent": "a permanent (P5) member",
    "new_permanent": "a new permanent member",
    "elected": "an elected member",
}


def _table() -> dict[str, Measure]:
    out = {
        "seats": Measure("Seats", "seats", "council"),
        "quota": Measure("Quota (weighted yes votes needed)", "votes", "council"),
        "veto_holders": Measure("Veto holders", "seats", "council"),
        "coleman_act": Measure("Coleman's power to act", "probability", "council"),
    }
    for rate in OUTCOMES:
        out[rate] = Measure(f"Drafts {rate}", "share of drafts", "outcomes")
        for end in ("low", "high"):
            out[f"{rate}_ci_{end}"] = Measure(
                f"Drafts {rate}, 95% interval, {end} end", "share of drafts", "outcomes"
            )
    for index, name in (*INDEX_LABELS.items(), ("penrose", "Penrose (absolute Banzhaf)")):
        share = "probability" if index == "penrose" else "share of power"
        for seat, who in _SEATS.items():
            out[f"{index}_{seat}"] = Measure(f"{name} power of {who}", share, "seat", index)
        if index != "penrose":
            out[f"{index}_ratio"] = Measure(
                f"{name}: permanent ÷ elected member", "ratio", "ratio", index
            )
    for index, name in INDEX_LABELS.items():
        for region in Region:
            out[f"{index}_region_{_snake(region.value)}"] = Measure(
                f"{name} power of the {region.label}", "share of power", "region", index
            )
    for index, name in INDEX_LABELS.items():
        out[f"{index}_gini"] = Measure(
            f"{name}: Gini coefficient across seats", "index (0 = equal)", "inequality", index
        )
    for index, name in TERNARY_LABELS.items():
        for seat, who in _SEATS.items():
            out[f"{index}_{seat}"] = Measure(
                f"{name} power of {who}", "share of power", "ternary", index
            )
    return out


TERNARY_LABELS = {
    "ternary_shapley_shubik": "Ternary Shapley–Shubik",
    "ternary_banzhaf": "Ternary Banzhaf",
}
"""The ternary indices compared with ``ternary=True`` (yes, abstain and no votes;
:mod:`councilsim.power.ternary`), by id."""

UNION_LABELS = {"owen": "Owen value", "banzhaf_owen": "Banzhaf–Owen value"}
"""The values with a-priori unions compared for a council with unions
(:mod:`councilsim.power.unions`): ``<index>_union_<name>`` is the union's total."""


def _snake(text: str) -> str:
    return text.replace("-", "_").lower()


MEASURES: dict[str, Measure] = _table()
"""Every fixed measure id, in output order, with its label, unit and group.

Named states add ``<index>_state_<code>`` ids (``banzhaf_state_ind``); :func:`describe`
describes those too.
"""


def describe(key: str) -> Measure:
    """The description of a measure id, including the per-state ids.

    Raises :class:`KeyError` for an id that is neither in :data:`MEASURES` nor a state id.
    """
    if key in MEASURES:
        return MEASURES[key]
    for index, name in UNION_LABELS.items():
        prefix = f"{index}_union_"
        if key.startswith(prefix):
            union = key[len(prefix) :]
            unit = "probability" if index == "banzhaf_owen" else "share of power"
            return Measure(f"{name} of the union {union}", unit, "union", index)
    for index, name in INDEX_LABELS.items():
        prefix = f"{index}_state_"
        if key.startswith(prefix):
            code = key[len(prefix) :].upper()
            state = lookup(code)
            who = f"{state.name} ({code})" if state else code
            return Measure(f"{name} power of {who}", "share of power", "state", index)
    raise KeyError(key)


def state_codes(states: Sequence[str], key: str = "states") -> tuple[str, ...]:
    """Named states as upper-case ISO 3166 alpha-3 codes, in order and without repeats.

    Raises :class:`~councilsim.errors.ScenarioError` (naming ``key``) for a code that is no
    current or former UN member (:func:`councilsim.states.lookup`).
    """
    out: list[str] = []
    for code in states:
        state = lookup(str(code))
        if state is None:
            raise ScenarioError(
                f"unknown state code {code!r}",
                key=key,
                fix="give the ISO 3166 alpha-3 code of a UN member, e.g. IND (councilsim states)",
            )
        if state.iso3 not in out:
            out.append(state.iso3)
    return tuple(out)


def engine(council: Council, model: VoteModel) -> str:
    """``"exact"`` where the model's votes are independent, else ``"monte-carlo"``."""
    return "exact" if model.probabilities(council) is not None else "monte-carlo"


def measures(
    council: Council,
    *,
    model: VoteModel | None = None,
    draws: int = DEFAULT_DRAWS,
    seed: int = DEFAULT_SEED,
    exact: bool = False,
    states: Sequence[str] = (),
    expected: StatePower | None = None,
    permanent_class: str | None = None,
    ternary: bool = False,
    unions: Unions | None = None,
) -> dict[str, Any]:
    """The comparison measures of one council, as a flat dict in :data:`MEASURES` order.

    Parameters
    ----------
    council
        The council.
    model
        The vote model of the outcome rates (default: ``impartial`` at p = 1/2, which makes
        ``adopted`` equal to ``coleman_act``).
    draws, seed
        Monte Carlo drafts and root seed, used only where the model's votes are not
        independent (see :func:`councilsim.simulation.simulate`).
    exact
        Fractions instead of floats for the a-priori measures and exact outcome rates (Monte
        Carlo estimates stay floats).
    states
        ISO alpha-3 codes of states whose power to report.
    expected
        Every state's expected power (:func:`councilsim.statepower.state_power`) under this
        council: the named states' figures come from it; without it, a state's power is that of
        the seat it is named to, or 0.
    permanent_class
        The id of the class whose seats are the *permanent members* (default: the first
        class of kind ``permanent``). If the council has no such class, the ``*_permanent``
        measures are ``None`` and every permanent seat is a *new permanent* one.
    ternary
        Also the ternary Shapley–Shubik and Banzhaf indices of a permanent, new permanent and
        elected member (abstention a third vote, under the council's reading of it;
        :func:`councilsim.power.ternary.ternary_power`).
    unions
        A-priori unions of the council's members: also the Owen and Banzhaf–Owen value of
        each union of more than one member (``owen_union_<name>``, the sum over its members;
        :func:`councilsim.power.unions.union_values`).

    Returns
    -------
    dict
        Measure id → value; see the module docstring for the definitions.
    """
    model = model or ImpartialModel()
    codes = state_codes(states)
    conv: Any = (lambda v: v) if exact else _float
    result = power(council, exact=True, indices=["banzhaf", "banzhaf_absolute", "shapley_shubik"])
    out: dict[str, Any] = {
        "seats": council.size,
        "quota": council.rule.quota,
        "veto_holders": council.veto_holders,
        "coleman_act": conv(result.coleman_act),
    }
    out.update(_outcomes(council, model, draws, seed, exact))
    groups = _seat_groups(council, permanent_class)
    values = {
        index: [Fraction(v) for v in result.values[name]]
        for index, name in (
            ("banzhaf", "banzhaf"),
            ("shapley_shubik", "shapley_shubik"),
            ("penrose", "banzhaf_absolute"),
        )
    }
    per_seat: dict[str, dict[str, Fraction | None]] = {}
    for index, vals in values.items():
        per_seat[index] = {g: _mean([vals[i] for i in seats]) for g, seats in groups.items()}
        out.update({f"{index}_{g}": _opt(conv, v) for g, v in per_seat[index].items()})
        if index != "penrose":
            out[f"{index}_ratio"] = _opt(conv, _ratio(per_seat[index]))
    regions = [seat_group(council, i) for i in range(council.size)]
    counted = all(r is not None for r in regions)  # else the groups' sums would fall short
    for index in INDEX_LABELS:
        for region in Region:
            held = sum((v for v, r in zip(values[index], regions, strict=True) if r is region), 0)
            key = f"{index}_region_{_snake(region.value)}"
            out[key] = conv(Fraction(held)) if counted else None
    for index in INDEX_LABELS:
        out[f"{index}_gini"] = conv(gini(values[index]))
    if ternary:
        tern = ternary_power(council, exact=True)
        for index in TERNARY_LABELS:
            vals = [Fraction(v) for v in tern.values[index]]
            for g, seats in groups.items():
                out[f"{index}_{g}"] = _opt(conv, _mean([vals[i] for i in seats]))
    if unions is not None:
        blocs = union_values(council, unions, exact=True)
        for index in UNION_LABELS:
            for name, members in zip(unions.names, unions.groups, strict=True):
                if len(members) > 1:
                    total = sum((Fraction(blocs.values[index][i]) for i in members), Fraction(0))
                    out[f"{index}_union_{name}"] = conv(total)
    for code in codes:
        for index in INDEX_LABELS:
            value = _state_power(council, code, values[index], index, expected)
            out[f"{index}_state_{code.lower()}"] = conv(value)
    return out


def _float(value: Number) -> float:
    return float(value)


def _opt(conv: Any, value: Fraction | None) -> Any:
    return None if value is None else conv(value)


def _seat_groups(council: Council, permanent_class: str | None = None) -> dict[str, list[int]]:
    """Seat indices of the permanent, new permanent and elected members (see the module)."""
    first = permanent_class
    if first is None:
        first = next((c.id for c in council.classes if c.kind is SeatKind.PERMANENT), None)
    groups: dict[str, list[int]] = {"permanent": [], "new_permanent": [], "elected": []}
    for i, seat in enumerate(council.seats):
        if seat.kind is not SeatKind.PERMANENT:
            groups["elected"].append(i)
        elif seat.seat_class == first:
            groups["permanent"].append(i)
        else:
            groups["new_permanent"].append(i)
    return groups


def _mean(values: Sequence[Fraction]) -> Fraction | None:
    return sum(values, Fraction(0)) / len(values) if values else None


def _ratio(per_seat: Mapping[str, Fraction | None]) -> Fraction | None:
    top, bottom = per_seat["permanent"], per_seat["elected"]
    if top is None or not bottom:
        return None
    return top / bottom


def gini(values: Sequence[Number]) -> Fraction:
    """The Gini coefficient of non-negative values: ``Σᵢ Σⱼ |xᵢ − xⱼ| / (2 n Σ x)`` (Gini 1912).

    0 when every value is equal, ``(n − 1) / n`` when one holds everything; 0 for an empty
    sequence or a zero total. Exact for fractions (floats are read as exact binary fractions).

    >>> gini([Fraction(1, 4)] * 4), gini([1, 0, 0, 0])
    (Fraction(0, 1), Fraction(3, 4))
    """
    xs = sorted(Fraction(v) for v in values)
    n, total = len(xs), sum(xs, Fraction(0))
    if n == 0 or total == 0:
        return Fraction(0)
    # Σᵢⱼ |xᵢ − xⱼ| = 2 Σₖ (2k − n + 1) x₍ₖ₎ over the sorted values, k from 0.
    weighted = sum(((2 * k - n + 1) * x for k, x in enumerate(xs)), Fraction(0))
    return weighted / (n * total)


def _state_power(
    council: Council,
    code: str,
    values: Sequence[Fraction],
    index: str,
    expected: StatePower | None,
) -> Number:
    if expected is not None:
        try:
            return expected.state(code).values[index].mean
        except KeyError:  # a former member the council does not name: it holds nothing
            return Fraction(0)
    seat = next((i for i, s in enumerate(council.seats) if s.holder == code), None)
    return values[seat] if seat is not None else Fraction(0)


def _outcomes(
    council: Council, model: VoteModel, draws: int, seed: int, exact: bool
) -> dict[str, Any]:
    probs = model.probabilities(council)
    if probs is not None:
        adopted, vetoed = outcome_rates(council, probs, exact=exact)
        failed = 1 - adopted - vetoed
        return {"adopted": adopted, "vetoed": vetoed, "failed": failed}
    result = simulate(council, model, draws=draws, seed=seed)
    out: dict[str, Any] = {}
    for rate in OUTCOMES:
        est = getattr(result, rate)
        out[rate] = est.estimate
        out[f"{rate}_ci_low"] = est.ci_low
        out[f"{rate}_ci_high"] = est.ci_high
    return out


def outcome_rates(
    council: Council, probs: Sequence[VoteProbs], *, exact: bool = False
) -> tuple[Number, Number]:
    """Exact probabilities that a draft is adopted and vetoed, for independent votes.

    The distribution of the tallies (weighted yes votes, blocking veto holders) is
    :func:`councilsim.rule.tally_distribution`, as in
    :func:`councilsim.simulation.exact_outcomes`, and each state is classified by
    :func:`councilsim.rule.classify`; only the overall rates are kept, which makes this the
    fast path for many councils. With ``exact`` and fractional probabilities the result is two
    fractions; otherwise floats.
    """
    rule = council.rule
    members = voters(council.weights, council.veto, probs, rule.abstention)
    dist = tally_distribution(members, exact=exact)
    outcome = classify(dist.yes, dist.blocking, rule.quota, rule.veto_threshold)
    return dist.probability(outcome == Outcome.ADOPTED), dist.probability(outcome == Outcome.VETOED)


@dataclass(frozen=True)
class Column:
    """One scenario's measures with what a reader needs to trust them (a column of a comparison).

    ``service`` says whether named states got their expected power from an election run
    (``service_years`` × ``service_reps``, candidate model ``candidates``), whose figures for
    every state are ``state_power``; ``engine`` is ``"exact"`` or ``"monte-carlo"`` (then
    ``draws`` and ``seed`` apply).
    """

    id: str
    name: str
    values: Mapping[str, Any]
    description: str = ""
    sources: tuple[str, ...] = ()
    confidence: tuple[str, ...] = ()
    model: str = "impartial"
    params: Mapping[str, Any] = field(default_factory=dict)
    engine: str = "exact"
    draws: int | None = None
    seed: int | None = None
    exact: bool = False
    service: bool = False
    service_years: int = 0
    service_reps: int = 0
    veto_threshold: int = 1
    abstention: str = "practice"
    candidates: str = ""
    state_power: StatePower | None = None


def measure_ids(columns: Sequence[Column]) -> list[str]:
    """Every measure id of the columns, in :data:`MEASURES` order, then state ids as given."""
    seen = dict.fromkeys(k for c in columns for k in c.values)
    fixed = [k for k in MEASURES if k in seen]
    return fixed + [k for k in seen if k not in MEASURES]


def change(key: str, base: Any, other: Any) -> Any:
    """``other − base``, or ``None`` where either is missing or for an interval end."""
    if base is None or other is None or "_ci_" in key:
        return None
    if isinstance(base, float) or isinstance(other, float):
        return float(other) - float(base)
    return other - base
