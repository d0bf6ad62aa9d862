from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, ListView, TemplateView

from . import search, topics
from .models import Article, SlugRedirect, Topic
from .related import related_stories

STORIES_PER_PAGE = 20


class PublishedArticleMixin:
    """Every public view starts from the published gate."""

    def get_queryset(self):
        return Article.objects.published().with_list_data()


class HomeView(PublishedArticleMixin, ListView):
    template_name = "articles/home.html"
    context_object_name = "stories"

    def get_queryset(self):
        return super().get_queryset()[:STORIES_PER_PAGE]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["main_topics"] = Topic.objects.published_counts(limit=12)
        return context


class ArticlePageMixin:
    """The article page as readers see it: topics and related stories."""

    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        story_topics = sorted(self.object.tags.all())
        context["topics"] = story_topics
        context["related_stories"] = related_stories(
            self.object, topic_ids=[topic.pk for topic in story_topics]
        )
        primary = self.object.primary_topic
        if primary:
            trail = topics.topic_tree().ancestors(primary.pk)
            context["breadcrumbs"] = [*reversed(trail), primary]
        return context


class ArticleDetailView(PublishedArticleMixin, ArticlePageMixin, DetailView):
    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            moved = (
                SlugRedirect.objects.filter(
                    old_slug=kwargs["slug"], article__in=Article.objects.published()
                )
                .select_related("article")
                .first()
            )
            if moved is None:
                raise
            return redirect(moved.article, permanent=True)


@method_decorator(never_cache, name="dispatch")
class ArticlePreviewView(PermissionRequiredMixin, ArticlePageMixin, DetailView):
    """A story in any state exactly as readers will see it, for the desk, never indexed."""

    permission_required = "articles.change_article"
    queryset = Article.objects.with_list_data()
    extra_context = {"is_preview": True}

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response


class TopicListView(ListView):
    template_name = "articles/topic_list.html"
    context_object_name = "topics"

    def get_queryset(self):
        return sorted(
            Topic.objects.published_counts(), key=lambda topic: topic.name_key
        )


class TopicMixin:
    """Find the topic by slug; an old or alias slug answers 301 to its page."""

    def get(self, request, *args, **kwargs):
        self.topic = Topic.objects.filter(slug=kwargs["slug"]).first()
        if self.topic is None:
            moved = Topic.objects.by_slug_or_former_slug(kwargs["slug"])
            if moved is None:
                raise Http404("No such topic.")
            url = request.path.replace(f"/{kwargs['slug']}/", f"/{moved.slug}/", 1)
            query = request.META.get("QUERY_STRING")
            return redirect(f"{url}?{query}" if query else url, permanent=True)
        self.tree = topics.topic_tree()
        self.topic_ids = topics.topic_and_descendant_ids(self.topic, self.tree)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        tree, topic = self.tree, self.topic
        context["topic"] = topic
        context["topic_trail"] = list(reversed(tree.ancestors(topic.pk)))
        context["child_topics"] = tree.children.get(topic.pk, [])
        return context


class TopicDetailView(TopicMixin, ListView):
    template_name = "articles/topic_detail.html"
    context_object_name = "stories"
    paginate_by = STORIES_PER_PAGE

    def get_queryset(self):
        return topics.TopicStories(self.topic_ids)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context["page_obj"]
        # A topic whose stories are all unpublished has no public page yet; the
        # paginator's count answers that without a query of its own.
        if page.paginator.count == 0:
            raise Http404("No published stories on this topic.")
        context["featured_story"] = None
        if page.number == 1:
            if self.topic.featured_article_id:
                context["featured_story"] = (
                    Article.objects.published()
                    .with_list_data()
                    .filter(pk=self.topic.featured_article_id)
                    .first()
                )
            context["facts"] = list(self.topic.facts.all())
            context["related_topics"] = topics.co_occurring_topics(
                self.topic_ids, tree=self.tree
            )
        return context


class TopicTimelineView(TopicMixin, TemplateView):
    """A topic's stories by year and month, with the key events editors pinned."""

    template_name = "articles/topic_timeline.html"
    per_page = 100

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        paginator = Paginator(topics.TopicStories(self.topic_ids), self.per_page)
        page = paginator.get_page(self.request.GET.get("page"))
        stories = list(page.object_list)
        newest = oldest = None
        if page.has_previous() and stories:
            newest = timezone.localdate(stories[0].published_at)
        if page.has_next() and stories:
            oldest = timezone.localdate(stories[-1].published_at)
        years = topics.timeline(self.topic, stories, newest=newest, oldest=oldest)
        if not years:
            raise Http404("Nothing on this topic's timeline yet.")
        context.update(
            years=years,
            page_obj=page,
            is_paginated=page.has_other_pages(),
            events=[
                item["item"]
                for year in years
                for month in year["months"]
                for item in month["items"]
                if item["kind"] == "event"
            ][::-1],
        )
        return context


class SearchView(PublishedArticleMixin, ListView):
    template_name = "articles/search.html"
    context_object_name = "stories"
    paginate_by = STORIES_PER_PAGE

    def get_queryset(self):
        self.query = search.clean_query(self.request.GET.get("q", ""))
        if not self.query:
            return Article.objects.none()
        return search.search(super().get_queryset(), self.query)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["query"] = self.query
        context["query_too_long"] = (
            len(self.request.GET.get("q", "")) > search.MAX_QUERY_LENGTH
        )
        return context


class RobotsView(TemplateView):
    template_name = "robots.txt"
    content_type = "text/plain"


def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return HttpResponse(
            "database unavailable", status=503, content_type="text/plain"
        )
    return HttpResponse("ok", content_type="text/plain")
