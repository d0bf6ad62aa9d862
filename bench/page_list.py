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
    "topic timeline",
    "sitemap section",
    "API stories",
    "API story",
]
# Every page is driven over HTTP too.
HTTP_PAGES = list(PAGES)
# Never kept ahead (free text): its uncached figure is always a render.
FREE_TEXT = {"search"}
