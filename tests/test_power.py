"""Exact power indices: known answers, agreement of the methods, and the result object."""

from __future__ import annotations

import re
import tracemalloc
from fractions import Fraction as F
from math import comb, factorial
from typing import NoReturn

import numpy as np
import pytest

from councilsim.errors import ScenarioError
from councilsim.games import WeightedGame, game_from_council, parse_game
from councilsim.power import (
    INDICES,
    SMALL_VECTORS,
    count,
    feasible_indices,
    power,
    product_tree,
    work_estimate,
)
from councilsim.power.classes import vector_count
from councilsim.power.counts import split_game, types_of
from councilsim.power.generating import shares_product, work
from councilsim.power.minimal import minimal_counts_and_product, sized_layout
from councilsim.power.packed import Prefix, sized_prefix_sums
from councilsim.scenario import load, shipped_ids

TODAY = ["39; 7*5, 1*10", "9; 1v*5, 1*10", "current"]
PRE_1965 = ["27; 5*5, 1*6", "7; 1v*5, 1*6", "pre-1965"]
METHODS = ["brute", "classes", "dp"]


def _subject(ref: str) -> object:
    return parse_game(ref) if ";" in ref else load(ref).council


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("ref", TODAY)
def test_todays_council(ref: str, method: str) -> None:
    dp_ok = [
        "banzhaf",
        "banzhaf_absolute",
        "shapley_shubik",
        "coleman_prevent",
        "coleman_initiate",
        "public_good",
    ]
    r = power(
        _subject(ref),
        exact=True,
        method=method,  # type: ignore[arg-type]
        indices=dp_ok if method == "dp" else None,
    )
    assert r.shapley_shubik[0] == F(421, 2145) and r.shapley_shubik[-1] == F(4, 2145)
    assert r.swings[:5] == (848,) * 5 and r.swings[5:] == (84,) * 10
    assert r.banzhaf[0] == F(848, 5080) and r.banzhaf[-1] == F(84, 5080)
    assert r.banzhaf_absolute[0] == F(848, 2**14)
    assert r.coleman_act == F(848, 32768)
    assert r.coleman_prevent[0] == 1 and r.coleman_prevent[-1] == F(84, 848)
    assert r.coleman_initiate[-1] == F(84, 32768 - 848)
    assert r.winning_coalitions == 848
    # minimal winning: the five and exactly four of the ten
    assert r.minimal_winning_coalitions == comb(10, 4) == 210
    assert r.public_good[0] == F(210, 5 * 210 + 10 * comb(9, 3))


@pytest.mark.parametrize("method", ["brute", "classes"])
@pytest.mark.parametrize("ref", TODAY)
def test_todays_council_minimal_and_critical_structure(ref: str, method: str) -> None:
    r = power(_subject(ref), exact=True, method=method)  # type: ignore[arg-type]
    # every minimal winning coalition has 9 members
    assert r.deegan_packel[0] == F(1, 9) and r.deegan_packel[-1] == F(4, 90)
    # Johnston: with k of the ten elected, all 5 + k are critical when k = 4, else only the five
    j_five = F(comb(10, 4), 9) + sum(F(comb(10, k), 5) for k in range(5, 11))
    j_ten = F(comb(9, 3), 9)
    assert r.johnston[0] == j_five / (5 * j_five + 10 * j_ten)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("ref", PRE_1965)
def test_pre_1965_council(ref: str, method: str) -> None:
    r = power(
        _subject(ref),
        exact=True,
        method=method,  # type: ignore[arg-type]
        indices=["shapley_shubik", "banzhaf"],
    )
    assert r.shapley_shubik[0] == F(76, 385) and r.shapley_shubik[-1] == F(1, 462)
    assert r.swings[0] == 57 and r.swings[-1] == 5
    assert r.banzhaf[0] == F(57, 315)
    assert r.coleman_act == F(57, 2048)


