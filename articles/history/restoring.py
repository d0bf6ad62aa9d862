"""Restoring a version: what it would change (the confirmation page), and the
restore itself, as one new revision. The content comes back; the publication
state and the address only on request; notes never."""

from dataclasses import dataclass

import reversion
from django.db import transaction
from reversion.models import Version

from articles import services
from articles.history.comparing import compare, state_summary
from articles.history.snapshots import (
    CONTENT_FIELDS,
    IMAGE_FIELDS,
    STATE_FIELDS,
    gone,
    snapshot_now,
    snapshot_of,
    stored,
    to_ms,
    when,
)
from articles.models import (
    Article,
    Author,
    RelatedExclusion,
    RelatedStory,
    TaggedArticle,
    Topic,
)


class StaleError(Exception):
    """The story was saved after the editor opened the confirmation page."""


@dataclass
class RestorePlan:
    """What restoring `version` onto the story as it is now would do."""

    story: Article
    version: Version
    rows: list  # the content rows that change
    state_now: str
    state_then: str
    offer_state: bool
    address_now: str
    address_then: str
    offer_address: bool
    address_taken: bool
    image_missing: bool
    skipped: list  # sentences: topics, stories, bylines that are gone
    notes_added_since: list
    notes_deleted_since: list
    opened_version: str

    @property
    def changes_anything(self):
        return bool(self.rows) or self.offer_state or self.offer_address


def restore_plan(article, version, *, user):
    now, then = snapshot_now(article), snapshot_of(version)
    rows = compare(now, then, user=user)
    content = [row for row in rows if row.part == "content" and row.changed]
    address_then = then.fields.get("slug") or ""
    taken = Article.objects.filter(slug=address_then).exclude(pk=article.pk).exists()
    image_missing = bool(then.image_name) and not stored(then.image_name)
    if image_missing:
        content = [row for row in content if row.label not in _IMAGE_LABELS]
    kept = {note["pk"] for note in then.notes}
    existing = {note["pk"] for note in now.notes}
    return RestorePlan(
        story=article,
        version=version,
        rows=content,
        state_now=state_summary(now.fields),
        state_then=state_summary(then.fields),
        offer_state=any(
            to_ms(now.fields.get(n)) != then.fields.get(n) for n in STATE_FIELDS
        ),
        address_now=article.slug,
        address_then=address_then,
        offer_address=bool(address_then) and address_then != article.slug and not taken,
        address_taken=taken and address_then != article.slug,
        image_missing=image_missing,
        skipped=gone(then),
        notes_added_since=[n for n in now.notes if n["pk"] not in kept],
        notes_deleted_since=[n for n in then.notes if n["pk"] not in existing],
        opened_version=article.updated_at.isoformat(),
    )


_IMAGE_LABELS = {"Lead image", "Alt text", "Caption", "Credit"}


def restore(article, version, *, user, state=False, address=False, opened=None):
    """Bring back the content `version` recorded (text, topics, primary topic,
    byline, curated links, exclusions, lead image) as one new revision.

    The publication state and the address stay as they are now unless `state` /
    `address` ask for the version's; the address left behind keeps redirecting.
    Notes are never touched. With `opened` (the story's `updated_at` when the
    editor looked), raise `StaleError` if it was saved since.
    """
    then = snapshot_of(version)
    what = ["content"]
    with transaction.atomic(), reversion.create_revision():
        story = services.lock_for_save(pk=article.pk)
        if story is None:
            raise StaleError("The story has been deleted.")
        if opened is not None and story.updated_at.isoformat() != opened:
            raise StaleError(_saved_since(story))
        names = list(CONTENT_FIELDS)
        if then.image_name and not stored(then.image_name):
            names = [name for name in names if name not in IMAGE_FIELDS]
        if state and any(
            to_ms(getattr(story, name)) != then.fields.get(name)
            for name in STATE_FIELDS
        ):
            names += STATE_FIELDS
            what.append("publication state")
        slug = then.fields.get("slug")
        free = not Article.objects.filter(slug=slug).exclude(pk=story.pk).exists()
        if address and slug and slug != story.slug and free:
            names.append("slug")
            what.append("address")
        for name in names:
            setattr(story, name, then.fields.get(name))
        story.updated_by = user
        put_back_rows(story, then)
        services.save_story(story=story, user=user)
        reversion.add_to_revision(story)
        reversion.set_user(user)
        reversion.set_comment(
            f"Restored the version of {when(version.revision.date_created)} "
            f"({', '.join(what)})."
        )
    return story


def _saved_since(story):
    who = story.updated_by
    name = (who.get_full_name() or who.get_username()) if who else "someone"
    return f"{name} saved this story at {when(story.updated_at)}"


def put_back_rows(story, then):
    """Topics, byline, curated links and exclusions as `then` had them (what no
    longer exists is left out); the primary topic one of those topics."""
    topics = list(
        Topic.objects.filter(pk__in=then.topic_ids).values_list("pk", flat=True)
    )
    topics.sort(key=then.topic_ids.index)
    story.tagged_items.exclude(tag_id__in=topics).delete()
    have = set(story.tagged_items.values_list("tag_id", flat=True))
    for pk in topics:
        if pk not in have:
            TaggedArticle(content_object=story, tag_id=pk).save()
    if story.primary_topic_id not in topics:
        story.primary_topic_id = (
            topics[0] if then.fields.get("primary_topic_id") and topics else None
        )
    story.authors.set(Author.objects.filter(pk__in=then.authors))
    alive = set(
        Article.objects.filter(
            pk__in=[pk for pk, _ in then.curated] + then.excluded
        ).values_list("pk", flat=True)
    )
    story.curated_links.all().delete()
    RelatedStory.objects.bulk_create(
        RelatedStory(article=story, story_id=pk, position=position)
        for pk, position in then.curated
        if pk in alive and pk != story.pk
    )
    story.related_exclusions.all().delete()
    RelatedExclusion.objects.bulk_create(
        RelatedExclusion(article=story, story_id=pk)
        for pk in dict.fromkeys(then.excluded)
        if pk in alive and pk != story.pk
    )
