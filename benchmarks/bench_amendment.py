"""Time the amendment analysis of every shipped scenario and the a-priori amendment game.

Run ``python benchmarks/bench_amendment.py`` (``--repeat N`` for the best of N runs,
``--draws N`` for the Monte Carlo draws, default the command's). Cases: the exact a-priori
counts of the amendment game over the 193 member states (the GA stage, ratification and both),
and ``analyse`` (what ``councilsim amend SCENARIO`` computes: support, seeded draws, passage,
effects and the greedy list of states to win over) for every shipped scenario. The target is
under two seconds per scenario and well under one second for the a-priori game. Not a test:
nothing is asserted.
"""

from __future__ import annotations

import argparse
from functools import partial

from _timing import best_of

from councilsim.amendment import analyse, apriori
from councilsim.amendment.model import DEFAULT_AMEND_DRAWS
from councilsim.scenario import shipped_ids


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs (default 3)")
    parser.add_argument("--draws", type=int, default=DEFAULT_AMEND_DRAWS, help="draws per plan")
    args = parser.parse_args()
    seconds = best_of(args.repeat, apriori)
    print(f"{'a-priori amendment game (193 states)':<40} {seconds:>8.4f} s")
    print(f"{'analyse, ' + str(args.draws) + ' draws':<40} {'seconds':>8} {'states won':>11}")
    for sid in shipped_ids():
        seconds = best_of(args.repeat, partial(analyse, sid, draws=args.draws))
        won = len(analyse(sid, draws=args.draws).win_over["states"])
        print(f"{sid:<40} {seconds:>8.3f} {won:>11}")


if __name__ == "__main__":
    main()
