"""The voting rule of Art. 27 of the UN Charter, vectorised over drafts: its one home.

Art. 27(3) adopts a substantive draft when the weighted yes votes ``Y`` reach the quota and
fewer than the veto threshold of veto holders block it, ``B`` counting them; Art. 27(2)
adopts a procedural draft on the procedural quota alone. Every engine reads the rule from
here, in one of four forms:

* the decision on vote profiles: :func:`decide` (the brute-force power oracle, the checks of
  the simulator, the tests), or its two halves :func:`tally` and :func:`classify`;
* the blocking test, which vote of a veto holder blocks under each reading of abstention
  (:func:`blocks`) and how likely a veto holder with given vote probabilities blocks
  (:func:`block_probability`): the Monte Carlo engines;
* the winning test on tallies, :func:`wins` (from :func:`meets_quota` and :func:`blocked`),
  vectorised over arrays of ``(Y, B)``: the tables of the simulator and the counting of
  coalitions in :mod:`councilsim.power`, where a yes/no coalition's ``B`` is the number of
  veto holders outside it;
* the distribution of ``(Y, B)`` for members voting independently,
  :func:`tally_distribution` over :func:`voters`: the exact engine and the compared outcome
  rates.

Votes are coded as small integers (:class:`Vote`) in an array whose last axis runs over the
seats of a council and whose leading axes run over drafts.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import IntEnum
from fractions import Fraction
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from councilsim.council import Abstention, Council, Rule

Prob = Fraction | float
"""A probability, exact where it is a fraction (an ``int`` 0 or 1 also serves)."""


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


def blocks(votes: ArrayLike, abstention: Abstention = Abstention.PRACTICE) -> NDArray[np.bool_]:
    """Whether a veto holder casting each vote blocks the draft (Art. 27(3)).

    Under the practice since 1947 (:class:`~councilsim.council.Abstention`) only a no vote
    blocks; under the literal reading ("the concurring votes of the permanent members") every
    vote but yes does, so abstaining or being absent blocks too.

    >>> codes = [Vote.YES, Vote.NO, Vote.ABSTAIN, Vote.ABSENT]
    >>> blocks(codes).tolist(), blocks(codes, Abstention.LITERAL).tolist()
    ([False, True, False, False], [False, True, True, True])
    """
    v = np.asarray(votes)
    if abstention is Abstention.LITERAL:
        out: NDArray[np.bool_] = v != Vote.YES
    else:
        out = v == Vote.NO
    return out


@functools.cache
def blocking_votes(abstention: Abstention = Abstention.PRACTICE) -> tuple[Vote, ...]:
    """The votes by which a veto holder blocks (see :func:`blocks`).

    >>> blocking_votes(), blocking_votes(Abstention.LITERAL)
    ((<Vote.NO: 1>,), (<Vote.NO: 1>, <Vote.ABSTAIN: 2>, <Vote.ABSENT: 3>))
    """
    codes = np.array(list(Vote), dtype=np.int8)
    return tuple(Vote(int(c)) for c in codes[blocks(codes, abstention)])


def block_probability(
    yes: Prob, no: Prob, abstain: Prob, absent: Prob, abstention: Abstention
) -> Prob:
    """The probability that a veto holder blocks, from its probabilities of each vote.

    The probability of the no vote under the practice, of any vote but yes under the literal
    reading (computed as ``1 - yes``: the four probabilities sum to 1). The result keeps the
    arithmetic of the arguments: a fraction from fractions.

    >>> half, tenth = Fraction(1, 2), Fraction(1, 10)
    >>> block_probability(half, 4 * tenth, tenth, 0, Abstention.PRACTICE)
    Fraction(2, 5)
    >>> block_probability(half, 4 * tenth, tenth, 0, Abstention.LITERAL)
    Fraction(1, 2)
    """
    if abstention is Abstention.LITERAL:
        return 1 - yes
    return no


def neutral_probability(
    yes: Prob, no: Prob, abstain: Prob, absent: Prob, abstention: Abstention
) -> Prob:
    """The probability that a veto holder neither votes yes nor blocks.

    Abstaining or being absent under the practice; nothing under the literal reading. Where it
    is 0 a veto holder blocks whenever it does not vote yes.

    >>> neutral_probability(0.5, 0.25, 0.125, 0.125, Abstention.PRACTICE)
    0.25
    >>> neutral_probability(0.5, 0.25, 0.125, 0.125, Abstention.LITERAL)
    0
    """
    if abstention is Abstention.LITERAL:
        return 0
    return abstain + absent


def meets_quota(yes_weight: ArrayLike, quota: int) -> NDArray[np.bool_]:
    """Whether the weighted yes votes reach the quota (Art. 27(2) and (3): nine of fifteen).

    >>> meets_quota([8, 9, 10], 9).tolist()
    [False, True, True]
    """
    out: NDArray[np.bool_] = np.asarray(yes_weight) >= quota
    return out


def blocked(blocking: ArrayLike, veto_threshold: int = 1) -> NDArray[np.bool_]:
    """Whether ``blocking`` veto holders block a draft: at least ``veto_threshold`` of them
    (1 in the Charter, where any one permanent member's no is a veto).

    >>> blocked([0, 1, 2]).tolist(), blocked([0, 1, 2], 2).tolist()
    ([False, True, True], [False, False, True])
    """
    out: NDArray[np.bool_] = np.asarray(blocking) >= veto_threshold
    return out


def wins(
    yes_weight: ArrayLike, blocking: ArrayLike, quota: int, veto_threshold: int = 1
) -> NDArray[np.bool_]:
    """Whether tallies adopt a substantive draft: the quota met and the draft not blocked.

    For a coalition of yes voters in a yes/no vote, ``yes_weight`` is its weight and
    ``blocking`` the number of veto holders outside it. Vectorised: the arguments broadcast.

    >>> wins([9, 9, 15], [0, 1, 1], 9).tolist()
    [True, False, False]
    >>> wins([9, 9], [1, 2], 9, veto_threshold=2).tolist()
    [True, False]
    """
    return meets_quota(yes_weight, quota) & ~blocked(blocking, veto_threshold)


def tally(
    votes: NDArray[np.integer],
    weights: NDArray[np.integer],
    veto: NDArray[np.bool_],
    abstention: Abstention = Abstention.PRACTICE,
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """Count a draft's votes: weighted yes, blocking veto holders, and veto holders voting no.

    Which votes of a veto holder block depends on the reading of abstention (:func:`blocks`).
    """
    yes = votes == Vote.YES
    yes_weight = (yes * np.asarray(weights, dtype=np.int64)).sum(axis=-1)
    blocking = (blocks(votes, abstention) & veto).sum(axis=-1, dtype=np.int64)
    if blocking_votes(abstention) == (Vote.NO,):
        return yes_weight, blocking, blocking
    veto_no = ((votes == Vote.NO) & veto).sum(axis=-1, dtype=np.int64)
    return yes_weight, blocking, veto_no


def classify(
    yes_weight: ArrayLike,
    blocking: ArrayLike,
    quota: int,
    veto_threshold: int = 1,
) -> NDArray[np.int8]:
    """Classify drafts from their tallies: adopted, vetoed (quota met but blocked), failed.

    >>> classify([8, 9, 9], [1, 0, 1], 9).tolist() == [Outcome.FAILED, Outcome.ADOPTED,
    ...                                              Outcome.VETOED]
    True
    """
    enough = meets_quota(yes_weight, quota)
    stopped = blocked(blocking, veto_threshold)
    return np.where(
        enough, np.where(stopped, Outcome.VETOED, Outcome.ADOPTED), Outcome.FAILED
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


class Voter(NamedTuple):
    """A member voting independently of the others, as the tallies see it.

    With probability ``yes`` it adds ``weight`` to ``Y``; with probability ``block`` (a veto
    holder only) it adds 1 to ``B``; otherwise it leaves both as they are.
    """

    weight: int
    veto: bool
    yes: Prob
    block: Prob

    def floats(self) -> Voter:
        """The same voter with its probabilities rounded to floats."""
        return Voter(self.weight, self.veto, float(self.yes), float(self.block))


def voters(
    weights: Iterable[int],
    veto: Iterable[bool],
    probs: Iterable[Sequence[Prob]],
    abstention: Abstention = Abstention.PRACTICE,
) -> tuple[Voter, ...]:
    """The voters of a council from each member's probabilities of yes, no, abstain and absent
    (in :class:`Vote` order, as in a :class:`~councilsim.models.VoteProbs`).

    A veto holder blocks with :func:`block_probability`; the arithmetic of the probabilities
    is kept.

    >>> half = Fraction(1, 2)
    >>> council = voters([1, 1], [True, False], [(half, 0, half, 0)] * 2, Abstention.LITERAL)
    >>> [v.block for v in council]
    [Fraction(1, 2), 0]
    """
    out = []
    for weight, holds, p in zip(weights, veto, probs, strict=True):
        yes, no, abstain, absent = p
        block = block_probability(yes, no, abstain, absent, abstention) if holds else 0
        out.append(Voter(int(weight), bool(holds), yes, block))
    return tuple(out)


@dataclass(frozen=True)
class TallyDistribution:
    """The joint distribution of the tallies ``(Y, B)``: ``P(Y = y, B = b) = mass[y, b] * scale``.

    ``mass`` holds Python integers (an object array) when the distribution is exact, floats
    otherwise (then ``scale`` is 1.0). Read it through :meth:`probability` or
    :meth:`probabilities`; :attr:`yes` and :attr:`blocking` give the tallies of each cell, to
    build the masks :meth:`probability` takes from :func:`wins` or :func:`classify`.
    """

    mass: NDArray[Any]
    scale: Prob

    @property
    def exact(self) -> bool:
        return bool(self.mass.dtype == object)

    @property
    def yes(self) -> NDArray[np.int64]:
        """``Y`` of each cell."""
        return np.broadcast_to(np.arange(self.mass.shape[0])[:, None], self.mass.shape)

    @property
    def blocking(self) -> NDArray[np.int64]:
        """``B`` of each cell."""
        return np.broadcast_to(np.arange(self.mass.shape[1])[None, :], self.mass.shape)

    def probability(self, where: NDArray[np.bool_]) -> Prob:
        """The probability that the tallies fall in the cells where ``where`` is true."""
        if self.exact:
            return Fraction(sum(self.mass[where].tolist(), 0)) * self.scale
        return float(self.mass[where].sum())

    def probabilities(self) -> NDArray[Any]:
        """``P(Y = y, B = b)`` at ``[y, b]``: fractions where exact, else floats."""
        out: NDArray[Any] = self.mass * self.scale if self.exact else self.mass
        return out


def tally_distribution(
    voters: Sequence[Voter], *, exact: bool = True, without: int | None = None
) -> TallyDistribution:
    """The joint distribution of the tallies ``(Y, B)`` of independent voters.

    It is built member by member: each voter moves probability ``yes`` up by its weight in
    ``Y`` and ``block`` up by one in ``B``, and leaves the rest in place (the generating
    function of the tallies, multiplied out one factor at a time). It covers the tallies of all
    ``voters`` (cells ``(total weight + 1) × (veto holders + 1)``), also when ``without``
    leaves out the voter at that index: the distribution of the *others'* tallies then lines
    up with the whole council's, as a member's decisiveness needs.

    With ``exact`` and no probability a float, it is exact: counted in integers over a common
    denominator, read as fractions. Otherwise it is in floating point.

    >>> half = Fraction(1, 2)
    >>> council = [Voter(1, True, half, half), Voter(2, False, half, 0)]
    >>> d = tally_distribution(council)
    >>> d.probability(d.yes == 3), d.probability(wins(d.yes, d.blocking, quota=2))
    (Fraction(1, 4), Fraction(1, 4))
    >>> tally_distribution(council, without=0).probabilities()[:, 0].tolist()
    [Fraction(1, 2), Fraction(0, 1), Fraction(1, 2), Fraction(0, 1)]
    """
    shape = (sum(v.weight for v in voters) + 1, sum(v.veto for v in voters) + 1)
    kept = [v for i, v in enumerate(voters) if i != without]
    if exact and not any(isinstance(p, float) for v in voters for p in (v.yes, v.block)):
        denom = math.lcm(*(_denominator(p) for v in voters for p in (v.yes, v.block)))
        scaled = [Voter(v.weight, v.veto, int(v.yes * denom), int(v.block * denom)) for v in kept]
        mass = _multiply_out(scaled, shape, denom, object)
        return TallyDistribution(mass, Fraction(1, denom ** len(kept)))
    return TallyDistribution(_multiply_out([v.floats() for v in kept], shape, 1.0, np.float64), 1.0)


def _denominator(p: Prob) -> int:
    return p.denominator if isinstance(p, Fraction) else Fraction(p).denominator


def _multiply_out(
    voters: Sequence[Voter], shape: tuple[int, int], one: Prob, dtype: Any
) -> NDArray[Any]:
    """The tallies' distribution in units of ``one`` per voter (total mass ``one ** n``)."""
    top_y, top_b = shape[0] - 1, shape[1] - 1
    dist = np.zeros(shape, dtype=dtype)
    dist[0, 0] = 1
    for w, veto, py, pb in voters:
        new = dist * (one - py - pb)
        new[w:, :] += dist[: top_y + 1 - w, :] * py
        if veto:
            new[:, 1:] += dist[:, :top_b] * pb
        dist = new
    return dist
