"""The editor saves a demo story with a CDN in front (Fastly's purge API, stood in
for by a local server that fails the first call), and follows the purge in the
desk's purge log: pending with the provider's answer, then sent once retried."""

from django.core.management import call_command
from django.utils import timezone

from articles.tests.journeys.conftest import demo_story
from edge.models import Purge
from edge.tests.provider import Provider


def test_editor_follows_a_failed_purge_until_it_is_sent(desk, settings):
    with Provider() as cdn:
        settings.EDGE_PURGE_BACKEND = "fastly"
        settings.EDGE_FASTLY_URL = cdn.url
        settings.EDGE_FASTLY_SERVICE = "aes-service"
        settings.EDGE_FASTLY_TOKEN = "aes-token"
        cdn.answers = [(503, {"msg": "Service Unavailable"})]
        story = demo_story("Three Sahel juntas seal a mutual-defence pact")
        editor = desk("editor")

        editor.open_story(story)
        editor.page.fill("#id_dek", "Niamey, Bamako and Ouagadougou sign the pact.")
        editor.save()
        assert any("was changed successfully" in m for m in editor.messages())
        # One call for the change, naming the story's own key; Fastly said no.
        [call] = cdn.calls
        assert f"s{story.pk}" in call["json"]["surrogate_keys"]
        assert call["headers"]["fastly-key"] == "aes-token"

        assert editor.go("/admin/edge/purge/") == 200
        row = editor.page.locator("#result_list tbody tr").first
        assert "Pending" in row.inner_text()
        assert "503" in row.inner_text()
        assert f"s{story.pk}" in row.inner_text()

        # The retry is due (the clock's `send_purges` runs every few seconds).
        Purge.objects.update(next_attempt_at=timezone.now())
        call_command("send_purges", verbosity=0)
        assert len(cdn.calls) == 2

        editor.page.reload()
        row = editor.page.locator("#result_list tbody tr").first
        assert "Sent" in row.inner_text()
        assert editor.go("/admin/edge/purgecall/") == 200
        calls = editor.page.locator("#result_list tbody tr")
        assert calls.count() == 2
