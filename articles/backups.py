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
"""

import contextlib
import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import sqlite3
import stat
import subprocess
import tarfile
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import DatabaseError, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

FORMAT = "aes-newsroom-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MAX_MANIFEST_BYTES = 256 * 1024 * 1024
DATABASE_MEMBERS = {
    "sqlite": "database/sqlite3.db",
    "postgresql": "database/postgresql.dump",
}
CHUNK = 1024 * 1024
# Counts named in the one-line summaries, in the words a newsroom uses.
HEADLINE_COUNTS = [
    ("articles.article", "stories"),
    ("articles.topic", "topics"),
    ("articles.storynote", "notes"),
    ("auth.user", "users"),
    ("reversion.version", "versions"),
]


class BackupError(Exception):
    """Something the operator must hear about, in words they can act on."""


# Progress ------------------------------------------------------------------


class Progress:
    """Files and bytes done of a known total: a line at every tenth, counted when
    a file completes, and at least every `every` seconds (a large file takes a
    while), so the last line always reads N/N files (100%)."""

    def __init__(self, report, label, *, files, size, every=5.0):
        self.report, self.label = report, label
        self.files_total, self.bytes_total = files, size
        self.files = self.bytes = 0
        self.every = every
        self.next_step = 1
        self.last = time.monotonic()

    def advance(self, size=0, files=0):
        self.bytes += size
        self.files += files
        now = time.monotonic()
        due = now - self.last >= self.every
        if files:
            if self.bytes_total:
                step = self.bytes * 10 // self.bytes_total
            else:
                step = self.files * 10 // max(self.files_total, 1)
            if step >= self.next_step:
                due, self.next_step = True, step + 1
        if due:
            self.last = now
            self.report(self.line())

    def line(self):
        percent = self.bytes * 100 // self.bytes_total if self.bytes_total else 100
        return (
            f"  {self.label}: {self.files:,}/{self.files_total:,} files, "
            f"{human_size(self.bytes)}/{human_size(self.bytes_total)} ({percent}%)"
        )


def human_size(size):
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:,.0f} {unit}" if unit == "B" else f"{size:,.1f} {unit}"
        size /= 1024
    raise AssertionError("unreachable")


def headline_counts(counts):
    return ", ".join(
        f"{counts.get(label, 0):,} {words}" for label, words in HEADLINE_COUNTS
    )


class _HashingReader:
    """A file object that hashes and counts what is read through it."""

    def __init__(self, raw, progress):
        self.raw, self.progress = raw, progress
        self.sha256 = hashlib.sha256()
        self.size = 0

    def read(self, size=-1):
        data = self.raw.read(size)
        self.sha256.update(data)
        self.size += len(data)
        self.progress.advance(len(data))
        return data


@contextlib.contextmanager
def interrupted_by_sigterm():
    """Let SIGTERM (a cron timeout, a shutdown) unwind like Ctrl-C, so temporary
    files are removed on the way out."""

    def interrupt(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    try:
        previous = signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


# What the database holds -----------------------------------------------------


def _models_by_table():
    """{table: model label} for every model with a table of its own (m2m too)."""
    tables = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or meta.swapped:
            continue
        tables.setdefault(meta.db_table, meta.label_lower)
    return tables


def _count_rows(execute, quote, existing_tables):
    """{model label: rows} for every model whose table exists."""
    counts = {}
    for table, label in sorted(_models_by_table().items()):
        if table in existing_tables:
            counts[label] = execute(f"SELECT COUNT(*) FROM {quote(table)}")[0][0]
    return dict(sorted(counts.items()))


def _applied_migrations(execute, existing_tables):
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
            _applied_migrations(execute, tables),
            _count_rows(execute, quote, tables),
        )


# PostgreSQL's own tools --------------------------------------------------------

_LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
    "options": "PGOPTIONS",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
}


def libpq_environment(settings_dict):
    """Django's connection settings as libpq environment variables, so no value
    (the password least of all) ever appears on a command line or in a shell."""
    env = dict(os.environ)
    for key, variable in [
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ]:
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    for key, variable in _LIBPQ_OPTIONS.items():
        value = settings_dict.get("OPTIONS", {}).get(key)
        if value:
            env[variable] = str(value)
    env["PGAPPNAME"] = env.get("PGAPPNAME", "newsroom-backup")
    return env


def tool_version(tool):
    """(major, "15.20") of a PostgreSQL client tool on PATH."""
    path = shutil.which(tool)
    if path is None:
        raise BackupError(
            f"{tool} is not on PATH: install the PostgreSQL client tools of the "
            "server's version (Debian: postgresql-client-15)."
        )
    result = subprocess.run([path, "--version"], capture_output=True, text=True)
    match = re.search(r"(\d+)(?:\.(\d+))?", result.stdout)
    if result.returncode or not match:
        raise BackupError(f"{path} --version failed: {result.stderr.strip()}")
    return int(match[1]), match[0]


def _server_version(connection):
    number = connection.pg_version  # e.g. 150020
    major = number // 10000
    return major, f"{major}.{number % 10000}"


def _last_lines(text, lines=6):
    return " | ".join(text.strip().splitlines()[-lines:]) or "(no message)"


def _dump_postgresql(connection, target):
    tool_major, tool = tool_version("pg_dump")
    connection.ensure_connection()
    server_major, server = _server_version(connection)
    if tool_major < server_major:
        raise BackupError(
            f"pg_dump {tool} cannot dump a PostgreSQL {server} server: install "
            f"postgresql-client-{server_major} and put its pg_dump first on PATH."
        )
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        # One snapshot for the counts and the dump: pg_dump imports this one.
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        migrations, counts = database_facts(connection)
        result = subprocess.run(
            [
                shutil.which("pg_dump"),
                "--format=custom",
                "--no-password",
                f"--snapshot={snapshot}",
                f"--file={target}",
            ],
            env=libpq_environment(connection.settings_dict),
            capture_output=True,
            text=True,
        )
    if result.returncode:
        raise BackupError(f"pg_dump failed: {_last_lines(result.stderr)}")
    return (
        {
            "vendor": "postgresql",
            "server_version": server,
            "dump_tool": f"pg_dump {tool}",
        },
        migrations,
        counts,
    )


def _dump_sqlite(connection, target):
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

    migrations = _applied_migrations(execute, tables)
    counts = _count_rows(execute, connection.ops.quote_name, tables)
    version = copy.execute("SELECT sqlite_version()").fetchone()[0]
    return {"vendor": "sqlite", "server_version": version}, migrations, counts


DUMPERS = {"postgresql": _dump_postgresql, "sqlite": _dump_sqlite}


# Writing -------------------------------------------------------------------


@dataclass
class BackupSummary:
    path: Path
    vendor: str
    database_bytes: int
    media_files: int
    media_bytes: int
    counts: dict
    seconds: float

    def line(self):
        total = self.path.stat().st_size
        return (
            f"Backup written to {self.path}: {self.vendor} database "
            f"({human_size(self.database_bytes)}) and {self.media_files:,} media "
            f"files ({human_size(self.media_bytes)}), {human_size(total)} in all; "
            f"{headline_counts(self.counts)}; {self.seconds:.1f}s."
        )


def _check_backup_target(target, media_root):
    folder = target.parent
    if not folder.is_dir():
        raise BackupError(f"Cannot write {target}: the folder {folder} does not exist.")
    if target.is_dir():
        raise BackupError(f"{target} is a folder; give the archive's file name.")
    if target.exists() and not target.is_file():
        # /dev/full, a pipe, a device: the temporary file would be renamed over it.
        raise BackupError(f"{target} exists and is not a regular file.")
    media = Path(media_root).resolve()
    if target.resolve().is_relative_to(media):
        raise BackupError(
            f"{target} lies inside MEDIA_ROOT ({media}): the archive would hold "
            "itself, and the site would serve it. Write it elsewhere."
        )


def media_files(media_root):
    """[(relative POSIX path, absolute path, size)] of the regular files under
    MEDIA_ROOT, sorted; symbolic links and other special files are left out."""
    root = Path(media_root)
    found, skipped = [], []
    if not root.is_dir():
        return found, skipped
    for folder, dirs, names in os.walk(root):
        dirs.sort()
        for name in sorted(names):
            path = Path(folder, name)
            info = path.lstat()
            relative = path.relative_to(root).as_posix()
            if stat.S_ISREG(info.st_mode):
                found.append((relative, path, info.st_size))
            else:
                skipped.append(relative)
    return found, skipped


def _tarinfo(name, size, mtime):
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = size, int(mtime), 0o644
    return info


def _add(tar, name, path, progress):
    """Add one file, hashing exactly the bytes archived; None if it vanished."""
    try:
        raw = path.open("rb")
    except FileNotFoundError:
        return None
    with raw:
        info = os.fstat(raw.fileno())
        reader = _HashingReader(raw, progress)
        try:
            tar.addfile(_tarinfo(name, info.st_size, info.st_mtime), reader)
        except OSError as error:
            if reader.size < info.st_size and "end of data" in str(error):
                raise BackupError(
                    f"{path} shrank while it was being read; run the backup again."
                ) from error
            raise
    progress.advance(files=1)
    return {"path": name, "size": reader.size, "sha256": reader.sha256.hexdigest()}


def write_backup(*, path, connection, media_root, report):
    """Write the archive to `path` (atomically) and return a BackupSummary."""
    started = time.monotonic()
    target = Path(path).absolute()
    _check_backup_target(target, media_root)
    vendor = connection.vendor
    if vendor not in DUMPERS:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    try:
        work = Path(
            tempfile.mkdtemp(
                prefix=f".{target.name}.", suffix=".partial", dir=target.parent
            )
        )
    except OSError as error:
        raise BackupError(
            f"Cannot write in {target.parent}: {error.strerror}. Nothing was written."
        ) from error
    try:
        with interrupted_by_sigterm():
            summary = _write(work, target, connection, vendor, media_root, report)
    except OSError as error:
        raise BackupError(
            f"Cannot write {target}: {error.strerror or error}"
            f"{f' ({error.filename})' if error.filename else ''}. No archive was "
            "written; the partial files are removed."
        ) from error
    finally:
        shutil.rmtree(work, ignore_errors=True)
    summary.seconds = time.monotonic() - started
    return summary


def _write(work, target, connection, vendor, media_root, report):
    member = DATABASE_MEMBERS[vendor]
    dump = work / Path(member).name
    report(f"Reading the {vendor} database…")
    database, migrations, counts = DUMPERS[vendor](connection, dump)
    database["file"] = member
    report(f"  database: {human_size(dump.stat().st_size)}; {headline_counts(counts)}")
    files, skipped = media_files(media_root)
    for name in skipped:
        report(f"  skipped (not a regular file): media/{name}")
    media_bytes = sum(size for _, _, size in files)
    progress = Progress(
        report,
        "archive",
        files=len(files) + 1,
        size=dump.stat().st_size + media_bytes,
    )
    archive = work / "archive.tar"
    entries = []
    # Private: the archive holds password hashes and session keys.
    descriptor = os.open(archive, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with open(descriptor, "wb") as raw:
        with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
            tar.copybufsize = CHUNK
            entries.append(_add(tar, member, dump, progress))
            for relative, source, size in files:
                entry = _add(tar, f"media/{relative}", source, progress)
                if entry is None:
                    report(f"  gone before it was read (deleted meanwhile): {relative}")
                    progress.bytes_total -= size
                    progress.files_total -= 1
                    continue
                entries.append(entry)
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "created_at": timezone.now().isoformat(),
                "database": database,
                "migrations": migrations,
                "counts": counts,
                "files": entries,
                "total_files": len(entries),
                "total_bytes": sum(entry["size"] for entry in entries),
            }
            data = json.dumps(manifest, indent=1).encode()
            tar.addfile(_tarinfo(MANIFEST, len(data), time.time()), _BytesReader(data))
        raw.flush()
        os.fsync(raw.fileno())
    os.replace(archive, target)
    _fsync_folder(target.parent)
    media = [entry for entry in entries if entry["path"].startswith("media/")]
    return BackupSummary(
        path=target,
        vendor=vendor,
        database_bytes=entries[0]["size"],
        media_files=len(media),
        media_bytes=sum(entry["size"] for entry in media),
        counts=counts,
        seconds=0.0,
    )


class _BytesReader:
    def __init__(self, data):
        self.data, self.offset = data, 0

    def read(self, size=-1):
        end = len(self.data) if size < 0 else self.offset + size
        chunk = self.data[self.offset : end]
        self.offset += len(chunk)
        return chunk


def _fsync_folder(folder):
    # The rename itself must reach the disk, or a crash could forget the archive.
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


# Reading -----------------------------------------------------------------------


def _safe_name(name):
    """True for `manifest.json`, `database/<file>` and `media/<relative path>`."""
    if name == MANIFEST:
        return True
    parts = name.split("/")
    if len(parts) < 2 or parts[0] not in ("database", "media"):
        return False
    return not any(part in ("", ".", "..") for part in parts) and "\0" not in name


def read_manifest(tar, members):
    """The manifest of an opened archive, checked for shape and version."""
    found = [member for member in members if member.name == MANIFEST]
    if not found:
        raise BackupError(
            "The archive has no manifest: it is truncated (the manifest is written "
            "last) or it is not a newsroom backup. Nothing was changed."
        )
    member = found[-1]
    if not member.isreg() or member.size > MAX_MANIFEST_BYTES:
        raise BackupError("The archive's manifest is not a plain, small file.")
    try:
        manifest = json.loads(tar.extractfile(member).read())
    except (ValueError, tarfile.TarError, OSError) as error:
        raise BackupError(
            f"The archive's manifest cannot be read ({error}): the archive is "
            "damaged. Nothing was changed."
        ) from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(
            "This is not a newsroom backup (its manifest says otherwise)."
        )
    version = manifest.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise BackupError(
            f"The archive's format version {version!r} is newer than this code reads "
            f"({FORMAT_VERSION}): restore it with the code that wrote it, or newer."
        )
    files = manifest.get("files")
    if not isinstance(files, list) or not all(
        isinstance(entry, dict)
        and isinstance(entry.get("path"), str)
        and isinstance(entry.get("size"), int)
        and isinstance(entry.get("sha256"), str)
        and _safe_name(entry["path"])
        and entry["path"] != MANIFEST
        for entry in files
    ):
        raise BackupError("The archive's manifest lists files it may not hold.")
    if len({entry["path"] for entry in files}) != len(files):
        raise BackupError("The archive's manifest lists a file twice.")
    return manifest


@contextlib.contextmanager
def open_archive(path):
    """(tarfile, members, manifest), refusing anything damaged or foreign."""
    archive = Path(path)
    if not archive.is_file():
        raise BackupError(f"{archive} is not a file.")
    try:
        with tarfile.open(archive, mode="r:") as tar:
            members = tar.getmembers()
            manifest = read_manifest(tar, members)
            _match_members(members, manifest)
            yield tar, members, manifest
    except tarfile.ReadError as error:
        raise BackupError(
            f"{archive} cannot be read as a newsroom backup ({error}): it is "
            "truncated or damaged. Nothing was changed."
        ) from error


def _match_members(members, manifest):
    """Every listed file present once, with its size; nothing else but the manifest."""
    listed = {entry["path"]: entry for entry in manifest["files"]}
    seen = set()
    for member in members:
        if member.name == MANIFEST:
            continue
        entry = listed.get(member.name)
        if entry is None or member.name in seen or not member.isreg():
            raise BackupError(
                f"The archive holds {member.name!r}, which its manifest does not "
                "list: it was altered. Nothing was changed."
            )
        if member.size != entry["size"]:
            raise BackupError(
                f"{member.name} is {member.size:,} bytes in the archive but "
                f"{entry['size']:,} in the manifest: the archive is damaged. "
                "Nothing was changed."
            )
        seen.add(member.name)
    missing = sorted(set(listed) - seen)
    if missing:
        raise BackupError(
            f"The archive lacks {len(missing)} file(s) its manifest lists (first: "
            f"{missing[0]}): it is truncated. Nothing was changed."
        )


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


# Restoring ---------------------------------------------------------------------


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


def restore_backup(*, path, connection, media_root, force, report):
    """Restore the archive at `path` over the database and MEDIA_ROOT."""
    started = time.monotonic()
    media_root = Path(media_root).absolute()
    with open_archive(path) as (tar, members, manifest), interrupted_by_sigterm():
        _check_vendor(manifest, connection)
        _check_migrations(manifest)
        _check_restore_tools(manifest, connection.vendor)
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
                tar, members, manifest, staging, connection, media_root, report
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


def _unpack_verified(tar, members, manifest, staging, report):
    """Unpack every file into `staging`, checking each against the manifest."""
    listed = {entry["path"]: entry for entry in manifest["files"]}
    progress = Progress(
        report,
        "verified",
        files=len(manifest["files"]),
        size=sum(entry["size"] for entry in manifest["files"]),
    )
    for member in members:
        if member.name == MANIFEST:
            continue
        entry = listed[member.name]
        destination = staging.joinpath(*member.name.split("/"))
        destination.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        try:
            source = tar.extractfile(member)
            with open(destination, "xb") as out:
                while chunk := source.read(CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
                    progress.advance(len(chunk))
        except (tarfile.TarError, EOFError) as error:
            raise BackupError(
                f"{member.name} cannot be read from the archive ({error}): it is "
                "truncated or damaged. Nothing was changed."
            ) from error
        if digest.hexdigest() != entry["sha256"]:
            raise BackupError(
                f"Checksum mismatch for {member.name}: the archive is damaged. "
                "Nothing was changed."
            )
        os.utime(destination, (member.mtime, member.mtime))
        progress.advance(files=1)


def _restore(tar, members, manifest, staging, connection, media_root, report):
    report("Verifying and unpacking the archive…")
    try:
        _unpack_verified(tar, members, manifest, staging, report)
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
    report("Moving the media files into place…")
    _swap_media(staging, media_root)
    # Pages cached before the restore must never be served again.
    from . import cache

    cache.bump()
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


def _restore_sqlite(connection, dump, manifest):
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


# Everything in the target schema that is not part of an extension goes, in the
# same transaction as the restore, so an older archive's schema is not mixed with
# tables a newer `migrate` made, and a failure changes nothing.
_CLEAR_SCHEMA = """
DO $clear$
DECLARE
    kind record;
    names text;
