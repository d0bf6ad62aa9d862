"""`make bench`: build the corpora, run every benchmark, write bench/RESULTS.md.

    python bench/run.py --articles 100000            # what `make bench` runs
    python bench/run.py --smoke --output /tmp/r.md   # seconds; what `make test` runs

For each database (SQLite always; PostgreSQL when BENCH_PG_URL's server answers) it
seeds a 1k corpus and an N corpus (`seed_corpus`, reused while the code that built
them is unchanged), counts queries per page on both (bench/pages.py), times the
admin's story list (bench/admin_list.py), and serves the N corpus with gunicorn
under production settings (debug off, a real secret key, whitenoise, collectstatic
first) on 127.0.0.1: once with the page cache off (every page rendered) and once
with it on, without and with Redis (BENCH_REDIS_URL). wrk drives it (a small Python
load generator stands in when wrk is missing); the reference view
(bench/reference.py) is measured by the same server in the same run, and every
page's requests per second are given as a ratio to it. Each worker's resident
memory is read before and after 10,000 requests. bench/related.py runs when present.
"""

import argparse
import hashlib
import http.client
import json
import os
import platform
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / ".data"
PY = sys.executable
PAGES = [
    "home",
    "article",
    "topic index",
    "topic page 1",
    "topic deep page",
    "search",
    "site feed",
    "topic feed",
    "sitemap",
]
HTTP_PAGES = [p for p in PAGES if p != "topic feed"]
MEMORY_THRESHOLD_MB = 5.0
# Every request asks for gzip, as browsers do.
BROWSER_HEADERS = {"Accept-Encoding": "gzip, deflate, br"}
BROWSER_ENCODING = "Accept-Encoding: gzip, deflate, br"
SLOW_PAGE_REQUESTS = 6  # pages too slow for a timed run get this many requests
ROUNDS = 5  # a page and the reference alternate this many times


def log(message):
    print(message, flush=True)


# -- corpora ---------------------------------------------------------------------


def code_signature():
    """Rebuild a corpus when the schema or the seeding code changes."""
    digest = hashlib.sha256()
    files = sorted((ROOT / "articles" / "migrations").glob("*.py"))
    files.append(ROOT / "demo" / "management" / "commands" / "seed_corpus.py")
    for path in files:
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


class Database:
    def __init__(self, vendor, base_url=None):
        self.vendor = vendor
        self.base_url = base_url

    def url(self, size):
        if self.vendor == "sqlite":
            return f"sqlite:///{DATA / f'corpus-{size}.sqlite3'}"
        return f"{self.base_url}_{size}"

    def recreate(self, size):
        if self.vendor == "sqlite":
            for path in DATA.glob(f"corpus-{size}.sqlite3*"):
                path.unlink()
            # Migrate once, copy for every corpus.
            empty = DATA / f"empty-{code_signature()}.sqlite3"
            if not empty.exists():
                manage(f"sqlite:///{empty}", "migrate", "--noinput", "-v0")
            shutil.copyfile(empty, DATA / f"corpus-{size}.sqlite3")
            return
        import psycopg

        name = urlsplit(self.url(size)).path.lstrip("/")
        with psycopg.connect(maintenance_dsn(self.base_url), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')


def maintenance_dsn(url):
    parts = urlsplit(url)
    return parts._replace(path="/postgres").geturl()


def postgres_answers(url):
    try:
        import psycopg

        with psycopg.connect(maintenance_dsn(url), connect_timeout=3):
            return True
    except Exception as error:  # any failure means: skip PostgreSQL, say why
        log(f"PostgreSQL at {url} does not answer ({error}); SQLite only.")
        return False


def redis_answers(url):
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
        return True
    except Exception as error:
        log(f"Redis at {url} does not answer ({error}); runs without Redis only.")
        return False


def django_env(database_url, **extra):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "REDIS_", "DATABASE_URL"))
    }
    env.update(DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="newsroom.settings")
    # Collected files of our own: a manifest in ./staticfiles would change what
    # the test suite's live server serves.
    env["DJANGO_STATIC_ROOT"] = str(DATA / "static")
    env.update(extra)
    return env


