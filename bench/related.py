"""Median time of our related-stories list against django-taggit's similar_objects().

    python bench/related.py --articles 100000

Seeds a corpus of N stories with `seed_corpus` into its own SQLite file
(bench/corpus-related-<N>.sqlite3, reused when it already holds N stories), picks
the same random sample of published stories for both, and takes the best of
`--runs` calls of each per story (so another process's burst does not count), then
the median over the sample. Ours is timed warm (topic map and counts cached, as on
a live site); its cold cost is printed too. Last line:
`related N=<n> ours_ms=<median ms> taggit_ms=<median ms> speedup=<taggit/ours>`.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, required=True)
    parser.add_argument("--samples", type=int, default=20, help="stories to time")
    parser.add_argument("--runs", type=int, default=3, help="timed calls per story")
    parser.add_argument("--db", help="SQLite file (default: one per corpus size)")
    return parser.parse_args()


ARGS = parse_args()
DB_FILE = Path(ARGS.db or ROOT / "bench" / f"corpus-related-{ARGS.articles}.sqlite3")
os.environ["DATABASE_URL"] = f"sqlite:///{DB_FILE}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from articles.models import Article  # noqa: E402
from articles.related import related_stories  # noqa: E402


def corpus(size):
    call_command("migrate", verbosity=0)
    have = Article.objects.filter(slug__startswith="corpus-1-").count()
    if have == size:
        print(f"Reusing {DB_FILE.name}: {size:,} stories", flush=True)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as seed_corpus leaves it
        return
    if have:
        connection.close()
        DB_FILE.unlink()
        call_command("migrate", verbosity=0)
    print(f"Seeding {size:,} stories into {DB_FILE.name} ...", flush=True)
    call_command("seed_corpus", articles=size)


def timed(call, runs):
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000)
    return min(timings)


def main():
    corpus(ARGS.articles)
    ids = list(Article.objects.published().values_list("pk", flat=True))
    sample = random.Random(7).sample(ids, min(ARGS.samples, len(ids)))
    stories = list(Article.objects.filter(pk__in=sample))

    cache.clear()
    with CaptureQueriesContext(connection) as cold_queries:
        started = time.perf_counter()
        related_stories(stories[0])
        cold_ms = (time.perf_counter() - started) * 1000
    with CaptureQueriesContext(connection) as warm_queries:
        related_stories(stories[0])
    print(
        f"ours: cold {cold_ms:.1f} ms / {len(cold_queries)} queries (topic map and "
        f"counts), then {len(warm_queries)} queries per list",
        flush=True,
    )

    ours, theirs = [], []
    for number, story in enumerate(stories, start=1):
        ours.append(timed(lambda s=story: related_stories(s), ARGS.runs))
        theirs.append(timed(lambda s=story: list(s.tags.similar_objects()), ARGS.runs))
        print(
            f"  [{number}/{len(stories)}] story {story.pk}: ours {ours[-1]:.2f} ms, "
            f"taggit {theirs[-1]:.1f} ms",
            flush=True,
        )
    ours_ms, taggit_ms = statistics.median(ours), statistics.median(theirs)
    quartile = statistics.quantiles(ours, n=4)[0] if len(ours) > 1 else ours_ms
    print(
        f"ours: fastest {min(ours):.2f} ms, first quartile {quartile:.2f} ms; load "
        f"average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (timings on a "
        f"busy machine include waits for a CPU)"
    )
    print(
        f"related N={ARGS.articles} ours_ms={ours_ms:.2f} taggit_ms={taggit_ms:.1f} "
        f"speedup={taggit_ms / ours_ms:.0f}"
    )


if __name__ == "__main__":
    main()
