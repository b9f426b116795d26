"""One record, several loads: merging the copies of a record that different loads carry.

An episode open across 31 March is in two years' returns; a referral is in the CIN census and in
Annex A. Left alone, each copy would be counted. After a load, for every canonical record table,
copies with the same merge key (schema ``merge_key``) from *different* loads become one row: a
statutory return's copy (CIN census, SSDA903) beats an extract's (Annex A, case management) — it
is what DfE validates and publishes, and the rules check it whole — and between two of a kind the
latest as-at date (then the higher load number) wins. The winner keeps its provenance; its empty
fields are filled from the other copies, best first, so nothing a source knew is dropped. Copies within one load are left alone: they are duplicates in a file, which the
validation rules must see.

A return's rows a merge changes or removes are first kept as sent in the table's
``submitted_<table>`` twin (once: the first merge that touches a row sees it as sent), so the
validation rules can still check a return, or compare it with the next year's, as submitted.
"""

from __future__ import annotations

from concurrent.futures import Executor, Future
from datetime import date

import pyarrow as pa
import pyarrow.compute as pc

from cscperf.store.engine import Engine
from cscperf.store.rows import arrow_schema
from cscperf.store.schema import Table, tables

PROVENANCE = ("load_id", "source_file", "source_row")
RETURNS = ("cin", "903")
SKIP = {"child", "child_source"}  # children merge through child_source (childmerge.py)


def mergeable_tables() -> list[Table]:
    return [t for t in tables().values() if t.provenance and t.name not in SKIP and t.merge_key]


def merge_records(engine: Engine, pool: Executor | None = None) -> dict[str, int]:
    """Merge cross-load copies in every record table; returns rows removed per table.

    With ``pool`` (a thread), a table's copies are merged in Arrow (which releases the GIL) while the
    store fetches the next table's: the store's work and Arrow's overlap on two cores."""
    removed: dict[str, int] = {}
    pending: tuple[Table, pa.Table, Future] | None = None
    for table in mergeable_tables():
        found = _copies(engine, table)
        if pending is not None:
            _replace(engine, *pending, removed)
            pending = None
        if found.num_rows:
            future: Future = Future()
            if pool is not None:
                future = pool.submit(merge_copies, found, table)
            else:
                future.set_result(merge_copies(found, table))
            pending = (table, found, future)
    if pending is not None:
        _replace(engine, *pending, removed)
    return removed


def _shared(table: Table) -> str:
    """The merge keys held by more than one load."""
    keys = list(table.merge_key)
    present = " AND ".join(f"x.{k} IS NOT NULL" for k in keys)
    return (
        f"SELECT {', '.join(f'x.{k}' for k in keys)} FROM {table.name} x WHERE {present} "
        f"GROUP BY {', '.join(f'x.{k}' for k in keys)} HAVING COUNT(DISTINCT x.load_id) > 1"
    )


def _copies(engine: Engine, table: Table) -> pa.Table:
    """Every copy of each record held by more than one load, with its load's as-at and format."""
    on = " AND ".join(f"d.{k} = t.{k}" for k in table.merge_key)
    return engine.execute(
        f"SELECT t.*, l.as_at AS merge_as_at, l.source_format AS merge_format FROM {table.name} t "
        f"JOIN load l ON l.load_id = t.load_id "
        f"JOIN ({_shared(table)}) d ON {on}"
    ).table


def _replace(engine: Engine, table: Table, found: pa.Table, merged: Future, removed: dict[str, int]) -> None:
    """The copies out (a return's rows kept as sent first), their merge in (computed with Arrow: no
    Python per row)."""
    rows = merged.result()
    _keep_submitted(engine, table, found, rows)
    engine.execute(
        f"DELETE FROM {table.name} WHERE EXISTS (SELECT 1 FROM ({_shared(table)}) d WHERE "
        + " AND ".join(f"d.{k} = {table.name}.{k}" for k in table.merge_key) + ")"
    )
    engine.insert(table.name, rows)
    if found.num_rows > rows.num_rows:
        removed[table.name] = found.num_rows - rows.num_rows


