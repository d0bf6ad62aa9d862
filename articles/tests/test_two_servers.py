"""Two real app servers sharing one PostgreSQL and one Redis stay consistent.

Publish through one gunicorn, read through the other: the very next request shows
the change. Runs when the suite itself is on PostgreSQL (the servers share its test
database) and Redis answers at TEST_REDIS_URL; skipped with the reason otherwise.
"""

import http.cookiejar
import os
import re
import secrets
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.db import connection

from articles.models import Article, Topic
from articles.tests.factories import ArticleFactory, signed
from bench.servers import Server

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/6")

# serialized_rollback: the flush after a transactional test would drop the roles
# the data migrations made; restore them for whatever runs next.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def redis_problem():
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except Exception as error:
        return f"Redis does not answer at {REDIS_URL} ({error})"
    return None


def start_servers(redis_url):
    if connection.vendor != "postgresql":
        pytest.skip(
            "two-server test needs the suite on PostgreSQL "
            "(DATABASE_URL=postgres://...), so both servers can share its database"
        )
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    url = f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    url += f"/{db['NAME']}"
    prefix = f"two-servers-{secrets.token_hex(4)}"
    started = []
    try:
        for _ in range(2):
            started.append(
                Server(
                    url,
                    redis_url=redis_url,
                    cache_seconds=600,
                    workers=1,
                    prefix=prefix,
                )
            )
        yield started
    finally:
        for server in started:
            server.stop()


@pytest.fixture
def servers(settings):
    if problem := redis_problem():
        pytest.skip(problem)
    for started in start_servers(REDIS_URL):
        # This process writes too, as a management command of the deployment
        # would: with the same cache settings, so its changes reach the mirror.
        settings.CACHES = {
            "default": {
                "BACKEND": "django_redis.cache.RedisCache",
                "LOCATION": REDIS_URL,
                "KEY_PREFIX": started[0].prefix,
            }
        }
        yield started


@pytest.fixture
def servers_without_redis():
    """Each server with its own local-memory cache, as one machine's workers are."""
    yield from start_servers(None)


def get(server, path):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{server.port}{path}") as r:
            return r.status, r.headers.get("X-Page-Cache"), r.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("X-Page-Cache"), error.read().decode()


class Desk:
    """An editor in the admin of one server, with a browser's cookie jar."""

    def __init__(self, server, username, password):
        self.base = f"http://127.0.0.1:{server.port}"
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        self.post(
            "/admin/login/?next=/admin/",
            {"username": username, "password": password, "next": "/admin/"},
        )

    def post(self, path, fields):
        form = self.opener.open(self.base + path).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)[1]
        data = urllib.parse.urlencode(
            {**fields, "csrfmiddlewaretoken": token}, doseq=True
        )
        with self.opener.open(self.base + path, data.encode()) as response:
            return response.status, response.read().decode()

    def action(self, name, story):
        return self.post(
            "/admin/articles/article/",
            {"action": name, "_selected_action": [story.pk], "index": "0"},
        )


def test_publish_on_one_server_read_on_the_other(servers, django_user_model, settings):
    desk_server, reader_server = servers
    # The servers run production settings: store the password the way they check it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    # A superuser: earlier transactional tests may have flushed the migrated groups.
    django_user_model.objects.create_superuser(
        "two-servers-ed", password="two-servers-pw-981"
    )
    ArticleFactory(headline="Already live in Bamako", topics=["Mali"])
    draft = ArticleFactory(
        draft=True, headline="Breaking from Niamey", topics=["Mali"], authors=signed()
    )
    url = draft.get_absolute_url()

    # The reader's server has cached the pages without the draft.
    for path in ["/", "/topics/mali/", url]:
        get(reader_server, path)
        status, cache_state, html = get(reader_server, path)
        assert cache_state == "hit", path
        assert "Breaking from Niamey" not in html
    assert get(reader_server, url)[0] == 404

    desk = Desk(desk_server, "two-servers-ed", "two-servers-pw-981")
    status, html = desk.action("publish_now", draft)
    assert "Published 1 story." in html

    # The very next request on the other server shows it everywhere.
    assert get(reader_server, url)[0] == 200
    assert "Breaking from Niamey" in get(reader_server, "/")[2]
    assert "Breaking from Niamey" in get(reader_server, "/topics/mali/")[2]
    assert get(reader_server, "/")[1] == "hit"  # and is cached again

    # An edit made anywhere else (here, this process) shows there too.
    story = Article.objects.get(pk=draft.pk)
    story.headline = "Breaking from Niamey, updated"
    story.save()
    assert "Breaking from Niamey, updated" in get(reader_server, url)[2]

    desk.action("unpublish", draft)
    assert get(reader_server, url)[0] == 404
    assert "Breaking from Niamey" not in get(reader_server, "/")[2]


def test_topic_names_and_counts_follow_on_servers_that_share_no_cache(
    servers_without_redis,
):
    first, second = servers_without_redis
    story = ArticleFactory(headline="Convoy reaches Ménaka", topics=["Sahel"])
    url = story.get_absolute_url()
    for server in servers_without_redis:  # both hold the topic map and counts
        assert "Sahel" in get(server, url)[2]
        assert "Sahel" in get(server, "/topics/")[2]

    topic = Topic.objects.get(name="Sahel")
    topic.name = "Central Sahel"
    topic.save()
    ArticleFactory(headline="Second convoy", topics=["Central Sahel"])

    for server in servers_without_redis:
        assert "Central Sahel" in get(server, url)[2]
        index = get(server, "/topics/")[2]
        row = re.search(r"Central Sahel</a>.*?(\d+)", index, re.S)
        assert row and row[1] == "2", index
