"""What the newsroom needs at scale, from what each tier cost here.

    python bench/simulate.py                          # docs/SCALING.md's plan
    python bench/simulate.py --readers 3000000 --publishes-per-minute 6
    python bench/simulate.py --costs /tmp/edge.json   # another run's figures

The measured costs come from bench/edge.json (written by `python bench/edge.py`
or `make bench`): CPU ms per request of a Varnish hit, an app server's page-cache
hit and an uncached render, queries per request, purge calls and Varnish objects
dropped per publish, bytes per story, per lead image and per gzipped page. The
scenario is the arguments (defaults below: 100 app servers, 10 million stories, a
million readers in ten minutes). The model, kept simple enough to check by hand:

- reads = readers x pages per reader, over the spike; the peak rate is
  `--peak` times the average (readers arrive front-loaded);
- the edge serves every read except: the long tail (`--tail`: archive stories
  and searches no edge holds), the objects each publish purges, read again once
  per edge cache (`--edge-caches`: 1 behind an origin shield), and the hot
  pages expiring once per s-maxage;
- every origin request is counted as an uncached render (a publish bumps the
  page cache's generation, so right after one nothing in it is current): an
  upper bound; without the edge, the page cache serves the hot reads instead;
- the database gets each origin request's queries, the generation row read
  when its Redis mirror expires (every second; counted once per app server, an
  upper bound: the mirror is shared) and the desk's writes; Redis one read per
  page-cache lookup and one write per render;
- with no edge, each publish sends every hot read that arrives while the first
  render of its page runs (peak x render p50) to a render of its own;
- storage: rows x their measured size x `--db-overhead` (indexes, tags, search
  vectors, history), lead images x their measured bytes (original and
  renditions), the edge's and Redis's copies of the pages read in s-maxage.
"""

import argparse
import json
import math
import sys
from pathlib import Path

COSTS = Path(__file__).resolve().parent / "edge.json"
CLOUDFLARE_FREE_CALLS_PER_MINUTE = 5


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add = parser.add_argument
    add("--costs", default=str(COSTS), help="bench/edge.py's JSON")
    add("--app-servers", type=int, default=100)
    add("--cores", type=int, default=4, help="CPU cores per app server")
    add("--workers", type=int, default=9, help="gunicorn workers per app server")
    add("--stories", type=int, default=10_000_000)
    add("--image-share", type=float, default=0.8, help="stories with a lead image")
    add("--readers", type=int, default=1_000_000)
    add("--minutes", type=float, default=10)
    add("--pages-per-reader", type=float, default=2)
    add("--peak", type=float, default=3, help="peak rate / the spike's average")
    add("--tail", type=float, default=0.02, help="share of reads no edge holds")
    add("--publishes-per-minute", type=float, default=2)
    add("--edge-caches", type=int, default=1, help="caches refetching each object")
    add("--hot-pages", type=int, default=2000, help="addresses read in the spike")
    add("--s-maxage", type=int, default=600)
    add("--desk-queries-per-publish", type=float, default=150)
    add("--db-overhead", type=float, default=3)
    args = parser.parse_args(argv)
    for name in ("minutes", "peak", "s_maxage", "app_servers", "cores"):
        if getattr(args, name) <= 0:
            parser.error(f"--{name.replace('_', '-')} must be positive")
    if not 0 <= args.tail <= 1 or not 0 <= args.image_share <= 1:
        parser.error("--tail and --image-share are shares, between 0 and 1")
    return args


def load_costs(path):
    try:
        data = json.loads(Path(path).read_text())
        tiers, publish, storage = data["tiers"], data["publish"], data["storage"]
        return {
            "varnish_cpu_ms": tiers["varnish_hit"]["cpu_ms"],
            "hit_cpu_ms": tiers["origin_page_cache_hit"]["cpu_ms"],
            "hit_queries": tiers["origin_page_cache_hit"]["queries"],
            "render_cpu_ms": tiers["origin_render"]["cpu_ms"],
            "render_queries": tiers["origin_render"]["queries"],
            "render_p50_ms": tiers["origin_render"]["p50_ms"],
            "purge_calls_per_publish": publish["purge_calls_per_publish"],
            "keys_per_publish": publish["keys_per_publish"],
            "objects_per_publish": publish["objects_dropped_per_publish"],
            "row_bytes": storage["row_bytes_per_story"],
            "image_bytes": storage["media_bytes_per_image"],
            "page_bytes": storage["page_gzip_bytes"],
        }
    except (OSError, ValueError, KeyError, TypeError) as error:
        sys.exit(
            f"cannot read the measured costs from {path} ({error!r}); "
            "run `python bench/edge.py` first"
        )


