"""Actions on stories that the desk takes, kept out of views and admin."""

from django.utils import timezone

from . import cache
from .models import Article


def publish_now(stories):
    """Put stories live at once; stories already live keep their publication time."""
    now = timezone.now()
    live = Article.objects.published().values("pk")
    count = stories.exclude(pk__in=live).update(
        status=Article.Status.PUBLISHED, published_at=now, updated_at=now
    )
    cache.bump()  # update() sends no signal
    return count


def unpublish(stories):
    """Take stories off every public page, back to draft."""
    count = stories.exclude(status=Article.Status.DRAFT).update(
        status=Article.Status.DRAFT, updated_at=timezone.now()
    )
    cache.bump()  # update() sends no signal
    return count
