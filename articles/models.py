"""The newsroom's content: articles, their topics, bylines and cross-links."""

import functools
import unicodedata

import reversion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models, router, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager, _TaggableManager
from taggit.models import TagBase, TaggedItemBase

# moved to pagecache.models; re-exported for the other parts
from pagecache.models import ContentGeneration as ContentGeneration

from . import images, richtext
from .images import validate_image_file

LEAD_IMAGE_EXTENSIONS = ["jpg", "jpeg", "png", "webp", "gif"]


def fold(text):
    """Case- and accent-fold a name, so `Tillaberi` and `TILLABÉRI` compare equal."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.split())


def readable_slug(text, max_length=100):
    """ASCII slug where the name allows one, a Unicode slug otherwise, never empty."""
    slug = slugify(fold(text))[:max_length].strip("-")
    if not slug:
        slug = slugify(text, allow_unicode=True)[:max_length].strip("-")
    return slug or "topic"


def _in_one_transaction(method):
    @functools.wraps(method)
    def run(self, *args, **kwargs):
        using = router.db_for_write(self.through, instance=self.instance)
        with transaction.atomic(using=using, savepoint=False):
            return method(self, *args, **kwargs)

    return run


class StoryTopicsManager(_TaggableManager):
    """`story.tags`: each change of a story's topics is one transaction, so the
    topics it creates and the tagging rows it writes bump the content generation
    once (articles/cache.py), not once a row."""

    add = _in_one_transaction(_TaggableManager.add)
    remove = _in_one_transaction(_TaggableManager.remove)
    set = _in_one_transaction(_TaggableManager.set)
    clear = _in_one_transaction(_TaggableManager.clear)


class Author(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    bio = models.TextField(
        blank=True, help_text="A sentence or two for the author page."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:author_detail", kwargs={"slug": self.slug})


class TopicQuerySet(models.QuerySet):
    def _filter_or_exclude(self, negate, args, kwargs):
        # taggit resolves typed tag names with `name__iexact`; answer it with the
        # folded key so case and accent variants land on one topic on every database.
        # An alias typed in the tag widget attaches its canonical topic.
        if "name__iexact" in kwargs:
            kwargs = dict(kwargs)
            key = fold(kwargs.pop("name__iexact"))
            aliased = TopicAlias.objects.filter(name_key=key).values("topic_id")
            args = (*args, Q(name_key=key) | Q(pk__in=aliased))
        return super()._filter_or_exclude(negate, args, kwargs)

    def by_slug_or_former_slug(self, slug):
        """The topic an old slug (rename, merge) or an alias slug now points to."""
        return self.filter(
            Q(former_slugs__old_slug=slug) | Q(aliases__slug=slug)
        ).first()

    def with_published_stories(self):
        """Topics carrying at least one published story."""
        # The tagging rows' copy of each story's public window answers this from
        # the (tag, live_from) index, without touching the stories table.
        return self.filter(
            models.Exists(TaggedArticle.live().filter(tag=models.OuterRef("pk")))
        )

    def published_counts(self, *, limit=None):
        """Topics with published stories, each with `num_published`, most used first.

        The counts come from the topic statistics the related list also uses
        (`articles.topics.topic_stats`), cached and dropped on every change.
        """
        from .topics import topic_stats

        frequencies = topic_stats()[1]
        ranked = sorted(frequencies.items(), key=lambda item: (-item[1], item[0]))
        counts = dict(ranked[:limit] if limit else ranked)
        topics = list(self.filter(pk__in=list(counts)))
        for topic in topics:
            topic.num_published = counts[topic.pk]
        topics.sort(key=lambda topic: (-topic.num_published, topic.name_key))
        return topics


class Topic(TagBase):
    """A tag, with the page readers see for it."""

    class Kind(models.TextChoices):
        PLACE = "place", _("Place")
        PERSON = "person", _("Person")
        ORGANISATION = "organisation", _("Organisation")
        THEME = "theme", _("Theme")

    name_key = models.CharField(max_length=100, unique=True, editable=False)
    name_fr = models.CharField(
        _("French name"),
        max_length=100,
        blank=True,
        help_text=_("Shown to French readers; leave empty when it is the same."),
    )
    kind = models.CharField(
        _("kind"), max_length=12, choices=Kind.choices, default=Kind.THEME
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent topic"),
        help_text=_(
            "The broader topic (Ménaka → Mali). Its page also lists this topic's stories."
        ),
    )
    description = models.TextField(
        blank=True, help_text="Shown at the top of the topic page. Plain text."
    )
    featured_article = models.ForeignKey(
        "Article",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="featured_on_topics",
        verbose_name="featured story",
        help_text="Shown first on the topic page while it is published.",
    )

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def save(self, *args, **kwargs):
        self.name = " ".join(self.name.split())
        self.name_key = fold(self.name)
        old_slug = getattr(self, "_stored_slug", None)
        super().save(*args, **kwargs)
        if old_slug and old_slug != self.slug:
            # A renamed topic keeps its old address answering 301.
            TopicRedirect.objects.filter(old_slug=self.slug).delete()
            TopicRedirect.objects.update_or_create(
                old_slug=old_slug, defaults={"topic": self}
            )
        self._stored_slug = self.slug

    def get_absolute_url(self):
        return reverse("articles:topic_detail", kwargs={"slug": self.slug})

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._stored_slug = instance.__dict__.get("slug")
        return instance

    def clean(self):
        self.name = " ".join((self.name or "").split())
        key = fold(self.name)
        clash = Topic.objects.filter(name_key=key).exclude(pk=self.pk).first()
        if clash:
            raise ValidationError(
                {"name": f"“{clash.name}” already exists; use that topic instead."}
            )
        alias = TopicAlias.objects.filter(name_key=key).exclude(topic=self.pk).first()
        if alias:
            raise ValidationError(
                {"name": f"“{alias.name}” is already a name of “{alias.topic}”."}
            )
        if self.parent_id and self.pk:
            ancestor = self.parent
            seen = set()
            while ancestor is not None and ancestor.pk not in seen:
                if ancestor.pk == self.pk:
                    raise ValidationError(
                        {
                            "parent": f"“{self.parent}” sits under “{self.name}”; a "
                            "topic cannot be its own ancestor."
                        }
                    )
                seen.add(ancestor.pk)
                ancestor = ancestor.parent

    @property
    def label(self):
        """The name readers see: the French one for French readers, when set."""
        language = translation.get_language() or ""
        if self.name_fr and language.startswith("fr"):
            return self.name_fr
        return self.name

    def slugify(self, tag, i=None):
        slug = readable_slug(tag, max_length=90)
        return f"{slug}-{i + 1}" if i is not None else slug


class TaggedArticle(TaggedItemBase):
    """A story's topic, carrying a copy of the story's public window.

    `live_from`/`live_until` mirror the published gate (publication time when the
    status is published, expiry time) so topic pages and related lists can pick the
    newest live stories of a topic from this table's index alone. The database
    writes them from the stored story row, whoever writes either table and however
    (`articles.window_schema`); readers still pass the final rows through
    `published()`.
    """

    content_object = models.ForeignKey(
        "Article", on_delete=models.CASCADE, related_name="tagged_items"
    )
    tag = models.ForeignKey(
        Topic, on_delete=models.CASCADE, related_name="tagged_articles"
    )
    live_from = models.DateTimeField(null=True, blank=True, editable=False)
    live_until = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_object", "tag"], name="unique_topic_per_article"
            )
        ]
        indexes = [
            models.Index(
                fields=["tag", "live_from", "content_object", "live_until"],
                name="tagged_topic_live_idx",
            )
        ]

    @classmethod
    def live(cls, now=None):
        """Rows of stories inside their public window, by the denormalised copy."""
        now = now or timezone.now()
        return cls.objects.filter(
            Q(live_until__isnull=True) | Q(live_until__gt=now), live_from__lte=now
        )


class ArticleQuerySet(models.QuerySet):
    # Search indexes `body_text`, so every way of writing `body` keeps it in step.
    def update(self, **kwargs):
        if isinstance(kwargs.get("body"), str) and "body_text" not in kwargs:
            kwargs["body_text"] = richtext.plain_text(kwargs["body"])
        return super().update(**kwargs)

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for obj in objs:
            if obj.body and not obj.body_text:
                obj.body_text = richtext.plain_text(obj.body)
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        if "body" in fields and "body_text" not in fields:
            objs = list(objs)
            for obj in objs:
                obj.body_text = richtext.plain_text(obj.body)
            fields = [*fields, "body_text"]
        return super().bulk_update(objs, fields, *args, **kwargs)

    def published(self):
        """The one gate for everything public: published, its time has come, and its
        expiry (if any) has not."""
        now = timezone.now()
        return self.filter(
            models.Q(unpublish_at__isnull=True) | models.Q(unpublish_at__gt=now),
            status=Article.Status.PUBLISHED,
            published_at__lte=now,
        )

    def with_list_data(self):
        """What a story list needs (bylines, kicker, the "Corrected" label), in a
        fixed number of queries."""
        return (
            self.select_related("primary_topic")
            .prefetch_related("authors")
            .annotate(
                is_corrected=models.Exists(
                    StoryNote.objects.filter(
                        article=models.OuterRef("pk"), kind=StoryNote.Kind.CORRECTION
                    )
                )
            )
        )

    def for_lists(self):
        """`with_list_data()` without the body (and its text), which a list of
        headlines never shows and which is most of a story's bytes."""
        return self.with_list_data().defer("body", "body_text")

    def editable_by(self, user):
        """The stories `user` may reach on the desk: editors all, reporters their own."""
        if user.has_perm("articles.publish_article"):
            return self
        return self.filter(created_by=user.pk)

    def visible_to(self, user):
        """The stories whose headline and state `user` may read on the desk: the
        ones they may reach, plus what every reader sees. Every desk lookup (story
        pickers, link warnings, history) goes through this rule."""
        if user.has_perm("articles.publish_article"):
            return self
        return self.filter(
            Q(created_by=user.pk) | Q(pk__in=Article.objects.published().values("pk"))
        )


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        REVIEW = "review", "In review"
        PUBLISHED = "published", "Published"

    headline = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=200,
        unique=True,
        help_text="The story's address. Changing it on a published story keeps the old "
        "address redirecting here.",
    )
    dek = models.CharField(
        "dek",
        max_length=300,
        blank=True,
        help_text="The standfirst: one sentence shown under the headline and in lists.",
    )
    body = models.TextField(
        blank=True,
        help_text="Scripts, event handlers and unsafe links are removed when you save.",
    )
    body_text = models.TextField(
        blank=True,
        editable=False,
        help_text="The body's visible words, no markup: what search indexes.",
    )
    authors = models.ManyToManyField(Author, blank=True, related_name="articles")
    lead_image = models.ImageField(
        upload_to=images.lead_image_path,
        blank=True,
        width_field="lead_image_width",
        height_field="lead_image_height",
        validators=[
            FileExtensionValidator(LEAD_IMAGE_EXTENSIONS),
            validate_image_file,
        ],
        help_text="JPEG, PNG, WebP or GIF, up to 10 MB and 50 megapixels (16 for PNG, "
        "WebP and GIF). Only the picture is kept: location and other metadata are "
        "removed.",
    )
    lead_image_width = models.PositiveIntegerField(
        null=True, blank=True, editable=False
    )
    lead_image_height = models.PositiveIntegerField(
        null=True, blank=True, editable=False
    )
    lead_image_alt = models.CharField(
        "alt text",
        max_length=250,
        blank=True,
        help_text="What the picture shows, for readers who cannot see it. "
        "Required with an image.",
    )
    lead_image_renditions = models.JSONField(
        default=dict,
        blank=True,
        editable=False,
        help_text="Made once when the image is saved (articles.images).",
    )
    lead_image_caption = models.CharField("caption", max_length=300, blank=True)
    lead_image_credit = models.CharField("credit", max_length=150, blank=True)
    sources = models.TextField(
        blank=True, help_text="Credit the reports this story draws on, one per line."
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(
        "publication time",
        null=True,
        blank=True,
        db_index=True,
        help_text="Leave empty to publish now; set a future time to schedule the story.",
    )
    unpublish_at = models.DateTimeField(
        "expiry time",
        null=True,
        blank=True,
        help_text="Optional: the story leaves every public page at this time.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    revised_at = models.DateTimeField(
        "text last revised",
        null=True,
        blank=True,
        editable=False,
        help_text="When a save last changed the headline, dek or body (not topics, "
        "status or links): with the newest note, what search engines are told.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        help_text="The desk member who started the story; reporters see only their own.",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name="last changed by",
    )

    tags = TaggableManager(
        through=TaggedArticle,
        manager=StoryTopicsManager,
        blank=True,
        verbose_name="topics",
        help_text="A comma-separated list of topics, most specific first.",
    )
    primary_topic = models.ForeignKey(
        Topic,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="primary_for",
        verbose_name=_("primary topic"),
        help_text=_(
            "Shown as the kicker in story lists and in the breadcrumb. One of the "
            "story's topics; the first one typed if left empty."
        ),
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        permissions = [
            ("publish_article", "Can publish, schedule and unpublish stories")
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"]),
            # The page cache looks up the next expiry (articles/cache.py).
            models.Index(fields=["unpublish_at"], name="article_unpublish_at_idx"),
        ]

    def __str__(self):
        return self.headline

    # One transaction: the story, its tagging rows' copy of its window, its links
    # and old addresses change together, with one bump of the content generation.
    @transaction.atomic(savepoint=False)
    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.headline)[:200] or "story"
        self.body = richtext.sanitize(self.body)
        self.body_text = richtext.plain_text(self.body)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "body" in update_fields:
            kwargs["update_fields"] = {*update_fields, "body_text"}
        images.prepare_lead_image(self)
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        old_slug = getattr(self, "_stored_slug", None)
        adding = self._state.adding
        slug_is_new = adding or old_slug != self.slug
        text = self.editorial_text()
        text_saved = update_fields is None or {"headline", "dek", "body"} & {
            *update_fields
        }
        if text_saved and not adding and getattr(self, "_stored_text", text) != text:
            self.revised_at = timezone.now()
            if update_fields is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "revised_at"}
        super().save(*args, **kwargs)
        if text_saved:
            self._stored_text = text
        if not adding or richtext.story_ids(self.body):
            self.rebuild_story_links()
        if slug_is_new:
            # A story claiming an address another story left takes it over.
            SlugRedirect.objects.filter(old_slug=self.slug).delete()
            if old_slug:
                SlugRedirect.objects.update_or_create(
                    old_slug=old_slug, defaults={"article": self}
                )
        self._stored_slug = self.slug

    def get_absolute_url(self):
        return reverse("articles:article_detail", kwargs={"slug": self.slug})

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # Remember the stored slug so a change can leave a redirect behind.
        instance._stored_slug = instance.__dict__.get("slug")
        # And the public window as stored, so saving a story that was never public
        # leaves cached pages alone (articles/invalidation.py).
        fields = instance.__dict__
        if "status" in fields and "published_at" in fields and "unpublish_at" in fields:
            instance._stored_window = instance.live_window()
        # And the text readers read, so a change to it dates the story.
        if "headline" in fields and "dek" in fields and "body" in fields:
            instance._stored_text = instance.editorial_text()
        return instance

    def clean(self):
        if self.lead_image and not self.lead_image_alt.strip():
            raise ValidationError(
                {"lead_image_alt": "Describe the image for readers who cannot see it."}
            )
        if (
            self.unpublish_at
            and self.published_at
            and self.unpublish_at <= self.published_at
        ):
            raise ValidationError(
                {
                    "unpublish_at": "The expiry time must come after the publication time."
                }
            )

    @property
    def state(self):
        """Draft, in review, scheduled or published, as the desk says it."""
        if self.status == self.Status.PUBLISHED:
            now = timezone.now()
            if self.published_at and self.published_at > now:
                return "scheduled"
            if self.unpublish_at and self.unpublish_at <= now:
                return "expired"
            return "published"
        return self.status

    def get_state_display(self):
        return {"scheduled": "Scheduled", "review": "In review"}.get(
            self.state, self.state.capitalize()
        )

    def is_published(self):
        return self.state == "published"

    def live_window(self):
        """(from, until): when the published gate lets this story through."""
        if self.status != self.Status.PUBLISHED:
            return None, None
        return self.published_at, self.unpublish_at

    is_published.boolean = True

    @property
    def lead_picture(self):
        """The lead image's responsive renditions for a <picture>, or None."""
        return images.picture(self)

    @property
    def source_list(self):
        return [line.strip() for line in self.sources.splitlines() if line.strip()]

    def rebuild_story_links(self):
        """Mirror the body's in-body story links into `StoryLink`, for backlinks."""
        targets = richtext.story_ids(self.body) - {self.pk}
        self.links_out.exclude(target_id__in=targets).delete()
        known = set(self.links_out.values_list("target_id", flat=True))
        StoryLink.objects.bulk_create(
            StoryLink(source=self, target_id=pk) for pk in sorted(targets - known)
        )

    def rendered_body(self, base_url=""):
        """The body as readers see it: story links point at the target's current
        address (after `base_url`, for readers off the site), or are dropped (their
        text kept) while the target is not public."""
        ids = richtext.story_ids(self.body)
        urls = {}
        if ids:
            urls = {
                pk: base_url + reverse("articles:article_detail", kwargs={"slug": slug})
                for pk, slug in Article.objects.published()
                .filter(pk__in=ids)
                .values_list("pk", "slug")
            }
        return richtext.resolve_story_links(self.body, urls)

    def editorial_text(self):
        return self.headline, self.dek, self.body

    def last_revised_at(self):
        """When readers last saw the story change: its publication, a later save
        that changed its text, or its newest note (uses prefetched `notes`)."""
        moments = [self.published_at, self.revised_at]
        moments += [note.created_at for note in self.notes.all()]
        return max((moment for moment in moments if moment), default=None)

    def corrections(self):
        """Correction notes, newest first (uses prefetched `notes` when present)."""
        return [
            note for note in self.notes.all() if note.kind == StoryNote.Kind.CORRECTION
        ]

    def structured_data_corrections(self):
        """schema.org `correction` values for the NewsArticle JSON-LD."""
        return [note.as_structured_data() for note in self.corrections()]


