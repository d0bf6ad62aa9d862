"""The edge figures: the stack (deploy/stack.py) on ports and a database of its
own, read through Varnish with wrk while the desk publishes over HTTP.

    python bench/edge.py                      # writes bench/edge.json and the
                                              # "Edge caching" section of RESULTS.md
    python bench/edge.py --publishes 10 --seconds 3 --results /tmp/r.md --json /tmp/e.json

`make bench` (bench/run.py) runs it after the rest when varnishd and PostgreSQL
are there, and says why not otherwise. What it measures:

1. Hit ratio and origin requests per 10,000 reads: wrk through Varnish on a read
   mix (home in both editions, the newest stories weighted as a spike weighs
   them, topic pages, feeds), from a cold Varnish; then the same mix again while
   the desk publishes (varnishstat: MAIN.cache_hit, cache_miss, client_req,
   backend_req).
2. Publish to fresh: the demo editor unpublishes a story and publishes it again
   with a new dek through the desk (the forms posted back, deploy/desk_client.py);
   the time from the publishing save's answer until Varnish serves the new dek.
3. Purges per publish: edge_purge rows and edge_purgecall calls (and keys, and
   objects Varnish dropped) per publishing save, from the stack's database.
4. What each tier costs per request: CPU of the serving processes' group
   (/proc, user + system) per answer, wrk's p50, and database queries per answer
   (pg_stat_database.xact_commit: Django runs each query in its own transaction
   outside atomic blocks): a Varnish hit, an app server's page-cache hit, an
   uncached render (a third app server with the page cache off), a purge call.
5. Storage: database bytes per story, media bytes per lead image, gzipped page
   sizes. bench/simulate.py scales all of it up.
"""

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.load import BROWSER_ENCODING, SCRIPT, parse_wrk, wrk_version  # noqa: E402
from deploy import stack as stacks  # noqa: E402
from deploy.desk_client import (  # noqa: E402
    DeskSession,
    drop_database,
    form_errors,
    free_base_port,
    read,
    sql,
    varnish_stat,
)

ROOT = Path(__file__).resolve().parents[1]
REDIS_DB = 13
COUNTERS = ["MAIN.client_req", "MAIN.cache_hit", "MAIN.cache_miss",
            "MAIN.backend_req"]  # fmt: skip
TICKS = os.sysconf("SC_CLK_TCK")


def log(message):
    print(message, flush=True)


def unavailable():
    """Why the edge bench cannot run here, or None."""
    if shutil.which("varnishd") is None:
        return "varnishd is not installed (apt-get install varnish varnish-modules)"
    if shutil.which("wrk") is None:
        return "wrk is not installed (apt-get install wrk)"
    if not stacks.answers("127.0.0.1", 5432):
        return "PostgreSQL does not answer on 127.0.0.1:5432"
    return None


# -- measuring ------------------------------------------------------------------


def group_cpu_seconds(pgid):
    """User + system CPU of every live process in process group `pgid`."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # pgrp; utime and stime are 12 and 13 on
            total += int(fields[11]) + int(fields[12])
    return total / TICKS


def transactions(the_stack):
    """The stack database's committed transactions (one per query outside atomic
    blocks). Statistics reach the view when a backend's transaction ends, within
    a second."""
    time.sleep(1.2)
    return sql(
        the_stack,
        "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()",
    )[0][0]


def wrk_command(port, paths, seconds, connections):
    return ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency",
            "--timeout", "30s", "-H", BROWSER_ENCODING, "-s", str(SCRIPT),
            f"http://127.0.0.1:{port}{paths[0]}", "--", "0", *paths]  # fmt: skip


def wrk(port, paths, *, seconds, connections):
    """{rps, p50, p99, errors, requests} of a timed wrk run taking `paths` in turn."""
    out = subprocess.run(
        wrk_command(port, paths, seconds, connections), capture_output=True, text=True
    ).stdout
    return wrk_figures(out)


def wrk_figures(out):
    rps, p50, p99, errors = parse_wrk(out)
    answered = re.search(r"(\d+) requests in ", out)
    return {"rps": rps, "p50_ms": p50, "p99_ms": p99, "errors": errors,
            "requests": int(answered.group(1)) if answered else 0}  # fmt: skip


def per_request(cpu, requests):
    return round(cpu * 1000 / requests, 4) if requests else None


def tier(the_stack, port, pgid, paths, *, seconds, connections):
    """What `port` costs per answer on `paths`: CPU ms of `pgid`'s processes,
    queries, wrk's latency."""
    for path in paths:  # warm
        read(port, path)
    xacts, cpu = transactions(the_stack), group_cpu_seconds(pgid)
    run = wrk(port, paths, seconds=seconds, connections=connections)
    cpu = group_cpu_seconds(pgid) - cpu
    xacts = transactions(the_stack) - xacts
    run.update(cpu_ms=per_request(cpu, run["requests"]),
               queries=round(xacts / run["requests"], 3) if run["requests"] else None)  # fmt: skip
    return run


