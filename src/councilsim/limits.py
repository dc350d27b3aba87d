"""Every default and bound on user input, documented once.

Scenario files, sweep files, the Python API and the command line all take their defaults and
ranges from here, so that a seed, a number of draws or a number of years means the same thing,
and is refused at the same value, wherever it is given.
"""

from __future__ import annotations

__all__ = [
    "DEFAULT_AMEND_DRAWS",
    "DEFAULT_AMEND_TARGET",
    "DEFAULT_AMEND_TOP",
    "DEFAULT_CANDIDATES",
    "DEFAULT_DRAWS",
    "DEFAULT_RUN_YEARS",
    "DEFAULT_SEED",
    "DEFAULT_STATE_REPS",
    "DEFAULT_STATE_YEARS",
    "DEFAULT_WORKERS",
    "MAX_AMEND_DRAWS",
    "MAX_BUDGET_GB",
    "MAX_BUDGET_SECONDS",
    "MAX_CELLS",
    "MAX_CONFIGS",
    "MAX_CSV_FIELD",
    "MAX_DATA_BYTES",
    "MAX_DRAWS",
    "MAX_EXACT_WORDS",
    "MAX_EXPONENT",
    "MAX_EXTENDS_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_INT_DIGITS",
    "MAX_JOURNAL_BYTES",
    "MAX_MAGNITUDE",
    "MAX_MEMBERSHIP_BYTES",
    "MAX_NUMBER_CHARS",
    "MAX_POWER_BYTES",
    "MAX_POWER_SECONDS",
    "MAX_REPLICATIONS",
    "MAX_SEATS",
    "MAX_SEED",
    "MAX_SIMULATED_YEARS",
    "MAX_TERM",
    "MAX_WEIGHT",
    "MAX_WORKERS",
    "MAX_YEAR",
    "MAX_YEARS",
    "MIN_YEAR",
    "SEARCH_LIMIT",
]

# Randomness

DEFAULT_SEED = 0
"""The root seed when none is given."""

MAX_SEED = 2**128 - 1
"""The largest root seed. Seeds are 128-bit integers: a sweep configuration's seed
(:func:`councilsim.sweep.config_seed`) and a year's seed
(:func:`councilsim.elections.over_years.year_seed`) are derived as 128-bit integers, so every
derived seed is itself a valid root seed."""

# Monte Carlo

DEFAULT_DRAWS = 100_000
"""Monte Carlo drafts when none are given: Wilson intervals about ±0.3 percentage points."""

MAX_DRAWS = 10**12
"""The most Monte Carlo drafts of one simulation, and of each configuration of a sweep (at
10**12 drafts a 95 % interval is about ±10**-6 wide)."""

DEFAULT_WORKERS = 1
"""Worker processes when none are given: one, in this process. Results are identical for any
number, so more workers are an explicit choice of how much of the machine to use."""

MAX_WORKERS = 1024
"""The most worker processes."""

# Elections

DEFAULT_CANDIDATES = "record"
"""The candidate model of every election run when none is chosen: past service 1946-2025
(:mod:`councilsim.elections.record`, ``docs/candidates.md``)."""

DEFAULT_RUN_YEARS = 10
"""Years of an election run shown year by year (``councilsim elect``), counting the start
year."""

DEFAULT_STATE_YEARS = 10
"""Years over which a state's expected power is averaged (``councilsim power --by state``,
``compare``, ``run --state``), counting the start year: five two-year cycles, from the start
composition through the stagger."""

DEFAULT_STATE_REPS = 2000
"""Replications of the election run behind a state's expected power: the 95 % interval of an
elected seat's share is then about ±0.1 percentage point of power."""

MAX_YEARS = 10_000
"""The most years of elections in one run."""

MAX_SIMULATED_YEARS = 1000
"""The most years of a simulation over time (``[simulation] years``, ``simulate --years``):
each year's Council votes on its own Monte Carlo drafts, so a year costs a whole simulation."""

MAX_REPLICATIONS = 10_000_000
"""The most replications of an election run (the size of a run is also bounded by
:data:`MAX_CELLS`)."""

MAX_CELLS = 200_000_000
"""The most (replication, year, seat) cells an election run holds in memory (two bytes each:
400 MB)."""

# Axioms

SEARCH_LIMIT = 1 << 21
"""The most profiles (or coalitions) an exhaustive axiom search visits unless told otherwise
(``councilsim check --limit``; ``councilsim.axioms.LIMIT``)."""

