from pathlib import Path

import pytest

from cscperf.core.errors import DefinitionError
from cscperf.registry.definition import load_definition, load_definitions, parse_definition
from cscperf.registry.docs import examples_folder
from cscperf.registry.fixtures import check_definition

EXAMPLES = load_definitions(examples_folder())


@pytest.mark.parametrize("definition", EXAMPLES, ids=lambda d: d.id)
def test_example_fixtures_pass(shared_engine, definition):
    assert definition.fixtures, "every definition carries a fixture"
    assert check_definition(shared_engine, definition) == []


def test_fixture_rows_do_not_leak(shared_engine):
    for definition in EXAMPLES:
        check_definition(shared_engine, definition)
    assert shared_engine.execute("SELECT COUNT(*) FROM referral").scalar() == 0


def test_a_wrong_expectation_is_reported(shared_engine):
    definition = EXAMPLES[0]
    fixture = definition.fixtures[0]
    wrong = fixture.__class__(fixture.name, fixture.tables, fixture.params, {"summary": [{"referrals": 3, "re_referrals": 2}]})
    broken = definition.__class__(**{**definition.__dict__, "fixtures": (wrong,)})
    [mismatch] = check_definition(shared_engine, broken)
    assert mismatch.missing == [(3.0, 2.0)] and mismatch.unexpected == [(3.0, 1.0)]


def test_same_results_on_duckdb_and_postgres(pg_server, tmp_path):
    """The example run on both engines over the same data returns identical rows."""
    from support.pg import fresh_database_url
    from cscperf.store import open_engine
    from cscperf.store.migrate import migrate
    from cscperf.store.rows import to_arrow

    definition = load_definition(examples_folder() / "referrals_in_period.yaml")
    rows = [
        {"referral_id": f"R{i}", "child_id": f"C{i % 7}", "referral_date": f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}",
         "load_id": 1, "source_file": "x", "source_row": i}
        for i in range(60)
    ]
    results = []
    for url in (str(tmp_path / "a.duckdb"), fresh_database_url(pg_server, "cscperf_same_results")):
        with open_engine(url) as eng:
            migrate(eng)
            eng.insert("referral", to_arrow("referral", rows))
            params = {"period_start": "2024-04-01", "period_end": "2025-03-31"}
            records = sorted(eng.execute(definition.query("records"), params).rows())
            summary = eng.execute(definition.query("summary"), params).rows()
            results.append((records, [tuple(int(v) for v in r) for r in summary]))
    assert results[0] == results[1]
    assert results[0][1][0][0] == len(results[0][0]) > 0


def test_malformed_definitions_are_refused(tmp_path):
    with pytest.raises(DefinitionError, match="missing title"):
        parse_definition({"id": "x", "kind": "example", "queries": {"q": "SELECT 1"}}, "x.yaml")
    with pytest.raises(DefinitionError, match="cannot be transpiled"):
        parse_definition({"id": "x", "kind": "example", "title": "t", "queries": {"q": "SELECT FROM WHERE ("}}, "x.yaml")
    with pytest.raises(DefinitionError, match="unknown query"):
        parse_definition({"id": "x", "kind": "example", "title": "t", "queries": {"q": "SELECT 1"},
                          "fixtures": [{"tables": {}, "expect": {"other": []}}]}, "x.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(DefinitionError, match="not valid YAML"):
        load_definition(bad)


def test_duplicate_ids_are_refused(tmp_path):
    text = Path(examples_folder() / "referrals_in_period.yaml").read_text(encoding="utf-8")
    (tmp_path / "a.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(DefinitionError, match="already defined"):
        load_definitions(tmp_path)


def test_previous_year_tables_in_fixtures(shared_engine):
    """A rule comparing with last year's return reads prev_<table>; fixtures can fill it."""
    definition = parse_definition({
        "id": "x.prev", "kind": "example", "title": "children whose sex changed since last year",
        "queries": {"failures": "SELECT c.child_id FROM child c JOIN prev_child p ON p.child_id = c.child_id WHERE p.sex <> c.sex"},
        "fixtures": [{
            "tables": {"child": [{"child_id": "A", "sex": "1"}, {"child_id": "B", "sex": "2"}],
                       "prev_child": [{"child_id": "A", "sex": "2"}, {"child_id": "B", "sex": "2"}]},
            "expect": {"failures": [{"child_id": "A"}]},
        }],
    }, "x.yaml")
    assert check_definition(shared_engine, definition) == []
    assert check_definition(shared_engine, definition) == []  # the temporary table went with the rollback


def test_sql_checked_once_per_text_and_bad_sql_never_remembered(tmp_path, monkeypatch):
    from cscperf.registry import definition

    monkeypatch.setenv("CSCPERF_CACHE_DIR", str(tmp_path / "cache"))
    definition._checked_folder.cache_clear()
    calls = []
    real = definition.transpile
    monkeypatch.setattr(definition, "transpile", lambda sql, engine: calls.append(engine) or real(sql, engine))
    good = {"id": "x", "kind": "example", "title": "t", "queries": {"q": "SELECT 1 AS one"}}
    parse_definition(good, "x.yaml")
    assert calls == ["duckdb", "postgres"]
    parse_definition(good, "x.yaml")  # the same text: remembered, not transpiled again
    assert calls == ["duckdb", "postgres"]
    bad = {**good, "queries": {"q": "SELECT FROM WHERE ("}}
    for _ in range(2):  # refused every time: a failure is never remembered
        with pytest.raises(DefinitionError, match="cannot be transpiled"):
            parse_definition(bad, "x.yaml")
    assert len(list((tmp_path / "cache" / "definitions-sql").rglob("*"))) == 2  # one folder, one marker
    definition._checked_folder.cache_clear()
