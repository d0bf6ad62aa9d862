"""The demo reporter writes and submits; an editor publishes; nothing else leaks."""

import pytest
from django.contrib.auth import get_user_model
from PIL import Image

from articles import services
from articles.models import Article
from articles.tests.journeys.conftest import demo_story

EMBARGOED = "Embargoed: the junta's cabinet reshuffle"


@pytest.fixture
def embargoed(demo):
    editor = get_user_model().objects.get(username="editor")
    return Article.objects.create(
        headline=EMBARGOED,
        slug="embargoed-cabinet-reshuffle",
        dek="Not before Friday.",
        body="<p>Names of the new ministers.</p>",
        status="draft",
        created_by=editor,
    )


@pytest.fixture
def photo(tmp_path):
    path = tmp_path / "market-in-gao.jpg"
    Image.new("RGB", (1200, 800), (180, 140, 60)).save(path, "JPEG")
    return path


def test_reporter_writes_submits_and_an_editor_publishes(desk, reader, photo):
    cited = demo_story("Explainer: how Niger’s July coup")
    reporter = desk("reporter")
    page = reporter.page
    reporter.go("/admin/articles/article/add/")
    page.fill("#id_headline", "Gao's market reopens after the curfew is lifted")
    page.locator("#id_headline").blur()
    page.fill("#id_dek", "Traders return to the stalls by the river.")
    body = page.locator(".field-body [contenteditable=true]")
    body.click()
    page.keyboard.type("Traders came back at dawn. Background: the coup")
    for _ in range(len("the coup")):
        page.keyboard.press("Shift+ArrowLeft")
    page.click(".field-link_story .select2-selection")
    page.fill(".select2-dropdown .select2-search__field", "July coup")
    page.click(".select2-results__option:has-text('July coup')")
    page.click("text=Link the selected words")
    page.wait_for_selector(".story-link-status:has-text('Linked to')")
    page.fill("#id_tags", "Gao, Mali")
    page.click(".field-authors .select2-selection")
    page.fill(".field-authors .select2-search__field", "Aminata")
    page.click(".select2-results__option:has-text('Aminata')")
    page.set_input_files("#id_lead_image", str(photo))
    page.fill("#id_lead_image_alt", "Stalls under awnings by the Niger river")
    # A reporter cannot choose "Published" or set a publication time.
    statuses = page.locator("#id_status option").all_inner_texts()
    assert "Published" not in statuses
    assert page.locator("#id_published_at_0").count() == 0
    # Topics typed with spaces only would be one new topic per word: the desk
    # asks, and keeps what was typed.
    page.fill("#id_tags", "Mali riverside traders")
    reporter.save()
    errors = page.locator(".errorlist").all_inner_texts()
    assert any("would make 3 topics, one per word" in error for error in errors)
    assert page.input_value("#id_dek") == "Traders return to the stalls by the river."
    assert page.input_value("#id_tags") == "Mali riverside traders"
    page.fill("#id_tags", "Gao, Mali")
    page.set_input_files("#id_lead_image", str(photo))  # a browser sends it again
    reporter.save()
    assert any("was added successfully" in m for m in reporter.messages()), (
        page.locator(".errornote, .errorlist").all_inner_texts()
    )
    story = Article.objects.get(slug="gaos-market-reopens-after-the-curfew-is-lifted")
    assert story.status == "draft"
    assert story.lead_image and story.lead_image_renditions["sizes"]
    assert f'href="story:{cited.pk}"' in story.body

    reporter.go("/admin/articles/article/")
    page.check(f"input[name=_selected_action][value='{story.pk}']")
    page.select_option("select[name=action]", "submit_for_review")
    page.click("button[name=index]")
    assert any("Submitted 1 story for review" in m for m in reporter.messages())
    assert reader.go(story.get_absolute_url()) == 404

    editor = desk("editor")
    editor.go("/admin/articles/article/")
    editor.page.click("text=Open the review queue")
    row = editor.page.locator("#result_list tr", has_text=story.headline)
    row.locator("input[name=_selected_action]").check()
    editor.page.select_option("select[name=action]", "publish_now")
    editor.page.click("button[name=index]")
    assert "Published 1 story." in editor.messages()

    assert reader.go(story.get_absolute_url()) == 200
    assert reader.page.locator("h1").inner_text() == story.headline
    link = reader.page.locator(".article__body a:has-text('the coup')")
    assert link.get_attribute("href") == cited.get_absolute_url()
    assert reader.page.locator("picture img").count() == 1


def test_reporter_cannot_publish_or_read_anyone_elses_work(desk, embargoed):
    reporter = desk("reporter")
    page = reporter.page
    own = demo_story("The Liptako-Gourma region in five questions")
    pk = embargoed.pk

    # Every desk route to the embargoed story is closed or silent.
    for path in [
        f"/admin/articles/article/{pk}/change/",
        f"/admin/articles/article/{pk}/history/",
        f"/admin/articles/article/{pk}/history/compare/?from=1&to=2",
        f"/admin/articles/article/{pk}/delete/",
        f"/preview/{pk}/",
        "/admin/articles/article/recover/",
        f"/articles/{embargoed.slug}/",
    ]:
        reporter.go(path)
        assert EMBARGOED not in page.content(), path
    reporter.go("/admin/articles/article/?q=cabinet")
    assert EMBARGOED not in page.content()

    # The story pickers do not offer it.
    reporter.open_story(own)
    page.click(".field-link_story .select2-selection")
    page.fill(".select2-dropdown .select2-search__field", "cabinet")
    page.wait_for_selector(".select2-results__message, .select2-results__option")
    assert EMBARGOED not in page.locator(".select2-results").inner_text()
    page.keyboard.press("Escape")

    # A story link typed by hand names it by number alone.
    own.body += f'<p><a href="story:{pk}">guess</a></p>'
    services.save_story(story=own)
    reporter.open_story(own)
    assert EMBARGOED not in page.content()
    assert f"story #{pk} (not public)" in page.content()

    # The reporter's own draft cannot be published from their desk.
    reporter.go("/admin/articles/article/")
    actions = page.locator("select[name=action] option").all_inner_texts()
    assert not any("Publish" in action for action in actions)
    own.refresh_from_db()
    assert own.status == "draft"
