"""Load runs: wrk drives a running server, page by page, against the reference.

wrk is the only load generator. It stops when its duration ends; runs of a known
number of answers (a page too slow for a timed run, the memory run, the smoke
test's short rounds) go through bench/wrk.lua, which stops wrk's thread at the
limit and says so, and we interrupt wrk, which then reports what it measured.
"""

import re
import shutil
import signal
import statistics
import subprocess
import time
from pathlib import Path

from .figures import figure, median_round, ratio
from .servers import fetch

SCRIPT = Path(__file__).resolve().parent / "wrk.lua"
LIMIT_REACHED = "wrk.lua: limit reached"
# Every request asks for gzip, as browsers do.
BROWSER_ENCODING = "Accept-Encoding: gzip, deflate, br"
SLOW_PAGE_REQUESTS = 6  # pages too slow for a timed run get this many requests
ROUNDS = 5  # a page and the reference alternate this many times
REFERENCE = "/bench/reference/"


def log(message):
    print(message, flush=True)


def wrk_version():
    """wrk's version, or None when it is not installed."""
    if not shutil.which("wrk"):
        return None
    out = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout
    return out.split()[1] if out.split()[1:] else "?"


def parse_duration_ms(text):
    """wrk's `1.23ms` in milliseconds; None for anything else."""
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if not match:
        return None
    value, unit = match.groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def parse_wrk(out):
    """(req/s, p50 ms, p99 ms, errors) from wrk's report; the first three are None
    when no request was answered or a line is missing (a busy machine, a server
    that answered nothing in the time slot). Errors: answers other than 2xx/3xx
    and socket errors (refused, reset, timed out)."""
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = int(errors.group(1)) if errors else 0
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    errors += sum(int(count) for count in sockets.groups()) if sockets else 0
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


def run_wrk(port, paths, *, connections, seconds, requests=None):
    """(req/s, p50, p99, errors) of one wrk run on 127.0.0.1:`port`.

    `paths`: one path, or several taken in turn. With `requests`, the run ends
    after that many answers, or after `seconds` (whole seconds, wrk's unit) if
    the server answers fewer."""
    paths = [paths] if isinstance(paths, str) else list(paths)
    command = [
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--latency",
        "--timeout",
        "60s",
        "-H",
        BROWSER_ENCODING,
        f"http://127.0.0.1:{port}{paths[0]}",
    ]
    if requests or len(paths) > 1:
        # Only then: a script's callbacks cost wrk time on every request.
        command[-1:-1] = ["-s", str(SCRIPT)]
        command += ["--", str(requests or 0), *(paths if len(paths) > 1 else [])]
    wrk = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    lines = []
    for line in wrk.stdout:
        lines.append(line)
        if line.startswith(LIMIT_REACHED):
            wrk.send_signal(signal.SIGINT)  # wrk reports at once instead of idling
    message = wrk.stderr.read()
    rps, p50, p99, errors = parse_wrk("".join(lines))
    if wrk.wait():  # e.g. "unable to connect": no report at all
        errors += 1
    if rps is None:
        log(f"    ! wrk measured nothing on {paths[0]}: {message.strip()[:200]}")
    return rps, p50, p99, errors


def measure_server(
    server, urls, *, seconds, connections, cached, workers, round_requests=None
):
    """Requests/s, p50, p99 per page and the reference, on one running server.

    Each round lasts `seconds / ROUNDS`, or, with `round_requests`, ends after
    that many answers (the smoke test's short rounds)."""

    def one_round(path):
        return run_wrk(
            server.port,
            path,
            connections=connections,
            seconds=seconds / ROUNDS,
            requests=round_requests,
        )

    results = {}
    for label, path in [("reference", REFERENCE), *urls.items()]:
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
            tool = f"wrk, {SLOW_PAGE_REQUESTS} requests"
            rps, p50, p99, errors = run_wrk(
                server.port,
                path,
                connections=workers,
                seconds=3600,
                requests=SLOW_PAGE_REQUESTS,
            )
            beside = one_round(REFERENCE)[0]
        else:
            # The machine's load drifts: the page and the reference take turns in
            # short rounds, and the medians of both are compared.
            tool = "wrk"
            runs, references = [], []
            for _ in range(ROUNDS):
                runs.append(one_round(path))
                if label != "reference":
                    references.append(one_round(REFERENCE)[0])
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


def memory_run(server, urls, count, connections):
    """[(worker pid, RSS MB at the start, before, after)] around `count` requests
    taking turns through the reference and every page, after as many again to
    warm the workers up: a worker fills its caches (SQLite's page cache, 64 MB
    a connection, newsroom/settings.py) on the pages it happens to serve first,
    which is not a leak; growth is what the second `count` add."""
    paths = [REFERENCE, *urls.values()]
    start = server.worker_rss_mb()
    run_wrk(server.port, paths, connections=connections, seconds=3600, requests=count)
    before = server.worker_rss_mb()
    started = time.monotonic()
    run_wrk(server.port, paths, connections=connections, seconds=3600, requests=count)
    after = server.worker_rss_mb()
    log(f"    {count:,} requests in {time.monotonic() - started:.1f}s, after as many")
    return [(pid, start[pid], before.get(pid), after.get(pid)) for pid in start]
