"""The rule in words and the explanation of one vote (``councilsim.explain``)."""

from __future__ import annotations

import dataclasses

import pytest

from councilsim import Abstention, Outcome, Vote
from councilsim.explain import explain_vote, rule_in_words
from councilsim.rule import decide_council, profile
from councilsim.scenario import load


def test_rule_in_words() -> None:
    assert rule_in_words(load("current").council) == (
        "A substantive draft needs 9 of 15 members voting yes and is blocked when any one veto "
        "holder votes no (abstention and absence do not block). A procedural draft needs 9 yes "
        "votes; no veto applies."
    )
    assert "2 of the 5 veto holders together vote no" in rule_in_words(load("double-veto").council)
    c = load("current").council
    literal = dataclasses.replace(
        c, rule=dataclasses.replace(c.rule, abstention=Abstention.LITERAL)
    )
    assert "any one veto holder does not vote yes (literal reading" in rule_in_words(literal)


@pytest.mark.parametrize(
    ("sid", "kwargs", "outcome", "vetoed_by", "veto_no"),
    [
        ("current", {"no": ["USA"], "rest": Vote.YES}, Outcome.VETOED, ("USA",), ("USA",)),
        ("current", {"no": ["USA"], "yes": ["FRA"]}, Outcome.FAILED, (), ("USA",)),
        ("current", {"abstain": ["RUS"], "rest": Vote.YES}, Outcome.ADOPTED, (), ()),
        ("double-veto", {"no": ["USA"], "rest": Vote.YES}, Outcome.ADOPTED, (), ("USA",)),
        (
            "double-veto",
            {"no": ["USA", "RUS"], "rest": Vote.YES},
            Outcome.VETOED,
            ("RUS", "USA"),
            ("RUS", "USA"),
        ),
    ],
)
def test_vetoed_by_names_the_members_whose_vote_blocked(
    sid: str,
    kwargs: dict[str, object],
    outcome: Outcome,
    vetoed_by: tuple[str, ...],
    veto_no: object,
) -> None:
    c = load(sid).council
    votes = profile(c, **kwargs)  # type: ignore[arg-type]
    e = explain_vote(c, votes)
    assert e.outcome is outcome is Outcome(int(decide_council(c, votes).outcome))
    assert e.vetoed_by == vetoed_by and e.veto_no == veto_no
    assert [r["member"] for r in e.rows() if r["blocked"]] == sorted(
        vetoed_by, key=c.labels().index
    )


def test_a_party_abstains_and_cannot_veto() -> None:
    c = load("current").council
    votes = profile(c, no=["GBR"], rest=Vote.YES)
    e = explain_vote(c, votes, parties=["GBR"])
    assert e.outcome is Outcome.ADOPTED and e.vetoed_by == () and e.parties == ("GBR",)
    assert "GBR" in e.votes["abstain"] and "GBR" not in e.votes["no"]
    assert "parties to the dispute counted as abstaining (Art. 27(3)): GBR" in e.text()


def test_parties_are_refused_in_a_procedural_vote() -> None:
    c = load("current").council
    with pytest.raises(ValueError, match=r"Art\. 27\(2\)"):
        explain_vote(c, profile(c, rest=Vote.YES), procedural=True, parties=["GBR"])


def test_text_and_dict() -> None:
    c = load("double-veto").council
    e = explain_vote(c, profile(c, no=["USA"], rest=Vote.YES))
    assert e.reason == (
        "14 yes votes reach the quota of 9 and no veto blocks it "
        "(veto holders voting no: USA; 2 are needed to block)"
    )
    lines = e.text().splitlines()
    assert lines[0].startswith("adopted: 14 yes votes") and max(map(len, lines)) <= 100
    d = e.to_dict()
    assert d["outcome"] == "adopted" and d["vetoed_by"] == [] and d["veto_no"] == ["USA"]
    assert d["votes"]["no"] == ["USA"] and len(d["votes"]["yes"]) == 14
