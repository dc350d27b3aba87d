"""Simulated and exact voting on drafts: how often they pass, are vetoed or fail, and who decides.

Two engines give one answer:

:func:`exact_outcomes`
    For models with independent votes (``impartial``, ``propensity``): exact probabilities by
    dynamic programming over the members, in rational arithmetic when the probabilities are
    fractions or decimals.
:func:`simulate`
    Monte Carlo for every model, vectorised over drafts, reproducible for a seed however the
    work is chunked or spread over processes, each estimate with a 95 % confidence interval
    (Wilson score interval for proportions, normal interval for the mean number of yes votes).

Every draft is decided by the Art. 27 rule of :mod:`councilsim.rule` (its tallies classified
by :func:`councilsim.rule.classify`).

What is measured
----------------
``adopted``
    Share of drafts adopted.
``vetoed``
    Share with enough yes votes that were blocked by a veto (the UN's convention for a veto).
``failed``
    Share short of the quota of yes votes, whether or not a veto holder voted no.
``mean_yes``
    Mean number of yes votes (weighted: the ``Y`` the quota is compared with).
Per member, ``yes``
    Share of drafts it voted yes.
Per member, ``decisiveness``
    Share of drafts on which the member's choice between yes and no decides whether the draft
    is adopted, the other members' votes being as cast: with its vote taken out of the
    tallies, "yes" (adding its weight to the yes votes) adopts and "no" (adding one blocking
    veto if it holds a veto) does not. This is counted whatever the member actually cast, so a
    member that abstained can be decisive. With independent yes/no votes at 1/2 it is the
    Penrose–Banzhaf measure (Penrose 1946; Banzhaf 1965): 53/1024 for a permanent member of
    today's Council, 21/4096 for an elected one.
Per member, ``satisfaction``
    Share of drafts on which the outcome agrees with the member: it voted yes and the draft
    was adopted, or it did not vote yes and the draft was not adopted (Rae 1969).
Per veto holder, ``vetoes`` and ``vetoes_alone``
    Share of drafts it vetoed (vetoed, with this member among those blocking), and share it
    vetoed as the only blocking veto holder.

References
----------
Banzhaf, J. F. (1965). Weighted voting doesn't work. *Rutgers Law Review* 19, 317–343.
Penrose, L. S. (1946). The elementary statistics of majority voting. *Journal of the Royal
Statistical Society* 109(1), 53–57.
Rae, D. W. (1969). Decision-rules and individual values in constitutional choice. *American
Political Science Review* 63(1), 40–56.
Wilson, E. B. (1927). Probable inference, the law of succession, and statistical inference.
*Journal of the American Statistical Association* 22(158), 209–212.
"""

from typing import TYPE_CHECKING

from councilsim._lazy import lazy_exports

if TYPE_CHECKING:
    from councilsim.simulation.engine import BLOCK, DEFAULT_CHUNK, make_plan, simulate
    from councilsim.simulation.exact import exact_outcomes, exact_refusal
    from councilsim.simulation.result import Estimate, MemberResult, SimulationResult
    from councilsim.simulation.spec import DEFAULT_DRAWS, SimulationSpec, parse_simulation

__all__ = [
    "BLOCK",
    "DEFAULT_CHUNK",
    "DEFAULT_DRAWS",
    "Estimate",
    "MemberResult",
    "SimulationResult",
    "SimulationSpec",
    "exact_outcomes",
    "exact_refusal",
    "make_plan",
    "parse_simulation",
    "simulate",
]

# Imported on first use: reading a scenario's [simulation] table (spec) needs no engine.
__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "engine": ("BLOCK", "DEFAULT_CHUNK", "make_plan", "simulate"),
        "exact": ("exact_outcomes", "exact_refusal"),
        "result": ("Estimate", "MemberResult", "SimulationResult"),
        "spec": ("DEFAULT_DRAWS", "SimulationSpec", "parse_simulation"),
    },
)
