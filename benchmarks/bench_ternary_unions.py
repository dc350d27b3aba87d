"""Time the ternary indices of every shipped scenario and the values with a-priori unions.

Run ``python benchmarks/bench_ternary_unions.py`` (``--repeat N`` for the best of N runs).
Cases: ternary Shapley-Shubik and Banzhaf (one call computes both) of every shipped scenario
under the practice and the literal reading, exact; Owen, Banzhaf-Owen and symmetric coalitional
Banzhaf values (one call) of the 26-seat councils with an A3-like bloc of three elected members,
with the A3 and the P3, and with a bloc of 15 members. The target is under one second each. Not
a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
from functools import partial

from _timing import best_of

from councilsim.power.ternary import ternary_power
from councilsim.power.unions import parse_unions, union_values
from councilsim.scenario import load, shipped_ids

BLOC_15 = ",".join(["new-permanent", *(f"elected-{k}" for k in range(1, 10))])
UNION_CASES = [
    ("african-union-2005", "A3", "elected-1,elected-2,elected-3"),
    ("african-union-2005", "A3 | P3", "elected-1,elected-2,elected-3|FRA,GBR,USA"),
    ("african-union-2005", "bloc of 15", BLOC_15),
    ("ufc-2024", "A3", "elected-1,elected-2,elected-3"),
    ("ufc-2024", "bloc of 15", ",".join(["long-term", *(f"elected-{k}" for k in range(1, 7))])),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs (default 3)")
    args = parser.parse_args()
    print(f"{'ternary SS + Banzhaf, exact':<40} {'seats':>5} {'practice':>10} {'literal':>10}")
    for sid in shipped_ids():
        council = load(sid).council
        cells = [
            best_of(args.repeat, partial(ternary_power, council, abstention=reading, exact=True))
            for reading in ("practice", "literal")
        ]
        print(f"{sid:<40} {council.size:>5} {cells[0]:>9.3f}s {cells[1]:>9.3f}s")
    print()
    print(f"{'Owen + Banzhaf-Owen, exact':<40} {'seats':>5} {'unions':>10} {'time':>10}")
    for sid, label, text in UNION_CASES:
        council = load(sid).council
        unions = parse_unions(text, council)
        elapsed = best_of(args.repeat, partial(union_values, council, unions, exact=True))
        name = f"{sid}, {label}"
        print(f"{name:<40} {council.size:>5} {len(unions.groups):>10} {elapsed:>9.3f}s")


if __name__ == "__main__":
    main()
