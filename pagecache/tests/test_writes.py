"""A content app says which writes readers see (`writes.watch`); those bump the
generation, the others leave every cached page in place. Django's groups stand
in for a content app's models here: a group named `public ...` is "public"."""

import json

import pytest
import time_machine
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.utils import timezone

from pagecache import generation, writes
from pagecache.models import ContentGeneration
from pagecache.tests.site import state, warm

pytestmark = pytest.mark.django_db
WATCHED = [Group, Group.permissions.through]


def is_public(group):
    return group.name.startswith("public")


@pytest.fixture
def watched():
    writes.watch(
        WATCHED,
        changes_pages=lambda instance, created=False: is_public(instance),
        m2m_changes_pages=lambda instance, pk_set: is_public(instance),
    )
    yield
    writes.unwatch(WATCHED)


def test_a_write_readers_see_bumps_one_they_do_not_does_not(reader, watched):
    warm(reader, "/page/")
    Group.objects.create(name="desk only")
    assert state(reader.get("/page/")) == "hit"
    public = Group.objects.create(name="public page")
    assert state(reader.get("/page/")) == "miss"
    warm(reader, "/page/")
    public.permissions.add(Permission.objects.first())  # a many-to-many change
    assert state(reader.get("/page/")) == "miss"
    warm(reader, "/page/")
    public.delete()
    assert state(reader.get("/page/")) == "miss"


def test_a_raw_load_bumps_without_asking(reader, watched, tmp_path):
    fixture = tmp_path / "groups.json"
    fixture.write_text(
        json.dumps([{"model": "auth.group", "pk": 99, "fields": {"name": "desk"}}])
    )
    warm(reader, "/page/")
    call_command("loaddata", str(fixture), verbosity=0)
    assert state(reader.get("/page/")) == "miss"


def test_a_loaded_copy_of_the_row_cannot_bring_back_an_old_number(tmp_path):
    fixture = tmp_path / "generation.json"
    with time_machine.travel(timezone.now(), tick=False) as clock:
        call_command("dumpdata", "pagecache.contentgeneration", output=str(fixture))
        clock.shift(1)
        generation.bump()
        before = ContentGeneration.objects.get().generation
        clock.shift(1)
        call_command("loaddata", str(fixture), verbosity=0)
        assert ContentGeneration.objects.get().generation > before


def test_unwatched_models_bump_nothing(reader):
    warm(reader, "/page/")
    Group.objects.create(name="public page")
    assert state(reader.get("/page/")) == "hit"
