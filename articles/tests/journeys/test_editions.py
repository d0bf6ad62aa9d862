"""Each edition's topic counts follow the desk at once: the demo editor writes a
French story under a topic and publishes it, takes an existing English demo story
down and puts it back; readers of each edition see the topic's count and page
change on their next visit (the tagging rows' copy of each story's window and
language, articles.window_schema; the topic statistics, articles.topics)."""

import re

from articles.models import Article, Topic


def topic_count(reader, edition, topic):
    """The count the edition's topic index shows for `topic` (0 when unlisted)."""
    assert reader.go(f"{edition}/topics/") == 200
    link = reader.page.locator(f"main a[href='{edition}{topic.get_absolute_url()}']")
    if not link.count():
        return 0
    count = link.locator("xpath=..").locator(".count").inner_text()
    return int(re.sub(r"\D", "", count))


def test_editor_publishes_in_french_and_takes_an_english_story_down(desk, reader):
    story = (
        Article.objects.published()
        .filter(language="en")
        .exclude(tags=None)
        .order_by("-published_at")
        .first()
    )
    topic = story.tags.order_by("name").first()
    english, french = topic_count(reader, "", topic), topic_count(reader, "/fr", topic)
    assert english >= 1

    # A new story in French, under the same topic, published now.
    editor = desk("editor")
    page = editor.page
    editor.go("/admin/articles/article/add/")
    page.fill("#id_headline", "Les marchés de Gao rouvrent après le couvre-feu")
    page.locator("#id_headline").blur()
    page.fill("#id_dek", "Les commerçants reviennent au bord du fleuve.")
    page.locator(".field-body [contenteditable=true]").click()
    page.keyboard.type("Les commerçants sont revenus à l'aube.")
    page.select_option("#id_language", "fr")
    page.fill("#id_tags", f"{topic.name}, Gao")
    page.click(".field-authors .select2-selection")
    page.fill(".field-authors .select2-search__field", "Aminata")
    page.click(".select2-results__option:has-text('Aminata')")
    page.select_option("#id_status", "published")
    editor.save()
    assert any("was added successfully" in m for m in editor.messages()), page.locator(
        ".errornote, .errorlist"
    ).all_inner_texts()
    written = Article.objects.get(headline__startswith="Les marchés de Gao")
    assert written.language == "fr" and written.is_published()
    assert topic_count(reader, "/fr", topic) == french + 1
    assert topic_count(reader, "", topic) == english
    assert reader.go(f"/fr{topic.get_absolute_url()}") == 200
    assert written.headline in reader.page.locator("main").inner_text()

    # An existing English story taken down, then put back.
    editor.open_story(story)
    page.select_option("#id_status", "draft")
    editor.save()
    assert any("was changed successfully" in m for m in editor.messages())
    assert topic_count(reader, "", topic) == english - 1
    editor.open_story(story)
    page.select_option("#id_status", "published")
    editor.save()
    assert any("was changed successfully" in m for m in editor.messages())
    assert topic_count(reader, "", topic) == english
    assert topic_count(reader, "/fr", topic) == french + 1
    assert Topic.objects.filter(name=topic.name).count() == 1
    assert editor.errors == [] and reader.errors == []
