from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db import connection
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, ListView, TemplateView

from . import search, structured_data
from .context_processors import absolute_url
from .models import Article, Author, SlugRedirect, Topic
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
        context["share_image"], images = self.share_images()
        context["structured_data"] = structured_data.as_script(
            structured_data.news_article(
                self.object, request=self.request, topics=topics, images=images
            )
        )
        return context

    def share_images(self):
        """The lead image for social cards, and every size for JSON-LD, absolute."""
        article = self.object
        if not article.lead_image:
            return None, []
        picture = article.lead_picture
        urls = picture["all_jpeg"] if picture else [article.lead_image.url]
        urls = [absolute_url(self.request, url) for url in urls]
        return urls[0], urls


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
        context["structured_data"] = structured_data.as_script(
            structured_data.collection_page(
                self.topic, request=self.request, stories=context["stories"]
            )
        )
        return context


class AuthorDetailView(PublishedArticleMixin, ListView):
    """A byline's page: the short bio and their published stories, newest first."""

    template_name = "articles/author_detail.html"
    context_object_name = "stories"
    paginate_by = STORIES_PER_PAGE

    def get_queryset(self):
        self.author = get_object_or_404(Author, slug=self.kwargs["slug"])
        return super().get_queryset().filter(authors=self.author)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if context["page_obj"].paginator.count == 0:
            raise Http404("No published stories by this author.")
        context["author"] = self.author
        return context


class SearchView(PublishedArticleMixin, ListView):
    template_name = "articles/search.html"
    context_object_name = "stories"
    paginate_by = STORIES_PER_PAGE

    def get_queryset(self):
        raw = self.request.GET.get("q", "")
        self.query = search.clean_query(raw)
        self.query_too_long = len(raw) > search.MAX_QUERY_LENGTH
        self.topic = None
        stories = super().get_queryset()
        if slug := self.request.GET.get("topic"):
            self.topic = get_object_or_404(
                Topic.objects.with_published_stories(), slug=slug
            )
            stories = stories.filter(tags=self.topic)
        return search.search(stories.prefetch_related("tags"), self.query)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Offer to narrow by the topics of the stories shown (and the one chosen):
        # relevant, and cheap at any archive size, unlike listing every topic.
        topics = {self.topic} - {None}
        for story in context["stories"]:
            story.headline_html = search.highlight(story.headline, self.query)
            story.excerpt = search.excerpt(story, self.query)
            topics.update(story.tags.all())
        context.update(
            query=self.query,
            query_too_long=self.query_too_long,
            search_topic=self.topic,
            topics=sorted(topics, key=lambda topic: topic.name_key),
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
