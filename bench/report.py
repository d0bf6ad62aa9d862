"""bench/RESULTS.md: the machine and versions, the graded targets, then every
figure behind them, table by table."""

import os
import platform
import re
import sqlite3
import time
from importlib.metadata import version
from pathlib import Path

import django

from .corpus import maintenance_dsn
from .figures import figure, ratio
from .images import outcome
from .load import ROUNDS, wrk_version
from .page_list import PAGES


def versions(databases, redis_url):
    lines = {
        "Python": platform.python_version(),
        "Django": django.get_version(),
        "gunicorn": version("gunicorn"),
        "pytest-benchmark": version("pytest-benchmark"),
        "SQLite": sqlite3.sqlite_version,
    }
    for database in databases:
        if database.vendor == "postgresql":
            import psycopg

            with psycopg.connect(maintenance_dsn(database.base_url)) as conn:
                lines["PostgreSQL"] = conn.execute("SHOW server_version").fetchone()[0]
    if redis_url:
        import redis

        lines["Redis"] = redis.Redis.from_url(redis_url).info()["redis_version"]
    lines["wrk"] = wrk_version()
    return lines


def machine():
    cpu = "?"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        match = re.search(r"model name\s*:\s*(.+)", cpuinfo.read_text())
        cpu = match.group(1).strip() if match else cpu
    mem = "?"
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kb = int(re.search(r"MemTotal:\s+(\d+)", meminfo.read_text()).group(1))
        mem = f"{kb / 1024 / 1024:.1f} GiB"
    return (
        f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} CPUs, {mem}"
    )


def cpu_seconds():
    """How fast this shared machine runs Python now: a fixed loop (10^7 additions),
    the fastest of three timings. The in-process figures are absolute times, and
    on these machines the same code measured half as fast again an hour later;
    the report gives this beside them, taken before and after."""
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        total = 0
        for number in range(10_000_000):
            total += number
        timings.append(time.perf_counter() - started)
    return min(timings)


def verdict(ok):
    return "**met**" if ok else "**NOT met**"


def load_method(a):
    rounds = (
        f"{ROUNDS} rounds of {a.round_requests} answers"
        if a.round_requests
        else f"{ROUNDS} rounds of {max(1, round(a.seconds / ROUNDS))} s"
    )
    return (
        f"`wrk -t1 -c{a.connections} --latency` per page, {rounds} taking turns "
        "with the reference"
    )


