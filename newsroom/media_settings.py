"""The media storage settings for a bucket, read from DJANGO_S3_* variables.

Kept out of settings.py so it can be checked on its own (articles/tests/
test_object_storage_settings.py); README.md, "Media on object storage", lists the
variables.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

# SigV4 presigned addresses live at most a week.
MAX_SIGNED_SECONDS = 7 * 24 * 3600


def _flag(value, default):
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def object_storage(env, *, bucket, page_cache_seconds):
    """({"BACKEND": ..., "OPTIONS": ...}, MEDIA_URL) for `bucket`."""
    endpoint = env.get("DJANGO_S3_ENDPOINT_URL", "").rstrip("/")
    region = env.get("DJANGO_S3_REGION", "") or "us-east-1"
    public_url = env.get("DJANGO_S3_PUBLIC_URL", "").rstrip("/")
    signed = _flag(env.get("DJANGO_S3_SIGNED_URLS"), default=not public_url)
    style = env.get("DJANGO_S3_ADDRESSING_STYLE", "") or (
        "path" if endpoint else "virtual"
    )
    for name, value in (
        ("DJANGO_S3_ENDPOINT_URL", endpoint),
        ("DJANGO_S3_PUBLIC_URL", public_url),
    ):
        if value and urlsplit(value).scheme not in ("http", "https"):
            raise ImproperlyConfigured(
                f"{name}: {value!r} is not an http(s) address, e.g. "
                "https://media.example.org"
            )
    if style not in ("path", "virtual"):
        raise ImproperlyConfigured(
            f"DJANGO_S3_ADDRESSING_STYLE: {style!r}; write path or virtual."
        )
    try:
        expiry = int(env.get("DJANGO_S3_SIGNED_URL_SECONDS", "") or MAX_SIGNED_SECONDS)
    except ValueError as error:
        raise ImproperlyConfigured(
            "DJANGO_S3_SIGNED_URL_SECONDS must be a whole number of seconds."
        ) from error
    if signed and not 2 * page_cache_seconds <= expiry <= MAX_SIGNED_SECONDS:
        # A cached page hands out the addresses it was drawn with: they must
        # outlive it (twice over, for pages kept while the database is down).
        raise ImproperlyConfigured(
            f"DJANGO_S3_SIGNED_URL_SECONDS is {expiry}: signed image addresses must "
            f"last at least twice as long as a cache keeps a page (the page cache, "
            f"the edge with its stale-if-error: {2 * page_cache_seconds} s) and "
            f"at most a week ({MAX_SIGNED_SECONDS} s)."
        )
    if not signed and not public_url and not endpoint:
        public_url = f"https://{bucket}.s3.{region}.amazonaws.com"
    elif not signed and not public_url:
        public_url = f"{endpoint}/{bucket}"
    options = {
        "bucket_name": bucket,
        "region_name": region,
        "addressing_style": style,
        "querystring_auth": signed,
        "querystring_expire": expiry,
        "public_url": "" if signed else public_url,
        # Names never change content (articles/images.py): a year, immutable.
        "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        "file_overwrite": True,
        "connect_timeout": float(env.get("DJANGO_S3_CONNECT_TIMEOUT", "") or 3),
        "read_timeout": float(env.get("DJANGO_S3_READ_TIMEOUT", "") or 10),
    }
    if env.get("DJANGO_S3_PREFIX", "").strip("/"):
        # A folder of the bucket: several sites (or test runs) share one bucket.
        options["location"] = env["DJANGO_S3_PREFIX"].strip("/")
    if endpoint:
        options["endpoint_url"] = endpoint
    if env.get("DJANGO_S3_ACCESS_KEY_ID"):
        options["access_key"] = env["DJANGO_S3_ACCESS_KEY_ID"]
        options["secret_key"] = env.get("DJANGO_S3_SECRET_ACCESS_KEY", "")
    # MEDIA_URL names the origin images come from (the Content-Security-Policy
    # allows it); the storage builds each address itself.
    if public_url:
        media_url = f"{public_url}/"
    elif endpoint and style == "path":
        media_url = f"{endpoint}/{bucket}/"
    elif endpoint:
        parts = urlsplit(endpoint)
        media_url = f"{parts.scheme}://{bucket}.{parts.netloc}/"
    else:
        media_url = f"https://{bucket}.s3.{region}.amazonaws.com/"
    return {
        "BACKEND": "newsroom.objectstore.MediaStorage",
        "OPTIONS": options,
    }, media_url
