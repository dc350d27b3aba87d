"""Timing shared by the benchmark scripts (imported as ``_timing`` when a script runs)."""

from __future__ import annotations

import resource
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = str(Path(__file__).resolve().parent)
"""This folder: a child process (``python -c``) puts it on ``sys.path`` to import ``_timing``."""


def best_of(repeat: int, func: Callable[[], Any]) -> float:
    """The fastest of ``repeat`` wall-clock runs of ``func``, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def peak_mib() -> float:
    """This process's peak resident memory in MiB: its own ``VmHWM`` where Linux gives it
    (``ru_maxrss`` can carry the parent's peak over ``fork``), else ``ru_maxrss``."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    peak = int(line.split()[1]) / 1024
    except OSError:
        pass
    return peak
