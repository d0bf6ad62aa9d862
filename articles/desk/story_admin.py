"""The story admin: who sees what, saving and deleting, the list and its filter.

Its columns and panels, list actions and history pages are mixins of their own
(story_panels, story_actions, history_views); the form is forms.ArticleAdminForm.
"""

import reversion
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.http import Http404
from django.urls import reverse
from reversion.admin import VersionAdmin
from taggit.models import Tag

from articles import policy, services
from articles.desk.forms import ArticleAdminForm, topic_for_name
from articles.desk.history_views import StoryHistoryMixin
from articles.desk.resilience import SaveOutageMixin
from articles.desk.story_actions import StoryActionsMixin
from articles.desk.story_inlines import (
    RelatedExclusionInline,
    RelatedStoryInline,
    StoryNoteInline,
)
from articles.desk.story_panels import StoryPanelsMixin
from articles.desk.translation_views import (
    CorrectionPendingFilter,
    FreshnessFilter,
    LanguageFilter,
    TranslationsMixin,
)
from articles.desk.uploads import LeadImageAdminMixin
from articles.desk.widgets import ReadablePickersMixin
from articles.models import Article

# Topics are our own tag model; taggit's unused one has no place on the desk.
if admin.site.is_registered(Tag):
    admin.site.unregister(Tag)


class StateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("draft", "Draft"),
            ("review", "In review"),
            ("scheduled", "Scheduled"),
            ("published", "Published"),
            ("expired", "Expired"),
        ]

    def queryset(self, request, queryset):
        # The states come from the one live rule (articles/models/live.py).
        known = {value for value, _ in self.lookup_choices}
        return queryset.in_state(self.value()) if self.value() in known else queryset


