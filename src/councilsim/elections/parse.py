"""Reading a scenario's ``[elections]`` table: the rules (:mod:`~councilsim.elections.rules`)
and the start composition (:mod:`~councilsim.elections.start`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from councilsim.council import Council
from councilsim.elections.rules import ElectionRules, parse_rules
from councilsim.elections.start import parse_start
from councilsim.errors import ScenarioError

__all__ = ["parse_elections"]


def parse_elections(
    table: Mapping[str, Any] | None, council: Council, *, inherited: bool = False
) -> ElectionRules:
    """Validate an ``[elections]`` table against its council and return the rules.

    Parameters
    ----------
    table
        The ``[elections]`` table as read from TOML (``None`` or empty: all defaults).
    council
        The scenario's council.
    inherited
        The table comes from the base of an ``extends`` chain and the extending file may have
        changed the seats: the parts that no longer fit (a removed class's stagger, a start
        naming holders that left, an Arab seat whose class is gone) fall back to the defaults.

    Returns
    -------
    ElectionRules

    Raises
    ------
    ScenarioError
        With ``key`` set to the offending path (``elections.stagger.elected.odd.africa``) and a
        fix, for an unknown key, a wrong type, a stagger that does not fill each group's seats
        once per term, a group with too few states to fill its seats without immediate
        re-election, an Arab seat the stagger cannot hold, or a start composition that does not
        fit the stagger.
    """
    if inherited:
        return _fitting(dict(table or {}), council)
    return _parse(table, council)


def _fitting(table: dict[str, Any], council: Council) -> ElectionRules:
    stagger = table.get("stagger")
    if isinstance(stagger, Mapping):
        table["stagger"] = {
            cid: spec for cid, spec in stagger.items() if _fits({"stagger": {cid: spec}}, council)
        }
    for key in ("start", "arab_seat", "open_permanent", "stagger"):
        if _fits(table, council):
            return _parse(table, council)
        table.pop(key, None)
    return _parse(table, council)


def _fits(table: Mapping[str, Any], council: Council) -> bool:
    try:
        _parse(table, council)
    except ScenarioError:
        return False
    return True


def _parse(table: Mapping[str, Any] | None, council: Council) -> ElectionRules:
    rules = parse_rules(table, council)
    if table and "start" in table:
        rules = replace(rules, start=parse_start(table["start"], rules))
    return rules
