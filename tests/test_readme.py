"""The README's examples: the Python block gives the values its comments state, and every
command of the tour runs."""

from __future__ import annotations

import ast
import importlib.util
import re
import shlex
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner

from councilsim.cli import main

README = Path(__file__).resolve().parents[1] / "README.md"
TEXT = README.read_text(encoding="utf-8")


def python_block() -> str:
    blocks = re.findall(r"```python\n(.*?)```", TEXT, re.S)
    assert len(blocks) == 1
    return str(blocks[0])


def tour_lines() -> list[tuple[str, str]]:
    """(command, its comment) for each command of the tour."""
    tour = TEXT.split("## A short tour", 1)[1].split("```bash\n", 1)[1].split("```", 1)[0]
    out = []
    for line in tour.splitlines():
        code, _, comment = line.partition("  #")
        if code.strip().startswith("councilsim "):
            out.append((code.strip(), comment.strip()))
    return out


def tour_commands() -> list[str]:
    return [code for code, _ in tour_lines()]


NUMBER = re.compile(r"(?<![\w.])(\d+/\d+|\d+\.\d+|\d+)(?![\w/])")


def figures(text: str) -> list[Fraction]:
    """The numbers written in ``text``: integers, decimals and fractions p/q."""
    return [Fraction(n) for n in NUMBER.findall(text)]


def shown(value: Fraction, output: str) -> bool:
    """Whether ``output`` prints ``value``: exactly, or as a decimal rounded from it."""
    for text in NUMBER.findall(output):
        digits = len(text.split(".")[1]) if "." in text else 0
        if abs(Fraction(text) - value) <= Fraction(1, 2 * 10**digits):
            return True
    return False


def test_python_example_values() -> None:
    """Run the block line by line; where a comment is a Python value, the line must equal it."""
    namespace: dict[str, object] = {"Fraction": Fraction}
    checked = 0
    for line in python_block().splitlines():
        code, _, comment = line.partition("  #")
        code, comment = code.strip(), comment.strip()
        if not code:
            continue
        if "jit=True" in code and importlib.util.find_spec("numba") is None:
            continue  # the compiled loop needs the fast extra
        try:
            claimed = eval(comment, {"Fraction": Fraction})
        except Exception:
            claimed = None
        if claimed is None or isinstance(ast.parse(code).body[0], ast.Assign | ast.ImportFrom):
            exec(code, namespace)
        else:
            assert eval(code, namespace) == claimed, line
            checked += 1
    assert checked >= 4


def test_tour_has_commands() -> None:
    names = {shlex.split(c)[1] for c in tour_commands()}
    assert {"run", "power", "simulate", "elect", "check", "compare", "sweep"} <= names


@pytest.mark.parametrize("command", tour_commands())
def test_tour_command_runs(command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    args = shlex.split(command)[1:]
    if args[0] == "validate":
        pytest.skip("validates the reader's own file")
    if "--plot" in args and importlib.util.find_spec("matplotlib") is None:
        pytest.skip("matplotlib is not installed")
    if "--jit" in args and importlib.util.find_spec("numba") is None:
        pytest.skip("numba (the fast extra) is not installed")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, f"{command}: {result.output}"
    if "-o" in args or "--output" in args:
        target = args[(args.index("-o") if "-o" in args else args.index("--output")) + 1]
        output = (tmp_path / target).read_text(encoding="utf-8")
    else:
        output = result.stdout
    comment = dict(tour_lines())[command]
    for value in figures(comment):
        assert shown(value, output), f"{command}: prints no {value} ({comment})"
    word = comment.split(":", 1)[0]
    if word in {"adopted", "vetoed", "failed"}:
        assert output.startswith(word + ":"), output


def test_figures_are_found_as_printed() -> None:
    assert figures("adopted 53/2048 at p = 1/2, 14 yes votes") == [
        Fraction(53, 2048),
        Fraction(1, 2),
        Fraction(14),
    ]
    assert shown(Fraction(53, 2048), "adopted   0.025879")
    assert shown(Fraction(53, 2048), "0.02588 (53/2048)")
    assert not shown(Fraction(53, 2048), "adopted   0.0258")
    assert not shown(Fraction(1, 2), "p=0.25")
