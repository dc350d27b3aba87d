"""The one bounded pool of worker processes, shared by simulations and sweeps.

:func:`bounded_map` runs a function over tasks in worker processes
(:class:`concurrent.futures.ProcessPoolExecutor`), keeping at most ``in_flight`` tasks submitted
at a time, so that memory stays bounded however many tasks there are, and yields each task with
its result as it finishes (or in task order). Callers that need results identical for any
number of workers make each result depend on its task alone (a seed per task) and combine
results in an order-free way (sums, or rows keyed by index).

Workers ignore Ctrl-C: the parent receives it, and on Ctrl-C or any error (or when the caller
stops iterating) the pool is stopped at once, queued tasks dropped and busy workers ended, so
no worker outlives the call or prints a traceback of its own. A parent that dies without
stopping its pool (``SIGKILL``, ``SIGTERM``, a crash) takes its workers with it on Linux:
each worker asks the kernel for ``SIGKILL`` when its parent dies (``prctl(PR_SET_PDEATHSIG)``,
:func:`end_with_parent`). Elsewhere a worker finds its parent gone when it next reads a task.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import contextmanager
from itertools import islice
from typing import Any, TypeVar

__all__ = ["bounded_map", "end_with_parent"]

_PR_SET_PDEATHSIG = 1

T = TypeVar("T")
R = TypeVar("R")


def bounded_map(
    fn: Callable[[T], R],
    tasks: Iterable[T],
    *,
    workers: int,
    in_flight: int | None = None,
    ordered: bool = False,
    initializer: Callable[..., None] | None = None,
    initargs: tuple[Any, ...] = (),
    progress: Callable[[T, R], None] | None = None,
) -> Generator[tuple[T, R], None, None]:
    """Run ``fn`` over ``tasks`` in ``workers`` processes; yield ``(task, result)`` pairs.

    Parameters
    ----------
    fn, tasks
        A picklable function of one task, and the tasks (read lazily, as room frees up).
    workers
        Worker processes.
    in_flight
        The most tasks submitted and not yet yielded (default ``2 × workers``: every worker
        busy, with one more task queued each).
    ordered
        Yield in the order of ``tasks`` (results that finish early wait); otherwise as they
        finish.
    initializer, initargs
        Run once in each worker as it starts (e.g. to keep data shared by every task).
    progress
        Called with each task and its result, in the parent, just before they are yielded.

    Raises
    ------
    Whatever ``fn`` raises, re-raised in the parent after the pool is stopped;
    :class:`KeyboardInterrupt` likewise. Iterate inside :func:`contextlib.closing` so that the
    pool also stops at once when the loop body raises.
    """
    limit = max(1, in_flight or 2 * workers)
    forked = multiprocessing.get_start_method(allow_none=False) == "fork"
    parent = os.getpid() if forked else None
    pool = ProcessPoolExecutor(
        max_workers=workers,
        initializer=_start_worker,
        initargs=(initializer, initargs, parent),
    )
    try:
        yield from _run(pool, fn, iter(tasks), workers, limit, ordered, progress)
    except BaseException:
        _stop(pool)
        raise
    pool.shutdown()


def _run(
    pool: ProcessPoolExecutor,
    fn: Callable[[T], R],
    todo: Iterator[T],
    workers: int,
    limit: int,
    ordered: bool,
    progress: Callable[[T, R], None] | None,
) -> Iterator[tuple[T, R]]:
    given: dict[int, T] = {}  # submitted and not yet yielded, by position
    running: dict[Future[R], int] = {}
    finished: dict[int, R] = {}  # waiting for their turn (ordered)
    submitted = yielded = 0
    while True:
        for task in islice(todo, max(0, limit - len(given))):
            with _ignoring_ctrl_c(submitted < workers):
                running[pool.submit(fn, task)] = submitted
            given[submitted] = task
            submitted += 1
        if not given:
            return
        if running:
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                finished[running.pop(future)] = future.result()
        ready = _next_run(finished, yielded) if ordered else sorted(finished)
        for k in ready:
            task, result = given.pop(k), finished.pop(k)
            yielded += 1
            if progress is not None:
                progress(task, result)
            yield task, result


def _next_run(pending: dict[int, Any], first: int) -> list[int]:
    """The consecutive keys ``first, first + 1, …`` present in ``pending``."""
    out = []
    while first in pending:
        out.append(first)
        first += 1
    return out


def end_with_parent(parent: int | None = None) -> bool:
    """Have the kernel send this process ``SIGKILL`` when its parent dies (Linux only).

    ``parent`` is the pid the parent had: if it is no longer the parent (it died before the
    request was made), the process exits at once. Returns whether the request was made.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        done = libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False
    if parent is not None and os.getppid() != parent:
        os._exit(1)
    return bool(done)


def _start_worker(
    initializer: Callable[..., None] | None, initargs: tuple[Any, ...], parent: int | None
) -> None:
    """Worker start-up: end with the parent; leave Ctrl-C to the parent, which stops the
    pool; then the caller's initializer."""
    end_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if initializer is not None:
        initializer(*initargs)


@contextmanager
def _ignoring_ctrl_c(starting: bool) -> Iterator[None]:
    """Ignore Ctrl-C while a submission may start a worker, so that the worker starts ignoring
    it too (one interrupted before :func:`_start_worker` runs would print a traceback)."""
    if not starting or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _stop(pool: ProcessPoolExecutor) -> None:
    """Stop a pool now: drop queued tasks and end the workers (their tasks are lost)."""
    # The executor has no public way to end busy workers; its process table is read before
    # shutdown() lets go of it.
    procs = list(dict(getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in procs:
        if proc.is_alive():
            proc.terminate()
    for proc in procs:
        proc.join(timeout=5)
