"""``councilsim validate``: load scenario files and check their ``[expected]`` blocks."""

from __future__ import annotations

from typing import Any

import click

from councilsim.cli._common import (
    emit,
    format_option,
    handle_errors,
    output_option,
    to_csv,
    to_json,
)
from councilsim.errors import ScenarioError
from councilsim.scenario import load


@click.command("validate")
@click.argument("files", nargs=-1, required=True)
@format_option(
    "table", "json", "csv", why_not={"markdown": "validate prints one line per file, not a table"}
)
@output_option("the report")
@handle_errors
def validate_command(files: tuple[str, ...], fmt: str, output: str | None) -> None:
    """Check scenario files and the values of their [expected] blocks.

    Each file is loaded and validated; every value of its [expected] block (council facts,
    exact voting power, axioms, the outcome of each draft) is then computed and compared
    exactly. One line per file: "ok", or each value that differs. Files that cannot be loaded
    get one error line on standard error.

    Exit status: 0 when every file is valid and meets its [expected] block, 1 when some value
    differs, 2 when a file is invalid. JSON: a list of {file, status (ok, mismatch or
    invalid), id, seats, veto_holders, quota, mismatches [{key, expected, actual}], error};
    CSV: file, status, key, expected, actual (one row per mismatch, or one per file).
    """
    reports = [_validate(f) for f in files]
    for r in reports:
        if r["status"] == "invalid":
            click.echo(f"councilsim: error: {r['error']}", err=True)
    if fmt == "json":
        emit(to_json(reports), output)
    elif fmt == "csv":
        rows = [
            [r["file"], r["status"], m["key"], m["expected"], m["actual"]]
            for r in reports
            for m in (r["mismatches"] or [{"key": "", "expected": "", "actual": ""}])
        ]
        emit(to_csv(["file", "status", "key", "expected", "actual"], rows), output)
    else:
        lines = [_validate_line(r) for r in reports if r["status"] != "invalid"]
        if lines or output:
            emit("\n".join(lines), output)
    statuses = {r["status"] for r in reports}
    if "invalid" in statuses:
        raise SystemExit(2)
    if "mismatch" in statuses:
        raise SystemExit(1)


def _validate(path: str) -> dict[str, Any]:
    from councilsim.scenario.expected import verify  # computes: numpy, power, axioms

    out: dict[str, Any] = {"file": path, "status": "invalid", "id": None, "mismatches": []}
    try:
        s = load(path)
        mismatches = verify(s)
    except ScenarioError as err:
        return {**out, "error": str(err)}
    c = s.council
    return {
        **out,
        "status": "mismatch" if mismatches else "ok",
        "id": s.id,
        "seats": c.size,
        "veto_holders": c.veto_holders,
        "quota": c.rule.quota,
        "checked": len(s.expected),
        "mismatches": [m.to_dict() for m in mismatches],
        "error": None,
    }


def _validate_line(r: dict[str, Any]) -> str:
    facts = f"{r['id']}: {r['seats']} seats, {r['veto_holders']} veto holders, quota {r['quota']}"
    if r["status"] == "ok":
        checked = "; [expected] block met" if r["checked"] else ""
        return f"{r['file']}: ok ({facts}{checked})"
    return "\n".join(
        f"{r['file']}: mismatch: {m['key']}: the file expects {m['expected']}, "
        f"councilsim gives {m['actual']}"
        for m in r["mismatches"]
    )