def read_mix(the_stack):
    """The addresses readers ask for, weighted by repetition: a breaking story
    first, the front pages, the newest stories, topic pages and feeds."""
    stories = [s for (s,) in sql(the_stack,
        "SELECT slug FROM articles_article WHERE status = 'published' "
        "ORDER BY published_at DESC LIMIT 8")]  # fmt: skip
    topics = [t for (t,) in sql(the_stack,
        "SELECT t.slug FROM articles_topic t JOIN articles_taggedarticle a "
        "ON a.tag_id = t.id GROUP BY t.slug ORDER BY count(*) DESC LIMIT 4")]  # fmt: skip
    weights = [8, 4, 3, 2, 1, 1, 1, 1]
    mix = [f"/articles/{s}/" for s, w in zip(stories, weights, strict=False)
           for _ in range(w)]  # fmt: skip
    mix += ["/"] * 6 + ["/fr/"] * 2 + ["/feed/"] * 2 + ["/topics/"]
    mix += [f"/topics/{t}/" for t in topics] + [f"/topics/{topics[0]}/feed/"]
    # Interleave so that no address comes twice in a row.
    return [mix[i] for i in sorted(range(len(mix)), key=lambda i: (i * 7) % len(mix))]


def counters(the_stack):
    return varnish_stat(the_stack, *COUNTERS)


def ratio_figures(before, after, run):
    delta = {k.split(".")[1]: after[k] - before[k] for k in COUNTERS}
    looked_up = delta["cache_hit"] + delta["cache_miss"]
    return {
        **run,
        "client_requests": delta["client_req"],
        "hits": delta["cache_hit"],
        "misses": delta["cache_miss"],
        "origin_requests": delta["backend_req"],
        "hit_ratio": round(delta["cache_hit"] / looked_up, 5) if looked_up else None,
        "origin_per_10k": round(delta["backend_req"] * 10_000 / delta["client_req"], 2)
        if delta["client_req"]
        else None,
    }


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def publishes(the_stack, count):
    """Unpublish and publish again through the desk, `count` times, rotating over
    the newest stories but the breaking one; the time each publish takes to show
    through Varnish, and what it purged."""
    stories = sql(the_stack,
        "SELECT id, slug FROM articles_article WHERE status = 'published' "
        "AND language = 'en' ORDER BY published_at DESC LIMIT 5 OFFSET 1")  # fmt: skip
    desk = DeskSession(the_stack.port)
    waits, rows, calls, keys, dropped = [], [], [], [], []
    for number in range(count):
        pk, slug = stories[number % len(stories)]
        change, page = f"/admin/articles/article/{pk}/change/", f"/articles/{slug}/"
        _, _, answer = desk.submit(change, desk.get(change), status="draft")
        if "was changed successfully" not in answer:
            raise SystemExit(f"unpublishing failed: {form_errors(answer)}")
        dek = f"Update {number}: {secrets.token_hex(4)}."
        form = desk.get(change)
        [(last_purge,)] = sql(the_stack, "SELECT coalesce(max(id), 0) FROM edge_purge")
        [(last_call,)] = sql(
            the_stack, "SELECT coalesce(max(id), 0) FROM edge_purgecall"
        )
        _, _, answer = desk.submit(change, form, status="published", dek=dek)
        saved = time.monotonic()
        if "was changed successfully" not in answer:
            raise SystemExit(f"publishing failed: {form_errors(answer)}")
        while dek not in read(the_stack.port, page)[2]:
            if time.monotonic() - saved > 30:
                raise SystemExit(f"publish {number}: {page} still stale after 30 s")
            time.sleep(0.005)
        waits.append(time.monotonic() - saved)
        new = sql(the_stack, "SELECT keys, answer FROM edge_purge WHERE id > %s",
                  last_purge)  # fmt: skip
        rows.append(len(new))
        keys.append(sum(len(k.split()) for k, _ in new))
        dropped.append(sum(int(n) for _, a in new
                           for n in re.findall(r"<p>Purged (\d+)</p>", a)))  # fmt: skip
        [(made,)] = sql(
            the_stack, "SELECT count(*) FROM edge_purgecall WHERE id > %s", last_call
        )
        calls.append(made)
    ms = [w * 1000 for w in waits]
    return {
        "publishes": count,
        "fresh_p50_ms": round(statistics.median(ms), 1),
        "fresh_p99_ms": round(percentile(ms, 0.99), 1),
        "fresh_max_ms": round(max(ms), 1),
        "purge_rows_per_publish": round(statistics.mean(rows), 2),
        "purge_calls_per_publish": round(statistics.mean(calls), 2),
        "keys_per_publish": round(statistics.mean(keys), 1),
        "objects_dropped_per_publish": round(statistics.mean(dropped), 1),
    }


