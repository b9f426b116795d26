"""One record, several loads: merging the copies of a record that different loads carry.

An episode open across 31 March is in two years' returns; a referral is in the CIN census and in
Annex A. Left alone, each copy would be counted. After a load, for every canonical record table,
copies with the same merge key (schema ``merge_key``) from *different* loads become one row: a
statutory return's copy (CIN census, SSDA903) beats an extract's (Annex A, case management) — it
is what DfE validates and publishes, and the rules check it whole — and between two of a kind the
latest as-at date (then the higher load number) wins. The winner keeps its provenance; its empty
fields are filled from the other copies, best first, so nothing a source knew is dropped. Copies within one load are left alone: they are duplicates in a file, which the
validation rules must see.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from cscperf.store.engine import Engine
from cscperf.store.rows import to_arrow
from cscperf.store.schema import Table, tables

PROVENANCE = ("load_id", "source_file", "source_row")
RETURNS = ("cin", "903")
SKIP = {"child", "child_source"}  # children merge through child_source (childmerge.py)


def mergeable_tables() -> list[Table]:
    return [t for t in tables().values() if t.provenance and t.name not in SKIP and t.merge_key]


def merge_records(engine: Engine) -> dict[str, int]:
    """Merge cross-load copies in every record table; returns rows removed per table."""
    removed = {}
    for table in mergeable_tables():
        count = _merge_table(engine, table)
        if count:
            removed[table.name] = count
    return removed


def _merge_table(engine: Engine, table: Table) -> int:
    keys = table.merge_key
    present = " AND ".join(f"x.{k} IS NOT NULL" for k in keys)
    shared = (
        f"SELECT {', '.join(f'x.{k}' for k in keys)} FROM {table.name} x WHERE {present} "
        f"GROUP BY {', '.join(f'x.{k}' for k in keys)} HAVING COUNT(DISTINCT x.load_id) > 1"
    )
    on = " AND ".join(f"d.{k} = t.{k}" for k in keys)
    rows = engine.execute(
        f"SELECT t.*, l.as_at AS merge_as_at, l.source_format AS merge_format FROM {table.name} t "
        f"JOIN load l ON l.load_id = t.load_id "
        f"JOIN ({shared}) d ON {on}"
    ).dicts()
    if not rows:
        return 0
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for row in rows:
        groups[tuple(row[k] for k in keys)].append(row)
    merged = []
    for copies in groups.values():
        order = sorted(copies, key=lambda r: (r["merge_format"] in RETURNS, r["merge_as_at"] or date.min, r["load_id"]),
                       reverse=True)
        winner_load = order[0]["load_id"]
        losers = [r for r in order if r["load_id"] != winner_load]
        for row in (r for r in order if r["load_id"] == winner_load):
            out = {c: row[c] for c in table.column_names}
            for column in table.column_names:
                if out[column] is None and column not in PROVENANCE:
                    out[column] = next((r[column] for r in losers if r[column] is not None), None)
            merged.append(out)
    engine.execute(
        f"DELETE FROM {table.name} WHERE EXISTS (SELECT 1 FROM ({shared}) d WHERE "
        + " AND ".join(f"d.{k} = {table.name}.{k}" for k in keys) + ")"
    )
    engine.insert(table.name, to_arrow(table.name, merged))
    return len(rows) - len(merged)