class RelatedStory(models.Model):
    """An editor's curated link from one story to another, in the editor's order."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="curated_links"
    )
    story = models.ForeignKey(
        Article,
        on_delete=models.CASCADE,
        related_name="curated_in",
        verbose_name="related story",
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "related story"
        verbose_name_plural = "related stories"
        constraints = [
            models.UniqueConstraint(
                fields=["article", "story"], name="unique_related_story"
            ),
            models.CheckConstraint(
                condition=~Q(article=models.F("story")), name="related_story_not_self"
            ),
        ]

    def __str__(self):
        return f"{self.article} → {self.story}"

    def clean(self):
        if self.article_id and self.article_id == self.story_id:
            raise ValidationError({"story": "A story cannot be related to itself."})


class SlugRedirect(models.Model):
    """An address a story used to have; it answers 301 to the story's current one."""

    old_slug = models.SlugField(max_length=200, unique=True)
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="old_slugs"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.old_slug} → {self.article.slug}"


class StoryNote(models.Model):
    """An update, correction, clarification or retraction appended to a story."""

    class Kind(models.TextChoices):
        UPDATE = "update", _("Update")
        CORRECTION = "correction", _("Correction")
        CLARIFICATION = "clarification", _("Clarification")
        RETRACTION = "retraction", _("Retraction")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(
        _("type"), max_length=15, choices=Kind.choices, default=Kind.UPDATE
    )
    text = models.TextField(
        _("text"),
        help_text=_("What changed and why, in a sentence or two. Plain text."),
    )
    created_at = models.DateTimeField(
        _("time"),
        default=timezone.now,
        db_index=True,
        help_text=_("When the note was made; shown to readers."),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("note")
        verbose_name_plural = _("updates and corrections")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text[:60]}"

    def as_structured_data(self):
        """schema.org `CorrectionComment` for the story's JSON-LD `correction` list."""
        return {
            "@type": "CorrectionComment",
            "text": self.text,
            "datePublished": self.created_at.isoformat(),
        }


