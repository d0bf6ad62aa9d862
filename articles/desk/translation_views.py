"""Translations on the story desk: the list's language and freshness columns and
filters, the form's translations panel, and the two steps it offers (translate
into a language the group lacks, mark a translation up to date), both POSTs.
What they do is articles.translations'; who may is articles.policy's."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language_info
from django.views.decorators.http import require_POST

from articles import policy, translations
from articles.models import StoryNote, language_names


class LanguageFilter(admin.SimpleListFilter):
    title = "language"
    parameter_name = "language"

    def lookups(self, request, model_admin):
        return [(code, language_label(code)) for code in language_names()]

    def queryset(self, request, queryset):
        if self.value() in language_names():
            return queryset.filter(language=self.value())
        return queryset


class FreshnessFilter(admin.SimpleListFilter):
    title = "translations"
    parameter_name = "translation"

    def lookups(self, request, model_admin):
        return [("stale", "Stale"), ("fresh", "Up to date")]

    def queryset(self, request, queryset):
        # The list's queryset carries `source_latest_version` (get_queryset).
        if self.value() == "stale":
            return queryset.filter(translations.stale_q())
        if self.value() == "fresh":
            return queryset.filter(translation_of__isnull=False).exclude(
                translations.stale_q()
            )
        return queryset


class CorrectionPendingFilter(admin.SimpleListFilter):
    title = "correction pending"
    parameter_name = "correction_pending"

    def lookups(self, request, model_admin):
        return [("yes", "Correction pending")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(correction_pending__isnull=False)
        return queryset


def language_label(code):
    """A language as the desk names it: "French" (Django's English name), or its
    name in `settings.LANGUAGES` for a language Django does not know."""
    try:
        return get_language_info(code)["name"]
    except KeyError:
        return language_names().get(code, code)


def stale_words(state):
    """ "Source changed since: N words", or, for a save that changed no word of the
    content (a note, the publication state), that it was saved since."""
    if state.words == 0:
        return "Source saved since; none of its words changed"
    unit = "word" if state.words == 1 else "words"
    return f"Source changed since: {state.words} {unit}"


def _post_button(url, label):
    """A button posting the change form (and its CSRF token) to `url`."""
    return format_html(
        '<button type="submit" class="button" formaction="{}" formmethod="post" '
        "formnovalidate>{}</button>",
        url,
        label,
    )


class TranslationsMixin:
    """For ArticleAdmin: translation pages, columns and the translations panel."""

    def get_urls(self):
        info = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path(
                "<path:object_id>/translate/<str:language>/",
                self.admin_site.admin_view(require_POST(self.translate_view)),
                name=f"{info}_translate",
            ),
            path(
                "<path:object_id>/translation/up-to-date/",
                self.admin_site.admin_view(require_POST(self.up_to_date_view)),
                name=f"{info}_up_to_date",
            ),
        ] + super().get_urls()

    def translate_view(self, request, object_id, language):
        story = (
            policy.readable_stories(request.user).filter(pk=unquote(object_id)).first()
        )
        if story is None:
            raise Http404("No such story.")
        if not policy.may_translate(request.user, story):
            raise PermissionDenied
        try:
            draft = translations.translate_story(
                story=story, language=language, user=request.user
            )
        except ValueError as error:
            self.message_user(request, str(error), messages.WARNING)
            return redirect("admin:articles_article_change", story.pk)
        self.message_user(
            request,
            f"A {language_label(language)} draft to translate: it holds the "
            f"original's text, topics, image and byline; translate the headline, "
            f"dek, body and caption, then send it through review as usual.",
            messages.SUCCESS,
        )
        return redirect("admin:articles_article_change", draft.pk)

    def up_to_date_view(self, request, object_id):
        story = self.get_object(request, unquote(object_id))
        if story is None or not story.translation_of_id:
            raise Http404("No such translation.")
        if not policy.may_mark_up_to_date(request.user, story):
            raise PermissionDenied
        translations.mark_up_to_date(translation=story, user=request.user)
        self.message_user(
            request,
            "Marked as up to date with the source's latest version.",
            messages.SUCCESS,
        )
        return redirect("admin:articles_article_change", story.pk)

    # The list.

    def get_queryset(self, request):
        return translations.with_freshness(super().get_queryset(request))

    @admin.display(description="language", ordering="language")
    def language_label(self, obj):
        return obj.language

    @admin.display(description="translation")
    def translation_state(self, obj):
        parts = []
        if obj.translation_of_id:
            parts.append("stale" if translations.is_stale(obj) else "up to date")
        if obj.correction_pending_id:
            parts.append("correction pending")
        return ", ".join(parts) or "—"

    # The form.

    @admin.display(description="language")
    def language_name(self, obj):
        return language_label(obj.language)

    @admin.display(description="translations")
    def translations_panel(self, obj):
        if obj is None or obj.pk is None:
            return "Save the story first."
        viewer = getattr(obj, "desk_viewer", None)
        if viewer is None:
            return "—"
        parts = []
        if obj.correction_pending_id:
            parts.append(self._pending_line(obj))
        if obj.translation_of_id:
            parts.append(self._freshness_line(obj, viewer))
        else:
            parts.append(self._translations_list(obj, viewer))
        if policy.may_translate(viewer, obj):
            parts.extend(
                _post_button(
                    reverse("admin:articles_article_translate", args=[obj.pk, code]),
                    f"Translate into {language_label(code)}",
                )
                for code, _name in translations.missing_languages(obj)
            )
        return format_html_join("", "<div class='translation-panel'>{}</div>", (
            (part,) for part in parts
        ))  # fmt: skip

    def _pending_line(self, obj):
        note = StoryNote.objects.select_related("article").get(
            pk=obj.correction_pending_id
        )
        return format_html(
            '<p class="correction-pending"><strong>Correction pending:</strong> '
            "the {} version got a {} on {}: “{}”. Add the matching correction note "
            "below to clear this.</p>",
            language_label(note.article.language),
            note.get_kind_display().lower(),
            note.created_at.strftime("%d %b %Y"),
            note.text,
        )

    def _freshness_line(self, obj, viewer):
        state = translations.freshness(obj, user=viewer)
        source = state.source
        visible = policy.readable_stories(viewer).filter(pk=source.pk).exists()
        name = (
            format_html(
                '<a href="{}">{}</a>',
                reverse("admin:articles_article_change", args=[source.pk]),
                source.headline,
            )
            if visible and policy.may_open(viewer, source)
            else (source.headline if visible else f"story {source.pk}")
        )
        head = format_html(
            "Translation of {} ({}).",
            name,
            language_label(source.language),
        )
        if state.up_to_date:
            return format_html('{} <span class="freshness">Up to date</span>', head)
        compare = (
            format_html(' <a href="{}">See what changed</a>', state.compare_url)
            if state.compare_url and policy.may_open(viewer, source)
            else ""
        )
        button = (
            _post_button(
                reverse("admin:articles_article_up_to_date", args=[obj.pk]),
                "Mark as up to date",
            )
            if policy.may_mark_up_to_date(viewer, obj)
            else ""
        )
        return format_html(
            '{} <span class="freshness freshness--stale">{}</span>{} {}',
            head,
            stale_words(state),
            compare,
            button,
        )

    def _translations_list(self, obj, viewer):
        rows = policy.readable_stories(viewer, obj.translations.all()).order_by(
            "language"
        )
        if not rows:
            return "No translations yet."
        items = []
        for row in rows:
            state = translations.freshness(row, user=viewer)
            items.append(
                (
                    reverse("admin:articles_article_change", args=[row.pk]),
                    row.headline,
                    language_label(row.language),
                    row.get_state_display().lower(),
                    "up to date" if state.up_to_date else stale_words(state).lower(),
                )
            )
        return format_html(
            "<ul class='translations'>{}</ul>",
            format_html_join("", '<li><a href="{}">{}</a> ({}, {}): {}</li>', items),
        )

    # Notes: a correction crosses languages in the form's own transaction.

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is StoryNote:
            for note in formset.new_objects:
                translations.note_added(note=note)
