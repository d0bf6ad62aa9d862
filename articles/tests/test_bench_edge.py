"""The edge benchmark's arithmetic and report (bench/edge.py, bench/report.py)
and the scaling simulation (bench/simulate.py) on tiny inputs worked by hand.
The stack itself is driven by deploy/tests/test_stack.py and `bench/edge.py`."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench import edge, report, simulate

ROOT = Path(__file__).resolve().parents[2]

TINY_COSTS = {
    "tiers": {
        "varnish_hit": {"cpu_ms": 0.1, "queries": 0, "rps": 9000.0, "p50_ms": 0.2,
                        "p99_ms": 1.0},
        "origin_page_cache_hit": {"cpu_ms": 1.0, "queries": 0, "rps": 900.0,
                                  "p50_ms": 2.0, "p99_ms": 5.0},
        "origin_render": {"cpu_ms": 10.0, "queries": 10, "rps": 90.0,
                          "p50_ms": 20.0, "p99_ms": 80.0},
        "purge_call": {"cpu_ms": 0.05, "wall_ms": 0.4, "keys": 14},
    },
    "publish": {"publishes": 50, "fresh_p50_ms": 3.0, "fresh_p99_ms": 250.0,
                "fresh_max_ms": 300.0, "purge_rows_per_publish": 1,
                "purge_calls_per_publish": 1, "keys_per_publish": 16,
                "objects_dropped_per_publish": 6},
    "storage": {"stories": 19, "db_bytes_per_story": 170000,
                "row_bytes_per_story": 1000, "media_bytes_per_image": 100000,
                "page_gzip_bytes": 5000},
}  # fmt: skip

TINY_SCENARIO = [
    "--readers", "600", "--minutes", "1", "--pages-per-reader", "1", "--peak", "2",
    "--tail", "0.1", "--publishes-per-minute", "6", "--edge-caches", "1",
    "--hot-pages", "60", "--s-maxage", "60", "--app-servers", "2", "--cores", "1",
    "--workers", "3", "--stories", "1000", "--image-share", "0.5",
    "--desk-queries-per-publish", "100", "--db-overhead", "2",
]  # fmt: skip


@pytest.fixture
def costs_file(tmp_path):
    path = tmp_path / "edge.json"
    path.write_text(json.dumps(TINY_COSTS))
    return path


def test_the_simulation_adds_up_on_a_tiny_scenario(costs_file):
    args = simulate.parse_args(["--costs", str(costs_file), *TINY_SCENARIO])
    rows = {name: value for name, value, _ in
            simulate.model(simulate.load_costs(costs_file), args)}  # fmt: skip
    # 600 reads in 60 s: 10/s on average, 20/s at the peak.
    assert rows["peak read rate"] == pytest.approx(20)
    assert rows["edge CPU at the peak (Varnish hits)"] == pytest.approx(0.002)
    # The origin: 2/s of tail, 0.1 publish/s x 6 objects, 60 hot pages / 60 s.
    assert rows["  of which the long tail"] == pytest.approx(2)
    assert rows["  of which refetches after purges"] == pytest.approx(0.6)
    assert rows["  of which hot pages expiring"] == pytest.approx(1)
    assert rows["origin requests at the peak"] == pytest.approx(3.6)
    assert rows["origin requests per 10,000 reads"] == pytest.approx(1800)
    assert rows["origin CPU at the peak (all rendered)"] == pytest.approx(0.036)
    assert rows["origin CPU use of the app servers"] == pytest.approx(1.8)
    # No edge: 18 hits/s x 1 ms + 2 renders/s x 10 ms.
    assert rows["origin CPU with no edge (page cache only)"] == pytest.approx(0.038)
    # A publish with no edge: 18 hot reads/s x 20 ms of render = 0.36 renders.
    assert rows["renders per publish with no edge (the herd)"] == pytest.approx(0.36)
    assert rows["  their CPU and queries, at once"] == pytest.approx(0.0036)
    assert rows[""] == pytest.approx(3.6)
    # 3.6 renders x 10 queries + 2 servers' generation reads + 0.1 publish x 100.
    assert rows["database queries at the peak"] == pytest.approx(48)
    assert rows["database connections (one per worker)"] == 6
    assert rows["Redis commands at the peak"] == pytest.approx(7.2)
    assert rows["purge calls"] == pytest.approx(6)
    assert rows["purge keys"] == pytest.approx(96)
    assert rows["within Cloudflare's free plan (5 calls/min)"] is False
    assert rows["database size"] == pytest.approx(0.002)
    assert rows["object storage (lead images)"] == pytest.approx(0.05)
    assert rows["pages cached (edge and Redis, per s-maxage)"] == pytest.approx(120)
    assert rows["their size, all edge caches"] == pytest.approx(0.6)


def test_the_simulation_prints_its_table(costs_file):
    result = subprocess.run(
        [sys.executable, "bench/simulate.py", "--costs", str(costs_file),
         *TINY_SCENARIO],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert any(line.split()[:3] == ["peak", "read", "rate"] and "20" in line
               for line in lines), result.stdout  # fmt: skip
    assert any(line.startswith("within Cloudflare") and " NO " in line
               for line in lines), result.stdout  # fmt: skip


def test_the_simulation_says_what_is_wrong_with_its_input(tmp_path, costs_file):
    missing = subprocess.run(
        [sys.executable, "bench/simulate.py", "--costs", str(tmp_path / "none.json")],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert missing.returncode == 1
    assert "run `python bench/edge.py` first" in missing.stderr
    assert "Traceback" not in missing.stderr
    bad = subprocess.run(
        [sys.executable, "bench/simulate.py", "--costs", str(costs_file),
         "--minutes", "0"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert bad.returncode == 2 and "--minutes must be positive" in bad.stderr


def test_the_shipped_costs_feed_the_simulation():
    costs = simulate.load_costs(simulate.COSTS)  # bench/edge.json, from a real run
    assert all(isinstance(v, int | float) for v in costs.values()), costs


def test_hit_ratio_and_origin_requests_from_varnish_counters():
    before = dict.fromkeys(edge.COUNTERS, 100)
    after = {"MAIN.client_req": 10_100, "MAIN.cache_hit": 9_980,
             "MAIN.cache_miss": 120, "MAIN.backend_req": 125}  # fmt: skip
    figures = edge.ratio_figures(before, after, {"rps": 1.0})
    assert figures["client_requests"] == 10_000
    assert figures["hit_ratio"] == pytest.approx(9_880 / 9_900, abs=1e-5)
    assert figures["origin_per_10k"] == 25
    assert edge.percentile([5, 1, 4, 2, 3], 0.99) == 5
    assert edge.percentile(list(range(1, 101)), 0.5) == 51


def test_the_edge_section_goes_in_place_of_the_old_one(tmp_path):
    figures = {
        **TINY_COSTS,
        "date": "2026-11-30 21:00 UTC", "seconds": 120, "command": "python bench/edge.py",
        "read_mix": {"addresses": ["/", "/feed/"], "requests_per_turn": 3},
        "steady": {"client_requests": 10_000, "hit_ratio": 0.9991,
                   "origin_per_10k": 9.0},
        "publishing": {"client_requests": 20_000, "hit_ratio": None,
                       "origin_per_10k": None},
    }  # fmt: skip
    results = tmp_path / "RESULTS.md"
    results.write_text(
        "# Benchmark results\n\n## Targets\n\nx\n\n## Reproduce\n\nmake\n"
    )
    report.replace_section(results, report.edge_section(figures))
    report.replace_section(results, report.edge_section(figures))
    text = results.read_text()
    assert text.count(report.EDGE_TITLE) == 1
    assert text.index("## Targets") < text.index(report.EDGE_TITLE)
    assert text.index(report.EDGE_TITLE) < text.index("## Reproduce")
    assert "| hit ratio, steady (10,000 reads) | 0.9991 |" in text
    assert (
        "| origin requests per 10,000 reads, while the desk publishes | "
        "no samples |" in text
    )
    assert (
        "| publish to fresh, p50 / p99 / max over 50 publishes | "
        "3 / 250 / 300 ms |" in text
    )
    assert (
        "| purges per publish: edge_purge rows / edge_purgecall calls | 1 / 1 |" in text
    )
    assert "| Varnish hit (a hot story) | 0.100 | 0.00 | 9000 |" in text
    why = report.edge_section("varnishd is not installed")
    assert why[-2] == "Not run: varnishd is not installed."
