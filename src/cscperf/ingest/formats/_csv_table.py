"""A CSV whose columns are canonical columns (cscperf's own layouts): headers matched loosely, cells
typed by the canonical schema, unknown codes kept and reported."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from cscperf.core.errors import InputError, Location
from cscperf.core.layouts.annex_a import header_key
from cscperf.core.layouts.hr import CsvLayout
from cscperf.ingest.base import Batch, Issue, Record
from cscperf.ingest.csvfile import Columns
from cscperf.ingest.formats._tabular import CodeMatcher, cell_date, cell_number, cell_text
from cscperf.ingest.values import parse_flag
from cscperf.store.rows import ARROW_TYPES
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


def match_header(name: str, layout: CsvLayout, header: list[Any]
                 ) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """(position, canonical column) of each header cell the layout knows, and (position, text) of the
    others (a repeated column counts as unknown); a required column missing refuses the file. One
    matcher for the row and the column paths, so both accept and refuse the same headers."""
    index = header_index(layout)
    spec = tables()[layout.table]
    columns: list[tuple[int, str]] = []
    unknown: list[tuple[int, str]] = []
    for i, h in enumerate(header):
        text = cell_text(h)
        if text is None:
            continue
        col = index.get(header_key(text))
        if col is None or col in {c for _, c in columns}:
            unknown.append((i, text))
        else:
            columns.append((i, col))
    present = {c for _, c in columns}
    for col in layout.columns:
        if spec.column(col).required and col not in present:
            raise InputError(Location(name, None, col), "required column is missing")
    return columns, unknown


def unknown_column(name: str, text: str) -> Issue:
    return Issue("warning", name, None, text, None, "unknown column (ignored)")


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
    spec = tables()[layout.table]
    columns, extra = match_header(name, layout, rows[0])
    if not fixed_only:
        for _, text in extra:
            yield unknown_column(name, text)
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
    """Records of a one-table layout, row by row (the reader's ``read``); see ``batches``."""
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


def batches(path: Path, layout: CsvLayout, data: Columns) -> Iterator[Batch | Issue]:
    """What ``records`` yields, a column at a time: each column's distinct texts are converted once
    (``convert``, the same function the row path uses) and spread back over the rows. Issues come in
    the row path's order; a cell that cannot be stored refuses the file at the row path's first
    such cell (the first row, then the leftmost column), with the same message."""
    name = path.name
    spec = tables()[layout.table]
    columns, unknown = match_header(name, layout, data.header)
    # (row, column position, issue) to sort into row order
    issues: list[tuple[int, int, Issue]] = [(0, i, unknown_column(name, text)) for i, text in unknown]
    rows = data.rows
    typed: dict[str, pa.Array] = {}
    first_bad: tuple[int, int, str] | None = None
    for i, col in columns:
        column = spec.column(col)
        if column.type == "text" and not column.codes:  # free text: mostly distinct, trimmed in Arrow
            typed[col] = _text_column(data.columns[i])
            continue
        encoded = pc.dictionary_encode(data.columns[i])
        texts = encoded.dictionary.to_pylist()
        values, problems, bad = [], [], []
        for code, raw in enumerate(texts):
            try:
                value, problem = convert(raw, column, _NOWHERE)
            except InputError:
                value, problem = None, None
                bad.append(code)
            values.append(value)
            if problem:
                problems.append(code)
        indices = encoded.indices
        if bad:
            at = pc.index(pc.is_in(indices, pa.array(bad, indices.type)), True).as_py()
            if first_bad is None or (rows[at].as_py(), i) < first_bad[:2]:
                first_bad = (rows[at].as_py(), i, col)
            continue
        typed[col] = pa.array(values, ARROW_TYPES[column.type]).take(indices)
        for at in _where(pc.is_in(indices, pa.array(problems, indices.type))) if problems else ():
            raw = data.columns[i][at].as_py()
            _, problem = convert(raw, column, _NOWHERE)
            issues.append((rows[at].as_py(), i, Issue("warning", name, rows[at].as_py(), col, cell_text(raw), problem)))
    if first_bad is not None:
        n, i, col = first_bad
        position = pc.index(rows, n).as_py()
        convert(data.columns[i][position].as_py(), spec.column(col), Location(name, n, col))  # raises, naming the cell
        raise AssertionError("a cell failed to convert once and not again")  # pragma: no cover
    keep = None
    rejected = None
    required = [c for c in layout.columns if spec.column(c).required and c in typed]
    for col in required:
        missing = pc.is_null(typed[col])
        if pc.any(missing).as_py():
            for at in _where(missing if rejected is None else pc.and_(missing, pc.invert(rejected))):
                n = rows[at].as_py()
                issues.append((n, len(data.header), Issue("rejected", name, n, col, None, "required value is blank")))
            rejected = missing if rejected is None else pc.or_(rejected, missing)
    if rejected is not None:
        keep = pc.invert(rejected)
    issues.sort(key=lambda t: (t[0], t[1]))
    yield from (issue for _, _, issue in issues)
    names = [c for _, c in columns]
    arrays = [typed[c] for c in names] + [pa.repeat(pa.scalar(name, pa.string()), len(rows)), rows]
    out = pa.Table.from_arrays(arrays, names=[*names, "source_file", "source_row"])
    if keep is not None:
        out = out.filter(keep)
    if out.num_rows:
        yield Batch(layout.table, out)


_NOWHERE = Location("")
# Values Arrow's whitespace trim might treat differently from Python's str.strip (any value that does
# not start and end with a letter or digit) are trimmed by ``cell_text`` itself.
_EDGE = r"^[^\p{L}\p{N}]|[^\p{L}\p{N}]$"


def _text_column(raw: pa.Array) -> pa.Array:
    """``cell_text`` of every cell (trimmed, blank is null), without a Python call per cell."""
    edge = pc.match_substring_regex(raw, _EDGE)
    out = pc.if_else(pc.equal(raw, ""), pa.scalar(None, pa.string()), raw)
    if pc.any(edge).as_py():
        at = _where(edge)
        fixed = pa.array([cell_text(v) for v in raw.take(pa.array(at)).to_pylist()], pa.string())
        out = pc.replace_with_mask(out, edge, fixed)
    return out


def _where(mask: pa.Array) -> list[int]:
    """Positions where a boolean array is true."""
    return pc.indices_nonzero(mask).to_pylist()
