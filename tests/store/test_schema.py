"""The migrations, the YAML definitions and the generated docs must agree."""

from pathlib import Path

import pytest

from cscperf.docs import generated_docs
from cscperf.store.schema import code_lists, parse_column, tables

REPO = Path(__file__).resolve().parents[2]

# What each engine reports in information_schema for our portable types.
REPORTED = {
    "duckdb": {"text": "VARCHAR", "integer": "BIGINT", "decimal": "DOUBLE", "date": "DATE", "boolean": "BOOLEAN", "timestamp": "TIMESTAMP"},
    "postgres": {"text": "text", "integer": "bigint", "decimal": "double precision", "date": "date", "boolean": "boolean", "timestamp": "timestamp without time zone"},
}

ISSUE_TABLES = {
    "child", "team", "worker", "allocation", "contact", "early_help_episode", "referral", "assessment",
    "s47_enquiry", "icpc", "cin_plan", "cp_plan", "cp_review", "visit", "cla_episode", "cla_review",
    "missing_episode", "care_leaver", "adoption", "post", "vacancy_snapshot", "staff_spell",
    "absence_spell", "survey_response", "load",
}


def test_migrations_create_exactly_the_defined_tables_and_columns(engine):
    found = engine.table_columns()
    found.pop("schema_migrations")
    expected = {
        name: [(c.name, REPORTED[engine.dialect][c.type]) for c in t.columns] for name, t in tables().items()
    }
    assert found == expected


def test_every_table_the_foundation_issue_names_exists():
    assert ISSUE_TABLES <= set(tables())


def test_record_tables_carry_provenance():
    for name in ISSUE_TABLES - {"load"}:
        assert {"load_id", "source_file", "source_row"} <= set(tables()[name].column_names), name


def test_every_named_code_list_exists_and_keys_are_columns():
    lists = code_lists()
    for table in tables().values():
        assert set(table.key) <= set(table.column_names), table.name
        for col in table.columns:
            assert col.codes is None or col.codes in lists, f"{table.name}.{col.name} names unknown list {col.codes}"
            assert col.description, f"{table.name}.{col.name} is undocumented"


def test_column_spec_parsing():
    col = parse_column("sex", "text! @sex Sex as recorded")
    assert (col.type, col.required, col.codes, col.description) == ("text", True, "sex", "Sex as recorded")
    with pytest.raises(ValueError):
        parse_column("x", "varchar Not a type")


@pytest.mark.parametrize("relative", sorted(generated_docs()))
def test_generated_docs_are_current(relative):
    path = REPO / relative
    assert path.exists(), f"{relative} missing: run `cscperf docs --write`"
    assert path.read_text(encoding="utf-8") == generated_docs()[relative](), f"{relative} is stale: run `cscperf docs --write`"


def test_data_model_doc_mentions_every_column():
    text = (REPO / "docs/data-model.md").read_text(encoding="utf-8")
    for table in tables().values():
        assert f"### `{table.name}`" in text
        for col in table.columns:
            if col.name not in ("load_id", "source_file", "source_row") or not table.provenance:
                assert f"`{col.name}`" in text
