"""Accumulates generated rows per canonical table (as tuples) and turns them into Arrow tables typed
by the canonical schema (cscperf.store.rows.arrow_schema). Dates are held as day numbers."""

from __future__ import annotations

from collections.abc import Sequence

import pyarrow as pa

from cscperf.store.rows import arrow_schema
from cscperf.store.schema import tables


class Sink:
    """Rows of many tables; each table has the column order given at ``declare``."""

    def __init__(self) -> None:
        self.columns: dict[str, tuple[str, ...]] = {}
        self.rows: dict[str, list[tuple]] = {}

    def declare(self, table: str, columns: Sequence[str]) -> list[tuple]:
        spec = tables()[table]
        unknown = set(columns) - set(spec.column_names)
        if unknown:
            raise KeyError(f"{table} has no column {sorted(unknown)[0]!r}")
        self.columns[table] = tuple(columns)
        return self.rows.setdefault(table, [])

    def to_arrow(self, table: str) -> pa.Table:
        spec = tables()[table]
        schema = arrow_schema(spec)
        rows = self.rows.get(table, [])
        given = self.columns.get(table, ())
        by_name = dict(zip(given, zip(*rows))) if rows else {}
        arrays = []
        for field in schema:
            values = by_name.get(field.name)
            if values is None:
                arrays.append(pa.nulls(len(rows), field.type))
            elif pa.types.is_date32(field.type):
                arrays.append(pa.array(values, pa.int32()).cast(pa.date32()))
            else:
                arrays.append(pa.array(values, field.type))
        return pa.Table.from_arrays(arrays, schema=schema)

    def tables(self) -> dict[str, pa.Table]:
        return {name: self.to_arrow(name) for name in self.columns}
