"""How the engine RUNS an indicator: the SQL around a definition's record queries.

A definition's query is read over a ``periods`` CTE (one row per month), its records are attributed
to a team and worker, and GROUPING SETS sums them by council, team and worker in a single pass. A
run (compute.py) does it in three steps: each distinct record query once, several per statement,
its records attributed and summed by month, team and worker into ``RECORDS`` (the stored months'
records kept one by one for drill-down: ``summed_records_sql``); then every indicator's figures in
one statement (``figures_sql``); then the stored months' records copied (membership.py).
``results_sql`` does it for one indicator in one statement (the fixtures' runner).

Attribution: a record's own ``team_id``/``worker_id`` where the query returns them; otherwise the
child's allocation open on the last day of the month (the latest-starting one if several), or, when
none is open, the child's latest allocation if it started by then (an adopted child stays with the
worker who placed them); a record with a worker but no team takes the worker's team
(``worker_team``) on that day, or likewise their latest team.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from cscperf.indicators.library import LEVELS, Indicator
from cscperf.indicators.periods import Month, window

ALLOC = "ind_alloc_at"
ALLOC_LAST = "ind_alloc_last"
WORKER_TEAM = "ind_worker_team_at"
WORKER_TEAM_LAST = "ind_worker_team_last"
WORKER_AT = "ind_worker_at"
RECORDS = "ind_batch_records"
FIGURE_MONTHS = "ind_figure_months"
FIGURE_PARTS = "ind_figure_parts"
FIGURE_KINDS = "ind_figure_kinds"
TEMP_TABLES = (ALLOC, ALLOC_LAST, WORKER_TEAM, WORKER_TEAM_LAST, WORKER_AT, RECORDS, FIGURE_MONTHS, FIGURE_PARTS,
               FIGURE_KINDS)


def _d(day: date) -> str:
    return f"CAST('{day.isoformat()}' AS DATE)"


def periods_sql(period_type: str, months: Sequence[Month]) -> str:
    """The ``periods`` rows for months: month_start, period_start (window start), period_end."""
    rows = []
    for m in months:
        start, end = window(period_type, m)
        rows.append(f"SELECT {_d(m.start)} AS month_start, {_d(start)} AS period_start, {_d(end)} AS period_end")
    return " UNION ALL ".join(rows)


def explicit_periods_sql(month_start: date, period_start: date, period_end: date) -> str:
    return f"SELECT {_d(month_start)} AS month_start, {_d(period_start)} AS period_start, {_d(period_end)} AS period_end"


def month_ends_sql(ends: Iterable[date]) -> str:
    return " UNION ALL ".join(f"SELECT {_d(e)} AS period_end" for e in sorted(set(ends)))


def attribution_statements(ends: Iterable[date]) -> list[str]:
    """Temporary tables: each child's allocation and each worker's team open on each month end, and
    each child's (worker's) latest allocation (team) overall for records with none open."""
    m = month_ends_sql(ends)
    return [f"DROP TABLE IF EXISTS {t}" for t in TEMP_TABLES] + [
        f"""CREATE TEMPORARY TABLE {ALLOC} AS
SELECT period_end, child_id, worker_id, team_id FROM (
  SELECT m.period_end, a.child_id, a.worker_id, a.team_id,
         ROW_NUMBER() OVER (PARTITION BY m.period_end, a.child_id ORDER BY a.start_date DESC, a.worker_id DESC) AS rn
  FROM ({m}) AS m
  JOIN allocation a ON a.start_date <= m.period_end AND (a.end_date IS NULL OR a.end_date >= m.period_end)
) AS x WHERE rn = 1""",
        f"""CREATE TEMPORARY TABLE {ALLOC_LAST} AS
SELECT child_id, worker_id, team_id, start_date FROM (
  SELECT a.child_id, a.worker_id, a.team_id, a.start_date,
         ROW_NUMBER() OVER (PARTITION BY a.child_id ORDER BY a.start_date DESC, a.worker_id DESC) AS rn
  FROM allocation a
) AS x WHERE rn = 1""",
        f"""CREATE TEMPORARY TABLE {WORKER_TEAM} AS
