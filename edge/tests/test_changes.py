"""Each key's last change, recorded with the generation its change commits
with, in the change's own transaction."""

import pytest
from django.db import transaction

from edge import changes
from edge.models import KeyChange
from pagecache import generation

pytestmark = pytest.mark.django_db


def committed_generation():
    return generation.read_state()[0]


def test_a_change_is_recorded_at_the_generation_it_commits_with():
    with transaction.atomic():
        changes.record({"s1", "tl2"})
        changes.record({"s3"})  # a later write in the same change
    number = committed_generation()
    assert dict(KeyChange.objects.values_list("key", "generation")) == {
        "s1": number,
        "tl2": number,
        "s3": number,
    }
    assert changes.changed_after(["s1"], number - 1)
    assert not changes.changed_after(["s1", "s9"], number)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_later_change_moves_its_keys_only():
    changes.record({"s1", "s2"})
    first = committed_generation()
    changes.record({"s2"})
    assert committed_generation() > first
    assert KeyChange.objects.get(key="s1").generation == first
    assert KeyChange.objects.get(key="s2").generation == committed_generation()
    assert not changes.changed_after(["s1"], first)
    assert changes.changed_after(["s1", "s2"], first)


def test_a_change_rolled_back_records_nothing():
    with pytest.raises(RuntimeError), transaction.atomic():
        changes.record({"s1"})
        raise RuntimeError("the save failed")
    assert not KeyChange.objects.exists()


def test_nothing_is_recorded_when_switched_off(settings):
    settings.EDGE_RECORD_CHANGES = False
    changes.record({"s1"})
    assert not KeyChange.objects.exists()
