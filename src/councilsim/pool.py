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

With ``scheduler`` the same tasks run on a Dask cluster (:mod:`dask.distributed`, the ``dask``
extra) instead: ``"local"`` starts a :class:`~distributed.LocalCluster` of ``workers``
single-threaded worker processes on this machine for the call, an address such as
``"tcp://host:8786"`` connects to a running scheduler. The tasks are the same, submitted with
the same bound on those in flight, and their results come back to this process, which yields
them as the local pool does: callers' results are therefore byte-identical to a local run. On
Ctrl-C or any error the futures still queued are cancelled and the client closed (a task
already running on a remote worker finishes there and its result is dropped); a local cluster
is shut down with the call, and its worker processes, like the pool's, end with their parent.
Dask is imported only when a scheduler is asked for (see docs/distributed.md).
"""

from __future__ import annotations

import os
import queue
import re
import signal
import sys
import threading
from collections.abc import Callable, Collection, Generator, Iterable, Iterator
from contextlib import contextmanager, nullcontext
from itertools import islice
from typing import TYPE_CHECKING, Any, TypeVar

from councilsim.errors import ScenarioError, install_hint

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

# multiprocessing, concurrent.futures, ctypes, logging and uuid are imported where a pool or a
# cluster is started: a run on one worker (every command's default) does not pay for them.

__all__ = [
    "LOCAL",
    "bounded_map",
    "check_scheduler",
    "cluster",
    "end_with_parent",
    "worker_threads",
]

LOCAL = "local"
"""The ``scheduler`` that starts a Dask ``LocalCluster`` on this machine for one call."""

CONNECT_TIMEOUT = 20
"""Seconds to wait for a Dask scheduler to answer."""

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
    scheduler: str | None = None,
) -> Generator[tuple[T, R], None, None]:
    """Run ``fn`` over ``tasks`` in ``workers`` processes; yield ``(task, result)`` pairs.

    Parameters
    ----------
    fn, tasks
        A picklable function of one task, and the tasks (read lazily, as room frees up).
    workers
        Worker processes (with ``scheduler="local"``: the local cluster's).
    in_flight
        The most tasks submitted and not yet yielded (default ``2 × workers``: every worker
        busy, with one more task queued each; on a cluster at an address, ``2 ×`` its worker
        threads when there are more of them than ``workers``).
    ordered
        Yield in the order of ``tasks`` (results that finish early wait); otherwise as they
        finish.
    initializer, initargs
        Run once in each worker as it starts (e.g. to keep data shared by every task); on a
        cluster, once per worker process and call, before its first task of the call.
    progress
        Called with each task and its result, in the parent, just before they are yielded.
    scheduler
        ``None`` (the default): this machine's process pool. ``"local"`` or a Dask scheduler's
        address: a Dask cluster (see above; :func:`check_scheduler`). There ``fn``,
        ``initializer`` and ``initargs`` are sent once to every worker, and each worker checks
        that it runs the same councilsim and numpy as this process.

    Raises
    ------
    Whatever ``fn`` raises, re-raised in the parent after the pool is stopped;
    :class:`KeyboardInterrupt` likewise. Iterate inside :func:`contextlib.closing` so that the
    pool also stops at once when the loop body raises. With a ``scheduler``:
    :class:`~councilsim.errors.ScenarioError` when the address is malformed, Dask is not
    installed, the scheduler cannot be reached or a worker runs other versions.
    """
    if scheduler is not None:
        yield from _cluster_map(
            fn,
            tasks,
            check_scheduler(scheduler) or LOCAL,
            workers=workers,
            in_flight=in_flight,
            ordered=ordered,
            initializer=initializer,
            initargs=initargs,
            progress=progress,
        )
        return
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    limit = max(1, in_flight or 2 * workers)
    forked = multiprocessing.get_start_method(allow_none=False) == "fork"
    parent = os.getpid() if forked else None
    pool = ProcessPoolExecutor(
        max_workers=workers,
        initializer=_start_worker,
        initargs=(initializer, initargs, parent),
    )

    def submit(task: T, position: int) -> Future[R]:
        with _ignoring_ctrl_c(position < workers):
            return pool.submit(fn, task)

    def first_done(running: Collection[Future[R]]) -> Iterable[Future[R]]:
        return wait(running, return_when=FIRST_COMPLETED).done

    try:
        yield from _run(submit, first_done, {}, iter(tasks), limit, ordered, progress)
    except BaseException:
        _stop(pool)
        raise
    pool.shutdown()


def _run(
    submit: Callable[[T, int], Any],
    first_done: Callable[[Collection[Any]], Iterable[Any]],
    running: dict[Any, int],
    todo: Iterator[T],
    limit: int,
    ordered: bool,
    progress: Callable[[T, R], None] | None,
) -> Iterator[tuple[T, R]]:
    """The bounded loop of either backend: ``submit(task, position)`` returns a future (kept
    in ``running`` with its position until it is done), ``first_done`` waits for at least one
    of them."""
    given: dict[int, T] = {}  # submitted and not yet yielded, by position
    finished: dict[int, R] = {}  # waiting for their turn (ordered)
    submitted = yielded = 0
    while True:
        for task in islice(todo, max(0, limit - len(given))):
            running[submit(task, submitted)] = submitted
            given[submitted] = task
            submitted += 1
        if not given:
            return
        if running:
            for future in first_done(running):
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
    import ctypes

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


# --- the Dask backend -----------------------------------------------------------------------

_ADDRESS = re.compile(
    r"(?:[a-z][a-z0-9+.-]*://)?[^\s/:]+(?::[0-9]{1,5})?(?:/[^\s]*)?", re.IGNORECASE
)
"""``[scheme://]host[:port][/path]``: what a Dask scheduler address looks like."""


def check_scheduler(scheduler: str | None) -> str | None:
    """``scheduler`` checked: ``None``, ``"local"`` or a scheduler address (``tcp://host:8786``,
    ``host:8786``, ``tls://…``); anything else is a :class:`~councilsim.errors.ScenarioError`.

    >>> check_scheduler("tcp://10.0.0.5:8786")
    'tcp://10.0.0.5:8786'
    >>> check_scheduler(" local ")
    'local'
    """
    if scheduler is None:
        return None
    value = str(scheduler).strip()
    if value.lower() == LOCAL:
        return LOCAL
    if not value or _ADDRESS.fullmatch(value) is None:
        raise ScenarioError(
            f"{scheduler!r} is not a Dask scheduler address",
            key="--scheduler",
            fix="give local, or an address such as tcp://host:8786",
        )
    return value


def _distributed() -> Any:
    """:mod:`distributed`, imported on first use; a one-line error without it."""
    try:
        import distributed
    except ImportError:
        raise ScenarioError(
            "running on a Dask cluster needs dask.distributed",
            key="--scheduler",
            fix=f"install it: {install_hint('dask')}; or drop --scheduler to use this machine",
        ) from None
    return distributed


def _versions() -> tuple[str, str]:
    """The versions a worker must share with this process for identical results."""
    import numpy

    from councilsim import __version__

    return __version__, numpy.__version__


@contextmanager
def _connect(scheduler: str, workers: int) -> Iterator[Any]:
    """A Dask client: of a local cluster started (and shut down) here, or of a scheduler."""
    import logging

    distributed = _distributed()
    cluster = None
    try:
        if scheduler == LOCAL:
            # workers inherit an ignored Ctrl-C (the parent handles it, then closes the cluster)
            with _ignoring_ctrl_c(True):
                cluster = distributed.LocalCluster(
                    n_workers=workers,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    silence_logs=logging.ERROR,
                )
            client = distributed.Client(cluster, set_as_default=False)
            client.run(_end_with_client, os.getpid())
        else:
            try:
                client = distributed.Client(
                    scheduler, timeout=CONNECT_TIMEOUT, set_as_default=False
                )
            except (OSError, TimeoutError, ValueError) as err:
                reason = " ".join(str(err).split()) or type(err).__name__
                raise ScenarioError(
                    f"cannot reach the Dask scheduler at {scheduler}: {reason}",
                    key="--scheduler",
                    fix="start one (dask scheduler) and its workers, or check the address; "
                    "--scheduler local runs a cluster on this machine",
                ) from None
    except BaseException:
        if cluster is not None:
            cluster.close()
        raise
    try:
        yield client
    finally:
        try:
            client.close()
        finally:
            if cluster is not None:
                cluster.close()


_SESSIONS: dict[str, Any] = {}
"""The client of each scheduler a :func:`cluster` block holds open."""


@contextmanager
def cluster(scheduler: str | None, workers: int = 1) -> Iterator[None]:
    """Inside the block, every :func:`bounded_map` call with this ``scheduler`` shares one Dask
    client (and, for ``"local"``, one local cluster of ``workers`` processes, started once)
    instead of connecting, or starting a cluster, for each call. ``None`` does nothing.

    >>> with cluster(None):
    ...     sorted(bounded_map(abs, [-2, 1], workers=1))
    [(-2, 2), (1, 1)]
    """
    scheduler = check_scheduler(scheduler)
    if scheduler is None or scheduler in _SESSIONS:
        yield
        return
    with _connect(scheduler, workers) as client:
        _SESSIONS[scheduler] = client
        try:
            yield
        finally:
            del _SESSIONS[scheduler]


def worker_threads(scheduler: str | None) -> int:
    """The worker threads of the cluster a :func:`cluster` block holds open for
    ``scheduler`` (0 outside one, or for ``None``)."""
    client = _SESSIONS.get(check_scheduler(scheduler) or "")
    return 0 if client is None else sum(client.nthreads().values())


def _end_with_client(client: int) -> None:
    """On a local cluster's worker process: end with the process that started the cluster
    (unless the worker is a thread of that process)."""
    if os.getpid() != client:
        end_with_parent(client)


def _cluster_map(
    fn: Callable[[T], R],
    tasks: Iterable[T],
    scheduler: str,
    *,
    workers: int,
    in_flight: int | None,
    ordered: bool,
    initializer: Callable[..., None] | None,
    initargs: tuple[Any, ...],
    progress: Callable[[T, R], None] | None,
) -> Iterator[tuple[T, R]]:
    """:func:`bounded_map` on a Dask cluster."""
    import uuid

    held = _SESSIONS.get(scheduler)
    with nullcontext(held) if held is not None else _connect(scheduler, workers) as client:
        threads = sum(client.nthreads().values())
        limit = max(1, in_flight or 2 * max(workers, threads))
        # the function, the initializer and its arguments go to every worker once
        [shared] = client.scatter(
            [(fn, initializer, initargs, _versions())], broadcast=True, hash=False
        )
        call = uuid.uuid4().hex
        running: dict[Any, int] = {}
        done: queue.SimpleQueue[Any] = queue.SimpleQueue()

        def submit(task: T, position: int) -> Any:
            future = client.submit(_cluster_task, call, shared, task, pure=False)
            future.add_done_callback(done.put)  # called in another thread
            return future

        def first_done(futures: Collection[Any]) -> Iterable[Any]:
            out = {done.get()}
            while not done.empty():
                out.add(done.get())
            return [f for f in out if f in futures]

        try:
            yield from _run(submit, first_done, running, iter(tasks), limit, ordered, progress)
        except BaseException:
            client.cancel(list(running), force=True)
            raise


_STARTED: set[str] = set()
_STARTING = threading.Lock()


def _cluster_task(call: str, shared: tuple[Any, ...], task: Any) -> Any:
    """One task on a Dask worker: the first of a call in this process checks the versions
    and runs the initializer."""
    fn, initializer, initargs, versions = shared
    if call not in _STARTED:
        with _STARTING:
            if call not in _STARTED:
                mine = _versions()
                if mine != tuple(versions):
                    raise ScenarioError(
                        f"a Dask worker runs councilsim {mine[0]} with numpy {mine[1]}, this "
                        f"process councilsim {versions[0]} with numpy {versions[1]}",
                        key="--scheduler",
                        fix="install the same versions on every worker (results would differ)",
                    )
                if initializer is not None:
                    initializer(*initargs)
                _STARTED.add(call)
    return fn(task)
