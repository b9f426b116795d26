"""Extracts are written as their files finish reading, in any order, yet each gets the load number it
would get if everything were written in (format, year) order; skips and changed files are honoured."""

from dataclasses import dataclass
from datetime import datetime
from itertools import permutations
from pathlib import Path

import pytest

from cscperf.core.errors import CscperfError
from cscperf.ingest.base import Detection
from cscperf.ingest.load import load_paths
from cscperf.ingest.schedule import Schedule
from cscperf.returns import cin_census, ssda903
from support.dfe_fixtures import CIN_ROWS, LA, S903_ROWS, YEAR, arrow_tables, table_checksums

# file -> (format, year) as detection finds it; "b.csv" and "c.csv" are one extract (903 2024_25)
PLAN = {"a.xml": ("cin", "2024_25"), "b.csv": ("903", "2024_25"), "c.csv": ("903", "2024_25"),
        "d.xml": ("cin", "2023_24"), "e.txt": None}
FILES = [(Path(name), False) for name in PLAN]


@dataclass
class Result:  # what the loader's FileResult offers the schedule
    source_file: str
    detection: Detection | None
    sha256: str
    skipped: str | None = None
    load_id: int | None = None


def _detect(path, forced):
    key = PLAN[path.name]
    return None if key is None else (None, Detection(*key))


def _result(index, detection_of=PLAN):
    name = FILES[index][0].name
    key = detection_of[name]
    return Result(name, None if key is None else Detection(*key), f"sha-{name}")


def _run(schedule, order):
    handed = []
    for index in order:
        for key, load_id in schedule.arrived(index, _result(index)):
            assert all(i in order[:order.index(index) + 1] for i in schedule.members(key))  # all its files read
            handed.append((key, load_id))
    return handed


def test_numbers_are_those_of_the_sorted_order_whatever_order_files_finish(engine):
    # sorted extracts: 903 2024_25, cin 2023_24, cin 2024_25 -> loads 1, 2, 3 in an empty store
    expected = {("903", "2024_25"): 1, ("cin", "2023_24"): 2, ("cin", "2024_25"): 3}
    with engine.transaction():
        for order in permutations(range(len(FILES))):
            schedule = Schedule(engine, FILES, None, _detect)
            handed = _run(schedule, list(order))
            assert dict(handed) == expected and len(handed) == 3  # each once, as soon as its files are read
            assert schedule.remaining([_result(i) for i in range(len(FILES))], dict(handed)) == []


def test_an_extract_already_loaded_is_skipped_and_the_next_waits_to_know(engine):
    engine.execute("INSERT INTO load (load_id, started_at, loaded_by, status, source_format) "
                   "VALUES (4, :at, 'tester', 'loaded', '903')", {"at": datetime(2025, 5, 1)})
    for name in ("b.csv", "c.csv"):
        engine.execute("INSERT INTO load_file (load_id, source_file, sha256) VALUES (4, :f, :h)",
                       {"f": name, "h": f"sha-{name}"})
    with engine.transaction():
        schedule = Schedule(engine, FILES, None, _detect)
        results = {}
        # the cin files are read first, but their numbers depend on whether the 903 extract is skipped
        for index in (0, 3, 4):
            results[index] = _result(index)
            assert schedule.arrived(index, results[index]) == []
        results[1] = _result(1)
        assert schedule.arrived(1, results[1]) == []
        results[2] = _result(2)
        assert dict(schedule.arrived(2, results[2])) == {("cin", "2023_24"): 5, ("cin", "2024_25"): 6}
        assert results[1].skipped == results[2].skipped == "already loaded (load 4): nothing changed"
        assert results[1].load_id == 4


