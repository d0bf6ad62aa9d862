from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from . import related, services, topics
from .models import (
    Article,
    Author,
    RelatedExclusion,
    RelatedStory,
    SlugRedirect,
    Topic,
    TopicAlias,
    TopicEvent,
    TopicFact,
    TopicMerge,
)

PUBLISH_PERMISSION = "articles.publish_article"


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
        now = timezone.now()
        published = Article.Status.PUBLISHED
        match self.value():
            case "draft" | "review" as status:
                return queryset.filter(status=status)
            case "scheduled":
                return queryset.filter(status=published, published_at__gt=now)
            case "published":
                return queryset.published()
            case "expired":
                return queryset.filter(status=published, unpublish_at__lte=now)
        return queryset


class RelatedStoryInline(admin.TabularInline):
    model = RelatedStory
    fk_name = "article"
    extra = 0
    autocomplete_fields = ["story"]
    fields = ["story", "position"]
    verbose_name = "curated related story"
    verbose_name_plural = (
        "Curated related stories (shown first, in this order; the rest are chosen by "
        "shared topics)"
    )


class ArticleAdminForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = [
            "headline", "slug", "dek", "body", "authors", "tags", "primary_topic",
            "lead_image",
            "lead_image_alt", "lead_image_caption", "lead_image_credit", "status",
            "published_at", "unpublish_at", "sources",
        ]  # fmt: skip

    def __init__(self, *args, can_publish=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.can_publish = can_publish
        if "primary_topic" in self.fields:
            # Offer the story's own topics; a new story takes its first typed one.
            self.fields["primary_topic"].queryset = Topic.objects.filter(
                tagged_articles__content_object_id=self.instance.pk or 0
            )
        if not can_publish and "status" in self.fields:
            self.fields["status"].choices = [
                choice
                for choice in self.fields["status"].choices
                if choice[0] != Article.Status.PUBLISHED
            ]

    def clean_status(self):
        status = self.cleaned_data["status"]
        if status == Article.Status.PUBLISHED and not self.can_publish:
            raise forms.ValidationError("Only editors can publish a story.")
        return status

    def clean(self):
        cleaned = super().clean()
        primary, names = cleaned.get("primary_topic"), cleaned.get("tags")
        if primary and names is not None:
            typed = {topic.pk for topic in map(topic_for_name, names) if topic}
            if primary.pk not in typed:
                self.add_error(
                    "primary_topic",
                    _("Pick one of the story's topics, or leave it empty."),
                )
        return cleaned

    def typed_topic_names(self):
        """The topic names in the order the editor typed them."""
        raw = self.data.get(self.add_prefix("tags"), "") or ""
        parts = raw.split(",") if "," in raw else raw.split()
        return [part.strip().strip('"').strip() for part in parts if part.strip()]


def topic_for_name(name):
    return Topic.objects.filter(name__iexact=name).first()


class RelatedExclusionInline(admin.TabularInline):
    model = RelatedExclusion
    fk_name = "article"
    extra = 0
    autocomplete_fields = ["story"]
    verbose_name_plural = _(
        "Excluded stories (never in this story's automatic related list)"
    )


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = ["headline", "state_label", "published_at", "topic_list", "byline"]
    list_filter = [StateFilter, "tags", "authors"]
    list_select_related = True
    search_fields = ["headline", "dek"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["authors"]
    readonly_fields = [
        "automatic_related",
        "lead_image_preview",
        "created_at",
        "updated_at",
        "old_addresses",
    ]
    inlines = [RelatedStoryInline, RelatedExclusionInline]
    actions = ["publish_now", "unpublish"]
    list_per_page = 50
    show_full_result_count = False

    class Media:
        css = {"all": ["css/admin.css"]}

    fieldsets = [
        (
            None,
            {
                "fields": [
                    "headline",
                    "slug",
                    "dek",
                    "body",
                    "authors",
                    "tags",
                    "primary_topic",
                ]
            },
        ),
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
            {"fields": ["status", "published_at", "unpublish_at", "sources"]},
        ),
        (
            "Record",
            {
                "classes": ["collapse"],
                "fields": ["created_at", "updated_at", "old_addresses"],
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("tags", "authors")

    def get_search_results(self, request, queryset, search_term):
        # PostgreSQL rejects NUL characters; a pasted one must not become a 500.
        return super().get_search_results(
            request, queryset, search_term.replace("\x00", "")
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        can_publish = request.user.has_perm(PUBLISH_PERMISSION)

        class RoleAwareForm(form):
            def __init__(self, *args, **kw):
                super().__init__(*args, can_publish=can_publish, **kw)

        return RoleAwareForm

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.has_perm(PUBLISH_PERMISSION):
            fields += ["published_at", "unpublish_at"]
        return fields

    def has_change_permission(self, request, obj=None):
        # Once a story is live, only someone who may publish may change it.
        if (
            obj is not None
            and obj.status == Article.Status.PUBLISHED
            and not request.user.has_perm(PUBLISH_PERMISSION)
        ):
            return False
        return super().has_change_permission(request, obj)

    def has_publish_permission(self, request):
        return request.user.has_perm(PUBLISH_PERMISSION)

    def view_on_site(self, obj):
        if obj.is_published():
            return obj.get_absolute_url()
        return None

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        extra_context["preview_url"] = reverse(
            "articles:article_preview", args=[object_id]
        )
        return super().change_view(request, object_id, form_url, extra_context)

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

    @admin.display(description="automatic list (after the curated picks)")
    def automatic_related(self, obj):
        if obj is None or obj.pk is None:
            return "Save the story with its topics to see the list readers will get."
        stories = related.automatic_stories(obj)
        if not stories:
            return "None yet: no live story shares a topic within the age limit."
        return format_html(
            "<ol>{}</ol>",
            format_html_join(
                "",
                '<li><a href="{}">{}</a> ({}) <small>Shares: {}</small></li>',
                (
                    (
                        reverse("admin:articles_article_change", args=[story.pk]),
                        story.headline,
                        story.published_at.strftime("%d %b %Y"),
                        ", ".join(topic.name for topic in story.shared_topics),
                    )
                    for story in stories
                ),
            ),
        )

    @admin.display(description="state", ordering="status")
    def state_label(self, obj):
        return format_html(
            '<span class="state state--{}">{}</span>',
            obj.state,
            obj.get_state_display(),
        )

    @admin.display(description="topics")
    def topic_list(self, obj):
        return ", ".join(topic.name for topic in sorted(obj.tags.all()))

    @admin.display(description="byline")
    def byline(self, obj):
        return ", ".join(author.name for author in obj.authors.all())

    @admin.display(description="preview")
    def lead_image_preview(self, obj):
        if not obj.lead_image:
            return "No image yet."
        return format_html(
            '<img src="{}" alt="{}" style="max-width:320px;height:auto">',
            obj.lead_image.url,
            obj.lead_image_alt,
        )

    @admin.display(description="old addresses (redirect here)")
    def old_addresses(self, obj):
        slugs = [redirect.old_slug for redirect in obj.old_slugs.all()]
        return ", ".join(slugs) or "None"

    @admin.action(description="Publish selected stories now", permissions=["publish"])
    def publish_now(self, request, queryset):
        count = services.publish_now(queryset)
        self.message_user(request, f"Published {count} stories.", messages.SUCCESS)

    @admin.action(description="Unpublish selected stories", permissions=["publish"])
    def unpublish(self, request, queryset):
        count = services.unpublish(queryset)
        self.message_user(
            request,
            f"Unpublished {count} stories; they are drafts again.",
            messages.SUCCESS,
        )


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


class TopicEventInline(admin.TabularInline):
    model = TopicEvent
    extra = 0
    fields = ["date", "text", "story"]
    autocomplete_fields = ["story"]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
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

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("merge/", view(self.merge_view), name="articles_topic_merge"),
            path("health/", view(self.health_view), name="articles_topic_health"),
            *super().get_urls(),
        ]

    @admin.display(description="stories", ordering="story_count")
    def story_count(self, obj):
        return obj.story_count

    @admin.display(description="old addresses (redirect here)")
    def old_addresses(self, obj):
        slugs = [redirect.old_slug for redirect in obj.former_slugs.all()]
        return ", ".join(slugs) or "None"

    @admin.action(description="Merge selected topics…", permissions=["delete"])
    def merge_selected(self, request, queryset):
        ids = ",".join(str(pk) for pk in queryset.values_list("pk", flat=True))
        return HttpResponseRedirect(
            f"{reverse('admin:articles_topic_merge')}?ids={ids}"
        )

    def merge_view(self, request):
        """Confirm, then fold every selected topic into the one the editor keeps."""
        if not (
            self.has_change_permission(request) and self.has_delete_permission(request)
        ):
            raise PermissionDenied
        raw = request.POST.get("ids") or request.GET.get("ids") or ""
        ids = [int(part) for part in raw.split(",") if part.strip().isdigit()]
        chosen = list(self.get_queryset(request).filter(pk__in=ids))
        changelist = reverse("admin:articles_topic_changelist")
        if len(chosen) < 2:
            self.message_user(
                request, "Select at least two topics to merge.", messages.WARNING
            )
            return redirect(changelist)
        chosen.sort(key=lambda topic: (-topic.story_count, topic.name_key))
        target_id = request.POST.get("target") or request.GET.get("target")
        target = next((t for t in chosen if str(t.pk) == target_id), chosen[0])
        sources = [topic for topic in chosen if topic.pk != target.pk]
        if request.method == "POST" and "confirm" in request.POST:
            for source in sources:
                record = services.merge_topics(
                    source=source, target=target, user=request.user
                )
                self.message_user(
                    request,
                    f"Merged “{record.source_name}” into “{target.name}”: "
                    f"{record.stories_moved} stories moved, "
                    f"{record.stories_already_tagged} already had both.",
                    messages.SUCCESS,
                )
            return redirect(reverse("admin:articles_topic_change", args=[target.pk]))
        previews = [
            (source, services.merge_preview(source=source, target=target))
            for source in sources
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Merge topics into “{target.name}”",
            "chosen": chosen,
            "target": target,
            "previews": previews,
            "ids": ",".join(str(topic.pk) for topic in chosen),
            "recent_merges": TopicMerge.objects.select_related("merged_by")[:10],
        }
        return TemplateResponse(request, "admin/articles/topic/merge.html", context)

    def health_view(self, request):
        """Near-duplicates, topics used once, topics too common to help."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Topic health",
            "health": topics.topic_health(),
            "merge_url": reverse("admin:articles_topic_merge"),
        }
        return TemplateResponse(request, "admin/articles/topic/health.html", context)


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
class SlugRedirectAdmin(admin.ModelAdmin):
    list_display = ["old_slug", "article", "created_at"]
    search_fields = ["old_slug", "article__headline"]
    list_select_related = ["article"]
    autocomplete_fields = ["article"]
