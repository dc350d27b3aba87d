"""Choosing the compiled counting loop: ``simulate --jit/--no-jit`` and ``simulate(jit=...)``."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from councilsim.cli import main
from councilsim.council import Council, Rule, SeatClass, SeatKind
from councilsim.errors import ScenarioError
from councilsim.models import ImpartialModel
from councilsim.simulation import BLOCK, compiled, simulate
from councilsim.simulation.fast import CountsPlan

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


def council_of(sizes: tuple[int, ...], weights: tuple[int, ...]) -> Council:
    """Five veto holders, then elected classes of the given sizes and weights."""
    classes = [SeatClass("permanent", SeatKind.PERMANENT, True, (None,) * 5)]
    for k, (size, weight) in enumerate(zip(sizes, weights, strict=True)):
        classes.append(SeatClass(f"e{k}", SeatKind.ELECTED, False, (None,) * size, weight=weight))
    total = 5 + sum(s * w for s, w in zip(sizes, weights, strict=True))
    quota = 3 * total // 5
    return Council(classes=tuple(classes), rule=Rule(quota=quota, procedural_quota=quota))


@needs_numba
@pytest.mark.parametrize(
    ("sizes", "weights"),
    [
        ((28,), (1,)),
        ((20, 23), (1, 2)),
        ((12, 10, 8), (1, 2, 3)),
        ((10, 10, 10, 10), (1, 2, 3, 4)),  # five groups, 87 846 codes in 2**19 bins
        ((20, 20, 19), (1, 2, 3)),  # 52 920 codes in 2**18 bins
    ],
)
def test_compiled_popcounts_beyond_32_members_give_the_same_numbers(
    sizes: tuple[int, ...], weights: tuple[int, ...]
) -> None:
    council = council_of(sizes, weights)
    plan = CountsPlan.build(council, ImpartialModel().probabilities(council), jit=True)
    assert plan is not None and plan.counter is not None and plan.counter.width == 64
    model = ImpartialModel()
    plain = simulate(council, model, draws=2 * BLOCK + 3, seed=6, jit=False)
    fast = simulate(council, model, draws=2 * BLOCK + 3, seed=6, jit=True)
    assert plain.to_dict() == fast.to_dict()


@needs_numba
@pytest.mark.parametrize("vector", [False, True])
def test_more_than_five_groups_beyond_32_members_are_compiled_by_codes(
    vector: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """By each group's popcount times its share (strided64) with a vector popcount, else by
    tables of 16-bit fields (tables64): either kernel runs on any processor, so both are
    tested here whatever this one has."""
    monkeypatch.setattr(compiled, "vector_popcount", lambda: vector)
    council = council_of((8, 8, 8, 8, 8), (1, 2, 3, 4, 5))
    plan = CountsPlan.build(council, ImpartialModel().probabilities(council), jit=True)
    assert plan is not None and plan.counter is not None  # six groups: too many to bin
    assert not plan.counter.binned and plan.counter.strided == vector
    assert vector or plan.counter.tables.shape == (3, 1 << 16)
    assert len(plan.units) == 6 and council.size == 45
    model = ImpartialModel()
    plain = simulate(council, model, draws=2 * BLOCK + 3, seed=6, jit=False)
    fast = simulate(council, model, draws=2 * BLOCK + 3, seed=6, jit=True)
    assert plain.to_dict() == fast.to_dict()
