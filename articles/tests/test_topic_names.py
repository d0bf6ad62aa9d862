"""One parser reads typed topic lists: taggit's grammar, the typed order kept."""

import pytest

from articles.models import Article, Topic
from articles.tests.admin_forms import ADD, article_form
from articles.topic_names import parse_topic_names


@pytest.mark.parametrize(
    "typed, names",
    [
        ('"Burkina Faso" Mali', ["Burkina Faso", "Mali"]),
        ("Niger, Burkina Faso, Mali", ["Niger", "Burkina Faso", "Mali"]),
        ("Niger Mali", ["Niger", "Mali"]),
        ('"Liptako-Gourma, charter", AES', ["Liptako-Gourma, charter", "AES"]),
        ("Mali, mali ,  MALI", ["Mali"]),
        ("Tillabéri, tillaberi", ["Tillabéri"]),
        ('"Kidal', ["Kidal"]),
        ("", []),
    ],
)
def test_the_parser(typed, names):
    assert parse_topic_names(typed) == names


@pytest.mark.django_db
def test_the_tag_field_and_the_primary_topic_read_it_alike(editor_client):
    editor_client.post(ADD, article_form(tags='"Burkina Faso" Mali'))
    story = Article.objects.get()
    assert sorted(topic.name for topic in story.tags.all()) == ["Burkina Faso", "Mali"]
    assert story.primary_topic.name == "Burkina Faso"
    assert Topic.objects.count() == 2


@pytest.mark.django_db
def test_a_topic_name_too_long_is_a_form_error_and_the_text_stays(reporter_client):
    typed = "Mali " + "x" * 120
    page = reporter_client.post(ADD, article_form(tags=f'"{typed}"'))
    assert page.status_code == 200
    text = page.content.decode()
    assert "A topic name is at most 100 characters; this one is 125" in text
    assert "The standoff deepens." in text
    assert not Article.objects.exists() and not Topic.objects.exists()


@pytest.mark.django_db
def test_words_typed_without_commas_are_not_split_into_new_topics(reporter_client):
    page = reporter_client.post(ADD, article_form(tags="2015  Algiers peace agreement"))
    assert page.status_code == 200
    text = page.content.decode()
    assert (
        "“2015 Algiers peace agreement” would make 4 topics, one per word: 2015, "
        "Algiers, peace, agreement." in text
    )
    assert "The standoff deepens." in text  # what was typed stays
    assert 'value="2015  Algiers peace agreement"' in text
    assert not Article.objects.exists() and not Topic.objects.exists()


@pytest.mark.django_db
def test_a_trailing_comma_makes_one_topic_of_several_words(reporter_client):
    reporter_client.post(ADD, article_form(tags="2015 Algiers peace agreement,"))
    story = Article.objects.get()
    assert [topic.name for topic in story.tags.all()] == [
        "2015 Algiers peace agreement"
    ]


@pytest.mark.django_db
def test_existing_topics_typed_without_commas_are_taken(reporter_client):
    Topic.objects.create(name="Niger")
    Topic.objects.create(name="Mali")
    reporter_client.post(ADD, article_form(tags="niger Mali"))
    story = Article.objects.get()
    assert sorted(topic.name for topic in story.tags.all()) == ["Mali", "Niger"]
    assert Topic.objects.count() == 2
