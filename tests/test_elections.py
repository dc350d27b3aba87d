"""Election rules: the [elections] table, the engine, and the rules holding in every year."""

from __future__ import annotations

import dataclasses
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from councilsim.council import Region, SeatKind
from councilsim.elections import (
    ArabSeat,
    BallotModel,
    ElectionRules,
    Violation,
    YearComposition,
    candidates_from_csv,
    check_membership,
    default_stagger,
    group_seat_years,
    parse_elections,
    rules_for,
    run_elections,
    spearman,
    starting_composition,
    summarise,
    uniform_candidates,
)
from councilsim.errors import ScenarioError
from councilsim.scenario import load, load_text, shipped_ids
from councilsim.states import ARAB_STATES, by_group, lookup

SHIPPED = shipped_ids()
CURRENT = Path(load("current").path or "").read_text(encoding="utf-8")


def current_rules() -> ElectionRules:
    return rules_for(load("current"))


# --- the [elections] table --------------------------------------------------------------------


def test_current_has_the_real_stagger_and_the_2026_council() -> None:
    rules = current_rules()
    elected = rules.election("elected")
    assert not elected.derived and not elected.reelection and elected.term == 2
    assert dict(elected.elected_in(2025)) == {
        Region.AFRICA: 2,
        Region.ASIA_PACIFIC: 1,
        Region.EASTERN_EUROPE: 1,
        Region.GRULAC: 1,
    }
    assert dict(elected.elected_in(2026)) == {
        Region.AFRICA: 1,
        Region.ASIA_PACIFIC: 1,
        Region.GRULAC: 1,
        Region.WEOG: 2,
    }
    assert rules.arab_seat == ArabSeat("elected", Region.ASIA_PACIFIC, 2025)
    assert rules.start is not None and rules.start.year == 2026
    ends = {h: e for h, e in zip(rules.start.holders, rules.start.term_ends, strict=True) if e}
    assert {h for h, e in ends.items() if e == 2026} == {"DNK", "GRC", "PAK", "PAN", "SOM"}
    assert {h for h, e in ends.items() if e == 2027} == {"BHR", "COL", "COD", "LVA", "LBR"}
    # Bahrain holds the swing seat of the 2025 election.
    assert rules.arab_seats is not None
    assert rules.start.holders[rules.arab_seats[Region.ASIA_PACIFIC]] == "BHR"


def test_extending_scenario_inherits_elections() -> None:
    assert rules_for(load("double-veto")).start == current_rules().start


@pytest.mark.parametrize("sid", SHIPPED)
def test_every_shipped_scenario_has_valid_rules(sid: str) -> None:
    rules = rules_for(load(sid))
    council = rules.council
    for cls in rules.classes:
        seats = council.classes[[c.id for c in council.classes].index(cls.class_id)]
        per_group = Counter(seats.seat_regions())
        for region, n in per_group.items():
            assert region is not None
            assert sum(p.get(region, 0) for p in cls.stagger) == n


def test_shipped_staggers() -> None:
    pre = rules_for(load("pre-1965")).election("elected")
    assert [sum(p.values()) for p in pre.stagger] == [3, 3]
    hlp = rules_for(load("hlp-model-b"))
    assert hlp.election("long-term").term == 4 and hlp.election("long-term").reelection
    assert [sum(p.values()) for p in hlp.election("long-term").stagger] == [2, 2, 2, 2]
    assert not hlp.election("long-term").derived
    ufc = rules_for(load("ufc-2005")).election("elected")
    assert ufc.reelection and [sum(p.values()) for p in ufc.stagger] == [10, 10]


def test_default_stagger_halves_and_quarters() -> None:
    seats = {Region.AFRICA: 3, Region.ASIA_PACIFIC: 2, Region.EASTERN_EUROPE: 1, Region.WEOG: 2}
    even, odd = default_stagger(seats, 2)
    assert even == {Region.AFRICA: 2, Region.ASIA_PACIFIC: 1, Region.WEOG: 1}
    assert odd == {
        Region.AFRICA: 1,
        Region.ASIA_PACIFIC: 1,
        Region.EASTERN_EUROPE: 1,
        Region.WEOG: 1,
    }
    four = default_stagger({Region.AFRICA: 4, Region.GRULAC: 2}, 4)
    assert [p.get(Region.AFRICA) for p in four] == [1, 1, 1, 1]
    assert [sum(p.values()) for p in four] == [2, 2, 1, 1]


