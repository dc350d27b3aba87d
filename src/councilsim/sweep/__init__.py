"""Sweeps: a grid of council configurations around a base scenario, each measured.

A sweep varies the parameters reforms argue about — the number of elected seats (or all
seats), permanent seats with and without the veto, the quota, the procedural quota, the veto
threshold, the reading of abstention, the vote model and its parameters — over a base
scenario, and measures every configuration (:func:`councilsim.compare.measures.measures`: seats,
quota, Coleman's power to act, adoption and veto rates, Banzhaf and Shapley–Shubik power by
seat class and region, Gini, named states).

>>> from councilsim.sweep import parse_sweep
>>> spec = parse_sweep(vary=["quota=9:10", "veto_threshold=1,2"])
>>> spec.grid.size, spec.grid.config(1)
(4, {'quota': 9, 'veto_threshold': 2})

``spec.run(workers=2)`` measures every configuration, in parallel, with results identical for
any number of workers; ``journal=`` makes a run resumable after Ctrl-C or a crash. The file
format, the range syntax and the command line (``councilsim sweep``) are described in
``docs/sweep.md``.
"""

from councilsim.limits import MAX_CONFIGS
from councilsim.sweep.apply import apportion, configure, document
from councilsim.sweep.engine import Interrupted, config_seed, evaluate, sweep
from councilsim.sweep.grid import Axis, ConfigGrid, MeasureOptions, config_id
from councilsim.sweep.journal import Journal, journal_path
from councilsim.sweep.output import to_csv, to_json
from councilsim.sweep.params import PARAMETERS
from councilsim.sweep.read import looks_like_sweep, parse_sweep
from councilsim.sweep.spec import SweepSpec

__all__ = [
    "MAX_CONFIGS",
    "PARAMETERS",
    "Axis",
    "ConfigGrid",
    "Interrupted",
    "Journal",
    "MeasureOptions",
    "SweepSpec",
    "apportion",
    "config_id",
    "config_seed",
    "configure",
    "document",
    "evaluate",
    "journal_path",
    "looks_like_sweep",
    "parse_sweep",
    "sweep",
    "to_csv",
    "to_json",
]
