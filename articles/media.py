"""Which stored media files nothing needs any more (`manage.py clean_media`).

Files are never deleted when a story's image is replaced or a story deleted: an
editor may restore an older version, or recover the deleted story, and get the image
back. So a file is needed while any story row references it (drafts included), or
any version kept by django-reversion does (of a live story or a deleted one), as its
image or one of its renditions; and while it is younger than the grace period, which
covers uploads in flight and images kept for a form that came back with an error
(articles/uploads.py). Everything else under the upload folders is an orphan.
Only the upload folders are looked at: a file put elsewhere under MEDIA_ROOT by hand
is not ours to judge.
"""

import json
from dataclasses import dataclass
from datetime import timedelta

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.serializers.base import DeserializationError
from django.db import models
from django.utils import timezone
from reversion.models import Version

from . import images, uploads

BATCH = 2000
# The grace period must outlast a kept upload's token, or a file an editor is about
# to save with a story could be removed under them.
MIN_GRACE = uploads.KEPT_FOR
DEFAULT_GRACE = timedelta(hours=1)


@dataclass
class Orphan:
    name: str
    size: int


def file_fields():
    """{model: [file field names]} for every model that stores files."""
    found = {}
    for model in apps.get_models():
        names = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.FileField)
        ]
        if names:
            found[model] = names
    return found


def upload_folders(fields=None):
    """The top-level folders uploads are written to."""
    folders = set(images.UPLOAD_FOLDERS)
    for model, names in (fields or file_fields()).items():
        for name in names:
            upload_to = model._meta.get_field(name).upload_to
            if isinstance(upload_to, str) and upload_to.strip("/"):
                folders.add(upload_to.strip("/").split("/")[0])
    return sorted(folders)


def names_in(model, values):
    """The stored names in one row's (or one version's) field values."""
    found = set()
    for name, value in values.items():
        if name == "lead_image_renditions" and model._meta.label == "articles.Article":
            if isinstance(value, str):
                value = json.loads(value or "{}")
            found |= images.rendition_names(value)
        elif value:
            found.add(str(value))
    return found


def referenced_files(*, progress=None):
    """Every stored name a story row or a kept version references."""
    fields = file_fields()
    folders = upload_folders(fields)
    referenced = set()
    for model, names in fields.items():
        columns = list(names)
        if model._meta.label == "articles.Article":
            columns.append("lead_image_renditions")
        rows = model._default_manager.values(*columns).order_by().iterator(BATCH)
        count = 0
        for row in rows:
            referenced |= names_in(model, row)
            count += 1
        if progress:
            progress(f"{count:,} {model._meta.verbose_name_plural}")
        content_type = ContentType.objects.get_for_model(model)
        versions = (
            Version.objects.filter(content_type=content_type)
            .values_list("pk", "format", "serialized_data")
            .order_by()
            .iterator(BATCH)
        )
        count = 0
        for pk, data_format, data in versions:
            count += 1
            # Every stored name holds its folder's name; most versions hold none.
            if not any(folder in data for folder in folders):
                continue
            for values in version_values(pk, data_format, data, columns):
                referenced |= names_in(model, values)
        if progress:
            progress(f"{count:,} versions of {model._meta.verbose_name_plural}")
    return referenced


class UnreadableVersionError(Exception):
    """A kept version that cannot be read: what it references is unknown, so
    nothing may be removed."""


def version_values(pk, data_format, data, columns):
    """The values of `columns` in a version's serialised object."""
    try:
        if data_format == "json":
            return [
                {k: v for k, v in item.get("fields", {}).items() if k in columns}
                for item in json.loads(data)
            ]
        return [
            {
                column: getattr(item.object, column)
                for column in columns
                if hasattr(item.object, column)
            }
            for item in serializers.deserialize(
                data_format, data, ignorenonexistent=True
            )
        ]
    except (ValueError, TypeError, AttributeError, DeserializationError) as exc:
        raise UnreadableVersionError(f"version {pk} cannot be read: {exc}") from exc


def walk(storage, folder):
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}/{name}"
    for sub in sorted(folders):
        yield from walk(storage, f"{folder}/{sub}")


def find_orphans(*, storage, grace=DEFAULT_GRACE, now=None, progress=None):
    """(orphans, files looked at, files kept for being young)."""
    now = now or timezone.now()
    referenced = referenced_files(progress=progress)
    orphans, seen, young = [], 0, 0
    for folder in upload_folders():
        for name in walk(storage, folder):
            seen += 1
            if progress and seen % 1000 == 0:
                progress(f"{seen:,} files looked at")
            if name in referenced:
                continue
            try:
                modified = storage.get_modified_time(name)
            except (NotImplementedError, OSError):
                young += 1  # age unknown: keep it
                continue
            if now - modified < grace:
                young += 1
                continue
            orphans.append(Orphan(name, storage.size(name)))
    return orphans, seen, young