def _edit(old: str, new: str) -> str:
    assert old in CURRENT
    return CURRENT.replace(old, new)


BAD = [
    (
        _edit("even = { africa = 1,", "even = { africa = 2,"),
        "elections.stagger.elected",
        "4 africa seats elected per 2-year cycle",
    ),
    (
        _edit("odd = { africa = 2,", "third = { africa = 2,"),
        "elections.stagger.elected.third",
        "unknown cycle",
    ),
    (
        _edit("grulac = 1, weog = 2 }", "grulac = 1, weog = 2, mars = 1 }"),
        "elections.stagger.elected.even.mars",
        "unknown group",
    ),
    (
        _edit("grulac = 1, weog = 2 }", "grulac = 1, weog = true }"),
        "elections.stagger.elected.even.weog",
        "expected an integer",
    ),
    (
        _edit(
            "[elections.stagger.elected]",
            "[elections.stagger.permanent]\nodd = {}\n[elections.stagger.elected]",
        ),
        "elections.stagger.permanent",
        "is permanent",
    ),
    (_edit("DNK = 2026", "DNK = 2027"), "elections.start.term_ends.DNK", "no free weog seat"),
    (_edit("DNK = 2026", "DNK = 2029"), "elections.start.term_ends.DNK", "out of range"),
    (_edit("DNK = 2026", "USA = 2026"), "elections.start.term_ends.USA", "holds no elected"),
    (_edit('group = "asia-pacific"', 'group = "weog"'), "elections.arab_seat.group", "swing"),
    (_edit("year = 2025 }", "year = 2025, when = 1 }"), "elections.arab_seat.when", "unknown"),
    (
        _edit("[elections]\n", '[elections]\nopen_permanent = "elect"\n'),
        "elections.open_permanent",
        "unknown value",
    ),
    (_edit("[elections]\n", "[elections]\nstaggers = 1\n"), "elections.staggers", "unknown key"),
]


@pytest.mark.parametrize(("text", "key", "problem"), BAD)
def test_bad_elections_tables_name_key_and_fix(text: str, key: str, problem: str) -> None:
    with pytest.raises(ScenarioError) as info:
        load_text(text, "plan.toml")
    err = info.value
    assert err.key == key and problem in err.problem and err.fix
    assert err.file == "plan.toml" and "\n" not in str(err)


def test_error_has_the_line_of_the_key() -> None:
    with pytest.raises(ScenarioError) as info:
        load_text(BAD[0][0], "plan.toml")
    line = BAD[0][0].splitlines()[(info.value.line or 0) - 1]
    assert line.startswith("[elections.stagger.elected]")


def test_elections_must_be_a_table() -> None:
    with pytest.raises(ScenarioError, match="elections"):
        load_text(CURRENT.split("[elections]")[0].replace("[rule]", "elections = 3\n[rule]"))


def test_group_too_small_without_reelection() -> None:
    text = """
[rule]
quota = 10
[seats.elected]
kind = "elected"
count = 14
region = "eastern-europe"
[elections.stagger.elected]
odd = { eastern-europe = 7 }
even = { eastern-europe = 7 }
"""
    with pytest.raises(ScenarioError, match="has 23 states but needs 26"):
        parse_elections(
            {
                "stagger": {
                    "elected": {"odd": {"eastern-europe": 12}, "even": {"eastern-europe": 2}}
                }
            },
            load_text(text).council,
        )


def test_arab_seat_needs_both_groups_in_its_cycle() -> None:
    council = load("hlp-model-b").council
    with pytest.raises(ScenarioError, match="elects no"):
        parse_elections({"arab_seat": {"class": "long-term", "year": 2025}}, council)


# --- runs -----------------------------------------------------------------------------------


def entrants(years: list[YearComposition], t: int, cls: str) -> set[str]:
    return set(years[t].holders(cls)) - set(years[t - 1].holders(cls))


