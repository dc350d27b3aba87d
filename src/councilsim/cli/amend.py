"""``councilsim amend``: could a plan pass as a Charter amendment (Arts. 108 and 109)?"""

from __future__ import annotations

from typing import Any

import click

from councilsim.cli._common import (
    emit,
    format_option,
    handle_errors,
    markdown_table,
    output_option,
    seed_option,
    table,
    to_csv,
    to_json,
    wrap,
)
from councilsim.formatting import cell
from councilsim.limits import (
    DEFAULT_AMEND_DRAWS,
    DEFAULT_AMEND_TARGET,
    DEFAULT_AMEND_TOP,
    MAX_AMEND_DRAWS,
    MAX_SEED,
)
from councilsim.scenario import shipped_ids
from councilsim.validate import fail, to_fraction, to_int

__all__ = ["amend_command"]

STAGE_NAMES = {
    "ga": "GA vote (129 of 193)",
    "ratification": "ratification (129 incl. P5)",
    "both": "whole amendment",
}


@click.command("amend")
@click.argument("scenarios", nargs=-1)
@click.option(
    "--positions",
    metavar="FILE",
    help="Your own positions file (TOML, format in docs/amendment.md) instead of the shipped one.",
)
@seed_option(default="0")
@click.option(
    "--draws", metavar="N", help=f"Monte Carlo draws, e.g. 1e5 [default: {DEFAULT_AMEND_DRAWS}]."
)
@click.option("--top", metavar="K", help=f"Pivotal states to list [default: {DEFAULT_AMEND_TOP}].")
@click.option(
    "--target",
    metavar="P",
    help=f"Probability of passage the states to win over aim at [default: {DEFAULT_AMEND_TARGET}].",
)
@click.option(
    "--group-correlation",
    metavar="R",
    help="Correlation of support within a negotiating group [default: 0.5].",
)
@click.option(
    "--region-correlation",
    metavar="R",
    help="Correlation of support within a regional group, for undeclared states [default: 0.2]. "
    "With both correlations 0 the model's probabilities are exact.",
)
@format_option("table", "json", "csv", "markdown")
@output_option()
@handle_errors
def amend_command(
    scenarios: tuple[str, ...],
    positions: str | None,
    seed: str | None,
    draws: str | None,
    top: str | None,
    target: str | None,
    group_correlation: str | None,
    region_correlation: str | None,
    fmt: str,
    output: str | None,
) -> None:
    """Could each plan pass as a Charter amendment, and who decides it?

    For each SCENARIO (default: every shipped one): the exact a-priori probability that the
    General Assembly vote, the ratification and the whole amendment pass (every coalition
    equally likely), the same under the passage model (declared positions and GA voting
    similarity, correlated within groups; seeded Monte Carlo with 95 % intervals), the stage
    that binds, the pivotal states, each permanent member's position, and the states to win
    over (greedily) for a 50 % chance. JSON is a list with one object per plan.
    """
    from councilsim.amendment import analyse  # computes: numpy
    from councilsim.amendment.report import UNIT_RANGES, in_range

    options: dict[str, Any] = {
        "positions": positions,
        "seed": None if seed is None else to_int(seed, "--seed", 0, MAX_SEED),
        "draws": None if draws is None else to_int(draws, "--draws", 1, MAX_AMEND_DRAWS),
    }
    if top is not None:
        options["top"] = to_int(top, "--top", 0, 193)
    for name, value in (
        ("target", target),
        ("group_correlation", group_correlation),
        ("region_correlation", region_correlation),
    ):
        if value is not None:
            option = "--" + name.replace("_", "-")
            number = to_fraction(value, option)
            if not in_range(name, number):
                fix = f"use a number in {UNIT_RANGES[name]}, e.g. 0.5"
                raise fail(option, f"{value} is out of range", fix)
            options[name] = float(number)
    reports = [analyse(s, **options).to_dict() for s in scenarios or shipped_ids()]
    if fmt == "json":
        emit(to_json(reports), output)
    elif fmt == "csv":
        emit(_csv(reports), output)
    else:
        md = fmt == "markdown"
        blocks = [_power(reports[0], md)] + [_text(r, md) for r in reports]
        emit("\n\n".join(blocks), output)


