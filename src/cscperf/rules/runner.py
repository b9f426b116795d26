"""Running a ruleset on a store: every rule as set-based SQL, batched into a few INSERT … SELECT
statements (no per-row Python), each scoped to the loads of the return being checked; the staged
failures then become ``finding`` rows in one statement that resolves team and worker through
``allocation``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

import pyarrow as pa
from sqlglot import exp

from cscperf.core.errors import CscperfError, DefinitionError
from cscperf.registry.fixtures import HISTORY, PREVIOUS, base_table, previous_tables
from cscperf.rules import sqlcache
from cscperf.rules.rule import Rule
from cscperf.rules.ruleset import Ruleset
from cscperf.rules.scope import RETURN_TABLES, scope, source_select, source_tables
from cscperf.store.engine import Engine
from cscperf.store.loads import next_id
from cscperf.store.migrate import utc_now

BATCH = 40
# Stands for the load-id list while a rule's SQL is compiled once for any loads (never a real id).
SENTINEL_LOAD_ID = -7340033
FINDING_COLUMNS = (
    "check_id, finding_no, rule_code, rule_type, message, child_id, table_name, source_file, "
    "source_row, fields, field_values, team_id, worker_id"
)


@dataclass
class CheckResult:
    """What one check run did: where its findings are, and which rules it could not run."""

    check_id: int
    return_type: str
    year: str
    load_ids: list[int]
    findings: int
    rules_run: int
    skipped: list[str] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)
    not_run: dict[str, str] = field(default_factory=dict)  # code -> why it was not run (every skipped code)


PREVIOUS_NEEDED = "needs the previous year's return (load it, or give it with --previous)"
# What a ``requires:`` table is, in the words a user reading "not run: needs ..." understands.
REQUIRED_DATA = {
    "ofsted_provider": "the Ofsted provider register (cscperf load --format ofsted-providers)",
}


def needs(table: str) -> str:
    return f"needs {REQUIRED_DATA.get(table, f'rows in {table}')}"


def return_loads(engine: Engine, return_type: str, year: str | None = None) -> list[int]:
    """The loads holding the return to check: the latest successful load of that format (of that
    collection year, when the loader recorded one)."""
    sql = "SELECT l.load_id FROM load l WHERE l.status = 'loaded' AND l.source_format = :fmt"
    params: dict[str, Any] = {"fmt": return_type}
    if year:
        sql += (" AND (NOT EXISTS (SELECT 1 FROM load_file f WHERE f.load_id = l.load_id AND f.collection_year IS NOT NULL)"
                " OR EXISTS (SELECT 1 FROM load_file f WHERE f.load_id = l.load_id AND f.collection_year = :year))")
        params["year"] = year
    latest = engine.execute(sql + " ORDER BY l.load_id DESC LIMIT 1", params).scalar()
    return [int(latest)] if latest is not None else []


def year_before(year: str) -> str:
    """``2024_25`` -> ``2023_24``."""
    start = int(year[:4]) - 1
    return f"{start}_{(start + 1) % 100:02d}"


def earlier_loads(engine: Engine, return_type: str, year: str | None) -> tuple[list[int], list[int]]:
    """The store's returns of ``return_type`` before collection ``year``: (last year's loads, every
    earlier year's loads), each year's its latest live load, as ``return_loads`` picks it. Rules about
    a child's whole care history (903 1001, 1002) see every year held, not only the two DfE's own tool
    sees. Each is read as submitted (``source_tables``: rows a later merge changed are kept as sent)."""
    if not year:
        return [], []
    years = [r[0] for r in engine.execute(
        "SELECT DISTINCT f.collection_year FROM load_file f JOIN load l ON l.load_id = f.load_id "
        "WHERE l.status = 'loaded' AND l.source_format = :fmt AND f.collection_year < :year "
        "ORDER BY f.collection_year", {"fmt": return_type, "year": year}).rows()]
    history = [i for y in years for i in return_loads(engine, return_type, y)]
    previous = return_loads(engine, return_type, year_before(year)) if year_before(year) in years else []
    return previous, history


def council_code(engine: Engine) -> str | None:
    return engine.execute("SELECT MIN(la_code) FROM council").scalar()


def _ph(name: str, dialect: str) -> str:
    return exp.Placeholder(this=name).sql(dialect=dialect)


def _lit(value: str, dialect: str) -> str:
    return exp.Literal.string(value).sql(dialect=dialect)


def _branch(order: int, rule: Rule, load_ids: Sequence[int], dialect: str, sources: dict[str, str]) -> str:
    return _compiled(order, rule.return_type, rule.code, rule.type, rule.message, rule.sql,
                     tuple(sorted(set(load_ids))), dialect, tuple(sorted(sources.items())))


def _compiled(order: int, return_type: str, code: str, rule_type: str, message: str, sql: str,
              load_ids: tuple[int, ...], dialect: str, sources: tuple[tuple[str, str], ...]) -> str:
    """One rule's scoped SELECT in the engine's dialect. The SQL is compiled once per rule with a
    stand-in for the load ids (then filled in), and kept across processes by ``sqlcache``: SQLGlot
    costs ~3 ms a rule, ~1 s for the 903 set, in every ``cscperf load`` and ``check``."""
    if not load_ids:
        return _compile(order, return_type, code, rule_type, message, sql, load_ids, dialect, sources)
    template = _template(order, return_type, code, rule_type, message, sql, dialect, sources)
    ids = ", ".join(str(int(i)) for i in load_ids)
    filled = template.replace(_SENTINEL_IN, f"IN ({ids})")
    if _SENTINEL in filled:  # the stand-in appeared somewhere else: compile for real
        return _compile(order, return_type, code, rule_type, message, sql, load_ids, dialect, sources)
    return filled


_SENTINEL = str(SENTINEL_LOAD_ID)
_SENTINEL_IN = f"IN ({SENTINEL_LOAD_ID})"


@lru_cache(maxsize=4096)
def _template(order: int, return_type: str, code: str, rule_type: str, message: str, sql: str, dialect: str,
              sources: tuple[tuple[str, str], ...]) -> str:
    args = (order, return_type, code, rule_type, message, sql, dialect, sources)
    cached = sqlcache.get(args)
    if cached is not None and cached.count(_SENTINEL_IN) == cached.count(_SENTINEL):
        return cached
    text = _compile(order, return_type, code, rule_type, message, sql, (SENTINEL_LOAD_ID,), dialect, sources)
    sqlcache.put(args, text)
    return text


def _compile(order: int, return_type: str, code: str, rule_type: str, message: str, sql: str,
             load_ids: tuple[int, ...], dialect: str, sources: tuple[tuple[str, str], ...]) -> str:
    inner = scope(sql, RETURN_TABLES[return_type], load_ids, dict(sources)).sql(dialect=dialect)
    return (
        f"SELECT {order} AS rule_order, {_lit(code, dialect)} AS rule_code, {_lit(rule_type, dialect)} AS rule_type, "
        f"{_lit(message, dialect)} AS message, CAST(r.child_id AS VARCHAR) AS child_id, "
        f"CAST(r.table_name AS VARCHAR) AS table_name, CAST(r.source_file AS VARCHAR) AS source_file, "
        f"CAST(r.source_row AS INTEGER) AS source_row, CAST(r.fields AS VARCHAR) AS fields, "
        f"CAST(r.field_values AS VARCHAR) AS field_values FROM ({inner}) AS r"
    )


STAGE = "_cscperf_found"
STAGE_COLUMNS = ("rule_order INTEGER, rule_code VARCHAR, rule_type VARCHAR, message VARCHAR, child_id VARCHAR, "
                 "table_name VARCHAR, source_file VARCHAR, source_row INTEGER, fields VARCHAR, field_values VARCHAR")


def stage_sql(rules: Sequence[tuple[int, Rule]], load_ids: Sequence[int], dialect: str,
              sources: dict[str, str] | None = None) -> str:
    """One INSERT … SELECT staging the failures of a batch of rules (a UNION ALL of their scoped SQL)."""
    union = "\nUNION ALL\n".join(_branch(order, rule, load_ids, dialect, sources or {}) for order, rule in rules)
    return f"INSERT INTO {STAGE} SELECT * FROM ({union}) AS f"


def finish_sql(dialect: str) -> str:
    """The staged failures as ``finding`` rows, numbered, with the team and worker of the child's
    allocation open on the reference date (the latest started, when several are)."""
    ref = _ph("reference_date", dialect)
    alloc = (
        "SELECT x.child_id, x.worker_id, x.team_id FROM ("
        "SELECT al.child_id, al.worker_id, COALESCE(al.team_id, wt.team_id) AS team_id, "
        "ROW_NUMBER() OVER (PARTITION BY al.child_id ORDER BY al.start_date DESC, al.worker_id, wt.team_id) AS rn "
        "FROM allocation al LEFT JOIN worker_team wt ON wt.worker_id = al.worker_id "
        f"AND wt.start_date <= {ref} AND (wt.end_date IS NULL OR wt.end_date >= {ref}) "
        f"WHERE al.start_date <= {ref} AND (al.end_date IS NULL OR al.end_date >= {ref})) x WHERE x.rn = 1"
    )
    return (
        f"INSERT INTO finding ({FINDING_COLUMNS}) "
        f"SELECT {_ph('check_id', dialect)}, ROW_NUMBER() OVER "
        "(ORDER BY f.rule_order, f.source_file, f.source_row, f.child_id, f.field_values), "
        "f.rule_code, f.rule_type, f.message, f.child_id, f.table_name, f.source_file, f.source_row, "
        "f.fields, f.field_values, a.team_id, a.worker_id "
        f"FROM {STAGE} AS f LEFT JOIN ({alloc}) AS a ON a.child_id = f.child_id"
    )


def _create_previous(engine: Engine, names: Iterable[str], previous: Mapping[str, pa.Table] | None,
                     previous_loads: Sequence[int] | None, history_loads: Sequence[int] | None,
                     sources: dict[str, str]) -> list[str]:
    """``prev_<table>``: last year's return; ``hist_<table>``: every earlier year's in the store, or
    last year's alone when that is all there is (given as files, or the only earlier year loaded)."""
    created = []
    for temp in sorted(set(names)):
        name = base_table(temp)
        loads = (history_loads or previous_loads) if temp.startswith(HISTORY) else previous_loads
        engine.execute(f"DROP TABLE IF EXISTS {temp}")
        if loads:
            engine.execute(f"CREATE TEMPORARY TABLE {temp} AS {source_select(name, loads, sources)}")
        else:
            engine.execute(f"CREATE TEMPORARY TABLE {temp} AS SELECT * FROM {name} WHERE 1 = 0")
            data = (previous or {}).get(name)
            if data is not None and data.num_rows:
                engine.insert(temp, data)
        created.append(temp)
    return created


