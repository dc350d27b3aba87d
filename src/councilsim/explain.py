"""The rule and single decisions in words: what ``councilsim show`` and ``councilsim vote`` say.

:func:`rule_in_words` states a council's Art. 27 rule as a sentence or two (it lives in
:mod:`councilsim.describe`, which ``show`` reads without numpy); :func:`explain_vote` decides
one draft through :func:`councilsim.rule.decide_council` and says why it ended as it did,
naming the members whose vote blocked it.

>>> from councilsim.scenario import load
>>> from councilsim.rule import Vote, profile
>>> council = load("current").council
>>> e = explain_vote(council, profile(council, no=["USA"], rest=Vote.YES))
>>> e.outcome.name, e.vetoed_by
('VETOED', ('USA',))
>>> e.reason
'14 yes votes reach the quota of 9, but it is vetoed by USA'
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from councilsim.council import Abstention, Council
from councilsim.describe import rule_in_words
from councilsim.rule import Outcome, Vote, blocks, decide_council

__all__ = ["VoteExplanation", "explain_vote", "rule_in_words"]

VOTES = ("yes", "no", "abstain", "absent")
"""The four ways a member's vote is recorded, in the order they are listed."""


@dataclass(frozen=True)
class VoteExplanation:
    """One draft decided under Art. 27, with the reason.

    ``votes`` lists the members by vote as counted: a party to the dispute is listed as
    abstaining (Art. 27(3)) whatever it cast. ``vetoed_by`` names the veto holders whose vote
    blocked the draft; it is empty unless the outcome is ``VETOED`` (a draft short of the quota
    fails whatever the veto holders do, and under a veto threshold of 2 a single no blocks
    nothing). ``veto_no`` names every veto holder whose no was counted, blocking or not.
    """

    outcome: Outcome
    procedural: bool
    yes_weight: int
    quota: int
    veto_threshold: int
    literal: bool
    votes: Mapping[str, tuple[str, ...]]
    parties: tuple[str, ...]
    vetoed_by: tuple[str, ...]
    veto_no: tuple[str, ...]
    veto_holders: tuple[str, ...] = ()

    @property
    def reason(self) -> str:
        """Why the draft ended as it did, in one sentence without the final full stop."""
        head = f"{self.yes_weight} yes votes"
        if self.outcome is Outcome.ADOPTED:
            text = f"{head} reach the quota of {self.quota}"
            if self.procedural:
                return text
            if self.veto_no:
                return (
                    f"{text} and no veto blocks it (veto holders voting no: "
                    f"{', '.join(self.veto_no)}; {self.veto_threshold} are needed to block)"
                )
            return text + (" and no veto blocks it" if self.veto_holders else "")
        if self.outcome is Outcome.VETOED:
            by = ", ".join(self.vetoed_by)
            if self.literal:
                by += " (literal reading: a veto holder not voting yes blocks)"
            return f"{head} reach the quota of {self.quota}, but it is vetoed by {by}"
        text = f"{head} fall short of the quota of {self.quota}"
        if self.veto_no and not self.procedural:
            text += f" (veto holders voting no: {', '.join(self.veto_no)}; not counted as a veto)"
        return text

    def text(self, width: int = 100) -> str:
        """The explanation as printed by ``councilsim vote``: outcome, reason, the tally.

        The reason is wrapped to ``width`` columns.
        """
        kind = "procedural" if self.procedural else "substantive"
        head = f"{self.outcome.name.lower()}: {self.reason}."
        lines = [textwrap.fill(head, width, subsequent_indent="  "), f"({kind} draft)"]
        for v in VOTES:
            names = self.votes[v]
            lines.append(f"  {v:8s}{len(names):3d}  {', '.join(names)}".rstrip())
        if self.parties:
            lines.append(
                "  parties to the dispute counted as abstaining (Art. 27(3)): "
                + ", ".join(self.parties)
            )
        return "\n".join(lines)

    def rows(self) -> list[dict[str, Any]]:
        """One row per member: member, vote as counted, party, veto holder, blocked the draft."""
        out = []
        for v in VOTES:
            for name in self.votes[v]:
                out.append(
                    {
                        "member": name,
                        "vote": v,
                        "party": name in self.parties,
                        "veto": name in self.veto_holders,
                        "blocked": name in self.vetoed_by,
                    }
                )
        return out

    def to_dict(self) -> dict[str, Any]:
        """JSON data: outcome, reason, procedural, yes_weight, quota, vetoed_by, veto_no,
        parties, votes (lists by vote as counted) and explanation (:meth:`text`)."""
        return {
            "outcome": self.outcome.name.lower(),
            "reason": self.reason,
            "procedural": self.procedural,
            "yes_weight": self.yes_weight,
            "quota": self.quota,
            "vetoed_by": list(self.vetoed_by),
            "veto_no": list(self.veto_no),
            "parties": list(self.parties),
            "votes": {v: list(self.votes[v]) for v in VOTES},
            "explanation": self.text(),
        }