def purge_calls(the_stack, count=200):
    """A purge call straight to Varnish: wall ms and Varnish CPU ms per call, keys
    that name nothing cached (the call's own cost, not the refetches)."""
    keys = " ".join(f"s{900000 + i}" for i in range(14))
    pgid = json.loads(the_stack.state.read_text())["varnish"]
    cpu, started = group_cpu_seconds(pgid), time.monotonic()
    for _ in range(count):
        request = urllib.request.Request(
            f"http://127.0.0.1:{the_stack.port}/", method="PURGE",
            headers={"xkey-purge": keys})  # fmt: skip
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
    return {"wall_ms": round((time.monotonic() - started) * 1000 / count, 3),
            "cpu_ms": per_request(group_cpu_seconds(pgid) - cpu, count),
            "keys": 14}  # fmt: skip


def storage(the_stack, paths):
    [(stories, images, row)] = sql(the_stack,
        "SELECT count(*), count(nullif(lead_image, '')), avg(pg_column_size(a.*)) "
        "FROM articles_article a")  # fmt: skip
    [(db_bytes,)] = sql(the_stack,
        "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c JOIN "
        "pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' "
        "AND c.relkind = 'r' AND c.relname LIKE 'articles_%%'")  # fmt: skip
    media = sum(f.stat().st_size for f in the_stack.store_dir.rglob("*")
                if f.is_file() and ".dat" in f.name)  # fmt: skip
    sizes = []
    for path in sorted(set(paths)):
        request = urllib.request.Request(
            f"http://127.0.0.1:{the_stack.port}{path}",
            headers={"Accept-Encoding": "gzip"})  # fmt: skip
        with urllib.request.urlopen(request, timeout=30) as response:
            sizes.append(len(response.read()))
    return {"stories": stories, "db_bytes_per_story": int(db_bytes / stories),
            "row_bytes_per_story": int(row),
            "media_bytes_per_image": int(media / images) if images else None,
            "page_gzip_bytes": int(statistics.mean(sizes))}  # fmt: skip


# -- the run --------------------------------------------------------------------


def run(*, publish_count=50, seconds=10, connections=4):
    """Start a stack, measure, stop it; the figures as a dict."""
    folder = Path(tempfile.mkdtemp(prefix="edge-bench-"))
    database = f"bench_edge_{secrets.token_hex(4)}"
    the_stack = stacks.Stack(folder, free_base_port(), database, REDIS_DB)
    started = time.monotonic()
    try:
        the_stack.start()
        return measure(the_stack, publish_count, seconds, connections, started)
    finally:
        the_stack.stop()
        drop_database(database)
        shutil.rmtree(folder, ignore_errors=True)


