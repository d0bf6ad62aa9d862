"""The files under MEDIA_ROOT: which ones an archive holds, and putting the
unpacked ones in place (in MEDIA_ROOT, or in the bucket when media live on object
storage)."""

import os
import shutil
import stat
from pathlib import Path

from django.core.files import File


def media_files(media_root):
    """[(relative POSIX path, absolute path, size)] of the regular files under
    MEDIA_ROOT, sorted; symbolic links and other special files are left out.
    None (media in a bucket): none."""
    found, skipped = [], []
    if media_root is None:
        return found, skipped
    root = Path(media_root)
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


def swap_media(staging, media_root):
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


def upload_media(staging, storage, report):
    """Put the unpacked media in the bucket, under the names they had; a name there
    already is left as it is (content-hashed names never hold other bytes)."""
    files, _ = media_files(staging / "media")
    added = 0
    for relative, path, _ in files:
        if storage.exists(relative):
            continue
        with path.open("rb") as content:
            storage.save(relative, File(content, name=relative))
        added += 1
    report(f"  {added:,} of {len(files):,} media files uploaded to the bucket")
