"""One address, one language: the editions (articles/editions.py), their lists,
the language switcher, hreflang alternates, sitemaps, feeds, JSON-LD, related
stories and the API per language."""

import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache
from django.test import Client

from articles.models import Topic
from articles.tests.factories import ArticleFactory, AuthorFactory, StoryNoteFactory
from pagecache import entries

pytestmark = pytest.mark.django_db

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
FRENCH_READER = {
    "HTTP_ACCEPT_LANGUAGE": "fr-FR,fr;q=0.9",
    "HTTP_COOKIE": "django_language=fr",
}
ENGLISH_READER = {
    "HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9",
    "HTTP_COOKIE": "django_language=en",
}


@pytest.fixture
def writer():
    return AuthorFactory(name="Awa Traoré", slug="awa-traore")


@pytest.fixture
def pair(writer):
    """An English story and its published French translation, on Mali."""
    source = ArticleFactory(
        headline="Charter signed in Bamako", slug="charter-signed", topics=["Mali"]
    )
    translation = ArticleFactory(
        headline="La charte signée à Bamako",
        slug="charte-signee",
        language="fr",
        translation_of=source,
        topics=["Mali"],
    )
    for story in (source, translation):
        story.authors.add(writer)
    return source, translation


def page(client, url, **extra):
    response = client.get(url, **extra)
    assert response.status_code == 200, url
    return response.content.decode()


def html_lang(text):
    return re.search(r'<html lang="([^"]+)"', text).group(1)


def alternates(text):
    """{hreflang: href} of the page's <link rel="alternate" hreflang>."""
    return dict(
        re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', text)
    )


def switcher(text):
    """{language: href} of the language switcher's links."""
    nav = re.search(r'<nav class="language-switcher".*?</nav>', text, re.S).group(0)
    return {
        code: href
        for href, code in re.findall(r'<a href="([^"]+)" lang="([^"]+)"', nav)
    }


def json_ld(text):
    block = re.search(
        r'<script type="application/ld\+json">(.*?)</script>', text, re.S
    ).group(1)
    return json.loads(block)


def listed(text):
    return re.findall(r'href="/articles/([^/"]+)/"', text)


# -- 1. the address decides the language -------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/topics/",
        "/topics/mali/",
        "/topics/mali/timeline/",
        "/feed/",
        "/topics/mali/feed/",
        "/search/?q=charter",
        "/authors/awa-traore/",
        "/corrections/",
        "/sitemap.xml",
        "/news-sitemap.xml",
    ],
)
def test_contract_addresses_are_the_default_edition_whatever_the_reader_asks(
    client, pair, url
):
    StoryNoteFactory(article=pair[0], kind="correction", text="A fix.")
    response = client.get(url, **FRENCH_READER)
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    assert "Accept-Language" not in response.get("Vary", "")
    if response["Content-Type"].startswith("text/html"):
        assert html_lang(response.content.decode()) == "en"


@pytest.mark.parametrize(
    "url", ["/fr/", "/fr/topics/", "/fr/topics/mali/", "/fr/search/?q=charte"]
)
def test_the_prefix_names_the_french_edition_whatever_the_reader_asks(
    client, pair, url
):
    response = client.get(url, **ENGLISH_READER)
    assert response["Content-Language"] == "fr"
    assert "Accept-Language" not in response.get("Vary", "")
    text = response.content.decode()
    assert html_lang(text) == "fr" and "Rechercher" in text


def test_a_story_page_is_in_the_story_language_at_its_one_address(client, pair):
    source, translation = pair
    text = page(client, "/articles/charte-signee/", **ENGLISH_READER)
    assert html_lang(text) == "fr"
    assert '<meta property="og:locale" content="fr_FR">' in text
    assert json_ld(text)["inLanguage"] == "fr"
    assert "Articles liés" in text and "Related stories" not in text
    # Its interface links lead to the French edition.
    assert 'href="/fr/topics/mali/"' in text
    text = page(client, "/articles/charter-signed/", **FRENCH_READER)
    assert html_lang(text) == "en" and json_ld(text)["inLanguage"] == "en"
    assert '<meta property="og:locale" content="en_GB">' in text


def test_a_story_has_no_address_under_an_edition_prefix(client, pair):
    assert client.get("/fr/articles/charte-signee/").status_code == 404
    assert client.get("/fr/articles/charter-signed/").status_code == 404


# -- lists per edition ------------------------------------------------------------


