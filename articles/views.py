from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, ListView, TemplateView

from . import outage, search, selectors, structured_data, topics
from .context_processors import absolute_url
from .models import Article, Author, SlugRedirect, StoryNote, Topic

STORIES_PER_PAGE = 20


class PublishedArticleMixin:
    """Every public view starts from the published gate."""

    def get_queryset(self):
        return selectors.published_stories()


class HomeView(ListView):
    template_name = "articles/home.html"
    context_object_name = "stories"

    def get_queryset(self):
        return Article.objects.published().for_lists()[:STORIES_PER_PAGE]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["main_topics"] = Topic.objects.published_counts(limit=12)
        return context


class ArticlePageMixin:
    """The article page as readers see it, from the story as `self.reading` holds it
    (articles.selectors, which the API reads through too)."""

    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        reading = self.reading
        context.update(
            topics=reading.topics,
            related_stories=reading.related,
            body_html=reading.body_html,
            # Loaded once; they also serve the structured data's corrections.
            notes=reading.notes,
        )
        context["citing_stories"] = (
            Article.objects.published()
            .filter(links_out__target=self.object)
            .only("headline", "slug")[:10]
        )
        context["share_image"], images = self.share_images()
        context["structured_data"] = structured_data.as_script(
            structured_data.news_article(
                self.object, request=self.request, topics=reading.topics, images=images
            )
        )
        primary = self.object.primary_topic
        if primary:
            trail = topics.topic_tree().ancestors(primary.pk)
            context["breadcrumbs"] = [*reversed(trail), primary]
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


class ArticleDetailView(ArticlePageMixin, DetailView):
    def get_object(self, queryset=None):
        self.reading = selectors.published_story(self.kwargs["slug"])
        return self.reading.story

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
                    .for_lists()
                    .filter(pk=self.topic.featured_article_id)
                    .first()
                )
            context["facts"] = list(self.topic.facts.all())
            context["related_topics"] = topics.co_occurring_topics(
                self.topic_ids, tree=self.tree
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
        self.author = get_object_or_404(Author, slug=self.kwargs["slug"])
        return Article.objects.published().for_lists().filter(authors=self.author)

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
        raw = self.request.GET.get("q", "")
        self.query = search.clean_query(raw)
        self.query_too_long = len(raw) > search.MAX_QUERY_LENGTH
        self.topic = None
        # Excerpts come from the body's text; the HTML is not needed.
        stories = super().get_queryset().defer("body")
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


@never_cache
def healthz(request):
    """200 `ok`, or what is down, one line each (articles/outage.py)."""
    status, text = outage.health()
    return HttpResponse(text, status=status, content_type="text/plain")
