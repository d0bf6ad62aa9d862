"""The purge outbox and log: one row per change, written in its transaction."""

from django.db import models
from django.utils import timezone


class Purge(models.Model):
    """The surrogate keys one change made stale, and how sending them went."""

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed (gave up)"

    keys = models.TextField(help_text="The surrogate keys purged, space-separated.")
    reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    state = models.CharField(
        max_length=10, choices=State.choices, default=State.PENDING, db_index=True
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    backend = models.CharField(max_length=20, blank=True)
    answer = models.TextField(blank=True, help_text="The provider's last answer.")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]

    def __str__(self):
        return f"Purge {self.pk}: {self.keys[:60]}"

    @property
    def retries(self):
        return max(self.attempts - 1, 0)

    def key_list(self):
        return self.keys.split()


class PurgeCall(models.Model):
    """One call to the provider: what rate limits are counted on."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    backend = models.CharField(max_length=20)
    key_count = models.PositiveIntegerField()
    ok = models.BooleanField()
    answer = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.backend} at {self.at:%Y-%m-%d %H:%M:%S}"


class ClockMark(models.Model):
    """Up to when moments that change pages by the clock have been purged."""

    checked_until = models.DateTimeField()

    def __str__(self):
        return f"checked until {self.checked_until}"


class KeyChange(models.Model):
    """The last content generation at which pages showing `key` changed: what a
    page prepared ahead (the `prepared` app) is checked against."""

    key = models.CharField(max_length=64, primary_key=True)
    generation = models.BigIntegerField()

    def __str__(self):
        return f"{self.key} changed at {self.generation}"
