"""Hostile or malformed input answers 400 or 404, never 500, on every database.

PostgreSQL refuses a NUL character in text, so any NUL that reached a lookup used
to be a 500 there (SQLite answered 404). Run with DATABASE_URL set to see it.
"""

import html

import pytest

from articles.tests.admin_forms import add_inline, change_url, form_data
from articles.tests.factories import ArticleFactory, AuthorFactory

pytestmark = pytest.mark.django_db

# Every public address, with a NUL where a reader (or a crafted link) may put one.
NUL_ADDRESSES = [
    "/articles/charter%00/",
    "/topics/mali%00/",
    "/topics/mali/?page=%00",
    "/topics/mali%00/feed/",
    "/topics/mali%00/timeline/",
    "/topics/mali/timeline/?page=%00",
    "/authors/aminata%00/",
    "/authors/aminata/?page=%00",
    "/search/?q=niger%00",
    "/search/?q=niger&topic=mali%00",
    "/search/?q=niger&topic=%00",
    "/search/?q=niger&page=%00",
    "/feed/?%00",
    "/corrections/?page=%00",
    "/sitemap-articles.xml?p=%00",
    "/sitemap-%00.xml",
    "/?utm_source=%00",
    "/static/css/site%00.css",
    "/preview/1/?%00",
    "/admin/login/?next=%00",
    "/admin/articles/topic/autocomplete/?term=%00",
]
NUL_API_ADDRESSES = [
    "/api/stories/?topic=%00",
    "/api/stories/?topic=mali%00",
    "/api/stories/?page=%00",
    "/api/stories/%00/",
    "/api/stories/charter%00/",
    "/api/topics/?%00=1",
]


@pytest.fixture
def site():
    story = ArticleFactory(slug="charter", topics=["Mali"])
    story.authors.add(AuthorFactory(slug="aminata"))
    return story


@pytest.mark.parametrize("url", NUL_ADDRESSES)
def test_a_nul_in_an_address_is_a_400_page(client, site, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "We could not understand that request" in response.content.decode()


@pytest.mark.parametrize("url", NUL_API_ADDRESSES)
def test_a_nul_in_an_api_address_is_a_400_in_json(client, site, url):
    response = client.get(url)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "The request holds a NUL character."}


@pytest.mark.parametrize("cookie", ["sessionid", "csrftoken", "django_language"])
@pytest.mark.parametrize("url", ["/", "/admin/login/", "/api/stories/"])
def test_a_nul_in_a_cookie_is_a_400(client, site, cookie, url):
    # Django decodes the quoted octal escape a crafted Cookie header can carry.
    client.cookies[cookie] = "abcdefgh\x00ijklmnop"
    assert client.get(url).status_code == 400


def test_a_nul_in_the_language_switch_is_a_400(client):
    client.cookies["sessionid"] = "abcdefgh\x00ijklmnop"
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    assert response.status_code == 400


def test_encoded_percent_signs_are_not_nul(client, site):
    """`%2500` is the text `%00`, which a search may hold: a normal page."""
    assert client.get("/search/?q=%2500").status_code == 200
    detail = client.get("/api/stories/?topic=%2500").json()["detail"]
    assert detail == "No topic with published stories has slug '%00'."


def registered_models():
    from django.contrib import admin

    return sorted(model._meta.label_lower for model in admin.site._registry)


@pytest.mark.parametrize("object_id", ["abc", "1.5", "%20", "1;DROP"])
@pytest.mark.parametrize("view", ["change", "history", "delete"])
@pytest.mark.parametrize("model", registered_models())
def test_an_admin_address_with_a_malformed_id_is_404(
    editor_client, story, model, view, object_id
):
    app_label, model_name = model.split(".")
    url = f"/admin/{app_label}/{model_name}/{object_id}/{view}/"
    assert editor_client.get(url).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "change/",
        "history/compare/?from=1&to=2",
        "history/1/",
        "history/1/restore/",
    ],
)
def test_a_story_history_address_with_a_malformed_id_is_404(editor_client, path):
    url = f"/admin/articles/article/abc/{path}"
    assert editor_client.get(url).status_code == 404
    assert editor_client.post(url).status_code == 404


@pytest.mark.parametrize("object_id", ["-1", "١٢", "99999999999999999999999"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_story_id_naming_no_story_is_a_plain_404(
    editor_client, story, object_id, method
):
    """Ids the key can read but no story has: the same 404 as a story outside
    one's desk (tests/journeys/test_sweep.py), never a 500."""
    url = f"/admin/articles/article/{object_id}/change/"
    response = getattr(editor_client, method)(url)
    assert response.status_code == 404


def test_a_story_change_page_still_offers_its_preview(editor_client, story):
    page = editor_client.get(f"/admin/articles/article/{story.pk}/change/")
    assert f'href="/preview/{story.pk}/"' in page.content.decode()


@pytest.mark.parametrize(
    "field, value, error",
    [
        ("authors", "abc", "“abc” is not a valid value."),
        ("curated_links-0-story", "abc", "Select a valid choice."),
        ("related_exclusions-0-story", "1.5", "Select a valid choice."),
    ],
)
def test_a_crafted_picker_value_is_a_form_error(
    editor_client, story, field, value, error
):
    """The autocomplete pickers draw the form again with the error, not a 500."""
    data = form_data(editor_client.get(change_url(story)))
    prefix = field.split("-")[0]
    if prefix != field:
        add_inline(data, prefix, position="0")
    data[field] = value
    response = editor_client.post(change_url(story), data)
    assert response.status_code == 200
    assert error in html.unescape(response.content.decode())
