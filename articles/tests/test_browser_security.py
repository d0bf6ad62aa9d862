"""The security headers, seen by a real browser: every public page type, the API
docs and the desk's editor work with no Content-Security-Policy violation and no
complaint about the Permissions-Policy.

Runs in Debian's chromium through Playwright, like test_browser.py.
"""

import os
import shutil
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Group
from django.db import connections

from articles.tests.factories import ArticleFactory, AuthorFactory, StoryNoteFactory

CHROMIUM = "/usr/bin/chromium"

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        not shutil.which(CHROMIUM),
        reason=f"browser test needs Debian's chromium at {CHROMIUM}",
    ),
]

# What chromium prints when a policy blocks something or a header is malformed.
CSP = "Content-Security-Policy"
COMPLAINTS = (
    "Content Security Policy",
    "Content-Security-Policy",
    "Permissions-Policy",
)


@pytest.fixture
def browser():
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright is not installed"
    )
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu"],
        )
        yield browser
        browser.close()
        connections.close_all()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


class Watched:
    """A page that remembers every console complaint and every host it asked."""

    def __init__(self, browser):
        self.page = browser.new_page()
        self.page.set_default_timeout(10_000)
        self.complaints = []
        self.hosts = set()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.complaints.append(str(error)))
        self.page.on("request", lambda r: self.hosts.add(urlsplit(r.url).netloc))

    def _console(self, message):
        if any(word in message.text for word in COMPLAINTS):
            self.complaints.append(f"{self.page.url}: {message.text}")


def test_public_pages_render_under_the_strict_policy(browser, live_server):
    story = ArticleFactory(
        headline="Niamey hosts the confederation's summit",
        topics=["Niger", "AES"],
        body="<p>Leaders met in <strong>Niamey</strong>.</p>",
    )
    story.authors.add(AuthorFactory(name="Desk Writer", slug="desk-writer"))
    StoryNoteFactory(article=story)
    ArticleFactory(topics=["Niger"])
    watched = Watched(browser)
    page = watched.page
    for url in [
        "/",
        story.get_absolute_url(),
        "/topics/",
        "/topics/niger/",
        "/topics/niger/timeline/",
        "/search/?q=summit",
        "/corrections/",
        "/authors/desk-writer/",
        "/sitemap.xml",
        "/no-such-page/",
    ]:
        response = page.goto(f"{live_server.url}{url}")
        assert response.status in (200, 404), url
        assert "default-src 'none'" in response.header_value(CSP), url
        page.wait_for_load_state("load")
        if not url.endswith(".xml"):
            # Our stylesheet applied: the masthead is laid out by site.css.
            assert page.evaluate(
                "[...document.styleSheets].some(s => s.href && "
                "s.href.endsWith('/static/css/site.css') && s.cssRules.length > 0)"
            ), url
    # The language switcher (plain links) goes to the same list in French.
    page.goto(f"{live_server.url}/topics/")
    page.click(".language-switcher a[lang=fr]")
    page.wait_for_load_state("load")
    assert page.url == f"{live_server.url}/fr/topics/"
    assert page.locator("html").get_attribute("lang") == "fr"
    assert watched.complaints == []
    assert watched.hosts == {urlsplit(live_server.url).netloc}
    page.close()


def test_api_docs_work_offline_under_their_policy(browser, live_server):
    ArticleFactory(topics=["Mali"])
    watched = Watched(browser)
    page = watched.page
    response = page.goto(f"{live_server.url}/api/docs")
    assert "script-src 'self'" in response.header_value(CSP)
    page.wait_for_selector(".swagger-ui .info .title")
    assert "AES Newsroom content API" in page.inner_text(".swagger-ui .info .title")
    # The schema was fetched and the operations listed.
    page.wait_for_selector(".opblock")
    assert page.locator(".opblock").count() >= 4
    assert watched.complaints == []
    assert watched.hosts == {urlsplit(live_server.url).netloc}
    page.close()


def test_desk_editor_and_autocomplete_work_under_the_admin_policy(
    browser, live_server, django_user_model
):
    ArticleFactory(headline="Niger's July coup and the ECOWAS threat")
    user = django_user_model.objects.create_user(
        "desk", password="desk-pass-4321", is_staff=True
    )
    user.groups.add(Group.objects.get(name="Editors"))
    watched = Watched(browser)
    page = watched.page
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "desk")
    page.fill("#id_password", "desk-pass-4321")
    page.click("input[type=submit]")
    page.wait_for_selector("#site-name")
    response = page.goto(f"{live_server.url}/admin/articles/article/add/")
    assert "script-src 'self' 'nonce-" in response.header_value(CSP)
    body = page.locator(".field-body [contenteditable=true]")
    body.click()
    page.keyboard.type("Leaders meet. ")
    page.keyboard.press("Control+b")
    page.keyboard.type("Sanctions")
    assert body.locator("strong").inner_text() == "Sanctions"
    # select2's autocomplete asks our own server and shows the answer.
    page.click("#curated_links-group .add-row a")
    page.click("#curated_links-group tr.dynamic-curated_links .select2-selection")
    page.fill(".select2-dropdown .select2-search__field", "coup")
    page.wait_for_selector(".select2-results__option:has-text('July coup')")
    page.goto(f"{live_server.url}/admin/articles/article/")
    page.goto(f"{live_server.url}/admin/")
    assert watched.complaints == []
    assert watched.hosts == {urlsplit(live_server.url).netloc}
    page.close()
