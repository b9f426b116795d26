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


def test_narrowing_the_council_list_equals_running_it_for_each_scope_and_page(web_store):
    """The web app narrows one council-wide list per page (lists.narrow); for every role's scope and
    every team and worker page it must give exactly the rows the scoped SQL gives, in order."""
    from cscperf.store import open_engine
    from cscperf.web import lists
    from cscperf.web.access import Scope

    scopes = [Scope("director", "all"), Scope("service_manager", "service", "child_protection"),
              Scope("service_manager", "service", "no such service"), Scope("team_manager", "team", "T1"),
              Scope("team_manager", "team", "T2"), Scope("social_worker", "worker", "W1"),
              Scope("social_worker", "worker", "W3"), Scope("member", "none")]
    with open_engine(str(web_store), read_only=True) as engine:
        day = engine.execute("SELECT MAX(as_at) FROM load WHERE status = 'loaded'").scalar()
        services = dict(engine.execute("SELECT team_id, service FROM team").rows())
        pages = [(None, None), ("T1", None), ("T2", None), ("T9", None), (None, "W1"), (None, "W3")]
        shown = 0
        for list_id in lists.definitions():
            council = lists.run(engine, list_id, scopes[0], day)
            for scope in scopes:
                for team, worker in pages:
                    want = lists.run(engine, list_id, scope, day, team_id=team, worker_id=worker).rows
                    got = lists.narrow(council, scope, services, team, worker).rows
                    assert got == want, (list_id, scope, team, worker)
                    shown += len(got)
        assert shown > 20  # the tiny council's lists are not empty
