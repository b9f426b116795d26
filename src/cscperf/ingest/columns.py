"""Collecting a reader's rows as columns: one tuple per row, one typed Arrow table per file.

A dict per row (``Record``) costs ~1 KB and a trip through ``to_arrow`` per cell; a tuple appended to
a list and transposed once at the end of the file costs a fraction of both. The Arrow types come
from the canonical schema, so what lands in the store is what the row-wise path wrote.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import pyarrow as pa

from cscperf.ingest.base import Batch, Record
from cscperf.store.rows import ARROW_TYPES, _coerce, arrow_schema
from cscperf.store.schema import tables

SOURCE = ("source_file", "source_row")


def target(table: str) -> str:
    """The store table a reader's rows land in: a ``child`` row is its source's ``child_source`` row."""
    return "child_source" if table == "child" else table


class TableRows:
    """Rows of one canonical table: ``add(value, ..., source_row)`` in ``columns`` order."""

    def __init__(self, table: str, columns: Iterable[str]):
        self.table = table
        self.columns = tuple(columns)
        spec = tables()[target(table)]
        self.types = [ARROW_TYPES[spec.column(c).type] for c in self.columns]
        self.rows: list[tuple] = []
        self.add = self.rows.append

    def __len__(self) -> int:
        return len(self.rows)

    def batch(self, source_file: str) -> Batch | None:
        """The rows as a ``Batch`` (None when there are none); the builder is emptied."""
        if not self.rows:
            return None
        n = len(self.rows)
        cols = list(zip(*self.rows))
        self.rows.clear()
        arrays = [pa.array(col, t) for col, t in zip(cols, self.types)]
        arrays.append(pa.array(cols[-1], pa.int64()))
        names = [*self.columns, "source_row"]
        data = pa.Table.from_arrays(arrays, names=names)
        data = data.add_column(len(self.columns), "source_file", pa.repeat(pa.scalar(source_file, pa.string()), n))
        return Batch(self.table, data)


def batches_of_records(records: Iterable[Record]) -> list[Batch]:
    """Row-wise readers' records as one batch per table, typed by the canonical schema: the table
    ``to_arrow`` makes of them (every column, missing ones null), a column at a time."""
    by_table: dict[str, list[Record]] = {}
    for record in records:
        group = by_table.get(record.table)
        if group is None:
            group = by_table[record.table] = []
        group.append(record)
    return [Batch(table, rows_table(table, [(r.values, r.source_file, r.source_row) for r in rows]))
            for table, rows in by_table.items()]


# The Python type each canonical type's cells already have when no conversion is needed.
_PLAIN = {"text": str, "integer": int, "decimal": float, "date": dt.date, "boolean": bool, "timestamp": dt.datetime}


def rows_table(table: str, rows: list[tuple[dict[str, Any], str, int | None]]) -> pa.Table:
    """(values, source file, source row) per row as ``to_arrow`` types them: every column of the
    table's store table (``load_id`` left out), missing ones null."""
    values = [r[0] for r in rows]
    columns = {name: [v.get(name) for v in values] for name in set().union(*values)}
    return columns_table(table, columns, [r[1] for r in rows], [r[2] for r in rows])


def columns_table(table: str, columns: dict[str, list[Any]], source_file: str | list[str],
                  source_rows: list[int | None]) -> pa.Table:
    """Rows given as columns (canonical name -> one value per row), typed as ``to_arrow`` types them:
    every column of the table's store table (``load_id`` left out), missing ones null.
    ``source_file``: one file for every row, or one per row."""
    spec = tables()[target(table)]
    known = frozenset(spec.column_names)
    if not known.issuperset(columns):
        raise KeyError(f"{target(table)} has no column {sorted(set(columns) - known)[0]!r}")
    n = len(source_rows)
    arrays = []
    for name in spec.column_names:
        if name == "load_id":
            continue
        col_type = spec.column(name).type
        if name == "source_file":
            arrays.append(_typed([source_file] * n if isinstance(source_file, str) else source_file, col_type))
        elif name == "source_row":
            arrays.append(_typed(source_rows, col_type))
        elif name in columns:
            arrays.append(_typed(columns[name], col_type))
        else:
            arrays.append(pa.nulls(n, ARROW_TYPES[col_type]))
    names = [c for c in spec.column_names if c != "load_id"]
    return pa.Table.from_arrays(arrays, schema=arrow_schema(spec, names))


def _typed(cells: list[Any], col_type: str) -> pa.Array:
    """``to_arrow``'s column: cells already of the column's Python type (the usual case) go to Arrow
    as they are; any other column is converted cell by cell by ``to_arrow``'s own ``_coerce``."""
    kinds = set(map(type, cells))
    kinds.discard(type(None))
    if kinds <= {_PLAIN[col_type]} and not (col_type == "text" and "" in cells):
        return pa.array(cells, ARROW_TYPES[col_type])
    return pa.array([None if c is None else _coerce(c, col_type) for c in cells], ARROW_TYPES[col_type])
