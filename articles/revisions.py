"""A story's history for the desk: readable differences and one-step restores."""

import difflib
import html
import re
from datetime import datetime

import reversion
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import reverse
from django.utils.dateformat import format as format_date
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from reversion.models import Version

from .models import Article, TaggedArticle, Topic, sync_live_windows

COMPARED_FIELDS = [
    ("headline", "Headline"),
    ("slug", "Address (slug)"),
    ("dek", "Dek"),
    ("body", "Body"),
    ("status", "Status"),
    ("published_at", "Publication time"),
    ("unpublish_at", "Expiry time"),
    ("sources", "Sources"),
]
_BLOCK_END = re.compile(r"</(p|h[1-6]|li|blockquote|figcaption|tr)>|<br\s*/?>", re.I)
_STORY_LINK = re.compile(r'<a\b[^>]*href="story:(\d+)"[^>]*>', re.I)


def when(moment):
    """A moment as the desk reads it, to the second: two saves can share a minute."""
    return format_date(template_localtime(moment), "j M Y, H:i:s")


def readable_text(value, headlines=None):
    """Body HTML as paragraphs of text; a story link shown as [→ its headline]."""
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


def topic_names(version):
    """The topics a story had in `version`'s revision."""
    tagged_type = ContentType.objects.get_for_model(TaggedArticle)
    ids = [
        tagged.field_dict["tag_id"]
        for tagged in version.revision.version_set.filter(content_type=tagged_type)
    ]
    return ", ".join(
        sorted(Topic.objects.filter(pk__in=ids).values_list("name", flat=True))
    )


def _as_text(name, value, headlines):
    if name == "body":
        return readable_text(value, headlines)
    if name == "status":
        return str(Article.Status(value).label) if value else ""
    if hasattr(value, "isoformat"):
        return when(value)
    return "" if value is None else str(value)


def compare(old, new):
    """Rows (label, changed, html) comparing two versions of one story."""
    rows = []
    old_fields, new_fields = old.field_dict, new.field_dict
    linked = {
        int(pk)
        for fields in (old_fields, new_fields)
        for pk in _STORY_LINK.findall(fields.get("body") or "")
    }
    headlines = dict(
        Article.objects.filter(pk__in=linked).values_list("pk", "headline")
    )
    pairs = [
        (
            label,
            _as_text(name, old_fields.get(name), headlines),
            _as_text(name, new_fields.get(name), headlines),
        )
        for name, label in COMPARED_FIELDS
    ]
    pairs.append(("Topics", topic_names(old), topic_names(new)))
    for label, before, after in pairs:
        rows.append((label, before != after, inline_diff(before, after)))
    return rows


def restore(article, version, *, user):
    """Put `article` back as it was in `version`, with its topics and curated links,
    as one new revision; the address it had until now keeps redirecting."""
    current_slug = article.slug
    with transaction.atomic(), reversion.create_revision():
        version.revision.revert(delete=True)
        restored = Article.objects.get(pk=article.pk)
        restored._stored_slug = current_slug
        restored._stored_text = article.editorial_text()  # dates a changed text
        restored.updated_by = user
        restored.save()
        sync_live_windows([restored.pk])  # revert() writes the topic rows raw
        reversion.set_user(user)
        reversion.set_comment(
            f"Restored the version of {when(version.revision.date_created)}."
        )
    return restored


def compare_url_since(article, opened):
    """The comparison of the version an editor opened (`opened`: the story's
    `updated_at` then, ISO format) with the newest one, or None without both."""
    try:
        opened_at = datetime.fromisoformat(opened)
    except ValueError:
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