def run_checks(
    engine: Engine,
    ruleset: Ruleset,
    *,
    load_ids: Sequence[int] | None = None,
    previous: Mapping[str, pa.Table] | None = None,
    previous_loads: Sequence[int] | None = None,
    history_loads: Sequence[int] | None = None,
    la_code: str | None = None,
    trigger_load_id: int | None = None,
    codes: Iterable[str] | None = None,
    batch: int = BATCH,
) -> CheckResult:
    """Run every rule of ``ruleset`` on the return held by ``load_ids`` and store the findings.

    Rules reading ``prev_<table>`` run only when the previous year's return is given (``previous``:
    Arrow tables by canonical name, or ``previous_loads`` in this store); rules reading only
    ``hist_<table>`` when some earlier year is (``history_loads``: every earlier year's return in the
    store, or else the previous year's). Rules with ``requires:``
    only when those tables hold rows (e.g. the Ofsted provider register); otherwise they are not run,
    and listed with the reason in the result (``not_run``), rather than reporting every record.
    """
    ids = list(load_ids) if load_ids is not None else return_loads(engine, ruleset.return_type, ruleset.year)
    if not ids:
        raise CscperfError(
            f"no loaded {ruleset.return_type} return in the store; run `cscperf load` first or pass the files to check"
        )
    params = ruleset.params(la_code or council_code(engine))
    wanted = set(codes) if codes else None
    has_previous = previous is not None or bool(previous_loads)
    has_history = has_previous or bool(history_loads)
    runnable: list[tuple[int, Rule]] = []
    not_run: dict[str, str] = {}
    needed: set[str] = set()
    present: dict[str, bool] = {}
    for order, rule in enumerate(ruleset.rules, 1):
        if wanted is not None and rule.code not in wanted:
            continue
        prev = previous_tables(rule.definition)
        if (any(t.startswith(PREVIOUS) for t in prev) and not has_previous) or (prev and not has_history):
            not_run[rule.code] = PREVIOUS_NEEDED
            continue
        missing = [t for t in rule.requires if not _has_rows(engine, t, present)]
        if missing:
            not_run[rule.code] = needs(missing[0])
            continue
        needed |= prev
        runnable.append((order, rule))
    with engine.transaction():
        check_id = next_id(engine, "check_run", "check_id")
        engine.execute(
            "INSERT INTO check_run (check_id, load_id, checked_at, return_type, collection_year, findings) "
            "VALUES (:id, :load, :at, :ret, :year, 0)",
            {"id": check_id, "load": trigger_load_id if trigger_load_id is not None else max(ids),
             "at": utc_now(), "ret": ruleset.return_type, "year": ruleset.year},
        )
        # only the return's own tables are read as submitted; rules read any other table as it is
        sources = {t: sql for t, sql in source_tables(engine).items() if t in RETURN_TABLES[ruleset.return_type]}
        own = _materialise_sources(engine, sources, [*ids, *(previous_loads or []), *(history_loads or [])])
        temps = _create_previous(engine, needed, previous, previous_loads, history_loads, sources)
        _tune_postgres(engine, ruleset.return_type, sources, [*temps, *own])
        engine.execute(f"DROP TABLE IF EXISTS {STAGE}", portable=False)
        engine.execute(f"CREATE TEMPORARY TABLE {STAGE} ({STAGE_COLUMNS})")
        for start in range(0, len(runnable), max(1, batch)):
            _run_batch(engine, runnable[start:start + batch], ids, sources, params)
        if engine.dialect == "postgres":
            engine.execute(f"ANALYZE {STAGE}", portable=False)
        engine.execute(finish_sql(engine.dialect), {**params, "check_id": check_id}, portable=False)
        total = _count(engine, check_id)
        engine.execute("UPDATE check_run SET findings = :n WHERE check_id = :id", {"n": total, "id": check_id})
        for temp in [*temps, *own, STAGE]:
            engine.execute(f"DROP TABLE IF EXISTS {temp}")
    return CheckResult(check_id, ruleset.return_type, ruleset.year, ids, total, len(runnable), list(not_run), params,
                       not_run)


