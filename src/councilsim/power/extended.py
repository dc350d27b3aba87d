"""Power with abstention and with blocs beside the binary indices, in one result.

:func:`extend` adds to a :class:`~councilsim.power.PowerResult` the ternary indices
(:mod:`councilsim.power.ternary`: yes, abstain and no votes) and the values with a-priori unions
(:mod:`councilsim.power.unions`: Owen, Banzhaf–Owen, symmetric coalitional Banzhaf) as further
indices of the same result, so that tables, CSV and JSON carry them like any other index
(``councilsim power --ternary``, ``--unions``, ``--index owen``).

>>> from councilsim.scenario import load
>>> from councilsim.power import power
>>> council = load("current").council
>>> r = extend(power(council, exact=True), council, indices=(), ternary=True,
...            abstention="literal", unions_text=None, declared=None, exact=True)
>>> r.abstention, r.values["ternary_shapley_shubik"][0] == r.values["shapley_shubik"][0]
('literal', True)
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

from councilsim.council import Council
from councilsim.errors import ScenarioError
from councilsim.games import WeightedGame
from councilsim.indices import UNION_INDICES
from councilsim.power import PowerResult

if TYPE_CHECKING:
    from councilsim.power.unions import Unions

__all__ = ["ExtendedPowerResult", "extend", "notes"]


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
    """``result`` with the ternary and union values asked for added to its values.

    ``indices`` may name union indices (:data:`~councilsim.power.unions.UNION_INDICES`);
    ``ternary`` adds :data:`~councilsim.power.ternary.TERNARY_INDICES` under ``abstention``
    (``None``: the council's own reading). The unions are ``unions_text`` parsed by
    :func:`~councilsim.power.unions.parse_unions` (``'1|2|3,4'``), else ``declared`` (a
    scenario's ``[unions]``); giving unions without a union index adds ``owen`` and
    ``banzhaf_owen``. Raises :class:`~councilsim.errors.ScenarioError` when a union index is
    asked for without unions, or ``abstention`` without ``ternary``.
    """
    wanted = [i for i in indices if i in UNION_INDICES]
    if unions_text is not None and not wanted:
        wanted = ["owen", "banzhaf_owen"]
    if abstention is not None and not ternary:
        raise ScenarioError("--abstention applies to the ternary indices", fix="add --ternary")
    if not ternary and not wanted:
        return result
    values = dict(result.values)
    reading = union = None
    # their engines are imported here, when asked for: plain ``power`` does not load them
    from councilsim.power.ternary import ternary_power
    from councilsim.power.unions import parse_unions, union_values

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


def notes(result: PowerResult) -> list[str]:
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
