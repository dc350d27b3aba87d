"""Population of the UN members and Penrose's square-root rule."""

from __future__ import annotations

from fractions import Fraction
from importlib.resources import files
from pathlib import Path

import pytest

from councilsim.build_data import build, main
from councilsim.council import Region
from councilsim.errors import ScenarioError
from councilsim.population import (
    POPULATION_FILE,
    Population,
    population,
    sqrt_group_shares,
    sqrt_shares,
)
from councilsim.states import by_group, member_states

FILE = "world_population_1960_2024.csv"
SHIPPED = (files("councilsim") / "data" / POPULATION_FILE).read_text(encoding="utf-8")
MEMBERS = [s.iso3 for s in member_states()]


def world_bank(rows: dict[str, dict[int, int]], extra: str = "") -> str:
    """A file in the World Bank's long format from ``{iso3: {year: value}}``."""
    lines = ["Country Name,Country Code,Year,Value"]
    for code, years in rows.items():
        lines += [f"Somewhere,{code},{y},{v}" for y, v in years.items()]
    return "\n".join(lines) + "\n" + extra


def every_member(value: int = 4, year: int = 2024) -> dict[str, dict[int, int]]:
    return {code: {year: value} for code in MEMBERS}


def test_shipped_snapshot() -> None:
    pop = population()
    assert pop.year == 2024 and list(pop.counts) == MEMBERS
    assert pop.total == 8_098_198_831
    assert pop.counts["IND"] == max(pop.counts.values())
    assert pop.counts["TUV"] == min(pop.counts.values())
    assert population(2024).counts == pop.counts


def test_rebuild_from_the_shared_data_gives_the_shipped_snapshot(
    shared_data: Path, tmp_path: Path
) -> None:
    path = shared_data / FILE
    if not path.is_file():
        pytest.skip(f"{FILE} is not in the shared data folder")
    assert build("population", str(path)) == SHIPPED
    out = tmp_path / "p.csv"
    assert main(["population", str(path), "-o", str(out)]) == 0
    assert out.read_bytes() == SHIPPED.encode("utf-8")
    assert population(path=path).counts == population().counts  # latest year: 2024
    assert population(1960, path).counts["IND"] < population().counts["IND"]


def test_sqrt_shares_known_answers() -> None:
    assert sqrt_shares({"AAA": 1, "BBB": 4, "CCC": 9}) == {
        "AAA": float(Fraction(1, 6)),
        "BBB": float(Fraction(1, 3)),
        "CCC": float(Fraction(1, 2)),
    }
    assert sqrt_shares({"AAA": 25}) == {"AAA": 1.0}
    with pytest.raises(ScenarioError, match="not above 0"):
        sqrt_shares({"AAA": 0})


def test_sqrt_group_shares_known_answers() -> None:
    # 54 African members of 100 people (√ = 10), the other 139 of 1 (√ = 1)
    africa = {s.iso3 for s in by_group("africa")}
    pop = {code: 100 if code in africa else 1 for code in MEMBERS}
    shares = sqrt_group_shares(pop)
    total = 54 * 10 + 139
    assert shares[Region.AFRICA] == float(Fraction(540, total))
    assert shares[Region.WEOG] == float(Fraction(29, total))
    assert shares[Region.EASTERN_EUROPE] == float(Fraction(23, total))
    with pytest.raises(ScenarioError, match="not a UN member"):
        sqrt_group_shares({"SUN": 4})


def test_sqrt_shares_of_the_snapshot() -> None:
    pop = population()
    shares = sqrt_shares(pop)
    assert list(shares) == MEMBERS
    assert sum(shares.values()) == pytest.approx(1.0, abs=1e-12)
    assert shares["IND"] > shares["CHN"] > shares["USA"] > shares["TUV"]
    groups = sqrt_group_shares(pop)
    assert sum(groups.values()) == pytest.approx(1.0, abs=1e-12)
    # 2024: Asia-Pacific 0.361, Africa 0.284, WEOG 0.147, GRULAC 0.126, Eastern Europe 0.081
    assert sorted(groups, key=groups.__getitem__, reverse=True) == [
        Region.ASIA_PACIFIC, Region.AFRICA, Region.WEOG, Region.GRULAC, Region.EASTERN_EUROPE
    ]  # fmt: skip


def test_users_file_and_year(tmp_path: Path) -> None:
    rows = every_member(9, 2000) | {"FRA": {2000: 9, 2001: 16}}
    path = tmp_path / "pop.csv"
    path.write_text(world_bank(rows, "World,WLD,2001,7\n"), encoding="utf-8")
    pop = population(2000, path)
    assert isinstance(pop, Population) and pop.source == str(path)
    assert pop.total == 9 * 193 and sqrt_shares(pop)["FRA"] == float(Fraction(1, 193))
    with pytest.raises(ScenarioError, match="no population in 2001 for the UN members AFG"):
        population(path=path)  # the latest year, 2001, lacks the other members


@pytest.mark.parametrize(
    ("extra", "problem", "line", "key"),
    [
        ("x,FRA,20x4,5\n", "year '20x4' is not an integer", 194, "Year"),
        ("x,FRA,2024,five\n", "FRA: population 'five' is not a whole number", 194, "Value"),
        ("x,FRA,2024,0\n", "FRA: population '0' is not a whole number above 0", 194, "Value"),
        ("x,FRA,2024,12.5\n", "not a whole number", 194, "Value"),
        ("x,FRA,2024,1_000\n", "not a whole number", 194, "Value"),
    ],
)
def test_bad_rows_name_file_line_and_column(
    tmp_path: Path, extra: str, problem: str, line: int, key: str
) -> None:
    rows = every_member()
    del rows["FRA"]
    path = tmp_path / "pop.csv"
    path.write_text(world_bank(rows, extra), encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        population(path=path)
    err = info.value
    assert problem in err.problem and (err.file, err.line, err.key) == (str(path), line, key)
    assert str(err).startswith(f"{path}:{line}: {key}: ")


def test_bad_files(tmp_path: Path) -> None:
    path = tmp_path / "pop.csv"
    cases = {
        "Country Code,Year\nFRA,2024\n": "missing column 'Value'",
        "Country Code,Year,Value\n": "no rows",
        world_bank(every_member(), "x,FRA,2024,5\n"): "FRA is given twice for 2024",
        world_bank({k: v for k, v in every_member().items() if k != "TUV"}): "member TUV",
    }
    for text, problem in cases.items():
        path.write_text(text, encoding="utf-8")
        with pytest.raises(ScenarioError, match=problem) as info:
            population(path=path)
        assert info.value.file == str(path)
    two = {code: {2023: 4, 2024: 9} for code in MEMBERS}
    path.write_text(world_bank(two), encoding="utf-8")
    assert population(2023, path).total == 4 * 193
    with pytest.raises(ScenarioError, match=r"1999; choose a year in 2023\.\.2024"):
        population(1999, path)
    with pytest.raises(ScenarioError, match="the file holds 2024 only"):
        population(2000)
    with pytest.raises(ScenarioError, match="no such file"):
        population(path=tmp_path / "missing.csv")
    assert main(["population", str(tmp_path / "missing.csv")]) == 2
