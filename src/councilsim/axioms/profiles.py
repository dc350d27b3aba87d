"""Axioms over whole vote profiles (yes, no, abstain, absent): anonymity and the veto property.

These read every vote a seat can cast, not only yes or no, because Art. 27(3) treats them
differently: under the practice since 1947 a permanent member blocks only by voting no, under
the literal reading also by abstaining or being absent.
"""

from __future__ import annotations

import math
import random

import numpy as np
from numpy.typing import NDArray

from councilsim.axioms.counterexamples import NotAnonymous, VetoOverridden
from councilsim.axioms.rules import DecisionRule
from councilsim.axioms.space import LIMIT, space
from councilsim.limits import DEFAULT_SEED
from councilsim.rule import Vote

__all__ = ["SAMPLES", "anonymous", "anonymous_exhaustively", "trusted", "veto"]

SAMPLES = 20_000
"""Random profiles :func:`anonymous` tries when the council is too large to try them all."""


def veto(rule: DecisionRule, *, limit: int = LIMIT) -> VetoOverridden | None:
    """The veto property: a veto holder voting no blocks, whatever the others vote.

    For every seat ``i`` claimed to hold a veto and every profile in which ``i`` votes no, the
    draft is not adopted. This is Art. 27(3) as it has been read since 1945 ("the concurring
    votes of the permanent members", a negative vote blocking; Felsenthal & Machover 1998,
    ch. 2, veto players; Taylor & Zwicker 1999, ch. 1, vetoers). A "double veto"
    (two no votes needed) violates it by design; see the ``blocking`` axiom for its weaker form.

    Every profile over the rule's vote codes is tried, up to permutations within seat classes;
    the counterexample has the fewest yes votes, then the fewest no votes, then abstentions.
    """
    if not any(rule.veto):
        return None
    r = trusted(rule, limit)
    sp = space(r, r.votes, limit)
    veto_classes = {c for c, seats in enumerate(r.members) if r.veto[seats[0]]}
    bad = sp.outcomes & (sp.count(Vote.NO, veto_classes) > 0)
    if not bad.any():
        return None
    point = _first_min(np.where(bad, sp.key(), np.iinfo(np.int64).max))
    votes = sp.profile(point)
    holder = next(i for i in np.flatnonzero(votes == Vote.NO) if r.veto[i])
    found = VetoOverridden(labels=r.labels, votes=tuple(int(v) for v in votes), holder=int(holder))
    if found.verify(rule) or len(r.members) == r.size:
        return found
    return veto(rule.individual(), limit=limit)


def anonymous(
    rule: DecisionRule,
    *,
    limit: int = LIMIT,
    samples: int = SAMPLES,
    seed: int | None = DEFAULT_SEED,
) -> NotAnonymous | None:
    """Anonymity within a seat class: seats of one class are interchangeable.

    Swapping the votes of two seats of the same class never changes the outcome, for every
    profile (Felsenthal & Machover 1998, ch. 2, symmetric voters; Taylor & Zwicker 1999, ch. 1,
    anonymity restricted to a class). Seats of a class share kind, weight and veto,
    so a rule that tells them apart treats like members unlike.

    When every profile fits within ``limit`` they are all tried, and the counterexample has the
    fewest yes votes, then no votes, then abstentions. Otherwise ``samples`` random profiles
    (drawn from ``seed``) are tried with a random swap each, and a violation found is shrunk
    seat by seat towards absence; no violation then means none was found.
    """
    pairs = _pairs(rule)
    if not pairs:
        return None
    if len(rule.votes) ** rule.size <= limit:
        return anonymous_exhaustively(rule, limit)
    return _anonymous_sampled(rule, pairs, samples, seed)


def anonymous_exhaustively(rule: DecisionRule, limit: int = LIMIT) -> NotAnonymous | None:
    """:func:`anonymous` over every profile of individual seats (adjacent swaps suffice)."""
    single = rule.individual()
    sp = space(single, rule.votes, limit)
    out, key = sp.outcomes, sp.key()
    best: tuple[int, tuple[int, ...], tuple[int, int]] | None = None
    for a, b in _pairs(rule, adjacent=True):
        bad = out != np.swapaxes(out, a, b)
        if bad.any():
            point = _first_min(np.where(bad, key, np.iinfo(np.int64).max))
            if best is None or key[point] < best[0]:
                best = (int(key[point]), point, (a, b))
    if best is None:
        return None
    votes = tuple(int(v) for v in sp.profile(best[1]))
    return NotAnonymous(labels=rule.labels, votes=votes, first=best[2][0], second=best[2][1])


