"""Translations on the desk: making one, keeping it fresh, carrying corrections.

A translation group is a source story and its translations (`translation_of`
points at the source, never at another translation). Three acts live here:

- `translate_story()` makes a draft in another language, linked to the group's
  source, prefilled with the story's text, topics, image and byline, owned by
  whoever asked, and remembering the source's saved version it was made from.
- `freshness()` compares the source as it was at that version with the source
  now (articles.history's own word-by-word comparison) and says "up to date" or
  how many words changed; `mark_up_to_date()` moves the translation on to the
  source's latest version. `with_freshness()` does the "stale?" part in SQL for
  the desk's list: a translation is stale when its source has a saved version
  newer than the one it follows.
- `note_added()` carries a correction or retraction across languages, in the
  caller's transaction: the group's other published versions are flagged
  "correction pending" with that note; the matching note on a flagged story
  clears its flag (and flags nobody).

Imports history, services and models; the desk calls it.
"""

from dataclasses import dataclass

import reversion
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import CharField, F, OuterRef, Q, Subquery
from django.db.models.functions import Cast
from django.urls import reverse
from reversion.models import Version
from reversion.revisions import _stack as reversion_stack

from pagecache import generation

from . import edge_keys, history, services
from .models import Article, SlugRedirect, StoryNote, TaggedArticle, language_names

CORRECTING = {StoryNote.Kind.CORRECTION, StoryNote.Kind.RETRACTION}

# What a translation starts with: the story's content, for the translator to redo.
COPIED_FIELDS = [
    "headline", "dek", "body", "sources", "primary_topic_id",
    "lead_image", "lead_image_width", "lead_image_height", "lead_image_renditions",
    "lead_image_alt", "lead_image_caption", "lead_image_credit",
]  # fmt: skip


def source_of(story):
    """The story a group is built around: `story` itself or what it translates."""
    return story.translation_of if story.translation_of_id else story


def group(story):
    """Every story of `story`'s translation group, the source first."""
    source_id = story.translation_of_id or story.pk
    return Article.objects.filter(Q(pk=source_id) | Q(translation_of=source_id))


def missing_languages(story):
    """(code, name) of the newsroom's languages the group has no story in yet."""
    present = set(group(story).values_list("language", flat=True))
    return [
        (code, name) for code, name in language_names().items() if code not in present
    ]