class StoryLink(models.Model):
    """An in-body link from one story to another, rebuilt from the body on save.

    The target is kept by id without a database constraint, so a link to a deleted
    story stays visible to the desk (and works again if the story is recovered).
    """

    source = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="links_out"
    )
    target = models.ForeignKey(
        Article,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="links_in",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target"], name="unique_story_link"
            )
        ]

    def __str__(self):
        return f"{self.source_id} → {self.target_id}"


class SearchDocument(models.Model):
    """A story's row in the full-text index, which the database's triggers maintain.

    SQLite: an FTS5 table; PostgreSQL: a GIN-indexed tsvector (migration 0004).
    Never written from Python; `articles.search` joins it to rank stories.
    """

    article = models.OneToOneField(
        Article,
        primary_key=True,
        db_column="rowid",
        on_delete=models.DO_NOTHING,
        related_name="search_document",
    )

    class Meta:
        managed = False
        db_table = "articles_search"

    def __str__(self):
        return str(self.article_id)


def sync_live_windows(article_ids):
    """Recopy the stories' stored public windows onto their tagging rows.

    Not needed after any write: database triggers keep the copies in step
    (`articles.window_schema`). A repair for a database whose triggers were off
    while someone wrote; `db_maintained.ensure()` does the same for every story.
    """
    story = Article.objects.filter(
        pk=models.OuterRef("content_object_id"), status=Article.Status.PUBLISHED
    )
    changed = TaggedArticle.objects.filter(content_object_id__in=article_ids).update(
        live_from=models.Subquery(story.values("published_at")[:1]),
        live_until=models.Subquery(story.values("unpublish_at")[:1]),
    )
    return changed


