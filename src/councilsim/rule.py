"""The voting rule of Art. 27 of the UN Charter, vectorised over drafts.

Every part of councilsim decides drafts through :func:`decide` (or its two halves,
:func:`tally` and :func:`classify`, for callers that count votes another way): the exact
power engine's brute-force oracle, the Monte Carlo simulator and the tests.

Votes are coded as small integers (:class:`Vote`) in an array whose last axis runs over the
seats of a council and whose leading axes run over drafts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum

import numpy as np
from numpy.typing import ArrayLike, NDArray

from councilsim.council import Abstention, Council, Rule


class Vote(IntEnum):
    """A member's vote on a draft."""

    YES = 0
    NO = 1
    ABSTAIN = 2
    ABSENT = 3


class Outcome(IntEnum):
    """How a draft ends.

    ``VETOED`` is the convention of the UN veto list: the draft had the required yes votes and
    was blocked by the negative vote of a veto holder. A draft short of the quota ``FAILED``
    whether or not a veto holder voted no (:attr:`Decision.veto_cast` records that).
    """

    ADOPTED = 0
    VETOED = 1
    FAILED = 2


@dataclass(frozen=True)
class Decision:
    """The result of :func:`decide` for an array of drafts (all arrays share its leading shape)."""

    outcome: NDArray[np.int8]
    yes_weight: NDArray[np.int64]
    blocking: NDArray[np.int64]
    veto_cast: NDArray[np.bool_]

    @property
    def adopted(self) -> NDArray[np.bool_]:
        return np.equal(self.outcome, Outcome.ADOPTED)

    @property
    def vetoed(self) -> NDArray[np.bool_]:
        return np.equal(self.outcome, Outcome.VETOED)

    @property
    def failed(self) -> NDArray[np.bool_]:
        return np.equal(self.outcome, Outcome.FAILED)


def tally(
    votes: NDArray[np.integer],
    weights: NDArray[np.integer],
    veto: NDArray[np.bool_],
    abstention: Abstention = Abstention.PRACTICE,
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """Count a draft's votes: weighted yes, blocking veto holders, and veto holders voting no.

    Under the practice since 1947 a veto holder blocks only by voting no; under the literal
    reading of Art. 27(3) ("concurring votes") every veto holder that does not vote yes blocks.
    """
    yes = votes == Vote.YES
    yes_weight = (yes * np.asarray(weights, dtype=np.int64)).sum(axis=-1)
    veto_no = ((votes == Vote.NO) & veto).sum(axis=-1, dtype=np.int64)
    if abstention is Abstention.LITERAL:
        blocking = (~yes & veto).sum(axis=-1, dtype=np.int64)
    else:
        blocking = veto_no
    return yes_weight, blocking, veto_no


def classify(
    yes_weight: ArrayLike,
    blocking: ArrayLike,
    quota: int,
    veto_threshold: int = 1,
) -> NDArray[np.int8]:
    """Classify drafts from their tallies: adopted, vetoed (quota met but blocked), failed."""
    enough = np.asarray(yes_weight) >= quota
    blocked = np.asarray(blocking) >= veto_threshold
    return np.where(
        enough, np.where(blocked, Outcome.VETOED, Outcome.ADOPTED), Outcome.FAILED
    ).astype(np.int8)


def decide(
    votes: ArrayLike,
    weights: ArrayLike,
    veto: ArrayLike,
    rule: Rule,
    *,
    procedural: bool = False,
    parties: ArrayLike | None = None,
) -> Decision:
    """Decide drafts under Art. 27.

    Parameters
    ----------
    votes
        Integer array of :class:`Vote` codes, shape ``(..., n)``: leading axes are drafts.
    weights, veto
        Per-seat votes and veto flags, shape ``(n,)``.
    rule
        Quotas, veto threshold and abstention reading.
    procedural
        Decide as a procedural matter (Art. 27(2)): the procedural quota, no veto.
    parties
        Boolean mask (shape ``(n,)`` or broadcastable to ``votes``) of parties to a dispute
        in a decision under Chapter VI or Art. 52(3): by the proviso of Art. 27(3) they
        abstain, so their votes are counted as abstentions whatever was cast.

    Examples
    --------
    Today's Council (five veto holders, then ten elected seats; nine votes adopt) and two
    drafts with fourteen yes votes: on the first a permanent member votes no, on the second it
    abstains, which in the Council's practice does not block.

    >>> import numpy as np
    >>> from councilsim import Outcome, Rule, Vote, decide
    >>> weights, veto = np.ones(15, dtype=np.int64), np.arange(15) < 5
    >>> votes = np.full((2, 15), Vote.YES, dtype=np.int8)
    >>> votes[0, 0], votes[1, 0] = Vote.NO, Vote.ABSTAIN
    >>> d = decide(votes, weights, veto, Rule(quota=9, procedural_quota=9))
    >>> [Outcome(o).name for o in d.outcome]
    ['VETOED', 'ADOPTED']
    >>> d.yes_weight.tolist(), d.blocking.tolist()
    ([14, 14], [1, 0])

    A procedural vote needs the procedural quota and knows no veto:

    >>> Outcome(decide(votes[0], weights, veto, Rule(9, 9), procedural=True).outcome).name
    'ADOPTED'
    """
    v = np.asarray(votes)
    if v.ndim == 0 or not np.issubdtype(v.dtype, np.integer):
        raise ValueError("votes must be an integer array of Vote codes with a seat axis last")
    w = np.asarray(weights, dtype=np.int64)
    vt = np.asarray(veto, dtype=np.bool_)
    if v.shape[-1] != w.shape[0] or w.shape != vt.shape:
        raise ValueError(f"votes have {v.shape[-1]} seats but the council has {w.shape[0]}")
    if parties is not None:
        v = np.where(np.asarray(parties, dtype=np.bool_), np.int8(Vote.ABSTAIN), v)
    yes_weight, blocking, veto_no = tally(v, w, vt, rule.abstention)
    if procedural:
        outcome = classify(yes_weight, np.zeros_like(blocking), rule.procedural_quota, 1)
        return Decision(outcome, yes_weight, np.zeros_like(blocking), veto_no > 0)
    outcome = classify(yes_weight, blocking, rule.quota, rule.veto_threshold)
    return Decision(outcome, yes_weight, blocking, veto_no > 0)


def decide_council(
    council: Council,
    votes: ArrayLike,
    *,
    procedural: bool = False,
    parties: ArrayLike | None = None,
) -> Decision:
    """:func:`decide` with the council's own weights, vetoes and rule."""
    return decide(
        votes, council.weights, council.veto, council.rule, procedural=procedural, parties=parties
    )


def profile(
    council: Council,
    *,
    yes: Iterable[str] = (),
    no: Iterable[str] = (),
    abstain: Iterable[str] = (),
    absent: Iterable[str] = (),
    rest: Vote = Vote.ABSENT,
) -> NDArray[np.int8]:
    """Build one vote profile from holder codes or seat labels.

    Every seat not named gets ``rest``. Unknown names raise :class:`KeyError`; a seat named
    under two different votes raises :class:`ValueError`.
    """
    votes = np.full(council.size, Vote(rest), dtype=np.int8)
    seen: dict[int, str] = {}
    for kind, names, code in (
        ("yes", yes, Vote.YES),
        ("no", no, Vote.NO),
        ("abstain", abstain, Vote.ABSTAIN),
        ("absent", absent, Vote.ABSENT),
    ):
        for name in names:
            i = council.index_of(name)
            if seen.setdefault(i, kind) != kind:
                raise ValueError(f"{name} is named both as {seen[i]} and as {kind}")
            votes[i] = code
    return votes
