"""Helpers for reader tests: collect a reader's output, and load it into a store like the loader does."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from cscperf.ingest.base import Issue, Record
from cscperf.store.engine import Engine
from cscperf.store.loads import LoadOutcome, run_load
from cscperf.store.rows import to_arrow


def read(reader: Any, path: Path) -> tuple[dict[str, list[dict]], list[Issue]]:
    """Records by table (values plus provenance) and the issues, from detect + read."""
    detection = reader.detect(path)
    assert detection is not None and detection.format == reader.format, f"{path.name} not detected"
    records: dict[str, list[dict]] = defaultdict(list)
    issues: list[Issue] = []
    for item in reader.read(path, detection):
        if isinstance(item, Record):
            records[item.table].append({**item.values, "source_file": item.source_file, "source_row": item.source_row})
        else:
            issues.append(item)
    return dict(records), issues


def load(engine: Engine, reader: Any, paths: list[Path]) -> list[Issue]:
    """Read every file and insert all records in one load (one transaction)."""
    collected: dict[str, list[dict]] = defaultdict(list)
    issues: list[Issue] = []
    for path in paths:
        records, found = read(reader, path)
        issues += found
        for table, rows in records.items():
            collected[table] += rows

    def work(load_id: int) -> LoadOutcome:
        for table, rows in collected.items():
            engine.insert(table, to_arrow(table, rows, defaults={"load_id": load_id}))
        return LoadOutcome(rows_read=sum(map(len, collected.values())))

    run_load(engine, reader.format, work)
    return issues


def fetch(engine: Engine, table: str, fields: list[str], order: list[str]) -> list[dict]:
    """Rows of a canonical table, only ``fields``, in a stable order."""
    return project(engine.execute(f"SELECT {', '.join(fields)} FROM {table}").dicts(), fields, order)


def project(rows: list[dict], fields: list[str], order: list[str]) -> list[dict]:
    """The same projection and order applied to fixture rows."""
    picked = [{f: r.get(f) for f in fields} for r in rows]
    return sorted(picked, key=lambda r: tuple((r[k] is None, r[k] if r[k] is not None else "") for k in order))
