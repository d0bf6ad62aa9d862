"""Media on S3-compatible object storage (newsroom/objectstore.py), against a real
SeaweedFS server on loopback (deploy/objectstore.py): uploads and renditions land
in the bucket, public and signed addresses fetch for real, addresses cost no SDK
call, and deleting, recovering and clean_media keep the bucket consistent."""

import re
import urllib.error
import urllib.request
import uuid
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone
from reversion.models import Version

from articles import images, media, services
from articles.history import recovering
from articles.models import Article
from articles.tests.admin_forms import ADD, CHANGELIST, article_form
from articles.tests.factories import ArticleFactory, gps_exif, image_file
from deploy import objectstore
from newsroom.media_settings import object_storage

pytestmark = pytest.mark.django_db


def use_bucket(settings, server, bucket, *, location=None):
    """Point the site's media at `bucket`, under a prefix of this test's own (a new
    storage object each time, as a new worker process has)."""
    storage, media_url = object_storage(
        server.env(bucket), bucket=bucket, page_cache_seconds=600
    )
    storage["OPTIONS"]["location"] = location or f"t-{uuid.uuid4().hex[:12]}"
    settings.STORAGES = {**settings.STORAGES, "default": storage}
    settings.MEDIA_URL = media_url
    return default_storage


@pytest.fixture
def public_bucket(settings, object_store):
    return use_bucket(settings, object_store, objectstore.PUBLIC_BUCKET)


@pytest.fixture
def private_bucket(settings, object_store):
    return use_bucket(settings, object_store, objectstore.PRIVATE_BUCKET)


def keys(server, storage):
    """Every key under the storage's prefix, as the storage names them."""
    client = server.client()
    pages = client.get_paginator("list_objects_v2").paginate(
        Bucket=storage.bucket_name, Prefix=f"{storage.location}/"
    )
    return {
        item["Key"].removeprefix(f"{storage.location}/")
        for page in pages
        for item in page.get("Contents", ())
    }