def _has_rows(engine: Engine, table: str, seen: dict[str, bool]) -> bool:
    """Whether reference data a rule requires is loaded (asked once per table per run)."""
    if table not in seen:
        seen[table] = bool(engine.execute(f"SELECT 1 FROM {table} LIMIT 1").rows())
    return seen[table]


SOURCE_TEMP = "_cscperf_src_"


def _materialise_sources(engine: Engine, sources: dict[str, str], load_ids: Sequence[int]) -> list[str]:
    """The checked loads' rows of each derived source (``child``: the UASC fold over ``child_source``)
    in a temporary table, built once; every rule then reads that table instead of re-deriving it from
    the whole store (a large council's store holds six years of every return: ~3 s a batch of 40).
    ``sources`` is updated in place; returns the temporary tables made."""
    made = []
    for name in sorted(sources):
        temp = f"{SOURCE_TEMP}{name}"
        engine.execute(f"DROP TABLE IF EXISTS {temp}")
        engine.execute(f"CREATE TEMPORARY TABLE {temp} AS {source_select(name, load_ids, sources)}")
        sources[name] = f"SELECT * FROM {temp}"
        made.append(temp)
    return made


def _tune_postgres(engine: Engine, return_type: str, sources: dict[str, str], temps: list[str]) -> None:
    """PostgreSQL plans from table statistics, which a load just written (or a temporary table) lacks
    until autovacuum comes by; without them a self-join becomes a nested loop over the whole return."""
    if engine.dialect != "postgres":
        return
    # JIT-compiling a statement of 40 rules costs seconds and saves nothing on set-based checks
    engine.execute("SET LOCAL jit = off", portable=False)
    names = sorted(set(RETURN_TABLES[return_type]) | {"allocation", "worker_team"})
    names = [("child_source" if n == "child" and "child" in sources else n) for n in names] + list(temps)
    engine.execute("ANALYZE " + ", ".join(names), portable=False)


