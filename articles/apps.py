from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_migrate

from pagecache import clocks


def drop_maintained_triggers(using, plan=None, **kwargs):
    """On SQLite, a migration that rebuilds a table fails while another table's
    trigger names it: take the triggers out of the way of any migration run."""
    from django.db import connections

    from . import db_maintained

    if plan:
        db_maintained.drop_triggers(connections[using])


def ensure_maintained_data(using, **kwargs):
    """Put back the triggers a migration run dropped, and recompute what they keep
    (the search index, the tagging rows' live windows: `articles.db_maintained`)."""
    from django.db import connections

    from . import db_maintained

    db_maintained.ensure(connections[using])


def sync_desk_roles(using, **kwargs):
    """Keep the Editors and Reporters groups as `articles.roles` declares them.

    After `migrate` only (it passes the plan it ran): `flush` sends the same
    signal to empty tables, and a test suite's serialized rollback then puts the
    groups back itself."""
    from . import roles

    if "plan" in kwargs:
        roles.sync_roles(using=using)


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Newsroom"

    def ready(self):
        # The data the database keeps with triggers, in the order it is installed:
        # the search index, then the tagging rows' live windows (db_maintained).
        from . import invalidation, search_schema, sitemaps, window_schema  # noqa: F401

        # What the page cache must know of stories: which writes readers see,
        # scheduled publications and expiries, the parameters each page reads.
        invalidation.connect()
        # What the edge (a CDN, Varnish) must know: the keys pages show and purge.
        from . import edge_keys

        edge_keys.connect()
        # Clock-driven changes are known from start-up, not only once something
        # has imported the URLconf: a command publishing a story relies on them.
        clocks.upcoming(sitemaps.news_window_closes)
        pre_migrate.connect(drop_maintained_triggers, sender=self)
        post_migrate.connect(ensure_maintained_data, sender=self)
        post_migrate.connect(sync_desk_roles, sender=self)
