"""SSDA903 CSV tables -> canonical rows (docs/formats/dfe-returns.md).

Each file's table is recognised by its header row, not its name. The collection year comes from the
file or folder name (``2024_25``, ``2024-25``, ``903_2025``) or, failing that, from the latest event
date in the folder's files. A file whose event dates fall after the collection year's 31 March is from
another year and is refused, naming the row and field.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from functools import lru_cache
from pathlib import Path

from cscperf.core.errors import InputError, Location
from cscperf.core.ssda903_layout import DATE_RULES, Layout, recognise
from cscperf.ingest.base import Batch, Detection, Issue, Record
from cscperf.ingest.columns import columns_table
from cscperf.ingest.csvfile import header_line, read_rows
from cscperf.ingest.fields import Fields, text_or_none
from cscperf.ingest.values import parse_date
from cscperf.store.schema import tables

FORMAT = "903"
_SPAN = re.compile(r"(?<!\d)(20\d\d)[_-](\d\d)(?!\d)")
_SINGLE = re.compile(r"(?<!\d)(20\d\d)(?!\d)")


def year_from_name(path: Path) -> int | None:
    """Year ending 31 March named by the file or its two parent folders: 2024_25 / 2024-25 -> 2025;
    a lone 2025 means the year ending March 2025 (DfE names returns by that year)."""
    for part in (path.stem, path.parent.name, path.parent.parent.name):
        span = _SPAN.search(part)
        if span:
            if (int(span.group(1)) + 1) % 100 == int(span.group(2)):
                return int(span.group(1)) + 1
            continue  # "2024_26" names no collection year; do not guess from its first half
        single = _SINGLE.search(part)
        if single:
            return int(single.group(1))
    return None


def _year_ending(day: date) -> int:
    return day.year + 1 if day.month >= 4 else day.year


def label(year_ending: int) -> str:
    return f"{year_ending - 1}_{year_ending % 100:02d}"


@lru_cache(maxsize=64)
def _year_from_dates(folder: Path, _stamp: float) -> int | None:
    """The collection year holding the latest event date among the folder's SSDA903 files."""
    latest: date | None = None
    for path in sorted(folder.glob("*.csv")):
        header = header_line(path)
        layout = recognise(header)[0] if header else None
        if layout is None:
            continue
        events = [c for c in layout.columns if c.event]
        if not events:
            continue
        try:
            head, rows = read_rows(path)
        except InputError:
            continue
        index = {h.upper(): i for i, h in enumerate(head)}
        for _, row in rows:
            for col in events:
                i = index.get(col.dfe)
                if i is None or i >= len(row):
                    continue
                try:
                    day = parse_date(row[i])
                except ValueError:
                    continue
                if day and (latest is None or day > latest):
                    latest = day
    return _year_ending(latest) if latest else None


class Ssda903Reader:
    format = FORMAT

    def detect(self, path: Path) -> Detection | None:
        """An SSDA903 table by its header row (whatever the file is called). A previous year's table
        (``Header_last.csv``…) is not claimed: its year's own return is the source of those rows."""
        if path.stem.lower().endswith("_last"):
            return None
        header = header_line(path)
        layout = recognise(header)[0] if header else None
        if layout is None:
            return None
        year = year_from_name(path)
        if year is None:
            folder = path.parent
            year = _year_from_dates(folder, folder.stat().st_mtime)
        return Detection(FORMAT, label(year) if year else None, layout.name)

    def read(self, path: Path, detection: Detection, display: str | None = None) -> Iterator[Record | Issue]:
        """Row by row: each record holds the values its table's columns gave (no null columns)."""
        yield from _records(*self._open(path, detection, display))

    def read_batches(self, path: Path, detection: Detection, display: str | None = None) -> Iterator[Batch | Issue]:
        """What ``read`` yields, as one batch (``_batches``: the loader's path)."""
        yield from _batches(*self._open(path, detection, display))

    def _open(self, path: Path, detection: Detection, display: str | None
              ) -> tuple[Layout, list[str], list, str, int]:
        name = display or str(path)
        header, rows = read_rows(path, name)
        layout = recognise(header)[0]
        if layout is None:
            raise InputError(Location(name, None, None), "header row does not match any SSDA903 table (see docs/formats/dfe-returns.md)")
        missing = [c.dfe for c in layout.columns if c.required and c.dfe not in {h.upper() for h in header}]
        if missing:
            raise InputError(Location(name, None, missing[0]),
                             f"the {layout.name} table's header row lacks required column {missing[0]}")
        if detection.collection_year is None:
            raise InputError(Location(name, None, None),
                             "cannot tell the collection year: name the folder or file like 2024_25")
        year_ending = int(detection.collection_year[:4]) + 1
        return layout, header, rows, name, year_ending


