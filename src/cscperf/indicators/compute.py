"""Computing the library for a range of months and storing the results (indicator_run/result)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from datetime import date, datetime, timezone
from typing import Any

import pyarrow as pa

from cscperf.core.errors import CscperfError
from cscperf.indicators import membership
from cscperf.indicators import sql as q
from cscperf.indicators.coverage import coverage, covered_months, tables_read
from cscperf.indicators.library import LEVELS, Indicator, library
from cscperf.indicators.periods import Month
from cscperf.store.engine import Engine


# Record queries (and figures) per INSERT: one statement's UNION ALL lets DuckDB run several queries'
# pipelines side by side (most are too small to use both cores alone), and a batch's records are
# attributed together (one scan of each attribution table per statement). 12 was within the noise
# of a loaded machine on `large` (docs/performance.md); 6 keeps the hash tables smaller.
BATCH = 6


def population_by_month_end(engine: Engine, ends: Sequence[date]) -> dict[date, int]:
    """Children aged 0-17 for each month end: the council's estimate for the latest year not after
    the month's year (the earliest year when every estimate is later)."""
    la = engine.execute("SELECT la_code FROM council ORDER BY la_code").rows()
    rows = engine.execute("SELECT la_code, year, children_0_17 FROM population ORDER BY year").rows()
    if la:
        rows = [r for r in rows if r[0] == la[0][0]]
    elif len({r[0] for r in rows}) > 1:
        raise CscperfError("population holds several councils but the council table is empty; add the council row")
    if not rows:
        return {}
    out = {}
    for end in ends:
        usable = [r for r in rows if r[1] <= end.year] or rows[:1]
        out[end] = int(usable[-1][2])
    return out


def definitions_hash(indicators: Sequence[Indicator]) -> str:
    digest = hashlib.sha256()
    for ind in indicators:
        digest.update(ind.id.encode())
        for name, text in sorted(ind.definition.queries.items()):
            digest.update(name.encode() + text.encode())
    return digest.hexdigest()[:16]


def _needs_transpile(engine: Engine) -> bool:
    """Definitions are written in DuckDB's spelling: DuckDB runs them as written (saves SQLGlot's
    parse of ~50 long statements per run); other engines get them transpiled."""
    return engine.dialect != "duckdb"


def prepare_attribution(engine: Engine, months: Sequence[Month]) -> None:
    for statement in q.attribution_statements(m.end for m in months):
        engine.execute(statement)


def compute_rows(engine: Engine, indicator: Indicator, months: Sequence[Month], levels: Sequence[str] = LEVELS,
                 *, periods: str | None = None) -> list[dict[str, Any]]:
    """One indicator's result rows (attribution tables must be prepared)."""
    population = population_by_month_end(engine, [m.end for m in months]) if indicator.aggregation == "rate" else None
    sql = q.results_sql(indicator, periods or q.periods_sql(indicator.period, months), levels, population)
    return engine.execute(sql, portable=_needs_transpile(engine)).dicts()


def run(engine: Engine, months: Sequence[Month], *, indicators: Sequence[Indicator] | None = None,
        levels: Sequence[str] = LEVELS, progress: Callable[[Indicator], None] | None = None) -> int:
    """Compute every monthly indicator for ``months`` at ``levels``; store and return the run id.
    A month outside the coverage of an indicator's sources (coverage.py) gets no row at any level."""
    chosen = [i for i in (indicators or library()) if i.monthly]
    if not months:
        raise CscperfError("no months to compute")
    with engine.transaction():
        run_id = int(engine.execute("SELECT COALESCE(MAX(run_id), 0) + 1 FROM indicator_run").scalar())
        engine.execute(
            "INSERT INTO indicator_run (run_id, computed_at, first_month, last_month, definitions_hash) "
            "VALUES (:run_id, :at, :first, :last, :hash)",
            {"run_id": run_id, "at": datetime.now(timezone.utc).replace(tzinfo=None), "first": months[0].start,
             "last": months[-1].start, "hash": definitions_hash(chosen)},
        )
        prepare_attribution(engine, months)
        population = population_by_month_end(engine, [m.end for m in months])
        cov = coverage(engine, {t for i in chosen for t in tables_read(i)})
        stored = membership.stored_months(months)
        membership.forget_older(engine, run_id, chosen, months)
        portable = _needs_transpile(engine)
        # Each distinct record query over the same months is attributed once into RECORDS (several
        # indicators share one: 17 of 87 on the library, e.g. referrals in 12 months), then every
        # indicator's figures are summed from it and the stored months' records copied from it.
        sources: dict[tuple[str, str], int] = {}
        figures: list[tuple[Indicator, list[Month], dict[str, int]]] = []
        for indicator in chosen:
            # months the sources do not cover get no row at any level ("no data", not 0)
            covered = covered_months(indicator, months, cov)
            if not covered:
                if progress:
                    progress(indicator)
                continue
            periods = q.periods_sql(indicator.period, covered)
            ids = {part: sources.setdefault((indicator.definition.query(part).strip(), periods), len(sources))
                   for part in membership.parts(indicator)}
            figures.append((indicator, covered, ids))
        engine.execute(f"DROP TABLE IF EXISTS {q.RECORDS}")
        engine.execute(q.records_table_sql(), portable=portable)
        queries = [(source, query, periods) for (query, periods), source in sources.items()]
        ends = [m.end for m in stored]
        pending = list(figures)
        for start in range(0, len(queries), BATCH):
            engine.execute(f"INSERT INTO {q.RECORDS} {q.summed_records_sql(queries[start:start + BATCH], ends)}",
                           portable=portable)
            if progress:  # an indicator is all but done once its record queries have run
                for figure in [f for f in pending if max(f[2].values()) < start + BATCH]:
                    pending.remove(figure)
                    progress(figure[0])
        _store_figures(engine, run_id, figures, levels, population, portable)
        membership.copy_records(engine, run_id, q.RECORDS,
                                [(i.id, part, source) for i, _, ids in figures for part, source in ids.items()],
                                stored, portable=portable)
        membership.mark_stored(engine, run_id, stored)
        for statement in q.drop_attribution():
            engine.execute(statement)
    return run_id


def _store_figures(engine: Engine, run_id: int, figures: Sequence[tuple[Indicator, Sequence[Month], dict[str, int]]],
                   levels: Sequence[str], population: dict[date, int], portable: bool) -> None:
    """Every indicator's figures in one statement (``sql.figures_sql``) from the summed records."""
    for statement in q.figure_tables_sql():
        engine.execute(statement, portable=portable)
    months, parts, kinds = [], [], []
    for indicator, covered, sources in figures:
        months += [(indicator.id, m.start, m.end) for m in covered]
        parts += [(indicator.id, part, source) for part, source in sources.items()]
        chosen = [lv for lv in LEVELS if lv in levels and lv in indicator.breakdowns]
        kinds.append((indicator.id, indicator.aggregation, int(indicator.has_denominator),
                      *(int(lv in chosen) for lv in LEVELS)))
    for table, names, rows in ((q.FIGURE_MONTHS, ("indicator_id", "month_start", "period_end"), months),
                               (q.FIGURE_PARTS, ("indicator_id", "part", "source"), parts),
                               (q.FIGURE_KINDS, ("indicator_id", "aggregation", "has_denominator", "council", "team",
                                                 "worker"), kinds)):
        engine.insert(table, pa.table({n: [r[i] for r in rows] for i, n in enumerate(names)}))
    engine.execute(q.figures_sql(run_id, population), portable=portable)