def explain_vote(
    council: Council,
    votes: ArrayLike,
    *,
    procedural: bool = False,
    parties: Iterable[str] = (),
) -> VoteExplanation:
    """Decide one draft and explain the outcome.

    Parameters
    ----------
    council
        The council voting.
    votes
        One profile of :class:`~councilsim.rule.Vote` codes, one per seat (see
        :func:`councilsim.rule.profile`).
    procedural
        Decide as a procedural matter (Art. 27(2)): the procedural quota, no veto.
    parties
        Holder codes or seat labels of the parties to a dispute in a decision under Chapter VI
        or Art. 52(3): by the proviso of Art. 27(3) they abstain. The proviso has no
        counterpart in Art. 27(2), so parties with ``procedural`` raise :class:`ValueError`.

    Raises
    ------
    KeyError
        A party that holds no seat.
    ValueError
        Parties named for a procedural draft, or a profile of the wrong length.
    """
    party_index = sorted({council.index_of(p) for p in parties})
    if party_index and procedural:
        raise ValueError(
            "parties to a dispute abstain only in decisions under Chapter VI and Art. 52(3) "
            "(Art. 27(3)); a procedural vote (Art. 27(2)) has no such proviso"
        )
    mask = np.zeros(council.size, dtype=np.bool_)
    mask[party_index] = True
    v = np.asarray(votes, dtype=np.int8)
    d = decide_council(council, v, procedural=procedural, parties=mask)
    counted = np.where(mask, np.int8(Vote.ABSTAIN), v)
    names = council.labels()
    outcome = Outcome(int(d.outcome))
    blocking = _blocking_members(council, counted)
    vetoed_by = () if outcome is not Outcome.VETOED else _named(names, blocking)
    veto_no = () if procedural else _named(names, (counted == Vote.NO) & council.veto)
    return VoteExplanation(
        outcome=outcome,
        procedural=procedural,
        yes_weight=int(d.yes_weight),
        quota=council.rule.procedural_quota if procedural else council.rule.quota,
        veto_threshold=council.rule.veto_threshold,
        literal=council.rule.abstention is Abstention.LITERAL,
        votes={
            k: tuple(names[i] for i in range(council.size) if counted[i] == code)
            for k, code in zip(VOTES, Vote, strict=True)
        },
        parties=tuple(names[i] for i in party_index),
        vetoed_by=vetoed_by,
        veto_no=veto_no,
        veto_holders=_named(names, council.veto),
    )


def _blocking_members(council: Council, counted: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    # The rule's own blocking test (Art. 27(3) under the council's reading of abstention).
    return np.asarray(blocks(counted, council.rule.abstention) & council.veto)


def _named(names: tuple[str, ...], mask: Any) -> tuple[str, ...]:
    return tuple(n for n, m in zip(names, np.asarray(mask), strict=True) if m)
