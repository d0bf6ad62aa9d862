"""The story form's inlines: curated related stories, exclusions, and updates and
corrections."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from articles import policy
from articles.desk.widgets import ReadablePickersMixin
from articles.models import RelatedExclusion, RelatedStory, StoryNote


class StoryPickerInline(ReadablePickersMixin, admin.TabularInline):
    """An inline naming other stories: a desk member picks, and sees, only the
    stories they may read (`policy.readable_stories`)."""

    fk_name = "article"
    extra = 0
    autocomplete_fields = ["story"]

    def get_queryset(self, request):
        # Rows pointing at a story this member may not read stay untouched and
        # unseen (an editor may have added them).
        return (
            super()
            .get_queryset(request)
            .filter(story__in=policy.readable_stories(request.user))
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "story":
            kwargs["queryset"] = policy.readable_stories(request.user)
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


class RelatedExclusionInline(StoryPickerInline):
    model = RelatedExclusion
    verbose_name_plural = _(
        "Excluded stories (never in this story's automatic related list)"
    )
