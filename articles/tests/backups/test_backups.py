"""`backup` and `restore`: one archive holding the database, the media and a
manifest, and a restore that refuses whatever it must before it changes anything.

The commands run end to end, in subprocesses pointed (DATABASE_URL, MEDIA_ROOT) at
scratch sites of the suite's own database vendor: a temporary SQLite file, or a
scratch PostgreSQL database (`h_backup_restore_<random>`) created and dropped on
the test database's server. Faults are real: a tiny filesystem, a read-only one,
a file-size limit the kernel enforces, a writer holding SQLite's write lock.
"""

import contextlib
import hashlib
import io
import json
import os
import resource
import secrets
import shutil
import socket
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
import reversion
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection

from articles import db_maintained, search_schema
from articles.backups import MANIFEST
from articles.models import ContentGeneration
from articles.tests.factories import (
    ArticleFactory,
    StoryNoteFactory,
    TopicFactory,
    image_file,
)

ROOT = Path(__file__).resolve().parents[3]
VENDOR = connection.vendor
OLDER_SCHEMA = "0009_topics_kinds_aliases_timeline"
LATEST = "articles.0010_article_body_text"

# Run inside a scratch site: everything a test compares, counted without the code
# under test (every model's rows through the ORM).
FACTS = """
import hashlib, json, sys
from pathlib import Path
import django
django.setup()
from django.apps import apps
from django.conf import settings
from django.db import connection
from reversion.models import Version
from articles import db_maintained
from articles.models import Article, ContentGeneration
from articles.search import search

tables = set(connection.introspection.table_names())
facts = {"tables": sorted(tables)}
if "articles_article" in tables:
    with connection.cursor() as cursor:
        cursor.execute(db_maintained.LIST_TRIGGERS[connection.vendor])
        triggers = sorted(row[0] for row in cursor.fetchall())
        cursor.execute("SELECT app, name FROM django_migrations")
        migrations = sorted(f"{app}.{name}" for app, name in cursor.fetchall())
    facts.update(
        counts={
            model._meta.label_lower: model._base_manager.count()
            for model in apps.get_models(include_auto_created=True)
            if not model._meta.proxy
        },
        migrations=migrations,
        triggers=triggers,
        generation=ContentGeneration.objects.get().generation,
        found={
            word: list(search(Article.objects.published(), word).values_list(
                "slug", flat=True))
            for word in sys.argv[1:]
        },
        versions={
            story.slug: Version.objects.get_for_object(story).count()
            for story in Article.objects.all()
        },
        headlines=sorted(Article.objects.values_list("headline", flat=True)),
    )
root = Path(settings.MEDIA_ROOT)
facts["media"] = {
    path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
    for path in sorted(root.rglob("*")) if path.is_file()
}
print(json.dumps(facts))
"""


class Site:
    """A scratch database and MEDIA_ROOT, driven through manage.py."""

    def __init__(self, database_url, media_root):
        self.database_url, self.media_root = database_url, Path(media_root)

    def env(self):
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("DJANGO_", "REDIS_", "PG"))
        }
        env.update(
            DATABASE_URL=self.database_url,
            MEDIA_ROOT=str(self.media_root),
            DJANGO_SETTINGS_MODULE="newsroom.settings",
            DJANGO_CONN_MAX_AGE="0",
        )
        return env

    def run(self, *args, check=False, **kwargs):
        result = subprocess.run(
            [sys.executable, *args],
            cwd=ROOT,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=300,
            **kwargs,
        )
        if check:
            assert result.returncode == 0, result.stdout + result.stderr
        return result

    def manage(self, *args, **kwargs):
        return self.run("manage.py", *args, **kwargs)

    def facts(self, *words):
        result = self.run("-c", FACTS, *words, check=True)
        return json.loads(result.stdout.strip().splitlines()[-1])

    def shell(self, code):
        return self.manage("shell", "-c", code, check=True)

    def tables(self):
        """The database's tables, read directly (no Django process to start)."""
        if self.database_url.startswith("sqlite:///"):
            path = Path(self.database_url.removeprefix("sqlite:///"))
            if not path.exists():
                return set()
            with contextlib.closing(sqlite3.connect(path)) as db:
                rows = db.execute("SELECT name FROM sqlite_master WHERE type='table'")
                return {row[0] for row in rows}
        with psycopg_connect(self) as db:
            rows = db.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
            )
            return {row[0] for row in rows}


