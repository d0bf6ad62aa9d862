"""Author pages: a short bio and published stories, linked from bylines."""

import pytest

from articles.tests.factories import ArticleFactory, AuthorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def aminata():
    return AuthorFactory(
        name="Aminata Diallo", slug="aminata-diallo", bio="Covers Mali from Bamako."
    )


def test_author_page_lists_published_stories_newest_first(client, aminata):
    older = ArticleFactory(headline="Older story")
    newer = ArticleFactory(headline="Newer story")
    older.published_at = newer.published_at.replace(year=newer.published_at.year - 1)
    older.save()
    for story in (older, newer):
        story.authors.add(aminata)
    ArticleFactory(headline="Someone else's")
    for hidden in (
        ArticleFactory(draft=True, headline="SECRET draft"),
        ArticleFactory(scheduled=True, headline="SECRET scheduled"),
    ):
        hidden.authors.add(aminata)
    page = client.get("/authors/aminata-diallo/").content.decode()
    assert "<h1>Aminata Diallo</h1>" in page
    assert "Covers Mali from Bamako." in page
    assert page.index("Newer story") < page.index("Older story")
    assert "Someone else" not in page and "SECRET" not in page


def test_bylines_link_to_author_pages(client, aminata):
    story = ArticleFactory()
    story.authors.add(aminata)
    for url in (story.get_absolute_url(), "/"):
        page = client.get(url).content.decode()
        assert 'href="/authors/aminata-diallo/" rel="author">Aminata Diallo</a>' in page


def test_author_page_is_paginated(client, aminata):
    for _ in range(23):
        ArticleFactory().authors.add(aminata)
    assert (
        client.get("/authors/aminata-diallo/").content.decode().count("<article") == 20
    )
    page2 = client.get("/authors/aminata-diallo/?page=2").content.decode()
    assert page2.count("<article") == 3
    assert client.get("/authors/aminata-diallo/?page=3").status_code == 404


def test_unknown_or_unpublished_authors_are_404(client, aminata):
    assert client.get("/authors/nobody/").status_code == 404
    ArticleFactory(draft=True).authors.add(aminata)
    assert client.get("/authors/aminata-diallo/").status_code == 404