def latest_version_id(story, *, user=None, create=False):
    """The id of the newest saved version of `story`; with `create`, a story never
    saved with a version gets one now (written at once, not at the end of an
    enclosing revision block, so its id is known)."""
    pk = (
        Version.objects.get_for_object(story)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    if pk is not None or not create:
        return pk
    outer = reversion_stack.set([])  # a block of our own, written now
    try:
        with reversion.create_revision():
            reversion.add_to_revision(story)
            reversion.set_user(user)
            reversion.set_comment("Recorded as the source of a translation.")
    finally:
        reversion_stack.reset(outer)
    return Version.objects.get_for_object(story).order_by("-pk").first().pk


def unique_slug(base):
    """`base`, or `base-2`, `base-3`...: an address no story has or had."""
    base = base[:190]
    slug, number = base, 1
    while (
        Article.objects.filter(slug=slug).exists()
        or SlugRedirect.objects.filter(old_slug=slug).exists()
    ):
        number += 1
        slug = f"{base}-{number}"
    return slug


@transaction.atomic
def translate_story(*, story: Article, language: str, user) -> Article:
    """A draft of `story` in `language`, linked to the group's source, owned by
    `user`, made from the source's latest saved version."""
    if language not in language_names():
        raise ValueError(f"{language} is not one of the newsroom's languages.")
    if group(story).filter(language=language).exists():
        raise ValueError("This story already has a version in that language.")
    source = source_of(story)
    draft = Article(
        language=language,
        translation_of=source,
        source_version=latest_version_id(source, user=user, create=True),
        status=Article.Status.DRAFT,
        slug=unique_slug(f"{source.slug}-{language}"),
        created_by=user,
    )
    for name in COPIED_FIELDS:
        setattr(draft, name, getattr(story, name))
    services.save_story(story=draft, user=user)
    draft.authors.set(story.authors.all())
    for tag_id in story.tagged_items.order_by("pk").values_list("tag_id", flat=True):
        TaggedArticle(content_object=draft, tag_id=tag_id).save()
    outer = reversion_stack.set([])
    try:
        with reversion.create_revision():
            reversion.add_to_revision(draft)
            reversion.set_user(user)
            reversion.set_comment(
                f"Started as a translation ({language}) of “{source.headline}”."
            )
    finally:
        reversion_stack.reset(outer)
    return draft


# -- freshness ---------------------------------------------------------------------


@dataclass(frozen=True)
class Freshness:
    """How a translation stands against its source now."""

    source: Article
    up_to_date: bool
    words: int  # content words changed in the source since `source_version`
    compare_url: str | None  # the source's comparison between the two versions


def freshness(translation, *, user):
    """`translation` against its source, or None for a story that is no translation.

    The words come from articles.history's comparison of the source as its
    version `source_version` recorded it with the source stored now."""
    source = translation.translation_of
    if source is None:
        return None
    latest = latest_version_id(source)
    then = (
        Version.objects.get_for_object(source)
        .filter(pk=translation.source_version)
        .first()
    )
    if then is None:  # never recorded, or its history was cleared
        return Freshness(source, latest is None, 0, None)
    words = history.content_words_changed(then, history.snapshot_now(source), user=user)
    if latest == then.pk:
        return Freshness(source, True, words, None)
    url = reverse("admin:articles_article_compare", args=[source.pk])
    return Freshness(source, False, words, f"{url}?from={then.pk}&to={latest}")


def with_freshness(stories):
    """`stories` with `source_latest_version`: the newest saved version of each
    translation's source (None for stories that translate nothing), one subquery."""
    latest = (
        Version.objects.filter(
            content_type=ContentType.objects.get_for_model(Article),
            object_id=Cast(OuterRef("translation_of_id"), output_field=CharField()),
        )
        .order_by("-pk")
        .values("pk")[:1]
    )
    return stories.annotate(source_latest_version=Subquery(latest))


def stale_q():
    """Translations whose source has a saved version newer than the one they
    follow (on a queryset from `with_freshness`)."""
    return Q(translation_of__isnull=False) & (
        Q(source_version__isnull=True, source_latest_version__isnull=False)
        | Q(source_latest_version__gt=F("source_version"))
    )


def is_stale(story):
    """`stale_q()` read on one story from `with_freshness`."""
    if not story.translation_of_id:
        return False
    latest = story.source_latest_version
    return latest is not None and (
        story.source_version is None or latest > story.source_version
    )


def mark_up_to_date(*, translation: Article, user=None) -> int | None:
    """Record that `translation` follows its source's latest saved version."""
    if not translation.translation_of_id:
        raise ValueError("This story is not a translation.")
    version = latest_version_id(translation.translation_of, user=user, create=True)
    Article.objects.filter(pk=translation.pk).update(source_version=version)
    translation.source_version = version
    return version


# -- corrections across languages --------------------------------------------------


@transaction.atomic
def note_added(*, note: StoryNote) -> int:
    """Carry a new correction or retraction across the group; returns how many
    stories it flagged.

    On a story with a correction pending it is the matching note: the flag goes,
    and no other version is flagged by it. Otherwise the group's other published
    versions point at `note` until they get their own."""
    if note.kind not in CORRECTING:
        return 0
    story = note.article
    # Read the flag as stored: the caller's copy of the story may be older.
    pending = (
        Article.objects.filter(pk=story.pk)
        .values_list("correction_pending", flat=True)
        .first()
    )
    if pending:
        Article.objects.filter(pk=story.pk).update(correction_pending=None)
        story.correction_pending = None
        generation.bump()  # update() sends no signal; the notice leaves the page
        edge_keys.stories_shown([story.pk], reason="correction notice cleared")
        return 0
    others = list(
        group(story)
        .filter(pk__in=Article.objects.published().values("pk"))
        .exclude(pk=story.pk)
        .values_list("pk", flat=True)
    )
    count = Article.objects.filter(pk__in=others).update(correction_pending=note)
    if count:
        generation.bump()
        edge_keys.stories_shown(others, reason="correction pending on translations")
    return count


@transaction.atomic
def add_note(*, story: Article, kind: str, text: str) -> StoryNote:
    """Append a note to `story` and carry it across languages, at once."""
    note = StoryNote.objects.create(article=story, kind=kind, text=text)
    note_added(note=note)
    return note


def group_members(roots):
    """A filter for the source stories `roots` and their translations. On
    SQLite both sides by primary key: with `translation_of IN` beside the
    public window it walks the whole window's index (140 ms at 100,000 stories)
    instead of two lookups; PostgreSQL ORs two index scans of the plain form,
    and hashes the subquery of the other (70 ms)."""
    if connection.vendor != "sqlite":
        return Q(pk__in=roots) | Q(translation_of__in=roots)
    members = Article.objects.filter(translation_of__in=roots).values("pk")
    return Q(pk__in=roots) | Q(pk__in=members)