@pytest.fixture
def editions(pair, writer):
    """Besides the pair: one more story per language, and drafts in both."""
    english = ArticleFactory(
        headline="Niger charter", slug="niger-charter", topics=["Mali"]
    )
    french = ArticleFactory(
        headline="Charte du Niger", slug="charte-niger", language="fr", topics=["Mali"]
    )
    for story in (english, french):
        story.authors.add(writer)
    for language in ("en", "fr"):
        draft = ArticleFactory(
            draft=True, slug=f"draft-{language}", language=language, topics=["Mali"]
        )
        draft.authors.add(writer)
    StoryNoteFactory(article=pair[0], kind="correction", text="English fix.")
    StoryNoteFactory(article=pair[1], kind="correction", text="Correction en français.")
    return {
        "en": {"charter-signed", "niger-charter"},
        "fr": {"charte-signee", "charte-niger"},
    }


@pytest.mark.parametrize(
    "english, french",
    [
        ("/", "/fr/"),
        ("/topics/mali/", "/fr/topics/mali/"),
        ("/topics/mali/timeline/", "/fr/topics/mali/timeline/"),
        ("/authors/awa-traore/", "/fr/authors/awa-traore/"),
        ("/search/?q=charter", "/fr/search/?q=charte"),
    ],
)
def test_lists_show_only_their_edition_stories(client, editions, english, french):
    for language, url in (("en", english), ("fr", french)):
        text = page(client, url)
        assert set(listed(text)) == editions[language], url
        assert "draft-" not in text


def test_feeds_per_edition_with_their_language(client, editions):
    for prefix, language in (("/", "en"), ("/fr/", "fr")):
        for feed in ("feed/", "topics/mali/feed/"):
            root = ET.fromstring(client.get(prefix + feed).content)
            assert root.find("channel/language").text == language
            links = {item.find("link").text for item in root.iter("item")}
            slugs = {link.rstrip("/").rsplit("/", 1)[1] for link in links}
            assert slugs == editions[language], (prefix, feed)
        channel_link = root.find("channel/link").text
    assert channel_link.endswith("/fr/topics/mali/")


def test_corrections_per_edition(client, editions):
    assert "English fix." in page(client, "/corrections/")
    assert "Correction en français." not in page(client, "/corrections/")
    text = page(client, "/fr/corrections/")
    assert "Correction en français." in text and "English fix." not in text


def test_topic_counts_per_edition(client, editions):
    ArticleFactory(topics=["Niger"])  # English only
    english, french = page(client, "/topics/"), page(client, "/fr/topics/")
    count = r'href="/{}topics/mali/">[^<]*</a> <span class="count">(\d+)'
    assert re.search(count.format(""), english).group(1) == "2"
    assert re.search(count.format("fr/"), french).group(1) == "2"
    assert 'href="/topics/niger/"' in english
    assert "niger" not in french
    # A topic with no story in an edition has no page there.
    assert client.get("/fr/topics/niger/").status_code == 404
    assert client.get("/fr/authors/nobody/").status_code == 404


def test_a_story_created_with_no_language_is_in_the_default_edition(client):
    from articles.models import Article

    story = Article.objects.create(
        headline="Plain", slug="plain", dek="d", body="<p>b</p>", status="published"
    )
    assert story.language == "en"
    assert "plain" in listed(page(client, "/"))
    assert "plain" not in listed(page(client, "/fr/"))


# -- 2. the page cache keys by address only --------------------------------------------


def test_the_page_cache_serves_one_page_per_address_whatever_the_reader_asks(
    settings, pair
):
    settings.PAGE_CACHE_SECONDS = 600
    cache.clear()
    entries.recent.clear()
    french_reader, english_reader = Client(), Client()
    for url, language in (
        ("/", "en"),
        ("/fr/", "fr"),
        ("/articles/charte-signee/", "fr"),
    ):
        first = french_reader.get(url, **FRENCH_READER)
        second = english_reader.get(url, **ENGLISH_READER)
        assert first["X-Page-Cache"] == "miss" and second["X-Page-Cache"] == "hit"
        assert first.content == second.content
        assert html_lang(second.content.decode()) == language
        assert second["Content-Language"] == language


# -- 3. the language switcher ------------------------------------------------------------


