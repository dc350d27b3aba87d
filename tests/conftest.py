"""Shared test configuration: hypothesis profiles and the location of the reference data.

Hypothesis profiles, chosen by the environment variable ``HYPOTHESIS_PROFILE``:

``dev`` (the default)
    50 examples per property, for quick local runs.
``ci`` (set by ``.ci/run``)
    200 examples per property, and a failure prints the ``@reproduce_failure`` blob that
    replays it.

Tests that set ``max_examples`` themselves (the expensive properties) keep their own number
under both profiles. Neither profile measures time: no per-example deadline and no "too slow"
health check, because timings depend on the machine and its load (they belong in
``benchmarks/``); both profiles still fail on the health checks that do not depend on speed.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

PROFILES = {"dev": 50, "ci": 200}
"""Examples per property under each profile."""

for _name, _examples in PROFILES.items():
    settings.register_profile(
        _name,
        max_examples=_examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
        print_blob=_name == "ci",
    )

_PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "dev")
if _PROFILE not in PROFILES:
    raise pytest.UsageError(
        f"HYPOTHESIS_PROFILE={_PROFILE!r} is not a profile; use one of {', '.join(PROFILES)}"
    )
settings.load_profile(_PROFILE)

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