def _count(engine: Engine, check_id: int) -> int:
    return int(engine.execute("SELECT COUNT(*) FROM finding WHERE check_id = :id", {"id": check_id}).scalar())


def _run_batch(engine: Engine, chunk: Sequence[tuple[int, Rule]], ids: Sequence[int], sources: dict[str, str],
               params: dict[str, Any]) -> None:
    try:
        engine.execute(stage_sql(chunk, ids, engine.dialect, sources), params, portable=False)
    except CscperfError:
        raise
    except Exception as exc:  # the engine's own error: name the rules of the batch (the transaction is lost)
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        names = ", ".join(rule.code for _, rule in chunk)
        raise DefinitionError(f"rules failed on {engine.dialect} ({names}): {reason}") from None


def collection_year_of(engine: Engine, load_ids: Sequence[int]) -> str | None:
    """The collection year (``2024_25``) of the loads: as the loader detected it, else from the as-at
    date (a CIN reference date of 31 March 2025 is 2024_25)."""
    ids = ", ".join(str(int(i)) for i in load_ids) or "NULL"
    found = engine.execute(f"SELECT MAX(collection_year) FROM load_file WHERE load_id IN ({ids})").scalar()
    if found:
        return str(found)
    as_at = engine.execute(f"SELECT MAX(COALESCE(as_at, period_end)) FROM load WHERE load_id IN ({ids})").scalar()
    if as_at is None:
        return None
    end = as_at.year if as_at.month <= 3 else as_at.year + 1
    return f"{end - 1}_{end % 100:02d}"


