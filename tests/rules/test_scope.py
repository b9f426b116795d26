"""Scoping a rule to the checked return's loads, on DuckDB and PostgreSQL."""

from __future__ import annotations

from cscperf.rules.scope import WITH_ARG, scope, scoped_sql, tables_read
from cscperf.store.rows import to_arrow

SCOPED = frozenset({"child", "referral"})


def _children(engine):
    rows = [{"child_id": c, "load_id": load, "source_file": f"f{load}", "source_row": i, "sex": "M"}
            for i, (c, load) in enumerate([("A", 1), ("B", 1), ("C", 2), ("A", 2)], 1)]
    engine.insert("child", to_arrow("child", rows))
    engine.insert("referral", to_arrow("referral", [
        {"referral_id": "A1", "child_id": "A", "referral_date": "2024-05-01", "load_id": 1},
        {"referral_id": "C1", "child_id": "C", "referral_date": "2024-05-01", "load_id": 2},
    ]))


def test_tables_read_ignores_the_rules_own_ctes():
    sql = "WITH x AS (SELECT * FROM referral) SELECT * FROM child c JOIN x ON x.child_id = c.child_id JOIN calendar k ON 1 = 1"
    assert tables_read(sql) == {"referral", "child", "calendar"}


def test_a_cte_shadows_its_own_table(engine):
    _children(engine)
    sql = "SELECT c.child_id FROM child c ORDER BY c.child_id"
    assert [r[0] for r in engine.execute(sql).rows()] == ["A", "A", "B", "C"]
    scoped = scoped_sql(sql, SCOPED, [2], engine.dialect)
    assert [r[0] for r in engine.execute(scoped, portable=False).rows()] == ["A", "C"]
    scoped = scoped_sql(sql, SCOPED, [1], engine.dialect)
    assert [r[0] for r in engine.execute(scoped, portable=False).rows()] == ["A", "B"]


def test_scoping_merges_with_the_rules_own_with(engine):
    _children(engine)
    sql = ("WITH episodes AS (SELECT child_id FROM referral) "
           "SELECT c.child_id FROM child c WHERE NOT EXISTS (SELECT 1 FROM episodes e WHERE e.child_id = c.child_id) "
           "ORDER BY c.child_id")
    # unscoped: A and C have referrals somewhere, B has none
    assert [r[0] for r in engine.execute(sql).rows()] == ["B"]
    # load 2: A (load 2 row) has no referral in load 2 any more
    scoped = scoped_sql(sql, SCOPED, [2], engine.dialect)
    assert [r[0] for r in engine.execute(scoped, portable=False).rows()] == ["A"]
    tree = scope(sql, SCOPED, [2])
    assert [c.alias for c in tree.args[WITH_ARG].expressions] == ["child", "referral", "episodes"]


def test_unscoped_tables_are_left_alone():
    tree = scope("SELECT day FROM calendar", SCOPED, [1])
    assert tree.args.get(WITH_ARG) is None


def test_child_rows_come_from_a_source_table_when_there_is_one():
    sources = {"child": "SELECT child_id, load_id FROM child_source"}
    text = scoped_sql("SELECT child_id FROM child", SCOPED, [3, 1], "duckdb", sources)
    assert "FROM child_source WHERE load_id IN (1, 3)" in text


def test_a_uasc_row_folds_into_its_header_row_of_the_same_load(engine):
    """The SSDA903 splits one child over Header and UASC: the rules see one child row (not a second
    Header, INT32), carrying the UASC flag and DUC; a UASC row with no Header row in its load stays."""
    from datetime import date

    from cscperf.rules.scope import source_tables

    rows = [
        {"child_id": "A", "sex": "1", "date_of_birth": "2008-01-01", "source_table": "Header", "load_id": 1, "source_row": 1},
        {"child_id": "A", "sex": "1", "uasc": True, "uasc_ceased_date": "2026-01-01", "source_table": "UASC", "load_id": 1, "source_row": 1},
        {"child_id": "B", "sex": "2", "uasc": True, "source_table": "UASC", "load_id": 1, "source_row": 2},
        {"child_id": "C", "sex": "2", "source_table": "Header", "load_id": 1, "source_row": 2},
        {"child_id": "A", "sex": "1", "uasc": True, "source_table": "UASC", "load_id": 2, "source_row": 1},
    ]
    engine.insert("child_source", to_arrow("child_source", [{**r, "source_file": "f"} for r in rows]))
    sql = "SELECT c.child_id, c.sex, c.date_of_birth, c.uasc, c.uasc_ceased_date FROM child c ORDER BY c.child_id"
    got = engine.execute(scoped_sql(sql, SCOPED, [1], engine.dialect, source_tables(engine)), portable=False).rows()
    assert [tuple(r) for r in got] == [
        ("A", "1", date(2008, 1, 1), True, date(2026, 1, 1)),
        ("B", "2", None, True, None),
        ("C", "2", None, None, None),
    ]
