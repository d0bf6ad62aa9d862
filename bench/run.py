"""`make bench`: build the corpora, run every benchmark, write bench/RESULTS.md.

    python bench/run.py --articles 100000            # what `make bench` runs
    python bench/run.py --smoke --output /tmp/r.md   # seconds; what `make test` runs

For each database (SQLite always; PostgreSQL when BENCH_PG_URL's server answers) it
seeds a 1k corpus and an N corpus (bench/corpus.py: `seed_corpus`, reused while
the code that built them is unchanged) and runs the in-process timings on both
(bench/timings/, pytest-benchmark: queries and time per page, the admin's story
list, search; bench/inprocess.py reads their JSON). Then it serves the N corpus
with gunicorn under production settings (bench/servers.py) with the page cache
off (every page rendered; then read from its copy prepared ahead, prepared/) and
on, without and with Redis (BENCH_REDIS_URL), and wrk drives it (bench/load.py): the reference view (bench/reference.py) is measured by
the same server in the same run, and every page's requests per second are given
as a ratio to it; each worker's resident memory is read after 10,000 requests
that warm it up and after 10,000 more. Then bench/related.py, the lead-image
checks (bench/images.py) and, with Redis, the seconds after a publish under load
(bench/stampede.py).
Then, but for --smoke, the edge figures (bench/edge.py: the whole stack with
Varnish in front, on its own ports, database and Redis db; skipped, saying why,
without varnishd or PostgreSQL), also written to edge.json beside the report.
bench/targets.py grades, bench/report.py writes. wrk is required: Debian's `wrk`.
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import corpus, edge, stampede  # noqa: E402
from bench.images import DEFAULT_CASES, run_cases  # noqa: E402
from bench.inprocess import corpus_costs  # noqa: E402
from bench.load import measure_server, memory_run  # noqa: E402
from bench.page_list import HTTP_PAGES  # noqa: E402
from bench.report import cpu_seconds, machine, versions, write_report  # noqa: E402
from bench.servers import Server  # noqa: E402
from bench.targets import UNCACHED_PREPARED, UNCACHED_RENDERED, targets  # noqa: E402

ROOT = corpus.ROOT
PREPARED = "DJANGO_PREPARED_PAGE_SECONDS"

SMOKE_IMAGE_CASES = ["JPEG:640x480"]


def log(message):
    print(message, flush=True)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--tags", type=int, default=400)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3, help="in-process rounds")
    parser.add_argument(
        "--pg-url",
        default=os.environ.get(
            "BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/perf_bench"
        ),
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/7"),
    )
    parser.add_argument("--output", default=str(ROOT / "bench" / "RESULTS.md"))
    parser.add_argument("--data", default=str(corpus.DATA), help="corpora kept here")
    parser.add_argument("--publishes", type=int, default=50, help="edge: desk saves")
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="a tiny corpus, SQLite only, no Redis, rounds of a few answers",
    )
    args = parser.parse_args()
    args.round_requests = None
    if args.smoke:
        args.articles, args.tags, args.requests, args.runs = 60, 20, 200, 1
        args.connections, args.workers, args.round_requests = 2, 1, 5
        args.seconds = 60  # a cap: each round ends after its answers
    return args


def http_runs(databases, queries, redis_url, args):
    """Every configuration's load runs and, with the page cache on, its memory run."""
    http_results, memory = {}, {}
    for database in databases:
        urls = {
            label: queries[database.vendor]["large"][label][0] for label in HTTP_PAGES
        }
        # Uncached twice: every page rendered (what the first read of a page
        # costs), and read from its copy prepared ahead (prepared/: a page read
        # before, with nothing on it changed since).
        vendor = database.vendor
        configs = [
            (f"{vendor}, {UNCACHED_RENDERED}", None, 0, {PREPARED: "0"}),
            (f"{vendor}, {UNCACHED_PREPARED}", None, 0, {}),
            (f"{vendor}, page cache on (local memory)", None, 600, {}),
        ]
        if redis_url:
            configs.append((f"{vendor}, page cache on (Redis)", redis_url, 600, {}))
        for name, redis_for_config, seconds, env in configs:
            log(f"  {name}")
            server = Server(
                database.url(args.articles),
                redis_url=redis_for_config,
                cache_seconds=seconds,
                workers=args.workers,
                env=env,
            )
            try:
                http_results[name] = measure_server(
                    server,
                    urls,
                    seconds=args.seconds,
                    connections=args.connections,
                    cached=bool(seconds),
                    workers=args.workers,
                    round_requests=args.round_requests,
                )
                if seconds:
                    memory[name] = memory_run(
                        server, urls, args.requests, args.connections
                    )
            finally:
                server.stop()
    return http_results, memory