def test_current_run_follows_the_rules_each_year() -> None:
    rules = current_rules()
    run = run_elections(rules, 40, seed=7)
    years = run.composition()
    assert check_membership(years, rules) == []
    assert years[0].holders() == [h for h in rules.start.holders if h]  # type: ignore[union-attr]
    for t in range(1, len(years)):
        y = years[t].year
        assert set(years[t].holders("permanent")) == {"CHN", "FRA", "RUS", "GBR", "USA"}
        new = entrants(years, t, "elected")
        assert len(new) == 5
        retiring = set(years[t - 1].holders("elected")) - set(years[t].holders("elected"))
        assert not new & retiring
        if (y - 1) % 2 == 1:  # the swing seat: alternately Asia-Pacific and Africa
            group = Region.ASIA_PACIFIC if (y - 1 - 2025) % 4 == 0 else Region.AFRICA
            arabs = [c for c in new if c in ARAB_STATES and lookup(c).group is group]  # type: ignore[union-attr]
            assert arabs, f"no Arab state of {group} elected in {y - 1}"
    # the 2025-26 cohort leaves after 2026, the 2026-27 cohort after 2027
    assert {"DNK", "GRC", "PAK", "PAN", "SOM"} & set(years[1].holders()) == set()
    assert {"BHR", "COL", "COD", "LVA", "LBR"} <= set(years[1].holders())


@given(
    sid=st.sampled_from(SHIPPED),
    seed=st.integers(0, 2**32 - 1),
    reps=st.integers(1, 3),
    years=st.integers(1, 25),
    draw=st.booleans(),
    weighted=st.booleans(),
)
def test_rules_hold_in_every_year(
    sid: str, seed: int, reps: int, years: int, draw: bool, weighted: bool
) -> None:
    scenario = load(sid)
    rules = rules_for(scenario)
    if draw:
        rules = parse_elections(
            {**dict(scenario.raw.get("elections", {})), "open_permanent": "draw"},
            scenario.council,
        )
    cands = uniform_candidates()
    if weighted:
        w = np.random.default_rng(seed).pareto(1.0, cands.weights.size) * cands.weights
        cands = type(cands)("random", w)
    run = run_elections(rules, years, replications=reps, seed=seed, candidates=cands)
    for r in range(reps):
        comp = run.composition(r)
        assert check_membership(comp, rules) == []
        if draw:
            assert all(m.holder is not None for c in comp for m in c.members)


region_counts = st.dictionaries(st.sampled_from(list(Region)), st.integers(1, 4), min_size=1)


@given(
    seats=region_counts,
    term=st.integers(1, 4),
    reelection=st.booleans(),
    seed=st.integers(0, 10**6),
)
def test_default_stagger_always_works(
    seats: dict[Region, int], term: int, reelection: bool, seed: int
) -> None:
    by_region = ", ".join(f"{r.value} = {n}" for r, n in seats.items())
    text = f"""
[rule]
quota = 1
[seats.elected]
kind = "elected"
term = {term}
reelection = {str(reelection).lower()}
count = {sum(seats.values())}
by_region = {{ {by_region} }}
[elections]
"""
    rules = rules_for(load_text(text))
    cls = rules.classes[0]
    assert cls.derived
    totals = [sum(p.values()) for p in cls.stagger]
    assert max(totals) - min(totals) <= 1
    run = run_elections(rules, 3 * term + 1, seed=seed)
    assert check_membership(run.composition(), rules) == []


def test_reproducible_and_seed_sensitive() -> None:
    rules = current_rules()
    a = run_elections(rules, 20, replications=5, seed=11)
    b = run_elections(rules, 20, replications=5, seed=11)
    c = run_elections(rules, 20, replications=5, seed=12)
    assert np.array_equal(a.holders, b.holders)
    assert not np.array_equal(a.holders, c.holders)


def no_state_sits_twice(holders: np.ndarray) -> bool:
    seated = np.sort(holders, axis=2)
    return not ((seated[:, :, 1:] == seated[:, :, :-1]) & (seated[:, :, 1:] >= 0)).any()


def test_a_holder_from_another_group_cannot_win_a_second_seat() -> None:
    """Japan starts in a Latin American seat until 2027: the 2026 election of an
    Asia-Pacific seat must pass it over."""
    rules = current_rules()
    start = starting_composition(rules)
    holders = list(start.holders)
    holders[12] = "JPN"  # COL's seat, whose term ends in 2027
    foreign = dataclasses.replace(start, holders=tuple(holders))
    run = run_elections(
        rules, 6, start=foreign, replications=400, seed=2, candidates=uniform_candidates()
    )
    assert (run.holders[:, :2, 12] == run.states.index("JPN")).all()
    assert no_state_sits_twice(run.holders)


