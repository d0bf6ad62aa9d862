"""The seconds after a publish, under load: how many times each hot page is
rendered per change, and the p99 readers see meanwhile.

    python bench/stampede.py --database-url sqlite:///bench/.data/corpus-100000.sqlite3

gunicorn (WORKERS workers, the page cache in Redis) serves the hottest pages to
wrk (bench/stampede.lua, pages in turn, counting rendered answers) while a desk
process edits the newest story's standfirst every EVERY seconds, through the
same service the desk uses (taken down, published again, in turn): each change
moves home, the feed, its topics' pages and the topic counts. Run twice, side by
side: "before" without the levers (no single flight: PAGE_CACHE_RENDER_WAIT=0;
no prepared copies; topic statistics counted by every process after every
change: TOPIC_STATS_WAIT=0, no recorded changes), "after" with the defaults. An uncached run (page cache off, nothing
prepared, no edits) gives the p99 of rendering every answer under the same load.
"""

import argparse
import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import ROOT, django_env  # noqa: E402
from bench.load import BROWSER_ENCODING, parse_wrk  # noqa: E402
from bench.servers import Server, fetch  # noqa: E402

SCRIPT = Path(__file__).resolve().parent / "stampede.lua"
HOT = ["home", "article", "topic page 1", "topic index", "site feed"]
# The desk's changes: the second newest public story (the newest is the article
# page read) taken down and published again in
# turn, through the service every desk route saves with (its signals bump the
# generation and record keys). Each changes home, the feed, its topics' pages
# and the topic counts, as publishing a story does; the corpus keeps its size.
EDITOR = """
import sys, time
from articles import services
from articles.models import Article
every, until = float(sys.argv[1]), time.monotonic() + float(sys.argv[2])
story = Article.objects.published().order_by("-published_at")[1]
edits = 0
while time.monotonic() < until:
    time.sleep(every)
    story = Article.objects.get(pk=story.pk)
    story.status = Article.Status.DRAFT if edits % 2 == 0 else Article.Status.PUBLISHED
    services.save_story(story=story)
    edits += 1
if story.status != Article.Status.PUBLISHED:
    story.status = Article.Status.PUBLISHED
    services.save_story(story=story)
print(f"edits {edits}", flush=True)
"""


def log(message):
    print(message, flush=True)


def under_load(server, paths, *, seconds, connections, edit_every, database_url):
    """(p99 ms, renders, edits) of one loaded run with the desk editing."""
    editor = None
    if edit_every:
        editor = subprocess.Popen(
            [sys.executable, "-c", "import django; django.setup()\n" + EDITOR,
             str(edit_every), str(seconds - 0.5)],
            cwd=ROOT, stdout=subprocess.PIPE, text=True,
            env=django_env(database_url, **server.environment),
        )  # fmt: skip
    out = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency",
         "--timeout", "60s", "-H", BROWSER_ENCODING, "-s", str(SCRIPT),
         f"http://127.0.0.1:{server.port}{paths[0]}", "--", *paths],
        capture_output=True, text=True,
    ).stdout  # fmt: skip
    edits = 0
    if editor is not None:
        edits = int(re.search(r"edits (\d+)", editor.communicate()[0]).group(1))
    _, _, p99, errors = parse_wrk(out)
    renders = int(re.search(r"stampede.lua: renders (\d+)", out).group(1))
    return {"p99": p99, "renders": renders, "edits": edits, "errors": errors}


def measure(database_url, redis_url, urls, *, workers, seconds, connections, every):
    paths = [urls[label] for label in HOT]
    runs = {}
    plans = [
        ("uncached", 0, {"DJANGO_PREPARED_PAGE_SECONDS": "0"}, 0),
        ("before", 600, {"DJANGO_PAGE_CACHE_RENDER_WAIT": "0",
                         "DJANGO_PREPARED_PAGE_SECONDS": "0",
                         "DJANGO_TOPIC_STATS_WAIT": "0",
                         "DJANGO_EDGE_RECORD_CHANGES": "0"}, every),
        ("after", 600, {}, every),
    ]  # fmt: skip
    for label, cache_seconds, env, edit_every in plans:
        server = Server(
            database_url,
            redis_url=redis_url,
            cache_seconds=cache_seconds,
            workers=workers,
            env=env,
        )
        try:
            for path in paths * 2:  # warm: templates, copies, the page cache
                fetch(server.port, path)
            runs[label] = under_load(
                server, paths, seconds=seconds, connections=connections,
                edit_every=edit_every, database_url=database_url,
            )  # fmt: skip
        finally:
            server.stop()
        run = runs[label]
        if run["edits"]:
            run["renders_per_change"] = run["renders"] / (run["edits"] * len(paths))
        log(f"  {label}: {run}")
    return {
        "before": runs["before"],
        "after": runs["after"],
        "uncached_p99": runs["uncached"]["p99"],
        "pages": HOT,
        "workers": workers,
        "seconds": seconds,
        "connections": connections,
        "every": every,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/7")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--every", type=float, default=1.0)
    args = parser.parse_args()
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    os.environ["DATABASE_URL"] = args.database_url
    import django

    django.setup()
    urls = hot_urls()
    print(measure(args.database_url, args.redis_url, urls, workers=args.workers,
                  seconds=args.seconds, connections=args.connections,
                  every=args.every))  # fmt: skip


def hot_urls():
    """The hot pages on the corpus at DATABASE_URL (as bench/timings builds them)."""
    from articles import selectors
    from articles.models import Article

    story = Article.objects.published().order_by("-published_at").first()
    topic = selectors.topic_counts(limit=1)[0]
    return {
        "home": "/",
        "article": story.get_absolute_url(),
        "topic page 1": topic.get_absolute_url(),
        "topic index": "/topics/",
        "site feed": "/feed/",
    }


if __name__ == "__main__":
    main()
