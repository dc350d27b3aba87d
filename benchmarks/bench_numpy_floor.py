"""How near the draw can numpy count the one-bit drafts of a council? (a script, not a test)

Issue 16 asks the numpy path to simulate within 2.5 times the cost of drawing the random
words, for every council up to 64 members at p = 1/2. Councils of 17 to 64 members with two
kinds of seat meet it (``bench_simulation.py``); today's Council (15 members) runs at about
3. This script asks whether numpy can do better at all, by timing pipelines written straight
out in numpy, free of councilsim's per-call overhead, on the same blocks of 65 536 drafts and
the same raw words (each block from its own generator, as the simulator draws them):

* ``draw``: each block's generator and its raw words, the denominator of every ratio;
* ``draw + add pairs``: the draw, then ``numpy.add.at`` of one block's pair indices
  (computed once, so the codes cost nothing): a floor for any method that adds two drafts
  at a time to a histogram;
* ``draw + add triples``: the same with three drafts at a time (``codes³`` bins);
* ``straight pairs``: the draw, the codes as councilsim forms them (the byte popcounts of
  the masked word, one product that weighs each byte by its group's stride, and the
  corrections of the lowest byte's other groups: :func:`councilsim.simulation.fast.
  byte_multiplier`), each pair's two code bytes as one native index, ``numpy.add.at``;
* ``straight triples``: the same codes, the index ``c0 + C·c1 + C²·c2`` of the block's
  thirds, ``numpy.add.at`` (the block's last draft alone);
* ``councilsim``: :func:`councilsim.simulation.simulate` with numpy (``jit=False``).

Each runs ``--repeat`` times, alternating, and the best of each counts. The straight
pipelines' histograms of codes are checked equal to councilsim's for the same seed, so they
count the same drafts. They are built for councils whose drafts are 16-bit words coded by one
product (today's Council, ``pre-1965``). Any other council counted by codes of its bits
(``N`` or ``N:W1:W2...`` as in ``bench_simulation.py``, up to 64 members) gets three lines:
``draw``, ``draw + add codes`` (one given code a draft added to the histogram as councilsim
adds them, the block's own codes computed once: what any count of one draft at a time must at
least do, since pairs of codes would need the square of the codes as bins) and
``councilsim``.

Run from the repository root::

    python benchmarks/bench_numpy_floor.py                   # today's Council, 10**7 drafts
    python benchmarks/bench_numpy_floor.py pre-1965 --draws 100000000
    python benchmarks/bench_numpy_floor.py 48:1:2:3:4:5 --draws 1e8 --repeat 3

Measured on the development machine (2 shared cores, 10**8 drafts, best of 5, load average
0.2-0.3; ``docs/simulation.md``), time / draw: today's Council, adding pairs of given codes
1.90-1.96, triples 1.74-1.76, straight pairs 2.86-2.90, straight triples 3.55, councilsim
3.02-3.11; ``pre-1965``: 1.90-1.93, 1.64-1.67, 2.52-2.57, 2.70 and 2.68-2.74. Other
councils (10**8 drafts, best of 3, load average 0.5-0.7), draw + add codes, then councilsim:
``20:1:2`` (432 codes) 1.80 and 3.31; ``32:1:2:3:4:5:6`` (162 000 codes) 2.15 and 4.36;
``48:1:2:3:4:5`` (486 000) 1.63 and 4.17; ``35:1:2:3:4:5:6:7`` (675 000) 1.72 and 5.39;
``64:1:2`` 1.39 and 2.28. Within 2.5 times the draw, the codes of a draft of 17 to 64 members
in six groups or more would have to be formed from its two to four 16-bit fields in
0.35-0.87 of the draw (30 µs a block for ``32:1:2:3:4:5:6``, 139 for ``48:1:2:3:4:5``),
less than the fields' table lookups alone take (``numpy.take``, measured apart: 121 and 180 µs
a block).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Mapping

import numpy as np
from bench_simulation import council_of
from numpy.typing import NDArray

from councilsim.council import Council
from councilsim.models import ImpartialModel
from councilsim.simulation import BLOCK, make_plan, simulate
from councilsim.simulation.engine import add_blocks, block_generator
from councilsim.simulation.fast import CountsPlan, add_codes, byte_multiplier

N = BLOCK
RAW = N // 4  # 64-bit raw words per block of 16-bit drafts


class Pipeline:
    """Straight numpy counts of the drafts of a 16-bit plan coded by one product."""

    def __init__(self, plan: CountsPlan) -> None:
        pc = plan.popcounts
        sums = None if pc is None else byte_multiplier(pc.terms, pc.codes, 2)
        if pc is None or plan.word is not np.uint16 or sums is None:
            raise ValueError("not 16-bit words coded by one product of byte popcounts")
        self.codes = pc.codes
        self.union = np.uint16(pc.union)
        multiplier, corrections = sums
        self.multiplier = np.uint16(multiplier)
        self.corrections = tuple((np.uint8(m), np.uint8(f)) for m, f in corrections)
        self.low = np.empty(N, np.uint8)
        self.fix = np.empty(N, np.uint8)
        self.out = np.empty(N, np.uint8)
        self.pair = np.empty(N // 2, np.intp)
        self.third = N // 3
        self.triple = np.empty(self.third, np.intp)
        self.low16 = np.empty(self.third, np.uint16)
        self.high32 = np.empty(self.third, np.uint32)
        c = self.codes
        self.pairs = np.zeros(1 << 16, np.int64)
        self.triples = np.zeros(c**3, np.int64)
        self.singles = np.zeros(c, np.int64)

    def words(self, seed: int, k: int) -> NDArray[np.uint16]:
        raw = block_generator(seed, k).bit_generator.random_raw(RAW)
        return np.asarray(raw, dtype=np.uint64).view(np.uint16)

    def code(self, words: NDArray[np.uint16]) -> NDArray[np.uint8]:
        """The block's codes in ``out`` (``words`` is overwritten)."""
        low, out, fix = self.low, self.out, self.fix
        if self.corrections:
            np.copyto(low, words, casting="unsafe")
        np.bitwise_and(words, self.union, out=words)
        counts = words.view(np.uint8)
        np.bitwise_count(counts, out=counts)
        np.multiply(words, self.multiplier, out=words)
        np.right_shift(words, np.uint16(8), out=out, casting="unsafe")
        for part, factor in self.corrections:
            np.bitwise_and(low, part, out=fix)
            np.bitwise_count(fix, out=fix)
            if factor != 1:
                np.multiply(fix, factor, out=fix)
            np.add(out, fix, out=out)
        return out

    def add_pairs(self, out: NDArray[np.uint8]) -> None:
        np.copyto(self.pair, out.view(np.uint16))
        np.add.at(self.pairs, self.pair, 1)

    def triple_index(self, out: NDArray[np.uint8]) -> NDArray[np.intp]:
        """``c0 + C·c1 + C²·c2`` of the block's thirds, in 16- and 32-bit steps (the
        fastest of the orders tried: about 17 µs a block, against 29 µs in native ints)."""
        k, c = self.third, self.codes
        np.multiply(out[k : 2 * k], np.uint16(c), out=self.low16)
        np.add(self.low16, out[:k], out=self.low16)
        np.copyto(self.high32, out[2 * k : 3 * k])
        np.multiply(self.high32, np.uint32(c * c), out=self.high32)
        np.add(self.high32, self.low16, out=self.high32)
        np.copyto(self.triple, self.high32)
        return self.triple

    def add_triples(self, out: NDArray[np.uint8]) -> None:
        np.add.at(self.triples, self.triple_index(out), 1)
        for code in out[3 * self.third :]:
            self.singles[code] += 1

    def histogram(self, triples: bool) -> NDArray[np.int64]:
        """The histogram of codes counted so far by the pair or the triple pipeline."""
        c = self.codes
        if triples:
            cube = self.triples.reshape(c, c, c)
            out: NDArray[np.int64] = self.singles.copy()
            for axes in ((1, 2), (0, 2), (0, 1)):
                out += cube.sum(axis=axes)
            return out
        grid = self.pairs.reshape(256, 256)[:c, :c]
        both: NDArray[np.int64] = grid.sum(axis=0) + grid.sum(axis=1)
        return both

    def reset(self) -> None:
        for acc in (self.pairs, self.triples, self.singles):
            acc[:] = 0


