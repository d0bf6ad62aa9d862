"""The archive's format: a tar of `database/...`, `media/...` and a manifest.

Writing adds each file while hashing exactly the bytes archived; reading checks the
manifest's shape and version, matches every member against it and verifies every
checksum while unpacking, before anything else is touched.
"""

import contextlib
import hashlib
import json
import os
import tarfile
import time
from pathlib import Path

from django.utils import timezone

from .errors import BackupError
from .progress import Progress

FORMAT = "aes-newsroom-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MAX_MANIFEST_BYTES = 256 * 1024 * 1024
DATABASE_MEMBERS = {
    "sqlite": "database/sqlite3.db",
    "postgresql": "database/postgresql.dump",
}
CHUNK = 1024 * 1024


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


def _tarinfo(name, size, mtime):
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = size, int(mtime), 0o644
    return info


def add_file(tar, name, path, progress):
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


def add_manifest(tar, *, database, migrations, counts, entries):
    """Add the manifest, last: an archive cut short before it has none."""
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


class _BytesReader:
    def __init__(self, data):
        self.data, self.offset = data, 0

    def read(self, size=-1):
        end = len(self.data) if size < 0 else self.offset + size
        chunk = self.data[self.offset : end]
        self.offset += len(chunk)
        return chunk


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


def unpack_verified(tar, members, manifest, staging, report):
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
