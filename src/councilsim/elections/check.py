"""The election rules as checks on a sequence of yearly compositions.

:func:`check_membership` reads who sat where in each year and lists every departure from the
rules: seats per class and group (GA res. 1991 A (XVIII)), a state holding two seats, a
permanent member leaving, terms of the wrong length or an immediate re-election (Art. 23(2);
rule 144 of the GA rules of procedure), more (or, without re-election, fewer) new members of a
group than the stagger elects (rule 142), and a year without an Arab state in the swing seat.
The same function checks simulated runs in the test suite and the real history of the Council.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from councilsim.council import Region, SeatKind
from councilsim.elections.rules import ClassElection, ElectionRules
from councilsim.states import ARAB_STATES, lookup

__all__ = ["Member", "Violation", "YearComposition", "check_membership"]


@dataclass(frozen=True)
class Member:
    """One seat in one year: its holder (``None``: an open seat), class, kind and region."""

    holder: str | None
    seat_class: str
    kind: SeatKind
    region: Region | None

    def as_dict(self) -> dict[str, str | None]:
        return {
            "holder": self.holder,
            "class": self.seat_class,
            "seat_kind": self.kind.value,
            "region": None if self.region is None else self.region.value,
        }


@dataclass(frozen=True)
class YearComposition:
    """The Council of one year."""

    year: int
    members: tuple[Member, ...]

    def holders(self, seat_class: str | None = None) -> list[str]:
        """The named holders (of one class, or of all)."""
        return [
            m.holder
            for m in self.members
            if m.holder is not None and (seat_class is None or m.seat_class == seat_class)
        ]


@dataclass(frozen=True, order=True)
class Violation:
    """A departure from the rules: the year, its kind, the state or group, and what happened.

    ``kind`` is one of ``seats``, ``group-count``, ``duplicate``, ``permanent``,
    ``term-length``, ``reelection``, ``stagger`` and ``arab-seat``.
    """

    year: int
    kind: str
    subject: str
    detail: str

    def __str__(self) -> str:
        return f"{self.year} {self.kind} {self.subject}: {self.detail}"


def check_membership(years: Sequence[YearComposition], rules: ElectionRules) -> list[Violation]:
    """Every departure from ``rules`` in consecutive yearly compositions, sorted.

    Terms that run past either end of ``years`` are judged only on the part seen (a term may
    be shorter there, never longer); the first year has no election to check.

    Parameters
    ----------
    years
        Compositions of consecutive years, in order.
    rules
        The election rules of the council they should follow.

    Returns
    -------
    list of Violation
        Empty when every rule holds in every year.
    """
    out: list[Violation] = []
    for comp in years:
        out += _seat_counts(comp, rules)
    out += _permanent(years, rules)
    out += _terms(years, rules)
    out += _arab(years, rules)
    return sorted(out)


def _region(m: Member) -> Region | None:
    if m.holder is not None:
        state = lookup(m.holder)
        if state is not None:
            return state.group
    return m.region


def _seat_counts(comp: YearComposition, rules: ElectionRules) -> list[Violation]:
    out = []
    y = comp.year
    for cls in rules.council.classes:
        members = [m for m in comp.members if m.seat_class == cls.id]
        if len(members) != cls.count:
            out.append(Violation(y, "seats", cls.id, f"{len(members)} seats, not {cls.count}"))
        want = Counter(cls.seat_regions())
        have = Counter(_region(m) for m in members)
        for region in sorted(set(want) | set(have), key=str):
            if want[region] != have[region]:
                out.append(
                    Violation(
                        y,
                        "group-count",
                        f"{cls.id}/{region}",
                        f"{have[region]} seats held, the class has {want[region]}",
                    )
                )
    for code, n in Counter(h for h in comp.holders()).items():
        if n > 1:
            out.append(Violation(y, "duplicate", code, f"holds {n} seats"))
    return out


def _permanent(years: Sequence[YearComposition], rules: ElectionRules) -> list[Violation]:
    out = []
    permanent = [c.id for c in rules.council.classes if c.kind is SeatKind.PERMANENT]
    for prev, comp in itertools.pairwise(years):
        for cid in permanent:
            before, after = set(prev.holders(cid)), set(comp.holders(cid))
            for code in sorted(before - after):
                out.append(Violation(comp.year, "permanent", code, "left a permanent seat"))
            for code in sorted(after - before):
                out.append(Violation(comp.year, "permanent", code, "entered a permanent seat"))
    return out


def _terms(years: Sequence[YearComposition], rules: ElectionRules) -> list[Violation]:
    out: list[Violation] = []
    if not years:
        return out
    first, last = years[0].year, years[-1].year
    for cls in rules.classes:
        stints: dict[str, list[int]] = defaultdict(list)
        for comp in years:
            for code in comp.holders(cls.class_id):
                stints[code].append(comp.year)
        for code, served in stints.items():
            for start, end in _runs(served):
                out += _stint(cls, code, start, end, start == first, end == last)
        for prev, comp in itertools.pairwise(years):
            entered = set(comp.holders(cls.class_id)) - set(prev.holders(cls.class_id))
            counts = Counter(_region(Member(c, cls.class_id, cls.kind, None)) for c in entered)
            due = cls.elected_in(comp.year - 1)
            for region in sorted(set(due) | set(counts), key=str):
                n = counts.get(region, 0)
                k = 0 if region is None else due.get(region, 0)
                if n > k or (n < k and not cls.reelection):
                    out.append(
                        Violation(
                            comp.year,
                            "stagger",
                            f"{cls.class_id}/{region}",
                            f"{n} new members, the stagger elects {k} in {comp.year - 1}",
                        )
                    )
    return out


def _runs(years: list[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for y in sorted(years):
        if runs and y == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], y)
        else:
            runs.append((y, y))
    return runs


def _stint(
    cls: ClassElection, code: str, start: int, end: int, cut_start: bool, cut_end: bool
) -> list[Violation]:
    """One unbroken stretch of service in a class (cut: it runs past the years checked)."""
    length = end - start + 1
    if length > cls.term and not cls.reelection:
        where = f"{start}-{end}"
        return [Violation(start + cls.term, "reelection", code, f"re-elected at once ({where})")]
    if not (cut_start or cut_end) and length % cls.term:
        return [Violation(start, "term-length", code, f"served {length} years ({start}-{end})")]
    return []


def _arab(years: Sequence[YearComposition], rules: ElectionRules) -> list[Violation]:
    arab = rules.arab_seat
    if arab is None:
        return []
    term = rules.election(arab.class_id).term
    out = []
    for comp in years:
        last = arab.last_election(comp.year, term)
        group = arab.group_at(last, term)
        holders = [
            c
            for c in comp.holders(arab.class_id)
            if c in ARAB_STATES
            and _region(Member(c, arab.class_id, SeatKind.ELECTED, None)) is group
        ]
        if not holders:
            out.append(
                Violation(
                    comp.year,
                    "arab-seat",
                    str(group),
                    f"no Arab state of the {group} group sits (swing seat elected in {last})",
                )
            )
    return out
