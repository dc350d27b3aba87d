"""The bounded worker pool that simulations and sweeps share."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing

import pytest

from councilsim.pool import bounded_map


def square(x: int) -> int:
    return x * x


def fail_on_three(x: int) -> int:
    if x == 3:
        raise ValueError("three")
    return x


def test_every_task_once_with_its_result() -> None:
    pairs = list(bounded_map(square, range(20), workers=2))
    assert sorted(pairs) == [(x, x * x) for x in range(20)]


def test_ordered_results_come_in_task_order() -> None:
    pairs = list(bounded_map(square, range(20), workers=3, ordered=True))
    assert pairs == [(x, x * x) for x in range(20)]


def test_tasks_are_read_lazily_at_most_in_flight_ahead() -> None:
    read: list[int] = []

    def tasks() -> Iterator[int]:
        for x in range(100):
            read.append(x)
            yield x

    with closing(bounded_map(square, tasks(), workers=2, in_flight=3)) as results:
        for k, _ in enumerate(results):
            assert len(read) <= k + 3  # yielded k, so at most 3 more submitted
    assert len(read) == 100


def test_progress_sees_each_pair_before_it_is_yielded() -> None:
    seen: list[tuple[int, int]] = []
    pairs = list(
        bounded_map(square, range(5), workers=2, progress=lambda t, r: seen.append((t, r)))
    )
    assert seen == pairs


def test_an_error_in_a_task_reaches_the_caller() -> None:
    with pytest.raises(ValueError, match="three"):
        list(bounded_map(fail_on_three, range(10), workers=2))
