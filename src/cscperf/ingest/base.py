"""What a reader is, and what it yields.

A reader turns one input file into canonical rows and problems (``Issue``). It never writes to the
store: the loader collects every file's rows, and writes them in one transaction, so a reader that
raises ``InputError`` leaves the store unchanged.

Rows come one at a time (``Record``, from ``read``) or, for the big formats, a table at a time
(``Batch``, from ``read_batches``): an Arrow table of typed columns costs a fraction of the memory
and time of a dict per row, which is what lets a large council load in seconds (docs/ingest.md).
A reader with ``read_batches`` gets ``read`` from it (``records_of``), so both views agree.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol

import pyarrow as pa


@dataclass(frozen=True)
class Record:
    """One canonical row: the table it belongs to, its values, and its place in the source file."""

    table: str
    values: dict[str, Any]
    source_file: str
    source_row: int | None


@dataclass(frozen=True)
class Batch:
    """Rows of one canonical table as typed Arrow columns (a subset of the table's columns, named as
    in the schema) plus ``source_file`` and ``source_row``."""

    table: str
    data: pa.Table

    def __len__(self) -> int:
        return self.data.num_rows


@dataclass(frozen=True)
class Issue:
    """A problem found while reading. ``rejected``: the row was not loaded; ``warning``: loaded, reported
    (an unknown code kept as read, an unknown column ignored)."""

    severity: Literal["rejected", "warning"]
    source_file: str
    source_row: int | None
    field: str | None
    value: str | None
    reason: str


@dataclass(frozen=True)
class Detection:
    """What a file is, found from its content: the format, the collection year if known, and a table
    name for multi-table formats (e.g. SSDA903 ``Episodes``)."""

    format: str
    collection_year: str | None = None
    part: str | None = None


class Reader(Protocol):
    """A format's reader. ``detect`` looks at content (not only the name); ``read`` yields records and
    issues and raises ``InputError`` (file, row, field) when the file cannot be loaded at all."""

    format: str

    def detect(self, path: Path) -> Detection | None: ...

    def read(self, path: Path, detection: Detection) -> Iterator[Record | Issue]: ...


def records_of(items: Iterable[Batch | Issue]) -> Iterator[Record | Issue]:
    """A batch reader's output one row at a time, for the row-wise ``read`` contract."""
    for item in items:
        if isinstance(item, Issue):
            yield item
            continue
        for row in item.data.to_pylist():
            source_file, source_row = row.pop("source_file"), row.pop("source_row")
            yield Record(item.table, row, source_file, source_row)
