"""Who may see what. A user's role gives a scope — all, a service, a team, or a caseload — and
every child-level query is filtered by it in SQL, so a list can only ever contain children the
user may see."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied

from cscperf.web.models import Role, StaffProfile

CHILD_LEVEL_ROLES = {Role.DIRECTOR, Role.SERVICE_MANAGER, Role.TEAM_MANAGER, Role.SOCIAL_WORKER, Role.ANALYST}


@dataclass(frozen=True)
class Scope:
    role: str
    kind: str  # all | service | team | worker | none
    value: str = ""

    @property
    def child_level(self) -> bool:
        return self.kind != "none"

    @property
    def can_see_loads(self) -> bool:
        return self.role == Role.ANALYST

    def team_filter(self, alias: str = "l") -> tuple[str, dict[str, Any]]:
        """SQL condition (and parameters) limiting rows with a ``team_id`` to this scope's teams."""
        if self.kind == "all":
            return "1 = 1", {}
        if self.kind == "service":
            return f"{alias}.team_id IN (SELECT team_id FROM team WHERE service = :scope_service)", {"scope_service": self.value}
        if self.kind == "team":
            return f"{alias}.team_id = :scope_team", {"scope_team": self.value}
        if self.kind == "worker":
            return f"{alias}.worker_id = :scope_worker", {"scope_worker": self.value}
        return "1 = 0", {}

    def allows_team(self, team_id: str, service_of_team: str | None) -> bool:
        if self.kind == "all":
            return True
        if self.kind == "service":
            return service_of_team == self.value
        if self.kind == "team":
            return team_id == self.value
        return False


def scope_for(user) -> Scope:
    profile: StaffProfile | None = getattr(user, "staff", None) if user.is_authenticated else None
    if profile is None:
        return Scope("none", "none")
    role = profile.role
    if role in (Role.DIRECTOR, Role.ANALYST):
        return Scope(role, "all")
    if role == Role.SERVICE_MANAGER and profile.service:
        return Scope(role, "service", profile.service)
    if role == Role.TEAM_MANAGER and profile.team_id:
        return Scope(role, "team", profile.team_id)
    if role == Role.SOCIAL_WORKER and profile.worker_id:
        return Scope(role, "worker", profile.worker_id)
    return Scope(role, "none")


def require_child_level(scope: Scope) -> None:
    if not scope.child_level:
        raise PermissionDenied("this role sees the public digest only")


def visible_children_sql(scope: Scope) -> tuple[str, dict[str, Any]]:
    """A query returning the child_ids this scope may see on the as-at date (``:as_at``)."""
    condition, params = scope.team_filter("a")
    sql = (
        "SELECT DISTINCT a.child_id FROM allocation a "
        "WHERE a.start_date <= :as_at AND (a.end_date IS NULL OR a.end_date >= :as_at) AND " + condition
    )
    if scope.kind == "all":
        sql = "SELECT child_id FROM child"
    return sql, params