def _batches(layout: Layout, header: list[str], rows: list, name: str, year_ending: int) -> Iterator[Batch | Issue]:
    """What ``_records`` yields, a column at a time: each column's distinct cells are parsed once by
    the same ``_parse``, and only cells that are reported (unknown codes) or refused (the first in
    row order, then layout order) go through ``_records``' per-cell steps again, so the messages,
    issues and rows are those of the row path."""
    if not rows:
        yield from (i for i in _records(layout, header, rows, name, year_ending))
        return
    rules = {col: code for (table, col), code in DATE_RULES.items() if table == layout.name}
    index = {h.upper(): i for i, h in enumerate(header)}
    end = date(year_ending, 3, 31)
    numbers = [number for number, _ in rows]
    width = min(len(row) for _, row in rows)
    parsed: dict[str, list] = {}  # canonical column -> values (a later layout column wins, as in a dict)
    warned: dict[int, list[Issue]] = {}  # row position -> its code warnings, in layout column order
    first_bad: tuple[int, int] | None = None  # (row position, layout column position)
    for position, col in enumerate(layout.columns):
        i = index.get(col.dfe)
        if i is None:
            values: list = [None] * len(rows)
        else:
            cells = [row[i] for _, row in rows] if i < width else [row[i] if i < len(row) else None for _, row in rows]
            values, bad = _parse_column(col, cells, name, rules, numbers, end, warned)
            if bad is not None and (first_bad is None or (bad, position) < first_bad):
                first_bad = (bad, position)
        if col.canonical is not None:
            parsed[col.canonical] = values
    if first_bad is not None:  # the row path meets this cell first: let it raise its own error
        at = first_bad[0]
        for _ in _records(layout, header, [rows[at]], name, year_ending):
            pass
        raise AssertionError("a cell refused a column at a time was accepted row by row")  # pragma: no cover
    for h in header:
        if h.upper() not in {c.dfe for c in layout.columns}:
            yield Issue("warning", name, None, h, None, f"unknown column in the {layout.name} table ignored")
    spec = tables()[layout.table]
    extra = _implied(layout, year_ending)
    keys = [(key, next(c.dfe for c in layout.columns if c.canonical == key)) for key in spec.key
            if key in parsed and key not in extra and spec.column(key).required]
    children = parsed.get("child_id")
    kept: list[int] = []
    n_header = len(header)
    for at, (number, row) in enumerate(rows):
        yield from warned.get(at, ())
        if len(row) > n_header and any(cell.strip() for cell in row[n_header:]):
            yield Issue("warning", name, number, None, None, "values beyond the last header column ignored")
        if children is None or children[at] is None:
            yield Issue("rejected", name, number, "CHILD", None, f"{layout.name} row without CHILD not loaded")
            continue
        blank = next((field for key, field in keys if parsed[key][at] is None), None)
        if blank is not None:
            yield Issue("rejected", name, number, blank, None, f"{layout.name} row without {blank} not loaded")
            continue
        kept.append(at)
    if not kept:
        return
    if len(kept) < len(rows):
        parsed = {c: [values[at] for at in kept] for c, values in parsed.items()}
        numbers = [numbers[at] for at in kept]
    columns = {**parsed, **{c: [v] * len(numbers) for c, v in extra.items()}}
    yield Batch(layout.table, columns_table(layout.table, columns, name, numbers))


