"""The purge log on the desk: editors read it, nobody edits it."""

import pytest

from edge.models import Purge, PurgeCall

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged():
    purge = Purge.objects.create(
        keys="home-en s42", reason="article 42 saved", attempts=2,
        state=Purge.State.SENT, answer="200 ok", backend="fastly",
    )  # fmt: skip
    PurgeCall.objects.create(backend="fastly", key_count=2, ok=True, answer="200 ok")
    return purge


def test_editors_read_the_purge_log(editor_client, logged):
    response = editor_client.get("/admin/edge/purge/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "home-en s42" in page and "article 42 saved" in page and "200 ok" in page
    assert editor_client.get("/admin/edge/purgecall/").status_code == 200
    detail = editor_client.get(f"/admin/edge/purge/{logged.pk}/change/")
    assert detail.status_code == 200
    assert 'name="_save"' not in detail.content.decode()  # read-only


def test_nobody_adds_changes_or_deletes_purges(admin_client, logged):
    assert admin_client.get("/admin/edge/purge/add/").status_code == 403
    response = admin_client.post(
        f"/admin/edge/purge/{logged.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 403
    assert Purge.objects.filter(pk=logged.pk).exists()


def test_reporters_do_not_see_it(reporter_client, logged):
    assert reporter_client.get("/admin/edge/purge/").status_code == 403
