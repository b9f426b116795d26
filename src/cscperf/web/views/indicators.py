"""An indicator's page (series, breakdown by team and worker) and the drill-down to the records
behind any figure. Drill-down lists children, so it is scoped and audited like every child list."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from cscperf.core.errors import CscperfError
from cscperf.web import audit, figures
from cscperf.web.access import require_child_level, scope_for
from cscperf.web.cache import cached
from cscperf.web.data import store


def _indicator(indicator_id: str) -> dict:
    from cscperf.indicators.api import catalogue

    for item in catalogue():
        if item["id"] == indicator_id:
            return dict(item, in_library=True)
    # An indicator the digest knows (its fallback metadata) but the library does not compute:
    # shown from stored results, without drill-down.
    known = figures.catalogue().get(indicator_id)
    if known is None:
        raise Http404("No such indicator")
    return {"id": known.id, "title": known.title, "area": known.area_title, "polarity": known.polarity,
            "unit": known.unit, "description": known.description, "source": None, "in_library": False}


def _month_key(value) -> str:
    return f"{value.year:04d}-{value.month:02d}"


@login_required
def indicator(request: HttpRequest, indicator_id: str) -> HttpResponse:
    from cscperf.digest.targets import rag

    from cscperf.indicators.api import latest_results

    meta = _indicator(indicator_id)
    scope = scope_for(request.user)
    public = not scope.child_level
    with store() as engine:
        section = figures.section(engine, indicator_id, public)
        month = section.current.month if section and section.current else None
        teams, workers = [], []
        if month is not None and scope.child_level:
            key = _month_key(month)
            teams = latest_results(engine, key, level="team", indicator_ids=[indicator_id])
            workers = latest_results(engine, key, level="worker", indicator_ids=[indicator_id])
            names = dict(engine.execute("SELECT team_id, team_name FROM team").rows())
            services = dict(engine.execute("SELECT team_id, service FROM team").rows())
            target = section.target if section else None
            teams = [dict(t, team_name=names.get(t["team_id"], t["team_id"]),
                          rag=rag(t["value"], target.for_team(t["team_id"]) if target else None)) for t in teams
                     if scope.kind in ("all",) or scope.allows_team(t["team_id"], services.get(t["team_id"]))]
            workers = [w for w in workers if scope.kind == "all"
                       or (scope.kind == "worker" and w["worker_id"] == scope.value)
                       or scope.allows_team(w["team_id"], services.get(w["team_id"]))]
    series = [p for p in section.series if p.value is not None or p.numerator is not None] if section else []
    return render(request, "cscweb/indicator.html", {
        "meta": meta, "section": section, "series": series, "month": month,
        "month_key": _month_key(month) if month else "", "teams": teams, "workers": workers,
        "can_drill": scope.child_level and meta["in_library"], "public": public,
        "chart": figures.chart(section, meta["title"]) if section else None,
        "bench": section.benchmark.latest if section and section.benchmark else None,
        "bench_previous": section.benchmark.previous if section and section.benchmark else None,
    })


@login_required
def drill(request: HttpRequest, indicator_id: str) -> HttpResponse:
    from cscperf.indicators.api import drill as drill_records

    meta = _indicator(indicator_id)
    scope = scope_for(request.user)
    require_child_level(scope)
    month = request.GET.get("month", "")
    part = request.GET.get("part", "numerator")
    team = request.GET.get("team") or None
    worker = request.GET.get("worker") or None
    with store() as engine:
        services = cached(engine, ("services",), lambda: dict(engine.execute("SELECT team_id, service FROM team").rows()))
        if scope.kind == "team":
            if team not in (None, scope.value):
                audit.record(request, "drill-down", outcome="denied")
                raise Http404("No such figure")
            team = scope.value
        if scope.kind == "worker":
            if worker not in (None, scope.value):
                audit.record(request, "drill-down", outcome="denied")
                raise Http404("No such figure")
            worker = scope.value
        if scope.kind == "service" and team is not None and services.get(team) != scope.value:
            audit.record(request, "drill-down", outcome="denied")
            raise Http404("No such figure")
        try:
            records = cached(engine, ("drill", indicator_id, month, part, team, worker),
                             lambda: drill_records(engine, indicator_id, month, team=team, worker=worker, part=part))
        except CscperfError as exc:
            raise Http404(str(exc)) from None
    if scope.kind == "service":
        records = [r for r in records if services.get(r.get("team_id")) == scope.value]
    if scope.kind not in ("all", "team", "worker", "service"):
        raise PermissionDenied
    audit.record(request, "drill-down", [r.get("child_id") for r in records])
    return render(request, "cscweb/drill.html", {
        "meta": meta, "records": records, "month": month, "part": part, "team": team, "worker": worker,
        "total": sum(float(r.get("value") or 0) for r in records),
    })
