"""What a simulation reports: estimates with 95 % confidence intervals, overall and per member."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import NDArray

from councilsim.formatting import fraction_text

Z95 = 1.9599639845400536
"""The normal quantile of a two-sided 95 % interval, ``statistics.NormalDist().inv_cdf(0.975)``
(a literal, so that a simulation does not import ``statistics``; checked by a test)."""


@dataclass(frozen=True)
class Estimate:
    """A value with, for Monte Carlo estimates, a 95 % confidence interval.

    Exact values have no interval; ``exact`` keeps the value as a fraction where the exact
    engine computed it in rational arithmetic.
    """

    estimate: float
    ci_low: float | None = None
    ci_high: float | None = None
    exact: Fraction | None = None

    @classmethod
    def wilson(cls, successes: float, trials: int) -> Estimate:
        """A proportion with the Wilson score interval (Wilson 1927).

        ``successes`` may be fractional: a mean of per-member indicators pooled over
        interchangeable members. Each draft's pooled value lies in [0, 1] with the member's
        mean ``p``, so its variance is at most ``p(1 − p)`` and the interval for ``trials``
        drafts is conservative.

        References
        ----------
        Wilson, E. B. (1927). Probable inference, the law of succession, and statistical
        inference. *Journal of the American Statistical Association* 22(158), 209–212.
        """
        n = float(trials)
        p = min(1.0, max(0.0, successes / n))
        z2 = Z95 * Z95
        centre = (p + z2 / (2 * n)) / (1 + z2 / n)
        half = Z95 * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
        low = 0.0 if p == 0.0 else max(0.0, centre - half)
        high = 1.0 if p == 1.0 else min(1.0, centre + half)
        return cls(p, low, high)

    @classmethod
    def mean(cls, total: int, total_sq: int, n: int) -> Estimate:
        """A mean with the normal interval ``x̄ ± z·s/√n`` (``s`` the sample standard deviation)."""
        mean = Fraction(total, n)
        var = Fraction(total_sq * n - total * total, n * (n - 1)) if n > 1 else Fraction(0)
        half = Z95 * math.sqrt(max(0.0, float(var)) / n)
        return cls(float(mean), float(mean) - half, float(mean) + half)

    @classmethod
    def of(cls, value: Fraction | float) -> Estimate:
        """An exact value."""
        if isinstance(value, Fraction):
            return cls(float(value), exact=value)
        return cls(float(value))

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"estimate": self.estimate}
        if self.ci_low is not None:
            out["ci_low"] = self.ci_low
            out["ci_high"] = self.ci_high
        if self.exact is not None:
            out["fraction"] = fraction_text(self.exact)
        return out


@dataclass(frozen=True)
class MemberResult:
    """One member's figures.

    ``yes``: share of drafts it voted yes. ``decisiveness``: share of drafts on which its
    choice between yes and no decides adoption, the others' votes as cast (see
    :mod:`councilsim.simulation`). ``satisfaction``: share of drafts on which it voted yes and
    the draft was adopted, or did not vote yes and the draft was not adopted (Rae 1969).
    ``vetoes``: share of drafts it vetoed (the draft had the quota of yes votes and was blocked
    with this member among the blocking veto holders); ``vetoes_alone``: of those, drafts it
    was the only veto holder blocking. Both are ``None`` for a member without a veto.
    """

    member: str
    seat_class: str
    yes: Estimate
    decisiveness: Estimate
    satisfaction: Estimate
    vetoes: Estimate | None
    vetoes_alone: Estimate | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "member": self.member,
            "class": self.seat_class,
            "yes": self.yes.to_dict(),
            "decisiveness": self.decisiveness.to_dict(),
            "satisfaction": self.satisfaction.to_dict(),
            "vetoes": None if self.vetoes is None else self.vetoes.to_dict(),
            "vetoes_alone": None if self.vetoes_alone is None else self.vetoes_alone.to_dict(),
        }


@dataclass(frozen=True)
class SimulationResult:
    """Outcome rates, the mean number of yes votes and per-member figures for one model.

    ``draws`` and ``seed`` are ``None`` for exact results. ``agreement`` (when asked for) is
    the member × member matrix of the share of drafts on which two members cast the same vote
    (yes, no, abstain or absent).
    """

    model: str
    params: dict[str, Any]
    exact: bool
    draws: int | None
    seed: int | None
    adopted: Estimate
    vetoed: Estimate
    failed: Estimate
    mean_yes: Estimate
    members: tuple[MemberResult, ...]
    agreement: NDArray[np.float64] | None = field(default=None, compare=False)

    def member(self, name: str) -> MemberResult:
        """The figures of a member by label or holder code (case-insensitive)."""
        for m in self.members:
            if m.member.upper() == name.strip().upper():
                return m
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "model": self.model,
            "params": self.params,
            "engine": "exact" if self.exact else "monte-carlo",
            "draws": self.draws,
            "seed": self.seed,
            "adopted": self.adopted.to_dict(),
            "vetoed": self.vetoed.to_dict(),
            "failed": self.failed.to_dict(),
            "mean_yes": self.mean_yes.to_dict(),
            "members": [m.to_dict() for m in self.members],
        }
        if self.agreement is not None:
            out["agreement"] = {
                "members": [m.member for m in self.members],
                "matrix": [[float(x) for x in row] for row in self.agreement],
            }
        return out
