"""Running a definition's fixtures on an engine: insert the rows, run the queries, compare.

Each fixture runs inside a transaction that is rolled back, so one migrated store serves every
fixture on an engine.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from cscperf.registry.definition import Definition, Fixture
from cscperf.store.engine import Engine
from cscperf.store.rows import to_arrow
from cscperf.store.schema import tables

FIXTURE_PROVENANCE = {"load_id": 0, "source_file": "fixture"}
PREVIOUS = "prev_"  # last year's return
HISTORY = "hist_"  # every earlier year's return the check can see (last year's at the least)
_EARLIER_REF = re.compile(r"\b((?:prev|hist)_([a-z_]+))\b")


def previous_tables(definition: Definition) -> set[str]:
    """The earlier returns' tables a definition reads, by their prefixed names: ``prev_<table>`` (last
    year's return) and ``hist_<table>`` (every earlier year's that is at hand)."""
    found: set[str] = set()
    for sql in definition.queries.values():
        found |= {full for full, base in _EARLIER_REF.findall(sql) if base in tables()}
    return found


def base_table(name: str) -> str:
    """The canonical table behind ``prev_<table>`` or ``hist_<table>`` (any other name is itself)."""
    for prefix in (PREVIOUS, HISTORY):
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def create_previous_tables(engine: Engine, names: set[str]) -> None:
    """Empty copies (same columns) of the earlier returns' tables ``names`` for this transaction or session."""
    for name in sorted(names):
        engine.execute(f"CREATE TEMPORARY TABLE {name} AS SELECT * FROM {base_table(name)} WHERE 1 = 0")


class _Discard(Exception):
    """Raised to roll a fixture's rows back."""


@dataclass(frozen=True)
class Mismatch:
    definition: str
    fixture: str
    query: str
    missing: list[tuple]
    unexpected: list[tuple]

    def __str__(self) -> str:
        return (
            f"{self.definition} [{self.fixture}] {self.query}: "
            f"expected but missing {self.missing}; returned but not expected {self.unexpected}"
        )


def _normal(value: Any) -> Any:
    """Values compared loosely enough for two engines: dates as ISO text, numbers rounded."""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, float)) or hasattr(value, "__float__"):
        number = float(value)
        if math.isnan(number):
            return "NaN"
        return round(number, 6) + 0.0
    return value


def _key(row: dict[str, Any], columns: list[str]) -> tuple:
    return tuple(_normal(row.get(c)) for c in columns)


def run_query_rows(engine: Engine, definition: Definition, query: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    return engine.execute(definition.query(query), params).dicts()


def check_fixture(engine: Engine, definition: Definition, fixture: Fixture) -> list[Mismatch]:
    """Mismatches between what each query returns on the fixture and what it expects (empty = pass)."""
    problems: list[Mismatch] = []
    try:
        with engine.transaction():
            create_previous_tables(engine, previous_tables(definition))
            for table, rows in fixture.tables.items():
                base = base_table(table)
                numbered = [{**FIXTURE_PROVENANCE, "source_row": i, **row} for i, row in enumerate(rows, 1)]
                if not tables()[base].provenance:
                    numbered = [dict(row) for row in rows]
                engine.insert(table, to_arrow(base, numbered))
            for query, expected in fixture.expect.items():
                got = run_query_rows(engine, definition, query, fixture.params)
                columns = list(dict.fromkeys(c for row in expected for c in row)) if expected else (list(got[0]) if got else [])
                want = Counter(_key(r, columns) for r in expected)
                have = Counter(_key(r, columns) for r in got)
                if want != have:
                    problems.append(
                        Mismatch(definition.id, fixture.name, query,
                                 sorted((want - have).elements(), key=repr), sorted((have - want).elements(), key=repr))
                    )
            raise _Discard
    except _Discard:
        pass
    return problems


def check_definition(engine: Engine, definition: Definition) -> list[Mismatch]:
    problems: list[Mismatch] = []
    for fixture in definition.fixtures:
        problems += check_fixture(engine, definition, fixture)
    return problems
