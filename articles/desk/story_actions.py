"""The story list's actions: submit for review, publish now, unpublish. Each keeps a
version of the stories it changed, so History shows it."""

import reversion
from django.contrib import admin, messages
from django.utils.translation import ngettext

from articles import services
from articles.models import Article


class StoryActionsMixin:
    """For ArticleAdmin (with `has_publish_permission`): the list's actions."""

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
