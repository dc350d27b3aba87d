"""Shared test configuration: hypothesis profiles and the location of the reference data."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# HYPOTHESIS_PROFILE=ci for the thorough run; "dev" (the default) keeps local runs quick.
settings.register_profile("dev", max_examples=50, deadline=None)
settings.register_profile("ci", max_examples=200, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

SHARED_DATA_ENV = "COUNCILSIM_SHARED_DATA"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The directory of shared reference data, or skip the test when it is not there.

    By default ``shared/data`` next to the repository root; the environment variable
    ``COUNCILSIM_SHARED_DATA`` overrides it.
    """
    override = os.environ.get(SHARED_DATA_ENV)
    if override:
        path = Path(override).expanduser()
    else:
        path = Path(__file__).resolve().parents[1].parent / "shared" / "data"
    if not path.is_dir():
        pytest.skip(f"shared reference data directory not found: {path} (set {SHARED_DATA_ENV})")
    return path
