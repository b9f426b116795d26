"""Canonical tables (Arrow, keyed by table name) as plain rows for the writers."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

import pyarrow as pa

Tables = Mapping[str, pa.Table]


def rows(tables: Tables, name: str) -> list[dict[str, Any]]:
    """The rows of one table (empty when the table was not given)."""
    table = tables.get(name)
    return table.to_pylist() if table is not None else []


def year_before(as_at: date) -> date:
    """First day of the 12 months ending on ``as_at`` (2026-10-31 -> 2025-11-01)."""
    try:
        return as_at.replace(year=as_at.year - 1) + timedelta(days=1)
    except ValueError:  # 29 February
        return date(as_at.year - 1, 3, 1)


def overlaps(start: date | None, end: date | None, first: date, last: date) -> bool:
    """Whether [start, end] (end None = still open) meets [first, last]."""
    return start is not None and start <= last and (end is None or end >= first)


def fmt_dmy(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def fmt_flag(value: bool | None) -> str:
    return "" if value is None else "Y" if value else "N"


def fmt_num(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)
