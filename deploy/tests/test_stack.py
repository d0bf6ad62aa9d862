"""The stack end to end (deploy/stack.py): PostgreSQL, Redis, two gunicorn app
servers and Varnish, started as `make stack` starts them, on ports and a
database of the test's own. Readers go through Varnish; the desk is driven over
HTTP as the demo editor (the forms posted back as a browser would).
"""

import http.client
import json
import os
import secrets
import shutil
import signal
import statistics
import time
import urllib.request

import lxml.html
import pytest

from deploy import stack
from deploy.desk_client import (
    DeskSession,
    drop_database,
    form_errors,
    free_base_port,
    read,
    sql,
    varnish_stat,
)

if os.environ.get("DATABASE_URL"):
    pytest.skip(
        "the stack runs on PostgreSQL of its own; once per CI run (the SQLite pass)",
        allow_module_level=True,
    )
if shutil.which("varnishd") is None:
    pytest.skip(
        "varnishd is not installed (apt-get install varnish varnish-modules)",
        allow_module_level=True,
    )
if not stack.answers("127.0.0.1", 5432):
    pytest.skip("PostgreSQL does not answer on 127.0.0.1:5432", allow_module_level=True)

PUBLISHES = 20
HOT_STORY = "inside-the-aes-charter-mutual-defence-clause"
CHROMIUM = "/usr/bin/chromium"
HOT_READS = 10_000


@pytest.fixture(scope="module")
def running(tmp_path_factory):
    folder = tmp_path_factory.mktemp("stack")
    database = f"stack_test_{secrets.token_hex(4)}"
    the_stack = stack.Stack(folder, free_base_port(), database, redis_db=9)
    try:
        the_stack.start()
        yield the_stack
    finally:
        the_stack.stop()
        drop_database(database)


def test_a_desk_change_is_fresh_through_varnish_at_once(running):
    slug = HOT_STORY
    [(pk,)] = sql(running, "SELECT id FROM articles_article WHERE slug = %s", slug)
    page = f"/articles/{slug}/"
    assert read(running.port, page)[0] == 200
    assert read(running.port, page)[1].getheader("X-Cache") == "HIT"
    desk = DeskSession(running.port)
    change = f"/admin/articles/article/{pk}/change/"
    waits = []
    for round_number in range(PUBLISHES):
        dek = f"Round {round_number}: what the clause commits members to."
        status, _, answer = desk.submit(change, desk.get(change), dek=dek)
        assert "was changed successfully" in answer, form_errors(answer)
        saved = time.monotonic()
        while dek not in read(running.port, page)[2]:
            assert time.monotonic() - saved < 2, f"round {round_number}: still stale"
            time.sleep(0.01)
        waits.append(time.monotonic() - saved)
        assert read(running.port, page)[1].getheader("X-Cache") == "HIT"
    waits.sort()
    p99 = waits[min(len(waits) - 1, int(len(waits) * 0.99))]
    print(
        f"\npublish to fresh through Varnish over {PUBLISHES} desk saves: "
        f"median {statistics.median(waits) * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms"
    )
    purges = sql(running, "SELECT count(*) FROM edge_purge WHERE state = 'sent'")
    assert purges[0][0] >= PUBLISHES


def test_a_topic_change_refreshes_its_pages_and_leaves_home_cached(running):
    home_keys = read(running.app_ports[0], "/")[1].getheader("xkey").split()
    topics = sql(
        running,
        "SELECT t.id, t.slug FROM articles_topic t WHERE EXISTS (SELECT 1 FROM "
        "articles_taggedarticle a WHERE a.tag_id = t.id) ORDER BY t.id",
    )
    pk, slug = next((pk, s) for pk, s in topics if f"t{pk}" not in home_keys)
    for path in ["/", f"/topics/{slug}/"]:
        read(running.port, path)
        assert read(running.port, path)[1].getheader("X-Cache") == "HIT", path
    desk = DeskSession(running.port)
    change = f"/admin/articles/topic/{pk}/change/"
    description = "Freshly described by the desk."
    _, _, answer = desk.submit(change, desk.get(change), description=description)
    assert "was changed successfully" in answer, form_errors(answer)
    status, response, text = read(running.port, f"/topics/{slug}/")
    assert (status, response.getheader("X-Cache")) == (200, "MISS")
    assert description in text
    assert read(running.port, "/")[1].getheader("X-Cache") == "HIT"


def test_lead_images_come_from_the_object_store(running):
    store = stack.objectstore.running(running.store_dir)
    _, _, text = read(running.port, f"/articles/{HOT_STORY}/")
    images = lxml.html.fromstring(text).xpath("//picture//img/@src")
    assert images, "the demo story shows its lead image"
    assert images[0].startswith(store.public_url() + "/")
    with urllib.request.urlopen(images[0], timeout=30) as response:
        assert response.status == 200
        assert response.headers["Content-Type"] == "image/jpeg"
        assert "immutable" in response.headers["Cache-Control"]


def test_a_reader_s_browser_shows_the_lead_image_from_the_bucket(running):
    """In a real browser, through Varnish: the Content-Security-Policy lets the
    page load its picture from the object store, and nothing is blocked."""
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright is not installed"
    )
    if not shutil.which(CHROMIUM):
        pytest.skip(f"the browser check needs Debian's chromium at {CHROMIUM}")
    store = stack.objectstore.running(running.store_dir)
    page_url = f"http://127.0.0.1:{running.port}/articles/{HOT_STORY}/"
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu"],
        )
        try:
            page = browser.new_page()
            blocked = []
            page.on(
                "console",
                lambda message: (
                    "Content Security Policy" in message.text
                    and blocked.append(message.text)
                ),
            )
            assert page.goto(page_url).status == 200
            image = page.locator("picture img").first
            image.scroll_into_view_if_needed()
            page.wait_for_function(
                "image => image.complete && image.naturalWidth > 0",
                arg=image.element_handle(),
            )
            assert image.evaluate("image => image.currentSrc").startswith(
                store.public_url() + "/"
            )
            assert blocked == []
        finally:
            browser.close()


def test_ten_thousand_reads_of_a_hot_story_reach_the_origin_a_handful_of_times(
    running,
):
    page = f"/articles/{HOT_STORY}/"
    before = varnish_stat(running, "MAIN.backend_req")
    conn = http.client.HTTPConnection("127.0.0.1", running.port, timeout=30)
    statuses = set()
    for _ in range(HOT_READS):
        conn.request("GET", page)
        response = conn.getresponse()
        response.read()
        statuses.add(response.status)
    conn.close()
    origin = varnish_stat(running, "MAIN.backend_req") - before
    print(f"\n{HOT_READS} reads of a hot story: {origin} reached the origin")
    assert statuses == {200}
    assert origin <= 5


def test_with_both_app_servers_stopped_varnish_keeps_serving(running):
    paths = [
        "/",
        f"/articles/{HOT_STORY}/",
        "/topics/mali/",
    ]
    shown = {path: read(running.port, path)[2] for path in paths}
    pids = json.loads(running.state.read_text())
    for name, pid in pids.items():
        if name.startswith("app-"):
            os.killpg(pid, signal.SIGTERM)
    for port in running.app_ports:
        stack.wait_for(
            "app server down", lambda p=port: not stack.answers("127.0.0.1", p)
        )
    time.sleep(3)  # the probe marks both sick (window 3, threshold 2, every 1 s)
    for path in paths:
        status, response, text = read(running.port, path)
        assert status == 200, path
        assert text == shown[path]
    status, _, _ = read(running.port, "/topics/never-cached-here/")
    assert status == 503  # nothing to fall back on: Varnish says so, quickly
