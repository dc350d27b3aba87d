"""Sweeps: the grid, sweep files, configurations applied to a base, the engine and its journal."""

from __future__ import annotations

import itertools
import json
import re
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from councilsim import ScenarioError
from councilsim.compare.measures import measures
from councilsim.council import Council
from councilsim.formatting import plain
from councilsim.limits import MAX_FILE_BYTES
from councilsim.scenario import load
from councilsim.statepower import state_power
from councilsim.sweep import (
    ConfigGrid,
    Interrupted,
    MeasureOptions,
    apportion,
    config_id,
    config_seed,
    configure,
    document,
    parse_sweep,
    sweep,
    to_csv,
    to_json,
)

STOP_AT_QUOTA: dict[str, int | None] = {"quota": None}


def toy(
    council: Council,
    *,
    model: Any,
    draws: int,
    seed: int,
    exact: bool,
    states: Any,
) -> dict[str, Any]:
    """A cheap measure function: facts of the council, the model and the seed it was given."""
    if council.rule.quota == STOP_AT_QUOTA["quota"]:
        raise KeyboardInterrupt
    out: dict[str, Any] = {
        "seats": council.size,
        "quota": council.rule.quota,
        "veto_holders": council.veto_holders,
        "share": Fraction(council.rule.quota, council.total_weight),
        "seed": seed % 1_000_003,
        "model": None if model is None else model.name,
    }
    if council.rule.veto_threshold > 1:
        out["threshold"] = council.rule.veto_threshold
    return out


# ---------------------------------------------------------------------------- range syntax


@pytest.mark.parametrize(
    ("item", "values"),
    [
        ("quota=9:15", (9, 10, 11, 12, 13, 14, 15)),
        ("elected=10:20:2", (10, 12, 14, 16, 18, 20)),
        ("elected=10:15:2", (10, 12, 14)),
        ("quota=1,2,5", (1, 2, 5)),
        ("quota=9:11,15", (9, 10, 11, 15)),
        ("quota= 9 ", (9,)),
        ("abstention=practice,literal", ("practice", "literal")),
        ("params.p=0.3:0.7:0.1", (0.3, 0.4, 0.5, 0.6, 0.7)),
        ("params.p=1/3,1/2", ("1/3", 0.5)),
        ("params.p=0,1", (0, 1)),
    ],
)
def test_range_syntax(item: str, values: tuple[Any, ...]) -> None:
    spec = parse_sweep(vary=[item])
    assert spec.grid.axes[0].values == values


def test_decimal_steps_are_exact() -> None:
    values = parse_sweep(vary=["params.p=0.1:0.9:0.1"]).grid.axes[0].values
    assert [Fraction(repr(v)) for v in values] == [Fraction(k, 10) for k in range(1, 10)]


# ---------------------------------------------------------------------------- the grid


def test_grid_order_is_canonical_and_last_axis_fastest() -> None:
    a = parse_sweep(vary=["veto_threshold=1,2", "quota=9:11", "elected=10,12"]).grid
    b = parse_sweep(vary=["elected=10,12", "quota=9:11", "veto_threshold=1,2"]).grid
    assert a == b
    assert a.names == ("elected", "quota", "veto_threshold")
    expected = [
        dict(zip(a.names, combo, strict=True))
        for combo in itertools.product((10, 12), (9, 10, 11), (1, 2))
    ]
    assert list(a) == expected
    assert a.config(7) == {"elected": 12, "quota": 9, "veto_threshold": 2}
    with pytest.raises(IndexError):
        a.config(12)


def test_config_id_depends_on_values_only() -> None:
    one = config_id({"quota": 9, "veto_threshold": 2})
    assert one == config_id({"veto_threshold": 2, "quota": 9})
    assert one != config_id({"quota": 9, "veto_threshold": 1})
    assert len(one) == 12 and int(one, 16) >= 0


def test_config_seed_is_the_spawned_child() -> None:
    children = np.random.SeedSequence(7).spawn(3)
    for k, child in enumerate(children):
        words = child.generate_state(4, np.uint32)
        assert config_seed(7, k) == sum(int(w) << (32 * i) for i, w in enumerate(words))
    assert len({config_seed(7, k) for k in range(100)}) == 100


