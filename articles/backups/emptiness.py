"""Whether a restore's target is empty: no stories, topics or users, no media."""

import os

from django.apps import apps
from django.contrib.auth import get_user_model


def target_contents(connection, media_root):
    """What makes the target non-empty, in words: [] for an empty target.

    Empty means no stories, topics or users in the database (a freshly migrated
    database, which holds only groups, permissions and the like, counts as
    empty) and no file under MEDIA_ROOT.
    """
    user_model = get_user_model()
    watched = [
        (apps.get_model("articles", "Article"), "stories"),
        (apps.get_model("articles", "Topic"), "topics"),
        (user_model, "users"),
    ]
    found = []
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
        for model, words in watched:
            if model._meta.db_table in tables:
                table = connection.ops.quote_name(model._meta.db_table)
                cursor.execute(f"SELECT COUNT(*) FROM {table}")
                rows = cursor.fetchone()[0]
                if rows:
                    found.append(f"{rows:,} {words}")
    files = sum(len(names) for _, _, names in os.walk(media_root))
    if files:
        found.append(f"{files:,} files in MEDIA_ROOT ({media_root})")
    return found
