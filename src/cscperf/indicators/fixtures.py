"""Running an indicator's fixtures: its record queries over the fixture month, and the council
figure the engine makes of them (``result:`` in the fixture), compared with hand-computed values."""

from __future__ import annotations

from collections import Counter
from typing import Any

from cscperf.indicators import sql as q
from cscperf.indicators.compute import compute_rows, prepare_attribution
from cscperf.indicators.library import RECORD_COLUMNS, Indicator
from cscperf.indicators.periods import Month
from cscperf.registry.fixtures import FIXTURE_PROVENANCE, _key
from cscperf.store.engine import Engine
from cscperf.store.rows import to_arrow
from cscperf.store.schema import tables


class _Discard(Exception):
    pass


def fixture_month(params: dict[str, Any]) -> Month:
    return Month.parse(str(params.get("month", "2025-03")))


def _insert(engine: Engine, name: str, rows: list[dict[str, Any]]) -> None:
    spec = tables()[name]
    data = [{**FIXTURE_PROVENANCE, "source_row": i, **r} for i, r in enumerate(rows, 1)] if spec.provenance else rows
    engine.insert(name, to_arrow(name, data))


def _compare(label: str, expected: list[dict[str, Any]], got: list[dict[str, Any]]) -> list[str]:
    columns = list(dict.fromkeys(c for row in expected for c in row)) if expected else (list(got[0]) if got else [])
    want = Counter(_key(r, columns) for r in expected)
    have = Counter(_key(r, columns) for r in got)
    if want == have:
        return []
    return [f"{label}: expected but missing {sorted((want - have).elements(), key=repr)}; "
            f"returned but not expected {sorted((have - want).elements(), key=repr)} (columns {columns})"]


def _contract(label: str, rows: list[dict[str, Any]]) -> list[str]:
    """A monthly query returns the record columns and one row per record per month."""
    if not rows:
        return []
    missing = [c for c in RECORD_COLUMNS if c not in rows[0]]
    if missing:
        return [f"{label}: missing record column(s) {missing}"]
    keys = Counter((str(r["period_end"]), str(r["record_id"])) for r in rows)
    repeated = sorted(k[1] for k, n in keys.items() if n > 1)
    return [f"{label}: record_id repeated within a month: {repeated}"] if repeated else []


def check_indicator(engine: Engine, indicator: Indicator) -> list[str]:
    """Problems found running every fixture of ``indicator`` (empty list = all pass)."""
    problems: list[str] = []
    for fixture, result in zip(indicator.definition.fixtures, indicator.results):
        where = f"{indicator.id} [{fixture.name}]"
        month = fixture_month(fixture.params)
        periods = q.periods_sql(indicator.period if indicator.monthly else "in_month", [month])
        try:
            with engine.transaction():
                for name, rows in fixture.tables.items():
                    _insert(engine, name, rows)
                prepare_attribution(engine, [month])
                for part, expected in fixture.expect.items():
                    sql = f"WITH periods AS ({periods}) SELECT * FROM ({indicator.definition.query(part).strip().rstrip(';')}) AS x"
                    params = {k: v for k, v in fixture.params.items() if k != "month"}
                    got = engine.execute(sql, params or None).dicts()
                    problems += _compare(f"{where} {part}", expected, got)
                    if indicator.monthly:
                        problems += _contract(f"{where} {part}", got)
                if result is not None and indicator.monthly:
                    levels = ("council", "team") if "teams" in result else ("council",)
                    rows = compute_rows(engine, indicator, [month], levels)
                    council = [r for r in rows if r["level"] == "council"]
                    want = {k: v for k, v in result.items() if k != "teams"}
                    problems += _compare(f"{where} council figure", [want], council)
                    if "teams" in result:
                        problems += _compare(f"{where} team figures", result["teams"],
                                             [r for r in rows if r["level"] == "team"])
                for statement in q.drop_attribution():
                    engine.execute(statement)
                raise _Discard
        except _Discard:
            pass
    return problems


__all__ = ["check_indicator", "fixture_month"]
