"""The member-state table: counts, codes, regional groups, and agreement with the UN list."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest

from councilsim.council import Region
from councilsim.states import (
    ARAB_STATES,
    MemberState,
    all_states,
    by_group,
    lookup,
    member_states,
)

GROUP_SIZES = {
    Region.AFRICA: 54,
    Region.ASIA_PACIFIC: 54,
    Region.EASTERN_EUROPE: 23,
    Region.GRULAC: 33,
    Region.WEOG: 29,
}

# The reference file's group labels.
REFERENCE_REGIONS = {
    "African Group": Region.AFRICA,
    "Asia-Pacific Group": Region.ASIA_PACIFIC,
    "Eastern European Group": Region.EASTERN_EUROPE,
    "GRULAC": Region.GRULAC,
    "WEOG": Region.WEOG,
}

ISO3 = re.compile(r"[A-Z]{3}")


def test_193_members() -> None:
    states = member_states()
    assert len(states) == 193
    assert all(isinstance(s, MemberState) for s in states)
    assert not any(s.historical or s.until is not None for s in states)


def test_group_sizes() -> None:
    assert Counter(s.group for s in member_states()) == GROUP_SIZES
    for region, size in GROUP_SIZES.items():
        assert len(by_group(region)) == size
        assert len(by_group(region.value)) == size


def test_codes_unique_and_iso3() -> None:
    codes = [s.iso3 for s in all_states()]
    assert len(codes) == len(set(codes))
    bad = [c for c in codes if not ISO3.fullmatch(c)]
    assert not bad
    names = [s.name for s in all_states()]
    assert len(names) == len(set(names))
    assert all(name.strip() == name and name for name in names)


def test_historical_states() -> None:
    historical = {s.iso3: s for s in all_states() if s.historical}
    assert set(historical) == {"SUN", "CSK", "YUG", "DDR"}
    assert {code: s.until for code, s in historical.items()} == {
        "SUN": 1991,
        "CSK": 1992,
        "YUG": 1992,
        "DDR": 1990,
    }
    assert all(s.group is Region.EASTERN_EUROPE for s in historical.values())
    assert len(all_states()) == 193 + 4
    assert len(by_group(Region.EASTERN_EUROPE, historical=True)) == 23 + 4


@pytest.mark.parametrize(
    ("code", "name", "group"),
    [
        ("TUR", "Türkiye", Region.WEOG),
        ("USA", "United States", Region.WEOG),
        ("ISR", "Israel", Region.WEOG),
        ("KIR", "Kiribati", Region.ASIA_PACIFIC),
        ("CIV", "Côte d'Ivoire", Region.AFRICA),
        ("RUS", "Russian Federation", Region.EASTERN_EUROPE),
        ("GBR", "United Kingdom", Region.WEOG),
        ("CHN", "China", Region.ASIA_PACIFIC),
        ("FRA", "France", Region.WEOG),
    ],
)
def test_known_entries(code: str, name: str, group: Region) -> None:
    state = lookup(code)
    assert state is not None
    assert (state.name, state.group, state.historical) == (name, group, False)


def test_lookup() -> None:
    assert lookup("usa") == lookup("USA") == lookup(" Usa ")
    assert lookup("sun") == MemberState(
        "SUN", "Union of Soviet Socialist Republics", Region.EASTERN_EUROPE, True, 1991
    )
    assert lookup("XXX") is None
    assert lookup("") is None


def test_by_group_rejects_unknown_region() -> None:
    with pytest.raises(ValueError):
        by_group("europe")


def test_arab_states() -> None:
    # The League of Arab States has 22 members; all but Palestine are UN members.
    assert len(ARAB_STATES) == 21
    members = {s.iso3: s for s in member_states()}
    assert ARAB_STATES.issubset(members)
    groups = Counter(members[code].group for code in ARAB_STATES)
    assert groups == {Region.AFRICA: 10, Region.ASIA_PACIFIC: 11}


def test_cached() -> None:
    assert member_states() is member_states()
    assert all_states() is all_states()


def test_matches_un_regional_groups(shared_data: Path) -> None:
    path = shared_data / "un_regional_groups.csv"
    if not path.is_file():
        pytest.skip(f"reference data un_regional_groups.csv not found: {path}")
    with path.open(encoding="utf-8-sig", newline="") as f:
        reference = {row["Code"].strip(): row["Region"].strip() for row in csv.DictReader(f)}
    assert set(reference.values()) <= set(REFERENCE_REGIONS), "unknown group label in reference"
    expected = {code: REFERENCE_REGIONS[label] for code, label in reference.items()}
    ours = {s.iso3: s.group for s in member_states()}

    assert sorted(set(ours) - set(expected)) == [], "codes not in the UN list"
    assert sorted(set(expected) - set(ours)) == [], "UN members missing"
    wrong = {
        code: (ours[code].value, expected[code].value)
        for code in ours
        if ours[code] is not expected[code]
    }
    assert wrong == {}, "(ours, UN) group mismatches"
