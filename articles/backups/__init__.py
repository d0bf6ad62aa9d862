"""One-file backups of the whole site: the database, the media files, a manifest.

An archive is an uncompressed tar (the database dump and the pictures are
compressed already) holding

- `database/postgresql.dump` (`pg_dump -Fc`) or `database/sqlite3.db` (a copy made
  with SQLite's online backup API, safe while the site writes);
- `media/...`: every regular file under MEDIA_ROOT;
- `manifest.json`, last: format version, creation time, database vendor and
  version, the applied migrations, row counts per model, and the size and SHA-256
  of every other file in the archive.

The counts and the dump come from one database snapshot (an exported PostgreSQL
snapshot that pg_dump imports; on SQLite the copy itself), so they agree exactly.
The database is read before the media, so a picture uploaded meanwhile is at most
an extra file, never a missing one.

`write_backup()` writes next to the target and renames at the very end: a failure
leaves the previous file (if any) and nothing else. `restore_backup()` refuses
before it changes anything: a damaged or truncated archive, one from the other
database vendor or from newer code, a target that holds content (unless forced).
It verifies every checksum while unpacking into a staging folder, then replaces
the database in one step (one PostgreSQL transaction; SQLite's backup API), runs
`migrate`, checks the search index and invalidates the page cache.

Where each question is answered, and which way imports run (a module imports only
modules on lines above its own; nothing here imports this `__init__`):

    errors, progress      BackupError and SIGTERM; progress lines and summary words
    contents, media       a database's migrations and row counts; MEDIA_ROOT's files
    archive               the tar's layout and manifest: writing, checking, unpacking
    emptiness             whether a restore's target holds anything
    sqlite, postgresql    each vendor's dump and restore (they read `contents`)
    backup, restore       the two commands' work, built from everything above

Outside this package only `pagecache.generation` (bumped after a restore) and
`articles.search_schema` (checked after a restore) are imported, from `restore`.
"""

from .archive import MANIFEST, open_archive, read_manifest
from .backup import BackupSummary, write_backup
from .errors import BackupError
from .restore import RestoreSummary, restore_backup

__all__ = [
    "MANIFEST",
    "BackupError",
    "BackupSummary",
    "RestoreSummary",
    "open_archive",
    "read_manifest",
    "restore_backup",
    "write_backup",
]
