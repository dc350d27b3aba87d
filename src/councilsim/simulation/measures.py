"""What a simulation of drafts reports, in order: kept apart from the engines, so that the
tables that print the figures (and ``--help``) need neither the engines nor numpy."""

from __future__ import annotations

__all__ = ["DRAFT_FIGURES"]

DRAFT_FIGURES = ("adopted", "vetoed", "failed", "mean_yes")
"""What drafts are summed up by: the three outcome rates (in the order of
:data:`councilsim.compare.measures.OUTCOMES`) and the mean number of yes votes."""
