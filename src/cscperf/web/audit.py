"""Writing the audit log: every view of child-level data, and every refused attempt."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from contextlib import nullcontext

from django.db import connection
from django.http import HttpRequest

from cscperf.web.models import AuditEvent


# SQLite lets one writer in at a time and makes the others retry with growing sleeps (up to 100 ms
# each), which under 20 users put seconds on the slowest requests; threads of one process queue
# here instead, in turn. PostgreSQL takes concurrent inserts as they come.
_sqlite_writer = threading.Lock()


def _address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "")[:64]


def record(request: HttpRequest, action: str, child_ids: Iterable[str] = (), outcome: str = "allowed") -> AuditEvent:
    ids = sorted({str(c) for c in child_ids if c is not None})
    user = request.user
    profile = getattr(user, "staff", None) if user.is_authenticated else None
    with _sqlite_writer if connection.vendor == "sqlite" else nullcontext():
        return _create(user, profile, action, request, outcome, ids)


def _create(user, profile, action, request, outcome, ids) -> AuditEvent:
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
