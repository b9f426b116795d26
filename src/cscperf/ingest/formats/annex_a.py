"""Ofsted ILACS Annex A, lists 1-11, from an Excel workbook or one CSV per list.

Lists are recognised by their column headers (councils rename sheets, add title rows, respell
headers); cells are converted by column kind (dates, whole numbers, yes/no, coded values with or
without their letter prefixes). What each list becomes in the canonical model is in
``_annex_a_rows`` and docs/formats/annex-a.md.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from cscperf.core.errors import InputError, Location
from cscperf.core.layouts.annex_a import LISTS, Col, ListSpec, header_key, list_for_headers, vocab
from cscperf.ingest.base import Detection, Issue, Record
from cscperf.ingest.csvfile import peek, read_all
from cscperf.ingest.formats._annex_a_rows import Builder, combine
from cscperf.ingest.formats._tabular import (
    Rows,
    cell_date,
    cell_number,
    CodeMatcher,
    cell_text,
    find_header,
    read_xlsx,
)
from cscperf.store.schema import code_lists

EXCEL_SUFFIXES = {".xlsx", ".xlsm"}


def is_workbook(path: Path) -> bool:
    """An Excel workbook by its content (a zip holding xl/workbook.xml), whatever it is called."""
    try:
        if not zipfile.is_zipfile(path):
            return False
        with zipfile.ZipFile(path) as zf:
            return "xl/workbook.xml" in zf.namelist()
    except (OSError, zipfile.BadZipFile):
        return False


class AnnexAReader:
    """Reader for Annex A workbooks and per-list CSVs (format ``annex-a``)."""

    format = "annex-a"

    def detect(self, path: Path) -> Detection | None:
        suffix = path.suffix.lower()
        if suffix in EXCEL_SUFFIXES or is_workbook(path):
            # The only Excel format cscperf reads: claim it, so that a broken workbook gets a clear
            # message from ``read`` rather than "format not recognised".
            return Detection(self.format)
        if suffix in {".csv", ".txt"}:
            found = find_header(peek(path), list_for_headers)
            if found:
                return Detection(self.format, part=found[1].sheet)
        return None

    def read(self, path: Path, detection: Detection) -> Iterator[Record | Issue]:
        if path.suffix.lower() in EXCEL_SUFFIXES or is_workbook(path):
            sheets = read_xlsx(path)
            label = lambda sheet: f"{path.name}[{sheet}]"  # noqa: E731 - provenance names the sheet
        else:
            sheets = [(None, read_all(path, path.name))]
            label = lambda sheet: path.name  # noqa: E731
        builder = Builder()
        recognised = 0
        for sheet, rows in sheets:
            source = label(sheet)
            found = find_header(rows, list_for_headers)
            if found is None:
                if sheet is None:
                    raise InputError(Location(source, 1), "no Annex A list recognised from the column headers")
                if any(any(cell_text(c) for c in row) for row in rows):
                    yield Issue("warning", source, None, None, None, "sheet is not an Annex A list (ignored)")
                continue
            recognised += 1
            header_index, spec = found
            yield from _read_list(spec, rows, header_index, source, builder)
        if not recognised:
            raise InputError(Location(path.name), "no Annex A list recognised in any sheet")
        yield from builder.finish()

    @staticmethod
    def combine(records: list[Record]) -> list[Record]:
        """An extract sent as one CSV per list: merge what several lists say about one record."""
        return combine(records)


def _read_list(spec: ListSpec, rows: Rows, header_index: int, source: str, builder: Builder
               ) -> Iterator[Record | Issue]:
    header = rows[header_index]
    by_key = {header_key(n): col for col in spec.columns for n in (col.header, *col.aliases)}
    columns: list[tuple[int, Col]] = []
    seen: set[str] = set()
    for i, name in enumerate(header):
        text = cell_text(name)
        if text is None:
            continue
        col = by_key.get(header_key(text))
        if col is None or col.key in seen:
            reason = "unknown column (ignored)" if col is None else "duplicate column (ignored)"
            yield Issue("warning", source, None, text, None, f"{spec.sheet}: {reason}")
            continue
        seen.add(col.key)
        columns.append((i, col))
    for col in spec.columns:
        if col.required and col.key not in seen:
            raise InputError(Location(source, None, col.header), f"{spec.sheet}: required column is missing")
    vocabs = _vocabs()
    # a list repeats the same dates and codes row after row: each distinct (column kind, cell) is
    # converted once; a cell that cannot be converted is never remembered, so it raises where it is
    seen: dict[tuple[str, type, Any], tuple[Any, str | None]] = {}
    for offset, row in enumerate(rows[header_index + 1:], start=1):
        if not any(cell_text(c) for c in row):
            continue
        values: dict[str, Any] = {}
        for i, col in columns:
            raw = row[i] if i < len(row) else None
            key = (col.kind, type(raw), raw)
            try:
                value, issue = seen[key]
            except KeyError:
                value, issue = _convert(raw, col, Location(source, offset, col.header), vocabs)
                seen[key] = (value, issue)
            except TypeError:  # an unhashable cell
                value, issue = _convert(raw, col, Location(source, offset, col.header), vocabs)
            if issue:
                yield Issue("warning", source, offset, col.header, cell_text(raw), issue)
            values[col.key] = value
        missing = next((c for _, c in columns if c.required and values.get(c.key) is None), None)
        if missing is not None:
            yield Issue("rejected", source, offset, missing.header, None, f"{spec.sheet}: required value is blank")
            continue
        yield from builder.add(spec.number, values, source, offset)


def _convert(raw: Any, col: Col, loc: Location, vocabs: dict) -> tuple[Any, str | None]:
    if col.kind == "derived":
        return None, None
    if col.kind == "text":
        return cell_text(raw), None
    if col.kind == "date":
        return cell_date(raw, loc), None
    if col.kind == "int":
        return cell_number(raw, loc, integer=True), None
    code, known = vocabs[col.kind].match(raw)
    return code, None if known else f"code not in the {col.kind} list (kept as read)"


_VOCABS: dict[str, Any] = {}


def _vocabs() -> dict[str, Any]:
    if not _VOCABS:
        dfe = {name: dict(c.values) for name, c in code_lists().items()}
        kinds = {c.kind for spec in LISTS.values() for c in spec.columns}
        kinds -= {"text", "date", "int", "derived"}
        for kind in kinds:
            v = vocab(kind, dfe)
            _VOCABS[kind] = CodeMatcher(v.codes, v.written, v.aliases)
    return _VOCABS
