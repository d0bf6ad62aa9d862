from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db import connection
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, ListView, TemplateView

from . import search
from .models import Article, SlugRedirect, StoryNote, Topic
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
        topics = sorted(self.object.tags.all())
        context["topics"] = topics
        context["related_stories"] = related_stories(
            self.object, topic_ids=[topic.pk for topic in topics]
        )
        context["body_html"] = self.object.rendered_body()
        # Prefetched onto the story, so `article.corrections()` (JSON-LD) is free.
        prefetch_related_objects([self.object], "notes")
        context["notes"] = self.object.notes.all()
        context["citing_stories"] = Article.objects.published().filter(
            links_out__target=self.object
        )[:10]
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
    extra_context = {"is_preview": True}

    def get_queryset(self):
        # Reporters preview their own stories only.
        return Article.objects.with_list_data().editable_by(self.request.user)

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


class TopicDetailView(PublishedArticleMixin, ListView):
    template_name = "articles/topic_detail.html"
    context_object_name = "stories"
    paginate_by = STORIES_PER_PAGE

    def get_queryset(self):
        self.topic = get_object_or_404(Topic, slug=self.kwargs["slug"])
        return super().get_queryset().filter(tags=self.topic)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context["page_obj"]
        # A topic whose stories are all unpublished has no public page yet; the
        # paginator's count answers that without a query of its own.
        if page.paginator.count == 0:
            raise Http404("No published stories on this topic.")
        context["topic"] = self.topic
        context["featured_story"] = None
        if page.number == 1 and self.topic.featured_article_id:
            context["featured_story"] = (
                Article.objects.published()
                .with_list_data()
                .filter(pk=self.topic.featured_article_id)
                .first()
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


class CorrectionListView(ListView):
    """Every correction to a published story, newest first."""

    template_name = "articles/corrections.html"
    context_object_name = "corrections"
    paginate_by = STORIES_PER_PAGE

    def get_queryset(self):
        return StoryNote.objects.filter(
            kind=StoryNote.Kind.CORRECTION, article__in=Article.objects.published()
        ).select_related("article")


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
