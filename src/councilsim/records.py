"""Reading the Security Council's record: tallies, the veto list, membership, GA ideal points.

The formats are those of the public files the project is checked against (none ships with the
package; the user gives their own copies):

outcomes (``--outcomes``)
    One row per voted item, from the UN Dag Hammarskjöld Library pages "Meetings conducted by
    the Security Council in YYYY": columns ``year, date, topic, kind, resolution, draft,
    vetoed_by, yes, no, abstain`` at least; ``kind`` is ``resolution``, ``vetoed`` or
    ``not_adopted``; the tallies are empty where the page says "adopted unanimously".
vetoes (``--vetoes``)
    The UN Library's "Security Council – Veto List": ``date, draft, vetoed_by`` with the
    vetoers ``;``-separated (``USSR``, ``Russia``, ``USA``, ``UK``, ``France``, ``China``).
membership (``--membership``)
    Who sat on the Council each year (UN DPPA): ``year, iso3, seat`` (``permanent`` or
    ``elected``).
ideal points (``--ideal-points``)
    General Assembly ideal points (Bailey, Strezhnev & Voeten 2017; Voeten, Harvard Dataverse
    hdl:1902.1/12379): ``iso3c, year, idealpointall``.

Every problem (a missing file or column, a bad row) raises one
:class:`~councilsim.errors.ScenarioError` naming the file, the line and the column.
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from councilsim.errors import ScenarioError

__all__ = [
    "KINDS",
    "P5",
    "Draft",
    "Period",
    "Record",
    "parse_period",
    "read_ideal_points",
    "read_membership",
    "read_outcomes",
    "read_record",
    "read_vetoes",
]

P5 = ("CHN", "FRA", "GBR", "RUS", "USA")
"""The permanent members by the holder codes of the scenarios (the USSR's seat is ``RUS``)."""

KINDS = ("resolution", "vetoed", "not_adopted")
"""The ``kind`` of an outcome row: adopted, vetoed, otherwise not adopted."""

_NAMES = {
    "USSR": "RUS",
    "RUSSIA": "RUS",
    "RUSSIAN FEDERATION": "RUS",
    "USA": "USA",
    "UNITED STATES": "USA",
    "UK": "GBR",
    "UNITED KINGDOM": "GBR",
    "FRANCE": "FRA",
    "CHINA": "CHN",
}

PERIOD_SPAN = (1946, 2030)


@dataclass(frozen=True)
class Period:
    """A run of years, both ends included (``1990-2010``)."""

    first: int
    last: int

    def __str__(self) -> str:
        return f"{self.first}-{self.last}"

    def __contains__(self, year: object) -> bool:
        return isinstance(year, int) and self.first <= year <= self.last


def parse_period(text: object, where: str = "period") -> Period:
    """Read ``"YYYY-YYYY"`` (or a single year) into a :class:`Period`.

    >>> parse_period("2011-2022"), str(parse_period("1990"))
    (Period(first=2011, last=2022), '1990-1990')
    """
    m = re.fullmatch(r"\s*(\d{4})\s*(?:[-–]\s*(\d{4}))?\s*", str(text))
    if not m:
        raise ScenarioError(
            f"{str(text)!r} is not a period", key=where, fix="write it as YYYY-YYYY, e.g. 2011-2022"
        )
    first, last = int(m[1]), int(m[2] or m[1])
    low, high = PERIOD_SPAN
    if not (low <= first <= last <= high):
        raise ScenarioError(
            f"{text} is not a run of years in {low}..{high}",
            key=where,
            fix="give the first year, a dash and a later last year, e.g. 2011-2022",
        )
    return Period(first, last)


@dataclass(frozen=True)
class Draft:
    """One voted item: its tally (``None`` where only "adopted unanimously" is printed)."""

    year: int
    date: str
    topic: str
    kind: str
    symbol: str
    yes: int | None
    no: int | None
    abstain: int | None
    vetoed_by: tuple[str, ...]

    @property
    def outcome(self) -> str:
        """``adopted``, ``vetoed`` or ``failed``."""
        return {"resolution": "adopted", "vetoed": "vetoed"}.get(self.kind, "failed")


@dataclass(frozen=True)
class Record:
    """The four files of the record, read and checked."""

    drafts: tuple[Draft, ...]
    vetoes: tuple[tuple[str, tuple[str, ...]], ...]
    membership: Mapping[int, tuple[tuple[str, str], ...]]
    ideal_points: Mapping[int, Mapping[str, float]]
    files: Mapping[str, str]

    def period(self, period: Period) -> tuple[Draft, ...]:
        return tuple(d for d in self.drafts if d.year in period)

    def veto_counts(self, period: Period) -> dict[str, int]:
        """Negative votes of each permanent member on vetoed drafts, from the veto list."""
        out = dict.fromkeys(P5, 0)
        for date, who in self.vetoes:
            if int(date[:4]) in period:
                for code in who:
                    out[code] += 1
        return out


def _rows(
    path: str | os.PathLike[str], option: str, need: Sequence[str]
) -> Iterator[tuple[int, dict[str, str]]]:
    """The rows of a CSV file with their line numbers, after checking its columns."""
    name = str(path)
    try:
        fh = open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115 (closed below)
    except OSError as err:
        raise ScenarioError(
            f"cannot read {name!r}: {err.strerror}", key=option, fix=f"give the file with {option}"
        ) from None
    with fh:
        try:
            reader = csv.DictReader(fh)
            header = [h.strip() for h in reader.fieldnames or []]
            for col in need:
                if col not in header:
                    raise ScenarioError(
                        f"no column {col!r} (columns: {', '.join(header) or 'none'})",
                        file=name,
                        line=1,
                        key=option,
                        fix=f"give a CSV with the columns {', '.join(need)}",
                    )
            for row in reader:
                yield reader.line_num, {k.strip(): (v or "").strip() for k, v in row.items() if k}
        except UnicodeDecodeError:
            raise ScenarioError("is not UTF-8 text", file=name, key=option) from None
        except csv.Error as err:
            raise ScenarioError(f"is not valid CSV: {err}", file=name, key=option) from None


def _int(
    row: Mapping[str, str], col: str, file: str, line: int, *, empty: bool = False
) -> int | None:
    text = row.get(col, "")
    if empty and text == "":
        return None
    try:
        value = int(float(text))
    except ValueError:
        raise ScenarioError(
            f"column {col!r}: {text!r} is not a whole number",
            file=file,
            line=line,
            fix="correct the row or remove it",
        ) from None
    if value < 0 or value != float(text):
        raise ScenarioError(
            f"column {col!r}: {text!r} is not a whole number ≥ 0", file=file, line=line
        )
    return value


def _vetoers(text: str, file: str, line: int, col: str) -> tuple[str, ...]:
    parts = [p.strip() for p in re.split(r";|,| and ", text) if p.strip()]
    out = []
    for p in parts:
        code = _NAMES.get(p.upper())
        if code is None:
            raise ScenarioError(
                f"column {col!r}: {p!r} is not a permanent member",
                file=file,
                line=line,
                fix="name them USSR, Russia, USA, UK, France or China",
            )
        out.append(code)
    return tuple(sorted(set(out)))


def read_outcomes(path: str | os.PathLike[str]) -> tuple[Draft, ...]:
    """The voted items of the outcomes file (see the module docstring)."""
    need = (
        "year",
        "date",
        "topic",
        "kind",
        "resolution",
        "draft",
        "vetoed_by",
        "yes",
        "no",
        "abstain",
    )
    file, out = str(path), []
    for line, row in _rows(path, "--outcomes", need):
        year = _int(row, "year", file, line)
        assert year is not None
        if row["kind"] not in KINDS:
            raise ScenarioError(
                f"column 'kind': {row['kind']!r} is not one of {', '.join(KINDS)}",
                file=file,
                line=line,
            )
        tally = [_int(row, c, file, line, empty=True) for c in ("yes", "no", "abstain")]
        if (None in tally) and any(t is not None for t in tally):
            raise ScenarioError(
                "columns 'yes', 'no', 'abstain': give all three or none", file=file, line=line
            )
        symbol = row["draft"] or (f"S/RES/{row['resolution']}" if row["resolution"] else "")
        vetoed = _vetoers(row["vetoed_by"], file, line, "vetoed_by") if row["vetoed_by"] else ()
        yes, no, abstain = tally
        out.append(
            Draft(year, row["date"], row["topic"], row["kind"], symbol, yes, no, abstain, vetoed)
        )
    if not out:
        raise ScenarioError("has no rows", file=file, key="--outcomes")
    return tuple(out)


def read_vetoes(path: str | os.PathLike[str]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The veto list: (date, vetoers) per vetoed draft."""
    file, out = str(path), []
    for line, row in _rows(path, "--vetoes", ("date", "draft", "vetoed_by")):
        if not re.fullmatch(r"\d{4}-\d\d-\d\d", row["date"]):
            raise ScenarioError(
                f"column 'date': {row['date']!r} is not a date (YYYY-MM-DD)", file=file, line=line
            )
        out.append((row["date"], _vetoers(row["vetoed_by"], file, line, "vetoed_by")))
    return tuple(out)


def read_membership(path: str | os.PathLike[str]) -> dict[int, tuple[tuple[str, str], ...]]:
    """Members by year: (ISO3 code, ``permanent`` or ``elected``)."""
    file, out = str(path), dict[int, list[tuple[str, str]]]()
    for line, row in _rows(path, "--membership", ("year", "iso3", "seat")):
        year = _int(row, "year", file, line)
        assert year is not None
        if row["seat"] not in ("permanent", "elected") or not re.fullmatch(
            r"[A-Z]{3}", row["iso3"]
        ):
            raise ScenarioError(
                f"columns 'iso3', 'seat': {row['iso3']!r}, {row['seat']!r} is not a member",
                file=file,
                line=line,
                fix="give an ISO3 code and permanent or elected",
            )
        out.setdefault(year, []).append((row["iso3"], row["seat"]))
    return {y: tuple(v) for y, v in out.items()}


def read_ideal_points(
    path: str | os.PathLike[str], column: str = "idealpointall"
) -> dict[int, dict[str, float]]:
    """GA ideal points: year → ISO3 → value (rows with an empty value are skipped)."""
    file, out = str(path), dict[int, dict[str, float]]()
    for line, row in _rows(path, "--ideal-points", ("iso3c", "year", column)):
        if not row[column] or not row["iso3c"]:
            continue
        year = _int(row, "year", file, line)
        assert year is not None
        try:
            out.setdefault(year, {})[row["iso3c"].upper()] = float(row[column])
        except ValueError:
            raise ScenarioError(
                f"column {column!r}: {row[column]!r} is not a number", file=file, line=line
            ) from None
    return out


def read_record(
    outcomes: str | os.PathLike[str],
    vetoes: str | os.PathLike[str],
    membership: str | os.PathLike[str],
    ideal_points: str | os.PathLike[str],
) -> Record:
    """Read and check the four files of the record."""
    files = {
        "outcomes": Path(outcomes).name,
        "vetoes": Path(vetoes).name,
        "membership": Path(membership).name,
        "ideal_points": Path(ideal_points).name,
    }
    return Record(
        read_outcomes(outcomes),
        read_vetoes(vetoes),
        read_membership(membership),
        read_ideal_points(ideal_points),
        files,
    )
