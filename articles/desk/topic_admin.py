"""The topic admin: names, kinds, parents, the featured story, and the aliases,
facts and timeline events inlined below."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from articles import policy
from articles.desk.resilience import SaveOutageMixin
from articles.desk.topic_views import TopicToolsMixin
from articles.desk.widgets import ReadablePickersMixin
from articles.models import Topic, TopicAlias, TopicEvent, TopicFact


class TopicAliasInline(admin.TabularInline):
    model = TopicAlias
    extra = 0
    fields = ["name", "language", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    verbose_name_plural = _(
        "Aliases (typing one in a story's topics attaches this topic; its address "
        "redirects here)"
    )


class TopicFactInline(admin.TabularInline):
    model = TopicFact
    extra = 0
    fields = ["label", "value", "as_of", "source", "position"]


class TopicEventInline(ReadablePickersMixin, admin.TabularInline):
    model = TopicEvent
    extra = 0
    fields = ["date", "text", "story"]
    autocomplete_fields = ["story"]


@admin.register(Topic)
class TopicAdmin(
    SaveOutageMixin, ReadablePickersMixin, TopicToolsMixin, admin.ModelAdmin
):
    list_display = ["name", "kind", "parent", "slug", "story_count", "featured_article"]
    list_filter = ["kind"]
    search_fields = ["name", "name_fr", "slug", "aliases__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["featured_article", "parent"]
    list_select_related = ["featured_article", "parent"]
    fields = [
        "name", "name_fr", "slug", "kind", "parent", "description",
        "featured_article", "old_addresses",
    ]  # fmt: skip
    readonly_fields = ["old_addresses"]
    inlines = [TopicAliasInline, TopicFactInline, TopicEventInline]
    actions = ["merge_selected"]

    def get_queryset(self, request):
        return (
            super().get_queryset(request).annotate(story_count=Count("tagged_articles"))
        )

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if not policy.sees_every_story(request.user):
            # The featured story may be an embargoed draft: not for reporters.
            fields = [name for name in fields if name != "featured_article"]
        return fields

    def get_list_display(self, request):
        fields = super().get_list_display(request)
        if not policy.sees_every_story(request.user):
            fields = [name for name in fields if name != "featured_article"]
        return fields

    @admin.display(description="stories", ordering="story_count")
    def story_count(self, obj):
        return obj.story_count

    @admin.display(description="old addresses (redirect here)")
    def old_addresses(self, obj):
        slugs = [redirect.old_slug for redirect in obj.former_slugs.all()]
        return ", ".join(slugs) or "None"
