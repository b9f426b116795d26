"""Scoping a rule's SQL to the rows of one return, without touching the rule text.

Rules are written against the canonical tables as if they held only the return being checked. The
runner parses each rule with SQLGlot and prepends CTEs named like the tables it reads, e.g.
``referral AS (SELECT * FROM referral WHERE load_id IN (7))``, merged in front of any WITH the rule
already has. A non-recursive CTE cannot see itself, so the inner ``referral`` is the real table: this
holds on DuckDB and PostgreSQL (tests/rules/test_scope.py runs it on both). The CTEs are NOT
MATERIALIZED: PostgreSQL would otherwise materialise one read twice and plan over it blind (no
statistics), turning self-joins into nested loops.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import sqlglot
from sqlglot import exp

from cscperf.core.errors import DefinitionError
from cscperf.store.portable import SOURCE_DIALECT

# The argument holding a statement's WITH clause ("with_" in recent SQLGlot, "with" before).
WITH_ARG = "with_" if "with_" in exp.Select.arg_types else "with"

# The canonical tables each return writes (MAPPING.md); only these are narrowed to the return's loads.
RETURN_TABLES: dict[str, frozenset[str]] = {
    "cin": frozenset({"child", "referral", "assessment", "s47_enquiry", "icpc", "cin_plan", "cp_plan", "cp_review"}),
    "903": frozenset({
        "child", "cla_episode", "cla_review", "missing_episode", "care_leaver", "cla_outcome", "adoption",
        "placed_for_adoption", "previous_permanence", "social_worker_episode", "deprivation_of_liberty",
    }),
}


def source_tables(engine) -> dict[str, str]:
    """Where a return's own rows of a table live, when not in the table itself.

    ``child`` is one merged row per child across every return (the ingest stage rebuilds it from
    ``child_source``, which keeps each load's own child rows); a return is checked on its own rows.
    A record table whose ``submitted_<table>`` twin holds rows (a later load's copies were merged
    with some of the return's: ingest/recordmerge.py) is read as submitted: the twin's rows, and the
    table's rows of the same load whose key the twin does not hold.
    """
    from cscperf.store.schema import tables as schema

    present = engine.table_columns()
    found: dict[str, str] = {}
    for table in schema().values():
        twin = table.submitted
        if twin in present and engine.execute(f"SELECT 1 FROM {twin} LIMIT 1").rows():
            cols = ", ".join(table.column_names)
            same = " AND ".join(f"s.{k} = t.{k}" for k in ("load_id", *table.merge_key))
            found[table.name] = (
                f"SELECT * FROM (SELECT {', '.join(f't.{c}' for c in table.column_names)} FROM {table.name} t "
                f"WHERE NOT EXISTS (SELECT 1 FROM {twin} s WHERE {same}) "
                f"UNION ALL SELECT {cols} FROM {twin}) AS {table.name}_rows")
    if "child_source" in present:
        names = schema()["child"].column_names
        # An SSDA903 UASC row is the same child as its Header row in that load (the 903 splits one
        # child over the two tables): it folds into the Header row, so a UASC child is one row, not a
        # second Header (INT32) with blank SEX, DOB and ethnicity (101-103). A UASC row without a
        # Header row in its load stays a row of its own.
        main = "COALESCE(h.source_table, '') <> 'UASC'"
        same = "u.load_id = h.load_id AND u.child_id = h.child_id AND u.source_table = 'UASC'"
        folded = ", ".join(
            f"CASE WHEN EXISTS (SELECT 1 FROM child_source u WHERE {same}) THEN TRUE ELSE h.uasc END AS uasc"
            if c == "uasc" else
            f"COALESCE(h.uasc_ceased_date, (SELECT MAX(u.uasc_ceased_date) FROM child_source u WHERE {same})) "
            "AS uasc_ceased_date" if c == "uasc_ceased_date" else f"h.{c}"
            for c in names)
        alone = ", ".join(f"h.{c}" for c in names)
        return {**found, "child": (
            f"SELECT * FROM (SELECT {folded} FROM child_source h WHERE {main} "
            f"UNION ALL SELECT {alone} FROM child_source h WHERE h.source_table = 'UASC' AND NOT EXISTS "
            f"(SELECT 1 FROM child_source m WHERE m.load_id = h.load_id AND m.child_id = h.child_id "
            f"AND COALESCE(m.source_table, '') <> 'UASC')) AS child_rows"
        )}
    return found


def source_select(table: str, load_ids: Iterable[int], sources: dict[str, str] | None = None) -> str:
    """The rows of ``table`` that ``load_ids`` wrote (portable SQL)."""
    ids = sorted({int(i) for i in load_ids})
    id_list = ", ".join(str(i) for i in ids) if ids else "NULL"
    body = (sources or {}).get(table, f"SELECT * FROM {table}")
    return f"{body} WHERE load_id IN ({id_list})"


@lru_cache(maxsize=2048)
def _parsed(sql: str) -> exp.Expression:
    try:
        return sqlglot.parse_one(sql, read=SOURCE_DIALECT)
    except sqlglot.errors.ParseError as exc:
        raise DefinitionError(f"rule SQL does not parse: {str(exc).splitlines()[0]}") from None


def tables_read(sql: str) -> set[str]:
    """Base tables a query reads (CTE names it defines itself are not tables)."""
    tree = _parsed(sql)
    ctes = {cte.alias_or_name for cte in tree.find_all(exp.CTE)}
    return {t.name for t in tree.find_all(exp.Table) if not t.args.get("db") and t.name not in ctes}


def scope(sql: str, tables: Iterable[str], load_ids: Iterable[int], sources: dict[str, str] | None = None) -> exp.Expression:
    """The rule's query with ``tables`` narrowed to ``load_ids`` (a new tree; the cached one is untouched)."""
    tree = _parsed(sql).copy()
    wanted = sorted(set(tables) & tables_read(sql))
    if not wanted:
        return tree
    existing = tree.args.get(WITH_ARG)
    if existing is not None and existing.args.get("recursive"):
        raise DefinitionError("a rule with WITH RECURSIVE cannot be scoped to a return")
    ctes = [
        exp.CTE(
            this=sqlglot.parse_one(source_select(name, load_ids, sources), read=SOURCE_DIALECT),
            alias=exp.TableAlias(this=exp.to_identifier(name)),
            materialized=False,
        )
        for name in wanted
    ]
    merged = exp.With(expressions=[*ctes, *(existing.expressions if existing is not None else [])])
    tree.set(WITH_ARG, merged)
    return tree


def scoped_sql(sql: str, tables: Iterable[str], load_ids: Iterable[int], dialect: str = SOURCE_DIALECT,
               sources: dict[str, str] | None = None) -> str:
    return scope(sql, tables, load_ids, sources).sql(dialect=dialect)
