import reversion
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_prose_editor.fields import ProseEditorFormField
from django_prose_editor.widgets import AdminProseEditorWidget
from reversion.admin import VersionAdmin
from reversion.models import Version
from taggit.models import Tag

from . import related, revisions, services, topic_names, topics
from .desk_resilience import SaveOutageMixin
from .desk_widgets import ReadableAutocompleteSelect, ReadablePickersMixin
from .models import (
    Article,
    Author,
    RelatedExclusion,
    RelatedStory,
    SlugRedirect,
    StoryNote,
    Topic,
    TopicAlias,
    TopicEvent,
    TopicFact,
    TopicMerge,
)
from .uploads import LeadImageAdminMixin

PUBLISH_PERMISSION = "articles.publish_article"

# Topics are our own tag model; taggit's unused one has no place on the desk.
if admin.site.is_registered(Tag):
    admin.site.unregister(Tag)

# The body editor's tools; `story:` links come from the story picker (richtext.py).
BODY_EDITOR = {
    "extensions": {
        "Bold": True,
        "Italic": True,
        "Strike": True,
        "Subscript": True,
        "Superscript": True,
        "Heading": {"levels": [2, 3, 4]},
        "BulletList": True,
        "OrderedList": True,
        "ListItem": True,
        "Blockquote": True,
        "HorizontalRule": True,
        "HardBreak": True,
        "Link": {"enableTarget": False, "protocols": ["story"]},
        "History": True,
        "HTML": True,
        # The editor turns the browser's spell-check off by default; reporters
        # writing in a second language need it most.
        "NoSpellCheck": False,
    }
}


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


