"""The winners of a draw by exponential keys, found row by row, against numpy's argmin and
argpartition on the same keys laid out one row per replication."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from councilsim.elections.draw import first_minimum, smallest


def numpy_winners(keys: np.ndarray, k: int) -> tuple[np.ndarray, bool]:
    """What the engine computed before: argmin for one seat, argpartition for more."""
    by_rep = keys.T
    if k == 1:
        won = np.argmin(by_rep, axis=1)[:, None]
    else:
        won = np.argpartition(by_rep, k - 1, axis=1)[:, :k]
    short = bool(np.isinf(np.take_along_axis(by_rep, won, axis=1)).any())
    return won, short


@st.composite
def tables(draw: st.DrawFn) -> tuple[np.ndarray, int]:
    """Keys (states x replications) with many ties and some infinite (blocked) keys."""
    k = draw(st.integers(1, 4))
    rows = draw(st.integers(k, 12))
    reps = draw(st.integers(1, 30))
    levels = draw(st.integers(1, 6))  # few distinct values: ties everywhere
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    keys = rng.integers(0, levels, (rows, reps)).astype(np.float32) / 4
    keys[rng.random((rows, reps)) < draw(st.floats(0, 0.6))] = np.inf
    return keys, k


@given(tables())
def test_smallest_gives_numpys_winners_in_numpys_order(case: tuple[np.ndarray, int]) -> None:
    keys, k = case
    before = keys.copy()
    won, short = smallest(keys, k)
    want, want_short = numpy_winners(before, k)
    assert short == want_short
    if not short:
        assert np.array_equal(won, want)
    assert np.array_equal(keys, before)  # left as it was


@pytest.mark.parametrize("k", [1, 2, 3])
@pytest.mark.parametrize("scratch", [False, True])
def test_smallest_on_exponential_keys(k: int, scratch: bool) -> None:
    rng = np.random.default_rng(7)
    keys = rng.standard_exponential((54, 5000), dtype=np.float32)
    keys *= (rng.random(54)[:, None] + 0.1).astype(np.float32)
    keys[rng.random(keys.shape) < 0.1] = np.inf
    buffer = np.full(2 * keys.size, 7, dtype=np.uint8) if scratch else None
    won, short = smallest(keys, k, buffer)
    want, want_short = numpy_winners(keys, k)
    assert not short and not want_short
    assert np.array_equal(won, want)


def test_too_few_rows_is_short() -> None:
    won, short = smallest(np.zeros((1, 3), dtype=np.float32), 2)
    assert short and won.shape == (3, 2)


def test_first_minimum_takes_the_first_of_equal_keys() -> None:
    keys = np.array([[3, 1, 2], [1, 1, 5], [1, 4, 2]], dtype=np.float32)
    first, tied = first_minimum(keys, keys.min(axis=0))
    assert first.tolist() == [1, 0, 0]
    assert tied is not None and tied.tolist() == [True, True, True]
    keys[2, 2] = 3
    assert first_minimum(keys, keys.min(axis=0), ties=False)[0].tolist() == [1, 0, 0]


def test_keys_must_be_one_block() -> None:
    with pytest.raises(ValueError, match="contiguous"):
        smallest(np.zeros((4, 6), dtype=np.float32)[:, ::2], 1)