def best_alternating(runs: Mapping[str, Callable[[], object]], repeat: int) -> dict[str, float]:
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(repeat):
        for name, func in runs.items():
            start = time.perf_counter()
            func()
            best[name] = min(best[name], time.perf_counter() - start)
    return best


def report(title: str, best: Mapping[str, float], blocks: int) -> None:
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(title + "\n")
    print("| pipeline | µs per block | time ÷ draw |")
    print("|---|---|---|")
    for name, seconds in best.items():
        per_block = seconds / blocks * 1e6
        print(f"| {name} | {per_block:.1f} | {seconds / best['draw']:.2f} |")


def one_code_floor(name: str, council: Council, plan: CountsPlan, blocks: int, repeat: int) -> None:
    """For a council whose drafts are not 16-bit words of one product: the draw, the draw
    with one given code per draft added to the histogram (the block's own codes, computed
    once: what any method that counts drafts one at a time must at least do), and
    councilsim."""
    model, seed = ImpartialModel(), 1
    given = plan.codes_of_bits(plan.words(block_generator(seed, 0), N))
    acc = plan.start()

    def draw() -> None:
        for k in range(blocks):
            plan.words(block_generator(seed, k), N)

    def draw_add_codes() -> None:
        for k in range(blocks):
            plan.words(block_generator(seed, k), N)
            add_codes(acc, given)

    def councilsim() -> None:
        simulate(council, model, draws=blocks * N, seed=seed, jit=False)

    simulate(council, model, draws=N, seed=0, jit=False)  # warm up
    runs = {"draw": draw, "draw + add codes (codes free)": draw_add_codes}
    best = best_alternating({**runs, "councilsim (numpy)": councilsim}, repeat)
    title = (
        f"{name}: {council.size} members, {plan.codes} codes, {blocks * N:.3g} drafts of "
        f"{np.dtype(plan.word).itemsize * 8} bits in {blocks} blocks"
    )
    report(title, best, blocks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "scenario",
        nargs="?",
        default="current",
        help="a shipped scenario id, N (N members, five of them veto holders) or N:W1:W2... "
        "(the elected seats in classes of those weights), as in bench_simulation.py",
    )
    parser.add_argument("--draws", type=float, default=1e7, help="drafts (whole blocks)")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each; the best counts")
    args = parser.parse_args()
    council = council_of(args.scenario)
    model = ImpartialModel()
    plan = make_plan(council, model, jit=False)
    if not isinstance(plan, CountsPlan) or plan.bits is None:
        sys.exit("bench_numpy_floor.py: this council's drafts are not counted by codes of bits")
    blocks = max(1, int(args.draws) // N)
    draws, seed = blocks * N, 1
    try:
        pipe = Pipeline(plan)
    except ValueError:
        one_code_floor(args.scenario, council, plan, blocks, args.repeat)
        return

    # the councilsim histogram of codes of the same blocks, and the straight ones
    acc = plan.start()
    add_blocks(plan, seed, 0, blocks, draws, acc)
    expected = plan.code_histogram(acc)
    for k in range(blocks):
        out = pipe.code(pipe.words(seed, k))
        pipe.add_pairs(out)
        pipe.add_triples(out)
    for triples in (False, True):
        if not np.array_equal(pipe.histogram(triples), expected):
            sys.exit("bench_numpy_floor.py: a straight pipeline counted other codes")
    out = pipe.code(pipe.words(seed, 0)).copy()
    pair_index = out.view(np.uint16).astype(np.intp)
    triple_index = pipe.triple_index(out).copy()

    def draw() -> None:
        for k in range(blocks):
            pipe.words(seed, k)

    def draw_add_pairs() -> None:
        for k in range(blocks):
            pipe.words(seed, k)
            np.add.at(pipe.pairs, pair_index, 1)

    def draw_add_triples() -> None:
        for k in range(blocks):
            pipe.words(seed, k)
            np.add.at(pipe.triples, triple_index, 1)

    def straight_pairs() -> None:
        for k in range(blocks):
            pipe.add_pairs(pipe.code(pipe.words(seed, k)))

    def straight_triples() -> None:
        for k in range(blocks):
            pipe.add_triples(pipe.code(pipe.words(seed, k)))

    def councilsim() -> None:
        simulate(council, model, draws=draws, seed=seed, jit=False)

    simulate(council, model, draws=N, seed=0, jit=False)  # warm up
    runs = {
        "draw": draw,
        "draw + add pairs (codes free)": draw_add_pairs,
        "draw + add triples (codes free)": draw_add_triples,
        "straight pairs": straight_pairs,
        "straight triples": straight_triples,
        "councilsim (numpy)": councilsim,
    }
    best = best_alternating(runs, args.repeat)
    title = (
        f"{args.scenario}: {council.size} members, {pipe.codes} codes, {draws:.3g} drafts "
        f"in {blocks} blocks; the straight pipelines' histograms equal councilsim's"
    )
    report(title, best, blocks)


if __name__ == "__main__":
    main()