def test_global_rng_is_not_used() -> None:
    state = np.random.get_state()  # noqa: NPY002 - the legacy global generator, checked untouched
    run_elections(current_rules(), 10, seed=1)
    after = np.random.get_state()  # noqa: NPY002
    assert all(np.array_equal(x, y) for x, y in zip(state, after, strict=True))


def test_open_permanent_seats() -> None:
    scenario = load("g4-2005")
    rules = rules_for(scenario)
    run = run_elections(rules, 6, replications=4, seed=3)
    seats = rules.council.seats
    open_ = [i for i, s in enumerate(seats) if s.kind is SeatKind.PERMANENT and s.holder is None]
    assert len(open_) == 2 and (run.holders[:, :, open_] == -1).all()
    drawn = parse_elections({"open_permanent": "draw"}, scenario.council)
    run = run_elections(drawn, 6, replications=50, seed=3)
    held = run.holders[:, :, open_]
    assert (held >= 0).all() and (held == held[:, :1, :]).all()  # drawn once, kept
    africa = {s.iso3 for s in by_group("africa")}
    assert {run.states[i] for i in held.ravel()} <= africa


def test_start_year_without_file_must_match_the_start_table() -> None:
    rules = current_rules()
    with pytest.raises(ScenarioError, match="2026"):
        starting_composition(rules, 2030)
    other = starting_composition(rules_for(load("g4-2005")), 2040)
    assert other.year == 2040 and other.source == "scenario"


def test_uniform_model_gives_groups_their_seat_share() -> None:
    rules = current_rules()
    run = run_elections(rules, 100, replications=300, seed=5, candidates=uniform_candidates())
    groups = group_seat_years(run)
    total = sum(groups.values())
    share = Counter(s.region for s in rules.council.seats)
    for region, n in share.items():
        assert groups[region] / total == pytest.approx(n / rules.council.size)
    # and within a group every state that can serve gets about the same
    summary = summarise(run)
    codes = list(run.states)
    weog = [codes.index(s.iso3) for s in by_group("weog") if s.iso3 not in {"FRA", "GBR", "USA"}]
    years = summary.seat_years[weog]
    assert years.sum() == pytest.approx(200)
    assert years.min() > 0.8 * years.mean() and years.max() < 1.2 * years.mean()


def test_summary_figures() -> None:
    rules = current_rules()
    run = run_elections(rules, 30, replications=200, seed=9)
    s = summarise(run, window=10)
    usa = s.state("USA")
    assert usa["seat_years"] == 30 and usa["serve_probability"] == 1
    assert usa["mean_gap"] is None and usa["mean_first_wait"] is None
    dnk = s.state("DNK")  # leaves after 2026, may not return in 2027
    assert dnk["mean_gap"] is not None and dnk["mean_gap"] >= 1
    ind = s.state("IND")
    assert 0 < ind["serve_probability"] < 1 and ind["mean_first_wait"] is not None
    assert s.open_seat_years == 0
    assert sum(s.seat_years) == pytest.approx(15 * 30)


