from django.apps import AppConfig
from django.db.models.signals import post_migrate


def ensure_search_index(using, **kwargs):
    """SQLite drops triggers when a migration rebuilds a table: put them back."""
    from django.db import connections

    from . import search_schema

    search_schema.ensure(connections[using])


def sync_desk_roles(using, **kwargs):
    """Keep the Editors and Reporters groups as `articles.roles` declares them."""
    from . import roles

    roles.sync_roles(using=using)


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Newsroom"

    def ready(self):
        from . import cache, invalidation, sitemaps

        cache.connect_signals()
        invalidation.connect()
        # Clock-driven changes are known from start-up, not only once something
        # has imported the URLconf: a command publishing a story relies on them.
        cache.upcoming(sitemaps.news_window_closes)
        post_migrate.connect(ensure_search_index, sender=self)
        post_migrate.connect(sync_desk_roles, sender=self)
