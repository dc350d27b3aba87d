"""The table of a sweep as CSV or JSON text.

Both formats carry the same columns: ``index``, ``id``, one column per varied parameter
(``vary.<name>``, as in the sweep file), ``status``, one column per measure and ``reason``.
Measure columns are every measure id met in the rows, in order of first appearance by index,
so the table is the same however the rows were computed. The text depends only on the rows:
no dates, no machine names, so equal rows give byte-identical files.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

from councilsim.sweep.spec import SweepSpec

Row = dict[str, Any]


def measure_columns(rows: Sequence[Row]) -> list[str]:
    """Measure ids over all rows, in order of first appearance."""
    seen: dict[str, None] = {}
    for row in rows:
        for key in row["measures"]:
            seen.setdefault(key, None)
    return list(seen)


def header(spec: SweepSpec, rows: Sequence[Row]) -> list[str]:
    """The CSV header."""
    params = [f"vary.{name}" for name in spec.grid.names]
    return ["index", "id", *params, "status", *measure_columns(rows), "reason"]


def to_csv(spec: SweepSpec, rows: Sequence[Row]) -> str:
    """The rows as CSV: empty cells for missing values, fractions as ``p/q``."""
    names = spec.grid.names
    measures = measure_columns(rows)
    body = (
        [
            row["index"],
            row["id"],
            *(_cell(row["vary"][n]) for n in names),
            row["status"],
            *(_cell(row["measures"].get(m)) for m in measures),
            _cell(row["reason"]),
        ]
        for row in rows
    )
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header(spec, rows))
    writer.writerows(body)
    return buf.getvalue()


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def summary(spec: SweepSpec, rows: Sequence[Row], measure: str = "") -> dict[str, Any]:
    """What the JSON output says about the sweep before its rows."""
    return {
        "name": spec.name,
        "base": spec.base.id,
        "vary": spec.grid.to_dict(),
        "measures": spec.options.to_dict(),
        "configurations": len(rows),
        "invalid": sum(1 for r in rows if r["status"] != "ok"),
        "columns": measure_columns(rows),
        "fingerprint": spec.fingerprint(measure),
    }


def to_json(spec: SweepSpec, rows: Sequence[Row], measure: str = "") -> str:
    """The rows as one JSON document ``{"sweep": {...}, "rows": [...]}``, a row a line."""
    head = ",\n".join(
        f"    {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}"
        for k, v in summary(spec, rows, measure).items()
    )
    lines = [json.dumps(_ordered(r), ensure_ascii=False) for r in rows]
    body = ",\n    ".join(lines)
    rows_text = f"[\n    {body}\n  ]" if lines else "[]"
    return f'{{\n  "sweep": {{\n{head}\n  }},\n  "rows": {rows_text}\n}}\n'


def _ordered(row: Row) -> Row:
    keys = ("index", "id", "vary", "status", "measures", "reason")
    return {k: row[k] for k in keys}


def count_invalid(rows: Sequence[Row]) -> int:
    return sum(1 for r in rows if r["status"] != "ok")


def column(rows: Sequence[Row], name: str) -> list[Any]:
    """The values of a column: ``vary.<param>``, a parameter name, or a measure id."""
    if name.startswith("vary."):
        name = name[len("vary.") :]
        return [r["vary"].get(name) for r in rows]
    if rows and name in rows[0]["vary"]:
        return [r["vary"][name] for r in rows]
    return [r["measures"].get(name) for r in rows]
