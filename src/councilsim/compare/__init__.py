"""Comparing councils: the measures, the columns of ``councilsim compare``, charts and reports.

:mod:`~councilsim.compare.measures`
    :func:`~councilsim.compare.measures.measures`: one flat, ordered dict of numbers per
    council (seats, quota, Coleman's power to act, outcome rates, power by seat class, region
    and named state, Gini), the figures ``compare`` tabulates and ``sweep`` writes.
:mod:`~councilsim.compare.columns`
    A scenario's column of measures with its provenance (model, engine, draws, seed), the
    changes against the base, and the rows ``compare`` prints.
:mod:`~councilsim.compare.plot`
    Charts of the comparison (needs the ``plot`` extra: matplotlib).
:mod:`~councilsim.compare.report`
    A self-contained HTML report: inline SVG charts, tables, sources and assumptions.

The package imports none of them on its own, so ``import councilsim.compare.measures`` does
not load matplotlib.
"""
