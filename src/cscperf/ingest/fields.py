"""Typed field parsing for readers: one place that turns a raw value into its canonical type, or says
exactly where and why it cannot.

A value that cannot be stored in its typed column (a date like 31/02/2024, a flag like "maybe") stops
the whole file with an ``InputError`` naming file, row, field (and the DfE rule code where one
exists): storing it would lose it, and loading the rest would half-load the extract. A code outside
its list is kept as read and reported as a warning ``Issue``, so the validation rules still see it.
"""

from __future__ import annotations

from collections.abc import Callable
import datetime as dt

from cscperf.core.errors import InputError, Location
from cscperf.ingest.base import Issue
from cscperf.ingest.values import parse_date, parse_flag, strip_code
from cscperf.store.schema import code_lists


class Fields:
    """Parsers bound to one file; ``emit`` receives warning issues (unknown codes)."""

    def __init__(self, source_file: str, emit: Callable[[Issue], None], rule_codes: dict[str, str] | None = None):
        self.source_file = source_file
        self.emit = emit
        self.rule_codes = rule_codes or {}
        # a file repeats the same few thousand dates and codes: each distinct text is parsed once
        self._dates: dict[str, dt.date | None] = {}
        self._codes: dict[tuple[str, str], str | None] = {}
        self._allowed: dict[str, dict[str, str]] = {}
        self._flags: dict[str, bool | None] = {}

    def _fail(self, row: int | None, field: str, reason: str, raw: object) -> InputError:
        code = self.rule_codes.get(field)
        if code:
            reason = f"{reason} (DfE rule {code})"
        return InputError(Location(self.source_file, row, field), reason, None if raw is None else str(raw))

    def date(self, raw: object, row: int | None, field: str) -> dt.date | None:
        if raw is None:
            return None
        if type(raw) is str:
            try:
                return self._dates[raw]
            except KeyError:
                pass
        try:
            day = parse_date(raw)
        except ValueError as exc:
            raise self._fail(row, field, str(exc), raw) from None
        if type(raw) is str:
            self._dates[raw] = day
        return day

    def flag(self, raw: object, row: int | None, field: str) -> bool | None:
        if raw is None:
            return None
        if type(raw) is str and raw in self._flags:
            return self._flags[raw]
        try:
            value = parse_flag(raw)
        except ValueError as exc:
            raise self._fail(row, field, str(exc), raw) from None
        if type(raw) is str:
            self._flags[raw] = value
        return value

    def integer(self, raw: object, row: int | None, field: str) -> int | None:
        text = text_or_none(raw)
        if text is None:
            return None
        try:
            return int(text)
        except ValueError:
            raise self._fail(row, field, "not a whole number", raw) from None

    def decimal(self, raw: object, row: int | None, field: str) -> float | None:
        text = text_or_none(raw)
        if text is None:
            return None
        try:
            return float(text)
        except ValueError:
            raise self._fail(row, field, "not a number", raw) from None

    def code(self, raw: object, row: int | None, field: str, code_list: str) -> str | None:
        """The bare code; a value outside the list is kept as read and reported."""
        if raw is None:
            return None
        allowed = self._allowed.get(code_list)
        if allowed is None:
            allowed = self._allowed[code_list] = code_lists()[code_list].values
        if type(raw) is str:
            key = (code_list, raw)
            try:
                value = self._codes[key]
            except KeyError:
                value = self._codes[key] = strip_code(raw, allowed) if allowed else text_or_none(raw)
        else:
            value = strip_code(raw, allowed) if allowed else text_or_none(raw)
        if value is not None and allowed and value not in allowed:
            self.emit(Issue("warning", self.source_file, row, field, value, f"not a known {code_list} code (kept as read)"))
        return value


def text_or_none(raw: object) -> str | None:
    if raw is None:
        return None
    text = str(raw).strip()
    return text or None
