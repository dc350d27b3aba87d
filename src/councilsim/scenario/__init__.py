"""Scenario files: a council, its rule, its sources and what it is expected to give.

A scenario is a TOML file read by :func:`councilsim.validate.read_toml`. The format is
documented, key by key, in ``docs/scenarios.md``. Validation is strict: every problem raises
:class:`~councilsim.errors.ScenarioError` naming the file, the line where known, the key
path, what is wrong and how to fix it.

A scenario may ``extends`` another (a shipped id or a path relative to the file) and override
a few keys: tables merge key by key, lists and values replace, ``remove_seats`` drops classes
of the base, and the ``expected`` block is never inherited.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from councilsim.council import Council
from councilsim.elections.rules import ElectionRules
from councilsim.errors import ScenarioError
from councilsim.files import PACKAGE, why_not_a_file
from councilsim.limits import MAX_EXTENDS_DEPTH
from councilsim.scenario.schema import build_council, check_meta, check_optional_blocks
from councilsim.scenario.unions import check_unions
from councilsim.simulation.spec import SimulationSpec
from councilsim.validate import Context, parse_toml, read_toml

__all__ = ["Scenario", "load", "load_text", "scenario_dir", "shipped_ids"]


@dataclass(frozen=True)
class Scenario:
    """A loaded, validated scenario file."""

    id: str
    name: str
    description: str
    council: Council
    sources: tuple[str, ...] = ()
    confidence: tuple[str, ...] = ()
    path: Path | None = None
    extends: tuple[str, ...] = ()
    expected: Mapping[str, Any] = field(default_factory=dict)
    simulation: SimulationSpec | None = None
    """The parsed ``[simulation]`` table, if the scenario has one."""
    elections: ElectionRules | None = None
    """The parsed ``[elections]`` table, if the scenario has one."""
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)
    """The document after ``extends`` is applied (what was validated)."""


def scenario_dir() -> Path:
    """The folder of shipped scenarios (inside the installed package, or the source tree)."""
    packaged = PACKAGE / "scenarios"
    if packaged.is_dir():
        return packaged
    return PACKAGE.parents[1] / "scenarios"  # src/councilsim -> the source tree's root


def shipped_ids() -> list[str]:
    """Ids of the shipped scenarios, sorted."""
    return sorted(p.stem for p in scenario_dir().glob("*.toml"))


def resolve(ref: str | Path) -> Path:
    """Find a scenario: a path to a file, or the id of a shipped scenario."""
    path = Path(ref)
    if path.suffix == ".toml" or path.exists() or "/" in str(ref) or "\\" in str(ref):
        why = why_not_a_file(path)
        if why is not None:
            raise ScenarioError(
                "no such file" if why == "does not exist" else why,
                file=str(ref),
                fix="give the path of a scenario .toml file or a shipped id (councilsim list)",
            )
        return path
    shipped = scenario_dir() / f"{ref}.toml"
    if shipped.is_file():
        return shipped
    close = [i for i in shipped_ids() if str(ref).lower() in i or i in str(ref).lower()]
    hint = f"did you mean {', '.join(close)}?" if close else "see `councilsim list` for the ids"
    raise ScenarioError(f"no shipped scenario or file named {ref!r}", fix=hint)


def load(ref: str | Path) -> Scenario:
    """Load and validate a scenario from a shipped id or a file path."""
    path = resolve(ref)
    return _load_path(path, display=_display(path))


def load_text(text: str, name: str = "<string>", base_dir: Path | None = None) -> Scenario:
    """Load and validate a scenario from TOML text (``extends`` resolves from ``base_dir``)."""
    doc = parse_toml(text, name)
    origin = (base_dir or Path.cwd()) / name
    return _build(doc, Context(name, text), origin, chain=())


def _display(path: Path) -> str:
    try:
        rel = path.resolve().relative_to(scenario_dir().resolve())
    except ValueError:
        return str(path)
    return f"scenarios/{rel}"


def _load_path(path: Path, display: str, chain: tuple[Path, ...] = ()) -> Scenario:
    doc, ctx = read_toml(path, display)
    return _build(doc, ctx, path, chain)


def _build(doc: dict[str, Any], ctx: Context, path: Path, chain: tuple[Path, ...]) -> Scenario:
    display = ctx.file
    resolved = path.resolve()
    if resolved in chain:
        cycle = " -> ".join(p.name for p in (*chain, resolved))
        raise ScenarioError(
            f"extends forms a cycle: {cycle}",
            file=display,
            key="extends",
            line=ctx.line_of(("extends",)),
            fix="remove one of the extends keys",
        )
    check_meta(doc, ctx)
    _relative_files(doc, path)
    parents: tuple[str, ...] = ()
    merged = doc
    if "extends" in doc:
        if len(chain) >= MAX_EXTENDS_DEPTH:
            raise ctx.error(("extends",), "extends chain is too deep", "flatten the chain")
        base = _load_base(doc["extends"], path, (*chain, resolved), ctx)
        for k, cls in enumerate(doc.get("remove_seats", ())):
            if cls not in base.raw.get("seats", {}):
                raise ctx.error(
                    ("remove_seats",),
                    f"the base has no seat class {cls!r} (item {k + 1})",
                    f"use one of: {', '.join(base.raw.get('seats', {}))}",
                )
        merged = merge(base.raw, doc)
        parents = (doc["extends"], *base.extends)
    council = build_council(merged, ctx)
    blocks = check_optional_blocks(doc, merged, council, ctx)
    check_unions(merged, council, ctx)
    scenario = Scenario(
        id=merged.get("id") or path.stem,
        name=merged.get("name") or path.stem,
        description=merged.get("description", ""),
        council=council,
        sources=tuple(merged.get("sources", ())),
        confidence=tuple(merged.get("confidence", ())),
        path=path if path.exists() else None,
        extends=parents,
        expected=doc.get("expected", {}),
        simulation=blocks.simulation,
        elections=blocks.elections,
        raw=merged,
    )
    return scenario


def _relative_files(doc: dict[str, Any], path: Path) -> None:
    """Data files named in a scenario are relative to the scenario file, not to the cwd."""
    params = doc.get("simulation", {}).get("params")
    if isinstance(params, dict) and isinstance(params.get("ideal_points_file"), str):
        name = Path(params["ideal_points_file"]).expanduser()
        if not name.is_absolute():
            params["ideal_points_file"] = str(path.parent / name)


def _load_base(ref: str, path: Path, chain: tuple[Path, ...], ctx: Context) -> Scenario:
    candidate = path.parent / ref
    if ref.endswith(".toml") or "/" in ref:
        why = why_not_a_file(candidate)
        if why is not None:
            raise ctx.error(
                ("extends",),
                f"the base file {ref!r} {why}",
                "give a path relative to this file, or a shipped id",
            )
        base_path = candidate
    else:
        base_path = scenario_dir() / f"{ref}.toml"
        if not base_path.is_file():
            raise ctx.error(
                ("extends",), f"no shipped scenario {ref!r}", "see `councilsim list` for the ids"
            )
    return _load_path(base_path, _display(base_path), chain)


def merge(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    """Merge an extending document over its base.

    Tables merge key by key, anything else replaces; ``expected`` and ``extends`` are not
    inherited, nor are ``id`` and ``name``; ``remove_seats`` drops classes of the base. A
    ``[simulation]`` that names a different ``model`` from its base's does not inherit the
    base's ``params`` (they belong to the other model).
    """
    skip = {"expected", "extends", "remove_seats", "id", "name"}
    base = {k: v for k, v in base.items() if k not in skip}
    sim_base, sim_over = base.get("simulation"), over.get("simulation")
    if isinstance(sim_base, Mapping) and isinstance(sim_over, Mapping):
        model = sim_over.get("model", sim_base.get("model", "impartial"))
        if model != sim_base.get("model", "impartial"):
            base["simulation"] = {k: v for k, v in sim_base.items() if k != "params"}
    out = _deep_merge(base, over)
    out.pop("remove_seats", None)
    removed = set(over.get("remove_seats", ()))
    if removed:
        out["seats"] = {k: v for k, v in out.get("seats", {}).items() if k not in removed}
    return out


def _deep_merge(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = _deep_merge(out[key], value)
        else:
            out[key] = value
    return out
