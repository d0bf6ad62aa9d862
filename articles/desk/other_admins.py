"""The smaller admins: bylines, old story addresses and the topic-merge log."""

from django.contrib import admin

from articles.desk.widgets import ReadablePickersMixin
from articles.models import Author, SlugRedirect, TopicMerge


@admin.register(TopicMerge)
class TopicMergeAdmin(admin.ModelAdmin):
    list_display = [
        "merged_at",
        "source_name",
        "target_name",
        "stories_moved",
        "merged_by",
    ]
    list_select_related = ["merged_by"]
    readonly_fields = [f.name for f in TopicMerge._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(SlugRedirect)
class SlugRedirectAdmin(ReadablePickersMixin, admin.ModelAdmin):
    list_display = ["old_slug", "article", "created_at"]
    search_fields = ["old_slug", "article__headline"]
    list_select_related = ["article"]
    autocomplete_fields = ["article"]
