"""The Monte Carlo driver: blocks, seeds, chunks and worker processes.

Draws are cut into fixed blocks of :data:`BLOCK` drafts. Block ``k`` draws its random numbers
from its own generator, seeded by the child ``k`` of the root :class:`numpy.random.SeedSequence`
(``SeedSequence(seed, spawn_key=(k,))``, the ``k``-th child ``SeedSequence(seed).spawn``
gives). A block's counts therefore depend only on the seed, the block index and the number of
draws; chunks (``chunk_size``) only group blocks into units of work, and counts are integers
added in any order, so a simulation gives identical numbers however it is chunked and across
any number of worker processes. Memory stays bounded: one block is drawn at a time per
process, in batches.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import closing
from functools import partial
from typing import Any, Protocol

import numpy as np

from councilsim.council import Council
from councilsim.errors import ScenarioError
from councilsim.limits import DEFAULT_SEED, DEFAULT_WORKERS, MAX_DRAWS, MAX_SEED, MAX_WORKERS
from councilsim.models.base import VoteModel
from councilsim.simulation import compiled
from councilsim.simulation.counts import Counts, Layout, finalise
from councilsim.simulation.fast import CountsPlan
from councilsim.simulation.grid import Grid
from councilsim.simulation.result import SimulationResult
from councilsim.simulation.tallies import TalliesPlan
from councilsim.validate import to_int

BLOCK = 1 << 16
"""Drafts per block: the unit of seeding (fixed: changing it changes every result)."""

DEFAULT_CHUNK = 1 << 20
"""Drafts per chunk of work (rounded up to whole blocks)."""

CODES_PER_BLOCK = 512
"""A chunk of a count-based plan spans at least ``codes / CODES_PER_BLOCK`` blocks: finishing a
chunk (:meth:`~councilsim.simulation.fast.CountsPlan.finish`) costs about 40 ns per code (16 ms
at 368 640 codes, 0.8 ms at 21 504), and counting a block 0.05-0.3 ms, so the finish stays
under about a tenth of a chunk's time.
With 368 640 codes and two workers, chunks of 2**20 drafts made a compiled run of 10**8 drafts
three times slower than one worker (0.34 -> 1.13 s); now two workers take 0.64 s for 3 * 10**8
drafts against 1.14 s for one."""


class Plan(Protocol):
    """How a simulation draws and counts: per-member votes or per-group counts."""

    @property
    def grid(self) -> Grid: ...

    @property
    def layout(self) -> Layout: ...

    def start(self) -> Any: ...

    def block(self, rng: np.random.Generator, n: int, acc: Any) -> None: ...

    def finish(self, acc: Any) -> Counts: ...


def make_plan(
    council: Council,
    model: VoteModel,
    *,
    agreement: bool = False,
    fast: bool = True,
    jit: bool = False,
) -> Plan:
    """The fast count-based plan where votes are independent (and no agreement is asked for):
    a histogram of codes, or where the codes are too many, sums by tally state
    (:mod:`councilsim.simulation.tallies`, unless per-member votes are faster); else
    per-member votes. ``jit``: use the compiled counting loop where it applies
    (:mod:`councilsim.simulation.compiled`; needs numba)."""
    if council.total_weight >= 1 << 53:
        raise ScenarioError(
            f"the total weight {council.total_weight} is too large to simulate",
            key="seats",
            fix="use weights whose total is below 2**53",
        )
    if fast and not agreement:
        probs = model.probabilities(council)
        if probs is not None:
            plan = CountsPlan.build(council, probs, jit=jit)
            if plan is not None:
                return plan
            tallies = TalliesPlan.build(council, probs)
            if tallies.useful:
                return tallies.compiled() if jit else tallies
    from councilsim.simulation.votes import VotesPlan  # per-member votes: correlated models

    return VotesPlan.build(council, model.sampler(council), agreement=agreement)


def block_generator(seed: int, index: int) -> np.random.Generator:
    """The generator of block ``index``: PCG64 seeded by the root's child ``index``."""
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(index,))))


def add_blocks(plan: Plan, seed: int, first: int, stop: int, draws: int, acc: Any) -> None:
    """Add blocks ``first .. stop - 1`` of a simulation of ``draws`` drafts to ``acc``."""
    for k in range(first, stop):
        n = min(BLOCK, draws - k * BLOCK)
        plan.block(block_generator(seed, k), n, acc)


def run_blocks(plan: Plan, seed: int, first: int, stop: int, draws: int) -> Counts:
    """The counts of blocks ``first .. stop - 1`` of a simulation of ``draws`` drafts."""
    acc = plan.start()
    add_blocks(plan, seed, first, stop, draws, acc)
    return plan.finish(acc)


