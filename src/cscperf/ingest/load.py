"""The loader: read the files (side by side), writing each extract as its files are read, all in one
transaction.

Semantics (docs/ingest.md):
- an *extract* is the files of one format and one collection year; each becomes one load;
- the same bytes loaded again change nothing (an extract whose every file is already loaded is skipped);
- a newer extract of the same format and year supersedes the older: the older load's rows leave the
  canonical tables, its registry row becomes ``superseded`` with ``superseded_by``;
- copies of one record from different loads are merged (recordmerge.py: newest as-at wins, gaps filled);
- ``child`` is rebuilt from ``child_source`` after each load, merging the same child across sources;
- any ``CscperfError`` rolls the whole command back, then the attempt is recorded as ``failed``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from cscperf.core.errors import CscperfError, InputError, Location
from cscperf.ingest.base import Batch, Detection, Issue, Reader, Record, records_of
from cscperf.ingest.columns import batches_of_records, target
from cscperf.ingest.childmerge import ONE_ROW_PER_CHILD, child_rows, replace_children, source_rows
from cscperf.ingest.formats import READERS, reader_for
from cscperf.ingest.parallel import read_files_as_completed
from cscperf.ingest.recordmerge import merge_records
from cscperf.ingest.schedule import Key, Schedule, key_order
from cscperf.store.engine import Engine
from cscperf.store.loads import LoadOutcome, record_failed_load, run_load
from cscperf.store.migrate import current_user, utc_now
from cscperf.store.rows import to_arrow
from cscperf.store.schema import canonical_tables, tables

Progress = Callable[[str, int, int, int], None]  # (current file, rows read in it, files done, files in all)


@dataclass
class FileResult:
    path: Path
    source_file: str
    sha256: str
    detection: Detection | None = None
    batches: list[Batch] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    skipped: str | None = None  # why the file was not loaded (already loaded, not recognised)
    load_id: int | None = None
    inserted: bool = False  # its rows are in the store already (written before the rest of its extract was read)

    @property
    def rows_rejected(self) -> int:
        return sum(1 for i in self.issues if i.severity == "rejected")

    @property
    def records(self) -> list[Record]:
        """The rows one at a time (built from the batches on demand: for tests and small files)."""
        return [r for r in records_of(self.batches) if isinstance(r, Record)]

    @property
    def rows_loaded(self) -> int:
        return sum(len(b) for b in self.batches)

    @property
    def rows_read(self) -> int:
        return self.rows_loaded + self.rows_rejected

    @property
    def warnings(self) -> int:
        return sum(1 for i in self.issues if i.severity == "warning")


@dataclass
class LoadReport:
    files: list[FileResult]
    load_ids: list[int] = field(default_factory=list)
    superseded: list[tuple[int, int]] = field(default_factory=list)  # (older load, by load)
    merged: dict[str, int] = field(default_factory=dict)  # copies of one record from other loads, merged away

    @property
    def issues(self) -> list[Issue]:
        return [i for f in self.files for i in f.issues]

    @property
    def nothing_new(self) -> bool:
        return not self.load_ids


def expand(paths: Iterable[Path]) -> list[tuple[Path, bool]]:
    """Files to load, each with whether the user named it (True) or it was found in a folder."""
    found: dict[Path, tuple[Path, bool]] = {}
    for path in paths:
        if path.is_dir():
            for p in sorted(path.rglob("*")):
                if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts):
                    found.setdefault(p.resolve(), (p, False))
        elif path.is_file():
            found[path.resolve()] = (path, True)  # named explicitly: unrecognised is an error
        else:
            raise CscperfError(f"{path}: no such file or folder")
    return list(found.values())


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def detect(path: Path, forced: str | None) -> tuple[Reader, Detection] | None:
    if forced:
        reader = reader_for(forced)
        return reader, (reader.detect(path) or Detection(forced))
    for reader in READERS:
        detection = reader.detect(path)
        if detection is not None:
            return reader, detection
    return None


def read_file(path: Path, explicit: bool, forced: str | None, progress: Progress | None, done: int,
              total: int = 0) -> FileResult:
    name = str(path)
    result = FileResult(path, name, sha256(path))
    if path.stat().st_size == 0:
        raise InputError(Location(name, None, None), "the file is empty")
    try:
        found = detect(path, forced)
    except OSError as exc:
        raise CscperfError(f"{name}: cannot be read ({exc.strerror})") from None
    if found is None:
        if explicit:
            raise InputError(Location(name), "not a file cscperf recognises (use --format to say what it is)")
        result.skipped = "not a recognised format"
        return result
    reader, result.detection = found
    try:
        read_batches = getattr(reader, "read_batches", None)
        if read_batches is not None:
            for item in read_batches(path, result.detection):
                if isinstance(item, Batch):
                    result.batches.append(item)
                    if progress:
                        progress(name, result.rows_loaded, done, total)
                else:
                    result.issues.append(item)
        else:
            records = []
            for item in reader.read(path, result.detection):
                if isinstance(item, Record):
                    records.append(item)
                    if progress and len(records) % 2000 == 0:
                        progress(name, len(records), done, total)
                else:
                    result.issues.append(item)
            result.batches = batches_of_records(records)
    except OSError as exc:
        raise CscperfError(f"{name}: cannot be read ({exc.strerror})") from None
    result.issues += duplicate_warnings(result.batches)
    return result


def duplicate_warnings(batches: list[Batch]) -> list[Issue]:
    """Rows of one file sharing a logical key: all kept (the rules report them), each reported.

    Counted per table with Arrow (no Python per row); only a table with a repeated key is walked to
    name each repeat and the row it repeats."""
    specs = tables()
    issues = []
    for batch in batches:
        data = batch.data
        if batch.table == "child":
            if "source_table" not in data.column_names:
                continue
            data = data.filter(pc.is_in(data["source_table"], pa.array(sorted(ONE_ROW_PER_CHILD))))
        if data.num_rows < 2:
            continue
        key_cols = specs[batch.table].key
        present = [k for k in key_cols if k in data.column_names]
        if "source_table" in data.column_names:
            present.append("source_table")
        if present:  # with every key column absent, all (two or more) rows share the key (None, ...)
            grouped = data.select(present).group_by(present, use_threads=False).aggregate([([], "count_all")])
            if grouped.num_rows == data.num_rows:
                continue
        first: dict[tuple, int | None] = {}
        columns = [data[k].to_pylist() if k in data.column_names else [None] * data.num_rows for k in key_cols]
        tables_ = data["source_table"].to_pylist() if "source_table" in data.column_names else [None] * data.num_rows
        rows = data["source_row"].to_pylist()
        files = data["source_file"].to_pylist()
        for i, key in enumerate(zip(tables_, *columns)):
            if key in first:
                issues.append(Issue("warning", files[i], rows[i], ", ".join(key_cols), None,
                                    f"duplicate {batch.table} record (same {', '.join(key_cols)} as row {first[key]}): kept"))
            else:
                first[key] = rows[i]
    issues.sort(key=lambda i: i.source_row or 0)
    return issues


def _period(detection: Detection) -> tuple[date | None, date | None]:
    year = detection.collection_year
    if year and len(year) >= 4 and year[:4].isdigit():
        start = int(year[:4])
        return date(start, 4, 1), date(start + 1, 3, 31)
    return None, None


def _latest_date(members: list[FileResult]) -> date | None:
    """For extracts that carry no as-at date (Annex A, HR, survey): the latest date in their records,
    which is when the extract was run at the earliest. ``--as-at`` overrides."""
    latest = None
    for member in members:
        for batch in member.batches:
            for column in batch.data.columns:
                if pa.types.is_date(column.type):
                    value = pc.max(column).as_py()
                    if value is not None and (latest is None or value > latest):
                        latest = value
    return latest


def load_paths(
    engine: Engine | Callable[[], Engine],
    paths: Iterable[Path],
    *,
    format: str | None = None,
    as_at: date | None = None,
    progress: Progress | None = None,
    before_merge: Callable[[Engine, list[int]], None] | None = None,
    while_reading: Callable[[list[Key]], None] | None = None,
    workers: int | None = None,
) -> LoadReport:
    """Read and write in one transaction; raise ``CscperfError`` (store unchanged) on any bad input.

    Each extract is written as soon as its last file is read, while other files are still being read
    (schedule.py gives it, in advance, the load number it gets when written in order), so the parent
    process works while the readers do. ``before_merge(engine, load_ids)`` runs inside the transaction
    once every new load is written and before copies of their records are merged with other loads'
    (recordmerge.py): the moment each load's rows are exactly its files' rows, which is when the
    validation rules must see them. ``while_reading(extracts)`` runs once in this process while files
    are still being read, with the (format, year) of each extract found: for work that needs no rows
    (loading the rulesets ``before_merge`` will run), done while this process would wait.
    ``workers``: processes reading files (parallel.py; default: one per core for a big load).
    ``engine`` may be a function opening the store: it is then called once the readers have started
    (opening and migrating a new store takes a few tenths of a second the readers need not wait for).
    """
    started = utc_now()
    label = format or "auto"
    paths = list(paths)
    store = engine if isinstance(engine, Engine) else None
    try:
        files = expand(paths)
        with ExitStack() as stack:
            results: list[FileResult | None] = [None] * len(files)
            schedule: Schedule | None = None
            written: dict[Key, int] = {}
            superseded: dict[Key, list[tuple[int, int]]] = {}

            def write(key: Key, load_id: int) -> None:
                members = [results[i] for i in schedule.members(key)]
                written[key] = _write_extract(store, key[0], key[1], members, as_at, load_id)
                superseded[key] = _supersede(store, key[0], key[1])

            def begin() -> Schedule:
                nonlocal store
                store = store or engine()
                stack.enter_context(store.transaction())
                return Schedule(store, files, format, detect)

            for index, result in read_files_as_completed(files, read_file, format, progress, workers):
                results[index] = result
                if schedule is None:  # planned once the readers are busy, not before they start
                    schedule = begin()
                    if while_reading is not None:
                        while_reading(list(schedule.order))
                ready = schedule.arrived(index, result)
                key = schedule.keys[index]
                if not ready and key is not None and len(schedule.members(key)) > 1 \
                        and getattr(reader_for(key[0]), "combine", None) is None:
                    early = schedule.claim(index)  # a file of an extract whose other files are still being read
                    if early is not None:
                        _insert_rows(store, result, early)
                for key, load_id in ready:
                    write(key, load_id)
            if progress:
                progress("", 0, len(files), len(files))
            report = LoadReport(results)
            if all(r.detection is None for r in results):
                where = ", ".join(str(p) for p in paths)
                raise CscperfError(f"{where}: no file cscperf recognises (nothing loaded)")
            for key, load_id in schedule.remaining(results, written):
                write(key, load_id)
            report.load_ids = sorted(written.values())
            report.superseded = [pair for key in sorted(superseded, key=key_order) for pair in superseded[key]]
            if written:
                report.merged = _merge(store, report.load_ids, before_merge)
    except CscperfError as exc:
        if store is None:
            try:
                store = engine()
            except CscperfError:
                raise exc from None
        record_failed_load(store, label, started, current_user(), str(exc))
        raise
    return report


def _merge(engine: Engine, load_ids: list[int], before_merge: Callable[[Engine, list[int]], None] | None) -> dict[str, int]:
    """After the writes: the rules (``before_merge``), the cross-load record merge, the child fold.

    The store runs one statement at a time on one core; the Arrow work (the child fold, each table's
    merge of copies) runs on a thread beside it. ``child_source`` is final once written (the rules
    and the record merge never change it), so the fold starts first and overlaps both."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        children = pool.submit(child_rows, source_rows(engine))
        if before_merge is not None:
            before_merge(engine, load_ids)
        merged = merge_records(engine, pool)
        replace_children(engine, children.result())
    return merged


