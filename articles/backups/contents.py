"""What a database holds: its applied migrations and row counts per model, read
the same way from a live connection or from a copy (one snapshot, so the counts
match the dump exactly)."""

from django.apps import apps


def _models_by_table():
    """{table: model label} for every model with a table of its own (m2m too)."""
    tables = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or meta.swapped:
            continue
        tables.setdefault(meta.db_table, meta.label_lower)
    return tables


def count_rows(execute, quote, existing_tables):
    """{model label: rows} for every model whose table exists."""
    counts = {}
    for table, label in sorted(_models_by_table().items()):
        if table in existing_tables:
            counts[label] = execute(f"SELECT COUNT(*) FROM {quote(table)}")[0][0]
    return dict(sorted(counts.items()))


def applied_migrations(execute, existing_tables):
    if "django_migrations" not in existing_tables:
        return []
    rows = execute("SELECT app, name FROM django_migrations ORDER BY id")
    return [f"{app}.{name}" for app, name in rows]


def _cursor_execute(cursor):
    def execute(sql):
        cursor.execute(sql)
        return cursor.fetchall()

    return execute


def database_facts(connection):
    """(applied migrations, row counts) of the database behind `connection`."""
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
        execute = _cursor_execute(cursor)
        quote = connection.ops.quote_name
        return (
            applied_migrations(execute, tables),
            count_rows(execute, quote, tables),
        )