def _csv(reports: list[dict[str, Any]]) -> str:
    header = ["scenario", "stage", "apriori", "apriori_fraction", "model", "ci_low", "ci_high"]
    rows = [
        [r["scenario"], stage, a["estimate"], a["fraction"], *_model_cells(r["model"][stage])]
        for r in reports
        for stage, a in r["apriori"].items()
    ]
    return to_csv([*header, "binding"], [[*row, r["binding"]] for row, r in _with(rows, reports)])


def _with(rows: list[list[Any]], reports: list[dict[str, Any]]) -> list[tuple[list[Any], Any]]:
    by_id = {r["scenario"]: r for r in reports}
    return [(row, by_id[row[0]]) for row in rows]


def _model_cells(m: dict[str, float]) -> list[float]:
    return [m["estimate"], m["ci_low"], m["ci_high"]]


def _power(r: dict[str, Any], md: bool) -> str:
    """The a-priori power of a state in the amendment game (the same for every plan)."""
    rows = [
        [
            p["class"],
            p["states"],
            cell(p["banzhaf_absolute"], 4),
            cell(p["banzhaf"], 4),
            cell(p["coleman_prevent"], 4),
            cell(p["coleman_initiate"], 4),
        ]
        for p in r["apriori_power"]
    ]
    header = ["states", "n", "Banzhaf", "normalised", "Coleman prevent", "Coleman initiate"]
    title = "A-priori power of one state in the amendment game (every coalition equally likely):"
    return "\n\n".join([wrap(title), (markdown_table if md else table)(header, rows, "lrrrrr")])


def _text(r: dict[str, Any], md: bool) -> str:
    render = markdown_table if md else table
    title = f"{r['name']} [{r['scenario']}]"
    parts = [f"## {title}" if md else title]
    if not r["amendment"]:
        parts.append(wrap(f"No amendment needed. {r['note']}"))
    stages = [
        [
            STAGE_NAMES[k],
            cell(a["estimate"], 3),
            cell(r["model"][k]["estimate"], 3),
            f"{cell(r['model'][k]['ci_low'], 3)} - {cell(r['model'][k]['ci_high'], 3)}",
        ]
        for k, a in r["apriori"].items()
    ]
    interval = "exact" if r["model_exact"] else "95 % interval"
    parts.append(render(["stage", "a priori", "model", interval], stages, "lrrr"))
    parts.append(f"Stage that binds: {r['binding']}")
    if not r["amendment"]:
        return "\n\n".join(parts)
    perm = [
        [p["state"], p["stance"], cell(p["support"], 2), cell(p["effect"], 3), p["confidence"]]
        for p in r["permanent"]
    ]
    parts.append("Permanent members (each can block ratification):")
    parts.append(render(["state", "stance", "support", "effect", "mark"], perm, "llrrl"))
    if r["pivotal"]:
        piv = [
            [
                p["state"],
                p["name"],
                p["group"],
                cell(p["probability"], 2),
                cell(p["effect"], 3),
                cell(p["gain"], 3),
            ]
            for p in r["pivotal"]
        ]
        parts.append(
            wrap(
                "Pivotal states (effect: P(pass | supports) - P(pass | opposes); gain: "
                "P(pass | supports) - P(pass); JSON has both for the GA vote too):"
            )
        )
        header = ["state", "name", "group", "support", "effect", "gain"]
        parts.append(render(header, piv, "lllrrr"))
    parts.append(_win_over(r["win_over"]))
    parts.append(wrap(f"Model: {r['model_basis']}."))
    return "\n\n".join(p for p in parts if p)


def _win_over(w: dict[str, Any]) -> str:
    states = w["states"]
    if not states:
        return ""
    names = ", ".join(s["state"] for s in states[:15]) + (", ..." if len(states) > 15 else "")
    reached = "reaches" if w["reached"] else "does not reach"
    return wrap(
        f"To reach {cell(w['target'], 2)}: win over {len(states)} states (greedy, not "
        f"necessarily the fewest): {names}; the last {reached} "
        f"{cell(states[-1]['passage_after'], 3)}."
    )
