"""English and French interfaces: each edition's pages and each story's page in
their language (whatever the reader's Accept-Language), dates and numbers. The
editions themselves (addresses, lists, switcher, alternates): test_editions.py."""

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template, loader
from django.utils import translation

from articles.models import Topic, TopicEvent, TopicFact
from articles.tests.factories import ArticleFactory, AuthorFactory, StoryNoteFactory

pytestmark = pytest.mark.django_db

FRENCH = {"HTTP_ACCEPT_LANGUAGE": "fr-FR,fr;q=0.9,en;q=0.5"}
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9"}


@pytest.fixture
def story():
    story = ArticleFactory(
        headline="Charter signed",
        topics=["Mali"],
        published_at=datetime(2026, 2, 3, 10, 0, tzinfo=UTC),
    )
    story.authors.add(AuthorFactory(name="Aminata Diallo"), AuthorFactory(name="Ali"))
    return story


@pytest.fixture
def french_story():
    story = ArticleFactory(
        headline="Charte signée",
        body="<p>La charte est signée à Bamako.</p>",
        language="fr",
        topics=["Mali"],
        published_at=datetime(2026, 2, 3, 10, 0, tzinfo=UTC),
    )
    story.authors.add(AuthorFactory(name="Awa Traoré"), AuthorFactory(name="Issa"))
    return story


def test_english_by_default(client, story):
    page = client.get(story.get_absolute_url(), **FRENCH).content.decode()
    assert '<html lang="en">' in page
    assert "Related stories" in page and "3 February 2026" in page
    assert ">Aminata Diallo</a> and <a" in page or ">Ali</a> and <a" in page


def test_a_french_story_in_french_whatever_the_reader_asks(client, french_story):
    response = client.get(french_story.get_absolute_url(), **ENGLISH)
    page = response.content.decode()
    assert response["Content-Language"] == "fr"
    assert "Accept-Language" not in response.get("Vary", "")
    assert '<html lang="fr">' in page
    assert '<meta property="og:locale" content="fr_FR">' in page
    assert "Articles liés" in page and "Related stories" not in page
    assert "3 février 2026" in page
    assert "Par <a" in page and "</a> et <a" in page
    assert "Aller au contenu" in page and "Rechercher" in page


@pytest.mark.parametrize(
    "url",
    ["/fr/", "/fr/topics/", "/fr/topics/mali/", "/fr/search/?q=charte", "/fr/nowhere/"],
)
def test_public_pages_in_french(client, french_story, url):
    page = client.get(url, **ENGLISH).content.decode()
    assert '<html lang="fr">' in page
    assert "Thèmes" in page or "Rechercher" in page
    for english in ("Latest stories", "Skip to content", "Search stories"):
        assert english not in page, (url, english)


def test_french_search_and_topic_counts(client, story, french_story):
    page = client.get("/fr/search/?q=charte").content.decode()
    assert "1 article correspond à « charte »." in page
    page = client.get("/fr/topics/").content.decode()
    assert "1 article</span>" in page


def test_the_desk_language_choice_stays_a_cookie(client, story):
    # Staff still choose the desk's language; the public pages ignore the cookie.
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    assert "Related stories" in client.get(story.get_absolute_url()).content.decode()
    page = client.get("/admin/login/").content.decode()
    assert '<html lang="fr"' in page


