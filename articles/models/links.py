"""Links between stories: an editor's curated picks and exclusions for the related
list, and the in-body story links mirrored from each body (for backlinks)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .stories import Article


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
