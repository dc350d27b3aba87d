"""The packed generating functions' faster paths equal the plain ones."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from councilsim.power import product_tree
from councilsim.power.packed import (
    PackedPrefix,
    Packing,
    Prefix,
    box,
    coefficient_layout,
    gather,
    horner_terms,
    max_size_below,
    multiply,
    multiply_widening,
    packing,
    prefix_sums,
    running_sums,
    sized_prefix_sums,
    word_windows,
    words_fit,
)

weights = st.lists(st.integers(1, 12), min_size=1, max_size=60)


@settings(max_examples=60, deadline=None)
@given(weights, st.integers(1, 200))
def test_widening_equals_full_width(ws: list[int], quota: int) -> None:
    layout = packing(len(ws), quota)
    assert multiply_widening(ws, layout) == multiply(1, ws, layout)


@settings(max_examples=60, deadline=None)
@given(weights, st.integers(1, 200))
def test_slots_as_narrow_as_the_largest_coefficient_hold_the_product(
    ws: list[int], quota: int
) -> None:
    narrow, full = coefficient_layout(len(ws), quota), packing(len(ws), quota)
    assert narrow.bits <= full.bits
    got = prefix_sums(multiply_widening(ws, narrow), narrow, len(ws))
    assert got == prefix_sums(multiply(1, ws, full), full, len(ws))


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
    pre = Prefix(prefix_sums(multiply(1, ws, layout), layout, len(ws)), layout)
    assert pre.alternating(t, step) == _alternating_by_loop(pre, t, step)


@settings(max_examples=100, deadline=None)
@given(weights, st.integers(1, 80), st.integers(-20, 150), st.lists(st.integers(1, 30), max_size=8))
def test_deflated_windows_are_the_single_windows(
    ws: list[int], quota: int, hi: int, deflate: list[int]
) -> None:
    layout = packing(len(ws), quota)
    pre = Prefix(prefix_sums(multiply(1, ws, layout), layout, len(ws)), layout)
    expected = [pre.deflated_window(hi - w, hi, w) for w in deflate]
    assert pre.deflated_windows(hi, deflate) == expected


@pytest.mark.parametrize("members", [63, 64, 65, 66, 67, 68])
def test_narrow_slots_keep_prefix_sums_exact_beyond_64_members(members: int) -> None:
    # Up to 67 members the largest coefficient, comb(n, n // 2), fits 64-bit slots but the
    # prefix sums reach 2**n: they must not be summed in uint64 (they were, and the Banzhaf
    # values of 65-67 members came out negative).
    ws = [1 + (7 * k) % 13 for k in range(members)]
    quota = sum(ws) // 2 + 1
    narrow, full = coefficient_layout(members, quota), packing(members, quota)
    got = prefix_sums(multiply_widening(sorted(ws), narrow), narrow, members)
    assert got == prefix_sums(multiply(1, ws, full), full, members)
    assert words_fit(narrow, members) == (members <= 64)
    if not words_fit(narrow, members):
        with pytest.raises(ValueError, match="words_fit"):
            word_windows(multiply_widening(sorted(ws), narrow), narrow, quota, [1], members)


@settings(max_examples=100, deadline=None)
@given(weights, st.integers(1, 150), st.data())
def test_word_windows_are_the_listed_windows(
    ws: list[int], quota: int, data: st.DataObject
) -> None:
    layout = coefficient_layout(len(ws), quota)
    product = multiply_widening(sorted(ws), layout)
    hi = data.draw(st.integers(1, layout.slots))
    deflate = data.draw(st.lists(st.integers(1, 200), max_size=12))
    listed = Prefix(prefix_sums(product, layout, len(ws)), layout)
    assert word_windows(product, layout, hi, deflate, len(ws)) == (
        listed(hi),
        listed.deflated_windows(hi, deflate),
    )


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 2**64 - 1), min_size=1, max_size=40), st.integers(1, 8))
def test_prefix_sums_of_slots_up_to_64_bits(coefficients: list[int], step: int) -> None:
    mask = (1 << 8 * step) - 1
    coefficients = [c & mask >> 6 for c in coefficients]  # prefix sums below 2**64
    layout = Packing(len(coefficients), 1, 8 * step)
    poly = sum(c << (8 * step * s) for s, c in enumerate(coefficients))
    running = [0]
    for c in coefficients:
        running.append(running[-1] + c)
    assert prefix_sums(poly, layout, 64) == running  # every sum below 2**64


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
    listed = Prefix(prefix_sums(multiply(1, ws, layout), layout, len(ws)), layout)
    packed = PackedPrefix(multiply(running_sums(layout), ws, layout), layout)
    for t in range(-3, quota + 5):
        assert packed(t) == listed(t)
        assert packed.alternating(t, step) == listed.alternating(t, step)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.tuples(st.integers(1, 30), st.integers(1, 40)), min_size=1, max_size=12),
    st.integers(0, 400),
)
def test_the_product_tree_gives_the_packed_prefix_sums(
    classes: list[tuple[int, int]], quota: int
) -> None:
    pytest.importorskip("flint")
    ws = [w for w, m in classes for _ in range(m)]
    layout = packing(len(ws), quota)
    assert product_tree.prefix_sums(classes, quota) == prefix_sums(
        multiply(1, ws, layout), layout, len(ws)
    )


def test_the_product_tree_is_used_only_with_flint_and_for_large_games(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(product_tree, "available", lambda: True)
    assert product_tree.worth_it(500, 12_500, 512)
    assert not product_tree.worth_it(50, 1_250, 56)
    monkeypatch.setattr(product_tree, "available", lambda: False)
    assert not product_tree.worth_it(500, 12_500, 512)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.integers(1, 6), min_size=1, max_size=40), st.integers(1, 60), st.data())
def test_sized_windows_leave_out_only_terms_above_their_sizes(
    ws: list[int], quota: int, data: st.DataObject
) -> None:
    # Dividing by 1 + y x**w, terms j >= per_weight only reach sizes above the window's;
    # the window read without them equals the full alternating sum, which has none there.
    layout = packing(len(ws), quota, max_size_below(sorted(ws), quota) + 1)
    pre = Prefix(sized_prefix_sums(sorted(ws), layout), layout)
    hi = data.draw(st.integers(1, quota))
    w = data.draw(st.sampled_from(ws))  # a member's weight: its factor divides the product
    lo = data.draw(st.integers(max(0, hi - 2 * w), hi))
    full = 0
    for j in range(max(0, (hi - 1) // w), -1, -1):
        full = pre(hi - j * w) - pre(lo - j * w) - (full << layout.bits)
    assert 0 <= full < 1 << layout.weight_bits
    assert pre.deflated_window(lo, hi, w) == full
    assert horner_terms(layout, (hi - 1) // w) == min(max(0, (hi - 1) // w), layout.per_weight - 1)


@settings(max_examples=80, deadline=None)
@given(st.data())
def test_gather_reads_the_slots_of_each_row(data: st.DataObject) -> None:
    """Rows of slots moved down by their ``low``, some longer than they are read (slots above
    a row's end read 0), gathered at points with a limit on the rows each reads."""
    bits = data.draw(st.sampled_from([8, 16, 24, 64]))
    out_bits = data.draw(st.sampled_from([b for b in (8, 16, 24, 64, 72) if b >= bits]))
    count = data.draw(st.integers(1, 6))
    slots = [data.draw(st.lists(st.integers(0, 2**bits - 1), max_size=12)) for _ in range(count)]
    low = [data.draw(st.integers(0, 10)) for _ in range(count)]
    rows = [sum(v << (i * bits) for i, v in enumerate(row)) for row in slots]
    points = data.draw(st.lists(st.integers(0, 25), min_size=1, max_size=10))
    below = data.draw(
        st.lists(st.integers(0, count + 1), min_size=len(points), max_size=len(points))
    )
    limited = data.draw(st.booleans())
    got = gather(rows, low, bits, points, out_bits, below if limited else None)

    def slot(k: int, s: int) -> int:
        i = s - low[k]
        return slots[k][i] if 0 <= i < len(slots[k]) else 0

    for j, (s, top) in enumerate(zip(points, below, strict=True)):
        reads = range(min(top, count) if limited else count)
        assert got[j] == sum(slot(k, s) << (k * out_bits) for k in reads)


@given(st.integers(0, 2**40), st.integers(1, 40), st.sampled_from([8, 48, 64]))
def test_box_sums_each_slot_with_its_neighbours_below(row: int, width: int, bits: int) -> None:
    assert box(row, width, bits) == sum(row << (d * bits) for d in range(width))
