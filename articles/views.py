from django.conf import settings
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import translation
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, ListView, TemplateView

from pagecache import health

from . import edge_keys, editions, selectors, structured_data
from .context_processors import absolute_url

STORIES_PER_PAGE = 20


def language_links(request, versions, *, fallbacks=None):
    """What the page's head and language switcher link to.

    `versions` maps each language this page exists in to its address (the page's
    own language included); `fallbacks` maps other languages to the nearest
    equivalent page, where the switcher goes when there is no version (else that
    edition's home). Alternates (`hreflang`, with `x-default` the default
    edition's version) only when the page has a counterpart, and not on later
    pages of a list, which need not exist in the other edition.
    """
    fallbacks = fallbacks or {}
    alternates = []
    first_page = "page" not in request.GET
    if len(versions) > 1 and first_page:
        alternates = [
            {"code": code, "url": absolute_url(request, url)}
            for code, url in sorted(versions.items())
        ]
        default = versions.get(settings.LANGUAGE_CODE)
        if default:
            alternates.append(
                {"code": "x-default", "url": absolute_url(request, default)}
            )
    links = editions.switch_links({**fallbacks, **versions})
    return {"alternates": alternates, "language_links": links}


class EditionMixin:
    """A list in the edition its address names (`request.LANGUAGE_CODE`), with
    links to the same list in the other editions that have it."""

    def edition_languages(self):
        """The editions this list exists in: all of them, unless a view says."""
        return editions.languages()

    def edition_address(self):
        return self.request.path

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        address = self.edition_address()
        versions = {
            code: editions.edition_path(address, code)
            for code in self.edition_languages()
        }
        context.update(language_links(self.request, versions))
        return context


class HomeView(EditionMixin, ListView):
    template_name = "articles/home.html"
    context_object_name = "stories"

    def get_queryset(self):
        return selectors.latest_stories(STORIES_PER_PAGE, self.request.LANGUAGE_CODE)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["main_topics"] = selectors.topic_counts(
            limit=12, language=self.request.LANGUAGE_CODE
        )
        return context


class ArticlePageMixin:
    """The article page as readers see it, from the story as `self.reading` holds it
    (articles.selectors, which the API reads through too), in the story's language
    whatever the address it was reached at."""

    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def in_story_language(self, story):
        translation.activate(story.language)
        self.request.LANGUAGE_CODE = story.language

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        # Stored with the page, so a cached copy says it too.
        response["Content-Language"] = self.reading.story.language
        return response

    def story_language_links(self):
        story, reading = self.reading.story, self.reading
        versions = {story.language: story.get_absolute_url()}
        versions.update(
            (other.language, other.get_absolute_url()) for other in reading.translations
        )
        fallbacks = {}
        if story.primary_topic_id:
            for code in selectors.topic_languages([story.primary_topic_id]):
                with translation.override(code):
                    fallbacks[code] = story.primary_topic.get_absolute_url()
        return language_links(self.request, versions, fallbacks=fallbacks)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        reading = self.reading
        images = reading.image_urls
        context.update(self.story_language_links())
        context.update(
            translations=reading.translations,
            topics=reading.topics,
            related_stories=reading.related,
            body_html=reading.body_html,
            # Loaded once; they also serve the structured data's corrections.
            notes=reading.notes,
            citing_stories=reading.citing,
            breadcrumbs=reading.breadcrumbs,
            # The largest lead image for social cards.
            share_image=absolute_url(self.request, images[0]) if images else None,
            structured_data=structured_data.as_script(
                structured_data.news_article(reading, request=self.request)
            ),
        )
        return context


class ArticleDetailView(ArticlePageMixin, DetailView):
    def get_object(self, queryset=None):
        self.reading = selectors.published_story(self.kwargs["slug"])
        self.in_story_language(self.reading.story)
        return self.reading.story

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            moved = selectors.moved_story(kwargs["slug"])
            if moved is None:
                raise
            return redirect(moved, permanent=True)


@method_decorator(never_cache, name="dispatch")
class ArticlePreviewView(PermissionRequiredMixin, ArticlePageMixin, DetailView):
    """A story in any state exactly as readers will see it, for the desk, never indexed."""

    permission_required = "articles.change_article"
    extra_context = {"is_preview": True}

    def get_queryset(self):
        # Reporters preview their own stories only.
        return selectors.preview_stories(self.request.user)

    def get_object(self, queryset=None):
        story = super().get_object(queryset)
        self.reading = selectors.read_story(story)
        self.in_story_language(story)
        return story

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response


class TopicListView(EditionMixin, ListView):
    template_name = "articles/topic_list.html"
    context_object_name = "topics"

    def get_queryset(self):
        return selectors.topic_index(self.request.LANGUAGE_CODE)