BEGIN
    FOR kind IN
        SELECT * FROM (VALUES (1, '{r,p,f}'::"char"[], 'TABLE'), (2, '{v}', 'VIEW'),
            (3, '{m}', 'MATERIALIZED VIEW'), (4, '{S}', 'SEQUENCE')
        ) AS kinds(position, relkinds, command) ORDER BY position
    LOOP
        SELECT string_agg(format('%I.%I', n.nspname, c.relname), ', ') INTO names
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = current_schema() AND c.relkind = ANY (kind.relkinds)
          AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.deptype = 'e'
              AND d.classid = 'pg_class'::regclass AND d.objid = c.oid);
        IF names IS NOT NULL THEN
            EXECUTE format('DROP %s IF EXISTS %s CASCADE', kind.command, names);
        END IF;
    END LOOP;
    SELECT string_agg(p.oid::regprocedure::text, ', ') INTO names
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname = current_schema() AND p.prokind IN ('f', 'p')
      AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.deptype = 'e'
          AND d.classid = 'pg_proc'::regclass AND d.objid = p.oid);
    IF names IS NOT NULL THEN
        EXECUTE format('DROP ROUTINE IF EXISTS %s CASCADE', names);
    END IF;
END
$clear$;
"""


# An extension a DBA installed ahead belongs to them, and so does its comment: the
# site's role may not set it, so that one entry of the dump is left out.
_EXTENSION_COMMENT = re.compile(r"^\d+; \d+ \d+ COMMENT - EXTENSION ")


def _restore_postgresql(connection, dump, manifest):
    connection.close()
    env = libpq_environment(connection.settings_dict)
    listing = subprocess.run(
        [shutil.which("pg_restore"), "--list", str(dump)],
        capture_output=True,
        text=True,
        env=env,
    )
    if listing.returncode:
        raise BackupError(f"pg_restore cannot read the dump: {listing.stderr.strip()}")
    contents = dump.with_name("contents.list")
    contents.write_text(
        "".join(
            f";{line}" if _EXTENSION_COMMENT.match(line) else line
            for line in listing.stdout.splitlines(keepends=True)
        )
    )
    with tempfile.TemporaryFile() as restore_err, tempfile.TemporaryFile() as psql_err:
        # pg_restore turns the dump into SQL; psql runs the clearing statement and
        # all of it in one transaction that stops at the first error.
        reader = subprocess.Popen(
            [
                shutil.which("pg_restore"),
                "--no-owner",
                "--no-privileges",
                # psql runs no backslash command from the dump's text, whatever it
                # holds (the key only needs to be unguessable).
                f"--restrict-key={secrets.token_hex(16)}",
                f"--use-list={contents}",
                "--file=-",
                str(dump),
            ],
            stdout=subprocess.PIPE,
            stderr=restore_err,
            env=env,
        )
        writer = subprocess.Popen(
            [
                shutil.which("psql"),
                "--no-psqlrc",
                "--quiet",
                "--no-password",
                "--single-transaction",
                "--set=ON_ERROR_STOP=1",
                f"--command={_CLEAR_SCHEMA}",
                "--file=-",
            ],
            stdin=reader.stdout,
            stdout=subprocess.DEVNULL,
            stderr=psql_err,
            env=env,
        )
        reader.stdout.close()
        writer_code, reader_code = writer.wait(), reader.wait()
        if reader_code or writer_code:
            restore_err.seek(0)
            psql_err.seek(0)
            message = _last_lines(
                restore_err.read().decode(errors="replace")
                + psql_err.read().decode(errors="replace")
            )
            raise BackupError(
                "Restoring the PostgreSQL database failed and was rolled back; the "
                f"database is as it was: {message}"
            )


def _check_restore_tools(manifest, vendor):
    """PostgreSQL's client tools can read this archive, safely."""
    if vendor != "postgresql":
        return
    restore_major, restore_tool = tool_version("pg_restore")
    tool_version("psql")
    help_text = subprocess.run(
        [shutil.which("pg_restore"), "--help"], capture_output=True, text=True
    ).stdout
    if "--restrict-key" not in help_text:
        raise BackupError(
            f"pg_restore {restore_tool} predates the \\restrict safeguard "
            "(CVE-2025-8714) that keeps a dump from running psql commands: update "
            "postgresql-client. Nothing was changed."
        )
    dumped_by = manifest["database"].get("dump_tool", "")
    match = re.search(r"(\d+)", dumped_by)
    if match and int(match[1]) > restore_major:
        raise BackupError(
            f"The archive was written by {dumped_by}; pg_restore {restore_tool} "
            f"cannot read it. Install postgresql-client-{match[1]}. Nothing was "
            "changed."
        )


RESTORERS = {"postgresql": _restore_postgresql, "sqlite": _restore_sqlite}


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
    from . import search_schema

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


def _swap_media(staging, media_root):
    """Put the unpacked media in MEDIA_ROOT; what was there goes with the staging
    folder (empty folders, or the old files under --force)."""
    unpacked = staging / "media"
    replaced = staging / "replaced"
    replaced.mkdir()
    for entry in list(media_root.iterdir()):
        shutil.move(entry, replaced / entry.name)
    if unpacked.is_dir():
        for entry in list(unpacked.iterdir()):
            shutil.move(entry, media_root / entry.name)
