"""What a story was, and is: a version read as a `Snapshot`, the same shape as the
story stored now, and what a version names that no longer exists."""

import logging
from dataclasses import dataclass, field
from datetime import datetime

from django.utils.dateformat import format as format_date
from django.utils.timezone import template_localtime

from articles.models import (
    Article,
    Author,
    RelatedExclusion,
    RelatedStory,
    SlugRedirect,
    StoryNote,
    TaggedArticle,
    Topic,
)

# What a restore brings back, and what it leaves as it is unless asked.
CONTENT_FIELDS = [
    "headline", "dek", "body", "sources", "primary_topic_id",
    "lead_image", "lead_image_width", "lead_image_height", "lead_image_renditions",
    "lead_image_alt", "lead_image_caption", "lead_image_credit",
]  # fmt: skip
IMAGE_FIELDS = [name for name in CONTENT_FIELDS if name.startswith("lead_image")]
STATE_FIELDS = ["status", "published_at", "unpublish_at"]

logger = logging.getLogger(__name__)


def when(moment):
    """A moment as the desk reads it, to the second: two saves can share a minute."""
    return format_date(template_localtime(moment), "j M Y, H:i:s")


def parse_moment(text):
    """An ISO time from a form (the version an editor opened), or None."""
    try:
        return datetime.fromisoformat(text or "")
    except ValueError:
        return None


@dataclass
class Snapshot:
    """A story's fields (attribute names, as reversion's `field_dict`) and the rows
    that belong to it."""

    pk: int
    fields: dict
    topic_ids: list = field(default_factory=list)
    curated: list = field(default_factory=list)  # (story id, position), in order
    excluded: list = field(default_factory=list)
    authors: list = field(default_factory=list)
    notes: list = field(default_factory=list)  # dicts: pk, kind, text, created_at
    old_slugs: list = field(default_factory=list)

    @property
    def image_name(self):
        image = self.fields.get("lead_image")
        return getattr(image, "name", image) or ""


# The rows a story's version follows (models.py), and their field naming the story.
_FOLLOWED = {
    TaggedArticle: "content_object_id",
    RelatedStory: "article_id",
    RelatedExclusion: "article_id",
    StoryNote: "article_id",
    SlugRedirect: "article_id",
}


def snapshot_of(version):
    """The story as `version` recorded it, with its rows from the same revision."""
    pk = int(version.object_id)
    rows = {model: [] for model in _FOLLOWED}
    for other in version.revision.version_set.select_related("content_type"):
        model = other.content_type.model_class()
        if model in rows and other.field_dict.get(_FOLLOWED[model]) == pk:
            rows[model].append((int(other.object_id), other.field_dict))
    for found in rows.values():
        found.sort(key=lambda row: row[0])  # row ids: the order they were made
    fields = dict(version.field_dict)
    return Snapshot(
        pk=pk,
        fields=fields,
        topic_ids=[row["tag_id"] for _, row in rows[TaggedArticle]],
        curated=[
            (row["story_id"], row["position"])
            for _, row in sorted(
                rows[RelatedStory], key=lambda r: (r[1]["position"], r[0])
            )
        ],
        excluded=[row["story_id"] for _, row in rows[RelatedExclusion]],
        authors=sorted(fields.get("authors") or []),
        notes=[
            {"pk": row_id, **{k: row[k] for k in ("kind", "text", "created_at")}}
            for row_id, row in rows[StoryNote]
        ],
        old_slugs=[row["old_slug"] for _, row in rows[SlugRedirect]],
    )


def snapshot_now(article):
    """The story as it is stored now, in the shape of `snapshot_of`."""
    fields = {f.attname: getattr(article, f.attname) for f in Article._meta.fields}
    return Snapshot(
        pk=article.pk,
        fields=fields,
        topic_ids=list(
            article.tagged_items.order_by("pk").values_list("tag_id", flat=True)
        ),
        curated=list(article.curated_links.values_list("story_id", "position")),
        excluded=list(
            article.related_exclusions.order_by("pk").values_list("story_id", flat=True)
        ),
        authors=list(article.authors.order_by("pk").values_list("pk", flat=True)),
        notes=list(
            article.notes.order_by("pk").values("pk", "kind", "text", "created_at")
        ),
        old_slugs=list(article.old_slugs.values_list("old_slug", flat=True)),
    )


def as_snapshot(value):
    return value if isinstance(value, Snapshot) else snapshot_of(value)


def to_ms(value):
    """A time as a version keeps it: Django's JSON serializer drops microseconds
    below the millisecond."""
    if isinstance(value, datetime):
        return value.replace(microsecond=value.microsecond // 1000 * 1000)
    return value


def stored(name):
    """Whether the image file a version names is still in storage.

    Storage that does not answer (an object store down) counts as yes: files are
    never deleted with a story, and clean_media keeps whatever a version names,
    so recovering a story does not wait for it (README: "Media on object
    storage")."""
    try:
        return Article._meta.get_field("lead_image").storage.exists(name)
    except OSError:
        logger.warning("Storage did not say whether %s exists; taken as kept", name)
        return True


def gone(snap):
    """What a version names that no longer exists, as sentences for the editor."""
    skipped = []
    topics = set(
        Topic.objects.filter(pk__in=snap.topic_ids).values_list("pk", flat=True)
    )
    if missing := [pk for pk in snap.topic_ids if pk not in topics]:
        skipped.append(
            f"{len(missing)} of its topics no longer exist (merged or deleted)."
        )
    wanted = {pk for pk, _ in snap.curated} | set(snap.excluded)
    stories = set(Article.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    if missing := wanted - stories:
        skipped.append(
            f"{len(missing)} of the stories it links to or excludes have been deleted."
        )
    authors = set(
        Author.objects.filter(pk__in=snap.authors).values_list("pk", flat=True)
    )
    if missing := [pk for pk in snap.authors if pk not in authors]:
        skipped.append(f"{len(missing)} of its bylines no longer exist.")
    return skipped
