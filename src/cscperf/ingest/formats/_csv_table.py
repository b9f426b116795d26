"""A CSV whose columns are canonical columns (cscperf's own layouts): headers matched loosely, cells
typed by the canonical schema, unknown codes kept and reported."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from cscperf.core.errors import InputError, Location
from cscperf.core.layouts.annex_a import header_key
from cscperf.core.layouts.hr import CsvLayout
from cscperf.ingest.base import Issue, Record
from cscperf.ingest.formats._tabular import CodeMatcher, cell_date, cell_number, cell_text
from cscperf.ingest.values import parse_flag
from cscperf.store.schema import Column, code_lists, tables


def header_index(layout: CsvLayout) -> dict[str, str]:
    """Normalised header -> canonical column, for a layout's columns and their aliases."""
    out = {}
    for col in layout.columns:
        for name in (col, *layout.aliases.get(col, ())):
            out[header_key(name)] = col
    return out


def matches(layout: CsvLayout, header: list[Any]) -> bool:
    """A header row is this layout's when every required column of its table is there."""
    index = header_index(layout)
    found = {index.get(header_key(h)) for h in header if cell_text(h)}
    spec = tables()[layout.table]
    required = {c for c in layout.columns if spec.column(c).required}
    return required <= found


@lru_cache(maxsize=None)
def _matcher(code_list: str) -> CodeMatcher:
    return CodeMatcher(code_lists()[code_list].values)


def convert(value: Any, column: Column, loc: Location) -> tuple[Any, str | None]:
    """A cell as the canonical column's type; an unreadable date, number or flag refuses the file."""
    if column.codes:
        code, known = _matcher(column.codes).match(value)
        return code, None if known else f"code not in the {column.codes} list (kept as read)"
    if column.type == "date":
        return cell_date(value, loc), None
    if column.type in ("decimal", "integer"):
        return cell_number(value, loc, integer=column.type == "integer"), None
    if column.type == "boolean":
        try:
            return parse_flag(cell_text(value)), None
        except ValueError as exc:
            raise InputError(loc, str(exc), cell_text(value)) from None
    return cell_text(value), None


def read_rows(path: Path, layout: CsvLayout, rows: list[list[Any]], fixed_only: bool = False
              ) -> Iterator[tuple[int, dict[str, Any], list[tuple[int, str]]] | Issue]:
    """(data row, canonical values, unmatched columns) for each row, plus issues. ``fixed_only`` leaves
    unmatched columns to the caller (the wide survey's question columns) instead of reporting them."""
    name = path.name
    header = rows[0]
    index = header_index(layout)
    spec = tables()[layout.table]
    columns: list[tuple[int, str]] = []
    extra: list[tuple[int, str]] = []
    for i, h in enumerate(header):
        text = cell_text(h)
        if text is None:
            continue
        col = index.get(header_key(text))
        if col is None or col in {c for _, c in columns}:
            extra.append((i, text))
            if not fixed_only:
                yield Issue("warning", name, None, text, None, "unknown column (ignored)")
            continue
        columns.append((i, col))
    present = {c for _, c in columns}
    for col in layout.columns:
        if spec.column(col).required and col not in present:
            raise InputError(Location(name, None, col), "required column is missing")
    typed = [(i, col, spec.column(col)) for i, col in columns]
    row_loc = Location(name)
    for n, row in enumerate(rows[1:], start=1):
        if not any(cell_text(c) for c in row):
            continue
        values: dict[str, Any] = {}
        width = len(row)
        for i, col, column in typed:
            raw = row[i] if i < width else None
            try:  # a Location per cell costs more than the conversion; it is only needed for an error
                value, problem = convert(raw, column, row_loc)
            except InputError:
                convert(raw, column, Location(name, n, col))  # raises the same error, naming row and field
                raise
            if problem:
                yield Issue("warning", name, n, col, cell_text(raw), problem)
            values[col] = value
        yield n, values, extra


def required_blank(layout: CsvLayout, values: dict[str, Any]) -> str | None:
    spec = tables()[layout.table]
    return next((c for c in layout.columns if spec.column(c).required and values.get(c) is None), None)


def records(path: Path, layout: CsvLayout, rows: list[list[Any]]) -> Iterator[Record | Issue]:
    """Records of a one-table layout; a row missing a required value is rejected, the rest loaded."""
    for item in read_rows(path, layout, rows):
        if isinstance(item, Issue):
            yield item
            continue
        n, values, _ = item
        blank = required_blank(layout, values)
        if blank:
            yield Issue("rejected", path.name, n, blank, None, "required value is blank")
            continue
        yield Record(layout.table, values, path.name, n)
