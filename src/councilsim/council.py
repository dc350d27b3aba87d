"""The council model: seats grouped into classes, and the rule they vote under.

A :class:`Council` is a frozen description. Everything that computes with it (the voting
rule, the power indices, the simulator) reads the flat arrays :attr:`Council.weights` and
:attr:`Council.veto`, one entry per seat in a fixed order, so that there is exactly one
representation of who votes with what weight and who holds a veto. The arrays are built on
first use: describing, loading and listing councils does not load numpy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray


class Region(StrEnum):
    """The five UN regional groups (GA res. 1991 A (XVIII) distributes elected seats by them)."""

    AFRICA = "africa"
    ASIA_PACIFIC = "asia-pacific"
    EASTERN_EUROPE = "eastern-europe"
    GRULAC = "grulac"
    WEOG = "weog"

    @property
    def label(self) -> str:
        return _REGION_LABELS[self]


_REGION_LABELS = {
    Region.AFRICA: "African Group",
    Region.ASIA_PACIFIC: "Asia-Pacific Group",
    Region.EASTERN_EUROPE: "Eastern European Group",
    Region.GRULAC: "Latin American and Caribbean Group (GRULAC)",
    Region.WEOG: "Western European and Others Group (WEOG)",
}


class SeatKind(StrEnum):
    """How a seat is held: permanently, by election for a term, or for a longer renewable term."""

    PERMANENT = "permanent"
    ELECTED = "elected"
    LONG_TERM = "long-term"


class Abstention(StrEnum):
    """How a veto holder's abstention or absence is read under Art. 27(3).

    ``PRACTICE``: abstention and absence do not block (ruling of the President at the 173rd
    meeting, 1 Aug 1947; ICJ Namibia advisory opinion, ICJ Reports 1971 p. 16). ``LITERAL``:
    "concurring votes" read as yes votes, so any veto holder not voting yes blocks.
    """

    PRACTICE = "practice"
    LITERAL = "literal"


@dataclass(frozen=True)
class Rule:
    """The decision rule of Art. 27, with the parameters reforms vary.

    A substantive draft is adopted iff the weighted yes votes reach ``quota`` and fewer than
    ``veto_threshold`` veto holders block it (vote no; under the literal reading, do not vote
    yes). A procedural draft needs ``procedural_quota`` yes votes and no veto applies.
    """

    quota: int
    procedural_quota: int
    veto_threshold: int = 1
    abstention: Abstention = Abstention.PRACTICE


@dataclass(frozen=True)
class Candidacy:
    """The states a scenario declares as candidates for the open seats of a class.

    ``states`` are ISO alpha-3 codes; ``weights`` (empty: the run's candidate model decides)
    one positive weight per state; ``source`` where the list comes from. Open seats of a region
    with no declared candidate stay open to every member of the region's group.
    """

    states: tuple[str, ...]
    weights: tuple[float, ...] = ()
    source: str = ""


@dataclass(frozen=True)
class SeatClass:
    """Interchangeable seats: same kind, veto, term, region and weight.

    ``holders`` has one entry per seat: an ISO 3166 alpha-3 code, or ``None`` where the holder
    is open (an elected seat, or a new permanent seat not yet assigned). ``region`` applies to
    every seat unless ``regions`` gives one region per seat (a class of elected seats spread
    over the regional groups, or the permanent five).
    """

    id: str
    kind: SeatKind
    veto: bool
    holders: tuple[str | None, ...]
    region: Region | None = None
    weight: int = 1
    term: int | None = None
    reelection: bool = False
    name: str = ""
    regions: tuple[Region | None, ...] = ()
    candidacy: Candidacy | None = None
    """Declared candidates for the open seats (``None``: every member of the seat's group)."""

    def __post_init__(self) -> None:
        if self.regions and len(self.regions) != len(self.holders):
            raise ValueError(f"class {self.id}: {len(self.regions)} regions for {self.count} seats")

    @property
    def count(self) -> int:
        return len(self.holders)

    def seat_regions(self) -> tuple[Region | None, ...]:
        """The region of each seat."""
        return self.regions or (self.region,) * self.count

    def labels(self) -> tuple[str, ...]:
        """A display name for each seat: the holder, or ``<class id>-<k>`` for an open seat."""
        return tuple(
            h if h is not None else f"{self.id}-{k + 1}" for k, h in enumerate(self.holders)
        )


@dataclass(frozen=True)
class Seat:
    """One seat, as seen by everything that iterates over members."""

    label: str
    holder: str | None
    seat_class: str
    kind: SeatKind
    veto: bool
    region: Region | None
    weight: int
    term: int | None
    reelection: bool


@dataclass(frozen=True)
class Council:
    """A council: seat classes and the rule; seats are ordered class by class."""

    classes: tuple[SeatClass, ...]
    rule: Rule
    id: str = ""
    name: str = ""
    meta: dict[str, object] = field(default_factory=dict, compare=False, hash=False)

    @cached_property
    def seats(self) -> tuple[Seat, ...]:
        return tuple(
            Seat(label, h, c.id, c.kind, c.veto, r, c.weight, c.term, c.reelection)
            for c in self.classes
            for label, h, r in zip(c.labels(), c.holders, c.seat_regions(), strict=True)
        )

    @property
    def size(self) -> int:
        return len(self.seats)

    @cached_property
    def weights(self) -> NDArray[np.int64]:
        """Votes per seat, in seat order (read-only)."""
        return _frozen([s.weight for s in self.seats], "int64")

    @cached_property
    def veto(self) -> NDArray[np.bool_]:
        """Whether each seat holds a veto, in seat order (read-only)."""
        return _frozen([s.veto for s in self.seats], "bool")

    @cached_property
    def class_index(self) -> NDArray[np.intp]:
        """For each seat, the index of its class in :attr:`classes`."""
        return _frozen([k for k, c in enumerate(self.classes) for _ in c.holders], "intp")

    @property
    def total_weight(self) -> int:
        return sum(s.weight for s in self.seats)

    @property
    def veto_holders(self) -> int:
        return sum(s.veto for s in self.seats)

    def labels(self) -> tuple[str, ...]:
        return tuple(s.label for s in self.seats)

    def index_of(self, name: str) -> int:
        """The seat index of a holder code or seat label (case-insensitive): the first seat
        whose label or holder it is."""
        found = self._indices.get(name.strip().upper())
        if found is None:
            raise KeyError(name)
        return found

    @cached_property
    def _indices(self) -> dict[str, int]:
        """Each seat's label and holder, upper-cased, to the first seat that has it (a dict:
        looking every member up by scanning the seats was quadratic, 0.18 s at 1000 seats)."""
        out: dict[str, int] = {}
        for i, s in enumerate(self.seats):
            out.setdefault(s.label.upper(), i)
            if s.holder:
                out.setdefault(s.holder.upper(), i)
        return out


def _frozen(values: list[Any], dtype: str) -> NDArray[Any]:
    """A read-only numpy array of ``values``.

    numpy is imported here, on the first array a council is asked for, so that the modules
    that only describe councils (scenario files, ``list``, ``show``) start without it.
    """
    import numpy as np

    a = np.array(values, dtype=dtype)
    a.flags.writeable = False
    return a
