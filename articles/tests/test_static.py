"""Static files work before and after `collectstatic`, with debug off."""

import pytest
from django.core.management import call_command

from newsroom.storage import StaticStorage

pytestmark = pytest.mark.django_db


def test_pages_work_before_collectstatic(client, settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "never-collected"
    page = client.get("/").content.decode()
    assert 'href="/static/css/site.css"' in page
    response = client.get("/static/css/site.css")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).strip()


def test_collected_files_get_hashed_names(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    call_command("collectstatic", interactive=False, verbosity=0)
    url = StaticStorage(location=settings.STATIC_ROOT).url("css/site.css")
    assert url.startswith("/static/css/site.") and url.endswith(".css")
    assert url != "/static/css/site.css"
    assert (
        (settings.STATIC_ROOT / url.removeprefix("/static/"))
        .with_suffix(".css.gz")
        .exists()
    )
