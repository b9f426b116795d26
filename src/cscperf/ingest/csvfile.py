"""CSV files as councils export them, for every CSV reader (SSDA903, HR, survey, Annex A lists).

Text is UTF-8 (with or without a byte-order mark) or UTF-16 with its mark. Anything else is refused
with the data row and line of the first undecodable byte rather than guessed: a wrong guess (cp1252
for UTF-8 or the reverse) silently changes names and codes, which is worse than a clear "save it as
UTF-8" message. Rows are numbered as data rows (the header is row 0, so row n is line n + 1 when no
cell spans lines); blank rows keep their number and are skipped by the readers.

``read_columns`` is the fast path for big extracts: Arrow's multi-threaded CSV parser gives one
string column per header cell. It is used only when it reads exactly what Python's ``csv`` module
would (no empty lines, which Arrow drops and would shift the row numbers; every row as wide as the
header); any other file goes through ``csv`` and is turned into the same columns.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from cscperf.core.errors import InputError, Location

Rows = list[list[str]]


def _encoding(data: bytes) -> str:
    return "utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8-sig"


def decode(data: bytes, name: str) -> str:
    """The file's text; refused (data row, line, byte) when it is not UTF-8/UTF-16 text."""
    if not data or data.isspace():
        raise InputError(Location(name), "the file is empty")
    encoding = _encoding(data)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        label = encoding.replace("-sig", "").upper()
        raise InputError(
            Location(name, *bad_byte_cell(data, exc.start)),
            f"not {label} text at line {line} (byte 0x{data[exc.start]:02X}); save the file as 'CSV UTF-8'",
        ) from None
    if "\x00" in text:
        raise InputError(Location(name), "not a text file (it contains NUL bytes)")
    return text


def read_all(path: Path, name: str | None = None) -> Rows:
    """Every row of the file, header and blank rows included (so positions are the file's)."""
    display = name or str(path)
    reader = csv.reader(io.StringIO(decode(path.read_bytes(), display), newline=""))
    try:
        return list(reader)
    except csv.Error as exc:
        raise InputError(Location(display, reader.line_num, None), f"not a readable CSV file: {exc}") from None


def bad_byte_cell(data: bytes, at: int) -> tuple[int | None, str | None]:
    """(data row, column header) of an undecodable byte: rows below the header count from 1 (as in every
    other message); the column is the header of the cell holding the byte (None when it is the header)."""
    line_start = data.rfind(b"\n", 0, at) + 1
    line_end = data.find(b"\n", at)
    row = data[:line_start].count(b"\n")
    if row == 0:
        return None, None
    try:
        header = next(csv.reader([data[: data.find(b"\n")].decode("utf-8-sig", "replace")]))
        cells = next(csv.reader([data[line_start: line_end if line_end >= 0 else len(data)].decode("utf-8", "replace")]))
    except (csv.Error, StopIteration):
        return row, None
    column = next((i for i, cell in enumerate(cells) if "\ufffd" in cell), None)
    return row, header[column].strip() if column is not None and column < len(header) else None


def read_rows(path: Path, name: str | None = None) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header (stripped) and the non-blank data rows with their data-row numbers."""
    display = name or str(path)
    rows = read_all(path, display)
    if not rows or not any(h.strip() for h in rows[0]):
        raise InputError(Location(display), "the file is empty (no header row)")
    data = [(n, row) for n, row in enumerate(rows[1:], start=1) if any(cell.strip() for cell in row)]
    return [h.strip() for h in rows[0]], data


@dataclass
class Columns:
    """A CSV as columns: the header as written, one string array per header cell (cells beyond a
    row's end are ""), and each kept row's data-row number. Blank rows are already dropped."""

    header: list[str]
    columns: list[pa.Array]
    rows: pa.Array
    ragged: list[int]  # data rows with non-blank cells beyond the header's last column

    @property
    def num_rows(self) -> int:
        return len(self.rows)


def read_columns(path: Path, name: str | None = None) -> Columns:
    display = name or str(path)
    raw = path.read_bytes()
    text = decode(raw, display)
    data = raw if _encoding(raw) == "utf-8-sig" else text.encode("utf-8")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    found = _arrow(data) if not (b"\n\n" in data or b"\n\r\n" in data or b"\r\r" in data) else None
    if found is None:
        found = _python(text, display)
    header, columns, ragged = found
    if not header or not any(h.strip() for h in header):
        raise InputError(Location(display), "the file is empty (no header row)")
    n = len(columns[0]) if columns else 0
    numbers = pa.array(np.arange(1, n + 1, dtype=np.int64))
    blank = None
    for col in columns:  # a row is blank when every cell is; most files have none, seen in column 1
        empty = pc.equal(pc.utf8_trim_whitespace(col), "")
        blank = empty if blank is None else pc.and_(blank, empty)
        if not pc.any(blank).as_py():
            blank = None
            break
    if blank is not None:
        keep = pc.invert(blank)
        columns = [pc.filter(c, keep) for c in columns]
        numbers = pc.filter(numbers, keep)
    return Columns(header, columns, numbers, ragged)


Found = tuple[list[str], list[pa.Array], list[int]]


def _arrow(data: bytes) -> Found | None:
    """Arrow's parser, or None when the file is not a plain rectangle (then ``csv`` reads it)."""
    end = data.find(b"\n")
    first = (data if end < 0 else data[:end]).rstrip(b"\r")
    try:
        header = next(csv.reader([first.decode("utf-8")]))
    except (csv.Error, StopIteration, UnicodeDecodeError):
        return None
    if b'"' in first and first.count(b'"') % 2:  # a quoted header cell spanning lines
        return None
    names = [f"c{i}" for i in range(len(header))]
    try:
        table = pacsv.read_csv(
            io.BytesIO(data),
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in names},
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False),
        )
    except (pa.ArrowInvalid, ValueError):
        return None
    return header, [table.column(n).combine_chunks() for n in names], []


def _python(text: str, name: str) -> Found:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise InputError(Location(name, reader.line_num, None), f"not a readable CSV file: {exc}") from None
    if not rows:
        return [], [], []
    header, body = rows[0], rows[1:]
    width = len(header)
    ragged = [n for n, row in enumerate(body, start=1) if len(row) > width and any(c.strip() for c in row[width:])]
    if any(len(row) != width for row in body):
        body = [row[:width] if len(row) >= width else row + [""] * (width - len(row)) for row in body]
    columns = [pa.array(col, pa.string()) for col in zip(*body)] if body else [pa.array([], pa.string())] * width
    return header, columns, ragged


def peek(path: Path, lines: int = 10) -> Rows:
    """The first lines, for detection; never raises (undecodable bytes are replaced)."""
    try:
        with path.open("rb") as fh:
            head = b"".join(fh.readline() for _ in range(lines))
    except OSError:
        return []
    text = head.decode(_encoding(head), errors="replace")
    try:
        return list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error:
        return []


def header_line(path: Path, limit: int = 65536) -> list[str] | None:
    """The header row only (stripped), for detection; None when the file is not CSV text."""
    with path.open("rb") as handle:
        head = handle.read(limit)
    if not head:
        return None
    try:
        text = head.decode(_encoding(head), errors="strict")
    except UnicodeDecodeError as exc:
        text = head[: exc.start].decode("utf-8-sig", errors="ignore")
    first = text.splitlines()[0] if text else ""
    if not first or "\x00" in first:
        return None
    try:
        return [h.strip() for h in next(csv.reader([first]))]
    except (csv.Error, StopIteration):
        return None
