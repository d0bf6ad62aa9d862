from django.apps import AppConfig
from django.db.models.signals import post_migrate


def ensure_maintained_data(using, **kwargs):
    """SQLite drops triggers when a migration rebuilds a table: put them back (the
    search index, the tagging rows' live windows: `articles.db_maintained`)."""
    from django.db import connections

    from . import db_maintained

    db_maintained.ensure(connections[using])


def sync_desk_roles(using, **kwargs):
    """Keep the Editors and Reporters groups as `articles.roles` declares them."""
    from . import roles

    roles.sync_roles(using=using)


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Newsroom"

    def ready(self):
        from . import cache

        cache.connect_signals()
        post_migrate.connect(ensure_maintained_data, sender=self)
        post_migrate.connect(sync_desk_roles, sender=self)
