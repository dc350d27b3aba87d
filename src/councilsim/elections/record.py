"""The ``record`` candidate model: a state's chance of election grows with its past service.

A current UN member state's weight is its seat-years in an elected Security Council seat from
1946 to 2025 (under its own code; the regional group is today's) plus a prior of ``alpha``
seat-years, so that a state that never served keeps a chance:

    weight = seat_years + alpha

``alpha`` is fitted to the record by maximum likelihood. Each real contest from 1967 to 2025
(the newly elected members of one regional group in one year) is scored as a draw without
replacement by weight (the engine's draw, :mod:`councilsim.elections.engine`) among the states
of the group that could stand: today's members of the group that held no elected seat the year
before (rule 144 of the General Assembly's rules of procedure: no immediate re-election) and no
permanent seat. The weights of a contest are those the model would have given that year: the
seat-years served before it, plus ``alpha`` scaled to the years observed,
``alpha × (year - 1946) / 80``, so that ``alpha`` keeps the meaning of prior seat-years over
the 80 years of the shipped table. The fitted value is rounded to one decimal.

The result ships as ``councilsim/data/candidate_weights.csv`` (one row per current member:
``iso3, group, seat_years, weight``, after ``#`` lines that give the source, the period, the
fitted ``alpha`` and the command that rebuilds it: ``python -m councilsim.build_data
candidates``). :func:`record_weights` reads it; ``candidate_model("record")`` is the default
candidate model of every command. ``docs/candidates.md`` shows how well it reproduces history.
"""

from __future__ import annotations

import csv
import io
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from os import PathLike

import numpy as np
from numpy.typing import NDArray

from councilsim.council import Region, SeatKind
from councilsim.elections.membership import Membership
from councilsim.errors import ScenarioError
from councilsim.files import package_data, read_text
from councilsim.limits import MAX_DATA_BYTES
from councilsim.states import all_states, member_states

__all__ = [
    "FIRST_YEAR",
    "FIT_FROM",
    "LAST_YEAR",
    "RECORD_FILE",
    "Contest",
    "RecordTable",
    "contests",
    "fit_alpha",
    "log_likelihood",
    "read_record_table",
    "record_table",
    "record_weights",
    "seat_years",
]

FIRST_YEAR = 1946
"""The first year of service counted."""

LAST_YEAR = 2025
"""The last year of service counted (the Council of 2026 and 2027 is partly elected already,
but those years have not been served)."""

FIT_FROM = 1967
"""The first contest scored when fitting ``alpha``: the first election after the enlargement
of 1966 (GA res. 1991 A (XVIII)) to today's five groups and ten elected seats."""

RECORD_FILE = "candidate_weights.csv"
"""The shipped table, under ``councilsim/data``."""

_SPAN = LAST_YEAR - FIRST_YEAR + 1  # 80 years: the unit of alpha
_HEADER = ("iso3", "group", "seat_years", "weight")
_SOURCE = "unsc_membership_by_year_1946_2027.csv"
_ALPHA = "alpha = "


@dataclass(frozen=True)
class Contest:
    """One real election: the newly elected members of a group in ``year`` and who could stand.

    ``winners`` is a subset of ``eligible``; both are ISO3 codes of current member states.
    """

    year: int
    group: Region
    winners: tuple[str, ...]
    eligible: tuple[str, ...]


@dataclass(frozen=True)
class RecordTable:
    """The weights of the ``record`` model: per current member, in ``member_states()`` order.

    ``rows`` are ``(iso3, group, seat_years, weight)``; ``alpha`` the prior in seat-years.
    """

    alpha: Decimal
    rows: tuple[tuple[str, Region, int, Decimal], ...]

    def text(self) -> str:
        """The CSV file that ships: provenance as ``#`` lines, then the header and rows."""
        out = io.StringIO()
        for line in _provenance(self.alpha):
            out.write(f"# {line}\n" if line else "#\n")
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(_HEADER)
        for iso3, group, years, weight in self.rows:
            writer.writerow((iso3, group.value, years, weight))
        return out.getvalue()


