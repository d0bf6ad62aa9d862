"""Kept uploads: a lead image checked, cleaned and stored before its story is saved,
and the signed token that lets a later submission of the form claim it.

The desk's lead-image field (articles/desk/uploads.py) stores an upload as soon
as the form is checked, so a form that comes back with an error keeps it; the
re-rendered form carries a token naming those files, as django-file-resubmit does
with its cache. The token is signed (Django's signing, with its own salt), names
the desk member it was made for and expires after KEPT_FOR: another member's
token, a tampered one or an old one reads as KEPT_LOST. The files of an upload
never saved become orphans that `manage.py clean_media` removes once they are
older than its grace period, which is longer than KEPT_FOR (articles/media.py),
so a file that may still be claimed is never removed.
"""

from datetime import timedelta

from django.core import signing
from django.core.files import File

from . import images

KEPT_FOR = timedelta(minutes=45)
SALT = "articles.uploads.kept-lead-image"


class KeptImage(File):
    """An upload from an earlier submission of the form: checked, cleaned and in
    storage already. Reads from the stored copy (Django reads its size)."""

    def __init__(self, *, stored, filename, storage):
        super().__init__(None, name=filename)
        self.stored = stored
        self.storage = storage
        renditions = stored["renditions"]
        clean = images.CleanImage(
            content=b"",
            extension=stored["name"].rsplit(".", 1)[-1],
            width=renditions["width"],
            height=renditions["height"],
            stored=stored,
        )
        setattr(self, images.CLEAN_ATTRIBUTE, clean)

    @property
    def size(self):
        known = self.stored["renditions"].get("bytes")
        return known if known is not None else self.storage.size(self.stored["name"])

    def open(self, mode="rb"):
        if self.closed:
            self.file = self.storage.open(self.stored["name"], "rb")
        else:
            self.seek(0)
        return self


# What the widget returns for a token it cannot honour; the field turns it into an
# error rather than silently saving the story without the image.
KEPT_LOST = object()
# ... and for a token whose files storage could not be asked about just now.
KEPT_UNREACHABLE = object()


def make_token(*, stored, filename, owner):
    return signing.dumps(
        {"owner": owner, "filename": filename, "stored": stored},
        salt=SALT,
        compress=True,
    )


def read_token(token, *, owner, storage):
    """The kept image a token names, or KEPT_LOST (or KEPT_UNREACHABLE)."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=KEPT_FOR)
        stored, filename = payload["stored"], str(payload["filename"])
        if payload["owner"] != owner or not images.STORED_NAME.fullmatch(
            stored["name"]
        ):
            return KEPT_LOST
        stem = stored["name"].rsplit(".", 1)[0]
        for size in stored["renditions"]["sizes"]:
            for key in ("webp", "jpeg"):
                # Content-hashed, or (a token from before) named after the image.
                if not (
                    images.RENDITION_NAME.fullmatch(size[key])
                    or size[key].startswith(f"renditions/{stem}-")
                ):
                    return KEPT_LOST
        if not storage.exists(stored["name"]):
            return KEPT_LOST  # removed by clean_media
    except (signing.BadSignature, KeyError, TypeError, AttributeError):
        return KEPT_LOST
    except OSError:
        return KEPT_UNREACHABLE  # storage did not answer (an object store down)
    return KeptImage(stored=stored, filename=filename, storage=storage)
