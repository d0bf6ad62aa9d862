import bisect
import itertools
import random
import time
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from articles import db_maintained, edge_keys
from articles.models import (
    Article,
    RelatedStory,
    TaggedArticle,
    Topic,
    fold,
    readable_slug,
)
from pagecache import generation

BATCH = 2000
PLACES = [
    "Mali",
    "Niger",
    "Burkina Faso",
    "Sahel",
    "Liptako-Gourma",
    "Ménaka",
    "Tillabéri",
]
WORDS = [
    "charter",
    "alliance",
    "junta",
    "convoy",
    "border",
    "drought",
    "election",
    "militia",
    "envoy",
    "summit",
    "ceasefire",
    "market",
    "pipeline",
    "garrison",
    "corridor",
    "harvest",
    "refugees",
    "treaty",
    "sanctions",
]


# The tagging rows: five to ten times as many as stories, so they skip the ORM.
# Their copy of the story's public window is the database's to write.
TAGGING_FIELDS = ["content_object", "tag"]


def insert_rows(model, fields, rows):
    """Insert rows of ready column values: what bulk_create does, without building
    and preparing a model instance per row, most of its cost at this size. COPY on
    PostgreSQL; one prepared INSERT run for every row elsewhere."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(model._meta.get_field(f).column) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(fields))
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows
            )


class Command(BaseCommand):
    help = (
        "Add N synthetic published stories with a Zipf-like topic distribution, for "
        "benchmarks: a few topics on most stories, a long tail, 3 to 8 topics each."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--articles", type=int, required=True, help="stories to add"
        )
        parser.add_argument(
            "--tags", type=int, default=400, help="size of the topic pool"
        )
        parser.add_argument("--seed", type=int, default=1, help="random seed")

    def handle(self, *args, articles, tags, seed, **options):
        if articles < 1 or tags < 8:
            raise CommandError("--articles must be at least 1 and --tags at least 8.")
        started = time.monotonic()
        rng = random.Random(seed)
        with transaction.atomic():
            # Per-row triggers would make a bulk load ten times slower on SQLite:
            # load without them, then index every story and copy every window in
            # one statement each (PostgreSQL's triggers stay: they are cheap).
            db_maintained.drop_triggers(connection)
            topic_ids = self.topic_pool(tags)
            cumulative = list(
                itertools.accumulate(1 / (rank + 1) for rank in range(tags))
            )
            created, taggings, links = self.add_stories(
                articles, topic_ids, cumulative, rng, seed
            )
            for rebuilt in db_maintained.ensure(connection):
                self.stdout.write(f"  {rebuilt} rebuilt")
            generation.bump()  # bulk inserts send no signals
            edge_keys.everything(reason="corpus seeded")
        with connection.cursor() as cursor:
            # Bulk inserts leave the planner blind; on PostgreSQL they also leave
            # the GIN index's pending list unmerged and the visibility map empty
            # (no index-only scans), which autovacuum settles later in a real
            # newsroom: VACUUM (outside a transaction only: not in a test's) so
            # that a corpus reads as a settled database does.
            settle = (
                connection.vendor == "postgresql" and not connection.in_atomic_block
            )
            cursor.execute("VACUUM ANALYZE" if settle else "ANALYZE")
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {articles:,} stories ({created:,} live, {articles - created:,} "
                f"drafts or scheduled) with {taggings:,} topic links over {tags} topics "
                f"and {links:,} curated links in {elapsed:.1f}s."
            )
        )

    def topic_pool(self, size):
        """The topics in rank order: the first is on most stories."""
        names = [
            *PLACES,
            *(f"Corpus topic {rank:05d}" for rank in range(len(PLACES), size)),
        ]
        names = names[:size]
        Topic.objects.bulk_create(
            [
                Topic(name=name, slug=readable_slug(name, 90), name_key=fold(name))
                for name in names
            ],
            ignore_conflicts=True,
        )
        ids = dict(
            Topic.objects.filter(name_key__in=[fold(n) for n in names]).values_list(
                "name_key", "pk"
            )
        )
        return [ids[fold(name)] for name in names]

    def add_stories(self, total, topic_ids, cumulative, rng, seed):
        now = timezone.now()
        prefix = f"corpus-{seed}-"
        offset = Article.objects.filter(slug__startswith=prefix).count()
        published = Article.Status.PUBLISHED
        live = taggings = links = 0
        recent_ids = []
        for start in range(0, total, BATCH):
            stories = []
            for number in range(start, min(start + BATCH, total)):
                roll = rng.random()
                status, when = (
                    published,
                    now - timedelta(minutes=rng.randrange(5 * 525_600)),
                )
                if roll < 0.01:
                    status, when = Article.Status.DRAFT, None
                elif roll < 0.015:
                    when = now + timedelta(hours=rng.randrange(1, 500))
                else:
                    live += 1
                words = " ".join(rng.choice(WORDS) for _ in range(6))
                stories.append(
                    Article(
                        headline=f"{rng.choice(PLACES)}: {words} ({offset + number})",
                        slug=f"{prefix}{offset + number}",
                        dek=f"A synthetic story about {words}.",
                        body=f"<p>{words.capitalize()}.</p><p>{words}.</p>",
                        body_text=f"{words.capitalize()}.\n{words}.",
                        status=status,
                        published_at=when,
                    )
                )
            Article.objects.bulk_create(stories)
            rows, related = [], []
            for index, story in enumerate(stories):
                for topic_id in self.pick_topics(rng, topic_ids, cumulative):
                    rows.append((story.pk, topic_id))
                if (index or recent_ids) and rng.random() < 0.03:
                    # Curate a few of the stories just before this one.
                    earlier = recent_ids + [
                        s.pk for s in stories[max(0, index - 200) : index]
                    ]
                    for position, target in enumerate(
                        set(rng.sample(earlier, min(3, len(earlier))))
                    ):
                        related.append(
                            RelatedStory(
                                article_id=story.pk, story_id=target, position=position
                            )
                        )
            insert_rows(TaggedArticle, TAGGING_FIELDS, rows)
            RelatedStory.objects.bulk_create(related)
            recent_ids = [story.pk for story in stories[-200:]]
            taggings += len(rows)
            links += len(related)
            done = min(start + BATCH, total)
            if total > BATCH and (
                done == total or done % max(BATCH, total // 10) < BATCH
            ):
                self.stdout.write(f"  {done:>9,}/{total:,} stories")
        return live, taggings, links

    @staticmethod
    def pick_topics(rng, topic_ids, cumulative):
        wanted = rng.randint(3, 8)
        picked = set()
        top = cumulative[-1]
        while len(picked) < wanted:
            picked.add(topic_ids[bisect.bisect(cumulative, rng.random() * top)])
        return picked
