"""The purge log on the desk: read-only, for those with the view permission
(the Editors group: articles/roles.py)."""

from django.contrib import admin

from .models import Purge, PurgeCall


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Purge)
class PurgeAdmin(ReadOnly):
    list_display = ["created_at", "state", "short_keys", "reason", "attempts",
                    "sent_at", "answer"]  # fmt: skip
    list_filter = ["state", "backend"]
    search_fields = ["keys", "reason"]
    date_hierarchy = "created_at"

    @admin.display(description="keys")
    def short_keys(self, obj):
        return obj.keys if len(obj.keys) <= 120 else obj.keys[:119] + "…"


@admin.register(PurgeCall)
class PurgeCallAdmin(ReadOnly):
    list_display = ["at", "backend", "key_count", "ok", "answer"]
    list_filter = ["backend", "ok"]