def manage(database_url, *args, quiet=False):
    result = subprocess.run(
        [PY, "manage.py", *args],
        cwd=ROOT,
        env=django_env(database_url),
        capture_output=quiet,
        text=True,
    )
    if result.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stderr or ''}")
    return result.stdout


def ensure_corpus(database, size, tags):
    marker = DATA / f"{database.vendor}-{size}.json"
    wanted = {
        "url": database.url(size),
        "size": size,
        "tags": tags,
        "code": code_signature(),
    }
    built = json.loads(marker.read_text()) if marker.exists() else {}
    if {key: built.get(key) for key in wanted} == wanted:
        log(f"  {database.vendor} {size:,}: reusing the corpus")
        manage(database.url(size), "migrate", "--noinput", "-v0")
        return
    log(f"  {database.vendor} {size:,}: building the corpus")
    marker.unlink(missing_ok=True)
    database.recreate(size)
    if database.vendor != "sqlite":
        manage(database.url(size), "migrate", "--noinput", "-v0")
    started = time.monotonic()
    manage(
        database.url(size), "seed_corpus", "--articles", str(size), "--tags", str(tags)
    )
    wanted["seed_seconds"] = round(time.monotonic() - started, 1)
    marker.write_text(json.dumps(wanted))


def seed_seconds(database, size):
    marker = DATA / f"{database.vendor}-{size}.json"
    return json.loads(marker.read_text()).get("seed_seconds")


# -- in-process measurements -------------------------------------------------------


