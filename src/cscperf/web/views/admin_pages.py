"""Data quality, load history and the audit log (with export)."""

from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cscperf.web import audit
from cscperf.web.access import require_child_level, scope_for
from cscperf.web.data import store
from cscperf.web.models import AuditEvent


@login_required
def quality(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    require_child_level(scope)
    condition, params = scope.team_filter("f")
    with store() as engine:
        latest = "f.check_id IN (SELECT MAX(check_id) FROM check_run GROUP BY return_type)"
        by_rule = engine.execute(
            f"""
            SELECT f.rule_code, f.rule_type, f.message, COUNT(*) AS findings, COUNT(DISTINCT f.child_id) AS children
            FROM finding f WHERE {latest} AND {condition}
            GROUP BY f.rule_code, f.rule_type, f.message
            ORDER BY findings DESC, f.rule_code
            """,
            params,
        ).dicts()
        by_team = engine.execute(
            f"""
            SELECT COALESCE(t.team_name, 'Not allocated') AS team, COUNT(*) AS findings
            FROM finding f LEFT JOIN team t ON t.team_id = f.team_id
            WHERE {latest} AND {condition}
            GROUP BY COALESCE(t.team_name, 'Not allocated') ORDER BY findings DESC
            """,
            params,
        ).dicts()
        runs = engine.execute(
            "SELECT check_id, checked_at, return_type, collection_year, findings FROM check_run ORDER BY check_id DESC LIMIT 12"
        ).dicts()
    return render(request, "cscweb/quality.html", {"by_rule": by_rule, "by_team": by_team, "runs": runs})


@login_required
def loads(request: HttpRequest) -> HttpResponse:
    if not scope_for(request.user).can_see_loads:
        raise PermissionDenied("analysts only")
    with store() as engine:
        rows = engine.execute(
            "SELECT load_id, started_at, loaded_by, status, source_format, as_at, rows_read, rows_loaded, "
            "rows_rejected, superseded_by, message FROM load ORDER BY load_id DESC LIMIT 200"
        ).dicts()
    return render(request, "cscweb/loads.html", {"loads": rows})


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    if not scope_for(request.user).can_see_loads:
        raise PermissionDenied("analysts only")
    events = AuditEvent.objects.all()
    if request.GET.get("format") == "csv":
        audit.record(request, "audit export", [c for e in events for c in e.child_ids.split(";") if c])
        response = HttpResponse(content_type="text/csv")
        response["Content-Disposition"] = 'attachment; filename="cscperf-audit.csv"'
        writer = csv.writer(response)
        writer.writerow(["at", "username", "role", "action", "path", "outcome", "child_count", "child_ids", "address"])
        for e in events.iterator():
            writer.writerow([e.at.isoformat(), e.username, e.role, e.action, e.path, e.outcome, e.child_count, e.child_ids, e.address])
        return response
    return render(request, "cscweb/audit.html", {"events": events[:500]})
