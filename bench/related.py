"""Median time of our related-stories list against django-taggit's similar_objects().

    python bench/related.py --articles 100000

Seeds a corpus of N stories with `seed_corpus` into its own SQLite file
(bench/corpus-related-<N>.sqlite3, reused when it already holds N stories), then
runs bench/timings/test_related.py (pytest-benchmark) on it: the same random
sample of published stories for both, each story's fastest of `--runs` calls
(so another process's burst does not count), then the median over the sample.
Ours is timed warm (topic map and counts cached, as on a live site); its cold
cost is printed too. Last line:
`related N=<n> ours_ms=<median ms> taggit_ms=<median ms> speedup=<taggit/ours>`.
"""

import argparse
import os
import statistics
import sys
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

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from articles.models import Article  # noqa: E402
from bench.inprocess import ms, run_pytest  # noqa: E402


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


def main():
    corpus(ARGS.articles)
    connection.close()  # the timings run in a process of their own
    entries = run_pytest(
        os.environ["DATABASE_URL"],
        ["test_related.py"],
        f"--bench-samples={ARGS.samples}",
        f"--bench-runs={ARGS.runs}",
        quiet=False,  # pytest's progress, story by story
    )
    (cold,) = [entry for entry in entries if entry["group"] == "related, cold"]
    print(
        f"ours: cold {ms(cold):.1f} ms / {cold['extra_info']['cold_queries']} "
        f"queries (topic map and counts), then {cold['extra_info']['queries']} "
        "queries per list",
        flush=True,
    )
    fastest = {"ours": {}, "taggit": {}}
    for entry in entries:
        info = entry["extra_info"]
        if "engine" in info:
            fastest[info["engine"]][info["story"]] = ms(entry, "min")
    stories = list(fastest["ours"])
    for number, story in enumerate(stories, start=1):
        print(
            f"  [{number}/{len(stories)}] story {story}: ours "
            f"{fastest['ours'][story]:.2f} ms, taggit {fastest['taggit'][story]:.1f} ms"
        )
    ours = list(fastest["ours"].values())
    ours_ms = statistics.median(ours)
    taggit_ms = statistics.median(fastest["taggit"].values())
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