def measure(the_stack, publish_count, seconds, connections, started):
    mix = read_mix(the_stack)
    pids = json.loads(the_stack.state.read_text())
    log(f"  read mix: {len(mix)} requests over {len(set(mix))} addresses, "
        f"{seconds} s, {connections} connections")  # fmt: skip
    before = counters(the_stack)
    steady = wrk(the_stack.port, mix, seconds=seconds, connections=connections)
    steady = ratio_figures(before, counters(the_stack), steady)
    log(f"  steady: hit ratio {steady['hit_ratio']}, "
        f"{steady['origin_per_10k']} origin requests per 10,000 reads")  # fmt: skip

    log(f"  {publish_count} desk publishes while the mix is read (2 connections)")
    before = counters(the_stack)
    background = subprocess.Popen(
        wrk_command(the_stack.port, mix, 3600, 2), stdout=subprocess.PIPE, text=True
    )
    try:
        published = publishes(the_stack, publish_count)
    finally:
        background.send_signal(signal.SIGINT)
        out = background.communicate(timeout=60)[0]
    during = ratio_figures(before, counters(the_stack), wrk_figures(out))
    log(f"  publishing: hit ratio {during['hit_ratio']}, "
        f"{during['origin_per_10k']} origin requests per 10,000 reads; "
        f"fresh p50 {published['fresh_p50_ms']} ms, p99 {published['fresh_p99_ms']} ms; "
        f"{published['purge_rows_per_publish']} purge rows and "
        f"{published['purge_calls_per_publish']} calls per publish")  # fmt: skip

    log("  what each tier costs per request")
    hot = [mix[0]]
    tiers = {"varnish_hit": tier(the_stack, the_stack.port, pids["varnish"], hot,
                                 seconds=max(1, seconds // 2), connections=connections)}  # fmt: skip
    app = the_stack.app_ports[0]
    tiers["origin_page_cache_hit"] = tier(the_stack, app, pids[f"app-{app}"], hot,
        seconds=max(1, seconds // 2), connections=connections)  # fmt: skip
    port = free_base_port()
    env = dict(the_stack.env(), DJANGO_PAGE_CACHE_SECONDS="0")
    renderer = the_stack.spawn("renderer", [sys.executable, "-m", "gunicorn",
        "newsroom.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"], env=env)  # fmt: skip
    try:
        stacks.wait_for("the uncached app server", lambda: stacks.healthy(port))
        tiers["origin_render"] = tier(the_stack, port, renderer, sorted(set(mix)),
            seconds=seconds, connections=2)  # fmt: skip
    finally:
        stacks.stop_process(renderer)
    tiers["purge_call"] = purge_calls(the_stack)
    for name, figures in tiers.items():
        log(f"    {name:22} {figures}")
    return {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "wrk": wrk_version(),
        "read_mix": {
            "addresses": sorted(set(mix)),
            "requests_per_turn": len(mix),
            "connections": connections,
            "seconds": seconds,
        },  # fmt: skip
        "steady": steady,
        "publishing": during,
        "publish": published,
        "tiers": tiers,
        "storage": storage(the_stack, mix),
        "seconds": round(time.monotonic() - started),
    }


def main(argv=None):
    from bench.report import edge_section, replace_section

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--publishes", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=10, help="per wrk run")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--json", default=str(ROOT / "bench" / "edge.json"))
    parser.add_argument("--results", default=str(ROOT / "bench" / "RESULTS.md"))
    args = parser.parse_args(argv)
    reason = unavailable()
    if reason:
        log(f"edge bench not run: {reason}")
        return 1
    edge = run(publish_count=args.publishes, seconds=args.seconds,
               connections=args.connections)  # fmt: skip
    edge["command"] = " ".join(["python bench/edge.py", *(argv or sys.argv[1:])])
    Path(args.json).write_text(json.dumps(edge, indent=2) + "\n")
    replace_section(args.results, edge_section(edge))
    log(f"edge hit_ratio={edge['steady']['hit_ratio']} "
        f"fresh_p99_ms={edge['publish']['fresh_p99_ms']} json={args.json}")  # fmt: skip
    return 0


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("bench/edge.py: terminated"))
    sys.exit(main())