class RelatedExclusion(models.Model):
    """A story an editor keeps out of another story's automatic related list."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="related_exclusions"
    )
    story = models.ForeignKey(
        Article,
        on_delete=models.CASCADE,
        related_name="excluded_from",
        verbose_name=_("excluded story"),
    )

    class Meta:
        verbose_name = _("excluded related story")
        verbose_name_plural = _("excluded related stories")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "story"], name="unique_related_exclusion"
            )
        ]

    def __str__(self):
        return f"{self.article} ✕ {self.story}"


class TopicAlias(models.Model):
    """Another name for a topic: typing it attaches the topic; its slug redirects."""

    class Language(models.TextChoices):
        ENGLISH = "en", _("English")
        FRENCH = "fr", _("French")

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(_("alias"), max_length=100)
    name_key = models.CharField(max_length=100, unique=True, editable=False)
    slug = models.SlugField(max_length=100, unique=True, allow_unicode=True)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default="en"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("alias")
        verbose_name_plural = _("aliases")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name = " ".join(self.name.split())
        self.name_key = fold(self.name)
        if not self.slug:
            self.slug = readable_slug(self.name)
        super().save(*args, **kwargs)

    def clean(self):
        self.name = " ".join((self.name or "").split())
        key = fold(self.name)
        topic = Topic.objects.filter(name_key=key).first()
        if topic:
            raise ValidationError({"name": f"“{topic.name}” is already a topic."})
        if TopicAlias.objects.filter(name_key=key).exclude(pk=self.pk).exists():
            raise ValidationError({"name": f"“{self.name}” is already an alias."})
        slug = self.slug or readable_slug(self.name)
        if Topic.objects.filter(slug=slug).exists():
            raise ValidationError({"slug": f"“{slug}” is a topic's address."})


class TopicRedirect(models.Model):
    """An address a topic used to have (renamed or merged away); it answers 301."""

    old_slug = models.SlugField(max_length=100, unique=True, allow_unicode=True)
    topic = models.ForeignKey(
        Topic, on_delete=models.CASCADE, related_name="former_slugs"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.old_slug} → {self.topic.slug}"


class TopicMerge(models.Model):
    """Audit record: who merged which topic into which, when, and what moved."""

    target = models.ForeignKey(
        Topic, on_delete=models.SET_NULL, null=True, related_name="merges"
    )
    target_name = models.CharField(max_length=100)
    source_name = models.CharField(max_length=100)
    source_slug = models.CharField(max_length=100)
    stories_moved = models.PositiveIntegerField()
    stories_already_tagged = models.PositiveIntegerField()
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    merged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-merged_at", "-id"]
        verbose_name = _("topic merge")

    def __str__(self):
        return f"{self.source_name} → {self.target_name} ({self.merged_at:%Y-%m-%d})"


class TopicEvent(models.Model):
    """A key date pinned to a topic's timeline."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="events")
    date = models.DateField(_("date"))
    text = models.CharField(
        _("event"), max_length=200, help_text=_("One line, in our own words.")
    )
    story = models.ForeignKey(
        Article,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("story"),
        help_text=_("Optional: the story readers should open (shown once published)."),
    )

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("key event")
        verbose_name_plural = _("key events (timeline)")

    def __str__(self):
        return f"{self.date:%d %b %Y}: {self.text}"


class TopicFact(models.Model):
    """One line of a topic's fact box."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="facts")
    label = models.CharField(_("label"), max_length=80)
    value = models.CharField(_("value"), max_length=200)
    as_of = models.DateField(_("as of"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("fact")
        verbose_name_plural = _("fact box")

    def __str__(self):
        return f"{self.label}: {self.value}"


TOPIC_STATS_CACHE_KEY = "topics:stats:v2"


# Revisions: a story's version carries its topics, curated links, exclusions, notes
# and old addresses, so a deleted story comes back whole (articles/revisions.py).
# A restore reads them too, but never rolls notes back: they are a public record.
reversion.register(TaggedArticle)
reversion.register(RelatedStory)
reversion.register(RelatedExclusion)
reversion.register(StoryNote)
reversion.register(SlugRedirect)
reversion.register(
    Article,
    follow=[
        "tagged_items", "curated_links", "related_exclusions", "notes", "old_slugs",
    ],
)  # fmt: skip
