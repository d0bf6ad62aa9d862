"""The benchmark harness runs end to end on a tiny corpus, so it cannot rot.

wrk is the harness's load generator (.ci/run installs Debian's `wrk`); without it
the tests that drive a server are skipped, saying so.
"""

import re
import shutil
import socket
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.db import connection

from bench import load, page_list, report, targets

ROOT = Path(__file__).resolve().parents[2]

needs_wrk = pytest.mark.skipif(
    shutil.which("wrk") is None,
    reason="wrk is not installed (apt-get install wrk): the load runs need it",
)


@needs_wrk
@pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="the harness smoke run uses SQLite of its own; once per CI run is enough",
)
def test_make_bench_smoke_run(tmp_path):
    output = tmp_path / "RESULTS.md"
    result = subprocess.run(
        [
            sys.executable,
            "bench/run.py",
            "--smoke",
            "--output",
            str(output),
            "--data",
            str(tmp_path / "data"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    last = result.stdout.strip().splitlines()[-1]
    assert last.startswith("bench articles=60 targets_met="), last
    text = output.read_text()
    for line in [
        "## Targets",
        "Cached anonymous pages",
        "Admin story list",
        "Worker memory",
        "| RSS warmed up MB |",
        "| reference | ",
        "| sitemap | ",
        "### sqlite, page cache on (local memory)",
        "## Queries per page (bench/timings/test_pages.py",
        "## Search at 60",
        "| hostile: `/search/?q=%22*NEAR(%00` | 400 |",
        "## Lead-image checks",
        "| JPEG:640x480 | 640×480 |",
        "pytest-benchmark",
        "a pure-Python loop of 10^7 additions",
        # The edge part starts the whole stack: `make bench` only, not the smoke run.
        "## Edge caching (bench/edge.py: the stack, Varnish in front)",
        "Not run: not part of --smoke (it starts the whole stack); run "
        "`python bench/edge.py`.",
    ]:
        assert line in text, line
    targets = text.split("## Targets")[1].split("## Requests per second")[0]
    rows = [
        row for row in targets.splitlines() if row.startswith("| ") and "---" not in row
    ][1:]
    verdicts = ("| **met** |", "| **NOT met** |", "| not measured |")
    assert rows and all(row.endswith(verdicts) for row in rows), targets
    # Pages measured by wrk, with the page cache off and on.
    rows = re.findall(r"^\| (?:reference|home|sitemap) \|.*\| wrk[^|]* \|$", text, re.M)
    assert len(rows) == 9, text  # uncached rendered, uncached prepared, cached
    # Queries per page (pytest-benchmark's JSON): the same count at both sizes.
    assert re.search(r"\| home \| (\d+) \([^|]*\| \1 \(", text), text
    # bench/related.py's contract line, from its own pytest-benchmark run.
    assert re.search(r"^related N=60 ours_ms=[\d.]+ taggit_ms=[\d.]+ speedup=\d+$",
                     text, re.M), text  # fmt: skip


# The harness on a busy machine: a load run may get no answer in its time slot,
# wrk may report nothing. It says "no samples" and carries on; these check that
# without depending on the machine's speed.


@pytest.fixture
def answering_server():
    """An HTTP server answering `ok` to every GET; yields (port, paths asked)."""
    asked = []

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            asked.append(self.path)
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], asked
    server.shutdown()
    server.server_close()


@pytest.fixture
def silent_server():
    """A port that accepts connections and never answers."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(16)
        yield sock.getsockname()[1]


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@needs_wrk
def test_a_run_of_a_number_of_answers_takes_the_paths_in_turn(answering_server):
    port, asked = answering_server
    rps, p50, p99, errors = load.run_wrk(
        port, ["/a", "/b", "/c"], connections=1, seconds=60, requests=6
    )
    assert rps > 0 and 0 < p50 <= p99 and errors == 0
    # In turn (wrk asks the script for one request before it starts, to check
    # it, so the turn may start further on); one connection: a seventh request
    # may be on its way when wrk stops.
    assert sorted(asked[:3]) == ["/a", "/b", "/c"] and asked[3:6] == asked[:3]
    assert len(asked) in (6, 7), asked


@needs_wrk
def test_a_slot_in_which_nothing_answered_reports_no_samples(silent_server):
    rps, p50, p99, _ = load.run_wrk(
        silent_server, "/", connections=2, seconds=1, requests=4
    )
    assert (rps, p50, p99) == (None, None, None)


@needs_wrk
def test_a_server_that_refuses_gives_an_error_not_a_crash():
    result = load.run_wrk(closed_port(), "/", connections=2, seconds=1, requests=4)
    assert result == (None, None, None, 1)


WRK_ANSWERED = """Running 1s test @ http://127.0.0.1:8000/
  1 threads and 2 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     2.10ms    0.50ms   9.00ms   90.00%
    Req/Sec   950.00     20.00     1.00k    80.00%
  Latency Distribution
     50%    2.00ms
     75%    2.20ms
     90%    2.50ms
     99%    4.10ms
  950 requests in 1.00s, 1.20MB read
  Non-2xx or 3xx responses: 3
Requests/sec:    950.00
Transfer/sec:      1.20MB
"""

WRK_NOTHING_ANSWERED = """Running 1s test @ http://127.0.0.1:8000/
  1 threads and 2 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     0.00us    0.00us   0.00us    -nan%
    Req/Sec     0.00      0.00     0.00      -nan%
  Latency Distribution
     50%    0.00us
     75%    0.00us
     90%    0.00us
     99%    0.00us
  0 requests in 1.00s, 0.00B read
  Socket errors: connect 0, read 0, write 0, timeout 2
Requests/sec:      0.00
Transfer/sec:       0.00B
"""


def test_wrk_output_without_answers_or_lines_reports_no_samples():
    assert load.parse_wrk(WRK_ANSWERED) == (950.0, 2.0, 4.1, 3)
    assert load.parse_wrk(WRK_NOTHING_ANSWERED) == (None, None, None, 2)
    # Refused, reset and timed-out requests are errors too.
    sockets = "  Socket errors: connect 1, read 2, write 0, timeout 4\n"
    with_sockets = WRK_ANSWERED.replace("Requests/sec:", sockets + "Requests/sec:")
    assert load.parse_wrk(with_sockets) == (950.0, 2.0, 4.1, 3 + 7)
    assert load.parse_wrk("") == (None, None, None, 0)
    # A report cut short before its latency lines.
    cut = WRK_ANSWERED.split("  Latency Distribution")[0]
    assert load.parse_wrk(cut) == (None, None, None, 0)
    assert load.parse_wrk(WRK_ANSWERED.replace("4.10ms", "n/a")) == (
        None,
        None,
        None,
        3,
    )


def test_the_report_says_no_samples_for_pages_nothing_answered(tmp_path):
    from argparse import Namespace

    args = Namespace(
        articles=60, tags=20, seconds=10, connections=2, workers=1, requests=200,
        runs=1, round_requests=5,
    )  # fmt: skip

    def row(rps, reference):
        p50 = None if rps is None else 10.0
        return {"rps": rps, "p50": p50, "p99": p50, "errors": 0, "tool": "wrk",
                "reference_rps": reference}  # fmt: skip

    def page_rows(reference, silent):
        rows = {"reference": row(reference, reference)}
        for label in page_list.HTTP_PAGES:
            rows[label] = row(None if label in silent else 50.0, reference)
        return rows

    costs = dict.fromkeys(page_list.PAGES, ("/", 200, 4, 1.0))
    results = {
        "args": args,
        "command": "python bench/run.py --smoke",
        "date": "2026-11-30 12:00 UTC",
        "elapsed": 1.0,
        "machine": "test",
        "versions": {"Python": "3"},
        "seed_seconds": {"sqlite 60": 0.1},
        "http": {
            "sqlite, page cache off, rendered": page_rows(
                100.0, {"article", "topic page 1"}
            ),
            "sqlite, page cache off, prepared": page_rows(100.0, {"article"}),
            "sqlite, page cache on (local memory)": page_rows(None, set()),
        },
        "queries": {"sqlite": {"small": costs, "large": costs}},
        "admin": {"sqlite": ((10, 5.0), (10, 6.0))},
        "memory": {"sqlite, page cache on (local memory)": [(1, 40.0, 50.0, 51.0)]},
        "search": {"sqlite": {"common word": ("/search/?q=charter", 200, 4, 2.0)}},
        "images": [],
        "related": "Traceback (most recent call last): ...",
    }
    results["targets"] = targets.targets(results, args)
    output = tmp_path / "RESULTS.md"
    report.write_report(output, results)
    text = output.read_text()
    assert "| article | no samples | no samples | no samples | no samples " in text
    verdicts = {title.split(":")[0]: ok for title, _, ok in results["targets"]}
    assert verdicts["Uncached article page with its related list at 60"] is None
    assert verdicts["Cached anonymous pages"] is None  # the reference got nothing
    assert (
        verdicts["Deep page of the largest topic ≤ 2 × its first page (p50, uncached)"]
        is None
    )
    assert verdicts["Related list ≤ 5 ms median, ≥ 20 × taggit"] is None
    # Issue 18's: a page with no samples, a search with one query of three.
    assert verdicts["Uncached article page at 60"] is None
    assert verdicts["Every other uncached public page at 60"] is True
    assert verdicts["Search at 60"] is None
    assert text.count("| not measured |") == 6
    assert "bench/related.py gave no figures" in text