# ---------------------------------------------------------------------------- sweep files


def write(tmp_path: Path, text: str, name: str = "bad.sweep.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


BAD_FILES = [
    # (file text, key named in the message, words of the problem)
    ('base = "current"\nvary = { quota = 9 }\ncolour = 1\n', "colour", "unknown key"),
    ('base = "current"\n[vary]\nqouta = "9:15"\n', "vary.qouta", "unknown parameter"),
    ('base = "current"\n[vary]\nquota = true\n', "vary.quota", "not a whole number"),
    ('base = "current"\n[vary]\nquota = []\n', "vary.quota", "empty"),
    ('base = "current"\n[vary]\nquota = "15:9"\n', "vary.quota", "is empty"),
    ('base = "current"\n[vary]\nquota = "9:15:0"\n', "vary.quota", "not positive"),
    ('base = "current"\n[vary]\nquota = "9:x"\n', "vary.quota", "not a range"),
    ('base = "current"\n[vary]\nquota = [9, 9]\n', "vary.quota", "twice"),
    ('base = "current"\n[vary]\nquota = "9:20"\n', "vary.quota", "exceed 15"),
    ('base = "current"\n[vary]\nveto_threshold = "1:6"\n', "vary.veto_threshold", "exceeds 5"),
    ('base = "current"\n[vary]\nabstention = "lateral"\n', "vary.abstention", "not a choice"),
    ('base = "current"\n[vary]\nmodel = ["spatial", "x"]\n', "vary.model", "not a choice"),
    ('base = "current"\n[vary]\nelected = "0:2000"\n', "vary.elected", "out of range"),
    ('base = "current"\n[vary]\nseats = "3:20"\n', "vary.seats", "fewer than the 5"),
    ('base = "current"\n[vary]\nseats = 15\nelected = 10\n', "vary.elected", "both"),
    ('base = "current"\n[vary.params]\np = [0.5, 2]\n', "vary.params.p", "not a probability"),
    ('base = "current"\n[vary.params]\nq = 1\n', "vary.params.q", "not a parameter"),
    ('base = "current"\n[vary]\nquota = "1:1000"\nelected = "0:1000"\n', "vary", "1,000,000"),
    ('base = "nowhere"\n[vary]\nquota = 9\n', "base", "no shipped scenario"),
    ('base = "missing.toml"\n[vary]\nquota = 9\n', "base", "does not exist"),
    ("base = 3\n[vary]\nquota = 9\n", "base", "expected a string"),
    ('base = "current"\n', "vary", "nothing is varied"),
    ('base = "current"\n[vary]\nquota = 9\n[measures]\ndraws = "many"\n', "measures.draws", ""),
    ('base = "current"\n[vary]\nquota = 9\n[measures]\nmodle = "x"\n', "measures.modle", ""),
    ('base = "current"\n[vary]\nquota = 9\n[measures]\nmodel = "x"\n', "measures.model", ""),
    ('base = "current"\n[vary]\nquota = 9\n[measures]\nstates = ["XXX"]\n', "measures.states", ""),
    ('base = "current"\n[vary]\nquota = 9\n[measures]\nexact = 1\n', "measures.exact", ""),
    (
        'base = "current"\n[vary]\nquota = 9\n[measures]\nelections = "yes"\n',
        "measures.elections",
        "true or false",
    ),
    (
        'base = "current"\n[vary]\nquota = 9\n[measures]\nelection_years = 0\n',
        "measures.election_years",
        "1..1000",
    ),
    (
        'base = "current"\n[vary]\nquota = 9\n[measures]\nparams = { p = 3 }\n',
        "measures.params",
        "",
    ),
]


@pytest.mark.parametrize(("text", "key", "words"), BAD_FILES)
def test_bad_sweep_file_gives_one_line_naming_file_key_and_fix(
    tmp_path: Path, text: str, key: str, words: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ScenarioError) as info:
        parse_sweep(path)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(str(path)), message
    assert f" {key}" in message or f": {key}:" in message, message
    assert words in message, message
    assert info.value.fix, "every error says how to fix it"


def test_errors_name_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, 'base = "current"\n\n[vary]\nquota = "9:20"\n')
    with pytest.raises(ScenarioError, match=r"bad\.sweep\.toml:4: vary\.quota"):
        parse_sweep(path)


