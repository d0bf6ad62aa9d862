"""The targets bench/RESULTS.md grades: each a (target, figure, verdict) row, the
verdict None ("not measured") when a figure it needs got no samples."""

import re

from .figures import figure, ratio
from .page_list import HTTP_PAGES, PAGES

MEMORY_THRESHOLD_MB = 5.0


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