def _keep_submitted(engine: Engine, table: Table, found: pa.Table, merged: pa.Table) -> None:
    """Copy into the table's twin the return rows among ``found`` that the merge removes (a losing
    copy) or changes (a winner filled in); a winner left as it was stays readable in the table. A row
    of a load and key the twin holds already is skipped: an earlier merge kept it as sent, and what
    the table holds now may be filled in."""
    if table.submitted is None:
        return
    schema = arrow_schema(table)
    names = list(table.column_names)
    rows = found.filter(pc.is_in(found["merge_format"], pa.array(RETURNS)))
    if rows.num_rows == 0:
        return
    rows = pa.table({c: rows[c].cast(schema.field(c).type) for c in names}, schema=schema)
    where = ["load_id", "source_file", "source_row"]  # one row of one load
    after = merged.rename_columns([c if c in where else f"{c}__after" for c in merged.column_names])
    paired = rows.join(after, where, join_type="left outer", use_threads=False)
    same = pc.is_valid(paired[f"{table.merge_key[0]}__after"])
    for c in names:
        if c not in where:
            a, b = paired[c], paired[f"{c}__after"]
            same = pc.and_(same, pc.fill_null(pc.or_kleene(pc.equal(a, b), pc.and_(pc.is_null(a), pc.is_null(b))), False))
    keys = ["load_id", *table.merge_key]
    changed = paired.filter(pc.invert(same)).select(keys)
    if changed.num_rows == 0:
        return
    # every row of a load and key goes together: the twin stands for all of them once it holds one
    rows = rows.join(changed.group_by(keys, use_threads=False).aggregate([]), keys, join_type="left semi",
                     use_threads=False)
    loads = ", ".join(str(int(i)) for i in pc.unique(rows["load_id"]).to_pylist())
    kept = engine.execute(f"SELECT DISTINCT {', '.join(keys)} FROM {table.submitted} WHERE load_id IN ({loads})").table
    if kept.num_rows:
        kept = pa.table({k: kept[k].cast(schema.field(k).type) for k in keys})
        rows = rows.join(kept, keys, join_type="left anti", use_threads=False)
    if rows.num_rows:
        engine.insert(table.submitted, rows.select(names))


def merge_copies(found: pa.Table, table: Table) -> pa.Table:
    """The merged rows for ``found`` (every copy of each shared key, with its load's ``merge_as_at``
    and ``merge_format``): per key, the best load's rows, each empty field filled from the other
    loads' copies, best first. Best: a return over an extract, then the latest as-at, then the higher
    load number (ties within a load: file, then row, for a stable answer)."""
    keys = list(table.merge_key)
    schema = arrow_schema(table)
    columns = {c: found[c].cast(schema.field(c).type) for c in table.column_names}
    ranked = pa.table({
        **columns,
        "_return": pc.is_in(found["merge_format"], pa.array(RETURNS)),
        "_as_at": pc.fill_null(found["merge_as_at"].cast(pa.date32()), pa.scalar(date.min, pa.date32())),
    }).sort_by([*((k, "ascending") for k in keys), ("_return", "descending"), ("_as_at", "descending"),
                ("load_id", "descending"), ("source_file", "ascending"), ("source_row", "ascending")])
    best = ranked.group_by(keys, use_threads=False).aggregate([("load_id", "first")])
    ranked = ranked.join(best, keys, join_type="inner", use_threads=False)
    is_winner = pc.equal(ranked["load_id"], ranked["load_id_first"])
    winners = ranked.filter(is_winner).select(list(table.column_names))
    losers = ranked.filter(pc.invert(is_winner))
    fillable = [c for c in table.column_names if c not in PROVENANCE and c not in keys]
    if losers.num_rows and fillable:
        # losers keep their rank order through filter; "first" skips nulls, so each column takes the
        # best loser's value that is there
        fills = losers.sort_by([*((k, "ascending") for k in keys), ("_return", "descending"), ("_as_at", "descending"),
                                ("load_id", "descending"), ("source_file", "ascending"), ("source_row", "ascending")])
        fills = fills.group_by(keys, use_threads=False).aggregate(
            [(c, "first", pc.ScalarAggregateOptions(skip_nulls=True)) for c in fillable])
        fills = fills.rename_columns([f"{n[:-6]}_fill" if n[:-6] in fillable and n.endswith("_first") else n
                                      for n in fills.column_names])
        joined = winners.join(fills, keys, join_type="left outer", use_threads=False)
        winners = pa.table({c: pc.coalesce(joined[c], joined[f"{c}_fill"]) if c in fillable else joined[c]
                            for c in table.column_names}, schema=schema)
    return winners
