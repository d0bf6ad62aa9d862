"""Stories: `Article` with its queryset (`published()`, the one public gate), the
notes appended to it and the addresses it used to have."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import connections, models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from .. import images, richtext
from ..images import validate_image_file
from . import live
from .authors import Author
from .image_field import StoredImageField
from .topics import StoryTopicsManager, TaggedArticle, Topic
from .translations import Translatable

LEAD_IMAGE_EXTENSIONS = ["jpg", "jpeg", "png", "webp", "gif"]


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

    # A story's public window: from its publication time to its expiry time, while
    # it is published (`articles.models.live` says what "inside" means).
    WINDOW = {"start": "published_at", "end": "unpublish_at"}

    @staticmethod
    def window_q():
        """Stories that have a public window (live, scheduled or expired)."""
        return Q(status=Article.Status.PUBLISHED)

    @staticmethod
    def live_q(now):
        """Live at `now`: published, its time has come and its expiry (if any) has
        not. The one definition; `published()` and the desk's states use it."""
        return ArticleQuerySet.window_q() & live.within_q(now, **ArticleQuerySet.WINDOW)

    @staticmethod
    def state_qs(now):
        """Each state the desk names, as a condition at `now`; every story is in
        exactly one."""
        window, phases = (
            ArticleQuerySet.window_q(),
            live.phases_q(now, **ArticleQuerySet.WINDOW),
        )
        return {
            "draft": Q(status=Article.Status.DRAFT),
            "review": Q(status=Article.Status.REVIEW),
            "scheduled": window & phases["before"],
            "published": ArticleQuerySet.live_q(now),
            "expired": window & phases["after"],
        }

    def published(self):
        """The one gate for everything public: the stories live now."""
        return self.filter(self.live_q(timezone.now()))

    def live_count(self, now=None):
        """How many are live at `now`, as `published().count()`: those whose window
        opened less those whose window since closed (`live.phases_q`), two index
        reads (12 ms at 100,000 stories; SQLite reads each live row: 260 ms)."""
        now = now or timezone.now()
        window, end = self.window_q(), self.WINDOW["end"]
        opened = self.filter(window & live.started_q(now, start=self.WINDOW["start"]))
        # The expiry index tells SQLite where to start (implied by "after"):
        expiring = Article.objects.filter(**{f"{end}__lte": now}).values("pk")
        after = live.phases_q(now, **self.WINDOW)["after"]
        (o, o_params), (c, c_params) = (
            part.order_by().values("pk").query.sql_with_params()
            for part in (opened, opened.filter(after, pk__in=expiring))
        )
        with connections[self.db].cursor() as cursor:  # one statement: one snapshot
            cursor.execute(
                f"SELECT (SELECT COUNT(*) FROM ({o}) AS o) - "
                f"(SELECT COUNT(*) FROM ({c}) AS c)",
                [*o_params, *c_params],
            )
            return cursor.fetchone()[0]

    def in_state(self, state, now=None):
        """The stories in one of the desk's states (`state_qs`), at `now`."""
        return self.filter(self.state_qs(now or timezone.now())[state])

    def next_live_change(self, now):
        """The first moment after `now` at which a story goes live or expires by
        the clock alone, or None."""
        return live.next_change(
            self.filter(self.window_q()).order_by(), now, **self.WINDOW
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


class Article(Translatable, models.Model):
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
    lead_image = StoredImageField(
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
            # The page cache looks up the next expiry (pagecache/generation.py).
            models.Index(fields=["unpublish_at"], name="article_unpublish_at_idx"),
        ]

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        """Keep the row's own invariants. What saving a story means elsewhere (its
        lead image in storage, story links, old addresses) is
        `articles.services.save_story()`'s, the way every route saves a story."""
        if self.lead_image and not self.lead_image._committed:
            # Django would store the upload as it came, metadata (GPS) and all.
            raise ValueError(
                "A new lead image is stored by articles.services.save_story(), "
                "which cleans it and makes its renditions; save the story there."
            )
        if not self.slug:
            self.slug = slugify(self.headline)[:200] or "story"
        self.body = richtext.sanitize(self.body)
        self.body_text = richtext.plain_text(self.body)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "body" in update_fields:
            kwargs["update_fields"] = {*update_fields, "body_text"}
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        adding = self._state.adding
        text = self.editorial_text()
        text_saved = update_fields is None or {"headline", "dek", "body"} & {
            *update_fields
        }
        if text_saved and not adding and getattr(self, "_stored_text", text) != text:
            self.revised_at = timezone.now()
            if update_fields is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "revised_at"}
        # One transaction: the row, its tagging rows' copy of its window (triggers)
        # and the bump of the content generation (post_save) commit together.
        with transaction.atomic(savepoint=False):
            super().save(*args, **kwargs)
        if text_saved:
            self._stored_text = text
        # The address as stored: services.save_story() redirects it once it changes.
        self._stored_slug = self.slug

    def get_absolute_url(self):
        return reverse("articles:article_detail", kwargs={"slug": self.slug})

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # Remember the stored slug so a change can leave a redirect behind
        # (articles.services.save_story).
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
        """Draft, in review, scheduled, published or expired, as the desk says it:
        the queryset's conditions (`ArticleQuerySet.state_qs`) read on this row."""
        conditions = ArticleQuerySet.state_qs(timezone.now())
        return next(
            (name for name, met in conditions.items() if live.holds(met, self)),
            self.status,
        )

    def get_state_display(self):
        return {"scheduled": "Scheduled", "review": "In review"}.get(
            self.state, self.state.capitalize()
        )

    def is_published(self):
        """Whether the published gate lets this story through now."""
        return live.holds(ArticleQuerySet.live_q(timezone.now()), self)

    def has_window(self):
        """Whether the story is live, scheduled or expired: published, in status."""
        return live.holds(ArticleQuerySet.window_q(), self)

    def live_window(self):
        """(from, until): when the published gate lets this story through."""
        if not self.has_window():
            return None, None
        window = ArticleQuerySet.WINDOW
        return getattr(self, window["start"]), getattr(self, window["end"])

    is_published.boolean = True

    @property
    def lead_picture(self):
        """The lead image's responsive renditions for a <picture>, or None."""
        return images.picture(self)

    @property
    def source_list(self):
        return [line.strip() for line in self.sources.splitlines() if line.strip()]

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
