"""Media on S3-compatible object storage (django-storages), when DJANGO_S3_BUCKET is set.

Two things differ from django-storages' own S3Storage:

- Public (unsigned) addresses are built from DJANGO_S3_PUBLIC_URL and the name alone:
  no boto3 session, client or request per image (django-storages would build a
  client and run its presigner to make an unsigned URL). Stored names carry a
  content hash (articles/images.py), so these addresses can be cached for ever.
- An object store that does not answer (down, refusing, timing out, answering
  5xx) raises ObjectStoreError, an OSError, with a sentence an editor can act
  on: the desk's image field and feeds already treat an OSError from storage as
  "could not be stored / read just now", never as a 500.
"""

import functools

from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage
from storages.utils import clean_name

UNAVAILABLE = "The image store did not answer"


class ObjectStoreError(OSError):
    """The object store could not be reached or refused the request."""


def _missing(error):
    return (
        isinstance(error, ClientError)
        and error.response.get("ResponseMetadata", {}).get("HTTPStatusCode") == 404
    )


def _answered(method):
    """Turn the SDK's errors into ObjectStoreError (a 404 stays FileNotFoundError
    where the storage API says so)."""

    @functools.wraps(method)
    def wrapper(self, name, *args, **kwargs):
        try:
            return method(self, name, *args, **kwargs)
        except (BotoCoreError, ClientError) as error:
            if _missing(error):
                raise FileNotFoundError(f"{name} is not in the image store") from error
            raise ObjectStoreError(f"{UNAVAILABLE} ({name}): {error}") from error

    return wrapper


class MediaStorage(S3Storage):
    """Uploads and renditions in a bucket; see README.md, "Media on object storage"."""

    def get_default_settings(self):
        return {
            **super().get_default_settings(),
            # Base address readers fetch objects from, without a trailing slash:
            # a CDN or custom domain, or the endpoint's /<bucket> for path style.
            "public_url": "",
            # A store that does not answer fails a save in seconds, not minutes.
            "connect_timeout": 3.0,
            "read_timeout": 10.0,
            "max_attempts": 2,
        }

    def __init__(self, **settings):
        super().__init__(**settings)
        self.public_url = (self.public_url or "").rstrip("/")
        self.client_config = Config(
            s3={"addressing_style": self.addressing_style},
            signature_version=self.signature_version or "s3v4",
            proxies=self.proxies,
            connect_timeout=self.connect_timeout,
            read_timeout=self.read_timeout,
            retries={"max_attempts": self.max_attempts, "mode": "standard"},
        )

    def url(self, name, parameters=None, expire=None, http_method=None):
        if self.public_url and not self.querystring_auth and not parameters:
            # Plain string work: no SDK call, no request.
            name = self._normalize_name(clean_name(name))
            return f"{self.public_url}/{filepath_to_uri(name)}"
        return super().url(name, parameters, expire, http_method)

    _save = _answered(S3Storage._save)
    delete = _answered(S3Storage.delete)
    exists = _answered(S3Storage.exists)
    listdir = _answered(S3Storage.listdir)
    size = _answered(S3Storage.size)
    get_modified_time = _answered(S3Storage.get_modified_time)

    @_answered
    def _open(self, name, mode="rb"):
        opened = super()._open(name, mode)
        if "r" in mode:
            opened.file  # noqa: B018 - read now, where an outage is caught
        return opened