def test_candidates_from_csv(tmp_path: Path) -> None:
    path = tmp_path / "w.csv"
    path.write_text("iso3,weight,note\nAUS,5,x\nCAN,5,\nNZL,5,\nDEU,0,\n", encoding="utf-8")
    cands = candidates_from_csv(path)
    assert cands.weight("AUS") == 5 and cands.weight("DEU") == 0 and cands.weight("ITA") == 0
    run = run_elections(current_rules(), 40, replications=20, seed=1, candidates=cands)
    s = summarise(run)
    favoured = sum(s.state(c)["seat_years"] for c in ("AUS", "CAN", "NZL"))  # type: ignore[misc]
    assert favoured > 0.5 * (80 - 2)  # the three share WEOG's seats with whoever must fill in


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("iso3,w\nAUS,1\n", "missing column 'weight'"),
        ("iso3,weight\nXXX,1\n", "not a UN member"),
        ("iso3,weight\nAUS,-1\n", "not a number >= 0"),
        ("iso3,weight\nAUS,nan\n", "not a number >= 0"),
        ("iso3,weight\nAUS,1\nAUS,2\n", "given twice"),
        ("iso3,weight\nAUS,0\n", "every weight is 0"),
    ],
)
def test_bad_weight_files(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "w.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError, match=problem):
        candidates_from_csv(path)


def test_balloting_elects_within_the_rules() -> None:
    rules = current_rules()
    run = run_elections(rules, 12, replications=30, seed=4, balloting=BallotModel())
    assert run.ballots is not None and (run.ballots >= run.elections).all()
    for r in range(run.replications):
        assert check_membership(run.composition(r), rules) == []


def test_spearman() -> None:
    assert spearman([1, 2, 3, 4], [10, 20, 30, 40]) == pytest.approx(1)
    assert spearman([1, 2, 3, 4], [4, 3, 2, 1]) == pytest.approx(-1)
    assert spearman([1, 1, 2, 3], [1, 1, 2, 3]) == pytest.approx(1)


# --- the validator on hand-made histories ---------------------------------------------------


def test_validator_catches_breaches() -> None:
    rules = current_rules()
    run = run_elections(rules, 6, seed=2)
    years = run.composition()
    # keep year 2's elected members for year 3: everyone elected in the year before re-elected
    tampered = [*years[:3], YearComposition(years[3].year, years[2].members), *years[4:]]
    kinds = {v.kind for v in check_membership(tampered, rules)}
    assert {"reelection", "stagger"} <= kinds
    # a permanent member replaced
    first = years[1]
    swapped = tuple(
        m if m.holder != "USA" else type(m)("BRA", m.seat_class, m.kind, m.region)
        for m in first.members
    )
    found = check_membership([years[0], YearComposition(first.year, swapped)], rules)
    assert Violation(first.year, "permanent", "USA", "left a permanent seat") in found
    assert any(v.kind == "group-count" for v in found)


# --- outcomes over time -----------------------------------------------------------------------


def test_simulate_over_years_uses_each_years_council() -> None:
    models = pytest.importorskip("councilsim.models")
    from councilsim.elections.over_years import simulate_over_years, year_seed

    seen: list[tuple[int, tuple[str, ...]]] = []

    def factory(council: object, year: int) -> object:
        seen.append((year, council.labels()))  # type: ignore[attr-defined]
        return models.build_model("impartial", {})

    run, outcomes = simulate_over_years(load("current"), factory, 3, draws=2000, seed=4)
    assert [o.year for o in outcomes] == [2026, 2027, 2028]
    for t, o in enumerate(outcomes):
        assert o.council.labels() == run.council(t).labels() == seen[t][1]
        assert o.result.seed == year_seed(4, t)
        assert 0 <= o.result.adopted.estimate <= 1
    assert "DNK" in outcomes[0].council.labels() and "DNK" not in outcomes[1].council.labels()
    again, _ = simulate_over_years(load("current"), factory, 3, draws=2000, seed=4)
    assert np.array_equal(again.holders, run.holders)


# --- extends --------------------------------------------------------------------------------


def test_inherited_table_keeps_what_still_fits(tmp_path: Path) -> None:
    removed = tmp_path / "removed.toml"
    removed.write_text(
        'extends = "current"\nremove_seats = ["elected"]\n[rule]\nquota = 3\nprocedural_quota = 3\n'
        '[seats.extra]\nkind = "elected"\ncount = 2\nregion = "africa"\n',
        encoding="utf-8",
    )
    rules = rules_for(load(removed))
    assert [c.class_id for c in rules.classes] == ["extra"] and rules.classes[0].derived
    assert rules.arab_seat is None and rules.start is None
    bigger = tmp_path / "bigger.toml"
    bigger.write_text(
        'extends = "current"\n[rule]\nquota = 10\nprocedural_quota = 10\n'
        "[seats.elected]\ncount = 12\nholders = []\n"
        "by_region = { africa = 4, asia-pacific = 3, eastern-europe = 1, grulac = 2, weog = 2 }\n",
        encoding="utf-8",
    )
    rules = rules_for(load(bigger))
    assert rules.election("elected").derived and rules.start is None
    assert check_membership(run_elections(rules, 10, seed=1).composition(), rules) == []


def test_own_table_in_an_extending_file_is_strict(tmp_path: Path) -> None:
    f = tmp_path / "plan.toml"
    f.write_text(
        'extends = "current"\n[elections.stagger.elected]\nodd = { africa = 3 }\n',
        encoding="utf-8",
    )
    with pytest.raises(ScenarioError, match="africa seats elected") as info:
        load(f)
    assert info.value.line == 2