@admin.register(Article)
class ArticleAdmin(
    SaveOutageMixin,
    LeadImageAdminMixin,
    ReadablePickersMixin,
    TranslationsMixin,
    StoryHistoryMixin,
    StoryPanelsMixin,
    StoryActionsMixin,
    VersionAdmin,
):
    form = ArticleAdminForm
    list_display = [
        "headline",
        "language_label",
        "translation_state",
        "state_label",
        "published_at",
        "topic_list",
        "byline",
        "owner",
    ]
    # A date filter, not date_hierarchy: listing the years scans every story
    # (half a second at 100k on SQLite); these choices cost no query.
    list_filter = [
        StateFilter,
        LanguageFilter,
        FreshnessFilter,
        CorrectionPendingFilter,
        ("published_at", admin.DateFieldListFilter),
        "tags",
        "authors",
    ]
    list_select_related = ["created_by"]
    search_fields = ["headline", "dek"]
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["authors"]
    readonly_fields = [
        "automatic_related",
        "lead_image_preview",
        "created_at",
        "created_by",
        "updated_at",
        "updated_by",
        "old_addresses",
        "links_to",
        "linked_from",
        "language_name",
        "translations_panel",
    ]
    inlines = [RelatedStoryInline, RelatedExclusionInline, StoryNoteInline]
    actions = ["submit_for_review", "publish_now", "unpublish"]
    list_per_page = 50
    show_full_result_count = False
    history_latest_first = True
    change_list_template = "admin/articles/article/change_list.html"
    object_history_template = "admin/articles/article/object_history.html"

    class Media:
        css = {"all": ["css/admin.css"]}
        js = ["js/story-links.js"]

    fieldsets = [
        (
            None,
            {
                "fields": [
                    "headline",
                    "slug",
                    "dek",
                    "body",
                    "link_story",
                    "authors",
                    "tags",
                    "primary_topic",
                ]
            },
        ),
        ("Language and translations", {"fields": ["language", "translations_panel"]}),
        (
            "Related stories chosen automatically",
            {"fields": ["automatic_related"]},
        ),
        (
            "Lead image",
            {
                "fields": [
                    "lead_image",
                    "lead_image_preview",
                    "lead_image_alt",
                    "lead_image_caption",
                    "lead_image_credit",
                ]
            },
        ),
        (
            "Publication",
            {
                "description": "Draft → In review → Published. A published story "
                "with a future publication time is scheduled: it goes live at that "
                "time by itself. With an expiry time it leaves every public page "
                "then.",
                "fields": [
                    "status",
                    "published_at",
                    "unpublish_at",
                    "sources",
                    "opened_version",
                ],
            },
        ),
        ("In-body links", {"fields": ["links_to", "linked_from"]}),
        (
            "Record",
            {
                "classes": ["collapse"],
                "fields": [
                    "created_at",
                    "created_by",
                    "updated_at",
                    "updated_by",
                    "old_addresses",
                ],
            },
        ),
    ]

    def get_fieldsets(self, request, obj=None):
        # A story's language is chosen when it is written: a story in another
        # language is a translation of it, made with "Translate into".
        if obj is None:
            return [
                (name, {**options, "fields": [
                    f for f in options["fields"] if f != "translations_panel"
                ]})
                for name, options in self.fieldsets
            ]  # fmt: skip
        return [
            (name, {**options, "fields": [
                "language_name" if f == "language" else f for f in options["fields"]
            ]})
            for name, options in self.fieldsets
        ]  # fmt: skip

    # Who sees what.

    def get_queryset(self, request):
        stories = super().get_queryset(request).prefetch_related("tags", "authors")
        if getattr(request.resolver_match, "url_name", None) == "autocomplete":
            # Pickers (curated links, in-body links) offer live stories too.
            return policy.readable_stories(request.user, stories)
        return policy.desk_stories(request.user, stories)

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # A story outside this member's desk and a story that does not exist get
        # the same plain 404: the difference is not theirs to learn.
        raise Http404(f"No story {object_id} on your desk. Perhaps it was deleted?")

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            # The read-only panels (links to, linked from) name other stories:
            # only those this desk member may read.
            obj.desk_viewer = request.user
        return obj

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        can_publish = policy.can_publish(request.user)
        visible = policy.readable_stories(request.user)

        class RoleAwareForm(form):
            def __init__(self, *args, **kw):
                super().__init__(*args, can_publish=can_publish, **kw)
                if "link_story" in self.fields:
                    self.fields["link_story"].queryset = visible

        return RoleAwareForm

    def get_search_results(self, request, queryset, search_term):
        # PostgreSQL rejects NUL characters; a pasted one must not become a 500.
        return super().get_search_results(
            request, queryset, search_term.replace("\x00", "")
        )

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not policy.can_publish(request.user):
            fields += ["published_at", "unpublish_at"]
        return fields

    def has_change_permission(self, request, obj=None):
        if obj is not None and not policy.may_change(request.user, obj):
            # Reporters change their own stories, and only until they go live.
            return False
        return super().has_change_permission(request, obj)

    def has_view_permission(self, request, obj=None):
        if obj is not None and not policy.may_open(request.user, obj):
            return False
        return super().has_view_permission(request, obj)

    def has_publish_permission(self, request):
        return policy.can_publish(request.user)

    def view_on_site(self, obj):
        if obj.is_published():
            return obj.get_absolute_url()
        return None

    # Saving and deleting.

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        services.save_story(story=obj, user=request.user)

    def response_change(self, request, obj):
        self.warn_about_links(request, obj)
        return super().response_change(request, obj)

    def response_add(self, request, obj, post_url_continue=None):
        self.warn_about_links(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def delete_model(self, request, obj):
        services.snapshot_before_delete([obj], user=request.user)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        services.snapshot_before_delete(queryset, user=request.user)
        super().delete_queryset(request, queryset)

    def log_addition(self, request, obj, message):
        self._record_final_state(obj)
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        self._record_final_state(obj)
        return super().log_change(request, obj, message)

    def _record_final_state(self, obj):
        # The version was taken when the story row was saved, before save_related
        # settled its primary topic with an update(): record the story as it ends.
        if reversion.is_active():
            reversion.add_to_revision(Article.objects.get(pk=obj.pk))

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        story = form.instance
        topic_ids = set(story.tagged_items.values_list("tag_id", flat=True))
        if story.primary_topic_id in topic_ids:
            return
        first = next(
            (
                topic
                for topic in map(topic_for_name, form.typed_topic_names())
                if topic and topic.pk in topic_ids
            ),
            None,
        )
        Article.objects.filter(pk=story.pk).update(primary_topic=first)
        story.primary_topic = first

    # Pages.

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        obj = self.get_object(request, unquote(object_id))
        if obj is not None:
            # From the story, not the address: "-1" or "١٢" name no preview.
            extra_context["preview_url"] = reverse(
                "articles:article_preview", args=[obj.pk]
            )
            if request.method == "GET":
                self.warn_about_links(request, obj)
        return super().change_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        extra_context = extra_context or {}
        if policy.can_publish(request.user):
            extra_context["review_count"] = Article.objects.filter(
                status=Article.Status.REVIEW
            ).count()
        else:
            extra_context["is_reporter"] = True
        return super().changelist_view(request, extra_context)
