"""Recovering a deleted story from its deletion snapshot: what comes back (the
confirmation page), and the recovery, as a draft unless the editor puts it back
live."""

from dataclasses import dataclass
from datetime import datetime

import reversion
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from reversion.models import Version

from articles import services
from articles.history.comparing import Names, state_summary, texts
from articles.history.restoring import put_back_rows
from articles.history.snapshots import (
    IMAGE_FIELDS,
    Snapshot,
    gone,
    snapshot_of,
    stored,
)
from articles.models import Article, SlugRedirect, StoryNote, Topic, live


class NotRecoverableError(Exception):
    """The deleted story is back already (someone recovered it meanwhile)."""


@dataclass
class RecoveryPlan:
    version: Version
    snapshot: Snapshot
    headline: str
    deleted_at: datetime
    deleted_by: object
    state_then: str
    was_public: bool
    address_then: str
    address: str  # where it comes back
    image_missing: bool
    skipped: list
    rows: list  # (label, text) of what comes back
    notes: list


def deleted_version(version_id):
    """The last version of a deleted story (its deletion snapshot), or None."""
    return (
        Version.objects.get_deleted(Article)
        .select_related("revision__user")
        .filter(pk=version_id)
        .first()
    )


def story_of_version(version_id):
    """The story a version belongs to, if it exists now, else None."""
    version = Version.objects.get_for_model(Article).filter(pk=version_id).first()
    if version is None:
        return None
    return Article.objects.filter(pk=version.object_id).first()


def recovery_plan(version, *, user):
    snap = snapshot_of(version)
    names = Names([snap], user)
    fields = snap.fields
    address_then = fields.get("slug") or ""
    image_missing = bool(snap.image_name) and not stored(snap.image_name)
    rows = [
        (label, text)
        for label, part, text in texts(snap, names)
        if text and part != "state" and label not in ("Body", "Address (slug)")
    ]
    return RecoveryPlan(
        version=version,
        snapshot=snap,
        headline=fields.get("headline") or version.object_repr,
        deleted_at=version.revision.date_created,
        deleted_by=version.revision.user,
        state_then=state_summary(fields),
        was_public=live.holds(Article.objects.window_q(), fields),
        address_then=address_then,
        address=_free_slug(address_then, snap.pk),
        image_missing=image_missing,
        skipped=gone(snap),
        rows=rows,
        notes=sorted(snap.notes, key=lambda note: note["created_at"], reverse=True),
    )


def _free_slug(slug, pk):
    """`slug` if no other story uses it now, else the first free `slug-2`, `-3`…"""
    slug = slug or "story"
    taken = set(
        Article.objects.filter(slug__startswith=slug)
        .exclude(pk=pk)
        .values_list("slug", flat=True)
    )
    candidate, number = slug, 1
    while candidate in taken:
        number += 1
        candidate = f"{slug[: 200 - len(str(number)) - 1]}-{number}"
    return candidate


def recover(version, *, user, republish=False):
    """Bring a deleted story back as its deletion snapshot recorded it: text, image,
    topics, byline, curated links, exclusions, notes and old addresses.

    A story that was published (or scheduled) comes back as a draft, keeping its
    publication and expiry times, unless `republish`: then it goes back exactly as
    it was. Raise `NotRecoverableError` if it is back already.
    """
    snap = snapshot_of(version)
    fields = {
        name: value
        for name, value in snap.fields.items()
        if name in {f.attname for f in Article._meta.concrete_fields}
    }
    story = Article(**fields)
    story.slug = _free_slug(story.slug, snap.pk)
    # Whoever and whatever it pointed at may be gone since.
    users = get_user_model().objects.filter(
        pk__in=[story.created_by_id, story.updated_by_id]
    )
    if story.created_by_id not in set(users.values_list("pk", flat=True)):
        story.created_by_id = None
    if not Topic.objects.filter(pk=story.primary_topic_id or 0).exists():
        story.primary_topic_id = None
    if not republish and story.has_window():
        story.status = Article.Status.DRAFT
    if snap.image_name and not stored(snap.image_name):
        for name in IMAGE_FIELDS:
            setattr(story, name, Article._meta.get_field(name).get_default())
    story.updated_by = user
    try:
        with transaction.atomic(), reversion.create_revision():
            if Article.objects.filter(pk=snap.pk).exists():
                raise NotRecoverableError("The story is back already.")
            services.save_story(story=story, force_insert=True)
            # Saving stamps a new creation time; the story keeps its own.
            Article.objects.filter(pk=story.pk).update(
                created_at=fields.get("created_at") or story.created_at
            )
            put_back_rows(story, snap)
            services.save_story(story=story, update_fields=["primary_topic"])
            _put_back_notes(story, snap)
            for old_slug in snap.old_slugs:
                if not (
                    Article.objects.filter(slug=old_slug).exists()
                    or SlugRedirect.objects.filter(old_slug=old_slug).exists()
                ):
                    SlugRedirect.objects.create(old_slug=old_slug, article=story)
            reversion.add_to_revision(story)
            reversion.set_user(user)
            state = "as it was" if republish else f"as {story.get_status_display()}"
            reversion.set_comment(f"Recovered after deletion ({state}).")
    except IntegrityError as error:
        # Two editors recovering at once: the second finds the row (or the
        # address) taken.
        raise NotRecoverableError(
            "Someone recovered it, or took its address, at the same moment."
        ) from error
    return story


def _put_back_notes(story, snap):
    taken = set(
        StoryNote.objects.filter(pk__in=[n["pk"] for n in snap.notes]).values_list(
            "pk", flat=True
        )
    )
    StoryNote.objects.bulk_create(
        StoryNote(
            pk=None if note["pk"] in taken else note["pk"],
            article=story,
            kind=note["kind"],
            text=note["text"],
            created_at=note["created_at"],
        )
        for note in snap.notes
    )
