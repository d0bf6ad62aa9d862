"""Topics (taggit tags with a page each), the tagging rows that put stories under
them, and what hangs off a topic: aliases, old addresses, merges, key events and
facts; with the name folding that makes `Tillaberi` and `TILLABÉRI` one topic.

Stories are named by string here ("Article"): this module imports nothing of
`stories`."""

import functools
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, router, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from taggit.managers import _TaggableManager
from taggit.models import TagBase, TaggedItemBase

from . import live


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
    once (pagecache/generation.py), not once a row."""

    add = _in_one_transaction(_TaggableManager.add)
    remove = _in_one_transaction(_TaggableManager.remove)
    set = _in_one_transaction(_TaggableManager.set)
    clear = _in_one_transaction(_TaggableManager.clear)


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

    def with_counts(self, counts):
        """The topics named in `counts` ({topic id: published stories}), each with
        `num_published`, most used first (`selectors.topic_counts` gives them the
        cached topic statistics)."""
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
    newest live stories of a topic from this table's index alone; `language` is the
    story's, for an edition's topic pages and counts. The database
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
    # The story's language, copied the same way: an edition's topic counts and
    # pages read the (tag, language, live_from, story, live_until) index alone.
    # NULL until the database's trigger fills it (SQLite's run after the row is
    # inserted).
    language = models.CharField(  # noqa: DJ001
        max_length=12, null=True, blank=True, editable=False
    )

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
            ),
            # An edition's topic page walks it newest first to any depth, and
            # its counts read it alone: it holds every column they read.
            models.Index(
                fields=["tag", "language", "live_from", "content_object", "live_until"],
                name="tagged_topic_edition_idx",
            ),
        ]

    @staticmethod
    def live_q(now):
        """Rows of stories live at `now`, by the copy: `live.within_q`, the rule
        `ArticleQuerySet.live_q` applies to the story row (a copied window is
        empty unless the story is published)."""
        return live.within_q(now, start="live_from", end="live_until")

    @classmethod
    def live(cls, now=None):
        """Rows of stories inside their public window, by the denormalised copy."""
        return cls.objects.filter(cls.live_q(now or timezone.now()))


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
        "Article",
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
