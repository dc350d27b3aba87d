"""``councilsim compare --report``: one self-contained, accessible HTML page."""

from __future__ import annotations

import shutil
import struct
import subprocess
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from councilsim.amendment import analyse
from councilsim.cli import main
from councilsim.compare.columns import scenario_column
from councilsim.compare.plot import amendment_charts, charts
from councilsim.scenario import load
from councilsim.statepower import population_table

FOUR = ("current", "g4-2005", "african-union-2005", "ufc-2005")
VOID = {"meta", "link", "br", "img", "input", "hr"}


class Page(HTMLParser):
    """Tags with their attributes and parent tag, and the text, of an HTML page."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None], str | None]] = []
        self.stack: list[str] = []
        self.text: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs), self.stack[-1] if self.stack else None))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs), self.stack[-1] if self.stack else None))

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes <{self.stack[-1:]}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def count(self, tag: str, parent: str | None = None) -> int:
        return sum(1 for t, _, p in self.tags if t == tag and (parent is None or p == parent))

    def ids(self) -> set[str]:
        return {a["id"] or "" for _, a, _ in self.tags if "id" in a}

    @property
    def all_text(self) -> str:
        return " ".join(" ".join(self.text).split())


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def report(tmp_path: Path, *args: str) -> tuple[Path, str]:
    target = tmp_path / "report.html"
    result = run("compare", *args, "--report", str(target))
    assert result.exit_code == 0, result.output
    return target, target.read_text(encoding="utf-8")


def expected_charts(ids: tuple[str, ...], states: tuple[str, ...] = ()) -> int:
    """The figures of a report: the comparison's charts, then the amendment's."""
    cols = [scenario_column(load(i), states=states) for i in ids]
    plans = [analyse(i, seed=c.seed) for i, c in zip(ids, cols, strict=True)]
    return len(charts(cols, population_table() if states else None)) + len(amendment_charts(plans))


def test_report_has_every_chart_table_name_and_source(tmp_path: Path) -> None:
    _, text = report(tmp_path, *FOUR, "--state", "IND", "--state", "BRA")
    page = Page(text)
    assert page.stack == []  # every element closed
    assert page.count("title", parent="head") == 1
    assert page.count("h1") == 1 and page.count("h2") >= 4
    n = expected_charts(FOUR, ("IND", "BRA"))
    assert n == 12  # states' ratios to the base, equity ratios, and the amendment's two charts
    assert page.count("svg") == n == page.count("figure") == page.count("figcaption")
    assert page.count("title", parent="svg") == n
    assert {
        "table-council",
        "table-outcomes",
        "table-seat",
        "table-region",
        "table-state",
        "table-named-states",
        "figure-states-ratio",
        "figure-equity-states",
        "figure-equity-regions",
    } <= page.ids()
    assert page.count("caption", parent="table") == page.count("table") >= 6
    words = page.all_text
    for ident in FOUR:
        scenario = load(ident)
        assert " ".join(scenario.name.split()) in words
        for source in (*scenario.sources, *scenario.confidence):
            assert " ".join(source.split()) in words
    assert "Assumptions behind the numbers" in words
    assert "impartial vote model (p = 0.5, abstain = 0, absent = 0)" in words
    assert "India (IND)" in words and "Δ ufc-2005" in words


def test_report_is_self_contained(tmp_path: Path) -> None:
    _, text = report(tmp_path, "current", "g4-2005")
    page = Page(text)
    assert page.count("script") == page.count("link") == page.count("img") == 0
    for _, attrs, _ in page.tags:
        for name in ("src", "href", "xlink:href"):
            value = attrs.get(name)
            assert value is None or value.startswith("#"), value
    assert "http://" not in text and "https://" not in text and "url(" not in text
    assert expected_charts(("current", "g4-2005")) == page.count("svg") == 7


def test_report_states_the_monte_carlo_assumptions(tmp_path: Path) -> None:
    args = ("--model", "blocs", "--param", 'blocs={west=["USA","GBR","FRA"]}', "--draws", "4000")
    _, text = report(tmp_path, "current", "ufc-2005", *args, "--seed", "5")
    words = Page(text).all_text
    assert "blocs vote model" in words and "Monte Carlo, 4000 drafts, seed 5" in words
    assert text.count('<path d="M') >= 2 * 3  # error bars: 2 scenarios × 3 outcomes


TRICKY = """
id = "tricky"
extends = "current"
name = "Plan <b>bold</b> & \\"quoted\\""
description = "A <script>alert(1)</script> plan"
sources = ["Doc <i>A/1</i> & co"]
"""


def test_report_escapes_all_text(tmp_path: Path) -> None:
    plan = tmp_path / "tricky.toml"
    plan.write_text(TRICKY, encoding="utf-8")
    _, text = report(tmp_path, "current", str(plan))
    page = Page(text)
    assert page.count("script") == page.count("b") == page.count("i") == 0
    words = page.all_text
    assert 'Plan <b>bold</b> & "quoted"' in words
    assert "A <script>alert(1)</script> plan" in words and "Doc <i>A/1</i> & co" in words


def _browser() -> str | None:
    return (
        shutil.which("chromium")
        or shutil.which("chromium-browser")
        or shutil.which("google-chrome")
    )


def _png_pixels(data: bytes) -> bytes:
    """The decompressed image data of a PNG (filter bytes included)."""
    pos, chunks = 8, []
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        if kind == b"IDAT":
            chunks.append(data[pos + 8 : pos + 8 + length])
        pos += 12 + length
    return zlib.decompress(b"".join(chunks))


def test_report_renders_in_headless_chromium(tmp_path: Path) -> None:
    browser = _browser()
    if browser is None:
        pytest.skip("no chromium or google-chrome on PATH")
    target, _ = report(tmp_path, *FOUR, "--state", "IND")
    common = [
        browser,
        "--headless",
        "--disable-gpu",
        "--no-sandbox",
        f"--user-data-dir={tmp_path / 'profile'}",
    ]
    dom = subprocess.run(
        [*common, "--dump-dom", target.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    page = Page(dom)
    assert page.count("svg") == expected_charts(FOUR, ("IND",)) and page.count("table") >= 6
    assert "Security Council today" in page.all_text
    shot = tmp_path / "shot.png"
    subprocess.run(
        [*common, f"--screenshot={shot}", "--window-size=1200,2400", target.as_uri()],
        capture_output=True,
        timeout=120,
        check=True,
    )
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (1200, 2400)
    assert len(set(_png_pixels(data))) > 32  # text, bars and palette colours, not a blank page


def test_report_says_whether_each_plan_could_pass(tmp_path: Path) -> None:
    _, text = report(tmp_path, "current", "g4-2005", "african-union-2005")
    page = Page(text)
    assert page.stack == []
    assert 'id="amendment"' in text and 'id="table-amendment"' in text
    assert 'id="figure-amendment-support"' in text and 'id="figure-amendment-pivotal"' in text
    # the table's figures are the library's (current needs no amendment and has no row)
    au = analyse("african-union-2005", seed=1)
    assert au.binding == "ratification"
    row = text.split('<th scope="row">african-union-2005</th>', 1)[1].split("</tr>", 1)[0]
    table = text.split('id="table-amendment"', 1)[1].split("</table>", 1)[0]
    assert "ratification" in row and ">current<" not in table
    # without plans that need an amendment, no section
    _, alone = report(tmp_path, "current")
    assert 'id="amendment"' not in alone