def fetch(url):
    """(status, headers, body) of a plain anonymous GET."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def files_of(story):
    return {story.lead_image.name} | images.rendition_names(story.lead_image_renditions)


def desk_story(editor_client, **overrides):
    response = editor_client.post(
        ADD,
        article_form(
            lead_image=image_file("Gao market.jpg", (1300, 866), "JPEG", gps_exif()),
            lead_image_alt="The market",
            **overrides,
        ),
    )
    assert response.status_code == 302, response.content[:2000]
    return Article.objects.get()


class TestUploads:
    def test_the_desk_writes_the_original_and_every_rendition_to_the_bucket(
        self, editor_client, public_bucket, object_store, settings
    ):
        story = desk_story(editor_client)
        assert re.fullmatch(
            r"lead-images/[0-9a-f]{2}/[0-9a-f]{40}\.jpg", story.lead_image.name
        )
        sizes = story.lead_image_renditions["sizes"]
        assert len(sizes) == 3  # 480, 800 and 1200 wide
        assert keys(object_store, public_bucket) == files_of(story)
        assert not (settings.MEDIA_ROOT).exists()  # nothing on the local disk
        # What the bucket holds is the cleaned picture, not the upload.
        client = object_store.client()
        stored = client.get_object(
            Bucket=public_bucket.bucket_name,
            Key=f"{public_bucket.location}/{story.lead_image.name}",
        )
        data = stored["Body"].read()
        assert data[:2] == b"\xff\xd8" and b"Exif" not in data  # GPS and all gone
        assert stored["ContentType"] == "image/jpeg"
        assert stored["CacheControl"] == "public, max-age=31536000, immutable"

    def test_the_same_picture_again_is_not_written_twice(
        self, public_bucket, object_store
    ):
        first = ArticleFactory(lead_image=image_file("a.png", (90, 60)))
        before = keys(object_store, public_bucket)
        second = ArticleFactory(lead_image=image_file("b.png", (90, 60)))
        assert second.lead_image.name == first.lead_image.name
        assert keys(object_store, public_bucket) == before


class TestPublicAddresses:
    def test_addresses_are_the_public_base_and_readers_fetch_them(
        self, client, public_bucket, object_store
    ):
        story = ArticleFactory(
            lead_image=image_file("served.jpg", (900, 600), "JPEG"),
            status="published",
        )
        base = f"{object_store.public_url()}/{public_bucket.location}/"
        picture = images.picture(story)
        urls = [story.lead_image.url, picture["src"], *picture["all_jpeg"]]
        for url in urls:
            assert url.startswith(base) and "?" not in url, url
            status, headers, body = fetch(url)
            assert status == 200, url
            assert body[:2] == b"\xff\xd8"
            assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
        page = client.get(story.get_absolute_url()).content.decode()
        assert picture["src"] in page

    def test_anonymous_readers_cannot_list_the_bucket(
        self, public_bucket, object_store
    ):
        ArticleFactory(lead_image=image_file("x.png", (90, 60)))
        status, _, body = fetch(f"{object_store.public_url()}?list-type=2")
        assert status == 403, body[:300]


class TestSignedAddresses:
    def test_signed_addresses_fetch_and_unsigned_ones_do_not(
        self, private_bucket, object_store
    ):
        story = ArticleFactory(lead_image=image_file("s.jpg", (600, 400), "JPEG"))
        url = story.lead_image.url
        assert "X-Amz-Signature=" in url and "X-Amz-Expires=604800" in url
        status, _, body = fetch(url)
        assert status == 200 and body[:2] == b"\xff\xd8"
        status, _, _ = fetch(url.split("?")[0])
        assert status == 403

    def test_an_expired_address_is_refused(self, private_bucket, object_store):
        story = ArticleFactory(lead_image=image_file("e.jpg", (600, 400), "JPEG"))
        name = story.lead_image.name
        fresh = private_bucket.url(name, expire=60)
        assert fetch(fresh)[0] == 200
        # Signed an hour ago, for a minute (the clock moved; the server's did not).
        import time_machine

        with time_machine.travel(timezone.now() - timedelta(hours=1), tick=False):
            stale = private_bucket.url(name, expire=60)
        assert stale != fresh
        assert fetch(stale)[0] == 403


class CountingRequests:
    """Counts what botocore sends and signs, through its own event hooks on every
    client made meanwhile (no mock: the calls, if any, go to the server)."""

    def __init__(self, monkeypatch):
        import botocore.session

        self.calls = []
        original = botocore.session.Session.create_client
        counter = self

        def create_client(session, *args, **kwargs):
            counter.calls.append("create-client")
            made = original(session, *args, **kwargs)
            made.meta.events.register(
                "before-send", lambda **kw: counter.calls.append("request")
            )
            made.meta.events.register(
                "before-sign", lambda **kw: counter.calls.append("sign")
            )
            return made

        monkeypatch.setattr(botocore.session.Session, "create_client", create_client)


class TestAddressCost:
    def test_a_public_address_costs_no_sdk_call_and_no_request(
        self, monkeypatch, settings, public_bucket, object_store
    ):
        story = ArticleFactory(lead_image=image_file("c.jpg", (900, 600), "JPEG"))
        counting = CountingRequests(monkeypatch)
        storage = use_bucket(
            settings,
            object_store,
            objectstore.PUBLIC_BUCKET,
            location=public_bucket.location,
        )
        for _ in range(200):
            picture = images.picture(story)
            url = story.lead_image.url
        assert counting.calls == []
        assert getattr(storage._wrapped._connections, "connection", None) is None
        assert fetch(picture["src"])[0] == 200 and fetch(url)[0] == 200
        # The control: an SDK call on that storage is seen.
        assert storage.exists(story.lead_image.name)
        assert "request" in counting.calls

    def test_a_signed_address_is_signed_here_without_a_request(
        self, monkeypatch, settings, private_bucket, object_store
    ):
        story = ArticleFactory(lead_image=image_file("d.jpg", (900, 600), "JPEG"))
        counting = CountingRequests(monkeypatch)
        use_bucket(
            settings,
            object_store,
            objectstore.PRIVATE_BUCKET,
            location=private_bucket.location,
        )
        for _ in range(50):
            picture = images.picture(story)
        assert "sign" in counting.calls and "request" not in counting.calls
        assert fetch(picture["src"])[0] == 200


class TestDeletingAndRecovering:
    def test_a_deleted_story_keeps_its_files_and_comes_back_with_them(
        self, editor_client, editor, client, public_bucket, object_store
    ):
        story = desk_story(editor_client)
        services.publish_now(Article.objects.filter(pk=story.pk), user=editor)
        files = files_of(story)
        response = editor_client.post(
            CHANGELIST,
            {
                "action": "delete_selected",
                ACTION_CHECKBOX_NAME: [story.pk],
                "post": "yes",
            },
        )
        assert response.status_code == 302
        assert not Article.objects.exists()
        assert files <= keys(object_store, public_bucket)  # never deleted with it
        # clean_media keeps what the deletion snapshot names, even when old.
        orphans, seen, _ = media.find_orphans(
            storage=default_storage, now=timezone.now() + timedelta(hours=2)
        )
        assert orphans == [] and seen == len(files)

        version = Version.objects.get_deleted(Article).get()
        plan = recovering.recovery_plan(version, user=editor)
        assert not plan.image_missing
        recovered = recovering.recover(version, user=editor, republish=True)
        assert files_of(recovered) == files
        page = client.get(recovered.get_absolute_url())
        assert page.status_code == 200
        src = images.picture(recovered)["src"]
        assert src in page.content.decode()
        assert fetch(src)[0] == 200

    def test_clean_media_lists_and_removes_orphans_in_the_bucket(
        self, public_bucket, object_store
    ):
        story = ArticleFactory(lead_image=image_file("old.png", (90, 60)))
        old = files_of(story)
        story.lead_image = image_file("new.png", (92, 61))
        services.save_story(story=story)
        new = files_of(story)
        assert keys(object_store, public_bucket) == old | new
        # Young files are left alone: the command, as an operator runs it.
        out = StringIO()
        call_command("clean_media", "--delete", stdout=out)
        assert "0 removed." in out.getvalue()
        assert "3 younger than" in out.getvalue()
        # Two hours on, the replaced image is an orphan (versions are not kept
        # for a story saved outside the desk).
        orphans, seen, young = media.find_orphans(
            storage=default_storage, now=timezone.now() + timedelta(hours=2)
        )
        assert {orphan.name for orphan in orphans} == old and seen == 6
        assert all(orphan.size > 0 for orphan in orphans)
        for orphan in orphans:
            default_storage.delete(orphan.name)
        assert keys(object_store, public_bucket) == new