def test_a_file_detected_otherwise_when_read_fails_the_load_once_something_is_written(engine):
    changed = {**PLAN, "d.xml": ("903", "2024_25")}
    with engine.transaction():
        schedule = Schedule(engine, FILES, None, _detect)
        written = dict(schedule.arrived(0, _result(0)))  # cin 2024_25 numbered 3 and handed out
        assert written == {("cin", "2024_25"): 3}
        assert schedule.arrived(3, _result(3, changed)) == []  # the plan no longer holds: nothing more
        results = [_result(i, changed) for i in range(len(FILES))]
        with pytest.raises(CscperfError, match="d.xml: the file changed while it was being loaded"):
            schedule.remaining(results, written)
    with engine.transaction():  # nothing written yet: the load simply follows what the readers found
        schedule = Schedule(engine, FILES, None, _detect)
        assert schedule.arrived(3, _result(3, changed)) == []
        results = [_result(i, changed) for i in range(len(FILES))]
        assert schedule.remaining(results, {}) == [(("903", "2024_25"), 1), (("cin", "2024_25"), 2)]


@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize("earlier", [False, True])
def test_a_bad_file_read_last_leaves_the_store_unchanged_after_earlier_extracts_were_written(
        engine, tmp_path, monkeypatch, workers, earlier):
    import cscperf.ingest.load as load

    if earlier:  # a store with loads in it: unchanged = nothing added AND nothing removed
        cin_census.write(arrow_tables(CIN_ROWS), tmp_path / "old", la_code=LA, collection_year=YEAR)
        load_paths(engine, [tmp_path / "old"])
    folder = tmp_path / "in"
    ssda903.write(arrow_tables(S903_ROWS), folder / "903", la_code=LA, collection_year=YEAR)
    cin_census.write(arrow_tables(CIN_ROWS), folder / "cin", la_code=LA, collection_year=YEAR + 1)
    [good] = (folder / "cin").glob("*.xml")
    bad = folder / "zz" / "late.xml"  # sorted last; read last by one process, and cheapest for two
    bad.parent.mkdir()
    bad.write_text(good.read_text(encoding="utf-8").replace(str(YEAR + 1), str(YEAR + 2))[:-300], encoding="utf-8")
    before = table_checksums(engine)
    loads = engine.execute("SELECT COUNT(*) FROM load").scalar()
    writes = []
    real_write, real_rows = load._write_extract, load._insert_rows
    monkeypatch.setattr(load, "_write_extract", lambda *a, **k: writes.append(a[1]) or real_write(*a, **k))
    monkeypatch.setattr(load, "_insert_rows", lambda *a, **k: writes.append("rows") or real_rows(*a, **k))
    with pytest.raises(CscperfError) as caught:
        load_paths(engine, [folder], workers=workers)
    assert str(bad) in str(caught.value)
    if workers == 1:  # files read in order: both good extracts were written before the bad file was read
        assert "903" in writes and "cin" in writes
        # in an empty store nothing can be skipped, so each 903 file's rows went in as it was read
        assert ("rows" in writes) == (not earlier)
    assert table_checksums(engine) == before
    assert engine.execute("SELECT COUNT(*) FROM load").scalar() == loads + 1
    assert engine.execute("SELECT status FROM load ORDER BY load_id DESC LIMIT 1").scalar() == "failed"


def test_the_store_is_opened_once_reading_has_begun_and_still_records_a_failure(engine, tmp_path, monkeypatch):
    import cscperf.ingest.load as load

    events = []
    real_read = load.read_file
    monkeypatch.setattr(load, "read_file", lambda *a, **k: events.append("read") or real_read(*a, **k))

    def opener():
        events.append("open")
        return engine

    ssda903.write(arrow_tables(S903_ROWS), tmp_path / "in", la_code=LA, collection_year=YEAR)
    report = load_paths(opener, [tmp_path / "in"], workers=1)
    assert events[:2] == ["read", "open"] and events.count("open") == 1 and report.load_ids == [1]
    before = table_checksums(engine)
    events.clear()
    bad = tmp_path / "bad.xml"
    bad.write_text("<Message><Header>", encoding="utf-8")
    with pytest.raises(CscperfError):
        load_paths(opener, [bad], workers=1)
    assert events == ["read", "open"]  # opened after the failed read, to record it
    assert table_checksums(engine) == before
    assert engine.execute("SELECT status FROM load ORDER BY load_id DESC LIMIT 1").scalar() == "failed"