def ruleset_for(return_type: str, year: str | None) -> Ruleset | None:
    """The ruleset checking a ``return_type`` return of collection ``year`` (None: no rules for it).

    A year with no ruleset of its own (a new collection year before its rules are written, or one
    before the earliest kept) is checked with the nearest year's rules but on its OWN dates: rules
    such as "17 before the collection start" must measure from this return's 1 April, not another's."""
    from cscperf.rules.ruleset import available_years, load_ruleset

    if return_type not in RETURN_TABLES:
        return None
    years = available_years(return_type)
    if not years:
        return None
    if year in years:
        return load_ruleset(return_type, year)
    earlier = [y for y in years if year is None or y <= year]
    ruleset = load_ruleset(return_type, earlier[-1] if earlier else years[0])
    return replace(ruleset, year=year) if year is not None else ruleset


def check_load(engine: Engine, load_id: int) -> CheckResult | None:
    """Check a load that has just been made (what ``cscperf load`` calls): the ruleset of its return
    and year, with the store's earlier years of that return for the rules comparing with them, or
    ``None`` when the load is not a CIN census or SSDA903 return."""
    fmt = engine.execute("SELECT source_format FROM load WHERE load_id = :id", {"id": load_id}).scalar()
    if fmt not in RETURN_TABLES:
        return None
    year = collection_year_of(engine, [load_id])
    ruleset = ruleset_for(fmt, year)
    if ruleset is None:
        return None
    previous, history = earlier_loads(engine, fmt, year)
    return run_checks(engine, ruleset, load_ids=[load_id], previous_loads=previous, history_loads=history,
                      trigger_load_id=load_id)
