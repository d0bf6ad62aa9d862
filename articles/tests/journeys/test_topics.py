"""The demo editor looks after topics: names, facts, key dates, merges, health."""

from articles.models import Topic, TopicAlias, TopicMerge
from articles.tests.journeys.conftest import demo_story


def test_editor_adds_an_alias_a_fact_and_a_key_event(desk, reader):
    niamey = Topic.objects.get(name="Niamey")
    coup = demo_story("Explainer: how Niger’s July coup")
    editor = desk("editor")
    page = editor.page
    assert editor.go(f"/admin/articles/topic/{niamey.pk}/change/") == 200

    page.click("#aliases-group .add-row a")
    alias = page.locator("#aliases-group tr.dynamic-aliases").last
    alias.locator("input[name$='-name']").fill("Niamey city")
    alias.locator("select[name$='-language']").select_option("en")

    page.click("#facts-group .add-row a")
    fact = page.locator("#facts-group tr.dynamic-facts").last
    fact.locator("input[name$='-label']").fill("Population (estimate)")
    fact.locator("input[name$='-value']").fill("1.3 million")
    fact.locator("input[name$='-as_of']").fill("2023-01-01")
    fact.locator("input[name$='-source']").fill("National statistics institute")

    page.click("#events-group .add-row a")
    event = page.locator("#events-group tr.dynamic-events").last
    event.locator("input[name$='-date']").fill("2023-07-26")
    event.locator("input[name$='-text']").fill(
        "Soldiers detain the president in Niamey"
    )
    event.locator(".select2-selection").click()
    page.fill(".select2-dropdown .select2-search__field", "July coup")
    page.click(".select2-results__option:has-text('July coup')")
    editor.save()
    assert any("was changed successfully" in m for m in editor.messages()), (
        page.locator(".errornote, .errorlist").all_inner_texts()
    )
    assert TopicAlias.objects.filter(topic=niamey, name="Niamey city").exists()

    reader.go("/topics/niamey/")
    assert "1.3 million" in reader.page.locator(".fact-box").inner_text()
    reader.go("/topics/niamey/timeline/")
    entry = reader.page.locator("li, article", has_text="Soldiers detain the president")
    assert entry.first.locator(f"a[href='{coup.get_absolute_url()}']").count() == 1
    response = reader.page.request.get(
        f"{reader.base}/topics/niamey-city/", max_redirects=0
    )
    assert response.status == 301
    assert response.headers["location"].endswith("/topics/niamey/")


def test_editor_merges_two_topics_and_opens_topic_health(desk, reader):
    story = demo_story("Explainer: how Niger’s July coup")
    story.tags.add("Niamey (capital)")
    stray = Topic.objects.get(name="Niamey (capital)")
    niamey = Topic.objects.get(name="Niamey")
    editor = desk("editor")
    page = editor.page

    editor.go("/admin/articles/topic/")
    for topic in (stray, niamey):
        page.check(f"input[name=_selected_action][value='{topic.pk}']")
    page.select_option("select[name=action]", "merge_selected")
    page.click("button[name=index]")
    page.wait_for_selector("text=Keep which topic?")
    # Choosing the topic to keep recounts the preview for that choice.
    page.check(f"input[name=target][value='{stray.pk}']")
    page.wait_for_selector("input[name=confirm][value*='“Niamey (capital)”']")
    page.check(f"input[name=target][value='{niamey.pk}']")
    page.wait_for_selector("input[name=confirm][value*='“Niamey”']")
    page.click("input[name=confirm]")
    assert any(
        "Merged “Niamey (capital)” into “Niamey”" in m for m in editor.messages()
    )
    assert not Topic.objects.filter(pk=stray.pk).exists()
    assert TopicMerge.objects.get().merged_by.username == "editor"

    assert editor.go("/admin/articles/topicmerge/") == 200
    assert "Niamey (capital)" in page.locator("#result_list").inner_text()
    editor.go("/admin/articles/topic/")
    page.click("text=Topic health")
    page.wait_for_selector("h1:has-text('Topic health')")

    response = reader.page.request.get(
        f"{reader.base}/topics/{stray.slug}/", max_redirects=0
    )
    assert response.status == 301
