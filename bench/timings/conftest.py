"""In-process timings, written with pytest-benchmark, on whatever DATABASE_URL holds.

    .venv/bin/python manage.py seed_corpus --articles 100000    # or load_demo
    .venv/bin/pytest bench/timings/test_pages.py                # pages
    .venv/bin/pytest bench/timings --bench-runs 3 --benchmark-json=out.json

Pages are rendered with Django's test client (no HTTP server, page cache off), so
a figure is the cost of our code and queries alone. This folder's pytest.ini keeps
pytest-django out: the tests read the database itself, not a test copy. Each test
puts what the report needs besides the time (status, queries, ...) in
`benchmark.extra_info`; `make bench` reads the JSON (bench/inprocess.py), and a
table of those figures closes the terminal output. Lead-image checks need a
process per picture: run them through bench/images.py.
"""

import os

import django
import pytest

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1")
os.environ["DJANGO_PAGE_CACHE_SECONDS"] = "0"  # the cost of rendering, not of a hit
os.environ["DJANGO_PREPARED_PAGE_SECONDS"] = "0"  # nor of a copy prepared ahead
django.setup()

from django.test import Client  # noqa: E402

ROWS = pytest.StashKey[list]()


def pytest_addoption(parser):
    group = parser.getgroup("newsroom benchmarks")
    group.addoption(
        "--bench-runs", type=int, default=5, help="timed calls per page or query"
    )
    group.addoption(
        "--bench-samples", type=int, default=20, help="stories timed for related lists"
    )
    group.addoption(
        "--bench-image", help="the picture test_images.py checks (bench/images.py)"
    )


def pytest_configure(config):
    config.stash[ROWS] = []


@pytest.fixture
def bench_runs(request):
    return request.config.getoption("--bench-runs")


@pytest.fixture
def client():
    return Client(HTTP_HOST="127.0.0.1")


@pytest.fixture
def record(request, benchmark):
    """Put `figures` in the benchmark's JSON and in the closing table."""

    def record(**figures):
        benchmark.extra_info.update(figures)
        median = benchmark.stats["median"] * 1000 if benchmark.stats else None
        request.config.stash[ROWS].append((request.node.name, figures, median))

    return record


def pytest_terminal_summary(terminalreporter, config):
    rows = config.stash.get(ROWS, [])
    if not rows:
        return
    terminalreporter.section("figures (median ms of the rounds)")
    for name, figures, median in rows:
        shown = " ".join(f"{key}={value}" for key, value in figures.items())
        timing = f"{median:10.1f} ms" if median is not None else " " * 13
        terminalreporter.write_line(f"{name[:48]:48} {timing}  {shown}")
