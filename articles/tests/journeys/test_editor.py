"""The demo editor's day on the demo newsroom, in a browser, with the page cache on."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from articles.models import Article, StoryNote
from articles.tests.journeys.conftest import demo_story

PACT = "Three Sahel juntas seal a mutual-defence pact"


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    # Readers go through the page cache, as in production: every change an
    # editor makes must reach them at once.
    settings.PAGE_CACHE_SECONDS = 600


def test_editor_edits_a_demo_story_with_an_image_and_readers_see_it(desk, reader):
    story = demo_story(PACT)
    assert story.lead_image, "the demo story carries a lead image"
    old_url = story.get_absolute_url()
    assert reader.go(old_url) == 200  # now cached for readers
    assert reader.go("/feed/") == 200
    editor = desk("editor")

    editor.open_story(story)
    page = editor.page
    page.fill("#id_headline", "Three Sahel juntas seal a mutual-defence pact in Bamako")
    page.fill(
        "#id_dek",
        "The charter binds Mali, Burkina Faso and Niger to defend one another.",
    )
    page.fill("#id_slug", "sahel-juntas-seal-pact-in-bamako")
    body = page.locator(".field-body [contenteditable=true]")
    # The browser's spell-check works in the body (the editor turns it off).
    assert body.evaluate("element => element.spellcheck") is True
    editor.add_paragraph_to_body("Diplomats called the signing ceremony unhurried.")
    tags = page.input_value("#id_tags")
    page.fill("#id_tags", f"{tags}, Ouagadougou")
    editor.save()
    assert any("was changed successfully" in m for m in editor.messages()), (
        editor.messages(),
        page.locator(".errornote, .errorlist").all_inner_texts(),
    )

    story.refresh_from_db()
    assert story.slug == "sahel-juntas-seal-pact-in-bamako"
    assert story.lead_image, "the image is still there"
    assert "unhurried" in story.body_text
    assert "Ouagadougou" in {topic.name for topic in story.tags.all()}

    # Readers: the new address, the old one redirecting, the feed and search.
    assert reader.go(old_url) == 200  # after the 301
    assert reader.page.url.endswith("/articles/sahel-juntas-seal-pact-in-bamako/")
    assert reader.page.locator("h1").inner_text() == story.headline
    assert "unhurried" in reader.page.locator(".article__body").inner_text()
    assert reader.page.locator(".article__dek").inner_text() == story.dek
    assert reader.page.locator("picture img, img").count() >= 1
    reader.go("/feed/")
    assert "seal a mutual-defence pact in Bamako" in reader.page.content()
    reader.go("/search/?q=unhurried")
    assert reader.page.locator("article a").first.inner_text() == story.headline
    reader.go("/topics/ouagadougou/")
    assert reader.page.locator(f"article a:has-text('{story.headline}')").count() == 1


def test_editor_adds_a_correction_and_readers_see_it(desk, reader):
    story = demo_story(PACT)
    assert reader.go("/corrections/") == 200
    editor = desk("editor")
    editor.open_story(story)
    page = editor.page
    page.click("#notes-group .add-row a")
    row = page.locator("#notes-group tr.dynamic-notes").last
    row.locator("select").select_option("correction")
    row.locator("textarea").fill("An earlier version misspelt the name of the town.")
    editor.save()
    assert any("was changed successfully" in m for m in editor.messages())
    note = StoryNote.objects.get(article=story, kind="correction")
    assert note.text == "An earlier version misspelt the name of the town."

    reader.go(story.get_absolute_url())
    assert "misspelt the name of the town" in reader.page.content()
    reader.go("/corrections/")
    assert reader.page.locator(f"a:has-text('{story.headline}')").count() >= 1
    assert "misspelt the name of the town" in reader.page.content()


def test_editor_unpublishes_deletes_and_recovers_a_story(desk, reader):
    story = demo_story("Goïta announces Sahel defence charter")
    correction = StoryNote.objects.get(article=story, kind="correction")
    url = story.get_absolute_url()
    assert reader.go(url) == 200
    editor = desk("editor")
    page = editor.page

    def act_on_the_story(action):
        editor.go("/admin/articles/article/")
        page.check(f"input[name=_selected_action][value='{story.pk}']")
        page.select_option("select[name=action]", action)
        page.click("button[name=index]")
        return editor.messages()

    assert "Unpublished 1 story; it is a draft again." in act_on_the_story("unpublish")
    assert reader.go(url) == 404
    assert "Published 1 story." in act_on_the_story("publish_now")
    assert reader.go(url) == 200

    editor.go(f"/admin/articles/article/{story.pk}/delete/")
    page.click("input[type=submit]")
    editor.messages()
    assert not Article.objects.filter(pk=story.pk).exists()
    assert reader.go(url) == 404

    editor.go("/admin/articles/article/")
    page.click("text=Recover deleted stories")
    page.locator("tr", has_text=story.headline).locator("a").first.click()
    # The page says what comes back, its correction included, and how.
    assert correction.text in page.locator("#content-main").inner_text()
    assert "It comes back as a draft" in page.content()
    page.check("input[name=republish]")
    page.click("text=Recover this story")
    editor.messages()
    recovered = Article.objects.get(pk=story.pk)
    assert recovered.is_published() and recovered.slug == story.slug
    assert recovered.lead_image.name == story.lead_image.name
    assert {t.name for t in recovered.tags.all()} == {t.name for t in story.tags.all()}
    assert reader.go(url) == 200
    assert correction.text in reader.page.locator("main").inner_text()


def test_editor_compares_and_restores_a_version(desk, reader):
    story = demo_story(PACT)
    url = story.get_absolute_url()
    editor = desk("editor")
    page = editor.page
    editor.open_story(story)
    page.fill("#id_headline", "Sahel juntas sign a pact (headline under revision)")
    editor.save()
    assert any("was changed successfully" in m for m in editor.messages())
    reader.go(url)
    assert "under revision" in reader.page.locator("h1").inner_text()

    editor.go(f"/admin/articles/article/{story.pk}/history/")
    page.click("text=Compare the two versions")
    headline_row = page.locator("tr", has_text="Headline")
    assert "revision)" in headline_row.locator("ins").all_inner_texts()
    assert "seal" in headline_row.locator("del").all_inner_texts()

    editor.go(f"/admin/articles/article/{story.pk}/history/")
    page.locator("#change-history tbody tr").nth(1).locator(
        "text=Review and restore"
    ).click()
    assert "Publication state: Published" in page.content()
    page.locator("button", has_text="Restore the version of").click()
    editor.messages()
    story.refresh_from_db()
    assert story.headline.startswith(PACT) and story.is_published()
    assert story.get_absolute_url() == url
    assert reader.go(url) == 200
    assert reader.page.locator("h1").inner_text() == story.headline


def test_editor_schedules_the_queued_story_and_it_appears_on_time(desk, reader):
    story = demo_story("From alliance to confederation")
    assert story.status == "review"
    url = story.get_absolute_url()
    editor = desk("editor")
    editor.go("/admin/articles/article/?state=review")
    editor.page.click(f"a:has-text('{story.headline}')")
    page = editor.page
    page.wait_for_selector(".field-body [contenteditable=true]")
    when = timezone.localtime() + timedelta(days=1)
    page.select_option("#id_status", "published")
    page.fill("#id_published_at_0", when.strftime("%Y-%m-%d"))
    page.fill("#id_published_at_1", "08:00:00")
    editor.save()
    assert any("was changed successfully" in m for m in editor.messages())
    story.refresh_from_db()
    assert story.state == "scheduled"
    assert reader.go(url) == 404
    reader.go("/")
    assert story.headline not in reader.page.content()

    going_live = story.published_at + timedelta(minutes=1)
    with time_machine.travel(going_live, tick=True):
        assert reader.go(url) == 200
        reader.go("/")
        assert reader.page.locator(f"article a:has-text('{story.headline}')").count()
