"""Choosing the compiled counting loop: ``simulate --jit/--no-jit`` and ``simulate(jit=...)``."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from councilsim.cli import main
from councilsim.errors import ScenarioError
from councilsim.simulation import compiled

needs_numba = pytest.mark.skipif(not compiled.available(), reason="numba is not installed")


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["simulate", *args])
    return result.exit_code, result.output


@needs_numba
@pytest.mark.parametrize("scenario", ["current", "g4-2005"])
def test_jit_and_no_jit_print_the_same_numbers(scenario: str) -> None:
    common = ["--draws", "200000", "--seed", "4", "--format", "json", "-q"]
    code_jit, out_jit = run(scenario, "--jit", *common)
    code_plain, out_plain = run(scenario, "--no-jit", *common)
    assert code_jit == code_plain == 0
    assert json.loads(out_jit) == json.loads(out_plain)


def test_jit_without_numba_is_one_line_naming_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(compiled, "available", lambda: False)
    code, out = run("current", "--jit", "--draws", "1000")
    assert code == 2
    lines = out.strip().splitlines()
    assert len(lines) == 1 and "--jit" in lines[0] and "councilsim[fast]" in lines[0]
    assert "Traceback" not in out
    code, _ = run("current", "--no-jit", "--draws", "1000", "-q")
    assert code == 0  # --no-jit never needs numba


def test_library_jit_without_numba_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(compiled, "available", lambda: False)
    with pytest.raises(ScenarioError, match=r"councilsim\[fast\]"):
        compiled.wanted(True, 10)
    assert compiled.wanted(None, 10**12) is False
