"""Pages prepared ahead (prepared/) in the demo newsroom: a reader's second visit
is answered from the page's copy, and every change the editor makes in the desk
to what that page shows reaches the reader on the next visit, with the page
cache off so that every visit reaches the copies."""

import pytest

from articles.models import Article
from articles.tests.journeys.conftest import demo_story

PACT = "Three Sahel juntas seal a mutual-defence pact"


@pytest.fixture(autouse=True)
def copies_only(settings):
    settings.PAGE_CACHE_SECONDS = 0
    settings.PREPARED_PAGE_SECONDS = 3600


def visit(reader, path):
    response = reader.page.goto(f"{reader.base}{path}")
    return response.status, response.headers.get("x-prepared")


def related_headlines(reader):
    return reader.page.locator("#related-stories li a").all_inner_texts()


def test_the_editor_changes_a_story_shown_on_another_page_and_readers_see_it(
    desk, reader
):
    story = demo_story(PACT)
    page = story.get_absolute_url()
    assert visit(reader, page) == (200, "miss")
    related = related_headlines(reader)
    assert related, "the demo story has related stories"
    shown = Article.objects.get(headline=related[0])
    assert visit(reader, page) == (200, "hit")
    assert visit(reader, "/") == (200, "miss")
    assert visit(reader, "/") == (200, "hit")

    editor = desk("editor")
    editor.open_story(shown)
    editor.page.fill("#id_headline", f"{shown.headline}, the desk corrects")
    editor.save()
    assert any("was changed successfully" in m for m in editor.messages())

    # The story page shows the related story's new headline: rendered again.
    assert visit(reader, page) == (200, "miss")
    assert related_headlines(reader)[0] == f"{shown.headline}, the desk corrects"
    assert visit(reader, page) == (200, "hit")
    assert f"{shown.headline}, the desk corrects" in reader.page.content()

    # Taken down: gone from the related list and home at once, its page a 404.
    editor.open_story(shown)
    editor.page.select_option("#id_status", "draft")
    editor.save()
    assert any("was changed successfully" in m for m in editor.messages())
    assert visit(reader, page)[0] == 200
    assert f"{shown.headline}, the desk corrects" not in related_headlines(reader)
    assert visit(reader, "/")[0] == 200
    assert shown.slug not in reader.page.content()
    assert visit(reader, shown.get_absolute_url())[0] == 404


def test_a_story_edited_elsewhere_leaves_this_page_s_copy(desk, reader):
    """Only what the page shows counts: a story the related list weighed and
    left out is not on it."""
    story = demo_story(PACT)
    assert visit(reader, story.get_absolute_url()) == (200, "miss")
    related = set(related_headlines(reader))
    elsewhere = (
        Article.objects.published()
        .exclude(pk=story.pk)
        .exclude(headline__in=related)
        .exclude(translation_of=story)
        .exclude(pk=story.translation_of_id or 0)
        .first()
    )
    editor = desk("editor")
    editor.open_story(elsewhere)
    editor.page.fill("#id_dek", "A standfirst the desk rewrote.")
    editor.save()
    assert any("was changed successfully" in m for m in editor.messages())
    assert visit(reader, story.get_absolute_url()) == (200, "hit")
