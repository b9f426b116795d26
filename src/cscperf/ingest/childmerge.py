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

from cscperf.store.engine import Engine
from cscperf.store.rows import to_arrow
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
    source = engine.execute("SELECT * FROM child_source ORDER BY child_id").dicts()
    merged = []
    for _, rows in groupby(source, key=lambda r: r["child_id"]):
        merged += merge(list(rows))
    engine.execute("DELETE FROM child")
    if merged:
        engine.insert("child", to_arrow("child", merged))
    return len(merged)
