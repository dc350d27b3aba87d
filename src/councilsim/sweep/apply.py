"""One configuration of a sweep applied to its base scenario.

A configuration rewrites the base's ``[seats]`` and ``[rule]`` tables as a person editing the
scenario file would, and the result goes through the scenario loader's own validation
(:func:`councilsim.scenario.schema.build_council`), so a configuration builds exactly the
council of the equivalent hand-written scenario, and an impossible one fails with the
loader's message:

``permanent_veto`` / ``permanent_no_veto``
    The permanent seats with (without) the veto, over all such classes. Fewer seats drop the
    last ones as written (the last class first; a class left with none is removed); more add
    open seats without a region in a new class, ``added-veto`` (``added-permanent``), placed
    after the last permanent class.
``elected`` / ``seats``
    The seats of the base's one class of kind ``elected`` (``seats``: the total, the elected
    class taking what the other classes leave). The seats are spread over the class's regional
    groups in proportion to the base's by the Sainte-Laguë (Webster) method, which never takes
    a seat from a group when the class grows; a group keeps its named holders in the order
    written, as many as it keeps seats. Zero seats remove the class.
``quota``, ``procedural_quota``, ``veto_threshold``, ``abstention``
    Set in the rule. When ``quota`` is varied and ``procedural_quota`` is not, the procedural
    quota follows the quota. When no seat keeps a veto and ``veto_threshold`` is not varied,
    the threshold is dropped.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from councilsim.council import Council, Region, SeatClass, SeatKind
from councilsim.errors import ScenarioError
from councilsim.models import VoteModel, build_model
from councilsim.scenario import Scenario
from councilsim.scenario.schema import build_council
from councilsim.sweep.params import MODEL_PREFIX, Value
from councilsim.validate import Context

ADDED = {True: "added-veto", False: "added-permanent"}
"""Ids of the classes that hold permanent seats a configuration adds."""

_ADDED_NAMES = {
    True: "Added permanent seats with the veto",
    False: "Added permanent seats without the veto",
}
_RULE_KEYS = ("quota", "procedural_quota", "veto_threshold", "abstention")
_PLACEMENT = ("count", "holders", "region", "by_region")

SeatList = list[tuple[str | None, Region | None]]


def elected_class(base: Scenario) -> SeatClass | None:
    """The base's one class of kind ``elected``, or ``None`` if it has none or several."""
    found = [c for c in base.council.classes if c.kind is SeatKind.ELECTED]
    return found[0] if len(found) == 1 else None


def document(base: Scenario, config: Mapping[str, Value]) -> dict[str, Any]:
    """The ``seats`` and ``rule`` tables of the base with a configuration applied.

    The result is a scenario document (what a hand-written file would hold) for
    :func:`~councilsim.scenario.schema.build_council`.
    """
    raw_seats: Mapping[str, Any] = base.raw.get("seats", {})
    specs: dict[str, dict[str, Any] | None] = {
        c.id: copy.deepcopy(dict(raw_seats[c.id])) for c in base.council.classes
    }
    classes = {c.id: c for c in base.council.classes}
    for veto, key in ((True, "permanent_veto"), (False, "permanent_no_veto")):
        if key in config:
            _set_permanent(specs, classes, veto, int(config[key]))
    if "seats" in config or "elected" in config:
        _set_elected(base, specs, config)
    seats = {cid: spec for cid, spec in specs.items() if spec is not None}
    rule = dict(base.raw.get("rule", {}))
    for key in _RULE_KEYS:
        if key in config:
            rule[key] = config[key]
    if "quota" in config and "procedural_quota" not in config:
        rule["procedural_quota"] = config["quota"]
    vetoes = sum(s.get("count", len(s.get("holders", ()))) for s in seats.values() if s.get("veto"))
    if vetoes == 0 and "veto_threshold" not in config:
        rule.pop("veto_threshold", None)
    return {"id": base.id, "name": base.name, "rule": rule, "seats": seats}


def configure(base: Scenario, config: Mapping[str, Value]) -> Council:
    """The council of ``base`` under ``config`` (parameter name → value).

    Raises :class:`~councilsim.errors.ScenarioError` for a configuration the scenario format
    does not allow (a quota above the total weight, a veto threshold above the number of
    veto holders, no seats…); the message names the scenario key, not a file.
    """
    return build_council(document(base, config), Context("", ""))


