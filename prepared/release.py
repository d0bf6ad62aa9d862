"""What makes two releases' pages differ: a copy prepared by another release of
the code, templates, translations or static files is never served by this one."""

import functools
import hashlib
import os
from pathlib import Path

from django.conf import settings

SUFFIXES = {".py", ".html", ".txt", ".xml", ".mo"}
SKIPPED = {".venv", ".git", "node_modules", "media", "tests", "__pycache__", ".stack"}
SETTINGS = ("SITE_NAME", "SITE_URL", "LANGUAGES", "LANGUAGE_CODE", "STATIC_URL")


@functools.cache
def fingerprint():
    """A digest of the project's source files (its own, not the virtualenv's),
    the static files' manifest and the settings pages print; read once."""
    digest = hashlib.sha256()
    for name in SETTINGS:
        digest.update(repr(getattr(settings, name, None)).encode())
    root = Path(settings.BASE_DIR)
    files = []
    for folder, subfolders, names in os.walk(root):
        subfolders[:] = sorted(
            d for d in subfolders if d not in SKIPPED and not d.startswith(".")
        )
        files += [Path(folder, n) for n in names if Path(n).suffix in SUFFIXES]
    manifest = Path(settings.STATIC_ROOT or "", "staticfiles.json")
    if settings.STATIC_ROOT and manifest.is_file():
        files.append(manifest)
    for path in sorted(files):
        digest.update(
            str(path.relative_to(root) if path.is_relative_to(root) else path).encode()
        )
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