def _provenance(alpha: Decimal) -> list[str]:
    return [
        "Candidate weights of the `record` model (councilsim.elections.record).",
        "weight = seat_years + alpha; seat_years = years each current UN member state held an",
        f"elected Security Council seat, {FIRST_YEAR}-{LAST_YEAR}, under its own ISO3 code (the",
        "service of the USSR, Czechoslovakia, Yugoslavia and the GDR is not passed on);",
        "group = its UN regional group today; alpha = prior seat-years, fitted by maximum",
        f"likelihood to the real elections {FIT_FROM}-{LAST_YEAR} (docs/candidates.md):",
        f"{_ALPHA}{alpha}",
        'Source: UN DPPA "Security Council Membership" table (Peace and Security Data Hub),',
        f"as {_SOURCE} (content (c) United Nations); only counts derived",
        "from it are shipped. Rebuild from the repository root with:",
        "python -m councilsim.build_data candidates "
        f"../shared/data/{_SOURCE} -o src/councilsim/data/{RECORD_FILE}",
    ]


def seat_years(
    membership: Membership, first: int = FIRST_YEAR, last: int = LAST_YEAR
) -> dict[str, int]:
    """Years in an elected seat in ``first..last`` of every current member (0 if none)."""
    counts = {s.iso3: 0 for s in member_states()}
    for year in range(first, last + 1):
        for code in membership.elected(year):
            if code in counts:
                counts[code] += 1
    return counts


def contests(membership: Membership, first: int = FIT_FROM, last: int = LAST_YEAR) -> list[Contest]:
    """The real contests of ``first..last``, as :func:`fit_alpha` scores them.

    A contest's winners are the group's members of ``year`` that did not sit the year before;
    former states (which no longer stand) are left out of the winners.
    """
    group = {s.iso3: s.group for s in member_states()}
    out = []
    for year in range(first, last + 1):
        before = set(membership.elected(year - 1))
        new = set(membership.elected(year)) - before
        permanent = {c for c, k in membership.years.get(year, ()) if k is SeatKind.PERMANENT}
        for g in Region:
            winners = tuple(sorted(c for c in new if group.get(c) is g))
            if not winners:
                continue
            eligible = tuple(
                c for c, cg in group.items() if cg is g and c not in before | permanent
            )
            out.append(Contest(year, g, winners, eligible))
    return out


def _served_before(membership: Membership, years: Sequence[int]) -> dict[int, dict[str, int]]:
    return {y: seat_years(membership, FIRST_YEAR, y - 1) for y in sorted(set(years))}


def log_likelihood(
    alpha: float,
    races: Sequence[Contest],
    served: dict[int, dict[str, int]],
    beta: float = 1.0,
) -> float:
    """The log-likelihood of ``races`` when ``alpha`` is the prior (see the module docstring).

    ``served[year]`` gives every state's seat-years before ``year``. Each contest's set of
    winners has the probability of drawing them, in any order, without replacement by weight.
    ``beta`` raises every weight to a power (1: the shipped model; other values only for the
    comparison in ``benchmarks/candidates_record.py``).
    """
    total = 0.0
    for race in races:
        prior = alpha * (race.year - FIRST_YEAR) / _SPAN
        before = served[race.year]
        w = {c: (before[c] + prior) ** beta for c in race.eligible}
        pool = math.fsum(w.values())
        p = 0.0
        for order in itertools.permutations(race.winners):
            q, left = 1.0, pool
            for c in order:
                q *= w[c] / left
                left -= w[c]
            p += q
        total += math.log(p)
    return total


def fit_alpha(
    membership: Membership,
    *,
    first: int = FIT_FROM,
    last: int = LAST_YEAR,
    bounds: tuple[float, float] = (0.05, 200.0),
) -> Decimal:
    """The maximum-likelihood ``alpha`` for the contests of ``first..last``, to one decimal.

    Golden-section search on ``log alpha`` (the log-likelihood has one maximum in the
    bounds), then the better of the two neighbouring tenths.
    """
    races = contests(membership, first, last)
    if not races:
        raise ScenarioError(
            f"no contests in {first}..{last}",
            file=membership.source,
            fix="give a membership file that covers those years",
        )
    served = _served_before(membership, [r.year for r in races])

    def loss(a: float) -> float:
        return -log_likelihood(a, races, served)

    lo, hi = math.log(bounds[0]), math.log(bounds[1])
    ratio = (math.sqrt(5) - 1) / 2
    c, d = hi - ratio * (hi - lo), lo + ratio * (hi - lo)
    fc, fd = loss(math.exp(c)), loss(math.exp(d))
    while hi - lo > 1e-6:
        if fc < fd:
            hi, d, fd = d, c, fc
            c = hi - ratio * (hi - lo)
            fc = loss(math.exp(c))
        else:
            lo, c, fc = c, d, fd
            d = lo + ratio * (hi - lo)
            fd = loss(math.exp(d))
    best = math.exp((lo + hi) / 2)
    tenths = [max(math.floor(best * 10), 1), max(math.ceil(best * 10), 1)]
    pick = min(tenths, key=lambda t: loss(t / 10))
    return Decimal(pick) / 10


