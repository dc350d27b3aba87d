"""The ``blocs`` vote model: correlated votes through shared latent factors (a Gaussian copula).

Member ``i`` has a latent stance on each draft,

    z_i = c·g + λ_b·f_b + √(1 − c² − λ_b²)·ε_i,

where ``g`` is a council-wide factor (how acceptable the draft is to everyone), ``f_b`` the
factor of the member's bloc ``b`` (say the West, Russia–China or the Non-Aligned), ``ε_i`` the
member's own shock, all standard normal; bloc factors may be correlated with each other. A
member outside every bloc loads on ``g`` only. The member votes yes when ``z_i`` falls below
the ``p_yes`` quantile of the standard normal, abstains in the next ``p_abstain`` of the
distribution and votes no above; independently of its stance it is absent with probability
``p_absent``. Each member's probabilities of yes, no, abstention and absence are therefore
exactly those given, while two members of a bloc have latent stances correlated ``c² + λ²``
(``c² + λ_a·λ_b·ρ_ab`` across blocs ``a``, ``b`` with factor correlation ``ρ_ab``). This is the
Gaussian copula (Nelsen 2006, §2.9) with a factor structure as in the multivariate probit model
(Ashford & Sowden 1970). Agreement between members rises with the loadings; the simulator
measures it with ``agreement=True`` (``--agreement``).

References
----------
Ashford, J. R. & Sowden, R. R. (1970). Multi-variate probit analysis. *Biometrics* 26(3),
535–546.
Nelsen, R. B. (2006). *An Introduction to Copulas*, 2nd ed. Springer.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Self

import numpy as np
from numpy.typing import NDArray

from councilsim.council import Council
from councilsim.errors import ScenarioError
from councilsim.models._params import (
    PARAMS,
    VoteProbs,
    key,
    resolve_member,
    to_float,
)
from councilsim.models.base import VoteModel, normal_quantile, prob_number
from councilsim.models.independent import (
    EVEN,
    MARGINAL_KEYS,
    marginal_tables,
    resolve_probs,
)
from councilsim.validate import to_str_list, to_table, unknown_keys

DEFAULT_LOADING = 0.7


@dataclass(frozen=True)
class BlocsSampler:
    """Copula votes for one council (see :mod:`councilsim.models.blocs`).

    ``weights`` maps the independent standard normal factors (council-wide first, then one per
    bloc) to each member's common part of the latent stance, with the bloc correlations
    folded in; ``residual`` is the weight of the member's own shock.
    """

    size: int
    weights: NDArray[np.float32]
    residual: NDArray[np.float32]
    yes_below: NDArray[np.float32]
    abstain_below: NDArray[np.float32]
    absent: NDArray[np.float32]

    def sample(self, rng: np.random.Generator, n: int) -> NDArray[np.int8]:
        factors = rng.standard_normal((n, self.weights.shape[0]), dtype=np.float32)
        latent = rng.standard_normal((n, self.size), dtype=np.float32)
        latent *= self.residual
        latent += factors @ self.weights
        votes = (latent >= self.yes_below).view(np.int8)
        if np.any(self.abstain_below > self.yes_below):
            # yes 0, abstain 2 (between the thresholds), no 1 (above both)
            votes = votes * np.int8(2) - (latent >= self.abstain_below).view(np.int8)
        if np.any(self.absent > 0):
            votes[rng.random((n, self.size), dtype=np.float32) < self.absent] = 3
        return votes


@dataclass(frozen=True)
class BlocsModel(VoteModel):
    """Correlated voting through a council-wide factor and bloc factors (a Gaussian copula).

    Parameters (``[simulation.params]``)
    ------------------------------------
    blocs : table of lists
        ``{west = ["USA", "GBR", "FRA"], russia-china = ["RUS", "CHN"], nam = ["elected"]}``:
        each bloc's members by holder code, seat label or class id. A member is in at most one
        bloc. Without blocs and without ``common`` the votes are independent, as under the
        ``propensity`` model; :attr:`warning` then says so.
    loading : float in [0, 1] or table, default 0.7
        Loading of a bloc's members on its factor, for all blocs or per bloc
        (``{west = 0.9, ...}``).
    correlation : float in [0, 1] or table
        Instead of ``loading``: the latent correlation within a bloc (``loading²``).
    common : float in [0, 1], default 0
        Loading of every member on the council-wide factor; ``common² + loading²`` ≤ 1.
    factor_correlation : table of tables
        Correlations between bloc factors, e.g. ``{west = {russia-china = -0.5}}``; they must
        form a positive semi-definite matrix.
    yes, no, abstain, absent, classes, members
        Each member's probabilities of voting yes, no, abstaining and being absent, as in the
        ``propensity`` model (default: yes 1/2, no 1/2).
    """

    name: ClassVar[str] = "blocs"
    blocs: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    loading: float | Mapping[str, float] = DEFAULT_LOADING
    common: float = 0.0
    factor_correlation: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    default: VoteProbs = EVEN
    classes: Mapping[str, VoteProbs] = field(default_factory=dict)
    members: Mapping[str, VoteProbs] = field(default_factory=dict)

    def __post_init__(self) -> None:
        common = to_float(self.common, key("common"), low=0.0, high=1.0)
        object.__setattr__(self, "common", common)
        for bloc in self.blocs:
            lam = self.bloc_loading(bloc)
            if common**2 + lam**2 > 1 + 1e-12:
                raise ScenarioError(
                    f"common² + loading² = {common**2 + lam**2:.4g} exceeds 1 for bloc {bloc!r}",
                    key=key("loading"),
                    fix="lower the loading or common so that their squares sum to at most 1",
                )
        if isinstance(self.loading, Mapping):
            for bloc in self.loading:
                if bloc not in self.blocs:
                    raise ScenarioError(
                        f"no bloc {bloc!r}",
                        key=key("loading", bloc),
                        fix=f"use a bloc name: {', '.join(self.blocs) or '(none defined)'}",
                    )
        self.factor_mix()  # checks the correlations

    @property
    def warning(self) -> str | None:
        """Why results of this model may not be what its name suggests, or ``None``.

        Without blocs and without a common factor no two members' votes are correlated: the
        model runs, as the ``propensity`` model would, and the commands that run it print
        this text (a sweep may vary ``model`` over settings without blocs on purpose).

        >>> BlocsModel().warning is not None, BlocsModel(common=0.5).warning
        (True, None)
        """
        if self.blocs or self.common > 0:
            return None
        return (
            "the blocs model has no blocs and no common factor, so its votes are independent "
            "(as under the propensity model); add blocs, e.g. --param "
            '\'blocs={west=["USA","GBR","FRA"]}\' or blocs in [simulation.params], or '
            "set common > 0"
        )

    def bloc_loading(self, bloc: str) -> float:
        if isinstance(self.loading, Mapping):
            raw = self.loading.get(bloc, DEFAULT_LOADING)
            return to_float(raw, key("loading", bloc), low=0.0, high=1.0)
        return to_float(self.loading, key("loading"), low=0.0, high=1.0)

    def factor_mix(self) -> NDArray[np.float64]:
        """A matrix ``M`` with ``M Mᵀ`` the bloc factors' correlation matrix."""
        names = list(self.blocs)
        corr = np.eye(len(names))
        for a, row in self.factor_correlation.items():
            for b, value in row.items():
                where = key("factor_correlation", a, b)
                for name in (a, b):
                    if name not in names:
                        raise ScenarioError(
                            f"no bloc {name!r}",
                            key=where,
                            fix=f"use bloc names: {', '.join(names) or '(none defined)'}",
                        )
                if a == b:
                    raise ScenarioError(
                        "a bloc's correlation with itself is 1", key=where, fix="remove this entry"
                    )
                r = to_float(value, where, low=-1.0, high=1.0)
                corr[names.index(a), names.index(b)] = corr[names.index(b), names.index(a)] = r
        vals, vecs = np.linalg.eigh(corr) if names else (np.ones(0), np.eye(0))
        if vals.size and vals.min() < -1e-9:
            raise ScenarioError(
                "the bloc factor correlations are not a valid correlation matrix",
                key=key("factor_correlation"),
                fix="use correlations that are jointly possible (positive semi-definite)",
            )
        return np.asarray(vecs * np.sqrt(np.clip(vals, 0.0, None)), dtype=np.float64)

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> Self:
        allowed = (
            "blocs",
            "loading",
            "correlation",
            "common",
            "factor_correlation",
            *MARGINAL_KEYS,
        )
        unknown_keys(params, allowed, PARAMS)
        blocs = {
            name: to_str_list(members, key("blocs", name))
            for name, members in to_table(params.get("blocs", {}), key("blocs")).items()
        }
        if "loading" in params and "correlation" in params:
            raise ScenarioError(
                "both loading and correlation are set",
                key=key("correlation"),
                fix="keep one of them (correlation = loading²)",
            )
        loading: float | dict[str, float] = DEFAULT_LOADING
        for name, root in (("loading", False), ("correlation", True)):
            if name not in params:
                continue
            raw = params[name]
            if isinstance(raw, Mapping):
                loading = {b: _loading(v, key(name, b), root) for b, v in raw.items()}
            else:
                loading = _loading(raw, key(name), root)
        factor_correlation = {
            a: dict(to_table(row, key("factor_correlation", a)))
            for a, row in to_table(
                params.get("factor_correlation", {}), key("factor_correlation")
            ).items()
        }
        default, classes, members = marginal_tables(params)
        common = _loading(params.get("common", 0.0), key("common"), False)
        return cls(blocs, loading, common, factor_correlation, default, classes, members)

    def params(self) -> dict[str, Any]:
        def probs(v: VoteProbs) -> dict[str, float | int]:
            return {k: prob_number(p) for k, p in v._asdict().items()}

        return {
            "blocs": {k: list(v) for k, v in self.blocs.items()},
            "loading": {b: self.bloc_loading(b) for b in self.blocs}
            if isinstance(self.loading, Mapping)
            else float(self.loading),
            "common": self.common,
            "factor_correlation": {a: dict(r) for a, r in self.factor_correlation.items()},
            **probs(self.default),
            "classes": {k: probs(v) for k, v in self.classes.items()},
            "members": {k: probs(v) for k, v in self.members.items()},
        }

    def membership(self, council: Council) -> list[int]:
        """Each seat's bloc index (in the order of ``blocs``), or -1 for no bloc."""
        out = [-1] * council.size
        for b, (bloc, names) in enumerate(self.blocs.items()):
            for k, name in enumerate(names):
                for i in resolve_member(council, name, f"{key('blocs', bloc)}[{k}]", classes=True):
                    if out[i] not in (-1, b):
                        raise ScenarioError(
                            f"{council.seats[i].label} is in two blocs",
                            key=key("blocs", bloc),
                            fix="put each member in one bloc",
                        )
                    out[i] = b
        return out

    def sampler(self, council: Council) -> BlocsSampler:
        probs = resolve_probs(council, self.default, self.classes, self.members)
        bloc_of = self.membership(council)
        names = list(self.blocs)
        m = council.size
        loads = np.zeros((1 + len(names), m))
        loads[0, :] = self.common
        residual = np.empty(m)
        for i, b in enumerate(bloc_of):
            lam = self.bloc_loading(names[b]) if b >= 0 else 0.0
            if b >= 0:
                loads[1 + b, i] = lam
            residual[i] = math.sqrt(max(0.0, 1.0 - self.common**2 - lam**2))
        mix = np.eye(1 + len(names))
        mix[1:, 1:] = self.factor_mix()
        yes_below, abstain_below, absent = [], [], []
        for p in probs:
            y, _, a, away = p.floats()
            present = 1.0 - away
            yes_below.append(normal_quantile(y / present if present > 0 else 0.0))
            abstain_below.append(normal_quantile((y + a) / present if present > 0 else 0.0))
            absent.append(away)
        f32 = np.float32
        return BlocsSampler(
            size=m,
            weights=(mix.T @ loads).astype(f32),
            residual=residual.astype(f32),
            yes_below=np.array(yes_below, dtype=f32),
            abstain_below=np.array(abstain_below, dtype=f32),
            absent=np.array(absent, dtype=f32),
        )


def _loading(raw: Any, where: str, root: bool) -> float:
    value = to_float(raw, where, low=0.0, high=1.0)
    return math.sqrt(value) if root else value