def _run_chunk(plan: Plan, seed: int, draws: int, chunk: tuple[int, int]) -> Counts:
    """The counts of one chunk of blocks (run in a worker process)."""
    return run_blocks(plan, seed, chunk[0], chunk[1], draws)


def simulate(
    council: Council,
    model: VoteModel,
    *,
    draws: int,
    seed: int = DEFAULT_SEED,
    chunk_size: int = DEFAULT_CHUNK,
    workers: int = DEFAULT_WORKERS,
    agreement: bool = False,
    fast: bool = True,
    jit: bool | None = None,
    progress: Callable[[int], None] | None = None,
    scheduler: str | None = None,
) -> SimulationResult:
    """Estimate outcome rates and members' figures by Monte Carlo.

    Parameters
    ----------
    council, model
        The council and the vote model.
    draws
        Number of drafts, 1..10**12.
    seed
        Root seed (an integer ≥ 0). Results are identical for a seed and number of draws,
        whatever ``chunk_size`` and ``workers``.
    chunk_size
        Drafts per unit of work (rounded up to whole blocks of 65 536, and for a count-based
        plan to at least ``codes / 512`` blocks: :data:`CODES_PER_BLOCK`).
    workers
        Worker processes (:func:`councilsim.pool.bounded_map`); 1 runs here.
    agreement
        Also count, for each pair of members, the drafts on which they vote the same way.
    fast
        Use the count-based fast path where votes are independent (``False`` draws every
        member's vote; for cross-checks).
    jit
        Count one-bit drafts (every member at p = 1/2) in a compiled loop, which needs numba
        (``pip install "councilsim[fast]"``): ``None`` (the default) does so for runs of at
        least 3 * 10**8 drafts when numba is installed, ``True`` always (an error without numba),
        ``False`` never. The numbers are the same either way; see
        :mod:`councilsim.simulation.compiled`.
    progress
        Called with the number of drafts just finished, after each chunk.
    scheduler
        Run the chunks on a Dask cluster: ``"local"`` (a local cluster of ``workers``
        processes) or a scheduler's address such as ``"tcp://host:8786"``
        (:func:`councilsim.pool.bounded_map`; needs the ``dask`` extra). The numbers are the
        same as on this machine.
    """
    draws = to_int(draws, "simulation.draws", 1, MAX_DRAWS, text=False)
    seed = to_int(seed, "simulation.seed", 0, MAX_SEED, text=False)
    chunk_size = to_int(chunk_size, "chunk_size", 1, MAX_DRAWS, text=False)
    workers = to_int(workers, "workers", 1, MAX_WORKERS, text=False)
    if scheduler is not None:  # the pool is imported only where a run uses it
        from councilsim.pool import check_scheduler

        scheduler = check_scheduler(scheduler)
    plan = make_plan(council, model, agreement=agreement, fast=fast)
    countable = (isinstance(plan, CountsPlan) and plan.bits is not None) or (
        isinstance(plan, TalliesPlan) and plan.compilable
    )
    if compiled.wanted(jit, draws, countable=countable) and isinstance(
        plan, CountsPlan | TalliesPlan
    ):
        plan = plan.compiled()
    blocks = -(-draws // BLOCK)
    # large code spaces: chunks long enough that finishing each costs little
    least = plan.codes // CODES_PER_BLOCK if isinstance(plan, CountsPlan) else 1
    per_chunk = max(1, -(-chunk_size // BLOCK), least)
    chunks = [(a, min(a + per_chunk, blocks)) for a in range(0, blocks, per_chunk)]
    total = Counts.zero(plan.grid, plan.layout, council.size, agreement)

    def size(chunk: tuple[int, int]) -> int:
        return min(chunk[1] * BLOCK, draws) - chunk[0] * BLOCK

    if scheduler is None and (workers == 1 or len(chunks) == 1):
        # one accumulator, finished once: a plan's counts are sums over its blocks
        acc = plan.start()
        for chunk in chunks:
            add_blocks(plan, seed, chunk[0], chunk[1], draws, acc)
            if progress is not None:
                progress(size(chunk))
        total.add(plan.finish(acc))
    else:
        from councilsim.pool import bounded_map

        run = partial(_run_chunk, plan, seed, draws)
        results = bounded_map(run, chunks, workers=workers, scheduler=scheduler)
        with closing(results):
            for chunk, counts in results:
                total.add(counts)
                if progress is not None:
                    progress(size(chunk))
    return finalise(
        council, plan.grid, plan.layout, total, model=model.name, params=model.params(), seed=seed
    )