def _write_extract(engine: Engine, fmt: str, year: str | None, members: list[FileResult], as_at: date | None,
                   load_id: int | None = None) -> int:
    detection = members[0].detection
    own_period = getattr(reader_for(fmt), "period", None)
    period_start, period_end = own_period(detection) if own_period else _period(detection)
    found_as_at = as_at
    if found_as_at is None:
        for member in members:
            reader = reader_for(fmt)
            own = getattr(reader, "as_at", None)
            found = own(member.path) if own else None
            if found and (found_as_at is None or found > found_as_at):
                found_as_at = found
    found_as_at = found_as_at or period_end or _latest_date(members)

    def work(load_id: int) -> LoadOutcome:
        for member in members:
            member.load_id = load_id
        combine = getattr(reader_for(fmt), "combine", None)  # files describing the same records (Annex A CSVs)
        if combine is not None and len(members) > 1:  # one file's reader has already merged its own copies
            records = [r for m in members for r in records_of(m.batches) if isinstance(r, Record)]
            written = batches_of_records(combine(records))
        else:
            written = [batch for member in members if not member.inserted for batch in member.batches]
        _insert_batches(engine, written, load_id)
        engine.insert("load_file", to_arrow("load_file", [
            {"load_id": load_id, "source_file": m.source_file, "sha256": m.sha256, "source_format": fmt,
             "collection_year": year, "rows_read": m.rows_read, "rows_loaded": m.rows_loaded,
             "rows_rejected": m.rows_rejected} for m in members]))
        issues = [i for m in members for i in m.issues]
        if issues:
            engine.insert("load_issue", to_arrow("load_issue", [
                {"load_id": load_id, "issue_no": n, "severity": i.severity, "source_file": i.source_file,
                 "source_row": i.source_row, "field": i.field, "value": i.value, "reason": i.reason}
                for n, i in enumerate(issues, start=1)]))
        read = sum(m.rows_read for m in members)
        loaded = sum(m.rows_loaded for m in members)
        rejected = sum(m.rows_rejected for m in members)
        return LoadOutcome(
            rows_read=read, rows_loaded=loaded, rows_rejected=rejected, as_at=found_as_at,
            period_start=period_start, period_end=period_end,
            message=f"{fmt} {year or 'undated'}: {len(members)} file(s), {loaded} rows loaded, {rejected} rejected, "
                    f"{len(issues) - sum(1 for i in issues if i.severity == 'rejected')} warnings",
        )

    written, _ = run_load(engine, fmt, work, record_failure=False, load_id=load_id)
    return written


