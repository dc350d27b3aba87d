"""``councilsim compare --plot``: the chart data, the PNG and SVG figures, and their errors."""

from __future__ import annotations

import struct
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from councilsim.cli import main
from councilsim.compare.measures import Column, measures
from councilsim.compare.plot import DPI, FIGSIZE, PALETTE, charts
from councilsim.scenario import load

FOUR = ("current", "g4-2005", "african-union-2005", "ufc-2005")


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def columns(*ids: str, states: tuple[str, ...] = ()) -> list[Column]:
    return [Column(i, load(i).name, measures(load(i).council, states=states)) for i in ids]


def test_chart_data_are_the_measures_in_percent() -> None:
    cols = columns("current", "g4-2005", states=("IND",))
    found = {c.id: c for c in charts(cols)}
    assert list(found) == [
        "class-banzhaf",
        "class-shapley_shubik",
        "region-banzhaf",
        "region-shapley_shubik",
        "outcomes",
        "states-banzhaf",
        "states-shapley_shubik",
    ]
    by_class = found["class-banzhaf"]
    assert by_class.series == ("current", "g4-2005")
    assert by_class.categories == ("P5 member", "new permanent member", "elected member")
    assert by_class.values[0][1] is None  # no new permanent seat today
    assert by_class.values[1][0] == pytest.approx(100 * cols[1].values["banzhaf_permanent"])
    assert sum(v or 0 for v in found["region-shapley_shubik"].values[0]) == pytest.approx(100)
    assert found["outcomes"].low is None  # exact rates: no intervals
    assert [c.id for c in charts(columns("current"))][-1] == "outcomes"


def test_monte_carlo_outcomes_have_intervals() -> None:
    from councilsim.models import BlocsModel

    model = BlocsModel.from_params({"blocs": {"west": ["USA", "GBR", "FRA"]}})
    values = measures(load("current").council, model=model, draws=3000)
    (outcomes,) = [c for c in charts([Column("current", "today", values)]) if c.id == "outcomes"]
    assert outcomes.low is not None and outcomes.high is not None
    for lo, v, hi in zip(outcomes.low[0], outcomes.values[0], outcomes.high[0], strict=True):
        assert lo is not None and v is not None and hi is not None and lo < v < hi


def test_png_has_the_documented_size_and_is_not_blank(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    from matplotlib.image import imread

    target = tmp_path / "compare.png"
    result = run("compare", *FOUR, "--plot", str(target))
    assert result.exit_code == 0, result.output
    data = target.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (FIGSIZE[0] * DPI, FIGSIZE[1] * DPI) == (1600, 1000)
    # with named states: eight charts plus the two equity charts, a third row half as high
    with_states = tmp_path / "states.png"
    assert run("compare", *FOUR, "--state", "IND", "--plot", str(with_states)).exit_code == 0
    assert struct.unpack(">II", with_states.read_bytes()[16:24]) == (1600, 1500)
    pixels = imread(str(target))[:, :, :3]
    assert pixels.std() > 0.05
    colours = {tuple(p) for p in (pixels.reshape(-1, 3)[::7] * 255).round().astype(int).tolist()}
    assert len(colours) > 20
    for hex_colour in PALETTE[: len(FOUR)]:
        rgb = tuple(int(hex_colour[k : k + 2], 16) for k in (1, 3, 5))
        assert rgb in colours, hex_colour
    assert sorted(p.name for p in tmp_path.iterdir()) == ["compare.png", "states.png"]


def test_svg_parses_as_xml(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    target = tmp_path / "compare.svg"
    result = run("compare", "current", "g4-2005", "--plot", str(target))
    assert result.exit_code == 0, result.output
    root = ET.parse(target).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert (root.get("width"), root.get("height")) == ("1152pt", "720pt")  # 16 × 10 inches
    assert len(root.findall(".//{http://www.w3.org/2000/svg}path")) > 20


def test_plot_needs_matplotlib(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [m for m in sys.modules if m == "matplotlib" or m.startswith("matplotlib.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    target = tmp_path / "compare.png"
    result = run("compare", "current", "g4-2005", "--plot", str(target))
    assert result.exit_code == 2
    assert result.stderr == (
        'councilsim: error: --plot needs matplotlib: python -m pip install "councilsim[plot]" '
        '(or ".[plot]" in a source checkout)\n'
    )
    assert list(tmp_path.iterdir()) == []


def test_unknown_plot_type_is_refused(tmp_path: Path) -> None:
    result = run("compare", "current", "--plot", str(tmp_path / "chart.pdf"))
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "give a file name ending in .png or .svg" in (
        result.stderr
    )
    assert list(tmp_path.iterdir()) == []


def test_equity_charts_for_named_states_and_groups() -> None:
    from councilsim.compare.columns import scenario_column
    from councilsim.compare.plot import charts
    from councilsim.population import Population
    from councilsim.scenario import load
    from councilsim.states import member_states

    cols = [scenario_column(load(i), states=["IND"], reps=50) for i in ("current", "g4-2005")]
    assert not [c for c in charts(cols) if c.id.startswith("equity")]
    equal = Population(2024, {m.iso3: 10**6 for m in member_states()}, "equal")
    found = {c.id: c for c in charts(cols, equal)}
    states, groups = found["equity-states"], found["equity-regions"]
    assert states.log and groups.log and states.categories == ("IND",)
    assert groups.categories == ("Africa", "Asia-Pacific", "Eastern Europe", "GRULAC", "WEOG")
    # equal populations: a group's ratio is its share of the power ÷ its share of the members
    africa_today = groups.values[0][0]
    assert africa_today is not None and 0 < africa_today < 1
    assert states.values[1][0] is not None and states.values[1][0] > states.values[0][0]  # type: ignore[operator]