SELECT period_end, worker_id, team_id FROM (
  SELECT m.period_end, w.worker_id, w.team_id,
         ROW_NUMBER() OVER (PARTITION BY m.period_end, w.worker_id ORDER BY w.start_date DESC, w.team_id DESC) AS rn
  FROM ({m}) AS m
  JOIN worker_team w ON w.start_date <= m.period_end AND (w.end_date IS NULL OR w.end_date >= m.period_end)
) AS x WHERE rn = 1""",
        f"""CREATE TEMPORARY TABLE {WORKER_TEAM_LAST} AS
SELECT worker_id, team_id, start_date FROM (
  SELECT w.worker_id, w.team_id, w.start_date,
         ROW_NUMBER() OVER (PARTITION BY w.worker_id ORDER BY w.start_date DESC, w.team_id DESC) AS rn
  FROM worker_team w
) AS x WHERE rn = 1""",
        # Per month end, a worker's team resolved (open, else latest started by then): one join for
        # records, not two. (The same for children - open and latest allocation side by side - was
        # tried: a ~2M-row table to build a hash on for every query doubled the engine's time.)
        f"""CREATE TEMPORARY TABLE {WORKER_AT} AS
SELECT period_end, worker_id, team_id FROM (
  SELECT m.period_end, l.worker_id,
         CASE WHEN w.worker_id IS NOT NULL THEN w.team_id WHEN l.start_date <= m.period_end THEN l.team_id END AS team_id
  FROM ({m}) AS m
  JOIN {WORKER_TEAM_LAST} l ON 1 = 1
  LEFT JOIN {WORKER_TEAM} w ON w.period_end = m.period_end AND w.worker_id = l.worker_id
) AS x WHERE team_id IS NOT NULL""",
    ]


def drop_attribution() -> list[str]:
    return [f"DROP TABLE IF EXISTS {t}" for t in TEMP_TABLES]


def records_sql(query: str, source: bool = False) -> str:
    """A definition query's records with team and worker attributed (needs ``periods`` in scope).

    Each attribution join's key is NULL (no probe match, no residual check) for a record that does
    not need it: the allocation joins only for records without a worker (about half of them), the
    worker's team only when neither the record nor the allocation gave a team. Same rows as putting
    those conditions beside the keys, which DuckDB checked after matching every record's child and
    month (~10 % of the engine's CPU on `large`). With ``source``, the query's rows carry a
    ``source`` column (several record queries attributed together) and the records keep it."""
    body = query.strip().rstrip(";")
    worker = "COALESCE(q.worker_id, al.worker_id, ll.worker_id)"
    return f"""SELECT {"q.source AS source, " if source else ""}q.period_end AS period_end, CAST(q.record_id AS VARCHAR) AS record_id, q.child_id AS child_id,
       COALESCE(q.team_id, al.team_id, ll.team_id, w.team_id) AS team_id,
       {worker} AS worker_id,
       CAST(q.value AS DOUBLE) AS value
FROM ({body}) AS q
LEFT JOIN {ALLOC} al ON al.child_id = CASE WHEN q.worker_id IS NULL THEN q.child_id END
     AND al.period_end = q.period_end AND (q.team_id IS NULL OR al.team_id = q.team_id)
LEFT JOIN {ALLOC_LAST} ll ON ll.child_id = CASE WHEN q.worker_id IS NULL AND al.child_id IS NULL THEN q.child_id END
     AND ll.start_date <= q.period_end AND (q.team_id IS NULL OR ll.team_id = q.team_id)
LEFT JOIN {WORKER_AT} w ON w.worker_id = CASE WHEN COALESCE(q.team_id, al.team_id, ll.team_id) IS NULL THEN {worker} END
     AND w.period_end = q.period_end"""


def _level_label(levels: Sequence[str]) -> str:
    if len(levels) == 1:
        return f"'{levels[0]}'"
    cases = []
    if "council" in levels:
        cases.append("WHEN GROUPING(team_id) = 1 THEN 'council'")
    if "worker" in levels and "team" in levels:
        cases.append("WHEN GROUPING(worker_id) = 1 THEN 'team'")
    return f"CASE {' '.join(cases)} ELSE '{levels[-1]}' END"


def records_table_sql() -> str:
    return (f"CREATE TEMPORARY TABLE {RECORDS} (source INTEGER, period_end DATE, team_id VARCHAR, worker_id VARCHAR, "
            "record_id VARCHAR, child_id VARCHAR, rvalue DOUBLE, total DOUBLE, n BIGINT)")


def summed_records_sql(sources: Sequence[tuple[int, str, str]], kept: Iterable[date]) -> str:
    """Rows for ``RECORDS``: the attributed records of record queries (source id, definition query,
    periods SQL) summed by source, month end, team and worker - except in the month ends ``kept``
    (the months whose drill-down records a run stores), whose records stay one row each with their
    ``record_id``, ``child_id`` and ``rvalue`` (identical records share a row, ``n`` counts them).

    A run sums its figures from this table and copies the kept rows for drill-down: the definitions
    and the attribution run once for both, and the table stays small (every record of a rolling
    12-month indicator, ~4.8 million rows on `large`, would not)."""
    ends = ", ".join(_d(e) for e in sorted(set(kept)))

    def only_kept(column: str) -> str:
        return f"CASE WHEN x.period_end IN ({ends}) THEN x.{column} END" if ends else "NULL"

    # the queries' rows first, each over its own periods, then attributed together: one scan and
    # probe of each attribution table per statement, not one per query (~20 % of the engine's CPU)
    raw = " UNION ALL ".join(
        f"SELECT {int(source)} AS source, CAST(z.period_end AS DATE) AS period_end, z.record_id, "
        f"CAST(z.child_id AS VARCHAR) AS child_id, CAST(z.team_id AS VARCHAR) AS team_id, "
        f"CAST(z.worker_id AS VARCHAR) AS worker_id, z.value "
        f"FROM (WITH periods AS ({periods}) SELECT * FROM ({query.strip().rstrip(';')}) AS b) AS z"
        for source, query, periods in sources)
    return ("SELECT source, period_end, team_id, worker_id, record_id, child_id, rvalue, SUM(value) AS total, "
            "COUNT(*) AS n FROM (SELECT x.source, x.period_end, x.team_id, x.worker_id, "
            f"CAST({only_kept('record_id')} AS VARCHAR) AS record_id, CAST({only_kept('child_id')} AS VARCHAR) AS child_id, "
            f"CAST({only_kept('value')} AS DOUBLE) AS rvalue, x.value "
            f"FROM ({records_sql(raw, source=True)}) AS x) AS y "
            "GROUP BY source, period_end, team_id, worker_id, record_id, child_id, rvalue")


def figure_tables_sql() -> list[str]:
    """What ``figures_sql`` reads beside ``RECORDS``: each indicator's computed months, the source of
    each of its parts, and how its value is made and at which levels (1/0 flags)."""
    return [
        f"CREATE TEMPORARY TABLE {FIGURE_MONTHS} (indicator_id VARCHAR, month_start DATE, period_end DATE)",
        f"CREATE TEMPORARY TABLE {FIGURE_PARTS} (indicator_id VARCHAR, part VARCHAR, source INTEGER)",
        f"CREATE TEMPORARY TABLE {FIGURE_KINDS} (indicator_id VARCHAR, aggregation VARCHAR, has_denominator INTEGER, "
        "council INTEGER, team INTEGER, worker INTEGER)",
    ]


def figures_sql(run_id: int, population: dict[date, int] | None) -> str:
    """INSERT every indicator's figures of a run from ``RECORDS`` in one statement: what
    ``results_sql`` computes per indicator (same rows, same arithmetic), for all indicators at once -
    one GROUPING SETS aggregation keyed by indicator, its levels and value rule read from
    ``FIGURE_KINDS``. One statement instead of one per indicator: planning ~50 statements cost about
    as much as running them."""
    pop_rows = " UNION ALL ".join(
        f"SELECT {_d(e)} AS period_end, CAST({int(v)} AS DOUBLE) AS children" for e, v in sorted((population or {}).items())
    ) or "SELECT CAST(NULL AS DATE) AS period_end, CAST(NULL AS DOUBLE) AS children"
    num = "k.num_total"
    den = "CASE WHEN m.has_denominator = 1 THEN k.den_total END"
    value = (f"CASE m.aggregation "
             f"WHEN 'rate' THEN CASE WHEN k.level = 'council' AND pop.children > 0 THEN 10000.0 * {num} / pop.children END "
             f"WHEN 'percent' THEN CASE WHEN {den} > 0 THEN 100.0 * {num} / {den} END "
             f"WHEN 'ratio' THEN CASE WHEN {den} > 0 THEN 1.0 * {num} / {den} END "
             f"ELSE 1.0 * {num} END")
    denominator = f"CASE WHEN m.aggregation = 'rate' THEN CASE WHEN k.level = 'council' THEN pop.children END ELSE {den} END"
    return (
        "INSERT INTO indicator_result (run_id, indicator_id, period_start, period_end, level, team_id, worker_id, "
        "numerator, denominator, value) "
        f"WITH pop AS ({pop_rows}), "
        "x AS (SELECT f.indicator_id, r.period_end, r.team_id, r.worker_id, "
        "CASE WHEN f.part = 'numerator' THEN r.total END AS num, CASE WHEN f.part = 'denominator' THEN r.total END AS den, "
        f"r.n AS counted FROM {RECORDS} r JOIN {FIGURE_PARTS} f ON f.source = r.source "
        "UNION ALL SELECT indicator_id, period_end, CAST(NULL AS VARCHAR), CAST(NULL AS VARCHAR), CAST(NULL AS DOUBLE), "
        f"CAST(NULL AS DOUBLE), 0 FROM {FIGURE_MONTHS}), "
        "agg AS (SELECT indicator_id, period_end, CASE WHEN GROUPING(team_id) = 1 THEN 'council' "
        "WHEN GROUPING(worker_id) = 1 THEN 'team' ELSE 'worker' END AS level, team_id, worker_id, "
        "COALESCE(SUM(num), 0) AS num_total, COALESCE(SUM(den), 0) AS den_total, SUM(counted) AS counted FROM x "
        "GROUP BY GROUPING SETS ((indicator_id, period_end), (indicator_id, period_end, team_id), "
        "(indicator_id, period_end, team_id, worker_id))) "
        f"SELECT {int(run_id)}, k.indicator_id, p.month_start, k.period_end, k.level, k.team_id, k.worker_id, "
        f"CAST({num} AS DOUBLE), CAST({denominator} AS DOUBLE), CAST({value} AS DOUBLE) "
        f"FROM agg k JOIN {FIGURE_MONTHS} p ON p.indicator_id = k.indicator_id AND p.period_end = k.period_end "
        f"JOIN {FIGURE_KINDS} m ON m.indicator_id = k.indicator_id "
        "LEFT JOIN pop ON pop.period_end = k.period_end "
        "WHERE (k.level = 'council' AND m.council = 1) OR (k.level = 'team' AND m.team = 1 AND k.counted > 0) "
        "OR (k.level = 'worker' AND m.worker = 1 AND k.counted > 0)")


def results_sql(indicator: Indicator, periods: str, levels: Sequence[str], population: dict[date, int] | None) -> str:
    """Rows (period_end, month_start, level, team_id, worker_id, numerator, denominator, value).

    One aggregation over the numerator's and the denominator's records together (each tagged with
    the part it belongs to): a row per council month, and a team or worker row wherever at least one
    record of either part was attributed to it - the same rows two aggregations joined on their keys
    gave, without the key union and the two joins. (A run computes all indicators' figures at once
    from their summed records: ``figures_sql``; this is one indicator's, for fixtures.)"""
    levels = [lv for lv in LEVELS if lv in levels and lv in indicator.breakdowns]
    agg = indicator.aggregation
    sets = {"council": "(period_end)", "team": "(period_end, team_id)", "worker": "(period_end, team_id, worker_id)"}
    has_team = "team" in levels or "worker" in levels
    has_worker = "worker" in levels
    parts = [f"SELECT period_end, team_id, worker_id, value AS num, CAST(NULL AS DOUBLE) AS den, n AS counted FROM num"]
    def part_sql(part: str) -> str:
        return f"SELECT period_end, team_id, worker_id, value, 1 AS n FROM ({records_sql(indicator.definition.query(part))}) AS r"

    ctes = [f"periods AS ({periods})", f"num AS ({part_sql('numerator')})"]
    if indicator.has_denominator:
        ctes.append(f"den AS ({part_sql('denominator')})")
        parts.append("SELECT period_end, team_id, worker_id, CAST(NULL AS DOUBLE), value, n FROM den")
    if "council" in levels:  # every month has a council row, records or not
        parts.append("SELECT period_end, CAST(NULL AS VARCHAR), CAST(NULL AS VARCHAR), CAST(NULL AS DOUBLE), "
                     "CAST(NULL AS DOUBLE), 0 FROM periods")
    team = "team_id" if has_team else "CAST(NULL AS VARCHAR)"
    worker = "worker_id" if has_worker else "CAST(NULL AS VARCHAR)"
    label = _level_label(levels)
    ctes.append(
        f"agg AS (SELECT period_end, {label} AS level, {team} AS team_id, {worker} AS worker_id, "
        f"COALESCE(SUM(num), 0) AS num_total, COALESCE(SUM(den), 0) AS den_total, SUM(counted) AS counted "
        f"FROM ({' UNION ALL '.join(parts)}) AS x GROUP BY GROUPING SETS ({', '.join(sets[lv] for lv in levels)}))")
    num = "k.num_total"
    den = "k.den_total" if indicator.has_denominator else "CAST(NULL AS DOUBLE)"
    joins = []
    if agg == "rate":
        pops = population or {}
        pop_rows = " UNION ALL ".join(
            f"SELECT {_d(e)} AS period_end, CAST({int(v)} AS DOUBLE) AS children" for e, v in sorted(pops.items())
        ) or "SELECT CAST(NULL AS DATE) AS period_end, CAST(NULL AS DOUBLE) AS children"
        ctes.append(f"pop AS ({pop_rows})")
        joins.append("LEFT JOIN pop ON pop.period_end = k.period_end")
        den = "CASE WHEN k.level = 'council' THEN pop.children END"
        value = f"CASE WHEN k.level = 'council' AND pop.children > 0 THEN 10000.0 * {num} / pop.children END"
    elif agg == "percent":
        value = f"CASE WHEN {den} > 0 THEN 100.0 * {num} / {den} END"
    elif agg == "ratio":
        value = f"CASE WHEN {den} > 0 THEN 1.0 * {num} / {den} END"
    else:
        value = f"1.0 * {num}"
    return (f"WITH {', '.join(ctes)}\n"
            f"SELECT k.period_end AS period_end, p.month_start AS month_start, k.level AS level, k.team_id AS team_id, "
            f"k.worker_id AS worker_id, CAST({num} AS DOUBLE) AS numerator, CAST({den} AS DOUBLE) AS denominator, "
            f"CAST({value} AS DOUBLE) AS value\n"
            f"FROM agg k JOIN periods p ON p.period_end = k.period_end\n" + "\n".join(joins) +
            ("\nWHERE k.level = 'council' OR k.counted > 0" if "council" in levels else ""))


def drill_sql(query: str, periods: str, team: bool, worker: bool) -> str:
    where = []
    if team:
        where.append("r.team_id = :team")
    if worker:
        where.append("r.worker_id = :worker")
    clause = f" WHERE {' AND '.join(where)}" if where else ""
    return (f"WITH periods AS ({periods}), r AS ({records_sql(query)}) "
            f"SELECT r.record_id, r.child_id, r.team_id, r.worker_id, r.value FROM r{clause} ORDER BY r.record_id")