@pytest.mark.parametrize("ident", shipped_ids())
def test_every_shipped_scenario_all_indices_by_few_count_vectors(ident: str) -> None:
    council = load(ident).council
    r = power(council)
    assert set(r.values) == set(INDICES)
    # the work: class enumeration over few count vectors (timed in benchmarks/bench_power.py)
    assert vector_count(types_of(game_from_council(council))) <= SMALL_VECTORS
    for name in ("banzhaf", "shapley_shubik", "johnston", "deegan_packel", "public_good"):
        assert sum(r.values[name]) == pytest.approx(1.0)


def _swings_by_lists(weights: list[int], quota: int) -> list[int]:
    """An independent count: for each member, a plain list DP over the others' weights."""
    out = []
    for i, wi in enumerate(weights):
        ways = [1] + [0] * quota
        for j, w in enumerate(weights):
            if j != i:
                for s in range(quota, w - 1, -1):
                    ways[s] += ways[s - w]
        out.append(sum(ways[max(0, quota - wi) : quota]))
    return out


def test_generating_functions_match_plain_list_counting() -> None:
    rng = np.random.default_rng(7)
    weights = [int(w) for w in rng.integers(1, 40, size=70)]
    quota = sum(weights) // 2 + 1
    counts = count(WeightedGame(tuple(weights), quota), needs=set(), method="dp")
    assert counts.per_member(counts.swings) == _swings_by_lists(weights, quota)


@pytest.mark.parametrize(
    ("text", "sized"),
    [
        ("146; 3*50, 2*50, 1*40", False),
        ("200; 9*3, 4*30, 1*110", False),
        ("146; 3*50, 2*50, 1*40", True),
        ("200; 9*3, 4*30, 1*110", True),
        ("150; 5v*2, 3*40, 2*50, 1*50", True),
    ],
)
def test_widened_slots_match_classes(text: str, sized: bool) -> None:
    """Over 126 members the products' slots are widened as the counts grow (the one pass for
    the public good index, the rows by size for Shapley-Shubik and, moved down by their
    lightest coalition, for Deegan-Packel): the counts are unchanged."""
    game = parse_game(text)
    needs = {"shapley", "minimal", "minimal_share"} if sized else {"shapley", "minimal"}
    by_class, by_dp = (
        count(game, needs=needs, method="classes"),
        count(game, needs=needs, method="dp"),
    )
    assert (by_dp.winning, by_dp.minimal) == (by_class.winning, by_class.minimal)
    for field in ("swings", "shapley", "minimal_with", *(("minimal_share",) if sized else ())):
        a, b = getattr(by_dp, field), getattr(by_class, field)
        assert by_dp.per_member(a) == by_class.per_member(b), field


@pytest.mark.parametrize(
    "text", ["60; 3*20, 2*25, 1*30", "45; 1v*4, 7*6, 3*20, 1*15", "30; 5v*3, 2*30, 0*4"]
)
def test_generating_functions_match_classes_on_larger_games(text: str) -> None:
    game = parse_game(text)
    if text.startswith("30"):
        game = WeightedGame(game.weights, game.quota, game.veto, veto_threshold=2)
    needs = {"shapley", "minimal", "minimal_share"}
    by_class = count(game, needs=needs, method="classes")
    by_dp = count(game, needs=needs, method="dp")
    assert by_dp.winning == by_class.winning
    assert by_dp.minimal == by_class.minimal
    for field in ("swings", "shapley", "minimal_with", "minimal_share"):
        a, b = getattr(by_dp, field), getattr(by_class, field)
        assert by_dp.per_member(a) == by_class.per_member(b), field