def _parse_column(col, cells: list, name: str, rules: dict, numbers: list[int], end: date,
                  warned: dict[int, list[Issue]]) -> tuple[list, int | None]:
    """A column's values (each distinct cell parsed once) and the position of its first refused cell
    (unreadable, or an event date after the collection year), after which it is not read further."""
    memo: dict[str, object] = {}
    out: list = []
    reported: list[Issue] = []
    fields = Fields(name, reported.append, rules)
    for at, raw in enumerate(cells):
        try:
            value = memo[raw]
        except KeyError:
            try:
                value = _parse(fields, col, raw, numbers[at])
            except InputError:
                return out, at
            if col.event and value is not None and value > end:
                return out, at
            if reported:  # an unknown code: reported at every row it is on, so not remembered
                warned.setdefault(at, []).extend(reported)
                reported.clear()
                out.append(value)
                continue
            memo[raw] = value
        out.append(value)
    return out, None


def _records(layout: Layout, header: list[str], rows: list, name: str, year_ending: int) -> Iterator[Record | Issue]:
    pending: list[Issue] = []
    rules = {col: code for (table, col), code in DATE_RULES.items() if table == layout.name}
    fields = Fields(name, pending.append, rules)
    index = {h.upper(): i for i, h in enumerate(header)}
    known = {c.dfe for c in layout.columns}
    for h in header:
        if h.upper() not in known:
            yield Issue("warning", name, None, h, None, f"unknown column in the {layout.name} table ignored")
    end = date(year_ending, 3, 31)
    for number, row in rows:
        values: dict = {}
        for col in layout.columns:
            i = index.get(col.dfe)
            raw = row[i] if i is not None and i < len(row) else None
            value = _parse(fields, col, raw, number)
            if col.event and value is not None and value > end:
                raise InputError(Location(name, number, col.dfe),
                                 f"date is after {end:%d/%m/%Y}, the end of collection year {label(year_ending)}: "
                                 "is this file from another year?", str(raw).strip())
            if col.canonical is not None:
                values[col.canonical] = value
        yield from pending
        pending.clear()
        if len(row) > len(header) and any(cell.strip() for cell in row[len(header):]):
            yield Issue("warning", name, number, None, None, "values beyond the last header column ignored")
        yield from _to_records(layout, values, name, number, year_ending)


def _parse(fields: Fields, col, raw, row: int):
    if col.kind == "date":
        return fields.date(raw, row, col.dfe)
    if col.kind == "flag":
        return fields.flag(raw, row, col.dfe)
    if col.kind == "integer":
        return fields.integer(raw, row, col.dfe)
    if col.kind == "decimal":
        return fields.decimal(raw, row, col.dfe)
    if col.kind == "code":
        return fields.code(raw, row, col.dfe, col.codes)
    return text_or_none(raw)


def _implied(layout: Layout, year_ending: int) -> dict[str, object]:
    """Values a table's rows carry without a column for them: which table a child row came from, that
    a UASC row is an unaccompanied child, and the collection year of OC2 and OC3 rows."""
    if layout.name == "Header":
        return {"source_table": "Header"}
    if layout.name == "UASC":
        return {"uasc": True, "source_table": "UASC"}
    if layout.table in ("cla_outcome", "care_leaver"):
        return {"collection_year": year_ending}
    return {}


def _to_records(layout: Layout, values: dict, name: str, number: int, year_ending: int) -> Iterator[Record | Issue]:
    if values.get("child_id") is None:
        yield Issue("rejected", name, number, "CHILD", None, f"{layout.name} row without CHILD not loaded")
        return
    values.update(_implied(layout, year_ending))
    spec = tables()[layout.table]
    for key in spec.key:
        if key in values and values[key] is None and spec.column(key).required:
            field = next(c.dfe for c in layout.columns if c.canonical == key)
            yield Issue("rejected", name, number, field, None, f"{layout.name} row without {field} not loaded")
            return
    yield Record(layout.table, values, name, number)