def test_invalid_toml(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="invalid TOML"):
        parse_sweep(write(tmp_path, "base = \n"))


def test_invalid_toml_names_the_line_as_in_scenarios(tmp_path: Path) -> None:
    path = write(tmp_path, 'base = "current"\n\n[vary]\nquota = 9 9\n[measures]\n')
    with pytest.raises(ScenarioError) as info:
        parse_sweep(path)
    assert info.value.line == 4
    assert str(info.value).startswith(f"{path}:4: invalid TOML: ")
    assert "(at line" not in str(info.value)  # said once, in the prefix


@pytest.mark.parametrize(
    ("text", "where"),
    [
        (
            'base = "current"\n[vary]\nquota = 9\n[measures]\nmodle = "blocs"\n',
            ":5: measures.modle",
        ),
        ('base = "current"\nname = 3\n[vary]\nquota = 9\n', ":2: name"),
        ('base = "current"\n[vary]\nquota = 9\n\n[measures]\ndraws = 0\n', ":6: measures.draws"),
    ],
)
def test_keys_of_a_sweep_file_name_their_line(tmp_path: Path, text: str, where: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ScenarioError, match=re.escape(f"{path}{where}: ")):
        parse_sweep(path)


def test_options_left_unset_leave_errors_to_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, 'base = "current"\n[vary]\nquota = 9\n[measures]\nseed = -1\n')
    unset = {"seed": None, "draws": None, "election_years": None}
    with pytest.raises(ScenarioError, match=re.escape(f"{path}:5: measures.seed: -1 is out")):
        parse_sweep(path, measures=unset)


def test_a_sweep_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, 'base = "current"\n[vary]\nquota = 9\n' + "#" * MAX_FILE_BYTES)
    with pytest.raises(ScenarioError, match="a sweep file is at most"):
        parse_sweep(path)


def test_command_line_errors_name_the_option() -> None:
    with pytest.raises(ScenarioError, match=r"^--vary quota: the range '15:9' is empty"):
        parse_sweep(vary=["quota=15:9"])
    with pytest.raises(ScenarioError, match=r"^--vary: 'quota' is not NAME=VALUES"):
        parse_sweep(vary=["quota"])
    with pytest.raises(ScenarioError, match=r"^--draws: "):
        parse_sweep(vary=["quota=9"], measures={"draws": "0"})


def test_election_options_parse_and_enter_the_fingerprint_only_when_set() -> None:
    seats = {"states": ["IND"], "elections": False}
    plain_spec = parse_sweep(vary=["quota=9"], measures=seats)
    assert "elections" not in plain_spec.options.to_dict()  # older journals keep their prints
    assert "elections" not in parse_sweep(vary=["quota=9"]).options.to_dict()  # no states
    assert parse_sweep(vary=["quota=9"], measures={"states": ["IND"]}).options.elections
    spec = parse_sweep(
        vary=["quota=9"],
        measures={"states": ["IND"], "elections": True, "election_reps": "7"},
    )
    assert spec.options.elections and spec.options.election_reps == 7
    assert spec.options.election_years == 10
    assert spec.fingerprint("m") != plain_spec.fingerprint("m")
    with pytest.raises(ScenarioError, match=r"^--election-reps: 0 is out of range"):
        parse_sweep(vary=["quota=9"], measures={"election_reps": "0"})


def test_base_path_is_relative_to_the_sweep_file(tmp_path: Path) -> None:
    (tmp_path / "plan.toml").write_text(
        'extends = "current"\nid = "plan"\n[rule]\nquota = 10\n', encoding="utf-8"
    )
    spec = parse_sweep(write(tmp_path, 'base = "plan.toml"\n[vary]\nveto_threshold = [1, 2]\n'))
    assert spec.base.id == "plan" and spec.base.council.rule.quota == 10


