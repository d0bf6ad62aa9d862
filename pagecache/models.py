from django.db import models


class ContentGeneration(models.Model):
    """One row, bumped in the same transaction as any change to public content.

    Cached pages carry the generation they were rendered at (pagecache/generation.py);
    a bump makes every one of them a miss on every app server at once. The row also
    keeps the next time a page changes by the clock alone (pagecache/clocks.py).
    """

    generation = models.BigIntegerField()
    # Microseconds since the epoch: read with one plain SQL statement per request.
    next_change_us = models.BigIntegerField(null=True, blank=True)
    next_change_for = models.BigIntegerField(
        null=True, help_text="The generation `next_change_us` was looked up for."
    )

    class Meta:
        # The table the articles app created (its migration 0006): the model moved
        # here, the row stayed where it was.
        db_table = "articles_contentgeneration"

    def __str__(self):
        return f"content generation {self.generation}"
