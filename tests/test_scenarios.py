"""Scenario files: each shipped one loads and meets its expected block; each bad one fails well."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from councilsim import ScenarioError
from councilsim.scenario import load, load_text, scenario_dir, shipped_ids
from councilsim.scenario.expected import verify
from councilsim.strategies import mutated_scenarios

SHIPPED = shipped_ids()
FAIL_DIR = Path(__file__).parent / "data-fail"
FAILING = sorted(FAIL_DIR.glob("*.toml"))
SYMBOL = re.compile(
    r"\b(A|S|E)/[0-9A-Z.()/\-]+|Charter|ICJ|GA res\.|Public Choice|Intergovernmental"
)

REQUIRED_IDS = {
    "current",
    "pre-1965",
    "double-veto",
    "razali-1997",
    "hlp-model-a",
    "hlp-model-b",
    "g4-2005",
    "g4-2005-veto",
    "african-union-2005",
    "ufc-2005",
    "g4-2024",
    "ufc-2024",
    "seed-2024",
}


def test_every_required_scenario_is_shipped() -> None:
    assert REQUIRED_IDS <= set(SHIPPED)


@pytest.mark.parametrize("sid", SHIPPED)
def test_shipped_scenario_is_valid_and_cited(sid: str) -> None:
    s = load(sid)
    assert s.id == sid, "the id inside the file must match its name"
    assert s.name and s.description
    assert s.sources, "every shipped scenario cites its sources"
    assert any(SYMBOL.search(src) for src in s.sources), "cite at least one document"
    assert s.path is not None and s.path.parent == scenario_dir()


@pytest.mark.parametrize("sid", SHIPPED)
def test_shipped_scenario_meets_its_expected_block(sid: str) -> None:
    s = load(sid)
    assert s.expected, "every shipped scenario carries an expected block"
    assert verify(s) == []


def test_the_verifier_reports_each_wrong_value(tmp_path: Path) -> None:
    text = (scenario_dir() / "current.toml").read_text(encoding="utf-8")
    for old, new in [
        ('id = "current"', 'id = "wrong"'),
        ("veto_holders = 5\nquota = 9", "veto_holders = 5\nquota = 8"),
        ('elected = "4/2145"', 'elected = "1/2145"'),
        ("decisive = false", "decisive = true"),
        ('no = ["USA"]\nrest = "yes"\noutcome = "vetoed"', 'no = ["USA"]\nrest = "yes"'),
    ]:
        assert old in text
        text = text.replace(old, new)
    path = tmp_path / "wrong.toml"
    path.write_text(text.replace('rest = "yes"\n\n', 'rest = "yes"\noutcome = "adopted"\n\n', 1))
    got = [(m.key, m.expected, m.actual) for m in verify(load(path))]
    assert got == [
        ("expected.quota", "8", "9"),
        ("expected.shapley_shubik.elected", "1/2145", "4/2145"),
        ("expected.axioms.decisive", "true", "false"),
        ("expected.votes.1", "adopted", "vetoed"),
    ]


def test_the_complete_example_of_the_reference_carries_its_own_values(tmp_path: Path) -> None:
    doc = (Path(__file__).parents[1] / "docs" / "scenarios.md").read_text(encoding="utf-8")
    example = doc.split("## A complete example", 1)[1].split("```toml\n", 1)[1].split("```")[0]
    s = load_text(example, "my-plan.toml")
    assert {"coleman_act", "shapley_shubik", "banzhaf_swings", "axioms", "votes"} <= set(s.expected)
    assert verify(s) == []


def test_extends_overrides_a_few_keys() -> None:
    base, variant = load("g4-2005"), load("g4-2005-veto")
    assert variant.extends == ("g4-2005",)
    assert variant.council.veto_holders == 11 and base.council.veto_holders == 5
    assert [k.id for k in variant.council.classes] == [k.id for k in base.council.classes]
    assert variant.council.rule == base.council.rule
    assert load("double-veto").council.rule.veto_threshold == 2


def test_named_holders_take_the_seat_of_their_group() -> None:
    c = load("g4-2005").council
    regions = {s.holder: s.region for s in c.seats if s.holder}
    assert regions["IND"] == "asia-pacific" and regions["BRA"] == "grulac"
    assert regions["DEU"] == "weog" and regions["USA"] == "weog"
    assert sum(1 for s in c.seats if s.region == "africa") == 6


def test_remove_seats_and_new_class(tmp_path: Path) -> None:
    f = tmp_path / "small.toml"
    f.write_text(
        'extends = "current"\nremove_seats = ["elected"]\n'
        "[rule]\nquota = 3\nprocedural_quota = 3\n"
        '[seats.extra]\nkind = "elected"\ncount = 2\nregion = "africa"\n'
    )
    s = load(f)
    assert s.id == "small" and s.council.size == 7 and s.expected == {}


@pytest.mark.parametrize("path", FAILING, ids=lambda p: p.stem)
def test_invalid_fixture_gives_its_message(path: Path) -> None:
    expected = path.read_text().splitlines()[0].removeprefix("# error: ")
    with pytest.raises(ScenarioError) as info:
        load(path)
    message = str(info.value)
    assert "\n" not in message
    assert path.name in message, "the message names the file"
    assert expected in message


def test_every_error_message_has_a_fix() -> None:
    for path in FAILING:
        with pytest.raises(ScenarioError) as info:
            load(path)
        if path.stem not in {"cycle-a", "cycle-b"}:
            assert info.value.fix or "invalid TOML" in str(info.value), path.name


def test_missing_file_and_unknown_id() -> None:
    with pytest.raises(ScenarioError, match="no such file"):
        load("does/not/exist.toml")
    with pytest.raises(ScenarioError, match="did you mean g4-2005"):
        load("g4")


def test_not_utf8(tmp_path: Path) -> None:
    f = tmp_path / "bin.toml"
    f.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(ScenarioError, match="UTF-8"):
        load(f)


VALID = (scenario_dir() / "current.toml").read_text()


def mutated() -> st.SearchStrategy[str]:
    """The shipped ``current.toml`` after a few random edits (spans, characters, values, keys)."""
    return mutated_scenarios(st.just(VALID))


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_fuzzed_toml_raises_only_scenario_error(text: str) -> None:
    try:
        load_text(text, "fuzz.toml")
    except ScenarioError as err:
        assert "\n" not in str(err) and str(err).startswith("fuzz.toml")
