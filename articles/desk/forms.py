"""The story form: the body editor, the story-link picker, topics typed in order,
and the check that refuses to overwrite a newer save."""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorFormField
from django_prose_editor.widgets import AdminProseEditorWidget

from articles import history, services, topic_names
from articles.desk.widgets import ReadableAutocompleteSelect
from articles.models import Article, RelatedStory, Topic, default_language

# The body editor's tools; `story:` links come from the story picker (richtext.py).
BODY_EDITOR = {
    "extensions": {
        "Bold": True,
        "Italic": True,
        "Strike": True,
        "Subscript": True,
        "Superscript": True,
        "Heading": {"levels": [2, 3, 4]},
        "BulletList": True,
        "OrderedList": True,
        "ListItem": True,
        "Blockquote": True,
        "HorizontalRule": True,
        "HardBreak": True,
        "Link": {"enableTarget": False, "protocols": ["story"]},
        "History": True,
        "HTML": True,
        # The editor turns the browser's spell-check off by default; reporters
        # writing in a second language need it most.
        "NoSpellCheck": False,
    }
}


def _changed_by(article):
    who = article.updated_by
    name = (who.get_full_name() or who.get_username()) if who else "someone"
    return name, history.when(article.updated_at)


class ArticleAdminForm(forms.ModelForm):
    body = ProseEditorFormField(
        config=BODY_EDITOR,
        widget=AdminProseEditorWidget,
        required=False,
        help_text=Article._meta.get_field("body").help_text,
    )
    link_story = forms.ModelChoiceField(
        queryset=Article.objects.all(),
        required=False,
        label="Link to a story",
        help_text="Select words in the body, choose a story, then press “Link the "
        "selected words”. The link follows the story if its address changes, and "
        "shows as plain text while that story is not published.",
        widget=ReadableAutocompleteSelect(
            RelatedStory._meta.get_field("story"), admin.site
        ),
    )
    opened_version = forms.CharField(required=False, widget=forms.HiddenInput)
    stale_compare_url = None

    class Meta:
        model = Article
        fields = [
            "headline", "slug", "dek", "body", "language", "authors", "tags", "primary_topic",
            "lead_image",
            "lead_image_alt", "lead_image_caption", "lead_image_credit", "status",
            "published_at", "unpublish_at", "sources",
        ]  # fmt: skip

    def __init__(self, *args, can_publish=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.can_publish = can_publish
        picker = self.add_prefix("link_story")
        if self.is_bound and picker in self.data:
            # The picker only helps write the body; never echo a posted value back.
            self.data = self.data.copy()
            del self.data[picker]
        if "language" in self.fields:
            # Left out of a post, a story is in the default edition's language.
            self.fields["language"] = forms.TypedChoiceField(
                label=_("language"),
                choices=settings.LANGUAGES,
                initial=default_language(),
                required=False,
                empty_value=default_language(),
                help_text=_("The language the story is written in."),
            )
        if self.instance.pk:
            self.initial["opened_version"] = self.instance.updated_at.isoformat()
        if "primary_topic" in self.fields:
            # Offer the story's own topics; a new story takes its first typed one.
            self.fields["primary_topic"].queryset = Topic.objects.filter(
                tagged_articles__content_object_id=self.instance.pk or 0
            )
        if not can_publish and "status" in self.fields:
            self.fields["status"].choices = [
                choice
                for choice in self.fields["status"].choices
                if choice[0] != Article.Status.PUBLISHED
            ]

    def clean_status(self):
        status = self.cleaned_data["status"]
        if status == Article.Status.PUBLISHED and not self.can_publish:
            raise forms.ValidationError("Only editors can publish a story.")
        return status

    def clean(self):
        cleaned = super().clean()
        # Going live needs a byline; an old story without one can still be fixed.
        if (
            cleaned.get("status") == Article.Status.PUBLISHED
            and self.instance.status != Article.Status.PUBLISHED
            and "authors" in cleaned
            and not cleaned["authors"]
        ):
            self.add_error(
                "authors", "Add a byline before publishing: readers see who wrote it."
            )
        primary, names = cleaned.get("primary_topic"), cleaned.get("tags")
        if primary and names is not None:
            typed = {topic.pk for topic in map(topic_for_name, names) if topic}
            if primary.pk not in typed and "primary_topic" in self.changed_data:
                self.add_error(
                    "primary_topic",
                    _("Pick one of the story's topics, or leave it empty."),
                )
            elif primary.pk not in typed:
                # The editor removed the primary topic's tag: fall back to the first
                # topic typed (save_related picks it) rather than refuse the save.
                cleaned["primary_topic"] = None
        self.check_not_stale()
        return cleaned

    def check_not_stale(self):
        """Refuse to overwrite a save made since this form was opened; keep the text
        typed here, and let a second save overwrite on purpose.

        The admin validates a POST inside the transaction that saves it, so the row
        stays locked from this check to the save: of two saves at the same moment
        the second waits, then finds the first. A form that does not say which
        version it was opened on is refused the same way.
        """
        if not self.instance.pk or not transaction.get_connection().in_atomic_block:
            # Nothing is saved outside the saving transaction (a form drawn again
            # after the database failed, articles/desk/resilience.py).
            return
        opened = self.cleaned_data.get("opened_version") or ""
        current = services.lock_for_save(pk=self.instance.pk)
        if current is None or current.updated_at.isoformat() == opened:
            return
        self.data = self.data.copy()
        self.data[self.add_prefix("opened_version")] = current.updated_at.isoformat()
        self.stale_compare_url = history.compare_url_since(current, opened)
        name, when = _changed_by(current)
        if not history.parse_moment(opened):
            raise forms.ValidationError(
                "This form did not say which version of the story it was opened on, "
                "so it could overwrite a newer save (the last one: %(name)s, "
                "%(when)s). Your changes are still in the form below and have not "
                "been saved. Check the story's History, then save again.",
                code="stale",
                params={"name": name, "when": when},
            )
        raise forms.ValidationError(
            "%(name)s saved this story at %(when)s, after you opened it. Your changes "
            "are still in the form below and have not been saved. Compare with their "
            "version (link below, or the story's History); save again to replace it "
            "with yours.",
            code="stale",
            params={"name": name, "when": when},
        )

    def typed_tags(self):
        """The Tags field as the editor typed it."""
        return self.data.get(self.add_prefix("tags"), "") or ""

    def typed_topic_names(self):
        """The topic names in the order the editor typed them."""
        return topic_names.parse_topic_names(self.typed_tags())

    def clean_tags(self):
        names = self.cleaned_data["tags"]
        long_names = topic_names.too_long(names)
        if long_names:
            raise forms.ValidationError(
                "A topic name is at most %(limit)d characters; this one is "
                "%(length)d: “%(name)s…”. Separate topics with commas.",
                code="topic_too_long",
                params={
                    "limit": topic_names.MAX_NAME_LENGTH,
                    "length": len(long_names[0]),
                    "name": long_names[0][:60],
                },
            )
        self._check_words_are_not_split_by_surprise(names)
        return names

    def _check_words_are_not_split_by_surprise(self, names):
        """Typed without a comma or quotes, "2015 Algiers peace agreement" is, by
        the grammar every tag field shares, four topics, one per word. Where that
        would make a topic that does not exist yet, ask which was meant (the
        typed text stays): an existing topic per word ("Niger Mali") is taken."""
        raw = self.typed_tags()
        if len(names) < 2 or "," in raw or '"' in raw:
            return
        if all(topic_for_name(name) is not None for name in names):
            return
        raise forms.ValidationError(
            "“%(typed)s” would make %(count)d topics, one per word: %(names)s. For "
            "one topic of several words, end it with a comma (“%(typed)s,”) or put "
            "it in quotes; separate topics with commas.",
            code="topic_words_split",
            params={
                "typed": " ".join(raw.split()),
                "count": len(names),
                "names": ", ".join(names),
            },
        )


def topic_for_name(name):
    return Topic.objects.filter(name__iexact=name).first()
