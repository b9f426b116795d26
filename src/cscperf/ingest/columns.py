"""Collecting a reader's rows as columns: one tuple per row, one typed Arrow table per file.

A dict per row (``Record``) costs ~1 KB and a trip through ``to_arrow`` per cell; a tuple appended to
a list and transposed once at the end of the file costs a fraction of both. The Arrow types come
from the canonical schema, so what lands in the store is what the row-wise path wrote.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pyarrow as pa

from cscperf.ingest.base import Batch, Record
from cscperf.store.rows import ARROW_TYPES, to_arrow
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
    """Row-wise readers' records as one batch per table, typed by the canonical schema."""
    by_table: dict[str, list[Mapping[str, Any]]] = {}
    for record in records:
        by_table.setdefault(record.table, []).append(
            {**record.values, "source_file": record.source_file, "source_row": record.source_row})
    out = []
    for table, rows in by_table.items():
        data = to_arrow(target(table), rows)
        out.append(Batch(table, data.drop_columns(["load_id"])))
    return out