class TopicMixin(EditionMixin):
    """Find the topic by slug; an old or alias slug answers 301 to its page. Its
    pages exist in the editions with stories on it (or its narrower topics)."""

    def edition_languages(self):
        return selectors.topic_languages(self.place.ids)

    def get(self, request, *args, **kwargs):
        self.place = selectors.topic_place(kwargs["slug"])
        if self.place is None:
            moved = selectors.moved_topic(kwargs["slug"])
            if moved is None:
                raise Http404("No such topic.")
            url = request.path.replace(f"/{kwargs['slug']}/", f"/{moved.slug}/", 1)
            query = request.META.get("QUERY_STRING")
            return redirect(f"{url}?{query}" if query else url, permanent=True)
        self.topic = self.place.topic
        edge_keys.topic_list(self.topic)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        place = self.place
        context.update(
            topic=place.topic,
            topic_trail=place.trail,
            child_topics=selectors.child_topics_in(place, self.request.LANGUAGE_CODE),
        )
        return context


class TopicDetailView(TopicMixin, ListView):
    template_name = "articles/topic_detail.html"
    context_object_name = "stories"
    paginate_by = STORIES_PER_PAGE

    def get_queryset(self):
        return selectors.topic_stories(self.place.ids, self.request.LANGUAGE_CODE)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context["page_obj"]
        # A topic whose stories are all unpublished has no public page yet; the
        # paginator's count answers that without a query of its own.
        if page.paginator.count == 0:
            raise Http404("No published stories on this topic.")
        context["featured_story"] = None
        if page.number == 1:
            context.update(
                featured_story=selectors.featured_story(self.topic),
                facts=selectors.topic_facts(self.topic),
                related_topics=selectors.related_topics(
                    self.place, self.request.LANGUAGE_CODE
                ),
            )
        context["structured_data"] = structured_data.as_script(
            structured_data.collection_page(
                self.topic, request=self.request, stories=context["stories"]
            )
        )
        return context


class AuthorDetailView(EditionMixin, ListView):
    """A byline's page: the short bio and their published stories, newest first."""

    template_name = "articles/author_detail.html"
    context_object_name = "stories"
    paginate_by = STORIES_PER_PAGE

    def get_queryset(self):
        self.author = selectors.author_at(self.kwargs["slug"])
        edge_keys.author_list(self.author)
        return selectors.author_stories(self.author, self.request.LANGUAGE_CODE)

    def edition_languages(self):
        return selectors.author_languages(self.author)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if context["page_obj"].paginator.count == 0:
            raise Http404("No published stories by this author.")
        context["author"] = self.author
        return context


class TopicTimelineView(TopicMixin, TemplateView):
    """A topic's stories by year and month, with the key events editors pinned."""

    template_name = "articles/topic_timeline.html"
    per_page = 100

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        timeline = selectors.topic_timeline(
            self.place,
            self.request.GET.get("page"),
            per_page=self.per_page,
            language=self.request.LANGUAGE_CODE,
        )
        if not timeline.years:
            raise Http404("Nothing on this topic's timeline yet.")
        context.update(
            years=timeline.years,
            page_obj=timeline.page,
            is_paginated=timeline.page.has_other_pages(),
            events=timeline.events,
        )
        return context


class SearchView(EditionMixin, ListView):
    template_name = "articles/search.html"
    context_object_name = "stories"
    paginate_by = STORIES_PER_PAGE

    def get_queryset(self):
        get = self.request.GET
        self.results = selectors.search_stories(
            get.get("q", ""), get.get("topic"), language=self.request.LANGUAGE_CODE
        )
        return self.results.stories

    def edition_address(self):
        # The same search in the other edition (not the same page of results).
        query = self.request.GET.copy()
        query.pop("page", None)
        path = self.request.path
        return f"{path}?{query.urlencode()}" if query else path

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        results, stories = self.results, context["stories"]
        selectors.mark_matches(stories, results.query)
        context.update(
            query=results.query,
            query_too_long=results.query_too_long,
            search_topic=results.topic,
            more_results=results.more,
            # Offer to narrow by the topics of the stories shown.
            topics=selectors.topics_of(stories, also=results.topic),
        )
        return context


class CorrectionListView(EditionMixin, ListView):
    """Every correction to a published story, newest first."""

    template_name = "articles/corrections.html"
    context_object_name = "corrections"
    paginate_by = STORIES_PER_PAGE

    def get_queryset(self):
        return selectors.corrections(self.request.LANGUAGE_CODE)


class RobotsView(TemplateView):
    template_name = "robots.txt"
    content_type = "text/plain"


@never_cache
def healthz(request):
    """200 `ok`, or what is down, one line each (pagecache/health.py)."""
    status, text = health.health()
    return HttpResponse(text, status=status, content_type="text/plain")
