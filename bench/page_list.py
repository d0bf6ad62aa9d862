"""The public pages the benchmark measures, in the report's order.

bench/timings/test_pages.py builds their addresses on a corpus; the orchestrator
reads the labels from here (no Django needed)."""

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
# Driven over HTTP too; the topic feed costs what the site feed does there.
HTTP_PAGES = [p for p in PAGES if p != "topic feed"]
