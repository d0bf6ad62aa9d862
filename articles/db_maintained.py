"""Data the database keeps in step itself, with triggers, whoever writes.

Two sets today: the full-text index (`articles.search_schema`) and the tagging
rows' copy of each story's public window (`articles.window_schema`). Triggers,
unlike `save()` or signals, also see `QuerySet.update()`, `bulk_create()`, COPY,
raw saves (reversion) and objects loaded before someone else's write, so the
derived rows always follow what is stored.

A set declares, per database vendor, idempotent statements that create it, the
statements that recompute it from scratch, and the names of its triggers.

Migrations: SQLite alters a table by building a new one and renaming it into
place, which drops the table's own triggers and fails while another table's
trigger names it. So on SQLite no trigger exists while migrations run: every
`migrate` with work to do drops them first (`articles.apps`, pre-migrate), a
migration that adds or changes a set calls `install_in_migration()`, and
`ensure()`, run after every migrate, puts back whatever is missing and recomputes
what the missing triggers would have kept. PostgreSQL alters tables in place and
keeps its triggers throughout, but for a set whose current definitions name a
column added later (`install_after_migrate()`).

Modules of data sets import this one and `register()` their set; this one imports
none of them.
"""

from dataclasses import dataclass, field

LIST_TRIGGERS = {
    "sqlite": "SELECT name FROM sqlite_master WHERE type = 'trigger'",
    "postgresql": "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal",
}


@dataclass(frozen=True)
class MaintainedSet:
    """One piece of derived data and the triggers that keep it, per vendor."""

    name: str
    forward: dict = field(default_factory=dict)  # vendor -> statements (idempotent)
    rebuild_statements: dict = field(default_factory=dict)
    backward: dict = field(default_factory=dict)
    triggers: dict = field(default_factory=dict)  # vendor -> trigger names

    def _run(self, connection, statements):
        with connection.cursor() as cursor:
            for statement in statements.get(connection.vendor, []):
                cursor.execute(statement)

    def install(self, connection):
        """Create the tables, functions and triggers where missing."""
        self._run(connection, self.forward)

    def uninstall(self, connection):
        self._run(connection, self.backward)

    def rebuild(self, connection):
        """Recompute every derived row from the stored data."""
        self._run(connection, self.rebuild_statements)

    def drop_triggers(self, connection):
        """SQLite only: out of the way of a table rebuild (see the module)."""
        if connection.vendor != "sqlite":
            return
        with connection.cursor() as cursor:
            for name in sorted(self.triggers.get("sqlite", ())):
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")

    def reinstall(self, connection):
        """Replace the triggers with their current definitions and recompute (for a
        migration that changes what the set reads)."""
        self.drop_triggers(connection)
        self.install(connection)
        self.rebuild(connection)

    def ensure(self, connection, present=None):
        """Put back missing triggers and, if any were missing, recompute. True when
        something was put back."""
        if connection.vendor not in self.forward:
            return False
        if present is None:
            present = trigger_names(connection)
        if set(self.triggers[connection.vendor]) <= present:
            return False
        self.install(connection)
        self.rebuild(connection)
        return True


def trigger_names(connection):
    if connection.vendor not in LIST_TRIGGERS:
        return set()
    with connection.cursor() as cursor:
        cursor.execute(LIST_TRIGGERS[connection.vendor])
        return {row[0] for row in cursor.fetchall()}


_REGISTERED = []


def register(maintained):
    """Called by each module defining a set (`search_schema`, `window_schema`),
    which `ArticlesConfig.ready` imports in the order they are installed."""
    if maintained not in _REGISTERED:
        _REGISTERED.append(maintained)
    return maintained


def registered():
    """Every maintained set, in the order they are installed."""
    return list(_REGISTERED)


def drop_triggers(connection):
    """Drop every set's SQLite triggers (before a table rebuild or a bulk load)."""
    for maintained in registered():
        maintained.drop_triggers(connection)


def ensure(connection):
    """Put back what a table rebuild or a bulk load dropped; the names of the sets
    that were recomputed."""
    present = trigger_names(connection)
    return [
        maintained.name
        for maintained in registered()
        if maintained.ensure(connection, present)
    ]


def install_in_migration(connection, maintained):
    """What a migration that adds or changes `maintained` runs. PostgreSQL: install
    and recompute now. SQLite: leave every trigger to the post-migrate `ensure()`,
    since a later migration of the same run may rebuild a table they name."""
    if connection.vendor == "sqlite":
        drop_triggers(connection)
        return
    maintained.install(connection)
    maintained.rebuild(connection)


def install_after_migrate(connection, maintained):
    """What a migration runs for a set whose definitions name a column a later
    migration adds (the live windows, since 0019 added `language`): its
    triggers go now (on SQLite every set's), and the post-migrate `ensure()`
    installs the code's current definitions and recomputes, once the whole
    schema they name is there."""
    if connection.vendor == "sqlite":
        drop_triggers(connection)
        return
    maintained.uninstall(connection)
