"""Shared synthetic councils for the synth tests: one medium run per session (about 2 s here)."""

from __future__ import annotations

from datetime import date

import pytest

from cscperf.synth.council import simulate_council
from cscperf.synth.profiles import Council, councils

AS_AT = date(2026, 10, 31)


def tiny(population: int = 900) -> Council:
    return Council(0, "883", "Thurrock", "E06000034", "East of England", population)


@pytest.fixture(scope="session")
def medium_truth():
    return simulate_council(councils("medium")[0], seed=1, as_at=AS_AT, years=6)
