"""A sweep of the desk as each demo account: every page it is meant to reach answers
200, every page it is not answers 403 or 404 (never a 500, never a quiet redirect).

Logged in with the demo passwords through the login form, on the demo content.
"""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from reversion.models import Version

from articles.models import Article, Author, SlugRedirect, Topic, TopicMerge
from articles.tests.journeys.conftest import PASSWORDS

pytestmark = pytest.mark.django_db


@pytest.fixture
def newsroom(settings, tmp_path):
    """The demo content, a story of the editor's own, and a topic merge."""
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("create_demo_editor", stdout=open("/dev/null", "w"))  # noqa: SIM115
    editor = get_user_model().objects.get(username="editor")
    reporter = get_user_model().objects.get(username="reporter")
    editors_draft = Article.objects.create(
        headline="The editor's embargoed draft", slug="embargoed", created_by=editor
    )
    topic = Topic.objects.get(name="Niamey")
    TopicMerge.objects.create(
        target=topic,
        target_name="Niamey",
        source_name="Niamey city",
        source_slug="niamey-city",
        stories_moved=1,
        stories_already_tagged=0,
        merged_by=editor,
    )
    own = Article.objects.filter(created_by=reporter).first()
    published = Article.objects.published().first()
    version = Version.objects.get_for_object(published).first()
    return {
        "own": own.pk,
        "other": editors_draft.pk,
        "published": published.pk,
        "version": version.pk,
        "topic": topic.pk,
        "ids": f"{topic.pk},{Topic.objects.get(name='Bamako').pk}",
        "author": Author.objects.first().pk,
        "redirect": SlugRedirect.objects.create(
            old_slug="an-old-address", article=published
        ).pk,
        "merge": TopicMerge.objects.get().pk,
    }


A = "/admin/articles"
EDITOR_REACHES = [
    "/admin/",
    f"{A}/article/",
    f"{A}/article/?state=review",
    f"{A}/article/add/",
    f"{A}/article/{{other}}/change/",
    f"{A}/article/{{published}}/change/",
    f"{A}/article/{{own}}/change/",
    f"{A}/article/{{published}}/history/",
    f"{A}/article/{{published}}/history/{{version}}/restore/",
    f"{A}/article/{{published}}/history/compare/?from={{version}}&to={{version}}",
    f"{A}/article/{{published}}/delete/",
    f"{A}/article/recover/",
    "/preview/{other}/",
    f"{A}/topic/",
    f"{A}/topic/add/",
    f"{A}/topic/{{topic}}/change/",
    f"{A}/topic/{{topic}}/history/",
    f"{A}/topic/merge/?ids={{ids}}",
    f"{A}/topic/health/",
    f"{A}/topicmerge/",
    f"{A}/topicmerge/{{merge}}/change/",
    f"{A}/author/",
    f"{A}/author/add/",
    f"{A}/author/{{author}}/change/",
    f"{A}/slugredirect/",
    f"{A}/slugredirect/add/",
    f"{A}/slugredirect/{{redirect}}/change/",
]
EDITOR_REFUSED = [
    "/admin/auth/user/",
    "/admin/auth/group/",
    "/admin/taggit/tag/",
    f"{A}/topicmerge/add/",
]
REPORTER_REACHES = [
    "/admin/",
    f"{A}/article/",
    f"{A}/article/add/",
    f"{A}/article/{{own}}/change/",
    f"{A}/article/{{own}}/history/",
    "/preview/{own}/",
    f"{A}/topic/",
    f"{A}/topic/{{topic}}/change/",
    f"{A}/topic/health/",
    f"{A}/author/",
    f"{A}/author/{{author}}/change/",
]
REPORTER_REFUSED = [
    f"{A}/article/{{other}}/change/",
    f"{A}/article/{{other}}/history/",
    f"{A}/article/{{other}}/delete/",
    f"{A}/article/{{published}}/history/{{version}}/",
    f"{A}/article/{{published}}/history/{{version}}/restore/",
    f"{A}/article/{{published}}/history/compare/?from={{version}}&to={{version}}",
    f"{A}/article/{{own}}/delete/",
    f"{A}/article/recover/",
    "/preview/{other}/",
    f"{A}/topic/add/",
    f"{A}/topic/{{topic}}/delete/",
    f"{A}/topic/merge/?ids={{ids}}",
    f"{A}/topicmerge/",
    f"{A}/author/add/",
    f"{A}/slugredirect/",
    "/admin/auth/user/",
    "/admin/taggit/tag/",
]


def logged_in(client, username):
    assert client.login(username=username, password=PASSWORDS[username])
    user = get_user_model().objects.get(username=username)
    assert not user.is_superuser
    return client


@pytest.mark.parametrize(
    "username, reaches, refused",
    [
        ("editor", EDITOR_REACHES, EDITOR_REFUSED),
        ("reporter", REPORTER_REACHES, REPORTER_REFUSED),
    ],
)
def test_each_role_reaches_what_it_should_and_nothing_else(
    client, newsroom, username, reaches, refused
):
    logged_in(client, username)
    wrong = []
    for template in reaches:
        path = template.format(**newsroom)
        status = client.get(path).status_code
        if status != 200:
            wrong.append(f"{path}: {status}, expected 200")
    for template in refused:
        path = template.format(**newsroom)
        status = client.get(path).status_code
        if status not in (403, 404):
            wrong.append(f"{path}: {status}, expected 403 or 404")
    assert not wrong, "\n".join(wrong)
