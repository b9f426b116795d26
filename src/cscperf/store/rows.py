"""Python rows to Arrow tables typed by the canonical schema, for every writer (ingest, fixtures)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

import pyarrow as pa

from cscperf.store.schema import Table, tables

ARROW_TYPES = {
    "text": pa.string(),
    "integer": pa.int64(),
    "decimal": pa.float64(),
    "date": pa.date32(),
    "boolean": pa.bool_(),
    "timestamp": pa.timestamp("us"),
}


def arrow_schema(table: Table | str, columns: Iterable[str] | None = None) -> pa.Schema:
    spec = tables()[table] if isinstance(table, str) else table
    names = list(columns) if columns is not None else list(spec.column_names)
    return pa.schema([pa.field(n, ARROW_TYPES[spec.column(n).type]) for n in names])


def _coerce(value: Any, col_type: str) -> Any:
    if value is None or value == "":
        return None
    if col_type == "date" and isinstance(value, str):
        return date.fromisoformat(value)
    if col_type == "date" and isinstance(value, datetime):
        return value.date()
    if col_type == "timestamp" and isinstance(value, str):
        return datetime.fromisoformat(value)
    if col_type == "text" and not isinstance(value, str):
        return str(value)
    if col_type == "decimal":
        return float(value)
    if col_type == "integer" and not isinstance(value, bool):
        return int(value)
    return value


def to_arrow(table: str, rows: Iterable[Mapping[str, Any]], defaults: Mapping[str, Any] | None = None) -> pa.Table:
    """Rows (dicts) as an Arrow table with every column of ``table``; missing columns are null.

    Unknown keys raise ``KeyError`` naming the column, so a typo in a fixture or a writer is caught.
    """
    spec = tables()[table]
    names = list(spec.column_names)
    known = frozenset(names)
    given = defaults or {}
    columns: list[list[Any]] = [[] for _ in names]
    # per column: name, type, the list's append and the default, looked up once rather than per cell
    plan = [(n, spec.column(n).type, col.append, given.get(n)) for n, col in zip(names, columns)]
    for row in rows:
        if not known.issuperset(row):
            raise KeyError(f"{table} has no column {sorted(set(row) - known)[0]!r}")
        get = row.get
        for n, col_type, append, default in plan:
            value = get(n, default)
            append(None if value is None else _coerce(value, col_type))
    schema = arrow_schema(spec)
    return pa.table({n: pa.array(col, schema.field(n).type) for n, col in zip(names, columns)}, schema=schema)
