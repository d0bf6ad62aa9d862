"""The page cache's state in the database: the content generation and the key of
the cached topic statistics.

Kept apart so the page cache can take them into an app of its own."""

from django.db import models


class ContentGeneration(models.Model):
    """One row, bumped in the same transaction as any change to public content.

    Cached pages carry the generation they were rendered at (articles/cache.py); a
    bump makes every one of them a miss on every app server at once. The row also
    keeps the next time a scheduled story goes live or an expiry passes.
    """

    generation = models.BigIntegerField()
    # Microseconds since the epoch: read with one plain SQL statement per request.
    next_change_us = models.BigIntegerField(null=True, blank=True)
    next_change_for = models.BigIntegerField(
        null=True, help_text="The generation `next_change_us` was looked up for."
    )

    def __str__(self):
        return f"content generation {self.generation}"


TOPIC_STATS_CACHE_KEY = "topics:stats:v2"
