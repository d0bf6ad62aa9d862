from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, ListView, TemplateView

from pagecache import health

from . import selectors, structured_data
from .context_processors import absolute_url

STORIES_PER_PAGE = 20


class HomeView(ListView):
    template_name = "articles/home.html"
    context_object_name = "stories"

    def get_queryset(self):
        return selectors.latest_stories(STORIES_PER_PAGE)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["main_topics"] = selectors.topic_counts(limit=12)
        return context


class ArticlePageMixin:
    """The article page as readers see it, from the story as `self.reading` holds it
    (articles.selectors, which the API reads through too)."""

    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        reading = self.reading
        images = reading.image_urls
        context.update(
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
        return story

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response


class TopicListView(ListView):
    template_name = "articles/topic_list.html"
    context_object_name = "topics"

    def get_queryset(self):
        return selectors.topic_index()


class TopicMixin:
    """Find the topic by slug; an old or alias slug answers 301 to its page."""

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
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        place = self.place
        context.update(
            topic=place.topic, topic_trail=place.trail, child_topics=place.children
        )
        return context


class TopicDetailView(TopicMixin, ListView):
    template_name = "articles/topic_detail.html"
    context_object_name = "stories"
    paginate_by = STORIES_PER_PAGE

    def get_queryset(self):
        return selectors.topic_stories(self.place.ids)

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
                related_topics=selectors.related_topics(self.place),
            )
        context["structured_data"] = structured_data.as_script(
            structured_data.collection_page(
                self.topic, request=self.request, stories=context["stories"]
            )
        )
        return context


class AuthorDetailView(ListView):
    """A byline's page: the short bio and their published stories, newest first."""

    template_name = "articles/author_detail.html"
    context_object_name = "stories"
    paginate_by = STORIES_PER_PAGE

    def get_queryset(self):
        self.author = selectors.author_at(self.kwargs["slug"])
        return selectors.author_stories(self.author)

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
            self.place, self.request.GET.get("page"), per_page=self.per_page
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


class SearchView(ListView):
    template_name = "articles/search.html"
    context_object_name = "stories"
    paginate_by = STORIES_PER_PAGE

    def get_queryset(self):
        get = self.request.GET
        self.results = selectors.search_stories(get.get("q", ""), get.get("topic"))
        return self.results.stories

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        results, stories = self.results, context["stories"]
        selectors.mark_matches(stories, results.query)
        context.update(
            query=results.query,
            query_too_long=results.query_too_long,
            search_topic=results.topic,
            # Offer to narrow by the topics of the stories shown.
            topics=selectors.topics_of(stories, also=results.topic),
        )
        return context


class CorrectionListView(ListView):
    """Every correction to a published story, newest first."""

    template_name = "articles/corrections.html"
    context_object_name = "corrections"
    paginate_by = STORIES_PER_PAGE

    def get_queryset(self):
        return selectors.corrections()


class RobotsView(TemplateView):
    template_name = "robots.txt"
    content_type = "text/plain"


@never_cache
def healthz(request):
    """200 `ok`, or what is down, one line each (pagecache/health.py)."""
    status, text = health.health()
    return HttpResponse(text, status=status, content_type="text/plain")
