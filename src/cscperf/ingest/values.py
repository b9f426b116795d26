"""Normalising values as councils send them: dates in several spellings, codes with or without their
letter prefixes, yes/no flags. Each function raises ``ValueError`` with a short reason; the reader
turns that into an ``InputError`` or an ``Issue`` naming file, row and field."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

_EXCEL_EPOCH = date(1899, 12, 30)
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
# "b) Female", "q) 6: Police", "N1 - Abuse or neglect", "a. White British"
_LETTER_PREFIX = re.compile(r"^[a-z]{1,2}[).]\s*", re.IGNORECASE)


def parse_date(value: object) -> date | None:
    """dd/mm/yyyy (DfE, Annex A), yyyy-mm-dd (XML), Excel serials and real dates; blank is None."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if not 1 <= value < 2958466:
            raise ValueError("not a date")
        return _EXCEL_EPOCH + timedelta(days=int(value))
    text = str(value).strip()
    if not text:
        return None
    for pattern, order in ((_DMY, (3, 2, 1)), (_ISO, (1, 2, 3))):
        match = pattern.match(text)
        if match:
            y, m, d = (int(match.group(i)) for i in order)
            try:
                return date(y, m, d)
            except ValueError:
                raise ValueError("not a real date") from None
    raise ValueError("not a date (expected dd/mm/yyyy or yyyy-mm-dd)")


def strip_code(value: object, allowed: dict[str, str] | None = None) -> str | None:
    """The bare code from a labelled value: ``b) Female`` -> ``Female`` (then matched to its code by
    label), ``N1 - Abuse or neglect`` -> ``N1``, ``q) 6: Police`` -> ``6``. Unknown values come back
    as read (stripped), so the caller can report them and nothing is lost."""
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    text = _LETTER_PREFIX.sub("", text, count=1)
    if allowed is None:
        return re.split(r"\s+-\s+|:\s+", text, maxsplit=1)[0].strip()
    if text in allowed:
        return text
    head = re.split(r"\s+-\s+|:\s*|\s+", text, maxsplit=1)[0].strip()
    if head in allowed:
        return head
    upper = {k.upper(): k for k in allowed}
    if head.upper() in upper:
        return upper[head.upper()]
    by_label = {label.casefold(): code for code, label in allowed.items()}
    if text.casefold() in by_label:
        return by_label[text.casefold()]
    return text


_TRUE = {"y", "yes", "true", "1", "t"}
_FALSE = {"n", "no", "false", "0", "f"}


def parse_flag(value: object) -> bool | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    text = _LETTER_PREFIX.sub("", str(value).strip(), count=1).strip().casefold()
    if not text:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError("not a yes/no value")
