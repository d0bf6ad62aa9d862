"""SQLite through its online backup API: a consistent copy while the site writes,
and a page-by-page copy back over the live file."""

import sqlite3

from .contents import applied_migrations, count_rows
from .errors import BackupError


def dump_sqlite(connection, target):
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        return _copy_sqlite(connection, copy)
    except sqlite3.Error as error:
        reason = str(error)
        if getattr(error, "sqlite_errorname", "") == "SQLITE_FULL":
            reason = f"No space left on device (SQLite: {error})"
        raise BackupError(
            f"Copying the SQLite database to {target.parent} failed: {reason}. No "
            "archive was written; the partial files are removed."
        ) from error
    finally:
        copy.close()


def _copy_sqlite(connection, copy):
    # One step: the whole copy reads one snapshot. In WAL mode (the site's
    # setting) writers carry on meanwhile; their changes are simply not in it.
    connection.connection.backup(copy)
    copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    problems = copy.execute("PRAGMA quick_check").fetchall()
    if problems != [("ok",)]:
        raise BackupError(
            "The SQLite database fails its integrity check: "
            + "; ".join(row[0] for row in problems[:5])
        )
    tables = {
        row[0]
        for row in copy.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    }

    def execute(sql):
        return copy.execute(sql).fetchall()

    migrations = applied_migrations(execute, tables)
    counts = count_rows(execute, connection.ops.quote_name, tables)
    version = copy.execute("SELECT sqlite_version()").fetchone()[0]
    return {"vendor": "sqlite", "server_version": version}, migrations, counts


def restore_sqlite(connection, dump, manifest):
    source = sqlite3.connect(f"{dump.as_uri()}?mode=ro", uri=True)
    try:
        connection.close()
        connection.ensure_connection()
        # Page by page into the live file, under SQLite's own locking: other
        # connections see the old database or the new one, never a mix.
        source.backup(connection.connection)
    except sqlite3.Error as error:
        raise BackupError(f"Restoring the SQLite database failed: {error}") from error
    finally:
        source.close()