def test_large_game_banzhaf_sums_to_one_and_is_exact() -> None:
    rng = np.random.default_rng(2026)
    weights = tuple(int(w) for w in rng.integers(1, 101, size=500))
    game = WeightedGame(weights, sum(weights) // 2 + 1)
    assert {"banzhaf", "banzhaf_absolute"} <= set(feasible_indices(game))  # timed in benchmarks
    r = power(game, exact=True, indices=["banzhaf", "banzhaf_absolute"])
    assert sum(r.banzhaf) == 1
    heavy, light = weights.index(max(weights)), weights.index(min(weights))
    assert r.swings[heavy] > r.swings[light] > 0
    assert isinstance(r.banzhaf_absolute[0], F)


def test_large_game_default_indices_exclude_johnston_only_with_vetoes() -> None:
    plain = WeightedGame(tuple(range(1, 41)), 411)
    assert feasible_indices(plain) == list(INDICES)
    game = parse_game("411; 1v, 2v, " + ", ".join(str(w) for w in range(3, 41)))
    assert feasible_indices(game) == [i for i in INDICES if i != "johnston"]
    assert feasible_indices(parse_game("9; 1v*5, 1*10")) == list(INDICES)
    with pytest.raises(ScenarioError, match="Johnston index"):
        power(game, indices=["johnston"])
    r = power(game, exact=True, indices=feasible_indices(game))
    assert sum(r.public_good) == 1 and sum(r.deegan_packel) == 1


def test_work_beyond_the_limits_is_refused_not_run(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(1)
    weights = tuple(int(w) for w in rng.integers(1, 101, size=1000))
    game = WeightedGame(weights, sum(weights) // 2 + 1)
    assert feasible_indices(game) == [
        "banzhaf",
        "banzhaf_absolute",
        "coleman_prevent",
        "coleman_initiate",
        "public_good",
    ]
    for counter in ("councilsim.power.generating.packing", "councilsim.power.class_counts"):
        monkeypatch.setattr(counter, _must_not_count)  # every count starts with one of these
    with pytest.raises(ScenarioError, match=r"Shapley-Shubik index .* (bit operations|take|bytes)"):
        power(game, indices=["shapley_shubik"])
    with pytest.raises(ScenarioError, match="Deegan-Packel index"):
        power(game, indices=["deegan_packel"])


def _must_not_count(*args: object) -> NoReturn:
    raise AssertionError("counting started before the refusal")


def test_common_divisor_of_weights_is_divided_out() -> None:
    weights = tuple(1000 * w for w in range(1, 31))
    game = WeightedGame(weights, 200_001)  # the same game as [201; 1, ..., 30]
    small = WeightedGame(tuple(range(1, 31)), 201)
    needs = {"shapley", "minimal", "minimal_share"}
    a, b = count(game, needs=needs, method="dp"), count(small, needs=needs, method="dp")
    assert (a.winning, a.swings, a.shapley, a.minimal_share) == (
        b.winning,
        b.swings,
        b.shapley,
        b.minimal_share,
    )


def test_huge_weights_fall_back_to_classes_or_are_refused() -> None:
    few = WeightedGame(tuple(10**9 + k for k in range(16)), 8 * 10**9)
    assert sum(power(few, exact=True).johnston) == 1  # 2**16 count vectors: by class
    many = WeightedGame(tuple(10**9 + k for k in range(40)), 20 * 10**9)
    assert feasible_indices(many) == []
    with pytest.raises(ScenarioError, match="too large to count any power index"):
        power(many, indices=["banzhaf"])


def test_unknown_index_is_a_scenario_error() -> None:
    with pytest.raises(ScenarioError, match="unknown power index 'banzaf'"):
        power(parse_game("2; 1, 1"), indices=["banzaf"])


def test_floats_by_default_fractions_on_request() -> None:
    game = parse_game("2; 1, 1, 1")
    assert power(game).shapley_shubik == (pytest.approx(1 / 3),) * 3
    assert isinstance(power(game).shapley_shubik[0], float)
    assert power(game, exact=True).shapley_shubik == (F(1, 3),) * 3


def test_result_by_class_and_dict() -> None:
    r = power(load("current").council, exact=True)
    rows = r.by_class()
    assert [(row["class"], row["seats"], row["veto"]) for row in rows] == [
        ("permanent", 5, True),
        ("elected", 10, False),
    ]
    assert rows[0]["shapley_shubik"] == {"seat": F(421, 2145), "total": F(421, 429)}
    assert rows[1]["swings"] == {"seat": 84, "total": 840}
    d = r.to_dict()
    assert d["coleman_act"] == "53/2048" and d["winning_coalitions"] == 848
    assert d["members"][0]["member"] == "CHN" and d["members"][0]["class"] == "permanent"
    assert d["members"][0]["shapley_shubik"] == "421/2145"
    assert power(load("current").council).to_dict()["members"][0]["banzhaf"] == pytest.approx(
        848 / 5080
    )
    with pytest.raises(AttributeError, match="not computed"):
        _ = power(parse_game("2; 1, 1"), indices=["banzhaf"]).johnston


def test_every_index_is_documented_with_a_source() -> None:
    for name, text in INDICES.items():
        assert name.islower() and "(" in text and any(c.isdigit() for c in text)


def _random_game(members: int) -> WeightedGame:
    rng = np.random.default_rng(1)
    weights = tuple(int(w) for w in rng.integers(1, 101, size=members))
    return WeightedGame(weights, sum(weights) // 2 + 1)


_COUNTERS = (
    "councilsim.power.generating.multiply_widening",
    "councilsim.power.generating.tree_prefix_sums",
    "councilsim.power.class_counts",
)


def test_a_game_that_would_take_minutes_is_refused_before_counting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(product_tree, "available", lambda: False)  # the packed product
    game = _random_game(3000)  # Banzhaf alone: 104 s measured
    assert feasible_indices(game) == []
    seconds, _ = work_estimate(game, set())["Banzhaf"]
    assert seconds > 60
    for counter in _COUNTERS:
        monkeypatch.setattr(counter, _must_not_count)
    with pytest.raises(ScenarioError, match=r"would take about .*--index"):
        power(game, indices=["banzhaf"])


def test_with_flint_the_estimate_is_the_product_trees(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(product_tree, "available", lambda: True)
    game = _random_game(3000)  # 3.4 s measured with the tree
    seconds, memory = work_estimate(game, set())["Banzhaf"]
    split = split_game(types_of(game), game.quota)
    assert seconds == product_tree.seconds(3000, split.quota, len(split.plain)) < 10
    assert memory == work(split, set())["Banzhaf"][1] * product_tree.COPIES
    assert "banzhaf" in feasible_indices(game)
    for counter in _COUNTERS:
        monkeypatch.setattr(counter, _must_not_count)
    with pytest.raises(ScenarioError, match="too large"):
        power(_random_game(10_000), indices=["banzhaf"])


def test_the_time_and_memory_budget_can_be_raised() -> None:
    game = _random_game(70)
    seconds, memory = work_estimate(game, {"minimal", "minimal_share"})["Deegan-Packel"]
    assert "deegan_packel" in feasible_indices(game)
    assert "deegan_packel" not in feasible_indices(game, max_seconds=seconds / 2)
    assert "deegan_packel" not in feasible_indices(game, max_bytes=memory / 2)
    with pytest.raises(ScenarioError) as slow:
        power(game, indices=["deegan_packel"], max_seconds=seconds / 2)
    text = str(slow.value)
    assert "Deegan-Packel index" in text and "(limits: " in text and "--max-gb" not in text
    found = re.search(r"--max-seconds (\d+)", text)
    assert found is not None
    suggested = int(found.group(1))
    assert suggested >= seconds
    with pytest.raises(ScenarioError) as big:
        power(game, indices=["deegan_packel"], max_bytes=memory / 2)
    text = str(big.value)
    assert "--max-seconds" not in text
    found = re.search(r"--max-gb ([\d.]+)", text)
    assert found is not None
    suggested_gb = float(found.group(1))
    assert suggested_gb * 1e9 >= memory
    raised = power(game, indices=["deegan_packel"], max_seconds=suggested, max_bytes=memory)
    assert raised.deegan_packel == power(game, indices=["deegan_packel"]).deegan_packel


def _weights_game(n: int, seed: int, vetoes: int = 0, top: int = 20) -> WeightedGame:
    """``n`` members of random weights 1 to ``top`` (the first ``vetoes`` holding a veto),
    quota half the total plus one."""
    rng = np.random.default_rng(seed)
    weights = tuple(int(w) for w in rng.integers(1, top + 1, size=n))
    veto = (True,) * vetoes + (False,) * (n - vetoes)
    return WeightedGame(weights, sum(weights) // 2 + 1, veto=veto)


@pytest.mark.parametrize(("n", "vetoes"), [(93, 0), (106, 0), (90, 2)])
def test_the_deegan_packel_pass_builds_the_shapley_shubik_product(n: int, vetoes: int) -> None:
    """Above 62 members the Deegan-Packel pass ends with the prefix sums by size of the
    product over the members without a veto, as the Shapley-Shubik count builds them."""
    game = _weights_game(n, n, vetoes)
    split = split_game(types_of(game), game.quota)
    *_, built = minimal_counts_and_product(split, sized=True)
    layout = sized_layout(split, split.plain_members)
    own = Prefix(sized_prefix_sums(split.ascending(), layout), layout)
    assert built is not None and built.layout == layout  # (2 vetoes: 90 and 88 members, 96 bits)
    assert built.pre == own.pre


@pytest.mark.parametrize(("n", "vetoes"), [(90, 0), (90, 2)])
def test_shapley_shubik_beside_deegan_packel_reuses_the_product(
    monkeypatch: pytest.MonkeyPatch, n: int, vetoes: int
) -> None:
    game = _weights_game(n, 7, vetoes)
    needs = {"shapley", "minimal", "minimal_share"}
    assert shares_product(split_game(types_of(game), game.quota), needs)
    assert not shares_product(split_game(types_of(game), game.quota), {"shapley", "minimal"})
    alone = count(game, needs={"shapley"}, method="dp")
    dp_alone = count(game, needs={"minimal", "minimal_share"}, method="dp")
    monkeypatch.setattr("councilsim.power.generating.sized_prefix_sums", _must_not_count)
    both = count(game, needs=needs, method="dp")
    assert both.shapley == alone.shapley
    assert (both.minimal, both.minimal_with, both.minimal_share) == (
        dp_alone.minimal,
        dp_alone.minimal_with,
        dp_alone.minimal_share,
    )
    with pytest.raises(AssertionError, match="counting started"):  # alone, it builds its own
        count(game, needs={"shapley"}, method="dp")


def test_shapley_shubik_builds_its_own_product_in_another_layout() -> None:
    """With veto holders the pass's slots hold counts of every member: 66 members need 72
    bits, the 60 without a veto 64, so the Shapley-Shubik count builds its own product."""
    game = _weights_game(66, 5, vetoes=6, top=4)  # few classes: enumerable
    split = split_game(types_of(game), game.quota)
    *_, built = minimal_counts_and_product(split, sized=True)
    assert built is not None and built.layout != sized_layout(split, split.plain_members)
    assert not shares_product(split, {"shapley", "minimal", "minimal_share"})
    both = count(game, needs={"shapley", "minimal", "minimal_share"}, method="dp")
    assert both.shapley == count(game, needs={"shapley"}, method="dp").shapley
    by_class = count(game, needs={"shapley"}, method="classes")
    assert both.per_member(both.shapley) == by_class.per_member(by_class.shapley)


def test_the_deegan_packel_pass_holds_no_more_than_its_estimate() -> None:
    # The pass holds the product's rows by size and Psi, and gathers a few points from them
    # (Psi's at the end a batch at a time): about 1.7 tables traced at 80 members, 2.3 before
    # the batches. The pass that kept psi and a table of prefix sums per class traced about 3
    # and fails here.
    game = _random_game(80)
    memory = work_estimate(game, {"minimal", "minimal_share"})["Deegan-Packel"][1]
    tracemalloc.start()
    try:
        result = power(game, exact=True, indices=["deegan_packel"])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert sum(result.deegan_packel) == 1
    assert peak <= memory


def _swings_by_subset_sums(weights: tuple[int, ...], quota: int, i: int) -> int:
    """Coalitions of the others that member ``i`` turns from losing to winning."""
    others = weights[:i] + weights[i + 1 :]
    by_weight = [1] + [0] * sum(others)
    for w in others:
        for t in range(len(by_weight) - 1, w - 1, -1):
            by_weight[t] += by_weight[t - w]
    return sum(by_weight[max(0, quota - weights[i]) : quota])


@pytest.mark.parametrize("members", [61, 62, 63, 64, 65, 66, 67, 68, 126, 127, 128, 129])
def test_banzhaf_of_games_around_slot_widths_by_subset_sums(members: int) -> None:
    # Where the engines change their words and slots (62 and 64 members: uint64 vectors and
    # prefix sums; 67: the largest coefficient fits 64 bits; 126: 128-bit slots, never
    # widened). Games of 65-67 members once summed prefix sums beyond 2**64 in uint64 words
    # and gave negative Banzhaf values; each member's swings here come from plain subset sums.
    game = _random_game(members)
    result = power(game, exact=True, indices=["banzhaf_absolute"])
    for i in (0, members // 2, members - 1):
        swings = _swings_by_subset_sums(game.weights, game.quota, i)
        assert result.values["banzhaf_absolute"][i] == F(swings, 2 ** (members - 1))


def _shapley_by_sized_subset_sums(weights: tuple[int, ...], quota: int, i: int) -> F:
    """Member ``i``'s Shapley-Shubik value: coalitions of the others by size and weight."""
    others, n = weights[:i] + weights[i + 1 :], len(weights)
    by_size = [[0] * quota for _ in range(n)]
    by_size[0][0] = 1
    for k, w in enumerate(others):
        for size in range(k + 1, 0, -1):
            row, fewer = by_size[size], by_size[size - 1]
            for t in range(quota - 1, w - 1, -1):
                row[t] += fewer[t - w]
    low = max(0, quota - weights[i])
    return sum(
        (F(factorial(s) * factorial(n - s - 1), factorial(n)) * sum(by_size[s][low:quota]))
        for s in range(n)
    )


@pytest.mark.parametrize("members", [62, 63, 64, 65, 67, 68])
def test_shapley_shubik_of_games_around_slot_widths_by_sized_subset_sums(members: int) -> None:
    rng = np.random.default_rng(members)
    weights = tuple(int(w) for w in rng.integers(1, 7, size=members))
    game = WeightedGame(weights, sum(weights) // 2 + 1)
    result = power(game, exact=True, indices=["shapley_shubik"])
    for i in sorted({weights.index(w) for w in set(weights)}):
        expected = _shapley_by_sized_subset_sums(weights, game.quota, i)
        assert result.values["shapley_shubik"][i] == expected


@pytest.mark.parametrize(
    "text", ["197; 7*27, 11*20, 1*20", "198; 7v, 2*48, 13*17", "195; 5v, 5, 4*14, 6*51"]
)
def test_generating_functions_match_classes_around_64_members(text: str) -> None:
    game = parse_game(text)
    needs = {"shapley", "minimal", "minimal_share"}
    for asked in (set(), needs):
        by_class = count(game, needs=asked, method="classes")
        by_dp = count(game, needs=asked, method="dp")
        assert by_dp.winning == by_class.winning
        if asked:
            assert by_dp.minimal == by_class.minimal
        per_type = ("shapley", "minimal_with", "minimal_share") if asked else ()
        for field in ("swings", *per_type):
            a, b = getattr(by_dp, field), getattr(by_class, field)
            assert by_dp.per_member(a) == by_class.per_member(b), field
