"""Actions on stories that the desk takes, kept out of views and admin."""

import reversion
from django.db import transaction
from django.utils import timezone
from reversion.revisions import _stack as reversion_stack

from pagecache import generation

from .models import (
    Article,
    TaggedArticle,
    Topic,
    TopicAlias,
    TopicMerge,
    TopicRedirect,
    fold,
    readable_slug,
)


def submit_for_review(stories, *, user=None):
    """Send drafts to the editors' queue ("In review")."""
    return stories.filter(status=Article.Status.DRAFT).update(
        status=Article.Status.REVIEW, updated_at=timezone.now(), updated_by=user
    )


@transaction.atomic  # readers see the stories, their topic rows and the bump at once
def publish_now(stories, *, user=None):
    """Put stories live at once; stories already live keep their publication time."""
    now = timezone.now()
    live = Article.objects.published().values("pk")
    ids = list(stories.exclude(pk__in=live).values_list("pk", flat=True))
    count = Article.objects.filter(pk__in=ids).update(
        status=Article.Status.PUBLISHED, published_at=now, updated_at=now,
        updated_by=user,
    )  # fmt: skip
    generation.bump()  # update() sends no signal
    return count


@transaction.atomic
def unpublish(stories, *, user=None):
    """Take stories off every public page, back to draft."""
    ids = list(
        stories.exclude(status=Article.Status.DRAFT).values_list("pk", flat=True)
    )
    count = Article.objects.filter(pk__in=ids).update(
        status=Article.Status.DRAFT, updated_at=timezone.now(), updated_by=user
    )
    generation.bump()  # update() sends no signal
    return count


def lock_for_save(*, pk):
    """The story as stored, its row locked until the caller's transaction ends, or
    None if it is gone.

    Call it inside the transaction that saves the story: a concurrent save then
    waits here until this one commits. PostgreSQL locks the row; SQLite has no row
    locks, but its write transactions begin IMMEDIATE (settings), which serialises
    them the same way.
    """
    if not transaction.get_connection().in_atomic_block:
        raise transaction.TransactionManagementError(
            "lock_for_save() only means something inside the saving transaction."
        )
    return Article.objects.select_for_update().filter(pk=pk).first()


def snapshot_before_delete(stories, *, user=None):
    """Record each story, with all it follows (topics, curated links, exclusions,
    notes, old addresses), as a revision of its own, before its rows go.

    django-reversion writes a revision when its outermost block ends and drops the
    versions of rows gone by then; the admin's list is one such block, so a
    snapshot taken inside it would vanish with the story it records. This one is
    written at once, in the caller's transaction (so it goes if the delete fails).
    """
    outer = reversion_stack.set([])  # a block of our own, not the list's
    try:
        with reversion.create_revision():
            for story in stories:
                reversion.add_to_revision(story)
            reversion.set_user(user)
            reversion.set_comment("Deleted.")
    finally:
        reversion_stack.reset(outer)


def merge_preview(*, source, target):
    """How many of `source`'s stories move to `target`, and how many have both."""
    both = TaggedArticle.objects.filter(
        tag=source, content_object__tagged_items__tag=target
    ).count()
    total = TaggedArticle.objects.filter(tag=source).count()
    return {"moved": total - both, "already_tagged": both}


@transaction.atomic
def merge_topics(*, source, target, user=None):
    """Fold topic `source` into `target`; `source`'s name and address live on.

    Every story tagged `source` ends up tagged `target` exactly once. `source`'s
    names become aliases of `target`, its addresses redirect there, its children,
    key events, facts and primary-topic uses move across, and a `TopicMerge`
    records who did it.
    """
    if source.pk == target.pk:
        raise ValueError("A topic cannot be merged into itself.")
    counts = merge_preview(source=source, target=target)
    on_target = TaggedArticle.objects.filter(tag=target).values("content_object_id")
    TaggedArticle.objects.filter(tag=source).exclude(
        content_object_id__in=on_target
    ).update(tag=target)
    TaggedArticle.objects.filter(tag=source).delete()
    Article.objects.filter(primary_topic=source).update(primary_topic=target)
    if target.parent_id == source.pk:
        Topic.objects.filter(pk=target.pk).update(parent=source.parent_id)
    Topic.objects.filter(parent=source).exclude(pk=target.pk).update(parent=target)
    source.events.update(topic=target)
    source.facts.update(topic=target)
    source.aliases.update(topic=target)
    TopicRedirect.objects.filter(topic=source).update(topic=target)
    if not target.featured_article_id and source.featured_article_id:
        Topic.objects.filter(pk=target.pk).update(
            featured_article=source.featured_article_id
        )
    names = [(source.name, TopicAlias.Language.ENGLISH)]
    if source.name_fr and source.name_fr != source.name:
        names.append((source.name_fr, TopicAlias.Language.FRENCH))
    source_name, source_slug = source.name, source.slug
    source.delete()
    TopicRedirect.objects.update_or_create(
        old_slug=source_slug, defaults={"topic": target}
    )
    for number, (name, language) in enumerate(names):
        key = fold(name)
        if (
            TopicAlias.objects.filter(name_key=key).exists()
            or Topic.objects.filter(name_key=key).exists()
        ):
            continue
        slug = source_slug if number == 0 else readable_slug(name)
        while TopicAlias.objects.filter(slug=slug).exists():
            slug = f"{slug}-{language}"
        TopicAlias.objects.create(topic=target, name=name, slug=slug, language=language)
    generation.bump()  # the moves above are update()s, which send no signal
    return TopicMerge.objects.create(
        target=target,
        target_name=target.name,
        source_name=source_name,
        source_slug=source_slug,
        stories_moved=counts["moved"],
        stories_already_tagged=counts["already_tagged"],
        merged_by=user,
    )
