"""The Python API the digest, the web app and the CLI call.

- ``run_indicators(engine, month, first=None)`` computes and stores a run, returns its id;
- ``latest_results(engine, month=None, level=…, indicator_ids=None, team=None)`` reads the newest
  stored figure for each indicator, month and breakdown;
- ``drill(engine, indicator_id, month, team=None, worker=None, part="numerator")`` lists the
  records behind a figure (exactly the rows that were summed); for a month the run stores no row
  for (its sources do not cover it: coverage.py) it raises ``coverage.NoData`` (a CscperfError);
- ``survey_comparison(engine, survey_id=None)`` (in ``cscperf.indicators.survey``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from cscperf.core.errors import CscperfError
from cscperf.indicators import membership
from cscperf.indicators import sql as q
from cscperf.indicators.compute import prepare_attribution, run
from cscperf.indicators.coverage import require_covered
from cscperf.indicators.library import LEVELS, get, library
from cscperf.indicators.periods import Month, month_range
from cscperf.store.engine import Engine


def _month(value: str | Month) -> Month:
    return value if isinstance(value, Month) else Month.parse(value)


def run_indicators(engine: Engine, month: str | Month, first: str | Month | None = None,
                   indicator_ids: Sequence[str] | None = None, levels: Sequence[str] = LEVELS, progress=None) -> int:
    last = _month(month)
    months = month_range(_month(first) if first else last, last)
    chosen = [get(i) for i in indicator_ids] if indicator_ids else None
    return run(engine, months, indicators=chosen, levels=levels, progress=progress)


def results_for_run(engine: Engine, run_id: int, level: str | None = None) -> list[dict[str, Any]]:
    sql = ("SELECT indicator_id, period_start, period_end, level, team_id, worker_id, numerator, denominator, value "
           "FROM indicator_result WHERE run_id = :run_id")
    params: dict[str, Any] = {"run_id": run_id}
    if level:
        sql += " AND level = :level"
        params["level"] = level
    sql += " ORDER BY indicator_id, period_start, level, team_id NULLS FIRST, worker_id NULLS FIRST"
    return engine.execute(sql, params).dicts()


def latest_results(engine: Engine, month: str | Month | None = None, level: str = "council",
                   indicator_ids: Sequence[str] | None = None, team: str | None = None,
                   first: str | Month | None = None) -> list[dict[str, Any]]:
    """The newest stored figure per indicator, month and breakdown (optionally one month or a range)."""
    where = ["r.level = :level", "r.run_id = (SELECT MAX(r2.run_id) FROM indicator_result r2 "
             "WHERE r2.indicator_id = r.indicator_id AND r2.period_start = r.period_start)"]
    params: dict[str, Any] = {"level": level}
    if month:
        end = _month(month)
        start = _month(first) if first else end
        where.append("r.period_start BETWEEN :first AND :last")
        params.update(first=start.start, last=end.start)
    if team:
        where.append("r.team_id = :team")
        params["team"] = team
    rows = engine.execute(
        "SELECT r.run_id, r.indicator_id, r.period_start, r.period_end, r.level, r.team_id, r.worker_id, "
        "r.numerator, r.denominator, r.value FROM indicator_result r WHERE " + " AND ".join(where) +
        " ORDER BY r.indicator_id, r.period_start, r.team_id NULLS FIRST, r.worker_id NULLS FIRST", params
    ).dicts()
    if indicator_ids:
        wanted = set(indicator_ids)
        rows = [r for r in rows if r["indicator_id"] in wanted]
    return rows


def drill(engine: Engine, indicator_id: str, month: str | Month, team: str | None = None,
          worker: str | None = None, part: str = "numerator") -> list[dict[str, Any]]:
    """The records (record_id, child_id, team_id, worker_id, value) summed into one figure: those the
    newest run of that indicator and month stored (``membership``), else computed from the records."""
    indicator = get(indicator_id)
    if part not in indicator.definition.queries:
        raise CscperfError(f"{indicator_id} has no {part} (parts: {', '.join(indicator.definition.queries)})")
    m = _month(month)
    run_id = membership.stored_run(engine, indicator_id, m)
    if run_id is not None:  # the records the stored figure counted, as its run wrote them
        return membership.stored_records(engine, run_id, indicator_id, m, part, team, worker)
    # no stored records: a month the sources do not cover has no figure to drill into (checked only
    # here - a stored figure's month was covered when its run made it, and the check scans the tables)
    require_covered(engine, indicator, m)
    return live_drill(engine, indicator_id, m, team, worker, part)


def live_drill(engine: Engine, indicator_id: str, month: str | Month, team: str | None = None,
               worker: str | None = None, part: str = "numerator") -> list[dict[str, Any]]:
    """The records behind a figure computed from the canonical tables now (attribution rebuilt)."""
    indicator = get(indicator_id)
    m = _month(month)
    prepare_attribution(engine, [m])
    try:
        sql = q.drill_sql(indicator.definition.query(part), q.periods_sql(indicator.period, [m]), team is not None,
                          worker is not None)
        params = {k: v for k, v in (("team", team), ("worker", worker)) if v is not None}
        return engine.execute(sql, params or None).dicts()
    finally:
        for statement in q.drop_attribution():
            engine.execute(statement)


def catalogue() -> list[dict[str, Any]]:
    """Metadata of every indicator, for pickers and headings."""
    return [
        {"id": i.id, "title": i.title, "area": i.area, "polarity": i.polarity, "unit": i.unit, "period": i.period,
         "counts": i.counts, "source": i.definition.meta.get("source"), "lait": i.definition.meta.get("lait"),
         "description": i.definition.description}
        for i in library()
    ]
