"""Where media live, read from the environment (newsroom/media_settings.py): the
local folder with nothing set, a bucket with DJANGO_S3_BUCKET."""

import json

import pytest
from django.core.exceptions import ImproperlyConfigured

from articles.tests.test_settings import run_python
from newsroom.media_settings import MAX_SIGNED_SECONDS, object_storage

SHOW = (
    "import json, django; from django.conf import settings; django.setup();"
    "from django.core.files.storage import storages; s = storages['default'];"
    "print(json.dumps({'backend': settings.STORAGES['default']['BACKEND'],"
    "'class': type(s).__name__,"
    "'serve': settings.SERVE_MEDIA, 'media_url': settings.MEDIA_URL,"
    "'img': settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'],"
    "'url': s.url('renditions/ab/abc-800w.webp')}))"
)
BUCKET = {
    "DJANGO_S3_BUCKET": "aes-media",
    "DJANGO_S3_ENDPOINT_URL": "http://127.0.0.1:8333",
    "DJANGO_S3_ACCESS_KEY_ID": "key",
    "DJANGO_S3_SECRET_ACCESS_KEY": "secret",
}


def settings_with(**env):
    result = run_python(SHOW, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_with_nothing_set_media_stay_in_the_local_folder():
    shown = settings_with()
    assert shown["backend"] == "django.core.files.storage.FileSystemStorage"
    assert shown["serve"] is True and shown["media_url"] == "/media/"
    assert shown["url"] == "/media/renditions/ab/abc-800w.webp"


def test_a_bucket_with_a_public_address_serves_media_from_there():
    shown = settings_with(**BUCKET, DJANGO_S3_PUBLIC_URL="https://media.aes.example")
    assert shown["backend"] == "newsroom.objectstore.MediaStorage"
    assert shown["class"] == "MediaStorage"
    assert shown["serve"] is False  # the app no longer serves /media/
    assert shown["media_url"] == "https://media.aes.example/"
    assert "https://media.aes.example" in shown["img"]  # the CSP allows it
    assert shown["url"] == "https://media.aes.example/renditions/ab/abc-800w.webp"


def test_a_bucket_without_a_public_address_signs_its_addresses():
    shown = settings_with(**BUCKET)
    assert shown["media_url"] == "http://127.0.0.1:8333/aes-media/"
    assert "http://127.0.0.1:8333" in shown["img"]
    url = shown["url"]
    assert url.startswith("http://127.0.0.1:8333/aes-media/renditions/ab/abc-800w")
    assert f"X-Amz-Expires={MAX_SIGNED_SECONDS}" in url and "X-Amz-Signature=" in url


REFUSED = "signed image addresses must last at least twice as long as a cache keeps"


def test_a_refused_setting_stops_the_start_with_the_reason():
    result = run_python(SHOW, **BUCKET, DJANGO_S3_SIGNED_URL_SECONDS="600")
    assert result.returncode != 0
    assert REFUSED in result.stderr


def test_signed_addresses_outlive_the_edges_stale_copies_too():
    """Varnish or a CDN may serve a page for its s-maxage plus stale-if-error: the
    image addresses on it must still open by then."""
    edge = {"DJANGO_EDGE_CACHE_SECONDS": "600", "DJANGO_EDGE_STALE_IF_ERROR": "86400"}
    refused = run_python(SHOW, **BUCKET, **edge, DJANGO_S3_SIGNED_URL_SECONDS="100000")
    assert refused.returncode != 0
    assert REFUSED in refused.stderr
    assert "174000 s" in refused.stderr
    taken = run_python(SHOW, **BUCKET, **edge, DJANGO_S3_SIGNED_URL_SECONDS="200000")
    assert taken.returncode == 0, taken.stderr


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DJANGO_S3_ENDPOINT_URL": "127.0.0.1:8333"}, "is not an http"),
        ({"DJANGO_S3_PUBLIC_URL": "media.example"}, "is not an http"),
        ({"DJANGO_S3_ADDRESSING_STYLE": "dns"}, "write path or virtual"),
        ({"DJANGO_S3_SIGNED_URL_SECONDS": "soon"}, "whole number of seconds"),
        ({"DJANGO_S3_SIGNED_URL_SECONDS": "999999"}, "at most a week"),
    ],
)
def test_bad_values_are_explained(env, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        object_storage(env, bucket="b", page_cache_seconds=600)


def test_public_mode_without_a_public_address_uses_the_endpoint_path():
    storage, media_url = object_storage(
        {
            "DJANGO_S3_ENDPOINT_URL": "http://s3.local:9000",
            "DJANGO_S3_SIGNED_URLS": "0",
        },
        bucket="b",
        page_cache_seconds=600,
    )
    assert storage["OPTIONS"]["public_url"] == "http://s3.local:9000/b"
    assert storage["OPTIONS"]["querystring_auth"] is False
    assert media_url == "http://s3.local:9000/b/"


def test_amazon_s3_itself_needs_no_endpoint():
    storage, media_url = object_storage(
        {"DJANGO_S3_REGION": "eu-west-3"}, bucket="aes", page_cache_seconds=600
    )
    assert "endpoint_url" not in storage["OPTIONS"]
    assert storage["OPTIONS"]["addressing_style"] == "virtual"
    assert media_url == "https://aes.s3.eu-west-3.amazonaws.com/"