def _set_permanent(
    specs: dict[str, dict[str, Any] | None],
    classes: Mapping[str, SeatClass],
    veto: bool,
    target: int,
) -> None:
    ids = [
        cid
        for cid, c in classes.items()
        if c.kind is SeatKind.PERMANENT and c.veto is veto and specs.get(cid) is not None
    ]
    have = sum(classes[cid].count for cid in ids)
    if target > have:
        spec = {"name": _ADDED_NAMES[veto], "kind": "permanent", "veto": veto}
        spec["count"] = target - have
        permanent = [
            k for k, s in enumerate(specs.values()) if s is not None and s["kind"] == "permanent"
        ]
        items = list(specs.items())
        items.insert(max(permanent, default=-1) + 1, (ADDED[veto], spec))
        specs.clear()
        specs.update(items)
        return
    excess = have - target
    for cid in reversed(ids):
        if excess == 0:
            break
        cls = classes[cid]
        keep = max(0, cls.count - excess)
        excess -= cls.count - keep
        seats = list(zip(cls.holders, cls.seat_regions(), strict=True))[:keep]
        specs[cid] = _placed(specs[cid], seats, cid)


def _set_elected(
    base: Scenario, specs: dict[str, dict[str, Any] | None], config: Mapping[str, Value]
) -> None:
    cls = elected_class(base)
    if cls is None:
        raise ScenarioError(
            "the base has no single class of kind elected to resize",
            key="seats",
            fix="use a base scenario with one elected class",
        )
    if "seats" in config:
        others = sum(
            _count(spec) for cid, spec in specs.items() if cid != cls.id and spec is not None
        )
        target = int(config["seats"]) - others
        if target < 0:
            raise ScenarioError(
                f"{config['seats']} seats are fewer than the {others} seats not elected",
                key="seats",
                fix=f"use at least {others} seats",
            )
    else:
        target = int(config["elected"])
    specs[cls.id] = _placed(specs[cls.id], _resized(cls, target), cls.id)


def _count(spec: Mapping[str, Any]) -> int:
    return int(spec.get("count", len(spec.get("holders", ()))))


def _resized(cls: SeatClass, target: int) -> SeatList:
    """``target`` seats spread over the class's groups like its current seats."""
    seats = list(zip(cls.holders, cls.seat_regions(), strict=True))
    if target == cls.count:
        return seats
    groups = list(dict.fromkeys(r for _, r in seats))
    counts = [sum(1 for _, r in seats if r == g) for g in groups]
    out: SeatList = []
    for group, n in zip(groups, apportion(counts, target), strict=True):
        named = [h for h, r in seats if r == group and h is not None][:n]
        out += [(h, group) for h in named] + [(None, group)] * (n - len(named))
    return out


def apportion(counts: list[int], seats: int) -> list[int]:
    """Seats per group in proportion to ``counts``, by the Sainte-Laguë (Webster) method.

    Seats go one at a time to the group with the largest ``count / (2 s + 1)`` (``s`` the
    seats it has), ties to the earlier group. A divisor method, so it is house-monotone
    (Balinski & Young, *Fair Representation*, 1982) and returns ``counts`` when ``seats`` is
    their sum.
    """
    given = [0] * len(counts)
    for _ in range(seats):
        best = max(range(len(counts)), key=lambda k: (Fraction(counts[k], 2 * given[k] + 1), -k))
        given[best] += 1
    return given


def _placed(spec: dict[str, Any] | None, seats: SeatList, cid: str) -> dict[str, Any] | None:
    """A class table holding exactly ``seats`` (holder and region of each)."""
    if spec is None or not seats:
        return None
    out = {k: v for k, v in spec.items() if k not in _PLACEMENT}
    out["count"] = len(seats)
    named = [h for h, _ in seats if h is not None]
    if named:
        out["holders"] = named
    groups = list(dict.fromkeys(r for _, r in seats))
    if groups == [None]:
        return out
    if None in groups:
        raise ScenarioError(
            f"class {cid} has seats without a region",
            key=f"seats.{cid}",
            fix="give the class region or by_region in the base scenario",
        )
    if len(groups) == 1:
        out["region"] = str(groups[0])
    else:
        out["by_region"] = {str(g): sum(1 for _, r in seats if r == g) for g in groups}
    return out


def model_config(
    model: str | None, params: Mapping[str, Any], config: Mapping[str, Value]
) -> tuple[str | None, dict[str, Any]]:
    """The vote model's name and parameters for a configuration.

    ``model`` and ``params`` are the sweep's fixed choice (``[measures]``); a varied ``model``
    that differs from it starts from no parameters, and varied ``params.<name>`` override.
    ``None`` for the name means the a-priori model (no parameters at all).
    """
    name = model
    table = dict(params)
    if "model" in config and config["model"] != model:
        name, table = str(config["model"]), {}
    for key, value in config.items():
        if key.startswith(MODEL_PREFIX):
            table[key[len(MODEL_PREFIX) :]] = value
    if name is None and table:
        name = "impartial"
    return name, table


def build_vote_model(name: str | None, params: Mapping[str, Any]) -> VoteModel | None:
    """The vote model, or ``None`` for the a-priori model."""
    if name is None:
        return None
    return build_model(name, params)
