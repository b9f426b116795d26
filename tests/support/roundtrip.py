"""Round trips from a synthetic council: ``synth --defects 0`` once per test session, then each
format's files are loaded into a fresh store and compared with the generator's truth tables."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq

AS_AT = date(2026, 10, 31)  # a CSWW census (30 September 2026) and a full Annex A year fall in the two simulated years


def truth(council: Path, name: str) -> list[dict]:
    return pq.read_table(council / "truth" / f"{name}.parquet").to_pylist()


def stored(engine, table: str) -> list[dict]:
    return engine.execute(f"SELECT * FROM {table}").dicts()


def same(store: Iterable[dict], expected: Iterable[dict], fields: list[str], what: str) -> int:
    """The store's rows equal the expected rows on ``fields``, as multisets (every row, not a sample);
    returns how many rows were compared."""
    got = Counter(tuple(r.get(f) for f in fields) for r in store)
    want = Counter(tuple(r.get(f) for f in fields) for r in expected)
    missing, extra = want - got, got - want
    assert not missing and not extra, (what, fields, f"{sum(missing.values())} missing, e.g.",
                                       sorted(missing, key=repr)[:3], f"{sum(extra.values())} extra, e.g.",
                                       sorted(extra, key=repr)[:3])
    return sum(want.values())