def _insert_rows(engine: Engine, member: FileResult, load_id: int) -> None:
    _insert_batches(engine, member.batches, load_id)
    member.inserted = True


def _insert_batches(engine: Engine, batches: list[Batch], load_id: int) -> None:
    for batch in batches:
        data = batch.data
        data = data.append_column("load_id", pa.repeat(pa.scalar(load_id, pa.int64()), data.num_rows))
        engine.insert(target(batch.table), data)


def _supersede(engine: Engine, fmt: str, year: str | None) -> list[tuple[int, int]]:
    """Among live loads of this format and year, the newest extract (as-at, then load number) wins."""
    same_year = "f.collection_year = :year" if year is not None else "f.collection_year IS NULL"
    live = engine.execute(
        "SELECT DISTINCT l.load_id, l.as_at FROM load l JOIN load_file f ON f.load_id = l.load_id "
        f"WHERE l.status = 'loaded' AND f.source_format = :fmt AND {same_year}",
        {"fmt": fmt, "year": year},
    ).rows()
    if len(live) < 2:
        return []
    ranked = sorted(live, key=lambda r: (r[1] or date.min, r[0]))
    winner = ranked[-1][0]
    replaced = []
    for load_id, _ in ranked[:-1]:
        for table in canonical_tables():
            if table != "child":
                engine.execute(f"DELETE FROM {table} WHERE load_id = :id", {"id": load_id})
        engine.execute("UPDATE load SET status = 'superseded', superseded_by = :w WHERE load_id = :id",
                       {"w": winner, "id": load_id})
        replaced.append((load_id, winner))
    return replaced
