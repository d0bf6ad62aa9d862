"""Reads that the public pages and the API share: one definition of what readers get.

A story reaches readers through `published_story()`, whether as its page or as the
API's detail: both show the same topics, related stories and body, with in-body
story links resolved the same way. The desk's preview reads a story in any state
through `read_story()`, so it shows exactly what readers will get.
"""

from dataclasses import dataclass

from django.db.models import prefetch_related_objects
from django.shortcuts import get_object_or_404

from .models import Article, StoryNote, Topic
from .related import related_stories


@dataclass(frozen=True)
class StoryReading:
    """A story as readers get it: its own fields on `story`, and what goes with it."""

    story: Article
    topics: list[Topic]
    related: list[Article]
    # The body with story links pointing at their targets' addresses, or dropped
    # (their text kept) while a target is not published.
    body_html: str
    # Newest first; None when the caller did not ask for them.
    notes: list[StoryNote] | None


def published_stories():
    """Published stories with what a byline, kicker or "Corrected" label needs."""
    return Article.objects.published().with_list_data()


def published_story(slug, *, base_url="", notes=True):
    """The published story at `slug`, read as readers get it; Http404 otherwise."""
    story = get_object_or_404(published_stories(), slug=slug)
    return read_story(story, base_url=base_url, notes=notes)


def read_story(story, *, base_url="", notes=True):
    """`story` with its topics (by name), related stories, reader's body and notes.

    A fixed number of queries: topics, the related list, the targets of in-body
    story links (when there are any) and, when `notes` is set, the notes, which
    then also serve `story.corrections()`. Links in the body start with `base_url`
    (empty: relative to the site, as its own pages use them).
    """
    topics = sorted(story.tags.all())
    if notes:
        prefetch_related_objects([story], "notes")
    return StoryReading(
        story=story,
        topics=topics,
        related=related_stories(story, topic_ids=[topic.pk for topic in topics]),
        body_html=story.rendered_body(base_url=base_url),
        notes=list(story.notes.all()) if notes else None,
    )
