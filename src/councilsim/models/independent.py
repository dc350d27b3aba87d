"""Vote models in which members vote independently: ``impartial`` and ``propensity``.

With independent votes the probability of every outcome can be computed exactly
(:func:`councilsim.simulation.exact_outcomes`), and the Monte Carlo simulator draws vote counts
per group of interchangeable members instead of one vote per member.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Any, ClassVar, Self

from councilsim.council import Council
from councilsim.errors import ScenarioError
from councilsim.models._params import (
    PARAMS,
    Prob,
    VoteProbs,
    complete,
    key,
    marginals,
    resolve_member,
    to_prob,
)
from councilsim.models.base import VoteModel, prob_number
from councilsim.validate import to_table, unknown_keys

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

HALF = Fraction(1, 2)
EVEN = VoteProbs(HALF, HALF, Fraction(0), Fraction(0))
"""Yes and no with probability 1/2 each, no abstention or absence."""


@dataclass(frozen=True)
class IndependentSampler:
    """Draws independent votes, one uniform number per member and draft.

    ``cumulative`` is a ``(3, n)`` array of the cumulative probabilities of yes, yes-or-no and
    yes-or-no-or-abstain; a member votes the first category whose threshold exceeds its
    uniform draw. numpy is imported when a sampler is built, not with the models: a scenario
    is read and checked without it.
    """

    cumulative: NDArray[np.float64]

    @classmethod
    def from_probs(cls, probs: tuple[VoteProbs, ...]) -> IndependentSampler:
        import numpy as np

        p = np.array([v.floats() for v in probs], dtype=np.float64).reshape(len(probs), 4)
        cum = np.cumsum(p, axis=1)[:, :3].T.copy()
        return cls(cum)

    @property
    def size(self) -> int:
        return int(self.cumulative.shape[1])

    def sample(self, rng: np.random.Generator, n: int) -> NDArray[np.int8]:
        u = rng.random((n, self.size))
        c = self.cumulative
        votes: NDArray[np.int8] = (u >= c[0]).view("int8") + (u >= c[1]).view("int8")
        votes += (u >= c[2]).view("int8")
        return votes


@dataclass(frozen=True)
class ImpartialModel(VoteModel):
    """Every member votes yes with probability ``p``, independently of the others.

    A member abstains with probability ``abstain``, is absent with probability ``absent`` and
    votes no otherwise. At ``p = 1/2`` with no abstention the probability that a draft is
    adopted is Coleman's power of the collectivity to act (Coleman 1971), 848/32768 for today's
    Council, and a member's decisiveness is its Penrose–Banzhaf measure (Penrose 1946;
    Banzhaf 1965; Felsenthal & Machover 1998, ch. 3).

    Parameters (``[simulation.params]``)
    ------------------------------------
    p : probability, default 1/2
        Probability of a yes vote.
    abstain : probability, default 0
        Probability of abstaining.
    absent : probability, default 0
        Probability of being absent. ``p + abstain + absent`` must not exceed 1.

    References
    ----------
    Coleman, J. S. (1971). Control of collectivities and the power of a collectivity to act.
    In B. Lieberman (ed.), *Social Choice*, 269–300. Gordon and Breach.
    """

    name: ClassVar[str] = "impartial"
    p: Prob = HALF
    abstain: Prob = Fraction(0)
    absent: Prob = Fraction(0)

    def __post_init__(self) -> None:
        for name in ("p", "abstain", "absent"):
            object.__setattr__(self, name, to_prob(getattr(self, name), key(name)))
        if self.p + self.abstain + self.absent > 1 + 1e-12:
            raise ScenarioError(
                f"p + abstain + absent = {float(self.p + self.abstain + self.absent):g} exceeds 1",
                key=key("p"),
                fix="lower p, abstain or absent so that they sum to at most 1",
            )

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> Self:
        unknown_keys(params, ("p", "abstain", "absent"), PARAMS)
        values = {k: to_prob(v, key(k), toml=True) for k, v in params.items()}
        return cls(**values)

    def params(self) -> dict[str, Any]:
        return {
            "p": prob_number(self.p),
            "abstain": prob_number(self.abstain),
            "absent": prob_number(self.absent),
        }

    def vote_probs(self) -> VoteProbs:
        no = 1 - self.p - self.abstain - self.absent
        return VoteProbs(self.p, max(no, type(no)(0)), self.abstain, self.absent)

    def probabilities(self, council: Council) -> tuple[VoteProbs, ...]:
        return (self.vote_probs(),) * council.size

    def check(self, council: Council) -> None:
        """Nothing to check: the model names no member."""

    def sampler(self, council: Council) -> IndependentSampler:
        return IndependentSampler.from_probs(self.probabilities(council))


@dataclass(frozen=True)
class PropensityModel(VoteModel):
    """Members vote independently, each with its own probabilities of yes, no, abstain, absent.

    Probabilities are set for the whole council, per seat class and per member; a member's
    own table wins over its class's, which wins over the council-wide default.

    Parameters (``[simulation.params]``)
    ------------------------------------
    yes, no, abstain, absent : probability
        The default for every member. ``abstain`` and ``absent`` default to 0; if one of
        ``yes`` and ``no`` is missing it takes what the others leave (``yes`` defaults to 1/2).
    classes : table of tables
        ``[simulation.params.classes.<class id>]`` with ``yes``, ``no``, ``abstain``,
        ``absent`` (same completion rule; ``yes`` or ``no`` is required).
    members : table of tables
        ``[simulation.params.members.<holder or seat label>]``, likewise.

    References
    ----------
    Felsenthal, D. S. & Machover, M. (1997). Ternary voting games. *International Journal of
    Game Theory* 26, 335–351 (abstention as a third option).
    """

    name: ClassVar[str] = "propensity"
    default: VoteProbs = EVEN
    classes: Mapping[str, VoteProbs] = field(default_factory=dict)
    members: Mapping[str, VoteProbs] = field(default_factory=dict)

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> Self:
        unknown_keys(params, MARGINAL_KEYS, PARAMS)
        return cls(*marginal_tables(params))

    def params(self) -> dict[str, Any]:
        def probs(v: VoteProbs) -> dict[str, float | int]:
            return {k: prob_number(p) for k, p in v._asdict().items()}

        return {
            **probs(self.default),
            "classes": {k: probs(v) for k, v in self.classes.items()},
            "members": {k: probs(v) for k, v in self.members.items()},
        }

    def probabilities(self, council: Council) -> tuple[VoteProbs, ...]:
        return resolve_probs(council, self.default, self.classes, self.members)

    def check(self, council: Council) -> None:
        self.probabilities(council)

    def sampler(self, council: Council) -> IndependentSampler:
        return IndependentSampler.from_probs(self.probabilities(council))


MARGINAL_KEYS = ("yes", "no", "abstain", "absent", "classes", "members")
"""The keys of the per-member vote probabilities (shared with the ``blocs`` model)."""


def marginal_tables(
    params: Mapping[str, Any],
) -> tuple[VoteProbs, dict[str, VoteProbs], dict[str, VoteProbs]]:
    """Read the default, per-class and per-member probabilities of a params table."""
    default = marginals(params, PARAMS, default_yes=HALF)
    tables: dict[str, dict[str, VoteProbs]] = {"classes": {}, "members": {}}
    for group, out in tables.items():
        for name, sub in to_table(params.get(group, {}), key(group)).items():
            where = key(group, name)
            table = to_table(sub, where, "a table of yes, no, abstain, absent")
            unknown_keys(table, ("yes", "no", "abstain", "absent"), where)
            out[name] = marginals(table, where)
    return default, tables["classes"], tables["members"]


def resolve_probs(
    council: Council,
    default: VoteProbs,
    classes: Mapping[str, VoteProbs],
    members: Mapping[str, VoteProbs],
) -> tuple[VoteProbs, ...]:
    """Each seat's probabilities: its member table, else its class table, else the default."""
    ids = [c.id for c in council.classes]
    per_class: dict[str, VoteProbs] = {}
    for cid, probs in classes.items():
        if cid not in ids:
            raise ScenarioError(
                f"no seat class {cid!r} in this council",
                key=key("classes", cid),
                fix=f"use one of: {', '.join(ids)}",
            )
        per_class[cid] = _checked(probs, key("classes", cid))
    out = [per_class.get(s.seat_class, _checked(default, PARAMS)) for s in council.seats]
    for name, probs in members.items():
        for i in resolve_member(council, name, key("members", name)):
            out[i] = _checked(probs, key("members", name))
    return tuple(out)


def _checked(probs: VoteProbs, where: str) -> VoteProbs:
    """Check a table given through the Python API the way a scenario's is checked."""
    return complete({k: to_prob(v, f"{where}.{k}") for k, v in probs._asdict().items()}, where)
