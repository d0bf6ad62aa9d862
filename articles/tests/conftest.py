import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache

from articles import cache as page_cache
from articles.tests.factories import ArticleFactory


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """The topic map and counts are cached; no test may see another's. Nor the
    outages another test caused (open circuit breakers, the last generation
    seen)."""
    cache.clear()
    page_cache.forget_outages()


def desk_member(user_model, username, group):
    user = user_model.objects.create_user(
        username, password=f"{username}-pw-123", is_staff=True
    )
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def editor(django_user_model):
    return desk_member(django_user_model, "ed", "Editors")


@pytest.fixture
def reporter(django_user_model):
    return desk_member(django_user_model, "rep", "Reporters")


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
