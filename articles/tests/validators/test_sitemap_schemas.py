"""Every sitemap against the sitemaps.org schemas (and Google's news extension).

The schemas are kept in xsd/ (README there says where each is published); lxml
never reaches the network for them.
"""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from lxml import etree

from articles.tests.factories import ArticleFactory, AuthorFactory

from .conftest import LANGUAGES

XSD = Path(__file__).with_name("xsd")
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def schema(name):
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    return etree.XMLSchema(etree.parse(str(XSD / name), parser))


URLSET = schema("sitemaps.xsd")  # sitemap.xsd with the news extension known
INDEX = schema("siteindex.xsd")


def valid(client, url, xml_schema, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, url
    document = etree.fromstring(response.content)
    assert xml_schema.validate(document), f"{url}: " + "; ".join(
        f"line {error.line}: {error.message}" for error in xml_schema.error_log
    )
    return document


def locs(document):
    return [loc.text for loc in document.iter(f"{SM}loc")]


def test_every_sitemap_on_the_demo_is_valid(client, demo):
    for headers in LANGUAGES.values():
        index = valid(client, "/sitemap-index.xml", INDEX, **headers)
        sections = locs(index)
        assert len(sections) == 4  # home, stories, topics, authors
        for section in sections:
            valid(client, section.removeprefix("http://testserver"), URLSET, **headers)
        everything = valid(client, "/sitemap.xml", URLSET, **headers)
        assert {"http://testserver/", "http://testserver/fr/"} <= set(locs(everything))
        # The editions' alternates (xhtml:link) pass the schema too.
        assert everything.find(f"{SM}url/{XHTML}link") is not None
        # The demo's stories are years old: nothing is news, and the answer is
        # still a valid sitemap (the newest story, without news metadata).
        news = valid(client, "/news-sitemap.xml", URLSET, **headers)
        assert len(locs(news)) == 1
        assert news.find(f"{SM}url/{NEWS}news") is None


def test_news_sitemap_with_fresh_stories_is_valid(client, demo):
    now = timezone.now()
    writer = AuthorFactory(name="Awa Traoré")
    for hours, headline in [
        (1, "Niamey & Bamako: <talks> resume"),
        (30, "Ouagadougou’s “new” charter — l’été"),
    ]:
        ArticleFactory(
            headline=headline,
            published_at=now - timedelta(hours=hours),
            authors=[writer],
            topics=["Niger"],
        )
    ArticleFactory(scheduled=True, headline="Not yet")
    news = valid(client, "/news-sitemap.xml", URLSET)
    titles = [title.text for title in news.iter(f"{NEWS}title")]
    assert titles == [
        "Niamey & Bamako: <talks> resume",
        "Ouagadougou’s “new” charter — l’été",
    ]
    for url in news.iter(f"{SM}url"):
        # The schema's order: <loc>, then <lastmod>, then extensions.
        assert [child.tag for child in url] == [
            f"{SM}loc",
            f"{SM}lastmod",
            f"{NEWS}news",
        ]


@pytest.mark.parametrize(
    "url", ["/sitemap.xml", "/sitemap-index.xml", "/news-sitemap.xml"]
)
def test_a_new_site_has_valid_sitemaps(client, db, url):
    valid(client, url, INDEX if "index" in url else URLSET)


def test_the_schemas_catch_what_the_outside_run_found():
    """An empty <urlset>, and <lastmod> after <news:news>, are refused."""
    empty = etree.fromstring(
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"/>'
    )
    assert not URLSET.validate(empty)
    late = etree.fromstring(
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        b'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url>'
        b"<loc>http://example.org/a/</loc><news:news><news:publication>"
        b"<news:name>N</news:name><news:language>en</news:language>"
        b"</news:publication><news:publication_date>2026-01-01</news:publication_date>"
        b"<news:title>T</news:title></news:news><lastmod>2026-01-01</lastmod>"
        b"</url></urlset>"
    )
    assert not URLSET.validate(late)
