"""Journeys: the desk driven in a real browser, as the demo accounts, on the demo.

Debian's chromium through Playwright (`.ci/run` installs both). Each journey logs
in as the demo `editor` or `reporter` (members of the Editors and Reporters
groups, never superusers) on the AES demo content that `make run` loads, so what
passes here is what a new user finds.
"""

import os

import pytest
from django.core.management import call_command
from django.db import connections

from articles.models import Article
from demo.desk import DEMO_ACCOUNTS

PASSWORDS = {username: password for username, password, *_ in DEMO_ACCOUNTS}


@pytest.hookimpl(tryfirst=True)  # before pytest-django orders the tests by kind
def pytest_collection_modifyitems(items):
    # A browser reaches the live server through its own connections, so every
    # browser journey commits for real; the flush after it must not take the
    # desk's groups and permissions along (they come back from the serialized
    # copy).
    for item in items:
        if "live_server" in getattr(item, "fixturenames", ()):
            item.add_marker(
                pytest.mark.django_db(transaction=True, serialized_rollback=True)
            )


@pytest.fixture
def demo(transactional_db, settings, tmp_path):
    """The AES demo newsroom with the demo accounts, as `make run` leaves it."""
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    call_command("create_demo_editor", stdout=open(os.devnull, "w"))  # noqa: SIM115
    yield
    # ORM calls ran in Playwright's context, whose connection pytest-django does
    # not close: close it, or dropping the test database finds it still open.
    connections.close_all()


class Desk:
    """One person at the desk: a browser context logged in as a demo account."""

    def __init__(self, chromium, live_server, username):
        self.base = live_server.url
        self.context = chromium.new_context(viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.errors = []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        # What the Content-Security-Policy blocks breaks a page just as quietly.
        self.page.on(
            "console",
            lambda message: (
                "Content Security Policy" in message.text
                and self.errors.append(message.text)
            ),
        )
        if username:
            self.log_in(username)

    def log_in(self, username):
        page = self.page
        page.goto(f"{self.base}/admin/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORDS[username])
        page.click("input[type=submit]")
        page.wait_for_selector("#site-name")
        assert "/admin/login/" not in page.url, f"{username} could not log in"

    def go(self, path):
        response = self.page.goto(f"{self.base}{path}")
        return response.status

    def open_story(self, story):
        assert self.go(f"/admin/articles/article/{story.pk}/change/") == 200
        self.page.wait_for_selector(".field-body [contenteditable=true]")

    def add_paragraph_to_body(self, text):
        """Type a new last paragraph into the story's rich-text body, as an editor
        clicking after its last word would. The caret is put at the end by the
        selection API, and typing waits until the caret has stayed there: a click
        lands wherever the text happens to be, and the editor may still be placing
        the caret after it takes focus."""
        body = self.page.locator(".field-body [contenteditable=true]")
        body.evaluate("element => element.focus()")
        # The editor may still move the caret after focus: put it at the end on
        # every poll, and go on once a poll finds it still there (it has settled).
        self.page.wait_for_function(
            """() => {
                const element = document.querySelector(
                    ".field-body [contenteditable=true]");
                const selection = window.getSelection();
                const end = document.createRange();
                end.selectNodeContents(element);
                end.collapse(false);
                let settled = document.activeElement === element
                    && selection.rangeCount === 1 && selection.isCollapsed
                    && element.contains(selection.focusNode);
                if (settled) {  // no text between the caret and the body's end
                    const rest = document.createRange();
                    rest.setStart(selection.focusNode, selection.focusOffset);
                    rest.setEnd(element, element.childNodes.length);
                    settled = rest.toString() === "";
                }
                if (!settled) {
                    element.focus();
                    selection.removeAllRanges();
                    selection.addRange(end);
                }
                return settled;
            }""",
            polling=100,
        )
        self.page.keyboard.press("Enter")
        self.page.keyboard.type(text)
        assert body.inner_text().rstrip().endswith(text), body.inner_text()[-200:]

    def save(self, button="_continue"):
        self.page.click(f"input[name={button}]")
        self.page.wait_for_load_state()

    def messages(self):
        """The admin's messages on the page now (waits for them to arrive)."""
        self.page.wait_for_selector(".messagelist li")
        return self.page.locator(".messagelist li").all_inner_texts()

    def close(self):
        self.context.close()


@pytest.fixture
def desk(chromium, live_server, demo):
    """`desk("editor")`: a browser logged in as that demo account."""
    opened = []

    def open_desk(username):
        person = Desk(chromium, live_server, username)
        opened.append(person)
        return person

    yield open_desk
    for person in opened:
        assert not person.errors, f"JavaScript errors: {person.errors}"
        person.close()


@pytest.fixture
def reader(chromium, live_server, demo):
    """An anonymous reader's browser."""
    person = Desk(chromium, live_server, None)
    yield person
    person.close()


def demo_story(headline_start):
    return Article.objects.get(headline__startswith=headline_start)
