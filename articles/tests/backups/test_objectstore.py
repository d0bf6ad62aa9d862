"""Backups when media live in a bucket (articles/backups/, README: Backups): the
archive holds the database, the bucket keeps the files; an archive of a site whose
media were on disk restores into a site on a bucket by uploading them."""

import json
import secrets
import tarfile
import urllib.request

import pytest

from articles.tests.backups.test_backups import Site, demo_archive, demo_site, make_site
from deploy import objectstore

__all__ = ["demo_archive", "demo_site", "make_site"]  # fixtures used here
pytestmark = pytest.mark.django_db


class BucketSite(Site):
    """A scratch site whose media live under a prefix of the test bucket."""

    def __init__(self, site, server, prefix):
        super().__init__(site.database_url, site.media_root)
        self.server, self.prefix = server, prefix

    def env(self):
        return {
            **super().env(),
            **self.server.env(objectstore.PUBLIC_BUCKET),
            "DJANGO_S3_PREFIX": self.prefix,
        }

    def first_image_urls(self):
        code = (
            "from articles.models import Article; from articles import images;"
            "import json; s = Article.objects.exclude(lead_image='').order_by('pk')[0];"
            "print(json.dumps([s.lead_image.url, images.picture(s)['src']]))"
        )
        return json.loads(self.shell(code).stdout.strip().splitlines()[-1])


def archived_media(archive):
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    return [e["path"] for e in manifest["files"] if e["path"].startswith("media/")]


def fetch_status(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_a_bucket_site_archives_its_database_and_the_bucket_keeps_the_files(
    make_site, object_store, tmp_path
):
    prefix = f"backup-{secrets.token_hex(4)}"
    site = BucketSite(make_site("bucket"), object_store, prefix)
    site.manage("migrate", "--noinput", "-v0", check=True)
    site.manage("load_demo", check=True)
    urls = site.first_image_urls()
    assert all(url.startswith(f"{object_store.public_url()}/{prefix}/") for url in urls)
    assert not site.media_root.exists()  # nothing on the local disk

    archive = tmp_path / "bucket.tar"
    result = site.manage("backup", str(archive), check=True)
    assert "this archive holds the database only" in result.stdout
    assert archived_media(archive) == []

    # Restored into an empty database on the same bucket: the pictures show.
    target = BucketSite(make_site("bucket-target"), object_store, prefix)
    site.manage("flush", "--noinput", check=True)  # the old site is gone
    restored = target.manage("restore", str(archive))
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert target.first_image_urls() == urls
    assert all(fetch_status(url) == 200 for url in urls)


def test_an_archive_from_a_disk_site_restores_into_a_bucket(
    demo_archive, make_site, object_store
):
    media = archived_media(demo_archive)
    assert media  # the demo's pictures, from MEDIA_ROOT
    prefix = f"restore-{secrets.token_hex(4)}"
    target = BucketSite(make_site("to-bucket"), object_store, prefix)
    result = target.manage("restore", str(demo_archive))
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{len(media):,} of {len(media):,} media files uploaded" in result.stdout
    client = object_store.client()
    listed = client.list_objects_v2(
        Bucket=objectstore.PUBLIC_BUCKET, Prefix=f"{prefix}/", MaxKeys=1000
    )
    keys = {item["Key"].removeprefix(f"{prefix}/") for item in listed["Contents"]}
    assert keys == {name.removeprefix("media/") for name in media}
    assert all(fetch_status(url) == 200 for url in target.first_image_urls())
    assert not target.media_root.exists()