def write_report(path, r):
    a = r["args"]
    n = f"{a.articles:,}"
    out = [
        "# Benchmark results",
        "",
        f"Written by `{r['command']}` on {r['date']} in {r['elapsed']:.0f} s. "
        "Figures are ratios measured side by side in one run; absolute times drift "
        "on shared machines.",
        "",
        f"- Machine: {r['machine']}",
        "- Versions: " + ", ".join(f"{k} {v}" for k, v in r["versions"].items()),
        f"- Corpus: {n} stories from `python manage.py seed_corpus --articles "
        f"{a.articles} --tags {a.tags}` (and a 1,000-story corpus for query counts); "
        + "; ".join(
            f"seeding {v} took {s} s" for v, s in r["seed_seconds"].items() if s
        ),
        f"- HTTP: gunicorn `newsroom.wsgi`, {a.workers} sync workers, debug off, a "
        "random secret key, whitenoise after `collectstatic`; "
        + load_method(a)
        + "; every request sends `Accept-Encoding: gzip, deflate, br` as browsers do. "
        "Reference: `/bench/reference/` (bench/reference.py), same server.",
        "- In-process figures: pytest-benchmark tests under bench/timings/, "
        f"{a.runs} round(s) each after one warm-up, the median round"
        + (
            "; the machine's speed beside them, a pure-Python loop of 10^7 "
            "additions (bench/report.py `cpu_seconds`): "
            + " before, ".join(f"{seconds:.2f} s" for seconds in r["cpu"])
            + " after"
            if r.get("cpu")
            else ""
        )
        + ".",
        "",
        "## Targets",
        "",
        "| target | figure | result |",
        "| --- | --- | --- |",
    ]
    out += [
        f"| {t} | {f} | {verdict(ok) if ok is not None else 'not measured'} |"
        for t, f, ok in r["targets"]
    ]
    out += ["", "## Requests per second, by page", ""]
    for config, results in r["http"].items():
        out += [
            f"### {config}",
            "",
            "| page | req/s (median round) | p50 ms | p99 ms | ratio to the "
            "reference's median over the same rounds | measured by |",
            "| --- | ---: | ---: | ---: | ---: | --- |",
        ]
        for label, row in results.items():
            errors = f" ({row['errors']} errors)" if row["errors"] else ""
            out.append(
                f"| {label}{errors} | {figure(row['rps'], '.1f')} | "
                f"{figure(row['p50'], '.2f')} | {figure(row['p99'], '.2f')} | "
                f"{figure(ratio(row), '.2f')} "
                f"(reference {figure(row['reference_rps'], '.0f')}) | {row['tool']} |"
            )
        out.append("")
    out += [
        "## Queries per page (bench/timings/test_pages.py, in-process, page cache off)",
        "",
        "| page | "
        + " | ".join(f"{v} 1k | {v} {n}" for v in r["queries"])
        + " | equal |",
        "| --- | " + " | ".join("---: | ---:" for _ in r["queries"]) + " | --- |",
    ]
    for label in PAGES:
        cells, equal = [], True
        for costs in r["queries"].values():
            small, large = costs["small"][label], costs["large"][label]
            cells += [
                f"{small[2]} ({small[3]:.0f} ms)",
                f"{large[2]} ({large[3]:.0f} ms)",
            ]
            equal &= small[2] == large[2]
        out.append(
            f"| {label} | " + " | ".join(cells) + f" | {'yes' if equal else 'NO'} |"
        )
    out += [
        "",
        "## Admin story list (bench/timings/test_admin_list.py, in-process, a "
        "superuser)",
        "",
        "| database | 1k queries | 1k median ms | " + f"{n} queries | {n} median ms |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for vendor, (small, large) in r["admin"].items():
        out.append(
            f"| {vendor} | {small[0]} | {small[1]:.1f} | {large[0]} | {large[1]:.1f} |"
        )
    out += search_section(r, n) + images_section(r)
    out += [
        "",
        f"## Worker memory over {a.requests:,} requests (page cache on, every page "
        "and the reference in turn)",
        "",
        f"After {a.requests:,} requests of the same mix to warm the workers up: a "
        "worker's caches (SQLite's page cache, up to 64 MB a connection) fill on "
        "the pages it happens to serve first. Growth is over the second "
        f"{a.requests:,}.",
        "",
        "| configuration | worker | RSS at the start MB | RSS warmed up MB | "
        "RSS after MB | growth MB |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for config, rows in r["memory"].items():
        for pid, start, before, after in rows:
            read = [start, before, after]
            cells = " | ".join(
                f"{mb:.1f}" if mb is not None else "not read" for mb in read
            )
            growth = after - before if None not in read else float("nan")
            out.append(f"| {config} | {pid} | {cells} | {growth:+.1f} |")
    out += ["", "## Related stories (bench/related.py)", ""]
    out.append(
        f"```\n{r['related']}\n```"
        if r["related"]
        else "Not run: bench/related.py is not in this tree."
    )
    out += stampede_section(r.get("stampede"))
    out += ["", *edge_section(r.get("edge") or "bench/edge.py was not run")]
    out += [
        "## Reproduce",
        "",
        "```sh",
        f"make bench BENCH_ARTICLES={a.articles}   # this file",
        "BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/perf_bench "
        "BENCH_REDIS_URL=redis://127.0.0.1:6379/7 make bench",
        "python bench/edge.py   # the edge section alone (and bench/edge.json)",
        "```",
        "",
    ]
    Path(path).write_text("\n".join(out))


def stampede_section(s):
    out = ["", "## The seconds after a publish, under load (bench/stampede.py)", ""]
    if not s:
        return [*out, "Not run: it needs Redis (BENCH_REDIS_URL)."]
    out += [
        f"gunicorn with {s['workers']} workers and the page cache in Redis; wrk "
        f"-c{s['connections']} for {s['seconds']} s on {', '.join(s['pages'])} in "
        f"turn while the desk takes the newest story down and publishes it again, "
        f"in turn, every {s['every']:g} s (each change moves every one of those "
        "pages and the topic counts). Before: no single flight "
        "(PAGE_CACHE_RENDER_WAIT=0), no prepared copies, topic statistics counted "
        "by every process after every change. "
        "Uncached: page cache off, nothing prepared, no edits.",
        "",
        "| run | p99 ms | answers rendered | edits | renders per page per edit |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for label in ("before", "after"):
        run = s[label]
        out.append(
            f"| {label} | {figure(run['p99'], '.0f')} | {run['renders']} | "
            f"{run['edits']} | {run.get('renders_per_change', 0):.2f} |"
        )
    out.append(f"| uncached | {figure(s['uncached_p99'], '.0f')} | | | |")
    return out


def search_section(r, n):
    vendors = list(r["search"])
    out = [
        "",
        f"## Search at {n} (bench/timings/test_search.py, in-process, page cache off)",
        "",
        "| query | "
        + " | ".join(f"{v} status | {v} queries | {v} median ms" for v in vendors)
        + " |",
        "| --- | " + " | ".join("---: | ---: | ---:" for _ in vendors) + " |",
    ]
    labels = list(r["search"][vendors[0]]) if vendors else []
    for label in labels:
        cells = []
        for vendor in vendors:
            url, status, queries, ms = r["search"][vendor][label]
            cells += [str(status), str(queries), f"{ms:.1f}"]
        url = r["search"][vendors[0]][label][0]
        out.append(f"| {label}: `{url}` | " + " | ".join(cells) + " |")
    return out


def images_section(r):
    out = [
        "",
        "## Lead-image checks (bench/images.py, bench/timings/test_images.py)",
        "",
        "| case | pixels | file MB | check s | peak MB | above MB | result |",
        "| --- | --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for case, f in r["images"]:
        width, height = f["size"]
        out.append(
            f"| {case} | {width}×{height} | {f['file_mb']:.2f} | {f['check_s']:.2f} | "
            f"{f['peak_mb']:.0f} | {f['above_mb']:.0f} | {outcome(f)[:90]} |"
        )
    return out


EDGE_TITLE = "## Edge caching (bench/edge.py: the stack, Varnish in front)"


def edge_section(edge):
    """The edge figures as markdown lines; `edge` is bench/edge.py's dict, or a
    string saying why it was not run."""
    out = [EDGE_TITLE, ""]
    if isinstance(edge, str):
        return [*out, f"Not run: {edge}.", ""]
    mix, p, t = edge["read_mix"], edge["publish"], edge["tiers"]
    out += [
        f"Measured by `{edge.get('command', 'python bench/edge.py')}` on "
        f"{edge['date']} in {edge['seconds']} s: `deploy/stack.py` (two gunicorn app "
        "servers, 2 sync workers each, Redis page cache, PostgreSQL, Varnish with "
        "xkey) on loopback with the demo loaded. Reads: wrk through Varnish on a mix "
        f"of {mix['requests_per_turn']} requests over {len(mix['addresses'])} "
        "addresses taken in turn (home in both editions, the newest stories "
        "weighted 8:4:3:2:1, topic pages, feeds), from a cold Varnish. Publishes: "
        "the demo editor unpublishes then publishes a story with a new dek at the "
        "desk over HTTP (deploy/desk_client.py); fresh = Varnish serves the new dek.",
        "",
        "| figure | value |",
        "| --- | ---: |",
    ]
    for label, run in [("steady", edge["steady"]),
                       ("while the desk publishes", edge["publishing"])]:  # fmt: skip
        out += [
            f"| hit ratio, {label} ({run['client_requests']:,} reads) | "
            f"{figure(run['hit_ratio'], '.4f')} |",
            f"| origin requests per 10,000 reads, {label} | "
            f"{figure(run['origin_per_10k'], '.1f')} |",
        ]
    errors = edge["publishing"].get("errors")
    if errors:
        out.append(
            f"| answers not 2xx/3xx while the desk publishes (the stories it "
            f"republishes are in the mix: 404 while unpublished) | {errors:,} |"
        )
    out += [
        f"| publish to fresh, p50 / p99 / max over {p['publishes']} publishes | "
        f"{p['fresh_p50_ms']:.0f} / {p['fresh_p99_ms']:.0f} / "
        f"{p['fresh_max_ms']:.0f} ms |",
        f"| purges per publish: edge_purge rows / edge_purgecall calls | "
        f"{p['purge_rows_per_publish']} / {p['purge_calls_per_publish']} |",
        f"| keys per publish / Varnish objects dropped per publish | "
        f"{p['keys_per_publish']} / {p['objects_dropped_per_publish']} |",
        "",
        "What each tier costs per request (CPU: user + system of the serving "
        "processes, from /proc; queries: the database's committed transactions):",
        "",
        "| tier | CPU ms / request | queries / request | req/s | p50 ms | p99 ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    names = {
        "varnish_hit": "Varnish hit (a hot story)",
        "origin_page_cache_hit": "app server, page-cache hit (Redis)",
        "origin_render": "app server, uncached render (the mix's pages)",
    }
    for key, name in names.items():
        row = t[key]
        out.append(
            f"| {name} | {figure(row['cpu_ms'], '.3f')} | "
            f"{figure(row['queries'], '.2f')} | {figure(row['rps'], '.0f')} | "
            f"{figure(row['p50_ms'], '.2f')} | {figure(row['p99_ms'], '.2f')} |"
        )
    c = t["purge_call"]
    out += [
        f"| a purge call to Varnish ({c['keys']} keys) | {figure(c['cpu_ms'], '.3f')}"
        f" | 0 | – | {c['wall_ms']:.2f} (wall) | – |",
        "",
        "bench/edge.json holds every figure; `python bench/simulate.py` scales them "
        "(docs/SCALING.md).",
        "",
    ]
    return out


def replace_section(path, lines):
    """Put the edge section into an existing RESULTS.md: in place of the old one,
    or before "## Reproduce"."""
    path = Path(path)
    text = path.read_text() if path.exists() else "# Benchmark results\n"
    block = "\n".join(lines)
    if EDGE_TITLE in text:
        start = text.index(EDGE_TITLE)
        end = text.find("\n## ", start + len(EDGE_TITLE))
        text = text[:start] + block + ("\n" + text[end + 1 :] if end != -1 else "")
    elif "\n## Reproduce" in text:
        at = text.index("\n## Reproduce") + 1
        text = text[:at] + block + "\n" + text[at:]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(text)
