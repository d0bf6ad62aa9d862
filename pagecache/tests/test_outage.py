"""While the database does not answer: cached pages current when it was last
seen are served stale, anything else gets the 503 page, /healthz says so; and
all comes back by itself. The database really stops answering (faults.py)."""

import pytest
from django.db import connection

from pagecache import breaker, generation, health
from pagecache.tests.faults import DatabaseOutage
from pagecache.tests.site import state, warm

# Real commits, so the database can go away between requests.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def database(tmp_path):
    outage = DatabaseOutage(connection, tmp_path)
    yield outage
    outage.close()


def test_cached_pages_are_served_stale_and_the_rest_answers_503(
    reader, database, settings
):
    settings.DATABASE_BREAKER_SECONDS = 60  # no retry while the test runs
    warm(reader, "/page/", "/big/")
    cached = reader.get("/page/").content
    attempts = breaker.database.attempts
    with database.down():
        for _ in range(3):
            response = reader.get("/page/")
            assert (response.status_code, state(response)) == (200, "stale")
            assert response.content == cached
            assert state(reader.get("/big/")) == "stale"
        response = reader.get("/other/")  # never cached
        assert response.status_code == 503
        assert response["Retry-After"] == "30"
        assert response["Cache-Control"] == "no-store"
        assert "Back in a moment" in response.content.decode()
        assert health.health() == (503, "database: down\n")
        # The first request asked the database, once; the rest did not wait.
        assert breaker.database.attempts == attempts + 1

    settings.DATABASE_BREAKER_SECONDS = 0  # the breaker's rest is over
    assert health.health() == (200, "ok")
    assert reader.get("/other/").status_code == 200
    assert state(reader.get("/page/")) == "hit"
    assert not breaker.database.is_open


def test_a_page_from_before_a_change_is_never_served_stale(reader, database):
    warm(reader, "/page/")
    generation.bump()  # this process changed the content
    with database.down():
        assert reader.get("/page/").status_code == 503