def test_switcher_refuses_unknown_languages_and_foreign_redirects(client, story):
    response = client.post(
        "/i18n/setlang/", {"language": "xx", "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_public_pages_set_no_csrf_cookie(client, story):
    response = client.get(story.get_absolute_url())
    assert settings.CSRF_COOKIE_NAME not in response.cookies


def test_numbers_follow_the_language():
    template = Template("{% load humanize %}{{ n|intcomma }}")
    with translation.override("en"):
        assert template.render(Context({"n": 12345})) == "12,345"
    with translation.override("fr"):
        assert template.render(Context({"n": 12345})) == "12\xa0345"


def test_compiled_catalogue_is_committed_and_current():
    po = Path(settings.BASE_DIR, "locale/fr/LC_MESSAGES/django.po")
    mo = po.with_suffix(".mo")
    assert mo.exists() and mo.stat().st_size > 1000
    text = po.read_text(encoding="utf-8")
    assert 'msgstr ""\n\n' not in text.split("\n\n", 1)[1]  # every string translated


def test_corrections_page_in_french(client, french_story):
    StoryNoteFactory(
        article=french_story,
        kind="correction",
        text="The charter was signed in Bamako.",
        created_at=datetime(2026, 2, 4, 9, 30, tzinfo=UTC),
    )
    page = client.get("/fr/corrections/").content.decode()
    assert "<h1>Rectificatifs</h1>" in page
    assert "Quand nous nous trompons, nous le signalons" in page
    assert "4 fév. 2026 à 09:30</time> : The charter was signed" in page
    assert "Corrections" not in page and "newest first" not in page
    empty = ArticleFactory(headline="Intact", language="fr")
    StoryNoteFactory(article=empty, kind="update", text="More detail.")
    page = client.get("/fr/").content.decode()
    assert '<span class="label label--corrected">Corrigé</span>' in page
    assert ">Corrected<" not in page


def test_article_notes_and_related_reasons_in_french(client, french_story):
    story = french_story
    StoryNoteFactory(
        article=story,
        kind="correction",
        text="The charter was signed in Bamako.",
        created_at=datetime(2026, 2, 4, 9, 30, tzinfo=UTC),
    )
    StoryNoteFactory(article=story, kind="clarification", text="Two leaders.")
    ArticleFactory(headline="Un autre article", topics=["Mali"], language="fr")
    page = client.get(story.get_absolute_url()).content.decode()
    assert '<h2 id="notes-heading">Mises à jour et rectificatifs</h2>' in page
    assert '<strong class="story-note__kind">Rectificatif</strong>' in page
    assert '<strong class="story-note__kind">Précision</strong>' in page
    assert "En commun : Mali" in page
    for english in ("Updates and corrections", ">Correction<", "Shares:"):
        assert english not in page, english


def test_topic_page_and_timeline_in_french(client, french_story):
    mali = Topic.objects.get(name="Mali")
    Topic.objects.filter(pk=mali.pk).update(kind=Topic.Kind.PLACE)
    TopicFact.objects.create(
        topic=mali, label="Capital", value="Bamako", as_of=date(2024, 7, 1),
        source="Demo source",
    )  # fmt: skip
    TopicEvent.objects.create(topic=mali, date=date(2023, 9, 16), text="Charter")
    page = client.get("/fr/topics/mali/").content.decode()
    assert '<p class="kicker">Lieu</p>' in page
    assert ">L’essentiel</h2>" in page
    assert "(au 1 juil. 2024 ; source : Demo source)" in page
    assert "Chronologie et dates clés" in page
    for english in ("Key facts", "as of", "Timeline and key dates", ">Place<"):
        assert english not in page, english
    page = client.get("/fr/topics/mali/timeline/").content.decode()
    assert '<span class="topic-header__sub">chronologie</span>' in page
    assert ">Dates clés</h2>" in page
    assert "16 sept. 2023</time> : Charter" in page
    assert "<strong>Événement clé :</strong>" in page
    assert "Tous les articles sur Mali" in page
    for english in ("Key dates", "Key event:", "All stories on", ">timeline<"):
        assert english not in page, english


def test_english_dates_and_labels_unchanged(client, story):
    StoryNoteFactory(
        article=story,
        kind="correction",
        text="Fixed.",
        created_at=datetime(2026, 2, 4, 9, 30, tzinfo=UTC),
    )
    page = client.get("/corrections/").content.decode()
    assert "<h1>Corrections</h1>" in page
    assert "4 Feb 2026, 09:30</time>: Fixed." in page


def test_server_error_page_in_french():
    template = loader.get_template("500.html")
    with translation.override("fr"):
        page = template.render()
    assert '<html lang="fr">' in page
    assert "Un problème est survenu de notre côté" in page
    assert "Something went wrong" not in page
    with translation.override("en"):
        assert "Something went wrong on our side" in template.render()


def test_french_topic_names_on_home_and_search(client, story, french_story):
    Topic.objects.filter(name="Mali").update(name_fr="Le Mali")
    page = client.get("/fr/", **ENGLISH).content.decode()
    assert '>Le Mali</a> <span class="count">' in page
    page = client.get("/fr/search/?q=charte&topic=mali").content.decode()
    assert ">Le Mali</option>" in page
    assert "1 article du thème « Le Mali » correspond à « charte »." in page
    page = client.get("/search/?q=charter&topic=mali", **FRENCH).content.decode()
    assert ">Mali</option>" in page and "Le Mali" not in page
