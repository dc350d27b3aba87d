"""Running a sweep: configurations measured in worker processes, in chunks, journalled.

Every row depends only on the base scenario, the grid, the options and its configuration
index: its configuration is decoded from the index, and a model without an exact engine is
simulated with a seed derived from the index (:func:`config_seed`). Chunks of consecutive
indices are the unit of work; they finish in any order, and the rows are returned (and
written) in index order, so the results are the same for any number of workers and however a
run was interrupted and resumed. On a Dask cluster (``scheduler``) the same chunks are
measured by the cluster's workers and journalled here as they arrive, so a run on a cluster
gives the same rows, and resumes from the same journal, as one on this machine.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from councilsim.compare.measures import measures
from councilsim.council import Council, SeatKind
from councilsim.elections import parse_elections
from councilsim.errors import ScenarioError
from councilsim.formatting import plain
from councilsim.limits import DEFAULT_WORKERS
from councilsim.pool import bounded_map, check_scheduler, cluster, worker_threads
from councilsim.scenario import Scenario
from councilsim.statepower import StatePower, expected_power
from councilsim.sweep.apply import build_vote_model, configure, model_config
from councilsim.sweep.grid import ConfigGrid, MeasureOptions, config_id, fingerprint
from councilsim.sweep.journal import Journal

MeasureFn = Callable[..., Mapping[str, Any]]
"""``measure(council, *, model, draws, seed, exact, states) -> {measure id: value}``."""

Row = dict[str, Any]

MAX_CHUNK = 256
"""The most configurations in one unit of work."""


class Interrupted(KeyboardInterrupt):
    """A sweep stopped by Ctrl-C: ``saved`` of ``total`` configurations are in the journal."""

    def __init__(self, saved: int, total: int, journal: Path | None) -> None:
        super().__init__(f"{saved} of {total} configurations saved")
        self.saved = saved
        self.total = total
        self.journal = journal


def default_measure() -> MeasureFn:
    """:func:`councilsim.compare.measures.measures`."""
    return measures


def measure_name(measure: MeasureFn) -> str:
    """The importable name of a measure function (part of a sweep's fingerprint)."""
    module = getattr(measure, "__module__", "")
    name = getattr(measure, "__qualname__", type(measure).__name__)
    return f"{module}.{name}"


def config_seed(root: int, index: int) -> int:
    """The seed of configuration ``index``: the ``index``-th child of ``SeedSequence(root)``,
    as a 128-bit integer."""
    state = np.random.SeedSequence(root, spawn_key=(index,)).generate_state(4, np.uint32)
    return sum(int(w) << (32 * k) for k, w in enumerate(state))


@dataclass(frozen=True)
class Task:
    """Everything a worker needs, sent once per worker process."""

    base: Scenario
    grid: ConfigGrid
    options: MeasureOptions
    measure: MeasureFn
    meta: Mapping[str, Any] = field(default_factory=dict)


def evaluate(task: Task, index: int) -> Row:
    """The row of configuration ``index``: its values, status and measures.

    A configuration the scenario format does not allow, or that the measures refuse, gets
    status ``"invalid"``, the one-line reason and no measures.
    """
    config = task.grid.config(index)
    row: Row = {
        "index": index,
        "id": config_id(config),
        "vary": dict(config),
        "status": "ok",
        "reason": None,
        "measures": {},
    }
    try:
        council = configure(task.base, config)
        values = _measure(task, council, config, index)
    except ScenarioError as err:
        row["status"] = "invalid"
        row["reason"] = err.message
        return row
    row["measures"] = {str(k): plain(v) for k, v in values.items()}
    return row


def _measure(
    task: Task, council: Council, config: Mapping[str, Any], index: int
) -> Mapping[str, Any]:
    opts = task.options
    name, params = model_config(opts.model, opts.params, config)
    try:
        model = build_vote_model(name, params)
    except ScenarioError as err:
        key = (err.key or "").removeprefix("simulation.")
        where = "vary" if key in config else "measures"
        raise ScenarioError(err.problem, key=f"{where}.{key}", fix=err.fix) from None
    seed = config_seed(opts.seed, index)
    extra: dict[str, Any] = {}
    if task.measure is default_measure():
        # the base's P5 stay the permanent members: a configuration that removes them has none
        extra["permanent_class"] = next(
            (c.id for c in task.base.council.classes if c.kind is SeatKind.PERMANENT), ""
        )
        if opts.elections and opts.states:
            extra["expected"] = _expected(task, council, seed)
    return task.measure(
        council,
        model=model,
        draws=opts.draws,
        seed=seed,
        exact=opts.exact,
        states=opts.states,
        **extra,
    )


def _expected(task: Task, council: Council, seed: int) -> StatePower:
    """Every state's expected power in ``council`` (:func:`councilsim.statepower.expected_power`),
    from the base's ``[elections]`` table (or the derived rules) applied as an extending
    scenario file's would be: the parts that no longer fit the configuration (a stagger for
    other seat counts, a start naming holders that left) fall back to the defaults
    (:func:`councilsim.elections.parse_elections`)."""
    table = task.base.raw.get("elections", {})
    try:
        rules = parse_elections(table, council, inherited=True)
    except ScenarioError as err:
        raise ScenarioError(err.problem, key=err.key, fix=err.fix) from None
    opts = task.options
    return expected_power(
        rules, years=opts.election_years, replications=opts.election_reps, seed=seed
    )


_TASK: Task | None = None


def _init_worker(task: Task) -> None:
    """Worker start-up: keep the task, sent once per worker rather than with every chunk."""
    global _TASK
    _TASK = task


def _run_chunk(indices: range) -> list[Row]:
    assert _TASK is not None
    return [evaluate(_TASK, i) for i in indices]


def _chunk_rows(task: Task, indices: range) -> list[Row]:
    """The rows of a chunk (on a cluster, whose workers receive the task once, with this
    function, rather than keep it in a global that two sweeps there could share)."""
    return [evaluate(task, i) for i in indices]


def sweep(
    base: Scenario,
    grid: ConfigGrid,
    *,
    options: MeasureOptions | None = None,
    workers: int | None = None,
    measure: MeasureFn | None = None,
    journal: str | os.PathLike[str] | None = None,
    resume: bool = False,
    progress: Callable[[int], None] | None = None,
    chunk_size: int | None = None,
    scheduler: str | None = None,
) -> list[Row]:
    """Measure every configuration of a grid over a base scenario.

    Parameters
    ----------
    base
        The scenario each configuration modifies (:func:`councilsim.scenario.load`).
    grid
        The configurations (:class:`~councilsim.sweep.spec.ConfigGrid`).
    options
        The model, draws, root seed, exact flag and named states of the measures.
    workers
        Worker processes (default :data:`~councilsim.limits.DEFAULT_WORKERS`); 1 runs in this
        process. The rows are identical for any number.
    measure
        The measure function, called as ``measure(council, model=…, draws=…, seed=…,
        exact=…, states=…)`` and returning a flat dict of measure id → number; default
        :func:`councilsim.compare.measures.measures`. It must be importable by worker processes.
    journal
        A journal file to append finished rows to (see :mod:`councilsim.sweep.journal`).
    resume
        Read the rows already in ``journal`` (which must belong to this sweep) and measure
        only the others. Without it an existing journal is an error.
    progress
        Called with the number of configurations just finished, after each chunk; with
        ``resume``, first with the number read back from the journal.
    chunk_size
        Configurations per unit of work (default: about 8 chunks per worker, or per worker
        thread of a cluster, at most :data:`MAX_CHUNK`).
    scheduler
        Run the chunks on a Dask cluster: ``"local"`` (a local cluster of ``workers``
        processes) or a scheduler's address such as ``"tcp://host:8786"``
        (:func:`councilsim.pool.bounded_map`; needs the ``dask`` extra). The rows, and the
        journal, are the same as on this machine.

    Returns
    -------
    list of dict
        One row per configuration, in index order: ``index``, ``id`` (12 hex digits of the
        SHA-256 of the values), ``vary`` (parameter → value), ``status`` (``"ok"`` or
        ``"invalid"``), ``reason`` (why invalid, else ``None``) and ``measures`` (measure
        id → int, float, ``"p/q"`` string or ``None``).

    Raises
    ------
    Interrupted
        On Ctrl-C (a :class:`KeyboardInterrupt`): the pool is stopped and the journal keeps
        every finished row.
    ScenarioError
        When the journal is in the way, or belongs to another sweep; or the scheduler is
        malformed or cannot be reached, or Dask is not installed.
    """
    scheduler = check_scheduler(scheduler)
    measure = measure or default_measure()
    options = options or MeasureOptions()
    task = Task(base, grid, options, measure)
    workers = workers or DEFAULT_WORKERS
    rows: dict[int, Row] = {}
    log: Journal | None = None
    if journal is not None:
        mark = fingerprint(base.raw, grid, options, measure_name(measure))
        if resume:
            log = Journal.resume(journal, mark, grid.size, lambda i: _expected_row(grid, i))
        else:
            log = Journal.create(journal, mark, grid.size)
        rows.update(log.rows)
    if resume and log is not None and progress is not None:
        progress(len(rows))
    todo = [i for i in range(grid.size) if i not in rows]

    def finished(batch: list[Row]) -> None:
        if log is not None:
            log.append(batch)  # a Ctrl-C leaves the batch all in the journal's count or not
        for r in batch:
            rows[r["index"]] = r
        if progress is not None:
            progress(len(batch))

    try:
        # on a cluster, connect once, and cut chunks for as many workers as it has
        with cluster(scheduler if todo else None, workers):
            threads = max(workers, worker_threads(scheduler))
            size = chunk_size or max(1, min(MAX_CHUNK, math.ceil(len(todo) / (8 * threads))))
            chunks = _chunks(todo, size)
            if scheduler is None and (workers == 1 or len(chunks) <= 1):
                for chunk in chunks:
                    finished([evaluate(task, i) for i in chunk])
            elif chunks:
                _parallel(task, chunks, workers, finished, scheduler)
    except KeyboardInterrupt:
        saved = len(log.rows) if log is not None else len(rows)
        raise Interrupted(saved, grid.size, log.path if log else None) from None
    except ScenarioError:
        # e.g. a scheduler that cannot be reached: a journal this call began holds nothing
        if log is not None and not resume and not rows:
            log.remove()
        raise
    finally:
        if log is not None:
            log.close()
    return [rows[i] for i in range(grid.size)]


def _expected_row(grid: ConfigGrid, index: int) -> dict[str, Any]:
    """What the journal row of configuration ``index`` must say of it (as JSON reads it)."""
    config = grid.config(index)
    return {"id": config_id(config), "vary": json.loads(json.dumps(dict(config)))}


def _chunks(todo: Sequence[int], size: int) -> list[range]:
    """Runs of consecutive indices, at most ``size`` long."""
    out: list[range] = []
    start = prev = None
    for i in todo:
        if start is None or prev is None or i != prev + 1 or i - start >= size:
            if start is not None and prev is not None:
                out.append(range(start, prev + 1))
            start = i
        prev = i
    if start is not None and prev is not None:
        out.append(range(start, prev + 1))
    return out


def _parallel(
    task: Task,
    chunks: list[range],
    workers: int,
    finished: Callable[[list[Row]], None],
    scheduler: str | None = None,
) -> None:
    """Chunks in worker processes (each keeps the task), at most ``2 × workers`` in flight;
    or on a Dask cluster."""
    if scheduler is not None:
        results = bounded_map(
            partial(_chunk_rows, task), chunks, workers=workers, scheduler=scheduler
        )
    else:
        results = bounded_map(
            _run_chunk, chunks, workers=workers, initializer=_init_worker, initargs=(task,)
        )
    with closing(results):
        for _, rows in results:
            finished(rows)


__all__ = [
    "Interrupted",
    "MeasureFn",
    "Task",
    "config_seed",
    "default_measure",
    "evaluate",
    "measure_name",
    "sweep",
]
