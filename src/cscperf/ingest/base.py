"""What a reader is, and what it yields.

A reader turns one input file into canonical rows (``Record``) and problems (``Issue``). It never
writes to the store: the loader collects every record of every file, and writes them in one
transaction, so a reader that raises ``InputError`` leaves the store unchanged.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol


@dataclass(frozen=True)
class Record:
    """One canonical row: the table it belongs to, its values, and its place in the source file."""

    table: str
    values: dict[str, Any]
    source_file: str
    source_row: int | None


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
