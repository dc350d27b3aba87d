"""The UN member states, their ISO codes and regional groups.

Two tables ship with the package, under ``councilsim/data``:

``member_states.csv`` (``iso3,name,group``)
    The 193 member states of the United Nations. ``iso3`` is the ISO 3166-1 alpha-3 code,
    ``name`` the short English name the UN uses, and ``group`` the regional group (a
    :class:`~councilsim.council.Region` value) as listed by the UN Department for General
    Assembly and Conference Management (DGACM), "United Nations Regional Groups of Member
    States": African 54, Asia-Pacific 54, Eastern European 23, Latin American and Caribbean
    (GRULAC) 33, Western European and Others (WEOG) 29. Türkiye takes part in both the
    Asia-Pacific Group and WEOG and is counted in WEOG for electoral purposes; the United
    States is formally an observer of WEOG and is counted in it; Israel is in WEOG; Kiribati
    is in the Asia-Pacific Group.

``historical_states.csv`` (``iso3,name,group,until``)
    Former members that appear in the history of the Security Council, with their withdrawn
    ISO 3166 codes (ISO 3166-3) and the last year of their membership.

Both are read once, from the package (:func:`councilsim.files.package_data`), and cached.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache

from councilsim.council import Region
from councilsim.files import package_data

__all__ = [
    "ARAB_STATES",
    "MemberState",
    "all_states",
    "by_group",
    "lookup",
    "member_states",
]

_MEMBERS_FILE = "member_states.csv"
_HISTORICAL_FILE = "historical_states.csv"


@dataclass(frozen=True)
class MemberState:
    """A UN member state: ISO 3166-1 alpha-3 code, UN short name and regional group.

    ``historical`` marks a former member (the USSR, Czechoslovakia, Yugoslavia, the German
    Democratic Republic); ``until`` is then the last year of its membership, else ``None``.
    """

    iso3: str
    name: str
    group: Region
    historical: bool = False
    until: int | None = None


def _read(filename: str) -> list[dict[str, str]]:
    text = package_data(filename)
    return list(csv.DictReader(io.StringIO(text)))


@cache
def member_states() -> tuple[MemberState, ...]:
    """The 193 current UN member states, in the order of the data file (by name)."""
    return tuple(
        MemberState(iso3=row["iso3"], name=row["name"], group=Region(row["group"]))
        for row in _read(_MEMBERS_FILE)
    )


@cache
def _historical_states() -> tuple[MemberState, ...]:
    return tuple(
        MemberState(
            iso3=row["iso3"],
            name=row["name"],
            group=Region(row["group"]),
            historical=True,
            until=int(row["until"]),
        )
        for row in _read(_HISTORICAL_FILE)
    )


@cache
def all_states() -> tuple[MemberState, ...]:
    """The current member states followed by the former members."""
    return member_states() + _historical_states()


@cache
def _index() -> dict[str, MemberState]:
    return {state.iso3: state for state in all_states()}


def lookup(iso3: str) -> MemberState | None:
    """The state (current or former member) with this ISO alpha-3 code, case-insensitive."""
    return _index().get(iso3.strip().upper())


def by_group(region: Region | str, *, historical: bool = False) -> tuple[MemberState, ...]:
    """The current member states in a regional group; with ``historical``, former ones too.

    ``region`` is a :class:`~councilsim.council.Region` or its value (``"weog"``, ...); an
    unknown value raises :class:`ValueError`.
    """
    group = Region(region)
    states = all_states() if historical else member_states()
    return tuple(state for state in states if state.group is group)


#: The UN members of the League of Arab States (the League has 22 members; Palestine, a UN
#: non-member observer State, is the one not listed). By an informal 1967 understanding the
#: Arab states hold one elected Security Council seat at all times, the "Arab swing seat",
#: filled alternately from the African Group's and the Asia-Pacific Group's share of seats.
ARAB_STATES: frozenset[str] = frozenset(
    {
        # African Group
        "DZA",  # Algeria
        "COM",  # Comoros
        "DJI",  # Djibouti
        "EGY",  # Egypt
        "LBY",  # Libya
        "MRT",  # Mauritania
        "MAR",  # Morocco
        "SOM",  # Somalia
        "SDN",  # Sudan
        "TUN",  # Tunisia
        # Asia-Pacific Group
        "BHR",  # Bahrain
        "IRQ",  # Iraq
        "JOR",  # Jordan
        "KWT",  # Kuwait
        "LBN",  # Lebanon
        "OMN",  # Oman
        "QAT",  # Qatar
        "SAU",  # Saudi Arabia
        "SYR",  # Syrian Arab Republic
        "ARE",  # United Arab Emirates
        "YEM",  # Yemen
    }
)
