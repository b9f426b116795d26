"""The live lists are definitions: their fixtures run on DuckDB and PostgreSQL."""

import pytest

from cscperf.registry.definition import load_definitions
from cscperf.registry.fixtures import check_definition
from cscperf.web.lists import LISTS_DIR, _split_order

LISTS = load_definitions(LISTS_DIR, kind="list")


@pytest.mark.parametrize("definition", LISTS, ids=lambda d: d.id)
def test_list_fixtures(shared_engine, definition):
    assert definition.fixtures
    assert check_definition(shared_engine, definition) == []


def test_order_is_lifted_out_so_the_list_can_be_filtered():
    inner, order = _split_order("SELECT d.child_id, d.due_date FROM x AS d WHERE y = 1 ORDER BY d.due_date, child_id")
    assert "ORDER BY" not in inner.upper()
    assert order == "ORDER BY due_date, child_id"