def test_switcher_goes_to_the_translation(client, pair):
    text = page(client, "/articles/charter-signed/")
    assert switcher(text)["fr"] == "/articles/charte-signee/"
    assert '<span lang="en" aria-current="page">' in text
    assert "<form" not in re.search(
        r'<nav class="language-switcher".*?</nav>', text, re.S
    ).group(0)
    assert switcher(page(client, "/articles/charte-signee/"))["en"] == (
        "/articles/charter-signed/"
    )


def test_switcher_without_translation_goes_to_the_topic_then_the_home(client, pair):
    from articles.models import Article

    lone = ArticleFactory(slug="lone", topics=["Mali"])
    niger = ArticleFactory(slug="niger-only", topics=["Niger"])
    for story, topic in ((lone, "Mali"), (niger, "Niger")):
        primary = Topic.objects.get(name=topic)
        Article.objects.filter(pk=story.pk).update(primary_topic=primary)
    assert switcher(page(client, "/articles/lone/"))["fr"] == "/fr/topics/mali/"
    assert switcher(page(client, "/articles/niger-only/"))["fr"] == "/fr/"


def test_switcher_on_lists_goes_to_the_same_list(client, pair):
    assert switcher(page(client, "/topics/"))["fr"] == "/fr/topics/"
    assert switcher(page(client, "/fr/topics/mali/"))["en"] == "/topics/mali/"
    links = switcher(page(client, "/search/?q=charter&page=1"))
    assert links["fr"] == "/fr/search/?q=charter"
    ArticleFactory(topics=["Niger"])
    # No French page for this topic: the French edition's home.
    assert switcher(page(client, "/topics/niger/"))["fr"] == "/fr/"


# -- 4. alternates, sitemaps, JSON-LD ----------------------------------------------------


def test_story_alternates_are_reciprocal_with_x_default(client, pair):
    expected = {
        "en": "http://testserver/articles/charter-signed/",
        "fr": "http://testserver/articles/charte-signee/",
        "x-default": "http://testserver/articles/charter-signed/",
    }
    assert alternates(page(client, "/articles/charter-signed/")) == expected
    assert alternates(page(client, "/articles/charte-signee/")) == expected
    assert alternates(page(client, "/articles/" + ArticleFactory().slug + "/")) == {}


def test_list_alternates_are_reciprocal_and_only_where_a_counterpart_is(client, pair):
    expected = {
        "en": "http://testserver/topics/mali/",
        "fr": "http://testserver/fr/topics/mali/",
        "x-default": "http://testserver/topics/mali/",
    }
    assert alternates(page(client, "/topics/mali/")) == expected
    assert alternates(page(client, "/fr/topics/mali/")) == expected
    assert alternates(page(client, "/fr/"))["en"] == "http://testserver/"
    ArticleFactory(topics=["Niger"])
    assert alternates(page(client, "/topics/niger/")) == {}


def test_story_json_ld_names_translations_and_source(client, pair):
    data = json_ld(page(client, "/articles/charter-signed/"))
    assert data["workTranslation"] == [
        {
            "@type": "NewsArticle",
            "url": "http://testserver/articles/charte-signee/",
            "headline": "La charte signée à Bamako",
            "inLanguage": "fr",
        }
    ]
    assert "translationOfWork" not in data
    data = json_ld(page(client, "/articles/charte-signee/"))
    assert (
        data["translationOfWork"]["url"] == "http://testserver/articles/charter-signed/"
    )
    assert data["inLanguage"] == "fr" and "workTranslation" not in data


def test_unpublished_translations_are_never_named(client, pair):
    ArticleFactory(
        draft=True, slug="draft-translation", language="fr", translation_of=pair[0]
    )
    pair[1].delete()
    text = page(client, "/articles/charter-signed/")
    assert "draft-translation" not in text and "charte-signee" not in text
    assert alternates(text) == {} and "workTranslation" not in json_ld(text)


def test_sitemaps_carry_alternates(client, pair, writer):
    root = ET.fromstring(client.get("/sitemap-articles.xml").content)
    by_loc = {
        url.find(f"{SM}loc").text: {
            link.get("hreflang"): link.get("href") for link in url.iter(f"{XHTML}link")
        }
        for url in root.iter(f"{SM}url")
    }
    expected = {
        "en": "http://testserver/articles/charter-signed/",
        "fr": "http://testserver/articles/charte-signee/",
        "x-default": "http://testserver/articles/charter-signed/",
    }
    assert by_loc["http://testserver/articles/charter-signed/"] == expected
    assert by_loc["http://testserver/articles/charte-signee/"] == expected
    ArticleFactory(topics=["Niger"])
    root = ET.fromstring(client.get("/sitemap-topics.xml").content)
    locs = [loc.text for loc in root.iter(f"{SM}loc")]
    assert sorted(locs) == [
        "http://testserver/fr/topics/mali/",
        "http://testserver/topics/mali/",
        "http://testserver/topics/niger/",
    ]
    root = ET.fromstring(client.get("/sitemap-authors.xml").content)
    assert sorted(loc.text for loc in root.iter(f"{SM}loc")) == [
        "http://testserver/authors/awa-traore/",
        "http://testserver/fr/authors/awa-traore/",
    ]