def test_text_and_shipped_example_parse() -> None:
    spec = parse_sweep('base = "g4-2005"\n[vary]\npermanent_veto = "5:7"\nquota = [13, 14]\n')
    assert spec.base.id == "g4-2005" and spec.grid.size == 6
    example = Path(__file__).parents[1] / "examples" / "quota-veto.sweep.toml"
    spec = parse_sweep(example)
    assert spec.grid.names == ("permanent_veto", "quota", "veto_threshold")
    assert spec.grid.size == 5 * 9 * 2


# ---------------------------------------------------------------------------- configurations


def same_council(a: Council, b: Council) -> bool:
    return a.classes == b.classes and a.rule == b.rule


def test_double_veto_is_a_configuration_of_today() -> None:
    current, double = load("current"), load("double-veto")
    council = configure(current, {"quota": 9, "veto_threshold": 2})
    assert same_council(council, double.council)
    assert measures(council, exact=True) == measures(double.council, exact=True)


def test_literal_reading_is_a_configuration_of_today(tmp_path: Path) -> None:
    by_hand = tmp_path / "literal.toml"
    by_hand.write_text('extends = "current"\n[rule]\nabstention = "literal"\n', encoding="utf-8")
    council = configure(load("current"), {"abstention": "literal"})
    assert same_council(council, load(by_hand).council)


def test_pre_1965_council_from_today() -> None:
    """Six elected seats and a quota of 7 give the 1945 Council's exact figures."""
    council = configure(load("current"), {"elected": 6, "quota": 7})
    values = measures(council, exact=True)
    assert values["shapley_shubik_permanent"] == Fraction(76, 385)
    assert values["shapley_shubik_elected"] == Fraction(1, 462)
    assert values["coleman_act"] == Fraction(57, 2048)
    assert values["seats"] == 11 and values["quota"] == 7


def test_veto_for_new_permanent_seats_matches_the_g4_veto_variant() -> None:
    """Six added veto seats instead of six without: the figures of g4-2005-veto that do not
    depend on which region an open seat belongs to."""
    council = configure(load("g4-2005"), {"permanent_no_veto": 0, "permanent_veto": 11})
    ours = measures(council, exact=True)
    theirs = measures(load("g4-2005-veto").council, exact=True)
    keys = [k for k in theirs if "region" not in k and "state" not in k]
    assert {k: ours[k] for k in keys} == {k: theirs[k] for k in keys}
    assert [c.id for c in council.classes] == ["permanent", "added-veto", "elected"]


def test_shrinking_the_p5_drops_the_last_holders() -> None:
    council = configure(load("current"), {"permanent_veto": 3})
    assert council.classes[0].holders == ("CHN", "FRA", "RUS")
    assert council.veto_holders == 3 and council.size == 13


def test_no_veto_left_drops_the_threshold_unless_varied() -> None:
    base = load("current")
    council = configure(base, {"permanent_veto": 0, "quota": 6})
    assert council.veto_holders == 0 and council.rule.veto_threshold == 1
    assert [c.id for c in council.classes] == ["elected"]
    with pytest.raises(ScenarioError, match=r"rule\.veto_threshold: no seat holds a veto"):
        configure(base, {"permanent_veto": 0, "veto_threshold": 1})


def test_elected_seats_keep_their_regions_and_holders() -> None:
    base = load("current")
    doc = document(base, {"elected": 12})
    elected = doc["seats"]["elected"]
    assert elected["count"] == 12
    assert elected["by_region"] == {
        "africa": 4,
        "asia-pacific": 3,  # ties between equal groups go to the one written first
        "eastern-europe": 1,
        "grulac": 2,
        "weog": 2,
    }
    assert elected["holders"] == base.raw["seats"]["elected"]["holders"]
    smaller = document(base, {"elected": 5})["seats"]["elected"]
    assert sum(smaller["by_region"].values()) == 5
    assert set(smaller["holders"]) <= set(elected["holders"])
    assert document(base, {"elected": 0})["seats"].keys() == {"permanent"}


