import pytest
from django.core.management import call_command
from django.db.models import Count

from articles.models import Article, RelatedStory, TaggedArticle

pytestmark = pytest.mark.django_db


def test_seed_corpus_builds_a_zipf_like_archive(capsys):
    call_command("seed_corpus", articles=3000, tags=60, seed=7)
    out = capsys.readouterr().out
    assert out.strip().splitlines()[-1].startswith("Seeded 3,000 stories")
    assert "3,000/3,000 stories" in out  # progress

    assert Article.objects.count() == 3000
    live = Article.objects.published().count()
    assert 2850 < live < 3000  # a few drafts and scheduled stories mixed in
    assert Article.objects.filter(status="draft").exists()
    assert Article.objects.filter(status="published").count() > live  # scheduled

    per_story = Article.objects.annotate(n=Count("tagged_items")).values_list(
        "n", flat=True
    )
    assert min(per_story) >= 3 and max(per_story) <= 8

    usage = sorted(
        TaggedArticle.objects.values("tag_id")
        .annotate(n=Count("*"))
        .values_list("n", flat=True),
        reverse=True,
    )
    # A few topics on most stories, a long tail on few.
    assert usage[0] > 0.5 * 3000
    assert usage[-1] < 0.05 * 3000
    assert RelatedStory.objects.exists()

    # The tagging rows carry each story's public window, as Article.save() keeps it.
    for story in Article.objects.order_by("?")[:50]:
        windows = set(
            story.tagged_items.values_list("live_from", "live_until").distinct()
        )
        assert windows == {story.live_window()}
    live_rows = TaggedArticle.live().values("content_object_id").distinct().count()
    assert live_rows == live


def test_seed_corpus_twice_adds_more(capsys):
    call_command("seed_corpus", articles=50, tags=20, seed=1)
    call_command("seed_corpus", articles=50, tags=20, seed=1)
    assert Article.objects.count() == 100
    assert Article.objects.values("slug").distinct().count() == 100


def test_seed_corpus_refuses_nonsense():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("seed_corpus", articles=0)


def test_a_small_corpus_has_curated_links_and_years_of_dates():
    from datetime import timedelta

    from django.db.models import Max, Min

    call_command("seed_corpus", articles=400, tags=20, seed=3)
    assert RelatedStory.objects.exists()
    span = Article.objects.published().aggregate(
        first=Min("published_at"), last=Max("published_at")
    )
    assert span["last"] - span["first"] > timedelta(days=3 * 365)
