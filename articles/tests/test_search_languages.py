"""Search by language: each language's stemming, per-edition search, and the
index following a story's language.

Runs on whichever database DATABASE_URL names: SQLite FTS5 (Porter, with French
forms added to the query) or PostgreSQL (english and french configurations after
unaccent). See the docstring of articles/search.py.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import search, selectors
from articles.models import Article, Topic
from articles.search_schema import pg_config
from articles.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def found(query, language=None):
    return list(search.search(Article.objects.published(), query, language=language))


class TestStemming:
    def test_english_plurals_and_endings_meet(self):
        charter = ArticleFactory(headline="A charter for the Sahel", language="en")
        charters = ArticleFactory(headline="Two charters signed", language="en")
        assert set(found("charters", "en")) == {charter, charters}
        assert set(found("charter", "en")) == {charter, charters}
        voting = ArticleFactory(body="<p>Polling stations opened</p>", language="en")
        assert found("polled", "en") == [voting]

    def test_french_plurals_meet_accents_folded(self):
        one = ArticleFactory(headline="L’élection présidentielle", language="fr")
        many = ArticleFactory(headline="Les élections locales", language="fr")
        assert set(found("élections", "fr")) == {one, many}
        assert set(found("election", "fr")) == {one, many}
        accord = ArticleFactory(dek="Un accord de paix", language="fr")
        assert found("accords", "fr") == [accord]

    def test_french_plurals_in_x_and_aux(self):
        journaux = ArticleFactory(headline="Les journaux suspendus", language="fr")
        bureau = ArticleFactory(headline="Le bureau de vote", language="fr")
        assert found("journal", "fr") == [journaux]
        assert found("bureaux", "fr") == [bureau]

    def test_a_name_is_not_found_by_a_longer_word(self):
        """`mali` finds Mali, not `malien`; the stemmers keep them apart."""
        mali = ArticleFactory(headline="Le Mali vote", language="fr")
        maliens = ArticleFactory(headline="Les Maliens votent", language="fr")
        malienne = ArticleFactory(headline="La presse malienne", language="fr")
        assert found("mali", "fr") == [mali]
        assert found("mali") == [mali]
        assert set(found("malien", "fr")) == {maliens, malienne}

    def test_stems_do_not_flood_unrelated_words(self):
        ArticleFactory(headline="Electricity prices rise", language="en")
        ArticleFactory(headline="Électricité et eau", language="fr")
        ArticleFactory(headline="Charte graphique", language="fr")
        assert found("elections") == []
        assert found("charters", "en") == []

    def test_stop_words_do_not_stop_a_search(self):
        story = ArticleFactory(headline="La sécurité à Ménaka", language="fr")
        assert found("la sécurité", "fr") == [story]
        english = ArticleFactory(headline="The border reopens", language="en")
        assert found("the border", "en") == [english]

    @pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite's FTS5 has no stop words: 'the' is a word like any other",
    )
    def test_stop_words_alone_find_nothing(self, client):
        ArticleFactory(headline="The border reopens", language="en")
        assert found("the", "en") == []
        response = client.get("/search/", {"q": "the of"})
        assert response.status_code == 200
        assert "Nothing matched." in response.content.decode()

    def test_topic_names_match_in_either_language(self):
        story = ArticleFactory(headline="Cocoa prices", topics=["Elections"])
        Topic.objects.filter(name="Elections").update(name_fr="Élections")
        assert found("élection", "en") == [story]
        assert found("elections", "en") == [story]


class TestEditions:
    def test_a_language_keeps_to_its_stories(self):
        english = ArticleFactory(headline="Niger budget", language="en")
        french = ArticleFactory(headline="Budget du Niger", language="fr")
        assert found("niger", "en") == [english]
        assert found("niger", "fr") == [french]
        assert set(found("niger")) == {english, french}

    def test_without_a_language_each_story_matches_by_its_own_rules(self):
        english = ArticleFactory(headline="Election charters", language="en")
        french = ArticleFactory(headline="Les élections", language="fr")
        assert set(found("election")) == {english, french}
        assert found("charter") == [english]

    def test_the_index_follows_a_change_of_language(self):
        story = ArticleFactory(headline="Les journaux", language="en")
        Article.objects.filter(pk=story.pk).update(language="fr")
        assert found("journal", "fr") == [story]
        assert found("journal", "en") == []

    def test_selector_passes_the_edition_on(self):
        english = ArticleFactory(headline="Gold charters", topics=["Mali"])
        french = ArticleFactory(headline="Les chartes de l’or", topics=["Mali"])
        Article.objects.filter(pk=french.pk).update(language="fr")
        results = selectors.search_stories("charters", "mali", language="en")
        assert list(results.stories) == [english]
        results = selectors.search_stories("chartes", "mali", language="fr")
        assert list(results.stories) == [Article.objects.get(pk=french.pk)]
        assert list(selectors.search_stories("gold").stories) == [english]

    def test_an_edition_costs_no_more_queries(self):
        for i in range(3):
            ArticleFactory(headline=f"Harvest {i}", language="fr")
            ArticleFactory(headline=f"Harvest {i}", language="en")
        counts = []
        for language in (None, "en", "fr"):
            stories = selectors.search_stories("harvest", language=language).stories
            with CaptureQueriesContext(connection) as queries:
                assert stories.count() == (6 if language is None else 3)
                list(stories[:20])
            counts.append(len(queries))
        assert counts == [3, 3, 3]  # count, page, its bylines


class TestMarking:
    def test_stemmed_matches_are_marked(self):
        assert str(search.highlight("Les Élections et la charte", "election")) == (
            "Les <mark>Élections</mark> et la charte"
        )
        assert str(search.highlight("A charter", "charters")) == (
            "A <mark>charter</mark>"
        )
        assert str(search.highlight("Mali et les Maliens", "mali")) == (
            "<mark>Mali</mark> et les Maliens"
        )


class TestConfigurations:
    @pytest.mark.parametrize(
        "language, config",
        [
            ("en", "english"),
            ("fr", "french"),
            ("pt-br", "portuguese"),
            ("de_CH", "german"),
            ("wo", "simple"),
            ("", "simple"),
        ],
    )
    def test_languages_map_to_postgresql_configurations(self, language, config):
        assert pg_config(language) == config

    @pytest.mark.skipif(
        connection.vendor != "postgresql", reason="PostgreSQL configurations"
    )
    def test_the_database_maps_languages_as_python_does(self):
        with connection.cursor() as cursor:
            for language in ("en", "fr", "pt-br", "wo"):
                cursor.execute("SELECT articles_search_config(%s)::text", [language])
                assert cursor.fetchone()[0] == pg_config(language)
