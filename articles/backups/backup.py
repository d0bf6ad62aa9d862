"""`manage.py backup`: the database, then the media, into one archive written
beside the target and renamed into place only when complete."""

import os
import shutil
import tarfile
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .archive import CHUNK, DATABASE_MEMBERS, add_file, add_manifest
from .errors import BackupError, interrupted_by_sigterm
from .media import media_files
from .postgresql import dump_postgresql
from .progress import Progress, headline_counts, human_size
from .sqlite import dump_sqlite

DUMPERS = {"postgresql": dump_postgresql, "sqlite": dump_sqlite}


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
    if media_root is None:  # media in a bucket
        return
    media = Path(media_root).resolve()
    if target.resolve().is_relative_to(media):
        raise BackupError(
            f"{target} lies inside MEDIA_ROOT ({media}): the archive would hold "
            "itself, and the site would serve it. Write it elsewhere."
        )


def write_backup(*, path, connection, media_root, report):
    """Write the archive to `path` (atomically) and return a BackupSummary.

    `media_root` None: media live in a bucket, and the archive holds the database
    only (README: Backups)."""
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
            entries.append(add_file(tar, member, dump, progress))
            for relative, source, size in files:
                entry = add_file(tar, f"media/{relative}", source, progress)
                if entry is None:
                    report(f"  gone before it was read (deleted meanwhile): {relative}")
                    progress.bytes_total -= size
                    progress.files_total -= 1
                    continue
                entries.append(entry)
            add_manifest(
                tar,
                database=database,
                migrations=migrations,
                counts=counts,
                entries=entries,
            )
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


def _fsync_folder(folder):
    # The rename itself must reach the disk, or a crash could forget the archive.
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
