"""Navigation shown on every page, by role."""

from __future__ import annotations

from cscperf.web.access import scope_for


def navigation(request):
    if not request.user.is_authenticated:
        return {"nav": []}
    scope = scope_for(request.user)
    items = [("Indicators", "home")]
    if scope.child_level:
        items.append(("Teams", "teams"))
        items.append(("Data quality", "quality"))
    if scope.can_see_loads:
        items += [("Loads", "loads"), ("Audit log", "audit")]
    return {"nav": items, "scope": scope}
