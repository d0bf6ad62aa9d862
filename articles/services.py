"""Actions on stories that the desk takes, kept out of views and admin."""

import reversion
from django.utils import timezone

from . import cache
from .models import Article


def submit_for_review(stories, *, user=None):
    """Send drafts to the editors' queue ("In review")."""
    return stories.filter(status=Article.Status.DRAFT).update(
        status=Article.Status.REVIEW, updated_at=timezone.now(), updated_by=user
    )


def publish_now(stories, *, user=None):
    """Put stories live at once; stories already live keep their publication time."""
    now = timezone.now()
    live = Article.objects.published().values("pk")
    count = stories.exclude(pk__in=live).update(
        status=Article.Status.PUBLISHED, published_at=now, updated_at=now,
        updated_by=user,
    )  # fmt: skip
    cache.bump()  # update() sends no signal
    return count


def unpublish(stories, *, user=None):
    """Take stories off every public page, back to draft."""
    count = stories.exclude(status=Article.Status.DRAFT).update(
        status=Article.Status.DRAFT, updated_at=timezone.now(), updated_by=user
    )
    cache.bump()  # update() sends no signal
    return count


def snapshot_before_delete(stories):
    """Record each story (with its topics and curated links) in the current revision,
    so a deleted story can be recovered even if it was never saved in the admin."""
    for story in stories:
        reversion.add_to_revision(story)
        reversion.set_comment("Deleted.")
