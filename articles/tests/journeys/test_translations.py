"""The demo editor translates a demo story into French, keeps it fresh and carries a
correction across languages, in a browser; a reader sees what the desk did."""

import re

from articles.models import Article
from articles.tests.journeys.conftest import demo_story

PACT = "Three Sahel juntas seal a mutual-defence pact"
# The demo French translation that waits for its source's correction (demo/content_fr.py).
DEMO_PENDING = "Assimi Goïta annonce sur X"


def test_editor_translates_keeps_fresh_and_carries_a_correction(desk, reader):
    story = demo_story(PACT)
    editor = desk("editor")
    page = editor.page

    # Translate into French: a linked draft, prefilled, owned by the editor.
    editor.open_story(story)
    page.click("button:has-text('Translate into French')")
    assert any("French draft to translate" in m for m in editor.messages())
    french = Article.objects.get(translation_of=story)
    assert french.language == "fr" and french.status == Article.Status.DRAFT
    assert page.url.endswith(f"/admin/articles/article/{french.pk}/change/")
    assert "Up to date" in page.locator(".field-translations_panel").inner_text()

    # The translator's work, then publication.
    page.wait_for_selector(".field-body [contenteditable=true]")
    page.fill("#id_headline", "Trois juntes sahéliennes scellent un pacte de défense")
    page.fill("#id_dek", "Le Mali, le Burkina Faso et le Niger se promettent secours.")
    editor.add_paragraph_to_body("Les diplomates ont salué une cérémonie sans hâte.")
    page.select_option("#id_status", "published")
    editor.save()
    assert any("was changed successfully" in m for m in editor.messages()), (
        page.locator(".errornote, .errorlist").all_inner_texts()
    )
    french.refresh_from_db()
    assert french.is_published()
    assert reader.go(french.get_absolute_url()) == 200
    assert reader.page.locator("h1").inner_text() == french.headline

    # The English source changes: the French one says by how much.
    editor.open_story(story)
    editor.add_paragraph_to_body("Officials in Niamey confirmed the pact on Monday.")
    editor.save()
    assert any("was changed successfully" in m for m in editor.messages())
    editor.open_story(french)
    panel = page.locator(".field-translations_panel")
    words = re.search(r"Source changed since: (\d+) words", panel.inner_text())
    assert words and int(words.group(1)) == 8, panel.inner_text()

    # The word-by-word comparison of the source between the two versions.
    panel.locator("a:has-text('See what changed')").click()
    page.wait_for_load_state()
    assert "/history/compare/" in page.url
    assert "confirmed the pact on Monday" in page.locator("ins").all_inner_texts()[-1]

    # Mark as up to date.
    editor.open_story(french)
    page.click("button:has-text('Mark as up to date')")
    assert any("Marked as up to date" in m for m in editor.messages())
    assert "Up to date" in page.locator(".field-translations_panel").inner_text()

    # A correction on the English story: the French page says so, the desk lists it.
    editor.open_story(story)
    page.click("#notes-group .add-row a")
    row = page.locator("#notes-group tr.dynamic-notes").last
    row.locator("select").select_option("correction")
    row.locator("textarea").fill("An earlier version gave the wrong day.")
    editor.save()
    assert any("was changed successfully" in m for m in editor.messages())
    reader.go(french.get_absolute_url())
    notice = reader.page.locator(".article__correction-pending")
    assert notice.count() == 1
    notice.locator("a").click()
    reader.page.wait_for_load_state()
    assert reader.page.url.split("#")[0].endswith(story.get_absolute_url())
    assert (
        "wrong day" in reader.page.locator(".story-note--correction").first.inner_text()
    )

    # Listed with the demo's own translation still waiting for its correction.
    waiting = demo_story(DEMO_PENDING).headline
    editor.go("/admin/articles/article/?correction_pending=yes")
    listed = page.locator("#result_list tbody tr").all_inner_texts()
    assert len(listed) == 2, listed
    assert [row for row in listed if french.headline in row], listed
    assert [row for row in listed if waiting in row], listed

    # The matching note in French: the notice is gone.
    editor.open_story(french)
    assert (
        "Correction pending" in page.locator(".field-translations_panel").inner_text()
    )
    page.click("#notes-group .add-row a")
    row = page.locator("#notes-group tr.dynamic-notes").last
    row.locator("select").select_option("correction")
    row.locator("textarea").fill("Une version précédente se trompait de jour.")
    editor.save()
    assert any("was changed successfully" in m for m in editor.messages())
    reader.go(french.get_absolute_url())
    assert reader.page.locator(".article__correction-pending").count() == 0
    editor.go("/admin/articles/article/?correction_pending=yes")
    listed = page.locator("#result_list tbody tr").all_inner_texts()
    assert len(listed) == 1 and waiting in listed[0], listed
