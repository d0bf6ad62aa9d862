"""A story's history for the desk: readable differences, restores and recoveries.

A version (django-reversion) holds the story's row and the rows it follows: topics,
curated links, exclusions, notes and old addresses (registered in models.py). Both
the comparison and the restore read it through a `Snapshot`, the same shape the
story has now, so "what would change" and "what changes" are one computation.

What a restore brings back is the CONTENT; the publication state and the address
stay as they are unless the editor ticks them on the confirmation page. Notes are a
public record: a restore never touches them. A recovery brings a deleted story back
with everything it had, as a draft unless the editor puts it back live.

Every other story named here goes through `policy.readable_stories(user)`: a
reporter reading the history of their own story never learns the headline of a
story they may not see.
"""

import difflib
import html
import re
from collections import namedtuple
from dataclasses import dataclass, field
from datetime import datetime

import reversion
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from reversion.models import Version

from . import policy, services
from .models import (
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

_BLOCK_END = re.compile(r"</(p|h[1-6]|li|blockquote|figcaption|tr)>|<br\s*/?>", re.I)
_STORY_LINK = re.compile(r'<a\b[^>]*href="story:(\d+)"[^>]*>', re.I)
# How Django's change messages name an inline row: `related story “A → B”`.
_INLINE_ROW = re.compile(r"(related story|excluded related story) “([^”]*)”")

Row = namedtuple("Row", "label changed diff part")


class StaleError(Exception):
    """The story was saved after the editor opened the confirmation page."""


class NotRecoverableError(Exception):
    """The deleted story is back already (someone recovered it meanwhile)."""


def when(moment):
    """A moment as the desk reads it, to the second: two saves can share a minute."""
    return format_date(template_localtime(moment), "j M Y, H:i:s")


def parse_moment(text):
    """An ISO time from a form (the version an editor opened), or None."""
    try:
        return datetime.fromisoformat(text or "")
    except ValueError:
        return None


# -- what a story was, and is ----------------------------------------------------


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


# -- reading them ----------------------------------------------------------------


def story_labels(ids, *, user):
    """Each story id as `user` may read it: its headline if visible, else its number."""
    ids = set(ids)
    visible = dict(
        policy.readable_stories(user).filter(pk__in=ids).values_list("pk", "headline")
    )
    return {pk: visible.get(pk, f"story {pk}") for pk in ids}


def readable_text(value, headlines=None):
    """Body HTML as paragraphs of text; a story link shown as [→ its headline]
    (`headlines`: the stories the reader may see; others show their number)."""
    headlines = headlines or {}

    def show(match):
        pk = int(match.group(1))
        return f"[→ {headlines.get(pk, f'story {pk}')}] "

    text = _STORY_LINK.sub(show, str(value or ""))
    text = _BLOCK_END.sub("\n\n", text)
    text = html.unescape(strip_tags(text))
    return "\n\n".join(part.strip() for part in text.split("\n\n") if part.strip())


def inline_diff(old, new):
    """Word-by-word difference as HTML: removed words struck, added words marked."""
    old_words = re.split(r"(\s+)", old)
    new_words = re.split(r"(\s+)", new)
    parts = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        removed = escape("".join(old_words[a1:a2]))
        added = escape("".join(new_words[b1:b2]))
        if op == "equal":
            parts.append(removed)
        if op in {"delete", "replace"} and removed.strip():
            parts.append(f"<del>{removed}</del>")
        if op in {"insert", "replace"} and added.strip():
            parts.append(f"<ins>{added}</ins>")
    return mark_safe("".join(parts).replace("\n", "<br>"))


class _Names:
    """Topic, byline and story names for a few snapshots, in three queries."""

    def __init__(self, snapshots, user):
        topic_ids, author_ids, story_ids = set(), set(), set()
        for snap in snapshots:
            topic_ids |= {*snap.topic_ids, snap.fields.get("primary_topic_id")}
            author_ids |= set(snap.authors)
            story_ids |= {pk for pk, _ in snap.curated} | set(snap.excluded)
            story_ids |= {
                int(pk) for pk in _STORY_LINK.findall(snap.fields.get("body") or "")
            }
        self.topics = dict(
            Topic.objects.filter(pk__in=topic_ids - {None}).values_list("pk", "name")
        )
        self.authors = dict(
            Author.objects.filter(pk__in=author_ids).values_list("pk", "name")
        )
        self.stories = story_labels(story_ids, user=user)

    def topic(self, pk):
        return self.topics.get(pk, f"a deleted topic (#{pk})") if pk else ""


def state_summary(fields):
    """'Draft', 'Published, 3 Feb 2026, 10:00:00, expires …': the state in a line."""
    status = fields.get("status")
    parts = [str(Article.Status(status).label) if status else ""]
    published, expires = fields.get("published_at"), fields.get("unpublish_at")
    if published and status == Article.Status.PUBLISHED:
        verb = "scheduled for" if published > timezone.now() else ""
        parts.append(f"{verb} {when(published)}".strip())
    elif published:
        parts.append(f"publication time {when(published)}")
    if expires:
        parts.append(f"expires {when(expires)}")
    return ", ".join(part for part in parts if part)


def _texts(snap, names):
    """(label, part, text) for every compared aspect of a story."""
    fields = snap.fields
    status = fields.get("status")

    def plain(name):
        value = fields.get(name)
        return "" if value is None else str(value)

    def moment(name):
        value = fields.get(name)
        return when(value) if value else ""

    return [
        ("Headline", "content", plain("headline")),
        ("Address (slug)", "address", plain("slug")),
        ("Dek", "content", plain("dek")),
        ("Body", "content", readable_text(fields.get("body"), names.stories)),
        ("Status", "state", str(Article.Status(status).label) if status else ""),
        ("Publication time", "state", moment("published_at")),
        ("Expiry time", "state", moment("unpublish_at")),
        ("Sources", "content", plain("sources")),
        ("Topics", "content", ", ".join(sorted(map(names.topic, snap.topic_ids)))),
        ("Primary topic", "content", names.topic(fields.get("primary_topic_id"))),
        (
            "Byline",
            "content",
            ", ".join(names.authors.get(pk, f"author {pk}") for pk in snap.authors),
        ),
        (
            "Curated related stories",
            "content",
            ", ".join(names.stories[pk] for pk, _ in snap.curated),
        ),
        (
            "Excluded stories",
            "content",
            ", ".join(sorted(names.stories[pk] for pk in snap.excluded)),
        ),
        ("Lead image", "content", snap.image_name),
        ("Alt text", "content", plain("lead_image_alt")),
        ("Caption", "content", plain("lead_image_caption")),
        ("Credit", "content", plain("lead_image_credit")),
    ]


def compare(old, new, *, user):
    """Rows (label, changed, diff, part) comparing two versions (or snapshots) of
    one story, naming other stories only as far as `user` may see them."""
    old, new = as_snapshot(old), as_snapshot(new)
    names = _Names([old, new], user)
    return [
        Row(label, before != after, inline_diff(before, after), part)
        for (label, part, before), (_, _, after) in zip(
            _texts(old, names), _texts(new, names), strict=True
        )
    ]


def history_comments(revisions, *, user):
    """Each revision's comment (by revision id) as `user` may read it.

    Django's change messages quote inline rows by their text, `related story “Mine
    → Secret”`, which names the other story; for a story `user` may not see, the
    comment keeps only its number (and "another story" for a row it cannot place).
    """
    comments = {revision.pk: revision.get_comment() for revision in revisions}
    if policy.sees_every_story(user):
        return comments
    targets = {}  # a row's text, as quoted → the story it points at
    for model in (RelatedStory, RelatedExclusion):
        for version in Version.objects.get_for_model(model).filter(
            revision__in=list(comments)
        ):
            targets[version.object_repr] = version.field_dict.get("story_id")
    visible = set(
        policy.readable_stories(user)
        .filter(pk__in=set(targets.values()))
        .values_list("pk", flat=True)
    )

    def redact(match):
        kind, text = match.groups()
        target = targets.get(text)
        if target in visible:
            return match.group(0)
        return f"{kind} “{f'story {target}' if target else 'another story'}”"

    return {pk: _INLINE_ROW.sub(redact, text) for pk, text in comments.items()}


# -- restoring -------------------------------------------------------------------


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
    image_missing = bool(then.image_name) and not _stored(then.image_name)
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
            _to_ms(now.fields.get(n)) != then.fields.get(n) for n in STATE_FIELDS
        ),
        address_now=article.slug,
        address_then=address_then,
        offer_address=bool(address_then) and address_then != article.slug and not taken,
        address_taken=taken and address_then != article.slug,
        image_missing=image_missing,
        skipped=_gone(then),
        notes_added_since=[n for n in now.notes if n["pk"] not in kept],
        notes_deleted_since=[n for n in then.notes if n["pk"] not in existing],
        opened_version=article.updated_at.isoformat(),
    )


