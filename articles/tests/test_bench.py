"""The benchmark harness runs end to end on a tiny corpus, so it cannot rot."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="the harness smoke run uses SQLite of its own; once per CI run is enough",
)
def test_make_bench_smoke_run(tmp_path):
    report = tmp_path / "RESULTS.md"
    result = subprocess.run(
        [
            sys.executable,
            "bench/run.py",
            "--smoke",
            "--output",
            str(report),
            "--data",
            str(tmp_path / "data"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    last = result.stdout.strip().splitlines()[-1]
    assert last.startswith("bench articles=60 targets_met="), last
    text = report.read_text()
    for line in [
        "## Targets",
        "Cached anonymous pages",
        "Admin story list",
        "Worker memory",
        "| reference | ",
        "| sitemap | ",
        "### sqlite, page cache on (local memory)",
    ]:
        assert line in text, line
    assert "NOT met** |" in text or "**met** |" in text
    # Queries per page: the same count at both corpus sizes.
    assert re.search(r"\| home \| (\d+) \([^|]*\| \1 \(", text), text
