from django import forms
from django.contrib import admin, messages
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from . import services
from .models import Article, Author, RelatedStory, SlugRedirect, Topic

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
            "headline", "slug", "dek", "body", "authors", "tags", "lead_image",
            "lead_image_alt", "lead_image_caption", "lead_image_credit", "status",
            "published_at", "unpublish_at", "sources",
        ]  # fmt: skip

    def __init__(self, *args, can_publish=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.can_publish = can_publish
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


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = ["headline", "state_label", "published_at", "topic_list", "byline"]
    # A date filter, not date_hierarchy: listing the years scans every story
    # (half a second at 100k on SQLite); these choices cost no query.
    list_filter = [
        StateFilter,
        ("published_at", admin.DateFieldListFilter),
        "tags",
        "authors",
    ]
    list_select_related = True
    search_fields = ["headline", "dek"]
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["authors"]
    readonly_fields = [
        "lead_image_preview",
        "created_at",
        "updated_at",
        "old_addresses",
    ]
    inlines = [RelatedStoryInline]
    actions = ["publish_now", "unpublish"]
    list_per_page = 50
    show_full_result_count = False

    class Media:
        css = {"all": ["css/admin.css"]}

    fieldsets = [
        (None, {"fields": ["headline", "slug", "dek", "body", "authors", "tags"]}),
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


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "story_count", "featured_article"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["featured_article"]
    list_select_related = ["featured_article"]
    fields = ["name", "slug", "description", "featured_article"]

    def get_queryset(self, request):
        return (
            super().get_queryset(request).annotate(story_count=Count("tagged_articles"))
        )

    @admin.display(description="stories", ordering="story_count")
    def story_count(self, obj):
        return obj.story_count


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