def test_seats_sets_the_total() -> None:
    council = configure(load("g4-2005"), {"seats": 21})
    assert council.size == 21
    assert sum(c.count for c in council.classes if c.kind.value == "elected") == 10


def test_procedural_quota_follows_the_quota_unless_varied() -> None:
    base = load("current")
    assert configure(base, {"quota": 11}).rule.procedural_quota == 11
    assert configure(base, {"quota": 11, "procedural_quota": 8}).rule.procedural_quota == 8
    assert configure(base, {"veto_threshold": 2}).rule.procedural_quota == 9


def test_impossible_configuration_raises_the_scenario_message() -> None:
    with pytest.raises(ScenarioError, match=r"^rule\.quota: 16 is outside 1\.\.15"):
        configure(load("current"), {"quota": 16})


@given(st.lists(st.integers(0, 40), min_size=1, max_size=6).filter(any))
def test_apportion_reproduces_its_counts_and_sums(counts: list[int]) -> None:
    assert apportion(counts, sum(counts)) == counts
    for n in range(0, sum(counts) + 5):
        assert sum(apportion(counts, n)) == n


@given(st.lists(st.integers(1, 30), min_size=1, max_size=6), st.integers(0, 60))
def test_apportion_never_takes_a_seat_away_when_growing(counts: list[int], n: int) -> None:
    smaller, larger = apportion(counts, n), apportion(counts, n + 1)
    assert all(b >= a for a, b in zip(smaller, larger, strict=True))


# ---------------------------------------------------------------------------- the engine


def spec_of(*vary: str, **options: Any) -> Any:
    return parse_sweep(vary=list(vary), measures=options or None)


def test_rows_in_index_order_with_invalid_rows_kept() -> None:
    spec = spec_of("elected=4,10", "quota=9:12")
    rows = spec.run(workers=1, measure=toy)
    assert [r["index"] for r in rows] == list(range(8))
    invalid = [r for r in rows if r["status"] == "invalid"]
    assert [r["vary"] for r in invalid] == [
        {"elected": 4, "quota": 10},
        {"elected": 4, "quota": 11},
        {"elected": 4, "quota": 12},
    ]
    assert invalid[0]["reason"].startswith("rule.quota: 10 is outside 1..9")
    assert invalid[0]["measures"] == {}
    ok = rows[0]
    assert ok["status"] == "ok" and ok["reason"] is None
    assert ok["measures"]["share"] == "1"  # exact values are text, integers too
    assert rows[4]["measures"]["share"] == "3/5"
    assert ok["id"] == config_id(ok["vary"])


def test_each_configuration_gets_its_own_seed() -> None:
    spec = spec_of("quota=9:11", seed="5")
    rows = spec.run(workers=1, measure=toy)
    assert [r["measures"]["seed"] for r in rows] == [
        config_seed(5, i) % 1_000_003 for i in range(3)
    ]


def test_model_axes_reach_the_measure() -> None:
    rows = spec_of("model=impartial,blocs").run(workers=1, measure=toy)
    assert [r["measures"]["model"] for r in rows] == ["impartial", "blocs"]
    assert spec_of("quota=9").run(workers=1, measure=toy)[0]["measures"]["model"] is None


def test_invalid_model_combination_is_an_invalid_row() -> None:
    rows = spec_of("params.p=0.5,0.8", "params.abstain=0,0.3").run(workers=1, measure=toy)
    bad = [r for r in rows if r["status"] == "invalid"]
    assert [r["vary"] for r in bad] == [{"params.abstain": 0.3, "params.p": 0.8}]
    assert bad[0]["reason"].startswith("vary.params.p: p + abstain + absent")


def test_any_number_of_workers_gives_the_same_rows() -> None:
    spec = spec_of("elected=8:12", "quota=9:13", "veto_threshold=1,2")
    one = spec.run(workers=1, measure=toy)
    two = sweep(spec.base, spec.grid, options=spec.options, workers=2, measure=toy, chunk_size=3)
    assert one == two
    assert to_csv(spec, one) == to_csv(spec, two)


