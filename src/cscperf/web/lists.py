"""Live lists for supervision (visits due, assessments approaching 45 working days, reviews due,
plans without a visit, caseloads): each is a definition file in ``lists/`` with portable SQL and
fixtures; here they are run for a page, narrowed to the user's scope and the page's team or worker.

Each definition takes ``:team`` and ``:worker`` (null = every one) and applies them where it first
reads its plans, episodes or assessments, so the engine prunes to the page's team before it looks
up visits and reviews (on the large council, the team page's lists ran over the whole council and
were filtered afterwards). The user's scope is applied again around the list, whatever the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlglot

from cscperf.registry.definition import Definition, load_definitions
from cscperf.store import Engine

if TYPE_CHECKING:  # access.py needs Django set up; the lists themselves do not
    from cscperf.web.access import Scope

LISTS_DIR = Path(__file__).resolve().parent / "lists"
TEAM_PAGE_LISTS = ("list.visits_due", "list.assessments_due", "list.reviews_due", "list.plans_without_visit")


@lru_cache(maxsize=1)
def definitions() -> dict[str, Definition]:
    return {d.id: d for d in load_definitions(LISTS_DIR, kind="list")}


@dataclass(frozen=True)
class ListResult:
    definition: Definition
    rows: list[dict[str, Any]]

    @property
    def columns(self) -> dict[str, str]:
        return dict(self.definition.meta.get("columns", {}))

    @property
    def child_ids(self) -> list[str]:
        return [r["child_id"] for r in self.rows if r.get("child_id")]


@lru_cache(maxsize=64)
def _split_order(sql: str) -> tuple[str, str]:
    """The list's query without its ORDER BY, and that ORDER BY, so a filter can wrap the query."""
    tree = sqlglot.parse_one(sql, read="duckdb")
    order = tree.args.get("order")
    if order is None:
        return sql, ""
    tree.set("order", None)
    for column in order.find_all(sqlglot.exp.Column):
        column.set("table", None)  # the outer query sees output names, not the inner aliases
    return tree.sql(dialect="duckdb"), order.sql(dialect="duckdb")


def pushed_down(scope: Scope, team_id: str | None, worker_id: str | None) -> dict[str, str | None]:
    """The ``:team``/``:worker`` a list is run with: the page's, else a team's or worker's own scope."""
    team = team_id if team_id is not None else (scope.value if scope.kind == "team" else None)
    worker = worker_id if worker_id is not None else (scope.value if scope.kind == "worker" else None)
    return {"team": team, "worker": worker}


def run(engine: Engine, list_id: str, scope: Scope, as_at: date, *, team_id: str | None = None,
        worker_id: str | None = None) -> ListResult:
    definition = definitions()[list_id]
    inner, order = _split_order(definition.query("rows"))
    condition, params = scope.team_filter("l")
    clauses = [condition]
    if team_id is not None:
        clauses.append("l.team_id = :page_team")
        params["page_team"] = team_id
    if worker_id is not None:
        clauses.append("l.worker_id = :page_worker")
        params["page_worker"] = worker_id
    sql = f"SELECT * FROM ({inner}) l WHERE {' AND '.join(clauses)} {order}"
    rows = engine.execute(sql, {**params, **pushed_down(scope, team_id, worker_id), "as_at": as_at}).dicts()
    return ListResult(definition, rows)



def narrow(result: ListResult, scope: Scope, services: dict[str, str | None], team_id: str | None = None,
           worker_id: str | None = None) -> ListResult:
    """A council-wide list narrowed to a scope and a page, row for row what ``run`` returns for them
    (the same order; a row without a team is in no team's, service's or page's list). The web app
    computes each list once per store state for the whole council and narrows it per page, so a
    team's first view after a load costs a filter, not five queries (tests/web/test_lists.py)."""

    def allowed(row: dict[str, Any]) -> bool:
        team, worker = row.get("team_id"), row.get("worker_id")
        if scope.kind == "all":
            seen = True
        elif scope.kind == "service":
            seen = team is not None and services.get(team) == scope.value
        elif scope.kind == "team":
            seen = team is not None and team == scope.value
        elif scope.kind == "worker":
            seen = worker is not None and worker == scope.value
        else:
            seen = False
        return seen and (team_id is None or team == team_id) and (worker_id is None or worker == worker_id)

    return ListResult(result.definition, [r for r in result.rows if allowed(r)])
