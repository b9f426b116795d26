"""Indicator overview, teams, team page and worker supervision pack."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from cscperf.web import audit, figures, lists
from cscperf.web.access import Scope, require_child_level, scope_for
from cscperf.web.cache import cache, cached
from cscperf.web.data import as_at, last_refreshed, store


@login_required
def home(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    with store() as engine:
        summary = figures.home_summary(engine, public=not scope.child_level)
        refreshed = last_refreshed(engine)
        computed = engine.execute("SELECT MAX(computed_at) FROM indicator_run").scalar()
    return render(request, "cscweb/home.html", {
        "summary": summary, "refreshed": refreshed, "computed": computed, "scope": scope,
        "public": not scope.child_level,
    })


def _teams(engine, scope):
    condition, params = scope.team_filter("l")
    if scope.kind == "worker":
        condition, params = "l.team_id IN (SELECT team_id FROM worker_team WHERE worker_id = :w)", {"w": scope.value}
    return engine.execute(
        f"SELECT l.team_id, l.team_name, l.service FROM team l WHERE {condition} ORDER BY l.team_name", params
    ).dicts()


COUNCIL = Scope("director", "all")


def _services(engine) -> dict:
    return cached(engine, ("services",), lambda: dict(engine.execute("SELECT team_id, service FROM team").rows()))


def _list(engine, list_id, scope, day, *, team_id=None, worker_id=None):
    """A live list and its table (``_list.html``), both reused while the store's state is unchanged
    (rendering a few hundred cells through the template cost as much as the query). With the cache
    on, each list is computed once per state for the whole council and narrowed for the page in
    Python (``lists.narrow``), so every team's first view after a load is cheap, not only repeats;
    with it off (``CSCPERF_WEB_CACHE=0``) the page's team and scope go into the list's SQL."""

    def build():
        if cache().size > 0:
            council = cached(engine, ("list", list_id, day), lambda: lists.run(engine, list_id, COUNCIL, day))
            result = lists.narrow(council, scope, _services(engine), team_id, worker_id)
        else:
            result = lists.run(engine, list_id, scope, day, team_id=team_id, worker_id=worker_id)
        return result, mark_safe(render_to_string("cscweb/_list.html", {"result": result}))

    return cached(engine, ("page list", list_id, scope, day, team_id, worker_id), build)


@login_required
def teams(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    require_child_level(scope)
    with store() as engine:
        found = _teams(engine, scope)
    return render(request, "cscweb/teams.html", {"teams": found})


@login_required
def team(request: HttpRequest, team_id: str) -> HttpResponse:
    scope = scope_for(request.user)
    require_child_level(scope)
    with store() as engine:
        info = cached(engine, ("team", team_id), lambda: engine.execute(
            "SELECT team_id, team_name, service FROM team WHERE team_id = :t", {"t": team_id}).dicts())
        if not info or not (scope.allows_team(team_id, info[0]["service"]) or scope.kind == "worker"):
            audit.record(request, "team", outcome="denied")
            raise Http404("No such team")
        day = as_at(engine)
        caseload = _list(engine, "list.caseload", scope, day, team_id=team_id)
        results = [_list(engine, list_id, scope, day, team_id=team_id) for list_id in lists.TEAM_PAGE_LISTS]
        findings = cached(engine, ("findings", team_id), lambda: engine.execute(
            """
            SELECT f.rule_code, f.rule_type, f.message, f.child_id, f.worker_id, f.source_file, f.source_row
            FROM finding f
            WHERE f.team_id = :t AND f.check_id IN (SELECT MAX(check_id) FROM check_run GROUP BY return_type)
            ORDER BY f.rule_type, f.rule_code, f.child_id
            """,
            {"t": team_id},
        ).dicts())
    if scope.kind == "worker":
        findings = [f for f in findings if f["worker_id"] == scope.value]
    shown = [c for r, _ in results for c in r.child_ids] + [f["child_id"] for f in findings]
    audit.record(request, "team page", shown)
    return render(request, "cscweb/team.html", {
        "team": info[0], "as_at": day, "caseload": caseload[1], "lists": [html for _, html in results],
        "findings": findings,
    })


@login_required
def worker(request: HttpRequest, worker_id: str) -> HttpResponse:
    scope = scope_for(request.user)
    require_child_level(scope)
    with store() as engine:
        day = as_at(engine)
        info = engine.execute(
            """
            SELECT w.worker_id, w.worker_name, w.role, w.fte, wt.team_id, t.team_name, t.service
            FROM worker w
            LEFT JOIN worker_team wt ON wt.worker_id = w.worker_id AND wt.start_date <= :d
                 AND (wt.end_date IS NULL OR wt.end_date >= :d)
            LEFT JOIN team t ON t.team_id = wt.team_id
            WHERE w.worker_id = :w
            """,
            {"w": worker_id, "d": day},
        ).dicts()
        allowed = bool(info) and (
            scope.kind == "all"
            or (scope.kind == "worker" and scope.value == worker_id)
            or scope.allows_team(info[0]["team_id"], info[0]["service"])
        )
        if not allowed:
            audit.record(request, "supervision pack", outcome="denied")
            raise Http404("No such worker")
        children = engine.execute(
            """
            SELECT a.child_id, a.start_date, c.date_of_birth
            FROM allocation a LEFT JOIN child c ON c.child_id = a.child_id
            WHERE a.worker_id = :w AND a.start_date <= :d AND (a.end_date IS NULL OR a.end_date >= :d)
            ORDER BY a.child_id
            """,
            {"w": worker_id, "d": day},
        ).dicts()
        results = [_list(engine, list_id, scope, day, worker_id=worker_id) for list_id in lists.TEAM_PAGE_LISTS]
        figures = engine.execute(
            """
            SELECT r.indicator_id, r.level, r.value, r.numerator, r.denominator
            FROM indicator_result r
            WHERE r.run_id = (SELECT MAX(run_id) FROM indicator_run)
              AND r.period_start = (SELECT MAX(period_start) FROM indicator_result WHERE run_id = r.run_id)
              AND ((r.level = 'worker' AND r.worker_id = :w) OR (r.level = 'team' AND r.team_id = :t)
                   OR r.level = 'council')
            ORDER BY r.indicator_id, r.level
            """,
            {"w": worker_id, "t": info[0]["team_id"]},
        ).dicts()
    by_indicator: dict[str, dict] = {}
    for row in figures:
        by_indicator.setdefault(row["indicator_id"], {})[row["level"]] = row["value"]
    audit.record(request, "supervision pack",
                 [c["child_id"] for c in children] + [c for r, _ in results for c in r.child_ids])
    return render(request, "cscweb/worker.html", {
        "worker": info[0], "as_at": day, "children": children, "lists": [html for _, html in results],
        "figures": by_indicator,
    })
