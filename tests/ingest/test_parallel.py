"""Reading files in worker processes gives exactly what reading them one by one gives."""

import pytest

from cscperf.core.errors import InputError
from cscperf.ingest.load import load_paths
from cscperf.returns import cin_census, ssda903
from support.dfe_fixtures import CIN_ROWS, LA, S903_ROWS, YEAR, arrow_tables, table_checksums


def _council(tmp_path):
    cin_census.write(arrow_tables(CIN_ROWS), tmp_path / "in" / "cin", la_code=LA, collection_year=YEAR)
    ssda903.write(arrow_tables(S903_ROWS), tmp_path / "in" / "903", la_code=LA, collection_year=YEAR)
    return tmp_path / "in"


def _summary(report):
    return [(f.source_file, f.detection and f.detection.format, f.rows_read, f.rows_loaded, f.rows_rejected,
             f.issues) for f in report.files]


def test_workers_load_what_one_process_loads(engine, tmp_path):
    folder = _council(tmp_path)
    alone = load_paths(engine, [folder], workers=1)
    checksums = table_checksums(engine)
    engine.execute("DELETE FROM load_issue")
    for table in ("load_file", "child", "child_source", "referral", "assessment", "cin_plan", "s47_enquiry", "icpc",
                  "cp_plan", "cp_review", "cla_episode", "cla_review", "missing_episode", "social_worker_episode",
                  "cla_outcome", "care_leaver", "adoption", "placed_for_adoption", "previous_permanence"):
        engine.execute(f"DELETE FROM {table}")
    engine.execute("DELETE FROM load")
    together = load_paths(engine, [folder], workers=2)
    assert _summary(together) == _summary(alone) and len(together.files) > 2
    assert table_checksums(engine) == checksums


def test_a_bad_file_read_by_a_worker_is_the_same_error(engine, tmp_path):
    folder = _council(tmp_path)
    [xml] = list((folder / "cin").glob("*.xml"))
    xml.write_text(xml.read_text(encoding="utf-8")[:-200], encoding="utf-8")
    before = table_checksums(engine)
    errors = []
    for workers in (1, 2):
        with pytest.raises(InputError) as caught:
            load_paths(engine, [folder], workers=workers)
        errors.append((caught.value.location, caught.value.reason, caught.value.value))
    assert errors[0] == errors[1] and errors[0][0].file == str(xml)
    assert table_checksums(engine) == before


def _timed_read(path, explicit, format, progress, done, total):
    """A stand-in reader: sleeps for the milliseconds in the file's name, fails when the name says so."""
    import time

    from cscperf.core.errors import Location

    time.sleep(int(path.name.split("-")[1]) / 1000)
    if path.stem.startswith("bad"):
        raise InputError(Location(str(path)), "unreadable")
    return path.name


def test_results_come_as_each_file_finishes_and_errors_keep_the_given_order(tmp_path):
    from cscperf.ingest.parallel import read_files_as_completed

    files = [(tmp_path / name, True) for name in ("ok-600", "ok-0", "ok-200")]
    got = list(read_files_as_completed(files, _timed_read, None, None, workers=2))
    assert sorted(got) == [(0, "ok-600"), (1, "ok-0"), (2, "ok-200")]
    assert got[-1] == (0, "ok-600")  # the slow first file came last, the others did not wait for it
    # the second file fails first in time, but the first file (slower) fails too: its error is the one
    files = [(tmp_path / name, True) for name in ("bad-600", "bad-0", "ok-0")]
    with pytest.raises(InputError) as caught:
        list(read_files_as_completed(files, _timed_read, None, None, workers=2))
    assert caught.value.location.file == str(tmp_path / "bad-600")
    files = [(tmp_path / name, True) for name in ("ok-600", "bad-0", "ok-0")]
    with pytest.raises(InputError) as caught:
        list(read_files_as_completed(files, _timed_read, None, None, workers=2))
    assert caught.value.location.file == str(tmp_path / "bad-0")