def record_table(membership: Membership, alpha: Decimal | None = None) -> RecordTable:
    """The ``record`` weights from a membership file (``alpha``: fitted when not given)."""
    if alpha is None:
        alpha = fit_alpha(membership)
    served = seat_years(membership)
    rows = tuple((s.iso3, s.group, served[s.iso3], served[s.iso3] + alpha) for s in member_states())
    return RecordTable(alpha, rows)


def read_record_table(path: str | PathLike[str] | None = None) -> RecordTable:
    """Read a table written by :meth:`RecordTable.text` (default: the shipped one).

    Raises
    ------
    ScenarioError
        Naming the file and line, for a wrong header, an unknown or repeated code, a group
        that is not the state's, a count or weight that is not a number, a weight that is not
        ``seat_years + alpha``, or a missing member.
    """
    if path is None:
        name = f"councilsim/data/{RECORD_FILE}"
        text = package_data(RECORD_FILE)
    else:
        name = str(path)
        text = read_text(path, name, limit=MAX_DATA_BYTES, what="a candidate-weights table")
    return _parse_table(text, name)


def _parse_table(text: str, name: str) -> RecordTable:
    lines = text.splitlines()
    skip = next((i for i, line in enumerate(lines) if not line.startswith("#")), len(lines))
    alpha = next(
        (
            _decimal(line[2 + len(_ALPHA) :])
            for line in lines[:skip]
            if line.startswith(f"# {_ALPHA}")
        ),
        None,
    )
    states = {s.iso3: s for s in member_states()}
    rows: dict[str, tuple[str, Region, int, Decimal]] = {}
    reader = csv.reader(lines[skip:])
    header = next(reader, None)
    if alpha is None or header is None or tuple(header) != _HEADER:
        raise ScenarioError(
            "not a record weights table",
            file=name,
            line=skip + 1,
            fix="rebuild it with python -m councilsim.build_data candidates",
        )
    for n, row in enumerate(reader, start=skip + 2):
        state = states.get(row[0]) if len(row) == len(_HEADER) else None
        if state is None or row[0] in rows or row[1] != state.group.value:
            raise ScenarioError(
                f"bad row {','.join(row)!r}",
                file=name,
                line=n,
                key="iso3",
                fix="one row per current member: iso3, its group, seat_years, weight",
            )
        try:
            years, weight = int(row[2]), Decimal(row[3])
        except (ValueError, ArithmeticError):
            years, weight = -1, Decimal(-1)
        if years < 0 or weight != years + alpha:
            raise ScenarioError(
                f"{row[0]}: weight {row[3]!r} is not seat_years + alpha",
                file=name,
                line=n,
                key="weight",
                fix=f"weight = seat_years + {alpha}",
            )
        rows[row[0]] = (row[0], state.group, years, weight)
    missing = [c for c in states if c not in rows]
    if missing:
        raise ScenarioError(
            f"{len(missing)} members missing, e.g. {missing[0]}",
            file=name,
            fix="one row per current member",
        )
    return RecordTable(alpha, tuple(rows[c] for c in states))


def _decimal(text: str) -> Decimal | None:
    try:
        value = Decimal(text.strip())
    except ArithmeticError:
        return None
    return value if value.is_finite() and value > 0 else None


@cache
def record_weights() -> NDArray[np.float64]:
    """The shipped weights, indexed like :func:`councilsim.states.all_states` (former: 0)."""
    table = {row[0]: float(row[3]) for row in read_record_table().rows}
    weights = np.array([table.get(s.iso3, 0.0) for s in all_states()])
    weights.flags.writeable = False
    return weights
