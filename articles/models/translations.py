"""A story's language and its place among its translations.

Every story is written in one of `settings.LANGUAGES` (a story saved without one
gets `settings.LANGUAGE_CODE`, the default edition's). Translations of one story
form a group around the story they were translated from (`translation_of`, never
a translation itself). Each translation remembers the saved version of its
source it was made from or last brought up to date with (`source_version`, a
django-reversion `Version` id): comparing that version with the source now says
whether the translation is stale and by how many words. A correction or
retraction on one language version leaves its published translations pointing at
that note (`correction_pending`) until an editor adds the matching note.

Imports nothing of this package: `stories` builds `Article` on `Translatable`.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


def default_language():
    """The default edition's language: what a story saved without one is in."""
    return settings.LANGUAGE_CODE


def language_names():
    return dict(settings.LANGUAGES)


def validate_language(value):
    if value not in language_names():
        raise ValidationError(
            _("%(value)s is not one of the newsroom's languages (%(known)s)."),
            params={"value": value, "known": ", ".join(language_names())},
            code="unknown_language",
        )


class Translatable(models.Model):
    """The language fields of a story (`Article` inherits them)."""

    language = models.CharField(
        _("language"),
        max_length=12,
        default=default_language,
        validators=[validate_language],
        db_index=True,
        help_text=_("The language the story is written in."),
    )
    translation_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="translations",
        verbose_name=_("translation of"),
        help_text=_("The story this one was translated from."),
    )
    source_version = models.PositiveIntegerField(
        _("source version"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "The saved version of the source (django-reversion Version id) this "
            "translation was made from or last marked up to date with."
        ),
    )
    correction_pending = models.ForeignKey(
        "StoryNote",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("correction pending"),
        help_text=_(
            "A correction or retraction on another language version that this "
            "one has not yet been given."
        ),
    )

    class Meta:
        abstract = True
