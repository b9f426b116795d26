"""Writing the audit log: every view of child-level data, and every refused attempt."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest

from cscperf.web.models import AuditEvent


def _address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "")[:64]


def record(request: HttpRequest, action: str, child_ids: Iterable[str] = (), outcome: str = "allowed") -> AuditEvent:
    ids = sorted({str(c) for c in child_ids if c is not None})
    user = request.user
    profile = getattr(user, "staff", None) if user.is_authenticated else None
    return AuditEvent.objects.create(
        username=user.get_username() if user.is_authenticated else "",
        role=profile.role if profile else "",
        action=action,
        path=request.get_full_path()[:500],
        outcome=outcome,
        child_ids=";".join(ids),
        child_count=len(ids),
        address=_address(request),
    )