# Scenario and sweep files

MAX_FILE_BYTES = 1_000_000
"""The largest scenario or sweep file read."""

MAX_MEMBERSHIP_BYTES = 20_000_000
"""The largest membership history file read."""

MAX_EXTENDS_DEPTH = 16
"""The longest chain of ``extends``."""

MAX_SEATS = 1000
"""The most seats of a council (and of one seat class)."""

MAX_WEIGHT = 1_000_000
"""The largest voting weight of one seat."""

MAX_TERM = 50
"""The longest term of a non-permanent seat, in years."""

MAX_CONFIGS = 1_000_000
"""The most configurations of a sweep grid (and values of one axis)."""

DEFAULT_AMEND_DRAWS = 20_000
"""Monte Carlo draws of the Charter amendment's passage model when none are given."""

MAX_AMEND_DRAWS = 1_000_000
"""The most draws the amendment's passage model takes (its support matrix is draws × 193
bytes)."""

DEFAULT_AMEND_TOP = 10
"""Pivotal states ``councilsim amend`` lists when none is asked for."""

DEFAULT_AMEND_TARGET = 0.5
"""The probability of passage the amendment's list of states to win over aims at."""

MAX_DATA_BYTES = 50_000_000
"""The largest data file read: an ideal-point or a candidates CSV (the published ideal-point
file of 1946-2024 is 2.4 MB). Every file is read only if it is a regular file (not a device,
a FIFO or a folder), and never past this size, whatever its size said when it was opened."""

MAX_JOURNAL_BYTES = 4_000_000_000
"""The largest sweep journal read back by ``sweep --resume`` (a row is about 1 kB; a grid has
at most :data:`MAX_CONFIGS` rows)."""

MAX_CSV_FIELD = 1000
"""The longest field of a CSV data file, in characters."""

# Numbers and years

MAX_NUMBER_CHARS = 9000
"""The longest text of one exact number (``"0.25"``, ``"1/3"``, ``"2.5e-3"``): long enough for
the exact Shapley-Shubik value of a seat in a council of :data:`MAX_SEATS` (a denominator of
1000! has 2,568 digits), short enough to read at once; each run of digits is also held to
Python's limit of 4,300."""

MAX_EXPONENT = 400
"""The largest power of ten written in an exact number (``1e-400`` is the smallest positive
value read, ``1e400`` the largest). Reading ``1e-999999999`` exactly would take hours."""

MAX_INT_DIGITS = 60
"""The most digits of an integer given as text (a seed, a quota, a weight); the largest seed
(:data:`MAX_SEED`) has 39. Longer digit strings are refused before they are converted."""

MAX_MAGNITUDE = 1e12
"""The largest size of a real number read as data or as a model parameter (an ideal point, a
mean, a spread, a candidate's weight): larger values are typing errors, and squared distances
of ``1e308`` overflow."""

MIN_YEAR = 1945
"""The first year in a data file (a membership or an ideal-point file): the Charter came into
force on 24 Oct 1945."""

MAX_YEAR = 9999
"""The last year in a data file or of an election run."""

# Exact power

MAX_EXACT_WORDS = 500_000_000
"""The most work of the exact simulation engine (``simulate --exact``), counted as tally
states times members times the 64-bit words of its fractions: a probability with many digits
makes every fraction of a large council long (1,000 seats at ``p = 1/3``: 6 * 10**7, under
a second; at ``p = 0.123456789``: 10**9, 7 to 14 s, refused; at a 31-digit ``p``: minutes)."""

MAX_POWER_SECONDS = 60
"""The longest an exact power computation by generating functions may be estimated to take,
in seconds on one core (:func:`councilsim.power.work_estimate`, made before the work starts).
Beyond it ``power`` refuses an index asked for with ``--index`` and suggests a smaller council,
Monte Carlo estimates or cheaper indices; without ``--index`` it leaves such indices out and
says so."""

MAX_POWER_BYTES = 1_000_000_000
"""The most memory, in bytes, an exact power computation may be estimated to hold at once."""

MAX_BUDGET_SECONDS = 1e6
"""The longest ``power --max-seconds`` may allow (about 12 days)."""

MAX_BUDGET_GB = 1e4
"""The most memory ``power --max-gb`` may allow, in GB."""
