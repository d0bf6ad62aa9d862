"""Actions on stories that the desk takes, kept out of views, admin and models.

The rule: whatever writing a story means beyond its own row lives here, in named,
keyword-only functions, and every route that writes a story goes through them.
`save_story()` is the one way a story is saved: the desk's form, a restore or a
recovery (`articles.history`), `load_demo`, scripts and the tests' factories
all call it. It stores a new lead image cleaned with its renditions, writes the
row, mirrors the body's story links into `StoryLink` and keeps the old address
redirecting, in one transaction. `Article.save()` keeps only the row's own
invariants (slug, sanitised body and its text, publication time, revision date)
and refuses an upload it would store uncleaned. Bulk writes (`update()`) that
change what readers see bump the page cache themselves.
"""

from collections.abc import Iterable

import reversion
from django.db import transaction
from django.utils import timezone
from reversion.revisions import _stack as reversion_stack

from pagecache import generation

from . import edge_keys, images, richtext
from .models import (
    Article,
    SlugRedirect,
    StoryLink,
    TaggedArticle,
    Topic,
    TopicAlias,
    TopicMerge,
    TopicRedirect,
    fold,
    readable_slug,
)


# One transaction: the story, its tagging rows' copy of its window, its links and
# old addresses change together, with one bump of the content generation.
@transaction.atomic(savepoint=False)
def save_story(
    *,
    story: Article,
    user=None,
    update_fields: Iterable[str] | None = None,
    force_insert: bool = False,
) -> Article:
    """Save `story` and what it implies beyond its row.

    Before the row: a new lead image is stored (checked in full, cleaned of its
    metadata) with its renditions, or a stored image without renditions gets
    them (`images.prepare_lead_image`; a bad upload raises ValidationError before
    anything is written). After it: the body's story links are mirrored into
    `StoryLink` (for "linked from"), and a changed address leaves the old one
    redirecting. `user`, when given, is recorded as the last to change it.
    """
    if user is not None:
        story.updated_by = user
        if update_fields is not None:
            update_fields = {*update_fields, "updated_by"}
    images.prepare_lead_image(story)
    adding = story._state.adding
    old_slug = getattr(story, "_stored_slug", None)
    story.save(update_fields=update_fields, force_insert=force_insert)
    if not adding or richtext.story_ids(story.body):
        _rebuild_story_links(story=story)
    if adding or old_slug != story.slug:
        _keep_old_address(story=story, old_slug=old_slug)
    return story


def _rebuild_story_links(*, story):
    """Mirror the body's in-body story links into `StoryLink`, for backlinks."""
    targets = richtext.story_ids(story.body) - {story.pk}
    story.links_out.exclude(target_id__in=targets).delete()
    known = set(story.links_out.values_list("target_id", flat=True))
    StoryLink.objects.bulk_create(
        StoryLink(source=story, target_id=pk) for pk in sorted(targets - known)
    )


def _keep_old_address(*, story, old_slug):
    """The address `story` left answers 301 to its new one; an address it takes
    over from another story stops redirecting there."""
    SlugRedirect.objects.filter(old_slug=story.slug).delete()
    if old_slug:
        SlugRedirect.objects.update_or_create(
            old_slug=old_slug, defaults={"article": story}
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
    edge_keys.stories_changed(ids, reason=f"{count} stories published")
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
    edge_keys.stories_changed(ids, reason=f"{count} stories unpublished")
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
    edge_keys.topic_changed(target, reason=f"topic {source_name} merged into {target}")
    return TopicMerge.objects.create(
        target=target,
        target_name=target.name,
        source_name=source_name,
        source_slug=source_slug,
        stories_moved=counts["moved"],
        stories_already_tagged=counts["already_tagged"],
        merged_by=user,
    )
