"""Django admin: users and roles are managed here (or with `cscperf users`); the audit log is
read-only."""

from django.contrib import admin

from cscperf.web.models import AuditEvent, StaffProfile


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "service", "team_id", "worker_id")
    list_filter = ("role",)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "username", "role", "action", "outcome", "child_count")
    list_filter = ("outcome", "action", "role")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