def related_line(args):
    """bench/related.py's last line on the SQLite corpus built here."""
    out = subprocess.run(
        [
            sys.executable,
            "bench/related.py",
            "--articles",
            str(args.articles),
            "--db",  # the SQLite corpus built above, not one more
            str(corpus.Database("sqlite").sqlite_file(args.articles)),
            *(["--samples", "3", "--runs", "1"] if args.smoke else []),
        ],
        cwd=ROOT,
        env=corpus.django_env(corpus.Database("sqlite").url(args.articles)),
        capture_output=True,
        text=True,
    )
    return (out.stdout.strip().splitlines() or [out.stderr.strip()])[-1]


def edge_run(args):
    """bench/edge.py's figures (also in edge.json beside the report), or why not."""
    if args.smoke:
        reason = "not part of --smoke (it starts the whole stack); run `python bench/edge.py`"
    else:
        reason = edge.unavailable()
    if reason:
        log(f"  not run: {reason}")
        return reason
    figures = edge.run(publish_count=args.publishes, seconds=10, connections=4)
    figures["command"] = " ".join(["python bench/run.py", *sys.argv[1:]])
    Path(args.output).with_name("edge.json").write_text(json.dumps(figures, indent=2))
    return figures


def main():
    args = parse_args()
    if not shutil.which("wrk"):
        sys.exit(
            "wrk is not installed: it is the benchmark's load generator "
            "(Debian: apt-get install wrk)."
        )
    started = time.monotonic()
    corpus.use_data(args.data)
    small = 1000 if not args.smoke else 20

    databases = [corpus.Database("sqlite")]
    if not args.smoke and corpus.postgres_answers(args.pg_url):
        databases.append(corpus.Database("postgresql", args.pg_url))
    redis_url = None
    if not args.smoke and corpus.redis_answers(args.redis_url):
        redis_url = args.redis_url

    log(f"[1/8] corpora ({small:,} and {args.articles:,} stories)")
    for database in databases:
        corpus.ensure_corpus(database, small, args.tags)
        corpus.ensure_corpus(database, args.articles, args.tags)
    if not args.smoke:  # whitenoise serves from the app folders without it
        corpus.manage(
            databases[0].url(small), "collectstatic", "--noinput", "-v0", quiet=True
        )

    log("[2/8] pages, the admin list and search (in-process, pytest-benchmark)")
    cpu = [cpu_seconds()]
    queries, admin, search = {}, {}, {}
    for database in databases:
        costs = {
            "small": corpus_costs(database.url(small), runs=args.runs),
            "large": corpus_costs(database.url(args.articles), runs=args.runs),
        }
        queries[database.vendor] = {size: c["pages"] for size, c in costs.items()}
        admin[database.vendor] = (costs["small"]["admin"], costs["large"]["admin"])
        search[database.vendor] = costs["large"]["search"]
        count, ms = admin[database.vendor][1]
        log(f"  {database.vendor}: admin list {count} queries, {ms:.0f} ms")

    cpu.append(cpu_seconds())
    log(f"  a pure-Python loop: {cpu[0]:.2f} s before, {cpu[1]:.2f} s after")

    log("[3/8] HTTP (wrk)")
    http_results, memory = http_runs(databases, queries, redis_url, args)

    log("[4/8] related stories")
    related = None
    if (ROOT / "bench" / "related.py").exists():
        related = related_line(args)
        log(f"  {related}")

    log("[5/8] lead-image checks")
    images = run_cases(
        SMOKE_IMAGE_CASES if args.smoke else DEFAULT_CASES,
        lambda line: log(f"  {line}"),
    )

    log("[6/8] the seconds after a publish, under load (bench/stampede.py)")
    stampede_figures = None
    if redis_url and not args.smoke:
        database = databases[0]
        urls = {
            label: queries[database.vendor]["large"][label][0] for label in stampede.HOT
        }
        stampede_figures = stampede.measure(
            database.url(args.articles), redis_url, urls,
            workers=4, seconds=15, connections=16, every=1.0,
        )  # fmt: skip
    else:
        log("  skipped: it needs Redis (and is not part of --smoke)")

    log("[7/8] edge caching (bench/edge.py)")
    edge_figures = edge_run(args)

    log("[8/8] report")
    report = {
        "args": args,
        "command": "python bench/run.py " + " ".join(sys.argv[1:]),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": machine(),
        "cpu": cpu,
        "versions": versions(databases, redis_url),
        "seed_seconds": {
            f"{d.vendor} {args.articles:,}": corpus.seed_seconds(d, args.articles)
            for d in databases
        },
        "http": http_results,
        "queries": queries,
        "admin": admin,
        "search": search,
        "images": images,
        "memory": memory,
        "related": related,
        "edge": edge_figures,
        "stampede": stampede_figures,
    }
    report["targets"] = targets(report, args)
    report["elapsed"] = time.monotonic() - started
    write_report(args.output, report)
    met = sum(1 for *_, ok in report["targets"] if ok)
    log(
        f"bench articles={args.articles} targets_met={met}/{len(report['targets'])} "
        f"report={args.output} seconds={report['elapsed']:.0f}"
    )


if __name__ == "__main__":
    # Stopped from outside, still stop the servers we started (finally blocks).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("bench/run.py: terminated"))
    main()
