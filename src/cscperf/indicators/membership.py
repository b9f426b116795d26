"""Drill-down membership: the records behind each stored figure, written by the run that computed it.

Why: listing the children behind a figure needs the same attribution the run built (each child's
allocation and each worker's team at each month end). Rebuilding it for the whole council on every
drill-down cost ~75 ms of a ~100 ms request on the large council, and the web app serves drill-downs
to many users at once. The run has the attribution tables already, so it writes each indicator's
numerator and denominator records with their team and worker into ``indicator_record`` (from the
very pass that sums its figures: ``sql.summed_records_sql`` keeps the stored months' records one by
one); a drill-down then selects one indicator, month and part. It also makes the drill-down list
exactly what the stored figure counted, even after later loads changed the records (the live
computation would not).

Only the newest ``STORED_MONTHS`` months of a run are stored (default 1, ``CSCPERF_DRILL_MONTHS``
overrides; 0 stores none): a 24-month run of the large council holds ~4.9 million records (rolling
12-month indicators list each referral twelve times), which took the run from 6 to 18 s; the month a
run reports (the digest's month, the web app's default) is where team managers and the Director
drill. ``drill`` computes the
records live (as before) when the newest run of that indicator and month did not store them: older
months, runs made before this table existed, months never computed.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from cscperf.indicators.library import Indicator
from cscperf.indicators.periods import Month
from cscperf.store.engine import Engine

TABLE = "indicator_record"
COLUMNS = "record_id, child_id, team_id, worker_id, value"
STORED_MONTHS = 1


def stored_months(months: Sequence[Month]) -> list[Month]:
    """The months of a run whose records are stored: the newest ``CSCPERF_DRILL_MONTHS`` (default 1)."""
    count = int(os.environ.get("CSCPERF_DRILL_MONTHS", STORED_MONTHS))
    return sorted(months)[-count:] if count > 0 else []


def parts(indicator: Indicator) -> list[str]:
    return [p for p in ("numerator", "denominator") if p in indicator.definition.queries]


def forget_older(engine: Engine, run_id: int, indicators: Sequence[Indicator], months: Sequence[Month]) -> None:
    """Drop older runs' records for every indicator and month this run computes: drill-down reads
    only the newest run of an indicator and month."""
    starts = ", ".join(f"CAST('{m.start.isoformat()}' AS DATE)" for m in months)
    ids = ", ".join(f"'{indicator.id}'" for indicator in indicators)
    if ids and starts:  # one statement for all indicators: each DELETE scans the table
        engine.execute(f"DELETE FROM {TABLE} WHERE indicator_id IN ({ids}) AND run_id < :r AND period_start IN ({starts})",
                       {"r": run_id})


def copy_records(engine: Engine, run_id: int, records: str, parts_from: Sequence[tuple[str, str, int]],
                 stored: Sequence[Month], *, portable: bool) -> None:
    """Copy the stored months' rows of the run's records (``sql.summed_records_sql``, materialised
    in ``records``) for each (indicator id, part, source id): the very records its figures summed,
    identical ones repeated as often as they occurred. A month an indicator's sources do not cover
    has no records (the run computed only covered months), so no rows."""
    if not stored or not parts_from:
        return
    repeats = int(engine.execute(f"SELECT COALESCE(MAX(n), 1) FROM {records} WHERE record_id IS NOT NULL").scalar())
    months = " UNION ALL ".join(f"SELECT CAST('{m.start.isoformat()}' AS DATE) AS month_start, "
                                f"CAST('{m.end.isoformat()}' AS DATE) AS period_end" for m in stored)
    copies = " UNION ALL ".join(f"SELECT {k} AS k" for k in range(1, repeats + 1))
    owners = " UNION ALL ".join(f"SELECT '{i}' AS indicator_id, '{p}' AS part, {int(s)} AS source" for i, p, s in parts_from)
    engine.execute(
        f"INSERT INTO {TABLE} (run_id, indicator_id, period_start, part, {COLUMNS}) "
        f"SELECT {int(run_id)}, o.indicator_id, m.month_start, o.part, x.record_id, x.child_id, x.team_id, "
        f"x.worker_id, x.rvalue FROM {records} x JOIN ({owners}) AS o ON o.source = x.source "
        f"JOIN ({months}) AS m ON m.period_end = x.period_end "
        f"JOIN ({copies}) AS c ON c.k <= x.n WHERE x.record_id IS NOT NULL", portable=portable)


def mark_stored(engine: Engine, run_id: int, stored: Sequence[Month]) -> None:
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
