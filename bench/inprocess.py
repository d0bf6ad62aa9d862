"""The in-process timings (bench/timings/, pytest-benchmark) run on one database,
and their JSON read back as the report's figures."""

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from .corpus import ROOT, django_env
from .page_list import PAGES

TIMINGS = ROOT / "bench" / "timings"


def run_pytest(database_url, tests, *options, quiet=True):
    """pytest-benchmark's entries for `tests` (files under bench/timings/) run on
    `database_url`: one dict per benchmark, its `stats` in seconds."""
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "benchmarks.json"
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "-p",
                "pytest_benchmark.plugin",
                *(str(TIMINGS / test) for test in tests),
                f"--benchmark-json={output}",
                *options,
            ],
            cwd=ROOT,
            # Only the plugin we use: the suite's others (hypothesis, through
            # schemathesis) take seconds to import, for every run.
            env=django_env(database_url, PYTEST_DISABLE_PLUGIN_AUTOLOAD="1"),
            capture_output=quiet,
            text=True,
        )
        if result.returncode or not output.exists():
            sys.exit(
                f"bench/timings ({', '.join(tests)}) failed on {database_url}:\n"
                f"{(result.stdout or '')[-3000:]}{result.stderr or ''}"
            )
        return json.loads(output.read_text())["benchmarks"]


def ms(entry, statistic="median"):
    return entry["stats"][statistic] * 1000


def corpus_costs(database_url, runs):
    """Pages, the admin's story list and search on one corpus:
    {"pages": {label: (url, status, queries, median ms)},
     "admin": (queries, median ms),
     "search": {label: (url, status, queries, median ms)}}."""
    entries = run_pytest(
        database_url,
        ["test_pages.py", "test_admin_list.py", "test_search.py"],
        f"--bench-runs={runs}",
    )
    groups = {}
    for entry in entries:
        groups.setdefault(entry["group"], []).append(entry)
    pages = {
        entry["extra_info"]["label"]: (
            entry["extra_info"]["url"],
            entry["extra_info"]["status"],
            entry["extra_info"]["queries"],
            ms(entry),
        )
        for entry in groups["pages"]
    }
    (admin,) = groups["admin"]
    search = {
        entry["extra_info"]["label"]: (
            entry["extra_info"]["url"],
            entry["extra_info"]["status"],
            entry["extra_info"]["queries"],
            ms(entry),
        )
        for entry in groups["search"]
    }
    return {
        "pages": {label: pages[label] for label in PAGES},
        "admin": (admin["extra_info"]["queries"], ms(admin)),
        "search": search,
    }
