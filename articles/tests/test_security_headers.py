"""Every answer says what the browser may load and which features it may use.

The public site runs no script, so its Content-Security-Policy allows none; the
admin runs our own scripts only; the API docs run Swagger UI from our static files.
The Permissions-Policy turns off camera, microphone, location and the rest on every
answer, cached or not.
"""

import re

import pytest
from django.core.cache import cache

from articles.tests.factories import ArticleFactory, AuthorFactory, StoryNoteFactory
from pagecache import entries as page_cache

pytestmark = pytest.mark.django_db

CSP = "Content-Security-Policy"
DENIED_FEATURES = [
    "camera",
    "microphone",
    "geolocation",
    "payment",
    "usb",
    "browsing-topics",
]


def directives(response):
    """The policy as {directive: [sources]}."""
    policy = response.headers.get(CSP)
    assert policy, f"no {CSP} on {response.request['PATH_INFO']}"
    parsed = {}
    for part in policy.split(";"):
        name, *sources = part.split()
        parsed[name] = sources
    return parsed


def features(response):
    header = response.headers.get("Permissions-Policy", "")
    return dict(re.findall(r"([a-z-]+)=\(([^)]*)\)", header))


@pytest.fixture
def public_pages(story):
    author = AuthorFactory(name="Desk Writer", slug="desk-writer")
    story.authors.add(author)
    StoryNoteFactory(article=story)
    return [
        "/",
        story.get_absolute_url(),
        "/topics/",
        "/topics/mali/",
        "/topics/mali/timeline/",
        "/search/?q=story",
        "/corrections/",
        "/authors/desk-writer/",
        "/no-such-page/",
    ]


def test_public_pages_allow_no_script_at_all(client, public_pages):
    for url in public_pages:
        response = client.get(url)
        policy = directives(response)
        assert policy["default-src"] == ["'none'"], url
        assert "script-src" not in policy, url
        assert policy["style-src"] == ["'self'"], url
        assert policy["img-src"] == ["'self'", "data:"], url
        assert policy["frame-ancestors"] == ["'none'"], url
        assert policy["base-uri"] == ["'none'"], url
        assert policy["form-action"] == ["'self'"], url


def test_feeds_sitemaps_and_api_answers_carry_a_policy_too(client, story):
    for url in ["/feed/", "/sitemap.xml", "/news-sitemap.xml", "/api/stories/"]:
        policy = directives(client.get(url))
        assert policy["default-src"] == ["'none'"], url
        assert "script-src" not in policy, url
        assert policy["frame-ancestors"] == ["'none'"], url


def test_media_on_another_host_may_be_shown(monkeypatch):
    """With media on a CDN (an absolute DJANGO_MEDIA_URL), pages may show its images."""
    from articles.tests.test_settings import run_python

    result = run_python(
        "import django; from django.conf import settings; django.setup();"
        "print(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'])",
        DJANGO_MEDIA_URL="https://media.news.example/uploads/",
    )
    assert result.returncode == 0, result.stderr
    assert "https://media.news.example" in result.stdout
    assert "uploads" not in result.stdout


def test_admin_runs_our_scripts_only_with_a_nonce_for_the_import_map(editor_client):
    response = editor_client.get("/admin/articles/article/add/")
    assert response.status_code == 200
    policy = directives(response)
    nonces = [s for s in policy["script-src"] if s.startswith("'nonce-")]
    assert policy["script-src"][0] == "'self'"
    assert len(nonces) == 1
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    nonce = nonces[0].removeprefix("'nonce-").removesuffix("'")
    page = response.content.decode()
    # The rich-text editor's import map is the one inline script; it carries it.
    inline = re.findall(r"<script\b([^>]*)>\s*[^<\s]", page)
    assert len(inline) == 1
    assert 'type="importmap"' in inline[0]
    assert f'nonce="{nonce}"' in inline[0]
    # A second request gets another nonce.
    again = directives(editor_client.get("/admin/articles/article/add/"))
    assert again["script-src"] != policy["script-src"]


def test_admin_login_page_has_the_admin_policy(client):
    policy = directives(client.get("/admin/login/"))
    assert policy["script-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]


def test_api_docs_run_swagger_from_here_only(client):
    policy = directives(client.get("/api/docs"))
    assert policy["default-src"] == ["'none'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["connect-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]


def test_every_answer_denies_the_browser_features_we_never_use(
    client, editor_client, story
):
    answers = [
        client.get("/"),
        client.get(story.get_absolute_url()),
        client.get("/feed/"),
        client.get("/api/docs"),
        client.get("/static/css/site.css"),  # served by whitenoise
        client.get("/admin/"),  # a redirect to the login page
        client.get("/no-such-page/"),
        editor_client.get("/admin/articles/article/"),
    ]
    for response in answers:
        denied = features(response)
        for feature in DENIED_FEATURES:
            assert denied.get(feature) == "", (response.status_code, feature)


def test_cached_hits_carry_the_same_security_headers(client, settings, story):
    settings.PAGE_CACHE_SECONDS = 600
    cache.clear()
    page_cache.recent.clear()
    security = [
        CSP,
        "Permissions-Policy",
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Cross-Origin-Opener-Policy",
    ]
    for url in ["/", story.get_absolute_url(), "/feed/", "/no-such-page/"]:
        miss = client.get(url)
        hit = client.get(url)
        assert miss.headers["X-Page-Cache"] == "miss", url
        assert hit.headers["X-Page-Cache"] == "hit", url
        for name in security:
            assert hit.headers.get(name), (url, name)
            assert hit.headers.get(name) == miss.headers.get(name), (url, name)


def test_json_ld_stays_data_under_the_policy(client):
    """Structured data is a <script type="application/ld+json"> block: the browser
    does not run it, so the policy needs no script-src for it."""
    story = ArticleFactory(topics=["Niger"])
    page = client.get(story.get_absolute_url()).content.decode()
    blocks = re.findall(r"<script\b([^>]*)>", page)
    assert blocks
    assert all('type="application/ld+json"' in attrs for attrs in blocks)
