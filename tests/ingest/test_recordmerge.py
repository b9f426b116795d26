"""Copies of one record from different loads become one row; copies within one file stay."""

from datetime import date
from pathlib import Path

from cscperf.core.config import DatabaseTarget
from cscperf.ingest.load import load_paths
from cscperf.returns import ssda903
from cscperf.store import open_engine
from cscperf.store.migrate import migrate
from support.dfe_fixtures import LA, S903_ROWS, YEAR, arrow_tables


def _episodes(engine, child):
    return engine.execute(
        "SELECT decom, dec, rec, home_post, load_id FROM cla_episode WHERE child_id = :c ORDER BY decom", {"c": child}
    ).rows()


def test_an_episode_open_across_march_is_one_row_after_two_years_load(engine, tmp_path):
    # Year one: L2's episode from 1 Apr 2024 is open at 31 March 2025, with its home postcode.
    first = {k: [dict(r) for r in v] for k, v in S903_ROWS.items()}
    for row in first["cla_episode"]:
        if row["child_id"] == "L2":
            row.update(dec=None, rec=None)
    ssda903.write(arrow_tables(first), tmp_path / "y1", la_code=LA, collection_year=YEAR)
    # Year two: the same episode ends in June 2025; this council's year-two extract lost HOME_POST.
    second = {k: [dict(r) for r in v] for k, v in S903_ROWS.items()}
    for row in second["cla_episode"]:
        if row["child_id"] == "L2":
            row.update(dec=date(2025, 6, 30), rec="E13", home_post=None)
    ssda903.write(arrow_tables(second), tmp_path / "y2", la_code=LA, collection_year=YEAR + 1)
    original = next(r for r in first["cla_episode"] if r["child_id"] == "L2")
    assert original["home_post"] and original["dec"] is None

    report = load_paths(engine, [tmp_path / "y1"], as_at=date(2025, 4, 30))
    year_one = report.load_ids[0]
    report = load_paths(engine, [tmp_path / "y2"], as_at=date(2026, 4, 30))
    year_two = report.load_ids[0]

    rows = _episodes(engine, "L2")
    assert rows == [(original["decom"], date(2025, 6, 30), "E13", original["home_post"], year_two)]
    assert report.merged.get("cla_episode", 0) >= 1
    # Both loads stay live in the registry; only the copy was merged.
    statuses = dict(engine.execute("SELECT load_id, status FROM load").rows())
    assert statuses[year_one] == statuses[year_two] == "loaded"


def test_the_rows_a_merge_changes_are_kept_as_their_return_sent_them(engine, tmp_path):
    """Year one's open episode (removed as the losing copy) and year two's row (its HOME_POST filled
    in from year one) are each kept once, as sent, in submitted_cla_episode; a third load merging the
    same episode again keeps nothing more. The rules read a return as submitted from these."""
    from cscperf.rules.scope import source_select, source_tables

    years = []
    for n, (dec, rec, post) in enumerate([(None, None, "keep"), (date(2025, 6, 30), "E13", None)]):
        rows = {k: [dict(r) for r in v] for k, v in S903_ROWS.items()}
        for row in rows["cla_episode"]:
            if row["child_id"] == "L2":
                row.update(dec=dec, rec=rec, **({} if post == "keep" else {"home_post": post}))
        ssda903.write(arrow_tables(rows), tmp_path / f"y{n}", la_code=LA, collection_year=YEAR + n)
        years.append(rows)
    columns = "child_id, decom, dec, rec, home_post, source_row"

    def alone(folder: Path) -> list[tuple]:  # the file's rows, loaded into a store of their own
        reference = open_engine(DatabaseTarget("duckdb", ":memory:"))
        migrate(reference)
        load_paths(reference, [folder])
        rows = reference.execute(f"SELECT {columns} FROM cla_episode ORDER BY child_id, decom").rows()
        reference.close()
        return rows

    one = load_paths(engine, [tmp_path / "y0"], as_at=date(2025, 4, 30)).load_ids[0]
    assert engine.execute("SELECT COUNT(*) FROM submitted_cla_episode").scalar() == 0  # nothing merged yet
    two = load_paths(engine, [tmp_path / "y1"], as_at=date(2026, 4, 30)).load_ids[0]
    kept = engine.execute("SELECT load_id, dec, rec, home_post FROM submitted_cla_episode WHERE child_id = 'L2' "
                          "ORDER BY load_id").rows()
    post = next(r for r in years[0]["cla_episode"] if r["child_id"] == "L2")["home_post"]
    assert kept == [(one, None, None, post), (two, date(2025, 6, 30), "E13", None)]
    assert _episodes(engine, "L2") == [(date(2024, 4, 1), date(2025, 6, 30), "E13", post, two)]  # merged, filled
    sources = source_tables(engine)
    for load_id, folder in ((one, tmp_path / "y0"), (two, tmp_path / "y1")):
        as_submitted = engine.execute(
            f"SELECT {columns} FROM ({source_select('cla_episode', [load_id], sources)}) x ORDER BY child_id, decom").rows()
        assert as_submitted == alone(folder)
    ssda903.write(arrow_tables(years[1]), tmp_path / "again", la_code=LA, collection_year=YEAR + 1)
    load_paths(engine, [tmp_path / "again"], as_at=date(2026, 5, 31))  # a newer extract of year two
    assert engine.execute("SELECT COUNT(*) FROM submitted_cla_episode WHERE child_id = 'L2'").scalar() == 2


def test_the_newest_extract_wins_whatever_order_they_are_loaded_in(engine, tmp_path):
    older = {k: [dict(r) for r in v] for k, v in S903_ROWS.items()}
    for row in older["cla_episode"]:
        if row["child_id"] == "L2":
            row.update(dec=None, rec=None)
    newer = {k: [dict(r) for r in v] for k, v in S903_ROWS.items()}
    for row in newer["cla_episode"]:
        if row["child_id"] == "L2":
            row.update(dec=date(2025, 6, 30), rec="E13")
    ssda903.write(arrow_tables(older), tmp_path / "old", la_code=LA, collection_year=YEAR)
    ssda903.write(arrow_tables(newer), tmp_path / "new", la_code=LA, collection_year=YEAR + 1)
    load_paths(engine, [tmp_path / "new"], as_at=date(2026, 4, 30))
    load_paths(engine, [tmp_path / "old"], as_at=date(2025, 4, 30))
    [(decom, dec, rec, _, _)] = _episodes(engine, "L2")
    assert (dec, rec) == (date(2025, 6, 30), "E13")


def test_copies_within_one_file_are_not_merged(engine, tmp_path):
    rows = {k: [dict(r) for r in v] for k, v in S903_ROWS.items()}
    twin = dict(next(r for r in rows["cla_episode"] if r["child_id"] == "L2"))
    rows["cla_episode"].append(twin)
    ssda903.write(arrow_tables(rows), tmp_path / "in", la_code=LA, collection_year=YEAR)
    report = load_paths(engine, [tmp_path / "in"])
    assert len(_episodes(engine, "L2")) == 2
    assert report.merged == {}
