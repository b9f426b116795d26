"""Which months the loaded data can speak for, from the load registry.

An extract only holds what happened in the period it covers: Annex A lists the 12 months before its
as-at date, a CIN census its collection year. Counting contacts for a month before Annex A's period
would give 0 where the truth is "no data", and the digest would then report "contacts up from 0".
So a month is computed only when its whole window (the period type's days) lies inside the coverage
of EVERY table the indicator reads; otherwise the engine writes no row at all for that month, at
every level (council, team and worker alike), and readers see "no data".

A table's coverage is the union of the periods of the live loads of every format that wrote rows
into it (a table fed by CIN and Annex A is covered by both). A load's period is its registry
``period_start``..``period_end``; a load that records none covers up to its ``as_at`` date, from the
start of its format's span (``FORMAT_MONTHS``: Annex A's 12 months) or from the beginning of time
(a case-management extract holds its history). A table is left unconstrained when any of its rows
comes from a load the registry does not know, or from a load with no dates at all (e.g. a survey),
or when it is empty (an empty 903 Missing file is a true zero, not a gap). Every table is
unconstrained in a store with no live load (records written without the registry, as tests do).

A definition may list tables under ``carry_forward`` whose latest record stands until a newer one
arrives (an annual CSWW vacancy snapshot): their coverage runs from its start to the end of time.
And it may list tables under ``supplementary`` that only add records a main source may lack, the
queries counting each fact once: ICPCs come with their enquiry in every CIN census
(``s47_enquiry.icpc_date``), and Annex A's ``icpc`` list adds conferences the census has not got yet.
Such a table never limits a month; the main source does.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from cscperf.core.errors import CscperfError
from cscperf.indicators.library import Indicator
from cscperf.indicators.periods import Month, window
from cscperf.store.engine import Engine
from cscperf.store.schema import canonical_tables

# Months an extract covers up to its as-at date when its load records no period (Ofsted's Annex A:
# "the 12 months before the inspection").
FORMAT_MONTHS = {"annex-a": 12}
# Master tables describe who, not what happened when: they never limit a month.
NOT_PERIOD_DATA = frozenset({"child"})

Interval = tuple[date, date]


class NoData(CscperfError):
    """A month the loaded extracts cannot speak for: there are no records to list, not zero."""


@dataclass(frozen=True)
class Coverage:
    """Per table: the merged intervals it covers, or None (unconstrained)."""

    tables: dict[str, tuple[Interval, ...] | None]

    def covers(self, table: str, start: date, end: date, carry_forward: bool = False) -> bool:
        intervals = self.tables.get(table)
        if intervals is None:
            return True
        if carry_forward and intervals:
            intervals = ((intervals[0][0], date.max),)
        return any(a <= start and end <= b for a, b in intervals)


@lru_cache(maxsize=256)
def _tables_in(sql: str) -> frozenset[str]:
    from sqlglot.dialects.duckdb import DuckDB
    from sqlglot.tokens import TokenType

    tokens = DuckDB().tokenizer().tokenize(sql)
    follows = (TokenType.FROM, TokenType.JOIN, TokenType.COMMA)
    return frozenset(b.text.lower() for a, b in zip(tokens, tokens[1:])
                     if a.token_type in follows and b.token_type == TokenType.VAR)


def tables_read(indicator: Indicator) -> frozenset[str]:
    """The canonical record tables an indicator's queries read (SQLGlot's tokens after FROM/JOIN/,)."""
    found: set[str] = set()
    for text in indicator.definition.queries.values():
        found |= _tables_in(text)
    return frozenset(found & set(canonical_tables())) - NOT_PERIOD_DATA


def _shift_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = index // 12, index % 12 + 1
    last = (date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(day.day, last))


def load_interval(fmt: str | None, as_at: date | None, start: date | None, end: date | None) -> Interval | None:
    """The days one load covers; None when it records no dates (unconstrained)."""
    end = end or as_at
    if end is None:
        return None if start is None else (start, date.max)
    if start is None:
        months = FORMAT_MONTHS.get(fmt or "")
        start = _shift_months(end, -months) + timedelta(days=1) if months else date.min
    return start, end


def merge(intervals: Iterable[Interval]) -> tuple[Interval, ...]:
    out: list[list[date]] = []
    for a, b in sorted(intervals):
        if out and a <= (out[-1][1] + timedelta(days=1) if out[-1][1] < date.max else date.max):
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return tuple((a, b) for a, b in out)


def coverage(engine: Engine, tables: Iterable[str]) -> Coverage:
    """Each table's coverage from the rows' loads and the registry (one small query per table)."""
    loads = {int(r[0]): r[1:] for r in engine.execute(
        "SELECT load_id, source_format, as_at, period_start, period_end FROM load WHERE status = 'loaded'").rows()}
    by_format: dict[str, list[Interval | None]] = {}
    for fmt, as_at, start, end in loads.values():
        by_format.setdefault(fmt, []).append(load_interval(fmt, as_at, start, end))
    result: dict[str, tuple[Interval, ...] | None] = {}
    for table in sorted(set(tables)):
        if not loads:
            result[table] = None
            continue
        ids = [r[0] for r in engine.execute(f"SELECT DISTINCT load_id FROM {table}").rows()]
        if not ids or any(i is None or int(i) not in loads for i in ids):
            # empty (a true zero - no missing incidents - looks the same as a source never loaded),
            # or rows the registry cannot account for: no claim either way
            result[table] = None
            continue
        spans = [s for fmt in {loads[int(i)][0] for i in ids} for s in by_format[fmt]]
        result[table] = None if any(s is None for s in spans) else merge(spans)  # type: ignore[arg-type]
    return Coverage(result)


def covered_months(indicator: Indicator, months: Sequence[Month], cov: Coverage) -> list[Month]:
    """The months whose whole window every table the indicator reads covers (supplementary tables
    aside)."""
    carry = {str(t) for t in indicator.definition.meta.get("carry_forward") or ()}
    tables = tables_read(indicator) - {str(t) for t in indicator.definition.meta.get("supplementary") or ()}
    out = []
    for m in months:
        start, end = window(indicator.period, m)
        if all(cov.covers(t, start, end, t in carry) for t in tables):
            out.append(m)
    return out


def require_covered(engine: Engine, indicator: Indicator, month: Month) -> None:
    """Raise NoData when the run would store no row for the month (drill-down says so instead of
    listing the few records an extract happens to hold, or none, as if they were the figure)."""
    if covered_months(indicator, [month], coverage(engine, tables_read(indicator))):
        return
    start, end = window(indicator.period, month)
    span = "" if (start, end) == (month.start, month.end) else f" (its window {start:%d %B %Y} to {end:%d %B %Y})"
    raise NoData(f"there is no data for {indicator.id} in {month.start:%B %Y}{span}: "
                 "the loaded extracts do not cover it")
