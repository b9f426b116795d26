from datetime import date

import pytest

from cscperf.core.errors import DefinitionError
from cscperf.store.loads import LoadOutcome, run_load
from cscperf.store.rows import to_arrow
from cscperf.core.errors import InputError, Location


def _children(load_id=1):
    return to_arrow("child", [
        {"child_id": "C1", "sex": "1", "date_of_birth": "2015-02-28", "load_id": load_id, "source_file": "a.csv", "source_row": 1},
        {"child_id": "C2", "sex": "2", "date_of_birth": date(2019, 7, 1), "uasc": True, "load_id": load_id, "source_file": "a.csv", "source_row": 2},
    ])


def test_insert_and_read_back_with_parameters(engine):
    assert engine.insert("child", _children()) == 2
    rows = engine.execute(
        "SELECT child_id, date_of_birth, uasc FROM child WHERE date_of_birth >= :d ORDER BY child_id", {"d": date(2016, 1, 1)}
    ).rows()
    assert rows == [("C2", date(2019, 7, 1), True)]


def test_literal_percent_survives_alongside_parameters(engine):
    engine.insert("child", _children())
    got = engine.execute("SELECT child_id FROM child WHERE child_id LIKE 'C%' AND sex = :s", {"s": "2"}).rows()
    assert got == [("C2",)]


def test_transaction_rolls_back_everything_on_error(engine):
    with pytest.raises(RuntimeError):
        with engine.transaction():
            engine.insert("child", _children())
            with engine.transaction():  # nested joins the outer one
                engine.execute("DELETE FROM calendar WHERE day < :d", {"d": date(2001, 1, 1)})
            raise RuntimeError("boom")
    assert engine.execute("SELECT COUNT(*) FROM child").scalar() == 0
    assert engine.execute("SELECT COUNT(*) FROM calendar WHERE day < :d", {"d": date(2001, 1, 1)}).scalar() == 366


def test_working_days_in_sql_through_the_calendar(engine):
    sql = (
        "SELECT e.wd_index - s.wd_index AS wd FROM calendar s, calendar e WHERE s.day = :start AND e.day = :end"
    )
    # Fri 16 Sep 2022 -> Tue 20 Sep 2022 skips the state funeral: 1 working day.
    assert engine.execute(sql, {"start": date(2022, 9, 16), "end": date(2022, 9, 20)}).scalar() == 1


def test_run_load_commits_and_records(engine):
    def work(load_id):
        engine.insert("child", _children(load_id))
        return LoadOutcome(rows_read=2, rows_loaded=2, message="2 children")

    load_id, _ = run_load(engine, "903", work)
    assert engine.execute("SELECT status, rows_loaded FROM load WHERE load_id = :i", {"i": load_id}).rows() == [("loaded", 2)]
    assert engine.execute("SELECT COUNT(*) FROM child WHERE load_id = :i", {"i": load_id}).scalar() == 2


def test_failed_load_changes_no_record_and_is_registered_as_failed(engine):
    def work(load_id):
        engine.insert("child", _children(load_id))
        raise InputError(Location("Header.csv", 3, "DOB"), "not a date", "31/02/2024")

    with pytest.raises(InputError) as raised:
        run_load(engine, "903", work)
    assert str(raised.value) == "Header.csv, row 3, field DOB: not a date (value '31/02/2024')"
    assert engine.execute("SELECT COUNT(*) FROM child").scalar() == 0
    assert engine.execute("SELECT status, message FROM load").rows() == [
        ("failed", "Header.csv, row 3, field DOB: not a date (value '31/02/2024')")
    ]


def test_unportable_sql_is_refused_with_a_clear_error(engine):
    with pytest.raises(DefinitionError):
        engine.execute("SELECT FROM WHERE")


def test_to_arrow_rejects_unknown_columns():
    with pytest.raises(KeyError, match="no column 'sexx'"):
        to_arrow("child", [{"child_id": "C1", "sexx": "1"}])
