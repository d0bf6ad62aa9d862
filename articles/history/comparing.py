"""Reading versions: a word-by-word comparison of two, each revision's comment, and
the link from a refused save to what changed since. Other stories are named only
as far as the reader may see them."""

import difflib
import html
import re
from collections import namedtuple

from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe
from reversion.models import Version

from articles import policy
from articles.history.snapshots import as_snapshot, parse_moment, when
from articles.models import (
    Article,
    Author,
    RelatedExclusion,
    RelatedStory,
    Topic,
    live,
)

_BLOCK_END = re.compile(r"</(p|h[1-6]|li|blockquote|figcaption|tr)>|<br\s*/?>", re.I)
_STORY_LINK = re.compile(r'<a\b[^>]*href="story:(\d+)"[^>]*>', re.I)
# How Django's change messages name an inline row: `related story “A → B”`.
_INLINE_ROW = re.compile(r"(related story|excluded related story) “([^”]*)”")

Row = namedtuple("Row", "label changed diff part")


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


def _word_changes(old, new):
    """The word-by-word comparison itself: (op, removed words, added words) runs,
    whitespace kept as separate items so the text can be put back together."""
    old_words = re.split(r"(\s+)", old)
    new_words = re.split(r"(\s+)", new)
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        yield op, old_words[a1:a2], new_words[b1:b2]


def changed_words(old, new):
    """How many words the comparison strikes or marks (a replaced word counts as
    the words removed plus the words added)."""
    return sum(
        sum(1 for word in removed + added if word.strip())
        for op, removed, added in _word_changes(old, new)
        if op != "equal"
    )


def inline_diff(old, new):
    """Word-by-word difference as HTML: removed words struck, added words marked."""
    parts = []
    for op, old_run, new_run in _word_changes(old, new):
        removed = escape("".join(old_run))
        added = escape("".join(new_run))
        if op == "equal":
            parts.append(removed)
        if op in {"delete", "replace"} and removed.strip():
            parts.append(f"<del>{removed}</del>")
        if op in {"insert", "replace"} and added.strip():
            parts.append(f"<ins>{added}</ins>")
    return mark_safe("".join(parts).replace("\n", "<br>"))


class Names:
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
    if published and live.holds(Article.objects.window_q(), fields):
        scheduled = Article.objects.state_qs(timezone.now())["scheduled"]
        verb = "scheduled for" if live.holds(scheduled, fields) else ""
        parts.append(f"{verb} {when(published)}".strip())
    elif published:
        parts.append(f"publication time {when(published)}")
    if expires:
        parts.append(f"expires {when(expires)}")
    return ", ".join(part for part in parts if part)


def texts(snap, names):
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
    names = Names([old, new], user)
    return [
        Row(label, before != after, inline_diff(before, after), part)
        for (label, part, before), (_, _, after) in zip(
            texts(old, names), texts(new, names), strict=True
        )
    ]


def content_words_changed(old, new, *, user):
    """How many words of the content (text, captions, topics, byline...) differ
    between two versions (or snapshots) of one story: the comparison's own count."""
    old, new = as_snapshot(old), as_snapshot(new)
    names = Names([old, new], user)
    return sum(
        changed_words(before, after)
        for (_, part, before), (_, _, after) in zip(
            texts(old, names), texts(new, names), strict=True
        )
        if part == "content"
    )


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