def test_real_measures_of_a_row_match_measures() -> None:
    spec = spec_of("quota=9", "veto_threshold=1,2")
    rows = spec.run(workers=1)
    double = measures(load("double-veto").council)
    assert rows[1]["measures"] == {k: plain(v) for k, v in double.items()}
    assert rows[0]["measures"]["coleman_act"] == 848 / 32768


def test_removing_the_p5_leaves_no_permanent_member_in_the_measures() -> None:
    """The base's first permanent class stays "the permanent member": without it the
    *_permanent measures are empty and the G4's six seats are still new permanent seats."""
    spec = parse_sweep(base="g4-2005", vary=["permanent_veto=0,5"])
    gone, kept = (r["measures"] for r in spec.run(workers=1))
    assert gone["banzhaf_permanent"] is None and gone["banzhaf_ratio"] is None
    council = configure(load("g4-2005"), {"permanent_veto": 0})
    assert [c.id for c in council.classes] == ["new-permanent", "elected"]
    assert measures(council)["banzhaf_permanent"] is not None  # alone, the first class
    expected = measures(council, permanent_class="permanent")
    assert expected["banzhaf_new_permanent"] == gone["banzhaf_new_permanent"] == 1 / 20
    assert kept == {k: plain(v) for k, v in measures(load("g4-2005").council).items()}


def test_elections_give_states_their_expected_power_in_each_configuration() -> None:
    """As compare --elections does, with the configuration's seed and its own Council."""
    options = {"states": ["IND", "NGA"], "elections": True, "election_reps": 10}
    spec = parse_sweep(vary=["elected=10,12"], measures=options)
    same, more = spec.run(workers=1)
    base = load("current")
    run = state_power(base, replications=10, seed=config_seed(0, 0))
    expected = measures(base.council, states=["IND", "NGA"], expected=run)
    assert same["measures"] == {k: plain(v) for k, v in expected.items()}
    assert same["measures"]["banzhaf_state_ind"] > 0  # IND holds no seat in the 2026 Council
    # twelve elected seats: the written stagger no longer fits, so the derived one is used
    assert more["status"] == "ok" and more["measures"]["banzhaf_state_nga"] > 0
    seats = {"states": ["IND", "NGA"], "elections": False}
    without = parse_sweep(vary=["elected=10,12"], measures=seats)
    assert [r["measures"]["banzhaf_state_ind"] for r in without.run(workers=1)] == [0.0, 0.0]


def test_elections_are_on_by_default_with_derived_rules() -> None:
    """A base without an [elections] table derives its rules: Nigeria gains an expected
    power from the open African seats and the elected ones; off, it holds no named seat."""
    options: dict[str, Any] = {"states": ["NGA"], "election_reps": 20}
    rows = parse_sweep(base="g4-2005", vary=["quota=14"], measures=options).run(workers=1)
    assert rows[0]["measures"]["banzhaf_state_nga"] > 0
    seats = {"states": ["NGA"], "elections": False}
    off = parse_sweep(base="g4-2005", vary=["quota=14"], measures=seats).run(workers=1)
    assert off[0]["measures"]["banzhaf_state_nga"] == 0


def test_monte_carlo_rows_are_reproducible_across_workers() -> None:
    spec = spec_of("quota=9:11", model="blocs", draws="3000")
    one = spec.run(workers=1)
    two = spec.run(workers=2, chunk_size=1)
    assert one == two
    assert "adopted_ci_low" in one[0]["measures"]


def test_csv_and_json_carry_the_same_table() -> None:
    spec = spec_of("elected=4,10", "quota=9,10")
    rows = spec.run(workers=1, measure=toy)
    lines = to_csv(spec, rows).splitlines()
    assert lines[0] == (
        "index,id,vary.elected,vary.quota,status,seats,quota,veto_holders,share,seed,model,reason"
    )
    assert lines[2].split(",")[4] == "invalid" and lines[2].endswith(
        ",rule.quota: 10 is outside 1..9 (the total weight); set quota in 1..9"
    )
    data = json.loads(to_json(spec, rows))
    assert data["sweep"]["configurations"] == 4 and data["sweep"]["invalid"] == 1
    assert data["sweep"]["vary"] == {"elected": [4, 10], "quota": [9, 10]}
    assert data["rows"] == rows


