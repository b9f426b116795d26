"""The loader's promises: idempotent reload, supersession, duplicates kept and reported, unknown
columns and codes reported, nothing half-loaded."""

from datetime import date

import pytest

from cscperf.core.errors import CscperfError
from cscperf.ingest.load import load_paths
from cscperf.returns import cin_census, ssda903
from support.dfe_fixtures import CIN_CARRIES, CIN_ROWS, LA, S903_ROWS, YEAR, arrow_tables, expected, stored, table_checksums


def _loads(engine):
    return engine.execute("SELECT load_id, status, superseded_by, as_at FROM load ORDER BY load_id").rows()


def test_reloading_the_same_extract_changes_nothing(engine, tmp_path):
    ssda903.write(arrow_tables(S903_ROWS), tmp_path / "in", la_code=LA, collection_year=YEAR)
    first = load_paths(engine, [tmp_path / "in"])
    before = table_checksums(engine)
    again = load_paths(engine, [tmp_path / "in"])
    assert again.nothing_new and again.load_ids == []
    assert all(f.skipped == f"already loaded (load {first.load_ids[0]}): nothing changed" for f in again.files)
    assert table_checksums(engine) == before
    assert len(_loads(engine)) == 1


def test_a_newer_extract_supersedes_the_older(engine, tmp_path):
    cin_census.write(arrow_tables(CIN_ROWS), tmp_path / "old", la_code=LA, collection_year=YEAR)
    newer = {k: [dict(r) for r in v] for k, v in CIN_ROWS.items()}
    newer["referral"][1]["closure_date"] = date(2025, 3, 3)
    newer["referral"][1]["closure_reason"] = "RC2"
    newer["referral"] = [r for r in newer["referral"] if r["child_id"] != "C3"]
    newer["child"] = [r for r in newer["child"] if r["child_id"] != "C3"]
    cin_census.write(arrow_tables(newer), tmp_path / "new", la_code=LA, collection_year=YEAR)
    load_paths(engine, [tmp_path / "old"], as_at=date(2025, 4, 20))
    report = load_paths(engine, [tmp_path / "new"], as_at=date(2025, 5, 12))
    assert report.superseded == [(1, 2)]
    assert _loads(engine) == [(1, "superseded", 2, date(2025, 4, 20)), (2, "loaded", None, date(2025, 5, 12))]
    assert stored(engine, CIN_CARRIES) == expected(newer, CIN_CARRIES)
    assert engine.execute("SELECT COUNT(*) FROM referral WHERE load_id = 1").scalar() == 0
    assert engine.execute("SELECT COUNT(*) FROM child_source WHERE load_id = 1").scalar() == 0
    # both stay in the registry with their files
    assert engine.execute("SELECT COUNT(*) FROM load_file").scalar() == 2


def test_an_older_extract_loaded_late_is_superseded_at_once(engine, tmp_path):
    cin_census.write(arrow_tables(CIN_ROWS), tmp_path / "a", la_code=LA, collection_year=YEAR)
    changed = {k: [dict(r) for r in v] for k, v in CIN_ROWS.items()}
    changed["child"][0]["ethnicity"] = "WIRI"
    cin_census.write(arrow_tables(changed), tmp_path / "b", la_code=LA, collection_year=YEAR)
    load_paths(engine, [tmp_path / "b"], as_at=date(2025, 6, 1))
    report = load_paths(engine, [tmp_path / "a"], as_at=date(2025, 5, 1))
    assert report.superseded == [(2, 1)]
    assert engine.execute("SELECT ethnicity FROM child WHERE child_id = 'C1'").scalar() == "WIRI"


def test_other_years_are_not_superseded(engine, tmp_path):
    cin_census.write(arrow_tables(CIN_ROWS), tmp_path / "y25", la_code=LA, collection_year=YEAR)
    cin_census.write(arrow_tables(CIN_ROWS), tmp_path / "y26", la_code=LA, collection_year=YEAR + 1)
    load_paths(engine, [tmp_path / "y25", tmp_path / "y26"])
    statuses = engine.execute("SELECT l.status, f.collection_year FROM load l JOIN load_file f ON f.load_id = l.load_id "
                              "ORDER BY f.collection_year").rows()
    assert statuses == [("loaded", "2024_25"), ("loaded", "2025_26")]


def test_duplicates_within_a_file_are_kept_and_reported(engine, tmp_path):
    ssda903.write(arrow_tables(S903_ROWS), tmp_path / "in", la_code=LA, collection_year=YEAR)
    header = tmp_path / "in" / "ssda903_2024_25_Header.csv"
    lines = header.read_text().splitlines()
    header.write_text("\r\n".join([*lines, lines[1]]) + "\r\n")  # L1 twice
    report = load_paths(engine, [tmp_path / "in"])
    dupes = [i for i in report.issues if "duplicate" in i.reason]
    assert [(i.source_row, i.severity) for i in dupes] == [(5, "warning")]
    assert engine.execute("SELECT COUNT(*) FROM child WHERE child_id = 'L1'").scalar() == 2
    stored_issue = engine.execute("SELECT severity, source_row, reason FROM load_issue").rows()
    assert stored_issue == [("warning", 5, dupes[0].reason)]


