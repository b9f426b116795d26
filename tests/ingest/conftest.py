"""One synthetic council per test session for the ingest round trips (tests/ingest/test_round_trip_*.py)."""

from pathlib import Path

import pytest

from cscperf.synth.run import synthesise
from support.roundtrip import AS_AT


@pytest.fixture(scope="session")
def council(tmp_path_factory) -> Path:
    """``cscperf synth --profile small --seed 1 --as-at 2026-10-31 --years 2 --defects 0``."""
    out = tmp_path_factory.mktemp("council")
    synthesise("small", seed=1, as_at=AS_AT, years=2, out=out, defects=0.0, say=lambda _: None)
    return out
