"""The full-text index's table, kept by the database (`articles.search_schema`)."""

from django.db import models

from .stories import Article


class SearchDocument(models.Model):
    """A story's row in the full-text index, which the database's triggers maintain.

    SQLite: an FTS5 table; PostgreSQL: a GIN-indexed tsvector (migration 0004).
    Never written from Python; `articles.search` joins it to rank stories.
    """

    article = models.OneToOneField(
        Article,
        primary_key=True,
        db_column="rowid",
        on_delete=models.DO_NOTHING,
        related_name="search_document",
    )

    class Meta:
        managed = False
        db_table = "articles_search"

    def __str__(self):
        return str(self.article_id)
