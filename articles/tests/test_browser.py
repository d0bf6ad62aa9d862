"""An editor's day in a real browser: write, tag, cross-link, preview, publish.

Runs in Debian's chromium through Playwright; `.ci/run` installs both.
"""

import pytest
from django.contrib.auth.models import Group
from django.db import connections

from articles.models import Article
from articles.tests.factories import ArticleFactory, signed

pytestmark = [
    # Restore the data migrations' roles after the flush, for the tests that follow.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def browser(chromium):
    yield chromium
    # The test's ORM calls ran in Playwright's context, whose connection is not
    # the one pytest-django closes: close it here, or dropping the test
    # database at the end of the run finds it still open.
    connections.close_all()


@pytest.fixture
def editor_page(browser, live_server, django_user_model):
    user = django_user_model.objects.create_user(
        "desk", password="desk-pass-4321", is_staff=True
    )
    user.groups.add(Group.objects.get(name="Editors"))
    page = browser.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "desk")
    page.fill("#id_password", "desk-pass-4321")
    page.click("input[type=submit]")
    page.wait_for_selector("#site-name")
    yield page
    page.close()


def test_editor_writes_cross_links_previews_and_publishes(
    editor_page, live_server, browser
):
    page = editor_page
    earlier = ArticleFactory(
        headline="Niger's July coup and the ECOWAS threat", topics=["Niger", "ECOWAS"]
    )

    page.goto(f"{live_server.url}/admin/articles/article/add/")
    page.fill("#id_headline", "ECOWAS weighs its options on Niger")
    page.locator("#id_headline").blur()
    assert page.input_value("#id_slug") == "ecowas-weighs-its-options-on-niger"
    page.fill("#id_dek", "The bloc's leaders meet again.")
    # The body is a rich-text editor: type, make a word bold, then link words to
    # the earlier story with the story picker rather than a pasted address.
    body = page.locator(".field-body [contenteditable=true]")
    body.click()
    page.keyboard.type("Leaders meet in Abuja. <script>alert(1)</script> ")
    page.keyboard.press("Control+b")
    page.keyboard.type("Sanctions")
    page.keyboard.press("Control+b")
    page.keyboard.type(" stay. Read about the coup")
    for _ in range(len("the coup")):
        page.keyboard.press("Shift+ArrowLeft")
    page.click(".field-link_story .select2-selection")
    page.fill(".select2-dropdown .select2-search__field", "coup")
    page.click(".select2-results__option:has-text('July coup')")
    page.click("text=Link the selected words")
    page.wait_for_selector(".story-link-status:has-text('Linked to')")
    page.fill("#id_tags", "Niger, ecowas")
    # The byline, through its autocomplete (the desk publishes nothing unsigned).
    byline = signed()[0]
    page.click(".field-authors .select2-selection")
    page.fill(".field-authors .select2-search__field", "Staff")
    page.click(f".select2-results__option:has-text('{byline.name}')")

    # Curate the earlier story through the autocomplete, as an editor would.
    page.click("#curated_links-group .add-row a")
    page.click("#curated_links-group tr.dynamic-curated_links .select2-selection")
    page.fill(".select2-dropdown .select2-search__field", "coup")
    page.click(".select2-results__option:has-text('July coup')")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    # Reopened, the editor still holds the story link (the `story:` scheme is allowed).
    page.wait_for_selector(".field-body [contenteditable=true] a[href^='story:']")

    story = Article.objects.get(slug="ecowas-weighs-its-options-on-niger")
    assert story.status == "draft"
    assert "<script" not in story.body
    assert "<strong>Sanctions</strong>" in story.body
    assert f'<a href="story:{earlier.pk}"' in story.body
    assert ">the coup</a>" in story.body
    assert list(story.links_out.values_list("target_id", flat=True)) == [earlier.pk]
    assert sorted(t.name for t in story.tags.all()) == ["ECOWAS", "Niger"]

    # The preview looks like the public page and says it is a preview.
    with page.expect_popup() as popup:
        page.click("text=Preview as readers will see it")
    preview = popup.value
    preview.wait_for_load_state()
    assert preview.locator("h1").inner_text() == "ECOWAS weighs its options on Niger"
    assert preview.locator(".preview-banner").is_visible()
    preview.close()

    # Readers cannot see it yet.
    reader = browser.new_page()
    assert reader.goto(f"{live_server.url}{story.get_absolute_url()}").status == 404

    # Publish from the list with the action.
    page.goto(f"{live_server.url}/admin/articles/article/")
    page.check(f"input[name=_selected_action][value='{story.pk}']")
    page.select_option("select[name=action]", "publish_now")
    page.click("button[name=index]")
    page.wait_for_selector(".messagelist .success")

    response = reader.goto(f"{live_server.url}{story.get_absolute_url()}")
    assert response.status == 200
    assert reader.locator("h1").count() == 1
    in_body = reader.locator(".article__body a:has-text('the coup')")
    assert in_body.get_attribute("href") == earlier.get_absolute_url()
    related = reader.locator("#related-stories a")
    assert related.first.inner_text() == earlier.headline
    reader.click("#topics-heading + ul a:has-text('Niger')")
    assert reader.url.endswith("/topics/niger/")
    assert (
        reader.locator("article a:has-text('ECOWAS weighs its options')").count() == 1
    )
    reader.close()
