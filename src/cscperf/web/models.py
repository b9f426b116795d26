"""The app's own tables: who a user is in the service (role and scope), the audit log, and failed
logins for throttling. Children's records stay in the store; nothing here copies them."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cscperf.web.roles import ROLES


Role = models.TextChoices("Role", [(name.upper(), (name, label.split(":")[0])) for name, label in ROLES.items()])


class StaffProfile(models.Model):
    """A user's role and the part of the service they may see."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff")
    role = models.CharField(max_length=32, choices=Role.choices)
    service = models.CharField(max_length=64, blank=True, help_text="Service area (service managers)")
    team_id = models.CharField(max_length=64, blank=True, help_text="Team (team managers)")
    worker_id = models.CharField(max_length=64, blank=True, help_text="Worker (social workers)")

    def __str__(self) -> str:
        return f"{self.user.username} ({self.get_role_display()})"


class AppendOnlyError(Exception):
    pass


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("audit events cannot be changed")

    def delete(self):
        raise AppendOnlyError("audit events cannot be deleted")


class AuditEvent(models.Model):
    """One view of child-level data, or one refused attempt. Append-only: rows are never changed
    or deleted through the app (save of an existing row and delete raise)."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    username = models.CharField(max_length=150)
    role = models.CharField(max_length=32, blank=True)
    action = models.CharField(max_length=64)
    path = models.CharField(max_length=500)
    outcome = models.CharField(max_length=16, default="allowed")
    child_ids = models.TextField(blank=True, help_text="Children shown, ';'-separated")
    child_count = models.IntegerField(default=0)
    address = models.CharField(max_length=64, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("audit events cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit events cannot be deleted")


class LoginFailure(models.Model):
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    username = models.CharField(max_length=150, db_index=True)
    address = models.CharField(max_length=64, blank=True)
