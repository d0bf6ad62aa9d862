"""The Editors and Reporters groups hold what `articles.roles` declares."""

import pytest
from django.contrib.auth.models import Group

from articles import roles
from articles.tests.factories import ArticleFactory, TopicFactory

pytestmark = pytest.mark.django_db


def codenames(group_name):
    group = Group.objects.get(name=group_name)
    return set(group.permissions.values_list("codename", flat=True))


def test_groups_hold_their_declared_permissions():
    assert codenames(roles.EDITORS) >= roles.EDITOR_PERMISSIONS
    assert codenames(roles.REPORTERS) >= roles.REPORTER_PERMISSIONS
    assert roles.PUBLISH not in codenames(roles.REPORTERS)


def test_sync_restores_a_permission_taken_away():
    editors = Group.objects.get(name=roles.EDITORS)
    editors.permissions.remove(
        *editors.permissions.filter(codename="change_topicalias")
    )
    roles.sync_roles()
    assert "change_topicalias" in codenames(roles.EDITORS)


def test_an_editor_sees_every_topic_section_and_the_merge_log(editor_client):
    topic = TopicFactory(name="Kidal")
    page = editor_client.get(f"/admin/articles/topic/{topic.pk}/change/")
    assert page.status_code == 200
    for prefix in ["aliases", "facts", "events"]:
        assert f'name="{prefix}-TOTAL_FORMS"' in page.content.decode()
    assert editor_client.get("/admin/articles/topicmerge/").status_code == 200


def test_an_editor_sees_the_excluded_stories_section(editor_client):
    story = ArticleFactory(topics=["Mali"])
    page = editor_client.get(f"/admin/articles/article/{story.pk}/change/")
    assert 'name="related_exclusions-TOTAL_FORMS"' in page.content.decode()