class StoryPickerInline(ReadablePickersMixin, admin.TabularInline):
    """An inline naming other stories: a desk member picks, and sees, only the
    stories they may read (`Article.objects.visible_to`)."""

    fk_name = "article"
    extra = 0
    autocomplete_fields = ["story"]

    def get_queryset(self, request):
        # Rows pointing at a story this member may not read stay untouched and
        # unseen (an editor may have added them).
        return (
            super()
            .get_queryset(request)
            .filter(story__in=Article.objects.visible_to(request.user))
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "story":
            kwargs["queryset"] = Article.objects.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class RelatedStoryInline(StoryPickerInline):
    model = RelatedStory
    fields = ["story", "position"]
    verbose_name = "curated related story"
    verbose_name_plural = (
        "Curated related stories (shown first, in this order; the rest are chosen by "
        "shared topics)"
    )


class StoryNoteInline(admin.TabularInline):
    """Updates and corrections: appended by editors, shown to readers newest first."""

    model = StoryNote
    extra = 0
    fields = ["kind", "text", "created_at"]
    verbose_name_plural = (
        "Updates and corrections (shown on the story, newest first; a correction "
        "marks the story “Corrected” in lists and on /corrections/)"
    )


def _changed_by(article):
    who = article.updated_by
    name = (who.get_full_name() or who.get_username()) if who else "someone"
    return name, revisions.when(article.updated_at)


class ArticleAdminForm(forms.ModelForm):
    body = ProseEditorFormField(
        config=BODY_EDITOR,
        widget=AdminProseEditorWidget,
        required=False,
        help_text=Article._meta.get_field("body").help_text,
    )
    link_story = forms.ModelChoiceField(
        queryset=Article.objects.all(),
        required=False,
        label="Link to a story",
        help_text="Select words in the body, choose a story, then press “Link the "
        "selected words”. The link follows the story if its address changes, and "
        "shows as plain text while that story is not published.",
        widget=ReadableAutocompleteSelect(
            RelatedStory._meta.get_field("story"), admin.site
        ),
    )
    opened_version = forms.CharField(required=False, widget=forms.HiddenInput)
    stale_compare_url = None

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
        picker = self.add_prefix("link_story")
        if self.is_bound and picker in self.data:
            # The picker only helps write the body; never echo a posted value back.
            self.data = self.data.copy()
            del self.data[picker]
        if self.instance.pk:
            self.initial["opened_version"] = self.instance.updated_at.isoformat()
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
        # Going live needs a byline; an old story without one can still be fixed.
        if (
            cleaned.get("status") == Article.Status.PUBLISHED
            and self.instance.status != Article.Status.PUBLISHED
            and "authors" in cleaned
            and not cleaned["authors"]
        ):
            self.add_error(
                "authors", "Add a byline before publishing: readers see who wrote it."
            )
        primary, names = cleaned.get("primary_topic"), cleaned.get("tags")
        if primary and names is not None:
            typed = {topic.pk for topic in map(topic_for_name, names) if topic}
            if primary.pk not in typed and "primary_topic" in self.changed_data:
                self.add_error(
                    "primary_topic",
                    _("Pick one of the story's topics, or leave it empty."),
                )
            elif primary.pk not in typed:
                # The editor removed the primary topic's tag: fall back to the first
                # topic typed (save_related picks it) rather than refuse the save.
                cleaned["primary_topic"] = None
        self.check_not_stale()
        return cleaned

    def check_not_stale(self):
        """Refuse to overwrite a save made since this form was opened; keep the text
        typed here, and let a second save overwrite on purpose.

        The admin validates a POST inside the transaction that saves it, so the row
        stays locked from this check to the save: of two saves at the same moment
        the second waits, then finds the first. A form that does not say which
        version it was opened on is refused the same way.
        """
        if not self.instance.pk or not transaction.get_connection().in_atomic_block:
            # Nothing is saved outside the saving transaction (a form drawn again
            # after the database failed, articles/desk_resilience.py).
            return
        opened = self.cleaned_data.get("opened_version") or ""
        current = services.lock_for_save(pk=self.instance.pk)
        if current is None or current.updated_at.isoformat() == opened:
            return
        self.data = self.data.copy()
        self.data[self.add_prefix("opened_version")] = current.updated_at.isoformat()
        self.stale_compare_url = revisions.compare_url_since(current, opened)
        name, when = _changed_by(current)
        if not revisions.parse_moment(opened):
            raise forms.ValidationError(
                "This form did not say which version of the story it was opened on, "
                "so it could overwrite a newer save (the last one: %(name)s, "
                "%(when)s). Your changes are still in the form below and have not "
                "been saved. Check the story's History, then save again.",
                code="stale",
                params={"name": name, "when": when},
            )
        raise forms.ValidationError(
            "%(name)s saved this story at %(when)s, after you opened it. Your changes "
            "are still in the form below and have not been saved. Compare with their "
            "version (link below, or the story's History); save again to replace it "
            "with yours.",
            code="stale",
            params={"name": name, "when": when},
        )

    def typed_topic_names(self):
        """The topic names in the order the editor typed them."""
        raw = self.data.get(self.add_prefix("tags"), "") or ""
        return topic_names.parse_topic_names(raw)

    def clean_tags(self):
        names = self.cleaned_data["tags"]
        long_names = topic_names.too_long(names)
        if long_names:
            raise forms.ValidationError(
                "A topic name is at most %(limit)d characters; this one is "
                "%(length)d: “%(name)s…”. Separate topics with commas.",
                code="topic_too_long",
                params={
                    "limit": topic_names.MAX_NAME_LENGTH,
                    "length": len(long_names[0]),
                    "name": long_names[0][:60],
                },
            )
        return names


def topic_for_name(name):
    return Topic.objects.filter(name__iexact=name).first()


class RelatedExclusionInline(StoryPickerInline):
    model = RelatedExclusion
    verbose_name_plural = _(
        "Excluded stories (never in this story's automatic related list)"
    )


@admin.register(Article)
class ArticleAdmin(
    SaveOutageMixin, LeadImageAdminMixin, ReadablePickersMixin, VersionAdmin
):
    form = ArticleAdminForm
    list_display = [
        "headline",
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

    # Who sees what.

    def get_queryset(self, request):
        stories = super().get_queryset(request).prefetch_related("tags", "authors")
        if getattr(request.resolver_match, "url_name", None) == "autocomplete":
            # Pickers (curated links, in-body links) offer live stories too.
            return stories.visible_to(request.user)
        return stories.editable_by(request.user)

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
        can_publish = request.user.has_perm(PUBLISH_PERMISSION)
        visible = Article.objects.visible_to(request.user)

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
        if not request.user.has_perm(PUBLISH_PERMISSION):
            fields += ["published_at", "unpublish_at"]
        return fields

    def has_change_permission(self, request, obj=None):
        can_publish = request.user.has_perm(PUBLISH_PERMISSION)
        if obj is not None and not can_publish:
            # Reporters change their own stories, and only until they go live.
            if obj.status == Article.Status.PUBLISHED:
                return False
            if obj.created_by_id != request.user.pk:
                return False
        return super().has_change_permission(request, obj)

    def has_view_permission(self, request, obj=None):
        if (
            obj is not None
            and not request.user.has_perm(PUBLISH_PERMISSION)
            and obj.created_by_id != request.user.pk
        ):
            return False
        return super().has_view_permission(request, obj)

    def has_publish_permission(self, request):
        return request.user.has_perm(PUBLISH_PERMISSION)

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

    # Views.

    def get_urls(self):
        info = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path(
                "<path:object_id>/history/compare/",
                self.admin_site.admin_view(self.compare_view),
                name=f"{info}_compare",
            ),
            path(
                "<path:object_id>/history/<int:version_id>/restore/",
                self.admin_site.admin_view(self.restore_view),
                name=f"{info}_restore",
            ),
        ] + super().get_urls()

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
        if request.user.has_perm(PUBLISH_PERMISSION):
            extra_context["review_count"] = Article.objects.filter(
                status=Article.Status.REVIEW
            ).count()
        else:
            extra_context["is_reporter"] = True
        return super().changelist_view(request, extra_context)

    def _editable_version(self, request, object_id, version_id):
        """Restoring is an editor's act, on a story this desk member can reach."""
        if not request.user.has_perm(PUBLISH_PERMISSION):
            raise PermissionDenied
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404("No such story.")
        version = get_object_or_404(Version.objects.get_for_object(obj), pk=version_id)
        return obj, version

    def revision_view(self, request, object_id, version_id, extra_context=None):
        # Reversion's own "revert" form rolls every followed row back, notes
        # included; the confirmation page restores the content and says so.
        obj, version = self._editable_version(request, object_id, version_id)
        return redirect("admin:articles_article_restore", obj.pk, version.pk)

    def recover_view(self, request, version_id, extra_context=None):
        """Confirm, then bring a deleted story back whole (revisions.recover)."""
        if not request.user.has_perm(PUBLISH_PERMISSION):
            raise PermissionDenied
        version = revisions.deleted_version(version_id)
        if version is None:
            # A second press of "Recover", or a colleague was quicker: say so.
            back = revisions.story_of_version(version_id)
            if back is None:
                raise Http404("No deleted story with that version.")
            self.message_user(
                request, f"“{back}” is not deleted (any more).", messages.INFO
            )
            return redirect("admin:articles_article_change", back.pk)
        if request.method == "POST":
            republish = bool(request.POST.get("republish"))
            try:
                story = revisions.recover(
                    version, user=request.user, republish=republish
                )
            except revisions.NotRecoverableError as error:
                self.message_user(request, str(error), messages.WARNING)
                return redirect("admin:articles_article_changelist")
            self.message_user(
                request,
                f"Recovered “{story.headline}” with its topics, links, notes and "
                f"image; it is {story.get_state_display().lower()} now.",
                messages.SUCCESS,
            )
            return redirect("admin:articles_article_change", story.pk)
        plan = revisions.recovery_plan(version, user=request.user)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Recover “{plan.headline}”",
            "plan": plan,
        }
        return TemplateResponse(request, "admin/articles/article/recover.html", context)

    def recoverlist_view(self, request, extra_context=None):
        if not request.user.has_perm(PUBLISH_PERMISSION):
            raise PermissionDenied
        return super().recoverlist_view(request, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_view_or_change_permission(request, obj):
            raise Http404("No such story.")
        versions = list(
            Version.objects.get_for_object(obj)
            .select_related("revision__user")
            .order_by("-revision__date_created", "-pk")
        )
        comments = revisions.history_comments(
            [version.revision for version in versions], user=request.user
        )
        action_list = [
            {
                "revision": version.revision,
                "comment": comments[version.revision_id],
                "version_id": version.pk,
                "url": reverse(
                    "admin:articles_article_restore", args=[obj.pk, version.pk]
                ),
            }
            for version in versions
        ]
        context = {
            "action_list": action_list,
            "can_restore": request.user.has_perm(PUBLISH_PERMISSION),
            **(extra_context or {}),
        }
        # Skip reversion's own list: ours carries version ids for comparing.
        return admin.ModelAdmin.history_view(self, request, object_id, context)

    def compare_view(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_view_or_change_permission(request, obj):
            raise Http404("No such story.")
        versions = Version.objects.get_for_object(obj).select_related("revision__user")
        try:
            old = versions.get(pk=int(request.GET.get("from", "")))
            new = versions.get(pk=int(request.GET.get("to", "")))
        except (ValueError, Version.DoesNotExist):
            raise Http404("Choose two versions of this story.") from None
        if old.revision.date_created > new.revision.date_created:
            old, new = new, old
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": obj,
            "title": f"Changes to “{obj}”",
            "old": old,
            "new": new,
            "rows": revisions.compare(old, new, user=request.user),
            "can_restore": request.user.has_perm(PUBLISH_PERMISSION),
        }
        return TemplateResponse(request, "admin/articles/article/compare.html", context)

    def restore_view(self, request, object_id, version_id):
        """GET: what restoring this version would change. POST: restore it."""
        obj, version = self._editable_version(request, object_id, version_id)
        then = revisions.when(version.revision.date_created)
        if request.method == "POST":
            try:
                revisions.restore(
                    obj,
                    version,
                    user=request.user,
                    state=bool(request.POST.get("restore_state")),
                    address=bool(request.POST.get("restore_address")),
                    opened=request.POST.get("opened_version", ""),
                )
            except revisions.StaleError as error:
                self.message_user(
                    request,
                    f"{error}, after you opened this page; nothing was restored. "
                    "Here is what a restore would change now.",
                    messages.WARNING,
                )
                obj = self.get_object(request, unquote(object_id)) or obj
            else:
                self.message_user(
                    request,
                    f"Restored the content of the version of {then}.",
                    messages.SUCCESS,
                )
                return redirect("admin:articles_article_change", obj.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": obj,
            "title": f"Restore the version of {then}?",
            "plan": revisions.restore_plan(obj, version, user=request.user),
        }
        return TemplateResponse(request, "admin/articles/article/restore.html", context)

    # Columns and read-only fields.

    def warn_about_links(self, request, obj):
        obj.desk_viewer = request.user
        broken = [label for _, label, ok in self.story_link_rows(obj) if not ok]
        if not broken:
            return
        warning = (
            "This story links to stories readers cannot see yet; those links show "
            "as plain text until they are published: " + "; ".join(broken)
        )
        # "Save and continue" warns on saving, then opens the form again: once.
        if any(str(m) == warning for m in messages.get_messages(request)):
            return
        self.message_user(request, warning, messages.WARNING)

    @staticmethod
    def visible_stories(obj):
        """The stories the desk member looking at `obj` may read about."""
        viewer = getattr(obj, "desk_viewer", None)
        if viewer is None:
            return Article.objects.none()
        return Article.objects.visible_to(viewer)

    def story_link_rows(self, obj):
        """(url, label, is_public) for each story `obj` links to in its body.

        A story the viewer may not read is named by its number alone, whether it
        exists or not: its headline and state are not theirs to learn.
        """
        if obj is None or obj.pk is None:
            return []
        ids = list(obj.links_out.values_list("target_id", flat=True))
        targets = self.visible_stories(obj).in_bulk(ids)
        can_see_all = getattr(obj, "desk_viewer", None) is not None and (
            obj.desk_viewer.has_perm(PUBLISH_PERMISSION)
        )
        rows = []
        for pk in sorted(ids):
            target = targets.get(pk)
            if target is None:
                why = "deleted" if can_see_all else "not public"
                rows.append(("", f"story #{pk} ({why})", False))
                continue
            url = reverse("admin:articles_article_change", args=[pk])
            state = target.state
            label = f"{target.headline} ({target.get_state_display().lower()})"
            rows.append((url, label, state == "published"))
        return rows

    @admin.display(description="links to")
    def links_to(self, obj):
        rows = self.story_link_rows(obj)
        if not rows:
            return "No in-body links to other stories."
        return format_html(
            "<ul class='story-links'>{}</ul>",
            format_html_join(
                "",
                "<li class='{}'>{}</li>",
                (
                    (
                        "" if ok else "story-links__warning",
                        format_html("<a href='{}'>{}</a>", url, label)
                        if url
                        else label,
                    )
                    for url, label, ok in rows
                ),
            ),
        )

    @admin.display(description="linked from")
    def linked_from(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        sources = (
            self.visible_stories(obj).filter(links_out__target=obj).order_by("headline")
        )
        if not sources:
            return "No story links here yet."
        return format_html(
            "<ul class='story-links'>{}</ul>",
            format_html_join(
                "",
                "<li><a href='{}'>{}</a> ({})</li>",
                (
                    (
                        reverse("admin:articles_article_change", args=[source.pk]),
                        source.headline,
                        source.get_state_display().lower(),
                    )
                    for source in sources
                ),
            ),
        )

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

    @admin.display(description="started by", ordering="created_by__username")
    def owner(self, obj):
        return obj.created_by.get_username() if obj.created_by else "—"

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

    # Actions.

    def record_action(self, queryset, comment):
        """Keep a version of each story an action changed, so History shows it."""
        pks = [story.pk for story in queryset]
        for story in Article.objects.filter(pk__in=pks):
            reversion.add_to_revision(story)
        reversion.set_comment(comment)

    @admin.action(
        description="Submit selected drafts for review", permissions=["change"]
    )
    def submit_for_review(self, request, queryset):
        count = services.submit_for_review(queryset, user=request.user)
        self.record_action(queryset, "Submitted for review.")
        self.message_user(
            request,
            ngettext(
                "Submitted %(count)d story for review; editors see it under "
                "“In review”.",
                "Submitted %(count)d stories for review; editors see them under "
                "“In review”.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description="Publish selected stories now", permissions=["publish"])
    def publish_now(self, request, queryset):
        unsigned = list(
            queryset.filter(authors__isnull=True)
            .exclude(pk__in=Article.objects.published().values("pk"))
            .values_list("headline", flat=True)
        )
        if unsigned:
            self.message_user(
                request,
                ngettext(
                    "Not published, no byline yet: %(headlines)s.",
                    "Not published, no bylines yet: %(headlines)s.",
                    len(unsigned),
                )
                % {"headlines": "; ".join(unsigned)},
                messages.WARNING,
            )
            queryset = queryset.exclude(authors__isnull=True)
        count = services.publish_now(queryset, user=request.user)
        self.record_action(queryset, "Published from the list.")
        self.message_user(
            request,
            ngettext(
                "Published %(count)d story.", "Published %(count)d stories.", count
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description="Unpublish selected stories", permissions=["publish"])
    def unpublish(self, request, queryset):
        count = services.unpublish(queryset, user=request.user)
        self.record_action(queryset, "Unpublished from the list.")
        self.message_user(
            request,
            ngettext(
                "Unpublished %(count)d story; it is a draft again.",
                "Unpublished %(count)d stories; they are drafts again.",
                count,
            )
            % {"count": count},
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


class TopicEventInline(ReadablePickersMixin, admin.TabularInline):
    model = TopicEvent
    extra = 0
    fields = ["date", "text", "story"]
    autocomplete_fields = ["story"]


@admin.register(Topic)
class TopicAdmin(SaveOutageMixin, ReadablePickersMixin, admin.ModelAdmin):
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
        if not request.user.has_perm(PUBLISH_PERMISSION):
            # The featured story may be an embargoed draft: not for reporters.
            fields = [name for name in fields if name != "featured_article"]
        return fields

    def get_list_display(self, request):
        fields = super().get_list_display(request)
        if not request.user.has_perm(PUBLISH_PERMISSION):
            fields = [name for name in fields if name != "featured_article"]
        return fields

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
class SlugRedirectAdmin(ReadablePickersMixin, admin.ModelAdmin):
    list_display = ["old_slug", "article", "created_at"]
    search_fields = ["old_slug", "article__headline"]
    list_select_related = ["article"]
    autocomplete_fields = ["article"]
