"""One child across Annex A, the CIN census and the SSDA903: ``child`` is rebuilt from ``child_source``.

Every reader's child rows land in ``child_source`` untouched. ``child`` holds, per child_id, the merge:
rows are applied oldest load first (within a load, supplementary tables such as UASC before the main
ones, then by file and row) and each later row fills or updates the fields it carries (a blank never
erases). The row applied last is the *latest writer*: its load, file and row are the provenance. When
the latest writer is a one-row-per-child table (CIN ``Child``, SSDA903 ``Header``) repeated within one
file, each repeat is kept as its own ``child`` row so the validation rules can report the duplicate.
Rebuilding from ``child_source`` (rather than merging in place) is what lets a superseded load's
contribution disappear cleanly.
"""

from __future__ import annotations

from itertools import groupby

import pyarrow as pa
import pyarrow.compute as pc

from cscperf.store.engine import Engine
from cscperf.store.rows import arrow_schema, to_arrow
from cscperf.store.schema import tables

SUPPLEMENTARY = {"UASC"}
ONE_ROW_PER_CHILD = {"Header", "Child"}
PROVENANCE = ("load_id", "source_file", "source_row")


def _order(row: dict) -> tuple:
    return (row["load_id"], 0 if row.get("source_table") in SUPPLEMENTARY else 1, row["source_file"] or "",
            row["source_row"] or 0)


def merge(rows: list[dict]) -> list[dict]:
    """The ``child`` rows for one child's ``child_source`` rows (pure, so it is tested on its own)."""
    fields = [c for c in tables()["child"].column_names if c not in PROVENANCE]
    ordered = sorted(rows, key=_order)
    last = ordered[-1]
    group_key = (last["load_id"], last["source_file"], last.get("source_table"))
    tail = [r for r in ordered if (r["load_id"], r["source_file"], r.get("source_table")) == group_key]
    head = [r for r in ordered if r not in tail] if len(tail) > 1 else ordered[:-1]
    profile: dict = {}
    for row in head:
        profile.update({f: row[f] for f in fields if row.get(f) is not None})
    if len(tail) > 1 and last.get("source_table") in ONE_ROW_PER_CHILD:
        writers = tail
    else:
        for row in tail[:-1]:
            profile.update({f: row[f] for f in fields if row.get(f) is not None})
        writers = [last]
    out = []
    for writer in writers:
        merged = dict(profile)
        merged.update({f: writer[f] for f in fields if writer.get(f) is not None})
        merged.update({p: writer[p] for p in PROVENANCE})
        out.append({c: merged.get(c) for c in tables()["child"].column_names})
    return out


def rebuild_children(engine: Engine) -> int:
    """Replace ``child`` with the merge of ``child_source``; returns the rows written."""
    return replace_children(engine, child_rows(source_rows(engine)))


def source_rows(engine: Engine) -> pa.Table:
    return engine.execute("SELECT * FROM child_source").table


def replace_children(engine: Engine, rows: list[pa.Table]) -> int:
    engine.execute("DELETE FROM child")
    return sum(engine.insert("child", data) for data in rows)


def child_rows(found: pa.Table) -> list[pa.Table]:
    """The ``child`` rows for every ``child_source`` row (Arrow only, no store: the loader computes
    them in a thread while the store runs the validation rules and the record merge).

    Most children need only "each field's last non-blank value in ``_order``, provenance of the last
    row": that is computed for all of them at once with Arrow. A child whose last row shares its
    load, file and source table with another of its rows (a repeat in one file) goes through ``merge``.
    """
    schema = arrow_schema("child_source")  # PostgreSQL's rows come untyped: an all-blank column is null-typed
    source = pa.table({n: found[n].cast(schema.field(n).type) for n in schema.names}, schema=schema)
    columns = tables()["child"].column_names
    if source.num_rows == 0:
        return []
    fields = [c for c in columns if c not in PROVENANCE]
    rank = pa.table({
        "child_id": source["child_id"], "load_id": source["load_id"],
        "_supp": pc.if_else(pc.fill_null(pc.is_in(source["source_table"], pa.array(sorted(SUPPLEMENTARY))), False), 0, 1),
        "_file": pc.fill_null(source["source_file"], ""), "_row": pc.fill_null(source["source_row"], 0),
        "_i": pa.array(range(source.num_rows), pa.int64()),
    }).sort_by([("child_id", "ascending"), ("load_id", "ascending"), ("_supp", "ascending"), ("_file", "ascending"),
                ("_row", "ascending"), ("_i", "ascending")])
    ordered = source.take(rank["_i"])
    # the last row's (load, file, source table), compared null-safely with every row of its child
    group = pa.table({"child_id": ordered["child_id"], "load_id": ordered["load_id"],
                      "_file": pc.fill_null(ordered["source_file"], NULL_TEXT),
                      "_table": pc.fill_null(ordered["source_table"], NULL_TEXT)})
    last = group.group_by(["child_id"], use_threads=False).aggregate(
        [(c, "last", pc.ScalarAggregateOptions(skip_nulls=False)) for c in ("load_id", "_file", "_table")])
    joined = group.join(last, "child_id", use_threads=False)
    same = pc.and_(pc.and_(pc.equal(joined["load_id"], joined["load_id_last"]), pc.equal(joined["_file"], joined["_file_last"])),
                   pc.equal(joined["_table"], joined["_table_last"]))
    counts = pa.table({"child_id": joined["child_id"], "_same": pc.cast(same, pa.int64())}).group_by(
        ["child_id"]).aggregate([("_same", "sum")])
    repeated = pc.filter(counts["child_id"], pc.greater(counts["_same_sum"], 1))
    is_repeated = pc.is_in(ordered["child_id"], repeated)
    simple = ordered.filter(pc.invert(is_repeated))
    merged = simple.group_by(["child_id"], use_threads=False).aggregate(
        [(c, "last", pc.ScalarAggregateOptions(skip_nulls=True)) for c in fields if c != "child_id"]
        + [(c, "last", pc.ScalarAggregateOptions(skip_nulls=False)) for c in PROVENANCE])
    merged = merged.rename_columns([n[:-5] if n.endswith("_last") else n for n in merged.column_names])
    out = [merged.select(list(columns)).cast(arrow_schema("child"))]
    if len(repeated):
        rest = ordered.filter(is_repeated).to_pylist()
        rows = []
        for _, group_rows in groupby(rest, key=lambda r: r["child_id"]):
            rows += merge(list(group_rows))
        out.append(to_arrow("child", rows))
    return out


NULL_TEXT = "\x00"  # stands for a missing file or source table when comparing rows (never in real text)
