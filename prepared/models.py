from django.db import models


class PreparedPage(models.Model):
    """One public page as rendered, with what it shows and when it was true."""

    # sha256 of the release, scheme, host and address: one row per page a reader
    # can reach with this code.
    address = models.CharField(max_length=64, primary_key=True)
    path = models.CharField(max_length=500)
    body = models.BinaryField(help_text="The page, gzip-compressed.")
    headers = models.JSONField(help_text="The headers the page was answered with.")
    # Surrogate keys, space-separated: the items the page shows, the lists it is.
    items = models.TextField(blank=True)
    lists = models.TextField(blank=True)
    # The content generation it was rendered at, and the moment (µs since the
    # epoch) it stops holding by the clock alone.
    generation = models.BigIntegerField()
    expires_us = models.BigIntegerField()
    prepared_at = models.DateTimeField()

    def __str__(self):
        return self.path