def test_news_sitemap_gives_each_story_its_language(client, pair):
    root = ET.fromstring(client.get("/news-sitemap.xml").content)
    languages = {
        url.find(f"{SM}loc").text: url.find(
            f"{NEWS}news/{NEWS}publication/{NEWS}language"
        ).text
        for url in root.iter(f"{SM}url")
    }
    assert languages == {
        "http://testserver/articles/charter-signed/": "en",
        "http://testserver/articles/charte-signee/": "fr",
    }


# -- 5. related stories prefer the reader's language ---------------------------------------


def test_related_prefers_the_story_language_and_labels_the_others(client):
    mali = Topic.objects.create(name="Mali", slug="mali")
    story = ArticleFactory(slug="subject", topics=[mali])
    # The French story shares more, and is newer: it would rank first.
    ArticleFactory(
        headline="Le Mali et le Niger", slug="french-related", language="fr",
        topics=[mali, "Niger"],
    )  # fmt: skip
    story.tags.add("Niger")
    english = ArticleFactory(slug="english-related", topics=[mali])
    from datetime import timedelta

    from articles.models import Article

    Article.objects.filter(pk=english.pk).update(
        published_at=story.published_at - timedelta(days=30)
    )
    text = page(client, "/articles/subject/")
    related = re.search(r'<ol id="related-stories".*?</ol>', text, re.S).group(0)
    assert listed(related) == ["english-related", "french-related"]
    assert (
        '<a href="/articles/french-related/" lang="fr" hreflang="fr">Le Mali et le Niger'
        '</a> <span class="related__language">(in French)</span>'
    ) in related
    assert 'lang="en"' not in related
    # A French page labels an English story in French.
    sujet = ArticleFactory(slug="sujet", language="fr", topics=[mali])
    related = page(client, sujet.get_absolute_url())
    assert '<a href="/articles/subject/" lang="en" hreflang="en">' in related
    assert '<span class="related__language">(en anglais)</span>' in related


# -- 6. the API ----------------------------------------------------------------------------


def test_api_gives_language_and_translations_and_filters(client, pair):
    data = client.get("/api/stories/charter-signed/").json()
    assert data["language"] == "en"
    assert data["translations"] == [
        {
            "language": "fr",
            "headline": "La charte signée à Bamako",
            "slug": "charte-signee",
            "url": "http://testserver/articles/charte-signee/",
        }
    ]
    french = client.get("/api/stories/?language=fr").json()
    assert [story["slug"] for story in french["results"]] == ["charte-signee"]
    assert french["results"][0]["translations"][0]["slug"] == "charter-signed"
    both = client.get("/api/stories/").json()
    assert {story["language"] for story in both["results"]} == {"en", "fr"}
    assert client.get("/api/stories/?language=xx").status_code == 400
    topics = client.get("/api/topics/?language=fr").json()
    assert topics == [
        {
            "name": "Mali",
            "slug": "mali",
            "url": "http://testserver/fr/topics/mali/",
            "stories": 1,
        }
    ]


def test_narrower_topics_listed_only_where_their_page_exists(client, pair):
    ArticleFactory(topics=["Niger"])  # English only
    sahel = Topic.objects.create(name="Sahel", slug="sahel")
    for name in ("Mali", "Niger"):
        topic = Topic.objects.get(name=name)
        topic.parent = sahel
        topic.save()
    includes = r'<p class="topic-header__children">.*?</p>'
    english = re.search(includes, page(client, "/topics/sahel/"), re.S).group(0)
    assert 'href="/topics/mali/"' in english and 'href="/topics/niger/"' in english
    french = re.search(includes, page(client, "/fr/topics/sahel/"), re.S).group(0)
    assert 'href="/fr/topics/mali/"' in french and "niger" not in french
