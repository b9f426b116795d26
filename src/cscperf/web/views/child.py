"""A child's timeline: every dated event the store holds for one child, oldest first.

Only children inside the user's scope can be opened; anything else answers 404 (not 403, so the
existence of a child is not disclosed) and the attempt is audited.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from cscperf.web import audit
from cscperf.web.access import require_child_level, scope_for, visible_children_sql
from cscperf.web.data import as_at, store

TIMELINE_SQL = """
SELECT event_date, event, detail FROM (
  SELECT contact_date AS event_date, 'Contact' AS event, contact_source AS detail FROM contact WHERE child_id = :c
  UNION ALL SELECT referral_date, 'Referral', referral_source FROM referral WHERE child_id = :c
  UNION ALL SELECT closure_date, 'Child in need episode closed', closure_reason FROM referral WHERE child_id = :c AND closure_date IS NOT NULL
  UNION ALL SELECT start_date, 'Assessment started', NULL FROM assessment WHERE child_id = :c
  UNION ALL SELECT authorised_date, 'Assessment authorised', factors FROM assessment WHERE child_id = :c AND authorised_date IS NOT NULL
  UNION ALL SELECT start_date, 'Section 47 enquiry', outcome FROM s47_enquiry WHERE child_id = :c
  UNION ALL SELECT icpc_date, 'Initial child protection conference', outcome FROM icpc WHERE child_id = :c
  UNION ALL SELECT start_date, 'Child in need plan started', NULL FROM cin_plan WHERE child_id = :c
  UNION ALL SELECT end_date, 'Child in need plan ended', NULL FROM cin_plan WHERE child_id = :c AND end_date IS NOT NULL
  UNION ALL SELECT start_date, 'Child protection plan started', initial_category FROM cp_plan WHERE child_id = :c
  UNION ALL SELECT end_date, 'Child protection plan ended', latest_category FROM cp_plan WHERE child_id = :c AND end_date IS NOT NULL
  UNION ALL SELECT review_date, 'Child protection review', NULL FROM cp_review WHERE child_id = :c
  UNION ALL SELECT visit_date, 'Visit (' || COALESCE(visit_type, '?') || ')',
                   CASE WHEN seen_alone THEN 'seen alone' WHEN seen THEN 'seen' ELSE NULL END FROM visit WHERE child_id = :c
  UNION ALL SELECT decom, 'Care episode: ' || COALESCE(rne, '?'), COALESCE(legal_status, '') || ' ' || COALESCE(place, '') FROM cla_episode WHERE child_id = :c
  UNION ALL SELECT dec, 'Care episode ended', rec FROM cla_episode WHERE child_id = :c AND dec IS NOT NULL
  UNION ALL SELECT review_date, 'Looked-after review', review_code FROM cla_review WHERE child_id = :c
  UNION ALL SELECT start_date, CASE WHEN missing_type = 'A' THEN 'Away from placement' ELSE 'Missing' END, NULL FROM missing_episode WHERE child_id = :c
  UNION ALL SELECT contact_date, 'Care leaver contact', activity FROM care_leaver WHERE child_id = :c AND contact_date IS NOT NULL
  UNION ALL SELECT adm_decision_date, 'Adoption: should be placed (ADM)', NULL FROM adoption WHERE child_id = :c AND adm_decision_date IS NOT NULL
  UNION ALL SELECT placement_order_date, 'Adoption: placement order', NULL FROM adoption WHERE child_id = :c AND placement_order_date IS NOT NULL
  UNION ALL SELECT match_date, 'Adoption: matched', NULL FROM adoption WHERE child_id = :c AND match_date IS NOT NULL
  UNION ALL SELECT adoption_order_date, 'Adoption order', NULL FROM adoption WHERE child_id = :c AND adoption_order_date IS NOT NULL
) t
WHERE event_date IS NOT NULL
ORDER BY event_date, event
"""


@login_required
def timeline(request: HttpRequest, child_id: str) -> HttpResponse:
    scope = scope_for(request.user)
    require_child_level(scope)
    with store() as engine:
        day = as_at(engine)
        visible_sql, params = visible_children_sql(scope)
        allowed = engine.execute(
            f"SELECT COUNT(*) FROM ({visible_sql}) v WHERE v.child_id = :c", {**params, "as_at": day, "c": child_id}
        ).scalar()
        if not allowed:
            audit.record(request, "child timeline", [child_id], outcome="denied")
            raise Http404("No such child")
        child = engine.execute(
            "SELECT child_id, sex, ethnicity, date_of_birth, disabilities, uasc FROM child WHERE child_id = :c",
            {"c": child_id},
        ).dicts()
        events = engine.execute(TIMELINE_SQL, {"c": child_id}).dicts()
        allocations = engine.execute(
            "SELECT worker_id, team_id, start_date, end_date FROM allocation WHERE child_id = :c ORDER BY start_date",
            {"c": child_id},
        ).dicts()
    audit.record(request, "child timeline", [child_id])
    return render(request, "cscweb/child.html", {
        "child": child[0] if child else {"child_id": child_id}, "events": events, "allocations": allocations, "as_at": day,
    })
