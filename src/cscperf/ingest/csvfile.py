"""CSV files as councils export them: UTF-8 (with or without a byte-order mark) or UTF-16 with its mark.

Anything else is refused with the line of the first undecodable byte rather than guessed: a wrong
guess (cp1252 for UTF-8 or the reverse) silently changes names and codes, which is worse than a clear
"save it as UTF-8" message.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from cscperf.core.errors import InputError, Location


def decode(data: bytes, name: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    else:
        encoding = "utf-8-sig"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            Location(name, *bad_byte_cell(data, exc.start)),
            f"not {encoding.replace('-sig', '').upper()} text at line {line} (byte 0x{data[exc.start]:02X}); "
            "save the file as CSV UTF-8",
        ) from None


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
    """Header (stripped) and data rows with their 1-based data-row numbers; blank lines are skipped."""
    display = name or str(path)
    text = decode(path.read_bytes(), display)
    if "\x00" in text:
        raise InputError(Location(display, None, None), "not a text file (contains NUL bytes)")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if header is None or not any(h.strip() for h in header):
            raise InputError(Location(display, None, None), "the file is empty (no header row)")
        rows = []
        for number, row in enumerate(reader, start=1):
            if any(cell.strip() for cell in row):
                rows.append((number, row))
    except csv.Error as exc:
        raise InputError(Location(display, reader.line_num, None), f"not a readable CSV file: {exc}") from None
    return [h.strip() for h in header], rows


def header_line(path: Path, limit: int = 65536) -> list[str] | None:
    """The header row only, for detection; None when the file is not UTF-8/UTF-16 CSV text."""
    with path.open("rb") as handle:
        head = handle.read(limit)
    if not head:
        return None
    try:
        text = head.decode("utf-16" if head.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8-sig", errors="strict")
    except UnicodeDecodeError as exc:
        text = head[: exc.start].decode("utf-8-sig", errors="ignore")
    first = text.splitlines()[0] if text else ""
    if not first or "\x00" in first:
        return None
    try:
        return [h.strip() for h in next(csv.reader([first]))]
    except (csv.Error, StopIteration):
        return None