def psycopg_connect(site):
    import psycopg

    return psycopg.connect(site.database_url, autocommit=True)


def _pg_admin():
    import psycopg

    db = connection.settings_dict
    return psycopg.connect(
        host=db["HOST"] or None,
        port=db["PORT"] or None,
        user=db["USER"] or None,
        password=db["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )


def _pg_url(name, user=None):
    db = connection.settings_dict
    auth = user or db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


@pytest.fixture(scope="module")
def make_site(tmp_path_factory):
    """Scratch sites of the suite's vendor; PostgreSQL databases dropped after."""
    created = []

    def make(label):
        folder = tmp_path_factory.mktemp(label)
        if VENDOR == "postgresql":
            name = f"h_backup_restore_{secrets.token_hex(4)}"
            with _pg_admin() as admin:
                admin.execute(f'CREATE DATABASE "{name}"')
            created.append(name)
            url = _pg_url(name)
        else:
            url = f"sqlite:///{folder / 'site.sqlite3'}"
        return Site(url, folder / "media")

    yield make
    if created:
        with _pg_admin() as admin:
            for name in created:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def empty_site(make_site):
    return make_site("target")


@pytest.fixture(scope="module")
def demo_site(make_site):
    """A site with the AES demo loaded: stories with images, topics, notes, versions."""
    site = make_site("demo")
    site.manage("migrate", "--noinput", "-v0", check=True)
    site.manage("load_demo", check=True)
    return site


@pytest.fixture(scope="module")
def demo_archive(demo_site, tmp_path_factory):
    path = tmp_path_factory.mktemp("archives") / "demo.tar"
    demo_site.manage("backup", str(path), check=True)
    return path


def sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def media_checksums(root):
    root = Path(root)
    return {
        path.relative_to(root).as_posix(): sha256(path)
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def read_manifest(archive):
    with tarfile.open(archive) as tar:
        return json.loads(tar.extractfile(MANIFEST).read())


def rewrite(archive, destination, *, manifest=None, members=None):
    """A copy of `archive` with its manifest (and members) changed."""
    with tarfile.open(archive) as source, tarfile.open(destination, "w") as copy:
        for member in source.getmembers():
            if member.name == MANIFEST:
                continue
            data = source.extractfile(member).read()
            if members:
                member.name, data = members(member.name, data)
                member.size = len(data)
            copy.addfile(member, io.BytesIO(data))
        data = json.dumps(manifest(read_manifest(archive))).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size = len(data)
        copy.addfile(info, io.BytesIO(data))


def assert_untouched(site):
    assert "articles_article" not in site.tables()
    assert media_checksums(site.media_root) == {}


def model_counts():
    return {
        model._meta.label_lower: model._base_manager.count()
        for model in apps.get_models(include_auto_created=True)
        if not model._meta.proxy
    }


# The round trip ------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_round_trip_keeps_every_row_revision_picture_and_search(
    tmp_path, settings, django_user_model, empty_site
):
    mali, niger = TopicFactory(name="Mali"), TopicFactory(name="Niger")
    story = ArticleFactory(
        headline="Convoy reaches Tessalit after the rains",
        lead_image=image_file("tessalit.png", (900, 600)),
        lead_image_alt="A convoy on a laterite road",
        topics=[mali, niger],
    )
    ArticleFactory(
        lead_image=image_file("niamey.jpg", (640, 480), "JPEG"),
        lead_image_alt="Niamey at dusk",
        topics=[niger],
    )
    ArticleFactory(draft=True, headline="An unpublished draft")
    StoryNoteFactory(article=story)
    django_user_model.objects.create_user("desk", password="desk-pw-123")
    for headline in ["Convoy reaches Tessalit", "Convoy reaches Tessalit at last"]:
        with reversion.create_revision():
            reversion.set_comment(f"Headline: {headline}")
            story.headline = headline
            story.save()
    before = model_counts()
    assert before["articles.article"] == 3 and before["reversion.version"] >= 2
    generation = ContentGeneration.objects.get().generation
    source_media = media_checksums(settings.MEDIA_ROOT)
    assert len(source_media) > 2  # the two pictures and their renditions

    archive = tmp_path / "site.tar"
    out = io.StringIO()
    call_command("backup", str(archive), stdout=out)
    lines = out.getvalue().strip().splitlines()
    files = len(source_media) + 1
    assert any(f"archive: {files}/{files} files" in line for line in lines), lines
    assert lines[-1].startswith(f"Backup written to {archive}: {VENDOR} database")
    assert "3 stories" in lines[-1]
    assert os.stat(archive).st_mode & 0o077 == 0  # password hashes inside

    manifest = read_manifest(archive)
    assert manifest["format_version"] == 1
    assert manifest["database"]["vendor"] == VENDOR
    assert manifest["created_at"]
    assert LATEST in manifest["migrations"]
    for label in [
        "articles.article",
        "articles.topic",
        "articles.taggedarticle",
        "articles.storynote",
        "auth.user",
        "reversion.version",
    ]:
        assert manifest["counts"][label] == before[label], label
    with tarfile.open(archive) as tar:
        held = {
            member.name: (member.size, hashlib.sha256(tar.extractfile(member).read()))
            for member in tar.getmembers()
            if member.name != MANIFEST
        }
    assert {entry["path"] for entry in manifest["files"]} == set(held)
    for entry in manifest["files"]:
        size, digest = held[entry["path"]]
        assert (entry["size"], entry["sha256"]) == (size, digest.hexdigest())
    assert {
        entry["path"].removeprefix("media/"): entry["sha256"]
        for entry in manifest["files"]
        if entry["path"].startswith("media/")
    } == source_media

    result = empty_site.manage("restore", str(archive))
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.strip().splitlines()
    assert any(f"verified: {files}/{files} files" in line for line in lines), lines
    assert lines[-1].startswith(f"Restored {archive}")
    assert "3 stories" in lines[-1] and "page cache invalidated" in lines[-1]

    facts = empty_site.facts("tessalit")
    restored = {label: facts["counts"][label] for label in before}
    # A restore records that everything changed (edge.changes: `site`), so no
    # page prepared before it is served after it.
    assert restored.pop("edge.keychange") == before.pop("edge.keychange") + 1
    assert restored == before
    assert facts["versions"][story.slug] == 2
    assert facts["found"]["tessalit"] == [story.slug]
    for maintained in db_maintained.registered():  # search index, live windows
        assert set(maintained.triggers[VENDOR]) <= set(facts["triggers"])
    assert facts["media"] == source_media
    # Pages cached before the restore carry older generations: never served again.
    assert facts["generation"] > generation


# Refusals --------------------------------------------------------------------------


def test_non_empty_target_is_refused_unless_forced(demo_archive, empty_site):
    empty_site.manage("restore", str(demo_archive), check=True)
    empty_site.shell(
        "from articles.models import Article;"
        "Article.objects.create(headline='Only in the target', slug='only-here')"
    )
    demo_stories = read_manifest(demo_archive)["counts"]["articles.article"]
    refused = empty_site.manage("restore", str(demo_archive))
    assert refused.returncode == 1
    assert f"The target is not empty: {demo_stories + 1} stories" in refused.stderr
    assert "--force" in refused.stderr
    assert "Only in the target" in empty_site.facts()["headlines"]

    forced = empty_site.manage("restore", "--force", str(demo_archive))
    assert forced.returncode == 0, forced.stderr
    assert f"Replacing what is there (--force): {demo_stories + 1} stories" in (
        forced.stdout
    )
    facts = empty_site.facts()
    assert "Only in the target" not in facts["headlines"]
    assert facts["counts"]["articles.article"] == demo_stories
    assert facts["media"] == {
        entry["path"].removeprefix("media/"): entry["sha256"]
        for entry in read_manifest(demo_archive)["files"]
        if entry["path"].startswith("media/")
    }


def test_files_in_media_root_make_the_target_non_empty(demo_archive, empty_site):
    kept = empty_site.media_root / "lead-images" / "someone-elses.jpg"
    kept.parent.mkdir(parents=True)
    kept.write_bytes(b"not ours to delete")
    refused = empty_site.manage("restore", str(demo_archive))
    assert refused.returncode == 1
    assert "1 files in MEDIA_ROOT" in refused.stderr
    assert kept.read_bytes() == b"not ours to delete"
    assert "articles_article" not in empty_site.tables()


def damage(archive, destination, member_prefix):
    """Flip one byte in the middle of the first member named `member_prefix...`."""
    shutil.copy(archive, destination)
    with tarfile.open(destination) as tar:
        member = next(m for m in tar.getmembers() if m.name.startswith(member_prefix))
    with open(destination, "r+b") as raw:
        raw.seek(member.offset_data + member.size // 2)
        byte = raw.read(1)
        raw.seek(-1, os.SEEK_CUR)
        raw.write(bytes([byte[0] ^ 0xFF]))
    return member.name


@pytest.mark.parametrize("where", ["database/", "media/"])
def test_corrupted_archive_is_refused_before_anything_changes(
    demo_archive, empty_site, tmp_path, where
):
    damaged = tmp_path / "damaged.tar"
    name = damage(demo_archive, damaged, where)
    result = empty_site.manage("restore", str(damaged))
    assert result.returncode == 1
    assert f"Checksum mismatch for {name}: the archive is damaged" in result.stderr
    assert "Nothing was changed" in result.stderr
    assert_untouched(empty_site)


@pytest.mark.parametrize(
    ("cut", "message"),
    [
        ("half", "truncated or damaged"),
        ("before-manifest", "has no manifest: it is truncated"),
        ("garbage", "cannot be read as a newsroom backup"),
    ],
)
def test_truncated_or_foreign_file_is_refused(
    demo_archive, empty_site, tmp_path, cut, message
):
    broken = tmp_path / "broken.tar"
    data = demo_archive.read_bytes()
    if cut == "half":  # inside a file's bytes, wherever the archive's halfway is
        with tarfile.open(demo_archive) as tar:
            largest = max(tar.getmembers(), key=lambda member: member.size)
        data = data[: largest.offset_data + largest.size // 2]
    elif cut == "before-manifest":
        with tarfile.open(demo_archive) as tar:
            data = data[: tar.getmember(MANIFEST).offset]
    else:
        data = secrets.token_bytes(4096)
    broken.write_bytes(data)
    result = empty_site.manage("restore", str(broken))
    assert result.returncode == 1
    assert message in result.stderr
    assert_untouched(empty_site)


def test_archive_from_newer_code_is_refused(demo_archive, empty_site, tmp_path):
    newer = tmp_path / "newer.tar"
    rewrite(
        demo_archive,
        newer,
        manifest=lambda m: {
            **m,
            "migrations": [*m["migrations"], "articles.9999_from_the_future"],
        },
    )
    result = empty_site.manage("restore", str(newer))
    assert result.returncode == 1
    assert "comes from newer code" in result.stderr
    assert "articles.9999_from_the_future" in result.stderr
    assert_untouched(empty_site)


def test_archive_claiming_the_other_vendor_is_refused(
    demo_archive, empty_site, tmp_path
):
    other = {"sqlite": "postgresql", "postgresql": "sqlite"}[VENDOR]
    member = f"database/{'postgresql.dump' if other == 'postgresql' else 'sqlite3.db'}"
    foreign = tmp_path / "foreign.tar"

    def relabel(manifest):
        for entry in manifest["files"]:
            if entry["path"].startswith("database/"):
                entry["path"] = member
        return {**manifest, "database": {"vendor": other, "file": member}}

    rewrite(
        demo_archive,
        foreign,
        manifest=relabel,
        members=lambda name, data: (
            (member if name.startswith("database/") else name),
            data,
        ),
    )
    result = empty_site.manage("restore", str(foreign))
    assert result.returncode == 1
    assert f"This archive holds a {other} database; the target is {VENDOR}" in (
        result.stderr
    )
    assert_untouched(empty_site)


def test_sqlite_archive_is_refused_by_postgresql(tmp_path, empty_site):
    if VENDOR != "postgresql":
        pytest.skip("needs the suite on PostgreSQL to have a PostgreSQL target")
    sqlite_site = Site(f"sqlite:///{tmp_path / 'other.sqlite3'}", tmp_path / "m")
    sqlite_site.manage("migrate", "--noinput", "-v0", check=True)
    archive = tmp_path / "sqlite.tar"
    sqlite_site.manage("backup", str(archive), check=True)
    result = empty_site.manage("restore", str(archive))
    assert result.returncode == 1
    assert "This archive holds a sqlite database; the target is postgresql" in (
        result.stderr
    )
    assert_untouched(empty_site)


# Schema versions ---------------------------------------------------------------------


# A site as the code of migration 0009's time left it. Today's search triggers read
# a column that schema lacks, so they stay out (that code installed its own).
OLD_SITE = f"""
import django
django.setup()
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.models.signals import post_migrate, pre_migrate
from django.utils import timezone
from articles.apps import drop_maintained_triggers, ensure_maintained_data

articles = apps.get_app_config("articles")
post_migrate.disconnect(ensure_maintained_data, sender=articles)
pre_migrate.disconnect(drop_maintained_triggers, sender=articles)
call_command("migrate", "articles", "{OLDER_SCHEMA}", verbosity=0)
state = MigrationLoader(connection).project_state(("articles", "{OLDER_SCHEMA}"))
state.apps.get_model("articles", "Article").objects.create(
    headline="Timbuktu manuscripts return", slug="timbuktu", body="<p>Archive</p>",
    status="published", published_at=timezone.now())
"""


def test_older_archive_is_migrated_forward_in_a_migrated_target(make_site, tmp_path):
    old = make_site("old")
    old.run("-c", OLD_SITE, check=True)
    archive = tmp_path / "old.tar"
    old.manage("backup", str(archive), check=True)
    assert LATEST not in read_manifest(archive)["migrations"]

    target = make_site("migrated")
    target.manage("migrate", "--noinput", "-v0", check=True)  # counts as empty
    result = target.manage("restore", str(archive))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Migrating forward" in result.stdout
    assert "migration(s) applied" in result.stdout.strip().splitlines()[-1]
    facts = target.facts("timbuktu")
    assert LATEST in facts["migrations"]
    assert facts["found"]["timbuktu"] == ["timbuktu"]
    assert set(search_schema.SEARCH_INDEX.triggers[VENDOR]) <= set(facts["triggers"])


# Writing safely ------------------------------------------------------------------------


def test_backup_beyond_a_file_size_limit_keeps_the_previous_archive(
    demo_site, demo_archive, tmp_path
):
    folder = tmp_path / "archives"
    folder.mkdir()
    previous = folder / "site.tar"
    shutil.copy(demo_archive, previous)
    checksum = sha256(previous)
    limit = 1024 * 1024  # the demo archive is larger: the kernel stops the write

    def limited():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    result = demo_site.manage("backup", str(previous), preexec_fn=limited)
    assert result.returncode == 1
    assert "File too large" in result.stderr
    assert "No archive was written" in result.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["site.tar"]
    assert sha256(previous) == checksum


def mount_tmpfs(path, options):
    if os.geteuid() != 0:
        return "mounting a tmpfs needs root"
    path.mkdir()
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)],
        capture_output=True,
        text=True,
    )
    if result.returncode:
        return f"mount -t tmpfs failed: {result.stderr.strip()}"
    return None


@pytest.fixture
def tiny_filesystem(tmp_path):
    """A 256 KB filesystem, smaller than any archive of the demo."""
    path = tmp_path / "tiny"
    if problem := mount_tmpfs(path, "size=256k"):
        pytest.skip(f"no tiny filesystem: {problem} (file-size limit test covers it)")
    yield path
    subprocess.run(["umount", str(path)], check=True)


def test_full_filesystem_leaves_nothing_behind(demo_site, tiny_filesystem):
    result = demo_site.manage("backup", str(tiny_filesystem / "site.tar"))
    assert result.returncode == 1
    assert "No space left on device" in result.stderr
    assert list(tiny_filesystem.iterdir()) == []


@pytest.fixture
def unwritable_folder(tmp_path):
    path = tmp_path / "locked"
    if os.geteuid() != 0:
        path.mkdir()
        path.chmod(0o555)
        yield path, "Permission denied"
        path.chmod(0o755)
        return
    # Root writes through permissions: only a read-only filesystem stops it.
    if problem := mount_tmpfs(path, "ro,size=1m"):
        pytest.skip(f"no read-only folder for root: {problem}")
    yield path, "Read-only file system"
    subprocess.run(["umount", str(path)], check=True)


# Refused before the database is read: in this process, no database needed.


def test_unwritable_folder_is_reported(unwritable_folder):
    folder, reason = unwritable_folder
    with pytest.raises(CommandError, match=f"Cannot write in {folder}: {reason}"):
        call_command("backup", str(folder / "site.tar"))
    assert list(folder.iterdir()) == []


def test_a_missing_folder_is_reported(tmp_path):
    target = tmp_path / "not-there" / "site.tar"
    with pytest.raises(CommandError, match="the folder .*not-there does not exist"):
        call_command("backup", str(target))
    assert list(tmp_path.iterdir()) == []


def test_a_device_is_never_replaced():
    with pytest.raises(CommandError, match="/dev/full exists and is not a regular"):
        call_command("backup", "/dev/full")
    assert Path("/dev/full").is_char_device()


def test_archive_inside_media_root_is_refused(settings):
    media = Path(settings.MEDIA_ROOT)
    media.mkdir(parents=True)
    with pytest.raises(CommandError, match="lies inside MEDIA_ROOT"):
        call_command("backup", str(media / "site.tar"))
    assert list(media.iterdir()) == []


def test_database_down(tmp_path, demo_archive):
    """A PostgreSQL server that does not answer: a clear error, nothing written."""
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    down = Site(f"postgres://postgres@127.0.0.1:{port}/newsroom", tmp_path / "m")
    folder = tmp_path / "archives"
    folder.mkdir()
    result = down.manage("backup", str(folder / "site.tar"))
    assert result.returncode == 1
    assert "The database reported an error" in result.stderr
    assert "No archive was written" in result.stderr
    assert list(folder.iterdir()) == []
    if VENDOR == "postgresql":
        result = down.manage("restore", str(demo_archive))
        assert result.returncode == 1
        assert "The database reported an error" in result.stderr
        assert not down.media_root.exists()


def test_sqlite_backup_runs_beside_an_open_write_transaction(demo_site, tmp_path):
    if VENDOR != "sqlite":
        pytest.skip("the online copy is SQLite's; pg_dump reads a snapshot by design")
    committed = len(demo_site.facts()["headlines"])
    writer = sqlite3.connect(demo_site.database_url.removeprefix("sqlite:///"))
    writer.isolation_level = None
    try:
        writer.execute("BEGIN IMMEDIATE")  # the write lock, as a saving editor holds
        writer.execute("UPDATE articles_article SET headline = 'Not yet committed'")
        archive = tmp_path / "live.tar"
        result = demo_site.manage("backup", str(archive))
        assert result.returncode == 0, result.stderr
        writer.execute("SELECT 1")  # still holding its lock, unharmed
    finally:
        writer.rollback()
        writer.close()
    with tarfile.open(archive) as tar:
        (tmp_path / "copy.db").write_bytes(
            tar.extractfile("database/sqlite3.db").read()
        )
    copy = sqlite3.connect(tmp_path / "copy.db")
    headlines = [
        row[0] for row in copy.execute("SELECT headline FROM articles_article")
    ]
    copy.close()
    assert len(headlines) == committed
    assert "Not yet committed" not in headlines


def test_failed_postgresql_restore_is_rolled_back(demo_archive, make_site):
    """A hardened site role: it owns its tables but may no longer create any. The
    restore drops them, fails to create the first, and must put everything back."""
    if VENDOR != "postgresql":
        pytest.skip("the one-transaction restore is PostgreSQL's")
    role = f"h_backup_app_{secrets.token_hex(4)}"
    site = make_site("hardened")
    name = site.database_url.rsplit("/", 1)[1]
    scratch_admin = Site(_pg_url(name), site.media_root)
    with _pg_admin() as admin:
        admin.execute(f'CREATE ROLE "{role}" LOGIN')
    try:
        with psycopg_connect(scratch_admin) as db:
            db.execute("CREATE EXTENSION IF NOT EXISTS unaccent")  # the DBA's, ahead
            db.execute(f'GRANT CREATE ON SCHEMA public TO "{role}"')
        app = Site(_pg_url(name, user=role), site.media_root)
        app.manage("restore", str(demo_archive), check=True)
        with psycopg_connect(app) as db:
            db.execute("UPDATE articles_article SET headline = 'Edited since'")
        with psycopg_connect(scratch_admin) as db:
            db.execute(f'REVOKE CREATE ON SCHEMA public FROM "{role}"')

        result = app.manage("restore", "--force", str(demo_archive))
        assert result.returncode == 1
        assert "failed and was rolled back; the database is as it was" in (
            result.stderr
        )
        assert "permission denied for schema public" in result.stderr
        with psycopg_connect(app) as db:
            rows = db.execute("SELECT headline FROM articles_article").fetchall()
        assert {row[0] for row in rows} == {"Edited since"}
        assert len(rows) == read_manifest(demo_archive)["counts"]["articles.article"]
    finally:
        with _pg_admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'DROP ROLE IF EXISTS "{role}"')
