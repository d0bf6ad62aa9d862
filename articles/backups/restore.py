"""`manage.py restore`: refuse first, then replace the database in one step,
check the counts, migrate forward, check the search index, move the media into
place and invalidate the page cache."""

import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.core.management import call_command
from django.db import DatabaseError
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

from pagecache import generation

from .. import edge_keys
from .archive import DATABASE_MEMBERS, open_archive, unpack_verified
from .contents import database_facts
from .emptiness import target_contents
from .errors import BackupError, interrupted_by_sigterm
from .media import swap_media, upload_media
from .postgresql import check_restore_tools, restore_postgresql
from .progress import headline_counts, human_size
from .sqlite import restore_sqlite


def _check_vendor(manifest, connection):
    vendor = manifest.get("database", {}).get("vendor")
    if vendor != connection.vendor:
        raise BackupError(
            f"This archive holds a {vendor} database; the target is "
            f"{connection.vendor}. Restore it into a {vendor} database (set "
            "DATABASE_URL), or, to move between vendors, restore it into "
            f"{vendor} first and copy the content across with dumpdata/loaddata. "
            "Nothing was changed."
        )
    if manifest["database"].get("file") != DATABASE_MEMBERS[vendor] or not any(
        entry["path"] == DATABASE_MEMBERS[vendor] for entry in manifest["files"]
    ):
        raise BackupError("The archive's manifest names no database dump.")


def _known_migrations():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    for migration in loader.disk_migrations.values():
        known.update(migration.replaces or [])
    installed = {config.label for config in apps.get_app_configs()}
    return known, installed


def _check_migrations(manifest):
    known, installed = _known_migrations()
    newer = [
        f"{app}.{name}"
        for app, name in (
            str(label).partition(".")[::2] for label in manifest.get("migrations", [])
        )
        if app in installed and (app, name) not in known
    ]
    if newer:
        raise BackupError(
            f"The archive comes from newer code: its database has migration(s) this "
            f"code does not know ({', '.join(newer[:5])}). Deploy that code (or "
            "newer) and restore again. Nothing was changed."
        )


@dataclass
class RestoreSummary:
    path: Path
    vendor: str
    created_at: str
    counts: dict
    media_files: int
    media_bytes: int
    migrations_applied: int
    indexed: int
    replaced: list = field(default_factory=list)
    seconds: float = 0.0

    def line(self):
        migrated = (
            f"{self.migrations_applied} migration(s) applied"
            if self.migrations_applied
            else "schema current"
        )
        return (
            f"Restored {self.path} (written {self.created_at}) into {self.vendor}: "
            f"{headline_counts(self.counts)}, {self.media_files:,} media files "
            f"({human_size(self.media_bytes)}); {migrated}; {self.indexed:,} stories "
            f"in the search index; page cache invalidated; {self.seconds:.1f}s."
        )


def restore_backup(*, path, connection, media_root, force, report, storage=None):
    """Restore the archive at `path` over the database and MEDIA_ROOT; with
    `storage` (media in a bucket) the archive's media files go to the bucket."""
    started = time.monotonic()
    media_root = Path(media_root).absolute()
    if storage is not None:
        # Unpacked beside nothing of the site's: the system's temporary folder.
        media_root = Path(tempfile.gettempdir()) / "newsroom-restore-media"
    with open_archive(path) as (tar, members, manifest), interrupted_by_sigterm():
        _check_vendor(manifest, connection)
        _check_migrations(manifest)
        check_restore_tools(manifest, connection.vendor)
        found = target_contents(connection, media_root)
        if found and not force:
            raise BackupError(
                f"The target is not empty: {'; '.join(found)}. Restoring replaces "
                "all of it; run again with --force to do that. Nothing was changed."
            )
        if found:
            report(f"Replacing what is there (--force): {'; '.join(found)}.")
        media_root.mkdir(parents=True, exist_ok=True)
        needed = sum(entry["size"] for entry in manifest["files"])
        staging = _staging_folder(media_root, needed)
        try:
            summary = _restore(
                tar,
                members,
                manifest,
                staging,
                connection,
                media_root,
                report,
                storage,
            )
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    summary.path, summary.replaced = Path(path), found
    summary.seconds = time.monotonic() - started
    return summary


def _staging_folder(media_root, needed):
    parent = media_root.parent
    free = shutil.disk_usage(parent).free
    if free < needed:
        raise BackupError(
            f"Unpacking needs {human_size(needed)} in {parent}; only "
            f"{human_size(free)} is free. Nothing was changed."
        )
    try:
        return Path(tempfile.mkdtemp(prefix=".restore-", dir=parent))
    except OSError as error:
        raise BackupError(
            f"Cannot unpack next to MEDIA_ROOT, in {parent}: {error.strerror}. "
            "Nothing was changed."
        ) from error


def _restore(tar, members, manifest, staging, connection, media_root, report, storage):
    report("Verifying and unpacking the archive…")
    try:
        unpack_verified(tar, members, manifest, staging, report)
    except OSError as error:
        raise BackupError(
            f"Cannot unpack into {staging.parent}: {error.strerror or error}. "
            "Nothing was changed."
        ) from error
    vendor = connection.vendor
    report(f"Restoring the {vendor} database…")
    dump = staging.joinpath(*DATABASE_MEMBERS[vendor].split("/"))
    RESTORERS[vendor](connection, dump, manifest)
    connection.close()
    _, counts = database_facts(connection)
    expected = manifest.get("counts", {})
    differ = [
        f"{label} {counts.get(label)} (archive {rows})"
        for label, rows in expected.items()
        if label in counts and counts[label] != rows
    ]
    if differ:
        raise BackupError(
            "The restored database does not match the archive's counts: "
            + ", ".join(differ[:5])
        )
    try:
        applied = _migrate(connection, report)
        indexed = _check_search_index(connection, report)
    except DatabaseError as error:
        raise BackupError(
            f"The archive's database is restored, but bringing it up to this code "
            f"failed: {error}. The media files were not moved; fix the cause and "
            "run the restore again with --force."
        ) from error
    if storage is None:
        report("Moving the media files into place…")
        swap_media(staging, media_root)
    else:
        report("Uploading the media files to the bucket…")
        upload_media(staging, storage, report)
    # Pages cached before the restore must never be served again.
    generation.bump()
    edge_keys.everything(reason="backup restored")
    media = [entry for entry in manifest["files"] if entry["path"].startswith("media/")]
    return RestoreSummary(
        path=None,
        vendor=vendor,
        created_at=manifest.get("created_at", "?"),
        counts=counts,
        media_files=len(media),
        media_bytes=sum(entry["size"] for entry in media),
        migrations_applied=applied,
        indexed=indexed,
    )


RESTORERS = {"postgresql": restore_postgresql, "sqlite": restore_sqlite}


def _migrate(connection, report):
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        report(f"Migrating forward: {len(plan)} migration(s) newer than the archive…")
    # Always: post_migrate puts back search triggers and syncs the desk roles.
    call_command("migrate", interactive=False, verbosity=0, database=connection.alias)
    return len(plan)


def _check_search_index(connection, report):
    """Every story in the index, the triggers in place; rebuild if not."""
    from .. import search_schema

    search_schema.ensure(connection)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM articles_article")
        stories = cursor.fetchone()[0]
        cursor.execute("SELECT COUNT(*) FROM articles_search")
        indexed = cursor.fetchone()[0]
    if indexed != stories:
        report(f"  search index held {indexed:,} of {stories:,} stories: rebuilding")
        search_schema.rebuild(connection)
        indexed = stories
    return indexed
