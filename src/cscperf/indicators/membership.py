"""Drill-down membership: the records behind each stored figure, written by the run that computed it.

Why: listing the children behind a figure needs the same attribution the run built (each child's
allocation and each worker's team at each month end). Rebuilding it for the whole council on every
drill-down cost ~75 ms of a ~100 ms request on the large council, and the web app serves drill-downs
to many users at once. The run has the attribution tables already, so it writes each indicator's
numerator and denominator records with their team and worker into ``indicator_record``; a drill-down
then selects one indicator, month and part. It also makes the drill-down list exactly what the stored
figure counted, even after later loads changed the records (the live computation would not).

Only the newest ``STORED_MONTHS`` months of a run are stored (default 1, ``CSCPERF_DRILL_MONTHS``
overrides; 0 stores none): a 24-month run of the large council holds ~4.9 million records (rolling
12-month indicators list each referral twelve times), which took the run from 6 to 18 s; the month a
run reports (the digest's month, the web app's default) is where team managers and the Director
drill, and storing three months cost ~1 s more of the 30-second month (issue 7). ``drill`` computes the
records live (as before) when the newest run of that indicator and month did not store them: older
months, runs made before this table existed, months never computed.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any

from cscperf.indicators import sql as q
from cscperf.indicators.library import Indicator
from cscperf.indicators.periods import Month
from cscperf.store.engine import Engine

TABLE = "indicator_record"
COLUMNS = "record_id, child_id, team_id, worker_id, value"
STORED_MONTHS = 1
# Record queries per INSERT (as compute.BATCH): fewer statements, several pipelines side by side.
BATCH = 6


def stored_months(months: Sequence[Month]) -> list[Month]:
    """The months of a run whose records are stored: the newest ``CSCPERF_DRILL_MONTHS`` (default 1)."""
    count = int(os.environ.get("CSCPERF_DRILL_MONTHS", STORED_MONTHS))
    return sorted(months)[-count:] if count > 0 else []


def parts(indicator: Indicator) -> list[str]:
    return [p for p in ("numerator", "denominator") if p in indicator.definition.queries]


def store_records(engine: Engine, run_id: int, indicators: Sequence[Indicator], months: Sequence[Month],
                  covered: Mapping[str, Sequence[Month]] | None = None) -> None:
    """Write the records of the figures of ``run_id`` for its newest months (the attribution tables
    must be prepared; they are left narrowed to those months, so call this after the results), and drop older runs' records for every month it computed: drill-down reads
    only the newest run of an indicator and month. ``covered`` (indicator id -> months) limits each
    indicator to the months its sources cover, the months that got a figure."""
    starts = ", ".join(f"CAST('{m.start.isoformat()}' AS DATE)" for m in months)
    stored = stored_months(months)
    ids = ", ".join(f"'{indicator.id}'" for indicator in indicators)
    if ids:  # one statement for all indicators: each DELETE scans the table
        engine.execute(f"DELETE FROM {TABLE} WHERE indicator_id IN ({ids}) AND run_id < :r AND period_start IN ({starts})",
                       {"r": run_id})
    selects = []
    for indicator in indicators:
        mine = stored if covered is None else [m for m in stored if m in set(covered.get(indicator.id, ()))]
        if not mine:
            continue
        periods = q.periods_sql(indicator.period, mine)
        for part in parts(indicator):
            selects.append(
                f"SELECT '{indicator.id}' AS indicator_id, x.month_start, '{part}' AS part, x.record_id, x.child_id, "
                f"x.team_id, x.worker_id, x.value FROM (WITH periods AS ({periods}), "
                f"r AS ({q.records_sql(indicator.definition.query(part))}) "
                f"SELECT p.month_start, r.record_id, r.child_id, r.team_id, r.worker_id, r.value "
                f"FROM r JOIN periods p ON p.period_end = r.period_end) AS x")
    if selects:
        # The attribution tables hold every month end of the run; a records query builds its hash
        # joins on them whole, so narrowing them to the stored month ends halves the records' cost
        # on `large` (only those month ends can join: records are kept for the stored months).
        for statement in q.narrow_attribution(m.end for m in stored):
            engine.execute(statement)
    for start in range(0, len(selects), BATCH):
        engine.execute(
            f"INSERT INTO {TABLE} (run_id, indicator_id, period_start, part, {COLUMNS}) "
            f"SELECT {int(run_id)}, u.indicator_id, u.month_start, u.part, u.record_id, u.child_id, u.team_id, "
            f"u.worker_id, u.value FROM ({' UNION ALL '.join(selects[start:start + BATCH])}) AS u",
            portable=engine.dialect != "duckdb",
        )
    if stored:
        engine.execute("UPDATE indicator_run SET records_from = :m WHERE run_id = :r", {"m": stored[0].start, "r": run_id})


def stored_run(engine: Engine, indicator_id: str, month: Month) -> int | None:
    """The newest run holding a figure of this indicator and month, if it stored that month's records."""
    row = engine.execute(
        "SELECT r.run_id FROM indicator_run r WHERE r.records_from <= :m AND r.run_id = "
        "(SELECT MAX(x.run_id) FROM indicator_result x WHERE x.indicator_id = :i AND x.period_start = :m)",
        {"i": indicator_id, "m": month.start},
    ).rows()
    return int(row[0][0]) if row else None


def stored_records(engine: Engine, run_id: int, indicator_id: str, month: Month, part: str,
                   team: str | None = None, worker: str | None = None) -> list[dict[str, Any]]:
    where = ["run_id = :r", "indicator_id = :i", "period_start = :m", "part = :p"]
    params: dict[str, Any] = {"r": run_id, "i": indicator_id, "m": month.start, "p": part}
    if team is not None:
        where.append("team_id = :team")
        params["team"] = team
    if worker is not None:
        where.append("worker_id = :worker")
        params["worker"] = worker
    return engine.execute(f"SELECT {COLUMNS} FROM {TABLE} WHERE {' AND '.join(where)} ORDER BY record_id",
                          params).dicts()