def run_script(script, database_url, *args):
    """Run one of the in-process benchmarks on `database_url`; its output."""
    return subprocess.run(
        [PY, script, *args],
        cwd=ROOT,
        env=django_env(database_url),
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def page_costs(database_url, runs):
    """bench/pages.py's table: label -> (url, status, queries, median ms)."""
    out = run_script("bench/pages.py", database_url, "--runs", str(runs))
    rows = [
        line.split()
        for line in out.splitlines()
        if line.startswith("/") and len(line.split()) == 4
    ]
    return {
        label: (url, int(status), int(queries), float(ms))
        for label, (url, status, queries, ms) in zip(PAGES, rows, strict=True)
    }


def admin_cost(database_url, runs):
    out = run_script("bench/admin_list.py", database_url, "--runs", str(runs))
    fields = dict(item.split("=") for item in out.strip().splitlines()[-1].split()[1:])
    return int(fields["queries"]), float(fields["median_ms"])


# -- HTTP --------------------------------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(port, path, timeout=60):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.status, response.getheader("X-Page-Cache")
    finally:
        conn.close()


class Server:
    """gunicorn with production settings, started and stopped by us alone."""

    def __init__(
        self,
        database_url,
        *,
        redis_url=None,
        cache_seconds,
        workers,
        prefix=None,
        env=None,
    ):
        self.port = free_port()
        self.prefix = prefix or f"bench-{secrets.token_hex(4)}"
        extra = {
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_PAGE_CACHE_SECONDS": str(cache_seconds),
            "DJANGO_CACHE_PREFIX": self.prefix,
            "NEWSROOM_BENCH_REFERENCE": "1",
        }
        if redis_url:
            extra["REDIS_URL"] = redis_url
        extra.update(env or {})
        self.process = subprocess.Popen(
            [
                PY,
                "-m",
                "gunicorn",
                "newsroom.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--timeout",
                "120",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=django_env(database_url, **extra),
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if fetch(self.port, "/healthz", timeout=5)[0] == 200:
                    return
            except OSError:
                pass
            if self.process.poll() is not None:
                raise RuntimeError("gunicorn exited at start; see its messages above.")
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not answer within 60 s.")

    def worker_pids(self):
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return sorted(int(pid) for pid in path.read_text().split())

    def worker_rss_mb(self):
        sizes = {}
        for pid in self.worker_pids():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except FileNotFoundError:  # a worker gunicorn replaced meanwhile
                continue
            kb = re.search(r"VmRSS:\s+(\d+)", status)
            if kb:
                sizes[pid] = int(kb.group(1)) / 1024
        return sizes

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def parse_duration_ms(text):
    """wrk's `1.23ms` in milliseconds; None for anything else."""
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if not match:
        return None
    value, unit = match.groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def load_wrk(port, path, *, seconds, connections):
    out = subprocess.run(
        [
            "wrk",
            "-t1",
            f"-c{connections}",
            f"-d{max(1, round(seconds))}s",  # wrk takes whole seconds
            "--latency",
            "--timeout",
            "60s",
            "-H",
            BROWSER_ENCODING,
            f"http://127.0.0.1:{port}{path}",
        ],
        capture_output=True,
        text=True,
    )
    result = parse_wrk(out.stdout)
    if result[0] is None:
        log(f"    ! wrk measured nothing on {path}: {out.stderr.strip()[:200]}")
    return result


def parse_wrk(out):
    """(req/s, p50 ms, p99 ms, errors) from wrk's report; the first three are None
    when no request was answered or a line is missing (a busy machine, a server
    that answered nothing in the time slot)."""
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = int(errors.group(1)) if errors else 0
    timeouts = re.search(r"timeout (\d+)", out)
    errors += int(timeouts.group(1)) if timeouts else 0
    answered = re.search(r"(\d+) requests in ", out)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    p50 = re.search(r"\s50%\s+(\S+)", out)
    p99 = re.search(r"\s99%\s+(\S+)", out)
    if not (answered and int(answered.group(1)) and rps and p50 and p99):
        return None, None, None, errors
    p50, p99 = parse_duration_ms(p50.group(1)), parse_duration_ms(p99.group(1))
    if p50 is None or p99 is None:
        return None, None, None, errors
    return float(rps.group(1)), p50, p99, errors


def summarise(latencies, errors, elapsed):
    """(req/s, p50 ms, p99 ms, errors) of a run; the first three are None when no
    request was answered, which a busy machine makes possible in a short slot."""
    if not latencies:
        return None, None, None, errors
    latencies = sorted(latencies)
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    return len(latencies) / elapsed, statistics.median(latencies), p99, errors


def load_python(port, path, *, seconds, connections, requests=None):
    """A keep-alive load generator for machines without wrk (slower, same shape).

    Sends requests until `seconds` pass or, when given, `requests` were sent; a
    request that fails (refused, reset, timed out) counts as an error and the
    connection is opened again."""
    latencies, counts, lock = [], {"sent": 0, "errors": 0}, threading.Lock()
    deadline = time.monotonic() + seconds
    paths = path if isinstance(path, list) else [path]

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while time.monotonic() < deadline:
            with lock:
                if requests is not None and counts["sent"] >= requests:
                    break
                sent, counts["sent"] = counts["sent"], counts["sent"] + 1
            started = time.perf_counter()
            try:
                conn.request("GET", paths[sent % len(paths)], headers=BROWSER_HEADERS)
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                with lock:
                    counts["errors"] += 1
                continue
            with lock:
                latencies.append((time.perf_counter() - started) * 1000)
                if response.status >= 400 and response.status != 404:
                    counts["errors"] += 1
        conn.close()

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    return summarise(latencies, counts["errors"], elapsed)


LOADER = "auto"


def use_wrk():
    return LOADER == "wrk" or (LOADER == "auto" and shutil.which("wrk"))


def load(port, path, *, seconds, connections):
    if use_wrk():
        return load_wrk(port, path, seconds=seconds, connections=connections)
    return load_python(port, path, seconds=seconds, connections=connections)


def send_many(port, paths, count, connections):
    """Send `count` requests rotating through `paths` (wrk cannot stop at a count:
    it idles until its duration ends, so the Python generator does this part)."""
    load_python(port, paths, seconds=3600, connections=connections, requests=count)


def reference_rps(server, seconds, connections):
    return load(
        server.port, "/bench/reference/", seconds=seconds, connections=connections
    )[0]


def measure_server(server, urls, *, seconds, connections, cached, workers):
    """Requests/s, p50, p99 per page and the reference, on one running server."""
    results = {}
    for label, path in [("reference", "/bench/reference/"), *urls.items()]:
        # Warm: compile templates, fill the cache. With a local-memory cache every
        # worker keeps its own copy, and requests land on whichever worker is free.
        states = []
        for _ in range(4 * workers + 2 if cached else 2):
            took = time.perf_counter()
            status, cache_state = fetch(server.port, path)
            took = time.perf_counter() - took
            states.append(cache_state)
            if took * SLOW_PAGE_REQUESTS > seconds and not cached:
                break  # a slow page is warm after one request
        if cached and label != "reference" and set(states[-workers:]) != {"hit"}:
            log(f"    ! {label} {path} was not a cache hit ({status}, {states})")
        if took * SLOW_PAGE_REQUESTS > seconds and not cached:
            # Too slow for a timed run to see enough answers: count them instead.
            tool = f"{SLOW_PAGE_REQUESTS} requests"
            rps, p50, p99, errors = load_python(
                server.port,
                path,
                seconds=3600,
                connections=workers,
                requests=SLOW_PAGE_REQUESTS,
            )
            beside = reference_rps(server, seconds / ROUNDS, connections)
        else:
            # The machine's load drifts: the page and the reference take turns in
            # short rounds, and the medians of both are compared.
            tool = "wrk" if use_wrk() else "python"
            runs, references = [], []
            for _ in range(ROUNDS):
                runs.append(
                    load(
                        server.port,
                        path,
                        seconds=seconds / ROUNDS,
                        connections=connections,
                    )
                )
                if label != "reference":
                    references.append(
                        reference_rps(server, seconds / ROUNDS, connections)
                    )
            rps, p50, p99 = median_round(runs)
            errors = sum(run[3] for run in runs)
            answered = [value for value in references if value is not None]
            beside = statistics.median(answered) if answered else None
            if label == "reference":
                beside = rps
        results[label] = row = {
            "rps": rps,
            "p50": p50,
            "p99": p99,
            "errors": errors,
            "tool": tool,
            "reference_rps": beside,
        }
        log(
            f"    {label:16} {figure(rps, '9.1f')} req/s  p50 {figure(p50, '8.2f')} ms"
            f"  p99 {figure(p99, '8.2f')} ms  ({figure(ratio(row), '.2f')} of the "
            "reference in the same rounds)"
        )
    return results


def median_round(runs):
    """(req/s, p50, p99) of the round with the median req/s among the rounds that
    got answers; Nones when none did."""
    answered = sorted((run for run in runs if run[0] is not None), key=lambda r: r[0])
    if not answered:
        return None, None, None
    return answered[len(answered) // 2][:3]


def ratio(row):
    """A page's req/s over the reference's in the same rounds; None when either
    got no answers."""
    if row["rps"] is None or not row["reference_rps"]:
        return None
    return row["rps"] / row["reference_rps"]


def figure(value, spec, missing="no samples"):
    """`value` formatted, or what stands in for a measurement that got no answers."""
    return missing if value is None else format(value, spec)


def memory_run(server, urls, count, connections):
    paths = ["/bench/reference/", *urls.values()]
    before = server.worker_rss_mb()
    started = time.monotonic()
    send_many(server.port, paths, count, connections)
    after = server.worker_rss_mb()
    log(f"    {count:,} requests in {time.monotonic() - started:.1f}s")
    return [(pid, before[pid], after.get(pid)) for pid in before]


# -- the report --------------------------------------------------------------------


def versions(databases, redis_url):
    import django

    lines = {
        "Python": platform.python_version(),
        "Django": django.get_version(),
        "gunicorn": _package_version("gunicorn"),
        "SQLite": _sqlite_version(),
    }
    for database in databases:
        if database.vendor == "postgresql":
            import psycopg

            with psycopg.connect(maintenance_dsn(database.base_url)) as conn:
                lines["PostgreSQL"] = conn.execute("SHOW server_version").fetchone()[0]
    if redis_url:
        import redis

        lines["Redis"] = redis.Redis.from_url(redis_url).info()["redis_version"]
    if shutil.which("wrk"):
        wrk = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout
        lines["wrk"] = wrk.split()[1] if wrk else "?"
    else:
        lines["load generator"] = "bench/run.py's Python fallback (wrk not installed)"
    return lines


def _package_version(name):
    from importlib.metadata import version

    return version(name)


def _sqlite_version():
    import sqlite3

    return sqlite3.sqlite_version


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


def verdict(ok):
    return "**met**" if ok else "**NOT met**"


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
        + (
            f"`wrk -t1 -c{a.connections} --latency` per page, {ROUNDS} rounds of "
            f"{max(1, round(a.seconds / ROUNDS))} s taking turns with the reference"
            if use_wrk()
            else f"the Python load generator, {a.connections} connections, "
            f"{ROUNDS} rounds of {a.seconds / ROUNDS:.2g} s per page taking turns "
            "with the reference"
        )
        + "; every request sends `Accept-Encoding: gzip, deflate, br` as browsers do. "
        "Reference: `/bench/reference/` (bench/reference.py), same server.",
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
        "## Queries per page (bench/pages.py, in-process, page cache off)",
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
        "## Admin story list (bench/admin_list.py, in-process, a superuser)",
        "",
        "| database | 1k queries | 1k median ms | " + f"{n} queries | {n} median ms |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for vendor, (small, large) in r["admin"].items():
        out.append(
            f"| {vendor} | {small[0]} | {small[1]:.1f} | {large[0]} | {large[1]:.1f} |"
        )
    out += [
        "",
        f"## Worker memory over {a.requests:,} requests (page cache on, every page "
        "and the reference in turn)",
        "",
        "| configuration | worker | RSS before MB | RSS after MB | growth MB |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    for config, rows in r["memory"].items():
        for pid, before, after in rows:
            growth = after - before if after is not None else float("nan")
            out.append(
                f"| {config} | {pid} | {before:.1f} | "
                f"{after if after is not None else float('nan'):.1f} | {growth:+.1f} |"
            )
    out += ["", "## Related stories (bench/related.py)", ""]
    out.append(
        f"```\n{r['related']}\n```"
        if r["related"]
        else "Not run: bench/related.py is not in this tree."
    )
    out += [
        "",
        "## Reproduce",
        "",
        "```sh",
        f"make bench BENCH_ARTICLES={a.articles}   # this file",
        "BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/perf_bench "
        "BENCH_REDIS_URL=redis://127.0.0.1:6379/7 make bench",
        "```",
        "",
    ]
    Path(path).write_text("\n".join(out))


# -- the run -----------------------------------------------------------------------


def main():
    global DATA, LOADER
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--tags", type=int, default=400)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--requests", type=int, default=10_000)
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
    parser.add_argument("--data", default=str(DATA), help="where corpora are kept")
    parser.add_argument("--loader", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="a tiny corpus, SQLite only, no Redis, a fraction of a second per page",
    )
    args = parser.parse_args()
    if args.smoke:
        args.articles, args.tags, args.seconds, args.requests = 60, 20, 0.2, 200
        args.connections, args.workers = 2, 1
        args.loader = "python"  # wrk counts whole seconds; one wrk check below
    started = time.monotonic()
    DATA = Path(args.data)
    DATA.mkdir(parents=True, exist_ok=True)
    LOADER = args.loader
    small = 1000 if not args.smoke else 20

    databases = [Database("sqlite")]
    if not args.smoke and postgres_answers(args.pg_url):
        databases.append(Database("postgresql", args.pg_url))
    redis_url = None
    if not args.smoke and redis_answers(args.redis_url):
        redis_url = args.redis_url
    if not shutil.which("wrk") and args.loader != "python":
        log(
            "wrk is not installed: using the Python load generator instead "
            "(apt-get install wrk for the reference figures)."
        )

    log(f"[1/5] corpora ({small:,} and {args.articles:,} stories)")
    for database in databases:
        ensure_corpus(database, small, args.tags)
        ensure_corpus(database, args.articles, args.tags)
    if not args.smoke:  # whitenoise serves from the app folders without it
        manage(databases[0].url(small), "collectstatic", "--noinput", "-v0", quiet=True)

    log("[2/5] queries per page and the admin list (in-process)")
    queries, admin = {}, {}
    for database in databases:
        queries[database.vendor] = {
            "small": page_costs(database.url(small), runs=1),
            "large": page_costs(database.url(args.articles), runs=2),
        }
        admin[database.vendor] = (
            admin_cost(database.url(small), runs=3),
            admin_cost(database.url(args.articles), runs=3),
        )
        log(f"  {database.vendor}: admin list {admin[database.vendor][1]}")

    log("[3/5] HTTP")
    http_results, memory = {}, {}
    for database in databases:
        urls = {
            label: queries[database.vendor]["large"][label][0] for label in HTTP_PAGES
        }
        url = database.url(args.articles)
        configs = [(f"{database.vendor}, page cache off", None, 0)]
        configs.append((f"{database.vendor}, page cache on (local memory)", None, 600))
        if redis_url:
            configs.append(
                (f"{database.vendor}, page cache on (Redis)", redis_url, 600)
            )
        for name, redis_for_config, seconds in configs:
            log(f"  {name}")
            server = Server(
                url,
                redis_url=redis_for_config,
                cache_seconds=seconds,
                workers=args.workers,
            )
            try:
                http_results[name] = measure_server(
                    server,
                    urls,
                    seconds=args.seconds,
                    connections=args.connections,
                    cached=bool(seconds),
                    workers=args.workers,
                )
                if args.smoke and not seconds and shutil.which("wrk"):
                    rps = load_wrk(server.port, "/", seconds=1, connections=1)[0]
                    log(f"    wrk answers: {figure(rps, '.0f')} req/s on / (parsed)")
                if seconds:
                    memory[name] = memory_run(
                        server, urls, args.requests, args.connections
                    )
            finally:
                server.stop()

    log("[4/5] related stories")
    related = None
    if (ROOT / "bench" / "related.py").exists():
        out = subprocess.run(
            [
                PY,
                "bench/related.py",
                "--articles",
                str(args.articles),
                "--db",  # the SQLite corpus built above, not one more
                str(DATA / f"corpus-{args.articles}.sqlite3"),
            ],
            cwd=ROOT,
            env=django_env(databases[0].url(args.articles)),
            capture_output=True,
            text=True,
        )
        related = (out.stdout.strip().splitlines() or [out.stderr.strip()])[-1]
        log(f"  {related}")

    log("[5/5] report")
    report = {
        "args": args,
        "command": "python bench/run.py " + " ".join(sys.argv[1:]),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": machine(),
        "versions": versions(databases, redis_url),
        "seed_seconds": {
            f"{d.vendor} {args.articles:,}": seed_seconds(d, args.articles)
            for d in databases
        },
        "http": http_results,
        "queries": queries,
        "admin": admin,
        "memory": memory,
        "related": related,
    }
    report["targets"] = targets(report, args)
    report["elapsed"] = time.monotonic() - started
    write_report(args.output, report)
    met = sum(1 for *_, ok in report["targets"] if ok)
    log(
        f"bench articles={args.articles} targets_met={met}/{len(report['targets'])} "
        f"report={args.output} seconds={report['elapsed']:.0f}"
    )


def measured(values, test):
    """Whether every value passes `test`; None (not measured) when one is None."""
    values = list(values)
    if any(value is None for value in values):
        return None
    return all(test(value) for value in values)


def targets(r, args):
    rows = []
    n = f"{args.articles:,}"
    http = r["http"]

    def page_ratio(config, label):
        return ratio(http[config][label])

    def slowest(config):
        """(ratio, page) furthest below the reference; (None, the pages without
        samples) when one has none."""
        ratios = {label: page_ratio(config, label) for label in HTTP_PAGES}
        missing = [label for label, value in ratios.items() if value is None]
        if missing:
            return None, ", ".join(missing)
        return min((value, label) for label, value in ratios.items())

    def deep_ratio(config):
        deep = http[config]["topic deep page"]["p50"]
        first = http[config]["topic page 1"]["p50"]
        return deep / first if deep is not None and first else None

    uncached = [c for c in http if "cache off" in c]
    cached = [c for c in http if "cache on" in c]
    articles = [page_ratio(c, "article") for c in uncached]
    rows.append(
        (
            f"Uncached article page with its related list at {n}: ≥ 0.5 × reference req/s",
            ", ".join(
                f"{c.split(',')[0]} {figure(a, '.2f')}"
                for c, a in zip(uncached, articles, strict=True)
            ),
            measured(articles, lambda a: a >= 0.5),
        )
    )
    worst = [slowest(c) for c in cached]
    rows.append(
        (
            "Cached anonymous pages: ≥ 0.85 × reference req/s (slowest page)",
            "; ".join(
                f"{c.split(', page cache on ')[0]} {c.split('on ')[1]}: "
                f"{figure(w, '.2f')} ({label})"
                for c, (w, label) in zip(cached, worst, strict=True)
            ),
            measured((w for w, _ in worst), lambda w: w >= 0.85),
        )
    )
    match = re.search(r"ours_ms=([\d.]+).*speedup=([\d.]+)", r["related"] or "")
    if match:
        ours, speedup = float(match.group(1)), float(match.group(2))
        rows.append(
            (
                f"Related list at {n}: ≤ 5 ms median and ≥ 20 × taggit similar_objects()",
                f"{ours} ms, {speedup}×",
                ours <= 5 and speedup >= 20,
            )
        )
    else:
        rows.append(
            (
                "Related list ≤ 5 ms median, ≥ 20 × taggit",
                f"bench/related.py gave no figures: {r['related'][:120]}"
                if r["related"]
                else "bench/related.py absent (topics branch)",
                None,
            )
        )
    deep = [deep_ratio(c) for c in uncached]
    rows.append(
        (
            "Deep page of the largest topic ≤ 2 × its first page (p50, uncached)",
            ", ".join(
                f"{c.split(',')[0]} {figure(d, '.2f')}×"
                for c, d in zip(uncached, deep, strict=True)
            ),
            measured(deep, lambda d: d <= 2),
        )
    )
    bounded = all(
        costs["small"][label][2] == costs["large"][label][2]
        for costs in r["queries"].values()
        for label in ("topic index", "sitemap")
    )
    times = "; ".join(
        f"{v}: index {c['small']['topic index'][3]:.0f}→{c['large']['topic index'][3]:.0f}"
        f" ms, sitemap {c['small']['sitemap'][3]:.0f}→{c['large']['sitemap'][3]:.0f} ms"
        for v, c in r["queries"].items()
    )
    rows.append(
        (
            "Topic index and sitemap bounded (same queries at 1k and N)",
            f"queries equal: {'yes' if bounded else 'no'}; {times}",
            bounded,
        )
    )
    admin = r["admin"]
    rows.append(
        (
            f"Admin story list at {n}: fixed queries and < 300 ms",
            "; ".join(
                f"{v}: {small[0]}→{large[0]} queries, {large[1]:.0f} ms"
                for v, (small, large) in admin.items()
            ),
            all(s[0] == g[0] and g[1] < 300 for s, g in admin.values()),
        )
    )
    growth = [
        after - before
        for rows_ in r["memory"].values()
        for _, before, after in rows_
        if after is not None
    ]
    rows.append(
        (
            f"Worker memory over {args.requests:,} requests: growth ≤ "
            f"{MEMORY_THRESHOLD_MB:.0f} MB",
            f"largest growth {max(growth):+.1f} MB" if growth else "no worker read",
            bool(growth) and max(growth) <= MEMORY_THRESHOLD_MB,
        )
    )
    equal = all(
        costs["small"][label][2] == costs["large"][label][2]
        for costs in r["queries"].values()
        for label in PAGES
    )
    rows.append(("Queries per page equal at 1k and N", "see the table below", equal))
    return rows


if __name__ == "__main__":
    import signal

    # Stopped from outside, still stop the servers we started (finally blocks).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("bench/run.py: terminated"))
    main()