def test_unknown_columns_and_codes_are_reported_not_dropped(engine, tmp_path):
    ssda903.write(arrow_tables(S903_ROWS), tmp_path / "in", la_code=LA, collection_year=YEAR)
    episodes = tmp_path / "in" / "ssda903_2024_25_Episodes.csv"
    lines = episodes.read_text().splitlines()
    lines[0] += ",LOCAL_NOTE"
    lines[1] = lines[1].replace(",U6,", ",Q9,") + ",x"
    episodes.write_text("\r\n".join(lines) + "\r\n")
    report = load_paths(engine, [tmp_path / "in"])
    found = sorted((i.source_row or 0, i.field, i.value) for i in report.issues)
    assert found == [(0, "LOCAL_NOTE", None), (1, "PLACE", "Q9")]
    assert engine.execute("SELECT place FROM cla_episode WHERE decom = DATE '2024-05-01'").scalar() == "Q9"


def test_rows_missing_their_key_are_rejected_and_reported(engine, tmp_path):
    ssda903.write(arrow_tables(S903_ROWS), tmp_path / "in", la_code=LA, collection_year=YEAR)
    reviews = tmp_path / "in" / "ssda903_2024_25_Reviews.csv"
    lines = reviews.read_text().splitlines()
    lines[2] = "L2,01/10/2007,,PN7"
    reviews.write_text("\r\n".join(lines) + "\r\n")
    report = load_paths(engine, [tmp_path / "in"])
    [result] = [f for f in report.files if f.detection.part == "Reviews"]
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (2, 1, 1)
    assert engine.execute("SELECT rows_read, rows_loaded, rows_rejected FROM load_file WHERE source_file LIKE '%Reviews%'").rows() == [(2, 1, 1)]
    assert engine.execute("SELECT field, severity FROM load_issue").rows() == [("REVIEW", "rejected")]


def test_as_at_from_the_cin_header_and_format_by_content_not_name(engine, tmp_path):
    [path] = cin_census.write(arrow_tables(CIN_ROWS), tmp_path / "w", la_code=LA, collection_year=YEAR)
    text = path.read_text(encoding="utf-8").replace("<SerialNo>001</SerialNo>",
                                                    "<SerialNo>001</SerialNo><DateTime>2025-05-06T10:00:00</DateTime>")
    odd = tmp_path / "in" / "export.dat"
    odd.parent.mkdir()
    odd.write_text(text, encoding="utf-8")
    report = load_paths(engine, [odd])
    assert (report.files[0].detection.format, report.files[0].detection.collection_year) == ("cin", "2024_25")
    assert engine.execute("SELECT as_at, period_start, period_end FROM load").rows() == [
        (date(2025, 5, 6), date(2024, 4, 1), date(2025, 3, 31))]


def test_a_file_named_twice_is_read_once(engine, tmp_path):
    [path] = cin_census.write(arrow_tables(CIN_ROWS), tmp_path / "in", la_code=LA, collection_year=YEAR)
    report = load_paths(engine, [tmp_path / "in", path])
    assert len(report.files) == 1
    assert engine.execute("SELECT COUNT(*) FROM referral").scalar() == len(CIN_ROWS["referral"])


def test_several_903_years_at_once(engine, tmp_path):
    ssda903.write(arrow_tables(S903_ROWS), tmp_path / "in" / "2024_25", la_code=LA, collection_year=YEAR)
    ssda903.write(arrow_tables(S903_ROWS), tmp_path / "in" / "2025_26", la_code=LA, collection_year=YEAR + 1)
    report = load_paths(engine, [tmp_path / "in"])
    assert len(report.load_ids) == 2
    years = engine.execute("SELECT f.collection_year, COUNT(*) FROM cla_episode e JOIN load_file f "
                           "ON f.load_id = e.load_id AND f.source_file = e.source_file GROUP BY f.collection_year "
                           "ORDER BY f.collection_year").rows()
    # 2025-26 holds only L1's placement still open on 1 April 2025; that episode is in both years'
    # returns and is stored once, from the newer return (see test_recordmerge.py).
    assert years == [("2024_25", 3), ("2025_26", 1)]


def test_a_folder_with_nothing_recognisable_is_an_error(engine, tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "notes.txt").write_text("minutes of the meeting\n")
    with pytest.raises(CscperfError, match="no file cscperf recognises"):
        load_paths(engine, [tmp_path / "in"])
    assert engine.execute("SELECT status FROM load").rows() == [("failed",)]
