"""The ``[unions]`` block of a scenario: a-priori unions of members (blocs) with their sources.

::

    [unions.A3]
    members = ["COD", "LBR", "SOM"]     # holder codes, seat labels or seat class ids
    source = "A3 coordination statements, 2024-25"

Each named union lists members of the council; members in no union are unions by themselves.
:func:`check_unions` validates the block when a scenario is loaded; :func:`scenario_unions`
returns the partition (:class:`~councilsim.power.unions.Unions`) that the Owen and
Banzhaf-Owen values (:mod:`councilsim.power.unions`) take.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from councilsim.council import Council
from councilsim.errors import ScenarioError

if TYPE_CHECKING:
    from councilsim.power.unions import Unions
    from councilsim.scenario import Scenario
    from councilsim.validate import Context

__all__ = ["UNION_KEYS", "check_unions", "scenario_unions", "unions_from_table"]

UNION_KEYS = {
    "members": "a list of holder codes, seat labels or seat class ids",
    "source": "where the bloc is documented",
}


def check_unions(doc: Mapping[str, Any], council: Council, ctx: Context) -> None:
    """Validate the ``unions`` table of a (merged) scenario document, if any."""
    if "unions" in doc:
        unions_from_table(doc["unions"], council, ctx)


def scenario_unions(scenario: Scenario) -> Unions | None:
    """The a-priori unions a scenario declares (``None`` if it declares none)."""
    table = scenario.raw.get("unions")
    if not table:
        return None
    return unions_from_table(table, scenario.council, None)


def unions_from_table(table: Any, council: Council, ctx: Context | None) -> Unions:
    """Read a ``[unions]`` table; errors name the file and line when ``ctx`` is given."""
    # The partition lives beside the values it serves, which load numpy: imported here, so
    # that a scenario without [unions] is read without them.
    from councilsim.power.unions import make_unions, resolve_member

    def error(path: list[str | int], problem: str, fix: str = "") -> ScenarioError:
        if ctx is not None:
            return ctx.error(path, problem, fix)
        return ScenarioError(problem, key=".".join(str(p) for p in path), fix=fix or None)

    if not isinstance(table, Mapping) or not table:
        raise error(["unions"], "expected a table of named unions", "write [unions.A3] tables")
    groups: list[list[int]] = []
    names, sources = [], []
    seen: dict[int, str] = {}
    labels = council.labels()
    for uid, spec in table.items():
        path: list[str | int] = ["unions", uid]
        if not isinstance(spec, Mapping):
            raise error(path, "expected a table with members and source")
        for key in spec:
            if key not in UNION_KEYS:
                raise error([*path, key], f"unknown key {key!r}", "use members and source")
        members = spec.get("members")
        if not isinstance(members, list) or not members:
            raise error(
                [*path, "members"],
                "a union needs a non-empty list of members",
                UNION_KEYS["members"],
            )
        group: list[int] = []
        for k, item in enumerate(members):
            if not isinstance(item, str):
                raise error([*path, "members", k], f"expected a string, found {item!r}")
            try:
                found = resolve_member(council, item)
            except KeyError:
                ids = ", ".join(c.id for c in council.classes)
                raise error(
                    [*path, "members", k],
                    f"unknown member {item!r}",
                    f"use holder codes, seat labels or class ids ({ids})",
                ) from None
            for i in found:
                if i in seen:
                    raise error(
                        [*path, "members", k],
                        f"{labels[i]} is in two unions ({seen[i]} and {uid})",
                        "a member belongs to at most one union",
                    )
                seen[i] = str(uid)
            group += found
        if "source" in spec and not isinstance(spec["source"], str):
            raise error([*path, "source"], f"expected a string, found {spec['source']!r}")
        groups.append(group)
        names.append(str(uid))
        sources.append(str(spec.get("source", "")))
    return make_unions(groups, council.size, names, labels, sources)