# ---------------------------------------------------------------------------- the journal


def test_interrupted_run_resumes_to_the_same_rows(tmp_path: Path) -> None:
    spec = spec_of("elected=8:11", "quota=9:14")
    full = spec.run(workers=1, measure=toy)
    journal = tmp_path / "out.csv.journal"
    STOP_AT_QUOTA["quota"] = 12
    try:
        with pytest.raises(Interrupted) as info:
            spec.run(workers=1, measure=toy, journal=journal, chunk_size=1)
    finally:
        STOP_AT_QUOTA["quota"] = None
    assert info.value.saved == 3 and info.value.total == 24
    assert len(journal.read_text().splitlines()) == 1 + 3
    with pytest.raises(ScenarioError, match="add --resume to continue"):
        spec.run(workers=1, measure=toy, journal=journal)
    seen: list[int] = []
    resumed = spec.run(workers=1, measure=toy, journal=journal, resume=True, progress=seen.append)
    assert resumed == full
    assert seen[0] == 3 and sum(seen) == 24


def test_a_line_cut_short_by_a_crash_is_dropped(tmp_path: Path) -> None:
    spec = spec_of("quota=9:14")
    journal = tmp_path / "out.csv.journal"
    full = spec.run(workers=1, measure=toy, journal=journal)
    lines = journal.read_text().splitlines(keepends=True)
    journal.write_text("".join(lines[:3]) + lines[3][:20])
    assert spec.run(workers=1, measure=toy, journal=journal, resume=True) == full
    assert len(journal.read_text().splitlines()) == 1 + 6


def test_a_journal_of_another_sweep_is_refused(tmp_path: Path) -> None:
    journal = tmp_path / "out.csv.journal"
    spec_of("quota=9:11").run(workers=1, measure=toy, journal=journal)
    for other in (spec_of("quota=9:12"), spec_of("quota=9:11", seed="1")):
        with pytest.raises(ScenarioError, match="belongs to a different sweep"):
            other.run(workers=1, measure=toy, journal=journal, resume=True)
    other_base = parse_sweep(base="g4-2005", vary=["quota=9:11"])
    with pytest.raises(ScenarioError, match="belongs to a different sweep"):
        other_base.run(workers=1, measure=toy, journal=journal, resume=True)
    with pytest.raises(ScenarioError, match="belongs to a different sweep"):
        spec_of("quota=9:11").run(workers=1, journal=journal, resume=True)


def test_damaged_journal_is_refused(tmp_path: Path) -> None:
    journal = tmp_path / "out.csv.journal"
    journal.write_text("not json\n")
    with pytest.raises(ScenarioError, match="not a sweep journal"):
        spec_of("quota=9:11").run(workers=1, measure=toy, journal=journal, resume=True)


def test_measure_options_are_part_of_the_spec() -> None:
    spec = spec_of("quota=9", model="impartial", params={"p": "0.6"}, states=["ind"])
    assert spec.options == MeasureOptions("impartial", {"p": "0.6"}, 100_000, 0, False, ("IND",))
    assert ConfigGrid.of({"quota": [9]}) == spec.grid


# ---------------------------------------------------------------------------- documentation


def test_every_parameter_is_documented() -> None:
    from councilsim.sweep import PARAMETERS

    doc = (Path(__file__).parents[1] / "docs" / "sweep.md").read_text(encoding="utf-8")
    for name in [*PARAMETERS, "params.<name>"]:
        assert f"| `{name}` |" in doc, name


def test_package_docstring_example() -> None:
    import doctest

    import councilsim.sweep

    result = doctest.testmod(councilsim.sweep, verbose=False)
    assert result.attempted >= 2 and result.failed == 0
