"""What the axioms test: a decision rule as a function of vote profiles, with its seat structure.

A *rule* here is any callable that takes an integer array of :class:`~councilsim.rule.Vote`
codes, shape ``(..., n)`` (drafts on the leading axes, seats on the last), and returns whether
each draft is adopted, shape ``(...)``. :func:`councilsim.rule.decide` is one such rule once a
council's weights, vetoes and quota are bound; a user's own Python function is another.

:class:`DecisionRule` wraps the callable with what the axioms need to know about the seats:
their labels, the seat classes that are claimed to be interchangeable, which seats are claimed
to hold a veto, their weights and the veto threshold. The claims are what some axioms test
(anonymity within a class, the veto property, dominance); the rule itself is only ever
observed through its outputs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any, Protocol

import numpy as np
from numpy.typing import ArrayLike, NDArray

from councilsim.council import Council, Rule
from councilsim.games import WeightedGame
from councilsim.rule import Decision, Vote, decide

__all__ = ["ALL_VOTES", "ART27_VOTES", "DecisionRule", "HasCouncil", "RuleFunction", "as_rule"]

RuleFunction = Callable[[NDArray[np.int8]], Any]
"""A vectorised rule: vote codes ``(..., n)`` in, adopted ``(...)`` out (booleans or a Decision)."""

ALL_VOTES: tuple[Vote, ...] = (Vote.YES, Vote.NO, Vote.ABSTAIN, Vote.ABSENT)
ART27_VOTES: tuple[Vote, ...] = (Vote.YES, Vote.NO, Vote.ABSTAIN)
"""Art. 27 counts an absence as an abstention under either reading (S/PV.173, 1947), so rules
built from a council are searched over yes, no and abstain only."""


@dataclass(frozen=True, eq=False)
class DecisionRule:
    """A decision rule and the seat structure the axioms check it against.

    Parameters
    ----------
    function
        The rule: vote codes of shape ``(..., n)`` to adopted, shape ``(...)``.
    labels
        A label per seat, used to name seats in counterexamples.
    classes
        Per seat, the index of its seat class: seats claimed to be interchangeable. Weights and
        veto flags must be equal within a class.
    veto
        Per seat, whether it is claimed to hold a veto.
    weights
        Per seat, its claimed voting weight (used by the dominance axiom).
    veto_threshold
        How many veto holders voting no are claimed to block (the ``blocking`` axiom).
    votes
        The vote codes that profiles are searched over; a code left out must be one the rule
        treats like another that is included.
    name
        A display name.
    council, game
        The council or weighted game the rule was built from, if any, so that the index axioms
        can use the exact power engine (:func:`councilsim.power.power`).
    """

    function: RuleFunction
    labels: tuple[str, ...]
    classes: tuple[int, ...]
    veto: tuple[bool, ...]
    weights: tuple[int, ...]
    veto_threshold: int = 1
    votes: tuple[Vote, ...] = ALL_VOTES
    name: str = ""
    council: Council | None = None
    game: WeightedGame | None = None
    cache: dict[str, Any] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        n = len(self.labels)
        if n == 0:
            raise ValueError("a rule needs at least one seat")
        for what, seq in (
            ("classes", self.classes),
            ("veto", self.veto),
            ("weights", self.weights),
        ):
            if len(seq) != n:
                raise ValueError(f"{what} has {len(seq)} entries for {n} seats")
        order = {c: k for k, c in enumerate(dict.fromkeys(self.classes))}
        object.__setattr__(self, "classes", tuple(order[c] for c in self.classes))
        object.__setattr__(self, "votes", tuple(sorted(set(Vote(v) for v in self.votes))))
        if Vote.YES not in self.votes or len(self.votes) < 2:
            raise ValueError("votes must include YES and at least one other code")
        for members in self.members:
            first = members[0]
            if any(
                (self.veto[i], self.weights[i]) != (self.veto[first], self.weights[first])
                for i in members
            ):
                raise ValueError(f"the class of {self.labels[first]} mixes vetoes or weights")

    @classmethod
    def of(
        cls,
        function: RuleFunction,
        seats: int | Sequence[str],
        *,
        classes: Sequence[int] | None = None,
        veto: Sequence[bool] | None = None,
        weights: Sequence[int] | None = None,
        veto_threshold: int = 1,
        votes: Sequence[Vote] = ALL_VOTES,
        name: str = "",
    ) -> DecisionRule:
        """A rule from a plain function of vote profiles.

        ``seats`` is the number of seats or their labels (default ``S1..Sn``). Without
        ``classes``, seats alike in veto and weight form one class.
        """
        labels = (
            tuple(f"S{k + 1}" for k in range(seats)) if isinstance(seats, int) else tuple(seats)
        )
        n = len(labels)
        vt = tuple(bool(v) for v in veto) if veto is not None else (False,) * n
        wt = tuple(int(w) for w in weights) if weights is not None else (1,) * n
        if classes is None:
            kinds = list(zip(vt, wt, strict=False))
            classes = [kinds.index(k) for k in kinds]
        return cls(
            function, labels, tuple(classes), vt, wt, veto_threshold, tuple(votes), name or "rule"
        )

    @classmethod
    def from_council(
        cls,
        council: Council,
        *,
        function: RuleFunction | None = None,
        procedural: bool = False,
        name: str = "",
    ) -> DecisionRule:
        """The adapter from a :class:`~councilsim.council.Council`.

        Without ``function`` the rule is the council's own, decided by
        :func:`councilsim.rule.decide` (Art. 27(3), or Art. 27(2) when ``procedural``: the
        procedural quota and no veto). With ``function``, the council supplies only the seats:
        labels, classes, vetoes, weights and threshold, which the custom rule is checked against.
        """
        if function is None:
            fn = _council_function(council.weights, council.veto, council.rule, procedural)
            votes = ART27_VOTES
        else:
            fn, votes = function, ALL_VOTES
        own = function is None and not procedural
        return cls(
            fn,
            council.labels(),
            tuple(int(c) for c in council.class_index),
            tuple(bool(v) and not procedural for v in council.veto),
            tuple(int(w) for w in council.weights),
            council.rule.veto_threshold,
            votes,
            name or council.id or council.name or "council",
            council=council if own else None,
        )

    @classmethod
    def from_game(cls, game: WeightedGame, *, name: str = "") -> DecisionRule:
        """The rule of a weighted game ``[q; w...]``: yes weight reaches the quota, no veto cast."""
        rule = Rule(game.quota, game.quota, game.veto_threshold)
        weights = np.array(game.weights, dtype=np.int64)
        veto = np.array(game.veto, dtype=np.bool_)
        fn = _council_function(weights, veto, rule, False)
        kinds = list(zip(game.veto, game.weights, strict=True))
        return cls(
            fn,
            game.names,
            tuple(kinds.index(k) for k in kinds),
            game.veto,
            game.weights,
            game.veto_threshold,
            ART27_VOTES,
            name or str(game),
            game=game,
        )

    @property
    def size(self) -> int:
        return len(self.labels)

    @cached_property
    def members(self) -> tuple[tuple[int, ...], ...]:
        """The seats of each class, in seat order."""
        out: dict[int, list[int]] = {}
        for i, c in enumerate(self.classes):
            out.setdefault(c, []).append(i)
        return tuple(tuple(out[c]) for c in sorted(out))

    @property
    def veto_holders(self) -> int:
        return sum(self.veto)

    def adopted(self, votes: ArrayLike) -> NDArray[np.bool_]:
        """Run the rule on profiles of shape ``(..., n)``; adopted, shape ``(...)``."""
        v = np.asarray(votes, dtype=np.int8)
        out = self.function(v)
        if isinstance(out, Decision):
            out = out.adopted
        result = np.asarray(out, dtype=np.bool_)
        if result.shape != v.shape[:-1]:
            raise ValueError(
                f"rule {self.name!r} returned shape {result.shape} for profiles {v.shape}; "
                "it must return one value per draft"
            )
        return result

    def individual(self) -> DecisionRule:
        """The same rule with every seat a class of its own (no interchangeability claimed)."""
        if len(self.members) == self.size:
            return self
        return replace(self, classes=tuple(range(self.size)), cache={})

    def seat_names(self, seats: Sequence[int]) -> tuple[str, ...]:
        return tuple(self.labels[i] for i in sorted(seats))


def _council_function(
    weights: NDArray[np.int64], veto: NDArray[np.bool_], rule: Rule, procedural: bool
) -> RuleFunction:
    def adopted(votes: NDArray[np.int8]) -> NDArray[np.bool_]:
        return decide(votes, weights, veto, rule, procedural=procedural).adopted

    return adopted


class HasCouncil(Protocol):
    """Anything with an id and a council, such as a loaded :class:`~councilsim.scenario.Scenario`
    (the scenario loader checks axiom names, so this module cannot import it)."""

    @property
    def id(self) -> str: ...

    @property
    def council(self) -> Council: ...


def as_rule(obj: DecisionRule | Council | HasCouncil | WeightedGame) -> DecisionRule:
    """A :class:`DecisionRule` from a rule, a council, a loaded scenario or a weighted game."""
    if isinstance(obj, DecisionRule):
        return obj
    if isinstance(obj, Council):
        return DecisionRule.from_council(obj)
    if isinstance(obj, WeightedGame):
        return DecisionRule.from_game(obj)
    if isinstance(getattr(obj, "council", None), Council):
        return DecisionRule.from_council(obj.council, name=str(obj.id))
    raise TypeError(
        f"cannot check a {type(obj).__name__}: pass a DecisionRule (DecisionRule.of(function, n)), "
        "a Council, a Scenario or a WeightedGame"
    )