def trusted(rule: DecisionRule, limit: int = LIMIT) -> DecisionRule:
    """The rule with its classes if it is anonymous within them, else with individual seats.

    Searching up to permutations within classes is exhaustive only for a rule anonymous within
    them; :func:`anonymous` decides which search the other axioms use (cached on the rule).
    """
    key = f"trusted:{limit}"
    cached = rule.cache.get(key)
    if isinstance(cached, DecisionRule):
        return cached
    out = rule if anonymous(rule, limit=limit) is None else rule.individual()
    rule.cache[key] = out
    return out


def _pairs(rule: DecisionRule, adjacent: bool = False) -> list[tuple[int, int]]:
    out = []
    for seats in rule.members:
        for k, a in enumerate(seats):
            out += [(a, b) for b in seats[k + 1 : k + 2 if adjacent else None]]
    return out


def _first_min(values: NDArray[np.int64]) -> tuple[int, ...]:
    return tuple(int(i) for i in np.unravel_index(int(np.argmin(values)), values.shape))


def _anonymous_sampled(
    rule: DecisionRule, pairs: list[tuple[int, int]], samples: int, seed: int | None
) -> NotAnonymous | None:
    gen = random.Random(seed)
    codes = np.array([int(v) for v in rule.votes], dtype=np.int8)
    # Each profile draws its own mix of votes (flat Dirichlet shares: normalised exponentials),
    # so near-unanimous and split profiles both occur.
    spread = -np.log(_uniforms(gen, samples, codes.size))
    mix = np.cumsum(spread / spread.sum(axis=1, keepdims=True), axis=1)
    draw = _uniforms(gen, samples, rule.size)
    which = np.zeros(draw.shape, dtype=np.int8)  # the shares below each draw: its vote's index
    for share in mix.T:  # one comparison per vote code (a sum over a short axis is slow)
        which += draw > share[:, None]
    votes = codes[np.minimum(which, codes.size - 1)]
    chosen = np.array(pairs)[(_uniforms(gen, samples) * len(pairs)).astype(np.intp)]
    rows = np.arange(samples)
    swapped = votes.copy()
    swapped[rows, chosen[:, 0]] = votes[rows, chosen[:, 1]]
    swapped[rows, chosen[:, 1]] = votes[rows, chosen[:, 0]]
    bad = np.flatnonzero(rule.adopted(votes) != rule.adopted(swapped))
    if bad.size == 0:
        return None
    k = int(bad[np.argmin(_keys(votes[bad], rule.size))])
    a, b = (int(x) for x in chosen[k])
    return _shrink(rule, votes[k].copy(), a, b)


def _uniforms(gen: random.Random, *shape: int) -> NDArray[np.float64]:
    """Uniform floats in (0, 1) of ``shape``, 32 random bits each, from one ``getrandbits`` of
    the standard library's Mersenne Twister: importing numpy's generators would cost every
    ``validate`` 12-16 ms of start-up, for a search that needs only well-spread profiles."""
    count = math.prod(shape)
    raw = gen.getrandbits(32 * count).to_bytes(4 * count, "little")
    words = np.frombuffer(raw, dtype="<u4").astype(np.float64)
    out: NDArray[np.float64] = ((words + 0.5) * 2.0**-32).reshape(shape)
    return out


def _keys(votes: NDArray[np.int8], n: int) -> NDArray[np.int64]:
    base = n + 1
    yes, no, abstain = (
        (votes == code).sum(axis=-1, dtype=np.int64) for code in (Vote.YES, Vote.NO, Vote.ABSTAIN)
    )
    out: NDArray[np.int64] = (yes * base + no) * base + abstain
    return out


def _shrink(rule: DecisionRule, votes: NDArray[np.int8], a: int, b: int) -> NotAnonymous:
    """Lower the key one seat at a time while the swap of ``a`` and ``b`` still matters."""
    while True:
        trials = []
        for seat in range(rule.size):
            for code in rule.votes:
                if code != votes[seat]:
                    trial = votes.copy()
                    trial[seat] = code
                    trials.append(trial)
        batch = np.array(trials, dtype=np.int8)
        keep = batch[:, a] != batch[:, b]
        swapped = batch.copy()
        swapped[:, [a, b]] = batch[:, [b, a]]
        still = keep & (rule.adopted(batch) != rule.adopted(swapped))
        keys = _keys(batch, rule.size)
        better = still & (keys < _keys(votes, rule.size))
        if not better.any():
            break
        votes = batch[np.flatnonzero(better)[np.argmin(keys[better])]]
    return NotAnonymous(labels=rule.labels, votes=tuple(int(v) for v in votes), first=a, second=b)
