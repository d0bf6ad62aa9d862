"""The newsroom's content: stories, their topics, bylines and cross-links.

`articles.models` is split into submodules by concern; every model is importable
from here (`from articles.models import Article`), which is also where Django and
the migrations find them.

Dependencies run one way, down this list: a submodule imports only submodules
above it, at module level and inside functions alike. A foreign key to a model
further down names it by string ("Article").

    live        the "is it live?" rule, once, as conditions (`Q`) that querysets
                filter with and `holds()` reads on one row; imports nothing here
    pagecache   the topic statistics' cache key (the content generation row is
                the `pagecache` app's, re-exported here); imports nothing here
    authors     Author; imports nothing here
    translations  a story's language and its translation group (`Translatable`,
                `default_language()`); imports nothing here
    topics      Topic, TaggedArticle (a story's topic), TopicAlias,
                TopicRedirect, TopicMerge, TopicEvent, TopicFact, name folding;
                imports live, nothing of stories
    stories     Article and its queryset (`live_q()`, `published()`, the desk's
                states), StoryNote, SlugRedirect; imports live, topics, authors,
                translations
    links       RelatedStory, RelatedExclusion, StoryLink; imports stories
    search      SearchDocument (the full-text index's table); imports stories

Outside the package, models import only leaf helpers that import no models
(`articles.images`, `articles.richtext`), never a module that reads or writes
through them (`topics`, `selectors`, `services`): `lint-imports` holds it.

What writing a story means beyond its row (images, story links, old addresses)
is not here: `articles.services.save_story()`.
"""

import reversion

from pagecache.models import ContentGeneration  # the page cache's own row

from . import live
from .authors import Author
from .links import RelatedExclusion, RelatedStory, StoryLink
from .pagecache import TOPIC_STATS_CACHE_KEY
from .search import SearchDocument
from .stories import (
    LEAD_IMAGE_EXTENSIONS,
    Article,
    ArticleQuerySet,
    SlugRedirect,
    StoryNote,
)
from .topics import (
    StoryTopicsManager,
    TaggedArticle,
    Topic,
    TopicAlias,
    TopicEvent,
    TopicFact,
    TopicMerge,
    TopicQuerySet,
    TopicRedirect,
    fold,
    readable_slug,
)
from .translations import default_language, language_names

__all__ = [
    "LEAD_IMAGE_EXTENSIONS",
    "TOPIC_STATS_CACHE_KEY",
    "Article",
    "ArticleQuerySet",
    "Author",
    "ContentGeneration",
    "RelatedExclusion",
    "RelatedStory",
    "SearchDocument",
    "SlugRedirect",
    "StoryLink",
    "StoryNote",
    "StoryTopicsManager",
    "TaggedArticle",
    "Topic",
    "TopicAlias",
    "TopicEvent",
    "TopicFact",
    "TopicMerge",
    "TopicQuerySet",
    "TopicRedirect",
    "fold",
    "live",
    "readable_slug",
    "default_language",
    "language_names",
]

# Revisions: a story's version carries its topics, curated links, exclusions, notes
# and old addresses, so a deleted story comes back whole (articles/history/).
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