_IMAGE_LABELS = {"Lead image", "Alt text", "Caption", "Credit"}


def _to_ms(value):
    """A time as a version keeps it: Django's JSON serializer drops microseconds
    below the millisecond."""
    if isinstance(value, datetime):
        return value.replace(microsecond=value.microsecond // 1000 * 1000)
    return value


def _stored(name):
    """Whether the image file a version names is still in storage."""
    return Article._meta.get_field("lead_image").storage.exists(name)


def _gone(snap):
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
        if then.image_name and not _stored(then.image_name):
            names = [name for name in names if name not in IMAGE_FIELDS]
        if state and any(
            _to_ms(getattr(story, name)) != then.fields.get(name)
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
        _put_back_rows(story, then)
        story.save()
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


def _put_back_rows(story, then):
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


# -- recovering a deleted story --------------------------------------------------


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
    names = _Names([snap], user)
    fields = snap.fields
    address_then = fields.get("slug") or ""
    image_missing = bool(snap.image_name) and not _stored(snap.image_name)
    rows = [
        (label, text)
        for label, part, text in _texts(snap, names)
        if text and part != "state" and label not in ("Body", "Address (slug)")
    ]
    return RecoveryPlan(
        version=version,
        snapshot=snap,
        headline=fields.get("headline") or version.object_repr,
        deleted_at=version.revision.date_created,
        deleted_by=version.revision.user,
        state_then=state_summary(fields),
        was_public=fields.get("status") == Article.Status.PUBLISHED,
        address_then=address_then,
        address=_free_slug(address_then, snap.pk),
        image_missing=image_missing,
        skipped=_gone(snap),
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
    if not republish and story.status == Article.Status.PUBLISHED:
        story.status = Article.Status.DRAFT
    if snap.image_name and not _stored(snap.image_name):
        for name in IMAGE_FIELDS:
            setattr(story, name, Article._meta.get_field(name).get_default())
    story.updated_by = user
    try:
        with transaction.atomic(), reversion.create_revision():
            if Article.objects.filter(pk=snap.pk).exists():
                raise NotRecoverableError("The story is back already.")
            story.save(force_insert=True)
            # Saving stamps a new creation time; the story keeps its own.
            Article.objects.filter(pk=story.pk).update(
                created_at=fields.get("created_at") or story.created_at
            )
            _put_back_rows(story, snap)
            story.save(update_fields=["primary_topic"])
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


# -- links -----------------------------------------------------------------------


def compare_url_since(article, opened):
    """The comparison of the version an editor opened (`opened`: the story's
    `updated_at` then, ISO format) with the newest one, or None without both."""
    opened_at = parse_moment(opened)
    if opened_at is None:
        return None
    versions = Version.objects.get_for_object(article).order_by(
        "revision__date_created", "pk"
    )
    # A revision is dated when its save began, just before the story's `updated_at`.
    seen = versions.filter(revision__date_created__lte=opened_at).last()
    newest = versions.last()
    if seen is None or newest is None or seen.pk == newest.pk:
        return None
    url = reverse("admin:articles_article_compare", args=[article.pk])
    return f"{url}?from={seen.pk}&to={newest.pk}"