def model(c, a):
    """[(quantity, value, unit)] for costs `c` and scenario `a`."""
    seconds = a.minutes * 60
    reads = a.readers * a.pages_per_reader
    peak = reads / seconds * a.peak
    publishes = a.publishes_per_minute / 60
    refetches = publishes * c["objects_per_publish"] * a.edge_caches
    expiries = a.hot_pages * a.edge_caches / a.s_maxage
    origin = peak * a.tail + refetches + expiries
    cores = a.app_servers * a.cores
    render_cores = origin * c["render_cpu_ms"] / 1000
    # With no edge, a publish empties the page cache (a new generation) and each
    # hot page is rendered by every request that comes while its first render
    # runs: nothing coalesces them, where Varnish and CDNs make them wait.
    herd = peak * (1 - a.tail) * c["render_p50_ms"] / 1000
    bare_cores = (peak * (1 - a.tail) * c["hit_cpu_ms"]
                  + peak * a.tail * c["render_cpu_ms"]) / 1000  # fmt: skip
    db = (origin * c["render_queries"]
          + a.app_servers  # the generation row, when its Redis mirror expires
          + publishes * a.desk_queries_per_publish)  # fmt: skip
    calls = a.publishes_per_minute * c["purge_calls_per_publish"]
    db_bytes = a.stories * c["row_bytes"] * a.db_overhead
    media_bytes = a.stories * a.image_share * c["image_bytes"]
    cached_pages = a.hot_pages + peak / a.peak * a.tail * a.s_maxage
    return [
        ("reads in the spike", reads, "requests"),
        ("peak read rate", peak, "req/s"),
        ("edge CPU at the peak (Varnish hits)", peak * c["varnish_cpu_ms"] / 1000,
         "cores"),
        ("origin requests at the peak", origin, "req/s"),
        ("  of which the long tail", peak * a.tail, "req/s"),
        ("  of which refetches after purges", refetches, "req/s"),
        ("  of which hot pages expiring", expiries, "req/s"),
        ("origin requests per 10,000 reads", origin / peak * 10_000, "requests"),
        ("origin CPU at the peak (all rendered)", render_cores, "cores"),
        ("origin CPU use of the app servers", render_cores / cores * 100, "%"),
        ("per app server", origin / a.app_servers, "req/s"),
        ("origin CPU with no edge (page cache only)", bare_cores, "cores"),
        ("  of the app servers' CPU", bare_cores / cores * 100, "%"),
        ("renders per publish with no edge (the herd)", herd, "renders"),
        ("  their CPU and queries, at once", herd * c["render_cpu_ms"] / 1000,
         "CPU s"),
        ("", herd * c["render_queries"], "queries"),
        ("database queries at the peak", db, "queries/s"),
        ("database connections (one per worker)", a.app_servers * a.workers,
         "connections"),
        ("Redis commands at the peak", origin * 2, "commands/s"),
        ("Redis commands with no edge", peak * (1 + a.tail), "commands/s"),
        ("purge calls", calls, "calls/min"),
        ("purge keys", a.publishes_per_minute * c["keys_per_publish"], "keys/min"),
        ("within Cloudflare's free plan (5 calls/min)",
         calls <= CLOUDFLARE_FREE_CALLS_PER_MINUTE, "yes/no"),
        ("database size", db_bytes / 1e9, "GB"),
        ("object storage (lead images)", media_bytes / 1e9, "GB"),
        ("pages cached (edge and Redis, per s-maxage)", cached_pages, "pages"),
        ("their size, all edge caches", cached_pages * c["page_bytes"] * a.edge_caches / 1e6, "MB"),
    ]  # fmt: skip


def show(value):
    if isinstance(value, bool):
        return "yes" if value else "NO"
    if value >= 100 or value == int(value):
        return f"{math.ceil(value - 1e-9):,}"
    return f"{value:,.2f}"


def table(rows):
    width = max(len(name) for name, _, _ in rows)
    lines = [f"{'quantity':{width}}  {'value':>14}  unit", "-" * (width + 28)]
    lines += [
        f"{name:{width}}  {show(value):>14}  {unit}" for name, value, unit in rows
    ]
    return "\n".join(lines)


def main(argv=None):
    args = parse_args(argv)
    costs = load_costs(args.costs)
    print(f"measured costs ({args.costs}):")
    print("  " + ", ".join(f"{k} {v}" for k, v in costs.items()))
    print(table(model(costs, args)))


if __name__ == "__main__":
    main()
