"""Reading workbooks and typing cells as councils send them, for the tabular formats (Annex A, HR,
survey); CSV text itself is read by ``cscperf.ingest.csvfile``.

Every way a workbook can be unreadable becomes one ``InputError`` naming the file: an empty file, an
``.xlsx`` that is a zip of something else.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from cscperf.core.errors import InputError, Location
from cscperf.ingest.values import parse_date, strip_code

Rows = list[list[Any]]
HEADER_SCAN = 10
_PREFIX = re.compile(r"^[a-z]{1,2}\d?\)\s*", re.IGNORECASE)  # "b) ", "p1) "  # councils put titles above the header row; look this far down for it


def read_xlsx(path: Path) -> list[tuple[str, Rows]]:
    """Every sheet of a workbook as (name, rows), cells as Python values (dates as ``date``)."""
    if path.stat().st_size == 0:
        raise InputError(Location(path.name), "the file is empty")
    if not zipfile.is_zipfile(path):
        raise InputError(Location(path.name), "not an Excel workbook (.xlsx): the file is not a zip package")
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
    if "xl/workbook.xml" not in names:
        raise InputError(Location(path.name), "not an Excel workbook (.xlsx): a zip file without xl/workbook.xml")
    try:
        return _read_calamine(path)
    except Exception:  # calamine refuses some valid-but-odd workbooks: openpyxl is the fallback
        try:
            return _read_openpyxl(path)
        except Exception as exc:
            raise InputError(Location(path.name), f"the workbook cannot be read ({type(exc).__name__})") from None


def _read_calamine(path: Path) -> list[tuple[str, Rows]]:
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(path))
    return [(name, wb.get_sheet_by_name(name).to_python(skip_empty_area=False)) for name in wb.sheet_names]


def _read_openpyxl(path: Path) -> list[tuple[str, Rows]]:
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        return [(ws.title, [list(r) for r in ws.iter_rows(values_only=True)]) for ws in wb.worksheets]
    finally:
        wb.close()


def find_header(rows: Rows, matches: Callable[[list[Any]], Any]) -> tuple[int, Any] | None:
    """(index, match) of the first of the top rows that ``matches`` recognises as a header row."""
    for i, row in enumerate(rows[:HEADER_SCAN]):
        found = matches(row)
        if found:
            return i, found
    return None


def cell_text(value: Any) -> str | None:
    """A cell as trimmed text; Excel's 123.0 is '123'; blank is None."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    return text or None


def cell_date(value: Any, loc: Location) -> date | None:
    """A date cell (real Excel date, serial, dd/mm/yyyy or ISO); an impossible date refuses the file."""
    if isinstance(value, str) and not value.strip():
        return None
    try:
        return parse_date(value)
    except ValueError as exc:
        raise InputError(loc, str(exc), cell_text(value)) from None


def cell_number(value: Any, loc: Location, *, integer: bool = False) -> float | int | None:
    text = cell_text(value)
    if text is None:
        return None
    try:
        number = float(text.replace(",", "").lstrip("£"))
    except ValueError:
        raise InputError(loc, "not a number", text) from None
    if integer:
        if not number.is_integer():
            raise InputError(loc, "not a whole number", text)
        return int(number)
    return number


class CodeMatcher:
    """Reads a coded cell: the written form (``b) Female``), the bare code, the label, an alias, or
    the code before ': ' or ' - '. Lookups are built once per vocabulary, not once per cell."""

    def __init__(self, codes: Mapping[str, str], written: Mapping[str, str] | None = None,
                 aliases: Mapping[str, str] | None = None) -> None:
        self.codes = dict(codes)
        self.written = {form.casefold(): code for code, form in (written or {}).items()}
        self.upper = {c.upper(): c for c in codes}
        labels = {label.casefold(): code for code, label in codes.items() if label}
        labels.update({_label(form).casefold(): code for code, form in (written or {}).items()})
        labels.update(aliases or {})
        self.labels = labels

    def match(self, value: Any) -> tuple[str | None, bool]:
        """(code, known); an unknown value comes back as read with known=False."""
        text = cell_text(value)
        if text is None:
            return None, True
        folded, body = text.casefold(), _label(text)
        if folded in self.written:
            return self.written[folded], True
        if body.upper() in self.upper:
            return self.upper[body.upper()], True
        for key in (body.casefold(), folded):
            if key in self.labels:
                return self.labels[key], True
        bare = strip_code(body, self.codes)  # "N1 - Abuse or neglect", "6: Police": the code before the label
        if bare is not None and bare.upper() in self.upper:
            return self.upper[bare.upper()], True
        return text, False


def code_of(value: Any, codes: Mapping[str, str], written: Mapping[str, str] | None = None,
            aliases: Mapping[str, str] | None = None) -> tuple[str | None, bool]:
    """One-off ``CodeMatcher(...).match(value)``."""
    return CodeMatcher(codes, written, aliases).match(value)


def _label(text: str) -> str:
    """``b) Female`` -> ``Female``; ``q) 6: Police`` -> ``6: Police``."""
    match = _PREFIX.match(text)
    return text[match.end():].strip() if match else text.strip()

