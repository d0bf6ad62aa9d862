from datetime import timedelta

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.core.paginator import Paginator
from django.db.models import Max
from django.utils import timezone

from .models import Article, Topic
from .topics import topic_stats

NEWS_WINDOW = timedelta(hours=48)


class ArticleSitemap(Sitemap):
    """Published stories, newest first, in pages of `limit` (`?p=N`)."""

    changefreq = "daily"
    # Small pages keep each one cheap to render; the index lists them all.
    limit = 1000

    @property
    def paginator(self):
        paginator = Paginator(self._items(), self.limit)
        # The live-story count is already known (cached with the topic counts):
        # skip counting the whole archive on every request.
        paginator.count = topic_stats()[0]
        return paginator

    def items(self):
        return (
            Article.objects.published()
            .only("slug", "updated_at")
            .order_by("-published_at", "-id")
        )

    def lastmod(self, article):
        return article.updated_at

    def get_latest_lastmod(self):
        # Django's default walks every item; ask the database instead.
        return self.items().aggregate(latest=Max("updated_at"))["latest"]


class TopicSitemap(Sitemap):
    changefreq = "daily"
    limit = 5000

    def items(self):
        return Topic.objects.with_published_stories().only("slug").order_by("name")


class NewsSitemap(Sitemap):
    """Stories published in the last 48 hours, as Google News asks for them."""

    limit = 1000  # Google News reads at most 1,000 stories per sitemap.

    def items(self):
        return (
            Article.objects.published()
            .filter(published_at__gte=timezone.now() - NEWS_WINDOW)
            .only("slug", "headline", "published_at", "updated_at")
            .order_by("-published_at", "-id")
        )

    def lastmod(self, article):
        return article.updated_at

    def get_urls(self, *args, **kwargs):
        urls = super().get_urls(*args, **kwargs)
        for url in urls:
            url["publication_name"] = settings.SITE_NAME
            url["language"] = settings.LANGUAGE_CODE
        return urls


SITEMAPS = {"articles": ArticleSitemap, "topics": TopicSitemap}
NEWS_SITEMAPS = {"news": NewsSitemap}


def news_window_closes(now):
    """The moment the oldest story in the news sitemap leaves its 48-hour window:
    cached pages are dropped then, with nobody saving anything. Registered with the
    page cache at start-up (`ArticlesConfig.ready`), so a story published from a
    command or the shell is covered too."""
    oldest = (
        Article.objects.published()
        .filter(published_at__gt=now - NEWS_WINDOW)
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    return oldest + NEWS_WINDOW if oldest else None
