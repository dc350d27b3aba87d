"""The power indices by id, each with a one-line definition and its source.

These are the names ``councilsim power --index``, sweeps and reports use: the yes/no indices
that :func:`councilsim.power.power` counts (:data:`INDICES`), the ternary indices of
:mod:`councilsim.power.ternary` and the values with a-priori unions of
:mod:`councilsim.power.unions`. They are kept apart from the counting (which loads numpy),
so that a command's options and ``--help`` can name them without it.
"""

from __future__ import annotations

__all__ = ["INDICES", "TERNARY_INDICES", "UNION_INDICES"]

INDICES: dict[str, str] = {
    "banzhaf": "normalized Banzhaf index: a member's swings over all members' swings "
    "(Banzhaf 1965, Rutgers Law Review 19:317)",
    "banzhaf_absolute": "absolute Banzhaf or Penrose measure: the probability that a member's "
    "vote decides, swings / 2^(n-1) (Penrose 1946, J. Royal Stat. Soc. 109:53)",
    "shapley_shubik": "Shapley-Shubik index: the share of voting orders in which the member "
    "is pivotal (Shapley & Shubik 1954, Am. Pol. Sci. Rev. 48:787)",
    "coleman_prevent": "Coleman's power to prevent action: swings / winning coalitions "
    "(Coleman 1971, in Lieberman (ed.), Social Choice)",
    "coleman_initiate": "Coleman's power to initiate action: swings / losing coalitions "
    "(Coleman 1971)",
    "johnston": "Johnston index: each winning coalition's critical members share one unit "
    "equally, normalized to sum 1 (Johnston 1978, Eur. J. Pol. Research 6:57)",
    "deegan_packel": "Deegan-Packel index: each minimal winning coalition equally likely, its "
    "members share equally (Deegan & Packel 1978, Int. J. Game Theory 7:113)",
    "public_good": "Holler's public good index: minimal winning coalitions containing the "
    "member, normalized to sum 1 (Holler 1982, Political Studies 30:262)",
}
"""Index ids, each with a one-line definition and its source."""

TERNARY_INDICES: dict[str, str] = {
    "ternary_shapley_shubik": "ternary Shapley-Shubik index: the probability of being the "
    "pivot of a random roll call with yes/abstain/no votes (Felsenthal & Machover 1997)",
    "ternary_banzhaf": "ternary Banzhaf index: swings between adjacent vote levels over all "
    "members' swings (Felsenthal & Machover 1997)",
    "ternary_banzhaf_absolute": "ternary Banzhaf measure: swings / 2*3^(n-1), the probability "
    "that a one-level change of the member's vote changes the outcome",
}
"""The ternary index ids, each with a one-line definition."""

UNION_INDICES: dict[str, str] = {
    "owen": "Owen value: Shapley value of random orders that keep each a-priori union together "
    "(Owen 1977)",
    "banzhaf_owen": "Banzhaf-Owen value: Banzhaf between the unions and within them, not "
    "normalised (Owen 1981)",
    "symmetric_coalitional_banzhaf": "symmetric coalitional Banzhaf value: Shapley between "
    "the unions, Banzhaf within them (Alonso-Meijide & Fiestras-Janeiro 2002)",
}
"""The index ids of games with a-priori unions, each with a one-line definition."""
