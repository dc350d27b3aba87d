"""One bound per concept: a seed or a number of draws is refused at the same value wherever it
is given (a scenario's [simulation] table, a sweep's [measures], the Python API)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from councilsim import ScenarioError, limits
from councilsim.models import ImpartialModel
from councilsim.scenario import load, load_text
from councilsim.simulation import simulate
from councilsim.sweep import config_seed, parse_sweep

SCENARIO = """
[rule]
quota = 2
[seats.e]
kind = "elected"
count = 3
[simulation]
{key} = {value}
"""


def scenario_value(key: str, value: int) -> int:
    spec = load_text(SCENARIO.format(key=key, value=value)).simulation
    assert spec is not None
    return int(getattr(spec, key))


def sweep_value(key: str, value: int) -> int:
    spec = parse_sweep(vary=["quota=9"], measures={key: value})
    return int(getattr(spec.options, key))


@pytest.mark.parametrize("read", [scenario_value, sweep_value])
@pytest.mark.parametrize(("key", "top"), [("seed", limits.MAX_SEED), ("draws", limits.MAX_DRAWS)])
def test_scenarios_and_sweeps_share_their_bounds(
    read: Callable[[str, int], int], key: str, top: int
) -> None:
    assert read(key, top) == top
    with pytest.raises(ScenarioError, match="out of range"):
        read(key, top + 1)


def test_the_api_refuses_what_files_refuse() -> None:
    council = load("current").council
    with pytest.raises(ScenarioError, match=r"simulation\.seed"):
        simulate(council, ImpartialModel(), draws=1, seed=limits.MAX_SEED + 1)
    with pytest.raises(ScenarioError, match=r"simulation\.draws"):
        simulate(council, ImpartialModel(), draws=limits.MAX_DRAWS + 1)


def test_derived_seeds_are_valid_root_seeds() -> None:
    seeds = [config_seed(limits.MAX_SEED, i) for i in range(50)]
    assert all(0 <= s <= limits.MAX_SEED for s in seeds)
    assert max(seeds) > 2**120  # 128-bit, not 64-bit
