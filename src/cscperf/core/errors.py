"""Errors a user can act on.

Every error a user may cause (a bad file, a bad database URL, a malformed definition) is a
``CscperfError``: the CLI prints its one-line message and exits non-zero without a traceback.
Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

from dataclasses import dataclass


class CscperfError(Exception):
    """An error whose message is meant for the user, printed on one line."""

    exit_code = 2


class StoreError(CscperfError):
    """The store could not be opened, created or written."""


class DefinitionError(CscperfError):
    """A declarative definition (indicator or rule) is malformed."""


@dataclass(frozen=True)
class Location:
    """Where in an input file a problem sits: file, 1-based data row (or XML line), field."""

    file: str
    row: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        parts = [self.file]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.field:
            parts.append(f"field {self.field}")
        return ", ".join(parts)


class InputError(CscperfError):
    """An input file cannot be read; the message names the file, row and field."""

    def __init__(self, location: Location, reason: str, value: str | None = None):
        self.location = location
        self.reason = reason
        self.value = value
        shown = f" (value {value!r})" if value is not None else ""
        super().__init__(f"{location}: {reason}{shown}")
