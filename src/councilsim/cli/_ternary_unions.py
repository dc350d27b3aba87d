"""What ``power --ternary``, ``power --unions`` and ``check --ternary`` add to the commands.

``power`` computes the binary indices as before; :func:`extend` adds the ternary indices
(:mod:`councilsim.power.ternary`) and the values with a-priori unions
(:mod:`councilsim.power.unions`) as further columns of the same result, so that the table,
CSV and JSON outputs carry them like any other index.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any, TypeVar

import click

from councilsim.axioms import DecisionRule, SearchTooLarge, Verdict
from councilsim.axioms.ternary import ternary_monotone
from councilsim.council import Council
from councilsim.errors import ScenarioError
from councilsim.games import WeightedGame
from councilsim.power import PowerResult
from councilsim.power.ternary import TERNARY_INDICES, ternary_power
from councilsim.power.unions import UNION_INDICES, Unions, parse_unions, union_values

__all__ = [
    "UNION_INDICES",
    "ExtendedPowerResult",
    "extend",
    "extra_notes",
    "extra_options",
    "ternary_verdicts",
]

F = TypeVar("F", bound=Callable[..., Any])


def extra_options(func: F) -> F:
    """``--ternary``, ``--abstention`` and ``--unions`` of ``councilsim power``."""
    options = [
        click.option(
            "--ternary",
            is_flag=True,
            help="Also the ternary indices, with yes, abstain and no votes: "
            + ", ".join(TERNARY_INDICES)
            + " (docs/power-ternary-unions.md).",
        ),
        click.option(
            "--abstention",
            type=click.Choice(["practice", "literal"]),
            default=None,
            help="With --ternary, how a veto holder's abstention is read: practice (it does "
            "not block) or literal (it blocks) [default: the scenario's rule, else practice].",
        ),
        click.option(
            "--unions",
            metavar="'1|2|3,4'",
            default=None,
            help="A-priori unions for owen, banzhaf_owen and symmetric_coalitional_banzhaf: "
            "'|' separates unions, ',' members (holder codes, seat labels or class ids of a "
            "scenario; member numbers or names of a --game). Members not named are unions by "
            "themselves. Default: the scenario's [unions].",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@dataclass(frozen=True)
class ExtendedPowerResult(PowerResult):
    """A :class:`~councilsim.power.PowerResult` with ternary and union values among its
    ``values``; ``abstention`` is the reading the ternary indices used, ``union`` each
    member's union."""

    abstention: str | None = None
    union: tuple[str, ...] | None = None

    def to_dict(self, exact: bool | None = None) -> dict[str, Any]:
        out = super().to_dict(exact)
        if self.abstention is not None:
            out["abstention"] = self.abstention
        if self.union is not None:
            for row, union in zip(out["members"], self.union, strict=True):
                row["union"] = union
        return out


def extend(
    result: PowerResult,
    subject: Council | WeightedGame,
    *,
    indices: tuple[str, ...],
    ternary: bool,
    abstention: str | None,
    unions_text: str | None,
    declared: Unions | None,
    exact: bool,
) -> PowerResult:
    """``result`` with the ternary and union values asked for added to its values."""
    wanted = [i for i in indices if i in UNION_INDICES]
    if unions_text is not None and not wanted:
        wanted = ["owen", "banzhaf_owen"]
    if abstention is not None and not ternary:
        raise ScenarioError("--abstention applies to the ternary indices", fix="add --ternary")
    if not ternary and not wanted:
        return result
    values = dict(result.values)
    reading = union = None
    if ternary:
        t = ternary_power(subject, abstention=abstention, exact=exact)
        values.update(t.values)
        reading = t.abstention
    if wanted:
        unions = parse_unions(unions_text, subject) if unions_text is not None else declared
        if unions is None:
            raise ScenarioError(
                f"{', '.join(wanted)} {'needs' if len(wanted) == 1 else 'need'} a-priori unions",
                key="--unions",
                fix="give --unions '1|2|3,4' or declare [unions] in the scenario",
            )
        u = union_values(subject, unions, exact=exact)
        values.update({k: v for k, v in u.values.items() if k in wanted})
        union = u.union
    base = {f.name: getattr(result, f.name) for f in fields(PowerResult)}
    return ExtendedPowerResult(**{**base, "values": values}, abstention=reading, union=union)


def extra_notes(result: PowerResult) -> list[str]:
    """Lines under a table's title: the abstention reading and the unions of more than one."""
    if not isinstance(result, ExtendedPowerResult):
        return []
    lines = []
    if result.abstention is not None:
        effect = "does not block" if result.abstention == "practice" else "blocks like a no"
        lines.append(
            f"ternary indices: {result.abstention} reading (a veto holder's abstention {effect})"
        )
    if result.union is not None:
        groups: dict[str, list[str]] = {}
        for member, union in zip(result.members, result.union, strict=True):
            groups.setdefault(union, []).append(member)
        named = [f"{u} = {', '.join(m)}" for u, m in groups.items() if len(m) > 1]
        lines.append(f"unions: {'; '.join(named) or 'none'}; every other member alone")
    return lines


def ternary_verdicts(rule: DecisionRule, limit: int) -> list[Verdict]:
    """The verdict of :func:`~councilsim.axioms.ternary.ternary_monotone` on a rule."""
    method = "by class" if rule.council is not None or rule.game is not None else "exhaustive"
    try:
        found = ternary_monotone(rule, limit=limit)
    except SearchTooLarge as err:
        return [Verdict("ternary_monotone", None, None, "too large", str(err))]
    return [Verdict("ternary_monotone", found is None, found, method)]
