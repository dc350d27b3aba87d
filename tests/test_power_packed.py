"""The packed generating functions' faster paths equal the plain ones."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from councilsim.power.packed import (
    PackedPrefix,
    Packing,
    Prefix,
    multiply,
    multiply_widening,
    packing,
    prefix_sums,
    running_sums,
)

weights = st.lists(st.integers(1, 12), min_size=1, max_size=60)


@settings(max_examples=60, deadline=None)
@given(weights, st.integers(1, 200))
def test_widening_equals_full_width(ws: list[int], quota: int) -> None:
    layout = packing(len(ws), quota)
    assert multiply_widening(ws, layout) == multiply(1, ws, layout)


def _alternating_by_loop(pre: Prefix, t: int, step: int) -> int:
    total, j = 0, 0
    while t - j * step > 0:
        total += (-1) ** j * pre(t - j * step)
        j += 1
    return total


@settings(max_examples=100, deadline=None)
@given(weights, st.integers(1, 80), st.integers(-20, 150), st.integers(1, 15))
def test_alternating_sums_by_slices(ws: list[int], quota: int, t: int, step: int) -> None:
    layout = packing(len(ws), quota)
    pre = Prefix(prefix_sums(multiply(1, ws, layout), layout), layout)
    assert pre.alternating(t, step) == _alternating_by_loop(pre, t, step)


def test_widening_refuses_sized_layouts() -> None:
    try:
        multiply_widening([1], Packing(4, 2, 8, sized=True))
    except ValueError:
        return
    raise AssertionError("expected ValueError")


@settings(max_examples=60, deadline=None)
@given(weights, st.integers(1, 80), st.integers(1, 15))
def test_running_sums_are_the_prefix_sums(ws: list[int], quota: int, step: int) -> None:
    layout = packing(len(ws), quota)
    listed = Prefix(prefix_sums(multiply(1, ws, layout), layout), layout)
    packed = PackedPrefix(multiply(running_sums(layout), ws, layout), layout)
    for t in range(-3, quota + 5):
        assert packed(t) == listed(t)
        assert packed.alternating(t, step) == listed.alternating(t, step)
    assert packed.values(-2, quota + 6) == listed.values(-2, quota + 6)
