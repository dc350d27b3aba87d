"""Rebuild the derived tables that ship under ``councilsim/data`` from the public data.

Run from the repository root, with the shared data folder beside it::

    python -m councilsim.build_data candidates \\
        ../shared/data/unsc_membership_by_year_1946_2027.csv \\
        -o src/councilsim/data/candidate_weights.csv
    python -m councilsim.build_data population \\
        ../shared/data/world_population_1960_2024.csv -o src/councilsim/data/population.csv

This is a maintainer's step, not a ``councilsim`` command: users never rebuild the shipped
tables (they give their own files to ``--candidates`` or to
:func:`councilsim.population.population`), and the tests check that the rebuild reproduces
the shipped files byte for byte. Without ``-o`` the table goes to standard output.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from councilsim.elections.membership import read_membership
from councilsim.elections.record import record_table
from councilsim.errors import ScenarioError
from councilsim.files import write_atomic
from councilsim.population import snapshot_text

__all__ = ["build", "main"]


def build(table: str, source: str) -> str:
    """The text of the shipped ``table`` (``candidates`` or ``population``) from ``source``."""
    if table == "candidates":
        return record_table(read_membership(source)).text()
    if table == "population":
        return snapshot_text(source)
    raise ScenarioError(f"unknown table {table!r}", fix="use candidates or population")


def main(argv: Sequence[str] | None = None) -> int:
    """The command line: ``TABLE SOURCE [-o FILE]``; errors are one line and status 2."""
    parser = argparse.ArgumentParser(
        prog="python -m councilsim.build_data", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("table", choices=["candidates", "population"])
    parser.add_argument("source", help="the public data file to derive the table from")
    parser.add_argument("-o", "--output", help="write here (whole or not at all)")
    args = parser.parse_args(argv)
    try:
        text = build(args.table, args.source)
    except ScenarioError as err:
        print(f"councilsim: error: {err}", file=sys.stderr)
        return 2
    if args.output:
        write_atomic(args.output, text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
