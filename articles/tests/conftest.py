import pytest
from django.contrib.auth.models import Group

from articles.tests.factories import ArticleFactory


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user(
        "ed", password="pw-editor-123", is_staff=True
    )
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def reporter(django_user_model):
    user = django_user_model.objects.create_user(
        "rep", password="pw-reporter-123", is_staff=True
    )
    user.groups.add(Group.objects.get(name="Reporters"))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def reporter_client(client, reporter):
    client.force_login(reporter)
    return client


@pytest.fixture
def story():
    return ArticleFactory(topics=["Mali", "AES"])
