"""Time the exact power engine, and the PyPI package ``powerindex`` where it is installed.

Run ``python benchmarks/bench_power.py`` (``--help`` for options). Cases: today's Security
Council, a 25-seat reform (5 permanent with veto, 6 permanent without, 14 elected, quota 14)
and weighted games of 50 to 500 members with random integer weights 1-100 (fixed seed) and
quota half the total weight plus one. ``powerindex`` has no vetoes, so councils are given to it
as the equivalent weighted game; it runs in a subprocess with a timeout so that a crash or a
long run is reported instead of stopping the benchmark. A second table times every index of
every shipped scenario (the test suite checks only that these are counted class by class over
few count vectors; the target is 10 ms each). Not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from councilsim.games import WeightedGame, game_from_council, parse_game
from councilsim.power import feasible_indices, power
from councilsim.power.classes import vector_count
from councilsim.power.counts import types_of
from councilsim.scenario import load, shipped_ids

SEED = 2026
SIZES = (50, 100, 193, 200, 500)

_POWERINDEX = """
import json, sys, time
import powerindex
weights, quota, what = json.loads(sys.argv[1])
game = powerindex.Game(quota=quota, weights=weights)
start = time.perf_counter()
getattr(game, "calc_banzhaf" if what == "banzhaf" else "calc_shapley_shubik")()
elapsed = time.perf_counter() - start
values = game.banzhaf if what == "banzhaf" else game.shapley_shubik
print(json.dumps([elapsed, [float(v) for v in values]]))
"""


def cases() -> list[tuple[str, WeightedGame, WeightedGame]]:
    """(label, game for councilsim, equivalent game without vetoes for powerindex)."""
    out = [
        ("UNSC today (15)", parse_game("9; 1v*5, 1*10"), parse_game("39; 7*5, 1*10")),
        ("reform 5v+6p+14e (25)", parse_game("14; 1v*5, 1*20"), _without_veto(5, 20, 14)),
    ]
    rng = np.random.default_rng(SEED)
    for n in SIZES:
        weights = tuple(int(w) for w in rng.integers(1, 101, size=n))
        game = WeightedGame(weights, sum(weights) // 2 + 1)
        out.append((f"random 1-100 ({n})", game, game))
    return out


def _without_veto(vetoes: int, others: int, quota: int) -> WeightedGame:
    """All ``vetoes`` one-seat veto holders plus ``quota - vetoes`` others, as weights."""
    big = others + 1
    return WeightedGame((big,) * vetoes + (1,) * others, vetoes * big + quota - vetoes)


def timed(func: Callable[[], Any], budget: float = 0.5) -> tuple[float, Any]:
    """Best time of repeated calls within about ``budget`` seconds, and the last result."""
    best, spent, result = float("inf"), 0.0, None
    while spent < budget or best == float("inf"):
        start = time.perf_counter()
        result = func()
        elapsed = time.perf_counter() - start
        best, spent = min(best, elapsed), spent + elapsed
        if elapsed > budget:
            break
    return best, result


def run_powerindex(game: WeightedGame, what: str, timeout: float) -> tuple[str, list[float] | None]:
    """Time ``powerindex`` in a subprocess: seconds as text, or why there is no time."""
    arg = json.dumps([list(game.weights), game.quota, what])
    try:
        done = subprocess.run(
            [sys.executable, "-c", _POWERINDEX, arg],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return f">{timeout:g}", None
    if done.returncode != 0:
        missing = "No module named 'powerindex'" in done.stderr
        return ("absent" if missing else "crash"), None
    elapsed, values = json.loads(done.stdout)
    return f"{elapsed:.4f}", values


def measure(
    label: str, game: WeightedGame, plain: WeightedGame, args: argparse.Namespace
) -> list[str]:
    row = [label]
    for index, key in (("banzhaf", "banzhaf"), ("shapley_shubik", "shapley")):
        if index == "shapley_shubik" and game.size > args.max_ss:
            row += ["skipped", "-", "-", "-"]
            continue
        ours, result = timed(lambda index=index: power(game, indices=[index]))
        theirs, values = run_powerindex(plain, key, args.timeout)
        row += [f"{ours:.4f}", theirs, _ratio(theirs, ours), _agree(result.values[index], values)]
    wanted = feasible_indices(game)
    everything, _ = timed(lambda: power(game, indices=wanted))
    row += [f"{everything:.4f}", str(len(wanted))]
    return row


def _ratio(theirs: str, ours: float) -> str:
    try:
        return f"{float(theirs) / ours:.1f}x"
    except ValueError:
        return "-"


def _agree(ours: tuple[Any, ...], theirs: list[float] | None) -> str:
    if theirs is None:
        return "-"
    return f"{max(abs(float(a) - b) for a, b in zip(ours, theirs, strict=True)):.0e}"


def shipped_rows() -> list[list[str]]:
    """Every index of every shipped scenario: seats, count vectors and the best time."""
    rows = []
    for ident in shipped_ids():
        council = load(ident).council
        vectors = vector_count(types_of(game_from_council(council)))
        seconds, _ = timed(lambda council=council: power(council), budget=0.2)
        rows.append([ident, str(council.size), str(vectors), f"{seconds * 1000:.2f}"])
    return rows


def print_table(header: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for r in [header, ["-" * w for w in widths], *rows]:
        cells = enumerate(zip(r, widths, strict=True))
        print("  ".join(c.rjust(w) if k else c.ljust(w) for k, (c, w) in cells))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--timeout",
        type=float,
        default=120.0,
        help="seconds allowed to powerindex per run (default 120)",
    )
    parser.add_argument(
        "--max-ss", type=int, default=500, help="largest game for Shapley-Shubik (default 500)"
    )
    args = parser.parse_args()
    header = [
        "case",
        "BZ councilsim s",
        "BZ powerindex s",
        "ratio",
        "max diff",
        "SS councilsim s",
        "SS powerindex s",
        "ratio",
        "max diff",
        "all s",
        "indices",
    ]
    print_table(header, [measure(label, game, plain, args) for label, game, plain in cases()])
    print()
    print_table(["shipped scenario", "seats", "count vectors", "all indices ms"], shipped_rows())


if __name__ == "__main__":
    main()
