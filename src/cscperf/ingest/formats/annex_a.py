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
from cscperf.ingest.base import Batch, Detection, Issue, Record
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
        """The rows one at a time, each with the values its list gave (what ``combine`` merges)."""
        builder = Builder()
        yield from self._read(path, builder)
        yield from builder.finish_records()

    def read_batches(self, path: Path, detection: Detection) -> Iterator[Batch | Issue]:
        builder = Builder()
        yield from self._read(path, builder)
        yield from builder.finish()

    def _read(self, path: Path, builder: Builder) -> Iterator[Issue]:
        """Every list of the file into ``builder``; the issues met on the way."""
        if path.suffix.lower() in EXCEL_SUFFIXES or is_workbook(path):
            sheets = read_xlsx(path)
            label = lambda sheet: f"{path.name}[{sheet}]"  # noqa: E731 - provenance names the sheet
        else:
            sheets = [(None, read_all(path, path.name))]
            label = lambda sheet: path.name  # noqa: E731
        issues: list[Issue] = []
        recognised = 0
        for sheet, rows in sheets:
            source = label(sheet)
            found = find_header(rows, list_for_headers)
            if found is None:
                if sheet is None:
                    raise InputError(Location(source, 1), "no Annex A list recognised from the column headers")
                if any(_filled(row) for row in rows):
                    issues.append(Issue("warning", source, None, None, None, "sheet is not an Annex A list (ignored)"))
                continue
            recognised += 1
            header_index, spec = found
            _read_list(spec, rows, header_index, source, builder, issues)
        if not recognised:
            raise InputError(Location(path.name), "no Annex A list recognised in any sheet")
        yield from issues

    @staticmethod
    def combine(records: list[Record]) -> list[Record]:
        """An extract sent as one CSV per list: merge what several lists say about one record."""
        return combine(records)


def _read_list(spec: ListSpec, rows: Rows, header_index: int, source: str, builder: Builder,
               issues: list[Issue]) -> None:
    """One list's rows into ``builder``, a column at a time: each column's distinct cells are converted
    once. Issues come in row order (a row's unknown codes in column order, then its rejection or
    the builder's issue); a cell that cannot be converted refuses the file at the first such cell
    (the first row, then the leftmost column), naming its row and column."""
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
            issues.append(Issue("warning", source, None, text, None, f"{spec.sheet}: {reason}"))
            continue
        seen.add(col.key)
        columns.append((i, col))
    for col in spec.columns:
        if col.required and col.key not in seen:
            raise InputError(Location(source, None, col.header), f"{spec.sheet}: required column is missing")
    kept = [(offset, row) for offset, row in enumerate(rows[header_index + 1:], start=1)
            if (row and type(row[0]) is str and row[0].strip()) or _filled(row)]  # usually the first cell says
    if not kept:
        return
    offsets = [offset for offset, _ in kept]
    body = [row for _, row in kept]
    width = min(map(len, body))
    vocabs = _vocabs()
    converted: list[list[Any]] = []
    problems: dict[int, list[Issue]] = {}  # kept row -> its unknown-code warnings, in column order
    first_bad: tuple[int, int, InputError] | None = None
    for position, (i, col) in enumerate(columns):
        cells = [row[i] for row in body] if i < width else [row[i] if i < len(row) else None for row in body]
        values, bad = _convert_column(cells, col, vocabs, source, offsets, problems)
        if bad is not None and (first_bad is None or (bad[0], position) < first_bad[:2]):
            first_bad = (bad[0], position, bad[1])
        converted.append(values)
    if first_bad is not None:
        raise first_bad[2]
    keys = [col.key for _, col in columns]
    required = [(p, col) for p, (_, col) in enumerate(columns) if col.required]
    rejected: set[int] = set()
    for j, values in enumerate(zip(*converted)):
        for issue in problems.get(j, ()):
            issues.append(issue)
        missing = next((col for p, col in required if values[p] is None), None)
        if missing is not None:
            issues.append(Issue("rejected", source, offsets[j], missing.header, None, f"{spec.sheet}: required value is blank"))
            rejected.add(j)
            continue
        builder.add(spec.number, dict(zip(keys, values)), source, offsets[j], issues)
    for values, (_, col) in zip(converted, columns):  # the latest date of the rows loaded
        if col.kind == "date":
            builder.see(max((d for j, d in enumerate(values) if d is not None and j not in rejected), default=None)
                        if rejected else max(filter(None, values), default=None))


def _convert_column(cells: list[Any], col: Col, vocabs: dict, source: str, offsets: list[int],
                    problems: dict[int, list[Issue]]) -> tuple[list[Any], tuple[int, InputError] | None]:
    """A column's converted cells (each distinct cell converted once) and its first unconvertible
    cell (kept row, error), after which the column is not read further."""
    if col.kind == "derived":  # computed from other data: read, never loaded
        return [None] * len(cells), None
    if col.kind == "text":  # mostly distinct (ids, names): trimmed, blank is None, nothing to remember
        return [(c.strip() or None) if type(c) is str else cell_text(c) for c in cells], None
    memo: dict[tuple[type, Any], tuple[Any, str | None]] = {}
    out: list[Any] = []
    for j, raw in enumerate(cells):
        key = (type(raw), raw)
        try:
            value, issue = memo[key]
        except (KeyError, TypeError):  # not met yet (or an unhashable cell)
            try:  # a Location per cell would cost more than the conversion: built only for an error
                value, issue = _convert(raw, col, _NOWHERE, vocabs)
            except InputError:
                try:
                    _convert(raw, col, Location(source, offsets[j], col.header), vocabs)
                except InputError as exc:
                    return out, (j, exc)
                raise AssertionError("a cell failed to convert once and not again") from None  # pragma: no cover
            try:
                memo[key] = (value, issue)
            except TypeError:
                pass
        if issue:
            problems.setdefault(j, []).append(Issue("warning", source, offsets[j], col.header, cell_text(raw), issue))
        out.append(value)
    return out, None


_NOWHERE = Location("")


def _filled(row: list[Any]) -> bool:
    """A row with a non-blank cell (``cell_text`` of some cell is not None)."""
    for cell in row:
        if cell is None:
            continue
        if type(cell) is str:
            if cell and not cell.isspace():
                return True
            continue
        if cell_text(cell) is not None:
            return True
    return False


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
