"""The read-only content API at /api/, built with django-ninja.

Every list and detail reads through `articles.selectors`, as the pages do, so
from `Article.objects.published()`. Bad parameters answer 400 with
`{"detail": ...}`; an unknown story 404. The OpenAPI schema is at
/api/openapi.json, the browsable docs at /api/docs.
"""

from datetime import datetime

from django.conf import settings
from django.core.paginator import EmptyPage, Paginator
from django.http import Http404
from django.utils import translation
from ninja import Field, NinjaAPI, Query, Schema, Swagger
from ninja.errors import ValidationError

from . import selectors
from .context_processors import absolute_url, base_url

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100

api = NinjaAPI(
    title="AES Newsroom content API",
    version="1",
    description="Published stories and topics, read-only.",
    urls_namespace="api",
    # Swagger UI comes from django-ninja's own static files ("ninja" is an installed
    # app), pinned with it; without a validator it never calls validator.swagger.io.
    docs=Swagger(settings={"validatorUrl": None}),
)


class BadRequestError(Exception):
    pass


@api.exception_handler(BadRequestError)
def bad_request(request, exc):
    return api.create_response(request, {"detail": str(exc)}, status=400)


@api.exception_handler(ValidationError)
def invalid_parameters(request, exc):
    """Ninja answers 422 by default; bad query parameters are a 400 here."""
    return api.create_response(
        request, {"detail": "Invalid parameters.", "errors": exc.errors}, status=400
    )


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "Not found."}, status=404)


class Error(Schema):
    detail: str


class TopicOut(Schema):
    name: str
    slug: str
    url: str


class AuthorOut(Schema):
    name: str
    slug: str
    url: str


class TranslationOut(Schema):
    language: str
    headline: str
    slug: str
    url: str


class StorySummary(Schema):
    headline: str
    slug: str
    url: str
    language: str = Field(description="The language the story is written in.")
    translations: list[TranslationOut] = Field(
        description="Its published versions in the other languages."
    )
    dek: str
    published_at: datetime
    updated_at: datetime
    authors: list[AuthorOut]
    topics: list[TopicOut]


class RelatedOut(Schema):
    headline: str
    slug: str
    url: str
    published_at: datetime


class StoryDetail(StorySummary):
    body_html: str
    image: str | None = None
    image_alt: str = ""
    related: list[RelatedOut]


class StoryPage(Schema):
    count: int
    page: int
    pages: int
    next: str | None
    previous: str | None
    results: list[StorySummary]


class TopicCount(TopicOut):
    stories: int


class Index(Schema):
    stories: str
    topics: str
    schema_url: str = Field(alias="schema")


class StoryFilters(Schema):
    page: int = Field(1, ge=1, description="Page number, from 1.")
    page_size: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)
    # Empty is no filter, as an HTML form's "any topic" choice sends it and as
    # /search/?topic= reads it.
    topic: str | None = Field(
        None, description="A topic's slug; absent or empty: every topic."
    )
    language: str | None = Field(
        None,
        description="A language code (an edition's: en, fr); absent or empty: all.",
    )


class TopicFilters(Schema):
    language: str | None = Field(
        None,
        description="Count only stories in this language; absent or empty: all.",
    )


def _language(code):
    """The language asked for (None: all), or a 400 for one the site lacks."""
    if not code:
        return None
    if code not in dict(settings.LANGUAGES):
        known = ", ".join(dict(settings.LANGUAGES))
        raise BadRequestError(f"No language {code!r} here (one of: {known}).")
    return code


def _link(request, obj):
    return absolute_url(request, obj.get_absolute_url())


def _summary(request, story, translations, topics=None):
    return {
        "headline": story.headline,
        "slug": story.slug,
        "url": _link(request, story),
        "language": story.language,
        "translations": [
            {
                "language": other.language,
                "headline": other.headline,
                "slug": other.slug,
                "url": _link(request, other),
            }
            for other in translations
        ],
        "dek": story.dek,
        "published_at": story.published_at,
        "updated_at": story.updated_at,
        "authors": [
            {"name": a.name, "slug": a.slug, "url": _link(request, a)}
            for a in story.authors.all()
        ],
        "topics": [
            {"name": t.name, "slug": t.slug, "url": _link(request, t)}
            for t in (story.tags.all() if topics is None else topics)
        ],
    }


# Every operation may answer 400: a NUL anywhere in a request is refused before the
# API sees it (newsroom.middleware), in this API's error format.
@api.get(
    "/",
    response={200: Index, 400: Error},
    summary="Where everything is",
    by_alias=True,
)
def index(request):
    return {
        "stories": request.build_absolute_uri("stories/"),
        "topics": request.build_absolute_uri("topics/"),
        "schema": request.build_absolute_uri("openapi.json"),
    }


@api.get(
    "/stories/",
    response={200: StoryPage, 400: Error},
    summary="Published stories, newest first",
)
def story_list(request, filters: Query[StoryFilters]):
    topic = None
    if filters.topic:
        topic = selectors.topic_with_stories(filters.topic)
        if topic is None:
            raise BadRequestError(
                f"No topic with published stories has slug {filters.topic!r}."
            )
    language = _language(filters.language)
    paginator = Paginator(
        selectors.stories_with_topics(topic, language), filters.page_size
    )
    try:
        page = paginator.page(filters.page)
    except EmptyPage as exc:
        raise BadRequestError(f"Page {filters.page} is out of range.") from exc

    def page_url(number):
        params = request.GET.copy()
        params["page"] = number
        return request.build_absolute_uri(f"?{params.urlencode()}")

    versions = selectors.language_versions(page.object_list)
    return {
        "count": paginator.count,
        "page": page.number,
        "pages": paginator.num_pages,
        "next": page_url(page.next_page_number()) if page.has_next() else None,
        "previous": page_url(page.previous_page_number())
        if page.has_previous()
        else None,
        "results": [
            _summary(request, story, versions[story.pk]) for story in page.object_list
        ],
    }


@api.get(
    "/stories/{slug}/",
    response={200: StoryDetail, 400: Error, 404: Error},
    summary="One published story, with its body and related stories",
)
def story_detail(request, slug: str):
    # Read as the story's page reads it; links in the body are absolute, for
    # readers off the site. Notes are not part of this answer, so not loaded.
    reading = selectors.published_story(slug, base_url=base_url(request), notes=False)
    story = reading.story
    data = _summary(request, story, reading.translations, reading.topics)
    data.update(
        body_html=reading.body_html,
        image=absolute_url(request, story.lead_image.url) if story.lead_image else None,
        image_alt=story.lead_image_alt,
        related=[
            {
                "headline": r.headline,
                "slug": r.slug,
                "url": _link(request, r),
                "published_at": r.published_at,
            }
            for r in reading.related
        ],
    )
    return data


@api.get(
    "/topics/",
    response={200: list[TopicCount], 400: Error},
    summary="Topics with published stories, most used first",
)
def topic_list(request, filters: Query[TopicFilters]):
    language = _language(filters.language)
    # A language's topic pages are its edition's (`/fr/topics/...`).
    with translation.override(language or translation.get_language()):
        return _topic_counts(request, language)


def _topic_counts(request, language):
    return [
        {
            "name": topic.name,
            "slug": topic.slug,
            "url": _link(request, topic),
            "stories": topic.num_published,
        }
        for topic in selectors.topic_counts(language=language)
    ]
